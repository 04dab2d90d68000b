"""Build (or verify) the search index on disk: python -m knowledge.retrieval.cli build-index"""

from __future__ import annotations

import argparse
import sys
import time

from knowledge.catalog.loader import CatalogError, load_catalog
from knowledge.retrieval.documents import catalog_documents
from knowledge.retrieval.encoders import make_encoder
from knowledge.retrieval.store import build_index, index_dir, load_or_build_index
from knowledge.settings import get_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="knowledge.retrieval.cli")
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build-index", help="build the index if it is missing or stale")
    build.add_argument("--force", action="store_true", help="rebuild even if the index is current")
    args = parser.parse_args(argv)

    settings = get_settings()
    try:
        catalog = load_catalog(settings.catalog_dir)
    except CatalogError as error:
        print(error, file=sys.stderr)
        return 1
    docs = catalog_documents(catalog)
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


if __name__ == "__main__":
    sys.exit(main())
