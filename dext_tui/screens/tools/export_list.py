"""Export the client list (spec section 11): choose the scope, build it, then Download.

Export list builds the CSV in a worker with a progress bar; Download then
writes it where the user says (the typed path, or a file-save dialog),
atomically: a failure never leaves half a file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sqlalchemy import Engine
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, ProgressBar, RadioSet, Static
from textual.worker import get_current_worker

from dext_tui.commands import HELP, Command, CommandScreen, hint_line
from dext_tui.data.export import (
    ExportDocument,
    build_export,
    default_export_path,
    default_file_name,
    save_export,
)
from dext_tui.data.failures import plain_reason
from dext_tui.data.viewer import Viewer
from dext_tui.screens.dialogs.confirm import ConfirmScreen
from dext_tui.screens.tools.file_dialogs import SaveCsvDialog
from dext_tui.screens.worker_failures import OnFailure, ReportsWorkerFailures, background
from dext_tui.widgets.safe_text import printable
from dext_tui.widgets.toggles import RadioButton

EXPORT_COMMANDS = (
    Command("export", "ctrl+s,f2", "Export list", "Build the CSV of the chosen clients"),
    Command("download", "ctrl+g", "Download", "Save the CSV to the path in the box"),
    Command("browse", "ctrl+o", "Save as…", "Choose where to save the CSV in a dialog"),
    Command("back", "escape", "Back", "Back to the list"),
    HELP,
)


def _file_reason(error: BaseException) -> str:
    """The operating system's own words for a file that could not be written."""
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return plain_reason(error)


