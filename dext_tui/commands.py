"""One definition per user action: its keys, footer hint, help line and palette entry.

A screen or widget declares its commands in COMMANDS_LIST (not COMMANDS: Textual's
Screen already uses that name for command-palette providers) and inherits from
`CommandScreen` or `CommandBindings`; its BINDINGS are built from them. The footer
reads those bindings, `?` help reads the live bindings of the screen and of every
widget on it, dialog hint lines and the command palette read the commands, so none
of them can drift from the keys that really work.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from textual.actions import parse as parse_action
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.message import Message

if TYPE_CHECKING:
    from textual.screen import Screen


@dataclass(frozen=True)
class Command:
    action: str  # the screen's action name, without "action_"
    keys: str  # comma-separated Textual key names
    label: str  # footer hint and palette title
    help: str  # one line for `?` help and the palette
    show_in_footer: bool = True
    in_palette: bool = True
    # Run as the key arrives, before the keys queued behind it are handed on: for a
    # key that moves focus, so that what is typed right after it follows the focus.
    priority: bool = False
    # Commands of one kind (a menu's numbered entries) share one footer and hint-line
    # entry: "1 2 3 Open page"; help and the palette still list each one.
    group: str | None = None

    def binding(self) -> Binding:
        return Binding(
            self.keys,
            self.action,
            self.label,
            show=self.show_in_footer,
            tooltip=self.help,
            priority=self.priority,
            group=Binding.Group(self.group, compact=True) if self.group else None,
        )


HELP = Command("help", "question_mark", "Help", "Show every key of this screen")
# The app's own keys, for the screens that offer them (the list, the support picker).
PALETTE = Command(
    "app.command_palette",
    "ctrl+p",
    "Palette",
    "Open the command palette",
    show_in_footer=False,
    in_palette=False,
)
QUIT = Command("app.quit", "q", "Quit", "Quit dext-tui", in_palette=False)

_KEY_NAMES = {
    "slash": "/",
    "full_stop": ".",
    "question_mark": "?",
    "asterisk": "*",
    "escape": "esc",
    "pagedown": "page down",
    "pageup": "page up",
}


def format_key(key: str) -> str:
    """A Textual key name as a person reads it: 'question_mark' -> '?'."""
    return _KEY_NAMES.get(key, key)


def format_keys(keys: str) -> str:
    """Comma-separated Textual key names as a person reads them: 'escape,q' -> 'esc / q'."""
    return " / ".join(format_key(key.strip()) for key in keys.split(","))


def bindings(commands: Iterable[Command]) -> list[BindingType]:
    return [command.binding() for command in commands]


def hint_line(*command_lists: Iterable[Command]) -> str:
    """A dialog's one-line key hint, e.g. 'ctrl+s Apply · esc Back': its first key per
    command; a group's keys together under its name ('1 2 5 Open')."""
    hints: list[list[str]] = []  # [keys…, label] per hint
    groups: dict[str, list[str]] = {}
    for commands in command_lists:
        for command in commands:
            if not command.show_in_footer:
                continue
            key = format_key(command.keys.split(",")[0])
            if command.group is None:
                hints.append([key, command.label])
            elif command.group in groups:
                groups[command.group].insert(-1, key)
            else:
                groups[command.group] = [key, command.group]
                hints.append(groups[command.group])
    return " · ".join(" ".join(hint) for hint in hints)


def offered(screen: Any, command: Command) -> bool:
    """Whether `screen` offers `command` now: its `check_action` (given the action's
    parameters, as Textual gives them for a key) does not hide it."""
    _namespace, name, parameters = parse_action(command.action)
    return screen.check_action(name, parameters) is not False


def offered_hint_line(screen: Any, *first: Iterable[Command]) -> str:
    """The hint line of what `screen` offers now: its commands that `check_action` allows
    (a screen whose choices follow the record's state, e.g. Edit's lifecycle keys), after
    the commands `first` (those of the widget that has the focus)."""
    return hint_line(*first, (c for c in screen.COMMANDS_LIST if offered(screen, c)))


