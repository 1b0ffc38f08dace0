"""Charts, provenance, open data and the catalogue, tested on the built site.

- every chart of data/figures.yml is drawn as inline SVG with a title and a description, and its
  bars carry the figures of data/, in Vietnamese format; changing a figure redraws the chart;
- every table and chart links to a CSV (UTF-8 with BOM) and a JSON file that read back to data/;
- every figure on a page names its source, and the page's list of sources is complete;
- programme, solution and document pages link to each other in both directions;
- in a real browser, from file://: the catalogue filter, sorting, the page without JavaScript,
  and the source of a figure shown when it is tapped.
"""

from __future__ import annotations

import csv
import json
import math
import re
import xml.etree.ElementTree as ET
from html import unescape
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
from conftest import ROOT, html_pages, read_page, run_build

from sitekit import fmt
from sitekit.data import load

SVG_NS = "{http://www.w3.org/2000/svg}"
CHART_DIV = re.compile(r'<div class="kb-chart"[^>]*data-chart="([^"]+)"')
SVG = re.compile(r'<svg class="kb-chart__svg.*?</svg>', re.S)
DATASET = re.compile(r'data-dataset="([^"]+)"')
SPAN = re.compile(r'<span class="(kb-fig[^"]*)"([^>]*)>(.*?)</span>', re.S)

# Where each chart the issue asks for must be drawn.
CHART_PAGES = {
    "doi-ngu-theo-khoi": "thong-ke/doi-ngu.html",
    "trinh-do-chuyen-mon": "thong-ke/doi-ngu.html",
    "trinh-do-ly-luan-chinh-tri": "thong-ke/doi-ngu.html",
    "ket-qua-ly-luan-chinh-tri-theo-hinh-thuc": "thong-ke/ket-qua-dao-tao.html",
    "nong-thon-moi-xa-dat-chuan": "thong-ke/nong-thon-moi.html",
}


@pytest.fixture(scope="module")
def data():
    return load(ROOT)


def chart_svgs(page_html: str) -> dict[str, ET.Element]:
    """Chart id -> its SVG, parsed as XML (so it must be well-formed)."""
    out = {}
    for m in CHART_DIV.finditer(page_html):
        svg = SVG.search(page_html, m.end())
        out[m.group(1)] = ET.fromstring(svg.group(0))
    return out


def bars(svg: ET.Element) -> list[dict]:
    rows = []
    for g in svg.iter(SVG_NS + "g"):
        if "kb-chart__row" not in g.get("class", ""):
            continue
        bar = next(r for r in g.iter(SVG_NS + "rect") if "kb-chart__bar" in r.get("class", ""))
        value = next(t for t in g.iter(SVG_NS + "text") if t.get("class") == "kb-chart__value")
        rows.append({"fig": g.get("data-fig"), "width": float(bar.get("width").rstrip("%")),
                     "text": value.text, "derived": "kb-chart__bar--derived" in bar.get("class"),
                     "title": g.find(SVG_NS + "title").text})
    return rows


# -- charts ---------------------------------------------------------------------------------
def test_required_charts_are_defined_and_every_chart_is_shown(site, data):
    assert set(CHART_PAGES) <= set(data.charts)
    shown = {}
    for page in html_pages(site):
        for cid in CHART_DIV.findall(page.read_text(encoding="utf-8")):
            shown.setdefault(cid, page.relative_to(site).as_posix())
    assert set(shown) == set(data.charts), "charts defined but not on any page: " + str(set(data.charts) - set(shown))
    for cid, page in CHART_PAGES.items():
        assert cid in chart_svgs(read_page(site, page)), (cid, page)


