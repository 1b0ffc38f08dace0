"""The build caches, through their public interface: what they return, and that a damaged or
stale entry is never trusted. Fast: no build, no browser."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from html.parser import HTMLParser

import jinja2
import pytest
from jinja2 import meta

from sitekit import htmlpolicy, offline, pwa, searchindex, yamlkeep, yamlload
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


CLEAN_PAGE = ('<p>Xem <a href="https://vanban.chinhphu.vn/">văn bản gốc</a> và\n<A\thref="//example.org/a">bản sao'
              '</A>, <a href="khac.html">trang khác</a>, <a href="mailto:a@b.vn" rel="me">thư</a>.</p>')


@pytest.fixture
def parses(monkeypatch):
    """How many times the standard library's HTML parser is fed a page."""
    fed = []
    real = HTMLParser.feed
    monkeypatch.setattr(HTMLParser, "feed", lambda self, data: fed.append(data) or real(self, data))
    return fed


def test_clean_pages_are_not_parsed_again_and_give_the_same_html(tmp_path, parses):
    kept = tmp_path / ".cache" / "html-policy.json"
    fresh = htmlpolicy.check(CLEAN_PAGE, "docs/a.md")
    assert fresh[0].count('rel="external noopener"') == 2 and fresh[1] == [] and len(parses) == 1
    first = htmlpolicy.Verdicts(kept)
    assert first.check(CLEAN_PAGE, "docs/a.md") == fresh and len(parses) == 2
    first.save()
    second = htmlpolicy.Verdicts(kept)  # the next build
    assert second.check(CLEAN_PAGE, "docs/b.md", "# B") == fresh and len(parses) == 2
    changed = CLEAN_PAGE.replace("bản sao", "bản chụp")  # a changed page is checked again
    assert second.check(changed, "docs/a.md")[0] == htmlpolicy.check(changed, "docs/a.md")[0]
    assert len(parses) == 4
    second.save()  # keeps this build's pages only
    third = htmlpolicy.Verdicts(kept)
    third.check(CLEAN_PAGE, "docs/a.md")
    third.check(changed, "docs/a.md")
    assert len(parses) == 4


def test_pages_with_problems_are_reported_every_time(tmp_path, parses):
    kept = tmp_path / "html-policy.json"
    page = '<p>Trang</p>\n<script src="https://x.example/a.js"></script>\n<a href="https://a.vn">A</a>'
    for _ in range(3):
        verdicts = htmlpolicy.Verdicts(kept)
        html, issues = verdicts.check(page, "docs/a.md", "# Trang\n\n<script src=\"https://x.example/a.js\"></script>\n")
        assert len(issues) == 1 and "<script>" in issues[0].what and issues[0].line == 3
        assert html == htmlpolicy.check(page, "docs/a.md")[0]
        verdicts.save()
    assert len(parses) == 6


