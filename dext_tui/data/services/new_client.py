"""Add Client (issue 7): a new client in Prepare, Precision or Solo, with what each product
asks for at the start, written in one transaction.

The wizard collects a *draft* per product, step by step. `check_fields` checks the
fields of one step (each rule per spec section 9, every error at once, a practice
code already in use named only to who may see its holder); `create_*_client`
checks everything again inside the write transaction, where it cannot race, and
writes the client, its product account, practice access, the first client user
and one `client.created` audit event together, or nothing.

Choices made where the issue is silent:
- Connecting Prepare to Xero or Sage "now" records the software on the account
  with the integration still `unintegrated`: the connection itself is made when
  the client authorises it in Dext, so claiming `connected` would be untrue.
- Precision's organisation name is the client's name (a Precision client is the
  organisation in its accounting software); its status starts `active`.
- Solo's status starts `invited`: the sole trader is invited to the app by the
  email given. Prepare's is `invited` when its first user is invited, else `active`.
- The National Insurance number and postcode are required for Solo (the issue
  marks only the practice code optional); a CRN is optional everywhere.
- Choosing colleagues is changing practice access, which only practice admins and
  client admins may do (practice_access.py); a standard user allowed to add
  clients gets access to the new client themselves and chooses no one else.
- An account manager who is a standard colleague is given access to the client
  with the account-manager toggle (the Practice Access pages show it); an admin
  sees every client by role and gets the toggle alone.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from sqlalchemy import Engine, func, insert, select

from dext_tui.data.errors import InvalidInput, NotAllowed
from dext_tui.data.identity import Viewer, reread_viewer
from dext_tui.data.models import ClientUser, SoloBusiness, TeamMember
from dext_tui.data.roles import Action, may_change_access_of, refusal, require, sees_every_client
from dext_tui.data.services import fields as rules
from dext_tui.data.services.access_grants import colleagues, turn_on_access, unavailable
from dext_tui.data.services.client_changes import update_account
from dext_tui.data.services.clients import insert_client, refusal_to_add
from dext_tui.data.services.practice_access import member_label
from dext_tui.data.services.practice_codes import practice_code_clash
from dext_tui.data.services.writing import ChangeResult, Clock, Writer, utc_now, writing
from dext_tui.data.subscription import products_of
from dext_tui.data.validation import (
    ValidationError,
    normalize_client_name,
    normalize_crn,
    normalize_ni_number,
    normalize_postcode,
    normalize_practice_code,
)
from dext_tui.data.vocab import (
    INTEGRATION_SOFTWARE,
    PRECISION_SOFTWARE_LABELS,
    PRECISION_VISIBILITY_LABELS,
    PRODUCT_LABELS,
    PRODUCTS,
)

INDUSTRY_MAX_LENGTH = 100
PERSON_NAME_MAX_LENGTH = 200
BUSINESS_NAME_MAX_LENGTH = 300
MAX_SOLO_BUSINESSES = 5
# Prepare connects to these now; any other software is connected later, from Dext.
CONNECT_NOW = {"xero": "Xero", "sage": "Sage"}
CONNECT_CHOICES = {**CONNECT_NOW, "later": "Later"}
SOLO_BUSINESS_TYPE_LABELS = {"self_employment": "Self-employment", "uk_property": "UK property"}
SOLO_COLLECTION_LABELS = {"costs_sales": "Costs and sales", "bank": "Bank"}


# -- what the wizard may offer ------------------------------------------------------
@dataclass(frozen=True)
class TeamChoice:
    """A colleague the wizard can give access to, or make an account manager."""

    team_member_id: int
    name: str
    email: str
    role: str

    @property
    def label(self) -> str:
        return member_label(self.name, self.email)

    @property
    def by_role(self) -> bool:
        """An admin sees every client by role: access is not theirs to be given."""
        return sees_every_client(self.role)


@dataclass(frozen=True)
class AddClientChoices:
    why_not: str | None  # why the viewer cannot add any client now; None when they can
    products: dict[str, str | None]  # product -> why it cannot be chosen (None: it can)
    colleagues: tuple[TeamChoice, ...]  # active team members, the viewer included
    why_no_team_choice: str | None  # why the viewer may not choose colleagues

    @property
    def choosable(self) -> list[str]:
        return [product for product, why in self.products.items() if why is None]


def load_add_client_choices(engine: Engine, viewer: Viewer) -> AddClientChoices:
    with engine.connect() as connection:
        subscribed = products_of(connection, viewer.practice_id)
        fresh = reread_viewer(connection, viewer)
        why_not = refusal_to_add(connection, fresh, ()) if fresh else _inactive(viewer)
        products = {
            product: None
            if product in subscribed
            else f"Not in the practice's subscription: ask Dext to add {PRODUCT_LABELS[product]}."
            for product in PRODUCTS
        }
        member = TeamMember.__table__
        colleagues = tuple(
            TeamChoice(*row)
            for row in connection.execute(
                select(member.c.id, member.c.name, member.c.email, member.c.role)
                .where(member.c.practice_id == viewer.practice_id, member.c.active)
                .order_by(func.lower(member.c.name), member.c.email, member.c.id)
            )
        )
    return AddClientChoices(
        why_not=why_not,
        products=products,
        colleagues=colleagues,
        why_no_team_choice=refusal(fresh or viewer, Action.PRACTICE_ACCESS),
    )


def _inactive(viewer: Viewer) -> str:
    return f"{viewer.email} is no longer an active team member."


# -- drafts: what the user typed, per product ----------------------------------------
# Each draft owns its rules: field -> (the value typed, the rule that normalises it).
Rules = dict[str, tuple[Any, Any]]


@dataclass(frozen=True)
class PrepareDraft:
    name: str = ""
    practice_code: str = ""
    crn: str = ""
    industry: str = ""
    connect: str = "later"  # xero | sage | later
    colleagues: tuple[int, ...] = ()  # standard colleagues who get bookkeeping access
    account_manager: int | None = None
    invite: bool = False
    invite_name: str = ""
    invite_email: str = ""

    product = "prepare"

    def field_rules(self) -> Rules:
        """Every field: (the value typed, the rule that normalises it), in the wizard's order."""
        return {
            "name": (self.name, _name),
            "practice_code": (self.practice_code, normalize_practice_code),
            "crn": (self.crn, normalize_crn),
            "industry": (
                self.industry,
                partial(
                    rules.text_line,
                    field="industry",
                    label="Industry",
                    max_length=INDUSTRY_MAX_LENGTH,
                ),
            ),
            "connect": (
                self.connect,
                partial(
                    rules.choice,
                    field="connect",
                    label="Connect accounting software",
                    allowed=CONNECT_CHOICES,
                    required=True,
                ),
            ),
            "colleagues": (
                self.colleagues,
                partial(_member_ids, field="colleagues", label="Colleagues"),
            ),
            "account_manager": (
                self.account_manager,
                partial(_optional_member, field="account_manager", label="Account manager"),
            ),
            **(self._invite_rules() if self.invite else {}),
        }

    def whole_draft_problem(self) -> ValidationError | None:
        """A rule over the draft as a whole, broken (none for this product)."""
        return None

    def _invite_rules(self) -> Rules:
        return {
            "invite_name": (
                self.invite_name,
                partial(
                    rules.text_line,
                    field="invite_name",
                    label="The user's name",
                    max_length=PERSON_NAME_MAX_LENGTH,
                    required=True,
                ),
            ),
            "invite_email": (
                self.invite_email,
                partial(_email, field="invite_email", label="The user's email"),
            ),
        }


