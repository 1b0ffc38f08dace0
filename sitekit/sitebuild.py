"""One build's shared state, engine-independent: the checked data, the renderer that the macros
and the build both use, and the datasets the pages register. The MkDocs plugin (plugin.py) makes
one per build; macros.py finds it there, or makes its own when no plugin runs."""

from __future__ import annotations

from pathlib import Path

from . import opendata
from .data import load_cached
from .render import Renderer


class SiteBuild:
    def __init__(self, root: Path):
        self.root = Path(root)
        self.data = load_cached(self.root)  # raises DataError with every problem
        self.datasets = opendata.Registry()
        self.renderer = Renderer(self.data, self.root, self.datasets)
        # The page vocabulary, set by macros.define_env: every name a page may use, and the
        # macros the page sandbox offers.
        self.known_names: set[str] = set()
        self.page_globals: dict = {}
