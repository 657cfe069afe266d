"""Stored text on screen: the safe-text rule (data.safe_text) plus cutting to a cell width.

Square brackets are harmless once text goes out as plain segments; control
characters and bidirectional overrides are made visible by `printable`, the
one rule every sink shares. `fit` adds what only the screen needs: widths
in terminal cells (wide characters, emoji), from rich.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size

from dext_tui.data.safe_text import ELLIPSIS, printable

__all__ = ["fit", "printable"]


def fit(text: str, width: int, *, align_right: bool = False) -> str:
    """`text` made printable and padded or cut (with an ellipsis) to exactly `width` cells."""
    if width <= 0:
        return ""
    text = printable(text)
    length = cell_len(text)
    if length > width:
        return set_cell_size(text, width - 1) + ELLIPSIS
    padding = " " * (width - length)
    return padding + text if align_right else text + padding