@pytest.mark.parametrize("cid", sorted(CHART_PAGES))
def test_chart_svg_title_description_and_numbers(site, data, cid):
    page_html = read_page(site, CHART_PAGES[cid])
    svg = chart_svgs(page_html)[cid]
    chart = data.charts[cid]
    assert svg.get("role") == "img"
    title = svg.find(SVG_NS + "title")
    desc = svg.find(SVG_NS + "desc")
    assert title is not None and title.text == chart["title"]
    assert svg.get("aria-labelledby") == title.get("id")
    assert desc is not None and svg.get("aria-describedby") == desc.get("id")
    # No script, no stylesheet link, no image: the chart is the SVG itself.
    inner = ET.tostring(svg, encoding="unicode")
    assert not re.search(r"<(\w+:)?(script|image|use|foreignObject)\b|href=", inner)

    rows = bars(svg)
    figs = [data.figures[item["fig"]] for item in chart["series"]]
    assert [r["fig"] for r in rows] == [f.id for f in figs]
    top = 100 if all(f.is_percent for f in figs) else max(f.value for f in figs)
    for row, f in zip(rows, figs, strict=False):
        shown = fmt.figure_text(f, with_unit=True)
        assert row["text"] == shown, (row, shown)
        assert shown in desc.text, (shown, desc.text)
        assert math.isclose(row["width"], f.value / top * 72, abs_tol=0.01), (row, f.value)
        assert "Nguồn:" in row["title"]
        assert row["derived"] == f.derived
        if f.derived:
            assert "tính toán" in desc.text
    # The same data as a table, one click away, and downloads beside it.
    block = page_html[page_html.index(f'data-chart="{cid}"'):]
    block = block[:block.index("</figure>")]
    assert "<details" in block and '<table class="kb-t">' in block.split("<details", 1)[1]
    for f in figs:
        assert f'data-fig="{f.id}"' in block.split("<details", 1)[1]
    assert f"du-lieu/bieu-do-{cid}.csv" in block and f"du-lieu/bieu-do-{cid}.json" in block


def test_derived_bar_is_marked_in_the_chart(site):
    svg = chart_svgs(read_page(site, "thong-ke/doi-ngu.html"))["trinh-do-ly-luan-chinh-tri"]
    derived = [r for r in bars(svg) if r["derived"]]
    assert [r["fig"] for r in derived] == ["llct-chua-neu"]
    assert "tính từ 100% − 2,3% − 68,9%" in derived[0]["title"]


def test_changed_figure_redraws_chart(project, tmp_path):
    figures = project / "data" / "figures.yml"
    text = figures.read_text(encoding="utf-8")
    # 149 + 286 = 435 must keep adding up: change a part and the total together.
    assert text.count("value: 149") == 1 and text.count("value: 435") == 1
    figures.write_text(text.replace("value: 149", "value: 301").replace("value: 435", "value: 587"), encoding="utf-8")
    out = tmp_path / "site"
    proc = run_build(project, out)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    rows = {r["fig"]: r for r in bars(chart_svgs(read_page(out, "thong-ke/doi-ngu.html"))["doi-ngu-theo-khoi"])}
    assert rows["cb-khoi-dang"]["text"] == "301 người"
    # 301 is now the largest bar: full length, and 286 scaled against it.
    assert rows["cb-khoi-dang"]["width"] == 72
    assert math.isclose(rows["cb-khoi-nha-nuoc"]["width"], 286 / 301 * 72, abs_tol=0.01)
    with open(out / "du-lieu" / "bieu-do-doi-ngu-theo-khoi.csv", encoding="utf-8-sig", newline="") as fh:
        values = {r["Mã số liệu"]: r["Giá trị"] for r in csv.DictReader(fh)}
    assert values["cb-khoi-dang"] == "301"


# -- open data ------------------------------------------------------------------------------
def datasets_on_pages(site) -> dict[str, list[Path]]:
    out: dict[str, list[Path]] = {}
    for page in html_pages(site):
        for name in DATASET.findall(page.read_text(encoding="utf-8")):
            out.setdefault(name, []).append(page)
    return out


