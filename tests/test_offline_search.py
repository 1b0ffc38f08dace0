"""The copy opened from disk with no network (issue #4): `python -m sitekit offline` makes a zip,
unpacked into a temporary folder and opened from file:// in Chromium with every request that is
not a local file blocked and recorded. Search must work there, ignore tone marks and đ/d, rank
exact matches first and highlight the real Vietnamese words. One browser per module.

Issue 13 replaced Material's lunr worker and the project's lunr.vi with the site's own search
worker: the two-page ranking site below now uses that worker, and lunr's "+word"/"-word" query
syntax, which the site never offered to readers, is no longer tested (ranking and the judged
queries: tests/test_search_ranking.py)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import ROOT, html_pages, read_page, sitekit_command
from playwright.sync_api import sync_playwright

from sitekit.chromium import CHROMIUM, CHROMIUM_ARGS
from sitekit.data import load_cached
from sitekit.localserve import serve
from sitekit.slug import slugify

FOLDER = "huong-khe-offline"
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def fold(text: str) -> str:
    text = nfd(text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(c for c in text if not unicodedata.combining(c)))


# ---------------------------------------------------------------------------------------------
# The zip, built by the command users run, unpacked like a user would
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def offline_zip(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("zip") / "huong-khe-offline.zip"
    proc = subprocess.run(sitekit_command(ROOT, "offline", "-o", out),
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


@pytest.fixture(scope="module")
def copy_dir(offline_zip, tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("unpacked")
    with zipfile.ZipFile(offline_zip) as zf:
        zf.extractall(dest)
    return dest / FOLDER


def test_zip_is_one_folder_with_index_on_top(offline_zip):
    with zipfile.ZipFile(offline_zip) as zf:
        names = zf.namelist()
        assert all(n.startswith(FOLDER + "/") for n in names), [n for n in names if not n.startswith(FOLDER)][:5]
        for needed in ("index.html", "search/search_index.js", "assets/vendor/iframe-worker-shim.js",
                       "assets/javascripts/kb-search-worker.js"):
            assert f"{FOLDER}/{needed}" in names, needed
        # The site's own search worker and the prebuilt index (issue 13); the shim from the npm
        # package, not a CDN.
        assert b"exactKey" in zf.read(f"{FOLDER}/assets/javascripts/kb-search-worker.js")
        assert b'"kb":{"version":1' in zf.read(f"{FOLDER}/search/search_index.js")
        assert b"IFrameWorker" in zf.read(f"{FOLDER}/assets/vendor/iframe-worker-shim.js")
        assert not any("node_modules" in n for n in names)


# ---------------------------------------------------------------------------------------------
# Browser: one launch per module, every non-file request aborted and recorded
# ---------------------------------------------------------------------------------------------

class Browser:
    def __init__(self, pw):
        self.browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.allowed_host: str | None = None  # the local test server, for the http test
        self.context = self.browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
        self.context.route("**/*", self._route)
        self.context.on("request", self._seen)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("websocket", lambda ws: self.outside.append(ws.url))

    def _local(self, url: str) -> bool:
        if url.startswith(LOCAL_SCHEMES):
            return True
        return self.allowed_host is not None and urlsplit(url).netloc == self.allowed_host

    def _route(self, route):
        if self._local(route.request.url):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def _seen(self, request):
        if not self._local(request.url) and request.url not in self.outside:
            self.outside.append(request.url)

    def open(self, url: str):
        self.page.goto(url, wait_until="load")

    # -- search --------------------------------------------------------------------------
    def search(self, query: str, keep: bool = False) -> list[dict]:
        """Type `query` into the search box; return the result groups (one per page)."""
        page = self.page
        box = page.locator("input.md-search__input")
        box.click()
        # Ready: the worker (an iframe from disk) has loaded the index.
        page.wait_for_function(
            "() => document.querySelector('.md-search-result__meta')?.textContent.includes('Nhập để bắt đầu')")
        box.fill(query)
        box.press("End")  # Material reacts to key presses, not to fill() alone
        page.wait_for_function(
            "() => /tài liệu liên quan/.test(document.querySelector('.md-search-result__meta').textContent)")
        groups = page.evaluate("""() => [...document.querySelectorAll('li.md-search-result__item')].map(li => ({
            hrefs: [...li.querySelectorAll('a.md-search-result__link')].map(a => a.href),
            html: li.innerHTML,
            marks: [...li.querySelectorAll('mark')].map(m => m.textContent),
        }))""")
        if not keep:
            box.fill("")
            box.press("End")
        for g in groups:
            g["page"] = self.rel(g["hrefs"][0])
        return groups

    def rel(self, href: str) -> str:
        path = unquote(urlsplit(href).path)
        base = unquote(urlsplit(self.base).path)
        return path[len(base):] if path.startswith(base) else path

    base = ""


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as pw:
        b = Browser(pw)
        yield b
        b.browser.close()


@pytest.fixture
def disk(browser, copy_dir):
    """The browser, pointed at the unpacked copy; checks that nothing left the machine."""
    browser.base = copy_dir.as_uri() + "/"
    browser.outside.clear()
    browser.errors.clear()
    yield browser
    assert browser.outside == [], f"requests that left the machine: {browser.outside}"
    assert browser.errors == [], browser.errors


def page_types() -> dict[str, str]:
    data = load_cached(ROOT)
    return {
        "home": "index.html",
        "solution": "giai-phap/giai-phap-1.html",
        "catalogue": "khoa-hoc/index.html",
        "programme": f"khoa-hoc/{next(iter(data.programmes))}.html",
        "register": "van-ban/index.html",
        "document": f"van-ban/{next(iter(data.documents))}.html",
        "statistics": "thong-ke/index.html",
        "sources": "gioi-thieu/nguon.html",
    }


@pytest.mark.parametrize("kind", list(page_types()))
def test_each_page_type_searches_from_disk_without_network(disk, kind):
    rel = page_types()[kind]
    disk.open(disk.base + rel)
    groups = disk.search("dao tao")
    assert "thong-ke/ket-qua-dao-tao.html" in [g["page"] for g in groups], (rel, [g["page"] for g in groups])


def test_every_page_opens_from_disk_without_network(disk, copy_dir):
    pages = html_pages(copy_dir)
    assert len(pages) > 20
    for path in pages:
        disk.open(path.as_uri())
        assert disk.outside == [], f"{path.relative_to(copy_dir)}: {disk.outside}"


# ---------------------------------------------------------------------------------------------
# Queries typed as people type them
# ---------------------------------------------------------------------------------------------

# query -> (the words as the site writes them, a page that must come back)
QUERIES = {
    "dao tao": ("đào tạo", "thong-ke/ket-qua-dao-tao.html"),
    "boi duong can bo": ("bồi dưỡng cán bộ", "index.html"),
    "nong thon moi": ("nông thôn mới", "thong-ke/nong-thon-moi.html"),
    "ly luan chinh tri": ("lý luận chính trị", "khoa-hoc/trung-cap-ly-luan-chinh-tri.html"),
    # with marks, upper case, and decomposed Unicode (as some Vietnamese keyboards send it)
    "đào tạo": ("đào tạo", "thong-ke/ket-qua-dao-tao.html"),
    "ĐÀO TẠO": ("đào tạo", "thong-ke/ket-qua-dao-tao.html"),
    nfd("bồi dưỡng cán bộ"): ("bồi dưỡng cán bộ", "index.html"),
    nfd("Nông Thôn Mới"): ("nông thôn mới", "thong-ke/nong-thon-moi.html"),
}


def titled_pages(copy_dir: Path, phrase: str) -> list[str]:
    """Pages (not sections) whose title contains `phrase` as written, from the search index."""
    index = json.loads((copy_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    return [d["location"] for d in index["docs"]
            if "#" not in d["location"] and phrase in re.sub(r"<[^>]+>", "", d["title"]).lower()]


def words(marks: list[str]) -> list[str]:
    return [re.sub(r"^\W+|\W+$", "", m).lower() for m in marks]


@pytest.mark.parametrize("query", list(QUERIES), ids=[ascii(q) for q in QUERIES])
def test_query_finds_pages_and_highlights_real_words(disk, copy_dir, query):
    phrase, must = QUERIES[query]
    assert phrase.split() != fold(phrase).split()  # the case really needs folding
    disk.open(disk.base + "index.html")
    groups = disk.search(query)
    found = [g["page"] for g in groups]
    assert must in found, (query, found)
    # Every page titled with the phrase comes back, near the top.
    titled = titled_pages(copy_dir, phrase)
    assert titled, phrase
    for loc in titled[:8]:
        assert loc in found[:10], (query, loc, found)
    # Results show the site's real Vietnamese words, each highlighted once.
    group = groups[found.index(must)]
    shown = words(group["marks"])
    for word in phrase.split():
        assert word in shown, (query, word, group["marks"])
    assert "<mark><mark>" not in group["html"] and "&lt;mark" not in group["html"]
    assert all(w == unicodedata.normalize("NFC", w) for w in shown)


def test_opened_result_highlights_the_words_as_written(disk):
    """Plain search highlights the query on the page a result opens; "dao tao" must too."""
    disk.open(disk.base + "index.html")
    disk.search("dao tao", keep=True)
    disk.page.locator('a.md-search-result__link[href*="thong-ke/ket-qua-dao-tao.html"]').first.click()
    disk.page.wait_for_url("**/thong-ke/ket-qua-dao-tao.html?h=*")
    disk.page.wait_for_selector("article mark[data-md-highlight]", timeout=10_000)
    shown = {m.lower() for m in disk.page.eval_on_selector_all(
        "article mark[data-md-highlight]", "ms => ms.map(m => m.textContent)")}
    assert "đào tạo" in shown or {"đào", "tạo"} <= shown, shown


def test_result_opened_with_the_keyboard_highlights_the_words_as_written(disk):
    """The same from the keyboard: a result link reached with focus and opened with Enter."""
    disk.open(disk.base + "index.html")
    disk.search("dao tao", keep=True)
    link = disk.page.locator('a.md-search-result__link[href*="thong-ke/ket-qua-dao-tao.html"]').first
    link.focus()
    disk.page.keyboard.press("Enter")
    disk.page.wait_for_url("**/thong-ke/ket-qua-dao-tao.html?h=*")
    assert "đào" in unquote(disk.page.url), disk.page.url


def test_marked_query_ranks_exact_word_first_on_the_site(disk):
    """"đạo" (lãnh đạo) and "đào" (đào tạo) fold to the same "dao"."""
    disk.open(disk.base + "index.html")
    exact = disk.search("đạo")
    assert exact and "đạo" in words(exact[0]["marks"]), exact[0]["marks"]
    plain = disk.search("dao")
    shown = {w for g in plain for w in words(g["marks"])}
    assert {"đạo", "đào"} <= shown, shown


# ---------------------------------------------------------------------------------------------
# Ranking, on a two-page project where exact and folded matches differ
# ---------------------------------------------------------------------------------------------

MINI_PAGES = {
    "index.md": "# Trang đầu\n\nTrang dùng để thử ô tìm kiếm.\n",
    "mot.md": "# Trang một\n\nHồ này có nhiều tảo. Tảo xanh, tảo lục và tảo nâu sống ở đây.\n",
    "hai.md": "# Trang hai\n\nChúng tôi tạo ra trang này để thử.\n",
}


@pytest.fixture(scope="module")
def mini_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("mini")
    (root / "docs").mkdir()
    for name, text in MINI_PAGES.items():
        (root / "docs" / name).write_text(text, encoding="utf-8")
    # The site's search: its worker, the template that points Material at it, the prebuilt index.
    worker = Path("assets/javascripts/kb-search-worker.js")
    (root / "overrides" / worker).parent.mkdir(parents=True)
    (root / "overrides" / worker).write_bytes((ROOT / "overrides" / worker).read_bytes())
    (root / "overrides" / "main.html").write_bytes((ROOT / "overrides" / "main.html").read_bytes())
    (root / "overrides" / "partials").mkdir()
    (root / "overrides" / "partials" / "pwa.html").write_bytes((ROOT / "overrides" / "partials" / "pwa.html").read_bytes())
    (root / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    # The two steps of the sitekit plugin that search needs, without the site's data and pages.
    (root / "mini_hooks.py").write_text(
        "from pathlib import Path\n\nfrom sitekit import offline, searchindex\n\n\n"
        "def on_post_build(config):\n"
        "    searchindex.prebuild(Path(config.site_dir))\n"
        "    offline.finish_site(Path(config.config_file_path).parent, Path(config.site_dir))\n",
        encoding="utf-8")
    (root / "mkdocs.yml").write_text("""site_name: Thử tìm kiếm
