"""Macros of the commune's tools (forms, needs self-check, rules on being sent on a course, the
year's cycle), registered into mkdocs-macros by `register(env, data, r)` from macros.py.

Each macro is a plain function with a Vietnamese docstring (the page "Macro cho người biên tập"
is generated from them). Markup is in overrides/kb/*.html, which Jinja escapes: data is text.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from . import fmt
from . import forms as form_files
from .issues import MacroError, unknown_id
from .tools import TOKEN

CYCLE_MONTHS = range(1, 13)


def months_text(months: list[int]) -> str:
    """[9, 10] -> "tháng 9 – tháng 10"; [3, 7] -> "tháng 3, tháng 7"."""
    ms = sorted(months)
    if len(ms) > 1 and ms == list(range(ms[0], ms[-1] + 1)):
        return f"tháng {ms[0]} – tháng {ms[-1]}"
    return ", ".join(f"tháng {m}" for m in ms)


def rule_text(text: str, data, r) -> Markup:
    """A rule's text, escaped, with its [[fig:...]] and [[date:...]] tokens replaced by the
    figure (with its source, as fig() writes it) or the document's date."""
    out, pos = [], 0
    for m in TOKEN.finditer(text):
        out.append(escape(text[pos:m.start()]))
        kind, key = m.groups()
        if kind == "fig":
            out.append(Markup(r.figure_span(data.figures[key], with_unit=True)))
        else:
            out.append(escape(fmt.date(data.documents[key][kind])))
        pos = m.end()
    out.append(escape(text[pos:]))
    return Markup("".join(out))


def suggestions(data, r) -> list[tuple[str, str, list[dict]]]:
    """For the self-check: each programme, solution, document and form that helps with some
    ability, with the abilities it covers, in the order of its own data file."""
    t = data.tools
    kinds = (
        ("chuong-trinh", "Chương trình học gợi ý", "programmes", data.programmes, r.programme_src, lambda p: p["name"]),
        ("giai-phap", "Giải pháp nên đọc", "solutions", data.solutions, r.solution_src, r.solution_name),
        ("van-ban", "Văn bản nên đọc", "documents", data.documents, r.document_src, r.document_name),
        ("mau-bieu", "Mẫu biểu dùng được", "forms", t.forms, form_files.page_src, lambda f: f["title"]),
    )
    out = []
    for kind, title, key, collection, src_of, name_of in kinds:
        items = []
        for iid, item in collection.items():
            covers = [aid for aid, a in t.abilities.items() if iid in a[key]]
            if covers:
                items.append({"id": iid, "covers": covers, "href": r.href(src_of(item)), "name": name_of(item)})
        out.append((kind, title, items))
    return out


def register(env, data, r) -> None:
    t = data.tools

    def _form(fid):
        return r.get("forms", fid)

    @env.macro
    def form(id: str) -> str:
        """Liên kết tới trang của một mẫu biểu (trong data/forms.yml); trang đó có bản Word,
        Excel để tải và bản in được. Ví dụ: {{ form("phieu-nhu-cau-ca-nhan") }}"""
        f = _form(id)
        return r.md_link(form_files.page_src(f), str(escape(f["title"])))

    @env.macro
    def form_page(id: str) -> str:
        """(Dùng cho trang sinh tự động.) Toàn bộ nội dung trang của một mẫu biểu."""
        f = _form(id)
        return r.render("form_page.html", f=f, notice=form_files.notice(f, env.conf["site_name"]),
                        files=form_files.file_names(f), shares=form_files.column_shares,
                        hint=form_files.choice_hint, options=form_files.field_options,
                        checkbox=form_files.CHECKBOX, sign_hint=form_files.sign_hint(),
                        doc_names=[r.document_name(data.documents[d]) for d in f["documents"]])

    @env.macro
    def form_list() -> str:
        """Bảng mọi mẫu biểu trong data/forms.yml: tên, dùng để làm gì, ai điền, tệp tải về."""
        return r.render("form_list.html", forms=list(t.forms.values()), form_src=form_files.page_src,
                        file_names=form_files.file_names, form_dir=form_files.FORM_DIR)

    @env.macro
    def needs_check() -> str:
        """Công cụ tự đánh giá nhu cầu học: chọn vai trò, đánh dấu việc đã làm được, xem gợi ý
        chương trình, giải pháp, văn bản, mẫu biểu; in được. Lấy từ data/needs.yml."""
        return r.render("needs_check.html", tools=t, suggestions=suggestions(data, r))

    @env.macro
    def rules(topic: str) -> str:
        """Các quy định đã xác nhận hoặc theo tin của một mục trong data/rules.yml, mỗi quy định
        ghi mức tin cậy và nguồn. Ví dụ: {{ rules("dieu-kien") }}"""
        if topic not in t.rule_labels["topics"]:
            raise MacroError(unknown_id("mục quy định", topic, t.rule_labels["topics"], "data/rules.yml"))
        return r.render("rules_list.html", items=[x for x in t.rules_in(topic) if x["grade"] != "chua-ro"],
                        labels=t.rule_labels, text=lambda x: rule_text(x, data, r))

    @env.macro
    def rules_unclear() -> str:
        """Mọi điều chưa rõ trong data/rules.yml, mỗi điều kèm nơi nên hỏi."""
        return r.render("rules_list.html", items=[x for x in t.rules.values() if x["grade"] == "chua-ro"],
                        labels=t.rule_labels, text=lambda x: rule_text(x, data, r))

    @env.macro
    def rules_checked() -> str:
        """Tháng nhóm biên tập đọc các nguồn của data/rules.yml (dạng 12/2026)."""
        return fmt.month(t.rules_checked)

    @env.macro
    def year_cycle() -> str:
        """Lịch một năm: các bước của năm giải pháp theo tháng, ai làm, mẫu biểu dùng ở mỗi bước,
        và ghi rõ thời điểm nào là gợi ý của trang. Lấy từ cycle trong data/forms.yml."""
        return r.render("year_cycle.html", cycle=t.cycle, forms=t.forms, rules=t.rules, form_src=form_files.page_src,
                        text=lambda x: rule_text(x, data, r), months_text=months_text, all_months=CYCLE_MONTHS)
