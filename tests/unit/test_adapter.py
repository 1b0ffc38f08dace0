"""mkdocs-macros is used beyond its documented interface in one place (sitekit/macros_adapter.py).
These fail loudly when the installed package is not the version the adapter was written for, or
when what the adapter relies on has moved."""

from __future__ import annotations

import inspect
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import jinja2
from mkdocs_macros.plugin import MacrosPlugin

from sitekit import macros_adapter, material_adapter
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


def test_mkdocs_macros_imports_requests_only_for_its_pypi_check():
    """defer_requests relies on this: `requests` is named at import time but used only when a
    missing `modules:` entry is looked up on PyPI (this site lists no module)."""
    import mkdocs_macros.util as util

    source = inspect.getsource(util)
    assert "\nimport requests\n" in source
    uses = [line for line in source.splitlines() if "requests." in line]
    assert len(uses) == 2 and all(line in inspect.getsource(util.is_on_pypi) for line in uses)


def test_building_imports_no_requests_until_it_is_used():
    """In a fresh interpreter: the plugin, then mkdocs-macros, as MkDocs loads them. `requests`
    (and urllib3 under it) is not executed; the first use still works."""
    code = (
        "import sys, sitekit.plugin, mkdocs_macros.plugin, mkdocs_macros.util\n"
        "assert 'urllib3' not in sys.modules, 'requests was imported'\n"
        "import requests\n"
        "assert callable(requests.get) and 'urllib3' in sys.modules\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr


def test_git_info_comes_from_the_function_skip_git_info_replaces():
    from mkdocs_macros import context

    assert "env.variables['git'] = get_git_info()" in inspect.getsource(context.define_env)
    original = context.get_git_info
    try:
        macros_adapter.skip_git_info()
        assert context.get_git_info() == {"status": False, "date": None}
    finally:
        context.get_git_info = original


# -- mkdocs-material (sitekit/material_adapter.py) ----------------------------------------------
def _shipped_palette() -> Path:
    import material

    shipped = list(Path(material.__file__).parent.glob("templates/" + material_adapter.PALETTE_CSS))
    assert len(shipped) == 1
    return shipped[0]


def test_installed_material_is_the_version_the_adapter_was_written_for():
    assert material_adapter.installed_version() == material_adapter.VERSION
    requirements = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    assert f"{material_adapter.PACKAGE}=={material_adapter.VERSION}" in requirements


def test_material_still_ships_the_palette_switching_rule_once():
    assert _shipped_palette().read_text(encoding="utf-8").count(material_adapter.SWITCHING_RULE) == 1


def test_the_rule_is_removed_from_the_built_copy_and_nothing_else(tmp_path):
    shipped = _shipped_palette()
    built = tmp_path / "assets" / "stylesheets" / shipped.name
    built.parent.mkdir(parents=True)
    built.write_bytes(shipped.read_bytes())
    assert material_adapter.drop_switching_rule(tmp_path) == [built]
    after = built.read_text(encoding="utf-8")
    assert "data-md-color-switching" not in after
    assert after == shipped.read_text(encoding="utf-8").replace(material_adapter.SWITCHING_RULE, "")
    assert material_adapter.drop_switching_rule(tmp_path) == []  # a second build changes nothing
