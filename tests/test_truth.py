"""What a reader sees on the BUILT site: no English theme string, no placeholder address, dates in
one format and one tone-mark style, and no document whose status contradicts the register's own
definitions (data/documents.yml, shown on van-ban/index.html)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT, html_pages, read_page, run_check

from sitekit import repo, truth

MATERIAL = Path(__import__("material").__file__).parent
EDITOR_PAGES = "bien-tap"  # pages for editors show YAML and commands, in English by nature


def reader_pages(site: Path) -> list[Path]:
    return [p for p in html_pages(site) if EDITOR_PAGES not in p.relative_to(site).parts]


def test_checks_catch_what_they_are_for():
    assert truth.bad_dates("từ 01/7/2025 và 1/07/2025, không phải 01/07/2025") == ["01/7/2025", "1/07/2025"]
    assert truth.other_tone_style("Xoá, thuỷ, hoà; không phải Xóa, thủy, hòa, quý, hoàn, khoán") == ["Xoá", "thuỷ", "hoà"]
    assert repo.is_placeholder("https://github.com/OWNER/REPO") and not repo.is_placeholder("https://github.com/a/b")
    english = truth.english_theme_strings(MATERIAL)
    assert {"Made with", "Copy to clipboard", "Initializing search"} <= english
    shown = truth.theme_translations('<script id="__config">{"translations": {"clipboard.copy": "Sao ch\\u00e9p"}}</script>')
    assert shown == ["Sao chép"]


def test_no_page_shows_an_english_theme_string(site):
    english = truth.english_theme_strings(MATERIAL)
    for page in html_pages(site):
        text = page.read_text(encoding="utf-8")
        shown = set(truth.visible_texts(text)) | set(truth.theme_translations(text))
        found = sorted(shown & english)
        assert not found, (page.relative_to(site).as_posix(), found)


def test_no_page_links_to_a_placeholder_address(site):
    for page in html_pages(site):
        text = page.read_text(encoding="utf-8")
        for url in re.findall(r'(?:href|src)="(https?://[^"]+)"', text):
            assert not repo.is_placeholder(url), (page.relative_to(site).as_posix(), url)
        assert "OWNER/REPO" not in text, page
    for loc in re.findall(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8")):
        assert not repo.is_placeholder(loc), loc


def test_dates_and_tone_marks_have_one_style_on_every_page(site):
    for page in html_pages(site):
        rel = page.relative_to(site).as_posix()
        html = page.read_text(encoding="utf-8")
        for text in truth.visible_texts(html) + truth.theme_translations(html):
            assert not truth.bad_dates(text), (rel, text)
            assert not truth.other_tone_style(text), (rel, text)


def test_reader_pages_show_no_iso_dates(site):
    iso = re.compile(r"\b(19|20)\d\d-\d\d-\d\d\b")
    for page in reader_pages(site):
        for text in truth.visible_texts(page.read_text(encoding="utf-8")):
            assert not iso.search(text), (page.relative_to(site).as_posix(), text)


ROW = re.compile(r'<tr data-status="([^"]+)" data-doc="([^"]+)" data-date="([^"]*)"([^>]*)>(.*?)</tr>', re.S)


def test_every_document_status_follows_the_registers_definitions(site):
    """Read from the built register: each status shows what its definition requires, and nothing
    that its definition excludes."""
    page = read_page(site, "van-ban/index.html")
    checked = re.search(r"tình trạng kiểm tra tháng (\d{2})/(\d{4})", page)
    assert checked, "the register states its month of checking"
    year = int(checked.group(2))
    rows = {m.group(2): m for m in ROW.finditer(page)}
    assert len(rows) >= 30
    dates = {doc: m.group(3) for doc, m in rows.items()}
    for doc, m in rows.items():
        status, date, attrs, cells = m.group(1), m.group(3), m.group(4), m.group(5)
        rels = {rel: re.findall(rf'data-rel="{rel}"[^>]*data-(?:doc|date)="([^"]*)"', cells)
                for rel in ("replaced-by", "newer", "changed-by")}
        period = re.search(r'data-period-end="(\d{4})"', attrs)
        if status == "khong-ghi-nhan-thay-doi":
            assert not any(rels.values()) and not period, (doc, rels)
        elif status == "da-thay-the":
            assert rels["replaced-by"], doc
        elif status == "can-kiem-tra":
            assert rels["newer"] and not rels["replaced-by"], doc
            for newer in rels["newer"]:
                assert dates[newer] and date and dates[newer] > date, (doc, newer)
        elif status == "to-chuc-da-thay-doi":
            assert rels["changed-by"] and not rels["replaced-by"] and not rels["newer"], doc
            assert all(d > date for d in rels["changed-by"]), doc
        elif status == "het-giai-doan":
            assert period and int(period.group(1)) < year, doc
        elif status == "chua-xac-minh":
            assert not date, doc
        else:
            pytest.fail(f"{doc}: status {status} has no definition on the register page")


def test_the_build_stops_on_a_status_against_its_definition(project):
    path = project / "data" / "documents.yml"
    text = path.read_text(encoding="utf-8")
    at = text.index("  - id: qd-164-tw")
    text = text[:at] + text[at:].replace("    newer: [qd-145-tw]\n", "", 1)
    path.write_text(text, encoding="utf-8")
    proc = run_check(project)
    assert proc.returncode != 0
    assert "qd-164-tw" in proc.stderr and "newer" in proc.stderr and "data/documents.yml" in proc.stderr


def test_the_build_stops_on_a_date_in_another_format(project):
    path = project / "data" / "figures.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("từ ngày 01/07/2025", "từ ngày 01/7/2025", 1),
                    encoding="utf-8")
    proc = run_check(project)
    assert proc.returncode != 0 and "01/7/2025" in proc.stderr and "data/figures.yml" in proc.stderr


def test_documents_are_named_in_official_style(site):
    page = read_page(site, "van-ban/nd-101-2017.html")
    assert "Nghị định số 101/2017/NĐ-CP ngày 01/09/2017 của Chính phủ về đào tạo, bồi dưỡng" in page
    law = read_page(site, "van-ban/luat-cbcc-2008.html")
    assert "Luật Cán bộ, công chức số 22/2008/QH12, được Quốc hội thông qua ngày 13/11/2008" in law
    assert "Ngày thông qua" in law


def test_site_title_names_the_former_district():
    assert "huyện Hương Khê cũ" in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")


def _styled(page) -> bool:
    """Material's stylesheet is applied: its header is sticky, the unstyled default is static."""
    return page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"


