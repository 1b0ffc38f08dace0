"""Keep the previous site when a plain `mkdocs build` fails.

`python -m sitekit build` (what `make build` runs) already builds into a temporary folder and
swaps. An editor may still type `mkdocs build`, which empties site/ first and can fail half-way.
Called from sitekit/hooks.py, this redirects that build into a temporary folder beside site/ and
moves it into place at shutdown only if MkDocs reported no build error (its strict-mode abort
included: MkDocs calls on_build_error for it).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

# Set by `python -m sitekit build`, which does its own swap.
OUTER_SWAP_ENV = "SITEKIT_SAFE_BUILD"


class SafeSite:
    def __init__(self):
        self.command = None
        self.target: Path | None = None
        self.temp: Path | None = None
        self.failed = False

    def startup(self, command: str) -> None:
        """on_startup (MkDocs calls it before on_config): remember which command runs."""
        self.command = command

    def redirect(self, config) -> None:
        """on_config: for `build` and `gh-deploy`, build into a temporary folder."""
        self.failed = False
        if self.command not in ("build", "gh-deploy") or os.environ.get(OUTER_SWAP_ENV) or self.temp:
            return
        self.target = Path(config.site_dir).resolve()
        self.target.parent.mkdir(parents=True, exist_ok=True)
        from .guard import remove_leftovers

        remove_leftovers(self.target)
        self.temp = Path(tempfile.mkdtemp(prefix=self.target.name + ".building-", dir=self.target.parent))
        config.site_dir = str(self.temp)

    def fail(self) -> None:
        """on_build_error."""
        self.failed = True

    def finish(self) -> None:
        """on_shutdown: swap the new site in, or throw it away."""
        if self.temp is None:
            return
        temp, self.temp = self.temp, None
        if self.failed:
            shutil.rmtree(temp, ignore_errors=True)
            return
        from .guard import make_readable

        make_readable(temp)
        old = self.target.with_name(self.target.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if self.target.exists():
            self.target.rename(old)
        temp.rename(self.target)
        shutil.rmtree(old, ignore_errors=True)
