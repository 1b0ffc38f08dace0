"""The build caches, through their public interface: what they return, and that a damaged or
stale entry is never trusted. Fast: no build, no browser."""

from __future__ import annotations

import json

import jinja2
import pytest
from jinja2 import meta

from sitekit import offline, searchindex
from sitekit.issues import BuildError
from sitekit.pagecache import PageCache, undeclared_names
from sitekit.project import ROOT


def test_quick_scan_finds_the_same_undefined_names_as_jinja():
    """The page checks' scan for undefined names agrees with jinja2.meta on every real page."""
    env = jinja2.Environment()
    pages = sorted((ROOT / "docs").rglob("*.md"))
    assert pages
    samples = [p.read_text(encoding="utf-8") for p in pages] + [
        "{{ undefined_name }}", "{% for x in xs %}{{ loop.index }}{{ x }}{% endfor %}{{ y }}",
        "{% set a = 1 %}{{ a }}{% macro m(b) %}{{ b }}{{ c }}{% endmacro %}"]
    for text in samples:
        ast = env.parse(text)
        assert undeclared_names(ast) == meta.find_undeclared_variables(ast), text[:80]


class CountingEnv(jinja2.Environment):
    compiles = 0

    def compile(self, *args, **kwargs):
        CountingEnv.compiles += 1
        return super().compile(*args, **kwargs)


def _render(env, cache, text, **ctx):
    return env.template_class.from_code(env, cache.code(env, text), env.make_globals(None), None).render(**ctx)


def test_compiled_pages_are_reused_across_builds_and_recompiled_when_changed(tmp_path):
    env = CountingEnv(undefined=jinja2.StrictUndefined)
    CountingEnv.compiles = 0
    assert _render(env, PageCache(tmp_path), "{{ a }} người", a=435) == "435 người"
    assert CountingEnv.compiles == 1
    # A later build (a new cache on the same folder) reuses the stored code.
    assert _render(env, PageCache(tmp_path), "{{ a }} người", a=437) == "437 người"
    assert CountingEnv.compiles == 1
    # Changed text is compiled again; a syntax error is raised as Jinja raises it.
    assert _render(env, PageCache(tmp_path), "{{ a }} lớp", a=5) == "5 lớp"
    assert CountingEnv.compiles == 2
    with pytest.raises(jinja2.TemplateSyntaxError):
        PageCache(tmp_path).code(env, "{{ a ")


def test_damaged_cache_entries_are_not_trusted(tmp_path):
    env = jinja2.Environment()
    text = '{{ fig("cb-tong") }} người\n{{ share("a", b) }}\n{{ khong_co }}'
    first = PageCache(tmp_path).summary(env, text)
    assert first == {"names": ["b", "fig", "khong_co", "share"],
                     "calls": [["fig", 1, ["cb-tong"]], ["share", 2, ["a", None]]]}
    for stored in tmp_path.iterdir():
        stored.write_bytes(b"[]")  # damaged: read from the page again
    cache = PageCache(tmp_path)
    assert cache.summary(env, text) == first
    assert _render(env, cache, "{{ 1 + 1 }}") == "2"
    assert cache.summary(env, text.replace("cb-tong", "cb-khac"))["calls"][0] == ["fig", 1, ["cb-khac"]]
    with pytest.raises(jinja2.TemplateSyntaxError):
        cache.summary(env, "{{ fig(")


def test_a_read_only_checkout_builds_without_a_cache(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    cache = PageCache(blocker / "pages")  # cannot be created
    env = jinja2.Environment()
    assert _render(env, cache, "{{ 2 * 3 }}") == "6"
    cache.prune()


def _index_input(text: str) -> bytes:
    return json.dumps({"config": {"lang": ["vi"]},
                       "docs": [{"location": "a.html", "title": "Bồi dưỡng", "text": f"<p>{text}</p>"}]},
                      ensure_ascii=False).encode()


def test_prebuilt_search_index_is_kept_while_the_records_are_the_same(tmp_path, monkeypatch):
    site, cache = tmp_path / "site", tmp_path / ".cache" / "search-index.json"
    (site / "search").mkdir(parents=True)
    index = site / "search" / "search_index.json"
    calls = []
    real = searchindex.build_index
    monkeypatch.setattr(searchindex, "build_index", lambda docs: calls.append(1) or real(docs))

    index.write_bytes(_index_input("nông thôn mới"))
    searchindex.prebuild(site, cache)
    first = index.read_bytes()
    assert json.loads(first)["config"]["kb"]["version"] == searchindex.VERSION and len(calls) == 1

    index.write_bytes(_index_input("nông thôn mới"))  # the next build: same records
    searchindex.prebuild(site, cache)
    assert index.read_bytes() == first and len(calls) == 1

    index.write_bytes(_index_input("văn minh đô thị"))  # a page's text changed
    searchindex.prebuild(site, cache)
    assert "van" in json.loads(index.read_bytes())["config"]["kb"]["terms"].split("\n") and len(calls) == 2

    cache.write_bytes(b"damaged")  # a damaged entry is not trusted
    index.write_bytes(_index_input("văn minh đô thị"))
    searchindex.prebuild(site, cache)
    assert json.loads(index.read_bytes())["config"]["kb"] and len(calls) == 3


@pytest.mark.parametrize(("text", "found"), [
    ('@import "https://fonts.example/a.css";', True), ("a{background:URL( '//cdn.example/a.png')}", True),
    ("<div style=\"background:url(http://x.example/b.png)\">Việt</div>", True), ("@IMPORT   //x.example", True),
    ("a{background:url(img/a.png)}", False), ('<a href="https://example.org">url( nhé</a>', False)])
def test_offline_check_finds_css_that_fetches_from_elsewhere(tmp_path, text, found):
    site = tmp_path / "site"
    shim = tmp_path / offline.SHIM_PACKAGE  # stands in for the npm package (no npm ci needed here)
    (shim / "shim").mkdir(parents=True)
    (shim / "shim" / "index.js").write_text("/* shim */")
    (shim / "LICENSE").write_text("MIT")
    site.mkdir()
    (site / "page.html").write_text("<p>Trang</p>\n" + text, encoding="utf-8")
    if found:
        with pytest.raises(BuildError, match=r"page\.html, dòng 2"):
            offline.finish_site(tmp_path, site)
    else:
        offline.finish_site(tmp_path, site)