@dataclass(frozen=True)
class PrecisionDraft:
    software: str = ""  # xero | quickbooks_online
    name: str = ""  # the organisation's name: the client's name
    crn: str = ""
    visibility: str = "whole_team"
    account_managers: tuple[int, ...] = ()

    product = "precision"

    def field_rules(self) -> Rules:
        """Every field: (the value typed, the rule that normalises it), in the wizard's order."""
        return {
            "software": (
                self.software,
                partial(
                    rules.choice,
                    field="software",
                    label="Accounting software",
                    allowed=PRECISION_SOFTWARE_LABELS,
                    required=True,
                ),
            ),
            "name": (self.name, partial(_name, label="Organisation name")),
            "crn": (self.crn, normalize_crn),
            "visibility": (
                self.visibility,
                partial(
                    rules.choice,
                    field="visibility",
                    label="Visibility",
                    allowed=PRECISION_VISIBILITY_LABELS,
                    required=True,
                ),
            ),
            "account_managers": (
                self.account_managers,
                partial(_member_ids, field="account_managers", label="Account managers"),
            ),
        }

    def whole_draft_problem(self) -> ValidationError | None:
        """A rule over the draft as a whole, broken (none for this product)."""
        return None


@dataclass(frozen=True)
class SoloBusinessDraft:
    business_name: str = ""
    business_type: str = ""  # self_employment | uk_property
    collection_method: str = ""  # costs_sales | bank


