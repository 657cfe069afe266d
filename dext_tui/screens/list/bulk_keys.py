"""What the list does with its marked clients and the user's changes: the Bulk menu, Undo
and Activity (spec 14). A part of ClientListScreen, like ClientActions.

Previews are read and changes written in workers; the list then patches the changed rows
(or reads everything again when there are too many to patch).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from textual.message import Message
from textual.message_pump import MessagePump

from dext_tui.data import roles
from dext_tui.data.change_feed import MAX_PATCHED_CLIENTS
from dext_tui.data.errors import ServiceError
from dext_tui.data.services.writing import ChangeResult
from dext_tui.screens.list.parts import Part
from dext_tui.screens.worker_failures import OnFailure, background

UNDO_KEY = "z"
PREVIEW_FAILED = OnFailure("Could not read the preview: {reason}")


class BulkKeys(MessagePump, Part):
    """Bulk menu (b), Undo (z) and Activity (v) from the list."""

    session_started: datetime = datetime.min.replace(tzinfo=UTC)

    @dataclass
    class Previewed(Message):
        """A preview to show: `title` over it, `apply` writes it."""

        title: str
        preview: Any
        kind: str  # the bulk action ("deactivate", …) or "undo"

    @dataclass
    class Refused(Message):
        title: str
        reason: str

    # -- bulk -------------------------------------------------------------------------
    def action_bulk(self) -> None:
        if self.refused_by_role(roles.Action.BULK, "Bulk actions"):
            return
        if not self.marks:
            self.notify(
                "Mark clients first: space marks the highlighted one, * every one shown.",
                title="Bulk actions",
            )
            return
        from dext_tui.screens.bulk.bulk_menu import BulkMenuScreen

        self.app.push_screen(
            BulkMenuScreen(len(self.marks), self.engine, self.viewer), self._bulk_chosen
        )

    def _bulk_chosen(self, choice: Any) -> None:
        if choice is None:
            return
        marked = self.marks.ids.copy()
        if choice == "export":
            from dext_tui.screens.tools.export_list import ExportListScreen

            self.app.push_screen(
                ExportListScreen(self.engine, self.viewer, marked, "marked clients")
            )
            return
        self.preview_bulk(choice, marked.tolist())

    @background(PREVIEW_FAILED, group="bulk", exclusive=True)
    def preview_bulk(self, action: Any, ids: list[int]) -> None:
        """`action`: a lifecycle action's name, or a BulkRequest naming the colleague."""
        from dext_tui.data.services.bulk_actions import preview_bulk
        from dext_tui.screens.bulk.bulk_menu import bulk_title

        title = bulk_title(action, len(ids))
        try:
            preview = preview_bulk(self.engine, self.viewer, action, ids)
        except ServiceError as refusal:
            self.post_message(self.Refused("Bulk actions", refusal.message))
            return
        self.post_message(self.Previewed(title, preview, action))

    # -- undo -------------------------------------------------------------------------
    def action_undo(self) -> None:
        self.preview_last_undo()

    @background(PREVIEW_FAILED, group="bulk", exclusive=True)
    def preview_last_undo(self) -> None:
        from dext_tui.data.services.undo import last_batch_of, preview_undo

        batch = last_batch_of(self.engine, self.viewer, since=self.session_started)
        if batch is None:
            self.post_message(self.Refused("Undo", "Nothing you changed in this session to undo."))
            return
        try:
            preview = preview_undo(self.engine, self.viewer, batch)
        except ServiceError as refusal:
            self.post_message(self.Refused("Undo", refusal.message))
            return
        self.post_message(self.Previewed("Undo your last change", preview, "undo"))

    # -- both -------------------------------------------------------------------------
    def on_bulk_keys_refused(self, message: Refused) -> None:
        self.notify(message.reason, title=message.title, severity="warning")

    def on_bulk_keys_previewed(self, message: Previewed) -> None:
        from dext_tui.screens.bulk.change_preview import ChangePreviewScreen

        self.app.push_screen(
            ChangePreviewScreen(message.title, message.preview, self._writer(message.kind)),
            lambda result: self._written(result, message.kind, message.preview),
        )

    def _writer(self, kind: str):
        if kind == "undo":
            from dext_tui.data.services.undo import apply_undo

            return lambda preview: apply_undo(self.engine, self.viewer, preview)
        from dext_tui.data.services.bulk_actions import apply_bulk

        return lambda preview: apply_bulk(self.engine, self.viewer, preview)

    def _written(self, result: ChangeResult | None, kind: Any, preview: Any) -> None:
        if result is None or not result.client_ids:
            return
        count = len(result.client_ids)
        if kind == "undo":
            from dext_tui.data.services.undo import put_back, was

            self.notify(f"Undone: {put_back(count)} put back as {was(count)}.", title="Undo")
        else:
            from dext_tui.data.services.undo import undoable

            offer = f" {UNDO_KEY} undoes it." if undoable(result.changes) else ""
            self.notify(f"{preview.done(count)}{offer}", title="Bulk actions")
        if count > MAX_PATCHED_CLIENTS:
            self.start_loading()
        else:
            self.show_changed_clients(result.client_ids)

    # -- activity ---------------------------------------------------------------------
    def action_activity(self) -> None:
        if self.refused_by_role(roles.Action.ACTIVITY, "Activity"):
            return
        from dext_tui.screens.activity.activity import ActivityScreen

        self.app.push_screen(ActivityScreen(self.engine, self.viewer), self._activity_closed)

    def _activity_closed(self, client_id: int | None) -> None:
        if client_id is not None:
            self.open_manage(client_id)
