"""The domain lexicon (knowledge/lexicon/*.yml, shipped data): object synonyms, action
families and question-frame stop words, with the splitting of official matter names into
object + action that lets a catalog without aliases be found by everyday words.

Nothing here names a record of any catalog: objects are terms of regulations and national
item lists (居民身份证, 住房公积金), actions the verbs of matter names (补领, 换领, 提取).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import yaml

LEXICON_DIR = Path(__file__).resolve().parent.parent / "lexicon"
# The action family of a theme service (一件事): asked of the whole question, not of one object.
BUNDLE = "联办"


class LexiconError(ValueError):
    """A lexicon file is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class ObjectTerm:
    term: str  # as written inside official matter names
    synonyms: tuple[str, ...]  # everyday words and other official forms
    source: str
    # the term this one is a kind of (有限责任公司 → 企业): a question about the narrower thing is
    # also about the matters of the broader one (企业普通注销登记 closes a 有限公司)
    broader: str = ""


@dataclass(frozen=True)
class ActionFamily:
    action: str  # the family's name, e.g. 补领
    official: tuple[str, ...]  # how matter names write it: 补领, 补发, 补办
    everyday: tuple[str, ...]  # how citizens say it: 丢了, 找不到了
    source: str
    related: tuple[str, ...] = ()  # families citizens' words do not tell apart from this one
    # single-character verbs that say the family only right before an object (换 of 换身份证);
    # alone they say too little (换成, 补充)
    verbs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Purpose:
    """What a matter is done for, written in its name beside object and action (住房公积金**购房**提取,
    机动车驾驶证**损毁**换证): the one thing that tells apart matters of the same object and action."""

    purpose: str  # as written inside matter names: 购房, 偿还贷款, 期满
    everyday: tuple[str, ...]  # how citizens say it: 买房, 还月供, 到期
    source: str


@dataclass(frozen=True)
class Benefit:
    """What a policy gives, as policy names write it (优惠, 补贴, 贴息): asked for (能贴多少, 少交点),
    it says the question is about a policy rather than the procedure of the same object."""

    benefit: str
    everyday: tuple[str, ...]
    source: str
    # other ways policy names write it (减免: 减半, 减征, 扣减)
    written: tuple[str, ...] = ()


@dataclass(frozen=True)
class Agency:
    """An office as department names write it (户政, 税务, 公证处), named by citizens in their own
    words (派出所, 税务局): a question naming it is about that department's records."""

    agency: str
    everyday: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class Facility:
    """A facility of a service hall, found by what people want to do there (喂奶 → 母婴室)."""

    facility: str  # as written inside place names: 母婴, 卫生间, 邮寄
    everyday: tuple[str, ...]  # 喂奶, 上厕所, 寄回家
    source: str


# where a question's clauses end: an action said after one of these is about what follows
CLAUSE_BREAK = re.compile(r"[，,。.？?！!；;：:\s]+")
# words that, right before an action or purpose word, say it did not happen: 还没过期 asks no
# renewal, 没丢 no re-issue, 还没退休 no retirement withdrawal (还没 ends in 没, 没有 in 有 below)
# "不符合简易注销" / "不能走简易的那种" rule a purpose out as much as "没过期" does
NEGATIONS = ("没", "没有", "未", "不", "不是", "不用", "无需", "不需要", "不符合", "不能", "不能走", "走不了", "不够")
# question frames that end like a negation: 能不能补办 asks for it
QUESTION_FRAMES = ("能不能", "可不可以", "是不是")


@dataclass(frozen=True)
class Clause:
    text: str
    objects: tuple[str, ...]  # object terms the clause mentions
    actions: tuple[str, ...]  # action families the clause says


@dataclass(frozen=True)
class Split:
    """An official name cut into what it is about and what is done to it."""

    object: str | None  # the lexicon term found in the name, else the words before the action
    action: str | None  # the action family, None when the name holds no action word
    action_word: str | None  # the official word as written in the name
    known_object: bool  # whether `object` is a lexicon term (so its synonyms apply)


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise LexiconError(f"{where}: expected a list of non-empty strings")
    return tuple(v.strip() for v in value)


