"""Batch analysis of phone hotline (12345-style) call transcripts against the catalog."""
