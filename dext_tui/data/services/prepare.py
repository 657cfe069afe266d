"""Prepare System Settings (spec section 7): the business, its locale and its tax settings.

The practice code here is the client's own (the one the list shows), so it is
unique within the practice like everywhere else; every other field lives on
the client's Prepare account. Only a client with a Prepare account has them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy import Connection, Engine, Row
from sqlalchemy.exc import IntegrityError

from dext_tui.data.choices import COUNTRIES, CURRENCIES, LANGUAGES
from dext_tui.data.errors import InvalidInput
from dext_tui.data.services import fields
from dext_tui.data.services.client_changes import (
    changing_client,
    commit_change,
    product_account,
    read_client,
    update_account,
)
from dext_tui.data.services.clients import UNCHANGED
from dext_tui.data.services.practice_codes import practice_code_clash
from dext_tui.data.services.writing import ChangeResult, Clock, Writer, utc_now
from dext_tui.data.validation import ValidationError, normalize_practice_code, practice_code_key
from dext_tui.data.viewer import Viewer
from dext_tui.data.vocab import VAT_CYCLE_LABELS

BUSINESS_NAME_MAX_LENGTH = 300
INDUSTRY_MAX_LENGTH = 100
ADDRESS_MAX_LENGTH = 1000
# The Prepare account's own columns, in the order the page shows them.
ACCOUNT_FIELDS = (
    "business_name",
    "country",
    "base_currency",
    "language",
    "industry",
    "registered_address",
    "vat_number",
    "vat_cycle",
    "first_reporting_month",
    "extract_tax",
)


@dataclass(frozen=True)
class PrepareSettings:
    """What the System Settings page shows; `version` is the client's, to save against."""

    client_id: int
    client_name: str
    version: int
    status: str
    practice_code: str | None
    business_name: str | None
    country: str | None
    base_currency: str | None
    language: str | None
    industry: str | None
    registered_address: str | None
    vat_number: str | None
    vat_cycle: str | None
    first_reporting_month: int | None
    extract_tax: bool


def _account_values(account: Row) -> dict[str, Any]:
    values = {name: getattr(account, name) for name in ACCOUNT_FIELDS}
    values["extract_tax"] = bool(values["extract_tax"])  # SQLite hands back 0 or 1
    return values


def load_prepare_settings(engine: Engine, viewer: Viewer, client_id: int) -> PrepareSettings:
    """The client's Prepare settings; ClientNotFound out of scope, NotAllowed without Prepare."""

    def read(connection: Connection, client: Row) -> PrepareSettings:
        account = product_account(connection, client, "prepare", ", ".join(ACCOUNT_FIELDS))
        return PrepareSettings(
            client_id=client.id,
            client_name=client.name,
            version=client.version,
            status=account.status,
            practice_code=client.practice_code,
            **_account_values(account),
        )

    return read_client(engine, viewer, client_id, read)


def _rules(given: dict[str, Any]) -> dict:
    rules = {
        "business_name": partial(
            fields.text_line,
            field="business_name",
            label="Business name",
            max_length=BUSINESS_NAME_MAX_LENGTH,
        ),
        "practice_code": normalize_practice_code,
        "country": partial(fields.choice, field="country", label="Country", allowed=COUNTRIES),
        "base_currency": partial(
            fields.choice, field="base_currency", label="Base currency", allowed=CURRENCIES
        ),
        "language": partial(fields.choice, field="language", label="Language", allowed=LANGUAGES),
        "industry": partial(
            fields.text_line, field="industry", label="Industry", max_length=INDUSTRY_MAX_LENGTH
        ),
        "registered_address": partial(
            fields.text_lines,
            field="registered_address",
            label="Registered address",
            max_length=ADDRESS_MAX_LENGTH,
        ),
        "vat_number": fields.vat_number,
        "vat_cycle": partial(
            fields.choice, field="vat_cycle", label="VAT reporting cycle", allowed=VAT_CYCLE_LABELS
        ),
        "first_reporting_month": partial(
            fields.month, field="first_reporting_month", label="First reporting month"
        ),
        "extract_tax": partial(fields.on_off, field="extract_tax", label="Extract tax"),
    }
    return {name: (value, rules[name]) for name, value in given.items()}


def update_prepare_settings(
    engine: Engine,
    viewer: Viewer,
    client_id: int,
    *,
    version: int,
    business_name: Any = UNCHANGED,
    practice_code: Any = UNCHANGED,
    country: Any = UNCHANGED,
    base_currency: Any = UNCHANGED,
    language: Any = UNCHANGED,
    industry: Any = UNCHANGED,
    registered_address: Any = UNCHANGED,
    vat_number: Any = UNCHANGED,
    vat_cycle: Any = UNCHANGED,
    first_reporting_month: Any = UNCHANGED,
    extract_tax: Any = UNCHANGED,
    clock: Clock = utc_now,
) -> ChangeResult:
    """Change the fields given (an empty text or choice clears it); one
    `prepare.settings_updated` event with the fields that changed, if any did."""
    values = fields.collect(
        _rules(
            {
                "business_name": business_name,
                "practice_code": practice_code,
                "country": country,
                "base_currency": base_currency,
                "language": language,
                "industry": industry,
                "registered_address": registered_address,
                "vat_number": vat_number,
                "vat_cycle": vat_cycle,
                "first_reporting_month": first_reporting_month,
                "extract_tax": extract_tax,
            }
        ),
        UNCHANGED,
    )
    with changing_client(engine, viewer, client_id, version, clock) as (writer, client):
        account = product_account(writer.connection, client, "prepare", ", ".join(ACCOUNT_FIELDS))
        stored = {**_account_values(account), "practice_code": client.practice_code}
        changed = {name: value for name, value in values.items() if stored[name] != value}
        if changed:
            _write_settings(writer, client, stored, changed)
        return writer.result()


def _write_settings(writer: Writer, client: Any, stored: dict, changed: dict) -> None:
    """The changed fields written to the account and the client, with one audit event."""
    client_columns = _code_columns(writer, client, changed)
    account_columns = {name: value for name, value in changed.items() if name in ACCOUNT_FIELDS}
    if account_columns:
        update_account(writer, "prepare", client.id, account_columns)
    before = {name: stored[name] for name in changed}
    try:
        commit_change(writer, client, "prepare.settings_updated", before, changed, client_columns)
    except IntegrityError:  # the unique index caught a code taken past the change lock
        code = changed.get("practice_code")
        raise InvalidInput(
            [ValidationError("practice_code", f"Practice code {code} is already in use")]
        ) from None


def _code_columns(writer: Writer, client: Any, changed: dict) -> dict:
    """The client's practice code columns when the code changed; refused if it is taken."""
    if "practice_code" not in changed:
        return {}
    code = changed["practice_code"]
    clash = practice_code_clash(writer.connection, writer.viewer, code, client.id)
    if clash:
        raise InvalidInput([clash])
    return {"practice_code": code, "practice_code_key": practice_code_key(code)}