def _everyday_entries(path: Path, listed: str, key: str, lists: tuple[str, ...] = ()) -> list[tuple[Any, ...]]:
    """(name, everyday words, source, *optional word lists) of each entry of an optional file that
    lists things under `listed` by their `key` (purposes.yml: purposes / purpose) with how citizens
    say them; `lists` names further optional word lists (benefits.yml: written)."""
    if not path.exists():
        return []
    return [
        (
            str(e.get(key, "")).strip(),
            _strings(e.get("everyday"), f"{path.name}: {e.get(key)}: everyday"),
            str(e.get("source", "")).strip(),
            *(_strings(e.get(name), f"{path.name}: {e.get(key)}: {name}") for name in lists),
        )
        for e in _entries(path, listed)
    ]


def _entries(path: Path, key: str) -> list[dict[str, Any]]:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise LexiconError(f"{path.name}: cannot read: {error}") from None
    if not isinstance(document, dict) or not isinstance(document.get(key), list):
        raise LexiconError(f"{path.name}: expected a top-level list '{key}'")
    entries: list[dict[str, Any]] = []
    for number, entry in enumerate(document[key], start=1):
        if not isinstance(entry, dict):
            raise LexiconError(f"{path.name}: {key}[{number}]: expected a mapping")
        entries.append(entry)
    return entries


class _Words:
    """Words to find in a text, indexed by their first character: most characters of a
    question start no word, so most positions cost one lookup (a search runs this ~20 times)."""

    def __init__(self, words: dict[str, str]) -> None:
        self.words = words
        lengths: dict[str, set[int]] = {}
        for word in words:
            lengths.setdefault(word[0], set()).add(len(word))
        self.lengths = {first: sorted(found, reverse=True) for first, found in lengths.items()}

    def longest_matches(self, text: str) -> list[tuple[int, int, str]]:
        """Non-overlapping mentions in `text`, longest first at each position, left to right:
        (start, end, the value the word maps to)."""
        found = []
        position = 0
        while position < len(text):
            for length in self.lengths.get(text[position], ()):
                value = self.words.get(text[position : position + length])
                if value is not None and position + length <= len(text):
                    found.append((position, position + length, value))
                    position += length
                    break
            else:
                position += 1
        return found


