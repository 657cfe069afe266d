"""Solo Edit: the CRN, practice code, National Insurance number and postcode of the
client's Solo account (spec section 7)."""

from __future__ import annotations

from dext_tui.data.services.solo import load_solo_details, update_solo_details
from dext_tui.screens.manage.field_form import FORM_COMMANDS, FieldFormScreen


class SoloEditScreen(FieldFormScreen):
    COMMANDS_LIST = FORM_COMMANDS
    BINDING_GROUP_TITLE = "Solo edit"
    TITLE_TEXT = "Solo · Edit"
    FIELDS = (
        ("crn", "CRN"),
        ("practice_code", "Practice code"),
        ("ni_number", "NI number"),
        ("postcode", "Postcode"),
    )
    load_values = staticmethod(load_solo_details)
    save_values = staticmethod(update_solo_details)
