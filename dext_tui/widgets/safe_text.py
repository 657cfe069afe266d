"""Stored text shown exactly as typed: never markup, never terminal control.

Client names come from users and imports. Square brackets are harmless once
text goes out as plain segments, but control characters (escape sequences,
tabs, newlines) and bidirectional overrides would move the cursor or restyle
the terminal, so they are swapped for visible stand-ins before display.
"""

from __future__ import annotations

import re

from rich.cells import cell_len, set_cell_size

_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _stand_in(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # Unicode control pictures: ␛ ␉ ␊ ...
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"


def printable(text: str) -> str:
    """`text` with every control or direction-changing character made visible."""
    return _UNSAFE.sub(_stand_in, text)


def fit(text: str, width: int, *, align_right: bool = False) -> str:
    """`text` made printable and padded or cut (with an ellipsis) to exactly `width` cells."""
    if width <= 0:
        return ""
    text = printable(text)
    length = cell_len(text)
    if length > width:
        return set_cell_size(text, width - 1) + "…"
    padding = " " * (width - length)
    return padding + text if align_right else text + padding
