"""What is searchable about each catalog record: the texts each retriever sees."""

from __future__ import annotations

from dataclasses import dataclass

from catalog.loader import Catalog
from knowledge.retrieval.lexicon import BUNDLE, Lexicon


@dataclass(frozen=True)
class SearchDoc:
    kind: str  # matter | policy | theme | place
    id: str
    name: str
    aliases: tuple[str, ...]
    dense_texts: tuple[str, ...]  # embedded one by one, pooled by max
    lexical_text: str  # BM25 over jieba tokens
    snippet: str
    # what the lexicon reads in the official name (None without a lexicon or a match)
    object: str | None = None
    action: str | None = None
    # what the matter is done for, as its name writes it (购房 in 住房公积金购房提取)
    purposes: tuple[str, ...] = ()
    # what a theme or a place is about: the lexicon objects a theme's name names (饭店 in 开饭店一件事),
    # the hall facility a place's name names (母婴 in 母婴休息室)
    subjects: tuple[str, ...] = ()
    # the benefits a policy, or the matter that claims one, writes in its name (贴息, 补贴)
    benefits: tuple[str, ...] = ()
    # the offices its department's name writes (户政, 税务), named by citizens as 派出所, 税务局
    agencies: tuple[str, ...] = ()
    # the hall windows a matter is handled at, or a place stands for (社保窗口: 16-19)
    windows: tuple[int, ...] = ()
    # the everyday texts generated from the lexicon, already inside dense_texts / lexical_text
    expansions: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"

    @property
    def phonetic_texts(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


# Words that say what kind of record is wanted. A policy question talks about 补贴 or 减免
# rather than a procedure; a theme question asks to do several things 一次/一起.
POLICY_TYPE_WORDS = {
    "减": "减征 减半 优惠 少交 税收优惠",
    "免": "免征 免交 不用交 减免 优惠",
    "缓": "缓缴 晚交 延期缴纳 暂缓",
    "奖": "补贴 奖励 奖补 补助 资金",
}
THEME_WORDS = "一件事 一次办 一起办 一块办 一并办理 一次办完 联办 打包办"


def _first_sentence(text: str, limit: int = 80) -> str:
    for stop in "。；;":
        if stop in text:
            text = text.split(stop)[0] + "。"
            break
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Expansion:
    """What the lexicon adds to a record from its official name alone (docs/retrieval.md)."""

    object: str | None = None
    action: str | None = None
    texts: tuple[str, ...] = ()  # everyday sentences, embedded beside the name
    words: tuple[str, ...] = ()  # everyday and official words, for BM25
    purposes: tuple[str, ...] = ()


def expand(name: str, lexicon: Lexicon | None) -> Expansion:
    if lexicon is None:
        return Expansion()
    split = lexicon.read(name)
    purposes = lexicon.purposes_of(name)
    words = lexicon.everyday_words(name) + tuple(w for p in purposes for w in lexicon.purpose_words(p))
    return Expansion(split.object, split.action, lexicon.everyday_texts(name), words, purposes)


def catalog_documents(catalog: Catalog, lexicon: Lexicon | None = None) -> list[SearchDoc]:
    """One search document per matter, policy, theme and place, in a stable order. With a
    lexicon, matters and policies also carry the everyday words of their official names."""
    docs: list[SearchDoc] = []
    for m in catalog.matters.values():
        department = catalog.departments[m.department].short_name
        faq_questions = tuple(f.q for f in m.faqs)
        more = expand(m.name, lexicon)
        docs.append(
            SearchDoc(
                kind="matter",
                id=m.id,
                name=m.name,
                aliases=tuple(m.aliases),
                dense_texts=(m.name, *m.aliases, *more.texts, m.summary, *faq_questions),
                # the name and aliases repeated: they say what the matter is, the rest only describes it
                lexical_text=" ".join(
                    [m.name, *m.aliases] * 2 + [department, m.summary, *faq_questions, *more.words]
                ),
                snippet=_first_sentence(m.summary),
                object=more.object,
                action=more.action,
                purposes=more.purposes,
                benefits=lexicon.benefits_of(m.name) if lexicon is not None else (),
                agencies=lexicon.agencies_of(catalog.departments[m.department].name) if lexicon is not None else (),
                windows=tuple(m.location.windows),
                expansions=more.texts,
            )
        )
    for p in catalog.policies.values():
        conditions = "；".join(c.text for c in p.conditions)
        more = expand(p.name, lexicon)
        docs.append(
            SearchDoc(
                kind="policy",
                id=p.id,
                name=p.name,
                aliases=tuple(p.aliases),
                dense_texts=(p.name, *p.aliases, *more.texts, p.summary, p.target, conditions, p.benefit),
                lexical_text=" ".join(
                    [p.name, *p.aliases] * 2
                    + [p.target, p.summary, conditions, p.benefit, POLICY_TYPE_WORDS[p.type.value], *more.words]
                ),
                snippet=_first_sentence(p.summary),
                # no object/action match for policies: their names name a benefit
                # (小型微利企业所得税优惠), and a generic object in them (企业所得税) misleads
                benefits=lexicon.benefits_of(p.name) if lexicon is not None else (),
                agencies=(
                    lexicon.agencies_of(f"{catalog.departments[p.department].name} {p.issuer}")
                    if lexicon is not None
                    else ()
                ),
                expansions=more.texts,
            )
        )
    for t in catalog.themes.values():
        members = " ".join(catalog.matters[m].name for m in t.matters)
        # no words of them in BM25: a theme must not take a single matter's question (父母去世后房子…)
        subjects = lexicon.objects_in(t.name) if lexicon is not None else ()
        docs.append(
            SearchDoc(
                kind="theme",
                id=t.id,
                name=t.name,
                aliases=tuple(t.aliases),
                dense_texts=(t.name, *t.aliases, t.summary, f"{members}能不能一次办完"),
                lexical_text=" ".join([t.name, *t.aliases] * 2 + [t.summary, members, THEME_WORDS]),
                snippet=_first_sentence(t.summary),
                # every theme is a bundle of matters (一件事一次办), whatever its name says
                action=BUNDLE if lexicon is not None else None,
                subjects=subjects,
            )
        )
    # a place serves the offices whose matters are handled at its windows (公证窗口: the 公证处)
    served: dict[int, tuple[str, ...]] = {}
    for doc in docs:
        for window in doc.windows:
            served[window] = tuple(dict.fromkeys((*served.get(window, ()), *doc.agencies)))
    for place in catalog.hall.places:
        facilities = lexicon.facilities_of(place.name) if lexicon is not None else ()
        uses = [w for f in facilities for w in lexicon.facility_words(f)] if lexicon is not None else []
        docs.append(
            SearchDoc(
                kind="place",
                id=place.id,
                name=place.name,
                aliases=tuple(place.aliases),
                # what people come to the facility for (喂奶, 上厕所), embedded beside its name
                dense_texts=(place.name, *place.aliases, *uses[:3]),
                lexical_text=" ".join([place.name, *place.aliases] * 2 + [place.description, *uses]),
                snippet=_first_sentence(place.description or place.name),
                subjects=facilities,
                expansions=tuple(uses[:3]),
                windows=tuple(place.windows),
                agencies=tuple(dict.fromkeys(a for w in place.windows for a in served.get(w, ()))),
            )
        )
    return docs
