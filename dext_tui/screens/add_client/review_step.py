"""The last step: everything entered, to go Back and change, or Create."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Static

from dext_tui.screens.add_client.form import WizardStep
from dext_tui.widgets.safe_text import printable


class ReviewStep(WizardStep):
    TITLE = "Review"

    DEFAULT_CSS = """
    ReviewStep #review-lines { height: auto; }
    """

    def __init__(self, product: str) -> None:
        super().__init__(product)

    def compose(self) -> ComposeResult:
        yield Static("", id=f"{self.product}-review-lines", classes="review-lines")
        yield Static(
            "Nothing is saved until you press Create (ctrl+s). Back (ctrl+o) changes a step.",
            classes="step-note",
        )

    def show(self, product_label: str, lines: list[tuple[str, str]]) -> None:
        width = max((len(label) for label, _ in lines), default=0) + 2
        body = [Content.assemble(("Product".ljust(width), "bold"), product_label)]
        body += [
            Content.assemble((label.ljust(width), "bold"), printable(value))
            for label, value in lines
        ]
        self.query_one(f"#{self.product}-review-lines", Static).update(Content("\n").join(body))

    def has_input(self) -> bool:
        return False
