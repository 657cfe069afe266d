"""The demo practice's rows: clients and their product accounts, client users,
practice access, and pending Precision source clients."""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import Table

from dext_tui.data.models import (
    Client,
    ClientUser,
    PracticeAccess,
    PrecisionAccount,
    PrepareAccount,
    SoloAccount,
)
from dext_tui.data.seed.names import NameMaker, name_variant
from dext_tui.data.seed.plan import ForcedProfile, SourceTargets
from dext_tui.data.seed.team import DEMO_TEAM
from dext_tui.data.seed.words import (
    CLIENT_STATE_ODDS,
    CLIENT_USERS_SHARE,
    COMPANY_PRECISION,
    COMPANY_PREPARE,
    COMPANY_SOLO,
    CREATED_SPAN,
    DAY_SECONDS,
    INDUSTRIES,
    INTEGRATION_ODDS,
    INTEGRATION_SOFTWARE_WEIGHTED,
    NI_PREFIXES,
    PLACES,
    POSTCODE_INWARD_LETTERS,
    POSTCODE_OUTWARDS,
    PRACTICE_ID,
    PRECISION_SOFTWARE_WEIGHTED,
    RARE_CRN_PREFIXES,
    SOLE_TRADER_MAIL_DOMAINS,
    SOLE_TRADER_PRECISION,
    SOLE_TRADER_PREPARE,
    SOLE_TRADER_SHARE,
    SOLE_TRADER_SOLO,
    STREETS,
    Row,
    pick_by_odds,
)
from dext_tui.data.validation import practice_code_key, sort_key

LEGAL_SUFFIX = re.compile(r"\s+(?:ltd\.?|limited|llp|plc)$", re.IGNORECASE)


@lru_cache(maxsize=65_536)
def _slug(words: str) -> str:
    """ASCII letters and digits only, for the local part and domain of demo emails."""
    ascii_text = unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "", ascii_text.lower()) or "client"


@dataclass
class ChunkRows:
    clients: list[Row] = field(default_factory=list)
    prepare: list[Row] = field(default_factory=list)
    precision: list[Row] = field(default_factory=list)
    solo: list[Row] = field(default_factory=list)
    client_users: list[Row] = field(default_factory=list)
    access: list[Row] = field(default_factory=list)

    def in_insert_order(self) -> Iterator[tuple[Table, list[Row]]]:
        """Tables in foreign-key order."""
        yield Client.__table__, self.clients
        yield PrepareAccount.__table__, self.prepare
        yield PrecisionAccount.__table__, self.precision
        yield SoloAccount.__table__, self.solo
        yield ClientUser.__table__, self.client_users
        yield PracticeAccess.__table__, self.access


@dataclass(frozen=True, slots=True)
class ClientIdentity:
    """What the product accounts of one client copy from it."""

    client_id: int
    name: str
    crn: str | None
    practice_code: str | None
    person: tuple[str, str] | None
    created_at: datetime


