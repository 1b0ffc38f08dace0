"""The one place that uses mkdocs-macros beyond its documented `define_env` interface.

mkdocs-macros renders each page with `env.from_string(markdown)` on the Jinja environment it
keeps as the `env` property of its plugin. Reusing compiled pages between builds (pagecache.py)
means answering that call from the cache, which has no public hook. What it buys is measured in
BENCHMARKS.md (build cost with and without the page cache). The installed version is pinned in
requirements.txt, and tests/test_adapter.py fails loudly if it or these internals change.
"""

from __future__ import annotations

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
