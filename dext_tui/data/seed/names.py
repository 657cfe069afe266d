"""Plausible UK business and personal names, and the same name written differently."""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from dext_tui.data.seed.words import (
    ADJECTIVES,
    BUSINESS_WORDS,
    DISTINCTIVE_STEMS,
    FIRST_NAMES,
    NOUNS,
    PLACES,
    SPECIAL_COMPANY_NAMES,
    SURNAMES,
    TRADES,
    UNMATCHED_NOUNS,
    UNMATCHED_STEMS,
)


class NameMaker:
    """Plausible UK business and personal names from the word lists."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._patterns: tuple[tuple[float, Callable[[], tuple[str, str]]], ...] = (
            (0.20, self._surname_trade),
            (0.33, self._place_trade),
            (0.41, self._surname_and_family),
            (0.49, self._two_surnames),
            (0.61, self._adjective_noun),
            (0.71, self._place_noun),
            (0.78, self._surname_business),
            (0.85, self._adjective_trade),
            (0.89, self._the_company),
            (0.95, self._initials_trade),
            (0.99, self._place_business),
            (1.0, self._special),
        )
        self._used_distinctive: set[str] = set()
        self._unused_specials = list(SPECIAL_COMPANY_NAMES)

    def company(self) -> tuple[str, str]:
        """(name, legal form): form is ltd, plc, llp or partnership (no CRN)."""
        roll = self._rng.random()
        for threshold, pattern in self._patterns:
            if roll < threshold:
                return pattern()
        return self._special()

    def person(self) -> tuple[str, str]:
        return self._rng.choice(FIRST_NAMES), self._rng.choice(SURNAMES)

    def sole_trader(self, first: str, last: str) -> str:
        roll = self._rng.random()
        if roll < 0.75:
            return f"{first} {last}"
        if roll < 0.9:
            return f"{first} {last} {self._rng.choice(TRADES)}"
        return f"{first[0]}. {last} {self._rng.choice(TRADES)}"

    def distinctive(self) -> str:
        """A name no other generated client has, even after normalisation.

        Uniqueness is kept on the words that survive normalisation (stem and
        body), so "X Plumbing Ltd" and "X Plumbing Limited" are never both made.
        """
        rng = self._rng
        for attempt in range(1000):
            stem = rng.choice(DISTINCTIVE_STEMS)
            roll = rng.random()
            if attempt >= 20:  # the short forms are used up: add a place
                body = f"{rng.choice(PLACES)} {rng.choice(TRADES)}"
            elif roll < 0.6:
                body = rng.choice(TRADES)
            elif roll < 0.85:
                body = f"& {rng.choice(SURNAMES)}"
            else:
                body = "& Sons"
            key = f"{stem} {body}"
            if key not in self._used_distinctive:
                self._used_distinctive.add(key)
                return f"{key} {'Ltd' if rng.random() < 0.55 else 'Limited'}"
        raise RuntimeError("ran out of distinctive demo names")

    def unmatched(self) -> str:
        rng = self._rng
        return f"{rng.choice(UNMATCHED_STEMS)} {rng.choice(UNMATCHED_NOUNS)} Ltd"

    def _suffix(self) -> tuple[str, str]:
        roll = self._rng.random()
        if roll < 0.60:
            return " Ltd", "ltd"
        if roll < 0.86:
            return " Limited", "ltd"
        if roll < 0.89:
            return " Ltd.", "ltd"
        if roll < 0.92:
            return " LTD", "ltd"
        if roll < 0.93:
            return " plc", "plc"
        return "", "partnership"

    def _with_suffix(self, stem: str) -> tuple[str, str]:
        suffix, form = self._suffix()
        return stem + suffix, form

    def _surname_trade(self) -> tuple[str, str]:
        return self._with_suffix(f"{self._rng.choice(SURNAMES)} {self._rng.choice(TRADES)}")

    def _place_trade(self) -> tuple[str, str]:
        return self._with_suffix(f"{self._rng.choice(PLACES)} {self._rng.choice(TRADES)}")

    def _surname_and_family(self) -> tuple[str, str]:
        family = self._rng.choice(("& Sons", "& Son", "& Daughters", "& Co", "and Sons"))
        return self._with_suffix(f"{self._rng.choice(SURNAMES)} {family}")

    def _two_surnames(self) -> tuple[str, str]:
        rng = self._rng
        joiner = " & " if rng.random() < 0.6 else " and "
        pair = f"{rng.choice(SURNAMES)}{joiner}{rng.choice(SURNAMES)}"
        if rng.random() < 0.4:
            return f"{pair} LLP", "llp"
        return self._with_suffix(pair)

    def _adjective_noun(self) -> tuple[str, str]:
        return self._with_suffix(f"{self._rng.choice(ADJECTIVES)} {self._rng.choice(NOUNS)}")

    def _place_noun(self) -> tuple[str, str]:
        return self._with_suffix(f"{self._rng.choice(PLACES)} {self._rng.choice(NOUNS)}")

    def _surname_business(self) -> tuple[str, str]:
        words = f"{self._rng.choice(SURNAMES)} {self._rng.choice(BUSINESS_WORDS)}"
        return self._with_suffix(words)

    def _adjective_trade(self) -> tuple[str, str]:
        return self._with_suffix(f"{self._rng.choice(ADJECTIVES)} {self._rng.choice(TRADES)}")

    def _the_company(self) -> tuple[str, str]:
        rng = self._rng
        return f"The {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} Company Ltd", "ltd"

    def _initials_trade(self) -> tuple[str, str]:
        rng = self._rng
        letters = "ABCDEFGHJKLMNPRSTW"
        if rng.random() < 0.5:
            initials = f"{rng.choice(letters)}&{rng.choice(letters)}"
        else:
            initials = "".join(rng.choice(letters) for _ in range(3))
        return self._with_suffix(f"{initials} {rng.choice(TRADES)}")

    def _place_business(self) -> tuple[str, str]:
        return self._with_suffix(f"{self._rng.choice(PLACES)} {self._rng.choice(BUSINESS_WORDS)}")

    def _special(self) -> tuple[str, str]:
        """Each hard case once: a hundred "@Home Lettings Ltd" would fill the first screen."""
        if not self._unused_specials:
            return self._surname_trade()
        name = self._unused_specials.pop(int(self._rng.random() * len(self._unused_specials)))
        return name, "llp" if name.endswith(" LLP") else "ltd"


def _ltd_to_limited(name: str) -> str:
    return re.sub(r"\bLtd\b\.?", "Limited", name)


def _limited_to_ltd(name: str) -> str:
    return re.sub(r"\bLimited\b", "Ltd", name)


def _ampersand_to_and(name: str) -> str:
    return name.replace(" & ", " and ")


def _and_to_ampersand(name: str) -> str:
    return name.replace(" and ", " & ")


def _add_punctuation(name: str) -> str:
    return re.sub(r"\b(Ltd|Limited)$", r"\1.", name.replace(" & ", ", & ", 1))


def _double_spaces(name: str) -> str:
    return name.replace(" ", "  ", 1)


NAME_VARIANT_RULES: tuple[Callable[[str], str], ...] = (
    _ltd_to_limited,
    _limited_to_ltd,
    _ampersand_to_and,
    _and_to_ampersand,
    str.upper,
    str.lower,
    _add_punctuation,
    _double_spaces,
)


def name_variant(rng: random.Random, name: str) -> str:
    """The same business written differently, as the import matcher must tolerate:
    Ltd/Limited, &/and, case, punctuation and spacing."""
    variant = name
    for _ in range(2):
        rules = [rule for rule in NAME_VARIANT_RULES if rule(variant) != variant]
        variant = rng.choice(rules)(variant)
        if rng.random() < 0.5:
            break
    return variant if variant != name else name.lower()