class UniqueCodes:
    """CRNs and practice codes, unique by construction: each series only grows."""

    def __init__(self, rng: random.Random, clients: int) -> None:
        self._rng = rng
        self._crn_next = {"": rng.randrange(100_000, 400_000)}
        self._crn_gap = max(1, min(12, 90_000_000 // max(1, clients)))
        self._house_number = 0
        self._house_width = max(4, len(str(clients)))
        self._per_stem: dict[str, int] = {}
        self._per_year: dict[int, int] = {}

    def crn(self, prefix: str = "") -> str:
        current = self._crn_next.get(prefix)
        if current is None:
            current = self._rng.randrange(1_000, 60_000)
        gap = self._crn_gap if not prefix else 3
        number = current + 1 + int(self._rng.random() * gap)
        if prefix and number > 999_999:
            return self.crn()
        self._crn_next[prefix] = number
        return f"{prefix}{number:06d}" if prefix else f"{number:08d}"

    def crn_for(self, legal_form: str, needs_crn: bool = False) -> str | None:
        roll = self._rng.random()
        if legal_form == "llp":
            return self.crn("OC" if roll < 0.85 else "SO" if roll < 0.95 else "NC")
        if legal_form == "sole_trader" and not needs_crn:
            return self.crn() if roll < 0.08 else None
        if legal_form == "partnership" and not needs_crn:
            return None
        if roll < 0.03 and not needs_crn:
            return None
        if roll < 0.88:
            return self.crn()
        if roll < 0.94:
            return self.crn("SC")
        if roll < 0.97:
            return self.crn("NI")
        return self.crn(self._rng.choice(RARE_CRN_PREFIXES))

    def practice_code(self, name: str, created_at: datetime) -> str | None:
        roll = self._rng.random()
        if roll < 0.15:
            return None
        if roll < 0.78:
            self._house_number += 1
            return f"HV{self._house_number:0{self._house_width}d}"
        if roll < 0.93:
            stem = re.sub(r"[^A-Za-z]", "", name)[:4].upper() or "CL"
            count = self._per_stem.get(stem, 0) + 1
            self._per_stem[stem] = count
            code = f"{stem}/{count:02d}"
            return code.lower() if roll > 0.9 else code
        year = created_at.year
        count = self._per_year.get(year, 0) + 1
        self._per_year[year] = count
        return f"{year}-{count:03d}"


class DemoRowFactory:
    """Builds the rows of the demo practice, client by client, in id order."""

    def __init__(
        self,
        rng: random.Random,
        now: datetime,
        clients: int,
        forced: dict[int, ForcedProfile],
    ) -> None:
        self._rng = rng
        self._now = now
        self._names = NameMaker(rng)
        self._codes = UniqueCodes(rng, clients)
        self._forced = forced
        self._next_client_user_id = 1
        self.targets = SourceTargets()
        self._client_admin_ids = [
            member_id
            for member_id, spec in enumerate(DEMO_TEAM, start=1)
            if spec.role == "client_admin"
        ]
        self._standard_access = [
            (member_id, spec.access_share, spec.active)
            for member_id, spec in enumerate(DEMO_TEAM, start=1)
            if spec.role == "standard"
        ]

    @property
    def codes(self) -> UniqueCodes:
        return self._codes

    @property
    def names(self) -> NameMaker:
        return self._names

    def chunk(self, first_index: int, count: int) -> ChunkRows:
        rows = ChunkRows()
        for index in range(first_index, first_index + count):
            self._add_client(rows, index)
        return rows

    # -- one client -------------------------------------------------------

    def _add_client(self, rows: ChunkRows, index: int) -> None:
        rng = self._rng
        profile = self._forced.get(index)
        client_id = index + 1
        sole_trader = rng.random() < SOLE_TRADER_SHARE
        if profile is not None and (profile.needs_crn or profile.distinctive_name):
            sole_trader = False
        if profile is not None and profile.statuses == ("not_set_up", "not_set_up", "active"):
            sole_trader = True

        person: tuple[str, str] | None = None
        if sole_trader:
            person = self._names.person()
            name, legal_form = self._names.sole_trader(*person), "sole_trader"
        elif profile is not None and profile.distinctive_name:
            name, legal_form = self._names.distinctive(), "ltd"
        else:
            name, legal_form = self._names.company()
        needs_crn = profile is not None and profile.needs_crn
        crn = self._codes.crn_for(legal_form, needs_crn)

        created_at = self._now - timedelta(
            seconds=DAY_SECONDS + int(rng.random() * CREATED_SPAN.total_seconds())
        )
        identity = ClientIdentity(
            client_id,
            name,
            crn,
            self._codes.practice_code(name, created_at),
            person,
            created_at,
        )
        state = profile.state if profile else pick_by_odds(rng.random(), CLIENT_STATE_ODDS)
        statuses = profile.statuses if profile and profile.statuses else None
        prepare, precision, solo = statuses or self._random_statuses(sole_trader)
        if state == "deactivated":
            prepare, precision, solo = (
                "deactivated" if status != "not_set_up" else status
                for status in (prepare, precision, solo)
            )

        rows.clients.append(self._client_row(identity, state))
        granted = self._add_access(rows, client_id, prepare, precision)
        if prepare != "not_set_up":
            manager = self._account_manager(granted)
            if manager in granted:
                granted[manager]["account_manager"] = True
            integration = profile.integration if profile else None
            rows.prepare.append(
                self._prepare_row(identity, prepare, legal_form, integration, manager)
            )
            if prepare != "invited" and rng.random() < CLIENT_USERS_SHARE:
                self._add_client_users(rows, identity)
        if precision != "not_set_up":
            rows.precision.append(self._precision_row(client_id, precision))
        if solo != "not_set_up":
            rows.solo.append(self._solo_row(identity, solo, sole_trader))
        if profile is not None and profile.source_match == "crn" and crn is not None:
            self.targets.by_crn.append((name, crn))
        if profile is not None and profile.source_match == "name":
            self.targets.by_name.append(name)

    def _random_statuses(self, sole_trader: bool) -> tuple[str, str, str]:
        rng = self._rng
        if sole_trader:
            odds = (SOLE_TRADER_PREPARE, SOLE_TRADER_PRECISION, SOLE_TRADER_SOLO)
        else:
            odds = (COMPANY_PREPARE, COMPANY_PRECISION, COMPANY_SOLO)
        prepare, precision, solo = (pick_by_odds(rng.random(), chances) for chances in odds)
        if prepare == precision == solo == "not_set_up":
            if sole_trader:
                solo = "active"
            else:
                prepare = "active"
        return prepare, precision, solo

    def _client_row(self, identity: ClientIdentity, state: str) -> Row:
        rng = self._rng
        created_at = identity.created_at
        age_seconds = (self._now - created_at).total_seconds()
        deactivated_at = None
        if state == "deactivated":
            deactivated_at = max(created_at, self._ago(rng.random() * 400))
            updated_at, version = deactivated_at, 2 + int(rng.random() * 4)
        elif rng.random() < 0.55:
            updated_at, version = created_at, 1
        else:
            updated_at = created_at + timedelta(seconds=int(rng.random() * age_seconds))
            version = 2 + int(rng.random() * 5)
        return {
            "id": identity.client_id,
            "practice_id": PRACTICE_ID,
            "name": identity.name,
            "sort_name": sort_key(identity.name),
            "practice_code": identity.practice_code,
            "practice_code_key": practice_code_key(identity.practice_code),
            "crn": identity.crn,
            "state": state,
            "deactivated_at": deactivated_at,
            "created_at": created_at,
            "updated_at": updated_at,
            "version": version,
        }

    # -- practice access ----------------------------------------------------

    def _add_access(
        self, rows: ChunkRows, client_id: int, prepare: str, precision: str
    ) -> dict[int, Row]:
        """Grant some standard users this client; returns the active grantees' rows."""
        rng = self._rng
        granted: dict[int, Row] = {}
        has_prepare = prepare != "not_set_up"
        has_precision = precision != "not_set_up"
        for member_id, share, active in self._standard_access:
            if rng.random() >= share:
                continue
            bookkeeping = has_prepare and rng.random() < 0.9
            row = {
                "team_member_id": member_id,
                "client_id": client_id,
                "bookkeeping": bookkeeping,
                "approval": bookkeeping and rng.random() < 0.4,
                "data_health": has_precision and rng.random() < 0.85,
                "account_manager": rng.random() < 0.05,
            }
            rows.access.append(row)
            if active:
                granted[member_id] = row
        return granted

    def _account_manager(self, granted: dict[int, Row]) -> int | None:
        """A client admin, or a standard user who can see the client; most have none."""
        rng = self._rng
        if rng.random() >= 0.3:
            return None
        return rng.choice(self._client_admin_ids + list(granted))

    # -- Prepare --------------------------------------------------------------

    def _item_count(self) -> int:
        """Skewed like real practices: many small clients, a few with thousands."""
        rng = self._rng
        roll = rng.random()
        if roll < 0.12:
            return 0
        if roll < 0.85:
            return int(rng.random() ** 2 * 250)
        if roll < 0.98:
            return 250 + int(rng.random() * 2_500)
        return 2_750 + int(rng.random() ** 3 * 60_000)

    def _integration(self, status: str, name: str) -> tuple[str, str | None, str | None, Any]:
        """(status, software, organisation name, last sync) in Dext's connection states."""
        rng = self._rng
        software = rng.choice(INTEGRATION_SOFTWARE_WEIGHTED)
        if status == "connected":
            return status, software, name, self._ago(rng.random() * 3)
        if status == "expired":
            return status, software, name, self._ago(366 + rng.random() * 400)
        if status == "mismatch":
            other_name = self._names.company()[0]
            if other_name == name:
                other_name = f"{name} (old)"
            return status, software, other_name, self._ago(rng.random() * 30)
        return "unintegrated", None, None, None

    def _ago(self, days: float) -> datetime:
        return self._now - timedelta(seconds=int(days * DAY_SECONDS))

    def _prepare_row(
        self,
        identity: ClientIdentity,
        status: str,
        legal_form: str,
        forced_integration: str | None,
        account_manager: int | None,
    ) -> Row:
        rng = self._rng
        invited = status == "invited"
        costs = 0 if invited else self._item_count()
        sales = int(costs * rng.random() * 0.6)
        if invited:
            integration_status = "unintegrated"
        else:
            integration_status = forced_integration or pick_by_odds(rng.random(), INTEGRATION_ODDS)
        integration, software, org_name, last_sync = self._integration(
            integration_status, identity.name
        )
        country, currency, language = self._locale()
        vat_registered = legal_form != "sole_trader" and rng.random() < 0.45
        return {
            "client_id": identity.client_id,
            "status": status,
            "costs_count": costs,
            "sales_count": sales,
            "industry": rng.choice(INDUSTRIES) if rng.random() < 0.85 else None,
            "integration_software": software,
            "integration_status": integration,
            "integration_org_name": org_name,
            "integration_last_sync": last_sync,
            "account_manager_id": account_manager,
            "business_name": identity.name if rng.random() < 0.9 else None,
            "country": country,
            "base_currency": currency,
            "language": language,
            "registered_address": self._address() if rng.random() < 0.6 else None,
            "vat_number": self._vat_number() if vat_registered else None,
            "vat_cycle": self._vat_cycle() if vat_registered else None,
            "first_reporting_month": 1 + int(rng.random() * 12) if vat_registered else None,
            "extract_tax": vat_registered and rng.random() < 0.6,
        }

    def _locale(self) -> tuple[str, str, str]:
        roll = self._rng.random()
        if roll < 0.93:
            return "GB", "GBP", "en"
        if roll < 0.97:
            return "IE", "EUR", "en"
        if roll < 0.99:
            return "US", "USD", "en"
        return "FR", "EUR", "fr"

    def _vat_cycle(self) -> str:
        roll = self._rng.random()
        return "quarterly" if roll < 0.75 else "monthly" if roll < 0.85 else "annual"

    def _vat_number(self) -> str:
        """GB + 9 digits with a valid HMRC mod-97 check pair."""
        body = self._rng.randrange(1_000_000, 10_000_000)
        weighted = sum(
            int(digit) * weight for digit, weight in zip(str(body), range(8, 1, -1), strict=True)
        )
        check = -weighted % 97
        return f"GB{body}{check:02d}"

    def postcode(self) -> str:
        rng = self._rng
        letters = POSTCODE_INWARD_LETTERS
        inward = f"{int(rng.random() * 10)}{rng.choice(letters)}{rng.choice(letters)}"
        return f"{rng.choice(POSTCODE_OUTWARDS)} {inward}"

    def _address(self) -> str:
        rng = self._rng
        number = 1 + int(rng.random() * 250)
        return f"{number} {rng.choice(STREETS)}, {rng.choice(PLACES)}, {self.postcode()}"

    # -- client users ---------------------------------------------------------

    def _add_client_users(self, rows: ChunkRows, identity: ClientIdentity) -> None:
        """One owner (a business admin who cannot be re-roled), then 0-3 colleagues."""
        rng = self._rng
        domain = f"{_slug(LEGAL_SUFFIX.sub('', identity.name))}.example"
        others = pick_by_odds(rng.random(), ((0.4, "0"), (0.7, "1"), (0.9, "2")), otherwise="3")
        for position in range(1 + int(others)):
            owner = position == 0
            first, last = identity.person if owner and identity.person else self._names.person()
            rows.client_users.append(
                {
                    "id": self._next_client_user_id,
                    "client_id": identity.client_id,
                    "name": f"{first} {last}",
                    "email": f"{_slug(first)}.{_slug(last)}@{domain}",
                    "role": "business_admin" if owner else self._client_user_role(),
                    "active": owner or rng.random() < 0.9,
                    "is_owner": owner,
                }
            )
            self._next_client_user_id += 1

    def _client_user_role(self) -> str:
        roll = self._rng.random()
        return "business_admin" if roll < 0.15 else "user_admin" if roll < 0.4 else "standard"

    # -- Precision and Solo ---------------------------------------------------

    def _precision_row(self, client_id: int, status: str) -> Row:
        rng = self._rng
        return {
            "client_id": client_id,
            "status": status,
            "software": rng.choice(PRECISION_SOFTWARE_WEIGHTED),
            "visibility": "whole_team" if rng.random() < 0.8 else "software_users_only",
        }

    def _solo_row(self, identity: ClientIdentity, status: str, sole_trader: bool) -> Row:
        rng = self._rng
        first, last = identity.person or self._names.person()
        digits = str(int(rng.random() * 100)) if rng.random() < 0.3 else ""
        email = f"{_slug(first)}.{_slug(last)}{digits}@{rng.choice(SOLE_TRADER_MAIL_DOMAINS)}"
        ni_number = (
            f"{rng.choice(NI_PREFIXES)}{int(rng.random() * 1_000_000):06d}{rng.choice('ABCD')}"
        )
        return {
            "client_id": identity.client_id,
            "status": status,
            "email": email,
            "crn": identity.crn,
            "practice_code": identity.practice_code,
            "ni_number": ni_number,
            "postcode": self.postcode(),
            "business_name": identity.name,
            "business_type": self._solo_business_type(sole_trader),
            "collection_method": "costs_sales" if rng.random() < 0.7 else "bank",
        }

    def _solo_business_type(self, sole_trader: bool) -> str:
        if sole_trader and self._rng.random() < 0.2:
            return "uk_property"
        return "self_employment"


def precision_source_rows(rng: random.Random, factory: DemoRowFactory, unmatched: int) -> list[Row]:
    """Pending source clients: a CRN match, a name-variant match, or no match."""
    targets = factory.targets
    drafts: list[tuple[str, str | None]] = []
    for name, crn in targets.by_crn:
        drafts.append((name if rng.random() < 0.6 else name_variant(rng, name), crn))
    for name in targets.by_name:
        drafts.append(
            (name_variant(rng, name), factory.codes.crn() if rng.random() < 0.5 else None)
        )
    for _ in range(unmatched):
        drafts.append(
            (factory.names.unmatched(), factory.codes.crn() if rng.random() < 0.5 else None)
        )
    rng.shuffle(drafts)
    return [
        {
            "id": source_id,
            "practice_id": PRACTICE_ID,
            "name": name,
            "crn": crn,
            "software": rng.choice(PRECISION_SOFTWARE_WEIGHTED),
            "import_state": "pending",
            "client_id": None,
        }
        for source_id, (name, crn) in enumerate(drafts, start=1)
    ]
