"""Where Debian's Chromium is, and how every part of the project starts it (PDF, tests, bench).

The flags keep Chromium from reaching for Google's services at start-up: on a machine with no
network those connections fail, many at a time, and slow every launch.
"""

from __future__ import annotations

import os

CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
