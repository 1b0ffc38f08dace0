"""The pages of "Công cụ cho xã" in the built site, against data/: every rule of
data/rules.yml shown with its grade and sources (reported ones attributed and marked to check,
unclear ones only as questions with whom to ask); the year's cycle marks the site's suggestions;
solution pages link the forms and the self-check; the pieces of sitekit/tools.py and forms.py."""

from __future__ import annotations

import re
from html import unescape

import pytest
from conftest import ROOT, read_page

from sitekit import forms as form_files
from sitekit import toolmacros
from sitekit.data import load

DATA = load(ROOT)
TOOLS = DATA.tools


def text_of(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def rule_items(html: str) -> dict[str, str]:
    return {m.group(1): m.group(2) for m in re.finditer(r'<li class="kb-rule[^"]*" data-rule="([^"]+)">(.*?)</li>', html, re.S)}


@pytest.fixture(scope="module")
def rules_page(site):
    return read_page(site, "cong-cu/duoc-cu-di-hoc.html")


def test_every_rule_is_on_the_page_once_with_grade_and_source(rules_page):
    items = rule_items(rules_page)
    assert set(items) == set(TOOLS.rules)
    for rid, rule in TOOLS.rules.items():
        shown = text_of(items[rid])
        assert TOOLS.rule_labels["grades"][rule["grade"]] in shown, rid
        for sid in rule["sources"]:
            assert f'href="../gioi-thieu/nguon.html#src-{sid}"' in items[rid], (rid, sid)
        for did in rule["documents"]:
            assert f'href="../van-ban/{did}.html"' in items[rid], (rid, did)
        if rule["grade"] == "theo-tin":
            assert shown.count("Theo tin của") == 1 and "Cần kiểm tra" in shown, rid
        if rule["grade"] == "chua-ro":
            assert "Chưa rõ:" in shown and "Nên hỏi:" in shown and rule["ask"] in shown, rid
        else:
            assert "Chưa rõ:" not in shown, rid


def test_unclear_rules_are_only_in_the_last_section(rules_page):
    last = rules_page.split('id="8-dieu-chua-ro-va-nen-hoi-ai"', 1)[1]
    before = rules_page.split('id="8-dieu-chua-ro-va-nen-hoi-ai"', 1)[0]
    for rid, rule in TOOLS.rules.items():
        assert (f'data-rule="{rid}"' in last) == (rule["grade"] == "chua-ro"), rid
        assert (f'data-rule="{rid}"' in before) == (rule["grade"] != "chua-ro"), rid


def test_rule_figures_come_from_figures_yml(rules_page):
    items = rule_items(rules_page)
    for rid, rule in TOOLS.rules.items():
        for kind, key in re.findall(r"\[\[(fig|date|effective):([a-z0-9-]+)\]\]", rule["text"]):
            if kind == "fig":
                assert f'data-fig="{key}"' in items[rid], (rid, key)
        assert "[[" not in items[rid]


def test_rule_text_is_escaped_and_tokens_replaced():
    class R:
        @staticmethod
        def figure_span(f, with_unit=False):
            return f'<span data-fig="{f.id}">{f.value:g}</span>'

    out = toolmacros.rule_text("a <b> & [[fig:nd171-tuoi-toi-da]] [[effective:nd-171-2025]]", DATA, R)
    assert out == 'a &lt;b&gt; &amp; <span data-fig="nd171-tuoi-toi-da">45</span> 01/07/2025'


def test_year_cycle_marks_suggested_dates(site):
    html = read_page(site, "cong-cu/chu-ky-nam.html")
    for step in TOOLS.cycle:
        row = re.search(rf'<tr data-step="{step["id"]}">(.*?)</tr>', html, re.S)
        assert row, step["id"]
        shown = text_of(row.group(1))
        when = toolmacros.months_text(step["months"]) if "months" in step else step["after"]
        assert when.lower() in shown.lower(), step["id"]
        assert ("Gợi ý của trang" in shown) == (step["basis"] == "goi-y"), step["id"]
        for fid in step["forms"]:
            assert f'href="../mau-bieu/{fid}.html"' in row.group(1)


def test_solution_pages_link_forms_at_their_steps_and_the_self_check(site):
    linked_somewhere = set()
    for sid in DATA.solutions:
        html = read_page(site, f"giai-phap/{sid}.html")
        steps = html.split('id="trien-khai-o-xa"', 1)[1].split("</ol>", 1)[0]
        linked = set(re.findall(r'href="\.\./mau-bieu/([a-z0-9-]+)\.html"', steps))
        linked_somewhere |= linked
        for form in TOOLS.forms_for_solution(sid):  # the "Liên quan" block lists the solution's forms
            assert f'href="../mau-bieu/{form["id"]}.html"' in html.split('id="lien-quan"', 1)[1], (sid, form["id"])
    assert linked_somewhere == set(TOOLS.forms), set(TOOLS.forms) - linked_somewhere
    assert 'href="../cong-cu/tu-danh-gia.html"' in read_page(site, "giai-phap/giai-phap-2.html")


def test_tools_index_lists_every_form_with_its_files(site):
    html = read_page(site, "cong-cu/index.html")
    for form in TOOLS.forms.values():
        assert f'href="../mau-bieu/{form["id"]}.html"' in html
        for name in form_files.file_names(form):
            assert f'href="../mau-bieu/{name}"' in html


@pytest.mark.parametrize("months, text", [([9, 10], "tháng 9 – tháng 10"), ([12], "tháng 12"),
                                          ([3, 7], "tháng 3, tháng 7"), ([1, 2, 3], "tháng 1 – tháng 3")])
def test_months_text(months, text):
    assert toolmacros.months_text(months) == text


def test_column_widths_add_up_and_keep_a_minimum():
    section = {"columns": [{"label": "a", "width": 1}] + [{"label": str(i), "width": 5} for i in range(9)]}
    widths = form_files.column_widths(section, 17.0, 1.2)
    assert abs(sum(widths) - 17.0) < 1e-9 and min(widths) >= 1.2 - 1e-9
    assert widths[1] == pytest.approx(widths[2])
