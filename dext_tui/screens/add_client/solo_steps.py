"""Solo's steps: the sole trader, then their business or businesses."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from dext_tui.data.services.new_client import (
    MAX_SOLO_BUSINESSES,
    SOLO_BUSINESS_TYPE_LABELS,
    SOLO_COLLECTION_LABELS,
    SoloBusinessDraft,
    business_field,
)
from dext_tui.screens.add_client.form import WizardStep, pick_list, shown, text_input


class SoloPersonStep(WizardStep):
    TITLE = "Sole trader"
    FIELDS = ("name", "email", "ni_number", "postcode", "practice_code", "crn")

    def __init__(self) -> None:
        super().__init__("solo")

    def compose(self) -> ComposeResult:
        yield self.row("name", "Client name", text_input("e.g. Jane Smith"))
        yield self.row("email", "Email", text_input("invited to Solo at this address"))
        yield self.row("ni_number", "NI number", text_input("e.g. AB123456C"))
        yield self.row("postcode", "Postcode", text_input("e.g. SW1A 1AA"))
        yield self.row("practice_code", "Practice code", text_input("optional"))
        yield self.row("crn", "CRN", text_input("optional"))

    def values(self) -> dict[str, Any]:
        return {field: self.text(field) for field in self.FIELDS}

    def review(self, values: dict[str, Any]) -> list[tuple[str, str]]:
        labels = ("Client name", "Email", "NI number", "Postcode", "Practice code", "CRN")
        return [
            (label, shown(values[field])) for label, field in zip(labels, self.FIELDS, strict=True)
        ]


class SoloBusinessStep(WizardStep):
    TITLE = "Businesses"

    DEFAULT_CSS = """
    SoloBusinessStep .business { height: auto; margin-bottom: 1; }
    SoloBusinessStep #solo-business-buttons { margin-top: 0; }
    SoloBusinessStep .business-title { text-style: bold; }
    SoloBusinessStep #solo-business-buttons { height: 1; }
    SoloBusinessStep #solo-business-buttons Button { margin-right: 2; }
    """

    def __init__(self) -> None:
        super().__init__("solo")
        self.count = 1

    def compose(self) -> ComposeResult:
        yield self._business(1)
        with Horizontal(id="solo-business-buttons"):
            yield Button("Add another business", id="solo-add-business", compact=True)
            yield Button("Remove the last one", id="solo-remove-business", compact=True)
        yield Static("", id="solo-businesses-error", classes="wizard-error")

    def on_mount(self) -> None:
        self._show_buttons()

    def _business(self, number: int) -> Vertical:
        title = "Business" if number == 1 else f"Business {number}"
        return Vertical(
            Static(title, classes="business-title"),
            self.row(business_field("business_name", number), "Business name", text_input()),
            self.row(
                business_field("business_type", number),
                "Business type",
                pick_list(SOLO_BUSINESS_TYPE_LABELS),
            ),
            self.row(
                business_field("collection_method", number),
                "Collection method",
                pick_list(SOLO_COLLECTION_LABELS),
            ),
            id=f"solo-business-{number}",
            classes="business",
        )

    def _show_buttons(self) -> None:
        self.query_one("#solo-add-business").display = self.count < MAX_SOLO_BUSINESSES
        self.query_one("#solo-remove-business").display = self.count > 1

    @on(Button.Pressed, "#solo-add-business")
    async def add_business(self) -> None:
        if self.count >= MAX_SOLO_BUSINESSES:
            return
        self.count += 1
        business = self._business(self.count)
        await self.mount(business, before=self.query_one("#solo-business-buttons"))
        self._show_buttons()
        self.focus_field(business_field("business_name", self.count))

    @on(Button.Pressed, "#solo-remove-business")
    async def remove_business(self) -> None:
        if self.count <= 1:
            return
        await self.query_one(f"#solo-business-{self.count}").remove()
        self.count -= 1
        self._show_buttons()
        self.screen.set_focus(self.query_one("#solo-add-business"))

    def step_fields(self) -> tuple[str, ...]:
        return (
            "businesses",
            *(
                business_field(name, number)
                for number in range(1, self.count + 1)
                for name in ("business_name", "business_type", "collection_method")
            ),
        )

    def values(self) -> dict[str, Any]:
        return {
            "businesses": tuple(
                SoloBusinessDraft(
                    business_name=self.text(business_field("business_name", number)),
                    business_type=self.chosen(business_field("business_type", number)) or "",
                    collection_method=self.chosen(business_field("collection_method", number))
                    or "",
                )
                for number in range(1, self.count + 1)
            )
        }

    def has_input(self) -> bool:
        return super().has_input() or any(
            self.chosen(business_field(name, 1)) is not None
            for name in ("business_type", "collection_method")
        )

    def review(self, values: dict[str, Any]) -> list[tuple[str, str]]:
        lines = []
        for number in range(1, self.count + 1):
            title = "Business" if number == 1 else f"Business {number}"
            name = shown(values.get(business_field("business_name", number)))
            kind = shown(
                values.get(business_field("business_type", number)), SOLO_BUSINESS_TYPE_LABELS
            )
            method = shown(
                values.get(business_field("collection_method", number)), SOLO_COLLECTION_LABELS
            )
            lines.append((title, f"{name} · {kind} · {method}"))
        return lines
