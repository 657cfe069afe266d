"""What the client list opens: the Manage menu and its pages for a client; Add Client,
Import Precision Clients and the Tools for the practice; and what each toolbar button does.

`ClientActions` is a part of ClientListScreen (a mixin, and a
MessagePump so that its `@on` handlers are registered): it opens those screens with the
list's engine and viewer, and has the list show what they changed.

Those screens, and the write side behind them (the services, the ORM models), are
imported when first opened, not at start: the first rows reach the screen sooner.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from textual import on
from textual.message import Message
from textual.message_pump import MessagePump
from textual.widgets import Button

from dext_tui.data import roles
from dext_tui.data.change_feed import MAX_PATCHED_CLIENTS
from dext_tui.data.client_record import ClientRecord, load_client_record
from dext_tui.data.services.writing import ChangeResult
from dext_tui.data.vocab import PRODUCT_LABELS
from dext_tui.key_gate import hold_keys, release_keys
from dext_tui.screens.list.parts import Part
from dext_tui.screens.list.selection import shown_ids
from dext_tui.screens.worker_failures import OnFailure, background
from dext_tui.widgets.client_table import ClientTable

if TYPE_CHECKING:
    import numpy as np

    from dext_tui.screens.add_client import AddClientOutcome


MANAGE_FAILED = OnFailure("Could not open the Manage menu: {reason}")


class ClientActions(MessagePump, Part):
    """The client list's way into every other screen."""

    @dataclass
    class ManageRecordLoaded(Message):
        client_id: int
        record: ClientRecord | None

    # -- manage ---------------------------------------------------------------------
    # (client id, page id): where the Manage menu's cursor was when a page was opened.
    manage_place: tuple[int | None, str] = (None, "edit")

    def on_client_table_manage_requested(self, message: ClientTable.ManageRequested) -> None:
        self.open_manage(message.client_id)

    def open_manage(self, client_id: int) -> None:
        """The Manage menu for `client_id`, read afresh: every page acts on that id.
        What is typed meanwhile goes to the menu, not to the list (key_gate.py)."""
        hold_keys(self.app)
        self._read_for_manage(client_id)

    @background(MANAGE_FAILED, group="manage", exclusive=True)
    def _read_for_manage(self, client_id: int) -> None:
        try:
            record = load_client_record(self.engine, self.viewer, client_id)
        except BaseException:
            self.app.call_from_thread(release_keys, self.app)
            raise
        self.post_message(self.ManageRecordLoaded(client_id, record))

    def on_client_actions_manage_record_loaded(self, message: ManageRecordLoaded) -> None:
        release_keys(self.app)  # the menu is pushed below: the keys follow once it is up
        record = message.record
        if record is None:
            self.notify("That client is no longer on your list.", title="Manage")
            self.show_changed_clients([message.client_id])
            return
        from dext_tui.screens.manage.manage_menu import ManageMenuScreen

        last_client, last_page = self.manage_place
        highlight = last_page if last_client == record.id else "edit"
        self.app.push_screen(
            ManageMenuScreen(record, self.viewer, highlight),
            partial(self._open_manage_page, record),
        )

    def _open_manage_page(self, record: ClientRecord, action_id: str | None) -> None:
        if action_id is None:
            self.manage_place = (None, "edit")
            return
        # Back from the page, the menu opens on it again, not on Edit.
        self.manage_place = (record.id, action_id)
        from dext_tui.screens.manage.manage_pages import action_label, manage_page

        page = manage_page(action_id, self.engine, self.viewer, record)
        if page is None:
            self.notify(f"{action_label(action_id)} arrives in a later version.", title="Manage")
            return
        self.app.push_screen(page, partial(self._back_from_page, record.id))

    def _back_from_page(self, client_id: int, outcome: str | None = None) -> None:
        """One step back: the row shows what the page changed, and the menu is open
        again, unless the page deleted the client (then the list is where to be)."""
        self.show_changed_clients([client_id])
        if outcome != "deleted":
            self.open_manage(client_id)

    # -- add, import, tools ---------------------------------------------------------
    def refused_by_role(self, action: roles.Action, title: str) -> bool:
        """Said at the key press, naming the rule, rather than by a wizard that would
        refuse at the end; the service checks again at the write."""
        reason = roles.refusal(self.viewer, action)
        if reason:
            self.notify(reason, title=title, severity="warning")
        return reason is not None

    def action_add_client(self) -> None:
        if self.refused_by_role(roles.Action.ADD_CLIENT, "Add Client"):
            return
        from dext_tui.screens.add_client import AddClientScreen

        self.app.push_screen(AddClientScreen(self.engine, self.viewer), self._added)

    def _added(self, outcome: AddClientOutcome | None) -> None:
        if outcome is None:
            return
        if outcome.created:
            self.reveal_client(outcome.client_id)
        else:  # at the duplicate warning, the user chose the client that exists
            self.reveal_client(outcome.client_id)  # the list highlights it too
            self.open_manage(outcome.client_id)

    def action_import_precision(self) -> None:
        # Linking is every role's; support not elevated is told why here (spec 15).
        if self.refused_by_role(roles.Action.LINK_PRECISION, "Import Precision Clients"):
            return
        from dext_tui.screens.import_precision.import_precision import ImportPrecisionScreen

        self.app.push_screen(ImportPrecisionScreen(self.engine, self.viewer), self._show_result)

    def action_tools(self) -> None:
        from dext_tui.screens.tools.tools_menu import ToolsMenuScreen

        self.app.push_screen(ToolsMenuScreen(), self._open_tool)

    def _open_tool(self, tool: str | None) -> None:
        if tool == "upload":
            if self.refused_by_role(roles.Action.UPLOAD_CODES, "Upload practice codes"):
                return
            from dext_tui.screens.tools.upload_codes import UploadCodesScreen

            self.app.push_screen(UploadCodesScreen(self.engine, self.viewer), self._show_result)
        elif tool == "export":
            from dext_tui.screens.tools.export_list import ExportListScreen

            ids, description = self._current_view()
            self.app.push_screen(ExportListScreen(self.engine, self.viewer, ids, description))

    def _current_view(self) -> tuple[np.ndarray | None, str]:
        """The ids the table shows, in its order, and what narrows them; (None, "") when
        nothing does (then the export offers everything the user can see)."""
        query = self.query_state
        parts = []
        if query.search.strip():
            parts.append(f"search “{query.search.strip()}”")
        parts.extend(query.filters.describe())
        if self.product is not None:
            parts.append(f"{PRODUCT_LABELS[self.product]} clients")
        table = self.query_one(ClientTable)
        if not parts or table.rows is None:
            return None, ""
        return shown_ids(table), ", ".join(parts)  # a copy: the table's order moves on

    def _show_result(self, result: ChangeResult | None) -> None:
        """The clients an import or upload changed: patched in, or all read again if many."""
        if result is None or not result.client_ids:
            return
        if len(result.client_ids) > MAX_PATCHED_CLIENTS:
            self.start_loading()
        else:
            self.show_changed_clients(result.client_ids)

    @on(Button.Pressed, "#toolbar Button")
    def toolbar_pressed(self, event: Button.Pressed) -> None:
        """Every button does what its key does."""
        toolbar: dict[str, Callable[[], None]] = {
            "add-client-button": self.action_add_client,
            "import-button": self.action_import_precision,
            "tools-button": self.action_tools,
            "filters-button": self.action_filters,
            "sort-button": self.action_sort,
        }
        toolbar[event.button.id or ""]()