def test_damaged_or_missing_verdicts_are_not_trusted(tmp_path, parses):
    kept = tmp_path / "html-policy.json"
    verdicts = htmlpolicy.Verdicts(kept)
    verdicts.check(CLEAN_PAGE, "docs/a.md")
    verdicts.save()
    good = kept.read_text(encoding="utf-8")
    expected = htmlpolicy.check(CLEAN_PAGE, "docs/a.md")
    parsed = len(parses)
    head, body = good.split("\n", 1)
    damaged = [good[: len(good) // 2], "[]", body, re.sub(r"\[[0-9,]+\]", "[3,900000]", good),
               re.sub(r"\[[0-9,]+\]", "[]", good), "0" * 16 + head[16:] + "\n" + body]  # last: another policy
    for text in damaged:
        kept.write_text(text, encoding="utf-8")
        assert htmlpolicy.Verdicts(kept).check(CLEAN_PAGE, "docs/a.md") == expected, text
        parsed += 1
        assert len(parses) == parsed, text
    kept.unlink()
    kept.mkdir()  # unreadable, and cannot be written: nothing kept, nothing fails
    verdicts = htmlpolicy.Verdicts(kept)
    assert verdicts.check(CLEAN_PAGE, "docs/a.md") == expected
    verdicts.save()
    assert htmlpolicy.Verdicts(None).check(CLEAN_PAGE, "docs/a.md") == expected  # page_cache: false


FETCHING_TAGS = [
    ('<img src="//x.example/a.png">', True), ("<IMG\nSRC=https://x.example/a.png>", True),
    ('<script type=module src= "http://e.example/x.js"></script>', True), ('<video poster="//x/p.jpg" src=a.mp4>', True),
    ('<link rel="preload stylesheet" href="//cdn.example/x.css">', True), ("<input type=image src=//x.example>", True),
    ('<img alt="ảnh" src="//x.example">', True), ('<link rel=canonical href="https://x.example">', False),
    ('<a href="https://x.example">x</a>', False), ("<p>http://x.example</p><img src=a.png>", False),
    ('<svg xmlns="http://www.w3.org/2000/svg"></svg>', False), ('<img src="anh/a.png" alt="//">', False)]


@pytest.mark.parametrize(("text", "found"), FETCHING_TAGS)
def test_offline_check_finds_tags_that_fetch_from_elsewhere(tmp_path, text, found):
    site = tmp_path / "site"
    shim = tmp_path / offline.SHIM_PACKAGE
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


def test_offline_check_looks_only_where_a_tag_holds_two_slashes_and_finds_the_same():
    """The tags are looked for from each "//" back to the "<" of its tag: the same findings as
    running the patterns from every "<" of the page."""
    page = "\n".join(text for text, _ in FETCHING_TAGS * 3).encode()
    everywhere = sorted((m.start(), m.end()) for pattern in (offline._FETCHED_TAG, offline._FETCHED_LINK)
                        for m in pattern.finditer(page))
    assert len(everywhere) == 3 * sum(found for _, found in FETCHING_TAGS)
    assert sorted(offline._fetching_tags(page)) == everywhere


# -- data files kept as read (yamlkeep.py) ------------------------------------------------------
def _read_twice(tmp_path, text: str):
    """Read a file with no cache, then through the cache twice: (plain, first, second, issues)."""
    path = tmp_path / "data" / "x.yml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    cache = tmp_path / "kept.json"
    plain_issues: list = []
    plain = yamlload.load_file(path, "data/x.yml", plain_issues)
    results = []
    for _ in range(2):
        issues: list = []
        reads = yamlkeep.KeptReads(cache)
        results.append((reads.read(path, "data/x.yml", issues), issues))
        reads.save()
    return plain, plain_issues, results, cache


def _same(a, b) -> bool:
    return (a.data, a.text, a.marks, a.key_marks, a.scalars) == (b.data, b.text, b.marks, b.key_marks, b.scalars)


def test_a_data_file_read_cleanly_is_kept_and_given_back_exactly(tmp_path, monkeypatch):
    text = 'items:\n  - id: a\n    value: 36.000\n    note: "Việt"\n    shown: true\n  - id: b\n    value: 1\n'
    plain, _, [(first, i1), (second, i2)], cache = _read_twice(tmp_path, text)
    assert cache.is_file() and not i1 and not i2
    assert _same(first, plain) and _same(second, plain)
    assert type(second.data["items"][0]["value"]) is float and second.data["items"][1]["value"] == 1
    assert second.where(("items", 1, "value")) == (7, 12)
    # The second read came from the cache: the reader is not called.
    monkeypatch.setattr(yamlload, "load_file", lambda *a: pytest.fail("read again"))
    assert _same(yamlkeep.KeptReads(cache).read(tmp_path / "data" / "x.yml", "data/x.yml", []), plain)


def test_a_changed_or_broken_data_file_is_read_again(tmp_path):
    _, _, _, cache = _read_twice(tmp_path, "a: 1\n")
    path = tmp_path / "data" / "x.yml"
    path.write_text("a: 2\n", encoding="utf-8")
    assert yamlkeep.KeptReads(cache).read(path, "data/x.yml", []).data == {"a": 2}
    path.write_text("a: 1\na: 3\n", encoding="utf-8")  # a problem: reported on every read, never kept
    for _ in range(2):
        issues: list = []
        reads = yamlkeep.KeptReads(cache)
        reads.read(path, "data/x.yml", issues)
        reads.save()
        assert len(issues) == 1 and issues[0].line == 2


def test_a_damaged_cache_or_a_value_json_would_change_is_not_trusted(tmp_path):
    _, _, _, cache = _read_twice(tmp_path, "a: [1, 2]\n")
    cache.write_bytes(cache.read_bytes().replace(b"[1,2]", b"[1,9]"))  # edited: checksum fails
    assert yamlkeep.KeptReads(cache).read(tmp_path / "data" / "x.yml", "data/x.yml", []).data == {"a": [1, 2]}
    plain, _, [_, (second, _)], cache = _read_twice(tmp_path, "2020: 5\n'2021': 6\n")
    assert second.data == {2020: 5, "2021": 6} and _same(second, plain)
    assert "data/x.yml" not in yamlkeep.KeptReads(cache).kept  # a number as a key: JSON would make it text


# -- compressed sizes worked out during the build (pwa.EarlySizes) ------------------------------
def test_pages_compressed_during_the_build_are_not_compressed_again(tmp_path):
    pages = ["<p>Trang một: đào tạo, bồi dưỡng</p>" * 50, "<p>Trang hai &#x1F600; 😀</p>"]
    early = pwa.EarlySizes()
    for text in pages:
        early.add(text)
    sizes = early.take()
    assert early.take() == {}  # afresh for the next build
    site = tmp_path / "site"
    site.mkdir()
    files = []
    for n, text in enumerate(pages):
        data = text.encode("utf-8", errors="xmlcharrefreplace")
        (site / f"p{n}.html").write_bytes(data)
        digest = hashlib.sha256(data).hexdigest()
        assert sizes[digest] == len(gzip.compress(data, compresslevel=6, mtime=0))
        files.append(pwa.SiteFile(f"p{n}.html", len(data), digest))
    # A size handed over is taken as it is: a wrong one shows that nothing was compressed again.
    first = files[0].digest
    pwa.compressed_sizes(site, tmp_path, files, {**sizes, first: 7})
    assert files[0].gzip_size == 7 and files[1].gzip_size == sizes[files[1].digest]
    # A file changed after it was handed over has another hash and is compressed at the end.
    (site / "p1.html").write_bytes(b"<p>changed</p>")
    changed = pwa.SiteFile("p1.html", 14, hashlib.sha256(b"<p>changed</p>").hexdigest())
    pwa.compressed_sizes(site, tmp_path / "other", [changed], sizes)
    assert changed.gzip_size == len(gzip.compress(b"<p>changed</p>", compresslevel=6, mtime=0))
