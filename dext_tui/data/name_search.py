"""Fuzzy client-name search that stays fast at a million names.

Scoring every name with rapidfuzz costs ~30 ms per 100k names per keystroke.
Names share words, so the index keeps each distinct word once (the
vocabulary, sorted) and, for each word, the rows whose name contains it
(postings, one numpy array grouped by word). A query word is matched against
the vocabulary only: exactly, as a prefix (a contiguous slice of the sorted
vocabulary, hence one contiguous slice of postings), as a substring, or
fuzzily with rapidfuzz (typos: "thams" -> "thames"). A name matches when
every query word matches one of its words; its score is the mean word score.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from bisect import bisect_left
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

EXACT = 100
PREFIX = 96
SUBSTRING = 86
FUZZY_CUTOFF = 80
_MIN_FUZZY_LENGTH = 4  # below this, typo tolerance matches nearly everything
_MIN_SUBSTRING_LENGTH = 3

_WORD = re.compile(r"\w+")
# Accents left as separate marks by NFKD decomposition ("é" -> "e" + U+0301).
_COMBINING_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_APOSTROPHES = str.maketrans("", "", "'’`")


def normalise(text: str) -> str:
    """Case, accents, apostrophes and '&' ignored: 'Café O'Brien & Co' -> 'cafe obrien and co'."""
    text = text.casefold().translate(_APOSTROPHES).replace("&", " and ")
    if not text.isascii():
        text = _COMBINING_MARKS.sub("", unicodedata.normalize("NFKD", text))
    return text


def words_of(text: str) -> list[str]:
    return _WORD.findall(normalise(text))


_NORMALISE_BATCH = 5000


def _normalise_all(names: list[str]) -> list[str]:
    """`normalise` over names a batch at a time: one C-speed pass per batch rather
    than a call per name, and batches short enough that the UI thread, which
    waits for the interpreter lock meanwhile, never stalls."""
    normalised: list[str] = []
    for start in range(0, len(names), _NORMALISE_BATCH):
        batch = names[start : start + _NORMALISE_BATCH]
        texts = normalise("\n".join(batch)).split("\n")
        if len(texts) != len(batch):  # a name held a line break of its own
            texts = [normalise(name) for name in batch]
        normalised.extend(texts)
    return normalised


@dataclass
class NameMatches:
    rows: np.ndarray  # row positions, unordered
    scores: np.ndarray  # uint8 score 1..100 for each row in `rows`


class NameSearchIndex:
    """Word index over client names; `search` returns every matching row with a score."""

    def __init__(self, names: list[str]) -> None:
        self.size = len(names)
        word_ids: dict[str, int] = {}
        # Compact arrays, not lists of ints: a million names have ~3 million words.
        occurrence_words = array("i")
        occurrence_rows = array("i")
        for row, text in enumerate(_normalise_all(names)):
            for word in set(_WORD.findall(text)):
                word_id = word_ids.setdefault(word, len(word_ids))
                occurrence_words.append(word_id)
                occurrence_rows.append(row)
        # Re-number words in sorted order so a prefix is a contiguous id range.
        self.vocabulary = sorted(word_ids)
        renumber = np.empty(len(word_ids), dtype=np.int32)
        for sorted_id, word in enumerate(self.vocabulary):
            renumber[word_ids[word]] = sorted_id
        words = renumber[np.frombuffer(occurrence_words, dtype=np.int32)]
        rows = np.frombuffer(occurrence_rows, dtype=np.int32).copy()
        order = np.argsort(words, kind="stable")
        self._posting_rows = rows[order]
        counts = np.bincount(words, minlength=len(self.vocabulary))
        self._offsets = np.zeros(len(self.vocabulary) + 1, dtype=np.int64)
        np.cumsum(counts, out=self._offsets[1:])
        self._prefix_cache: dict[int, list[str]] = {}

    def _word_range_rows(self, first: int, last: int) -> np.ndarray:
        return self._posting_rows[self._offsets[first] : self._offsets[last]]

    def _prefix_range(self, word: str) -> tuple[int, int]:
        first = bisect_left(self.vocabulary, word)
        last = bisect_left(self.vocabulary, word + "\U0010ffff", lo=first)
        return first, last

    def _vocabulary_prefixes(self, length: int) -> list[str]:
        if length not in self._prefix_cache:
            self._prefix_cache[length] = [word[:length] for word in self.vocabulary]
        return self._prefix_cache[length]

    def _scores_for_word(self, query_word: str) -> np.ndarray:
        """Best score (0 = no match) of `query_word` against every row."""
        row_scores = np.zeros(self.size, dtype=np.uint8)
        # Lower scores are written first so that higher ones overwrite them.
        graded: list[tuple[int, int]] = []  # (score, word id)
        if len(query_word) >= _MIN_FUZZY_LENGTH:
            for choices in (self.vocabulary, self._vocabulary_prefixes(len(query_word))):
                for _choice, score, word_id in process.extract(
                    query_word, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=None
                ):
                    graded.append((min(int(score), PREFIX - 1), word_id))
        if len(query_word) >= _MIN_SUBSTRING_LENGTH:
            graded.extend(
                (SUBSTRING, word_id)
                for word_id, word in enumerate(self.vocabulary)
                if query_word in word
            )
        for score, word_id in sorted(graded):
            row_scores[self._word_range_rows(word_id, word_id + 1)] = score
        first, last = self._prefix_range(query_word)
        if first < last:
            row_scores[self._word_range_rows(first, last)] = PREFIX
            if self.vocabulary[first] == query_word:
                row_scores[self._word_range_rows(first, first + 1)] = EXACT
        return row_scores

    def search(self, query: str) -> NameMatches:
        query_words = list(dict.fromkeys(words_of(query)))
        if not query_words:
            return NameMatches(
                np.arange(self.size, dtype=np.int64), np.full(self.size, EXACT, np.uint8)
            )
        total = np.zeros(self.size, dtype=np.uint16)
        matched = np.ones(self.size, dtype=bool)
        for word in query_words:
            word_scores = self._scores_for_word(word)
            matched &= word_scores > 0
            total += word_scores
        rows = np.flatnonzero(matched)
        scores = (total[rows] // len(query_words)).astype(np.uint8)
        return NameMatches(rows, scores)
