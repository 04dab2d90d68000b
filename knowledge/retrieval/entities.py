"""Catalog entities in free text: spaCy's blank Chinese pipeline, segmented by jieba, with an
EntityRuler built from catalog names, aliases, departments and places."""

from __future__ import annotations

from dataclasses import dataclass

import spacy
from spacy.language import Language

from catalog.loader import Catalog
from knowledge.retrieval import text


@dataclass(frozen=True)
class Entity:
    label: str  # MATTER | POLICY | THEME | PLACE | DEPARTMENT
    key: str  # "<kind>:<id>" of the record, or "department:<id>"
    text: str
    start: int  # character offsets in the input
    end: int


def _catalog_terms(catalog: Catalog) -> list[tuple[str, str, str]]:
    """(label, record key, phrase) for every name and alias in the catalog."""
    terms: list[tuple[str, str, str]] = []
    for m in catalog.matters.values():
        terms += [("MATTER", f"matter:{m.id}", p) for p in (m.name, *m.aliases)]
    for p in catalog.policies.values():
        terms += [("POLICY", f"policy:{p.id}", t) for t in (p.name, *p.aliases)]
    for t in catalog.themes.values():
        terms += [("THEME", f"theme:{t.id}", a) for a in (t.name, *t.aliases)]
    for place in catalog.hall.places:
        terms += [("PLACE", f"place:{place.id}", a) for a in (place.name, *place.aliases)]
    for d in catalog.departments.values():
        terms += [("DEPARTMENT", f"department:{d.id}", n) for n in (d.name, d.short_name)]
    return terms


class EntityFinder:
    def __init__(self, catalog: Catalog) -> None:
        terms = _catalog_terms(catalog)
        # The jieba dictionary must hold the catalog terms before the patterns are made:
        # patterns are tokenised now, queries later, and both must segment the same way.
        text.add_words(phrase for _, _, phrase in terms)
        self.nlp: Language = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
        ruler = self.nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "ORTH"})
        ruler.add_patterns(  # type: ignore[attr-defined]
            [{"label": label, "pattern": phrase, "id": key} for label, key, phrase in terms]
        )

    def find(self, query: str) -> list[Entity]:
        doc = self.nlp(query)
        return [Entity(e.label_, e.ent_id_, e.text, e.start_char, e.end_char) for e in doc.ents]