class ExportListScreen(ReportsWorkerFailures, CommandScreen, ModalScreen[None]):
    """`view_ids`: the client ids of the list's current search/filter view, in display
    order (None or empty: no search or filter is active; only everything is offered)."""

    COMMANDS_LIST = EXPORT_COMMANDS
    BINDING_GROUP_TITLE = "Export client list"

    DEFAULT_CSS = """
    #export-scope { width: 100%; height: auto; border: none; padding: 0; margin-bottom: 1; }
    #export-scope-only { margin-bottom: 1; }
    #export-progress { margin-top: 1; width: 100%; }
    #export-progress Bar { width: 1fr; }
    #export-status { height: auto; margin-top: 1; }
    #export-status.-error { color: $text-error; }
    #export-save-row { height: 1; margin-top: 1; }
    #export-path-label { width: 8; }
    #export-path { width: 1fr; }
    """

    @dataclass
    class Progressed(Message):
        token: int
        done: int
        total: int

    @dataclass
    class Built(Message):
        token: int
        document: ExportDocument

    @dataclass
    class Saved(Message):
        path: str

    def __init__(
        self,
        engine: Engine,
        viewer: Viewer,
        view_ids: np.ndarray | None = None,
        view_description: str = "",
    ) -> None:
        super().__init__()
        self.engine = engine
        self.viewer = viewer
        self.view_ids = view_ids if view_ids is not None and len(view_ids) else None
        self.view_description = view_description
        self.token = 0
        self.document: ExportDocument | None = None
        self.building = False
        self.saving = False

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog", classes="dialog"):
            yield Label("Export client list", classes="dialog-title")
            if self.view_ids is not None:
                described = printable(self.view_description) or "search and filters"
                with RadioSet(id="export-scope"):
                    # What the list shows is what the user expects by default; first, so
                    # that the set's highlight starts on the chosen button.
                    yield RadioButton(
                        Content(f"The current view: {described} ({len(self.view_ids):,} clients)"),
                        value=True,
                        id="scope-view",
                    )
                    yield RadioButton("Every client you can see", id="scope-all")
            else:
                yield Label("Every client you can see.", id="export-scope-only")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Export list", id="export-run", variant="primary", compact=True)
            yield ProgressBar(id="export-progress", show_eta=False)
            yield Static(
                "Export list builds a CSV for Excel (UTF-8, one row per client).",
                id="export-status",
            )
            with Horizontal(id="export-save-row"):
                yield Label("Save to", id="export-path-label")
                yield Input(str(default_export_path()), id="export-path", compact=True)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Download", id="export-download", compact=True)
                yield Button("Save as…", id="export-browse", compact=True)
            yield Label(hint_line(EXPORT_COMMANDS), classes="dialog-hint")

    def on_mount(self) -> None:
        # Inline: the app's `.dialog` width outranks any DEFAULT_CSS.
        self.query_one("#export-dialog").styles.width = 76
        self.query_one("#export-progress", ProgressBar).display = False
        self._update_buttons()
        # The scope is the first decision: start there when there is one to make.
        scope = self.query("#export-scope")
        (scope.first() if scope else self.query_one("#export-run", Button)).focus()

    # -- state --------------------------------------------------------------------
    def say(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#export-status", Static)
        status.update(Content(text))
        status.set_class(error, "-error")

    def _update_buttons(self) -> None:
        ready = self.document is not None and not self.building
        self.query_one("#export-run", Button).disabled = self.building
        self.query_one("#export-download", Button).disabled = not ready or self.saving
        self.query_one("#export-browse", Button).disabled = not ready or self.saving

    def _chosen_ids(self) -> list[int] | None:
        if self.view_ids is None:
            return None
        if self.query_one("#scope-view", RadioButton).value:
            return [int(client_id) for client_id in self.view_ids.tolist()]
        return None

    @on(RadioSet.Changed, "#export-scope")
    def scope_changed(self) -> None:
        if self.document is not None or self.building:
            self.token += 1  # a document of the other scope is no longer what is asked for
            self.document, self.building = None, False
            self.query_one("#export-progress", ProgressBar).display = False
            self.say("Scope changed: Export list again.")
            self._update_buttons()

    # -- building -------------------------------------------------------------------
    def action_export(self) -> None:
        if self.building:
            return
        self.token += 1
        self.building, self.document = True, None
        bar = self.query_one("#export-progress", ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)
        self.say("Reading the clients…")
        self._update_buttons()
        self._build(self.token, self._chosen_ids())

    @on(Button.Pressed, "#export-run")
    def run_pressed(self) -> None:
        self.action_export()

    def _not_building(self) -> None:
        self.building = False
        self.query_one("#export-progress", ProgressBar).display = False

    @background(
        OnFailure(
            "Could not export: {reason}. Press ctrl+s or f2 to try again.", reset=_not_building
        ),
        group="export-build",
        exclusive=True,
    )
    def _build(self, token: int, client_ids: list[int] | None) -> None:
        worker = get_current_worker()

        def progress(done: int, total: int) -> None:
            if not worker.is_cancelled:
                self.post_message(self.Progressed(token, done, total))

        document = build_export(self.engine, self.viewer, client_ids, progress)
        if not worker.is_cancelled:
            self.post_message(self.Built(token, document))

    def on_export_list_screen_progressed(self, message: Progressed) -> None:
        if message.token == self.token and self.building:
            self.query_one("#export-progress", ProgressBar).update(
                total=max(message.total, 1), progress=message.done
            )
            self.say(f"Exporting {message.done:,} of {message.total:,} clients…")

    def on_export_list_screen_built(self, message: Built) -> None:
        if message.token != self.token:
            return
        self.building, self.document = False, message.document
        size = len(message.document.data)
        megabytes = size >= 1024 * 1024
        shown_size = f"{size / 1024 / 1024:.1f} MB" if megabytes else f"{size / 1024:.0f} KB"
        self.query_one("#export-progress", ProgressBar).update(
            total=max(message.document.clients, 1), progress=max(message.document.clients, 1)
        )
        self.say(
            f"Ready: {message.document.clients:,} clients ({shown_size}). Download saves it "
            "to the path below (ctrl+g), or choose where (ctrl+o)."
        )
        self._update_buttons()
        self.query_one("#export-download", Button).focus()

    # -- saving -------------------------------------------------------------------
    def _target(self) -> Path:
        typed = self.query_one("#export-path", Input).value.strip()
        path = Path(os.path.expanduser(typed)) if typed else default_export_path()
        if path.is_dir():
            path = path / default_file_name()
        return path

    def action_download(self) -> None:
        if not self._ready_to_save():
            return
        path = self._target()
        if path.exists():
            self.app.push_screen(
                ConfirmScreen(
                    f"Replace {path.name}?",
                    f"{path} already exists. It will be replaced by this export.",
                    "Replace",
                ),
                lambda replace: self._save(path) if replace else None,
            )
            return
        self._save(path)

    @on(Button.Pressed, "#export-download")
    def download_pressed(self) -> None:
        self.action_download()

    @on(Input.Submitted, "#export-path")
    def path_submitted(self) -> None:
        if self.document is None:
            self.action_export()
        else:
            self.action_download()

    def action_browse(self) -> None:
        if not self._ready_to_save():
            return
        path = self._target()
        folder = path.parent if path.parent.is_dir() else Path.cwd()
        self.app.push_screen(
            SaveCsvDialog(folder, "Save the client list", path.name),
            self._browsed,
        )

    @on(Button.Pressed, "#export-browse")
    def browse_pressed(self) -> None:
        self.action_browse()

    def _browsed(self, path: Path | None) -> None:
        if path is not None:
            self.query_one("#export-path", Input).value = str(path)
            self._save(path)  # the dialog has asked about replacing a file already

    def _ready_to_save(self) -> bool:
        if self.building:
            self.say("One moment: the export is still being built.")
            return False
        if self.document is None:
            self.say("Export list first (ctrl+s or f2), then Download.")
            return False
        return not self.saving

    def _save(self, path: Path) -> None:
        if self.document is None:
            return
        self.saving = True
        self._update_buttons()
        self.say(f"Saving to {path}…")
        self._write(self.document, str(path))

    def _not_saving(self) -> None:
        self.saving = False

    @background(
        OnFailure(
            "Could not save: {reason}. Nothing was written there; choose another place and "
            "Download again.",
            reset=_not_saving,
            reason=_file_reason,
        ),
        group="export-save",
    )
    def _write(self, document: ExportDocument, path: str) -> None:
        save_export(document, path)
        self.post_message(self.Saved(path))

    def on_export_list_screen_saved(self, message: Saved) -> None:
        self.saving = False
        self._update_buttons()
        clients = self.document.clients if self.document else 0
        self.say(f"Saved {clients:,} clients to {message.path}.")

    # -- leaving, failing -------------------------------------------------------------
    def action_back(self) -> None:
        self.token += 1  # a build still running is no longer wanted
        self.workers.cancel_group(self, "export-build")
        self.dismiss(None)

    def show_failure(self, text: str) -> None:
        self.say(text, error=True)
        self._update_buttons()
