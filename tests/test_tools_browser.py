"""The commune's tools in Chromium, opened from disk (file://) with every other request blocked:
each form page printed on A4 portrait (nothing wider than the page, nothing cut, Vietnamese
fonts embedded); the needs self-check used with the keyboard (role, ticks, suggestions checked
against data/needs.yml, printed summary, nothing stored); axe-core finds no violation."""

from __future__ import annotations

import io
import unicodedata

import pytest
from conftest import ROOT
from pypdf import PdfReader

from sitekit import forms as form_files
from sitekit.data import load

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
DATA = load(ROOT)
TOOLS = DATA.tools
LOCAL = ("file:", "data:", "blob:", "about:")
A4_CONTENT_PX = round((210 - 15 - 15) / 25.4 * 96)  # kb.css @page: 15 mm side margins


def flat(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


@pytest.fixture
def offline(browser):
    """A new page whose every request that is not a local file is aborted and recorded."""
    ctx = browser.new_context(viewport={"width": 412, "height": 823}, is_mobile=True, has_touch=True)
    outside: list[str] = []

    def route(r):
        if r.request.url.startswith(LOCAL):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    ctx.route("**/*", route)
    page = ctx.new_page()
    page.outside = outside
    yield page
    assert not outside, f"yêu cầu ra mạng: {outside[:5]}"
    ctx.close()


def axe_violations(page) -> list[str]:
    assert AXE.exists(), "node_modules/axe-core thiếu: chạy `npm ci`"
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => v.id + ': ' + v.help + ' :: ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
    }""")
    return found


def pdf_text(data: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(data))
    return reader, flat(" ".join(p.extract_text() or "" for p in reader.pages))


def embedded_fonts(reader: PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        fonts = (page.get("/Resources") or {}).get("/Font") or {}
        for ref in fonts.values():
            font = ref.get_object()
            for desc_font in [font] + [d.get_object() for d in font.get("/DescendantFonts", [])]:
                desc = desc_font.get("/FontDescriptor")
                if desc is not None and any(k in desc.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    names.add(str(desc_font.get("/BaseFont")))
    return names


@pytest.mark.parametrize("fid", sorted(DATA.forms))
def test_form_prints_on_a4_portrait_whole(site, offline, fid):
    form = DATA.forms[fid]
    page = offline
    page.set_viewport_size({"width": A4_CONTENT_PX, "height": 1000})
    page.goto((site / form_files.FORM_DIR / f"{fid}.html").as_uri(), wait_until="load")
    page.emulate_media(media="print")
    # Nothing of the form is wider than the printed page, and the page does not scroll sideways.
    overflow = page.evaluate("""() => {
        const sheet = document.querySelector('.kb-form__sheet');
        const right = sheet.getBoundingClientRect().right + 1;
        const wide = [...sheet.querySelectorAll('*')].filter(e => e.getBoundingClientRect().right > right);
        return {wide: wide.slice(0, 3).map(e => e.outerHTML.slice(0, 80)),
                scroll: document.documentElement.scrollWidth - document.documentElement.clientWidth};
    }""")
    assert not overflow["wide"] and overflow["scroll"] <= 0, overflow
    # Only the form is printed; table rows never split, header rows repeat on every page.
    assert not page.locator(".kb-form-meta").is_visible()
    assert page.locator(".kb-form__sheet").is_visible()
    if page.locator(".kb-form__table").count():
        styles = page.evaluate("""() => {
            const t = document.querySelector('.kb-form__table');
            return [getComputedStyle(t.querySelector('thead')).display,
                    getComputedStyle(t.querySelector('tbody tr')).breakInside];
        }""")
        assert styles == ["table-header-group", "avoid"], styles
    reader, text = pdf_text(page.pdf(format="A4", print_background=True))
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 595.3) < 1.5 and abs(float(box.height) - 841.9) < 1.5, "A4 đứng"
    for label in [form["title"].upper()] + [s["title"] for s in form["sections"]]:
        assert flat(label) in text, f"{fid}: bản in thiếu «{label}»"
    for s in form["sections"]:
        for item in s.get("fields", []) + s.get("columns", []):
            words = flat(item["label"]).split()
            assert words[0] in text and words[-1] in text, f"{fid}: bản in thiếu «{item['label']}»"
    assert "không phải biểu mẫu chính thức" in text
    assert embedded_fonts(reader), "phông chữ không được nhúng vào PDF"


def _open_self_check(site, page):
    page.goto((site / "cong-cu" / "tu-danh-gia.html").as_uri(), wait_until="load")
    page.wait_for_selector(".kb-needs--live")


def test_self_check_from_disk_with_keyboard(site, offline):
    page = offline
    _open_self_check(site, page)
    assert not axe_violations(page)
    # The theme keeps the reader's colour scheme; the self-check itself must add nothing.
    stored = "() => [Object.entries(localStorage), Object.entries(sessionStorage), document.cookie]"
    before = page.evaluate(stored)
    role = next(iter(TOOLS.roles.values()))
    # Keyboard only: focus the role's radio button and press Space, then tick two abilities.
    page.locator(f"#vai-tro-{role['id']}").focus()
    page.keyboard.press("Space")
    assert page.locator(f"#vai-tro-{role['id']}").is_checked()
    shown = page.locator("fieldset[data-role]:visible")
    assert shown.count() == 1 and shown.get_attribute("data-role") == role["id"]
    done = role["abilities"][:2]
    for aid in done:
        box = page.locator(f"#viec-{role['id']}-{aid}")
        box.focus()
        page.keyboard.press("Space")
        assert box.is_checked()
    expected = [DATA.programmes[p]["name"] for p in TOOLS.programmes_for_role(role["id"], set(done))]
    got = page.locator("[data-needs-list='chuong-trinh'] li[data-covers]:visible").all_inner_texts()
    assert sorted(flat(t) for t in got) == sorted(flat(t) for t in expected) and len(got) == len(set(got))
    todo = [a for a in role["abilities"] if a not in done]
    want_forms = {TOOLS.forms[f]["title"] for a in todo for f in TOOLS.abilities[a]["forms"]}
    got_forms = set(page.locator("[data-needs-list='mau-bieu'] li[data-covers]:visible").all_inner_texts())
    assert got_forms == want_forms
    status = page.locator("[data-needs-status]").inner_text()
    assert f"Còn {len(todo)} việc" in status and page.locator("[data-needs-status]").get_attribute("role") == "status"
    assert page.locator("[data-needs-done] li").all_inner_texts() == [TOOLS.abilities[a]["text"] for a in done]
    assert page.locator("[data-needs-todo] li").all_inner_texts() == [TOOLS.abilities[a]["text"] for a in todo]
    assert not axe_violations(page)
    # Nothing kept: no storage, no cookie.
    assert page.evaluate(stored) == before
    assert before[1:] == [[], ""] and all(key.endswith(".__palette") for key, _ in before[0])
    # The printed summary: role, what is done, what to learn, the suggestions; not the form.
    page.emulate_media(media="print")
    assert not page.locator(".kb-needs__roles").is_visible()
    assert not page.locator("[data-needs-print]").is_visible()
    assert page.locator("[data-needs-summary]").is_visible()
    _, text = pdf_text(page.pdf(format="A4"))
    assert flat(role["name"]) in text
    for a in todo:
        assert flat(TOOLS.abilities[a]["text"]) in text
    for name in expected:
        assert flat(name) in text


def test_self_check_every_role_suggests_what_data_says(site, offline):
    page = offline
    _open_self_check(site, page)
    for rid in TOOLS.roles:
        page.locator(f"#vai-tro-{rid}").check()
        got = page.locator("[data-needs-list='chuong-trinh'] li[data-covers]:visible").all_inner_texts()
        want = [DATA.programmes[p]["name"] for p in TOOLS.programmes_for_role(rid)]
        assert sorted(flat(t) for t in got) == sorted(flat(t) for t in want), rid
        # Everything ticked: nothing left to suggest, and the page says so.
        for aid in TOOLS.roles[rid]["abilities"]:
            page.locator(f"#viec-{rid}-{aid}").check()
        assert page.locator("[data-needs-list] li[data-covers]:visible").count() == 0
        assert "mọi việc" in page.locator("[data-needs-status]").inner_text()


def test_self_check_without_javascript_shows_everything(site, browser):
    ctx = browser.new_context(java_script_enabled=False)
    try:
        page = ctx.new_page()
        page.goto((site / "cong-cu" / "tu-danh-gia.html").as_uri())
        for rid, role in TOOLS.roles.items():
            for aid in role["abilities"]:
                assert page.locator(f"#viec-{rid}-{aid}").is_visible()
    finally:
        ctx.close()


@pytest.mark.parametrize("path", ["cong-cu/index.html", "cong-cu/tu-danh-gia.html", "cong-cu/duoc-cu-di-hoc.html",
                                  "cong-cu/chu-ky-nam.html",
                                  "mau-bieu/so-theo-doi-dao-tao.html", "mau-bieu/danh-gia-cuoi-khoa.html"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_tool_pages_have_no_axe_violation(site, browser, path, scheme):
    ctx = browser.new_context(color_scheme=scheme, viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    try:
        page = ctx.new_page()
        page.goto((site / path).as_uri(), wait_until="load")
        assert not axe_violations(page), path
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} rộng hơn màn hình điện thoại {overflow}px"
    finally:
        ctx.close()
