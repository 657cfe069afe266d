"""Every action of a Manage page or dialog has a key (issue 15: no action needs more than a
key or two from where the screen opens): walks each screen's own actions and bindings."""

from __future__ import annotations

import pytest

from dext_tui.screens.dialogs.confirm import ConfirmScreen
from dext_tui.screens.manage.client_users import ClientUsersScreen, UserFormScreen
from dext_tui.screens.manage.edit_client import LIFECYCLE, EditClientScreen
from dext_tui.screens.manage.manage_menu import ManageMenuScreen
from dext_tui.screens.manage.manage_pages import PAGES

SCREENS = sorted(
    {*PAGES.values(), ManageMenuScreen, ConfirmScreen, UserFormScreen, ClientUsersScreen},
    key=lambda screen: screen.__name__,
)


def own_actions(screen: type) -> set[str]:
    """The `action_*` methods the app's own classes define (Textual's are its keys' business)."""
    return {
        name.removeprefix("action_")
        for cls in screen.__mro__
        if not cls.__module__.startswith("textual")
        for name in vars(cls)
        if name.startswith("action_")
    }


@pytest.mark.parametrize("screen", SCREENS, ids=lambda screen: screen.__name__)
def test_every_action_of_a_manage_screen_is_on_a_key(screen):
    bound = {command.action.partition("(")[0] for command in screen.COMMANDS_LIST}
    assert own_actions(screen) <= bound


def test_every_lifecycle_action_has_a_key_of_its_own():
    keys = [
        command.keys for command in EditClientScreen.COMMANDS_LIST if command.action in LIFECYCLE
    ]
    assert len(keys) == len(LIFECYCLE) == len(set(keys))
