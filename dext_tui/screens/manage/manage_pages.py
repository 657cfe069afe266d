"""Which page each Manage menu entry opens (None: not built yet)."""

from __future__ import annotations

from sqlalchemy import Engine
from textual.screen import Screen

from dext_tui.data.client_record import ClientRecord
from dext_tui.data.viewer import Viewer
from dext_tui.screens.manage.client_users import ClientUsersScreen
from dext_tui.screens.manage.edit_client import EditClientScreen
from dext_tui.screens.manage.history import HistoryScreen
from dext_tui.screens.manage.manage_menu import MANAGE_ACTIONS
from dext_tui.screens.manage.practice_access import PrecisionAccessScreen, PrepareAccessScreen
from dext_tui.screens.manage.precision_settings import PrecisionSettingsScreen
from dext_tui.screens.manage.prepare_settings import PrepareSettingsScreen
from dext_tui.screens.manage.solo_edit import SoloEditScreen

PAGES = {
    "edit": EditClientScreen,
    "history": HistoryScreen,
    "prepare.access": PrepareAccessScreen,
    "prepare.users": ClientUsersScreen,
    "prepare.settings": PrepareSettingsScreen,
    "precision.access": PrecisionAccessScreen,
    "precision.settings": PrecisionSettingsScreen,
    "solo.edit": SoloEditScreen,
}


def manage_page(
    action_id: str, engine: Engine, viewer: Viewer, record: ClientRecord
) -> Screen | None:
    page = PAGES.get(action_id)
    return page(engine, viewer, record) if page else None


def action_label(action_id: str) -> str:
    return next(action.label for action in MANAGE_ACTIONS if action.id == action_id)