def test_every_table_and_chart_links_its_csv_and_json(site):
    found = datasets_on_pages(site)
    assert {"chuong-trinh", "so-van-ban", "ket-qua-dao-tao-2015-2020", "trinh-do-chuyen-mon"} <= set(found)
    for name, pages in found.items():
        for page in pages:
            text = page.read_text(encoding="utf-8")
            for ext in ("csv", "json"):
                links = re.findall(rf'href="([^"]*du-lieu/{re.escape(name)}\.{ext})"', text)
                assert links, (page, name, ext)
                for link in links:
                    assert not urlparse(link).scheme and not link.startswith("/"), link  # works from file://
                    target = Path(urlparse(urljoin(page.as_uri(), link)).path)
                    assert target.is_file(), (page, link)


def read_csv(path: Path) -> list[dict]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{path.name}: no byte-order mark, Excel would garble Vietnamese"
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_figure_datasets_read_back_to_data(site, data):
    checked = 0
    for path in sorted((site / "du-lieu").glob("*.csv")):
        rows = read_csv(path)
        doc = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        assert len(doc["rows"]) == len(rows), path.name
        assert list(doc["fields"].values()) == list(rows[0].keys()) if rows else True
        if "Mã số liệu" not in (rows[0] if rows else {}):
            continue
        for row, jrow in zip(rows, doc["rows"], strict=False):
            fid = row["Mã số liệu"]
            assert jrow["id"] == fid
            f = data.figures.get(fid)
            if f is None:  # a remainder computed for a group without a derived figure in data/
                assert row["Số tính toán"] == "có" and jrow["derived"] is True
                continue
            assert row["Nội dung"] == f.label == jrow["label"]  # Vietnamese text survives the trip
            assert math.isclose(float(row["Giá trị"]), f.value, rel_tol=1e-9)
            assert math.isclose(jrow["value"], f.value, rel_tol=1e-9)
            assert row["Đơn vị"] == f.unit == jrow["unit"]
            assert row["Cách viết trên trang"] == fmt.figure_text(f, with_unit=True)
            assert row["Mã nguồn"] == "; ".join(f.sources) == jrow["source_id"]
            for sid in f.sources:
                assert data.sources[sid]["title"] in row["Nguồn"]
            assert row["Thời điểm của số liệu"] == f.as_of
            assert row["Số tính toán"] == ("có" if f.derived else "không")
            assert jrow["derived"] is f.derived
            assert bool(row["Cách tính"]) == f.derived
            checked += 1
    assert checked >= 30


def test_catalogue_and_register_datasets(site, data):
    rows = read_csv(site / "du-lieu" / "chuong-trinh.csv")
    assert [r["Mã"] for r in rows] == list(data.programmes)
    assert [r["Chương trình"] for r in rows] == [p["name"] for p in data.programmes.values()]
    docs = json.loads((site / "du-lieu" / "so-van-ban.json").read_text(encoding="utf-8"))
    assert [r["id"] for r in docs["rows"]] == list(data.documents)
    assert [r["title"] for r in docs["rows"]] == [d["title"] for d in data.documents.values()]


# -- provenance -----------------------------------------------------------------------------
def sources_of(fid: str, data) -> list[str]:
    """Sources of a figure shown with data-fig: a figure in data/, a share computed on the page
    ("part--whole"), or what a group of shares leaves ("group--con-lai")."""
    if fid in data.figures:
        return data.figures[fid].sources
    head, _, tail = fid.partition("--")
    ids = data.groups[head]["members"] if tail == "con-lai" else [head, tail]
    return list(dict.fromkeys(s for i in ids for s in data.figures[i].sources))


def test_every_figure_names_its_source_and_date(site, data):
    count = 0
    for page in html_pages(site):
        for cls, attrs, _text in SPAN.findall(page.read_text(encoding="utf-8")):
            fid = re.search(r'data-fig="([^"]+)"', attrs)
            title = re.search(r'title="([^"]+)"', attrs)
            assert fid and title, (page.name, attrs)
            title = unescape(title.group(1))
            assert "Nguồn:" in title and "Thời điểm:" in title, title
            for sid in sources_of(fid.group(1), data):
                s = data.sources[sid]
                who = s.get("organisation") or s.get("site") or s["title"]
                assert who in title, (sid, title)
                if s.get("date"):
                    assert fmt.date(s["date"]) in title, title  # the article's date
            if "kb-fig--derived" in cls:
                assert "Số tính toán: tính từ" in title, title
            count += 1
    assert count > 100


