"""Toneless pinyin matching of names and aliases, for ASR homophones (社宝卡 → 社保卡)."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from knowledge.retrieval.ranking import top_rows
from knowledge.retrieval.text import exact_syllables, syllable_bigrams

# For each heard name or alias position: the IDF weight and the number of its bigrams in the query.
Heard = tuple[NDArray[np.intp], NDArray[np.float64], NDArray[np.int64]]


class PhoneticIndex:
    """Scores a document by how much of its best-matching name or alias the query sounds like.

    score = (IDF of the alias bigrams heard in the query)² / (IDF of all its bigrams):
    a fully heard alias scores its whole weight, and longer fully heard aliases win.

    Postings are numpy arrays of alias positions: at scale a common syllable pair (the 朝阳 of
    thousands of district-prefixed names) is one array addition instead of a Python loop.
    """

    def __init__(self, documents: Sequence[Sequence[str]]) -> None:
        # tuples in first-seen order, not sets: the same sums in the same order on every run
        texts: list[tuple[int, tuple[str, ...]]] = []
        frequency: dict[str, set[int]] = {}
        for row, names in enumerate(documents):
            for name in names:
                bigrams = tuple(dict.fromkeys(syllable_bigrams(name)))
                if bigrams:
                    texts.append((row, bigrams))
                    for bigram in bigrams:
                        frequency.setdefault(bigram, set()).add(row)
        size = max(len(documents), 1)
        self._idf = {b: math.log(1 + size / len(rows)) for b, rows in frequency.items()}
        postings: dict[str, list[int]] = {}
        self._positions_of_row: dict[int, list[int]] = {}
        for position, (row, bigrams) in enumerate(texts):
            self._positions_of_row.setdefault(row, []).append(position)
            for bigram in bigrams:
                postings.setdefault(bigram, []).append(position)
        self._postings = {b: np.array(p, dtype=np.intp) for b, p in postings.items()}
        self._row = np.array([row for row, _ in texts], dtype=np.intp)
        self._length = np.array([len(bigrams) for _, bigrams in texts], dtype=np.int64)
        # summed in Python, in bigram order, as the weights always were
        self._weights = np.array([sum(self._idf[b] for b in bigrams) for _, bigrams in texts], dtype=np.float64)
        self._size = len(documents)

    @lru_cache(maxsize=1024)  # noqa: B019  (scores, heard_whole and coverage share one pass)
    def _heard(self, query: str) -> Heard:
        """Positions of the names and aliases with a bigram in the query, their IDF weight heard
        and their number of bigrams heard."""
        weight = np.zeros(len(self._row), dtype=np.float64)
        count = np.zeros(len(self._row), dtype=np.int64)
        for bigram in dict.fromkeys(syllable_bigrams(query)):
            positions = self._postings.get(bigram)
            if positions is not None:  # a position holds each bigram once, so += adds every one
                weight[positions] += self._idf[bigram]
                count[positions] += 1
        heard = np.flatnonzero(count)
        return heard, weight[heard], count[heard]

    def _score_array(self, query: str) -> NDArray[np.float64]:
        """Best score per row (0 where nothing is heard; anything heard scores above 0)."""
        positions, weight, _ = self._heard(query)
        best = np.zeros(self._size, dtype=np.float64)
        np.maximum.at(best, self._row[positions], weight * weight / self._weights[positions])
        return best

    def scores(self, query: str) -> dict[int, float]:
        best = self._score_array(query)
        rows = np.flatnonzero(best)
        return dict(zip(rows.tolist(), best[rows].tolist(), strict=True))

    def best(self, query: str, k: int, allowed: NDArray[np.bool_] | None = None) -> dict[int, float]:
        """The `k` best rows (of the `allowed` rows, if given) and their scores, best first."""
        best = self._score_array(query)
        rows = np.flatnonzero(best > 0 if allowed is None else (best > 0) & allowed)
        return top_rows(rows, best[rows], k)

    def heard_whole(self, query: str, min_bigrams: int = 2) -> dict[int, int]:
        """Rows with a name or alias of at least `min_bigrams` + 1 syllables heard in full
        in the query (a sound-alike mention), with the length of the longest such one."""
        positions, _, count = self._heard(query)
        whole = (count >= min_bigrams) & (count == self._length[positions])
        found: dict[int, int] = {}
        for row, length in zip(self._row[positions[whole]].tolist(), count[whole].tolist(), strict=True):
            found[row] = max(found.get(row, 0), length)
        return found

    def coverage(self, query: str, row: int) -> float:
        """The largest share (by IDF) of one of the row's names or aliases heard in the query."""
        positions, weight, _ = self._heard(query)
        mine = np.isin(positions, self._positions_of_row.get(row, ()))
        return float((weight[mine] / self._weights[positions[mine]]).max()) if mine.any() else 0.0

    def top(self, query: str, k: int) -> list[tuple[int, float]]:
        return list(self.best(query, k).items())


class SoundAlikeCorrector:
    """Rewrites spans that sound exactly like a catalog word but are no word themselves (互照 →
    护照, 契水 → 契税, 行使证 → 行驶证), so that the dense and lexical retrievers see what was
    meant. Known words, catalog or common Chinese, are kept whole; only their exact toneless
    pinyin is compared, never the accent-folded one, to keep false corrections rare.
    """

    def __init__(
        self,
        vocabulary: Iterable[str],
        common: Callable[[str], int],
        max_common: int = 50,
        keep: Iterable[str] = (),
    ) -> None:
        self._common = common
        self._max_common = max_common
        # function words kept whole although jieba's dictionary lacks them (能不能: else 能不 → 能补)
        self._keep = {w for w in keep if len(w) >= 2}
        counts: dict[str, int] = {}
        for word in vocabulary:
            if 2 <= len(word) <= 6 and all("\u4e00" <= c <= "\u9fff" for c in word):
                counts[word] = counts.get(word, 0) + 1
        self._vocabulary = set(counts)
        self._by_sound: dict[tuple[str, ...], str] = {}
        for word in sorted(counts, key=lambda w: -counts[w]):  # the most used word wins a shared sound
            self._by_sound.setdefault(tuple(exact_syllables(word)), word)

    @lru_cache(maxsize=4096)  # noqa: B019  (one corrector lives as long as its searcher)
    def correct(self, text: str) -> str:
        out: list[str] = []
        i = 0
        while i < len(text):
            step, emitted = 1, text[i]
            for length in range(6, 1, -1):
                span = text[i : i + length]
                if len(span) < length or not all("\u4e00" <= c <= "\u9fff" for c in span):
                    continue
                if self._known(span):
                    step, emitted = length, span  # a real word: keep it whole
                    break
                word = self._by_sound.get(tuple(exact_syllables(span)))
                if word is not None and not self._cuts_a_word(text, i, i + length):
                    step, emitted = length, word
                    break
            out.append(emitted)
            i += step
        return "".join(out)

    def _known(self, span: str) -> bool:
        return span in self._vocabulary or span in self._keep or self._common(span) > self._max_common

    def _cuts_a_word(self, text: str, start: int, end: int) -> bool:
        """Whether a kept word (a question frame, a lexicon word) begins inside text[start:end] and
        runs past its end: rewriting the span would cut it in two (办好的证去哪里拿: 证去 sounds like
        政区, but 去哪里 is a frame). Not any word: 所在 of 测所在哪里 is a chance pairing (厕所)."""
        return any(
            text[inner:stop] in self._keep
            for inner in range(start + 1, end)
            for stop in range(end + 1, min(inner + 6, len(text)) + 1)
        )
