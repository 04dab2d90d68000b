"""Fakes of outside services, written to their public API contracts."""
