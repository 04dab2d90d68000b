"""Hybrid search: dense (faiss), BM25 (jieba), phonetic (pinyin) and catalog entities, fused
by weighted reciprocal rank, with a calibrated confidence and a margin over the runner-up."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from knowledge.retrieval import ranking, text
from knowledge.retrieval.documents import SearchDoc
from knowledge.retrieval.encoders import Encoder
from knowledge.retrieval.entities import EntityFinder
from knowledge.retrieval.lexical import BM25
from knowledge.retrieval.lexicon import BUNDLE, Lexicon
from knowledge.retrieval.phonetic import PhoneticIndex, SoundAlikeCorrector
from knowledge.retrieval.vector_index import VectorIndex

PARTS = ("dense", "bm25", "pinyin", "entity")
# Match features from the lexicon, the same in any catalog: does the record's object (居民身份证)
# and action (补领) agree with what the question says? Added to the fused score as they are.
# "benefit": the question asks for what a policy gives (优惠, 能贴多少), so policies come first.
# "subject": what a theme or a place is about is named (老人走了 → 身后一件事, 寄到家 → 邮寄 window):
# their texts are short, so the retrievers rank them low, and the naming weighs more than for a matter
# "agency": the question names the office that handles the record (派出所开的那种 → 户政, 税务那边)
MATCHES = ("object", "action", "purpose", "benefit", "subject", "agency")
# Decisions on the calibrated confidence (see docs/retrieval.md for the trade-off): at or
# above CONFIDENT the caller may answer from the first record; from ASK up it should offer
# the first few and ask which one; below ASK it should say that it found nothing.
CONFIDENT = 0.7
ASK = 0.2
CALIBRATION_FILE = Path(__file__).with_name("calibration.json")
# the prior on policies against matters when a question is a bare object (公积金): like a place's
BARE_POLICY_PRIOR = 0.7
# an action said of no object is unsure among the records doing it (公证去哪办) unless the first
# record leads by this share of its score: then the question's other words decided (我爸走了，银行
# 说要先做个公证 → 继承公证 at a margin of 0.53; the 公证 questions without them lead by 0.1-0.2)
BARE_ACTION_MARGIN = 0.3
# the object match of a record whose object the question names by a kind of it (公司 → 企业)
BROADER_MATCH = 0.5
# a question asking for the window of what is done there ("办身份证、户口那些的窗口在哪", "开公司
# 那个窗口在哪") is about the place holding those windows; "契税在哪个窗口交" asks for the matter
WINDOW = re.compile(r"(的|那个|那些|这个)[^，。？?！!\s]{0,4}窗口")
# Scores are ranked on a grid of 10^-SCORE_DIGITS: dense cosines (and the float sums built on them)
# differ in their last digits across CPUs and thread counts, and that noise must not reorder
# records whose scores tie; ties are then broken by catalog order (the row), the same everywhere.
SCORE_DIGITS = ranking.SCORE_DIGITS


def quantised(score: float) -> float:
    """A score on the ranking grid (see SCORE_DIGITS); the same arithmetic as ranking.quantise."""
    scale = 10.0**SCORE_DIGITS
    return round(score * scale) / scale


@dataclass(frozen=True)
class FusionConfig:
    """How retrievers are fused: weighted reciprocal rank ("rrf", rank offset `rrf_k`), a
    weighted sum of scores scaled by each retriever's best score ("score"), or a weighted sum
    of each score's standing among that retriever's candidates ("zscore")."""

    weights: dict[str, float] = field(
        default_factory=lambda: {
            # object/action: `evaluate --lexicon --tune-matches` on the alias-free dev sets
            "dense": 1.5, "bm25": 0.5, "pinyin": 0.25, "entity": 0.5, "object": 0.25, "action": 0.25,
            "purpose": 0.25, "benefit": 0.75, "subject": 0.5, "agency": 0.5,
        }
    )
    # chosen by `make eval-fusion` (docs/retrieval.md): z-score fusion beat RRF on held-out questions
    method: str = "zscore"
    rrf_k: float = 2.0
    depth: int = 50  # how many candidates each retriever contributes
    # a prior per kind of record: place names ("社保窗口") also occur in questions about matters
    kind_weights: dict[str, float] = field(default_factory=lambda: {"place": 0.7})


def _top_value(config: FusionConfig) -> float:
    """What the best-ranked record gets from one retriever of weight 1."""
    return {"rrf": 1 / (config.rrf_k + 1), "zscore": 1.0}.get(config.method, 1.0)


def fuse(
    raw: dict[str, dict[int, float]],
    config: FusionConfig,
    kinds: list[str],
    allowed: set[int] | None = None,
) -> tuple[dict[int, float], dict[int, dict[str, int]]]:
    """Fused score per record, and each record's 1-based rank in every retriever.

    `kinds[row]` is the kind of record of each row, for the kind prior."""
    fused: dict[int, float] = {}
    ranks: dict[int, dict[str, int]] = {}
    for part, scores in raw.items():
        if part in MATCHES:
            continue
        rows = scores if allowed is None else [r for r in scores if r in allowed]
        ranked = sorted(rows, key=lambda r: (-quantised(scores[r]), r))[: config.depth]
        best = scores[ranked[0]] if ranked else 0.0
        values = [scores[r] for r in ranked]
        mean = sum(values) / len(values) if values else 0.0
        spread = (sum((v - mean) ** 2 for v in values) / len(values)) ** 0.5 if values else 0.0
        for rank, row in enumerate(ranked, start=1):
            if config.method == "rrf":
                gain = 1 / (config.rrf_k + rank)
            elif config.method == "zscore":
                # how far above this retriever's own candidates the record stands: dense
                # scores are packed closely, BM25 ones spread widely
                gain = max((scores[row] - mean) / spread, 0.0) / 4 if spread > 0 else 0.0
            else:
                gain = scores[row] / best if best > 0 else 0.0
            fused[row] = fused.get(row, 0.0) + config.weights[part] * gain
            ranks.setdefault(row, {})[part] = rank
    for part in MATCHES:  # they reorder the retrievers' candidates, never add one
        for row, value in raw.get(part, {}).items():
            if row in fused:
                fused[row] += config.weights.get(part, 0.0) * value
    if allowed is None:  # a search restricted to one kind needs no prior between kinds
        named, served = raw.get("object", {}), raw.get("agency", {})
        for row in fused:
            # the place prior is against place names said in a matter's question (社保窗口); a
            # place asked for by its use (喂奶 → 母婴休息室, its object match) or by the office it
            # serves (公证处在哪 → 公证窗口) needs no discount
            if not (kinds[row] == "place" and (named.get(row, 0.0) > 0 or served.get(row, 0.0) > 0)):
                fused[row] *= config.kind_weights.get(kinds[row], 1.0)
    return {row: quantised(score) for row, score in fused.items()}, ranks


@dataclass(frozen=True)
class Hit:
    doc: SearchDoc
    score: float
    parts: dict[str, int]  # retriever -> 1-based rank of this record there


@dataclass(frozen=True)
class SearchResult:
    query: str
    hits: list[Hit]
    confidence: float  # calibrated probability that hits[0] is what the user means
    margin: float  # relative lead of hits[0] over hits[1], 0..1
    features: dict[str, float]
    # what the lexicon reads in the question, by kind (HybridSearcher.reading): no objects means
    # the question leaves the thing to its context ("过期了换一本新的要啥")
    reading: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def objects(self) -> tuple[str, ...]:
        return self.reading.get("objects", ())

    @property
    def decision(self) -> str:
        if not self.hits:
            return "none"
        if self.confidence < CONFIDENT and self.features.get("carried", 1.0) == 0.0:
            # the question names only things no record is about (低保, 结婚登记, 养狗的狗证) and
            # the search is unsure: a list of other objects' records would only mislead. Sure
            # results stay a choice (代开发飘 heard for 代开发票 finds its record at 0.999)
            return "none"
        if self.confidence < ASK:
            # a bare object (公积金, 护照在哪个窗口办) whose matters were found: which of them is
            # unsure, that the catalog holds the thing is not, so ask rather than say nothing
            return "ask" if self.features.get("bare") else "none"
        return "answer" if self.confidence >= CONFIDENT and self._may_answer() else "ask"

    def _may_answer(self) -> bool:
        """Evidence that no confidence outweighs: the first record is never answered when
        - the question names only things no record is about (烟草专卖零售许可证, 离婚手续 in a
          catalog without them), however close its words are to another record's;
        - the first record holds none of the question's words (银行信用卡 heard as 社保卡): found by
          sound or vector alone;
        - it is a theme (一件事) and the question asks for no bundle (附近有什么好吃的饭馆 against
          开饭店一件事): a theme's subject alone is no evidence (docs/retrieval.md);
        - the question says an action and names no object, and the runners-up do that action to
          other objects (公证去哪办: 出生, 学历 and 无犯罪记录 are all notarised): which one is the
          caller's to say, or the conversation's (the bot reads it with the matter in context)."""
        features = self.features
        return not (
            features.get("carried", 1.0) == 0.0
            or features.get("coverage", 1.0) == 0.0
            or features.get("unasked_theme", 0.0) == 1.0
            or features.get("bare_action", 0.0) == 1.0
        )


class Calibrator:
    """Logistic map from ranking features to the probability that the top hit is right.

    Coefficients come from `make calibrate` (fitted on the development question set) and
    live in calibration.json beside this file.
    """

    FEATURES = (
        "fused", "margin", "dense_top", "pinyin_coverage", "entity", "agreement", "content", "object", "action",
        "coverage", "known", "specific", "carried", "said_action",
    )

    def __init__(self, coefficients: dict[str, float] | None = None) -> None:
        if coefficients is None:
            coefficients = json.loads(CALIBRATION_FILE.read_text())["coefficients"]
        self.coefficients = coefficients

    def probability(self, features: dict[str, float]) -> float:
        z = self.coefficients.get("bias", 0.0) + sum(
            self.coefficients.get(name, 0.0) * features[name] for name in self.FEATURES
        )
        return 1 / (1 + math.exp(-max(min(z, 30.0), -30.0)))


class HybridSearcher:
    def __init__(
        self,
        docs: list[SearchDoc],
        encoder: Encoder,
        index: VectorIndex,
        text_owner: list[int],
        entities: EntityFinder | None,
        fusion: FusionConfig | None = None,
        calibrator: Calibrator | None = None,
        lexicon: Lexicon | None = None,
    ) -> None:
        """`index` holds the dense vectors of every doc's dense_texts; `text_owner[i]` is the
        doc row of vector i."""
        self.docs = docs
        self.encoder = encoder
        self.index = index
        self.text_owner = text_owner
        self.entities = entities
        self.fusion = fusion or FusionConfig()
        self.calibrator = calibrator or Calibrator()
        self.lexicon = lexicon
        # the object and the action family the lexicon read in each record's name
        self._object = [d.object for d in docs]
        self._action = [d.action for d in docs]
        self._purposes = [d.purposes for d in docs]
        self._subjects = [set(d.subjects) for d in docs]
        self._benefits = [set(d.benefits) for d in docs]
        self._agencies = [set(d.agencies) for d in docs]
        self._windows = [set(d.windows) for d in docs]
        # each name without its action word (往来台湾通行证及签注 of …签发), see _bare_action
        self._name_without_action = [_without_action_word(d.name, lexicon) for d in docs]
        self._row_of_key = {d.key: row for row, d in enumerate(docs)}
        # the lexicon objects some record of this catalog is about or names in its name: a question
        # naming only objects outside this set asks for what the catalog lacks (an alias that
        # mentions a thing, 离婚后的婚姻状况公证, does not make the catalog hold its matters)
        self._carried = self._objects_carried(docs) if lexicon is not None else set()
        self.kinds = [d.kind for d in docs]
        self._of_kind = {kind: np.array([k == kind for k in self.kinds], dtype=np.bool_) for kind in set(self.kinds)}
        self.bm25 = BM25([text.tokens(d.lexical_text) for d in docs])
        self.phonetic = PhoneticIndex([d.phonetic_texts for d in docs])
        # the lexicon's words and question frames are words too: 去哪里 must not become 政区哪里
        known = lexicon.words() | set(lexicon.stopwords) if lexicon is not None else set()
        self.corrector = SoundAlikeCorrector(
            [t for d in docs for t in (d.name, *d.aliases, *text.tokens(d.lexical_text))],
            text.word_frequency,
            keep=text.STOP_WORDS | text.ELEMENT_WORDS | known,
        )

    def _objects_carried(self, docs: list[SearchDoc]) -> set[str]:
        assert self.lexicon is not None
        carried = {d.object for d in docs if d.object} | {s for d in docs for s in d.subjects}
        for d in docs:
            carried.update(self.lexicon.objects_in(d.name))
        return carried

    def document(self, key: str) -> SearchDoc | None:
        """The search document of a record ("matter:<id>"), with what the lexicon added to it."""
        row = self._row_of_key.get(key)
        return None if row is None else self.docs[row]

    # -- retrievers: each returns {row: score} -------------------------------------------------

    def _dense(self, query: str) -> dict[int, float]:
        vector = self.encoder.encode_queries([query])[0]
        pooled: dict[int, float] = {}
        for position, score in self.index.search(vector, self.fusion.depth * 4):
            row = self.text_owner[position]
            pooled[row] = max(pooled.get(row, -1.0), quantised(score))
        return pooled

    def _entity(self, query: str) -> dict[int, float]:
        """Records mentioned by name or alias: exactly (spaCy EntityRuler), or by a mention
        that sounds the same (ASR wrote 社宝卡 for 社保卡), which counts a little less."""
        found: dict[int, float] = {
            row: length * 0.9 for row, length in self.phonetic.heard_whole(query).items()
        }
        if self.entities is None:
            return found
        for entity in self.entities.find(query):
            row = self._row_of_key.get(entity.key)
            if row is not None:  # longer mentions are more specific
                found[row] = max(found.get(row, 0.0), float(entity.end - entity.start))
        return found

    def retrieve(
        self, query: str, parts: Iterable[str] = PARTS, kind: str | None = None, depth: int | None = None
    ) -> dict[str, dict[int, float]]:
        """Each retriever's scores. Without `depth`, every record BM25 and pinyin touch (for
        evaluation, which re-fuses them); with it, only their `depth` best of `kind`, which is
        all that fusion reads: at scale they touch thousands of records."""
        parts = tuple(parts)
        # ASR homophones rewritten into catalog words (part of the phonetic component, so an
        # ablation without "pinyin" also goes without it); the pinyin retriever hears the original
        heard = self.corrector.correct(query) if "pinyin" in parts else query
        allowed = None if not kind else self._of_kind.get(kind, np.zeros(len(self.docs), dtype=np.bool_))
        # BM25 also hears the official words of what the question says in everyday words (驾照 → 机动车驾驶证)
        lexical = text.tokens(heard if self.lexicon is None else self.lexicon.expand_query(heard))
        runners: dict[str, Callable[[], dict[int, float]]] = {
            "dense": lambda: self._dense(heard),
            "bm25": lambda: (
                self.bm25.scores(lexical) if depth is None else self.bm25.best(lexical, depth, allowed)
            ),
            "pinyin": lambda: (
                self.phonetic.scores(query) if depth is None else self.phonetic.best(query, depth, allowed)
            ),
            "entity": lambda: self._entity(heard),
        }
        raw = {part: runners[part]() for part in parts}
        if self.lexicon is not None:
            raw.update(self._matches(heard, {row for scores in raw.values() for row in scores}, query))
        return raw

    def _matches(self, query: str, candidates: set[int], original: str | None = None) -> dict[str, dict[int, float]]:
        """For the candidates: object match (1: the record's object is named in the question,
        by any of its words) and action match, only for a record whose object is named: 1 when
        a clause naming that object says the record's action family, -1 when it says only other
        families, absent otherwise. An action said elsewhere in a long sentence (是不是要先注销啊)
        or about another object (医保缴费的证明 against 公积金缴存) is no evidence either way."""
        assert self.lexicon is not None
        clauses = self.lexicon.clauses(query)
        objects = set(self.lexicon.objects_in(query))
        # a kind of a record's object said (公司 of 企业普通注销登记): the narrower term, by the broader;
        # only as the one thing named (公司要注销先开清税证明 asks for the 清税证明)
        narrower = {self.lexicon.broader(o): o for o in objects if self.lexicon.broader(o) and len(objects) == 1}
        # 能不能一起办: several matters together, i.e. a theme, whichever objects are named
        bundle = any(BUNDLE in c.actions for c in clauses)
        said = {a for c in clauses for a in c.actions}
        purposes = set(self.lexicon.purposes_in(query))
        # facilities as asked, not as rewritten: their words are short and sound like others
        # (去检车 → 取件车, 有几套 → 邮寄套), and a place answered wrongly is answered confidently
        facilities = set(self.lexicon.facilities_in(query if original is None else original))
        object_rows: dict[int, float] = {}
        action_rows: dict[int, float] = {}
        purpose_rows: dict[int, float] = {}
        # any policy gives something, and so does a matter that claims a benefit (…补贴申领); one
        # whose name writes the benefit asked for (贴息) most of all
        benefits = set(self.lexicon.benefits_in(query))
        benefit_rows = {
            row: 1.0 if self._benefits[row] & benefits else 0.5
            for row in candidates
            if benefits and (self.kinds[row] == "policy" or self._benefits[row])
        }
        for row in candidates:
            if self._action[row] == BUNDLE:
                # asked for a bundle, themes are told apart by what they are about (开饭馆 / 老人走了);
                # unasked, a theme must not take a single matter's question (退休了养老金怎么领)
                if bundle:
                    action_rows[row] = 1.0
                    if self._subjects[row] & objects:
                        object_rows[row] = 1.0
                continue
            if self.kinds[row] == "place":
                if self._subjects[row] & facilities:  # 喂奶 → the 母婴 room
                    object_rows[row] = 1.0
                continue
            thing = self._object[row]
            if not thing:
                continue
            # an object the lexicon does not know counts when the question says it word for word
            said_itself = thing in objects or (len(thing) >= 2 and thing in query)
            kind_of = narrower.get(thing, "")
            if not said_itself and not kind_of:
                continue
            # a kind of the object is less sure evidence: the narrower thing may have its own matters
            object_rows[row] = 1.0 if said_itself else BROADER_MATCH
            # what it is for (购房 / 租房 of 住房公积金提取): said → +1, another one said → -1
            if self._purposes[row] and purposes:
                purpose_rows[row] = 1.0 if purposes & set(self._purposes[row]) else -1.0
            action = self._action[row]
            asked = {
                a for c in clauses if thing in c.objects or thing in c.text or kind_of in c.objects for a in c.actions
            }
            # the action weighs as much as the object it is said of
            if action and bundle:
                action_rows[row] = -object_rows[row]
            elif action and asked:
                if action in asked:
                    action_rows[row] = object_rows[row]
                # another action beside the object is no evidence against a record whose own action
                # the question says elsewhere (想让我弟替我卖房，得做什么公证: 卖房 is what is entrusted)
                elif not any(self.lexicon.related(action, a) for a in asked) and action not in said:
                    action_rows[row] = -object_rows[row]
        if WINDOW.search(query):
            # "办身份证、户口那些的窗口在哪": the windows of the named things' matters are what a place
            # is about, as much as its facility is (喂奶 → 母婴室)
            of = [row for row, v in object_rows.items() if v == 1.0 and self.kinds[row] == "matter"]
            if not objects:  # "水电气报装的窗口在哪": the windows of the matters doing the action said
                of = [row for row in candidates if self._action[row] in said]
            windows = {w for row in of for w in self._windows[row]}
            object_rows.update(
                {row: 1.0 for row in candidates if self.kinds[row] == "place" and self._windows[row] & windows}
            )
        subject_rows = {row: 1.0 for row in object_rows if self.kinds[row] in ("theme", "place")}
        agencies = set(self.lexicon.agencies_in(query))
        agency_rows = {row: 1.0 for row in candidates if agencies and self._agencies[row] & agencies}
        return {
            "object": object_rows, "action": action_rows, "purpose": purpose_rows, "benefit": benefit_rows,
            "subject": subject_rows, "agency": agency_rows,
        }

    # -- fusion ---------------------------------------------------------------------------------

    def search(
        self, query: str, k: int = 5, kind: str | None = None, parts: Iterable[str] = PARTS
    ) -> SearchResult:
        return self.rank(query, self.retrieve(query, parts, kind, self.fusion.depth), k, kind)

    def rank(
        self, query: str, raw: dict[str, dict[int, float]], k: int = 5, kind: str | None = None
    ) -> SearchResult:
        """Fuse the retrievers' scores into one ranking (split from `search` so that
        evaluation can re-fuse cached retriever output under other settings)."""
        allowed = None if not kind else {row for row, k in enumerate(self.kinds) if k == kind}
        fused, ranks = fuse(raw, self.fusion, self.kinds, allowed)
        if allowed is None and not self._specific(query):
            # a bare object (公积金) asks about the thing's matters; a benefit is asked for by its
            # own words (补贴, 缓缴), so policies come after the matters the object names
            fused = {r: quantised(v * BARE_POLICY_PRIOR) if self.kinds[r] == "policy" else v for r, v in fused.items()}
        order = sorted(fused, key=lambda r: (-fused[r], r))
        hits = [Hit(self.docs[r], fused[r], ranks[r]) for r in order[:k]]
        features = self._features(query, raw, fused, order, ranks)
        confidence = self.calibrator.probability(features) if order else 0.0
        return SearchResult(
            query, hits, round(confidence, 4), round(features["margin"], 4), features, self.reading(query)
        )

    def reading(self, query: str) -> dict[str, tuple[str, ...]]:
        """What the lexicon reads in a question (after the sound-alike rewrite): the object terms
        it names (身份证 → 居民身份证), the action families (丢了 → 补领), purposes (买房 → 购房),
        benefits (能贴多少 → 贴息), hall facilities (喂奶 → 母婴) and offices (派出所 → 户政). Empty
        without a lexicon."""
        if self.lexicon is None:
            return {}
        heard = self.corrector.correct(query)
        return {
            "objects": self.lexicon.objects_in(heard),
            "actions": self.lexicon.actions_in(heard),
            "purposes": self.lexicon.purposes_in(heard),
            "benefits": self.lexicon.benefits_in(heard),
            "facilities": self.lexicon.facilities_in(query),
            "agencies": self.lexicon.agencies_in(heard),
        }

    def _features(
        self,
        query: str,
        raw: dict[str, dict[int, float]],
        fused: dict[int, float],
        order: list[int],
        ranks: dict[int, dict[str, int]],
    ) -> dict[str, float]:
        best_possible = sum(self.fusion.weights[p] * _top_value(self.fusion) for p in raw if p not in MATCHES) or 1.0
        if not order:
            return {name: 0.0 for name in (*Calibrator.FEATURES, "bare", "bare_action")}
        top = order[0]
        top_score = fused[top]
        second = fused[order[1]] if len(order) > 1 else 0.0
        dense = raw.get("dense", {})
        heard = self.corrector.correct(query)
        said = text.tokens(heard)
        specific = self._specific(query)
        return {
            "object": raw.get("object", {}).get(top, 0.0),
            "action": raw.get("action", {}).get(top, 0.0),
            "fused": top_score / best_possible,
            "margin": (top_score - second) / top_score if top_score else 0.0,
            "dense_top": dense.get(top, 0.0),
            "pinyin_coverage": self.phonetic.coverage(query, top) if "pinyin" in raw else 0.0,
            "entity": 1.0 if raw.get("entity", {}).get(top) else 0.0,
            # in how many retrievers the top record is also first
            "agreement": sum(1 for r in ranks[top].values() if r == 1) / max(len(set(raw) - set(MATCHES)), 1),
            # how much the question says beyond stop and element words ("那要多少钱" says nothing)
            "content": min(len(said), 3) / 3,
            **self._coverage(said, top, raw.get("object", {}).get(top, 0.0) > 0),
            "specific": specific,
            **self._lexicon_evidence(heard, top),
            # not a calibration feature (see SearchResult._may_answer)
            "bare_action": self._bare_action(heard, order, close=top_score - second < BARE_ACTION_MARGIN * top_score),
            # not a calibration feature: the question is a bare object (社保, 公积金): the catalog
            # holds its matters even when none is that exact object (社保 → 社会保障卡申领)
            "bare": 1.0 if not specific else 0.0,
        }

    def _lexicon_evidence(self, heard: str, top: int) -> dict[str, float]:
        """Two signs that the first record is not what is asked, the same in any catalog:
        "carried" is 0 when the question names objects and no record of the catalog is about or
        names any of them (开小卖部想卖烟，烟草专卖零售许可证怎么办 in a catalog without tobacco);
        "said_action" is 0 when the question says actions, names no object of the first record,
        and that record's action is none of them nor related (学位英语考试什么时候报名 against a
        notarisation; with its object named, an action word heard otherwise is weaker evidence,
        the object match and action match speak there). 1 otherwise, and without a lexicon.
        `heard` is the question after the sound-alike rewrite."""
        if self.lexicon is None:
            return {"carried": 1.0, "said_action": 1.0, "unasked_theme": 0.0}
        named = self.lexicon.objects_in(heard)
        said = self.lexicon.actions_in(heard)
        action = self._action[top]
        thing = self._object[top]
        # the first record's own action said (毕业证要拿到国外用，得公证一下 → 学历学位公证): the
        # lexicon's object differs from the record's, the request does not
        action_said = action is not None and any(a == action or self.lexicon.related(action, a) for a in said)
        carried = 0.0 if named and not any(t in self._carried for t in named) and not action_said else 1.0
        agrees = not said or not action or (thing is not None and (thing in named or thing in heard)) or action_said
        # not a calibration feature: a theme first, though no bundle is asked (see SearchResult)
        unasked_theme = self._action[top] == BUNDLE and BUNDLE not in said
        return {
            "carried": carried,
            "said_action": 1.0 if agrees else 0.0,
            "unasked_theme": 1.0 if unasked_theme else 0.0,
        }

    def _bare_action(self, heard: str, order: list[int], close: bool) -> float:
        """1 when the question says an action but no object, and the first record, `close` to the
        runner-up, is one of several in the top three with that action and different objects
        (公证去哪办)."""
        if not close or self.lexicon is None or self.lexicon.objects_in(heard):
            return 0.0
        said = set(self.lexicon.actions_in(heard))
        top = order[0]
        action, thing = self._action[top], self._object[top]
        if not said or action not in said or (thing and thing in heard):
            return 0.0
        # the question says words of the record's name besides its action ("台湾申领" of 往来台湾
        # 通行证及签注签发): it names the thing in words the lexicon does not know
        rest = self._name_without_action[top]
        if any(heard[i : i + 2] in rest for i in range(len(heard) - 1)):
            return 0.0
        others = [r for r in order[1:3] if self._action[r] == action and self._object[r] != thing]
        return 1.0 if others else 0.0

    def _specific(self, query: str) -> float:
        """0 for a bare object (公积金, 护照在哪个窗口办): the question names a thing and, beyond
        frame and element words, nothing else, so it fits every matter of that thing alike and
        the caller should be asked which one."""
        if self.lexicon is None:
            return 1.0
        heard = self.corrector.correct(query)
        if not self.lexicon.objects_in(heard):
            return 1.0
        return 1.0 if text.tokens(self.lexicon.without_objects(heard)) else 0.0

    def _coverage(self, said: tuple[str, ...], top: int, named: bool) -> dict[str, float]:
        """How much of what the question says the first record accounts for ("coverage": its
        words' share of the question's IDF, a word no record holds counting as the rarest), and
        how much of it the catalog knows at all ("known"). A question from outside the catalog
        (学位英语考试什么时候报名, 银行信用卡怎么办理) shares one word with its first record, and
        the rest no record holds. A place whose facility the question `named` covers it: a
        place's texts are a name and a line, the rest of such a question is how to find it."""
        if not said:
            return {"coverage": 0.0, "known": 0.0}
        weights = [self.bm25.idf(t) or self.bm25.rarest_idf for t in said]
        if named and self.kinds[top] == "place":
            covered = sum(weights)
        else:
            covered = sum(w for t, w in zip(said, weights, strict=True) if self.bm25.contains(t, top))
        known = sum(1 for t in said if self.bm25.idf(t) > 0)
        return {"coverage": covered / (sum(weights) or 1.0), "known": known / len(said)}


def _without_action_word(name: str, lexicon: Lexicon | None) -> str:
    """A record's name without the action word the lexicon reads in it (签发 of 往来台湾通行证及签注签发)."""
    word = lexicon.read(name).action_word if lexicon is not None else None
    return name.replace(word, "") if word else name


def dense_texts(docs: list[SearchDoc]) -> tuple[list[str], list[int]]:
    """Every dense text of every doc, with the row of the doc it belongs to."""
    texts: list[str] = []
    owner: list[int] = []
    for row, doc in enumerate(docs):
        for t in dict.fromkeys(doc.dense_texts):  # de-duplicated, order kept
            texts.append(t)
            owner.append(row)
    return texts, owner