class CommandBindings:
    """Mixin for a widget or screen whose keys come from its COMMANDS_LIST.

    Put it before the Textual class: `class SearchBox(CommandBindings, Input)`.
    """

    COMMANDS_LIST: ClassVar[tuple[Command, ...]] = ()
    BINDINGS: ClassVar[list[BindingType]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # Before DOMNode.__init_subclass__, which merges BINDINGS into the class's map.
        if "COMMANDS_LIST" in cls.__dict__:
            if "BINDINGS" in cls.__dict__:
                raise TypeError(f"{cls.__name__}: declare COMMANDS_LIST, not BINDINGS as well")
            cls.BINDINGS = bindings(cls.COMMANDS_LIST)
        super().__init_subclass__(**kwargs)


class CommandScreen(CommandBindings):
    """Mixin for every screen and modal: keys from COMMANDS_LIST, and `?` help for them.

    `class SortScreen(CommandScreen, ModalScreen[str | None])`, with HELP in its
    COMMANDS_LIST and BINDING_GROUP_TITLE naming the screen in help.
    """

    def action_help(self) -> None:
        # The app opens the help screen: it is itself a CommandScreen, so importing it
        # here would tie this module and the screens in a circle.
        screen: Screen = self  # type: ignore[assignment]
        screen.post_message(HelpRequested(screen))


@dataclass
class HelpRequested(Message):
    """`?` was pressed on `screen`; the app answers with the help for it."""

    screen: Screen


@dataclass(frozen=True)
class KeyRow:
    keys: str  # "down / j"
    description: str


@dataclass(frozen=True)
class KeyGroup:
    title: str  # where the keys apply: "Client list", "Search box"
    rows: tuple[KeyRow, ...]


def key_groups(screen: Screen) -> list[KeyGroup]:
    """Every key that works on `screen`, grouped by where it applies.

    Read from the live bindings maps (keymaps applied, disabled actions left out)
    of the screen, then of each widget that can take focus on it. Keys that every
    Textual widget of a kind has (editing keys of a text box, opening a select)
    are left to Textual's own key panel (palette: Keys); this lists the app's keys.
    """
    places: list[DOMNode] = [screen, *screen.focus_chain]
    if not screen.is_modal:
        places.append(screen.app)
    groups: list[KeyGroup] = []
    seen: set[type] = set()
    for node in places:
        if type(node) in seen:
            continue
        seen.add(type(node))
        rows = _rows(screen, node)
        if rows:
            groups.append(KeyGroup(_place_title(node), rows))
    return groups


def _rows(screen: Screen, node: DOMNode) -> tuple[KeyRow, ...]:
    # `_bindings` and `_check_action_state` are what Screen.active_bindings reads itself;
    # Textual has no public equivalent for a widget that is not focused.
    declared = _declared_keys(type(node))
    found: dict[str, tuple[Binding, list[str]]] = {}  # action: its first binding, its keys
    for key, binding in node._bindings:
        if binding.system or binding.action not in declared:
            continue
        if screen.app._check_action_state(binding.action, node) is False:
            continue  # the node's check_action disables it here
        _first, keys = found.setdefault(binding.action, (binding, []))
        keys.append(key)
    rows = []
    for action, order in declared.items():  # in the order the class declares them
        if action not in found:
            continue
        binding, keys = found[action]
        keys.sort(key=lambda key: order.index(key) if key in order else len(order))
        shown = dict.fromkeys(binding.key_display or format_key(key) for key in keys)
        # A library's widget may bind a key without describing it: say what its action does.
        description = binding.tooltip or binding.description or _humane(binding.action)
        rows.append(KeyRow(" / ".join(shown), description))
    return tuple(rows)


def _humane(action: str) -> str:
    """'navigate_up' -> 'Navigate up'."""
    words = action.partition("(")[0].replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def _declared_keys(node_type: type) -> dict[str, list[str]]:
    """Actions bound by the app's own classes (not inherited from Textual's), with their keys."""
    declared: dict[str, list[str]] = {}
    for cls in reversed(node_type.__mro__):
        if cls.__module__.split(".")[0] == "textual":
            continue
        for item in cls.__dict__.get("BINDINGS", ()):
            binding = item if isinstance(item, Binding) else Binding(*item)
            keys = declared.setdefault(binding.action, [])
            keys += [key.strip() for key in binding.key.split(",") if key.strip() not in keys]
    return declared


def _place_title(node: DOMNode) -> str:
    if node.BINDING_GROUP_TITLE:
        return node.BINDING_GROUP_TITLE
    words = re.findall(r"[A-Z][a-z0-9]*", type(node).__name__)
    return " ".join([words[0], *(word.lower() for word in words[1:])]) if words else "Keys"
