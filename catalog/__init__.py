"""The catalog: its records (pydantic models), the loader that checks every cross-reference,
sheet import and export, and the `python -m catalog.cli` command. A library, not a service:
the knowledge service, the robot bridge and the hotline analysis read it."""