class Lexicon:
    def __init__(
        self,
        objects: list[ObjectTerm],
        actions: list[ActionFamily],
        stopwords: tuple[str, ...] = (),
        purposes: list[Purpose] | None = None,
        facilities: list[Facility] | None = None,
        benefits: list[Benefit] | None = None,
        agencies: list[Agency] | None = None,
    ) -> None:
        self.objects = objects
        self.actions = actions
        self.stopwords = stopwords
        self.purposes = purposes or []
        # every way of saying a purpose (the written word itself included) -> the written word
        self._purpose_words = {w: p.purpose for p in self.purposes for w in (*p.everyday, p.purpose)}
        self.facilities = facilities or []
        self._facility_words = {w: f.facility for f in self.facilities for w in (*f.everyday, f.facility)}
        self.benefits = benefits or []
        self._benefit_words = {w: b.benefit for b in self.benefits for w in (*b.everyday, b.benefit)}
        self.agencies = agencies or []
        # an office is named by its everyday words only: the written word (税务, 社会保险) is also what
        # a question asks about ("执照注销、税务清税这些"), not where
        self._agency_words = {w: a.agency for a in self.agencies for w in a.everyday}
        self._object = {o.term: o for o in objects}
        self._family = {a.action: a for a in actions}
        # every way of saying an object, mapped to its term (the term itself included)
        self._object_words: dict[str, str] = {}
        for o in objects:
            for word in (*o.synonyms, o.term):
                self._object_words[word] = o.term
                self._object_words.setdefault(word.replace("的", ""), o.term)  # see objects_in
        # official action words -> family; everyday phrases -> family
        self._official: dict[str, str] = {w: a.action for a in actions for w in (*a.official, a.action)}
        self._everyday: dict[str, str] = {w: a.action for a in actions for w in a.everyday}
        # what a question is matched against: one character (交, 办) says too little on its own
        self._said = {w: f for w, f in {**self._everyday, **self._official}.items() if len(w) >= 2}
        self._verbs = {v: a.action for a in actions for v in a.verbs}
        # related families, both ways
        self._related = {(a.action, r) for a in actions for r in a.related}
        self._related |= {(r, a) for a, r in self._related}

    @classmethod
    def load(cls, directory: Path = LEXICON_DIR) -> Lexicon:
        objects = [
            ObjectTerm(
                term=str(e.get("term", "")).strip(),
                synonyms=_strings(e.get("synonyms"), f"objects.yml: {e.get('term')}: synonyms"),
                source=str(e.get("source", "")).strip(),
                broader=str(e.get("broader") or "").strip(),
            )
            for e in _entries(directory / "objects.yml", "objects")
        ]
        terms = {o.term for o in objects}
        for o in objects:
            if o.broader and (o.broader not in terms or o.broader == o.term):
                raise LexiconError(f"objects.yml: {o.term}: broader {o.broader} is no other term")
        actions = [
            ActionFamily(
                action=str(e.get("action", "")).strip(),
                official=_strings(e.get("official"), f"actions.yml: {e.get('action')}: official"),
                everyday=_strings(e.get("everyday"), f"actions.yml: {e.get('action')}: everyday"),
                source=str(e.get("source", "")).strip(),
                related=_strings(e.get("related"), f"actions.yml: {e.get('action')}: related"),
                verbs=_strings(e.get("verbs"), f"actions.yml: {e.get('action')}: verbs"),
            )
            for e in _entries(directory / "actions.yml", "actions")
        ]
        named = [(o.term, o.source) for o in objects] + [(a.action, a.source) for a in actions]
        purposes = [Purpose(*e) for e in _everyday_entries(directory / "purposes.yml", "purposes", "purpose")]
        facilities = [
            Facility(*e) for e in _everyday_entries(directory / "facilities.yml", "facilities", "facility")
        ]
        benefits = [
            Benefit(*e) for e in _everyday_entries(directory / "benefits.yml", "benefits", "benefit", ("written",))
        ]
        named += [(p.purpose, p.source) for p in purposes] + [(f.facility, f.source) for f in facilities]
        agencies = [Agency(*e) for e in _everyday_entries(directory / "agencies.yml", "agencies", "agency")]
        named += [(b.benefit, b.source) for b in benefits] + [(a.agency, a.source) for a in agencies]
        for name, source in named:
            if not name or not source:
                raise LexiconError(f"lexicon entry {name or '(unnamed)'}: needs a name and a source")
        stopwords: tuple[str, ...] = ()
        path = directory / "stopwords.yml"
        if path.exists():
            document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            stopwords = _stopwords(document)
        return cls(objects, actions, stopwords, purposes, facilities, benefits, agencies)

    @cached_property
    def _longest_term_length(self) -> int:
        return max((len(t) for t in self._object), default=1)

    @cached_property
    def _longest_word_length(self) -> int:
        return max((len(w) for w in self._object_words), default=1)

    @cached_property
    def _objects_said(self) -> _Words:
        return _Words(self._object_words)

    @cached_property
    def _official_words(self) -> _Words:
        return _Words(self._official)

    @cached_property
    def _actions_said(self) -> _Words:
        return _Words(self._said)

    @cached_property
    def _purposes_written(self) -> _Words:
        return _Words({p.purpose: p.purpose for p in self.purposes})

    @cached_property
    def _facilities_said(self) -> _Words:
        return _said_words(self._facility_words)

    @cached_property
    def _facilities_written(self) -> _Words:
        return _Words({f.facility: f.facility for f in self.facilities})

    @cached_property
    def _benefits_written(self) -> _Words:
        return _Words({w: b.benefit for b in self.benefits for w in (b.benefit, *b.written)})

    @cached_property
    def _benefits_said(self) -> _Words:
        return _said_words(self._benefit_words)

    @cached_property
    def _agencies_written(self) -> _Words:
        return _Words({a.agency: a.agency for a in self.agencies})

    @cached_property
    def _agencies_said(self) -> _Words:
        return _said_words(self._agency_words)

    @cached_property
    def _purposes_said(self) -> _Words:
        return _said_words(self._purpose_words)

    def words(self) -> set[str]:
        """Every multi-character word of the lexicon, for the jieba dictionary."""
        every = (
            *self._object_words, *self._official, *self._everyday, *self._purpose_words, *self._facility_words,
            *self._benefit_words,
        )
        return {w for w in every if len(w) >= 2}

    # -- official names -------------------------------------------------------------------------

    def split(self, name: str) -> Split:
        """Object + action of an official name, by the convention of knowledge/lexicon/README.md:
        the object is the longest lexicon term in the name (leftmost on ties); the action is the
        longest official word ending the rest of the name, else the earliest (then longest) one
        after the object, else the earliest one before it (补领婚姻登记证). A name the lexicon
        knows no term of splits at its first action word."""
        term = self._longest_term(name)
        if term is None:
            found = self._official_words.longest_matches(name)
            if not found:
                return Split(name or None, None, None, False)
            start, end, family = found[0]
            # as with a known object, an action word ending the name decides (…网签备案注销 → 注销)
            ending = next((name[i:] for i in range(end, len(name)) if name[i:] in self._official), None)
            if ending is not None:
                return Split(name[:start].strip() or None, self._official[ending], ending, False)
            return Split(name[:start].strip() or None, family, name[start:end], False)
        return self._split_at(name, *term, name[term[0] : term[1]])

    def _split_at(self, name: str, start: int, end: int, thing: str) -> Split:
        """The split of `name` whose object `thing` is written at name[start:end]."""
        rest = name[end:]
        ending = next((rest[i:] for i in range(len(rest)) if rest[i:] in self._official), None)
        if ending is not None:
            return Split(thing, self._official[ending], ending, True)
        for text in (rest, name[:start]):
            found = self._official_words.longest_matches(text)
            if found:
                word = text[found[0][0] : found[0][1]]
                return Split(thing, found[0][2], word, True)
        return Split(thing, None, None, True)

    def read(self, name: str) -> Split:
        """What the matching reads in an official name: its split, except that a name writing
        its object by an everyday or shorter word (用水报装, 股东变更登记, 户口迁入登记) is read
        as that word's term (供水, 股权, 户籍), so that questions naming it find the record."""
        split = self.split(name)
        if split.known_object:
            return split
        if split.object is not None:  # the words before the action: an everyday word (用电增容)?
            term = self.term_of(split.object)
            if term is not None:
                return Split(term, split.action, split.action_word, True)
            # or an object word inside them, clear of the action word (个人参保证明打印 → 参保证明)
            action_at = name.rfind(split.action_word) if split.action_word else len(name)
            inside = [
                (start, start + length, self._object_words[name[start : start + length]])
                for start in range(len(name))
                for length in range(2, min(action_at - start, self._longest_word_length) + 1)
                if name[start : start + length] in self._object_words
            ]
            if not inside:
                return split
            start, end, term = max(inside, key=lambda m: (m[1] - m[0], m[0]))
            return Split(term, split.action, split.action_word, True)
        # the action word opens the name (户口迁入登记, 用水报装): an object word inside it?
        mentions = self._objects_said.longest_matches(name)
        if not mentions:
            return split
        start, end, term = max(mentions, key=lambda m: (m[1] - m[0], -m[0]))
        return self._split_at(name, start, end, term)

    def _longest_term(self, name: str) -> tuple[int, int] | None:
        """(start, end) of the longest object term in `name`, the leftmost of equally long ones."""
        best: tuple[int, int] | None = None
        for start in range(len(name)):
            for length in range(min(self._longest_term_length, len(name) - start), 0, -1):
                if name[start : start + length] in self._object:
                    if best is None or length > best[1] - best[0]:
                        best = (start, start + length)
                    break
        return best

    def term_of(self, word: str) -> str | None:
        """The object term a word says (股东 → 股权), the term itself for a term, else None."""
        return self._object_words.get(word)

    def synonyms(self, term: str) -> tuple[str, ...]:
        entry = self._object.get(term)
        return entry.synonyms if entry else ()

    def broader(self, term: str) -> str:
        """The term `term` is a kind of (企业 for 有限责任公司), or ""."""
        entry = self._object.get(term)
        return entry.broader if entry else ""

    def family(self, action: str) -> ActionFamily | None:
        return self._family.get(action)

    def related(self, action: str, other: str) -> bool:
        """Whether citizens' words do not tell the two families apart (到期了: 换领 or 延续)."""
        return (action, other) in self._related

    def everyday_texts(self, name: str, limit: int = 3) -> tuple[str, ...]:
        """Texts a citizen might say for an official name: the object's everyday words joined
        with the action's (驾照 + 丢了 for 机动车驾驶证补领), at most `limit` of them, and one
        text of all the words for the lexical index."""
        split = self.read(name)
        objects = [*self.synonyms(split.object)[:limit]] if split.object and split.known_object else []
        if split.object and not objects:
            objects = [split.object]
        family = self._family.get(split.action) if split.action else None
        everyday = list(family.everyday[:limit]) if family else []
        if not objects and not everyday:
            return ()
        # pairs in order (驾照丢了, 驾驶证找不到了…); one side alone when the other is unknown
        objects = objects or [""] * len(everyday)
        everyday = everyday or [""] * len(objects)
        texts = [f"{o}{e}" for o, e in zip(objects, everyday, strict=False)]
        return tuple(dict.fromkeys(t for t in texts if t and t != name))

    def everyday_words(self, name: str) -> tuple[str, ...]:
        """All everyday words of an official name's object and action (for BM25)."""
        split = self.read(name)
        words = list(self.synonyms(split.object)) if split.object and split.known_object else []
        family = self._family.get(split.action) if split.action else None
        if family:
            words += [*family.official, *family.everyday]
        return tuple(dict.fromkeys(words))

    def purposes_of(self, name: str) -> tuple[str, ...]:
        """The purposes written in an official name outside its object (购房 in 住房公积金购房提取,
        期满 in 机动车驾驶证期满换证)."""
        split = self.split(name)
        rest = name.replace(split.object, " ") if split.object and split.known_object else name
        return _found(self._purposes_written, rest)

    def purpose_words(self, purpose: str) -> tuple[str, ...]:
        return tuple(w for w, p in self._purpose_words.items() if p == purpose and w != purpose)

    # -- questions ------------------------------------------------------------------------------

    # one search reads the same question (and its clauses) several times; the lexicon lives as
    # long as the process (load_lexicon), so its readings are kept
    @lru_cache(maxsize=8192)  # noqa: B019
    def _content(self, question: str) -> str:
        """The question without its frame (要交钱吗, 去哪里) and fillers, each replaced by a
        space so that no word is formed across it: 要交钱吗 asks the fee, it is no 缴纳. A frame
        inside a longer lexicon word stays (the 我 of 替我, the 吗 of 要公证吗): the word says more."""
        frames = self._frame_words.longest_matches(question)
        if frames:
            words = [
                (start, end)
                for index in (self._objects_said, self._actions_said, self._purposes_said, self._facilities_said)
                for start, end, _ in index.longest_matches(question)
            ]
            frames = [
                (start, end, f) for start, end, f in frames
                if not any(s <= start and end <= e and e - s > end - start for s, e in words)
            ]
        for start, end, _ in reversed(frames):
            question = question[:start] + " " + question[end:]
        return question

    @cached_property
    def _frame_words(self) -> _Words:
        return _Words({w: w for w in self.stopwords if len(w) >= 2})

    @lru_cache(maxsize=8192)  # noqa: B019
    def objects_in(self, question: str) -> tuple[str, ...]:
        """The object terms a question mentions, by their official or everyday words; a term
        inside another mentioned one (残疾人 beside 残疾人就业保障金) is left out: the longer says
        what the question is about."""
        # read without 的, as the words are also indexed: 消防的验收 and 用地的规划证 say the terms
        # 消防验收 and 用地规划证, whose longer reading then wins over 规划证
        mentions = self._objects_said.longest_matches(self._content(question).replace("的", ""))
        terms = list(dict.fromkeys(term for _, _, term in mentions))
        return tuple(t for t in terms if not any(t != other and t in other for other in terms))

    def without_objects(self, question: str) -> str:
        """The question without its frame, fillers and object words: what it says beyond the thing."""
        content = self._content(question)
        for start, end, _ in reversed(self._objects_said.longest_matches(content)):
            content = content[:start] + " " + content[end:]
        return content

    def clauses(self, question: str) -> tuple[Clause, ...]:
        """The question cut at its punctuation, each part with the objects and actions it says.

        An action word counts for an object only when said in the same clause: in 护照让人偷了，
        回来怎么重新办一本 or 个体户…，是不是要先注销啊 the second clause does not say what the
        first one's object needs (docs/retrieval.md, "Lexicon")."""
        parts = [p for p in CLAUSE_BREAK.split(question) if p.strip()]
        return tuple(Clause(p, self.objects_in(p), self.actions_in(p)) for p in parts)

    @lru_cache(maxsize=8192)  # noqa: B019
    def actions_in(self, question: str) -> tuple[str, ...]:
        """The action families a question says, officially or in everyday words; an action
        word inside an object's name (许可 in 食品经营许可证) says no action, while an action word
        holding an object word (装电表, 接自来水) says its action."""
        content = self._content(question)
        objects = self._objects_said.longest_matches(content)
        holding = [
            family
            for start, end, family in self._actions_said.longest_matches(content)
            if any(start <= s and e <= end and e - s < end - start for s, e, _ in objects)
            and not _negated(content, start)
        ]
        # 换身份证, 补驾照: a one-character verb right before an object it is said of
        before = [
            self._verbs[content[start - 1]]
            for start, _, _ in objects
            if start > 0 and content[start - 1] in self._verbs and not _negated(content, start - 1)
        ]
        for start, end, _ in objects:
            content = content[:start] + " " * (end - start) + content[end:]
        said = [
            family
            for start, _, family in self._actions_said.longest_matches(content)
            if not _negated(content, start)
        ]
        return tuple(dict.fromkeys(holding + before + said))

    def facilities_of(self, name: str) -> tuple[str, ...]:
        """The hall facilities a place's name holds (母婴 in 母婴休息室), by their written word."""
        return _found(self._facilities_written, name)

    def facility_words(self, facility: str) -> tuple[str, ...]:
        return tuple(w for w, f in self._facility_words.items() if f == facility and w != facility)

    def facilities_in(self, question: str) -> tuple[str, ...]:
        """The facilities a question asks for, by what one does there (喂奶, 上厕所)."""
        said = self._facilities_said.longest_matches(self._content(question))
        return tuple(dict.fromkeys(f for _, _, f in said))

    @lru_cache(maxsize=8192)  # noqa: B019  (a search's matching and its reading both ask)
    def purposes_in(self, question: str) -> tuple[str, ...]:
        """The purposes a question says (还月供 → 偿还贷款, 买了房 → 购房)."""
        return self._said_in(self._purposes_said, question)

    def benefits_of(self, name: str) -> tuple[str, ...]:
        """The benefits a policy's name writes (贴息 in 创业担保贷款贴息)."""
        return _found(self._benefits_written, name)

    @lru_cache(maxsize=8192)  # noqa: B019  (a search's matching and its reading both ask)
    def benefits_in(self, question: str) -> tuple[str, ...]:
        """The benefits a question asks for (能贴多少 → 贴息), none when negated (不需要补贴)."""
        return self._said_in(self._benefits_said, question)

    def agencies_of(self, department: str) -> tuple[str, ...]:
        """The offices a department's name writes (户政 in 长春市公安局户政管理支队)."""
        return _found(self._agencies_written, department)

    @lru_cache(maxsize=8192)  # noqa: B019  (a search's matching and its reading both ask)
    def agencies_in(self, question: str) -> tuple[str, ...]:
        """The offices a question names (派出所开的那种 → 户政, 税务那边 → 税务)."""
        return self._said_in(self._agencies_said, question)

    def _said_in(self, words: _Words, question: str) -> tuple[str, ...]:
        """What `words` finds in a question's content, unless said not to have happened."""
        content = self._content(question)
        said = words.longest_matches(content)
        return tuple(dict.fromkeys(value for start, _, value in said if not _negated(content, start)))

    def expand_query(self, question: str) -> str:
        """The question with the official words of what it says in everyday words appended
        (驾照丢了 → 驾照丢了 机动车驾驶证 补领 补发), for the lexical index."""
        extra = [t for t in self.objects_in(question) if t not in question]
        for family in self.actions_in(question):
            extra += [w for w in self._family[family].official if w not in question]
        return question if not extra else question + " " + " ".join(dict.fromkeys(extra))


