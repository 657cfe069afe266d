"""One page of the Add Client wizard: its fields, their errors, and what it adds to the draft.

A step names the draft fields it checks (FIELDS), builds its widgets with `row`
(ids `{product}-{field}`, the error line `{product}-{field}-error`), reads its
values for the draft, and lists them for the review.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static

from dext_tui.data.validation import ValidationError
from dext_tui.widgets.safe_text import printable
from dext_tui.widgets.toggles import SelectionList


def text_input(placeholder: str = "") -> Input:
    return Input(placeholder=placeholder, compact=True)


def pick_list(choices: dict[str, str], *, blank: bool = True, value: Any = None) -> Select:
    return Select(
        [(label, key) for key, label in choices.items()],
        allow_blank=blank,
        value=Select.NULL if value is None else value,
        prompt="Choose…",
        compact=True,
    )


class WizardStep(Vertical):
    """A step of one product's wizard; subclasses compose their rows."""

    DEFAULT_CSS = """
    WizardStep { height: auto; }
    WizardStep .wizard-field { height: auto; }
    WizardStep .wizard-row { height: 1; }
    WizardStep .wizard-row-tall { height: 5; }
    WizardStep .wizard-label { width: 20; }
    WizardStep .wizard-row Input, WizardStep .wizard-row Select { width: 1fr; }
    WizardStep .wizard-row Checkbox { width: 1fr; border: none; padding: 0; height: 1; }
    WizardStep .wizard-row SelectionList { width: 1fr; height: 5; }
    WizardStep .wizard-error { color: $text-error; height: auto; padding-left: 20; display: none; }
    WizardStep .step-note { color: $text-muted; height: auto; margin-top: 1; }
    WizardStep .step-intro { color: $text-muted; height: auto; margin-bottom: 1; }
    """

    TITLE: ClassVar[str] = ""
    FIELDS: ClassVar[tuple[str, ...]] = ()  # the draft fields this step checks

    def __init__(self, product: str) -> None:
        super().__init__(id=f"step-{product}-{type(self).__name__.lower()}")
        self.product = product

    # -- building ------------------------------------------------------------------
    def widget_id(self, field: str) -> str:
        return f"{self.product}-{field}"

    def row(self, field: str, label: str, widget: Widget, *, tall: bool = False) -> Vertical:
        widget.id = self.widget_id(field)
        return Vertical(
            Horizontal(
                Label(label, classes="wizard-label"),
                widget,
                classes="wizard-row wizard-row-tall" if tall else "wizard-row",
            ),
            Static("", id=f"{self.widget_id(field)}-error", classes="wizard-error"),
            classes="wizard-field",
        )

    def step_fields(self) -> tuple[str, ...]:
        """The draft fields this step checks at Next."""
        return self.FIELDS

    # -- reading -------------------------------------------------------------------
    def field(self, field: str) -> Widget:
        return self.query_one(f"#{self.widget_id(field)}")

    def text(self, field: str) -> str:
        widget = self.field(field)
        assert isinstance(widget, Input)
        return widget.value

    def chosen(self, field: str) -> Any:
        widget = self.field(field)
        assert isinstance(widget, Select)
        return None if widget.value is Select.NULL else widget.value

    def ticked(self, field: str) -> tuple[int, ...]:
        widget = self.field(field)
        assert isinstance(widget, SelectionList)
        return tuple(widget.selected)

    def values(self) -> dict[str, Any]:
        """This step's part of the draft."""
        return {}

    def has_input(self) -> bool:
        """Anything typed or chosen here that leaving would throw away."""
        for widget in self.query(Input):
            if widget.value.strip():
                return True
        return any(widget.selected for widget in self.query(SelectionList))

    def review(self, values: dict[str, Any]) -> list[tuple[str, str]]:
        """(label, value as shown) for the review step, from the draft's values as they
        will be stored (CRN padded, postcode spaced...)."""
        return []

    # -- errors ----------------------------------------------------------------------
    def clear_errors(self) -> None:
        for line in self.query(".wizard-error"):
            if isinstance(line, Static):
                line.update("")
                line.display = False

    def show_errors(self, errors: Iterable[ValidationError]) -> str | None:
        """Each error under its field; the first field shown an error, if any."""
        first = None
        for error in errors:
            lines = self.query(f"#{self.widget_id(error.field)}-error")
            if lines:
                line = lines.first(Static)
                line.update(Content(printable(error.message)))
                line.display = True
                first = first or error.field
        return first

    def show_field(self, field: str, shown: bool) -> None:
        """Show or hide a field with its label and error line."""
        self.query_one(f"#{self.widget_id(field)}-error").parent.display = shown  # type: ignore[union-attr]

    def focus_field(self, field: str) -> None:
        widgets = self.query(f"#{self.widget_id(field)}")
        if widgets and widgets.first().focusable:
            self.screen.set_focus(widgets.first())

    def first_focus(self) -> Widget | None:
        """Where the cursor goes when the step opens."""
        for widget in self.query("Input, Select, SelectionList, Checkbox, OptionList"):
            if widget.focusable:
                return widget
        return None


def shown(value: Any, labels: dict[str, str] | None = None, empty: str = "—") -> str:
    """A value as the review shows it: its label, or the text, or a dash when empty."""
    if value is None or value == "" or value == ():
        return empty
    if labels is not None:
        return labels.get(value, str(value))
    return printable(str(value).strip()) or empty
