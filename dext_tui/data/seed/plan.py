"""The plan: which clients must have a particular shape, so every status mix and
every kind of Precision source match exists even in a small demo."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from dext_tui.data.seed.words import INTEGRATION_ODDS, PRODUCT_STATUS_MIXES


@dataclass(frozen=True)
class ForcedProfile:
    """Overrides for one client, so every status mix and every kind of
    Precision source match exists even in a small demo."""

    statuses: tuple[str, str, str] | None = None
    state: str = "active"
    integration: str | None = None
    needs_crn: bool = False
    distinctive_name: bool = False
    source_match: str | None = None  # "crn" or "name": a Precision source client points here


@dataclass
class SourceTargets:
    """Clients that Precision source clients are generated to match."""

    by_crn: list[tuple[str, str]] = field(default_factory=list)  # (name, crn)
    by_name: list[str] = field(default_factory=list)


def source_split(precision_pending: int, clients: int) -> tuple[int, int, int]:
    """(by CRN, by name, unmatched): thirds, with targets capped at half the clients."""
    by_crn = (precision_pending + 2) // 3
    by_name = (precision_pending + 1) // 3
    room = clients // 2
    by_crn = min(by_crn, room)
    by_name = min(by_name, room - by_crn)
    return by_crn, by_name, precision_pending - by_crn - by_name


def _coverage_profiles() -> list[ForcedProfile]:
    """Every product status mix on an active client, plus each client state."""
    profiles = []
    integration_turn = 0
    for mix in PRODUCT_STATUS_MIXES:
        integration = None
        if mix[0] in ("active", "deactivated"):
            integration = INTEGRATION_ODDS[integration_turn % len(INTEGRATION_ODDS)][1]
            integration_turn += 1
        profiles.append(ForcedProfile(statuses=mix, integration=integration))
    profiles.append(ForcedProfile(statuses=("active", "active", "not_set_up"), state="deactivated"))
    profiles.append(ForcedProfile(statuses=("active", "not_set_up", "not_set_up"), state="removed"))
    return profiles


def _source_target_profile(rng: random.Random, match: str) -> ForcedProfile:
    prepare = "active" if rng.random() < 0.8 else "invited"
    return ForcedProfile(
        statuses=(prepare, "not_set_up", "not_set_up"),
        needs_crn=match == "crn",
        distinctive_name=match == "name",
        source_match=match,
    )


def plan_forced_profiles(
    rng: random.Random, clients: int, by_crn: int, by_name: int
) -> dict[int, ForcedProfile]:
    """Client index -> the shape it must have; everyone else is drawn at random."""
    targets = [_source_target_profile(rng, "crn") for _ in range(by_crn)]
    targets += [_source_target_profile(rng, "name") for _ in range(by_name)]
    coverage = _coverage_profiles()[: clients - len(targets)]
    profiles = targets + coverage
    indices = rng.sample(range(clients), len(profiles))
    return dict(zip(indices, profiles, strict=True))
