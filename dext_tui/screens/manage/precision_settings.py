"""Precision System Settings (spec section 7): connected software, visibility, and the
account managers (chosen from the colleagues who see the client)."""

from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from dext_tui.data.services.precision import load_precision_settings, update_precision_settings
from dext_tui.data.vocab import PRECISION_SOFTWARE_LABELS, PRECISION_VISIBILITY_LABELS
from dext_tui.screens.manage.field_form import FORM_COMMANDS, FieldFormScreen
from dext_tui.widgets.safe_text import printable
from dext_tui.widgets.toggles import SelectionList

MANAGERS = "account_managers"


class PrecisionSettingsScreen(FieldFormScreen):
    COMMANDS_LIST = FORM_COMMANDS
    BINDING_GROUP_TITLE = "Precision settings"
    TITLE_TEXT = "Precision · System Settings"
    FIELDS = (
        ("software", "Software"),
        ("visibility", "Visibility"),
        (MANAGERS, "Account managers"),
    )
    CHOICES = {
        "software": [(label, key) for key, label in PRECISION_SOFTWARE_LABELS.items()],
        "visibility": [(label, key) for key, label in PRECISION_VISIBILITY_LABELS.items()],
    }
    MULTILINE = frozenset({MANAGERS})  # a taller row for the list
    load_values = staticmethod(load_precision_settings)
    save_values = staticmethod(update_precision_settings)

    # Account managers are a set of colleagues: a selection list, not a text field.
    def _editor(self, field: str) -> Widget:
        if field == MANAGERS:
            return SelectionList[int](id=f"form-{field}", disabled=True)
        return super()._editor(field)

    def _shown(self, field: str) -> Any:
        if field == MANAGERS:
            managers = self._stored(field) or ()
            return sorted(colleague.team_member_id for colleague in managers)
        return super()._shown(field)

    def _value(self, field: str) -> Any:
        if field == MANAGERS:
            return sorted(self.query_one(f"#form-{field}", SelectionList).selected)
        return super()._value(field)

    def _set_value(self, field: str) -> None:
        if field != MANAGERS:
            super()._set_value(field)
            return
        chooser = self.query_one(f"#form-{field}", SelectionList)
        chosen = set(self._shown(field))
        chooser.clear_options()
        chooser.add_options(
            [
                (printable(c.label), c.team_member_id, c.team_member_id in chosen)
                for c in self.details.candidates
            ]
        )
        chooser.disabled = not self.details.can_change_account_managers
        if self.details.why_not:
            error = self.query_one(f"#form-{field}-error", Static)
            error.update(Content(printable(self.details.why_not)))
