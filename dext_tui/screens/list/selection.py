"""Marked clients on the list and in every product view (spec 14): what bulk actions act on.

`Selection` is a part of ClientListScreen (a mixin, like ClientActions). Marks are
client ids in one set shared with the table's source, so they survive searching,
sorting, filtering, product views and live patches; marking everything shown is one
set update over the shown id column. A marked client that leaves the viewer's scope
is unmarked, and the list says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message_pump import MessagePump

from dext_tui.screens.dialogs.confirm import ConfirmScreen
from dext_tui.screens.list.parts import Part
from dext_tui.widgets.client_table import ClientTable
from dext_tui.widgets.marks import Marks

if TYPE_CHECKING:  # numpy comes with the full list (tests/unit/test_start_up_imports.py)
    import numpy as np

    from dext_tui.data.client_view import ClientView

ASK_BEFORE_MARKING = 1_000  # marking more than this many shown clients says the count first


def marked_words(count: int) -> str:
    return f"{count:,} marked"


def shown_ids(table: ClientTable) -> np.ndarray:
    """The ids of the clients the table shows (the current search, filters and view)."""
    import numpy as np

    if table.rows is None:
        return np.empty(0, dtype=np.int64)
    # As arrays: a first screenful, shown before the full list, is plain lists.
    return np.asarray(table.rows.ids, dtype=np.int64)[np.asarray(table.order, dtype=np.int64)]


def out_of_scope(marks: Marks, view: ClientView) -> np.ndarray:
    """The marked ids that are no longer among the viewer's clients."""
    import numpy as np

    if not marks:
        return np.empty(0, dtype=np.int64)
    rows = view.rows
    return marks.missing_from(rows.ids[rows.present])


class Selection(MessagePump, Part):
    """Marking and unmarking clients; the count is on the status line."""

    marks_checked: tuple[ClientView | None, int] = (None, -1)  # (view, generation) checked

    @property
    def marks(self) -> Marks:
        return self.query_one(ClientTable).marks

    def action_toggle_mark(self) -> None:
        table = self.query_one(ClientTable)
        client_id = table.highlighted_client_id
        if client_id is None:
            return
        if client_id in table.marks:
            table.marks.discard(client_id)
        else:
            table.marks.add(client_id)
        self.marks_changed()

    def action_mark_shown(self) -> None:
        ids = shown_ids(self.query_one(ClientTable))
        if len(ids) > ASK_BEFORE_MARKING:
            self.app.push_screen(
                ConfirmScreen(
                    "Mark every client shown?",
                    f"This marks all {len(ids):,} clients the current search and filters show.",
                    f"Mark {len(ids):,}",
                ),
                lambda confirmed: self._mark(ids) if confirmed else None,
            )
        else:
            self._mark(ids)

    def _mark(self, ids: np.ndarray) -> None:
        self.marks.update(ids)
        self.marks_changed()

    def action_clear_marks(self) -> None:
        if not self.marks:
            self.notify("No clients are marked.", title="Marks")
            return
        self.marks.clear()
        self.marks_changed()

    def marks_changed(self) -> None:
        self.query_one(ClientTable).marks_changed()
        self.show_count()  # the list's status line

    def marks_suffix(self) -> str:
        """' · 3 marked' for the status line, or nothing while none are."""
        return f" · {marked_words(len(self.marks))}" if self.marks else ""

    def unmark_out_of_scope(self, view: ClientView, generation: int) -> None:
        """After a live patch: marked clients the viewer may no longer see are unmarked."""
        if self.marks_checked == (view, generation) or not self.marks:
            return
        self.marks_checked = (view, generation)
        gone = out_of_scope(self.marks, view)
        if len(gone):
            self.marks.difference_update(gone)
            self.notify(
                f"{len(gone):,} marked client{'' if len(gone) == 1 else 's'} left your access "
                "and " + ("was" if len(gone) == 1 else "were") + " unmarked.",
                title="Marks",
                severity="warning",
            )
            self.marks_changed()
