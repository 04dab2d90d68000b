"""Hybrid search over the catalog (docs/retrieval.md)."""