@dataclass(frozen=True)
class SoloDraft:
    name: str = ""
    email: str = ""
    ni_number: str = ""
    postcode: str = ""
    practice_code: str = ""
    crn: str = ""
    businesses: tuple[SoloBusinessDraft, ...] = field(default=(SoloBusinessDraft(),))

    product = "solo"

    def field_rules(self) -> Rules:
        """Every field: (the value typed, the rule that normalises it), in the wizard's order;
        each business's fields numbered (`business_name_2`)."""
        found: Rules = {
            "name": (self.name, _name),
            "email": (self.email, partial(_email, field="email", label="Email")),
            "ni_number": (self.ni_number, partial(_required, normalize_ni_number, "ni_number")),
            "postcode": (self.postcode, partial(_required, normalize_postcode, "postcode")),
            "practice_code": (self.practice_code, normalize_practice_code),
            "crn": (self.crn, normalize_crn),
        }
        for number, business in enumerate(self.businesses, start=1):
            found.update(_business_rules(business, number))
        return found

    def whole_draft_problem(self) -> ValidationError | None:
        """One business at least, and at most MAX_SOLO_BUSINESSES."""
        if not self.businesses:
            return ValidationError("businesses", "Add at least one business")
        if len(self.businesses) > MAX_SOLO_BUSINESSES:
            return ValidationError(
                "businesses", f"A Solo client has at most {MAX_SOLO_BUSINESSES} businesses"
            )
        return None


Draft = PrepareDraft | PrecisionDraft | SoloDraft


def business_field(name: str, number: int) -> str:
    """The field name of business `number` (1 for the first): `business_name_2`."""
    return f"{name}_{number}"


