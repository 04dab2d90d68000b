"""Production code does not import its simulators (STYLE.md 16): only main.py injects them."""

from __future__ import annotations

import subprocess
import sys


def test_the_bridge_and_its_api_load_without_the_simulator() -> None:
    code = (
        "import sys, robot_bridge.bridge, robot_bridge.guide, robot_bridge.drivers.rosbridge, robot_bridge.screens\n"
        "import robot_bridge.api.routes.guide, robot_bridge.api.routes.kiosk, robot_bridge.api.routes.robots\n"
        "print(sorted(m for m in sys.modules if m.startswith('robot_bridge.sim')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.strip() == "[]"
