"""Run a benchmark's headless probe in a fresh process and read the figures it prints.

A fresh process, so what is measured (start-up, imports, memory) is not warmed by the
benchmark that asks; animations off, so no frame waits on one.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys


def probe_figures(script: str, *arguments: str) -> dict:
    """The JSON on the last line `script --probe ARGUMENTS` prints; its stderr on failure."""
    result = subprocess.run(
        [sys.executable, script, "--probe", *arguments],
        capture_output=True,
        text=True,
        env={**os.environ, "TEXTUAL_ANIMATIONS": "none"},
    )
    if result.returncode != 0:
        sys.exit(result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])
