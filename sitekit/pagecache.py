"""Keep the compiled form of each page's macros between builds.

mkdocs-macros renders every page with `env.from_string(markdown)`: Jinja parses the page,
generates Python source and compiles it, on every build, for every page. That compile step was
the largest part of what macros add to a build (BENCHMARKS.md). Jinja's own bytecode cache only
serves templates loaded from files, so this does the same for page text: the compiled code is
stored under .cache/jinja-pages/, keyed by the page text, the Jinja version and the environment's
syntax settings. A page whose text changes is compiled again; nothing else changes in how pages
render (same `Template.from_code` as `Environment.from_string`).
"""

from __future__ import annotations

import hashlib
import marshal
import sys
from pathlib import Path

import jinja2

_SETTINGS = ("block_start_string", "block_end_string", "variable_start_string", "variable_end_string",
             "comment_start_string", "comment_end_string", "line_statement_prefix", "line_comment_prefix",
             "trim_blocks", "lstrip_blocks", "newline_sequence", "keep_trailing_newline", "autoescape",
             "optimized", "is_async")


def _key(env: jinja2.Environment, source: str) -> str:
    settings = repr([getattr(env, name, None) for name in _SETTINGS] + sorted(env.extensions))
    text = "\0".join([jinja2.__version__, sys.version, settings, source])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_used: set[str] = set()


def prune(folder: Path) -> None:
    """After a build: drop compiled pages that no page of this build used (old versions)."""
    if not _used:
        return
    for path in folder.glob("*.bin"):
        if path.name not in _used:
            path.unlink(missing_ok=True)
    _used.clear()


def install(env: jinja2.Environment, folder: Path) -> None:
    """Make `env.from_string` reuse compiled pages stored in `folder` (once per environment)."""
    if getattr(env, "_kb_page_cache", None) == str(folder):
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:  # read-only checkout: build without the cache
        return
    original = type(env).from_string

    def from_string(source, globals=None, template_class=None):
        if not isinstance(source, str):
            return original(env, source, globals, template_class)
        path = folder / (_key(env, source) + ".bin")
        _used.add(path.name)
        code = None
        if path.exists():
            try:
                code = marshal.loads(path.read_bytes())
            except (EOFError, ValueError, TypeError):
                code = None
        if code is None:
            code = env.compile(source)  # raises TemplateSyntaxError as before
            try:
                tmp = path.with_suffix(".tmp")
                tmp.write_bytes(marshal.dumps(code))
                tmp.replace(path)
            except OSError:
                pass
        cls = template_class or env.template_class
        return cls.from_code(env, code, env.make_globals(globals), None)

    env.from_string = from_string
    env._kb_page_cache = str(folder)
