"""Rasa custom actions, one module per feature (see STYLE.md)."""
