"""The whole site, built for real: figures where readers look for them, in Vietnamese format,
following data/ everywhere, and nothing unrendered."""

from __future__ import annotations

import re
from html import unescape

import pytest
from conftest import html_pages, read_page, run_build, run_check

# Every figure of ../shared/facts/seed-figures.md, as a reader must see it, and the page a reader
# would open to find it.
SEED_FIGURES = {
    "thong-ke/ket-qua-dao-tao.html": {
        "dt-cao-cap": "20", "dt-cao-cap-tap-trung": "8", "dt-cao-cap-tai-chuc": "12",
        "dt-trung-cap": "404", "dt-trung-cap-tap-trung": "89", "dt-trung-cap-tai-chuc": "315",
        "dt-so-cap-lop": "5", "dt-so-cap-hoc-vien": "350", "dt-tap-huan-lop": "235",
        "dt-tap-huan-luot": "trên 36.000", "dt-chuyen-mon": "300", "dt-cao-hoc": "15",
    },
    "thong-ke/doi-ngu.html": {
        "cb-tong": "435", "cb-khoi-dang": "149", "cb-khoi-nha-nuoc": "286",
        "cm-tren-dai-hoc": "0,2%", "cm-dai-hoc-cao-dang": "76,6%", "cm-trung-cap": "23,2%",
        "llct-cao-cap-cu-nhan": "2,3%", "llct-trung-cap": "68,9%",
    },
    "thong-ke/nong-thon-moi.html": {
        "ntm-xa-dat-chuan": "13", "ntm-ty-le": "61,9%", "ntm-tang-tu-2015": "9",
        "ntm-kieu-mau": "1", "ntm-muc-tieu-them-2020": "4",
    },
}

FIG_SPAN = re.compile(r'<span class="kb-fig[^"]*" data-fig="([^"]+)"[^>]*>(.*?)</span>')


def figure_texts(page_html: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for fid, text in FIG_SPAN.findall(page_html):
        out.setdefault(fid, set()).add(unescape(text))
    return out


def visible_text(page_html: str) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page_html, flags=re.S)
    body = re.sub(r"<[^>]+>", " ", body)
    return unescape(body)


@pytest.mark.parametrize("page", sorted(SEED_FIGURES))
def test_seed_figures_on_their_page(site, page):
    found = figure_texts(read_page(site, page))
    for fid, shown in SEED_FIGURES[page].items():
        assert fid in found, f"{fid} is not shown on {page}"
        assert any(t == shown or t.startswith(shown + " ") for t in found[fid]), (fid, found[fid])


def test_home_shows_key_figures(site):
    found = figure_texts(read_page(site, "index.html"))
    for fid in ("cb-tong", "dt-trung-cap", "dt-tap-huan-luot", "ntm-xa-dat-chuan"):
        assert fid in found, fid


def test_every_programme_and_document_has_a_generated_page(site):
    from sitekit.data import load

    data = load()
    for pid, p in data.programmes.items():
        page = read_page(site, f"khoa-hoc/{pid}.html")
        assert p["name"] in page
    for did in data.documents:
        assert (site / f"van-ban/{did}.html").exists(), did


def test_nothing_unrendered(site):
    bad = []
    for page in html_pages(site):
        text = page.read_text(encoding="utf-8")
        for marker in ("{{", "{%", "Macro Rendering Error", "UndefinedError", "Traceback"):
            if marker in text:
                bad.append((page.name, marker))
    assert not bad


def test_no_request_to_other_hosts_in_pages(site):
    offenders = []
    for page in html_pages(site):
        text = page.read_text(encoding="utf-8")
        # <link rel="canonical"> names the page's published address; nothing fetches it.
        for m in re.finditer(r'<(?:script|link(?![^>]*rel="canonical")|img|iframe)\b[^>]*(?:src|href)="(https?:)?//', text):
            offenders.append((page.name, text[m.start():m.start() + 120]))
    assert not offenders