def test_404_page_is_styled_on_a_host_at_any_depth_and_from_disk(site, browser, tmp_path):
    """A host serves 404.html for every missing address, below the site's folder (/huong-khe/ of
    PUBLISHED_ENV's SITE_URL); the same file opened from disk must be styled too."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    (tmp_path / "huong-khe").symlink_to(site, target_is_directory=True)
    error_page = (site / "404.html").read_bytes()

    class Host(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def send_error(self, code, message=None, explain=None):
            if code != 404:
                return super().send_error(code, message, explain)
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(error_page)))
            self.end_headers()
            self.wfile.write(error_page)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Host, directory=str(tmp_path)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    page = browser.new_page()
    try:
        base = f"http://127.0.0.1:{httpd.server_address[1]}/huong-khe/"
        for missing in ("khong-co.html", "van-ban/khong/co/trang.html"):
            response = page.goto(base + missing)
            assert response.status == 404
            assert _styled(page), missing
            home = page.locator("a", has_text="Về trang chủ").get_attribute("href")
            assert page.evaluate(f"new URL({home!r}, document.baseURI).href") == base + "index.html"
        page.goto((site / "404.html").as_uri())
        assert _styled(page)
        assert page.evaluate("document.querySelector('base')") is None
    finally:
        page.close()
        httpd.shutdown()
        httpd.server_close()