use_directory_urls: false
theme: {name: material, custom_dir: overrides, language: vi, font: false}
plugins:
  - search: {lang: vi}
  - offline
extra: {polyfills: [assets/vendor/iframe-worker-shim.js]}
hooks: [mini_hooks.py]
nav: [index.md, mot.md, hai.md]
""", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(root / "site")],
                          cwd=root, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return root / "site"


@pytest.fixture
def mini(browser, mini_site):
    browser.base = mini_site.as_uri() + "/"
    browser.outside.clear()
    browser.errors.clear()
    browser.open(browser.base + "index.html")
    yield browser
    assert browser.outside == [] and browser.errors == [], (browser.outside, browser.errors)


def test_exact_marks_rank_first(mini):
    # "tạo" is on hai.html once; "tảo" is on mot.html four times. Both fold to "tao".
    tao = mini.search("tạo")
    assert [g["page"] for g in tao] == ["hai.html", "mot.html"]
    assert words(tao[0]["marks"]) == ["tạo"]
    tao2 = mini.search("tảo")
    assert [g["page"] for g in tao2] == ["mot.html", "hai.html"]
    assert set(words(tao2[0]["marks"])) == {"tảo"}
    plain = {g["page"]: set(words(g["marks"])) for g in mini.search("tao")}
    assert plain == {"mot.html": {"tảo"}, "hai.html": {"tạo"}}


# ---------------------------------------------------------------------------------------------
# The same copy served over http still searches (Material's real web worker, no shim)
# ---------------------------------------------------------------------------------------------

@pytest.fixture
def served(browser, copy_dir):
    with serve(copy_dir) as base:
        browser.allowed_host, browser.base = urlsplit(base).netloc, base
        browser.outside.clear()
        browser.errors.clear()
        try:
            yield browser
        finally:
            browser.allowed_host = None
    assert browser.outside == [] and browser.errors == [], (browser.outside, browser.errors)


def test_search_works_over_http_too(served):
    served.open(served.base + "khoa-hoc/index.html")
    assert served.page.evaluate("typeof IFrameWorker === 'function' && Worker !== IFrameWorker")
    groups = served.search("ly luan chinh tri")
    assert "khoa-hoc/trung-cap-ly-luan-chinh-tri.html" in [g["page"] for g in groups]


# ---------------------------------------------------------------------------------------------
# Fonts: system fonts only, and each Vietnamese text drawn by a single font (no glyph fallback)
# ---------------------------------------------------------------------------------------------

FONT_SELECTORS = ["h1", "h2", "h3", "article p", "article strong", "article li", "th", "td",
                  ".md-header__topic", ".md-nav__link", ".md-footer"]


def test_vietnamese_text_uses_one_system_font(disk, copy_dir):
    assert "fonts.g" not in read_page(copy_dir, "index.html")  # theme.font: false
    page = disk.page
    checked = 0
    for rel in ("index.html", "thong-ke/ket-qua-dao-tao.html", "giai-phap/giai-phap-1.html"):
        disk.open(disk.base + rel)
        # Mark up to 2 elements per selector whose own text has Vietnamese letters.
        n = page.evaluate("""(sels) => {
            let n = 0;
            for (const sel of sels) {
                let k = 0;
                for (const el of document.querySelectorAll(sel)) {
                    const own = [...el.childNodes].filter(c => c.nodeType === 3).map(c => c.data).join('');
                    if (k < 2 && el.offsetHeight && /[\\u00C0-\\u1EF9]/.test(own.normalize('NFC'))
                        && !/[^\\p{Script=Latin}\\p{N}\\p{P}\\p{Zs}\\s]/u.test(own)) {
                        el.setAttribute('data-font-check', sel); k++; n++;
                    }
                }
            }
            return n;
        }""", FONT_SELECTORS)
        assert n >= 8, (rel, n)
        cdp = disk.context.new_cdp_session(page)
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        for node in cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": "[data-font-check]"})["nodeIds"]:
            fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
            html = cdp.send("DOM.getOuterHTML", {"nodeId": node})["outerHTML"][:80]
            # One family (a child in bold may add that family's bold face), never a web font.
            assert len({f["familyName"] for f in fonts}) == 1, (rel, html, fonts)
            assert not any(f["isCustomFont"] for f in fonts), (rel, html, fonts)
            if html.startswith(("<strong", "<th")):  # bold text drawn with a real bold face
                assert all("bold" in f.get("postScriptName", "").lower() for f in fonts), (rel, html, fonts)
            checked += 1
        cdp.detach()
    assert checked >= 24


# ---------------------------------------------------------------------------------------------
# Readable ASCII addresses and anchors (sitekit/slug.py)
# ---------------------------------------------------------------------------------------------

def test_slugify_vietnamese():
    assert slugify("Đào tạo, bồi dưỡng") == "dao-tao-boi-duong"
    assert slugify(nfd("Đào tạo, bồi dưỡng")) == "dao-tao-boi-duong"
    assert slugify("Nông thôn mới – năm 2020") == "nong-thon-moi-nam-2020"


def test_built_addresses_and_anchors_are_ascii(site):
    pages = html_pages(site)
    for path in pages:
        rel = path.relative_to(site).as_posix()
        assert re.fullmatch(r"[a-z0-9/_.-]+", rel), rel
        text = path.read_text(encoding="utf-8")
        for hid in re.findall(r'<h[1-6][^>]*\sid="([^"]*)"', text):
            assert re.fullmatch(r"[a-z0-9_-]+", hid), (rel, hid)
        for href in re.findall(r'<a [^>]*href="([^"]+)"', text):
            if not re.match(r"[a-z]+:", href):  # links inside the site
                assert href.isascii(), (rel, href)


# ---------------------------------------------------------------------------------------------
# The build refuses what would break the offline copy
# ---------------------------------------------------------------------------------------------

def test_build_fails_without_the_shim_package(project, tmp_path):
    from conftest import run_build

    (project / "node_modules").unlink()
    proc = run_build(project, tmp_path / "out")
    assert proc.returncode != 0
    assert "iframe-worker" in proc.stderr + proc.stdout and "make setup" in proc.stderr + proc.stdout


def test_build_fails_on_a_file_from_another_server(project, tmp_path):
    from conftest import run_build

    page = project / "docs" / "gioi-thieu" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n\n![Ảnh](https://example.org/anh.png)\n",
                    encoding="utf-8")
    proc = run_build(project, tmp_path / "out")
    assert proc.returncode != 0
    out = proc.stderr + proc.stdout
    # Stopped by the HTML policy (sitekit/htmlpolicy.py) at the page's source line, or by the check
    # of the built files (sitekit/offline.py) for what no page's content holds.
    assert "máy chủ khác" in out and ("docs/gioi-thieu/index.md:" in out or "gioi-thieu/index.html" in out)
