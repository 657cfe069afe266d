"""Rules for the Manage pages' fields beyond the identifiers of spec section 9.

Each function takes what the user typed and returns the value to store (None
for an empty optional field), or raises ValidationError naming the field and
the rule. `collect` runs many at once so a form gets every error together.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from typing import Any

from dext_tui.data.errors import InvalidInput
from dext_tui.data.validation import ValidationError

# Bidi embeddings, overrides and isolates reorder text on screen (Trojan Source);
# line and paragraph separators break lines as a newline would.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_LINE_SEPARATORS = frozenset("\u2028\u2029\x85")

VAT_NUMBER_RULE = (
    "VAT number must be a UK VAT number: GB and 9 or 12 digits (GB123456789), "
    "or GBGD or GBHA and 3 digits (GBGD001)"
)
_VAT_NUMBER = re.compile(r"GB(?:[0-9]{9}|[0-9]{12}|GD[0-9]{3}|HA[0-9]{3})", re.ASCII)

EMAIL_MAX_LENGTH = 320
EMAIL_RULE = "Email must be an address such as name@example.com"
# Plausible, not RFC 5322: one @, a dot-separated local part of the usual
# characters, and a domain of letters, digits and hyphens with a dot in it.
_EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}",
    re.ASCII,
)


def _describe(character: str) -> str:
    return f"U+{ord(character):04X} {unicodedata.name(character, 'control character')}"


def _forbidden(character: str, *, newline_allowed: bool) -> bool:
    if character == "\n":
        return not newline_allowed
    return (
        unicodedata.category(character) == "Cc"
        or character in _BIDI_CONTROLS
        or character in _LINE_SEPARATORS
    )


def text_line(
    value: str | None, field: str, label: str, max_length: int, *, required: bool = False
) -> str | None:
    """One line of text: NFC, surrounding spaces stripped, no control characters."""
    line = unicodedata.normalize("NFC", value or "").strip()
    if not line:
        if required:
            raise ValidationError(field, f"{label} is required")
        return None
    if len(line) > max_length:
        raise ValidationError(
            field, f"{label} must be at most {max_length} characters (got {len(line)})"
        )
    for position, character in enumerate(line, start=1):
        if _forbidden(character, newline_allowed=False):
            raise ValidationError(
                field,
                f"{label} must be one line without control characters such as tab, newline "
                f"or escape (found {_describe(character)} at position {position})",
            )
    return line


def text_lines(value: str | None, field: str, label: str, max_length: int) -> str | None:
    """Several lines (an address): line ends made `\\n`, each line's trailing spaces and
    the text's surrounding blank lines dropped; no control character but the newline."""
    unified = unicodedata.normalize("NFC", value or "").replace("\r\n", "\n").replace("\r", "\n")
    lines = "\n".join(line.rstrip() for line in unified.split("\n")).strip()
    if not lines:
        return None
    if len(lines) > max_length:
        raise ValidationError(
            field, f"{label} must be at most {max_length} characters (got {len(lines)})"
        )
    for position, character in enumerate(lines, start=1):
        if _forbidden(character, newline_allowed=True):
            raise ValidationError(
                field,
                f"{label} must not contain control characters other than line breaks "
                f"(found {_describe(character)} at position {position})",
            )
    return lines


def choice(
    value: Any, field: str, label: str, allowed: Mapping[str, str], *, required: bool = False
) -> str | None:
    """One of `allowed`'s keys; text matches a key or its label, ignoring case, spaces
    and `_`/`-` (`en_gb` is `en-GB`, `united kingdom` is `GB`)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValidationError(field, f"{label} is required")
        return None
    if isinstance(value, str):
        wanted = _choice_key(value)
        for key, shown_as in allowed.items():
            if wanted in (_choice_key(str(key)), _choice_key(shown_as)):
                return key
    shown = ", ".join(str(key) for key in list(allowed)[:6])
    more = ", ..." if len(allowed) > 6 else ""
    raise ValidationError(field, f"{label} must be one of the list ({shown}{more}), not {value!r}")


def _choice_key(value: str) -> str:
    return value.strip().casefold().replace("_", "-").replace(" ", "-")


def month(value: Any, field: str, label: str) -> int | None:
    """A month number 1-12 (digits as text accepted); empty means none."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number = value
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        number = int(value.strip())
    if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= 12:
        raise ValidationError(field, f"{label} must be a month from 1 to 12, not {value!r}")
    return number


def on_off(value: Any, field: str, label: str) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(field, f"{label} must be on or off, not {value!r}")
    return value


def vat_number(value: str | None, field: str = "vat_number") -> str | None:
    """A UK VAT number as stored: upper case, no spaces; 9 or 12 digits alone get `GB`."""
    if value is None or not value.strip():
        return None
    compact = "".join(value.split()).upper()
    if not compact.isascii():
        raise ValidationError(field, VAT_NUMBER_RULE)
    if compact.isdigit() and len(compact) in (9, 12):
        compact = "GB" + compact
    if _VAT_NUMBER.fullmatch(compact) is None:
        raise ValidationError(field, VAT_NUMBER_RULE)
    return compact


def email(value: str | None, field: str = "email") -> str:
    """A plausible email address, surrounding spaces stripped; required."""
    address = (value or "").strip()
    if not address:
        raise ValidationError(field, "Email is required")
    if len(address) > EMAIL_MAX_LENGTH:
        raise ValidationError(
            field, f"Email must be at most {EMAIL_MAX_LENGTH} characters (got {len(address)})"
        )
    if _EMAIL.fullmatch(address) is None:
        raise ValidationError(field, EMAIL_RULE)
    return address


def collect(rules: Mapping[str, tuple[Any, Callable[[Any], Any]]], unchanged: Any) -> dict:
    """Apply each field's rule to its value (fields given as `unchanged` are skipped);
    every error at once, as InvalidInput, or the normalised values."""
    values, errors = {}, []
    for name, (value, rule) in rules.items():
        if value is unchanged:
            continue
        try:
            values[name] = rule(value)
        except ValidationError as error:
            errors.append(error)
    if errors:
        raise InvalidInput(errors)
    return values