def test_ui_and_search_language_vietnamese(site):
    home = read_page(site, "index.html")
    assert '<html lang="vi"' in home
    # Strings Material's Vietnamese table leaves in English are translated (overrides/partials/language.html).
    assert "Initializing search" not in home and "Đang chuẩn bị tìm kiếm" in home
    index = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert '"lang":["vi"]' in index.replace(" ", "")


def test_changed_figure_follows_everywhere(project, tmp_path):
    figures = project / "data" / "figures.yml"
    text = figures.read_text(encoding="utf-8")
    # 435 = 149 + 286 must keep adding up, so change a part and the total together.
    text = text.replace("value: 435", "value: 437").replace("value: 286", "value: 288")
    assert "value: 61.9\n" in text
    text = text.replace("value: 61.9\n", "value: 62.5\n")
    figures.write_text(text, encoding="utf-8")
    out = tmp_path / "site"
    proc = run_build(project, out)
    assert proc.returncode == 0, proc.stderr
    shown_on = 0
    for page in html_pages(out):
        html_text = page.read_text(encoding="utf-8")
        found = figure_texts(html_text)
        if "cb-tong" in found:
            shown_on += 1
            assert all(t.startswith("437") for t in found["cb-tong"]), (page, found["cb-tong"])
        shown = visible_text(html_text)
        assert not re.search(r"(?<![\d.,])435(?![\d.,])", shown), page
    # The editors' guide shows how a figure is written in data/ and on the page: from data too.
    guide = visible_text((out / "bien-tap" / "index.html").read_text(encoding="utf-8"))
    assert "62.5" in guide and "62,5%" in guide
    assert not re.search(r"(?<![\d.,])61[,.]9(?!\d)", guide)
    assert shown_on >= 2


def test_undefined_name_fails_build(project, tmp_path):
    page = project / "docs" / "gioi-thieu" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n\n{{ undefined_name }}\n", encoding="utf-8")
    proc = run_build(project, tmp_path / "site")
    assert proc.returncode != 0
    assert "undefined_name" in proc.stderr
    assert "docs/gioi-thieu/index.md" in proc.stderr


def test_missing_data_file_fails_build(project, tmp_path):
    (project / "data" / "events.yml").unlink()
    proc = run_build(project, tmp_path / "site")
    assert proc.returncode != 0
    assert "data/events.yml" in proc.stderr


def test_schema_results_are_kept_only_for_unchanged_files_that_passed(project):
    """.cache/data-schema-passed.json lets an unchanged file skip its JSON Schema check; a
    changed file is checked again and its mistake reported, and a damaged cache is ignored."""
    import json

    cache = project / ".cache" / "data-schema-passed.json"
    assert run_check(project).returncode == 0
    passed = json.loads(cache.read_text(encoding="utf-8"))
    assert sorted(passed) == ["contact", "documents", "events", "figures", "forms", "needs", "programmes", "rules",
                              "solutions", "sources"]

    figures = project / "data" / "figures.yml"
    good = figures.read_text(encoding="utf-8")
    bad = good.replace("value: 435", "value: bốn trăm", 1)
    assert bad != good
    figures.write_text(bad, encoding="utf-8")
    proc = run_check(project)
    assert proc.returncode == 1
    assert "data/figures.yml" in proc.stderr and "bốn trăm" in proc.stderr
    assert json.loads(cache.read_text(encoding="utf-8"))["figures"] == passed["figures"]  # failure not kept
    assert run_check(project).returncode == 1  # and reported again on the next run

    figures.write_text(good, encoding="utf-8")
    cache.write_text("{not json", encoding="utf-8")
    assert run_check(project).returncode == 0
    assert json.loads(cache.read_text(encoding="utf-8")) == passed


def test_palette_stylesheet_has_no_rule_that_restyles_every_element_on_load(site):
    """Material switches to the reader's palette on every page load; its rule for that moment
    made the browser restyle the whole page twice (sitekit/material_adapter.py). The palette
    switch itself still works (tests/test_csp.py)."""
    sheets = list((site / "assets" / "stylesheets").glob("palette.*.min.css"))
    assert len(sheets) == 1
    text = sheets[0].read_text(encoding="utf-8")
    assert "data-md-color-switching" not in text and "[data-md-color-scheme=slate]" in text
