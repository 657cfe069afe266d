"""An audited change said in words ("Solo: not set up → Active", "NI number: set to
AB123456C", "extract tax: off → on"), for the History page and the Activity log.

Pure functions over an audit event's `before` and `after` dictionaries: nothing here
reads the database, and unchanged values are left out.
"""

from __future__ import annotations

from typing import Any

from dext_tui.data.vocab import (
    CLIENT_STATE_LABELS,
    CLIENT_USER_ROLE_LABELS,
    INTEGRATION_SOFTWARE,
    PRECISION_VISIBILITY_LABELS,
    PRODUCT_LABELS,
    PRODUCT_STATUS_LABELS,
    ROLE_LABELS,
    VAT_CYCLE_LABELS,
)

FIELD_LABELS = {
    "crn": "CRN",
    "ni_number": "NI number",
    "vat_number": "VAT number",
    "vat_cycle": "VAT cycle",
    "integration_software": "software",
}

# Fields whose stored values are codes from a vocabulary; any other value is said as stored.
_VALUE_LABELS: dict[str, dict[str, str]] = {
    "state": CLIENT_STATE_LABELS,
    "role": {**ROLE_LABELS, **CLIENT_USER_ROLE_LABELS},
    "software": INTEGRATION_SOFTWARE,
    "integration_software": INTEGRATION_SOFTWARE,
    "visibility": PRECISION_VISIBILITY_LABELS,
    "vat_cycle": VAT_CYCLE_LABELS,
}
HIDDEN_FIELDS = frozenset({"team_member_id", "account_manager_id"})
_STATUS_WORDS = {**PRODUCT_STATUS_LABELS, "not_set_up": "not set up"}


def field_label(field: str) -> str:
    return FIELD_LABELS.get(field, field.replace("_", " "))


def value_words(field: str, value: Any) -> str:
    """One stored value as a person says it: on/off, lists joined, codes as their labels."""
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, list | tuple):
        return ", ".join(value_words(field, item) for item in value) or "none"
    if isinstance(value, dict):
        return ", ".join(f"{field_label(k)} {value_words(k, v)}" for k, v in value.items())
    if value is None or value == "":
        return "none"
    text = str(value)
    return _VALUE_LABELS.get(field, {}).get(text, text)


def _change(label: str, field: str, before: Any, after: Any, *, created: bool) -> str | None:
    if before == after:
        return None
    if created or before is None or before == "":
        if after is None or after == "" or after == [] or after == {}:
            return None if created else f"{label}: cleared"
        return (
            f"{label}: {value_words(field, after)}"
            if created
            else (f"{label}: set to {value_words(field, after)}")
        )
    if after is None or after == "":
        return f"{label}: {value_words(field, before)} cleared"
    return f"{label}: {value_words(field, before)} → {value_words(field, after)}"


def _product_changes(before: dict, after: dict, *, created: bool) -> list[str]:
    words = []
    for product in sorted(set(before) | set(after), key=_product_order):
        old, new = before.get(product, "not_set_up"), after.get(product, "not_set_up")
        if old == new:
            continue
        label = PRODUCT_LABELS.get(product, product)
        if created:
            words.append(f"{label}: {_STATUS_WORDS.get(new, new)}")
        else:
            words.append(f"{label}: {_STATUS_WORDS.get(old, old)} → {_STATUS_WORDS.get(new, new)}")
    return words


def _product_order(product: str) -> int:
    order = list(PRODUCT_LABELS)
    return order.index(product) if product in order else len(order)


def change_words(before: dict, after: dict) -> list[str]:
    """Each field that changed, in words; a new client (`before` empty) lists what it got."""
    if before and not after:  # deleted: the action says it all
        return []
    created = not before
    words: list[str] = []
    for field in sorted(set(before) | set(after)):
        if field in HIDDEN_FIELDS:  # an id said by the name beside it
            continue
        old, new = before.get(field), after.get(field)
        if field == "products" and isinstance(old or {}, dict) and isinstance(new or {}, dict):
            words.extend(_product_changes(old or {}, new or {}, created=created))
            continue
        said = _change(field_label(field), field, old, new, created=created)
        if said is not None:
            words.append(said)
    return words
