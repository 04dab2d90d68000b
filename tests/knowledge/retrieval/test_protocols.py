"""The alias-free protocol: the sample catalog as a provincial export has it (issue #13)."""

from __future__ import annotations

from catalog.loader import load_catalog
from knowledge.retrieval import text
from knowledge.retrieval.documents import catalog_documents
from knowledge.retrieval.evaluate import QUESTION_SETS, TUNING_SETS, Question, alias_free, report_sets


def test_alias_free_strips_every_alias_and_faq_in_memory_only() -> None:
    catalog = load_catalog()
    stripped = alias_free(catalog)
    assert stripped.matters.keys() == catalog.matters.keys()
    assert all(not m.aliases and not m.faqs for m in stripped.matters.values())
    assert all(not p.aliases for p in stripped.policies.values())
    assert all(not t.aliases for t in stripped.themes.values())
    assert all(not p.aliases for p in stripped.hall.places) and all(not p.aliases for p in stripped.places.values())
    assert stripped.content_hash != catalog.content_hash  # its index is kept apart
    assert all(m.aliases and m.faqs for m in catalog.matters.values())  # the loaded catalog is untouched
    faq_questions = {f.q for m in catalog.matters.values() for f in m.faqs}
    for doc in catalog_documents(stripped):
        assert doc.aliases == () and not faq_questions & set(doc.dense_texts), doc.key


def test_forgetting_catalog_words_restores_jieba_segmentation() -> None:
    text.forget_catalog_words()  # a searcher built before may have taught jieba this very alias
    before = text.tokens("驾照丢了怎么补")
    text.add_words(["驾照丢了"])
    assert "驾照丢了" in text.tokens("驾照丢了怎么补")
    text.forget_catalog_words()
    assert text.tokens("驾照丢了怎么补") == before


def test_a_bare_term_with_a_choice_accepts_any_of_its_records() -> None:
    question = Question("护照", "short", "matter:a", choice=("matter:a", "matter:b"))
    assert question.accepts("matter:b") and not question.accepts("matter:c")


def test_a_tuning_run_reports_no_frozen_set_unless_asked() -> None:
    assert report_sets(None, tuning=True) == list(TUNING_SETS)
    assert not any(name.startswith("frozen") for name in report_sets(None, tuning=True))
    assert report_sets(None, tuning=False) == list(QUESTION_SETS)
    assert report_sets("dev,frozen", tuning=True) == ["dev", "frozen"]
