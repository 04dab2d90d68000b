"""`rasa run` as the Procfile starts it: first refuse development secrets off loopback.

Usage: python -m channels.serve [rasa run options]  (the Procfile passes --auth-token $RASA_API_TOKEN)
"""

from __future__ import annotations

import sys

from common.security import refuse_default_secrets


def main() -> None:
    args = sys.argv[1:]
    # the interface Rasa will bind, when given, else HOST
    interface = args[args.index("--interface") + 1] if "--interface" in args[:-1] else None
    refuse_default_secrets("rasa", host=interface)
    import rasa.__main__  # imported after the check: it takes seconds

    sys.argv = ["rasa", "run", *args]
    rasa.__main__.main()


if __name__ == "__main__":
    main()
