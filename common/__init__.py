"""Small utilities every process imports, in either environment: PII masking, secrets and
bearer checks (standard library only, so the bot's Python 3.10 imports them too), and the
offline API docs pages of the FastAPI services (app environment)."""
