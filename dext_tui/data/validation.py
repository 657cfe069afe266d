"""Identifier validation and normalisation (spec section 9).

Every value a user types goes through one of these functions before it is
saved, so that the database only ever holds one spelling of each identifier
and invalid input is refused with a message naming the field and the rule.
Only ASCII is accepted in identifiers: `str.upper` would otherwise turn look-alikes
such as the long s (ſ) into valid letters, and `\\d` would accept other scripts' digits.
"""

from __future__ import annotations

import re
import unicodedata

CLIENT_NAME_MAX_LENGTH = 300
SORT_NAME_MAX_LENGTH = 300
PRACTICE_CODE_MAX_LENGTH = 20

CRN_PREFIXES = frozenset(
    "SC NI OC SO NC LP SL NL FC SF NF GE GS GN AC ZC RS SE SA SZ ES NA NZ SG FE R0 IP SP RC SR "
    "NO NP NR IC SI NV CE CS".split()
)
CRN_RULE = (
    "CRN must be 8 characters: 8 digits, or a 2-letter prefix such as SC followed by 6 digits"
)
_CRN_PREFIXED = re.compile(r"([A-Z][A-Z0-9])([0-9]{6})", re.ASCII)

NI_NUMBER_RULE = (
    "National Insurance number must be 2 letters, 6 digits and a final letter A-D "
    "(e.g. AB123456C); it cannot start with D, F, I, Q, U or V, the second letter "
    "cannot be D, F, I, O, Q, U or V, and BG, GB, KN, NK, NT, TN and ZZ are never used"
)
_NI_NUMBER = re.compile(
    r"(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z][0-9]{6}[A-D]", re.ASCII
)

POSTCODE_RULE = "Postcode must be a UK postcode such as SW1A 1AA"
# GOV.UK bulk-transfer pattern; spaces are removed before matching.
_POSTCODE = re.compile(
    r"GIR0AA|(?:[A-Z][0-9]{1,2}|[A-Z][A-HJ-Y][0-9]{1,2}|[A-Z][0-9][A-Z]"
    r"|[A-Z][A-HJ-Y][0-9]?[A-Z])[0-9][A-Z]{2}",
    re.ASCII,
)
_POSTCODE_INWARD_LENGTH = 3

PRACTICE_CODE_RULE = (
    "Practice code must be 1-20 characters of letters A-Z, digits 0-9, '-', '_', '.' "
    "or '/', starting with a letter or digit"
)
_PRACTICE_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,19}", re.ASCII)

# Characters that move the cursor, start terminal escapes or reorder text on
# screen (Trojan-Source style); none belongs in a typed name.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_LINE_SEPARATORS = frozenset("\u2028\u2029\x85")


class ValidationError(ValueError):
    """Input refused; `field` names the form field, `message` says the rule."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _compact_ascii(value: str, field: str, rule: str) -> str:
    """Drop every whitespace character and upper-case; refuse non-ASCII."""
    compact = "".join(value.split())
    if not compact.isascii():
        raise ValidationError(field, rule)
    return compact.upper()


def _is_blank(value: str | None) -> bool:
    return value is None or not value.strip()


def normalize_crn(value: str | None) -> str | None:
    """Companies House number as stored: 8 characters, upper case, digits zero-padded."""
    if _is_blank(value):
        return None
    crn = _compact_ascii(value, "crn", CRN_RULE)
    if crn.isdigit():
        if len(crn) > 8:
            raise ValidationError("crn", f"{CRN_RULE} (got {len(crn)} digits)")
        return crn.zfill(8)
    prefixed = _CRN_PREFIXED.fullmatch(crn)
    if prefixed is None:
        raise ValidationError("crn", CRN_RULE)
    if prefixed.group(1) not in CRN_PREFIXES:
        raise ValidationError(
            "crn",
            f"CRN prefix {prefixed.group(1)} is not a Companies House prefix; {CRN_RULE}",
        )
    return crn


def normalize_ni_number(value: str | None) -> str | None:
    """National Insurance number as stored: upper case, no spaces."""
    if _is_blank(value):
        return None
    ni_number = _compact_ascii(value, "ni_number", NI_NUMBER_RULE)
    if _NI_NUMBER.fullmatch(ni_number) is None:
        raise ValidationError("ni_number", NI_NUMBER_RULE)
    return ni_number


def normalize_postcode(value: str | None) -> str | None:
    """UK postcode as stored: upper case, one space before the inward code."""
    if _is_blank(value):
        return None
    postcode = _compact_ascii(value, "postcode", POSTCODE_RULE)
    if _POSTCODE.fullmatch(postcode) is None:
        raise ValidationError("postcode", POSTCODE_RULE)
    split_at = len(postcode) - _POSTCODE_INWARD_LENGTH
    return f"{postcode[:split_at]} {postcode[split_at:]}"


def normalize_practice_code(value: str | None) -> str | None:
    """Practice code as typed, minus surrounding whitespace; empty means none."""
    if _is_blank(value):
        return None
    code = value.strip()
    if len(code) > PRACTICE_CODE_MAX_LENGTH:
        raise ValidationError("practice_code", f"{PRACTICE_CODE_RULE} (got {len(code)})")
    if _PRACTICE_CODE.fullmatch(code) is None:
        raise ValidationError("practice_code", PRACTICE_CODE_RULE)
    return code


def practice_code_key(code: str | None) -> str | None:
    """The form practice codes are compared in, so `ab/1` and `AB/1` collide."""
    if not code:
        return None
    return code.casefold()


def _describe_character(character: str) -> str:
    name = unicodedata.name(character, "control character")
    return f"U+{ord(character):04X} {name}"


def _forbidden_in_name(character: str) -> bool:
    return (
        unicodedata.category(character) == "Cc"
        or character in _BIDI_CONTROLS
        or character in _LINE_SEPARATORS
    )


def normalize_client_name(value: str | None) -> str:
    """Client name as stored: NFC, surrounding whitespace stripped.

    Control characters (tab, newline, ESC and the rest of C0/C1), line separators
    and bidi overrides are refused: they would break the one-line list and
    terminal output, and nobody types them on purpose.
    """
    name = unicodedata.normalize("NFC", value or "").strip()
    if not name:
        raise ValidationError("name", "Client name is required")
    if len(name) > CLIENT_NAME_MAX_LENGTH:
        raise ValidationError(
            "name",
            f"Client name must be at most {CLIENT_NAME_MAX_LENGTH} characters (got {len(name)})",
        )
    for position, character in enumerate(name, start=1):
        if _forbidden_in_name(character):
            raise ValidationError(
                "name",
                "Client name must not contain control characters such as tab, newline "
                f"or escape (found {_describe_character(character)} at position {position})",
            )
    return name


def sort_key(name: str) -> str:
    """`Client.sort_name`: case-folded, whitespace collapsed, so the list sorts as people read."""
    return " ".join(name.casefold().split())[:SORT_NAME_MAX_LENGTH]