def test_sources_list_of_each_page_is_complete(site, data):
    for page in html_pages(site):
        text = page.read_text(encoding="utf-8")
        if page.relative_to(site).as_posix() == "gioi-thieu/nguon.html":
            continue
        used = {sid for fid in re.findall(r'data-fig="([^"]+)"', text) for sid in sources_of(unescape(fid), data)}
        if not used:
            continue
        m = re.search(r'<section class="kb-page-sources".*?</section>', text, re.S)
        assert m, f"{page}: figures but no list of sources"
        listed = set(re.findall(r'href="[^"]*gioi-thieu/nguon\.html#src-([^"]+)"', m.group(0)))
        assert used <= listed, (page.name, used - listed)


# -- links between programmes, solutions and documents ---------------------------------------
def links_of(site: Path, rel: str) -> set[str]:
    page = site / rel
    return {Path(urlparse(urljoin(page.as_uri(), h)).path).relative_to(site).as_posix()
            for h in re.findall(r'href="([^"#?]+\.html)[^"]*"', page.read_text(encoding="utf-8"))
            if not urlparse(h).scheme}


def test_programme_solution_document_links_both_ways(site, data):
    for p in data.programmes.values():
        prog = f"khoa-hoc/{p['id']}.html"
        out = links_of(site, prog)
        for sid in p["solutions"]:
            assert f"giai-phap/{sid}.html" in out, (prog, sid)
            assert prog in links_of(site, f"giai-phap/{sid}.html"), (sid, prog)
        for did in p["documents"]:
            assert f"van-ban/{did}.html" in out, (prog, did)
            assert prog in links_of(site, f"van-ban/{did}.html"), (did, prog)
    for s in data.solutions.values():
        for did in s["documents"]:
            assert f"van-ban/{did}.html" in links_of(site, f"giai-phap/{s['id']}.html")
            assert f"giai-phap/{s['id']}.html" in links_of(site, f"van-ban/{did}.html"), (did, s["id"])


# -- in the browser, from file:// -------------------------------------------------------------




def visible_programmes(page) -> list[str]:
    return page.eval_on_selector_all(
        ".kb-catalogue tbody tr", "rows => rows.filter(r => r.offsetParent !== null).map(r => r.dataset.level)")


def test_catalogue_filter_and_sort(site, data, browser):
    ctx = browser.new_context(viewport={"width": 360, "height": 800})
    page = ctx.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((site / "khoa-hoc" / "index.html").as_uri())
    assert page.locator(".kb-filters").is_visible()
    total = len(data.programmes)
    assert len(visible_programmes(page)) == total
    levels = [p["level"] for p in data.programmes.values()]
    level = max(set(levels), key=levels.count)
    page.select_option("#kb-loc-cap", level)
    shown = visible_programmes(page)
    assert shown == [level] * levels.count(level)
    status = page.locator(".kb-filters__status")
    assert status.get_attribute("aria-live") == "polite"
    assert f"Đang hiện {len(shown)} trong số {total} chương trình" in status.inner_text()
    # A second filter narrows further; "Bỏ lọc" brings everything back.
    page.select_option("#kb-loc-hinh-thuc", "tai-chuc")
    expect = [p for p in data.programmes.values() if p["level"] == level and "tai-chuc" in p["modes"]]
    assert len(visible_programmes(page)) == len(expect)
    page.click(".kb-filters button[type=reset]")
    page.wait_for_function(f"document.querySelectorAll('.kb-catalogue tbody tr:not([hidden])').length === {total}")
    assert "tất cả" in status.inner_text()
    # Sorting by name, both ways, with aria-sort on the header.
    header = page.locator(".kb-catalogue th", has_text="Chương trình").first
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    names = page.eval_on_selector_all(".kb-catalogue tbody tr td:first-child", "c => c.map(x => x.textContent.trim())")
    assert names == sorted(names, key=lambda n: fmt_key(n))
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "descending"
    names_desc = page.eval_on_selector_all(".kb-catalogue tbody tr td:first-child", "c => c.map(x => x.textContent.trim())")
    assert names_desc == names[::-1]
    assert not errors
    ctx.close()


