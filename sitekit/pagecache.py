"""Keep the compiled form of each page's macros, and what the page checks need, between builds.

mkdocs-macros renders every page with `env.from_string(markdown)`: Jinja parses the page,
generates Python source and compiles it, on every build, for every page. That compile step was
the largest part of what macros add to a build (BENCHMARKS.md). Jinja's own bytecode cache only
serves templates loaded from files, so this does the same for page text: the compiled code is
stored under .cache/jinja-pages/, keyed by the page text, the Jinja version and the environment's
syntax settings. A page whose text changes is compiled again; nothing else changes in how pages
render (same `Template.from_code` as `Environment.from_string`).

The page checks (pagecheck.py) need the names a page reads and the ids its macro calls
pass; `summary` keeps those (as JSON, same key) so that an unchanged page is not parsed again
only to be checked. The checks themselves still run on every build, against the current data.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import sys
from pathlib import Path

import jinja2
from jinja2 import nodes

from .project import write_cache

_SETTINGS = ("block_start_string", "block_end_string", "variable_start_string", "variable_end_string",
             "comment_start_string", "comment_end_string", "line_statement_prefix", "line_comment_prefix",
             "trim_blocks", "lstrip_blocks", "newline_sequence", "keep_trailing_newline", "autoescape",
             "optimized", "is_async", "sandboxed")


def _key(env: jinja2.Environment, source: str) -> str:
    # The sandbox compiles `*` and `**` into checked calls: its class and those operators are part of the key.
    settings = repr([getattr(env, name, None) for name in _SETTINGS] + sorted(env.extensions)
                    + [type(env).__qualname__, sorted(getattr(env, "intercepted_binops", ()))])
    text = "\0".join([jinja2.__version__, sys.version, settings, source])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def undeclared_names(ast: nodes.Template) -> set[str]:
    """Names a page reads but never sets. jinja2.meta.find_undeclared_variables does the same
    through a full code-generation pass, a third of the page checks' time on every page."""
    loaded, stored = set(), {"loop", "caller", "varargs", "kwargs", "self", "super"}  # Jinja's own
    for n in ast.find_all(nodes.Name):
        (loaded if n.ctx == "load" else stored).add(n.name)
    for m in ast.find_all((nodes.Macro, nodes.CallBlock)):
        stored.update(a.name for a in m.args)
        if isinstance(m, nodes.Macro):
            stored.add(m.name)
    stored.update(i.target for i in ast.find_all(nodes.Import))
    for imp in ast.find_all(nodes.FromImport):
        stored.update(n[1] if isinstance(n, tuple) else n for n in imp.names)
    return loaded - stored


def _plain(value):
    return value if isinstance(value, (str, int, float, bool, type(None))) else repr(value)


def _summarize(ast: nodes.Template) -> dict:
    calls = [[c.node.name, c.lineno, [_plain(a.value) if isinstance(a, nodes.Const) else None for a in c.args[:2]]]
             for c in ast.find_all(nodes.Call) if isinstance(c.node, nodes.Name) and c.args]
    return {"names": sorted(undeclared_names(ast)), "calls": calls}


class PageCache:
    """Summaries and compiled code of pages, in memory and in `folder` (None: memory only).
    One per build tool run; a rebuild under `mkdocs serve` reuses what it holds."""

    MEMORY_MAX = 2000

    def __init__(self, folder: Path | None):
        self.folder = folder
        if folder is not None:
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError:  # read-only checkout: memory only
                self.folder = None
        self.used: set[str] = set()
        self.summaries: dict[str, dict] = {}
        self.compiled: dict[str, object] = {}

    def _remember(self, store: dict, key: str, value) -> None:
        if len(store) >= self.MEMORY_MAX:
            store.clear()
        store[key] = value

    def prune(self) -> None:
        """After a build: drop compiled pages and summaries that no page of this build used."""
        if not self.used or self.folder is None:
            return
        for pattern in ("*.bin", "*.json"):
            for path in self.folder.glob(pattern):
                if path.name not in self.used:
                    path.unlink(missing_ok=True)
        self.used.clear()

    def _stored_summary(self, path: Path | None) -> dict | None:
        if path is None or not path.exists():
            return None
        try:
            found = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        ok = isinstance(found, dict) and isinstance(found.get("names"), list) and isinstance(found.get("calls"), list)
        return found if ok else None

    def summary(self, env: jinja2.Environment, source: str) -> dict:
        """What the page checks need from a page's Jinja: {"names": names it reads and never
        sets, "calls": [[macro name, line, [first two arguments, None where not a constant]]]}.
        Raises jinja2.TemplateSyntaxError for a page that does not parse (never stored).

        A page read for the first time is parsed once for both needs: its summary and its
        compiled code, which `code` then finds instead of parsing the page again."""
        key = _key(env, source)
        path = self.folder / (key + ".json") if self.folder is not None else None
        if path is not None:
            self.used.add(path.name)
        if key in self.summaries:
            return self.summaries[key]
        found = self._stored_summary(path)
        if found is None:
            ast = env.parse(source)  # raises TemplateSyntaxError
            found = _summarize(ast)
            if key not in self.compiled:
                # the same code as env.compile(source), without a second parse
                self._remember(self.compiled, key, env.compile(ast))
            if path is not None:
                write_cache(path, json.dumps(found, ensure_ascii=False).encode("utf-8"))
                code_path = path.with_suffix(".bin")
                if not code_path.exists():
                    write_cache(code_path, marshal.dumps(self.compiled[key]))
        self._remember(self.summaries, key, found)
        return found

    def code(self, env: jinja2.Environment, source: str):
        """The compiled code of a page's text, from memory, the folder, or compiled now."""
        key = _key(env, source)
        path = self.folder / (key + ".bin") if self.folder is not None else None
        if path is not None:
            self.used.add(path.name)
        code = self.compiled.get(key)
        if code is None and path is not None and path.exists():
            try:
                code = marshal.loads(path.read_bytes())
            except (EOFError, ValueError, TypeError):
                code = None
        if code is None:
            code = env.compile(source)  # raises TemplateSyntaxError as before
            if path is not None:
                write_cache(path, marshal.dumps(code))
        self._remember(self.compiled, key, code)
        return code


