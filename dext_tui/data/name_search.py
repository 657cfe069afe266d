"""Fuzzy client-name search that stays fast at a million names.

Scoring every name with rapidfuzz costs ~30 ms per 100k names per keystroke.
Names share words, so the index keeps each distinct word once (the
vocabulary, sorted) and, for each word, the rows whose name contains it
(postings, one numpy array grouped by word). A query word is matched against
the vocabulary only: exactly, as a prefix (a contiguous slice of the sorted
vocabulary, hence one contiguous slice of postings), as a substring, or
fuzzily with rapidfuzz (typos: "thams" -> "thames"). A name matches when
every query word matches one of its words.

Names and queries are read with the shared normalisation in `names`: a legal
form is one word ("ltd" finds "Limited", "public limited company" finds
"PLC"), and a query word part way to a legal form ("limi") matches it as a
prefix, as any word being typed does.

A name's score is the mean of its word scores, times ten, less one for each
of its words the query left unmatched (legal forms, "and" and "the" aside):
equal matches rank the name the query covers whole first.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from dext_tui.data.names import (
    FILLER_WORDS,
    LEGAL_SPELLINGS,
    fold,
    legal_form_as_word,
    legal_phrases_as_words,
    tokens_of,
    words_of,
)

# Word scores.
EXACT = 100
PREFIX = 96
SUBSTRING = 86
FUZZY_CUTOFF = 80
# Name scores: mean word score x 10, less one per word left unmatched (at most 9).
BEST = EXACT * 10
_MOST_UNMATCHED = 9

_MIN_FUZZY_LENGTH = 4  # below this, typo tolerance matches nearly everything
_MIN_SUBSTRING_LENGTH = 3
_WARM_PREFIX_LENGTHS = range(_MIN_FUZZY_LENGTH, 9)  # longer ones are built when first typed
_LONGER_PREFIX_LENGTHS_KEPT = 4
_RANGES_BY_SLICES = 16  # above this many word ranges with one score, gather them at once
# Vocabulary words a query term matches with one score: (score, first ids, last ids).
Graded = tuple[int, np.ndarray, np.ndarray]
_LINE_END = "\n"  # between names in a folded batch
_NAMES_PER_BATCH = 5000
# Multi-word legal forms, longest first, as tuples of words.
_LEGAL_PHRASES = sorted(
    (tuple(spelling.split()) for spelling in LEGAL_SPELLINGS if " " in spelling),
    key=len,
    reverse=True,
)

__all__ = ["BEST", "EXACT", "PREFIX", "SUBSTRING", "NameMatches", "NameSearchIndex", "words_of"]


@dataclass
class NameMatches:
    rows: np.ndarray  # row positions, ascending
    scores: np.ndarray  # uint16 score 1..BEST for each row in `rows`


def _folded_batches(names: list[str]) -> Iterator[tuple[int, str]]:
    """(first row, the batch's names folded, one a line): C-speed passes over a batch
    rather than a call per name, and batches short enough that the UI thread, which
    waits for the interpreter lock meanwhile, never stalls."""
    for start in range(0, len(names), _NAMES_PER_BATCH):
        batch = names[start : start + _NAMES_PER_BATCH]
        text = "\n".join(batch)
        if text.count("\n") != len(batch) - 1:  # a name held a line break of its own
            text = "\n".join(name.replace("\n", " ") for name in batch)
        yield start, legal_phrases_as_words(fold(text))


def _word_occurrences(names: list[str]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """(word id, row) of every word of every name, and the sorted vocabulary.

    Folded text is split at spaces into chunks ("acme", "ltd", "a+b", "🍕"); the few
    distinct chunks are then read into words once each, rather than every name
    being read word by word."""
    chunk_ids: dict[str, int] = {_LINE_END: 0}
    occurrences: list[np.ndarray] = []
    occurrence_rows: list[np.ndarray] = []
    for start, text in _folded_batches(names):
        chunks = text.replace(_LINE_END, f" {_LINE_END} ").split(" ")
        for chunk in set(chunks).difference(chunk_ids):
            chunk_ids[chunk] = len(chunk_ids)
        ids = np.fromiter(map(chunk_ids.__getitem__, chunks), np.int64, len(chunks))
        line_ends = ids == 0
        # A chunk's row: its batch's first row plus the line ends before it.
        rows = start + np.cumsum(line_ends) - line_ends
        occurrences.append(ids[~line_ends])
        occurrence_rows.append(rows[~line_ends])
    chunk_words = [[legal_form_as_word(word) for word in tokens_of(chunk)] for chunk in chunk_ids]
    # Words re-numbered in sorted order, so that a prefix is a contiguous id range.
    vocabulary = sorted({word for words in chunk_words for word in words})
    word_ids = {word: word_id for word_id, word in enumerate(vocabulary)}
    per_chunk = np.array([len(words) for words in chunk_words], dtype=np.int64)
    chunk_starts = np.cumsum(per_chunk) - per_chunk
    flat_words = np.array(
        [word_ids[word] for words in chunk_words for word in words], dtype=np.int64
    )
    chunks = np.concatenate(occurrences) if occurrences else np.empty(0, np.int64)
    rows = np.concatenate(occurrence_rows) if occurrences else np.empty(0, np.int64)
    # Each chunk occurrence becomes its words' occurrences.
    per_occurrence = per_chunk[chunks]
    rows = np.repeat(rows, per_occurrence)
    firsts = np.repeat(chunk_starts[chunks], per_occurrence)
    within = np.arange(len(rows)) - np.repeat(
        np.cumsum(per_occurrence) - per_occurrence, per_occurrence
    )
    return flat_words[firsts + within], rows, vocabulary


def _terms(words: list[str]) -> list[str]:
    """Query words, a legal form written in several words ("public limited company")
    taken as one term."""
    terms: list[str] = []
    position = 0
    while position < len(words):
        phrase = next(
            (p for p in _LEGAL_PHRASES if tuple(words[position : position + len(p)]) == p), None
        )
        size = len(phrase) if phrase else 1
        terms.append(" ".join(words[position : position + size]))
        position += size
    return list(dict.fromkeys(terms))


def _readings(words: list[str]) -> list[list[str]]:
    """The ways to read a query: word by word, and, when it ends part way through a
    legal form of several words ("acme public limi"), with that ending as one term."""
    readings = [_terms(words)]
    for phrase in _LEGAL_PHRASES:
        for size in range(2, min(len(phrase), len(words)) + 1):
            tail = words[-size:]
            typed_whole = size == len(phrase) and tail[-1] == phrase[-1]
            if (
                tuple(tail[:-1]) == phrase[: size - 1]
                and phrase[size - 1].startswith(tail[-1])
                and not typed_whole
            ):
                readings.append([*_terms(words[:-size]), " ".join(tail)])
    return [list(reading) for reading in dict.fromkeys(tuple(r) for r in readings)]


def _typo_hits(word: str, choices: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Indexes of the choices within typo distance of `word`, and their scores (below
    a prefix's)."""
    scores = process.cdist(
        [word], choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, dtype=np.uint8
    )[0]
    hits = np.flatnonzero(scores)
    return hits, np.minimum(scores[hits], PREFIX - 1)


def _by_score(
    hits: np.ndarray, scores: np.ndarray, firsts: np.ndarray, lasts: np.ndarray
) -> list[Graded]:
    return [
        (int(score), firsts[hits[scores == score]], lasts[hits[scores == score]])
        for score in np.unique(scores)
    ]


class NameSearchIndex:
    """Word index over client names; `search` returns every matching row with a score."""

    def __init__(self, names: list[str]) -> None:
        self.size = len(names)
        words, rows, self.vocabulary = _word_occurrences(names)
        # One posting per (word, row), sorted by word then row.
        pairs = words * max(self.size, 1) + rows
        pairs.sort()
        pairs = pairs[np.flatnonzero(np.diff(pairs, prepend=-1))]
        words, rows = np.divmod(pairs, max(self.size, 1))
        self._posting_rows = rows.astype(np.int32)
        counts = np.bincount(words, minlength=len(self.vocabulary))
        self._offsets = np.zeros(len(self.vocabulary) + 1, dtype=np.int64)
        np.cumsum(counts, out=self._offsets[1:])
        filler = np.array([word in FILLER_WORDS for word in self.vocabulary], dtype=bool)
        self._posting_is_content = ~filler[words]
        self._filler_ids = np.flatnonzero(filler).tolist()
        content = np.bincount(rows[self._posting_is_content], minlength=self.size)
        self._content_words = np.minimum(content, 255).astype(np.uint8)
        self._prefix_choices_by_length: dict[int, tuple[list[str], np.ndarray]] = {}
        self._haystack: tuple[str, np.ndarray] | None = None

    def warm_up(self) -> None:
        """Build what a keystroke would otherwise build on first use."""
        self._substring_haystack()
        for length in _WARM_PREFIX_LENGTHS:
            self._prefix_choices(length)

    # -- the vocabulary ----------------------------------------------------------
    def _prefix_range(self, word: str) -> tuple[int, int]:
        first = bisect_left(self.vocabulary, word)
        last = bisect_left(self.vocabulary, word + "\U0010ffff", lo=first)
        return first, last

    def _prefix_choices(self, length: int) -> tuple[list[str], np.ndarray]:
        """Distinct `length`-letter beginnings of the vocabulary's words, and where each
        one's run of words starts (word ids; the runs are contiguous, as it is sorted).
        The warm-up lengths are kept; of the longer ones, the last few asked for."""
        cache = self._prefix_choices_by_length
        if length not in cache:
            prefixes = np.array([word[:length] for word in self.vocabulary], dtype=f"U{length}")
            starts = np.flatnonzero(prefixes[1:] != prefixes[:-1]) + 1
            first = [0] if len(prefixes) else []  # an empty vocabulary has no runs
            starts = np.concatenate((first, starts, [len(prefixes)])).astype(np.int64)
            cache[length] = (prefixes[starts[:-1]].tolist(), starts)
            longer = [kept for kept in list(cache) if kept not in _WARM_PREFIX_LENGTHS]
            if len(longer) > _LONGER_PREFIX_LENGTHS_KEPT:
                cache.pop(longer[0], None)
        return cache[length]

    def _substring_haystack(self) -> tuple[str, np.ndarray]:
        """The vocabulary as one text, a word a line, and where each word starts."""
        if self._haystack is None:
            lengths = np.fromiter((len(word) + 1 for word in self.vocabulary), np.int64)
            starts = np.concatenate(([0], np.cumsum(lengths)[:-1])).astype(np.int64)
            self._haystack = ("\n".join(self.vocabulary), starts)
        return self._haystack

    def _canonical_range(self, form: str) -> tuple[int, int]:
        first = bisect_left(self.vocabulary, form)
        found = first < len(self.vocabulary) and self.vocabulary[first] == form
        return first, first + 1 if found else first

    # -- scoring -----------------------------------------------------------------
    def _graded_word_ranges(self, word: str) -> list[Graded]:
        """(score, first word ids, last word ids) of the vocabulary words `word` matches:
        exactly, as a prefix, inside, or within a typo."""
        if not self.vocabulary:
            return []
        graded: list[Graded] = []
        if len(word) >= _MIN_FUZZY_LENGTH:
            # A typo of a whole word, or of a word's beginning ("thams" -> "tham|es").
            word_ids = np.arange(len(self.vocabulary) + 1)
            graded += _by_score(*_typo_hits(word, self.vocabulary), word_ids[:-1], word_ids[1:])
            prefixes, starts = self._prefix_choices(len(word))
            graded += _by_score(*_typo_hits(word, prefixes), starts[:-1], starts[1:])
        if len(word) >= _MIN_SUBSTRING_LENGTH:
            haystack, starts = self._substring_haystack()
            found = np.fromiter(
                (hit.start() for hit in re.finditer(re.escape(word), haystack)), np.int64
            )
            word_ids = np.unique(np.searchsorted(starts, found, side="right") - 1)
            graded.append((SUBSTRING, word_ids, word_ids + 1))
        first, last = self._prefix_range(word)
        graded.append((PREFIX, np.array([first]), np.array([last])))
        if first < last and self.vocabulary[first] == word:
            graded.append((EXACT, np.array([first]), np.array([first + 1])))
        return graded

    def _graded_legal_ranges(self, term: str) -> list[Graded]:
        """A term that is, or begins, or nearly is, a spelling of a legal form matches
        that form's canonical word."""
        graded: list[Graded] = []
        for spelling, form in LEGAL_SPELLINGS.items():
            if spelling.startswith(term):
                score = EXACT if spelling == term else PREFIX
            elif len(term) >= _MIN_FUZZY_LENGTH and " " not in spelling:
                score = int(
                    max(fuzz.ratio(term, spelling), fuzz.ratio(term, spelling[: len(term)]))
                )
                if score < FUZZY_CUTOFF:
                    continue
                score = min(score, PREFIX - 1)
            else:
                continue
            first, last = self._canonical_range(form)
            graded.append((score, np.array([first]), np.array([last])))
        return graded

    def _postings(self, firsts: np.ndarray, lasts: np.ndarray) -> np.ndarray:
        """Positions in the postings of every word in the id ranges [first, last)."""
        starts = self._offsets[firsts]
        lengths = self._offsets[lasts] - starts
        ends = np.cumsum(lengths)
        return np.arange(ends[-1] if len(ends) else 0) + np.repeat(starts - ends + lengths, lengths)

    def _content_ranges(self, first: int, last: int) -> Iterator[tuple[int, int]]:
        """The word id range [first, last) without the filler words, as ranges."""
        for filler_id in self._filler_ids[bisect_left(self._filler_ids, first) :]:
            if filler_id >= last:
                break
            yield first, filler_id
            first = filler_id + 1
        yield first, last

    def _mark(
        self, row_scores: np.ndarray, content_hits: np.ndarray, score: int, ranges: list
    ) -> None:
        """Give `score` to the rows of the words in the id ranges, and note the rows
        where one of those words is not a filler word."""
        firsts = np.concatenate([firsts for firsts, _ in ranges])
        lasts = np.concatenate([lasts for _, lasts in ranges])
        if len(firsts) > _RANGES_BY_SLICES:  # many small ranges: gathered at once
            postings = self._postings(firsts, lasts)
            row_scores[self._posting_rows[postings]] = score
            content_hits[self._posting_rows[postings[self._posting_is_content[postings]]]] = 1
            return
        offsets, rows = self._offsets, self._posting_rows
        for first, last in zip(firsts.tolist(), lasts.tolist(), strict=True):
            row_scores[rows[offsets[first] : offsets[last]]] = score
            for content_first, content_last in self._content_ranges(first, last):
                content_hits[rows[offsets[content_first] : offsets[content_last]]] = 1

    def _scores_for_term(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        """Best score (0 = no match) of a query term against every row, and whether it
        matched a word of the row other than a filler word."""
        graded = self._graded_legal_ranges(term)
        if " " not in term:
            graded += self._graded_word_ranges(term)
        row_scores = np.zeros(self.size, dtype=np.uint8)
        content_hits = np.zeros(self.size, dtype=np.uint8)
        # Lower scores are written first so that higher ones overwrite them.
        for score in sorted({score for score, _, _ in graded}):
            ranges = [(firsts, lasts) for each, firsts, lasts in graded if each == score]
            self._mark(row_scores, content_hits, score, ranges)
        return row_scores, content_hits

    def search(self, query: str) -> NameMatches:
        readings = [reading for reading in _readings(words_of(query)) if reading]
        if not readings:
            return NameMatches(
                np.arange(self.size, dtype=np.int64), np.full(self.size, BEST, np.uint16)
            )
        term_scores: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        best: np.ndarray | None = None
        for terms in readings:
            total = np.zeros(self.size, dtype=np.uint16)
            matched = np.ones(self.size, dtype=bool)
            words_matched = np.zeros(self.size, dtype=np.uint8)
            for term in terms:
                if term not in term_scores:
                    term_scores[term] = self._scores_for_term(term)
                scores, content_hits = term_scores[term]
                matched &= scores > 0
                total += scores
                words_matched += content_hits
            rows = np.flatnonzero(matched)
            unmatched = np.clip(
                self._content_words[rows].astype(np.int16) - words_matched[rows], 0, _MOST_UNMATCHED
            )
            scores = ((total[rows] // len(terms)) * 10 - unmatched).astype(np.uint16)
            if len(readings) == 1:
                return NameMatches(rows, scores)
            if best is None:
                best = np.zeros(self.size, dtype=np.uint16)
            best[rows] = np.maximum(best[rows], scores)
        assert best is not None
        rows = np.flatnonzero(best)
        return NameMatches(rows, best[rows])
