"""MkDocs hook for the offline web app (sitekit/pwa.py does the work): after each build, add
the manifest, icons, offline page, file lists and the Workbox service worker to the site.

Under `mkdocs serve` no service worker is written: a worker caching an editor's preview would
hide the changes being previewed (kb-pwa.js then finds no sw.js and registers nothing).
"""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # hooks are loaded by path; make the package importable
    sys.path.insert(0, str(ROOT))

from sitekit import pwa  # noqa: E402
from sitekit.project import project_root  # noqa: E402

_command: list[str] = [""]


def on_startup(command, dirty):
    _command[0] = command


def on_post_build(config):
    palette = config.theme.get("palette") or {}
    primary = str((palette[0] if isinstance(palette, list) else palette).get("primary", "indigo")).replace(" ", "-")
    try:
        pwa.build(Path(config.site_dir), project_root(config), name=config.site_name,
                  short_name=config.extra.get("short_name") or config.site_name, description=config.site_description or "",
                  primary=primary, service_worker=_command[0] != "serve")
    except pwa.PwaError as err:
        raise PluginError(str(err)) from None
