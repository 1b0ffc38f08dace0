"""The one place that uses mkdocs-macros beyond its documented `define_env` interface.

mkdocs-macros renders each page with `env.from_string(markdown)` on the Jinja environment it
keeps as the `env` property of its plugin. Reusing compiled pages between builds (pagecache.py)
means answering that call from the cache, which has no public hook. What it buys is measured in
BENCHMARKS.md (build cost with and without the page cache). The installed version is pinned in
requirements.txt, and tests/unit/test_adapter.py fails loudly if it or these internals change.

Two start-up costs of mkdocs-macros that the site never uses are avoided here too (BENCHMARKS.md
gives what they cost):
- `defer_requests`: mkdocs_macros.util imports `requests` (and urllib3) at import time, only for
  `is_on_pypi`, which runs when a module listed under `modules:` is missing; this site lists none.
  A stand-in module runs it on first use instead, so nothing changes if it is ever used.
- `skip_git_info`: mkdocs-macros' define_env runs git twelve times for a `git` page variable.
  Pages here may only use the site's own names (pagecheck.py rejects any other, `git` included),
  so the variable is set to what mkdocs-macros itself gives outside a git checkout.
"""

from __future__ import annotations

import importlib.util
import sys
import types
from importlib.metadata import version

import jinja2

from .pagecache import PageCache

PACKAGE = "mkdocs-macros-plugin"
VERSION = "1.5.0"


class AdapterError(RuntimeError):
    pass


def check_version() -> None:
    found = version(PACKAGE)
    if found != VERSION:
        raise AdapterError(f"{PACKAGE} {found} is installed; sitekit/macros_adapter.py was written for {VERSION}. "
                           "Check the adapter against the new version, then update VERSION.")


class _Deferred(types.ModuleType):
    """Stands in sys.modules for a module not yet run; its first missing attribute runs the real
    module and answers from it from then on.

    Why not importlib.util.LazyLoader: on Python 3.11 the `import requests` statement itself reads
    the module's `__spec__`, and LazyLoader runs the module on any attribute read, so it would
    load at once. Here `__spec__` is an ordinary attribute of the stand-in."""

    def __getattr__(self, name):
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        return getattr(importlib.import_module(self.__name__), name)


def defer_requests() -> None:
    """Run `requests` only on first use (called before mkdocs_macros.util imports it)."""
    if "requests" in sys.modules:
        return
    spec = importlib.util.find_spec("requests")
    if spec is None:
        return
    stand_in = _Deferred("requests")
    stand_in.__spec__ = spec
    sys.modules["requests"] = stand_in


# What mkdocs_macros.context.get_git_info returns when git finds no repository.
NO_GIT_INFO = {"status": False, "date": None}


def skip_git_info() -> None:
    """mkdocs-macros' define_env (its on_config) takes `git` from this function of its module."""
    import mkdocs_macros.context

    mkdocs_macros.context.get_git_info = lambda: dict(NO_GIT_INFO)


def jinja_env(macros_plugin) -> jinja2.Environment:
    """The Jinja environment mkdocs-macros renders pages with (exists from its on_config on)."""
    return macros_plugin.env


def use_page_cache(env: jinja2.Environment, cache: PageCache) -> None:
    """Make `env.from_string` take compiled page code from `cache` (once per environment)."""
    if getattr(env, "sitekit_page_cache", None) is cache:
        return
    original = type(env).from_string

    def from_string(source, globals=None, template_class=None):
        if not isinstance(source, str):
            return original(env, source, globals, template_class)
        code = cache.code(env, source)
        cls = template_class or env.template_class
        return cls.from_code(env, code, env.make_globals(globals), None)

    env.from_string = from_string
    env.sitekit_page_cache = cache


def use_sandbox(macros_plugin, env: jinja2.Environment) -> None:
    """Render pages with `env` (sandbox.make_env) instead of mkdocs-macros' own environment.
    mkdocs-macros builds a plain `jinja2.Environment` in its on_config and offers no setting to
    choose another class; it keeps it in `_env`, behind its read-only `env` property."""
    macros_plugin._env = env
