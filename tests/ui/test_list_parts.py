"""The client list's parts use only what the list declares it gives them (screens/list/parts.py),
and the list gives all of it."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest
from textual.message_pump import MessagePump
from textual.widgets import Button

from dext_tui.screens.list import bulk_keys, client_actions, product_views, selection
from dext_tui.screens.list.client_list import ClientListScreen
from dext_tui.screens.list.parts import ListHost
from tests.factories import add_member, add_practice
from tests.ui.conftest import settle

PARTS = (
    (client_actions, client_actions.ClientActions),
    (selection, selection.Selection),
    (bulk_keys, bulk_keys.BulkKeys),
    (product_views, product_views.ProductViews),
)


def declared(protocol: type) -> set[str]:
    """The members a Protocol declares: its annotations, methods and properties."""
    names = set(protocol.__annotations__) | set(vars(protocol))
    return {name for name in names if not name.startswith("_")}


def self_uses(module, part: type) -> set[str]:
    """Every `self.name` the part's class body reads or calls."""
    tree = ast.parse(Path(inspect.getfile(module)).read_text())
    (body,) = (
        node for node in tree.body if isinstance(node, ast.ClassDef) and node.name == part.__name__
    )
    return {
        node.attr
        for node in ast.walk(body)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "self"
    }


HOST_MEMBERS = declared(ListHost)


def test_the_host_declares_what_the_parts_need():
    assert {"start_loading", "show_changed_clients", "reveal_client", "show_count"} <= HOST_MEMBERS
    assert {"engine", "viewer", "query_state", "view", "product"} <= HOST_MEMBERS


@pytest.mark.parametrize(
    ("module", "part"), PARTS, ids=lambda value: getattr(value, "__name__", "")
)
def test_no_part_uses_a_host_member_it_does_not_declare(module, part):
    own = {name for name in vars(part) if not name.startswith("__")}
    undeclared = self_uses(module, part) - own - HOST_MEMBERS - set(dir(MessagePump))
    assert not undeclared, f"{part.__name__} uses {sorted(undeclared)}: declare them in ListHost"


def test_the_list_screen_gives_every_member_the_parts_are_promised(sqlite_db):
    practice_id = add_practice(sqlite_db)
    screen = ClientListScreen(sqlite_db, add_member(sqlite_db, practice_id, "admin@example.com"))
    missing = []
    for name in sorted(HOST_MEMBERS):
        try:
            inspect.getattr_static(screen, name)
        except AttributeError:
            missing.append(name)
    assert not missing


async def test_each_toolbar_button_does_what_its_key_does(admin_app):
    expected = {
        "add-client-button": "AddClientScreen",
        "import-button": "ImportPrecisionScreen",
        "tools-button": "ToolsMenuScreen",
        "filters-button": "FiltersScreen",
        "sort-button": "SortScreen",
    }
    async with admin_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for button_id, screen_name in expected.items():
            admin_app.screen.query_one(f"#{button_id}", Button).press()
            await settle(pilot)
            assert type(admin_app.screen).__name__ == screen_name
            admin_app.pop_screen()
            await settle(pilot)
            assert isinstance(admin_app.screen, ClientListScreen)