def _said_words(words: dict[str, str]) -> _Words:
    """The words matched against a question: one character (交, 办) says too little on its own."""
    return _Words({w: value for w, value in words.items() if len(w) >= 2})


def _found(words: _Words, name: str) -> tuple[str, ...]:
    """What `words` finds written in a name, each once, in order."""
    return tuple(dict.fromkeys(value for _, _, value in words.longest_matches(name)))


def _negated(text: str, start: int) -> bool:
    """Whether the word at text[start:] is said not to have happened (还没过期, 没有丢)."""
    before = text[:start].rstrip()
    return before.endswith(NEGATIONS) and not before.endswith(QUESTION_FRAMES)


def _word(name: str, offset: int, match: tuple[int, int, str] | None) -> str | None:
    return name[offset + match[0] : offset + match[1]] if match else None


def _stopwords(document: Any) -> tuple[str, ...]:
    """Stop words from stopwords.yml: a list, or lists under any keys."""
    if isinstance(document, list):
        return _strings(document, "stopwords.yml")
    if isinstance(document, dict):
        words: list[str] = []
        for key, value in document.items():
            if isinstance(value, list):
                words += [w for w in value if isinstance(w, str)]
            elif isinstance(value, dict):
                words += _stopwords(value)
            elif isinstance(value, str) and key != "source":
                words += value.split()
        return tuple(dict.fromkeys(w.strip() for w in words if w.strip()))
    return ()


@lru_cache(maxsize=4)
def load_lexicon(directory: Path = LEXICON_DIR) -> Lexicon:
    return Lexicon.load(directory)
