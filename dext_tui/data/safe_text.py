"""The one safe-text rule: stored text leaves the program as typed, never as terminal control.

Client names come from users, imports and other tools. Control characters
(C0, DEL, C1 — escape sequences start with ESC or the C1 CSI) and bidirectional
controls would move the cursor, restyle the terminal, write its clipboard
(OSC 52) or reorder what is read, so every sink — screen, notification,
stdout, stderr, log file — swaps them for visible stand-ins first. Pure Python:
the data layer, the command line and the widgets all use this one rule.
"""

from __future__ import annotations

import re

_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
ELLIPSIS = "…"


def _stand_in(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # Unicode control pictures: ␛ ␉ ␊ ...
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"


def printable(text: str) -> str:
    """`text` with every control or direction-changing character made visible."""
    return _UNSAFE.sub(_stand_in, text)


def printable_lines(text: str) -> str:
    """`text` made printable line by line, keeping its line breaks (for multi-line output)."""
    return "\n".join(printable(line) for line in text.split("\n"))


def clipped(text: str, limit: int) -> str:
    """`text` made printable and cut to at most `limit` characters, ending in `…` if cut."""
    text = printable(text)
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + ELLIPSIS
