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
# Left by NFKD for the ASCII fold below: letters it keeps whole, written as an
# English keyboard would; joiners and emoji presentation selectors (how a symbol
# is drawn, not a character); apostrophes other than ASCII's.
_NON_ASCII_REPLACEMENTS = (
    *(("ø", "o"), ("đ", "d"), ("ð", "d"), ("ł", "l"), ("ħ", "h"), ("ı", "i"), ("ŧ", "t")),
    *(("æ", "ae"), ("œ", "oe"), ("þ", "th")),
    *((invisible, "") for invisible in "\u200b\u200c\u200d\u2060\ufe0e\ufe0f"),
    *((apostrophe, "") for apostrophe in "’‘ʼ"),
)
# ASCII punctuation separates words; ASCII symbols ($ + < = > ^ | ~) are words.
# Applied to UTF-8 bytes: an ASCII byte is never part of another character there,
# and bytes.translate is far faster than str.translate on non-ASCII text.
_ASCII_PUNCTUATION = b'!"#%()*,-./:;?@[\\]_{}'
_PUNCTUATION_TO_SPACES = bytes.maketrans(_ASCII_PUNCTUATION, b" " * len(_ASCII_PUNCTUATION))
_ASCII_APOSTROPHES = b"'`"
# "P.L.C.", "U.K", "A.B.": the dot between two single letters goes, so initials
# written with dots are one word. (Starts with a literal: fast to search for.)
_DOT_BETWEEN_INITIALS = re.compile(r"\.(?<=(?<![^\W_])[^\W\d_]\.)(?=[^\W\d_](?![^\W_]))")
# A word (letters and digits), or any other single visible character.
_TOKEN = re.compile(r"[^\W_]+|[^\w\s]")
# Legal forms written in several words, longest first ("limited liability
# partnership" before "limited partnership"), each with a word to look for before
# running its pattern: one that is not a legal form of its own, so rarely there.
_LEGAL_PHRASES = tuple(
    (
        next(word for word in spelling.split() if word not in LEGAL_SPELLINGS),
        re.compile(r"\b" + r"[^\S\n]+".join(spelling.split()) + r"\b"),
        form,
    )
    for spelling, form in sorted(LEGAL_SPELLINGS.items(), key=lambda item: -len(item[0]))
    if " " in spelling
)


def fold(text: str) -> str:
    """Case, accents, apostrophes, '&' and punctuation folded away, words kept apart by
    spaces: "Café O'Brien & Co." -> "cafe obrien  and  co ". Line breaks are kept, so
    many names can be folded in one call, joined by line breaks."""
    if text.isascii():
        text = text.lower()
    else:
        text = _COMBINING_MARKS.sub("", unicodedata.normalize("NFKD", text).casefold())
        for old, new in _NON_ASCII_REPLACEMENTS:
            if old in text:
                text = text.replace(old, new)
    text = text.replace("&", " and ")
    if "." in text:
        text = _DOT_BETWEEN_INITIALS.sub("", text)
    return text.encode().translate(_PUNCTUATION_TO_SPACES, _ASCII_APOSTROPHES).decode()


def legal_phrases_as_words(folded: str) -> str:
    """Each legal form written in several words, in `fold`ed text, as its canonical
    word: "acme public limited company" -> "acme plc"."""
    for telling_word, pattern, form in _LEGAL_PHRASES:
        if telling_word in folded:
            folded = pattern.sub(form, folded)
    return folded


def legal_form_as_word(word: str) -> str:
    """A one-word spelling of a legal form as its canonical word ("limited" -> "ltd")."""
    return LEGAL_SPELLINGS.get(word, word)


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
    return [legal_form_as_word(word) for word in tokens_of(legal_phrases_as_words(fold(text)))]


def match_key(text: str) -> str:
    """Equal for names spec section 8 calls the same ("Smith & Sons Ltd." and
    "SMITH AND SONS LIMITED"); the text to compare, or to score with rapidfuzz."""
    return " ".join(name_words(text))
