"""Custom Rasa graph components, importable from the repository root (`bot.components.<module>.<Class>`)."""
