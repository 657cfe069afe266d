"""One definition per user action: its keys, footer hint, help line and palette entry.

Screens build their BINDINGS from these, the app feeds them to the command
palette and the help screen lists them, so the three can never drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class Command:
    action: str  # the screen's action name, without "action_"
    keys: str  # comma-separated Textual key names
    label: str  # footer hint and palette title
    help: str  # one line for `?` help and the palette
    show_in_footer: bool = True
    in_palette: bool = True

    def binding(self) -> Binding:
        return Binding(self.keys, self.action, self.label, show=self.show_in_footer)


_KEY_NAMES = {
    "slash": "/",
    "question_mark": "?",
    "escape": "esc",
    "pagedown": "page down",
    "pageup": "page up",
}


def format_keys(keys: str) -> str:
    """Textual key names as a person reads them: 'question_mark' -> '?'."""
    return " / ".join(_KEY_NAMES.get(key, key) for key in keys.split(","))


def bindings(commands: tuple[Command, ...]) -> list[Binding]:
    return [command.binding() for command in commands]
