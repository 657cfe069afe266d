"""A product's own view of the client list (issue 10), and the product switcher.

The view is the list itself: the same rows, search, filters, sort and live patches,
narrowed to the clients with an account in Prepare, Precision or Solo and shown with
that product's columns, read beside the rows (`data/product_columns.py`). Prepare's
view has a sidebar whose Manage section leads back to the Dext Client List.

`ProductViews` is a part of ClientListScreen (a mixin, and a MessagePump so
that its `@on` handlers are registered): it works on the list's engine, viewer, query,
loaded view and table, and asks the list to run the query again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from textual import on
from textual.message import Message
from textual.message_pump import MessagePump
from textual.widgets import Button, OptionList

from dext_tui.commands import Command, CommandBindings
from dext_tui.data.client_query import SORT_COLUMNS, SortColumn
from dext_tui.data.product_columns import ProductColumns, load_product_columns
from dext_tui.data.subscription import subscribed_products
from dext_tui.data.vocab import PRODUCTS
from dext_tui.screens.list.parts import Part
from dext_tui.screens.list.product_switcher import CLIENT_LIST, ProductSwitcherScreen, view_title
from dext_tui.screens.worker_failures import OnFailure, background
from dext_tui.widgets.client_table import ClientTable


class SidebarOptions(CommandBindings, OptionList):
    """Prepare's sidebar: its Manage section (My Clients opens the Dext Client List)."""

    BINDING_GROUP_TITLE = "Sidebar"
    COMMANDS_LIST = (
        Command("select", "enter", "Open", "Open the highlighted page", in_palette=False),
    )


# Prepare's own columns: in another product's view they are not shown, so not offered.
PREPARE_ONLY = ("costs", "sales", "integration")


def sort_columns(product: str | None) -> tuple[SortColumn, ...]:
    """The columns a view may be sorted by: the list's, or a product's (its status as
    "Status", none of another product's)."""
    if product is None:
        return SORT_COLUMNS
    columns = []
    for column in SORT_COLUMNS:
        if column.key == product:
            columns.append(replace(column, label="Status"))
        elif column.key in PRODUCTS or (product != "prepare" and column.key in PREPARE_ONLY):
            continue
        else:
            columns.append(column)
    return tuple(columns)


DETAILS_FAILED = OnFailure("Could not read the product details: {reason} (r reloads)")


class ProductViews(MessagePump, Part):
    """The client list's product views: which one is shown, and its added columns."""

    @dataclass
    class ProductsLoaded(Message):
        products: tuple[str, ...]

    @dataclass
    class ExtrasLoaded(Message):
        """A product view's added columns, read for load `load`."""

        extras: ProductColumns
        load: int

    @background(DETAILS_FAILED, group="products")
    def load_products(self) -> None:
        self.post_message(self.ProductsLoaded(subscribed_products(self.engine, self.viewer)))

    def on_product_views_products_loaded(self, message: ProductsLoaded) -> None:
        self.products = message.products

    def action_switch_product(self) -> None:
        self.app.push_screen(ProductSwitcherScreen(self.products, self.product), self._switch_to)

    def _switch_to(self, choice: str | None) -> None:
        if choice is not None:
            self.show_product(None if choice == CLIENT_LIST else choice)

    def show_product(self, product: str | None) -> None:
        """The client list (None) or a product's own view of the same rows: its
        clients, its columns; the search, filters and highlighted client stay."""
        if product == self.product:
            return
        self.product = product
        self.query_state = replace(self.query_state, product=product)
        title = f"{view_title(product)} ▾"
        switcher = self.query_one("#product-switcher", Button)
        switcher.label = title
        switcher.refresh(layout=True)  # its width follows the new label
        self.query_one("#sidebar").display = product == "prepare"
        if product is not None and product not in self.extras and self.view is not None:
            self.load_extras(product, self.loads)
        self.refresh_bindings()
        self.run_query()

    @background(DETAILS_FAILED, group="extras")
    def load_extras(self, product: str, load: int) -> None:
        extras = load_product_columns(self.engine, self.viewer, product)
        self.post_message(self.ExtrasLoaded(extras, load))

    def on_product_views_extras_loaded(self, message: ExtrasLoaded) -> None:
        if message.load == self.loads:
            self.extras[message.extras.product] = message.extras
            self.query_one(ClientTable).show_extras(message.extras)

    def action_leave_product(self) -> None:
        self.show_product(None)
        self.query_one(ClientTable).focus()

    def action_my_clients(self) -> None:
        """Prepare's sidebar entry, by key: the sidebar is many tabs away."""
        self.action_leave_product()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "leave_product":
            return self.product is not None
        if action == "my_clients":
            return self.product == "prepare"  # only Prepare's view has that sidebar
        return True

    def on_client_table_product_view_requested(
        self, message: ClientTable.ProductViewRequested
    ) -> None:
        """A product status cell: that client in the product's view (if it has the product)."""
        self.show_product(message.product)

    @on(OptionList.OptionSelected, "#sidebar OptionList")
    def sidebar_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == "my-clients":
            self.action_leave_product()

    @on(Button.Pressed, "#product-switcher")
    def switcher_pressed(self) -> None:
        self.action_switch_product()

    def patch_extras(self, client_ids: Iterable[int]) -> None:
        """Re-read the added columns of changed clients (in the list's patch worker)."""
        ids = list(client_ids)
        for product, extras in list(self.extras.items()):
            extras.merge(load_product_columns(self.engine, self.viewer, product, ids), ids)

    def reload_extras(self) -> None:
        """Every row was read again: so are the added columns, when a product is shown."""
        self.extras.clear()
        if self.product is not None:
            self.load_extras(self.product, self.loads)
