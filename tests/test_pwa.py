"""Reading offline on a phone (issue 16): the built site is an installable web app whose
Workbox service worker keeps pages and search working with no network.

The browser tests serve the built site over http from 127.0.0.1 (service workers need http),
at the root and under a sub-path, in Debian's Chromium (headless): visit the home page, save
the whole site, go offline, open five pages never visited and search; then publish a changed
build into the same folder and check the "Có bản mới — tải lại" notice and the new text."""

from __future__ import annotations

import html as htmllib
import json
import re
import shutil
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import copy_project, html_pages, read_page, run_build
from PIL import Image

from sitekit import pwa
from sitekit.localserve import serve

NEW_TEXT = "Trang có thêm câu này trong bản cập nhật để thử thông báo có bản mới."
INDIGO = "rgb(64, 81, 181)"  # Material's indigo, the palette of mkdocs.yml


# ---------------------------------------------------------------------------------------------
# The files a build adds
# ---------------------------------------------------------------------------------------------

def test_manifest_is_vietnamese_relative_and_has_the_icons(site):
    data = json.loads(read_page(site, "manifest.webmanifest"))
    assert data["lang"] == "vi" and "Hương Khê" in data["name"] and data["short_name"]
    assert len(data["short_name"]) <= 15, data["short_name"]
    assert "cán bộ" in data["description"]
    # Relative: the same build works at a domain's root and under /dao-tao-can-bo/.
    assert data["start_url"] == "index.html" and data["scope"] == "./"
    assert data["theme_color"] == "#4051b5" and data["background_color"] == "#ffffff"
    icons = {(i["sizes"], i["purpose"]): i["src"] for i in data["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= set(icons)
    for (sizes, _purpose), src in icons.items():
        assert not src.startswith(("/", "http")), src
        with Image.open(site / src) as img:
            assert f"{img.width}x{img.height}" == sizes and img.format == "PNG"
            # The whole square is drawn (a maskable icon is cropped by the phone): indigo corners.
            assert img.convert("RGB").getpixel((2, 2)) == (0x40, 0x51, 0xB5), src
            # and the logo is there, in white, in the middle part
            assert (255, 255, 255) in {img.convert("RGB").getpixel((img.width // 2, y))
                                       for y in range(img.height // 4, img.height * 3 // 4)}, src


def test_every_page_links_the_manifest_relatively(site):
    for path in html_pages(site):
        rel = path.relative_to(site).as_posix()
        text = path.read_text(encoding="utf-8")
        m = re.search(r'<link rel="manifest" href="([^"]+)">', text)
        assert m, rel
        if rel == "404.html":  # served at any depth: addressed from site_url, like its stylesheets
            css = re.search(r'<link rel="stylesheet" href="([^"]*)assets/stylesheets/main', text).group(1)
            assert m.group(1) == css + "manifest.webmanifest", m.group(1)
            continue
        assert m.group(1) == "../" * rel.count("/") + "manifest.webmanifest", (rel, m.group(1))


SCRIPT_ORDER = ["assets/vendor/iframe-worker-shim.js", "assets/kb-index-later.js", "assets/javascripts/bundle.",
                "assets/kb.js", "assets/kb-search.js", "assets/kb-needs.js", "assets/kb-pwa.js"]


def test_every_script_file_waits_for_the_page(site):
    """Script files never hold back the first paint (overrides/main.html): each carries `defer`,
    and they keep the order they need (the shim and kb-index-later.js before Material's bundle)."""
    for path in html_pages(site):
        rel = path.relative_to(site).as_posix()
        tags = re.findall(r"<script\b[^>]*\bsrc=[^>]*>", path.read_text(encoding="utf-8"))
        # Exactly `defer` and an address: an `async` as well would run it out of order.
        assert [t for t in tags if not re.fullmatch(r'<script defer src="[^"]+">', t)] == [], rel
        srcs = [re.search(r'src="(?:\.\./|\./)*([^"]+)"', t).group(1) for t in tags]
        assert len(srcs) == len(SCRIPT_ORDER) and all(s.startswith(w) for s, w in zip(srcs, SCRIPT_ORDER, strict=True)), (rel, srcs)


def precached(site: Path) -> list[str]:
    return re.findall(r'\{url:"([^"]+)",revision:', read_page(site, "sw.js"))


def test_precache_is_the_small_shell_only(site):
    urls = precached(site)
    assert urls, "sw.js precaches nothing"
    assert sorted(urls) == sorted(set(urls))
    # No page but the offline one: pages are cached as they are read, or when the reader saves all.
    assert [u for u in urls if u.endswith(".html")] == ["assets/pwa/offline.html"]
    # The site's own search worker (issue 13) is the one the pages name; it needs no lunr file.
    for needed in ("manifest.webmanifest", "assets/kb.css", "assets/kb-pwa.js", "assets/kb-index-later.js",
                   "assets/javascripts/kb-search-worker.js", "assets/pwa/icon-maskable-512.png"):
        assert needed in urls, needed
    assert "search/search_index.json" not in urls  # grows with the pages: cached at runtime
    assert sum(len(Path(site, u).read_bytes()) for u in urls) < 1_000_000
    scan = pwa.scan_site(site)
    files = [scan.files[u] for u in urls]
    pwa.compressed_sizes(site, site.parent, files)
    assert sum(f.gzip_size for f in files) <= pwa.SHELL_BUDGET_GZIP


def test_file_list_covers_every_page_with_sizes(site):
    data = json.loads(read_page(site, "assets/pwa/files.json"))
    summary = json.loads(read_page(site, "assets/pwa/summary.json"))
    listed = {f[0]: f for f in data["list"]}
    assert summary["files"] == len(listed) == data["files"]
    pages = {p.relative_to(site).as_posix() for p in html_pages(site)} - {"404.html"}
    assert pages <= set(listed), sorted(pages - set(listed))[:5]
    assert "search/search_index.json" in listed
    assert not [p for p in listed if p.endswith(".map") or p.startswith("assets/javascripts/")]
    assert summary["bytes"] == sum(f[1] for f in listed.values()) == sum((site / p).stat().st_size for p in listed)
    assert 0 < summary["gzip_bytes"] < summary["bytes"]


def test_service_worker_waits_for_the_reader_and_imports_the_version(site):
    sw = read_page(site, "sw.js")
    assert 'importScripts("sw-version.js")' in sw
    # The new worker takes over only when the reader asks (the page sends SKIP_WAITING).
    assert sw.count("skipWaiting()") == 1
    assert re.search(r'addEventListener\("message",[^}]{0,80}"SKIP_WAITING"[^}]{0,40}skipWaiting\(\)', sw)
    version = read_page(site, "sw-version.js")
    assert json.loads(read_page(site, "assets/pwa/summary.json"))["version"] in version
    # Nothing loaded from another server (Workbox's runtime is bundled into sw.js).
    assert not re.search(r"importScripts\([^)]*https?:", sw) and "googleapis" not in sw


# ---------------------------------------------------------------------------------------------
# From disk (file://) nothing changes: no worker, no box, no error
# ---------------------------------------------------------------------------------------------

def test_from_disk_no_worker_and_no_offline_box(browser, site):
    ctx = browser.new_context()
    page = ctx.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((site / "giai-phap" / "giai-phap-1.html").as_uri(), wait_until="load")
    page.wait_for_timeout(500)
    assert page.locator(".kb-pwa").is_hidden() and page.locator(".kb-pwa-update").is_hidden()
    assert page.evaluate("!navigator.serviceWorker || navigator.serviceWorker.controller === null")
    assert errors == []
    ctx.close()


INDEX_TIMES = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const index = performance.getEntriesByType('resource').filter(e => e.name.endsWith('/search/search_index.json'));
  return {load: nav.loadEventStart, index: index.map(e => e.startTime)};
}"""


def test_search_index_is_fetched_after_the_page(browser, site):
    """Over http the search index (the largest file a page loads) is asked for only once the
    page has loaded (docs/assets/kb-index-later.js), and search still works as soon as it opens;
    an address with ?q= opens search with results, the index asked for at the load event."""
    with serve(site) as base:
        ctx = browser.new_context(service_workers="block")
        page = ctx.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(base + "van-ban/index.html", wait_until="load")
        wait_until(page, "() => performance.getEntriesByType('resource').some(e => e.name.endsWith('/search/search_index.json'))")
        times = page.evaluate(INDEX_TIMES)
        assert len(times["index"]) == 1 and times["index"][0] >= times["load"] > 0, times
        hrefs = search(page, "171/2025")
        assert any("/van-ban/nd-171-2025.html" in h for h in hrefs), hrefs
        # ?q=: Material opens search and focuses the box itself as it starts; the index still
        # waits for the load event (asked for earlier, it competed with the first paint).
        page.goto(base + "index.html?q=ngh%E1%BB%8B%20%C4%91%E1%BB%8Bnh", wait_until="load")
        wait_until(page, "() => document.querySelectorAll('li.md-search-result__item').length > 0")
        times = page.evaluate(INDEX_TIMES)
        assert len(times["index"]) == 1 and times["index"][0] >= times["load"] > 0, times
        # Results are drawn as they come into view (kb.css), not laid out inside Material's script.
        assert page.evaluate("getComputedStyle(document.querySelector('li.md-search-result__item')).contentVisibility") == "auto"
        assert errors == []
        ctx.close()


CLOSE_OTHER_PASSAGES = """() => {
  const box = document.querySelector('.md-search__scrollwrap');
  const more = [...document.querySelectorAll('li.md-search-result__item > details.md-search-result__more')]
    .find(d => d.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop > 400);
  if (!more) return null;
  const top = () => more.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop;
  more.open = true;
  box.scrollTop = top() + 150;  // read on: the block's top has gone above the box
  return new Promise(resolve => requestAnimationFrame(() => {
    const before = box.scrollTop;
    more.open = false;  // Material (and kb-search.js) listen for its toggle event
    setTimeout(() => resolve({top: Math.round(top()), before: Math.round(before), after: Math.round(box.scrollTop)}), 300);
  }));
}"""


def test_closing_a_results_other_passages_scrolls_back_to_it(browser, site):
    """Each search result is drawn only when in view (kb.css), which makes it a layout container;
    closing a result's other passages ("N từ khác trong trang") below the first screen still
    scrolls the search box back to that block, not to the top of the list (kb-search.js)."""
    with serve(site) as base:
        ctx = browser.new_context(service_workers="block", viewport={"width": 412, "height": 823})
        page = ctx.new_page()
        page.goto(base + "index.html?q=b%E1%BB%93i%20d%C6%B0%E1%BB%A1ng", wait_until="load")
        wait_until(page, "() => document.querySelectorAll('li.md-search-result__item').length >= 10")
        moved = page.evaluate(CLOSE_OTHER_PASSAGES)
        assert moved is not None, "no result with other passages below the first screen"
        assert moved["before"] > moved["top"] + 100, moved
        assert abs(moved["after"] - moved["top"]) <= 2, moved
        ctx.close()


# ---------------------------------------------------------------------------------------------
# Installable: Chromium's own check, in an ordinary (persistent) profile under a sub-path
# ---------------------------------------------------------------------------------------------

def test_installable_under_a_sub_path(browser, site, tmp_path):
    from sitekit.chromium import CHROMIUM, CHROMIUM_ARGS

    served = tmp_path / "www"
    publish(site, served / "dao-tao-can-bo")
    with serve(served) as base:
        ctx = browser.browser_type.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = ctx.pages[0] if ctx.pages else ctx.new_page()
            page.goto(base + "dao-tao-can-bo/giai-phap/index.html")
            wait_until(page, "navigator.serviceWorker.controller !== null", timeout=60_000)
            cdp = ctx.new_cdp_session(page)
            manifest = cdp.send("Page.getAppManifest")
            assert manifest["url"] == base + "dao-tao-can-bo/manifest.webmanifest"
            assert manifest["errors"] == [] and manifest["parsed"]["scope"] == base + "dao-tao-can-bo/"
            # What the browser requires before it offers "Add to Home screen" / "Install".
            assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
        finally:
            ctx.close()


# ---------------------------------------------------------------------------------------------
# Over http: save, go offline, read and search; then an update
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def changed_site(tmp_path_factory) -> Path:
    """The same project with one more sentence on a page and a changed stylesheet: a new version."""
    work = tmp_path_factory.mktemp("changed")
    project = copy_project(work / "project")
    page = project / "docs" / "gioi-thieu" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + f"\n\n{NEW_TEXT}\n", encoding="utf-8")
    css = project / "docs" / "assets" / "kb.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* bản cập nhật */\n", encoding="utf-8")
    proc = run_build(project, work / "site")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return work / "site"


def publish(site: Path, dest: Path) -> None:
    """Put a build where the web server serves it, as a deploy does: the old files go, and the
    new ones take their place at once (a reader's request never meets a half-copied folder)."""
    staged = dest.with_name(dest.name + ".new")
    shutil.copytree(site, staged)
    if dest.exists():
        old = dest.rename(dest.with_name(dest.name + ".old"))
        staged.rename(dest)
        shutil.rmtree(old)
    else:
        staged.rename(dest)


def h1(site: Path, rel: str) -> str:
    m = re.search(r"<h1[^>]*>(.*?)</h1>", read_page(site, rel), re.S)
    return htmllib.unescape(re.sub(r"<[^>]+>", "", m.group(1))).strip()


def never_visited(site: Path, skip: set[str]) -> list[str]:
    """Five pages from five different sections, none of which the test has opened."""
    listed = [f[0] for f in json.loads(read_page(site, "assets/pwa/files.json"))["list"]]
    picked, sections = [], set()
    for rel in listed:
        section = rel.split("/")[0]
        if rel.endswith(".html") and "/" in rel and rel not in skip and section not in sections:
            picked.append(rel)
            sections.add(section)
    assert len(picked) >= 5, picked
    return picked[:5]


def wait_until(page, expression: str, timeout: float = 30_000) -> None:
    """page.wait_for_function without its in-page eval, which the pages' Content-Security-Policy
    (no 'unsafe-eval', sitekit/csp.py) refuses: the expression is evaluated through DevTools."""
    deadline = time.monotonic() + timeout / 1000
    while True:
        if page.evaluate(expression if not expression.lstrip().startswith("()") else f"({expression})()"):
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"not true after {timeout / 1000:g} s: {expression}")
        time.sleep(0.1)


def search(page, query: str) -> list[str]:
    box = page.locator("input.md-search__input")
    opener = page.locator("label.md-header__button[for='__search']")
    if opener.is_visible():  # on a phone the box opens from the header's search button
        opener.click()
    box.click()
    wait_until(page,
        "() => document.querySelector('.md-search-result__meta')?.textContent.includes('Nhập để bắt đầu')",
        timeout=30_000)
    box.fill(query)
    box.press("End")
    wait_until(page,
        "() => /tài liệu liên quan/.test(document.querySelector('.md-search-result__meta').textContent)",
        timeout=30_000)
    hrefs = page.eval_on_selector_all("li.md-search-result__item > a.md-search-result__link", "as => as.map(a => a.href)")
    box.fill("")
    page.evaluate("document.getElementById('__search').checked = false")  # close it again
    return hrefs


CACHES_JS = """async () => {
  const out = {};
  for (const name of await caches.keys()) out[name] = (await (await caches.open(name)).keys()).map(r => r.url);
  return out;
}"""


@pytest.mark.parametrize("prefix", ["", "dao-tao-can-bo/"], ids=["root", "sub-path"])
def test_save_read_offline_search_and_update(browser, site, changed_site, tmp_path, prefix):
    served = tmp_path / "www"
    served.mkdir()
    publish(site, served / prefix)
    with serve(served) as base:
        root = base + prefix
        ctx = browser.new_context(viewport={"width": 412, "height": 860}, is_mobile=True, has_touch=True)
        outside, errors = [], []
        ctx.on("request", lambda r: None if r.url.startswith((base, "data:", "blob:")) else outside.append(r.url))
        page = ctx.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))

        # First visit: the worker installs and takes the page over.
        page.goto(root + "index.html")
        wait_until(page, "navigator.serviceWorker.controller !== null", timeout=60_000)
        scope = page.evaluate("navigator.serviceWorker.getRegistration().then(r => r.scope)")
        assert scope == root

        # The size is shown before anything is saved; then the progress; then the result.
        box = page.locator(".kb-pwa")
        assert box.is_visible()
        box.locator("summary").click()
        size = box.locator(".kb-pwa__size")
        size.filter(has_text="MB").or_(size.filter(has_text="KB")).wait_for()
        summary = json.loads(read_page(site, "assets/pwa/summary.json"))
        assert f"{summary['files']} tệp" in size.text_content()
        page.evaluate("""() => { window.kbSeen = [];
            new MutationObserver(() => kbSeen.push(document.querySelector('.kb-pwa__status').textContent))
              .observe(document.querySelector('.kb-pwa__status'), {childList: true, characterData: true, subtree: true}); }""")
        box.get_by_role("button", name="Tải toàn bộ để đọc khi mất mạng").click()
        wait_until(page, "/Đã lưu toàn bộ|Chưa lưu|Không tải/.test(document.querySelector('.kb-pwa__status').textContent)",
                               timeout=120_000)
        assert "Đã lưu toàn bộ" in box.locator(".kb-pwa__status").text_content()
        assert any(re.match(r"Đang lưu: \d+/\d+ tệp", s) for s in page.evaluate("kbSeen"))

        # Offline: five pages never opened, with their styles, and search.
        ctx.set_offline(True)
        for rel in never_visited(site, {"index.html"}):
            response = page.goto(root + rel)
            assert response is not None and response.ok, rel
            assert page.locator("h1").first.text_content().strip() == h1(site, rel), rel
            assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor") == INDIGO, rel
        found = search(page, "dao tao")
        assert root + "thong-ke/ket-qua-dao-tao.html" in [h.split("?")[0].split("#")[0] for h in found], found
        # A search result's address carries ?h=…: the saved page still opens.
        page.goto(root + "thong-ke/ket-qua-dao-tao.html?h=dao+tao")
        assert page.locator("h1").first.text_content().strip() == h1(site, "thong-ke/ket-qua-dao-tao.html")
        # A page that does not exist (never saved) gives the offline page, in Vietnamese.
        page.goto(root + "khoa-hoc/khong-co-trang-nay.html")
        assert "chưa được lưu" in page.locator("h1").text_content()
        assert page.get_by_role("link", name="Về trang chủ").get_attribute("href") == root + "index.html"

        # A new version is published while the reader is on a page.
        ctx.set_offline(False)
        page.goto(root + "gioi-thieu/index.html")
        # The search index is fetched once the page has loaded (kb-index-later.js): let it arrive
        # from this version before the next one is published.
        wait_until(page, "() => performance.getEntriesByType('resource').some(e => e.name.endsWith('/search/search_index.json'))")
        publish(changed_site, served / prefix)
        page.goto(root + "gioi-thieu/nguon.html")  # reading on: the browser looks for a new worker
        notice = page.locator(".kb-pwa-update")
        notice.wait_for(state="visible", timeout=60_000)
        button = notice.get_by_role("button", name="Có bản mới — tải lại")
        assert button.is_visible()
        # Nothing breaks while the new version waits: the page still searches.
        assert search(page, "nong thon moi")
        old = page.evaluate(CACHES_JS)
        page.goto(root + "gioi-thieu/index.html")
        notice.wait_for(state="visible", timeout=60_000)
        with page.expect_navigation():
            button.click()
        page.wait_for_load_state("load")
        assert NEW_TEXT in page.locator("article").text_content()
        page.wait_for_timeout(300)
        assert notice.is_hidden()
        state = page.evaluate("""navigator.serviceWorker.getRegistration().then(r =>
            [r.waiting === null, r.active.state, navigator.serviceWorker.controller.scriptURL])""")
        assert state == [True, "activated", root + "sw.js"]
        # Stale files removed: while the new version waited, both stylesheets were kept (the page
        # being read used the old one); once it took over, only the new one is left.
        new = page.evaluate(CACHES_JS)
        pre = [k for k in new if k.startswith("workbox-precache")]
        assert len(pre) == 1
        css_old = [u for u in old[pre[0]] if "/assets/kb.css?" in u]
        css_new = [u for u in new[pre[0]] if "/assets/kb.css?" in u]
        assert len(css_old) == 2 and len(css_new) == 1 and css_new[0] in css_old

        # The saved pages are still there after the update.
        ctx.set_offline(True)
        rel = never_visited(site, {"index.html"})[-1]
        assert page.goto(root + rel).ok
        assert page.locator("h1").first.text_content().strip() == h1(site, rel)
        ctx.close()
    assert outside == [], f"requests that left the site: {outside}"
    assert errors == [], errors
    assert urlsplit(root).hostname == "127.0.0.1"


# ---------------------------------------------------------------------------------------------
# What stops the build, in Vietnamese
# ---------------------------------------------------------------------------------------------

def test_shell_over_budget_stops_the_build(site, tmp_path, monkeypatch):
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    monkeypatch.setattr(pwa, "SHELL_BUDGET_GZIP", 50_000)
    with pytest.raises(pwa.PwaError) as err:
        pwa.build(copy, tmp_path, name="Thử", short_name="Thử", description="Thử.", primary="indigo",
                  service_worker=False)
    message = str(err.value)
    assert "vượt mức" in message and "bundle." in message and "MB" in message


def test_unknown_palette_colour_stops_the_build(site, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    with pytest.raises(pwa.PwaError) as err:
        pwa.build(copy, tmp_path, name="Thử", short_name="Thử", description="Thử.", primary="khong-co-mau",
                  service_worker=False)
    assert "khong-co-mau" in str(err.value) and "mkdocs.yml" in str(err.value)
