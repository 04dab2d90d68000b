"""The `services` fixture of these tests is in tests/conftest.py: tests/security shares the
same running services, and one session must start them once."""
