"""Where a wizard is: "Step 2 of 4 · Client details", with a dot per step."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static


class StepIndicator(Static):
    DEFAULT_CSS = """
    StepIndicator { width: auto; height: 1; padding: 0 1; }
    """

    def show_step(self, number: int, total: int, title: str) -> None:
        dots = " ".join("●" if step <= number else "○" for step in range(1, total + 1))
        self.update(Content.assemble((dots, "$accent"), f"  Step {number} of {total} · {title}"))
