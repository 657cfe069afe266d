"""The product switcher (spec section 12, `p`): the Dext Client List or a product's own view.

Only the products in the practice's subscription are offered.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.screen import ModalScreen
from textual.widgets.option_list import Option

from dext_tui.commands import HELP, Command, CommandBindings, CommandScreen
from dext_tui.data.vocab import PRODUCT_LABELS
from dext_tui.screens.dialogs.cursor_options import CursorOptions
from dext_tui.screens.dialogs.picker import Entry, Picker, entry_commands, entry_prompt

CLIENT_LIST = "client_list"  # the switcher's id for the Dext Client List itself


def view_title(product: str | None) -> str:
    return f"Dext {PRODUCT_LABELS[product]}" if product else "Dext Client List"


# Each view on a key of its own, the same whatever the subscription: `p 3` is Precision.
VIEW_KEYS = {CLIENT_LIST: "1", "prepare": "2", "precision": "3", "solo": "4"}
ENTRIES = tuple(
    Entry(
        key,
        number,
        view_title(None if key == CLIENT_LIST else key),
        f"Go to {view_title(None if key == CLIENT_LIST else key)}",
    )
    for key, number in VIEW_KEYS.items()
)


class ProductOptions(CommandBindings, CursorOptions):
    BINDING_GROUP_TITLE = "Product list"
    COMMANDS_LIST = (
        Command("select", "enter", "Open", "Open the highlighted product", in_palette=False),
    )


class ProductSwitcherScreen(Picker, CommandScreen, ModalScreen[str | None]):
    """Returns CLIENT_LIST, a product key, or None when dismissed."""

    COMMANDS_LIST = (
        *entry_commands(ENTRIES, "View"),
        Command("dismiss(None)", "escape", "Back", "Stay where you are"),
        HELP,
    )
    BINDING_GROUP_TITLE = "Product switcher"
    OPTIONS = ProductOptions
    DIALOG_ID = "switcher-dialog"
    OPTIONS_ID = "switcher-options"

    def __init__(self, products: Iterable[str], current: str | None) -> None:
        super().__init__()
        self.products = tuple(products)
        self.current = current or CLIENT_LIST

    def picker_title(self) -> str:
        return "Go to"

    def picker_options(self) -> list[Option]:
        options = []
        for key in (CLIENT_LIST, *self.products):
            label = view_title(None if key == CLIENT_LIST else key)
            if key == self.current:
                label += "  (here now)"
            options.append(Option(entry_prompt(VIEW_KEYS[key], label), id=key))
        return options

    # The highlight starts on the first entry, whatever the view (the picker's default):
    # `p ↓↓` then lands on the same product from everywhere, so the keys can be learned;
    # "(here now)" says where.