def _member_ids(value: Any, field: str, label: str) -> tuple[int, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise ValidationError(field, f"{label} must be a list of colleagues, not {value!r}")
    ids = tuple(dict.fromkeys(value))
    if any(isinstance(i, bool) or not isinstance(i, int) for i in ids):
        raise ValidationError(field, f"{label} must be colleagues (team member ids)")
    return ids


def _optional_member(value: Any, field: str, label: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(field, f"{label} must be a colleague, not {value!r}")
    return value


def _name(value: str, label: str = "Client name") -> str:
    try:
        return normalize_client_name(value)
    except ValidationError as error:
        raise ValidationError("name", error.message.replace("Client name", label)) from None


def _business_rules(business: SoloBusinessDraft, number: int) -> Rules:
    which = "Business" if number == 1 else f"Business {number}"
    name_field = business_field("business_name", number)
    type_field = business_field("business_type", number)
    method_field = business_field("collection_method", number)
    return {
        name_field: (
            business.business_name,
            partial(
                rules.text_line,
                field=name_field,
                label=f"{which} name",
                max_length=BUSINESS_NAME_MAX_LENGTH,
                required=True,
            ),
        ),
        type_field: (
            business.business_type,
            partial(
                rules.choice,
                field=type_field,
                label=f"{which} type",
                allowed=SOLO_BUSINESS_TYPE_LABELS,
                required=True,
            ),
        ),
        method_field: (
            business.collection_method,
            partial(
                rules.choice,
                field=method_field,
                label=f"{which} collection method",
                allowed=SOLO_COLLECTION_LABELS,
                required=True,
            ),
        ),
    }


def _email(value: str, field: str, label: str) -> str:
    try:
        return rules.email(value, field)
    except ValidationError as error:
        raise ValidationError(field, error.message.replace("Email", label, 1)) from None


_REQUIRED_LABELS = {"ni_number": "National Insurance number", "postcode": "Postcode"}


def _required(normalise: Any, field: str, value: str) -> str:
    normalised = normalise(value)
    if normalised is None:
        raise ValidationError(field, f"{_REQUIRED_LABELS[field]} is required")
    return normalised


def validate_fields(draft: Draft, fields: Collection[str] | None = None) -> dict[str, Any]:
    """The draft's `fields` (all when None) normalised; InvalidInput naming every field
    that breaks a rule, in the order the wizard shows them. No database needed."""
    wanted = draft.field_rules()
    if fields is not None:
        wanted = {name: rule for name, rule in wanted.items() if name in fields}
    values = rules.collect(wanted, unchanged=object())
    if fields is None or "businesses" in fields:
        if problem := draft.whole_draft_problem():
            raise InvalidInput([problem])
    return values


def check_fields(
    engine: Engine, viewer: Viewer, draft: Draft, fields: Collection[str] | None = None
) -> dict[str, Any]:
    """`validate_fields`, and the practice code free in the practice (when among `fields`):
    what the wizard runs at each Next, so a step is left only with good values."""
    try:
        values = validate_fields(draft, fields)
        errors: list[ValidationError] = []
    except InvalidInput as invalid:
        values, errors = {}, list(invalid.errors)
    code = values.get("practice_code")
    if code is None and (fields is None or "practice_code" in fields):
        try:  # checked even when other fields are wrong: every problem at once
            code = normalize_practice_code(getattr(draft, "practice_code", None))
        except ValidationError:
            code = None
    if code:
        with engine.connect() as connection:
            clash = practice_code_clash(connection, viewer, code, 0)
        if clash:
            errors.append(clash)
    if errors:
        order = list(draft.field_rules())
        errors.sort(key=lambda e: order.index(e.field) if e.field in order else len(order))
        raise InvalidInput(errors)
    return values


# -- writing --------------------------------------------------------------------------
def _team(writer: Writer, ids: Iterable[int], field: str, label: str) -> dict[int, Any]:
    """Each colleague in `ids` as stored: active, of this practice, and one the viewer
    may give access to; every problem at once."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return {}
    require(writer.viewer, Action.PRACTICE_ACCESS)
    found = colleagues(writer, wanted)
    problems = [
        problem
        for member_id in wanted
        if (problem := unavailable(found.get(member_id), member_id)) is not None
    ]
    if problems:
        raise InvalidInput([ValidationError(field, f"{label}: {'; '.join(problems)}")])
    for member in found.values():
        if not may_change_access_of(writer.viewer, member.role):
            raise NotAllowed(
                f"Only a practice admin can give a practice admin a role on a client "
                f"({member.name})."
            )
    return found


def add_first_user(writer: Writer, client_id: int, name: str, email: str) -> None:
    """The client's first user: its owner, a business admin (client_users.py's rule)."""
    writer.connection.execute(
        insert(ClientUser.__table__).values(
            client_id=client_id,
            name=name,
            email=email,
            role="business_admin",
            active=True,
            is_owner=True,
        )
    )


def _labels(members: Mapping[int, Any], ids: Iterable[int]) -> list[str]:
    return [member_label(members[i].name, members[i].email) for i in ids]


def create_prepare_client(
    engine: Engine, viewer: Viewer, draft: PrepareDraft, *, clock: Clock = utc_now
) -> ChangeResult:
    """A Prepare client: `invited` when its first user is invited now, else `active`."""
    values = validate_fields(draft)
    status = "invited" if draft.invite else "active"
    with writing(engine, viewer, clock) as writer:
        client_id = insert_client(writer, values, {"prepare": status})
        manager = values["account_manager"]
        chosen = [*values["colleagues"], *([manager] if manager else [])]
        team = _team(writer, chosen, "colleagues", "Colleagues")
        software = values["connect"] if values["connect"] in CONNECT_NOW else None
        update_account(
            writer,
            "prepare",
            client_id,
            {
                "industry": values["industry"],
                "integration_software": software,
                "account_manager_id": manager,
            },
        )
        for member_id in values["colleagues"]:
            if not sees_every_client(team[member_id].role):
                turn_on_access(writer, member_id, client_id, {"bookkeeping": True})
        if manager is not None:
            by_role = sees_every_client(team[manager].role)
            toggles = (
                {"account_manager": True}
                if by_role
                else {
                    "bookkeeping": True,
                    "account_manager": True,
                }
            )
            turn_on_access(writer, manager, client_id, toggles)
        after: dict[str, Any] = {
            "name": values["name"],
            "practice_code": values["practice_code"],
            "crn": values["crn"],
            "products": {"prepare": status},
            "industry": values["industry"],
            "integration_software": software,
            "colleagues": _labels(team, values["colleagues"]),
            "account_manager": _labels(team, [manager])[0] if manager else None,
        }
        if draft.invite:
            add_first_user(writer, client_id, values["invite_name"], values["invite_email"])
            after["invited_user"] = member_label(values["invite_name"], values["invite_email"])
        writer.record(client_id, "client.created", {}, after, 1)
        return writer.result()


def create_precision_client(
    engine: Engine, viewer: Viewer, draft: PrecisionDraft, *, clock: Clock = utc_now
) -> ChangeResult:
    """A Precision client, its software connected, `active`, with its account managers."""
    values = validate_fields(draft)
    with writing(engine, viewer, clock) as writer:
        client_id = insert_client(writer, values, {"precision": "active"})
        managers = values["account_managers"]
        team = _team(writer, managers, "account_managers", "Account managers")
        update_account(
            writer,
            "precision",
            client_id,
            {"software": values["software"], "visibility": values["visibility"]},
        )
        for member_id in managers:
            by_role = sees_every_client(team[member_id].role)
            toggles = (
                {"account_manager": True}
                if by_role
                else {
                    "data_health": True,
                    "account_manager": True,
                }
            )
            turn_on_access(writer, member_id, client_id, toggles)
        after = {
            "name": values["name"],
            "crn": values["crn"],
            "products": {"precision": "active"},
            "software": values["software"],
            "visibility": values["visibility"],
            "account_managers": _labels(team, managers),
        }
        writer.record(client_id, "client.created", {}, after, 1)
        return writer.result()


def create_solo_client(
    engine: Engine, viewer: Viewer, draft: SoloDraft, *, clock: Clock = utc_now
) -> ChangeResult:
    """A Solo client, `invited` to the app by its email, with one business or more."""
    values = validate_fields(draft)
    businesses = [
        {
            "business_name": values[business_field("business_name", number)],
            "business_type": values[business_field("business_type", number)],
            "collection_method": values[business_field("collection_method", number)],
        }
        for number in range(1, len(draft.businesses) + 1)
    ]
    with writing(engine, viewer, clock) as writer:
        client_id = insert_client(writer, values, {"solo": "invited"})
        update_account(
            writer,
            "solo",
            client_id,
            {
                "email": values["email"],
                "crn": values["crn"],
                "practice_code": values["practice_code"],
                "ni_number": values["ni_number"],
                "postcode": values["postcode"],
                **businesses[0],
            },
        )
        for position, business in enumerate(businesses[1:], start=2):
            writer.connection.execute(
                insert(SoloBusiness.__table__).values(
                    client_id=client_id, position=position, **business
                )
            )
        after = {
            "name": values["name"],
            "email": values["email"],
            "practice_code": values["practice_code"],
            "crn": values["crn"],
            "ni_number": values["ni_number"],
            "postcode": values["postcode"],
            "products": {"solo": "invited"},
            "businesses": businesses,
        }
        writer.record(client_id, "client.created", {}, after, 1)
        return writer.result()


def create_from_draft(
    engine: Engine, viewer: Viewer, draft: Draft, *, clock: Clock = utc_now
) -> ChangeResult:
    """The creation service for the draft's product."""
    if isinstance(draft, PrepareDraft):
        return create_prepare_client(engine, viewer, draft, clock=clock)
    if isinstance(draft, PrecisionDraft):
        return create_precision_client(engine, viewer, draft, clock=clock)
    return create_solo_client(engine, viewer, draft, clock=clock)


# Labels for the review step and the pick-lists.
CHOICE_LABELS = {
    "connect": CONNECT_CHOICES,
    "software": PRECISION_SOFTWARE_LABELS,
    "visibility": PRECISION_VISIBILITY_LABELS,
    "business_type": SOLO_BUSINESS_TYPE_LABELS,
    "collection_method": SOLO_COLLECTION_LABELS,
    "integration_software": INTEGRATION_SOFTWARE,
}
