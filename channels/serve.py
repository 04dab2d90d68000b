"""`rasa run` as the Procfile starts it: first refuse development secrets off loopback.

Usage: python -m channels.serve [rasa run options]  (the Procfile passes --auth-token $RASA_API_TOKEN)
"""

from __future__ import annotations

import sys

from knowledge.security import refuse_default_secrets


def main() -> None:
    refuse_default_secrets("rasa")
    import rasa.__main__  # imported after the check: it takes seconds

    sys.argv = ["rasa", "run", *sys.argv[1:]]
    rasa.__main__.main()


if __name__ == "__main__":
    main()
