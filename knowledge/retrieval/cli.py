"""The search index and the lexicon, for operators:

    python -m knowledge.retrieval.cli build-index [--force]   # build (or verify) the index on disk
    python -m knowledge.retrieval.cli explain MATTER-ID       # what the lexicon reads in a record's name
"""

from __future__ import annotations

import argparse
import sys
import time

from catalog.loader import Catalog, CatalogError, load_catalog
from knowledge.retrieval.documents import catalog_documents, expand
from knowledge.retrieval.encoders import make_encoder
from knowledge.retrieval.lexicon import load_lexicon
from knowledge.retrieval.store import build_index, index_dir, load_or_build_index
from knowledge.settings import get_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="knowledge.retrieval.cli")
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build-index", help="build the index if it is missing or stale")
    build.add_argument("--force", action="store_true", help="rebuild even if the index is current")
    explain = commands.add_parser("explain", help="the object, action and everyday texts of a record")
    explain.add_argument("record", help="a matter or policy id")
    args = parser.parse_args(argv)

    settings = get_settings()
    try:
        catalog = load_catalog(settings.catalog_dir)
    except CatalogError as error:
        print(error, file=sys.stderr)
        return 1
    if args.command == "explain":
        return _explain(catalog, args.record)
    docs = catalog_documents(catalog, load_lexicon())  # as the service searches (service.make_searcher)
    encoder = make_encoder(settings.encoder, settings.encoder_path)
    started = time.perf_counter()
    if args.force:
        index, _ = build_index(
            docs, encoder, settings.data_dir, catalog.content_hash, settings.hnsw_threshold, progress=True
        )
        built = True
    else:
        index, _, built = load_or_build_index(
            docs, encoder, settings.data_dir, catalog.content_hash, settings.hnsw_threshold, progress=True
        )
    where = index_dir(settings.data_dir, catalog.content_hash, encoder.id)
    verb = f"built in {time.perf_counter() - started:.1f} s" if built else "is current"
    print(f"index {verb}: {len(index)} texts of {len(docs)} records, {index.kind}, at {where}")
    return 0



def _explain(catalog: Catalog, record: str) -> int:
    """Why a question in everyday words finds this record although it may have no aliases."""
    found = catalog.matters.get(record) or catalog.policies.get(record)
    if found is None:
        print(f"no matter or policy with id {record!r}", file=sys.stderr)
        return 1
    lexicon = load_lexicon()
    # what matching reads: a name writing its object by an everyday word is read as the term
    split = lexicon.read(found.name)
    more = expand(found.name, lexicon)
    print(f"{record}: {found.name}")
    print(f"  object:   {split.object or '-'}" + ("" if split.known_object else "  (not in the lexicon: literal)"))
    print(f"  action:   {split.action or '-'}" + (f"  (written {split.action_word})" if split.action_word else ""))
    print(f"  purpose:  {'、'.join(more.purposes) or '-'}")
    print(f"  aliases:  {'、'.join(found.aliases) or '-'}")
    print(f"  everyday texts (embedded beside the name): {'、'.join(more.texts) or '-'}")
    print(f"  everyday words (BM25): {' '.join(more.words) or '-'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
