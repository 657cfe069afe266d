"""Prepare System Settings (spec section 7): business, tax and VAT settings, with
pick-lists for country, currency, language, VAT cycle and first reporting month."""

from __future__ import annotations

from dext_tui.data.choices import COUNTRIES, CURRENCIES, LANGUAGES, MONTHS
from dext_tui.data.services.prepare import load_prepare_settings, update_prepare_settings
from dext_tui.data.vocab import VAT_CYCLE_LABELS
from dext_tui.screens.manage.field_form import FORM_COMMANDS, FieldFormScreen


def _pick(choices: dict) -> list[tuple[str, object]]:
    return [
        (f"{label} ({code})" if isinstance(code, str) else label, code)
        for code, label in choices.items()
    ]


class PrepareSettingsScreen(FieldFormScreen):
    COMMANDS_LIST = FORM_COMMANDS
    BINDING_GROUP_TITLE = "Prepare settings"
    TITLE_TEXT = "Prepare · System Settings"
    FIELDS = (
        ("business_name", "Business name"),
        ("practice_code", "Practice code"),
        ("country", "Country"),
        ("base_currency", "Base currency"),
        ("language", "Language"),
        ("industry", "Industry"),
        ("registered_address", "Address"),
        ("vat_number", "VAT number"),
        ("vat_cycle", "VAT cycle"),
        ("first_reporting_month", "First month"),
        ("extract_tax", "Extract tax"),
    )
    CHOICES = {
        "country": _pick(COUNTRIES),
        "base_currency": _pick(CURRENCIES),
        "language": _pick(LANGUAGES),
        "vat_cycle": [(label, code) for code, label in VAT_CYCLE_LABELS.items()],
        "first_reporting_month": [(label, number) for number, label in MONTHS.items()],
        "extract_tax": [("On", True), ("Off", False)],
    }
    MULTILINE = frozenset({"registered_address"})
    load_values = staticmethod(load_prepare_settings)
    save_values = staticmethod(update_prepare_settings)
