"""When two client names are "the same name": one normalisation for every comparison.

The list's search, the Precision import matcher and the Add-Client duplicate
check all compare names the way spec section 8 asks: case, accents,
apostrophes, punctuation and spacing are ignored, "&" is "and", and a legal
form is one word however it is written ("Limited", "Ltd", "Ltd.", "LTD" are
all "ltd"; "Public Limited Company" and "P.L.C." are "plc").

Symbols and emoji are words of their own ("Pizza 🍕 Ltd" holds the word
"🍕"), so that a search for one finds the names that carry it.
"""

from __future__ import annotations

import re
import unicodedata

# Canonical word -> the other ways of writing it, in words.
LEGAL_FORMS: dict[str, tuple[str, ...]] = {
    "ltd": ("limited",),
    "plc": ("public limited company",),
    "llp": ("limited liability partnership",),
    "lp": ("limited partnership",),
    "cic": ("community interest company",),
    "co": ("company",),
}
# Every spelling of a legal form (the canonical word included) -> its canonical word.
LEGAL_SPELLINGS: dict[str, str] = {
    spelling: form for form, spellings in LEGAL_FORMS.items() for spelling in (form, *spellings)
}
# Words that say nothing about which client a name is: a name that differs
# from the query only by these is still "covered whole" by it.
FILLER_WORDS = frozenset({"and", "the", *LEGAL_FORMS})

# Accents left as separate marks by NFKD decomposition ("é" -> "e" + U+0301).
_COMBINING_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
# Letters NFKD keeps whole, written as an English keyboard would.
_PLAIN_LETTERS = str.maketrans(
    {"ø": "o", "đ": "d", "ð": "d", "ł": "l", "ħ": "h", "ı": "i", "ŧ": "t", "æ": "ae", "œ": "oe",
     "þ": "th"}
)  # fmt: skip
# Joiners and emoji presentation selectors: part of how a symbol is drawn, not a character.
_INVISIBLE = str.maketrans("", "", "\u200b\u200c\u200d\u2060\ufe0e\ufe0f")
_APOSTROPHES = str.maketrans("", "", "'’‘`ʼ")
# ASCII punctuation separates words; ASCII symbols ($ + < = > ^ | ~) are words.
_ASCII_PUNCTUATION = str.maketrans(dict.fromkeys('!"#%()*,-./:;?@[\\]_{}', " "))
# "P.L.C.", "U.K", "A.B.": initials written with dots are one word.
_DOTTED_INITIALS = re.compile(r"\b[^\W\d_](?:\.[^\W\d_])+\b\.?")
# A word (letters and digits), or any other single visible character.
_TOKEN = re.compile(r"[^\W_]+|[^\w\s]")
# Longest spellings first, so "public limited company" is not read as "public ltd co".
_LEGAL_REWRITES = tuple(
    (re.compile(r"\b" + r"[^\S\n]+".join(spelling.split()) + r"\b"), form)
    for spelling, form in sorted(LEGAL_SPELLINGS.items(), key=lambda item: -len(item[0]))
    if spelling != form
)


def _undotted(match: re.Match[str]) -> str:
    return match.group().replace(".", "")


def fold(text: str) -> str:
    """Case, accents, apostrophes, '&' and punctuation folded away, words kept apart by
    spaces: "Café O'Brien & Co." -> "cafe obrien  and  co ". Line breaks are kept, so
    many names can be folded in one call, joined by line breaks."""
    text = text.casefold()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).casefold()
        text = _COMBINING_MARKS.sub("", text).translate(_PLAIN_LETTERS).translate(_INVISIBLE)
    text = text.translate(_APOSTROPHES).replace("&", " and ")
    if "." in text:
        text = _DOTTED_INITIALS.sub(_undotted, text)
    return text.translate(_ASCII_PUNCTUATION)


def with_legal_forms_as_words(folded: str) -> str:
    """Every spelling of a legal form in `fold`ed text written as its canonical word."""
    for pattern, form in _LEGAL_REWRITES:
        folded = pattern.sub(form, folded)
    return folded


def is_word(token: str) -> bool:
    """False for a lone punctuation, mark or control character (ignored in names)."""
    return token.isalnum() or unicodedata.category(token[0])[0] == "S"


def tokens_of(folded: str) -> list[str]:
    """The words of `fold`ed text."""
    tokens = _TOKEN.findall(folded)
    if folded.isascii():
        return tokens
    return [token for token in tokens if is_word(token)]


def words_of(text: str) -> list[str]:
    """The words of a name as written, legal forms in full: what a search query is read as."""
    return tokens_of(fold(text))


def name_words(text: str) -> list[str]:
    """The words of a name, each legal form one canonical word:
    "Chiltern Design Limited" -> ["chiltern", "design", "ltd"]."""
    return tokens_of(with_legal_forms_as_words(fold(text)))


def match_key(text: str) -> str:
    """Equal for names spec section 8 calls the same ("Smith & Sons Ltd." and
    "SMITH AND SONS LIMITED"); the text to compare, or to score with rapidfuzz."""
    return " ".join(name_words(text))
