"""Add Client (issue 7): product, the product's own steps, a duplicate warning, review.

Each Next checks the step through the services in a worker (every rule named
under its field, the cursor on the first bad one); the last product step also
looks for clients that may be the same one. Create writes everything in one
transaction; a refusal keeps the wizard open with everything typed, on the step
whose field is in question. Escape asks before throwing typed input away.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, ContentSwitcher, Input, Label, OptionList, Static
from textual.worker import get_current_worker

from dext_tui.commands import HELP, Command, CommandScreen
from dext_tui.data.duplicates import Duplicate, NameKeys, find_duplicates, load_name_keys
from dext_tui.data.errors import InvalidInput, ServiceError
from dext_tui.data.services.new_client import (
    AddClientChoices,
    Draft,
    PrecisionDraft,
    PrepareDraft,
    SoloDraft,
    check_fields,
    create_from_draft,
    load_add_client_choices,
    validate_fields,
)
from dext_tui.data.services.writing import ChangeResult
from dext_tui.data.validation import ValidationError, normalize_crn, normalize_practice_code
from dext_tui.data.viewer import Viewer
from dext_tui.data.vocab import PRODUCT_LABELS
from dext_tui.key_gate import hold_keys, release_keys
from dext_tui.screens.add_client.duplicate_warning import DuplicateWarningScreen
from dext_tui.screens.add_client.form import WizardStep
from dext_tui.screens.add_client.outcome import AddClientOutcome
from dext_tui.screens.add_client.precision_steps import (
    PrecisionOrganisationStep,
    PrecisionTeamStep,
)
from dext_tui.screens.add_client.prepare_steps import PrepareClientStep, PrepareTeamStep
from dext_tui.screens.add_client.product_step import ProductStep
from dext_tui.screens.add_client.review_step import ReviewStep
from dext_tui.screens.add_client.solo_steps import SoloBusinessStep, SoloPersonStep
from dext_tui.screens.dialogs.confirm import ConfirmScreen
from dext_tui.screens.worker_failures import OnFailure, ReportsWorkerFailures, background
from dext_tui.widgets.body_scroll import BodyScroll
from dext_tui.widgets.key_footer import KeyFooter
from dext_tui.widgets.safe_text import printable
from dext_tui.widgets.step_indicator import StepIndicator

PRODUCT_STEPS: dict[str, tuple[type[WizardStep], ...]] = {
    "prepare": (PrepareClientStep, PrepareTeamStep),
    "precision": (PrecisionOrganisationStep, PrecisionTeamStep),
    "solo": (SoloPersonStep, SoloBusinessStep),
}
DRAFTS: dict[str, type[PrepareDraft] | type[PrecisionDraft] | type[SoloDraft]] = {
    "prepare": PrepareDraft,
    "precision": PrecisionDraft,
    "solo": SoloDraft,
}

WIZARD_COMMANDS = (
    Command("next", "ctrl+n", "Next", "Check this step and go on to the next"),
    Command("back", "ctrl+o", "Back", "The previous step (what you typed is kept)"),
    Command("create", "ctrl+s,f2", "Create", "Create the client (on the review step)"),
    Command("retry", "ctrl+r", "Retry", "Read the practice's products and team again"),
    Command("cancel", "escape", "Cancel", "Leave without adding (asks first if you typed)"),
    HELP,
)


class AddClientScreen(ReportsWorkerFailures, CommandScreen, Screen[AddClientOutcome | None]):
    """The wizard; dismissed with an AddClientOutcome, or None when cancelled."""

    COMMANDS_LIST = WIZARD_COMMANDS
    BINDING_GROUP_TITLE = "Add client"

    DEFAULT_CSS = """
    AddClientScreen #add-header { height: 1; background: $panel; }
    AddClientScreen #add-title { width: auto; text-style: bold; padding: 0 1; }
    AddClientScreen #add-body { height: 1fr; padding: 1 1 0 1; }
    AddClientScreen #add-steps { height: auto; }
    AddClientScreen #add-status { height: auto; max-height: 3; padding: 0 1; color: $text-warning; }
    AddClientScreen #add-buttons { height: 1; padding: 0 1; margin-bottom: 1; }
    AddClientScreen #add-buttons Button { margin-right: 2; width: auto; min-width: 8; }
    """

    @dataclass
    class ChoicesLoaded(Message):
        choices: AddClientChoices

    @dataclass
    class NamesLoaded(Message):
        names: NameKeys

    @dataclass
    class StepChecked(Message):
        token: int  # which Next this answers
        errors: tuple[ValidationError, ...]
        duplicates: list[Duplicate]

    @dataclass
    class Created(Message):
        result: ChangeResult

    @dataclass
    class Refused(Message):
        error: ServiceError

    def __init__(self, engine: Engine, viewer: Viewer) -> None:
        super().__init__()
        self.engine = engine
        self.viewer = viewer
        self.choices: AddClientChoices | None = None
        self.product: str | None = None
        self.index = 0  # the step shown, in `steps()`
        self.names: NameKeys | None = None
        self._names_lock = threading.Lock()
        self._token = 0  # bumped by each Next, so a late answer to an earlier one is dropped
        self.busy: str | None = None  # "opening", "checking" or "creating", as in upload_codes
        self._load_failed = False

    # -- layout ------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Horizontal(id="add-header"):
            yield Label("Add client", id="add-title")
            yield StepIndicator(id="add-step")
        with BodyScroll(id="add-body"):
            with ContentSwitcher(id="add-steps", initial="step-product-productstep"):
                yield ProductStep()  # a product's own steps are mounted once it is chosen
        yield Static("", id="add-status")
        with Horizontal(id="add-buttons"):
            yield Button("Back to the list", id="add-back", compact=True)
            yield Button("Next", id="add-next", variant="primary", compact=True)
            yield Button("Create", id="add-create", variant="success", compact=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self._say("Reading the practice's products and team…")
        self.load_choices()
        self.load_names()
        self._show_step()

    def steps(self) -> list[WizardStep]:
        """The steps of the chosen product, in order (just the first before one is chosen)."""
        found: list[WizardStep] = [self.query_one(ProductStep)]
        if self.product:
            for step_type in PRODUCT_STEPS[self.product]:
                found.append(
                    self.query_one(f"#step-{self.product}-{step_type.__name__.lower()}", WizardStep)
                )
            found.append(self.query_one(f"#step-{self.product}-reviewstep", WizardStep))
        return found

    @property
    def step(self) -> WizardStep:
        return self.steps()[self.index]

    def _total(self) -> int:
        return 2 + len(PRODUCT_STEPS[self.product or "prepare"])

    def _show_step(self) -> None:
        step = self.step
        self.query_one(ContentSwitcher).current = step.id
        title = step.TITLE
        if self.product and self.index:
            title = f"{PRODUCT_LABELS[self.product]} · {title}"
        self.query_one(StepIndicator).show_step(self.index + 1, self._total(), title)
        on_review = isinstance(step, ReviewStep)
        refused = bool(self.choices and self.choices.why_not)
        self.query_one("#add-back", Button).label = "Back" if self.index else "Back to the list"
        self.query_one("#add-next", Button).display = not on_review and not refused
        self.query_one("#add-create", Button).display = on_review
        if on_review:
            self._show_review(step)  # type: ignore[arg-type]
        self.query_one("#add-body", BodyScroll).scroll_home(animate=False)
        target = step.first_focus() if not on_review else self.query_one("#add-create", Button)
        if target is not None:
            self.set_focus(target)
        self.refresh_bindings()

    def _show_review(self, review: ReviewStep) -> None:
        typed: dict[str, Any] = {}
        for step in self.steps()[1:-1]:
            typed.update(step.values())
        try:  # every step was checked on the way here: shown as it will be stored
            values = {**typed, **validate_fields(self._draft())}
        except InvalidInput:
            values = typed
        lines: list[tuple[str, str]] = []
        for step in self.steps()[1:-1]:
            lines += step.review(values)
        assert self.product
        review.show(PRODUCT_LABELS[self.product], lines)

    def show_failure(self, text: str) -> None:
        self._say(text)

    def _say(self, text: str) -> None:
        self.query_one("#add-status", Static).update(Content(printable(text)))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        on_review = self.product is not None and self.index == len(self.steps()) - 1
        if action == "create":
            return on_review
        if action == "next":
            return not on_review and not (self.choices and self.choices.why_not)
        if action == "back":
            return self.index > 0
        if action == "retry":
            return self._load_failed
        return True

    # -- loading --------------------------------------------------------------------------
    def _idle(self) -> None:
        self.busy = None

    def _choices_unread(self) -> None:
        self.busy = None
        self._load_failed = True
        self.refresh_bindings()

    @background(
        OnFailure(
            "Could not read the practice's products: {reason}. Press ctrl+r to retry.",
            reset=_choices_unread,
        ),
        group="add-load",
        exclusive=True,
    )
    def load_choices(self) -> None:
        self.post_message(self.ChoicesLoaded(load_add_client_choices(self.engine, self.viewer)))

    def _names_unread(self) -> None:
        self.busy = None
        self.names = None  # each check then reads the names itself

    @background(OnFailure(None, reset=_names_unread), group="add-names", exclusive=True)
    def load_names(self) -> None:
        with self._names_lock:
            names = load_name_keys(self.engine, self.viewer)
        if not get_current_worker().is_cancelled:
            self.post_message(self.NamesLoaded(names))

    def on_add_client_screen_choices_loaded(self, message: ChoicesLoaded) -> None:
        self.choices = message.choices
        self._load_failed = False
        self.query_one(ProductStep).show_choices(message.choices)
        for step in self.query(PrepareTeamStep):
            step.show_choices(message.choices)
        for step in self.query(PrecisionTeamStep):
            step.show_choices(message.choices)
        self._say("")  # a refusal is said on the product step itself
        self._show_step()

    def on_add_client_screen_names_loaded(self, message: NamesLoaded) -> None:
        self.names = message.names

    def action_retry(self) -> None:
        self._say("Reading the practice's products and team…")
        self.load_choices()

    # -- moving between steps --------------------------------------------------------------
    async def action_next(self) -> None:
        if self.busy is not None or (self.choices and self.choices.why_not):
            return
        if self.index == 0:
            await self._choose_product()
            return
        step = self.step
        if isinstance(step, ReviewStep):
            self.action_create()
            return
        for each in self.steps():
            each.clear_errors()
        self._token += 1
        self.busy = "checking"
        self._say("Checking…")
        last = self.index == len(self.steps()) - 2
        self.check_step(self._token, self._draft(), step.step_fields(), last)

    async def _choose_product(self) -> None:
        if self.choices is None:
            self._say("Still reading the practice's products…")
            return
        product = self.query_one(ProductStep).highlighted_product()
        if product is None:
            self._say("Choose a product the practice subscribes to.")
            return
        if not self.query(f"#step-{product}-reviewstep"):
            await self._mount_steps(product)
        self.product = product  # another product's typing stays on its own steps
        self.index = 1
        self._say("")
        self._show_step()

    async def _mount_steps(self, product: str) -> None:
        """The product's steps, made when first chosen rather than all three products' at
        opening (two thirds of the time the wizard took to open). What is typed meanwhile
        waits for the first field (key_gate.py)."""
        steps: list[WizardStep] = [step_type() for step_type in PRODUCT_STEPS[product]]
        steps.append(ReviewStep(product))
        for step in steps:
            step.display = False  # the switcher shows only its current child
        self.busy = "opening"
        hold_keys(self.app)
        try:
            await self.query_one(ContentSwitcher).mount_all(steps)
        finally:
            self.busy = None
            release_keys(self.app)
        for step in steps:
            if self.choices and isinstance(step, PrepareTeamStep | PrecisionTeamStep):
                step.show_choices(self.choices)

    @on(OptionList.OptionSelected, "#product-options")
    async def product_selected(self) -> None:
        await self.action_next()

    def action_back(self) -> None:
        if self.index == 0 or self.busy is not None:
            return
        self._token += 1  # a Next still being checked no longer moves on
        self.index -= 1
        self._say("")
        self._show_step()

    def _draft(self) -> Draft:
        assert self.product
        values: dict[str, Any] = {}
        for step in self.steps()[1:-1]:
            values.update(step.values())
        return DRAFTS[self.product](**values)

    @background(
        OnFailure("Could not check this step: {reason}. Press ctrl+n to try again.", reset=_idle),
        group="add-check",
        exclusive=True,
    )
    def check_step(self, token: int, draft: Draft, fields: tuple[str, ...], last: bool) -> None:
        try:
            check_fields(self.engine, self.viewer, draft, fields)
        except InvalidInput as invalid:
            self.post_message(self.StepChecked(token, invalid.errors, []))
            return
        duplicates: list[Duplicate] = []
        if last:
            with self._names_lock:
                duplicates = find_duplicates(
                    self.engine,
                    self.viewer,
                    name=draft.name,
                    crn=_normalised_or_none("crn", draft),
                    practice_code=_normalised_or_none("practice_code", draft),
                    names=self.names,
                )
        self.post_message(self.StepChecked(token, (), duplicates))

    def on_add_client_screen_step_checked(self, message: StepChecked) -> None:
        if message.token != self._token:
            return  # the user moved on meanwhile
        self.busy = None
        if message.errors:
            self._show_errors(message.errors)
            return
        self._say("")
        if message.duplicates:
            self.app.push_screen(
                DuplicateWarningScreen(self._draft().name, message.duplicates),
                self._after_duplicate_warning,
            )
            return
        self._advance()

    def _after_duplicate_warning(self, choice: int | str | None) -> None:
        if choice == "go_on":
            self._advance()
        elif isinstance(choice, int):
            self.dismiss(AddClientOutcome(client_id=choice, created=False))

    def _advance(self) -> None:
        self.index += 1
        self._show_step()

    def _show_errors(self, errors: tuple[ValidationError, ...]) -> None:
        """Each error under its field, on the first step that has one; cursor on it."""
        for number, step in enumerate(self.steps()[1:-1], start=1):
            mine = [e for e in errors if e.field in step.step_fields()]
            if not mine:
                continue
            if number != self.index:
                self.index = number
                self._show_step()
            first = step.show_errors(mine)
            if first:
                step.focus_field(first)
            break
        count = len(errors)
        self._say(
            f"{count} field{'s' if count > 1 else ''} to put right, each says what it needs."
            if count > 1
            else "1 field to put right: " + errors[0].message
        )

    # -- creating ----------------------------------------------------------------------------
    def action_create(self) -> None:
        if not isinstance(self.step, ReviewStep) or self.busy is not None:
            return
        self.busy = "creating"
        self._say("Creating…")
        self.create(self._draft())

    @background(
        OnFailure("Nothing was saved: {reason}. Press ctrl+s or f2 to try again.", reset=_idle),
        group="add-create",
        exclusive=True,
    )
    def create(self, draft: Draft) -> None:
        try:
            result = create_from_draft(self.engine, self.viewer, draft)
        except ServiceError as error:
            self.post_message(self.Refused(error))
            return
        self.post_message(self.Created(result))

    def on_add_client_screen_created(self, message: Created) -> None:
        self.busy = None
        (client_id,) = message.result.client_ids
        self.dismiss(AddClientOutcome(client_id=client_id, created=True, result=message.result))

    def on_add_client_screen_refused(self, message: Refused) -> None:
        self.busy = None
        if isinstance(message.error, InvalidInput):
            self._show_errors(message.error.errors)
            self._say("Nothing was saved: " + message.error.message)
        else:
            self._say("Nothing was saved: " + message.error.message)

    # -- leaving -------------------------------------------------------------------------------
    def action_cancel(self) -> None:
        if not any(step.has_input() for step in self.query(WizardStep)):
            self.dismiss(None)
            return
        self.app.push_screen(
            ConfirmScreen(
                "Discard this new client?",
                "What you typed in the Add Client steps has not been saved and will be lost.",
                "Discard",
            ),
            lambda discard: self.dismiss(None) if discard else None,
        )

    @on(Button.Pressed, "#add-back")
    def back_pressed(self) -> None:
        if self.index == 0:
            self.action_cancel()
        else:
            self.action_back()

    @on(Input.Submitted)
    async def field_submitted(self) -> None:
        """Enter in a text field: Next, as enter saves on the app's other forms."""
        await self.action_next()

    @on(Button.Pressed, "#add-next")
    async def next_pressed(self) -> None:
        await self.action_next()

    @on(Button.Pressed, "#add-create")
    def create_pressed(self) -> None:
        self.action_create()


def _normalised_or_none(field: str, draft: Draft) -> str | None:
    """The draft's CRN or practice code as stored; None when empty or not valid."""
    value = getattr(draft, field, "")
    try:
        return normalize_crn(value) if field == "crn" else normalize_practice_code(value)
    except ValidationError:
        return None