def fmt_key(name: str):
    from sitekit.slug import fold

    return fold(name).lower()


def test_catalogue_without_javascript_shows_full_table(site, data, browser):
    ctx = browser.new_context(java_script_enabled=False)
    page = ctx.new_page()
    page.goto((site / "khoa-hoc" / "index.html").as_uri())
    assert not page.locator(".kb-filters").is_visible()
    assert len(visible_programmes(page)) == len(data.programmes)
    ctx.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_tapping_a_figure_shows_its_source(site, browser, scheme):
    """With JavaScript: Material's tooltip, tied to the figure by aria-describedby."""
    ctx = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True,
                              color_scheme=scheme)
    page = ctx.new_page()
    page.goto((site / "thong-ke" / "doi-ngu.html").as_uri())
    fig = page.locator('.kb-fig[data-fig="cb-tong"]').first
    fig.scroll_into_view_if_needed()
    fig.tap()
    tip_id = fig.get_attribute("aria-describedby")
    assert tip_id, "no accessible description after tapping the figure"
    tip = page.locator(f"#{tip_id}")
    tip.wait_for(state="visible")
    assert SOURCE_2020 in tip.inner_text()
    box = tip.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360  # stays on a narrow phone's screen
    # The chart is readable in both schemes: its text is the page's text colour.
    colours = page.evaluate("""() => {
        const t = document.querySelector('.kb-chart__label');
        return [getComputedStyle(t).fill, getComputedStyle(document.querySelector('.md-typeset')).color];
    }""")
    assert colours[0] == colours[1]
    ctx.close()


SOURCE_2020 = "Nguồn: Ban Tổ chức Huyện ủy Hương Khê, đăng ngày 07/12/2020"


def test_focusing_a_figure_without_javascript_shows_its_source(site, browser):
    ctx = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = ctx.new_page()
    page.goto((site / "thong-ke" / "doi-ngu.html").as_uri())
    fig = page.locator('.kb-fig[data-fig="cb-tong"]').first
    fig.focus()
    tip = fig.evaluate("""el => { const s = getComputedStyle(el, '::before');
        return {content: s.content, position: s.position, color: s.color, background: s.backgroundColor}; }""")
    assert SOURCE_2020 in tip["content"]
    assert tip["position"] == "fixed" and tip["color"] != tip["background"]
    ctx.close()


# -- chart definitions are checked like any data ----------------------------------------------
def test_chart_with_unknown_figure_or_mixed_units_is_refused(project):
    from sitekit.issues import DataError

    figures = project / "data" / "figures.yml"
    text = figures.read_text(encoding="utf-8")
    assert text.count("      - fig: cb-khoi-nha-nuoc\n") == 1
    bad = text.replace("      - fig: cb-khoi-nha-nuoc\n", "      - fig: cb-khoi-nha-nuocc\n")
    figures.write_text(bad, encoding="utf-8")
    with pytest.raises(DataError) as err:
        load(project)
    message = str(err.value)
    assert "cb-khoi-nha-nuocc" in message and "cb-khoi-nha-nuoc" in message  # with the close match
    line = bad.splitlines().index("      - fig: cb-khoi-nha-nuocc") + 1
    assert f"data/figures.yml:{line}" in message or f"dòng {line}" in message, message

    mixed = text.replace("      - fig: cb-khoi-nha-nuoc\n", "      - fig: cb-ty-le-khoi-nha-nuoc\n")
    figures.write_text(mixed, encoding="utf-8")
    with pytest.raises(DataError) as err:
        load(project)
    assert "cùng đơn vị tính" in str(err.value)
