"""Step 1: which product the client is added in. Only the practice's subscribed
products can be chosen; the others say why not. A viewer who may not add clients,
or a full client bundle, is said here, and the wizard goes no further."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from dext_tui.data.services.new_client import AddClientChoices
from dext_tui.data.vocab import PRODUCT_LABELS, PRODUCTS
from dext_tui.screens.add_client.form import WizardStep
from dext_tui.screens.dialogs.cursor_options import CursorOptions
from dext_tui.widgets.safe_text import printable

PRODUCT_PURPOSES = {
    "prepare": "bookkeeping: receipts and invoices to accounting software",
    "precision": "data-health checks on the client's Xero or QuickBooks books",
    "solo": "the app for sole traders and self-assessment",
}


class ProductStep(WizardStep):
    TITLE = "Product"

    DEFAULT_CSS = """
    ProductStep #product-options { height: auto; max-height: 8; }
    ProductStep #product-refusal {
        color: $text-error; height: auto; margin-bottom: 1; display: none;
    }
    """

    def __init__(self) -> None:
        super().__init__("product")

    def compose(self) -> ComposeResult:
        yield Static("Which product is the new client for?", classes="step-intro")
        yield Static("", id="product-refusal")
        yield CursorOptions(id="product-options", compact=True)

    def show_choices(self, choices: AddClientChoices) -> None:
        options = self.query_one("#product-options", OptionList)
        options.clear_options()
        refusal = self.query_one("#product-refusal", Static)
        refusal.display = bool(choices.why_not)
        options.display = not choices.why_not
        if choices.why_not:
            refusal.update(
                Content(
                    printable(choices.why_not)
                    + "\nNo client can be added now: press esc to go back."
                )
            )
        for product in PRODUCTS:
            why = choices.products[product]
            label = f"{PRODUCT_LABELS[product]:<10} {why or PRODUCT_PURPOSES[product]}"
            disabled = bool(why) or bool(choices.why_not)
            options.add_option(Option(Content(printable(label)), id=product, disabled=disabled))
        enabled = [
            i for i in range(options.option_count) if not options.get_option_at_index(i).disabled
        ]
        options.highlighted = enabled[0] if enabled else None

    def highlighted_product(self) -> str | None:
        options = self.query_one("#product-options", OptionList)
        if options.highlighted is None:
            return None
        option = options.get_option_at_index(options.highlighted)
        return None if option.disabled else option.id

    def has_input(self) -> bool:
        return False
