"""Toneless pinyin matching of names and aliases, for ASR homophones (社宝卡 → 社保卡)."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

from knowledge.retrieval.text import exact_syllables, syllable_bigrams


class PhoneticIndex:
    """Scores a document by how much of its best-matching name or alias the query sounds like.

    score = (IDF of the alias bigrams heard in the query)² / (IDF of all its bigrams):
    a fully heard alias scores its whole weight, and longer fully heard aliases win.
    """

    def __init__(self, documents: Sequence[Sequence[str]]) -> None:
        # tuples in first-seen order, not sets: the same sums in the same order on every run
        self._texts: list[tuple[int, tuple[str, ...]]] = []
        frequency: dict[str, set[int]] = {}
        for row, texts in enumerate(documents):
            for text in texts:
                bigrams = tuple(dict.fromkeys(syllable_bigrams(text)))
                if bigrams:
                    self._texts.append((row, bigrams))
                    for bigram in bigrams:
                        frequency.setdefault(bigram, set()).add(row)
        size = max(len(documents), 1)
        self._idf = {b: math.log(1 + size / len(rows)) for b, rows in frequency.items()}
        self._postings: dict[str, list[int]] = {}
        self._rows: dict[int, list[int]] = {}
        for position, (row, bigrams) in enumerate(self._texts):
            self._rows.setdefault(row, []).append(position)
            for bigram in bigrams:
                self._postings.setdefault(bigram, []).append(position)
        self._weights = [sum(self._idf[b] for b in bigrams) for _, bigrams in self._texts]

    @lru_cache(maxsize=1024)  # noqa: B019  (scores, heard_whole and coverage share one pass)
    def _heard(self, query: str) -> dict[int, tuple[float, int]]:
        """For each name or alias position: (IDF weight, number) of its bigrams in the query."""
        heard: dict[int, tuple[float, int]] = {}
        for bigram in dict.fromkeys(syllable_bigrams(query)):
            for position in self._postings.get(bigram, ()):
                weight, count = heard.get(position, (0.0, 0))
                heard[position] = (weight + self._idf[bigram], count + 1)
        return heard

    def scores(self, query: str) -> dict[int, float]:
        best: dict[int, float] = {}
        for position, (weight, _) in self._heard(query).items():
            row = self._texts[position][0]
            score = weight * weight / self._weights[position]
            if score > best.get(row, 0.0):
                best[row] = score
        return best

    def heard_whole(self, query: str, min_bigrams: int = 2) -> dict[int, int]:
        """Rows with a name or alias of at least `min_bigrams` + 1 syllables heard in full
        in the query (a sound-alike mention), with the length of the longest such one."""
        found: dict[int, int] = {}
        for position, (_, count) in self._heard(query).items():
            row, bigrams = self._texts[position]
            if count >= min_bigrams and count == len(bigrams):
                found[row] = max(found.get(row, 0), count)
        return found

    def coverage(self, query: str, row: int) -> float:
        """The largest share (by IDF) of one of the row's names or aliases heard in the query."""
        heard = self._heard(query)
        return max(
            (heard[p][0] / self._weights[p] for p in self._rows.get(row, ()) if p in heard), default=0.0
        )

    def top(self, query: str, k: int) -> list[tuple[int, float]]:
        return sorted(self.scores(query).items(), key=lambda item: (-item[1], item[0]))[:k]


class SoundAlikeCorrector:
    """Rewrites spans that sound exactly like a catalog word but are no word themselves (互照 →
    护照, 契水 → 契税, 行使证 → 行驶证), so that the dense and lexical retrievers see what was
    meant. Known words, catalog or common Chinese, are kept whole; only their exact toneless
    pinyin is compared, never the accent-folded one, to keep false corrections rare.
    """

    def __init__(self, vocabulary: Iterable[str], common: Callable[[str], int], max_common: int = 50) -> None:
        self._common = common
        self._max_common = max_common
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
                if span in self._vocabulary or self._common(span) > self._max_common:
                    step, emitted = length, span  # a real word: keep it whole
                    break
                word = self._by_sound.get(tuple(exact_syllables(span)))
                if word is not None:
                    step, emitted = length, word
                    break
            out.append(emitted)
            i += step
        return "".join(out)
