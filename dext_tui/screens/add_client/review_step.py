"""The last step: everything entered, to go Back and change, or Create."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Label, Static

from dext_tui.screens.add_client.form import WizardStep
from dext_tui.widgets.safe_text import printable


class ReviewStep(WizardStep):
    TITLE = "Review"

    DEFAULT_CSS = """
    ReviewStep .review-rows { height: auto; }
    ReviewStep .review-row { height: auto; }
    ReviewStep .review-label { width: 22; text-style: bold; }
    ReviewStep .review-value { width: 1fr; height: auto; }
    """

    def __init__(self, product: str) -> None:
        super().__init__(product)

    def compose(self) -> ComposeResult:
        yield Vertical(id=f"{self.product}-review-rows", classes="review-rows")
        yield Static(
            "Nothing is saved until you press Create (ctrl+s or f2). Back (ctrl+o) changes a step.",
            classes="step-note",
        )

    def show(self, product_label: str, lines: list[tuple[str, str]]) -> None:
        rows = self.query_one(f"#{self.product}-review-rows", Vertical)
        rows.remove_children()
        rows.mount_all(
            Horizontal(
                Label(label, classes="review-label"),
                Static(Content(printable(value)), classes="review-value"),
                classes="review-row",
            )
            for label, value in [("Product", product_label), *lines]
        )

    def review_text(self) -> str:
        """Everything the review shows, one line per row (for tests and scripts)."""
        lines = []
        for row in self.query(".review-row"):
            label, value = row.query_one(Label), row.query_one(".review-value", Static)
            lines.append(f"{label.render()}: {value.render()}")
        return "\n".join(lines)

    def has_input(self) -> bool:
        return False
