"""axe-core on every page type of the built site, in Chromium, in the light and the dark colour
scheme, and with Material's search results open. Any violation (any impact) fails the test, with
the rule, the elements and axe's explanation in the message."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sitekit.localserve import serve

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

PAGE_TYPES = {
    "home": "index.html",
    "solution": "giai-phap/giai-phap-1.html",
    "programme": "khoa-hoc/trung-cap-ly-luan-chinh-tri.html",
    "documents": "van-ban/index.html",
    "document": "van-ban/nd-101-2017.html",
    "statistics": "thong-ke/doi-ngu.html",
}
SEARCH_QUERY = "bồi dưỡng"


@pytest.fixture(scope="module")
def base_url(site):
    """The built site over HTTP on 127.0.0.1 (search needs a web server, not file://)."""
    with serve(site) as base:
        yield base


@pytest.fixture(scope="module")
def browser(browser):
    assert AXE.exists(), "node_modules/axe-core thiếu: chạy `npm ci` (make test tự chạy)"
    return browser


def axe_violations(page) -> list[dict]:
    # Evaluated through the DevTools protocol: the pages' Content-Security-Policy (sitekit/csp.py)
    # rightly refuses an injected <script>, and stays on while axe looks at them.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary)}));
    }""")


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']}")
        lines.extend("    " + n.replace("\n", " ") for n in v["nodes"])
    return "\n".join(lines)


@pytest.fixture(params=["light", "dark"])
def page(request, browser):
    ctx = browser.new_context(color_scheme=request.param, viewport={"width": 412, "height": 823},
                              is_mobile=True, has_touch=True)
    p = ctx.new_page()
    yield p
    ctx.close()


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_page_type_has_no_axe_violation(page, base_url, kind):
    page.goto(base_url + PAGE_TYPES[kind], wait_until="load")
    violations = axe_violations(page)
    assert not violations, f"{PAGE_TYPES[kind]}:\n{describe(violations)}"


def test_search_results_open_have_no_axe_violation(page, base_url):
    page.goto(base_url + "index.html", wait_until="load")
    page.click("label.md-header__button[for='__search']")
    box = page.locator("input.md-search__input")
    box.wait_for(state="visible")
    box.press_sequentially(SEARCH_QUERY)
    page.locator(".md-search-result__item").first.wait_for(state="visible", timeout=15000)
    violations = axe_violations(page)
    assert not violations, f"tìm kiếm \"{SEARCH_QUERY}\":\n{describe(violations)}"


# Material partials copied into overrides/ with one accessibility change each: (file, upstream
# text, our text). If Material is upgraded and its partial changes, this fails: copy it again.
OVERRIDES = {
    "search.html": ('<div class="md-search" data-md-component="search" role="dialog">',
                    '<div class="md-search" data-md-component="search" role="dialog" aria-label="{{ lang.t(\'search\') }}">'),
    "nav-item.html": ('<span class="md-nav__icon md-icon"></span>\n              </label>\n            {% endif %}\n          </div>',
                      '<span class="md-nav__icon md-icon"></span><span class="kb-sr-only">{{ nav_item.title | e }}</span>\n'
                      '              </label>\n            {% endif %}\n          </div>'),
}


def _after_header(text: str) -> str:
    return text.split("-#}\n", 1)[1]


@pytest.mark.parametrize("name", OVERRIDES)
def test_material_partial_override_is_upstream_plus_one_change(name):
    import material
    upstream = _after_header((Path(material.__file__).parent / "templates" / "partials" / name).read_text())
    ours = _after_header((ROOT / "overrides" / "partials" / name).read_text())
    old, new = OVERRIDES[name]
    assert upstream.count(old) == 1 and ours.count(new) == 1
    assert ours.replace(new, old) == upstream, (
        f"overrides/partials/{name} khác bản của mkdocs-material đang cài ngoài thay đổi về trợ năng: "
        "chép lại bản mới của Material rồi sửa lại đúng chỗ đó.")


def test_every_page_has_language_and_description(site):
    from conftest import html_pages
    missing = []
    for path in html_pages(site):
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(site).as_posix()
        if '<html lang="vi"' not in text:
            missing.append(f"{rel}: thiếu lang=\"vi\"")
        m = re.search(r'<meta name="description" content="([^"]*)"', text)
        if not m or not m.group(1).strip():
            missing.append(f"{rel}: thiếu mô tả trang (description)")
    assert not missing, "\n".join(missing)


@pytest.mark.parametrize("path", ["index.html", "khoa-hoc/index.html", "van-ban/index.html",
                                  "thong-ke/doi-ngu.html", "khoa-hoc/trung-cap-ly-luan-chinh-tri.html"])
def test_no_page_is_wider_than_a_phone(browser, base_url, path):
    """At 360 px nothing makes the page scroll sideways; the catalogue and register are cards."""
    ctx = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    try:
        pg = ctx.new_page()
        pg.goto(base_url + path)
        overflow = pg.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} is {overflow}px wider than the screen"
        if path in ("khoa-hoc/index.html", "van-ban/index.html"):
            table = pg.locator(".kb-cards-on-phone table")
            assert table.evaluate("t => t.scrollWidth <= t.clientWidth + 1"), "table scrolls sideways"
            assert pg.locator(".kb-cards-on-phone td[data-label]").count() > 0
    finally:
        ctx.close()
