"""Debian's chromium for page tests: headless, sandbox-less (root), and quiet on the network."""

from __future__ import annotations

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def require_chromium(test: str) -> None:
    """At module level of a page test: without playwright or chromium, fail under CI (which
    installs both) and skip elsewhere, saying what to install."""
    import importlib.util
    import os
    import shutil

    import pytest

    if importlib.util.find_spec("playwright") is None:
        missing = "needs playwright (pip install -e '.[dev]')"
    elif shutil.which(CHROMIUM) is None:
        missing = "needs Debian's chromium (apt-get install -y chromium)"
    else:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{test} {missing}", pytrace=False)
    pytest.skip(missing, allow_module_level=True)


def record_outside_requests(context: object) -> list[str]:
    """Watch a Playwright browser context: every request to a host other than 127.0.0.1 is aborted
    (an intranet has no internet) and its URL added to the returned list."""
    from urllib.parse import urlsplit

    outside: list[str] = []

    def check(route: object) -> None:
        url: str = route.request.url  # type: ignore[attr-defined]
        scheme = urlsplit(url).scheme
        if scheme in ("data", "blob", "about") or urlsplit(url).hostname == "127.0.0.1":
            route.continue_()  # type: ignore[attr-defined]
        else:
            outside.append(url)
            route.abort()  # type: ignore[attr-defined]

    context.route("**/*", check)  # type: ignore[attr-defined]
    return outside
