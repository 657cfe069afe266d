"""The client list's search box: its keys are bindings, so the footer and `?` help show them."""

from __future__ import annotations

from textual.widgets import Input

from dext_tui.commands import Command, CommandBindings

SEARCH_BOX_COMMANDS = (
    Command(
        "clear_search",
        "escape",
        "Clear",
        "Clear the search and go back to the list",
        in_palette=False,
    ),
    Command("submit", "enter,down", "Results", "Go to the results", in_palette=False),
)


class SearchBox(CommandBindings, Input):
    """An Input whose submit (enter, down) means "done typing: show me the results".

    The screen moves focus on `Input.Submitted`; escape clears the box and submits.
    """

    COMMANDS_LIST = SEARCH_BOX_COMMANDS
    BINDING_GROUP_TITLE = "Search box"

    async def action_clear_search(self) -> None:
        self.value = ""
        await self.action_submit()
