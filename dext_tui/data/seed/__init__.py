"""A realistic, deterministic demo practice (`dext-tui seed`, `dext-tui --demo`).

Same seed, same data, byte for byte: all randomness comes from one
`random.Random(seed)` and all times from a fixed clock, so snapshot tests and
benchmarks see the same practice on every machine. Rows are written with Core
bulk inserts and ids chosen here, because a million clients must load in well
under two minutes; values are valid by construction rather than checked row
by row (the tests validate samples through `validation`).
"""

from dext_tui.data.seed.names import name_variant
from dext_tui.data.seed.seeding import (
    DEMO_PRACTICE_NAME,
    FIXED_NOW,
    SeedSummary,
    seed_practice,
)
from dext_tui.data.seed.team import DEMO_ADMIN_EMAIL, DEMO_TEAM
from dext_tui.data.seed.words import (
    ADJECTIVES,
    BUSINESS_WORDS,
    DISTINCTIVE_STEMS,
    FIRST_NAMES,
    NOUNS,
    PLACES,
    POSTCODE_OUTWARDS,
    SPECIAL_COMPANY_NAMES,
    SURNAMES,
    TRADES,
    UNMATCHED_NOUNS,
    UNMATCHED_STEMS,
)

__all__ = [
    "ADJECTIVES",
    "BUSINESS_WORDS",
    "DEMO_ADMIN_EMAIL",
    "DEMO_PRACTICE_NAME",
    "DEMO_TEAM",
    "DISTINCTIVE_STEMS",
    "FIRST_NAMES",
    "FIXED_NOW",
    "NOUNS",
    "PLACES",
    "POSTCODE_OUTWARDS",
    "SPECIAL_COMPANY_NAMES",
    "SURNAMES",
    "TRADES",
    "UNMATCHED_NOUNS",
    "UNMATCHED_STEMS",
    "SeedSummary",
    "name_variant",
    "seed_practice",
]
