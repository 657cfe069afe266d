"""Which Prepare client each waiting Precision source client is (spec section 8).

An exact CRN match wins. Otherwise names are compared as the list's search
compares them (`names.match_key`: case, punctuation and spacing ignored,
"Ltd" = "Limited", "&" = "and") and scored with rapidfuzz's `ratio`; the best
candidate is proposed only when it scores at least 90 and at least 5 more than
the runner-up. No Prepare client is proposed twice: CRN matches claim theirs
first, in source order; then confident name matches, best score first (ties in
source order); a source whose candidate is already claimed gets no proposal.

Scoring every pair (10k sources x 100k candidates) would take minutes, so
candidates are blocked: a candidate is scored against a source only when it
shares one of the source's rarer words, exactly or within one typo (a
deletion neighbourhood: two words one edit apart share a word with one letter
deleted). Words are taken rarest first until enough candidates are gathered,
so common words ("consulting", "services") do not drag in half the practice.
A candidate that shares none of those words (even with one typo each) scores
well below 90 in practice; it is simply not considered. The pairs are then
scored together, in C and on every core (`rapidfuzz.process.cpdist`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from dext_tui.data.names import (
    FILLER_WORDS,
    fold,
    legal_form_as_word,
    legal_phrases_as_words,
    tokens_of,
)
from dext_tui.data.validation import ValidationError, normalize_crn

PRESELECT_SCORE = 90  # a name match is proposed only from this score...
PRESELECT_MARGIN = 5  # ...and this many points above the next candidate
CRN_SCORE = 100
CRN = "crn"
NAME = "name"
# Candidates gathered per source before rarer words stop being added.
CANDIDATE_BUDGET = 400
_MIN_TYPO_LENGTH = 4  # shorter words match exactly only (one typo matches far too much)
_NAMES_PER_BATCH = 2000  # short enough that the UI thread never waits long for the GIL
_PAIRS_PER_STEP = 100_000  # scored per call: converting the strings holds the GIL
# Shares of the progress bar: normalising names, gathering pairs, scoring them.
_KEYS_SHARE, _PAIRS_SHARE = 0.15, 0.35

Progress = Callable[[float], None]  # fraction done, 0.0 .. 1.0


@dataclass(frozen=True)
class Proposal:
    """The Prepare client proposed for one source client, and why."""

    candidate: int  # position in the candidates given
    client_id: int
    score: int  # 0..100
    reason: str  # CRN or NAME

    @property
    def label(self) -> str:
        return "CRN match" if self.reason == CRN else f"name {self.score}%"


def match_keys(names: Sequence[str]) -> list[str]:
    """`names.match_key` of every name, folded a batch at a time (one C-speed pass
    per batch instead of one per name): equal to [match_key(n) for n in names]."""
    keys: list[str] = []
    for start in range(0, len(names), _NAMES_PER_BATCH):
        batch = [
            name.replace("\n", " ").replace("\r", " ")
            for name in names[start : start + _NAMES_PER_BATCH]
        ]
        lines = legal_phrases_as_words(fold("\n".join(batch))).split("\n")
        keys += [" ".join(legal_form_as_word(word) for word in tokens_of(line)) for line in lines]
    return keys


def normalise_crn(crn: str | None) -> str:
    """A CRN as stored (upper case, digits zero-padded to 8); one that breaks the
    CRN rules compared as written, without spaces."""
    try:
        return normalize_crn(crn) or ""
    except ValidationError:
        return "".join((crn or "").split()).upper()


def _deletions(word: str) -> set[str]:
    """The word and each way to delete one letter from it."""
    return {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}


class _WordIndex:
    """Candidates by the words of their names, and words by their one-letter deletions."""

    def __init__(self, keys: list[str]) -> None:
        word_ids: dict[str, int] = {}
        occurrence_words: list[int] = []
        occurrence_rows: list[int] = []
        for row, key in enumerate(keys):
            for word in set(key.split()):
                occurrence_words.append(word_ids.setdefault(word, len(word_ids)))
                occurrence_rows.append(row)
        self.word_ids = word_ids
        words = np.array(occurrence_words, dtype=np.int64)
        rows = np.array(occurrence_rows, dtype=np.int64)
        order = np.argsort(words, kind="stable")
        self.rows = rows[order]
        counts = np.bincount(words, minlength=len(word_ids))
        self.offsets = np.zeros(len(word_ids) + 1, dtype=np.int64)
        np.cumsum(counts, out=self.offsets[1:])
        self.by_deletion: dict[str, list[int]] = {}
        for word, word_id in word_ids.items():
            variants = _deletions(word) if len(word) >= _MIN_TYPO_LENGTH else {word}
            for variant in variants:
                self.by_deletion.setdefault(variant, []).append(word_id)
        self._similar: dict[str, tuple[list[int], int]] = {}

    def similar(self, word: str) -> tuple[list[int], int]:
        """Ids of the candidates' words equal to `word` or one typo from it, and how
        many candidates hold one of them."""
        if word not in self._similar:
            if len(word) >= _MIN_TYPO_LENGTH:
                found: set[int] = set()
                for variant in _deletions(word):
                    found.update(self.by_deletion.get(variant, ()))
                ids = sorted(found)
            else:
                ids = [self.word_ids[word]] if word in self.word_ids else []
            size = int(sum(self.offsets[i + 1] - self.offsets[i] for i in ids))
            self._similar[word] = (ids, size)
        return self._similar[word]

    def candidates(self, key: str) -> np.ndarray:
        """Candidate rows sharing one of the rarer words of `key` (within one typo)."""
        words = key.split()
        content = [word for word in dict.fromkeys(words) if word not in FILLER_WORDS]
        found = [self.similar(word) for word in (content or list(dict.fromkeys(words)))]
        found = sorted((hit for hit in found if hit[1]), key=lambda hit: hit[1])
        slices: list[np.ndarray] = []
        gathered = 0
        for ids, size in found:
            if slices and gathered + size > CANDIDATE_BUDGET:
                break
            slices += [self.rows[self.offsets[i] : self.offsets[i + 1]] for i in ids]
            gathered += size
        if not slices:
            return np.empty(0, dtype=np.int64)
        return np.unique(np.concatenate(slices))


def _crn_proposals(
    source_crns: Sequence[str | None],
    source_keys: list[str],
    candidate_crns: Sequence[str | None],
    candidate_keys: list[str],
) -> dict[int, int]:
    """Source position -> candidate position, for CRNs equal on both sides. Of several
    candidates with the CRN, the one whose name is nearest (then the first)."""
    by_crn: dict[str, list[int]] = {}
    for position, crn in enumerate(candidate_crns):
        normal = normalise_crn(crn)
        if normal:
            by_crn.setdefault(normal, []).append(position)
    found: dict[int, int] = {}
    for source, crn in enumerate(source_crns):
        holders = by_crn.get(normalise_crn(crn))
        if not holders:
            continue
        if len(holders) > 1:
            scores = [fuzz.ratio(source_keys[source], candidate_keys[h]) for h in holders]
            found[source] = holders[int(np.argmax(scores))]
        else:
            found[source] = holders[0]
    return found


def match_sources(
    source_names: Sequence[str],
    source_crns: Sequence[str | None],
    candidate_ids: Sequence[int] | np.ndarray,
    candidate_names: Sequence[str],
    candidate_crns: Sequence[str | None],
    progress: Progress | None = None,
) -> list[Proposal | None]:
    """One proposal (or None) per source client, in source order.

    The candidates must already be the eligible ones: Prepare clients in the
    viewer's scope without a Precision account (`precision_import` loads them so).
    """
    report = progress or (lambda _fraction: None)
    report(0.0)
    source_keys = match_keys(source_names)
    candidate_keys = match_keys(candidate_names)
    report(_KEYS_SHARE)
    ids = np.asarray(candidate_ids, dtype=np.int64)
    proposals: list[Proposal | None] = [None] * len(source_names)
    claimed: set[int] = set()
    for source, candidate in sorted(
        _crn_proposals(source_crns, source_keys, candidate_crns, candidate_keys).items()
    ):
        if candidate not in claimed:
            claimed.add(candidate)
            proposals[source] = Proposal(candidate, int(ids[candidate]), CRN_SCORE, CRN)

    waiting = [source for source, proposal in enumerate(proposals) if proposal is None]
    best = _best_name_matches(waiting, source_keys, candidate_keys, report)
    for score, source, candidate in sorted(best):
        score = -score
        if candidate not in claimed:
            claimed.add(candidate)
            proposals[source] = Proposal(candidate, int(ids[candidate]), score, NAME)
    report(1.0)
    return proposals


def _best_name_matches(
    sources: list[int], source_keys: list[str], candidate_keys: list[str], report: Progress
) -> list[tuple[int, int, int]]:
    """(-score, source, candidate) of each source whose best candidate is confident."""
    if not sources or not candidate_keys:
        return []
    index = _WordIndex(candidate_keys)
    pair_sources: list[np.ndarray] = []
    pair_candidates: list[np.ndarray] = []
    step = max(1, len(sources) // 20)
    for done, source in enumerate(sources):
        rows = index.candidates(source_keys[source])
        if len(rows):
            pair_sources.append(np.full(len(rows), source, dtype=np.int64))
            pair_candidates.append(rows)
        if done % step == 0:
            report(_KEYS_SHARE + _PAIRS_SHARE * done / len(sources))
    if not pair_sources:
        return []
    by_source = np.concatenate(pair_sources)
    by_candidate = np.concatenate(pair_candidates)
    source_texts = np.array(source_keys, dtype=object)
    candidate_texts = np.array(candidate_keys, dtype=object)
    scores = np.empty(len(by_source), dtype=np.int64)
    start_share = _KEYS_SHARE + _PAIRS_SHARE
    for start in range(0, len(by_source), _PAIRS_PER_STEP):
        end = start + _PAIRS_PER_STEP
        scores[start:end] = process.cpdist(
            source_texts[by_source[start:end]],
            candidate_texts[by_candidate[start:end]],
            scorer=fuzz.ratio,
            workers=-1,
        ).astype(np.int64)  # whole points: shown as "name 96%", compared as shown
        report(start_share + (1 - start_share) * min(end, len(by_source)) / len(by_source))
    # Each source's pairs, best score first (equal scores: the candidate listed first).
    order = np.lexsort((by_candidate, -scores, by_source))
    by_source, by_candidate, scores = by_source[order], by_candidate[order], scores[order]
    firsts = np.flatnonzero(np.diff(by_source, prepend=-1))
    seconds = firsts + 1
    has_second = np.zeros(len(firsts), dtype=bool)
    has_second[:-1] = seconds[:-1] < firsts[1:]
    has_second[-1] = seconds[-1] < len(by_source)
    runner_up = np.zeros(len(firsts), dtype=np.int64)
    runner_up[has_second] = scores[seconds[has_second]]
    top = scores[firsts]
    confident = (top >= PRESELECT_SCORE) & (top - runner_up >= PRESELECT_MARGIN)
    return [
        (-int(score), int(source), int(candidate))
        for score, source, candidate in zip(
            top[confident],
            by_source[firsts][confident],
            by_candidate[firsts][confident],
            strict=True,
        )
    ]
