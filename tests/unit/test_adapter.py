"""mkdocs-macros is used beyond its documented interface in one place (sitekit/macros_adapter.py).
These fail loudly when the installed package is not the version the adapter was written for, or
when what the adapter relies on has moved."""

from __future__ import annotations

import inspect
from importlib.metadata import version

import jinja2
from mkdocs_macros.plugin import MacrosPlugin

from sitekit import macros_adapter
from sitekit.pagecache import PageCache
from sitekit.project import ROOT


def test_installed_mkdocs_macros_is_the_version_the_adapter_was_written_for():
    assert version(macros_adapter.PACKAGE) == macros_adapter.VERSION
    macros_adapter.check_version()


def test_mkdocs_macros_still_renders_pages_through_env_from_string():
    assert isinstance(inspect.getattr_static(MacrosPlugin, "env"), property)
    assert "self.env.from_string(markdown)" in inspect.getsource(MacrosPlugin.render)


def test_page_cache_answers_from_string(tmp_path):
    env = jinja2.Environment()
    macros_adapter.use_page_cache(env, PageCache(tmp_path))
    assert env.from_string("{{ 6 * 7 }}").render() == "42"
    assert any(tmp_path.iterdir())


def test_mkdocs_macros_still_keeps_its_environment_where_the_sandbox_replaces_it():
    source = inspect.getsource(MacrosPlugin.on_config)
    assert "self._env = Environment(**env_config)" in source
    assert MacrosPlugin.env.fset is None  # no public way to set it
    requirements = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    assert f"{macros_adapter.PACKAGE}=={macros_adapter.VERSION}" in requirements
