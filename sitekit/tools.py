"""The commune's tools in data/: forms (data/forms.yml, with the year's cycle), the needs
self-check (data/needs.yml: roles and abilities) and the rules on being sent on a course
(data/rules.yml, each graded and sourced).

`check_tools` runs after each file passed its JSON Schema (sitekit/data.py) and checks what a
schema cannot: every id that points into another file exists, and the few rules that join two
parts of a file. Problems are added to the run's list of issues, like every other data check.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from . import forms as form_files
from .issues import Issue

TOOL_FILES = ("forms", "needs", "rules")
# A rule's text names a figure or a document's date by id, so that the value has one home:
# [[fig:nd171-tuoi-toi-da]], [[date:nd-171-2025]], [[effective:nd-171-2025]]. These are
# replaced by plain string scanning at output (sitekit/toolmacros.py), never by Jinja.
TOKEN = re.compile(r"\[\[(fig|date|effective):([a-z0-9-]+)\]\]")


@dataclass
class Tools:
    forms: dict = field(default_factory=dict)
    cycle: list = field(default_factory=list)
    roles: dict = field(default_factory=dict)
    abilities: dict = field(default_factory=dict)
    rules: dict = field(default_factory=dict)
    rule_labels: dict = field(default_factory=dict)
    rules_checked: str = ""

    def rules_in(self, topic: str, grade: str | None = None) -> list[dict]:
        return [r for r in self.rules.values() if r["topic"] == topic and (grade is None or r["grade"] == grade)]

    @staticmethod
    def form_src(form: dict) -> str:
        return form_files.page_src(form)

    def forms_for_solution(self, sid: str) -> list[dict]:
        return [f for f in self.forms.values() if sid in f["solutions"]]

    def programmes_for_role(self, rid: str, done: set[str] = frozenset()) -> list[str]:
        """Programme ids that cover a role's abilities not in `done`, each once."""
        out: list[str] = []
        for aid in self.roles[rid]["abilities"]:
            if aid not in done:
                out += [p for p in self.abilities[aid]["programmes"] if p not in out]
        return out


def _token_issues(lf, path: tuple, text: str, figures: dict, documents: dict) -> list[Issue]:
    out = []
    line, col = lf.where(path)
    for m in TOKEN.finditer(text):
        kind, key = m.groups()
        universe = figures if kind == "fig" else documents
        if key in universe and (kind == "fig" or universe[key].get(kind)):
            continue
        close = difflib.get_close_matches(key, list(universe), n=1)
        what = "số liệu" if kind == "fig" else "văn bản có ghi " + ("ngày ban hành" if kind == "date" else "ngày có hiệu lực")
        out.append(Issue(file=lf.rel, line=line, column=col, path=path, found=m.group(0),
                         what=f"Ký hiệu {m.group(0)} trỏ tới {what} không có.",
                         expected=f"một mã có trong {'data/figures.yml' if kind == 'fig' else 'data/documents.yml'}",
                         fix=(f"Có phải ý bạn là \"{close[0]}\"? " if close else "") + "Sửa mã trong ký hiệu, hoặc viết giá trị thành chữ.",
                         detail="unknown id in a [[...]] token"))
    rest = TOKEN.sub("", text)
    if "[[" in rest or "]]" in rest:
        out.append(Issue(file=lf.rel, line=line, column=col, path=path, found=rest[rest.find("[["):][:40] if "[[" in rest else "]]",
                         what="Ký hiệu [[...]] viết sai.",
                         expected="[[fig:mã-số-liệu]], [[date:mã-văn-bản]] hoặc [[effective:mã-văn-bản]]",
                         fix="Sửa ký hiệu theo một trong ba dạng trên, hoặc bỏ dấu [[ ]].", detail="malformed token"))
    return out


def _rules(t: Tools, RU, ok, refs, issues: list[Issue], by_id, *, documents: dict, sources: dict, figures: dict) -> None:
    """Index data/rules.yml; check the topic, documents and sources each rule names, and the
    [[...]] tokens in its text."""
    if ok("rules"):
        t.rules = by_id(RU.data["rules"], RU, "rules", issues)
        t.rule_labels = RU.data["labels"]
        t.rules_checked = RU.data["checked"]
    if ok("rules", "documents", "sources"):
        for i, r in enumerate(RU.data["rules"]):
            refs.check(RU, ("rules", i, "topic"), r["topic"], t.rule_labels["topics"], "mục", "labels.topics")
            refs.check(RU, ("rules", i, "documents"), r["documents"], documents, "văn bản", "data/documents.yml")
            refs.check(RU, ("rules", i, "sources"), r["sources"], sources, "nguồn", "data/sources.yml")
            if ok("figures"):
                issues.extend(_token_issues(RU, ("rules", i, "text"), r["text"], figures, documents))


def _forms(t: Tools, FO, ok, refs, issues: list[Issue], by_id, *, solutions: dict, documents: dict) -> None:
    """Index data/forms.yml (forms and the year's cycle); check the ids each form and each step
    of the cycle names."""
    if ok("forms"):
        t.forms = by_id(FO.data["forms"], FO, "forms", issues)
        t.cycle = list(FO.data["cycle"])
        by_id(FO.data["cycle"], FO, "cycle", issues)
    if ok("forms", "solutions", "documents", "rules"):
        for i, f in enumerate(FO.data["forms"]):
            refs.check(FO, ("forms", i, "solutions"), f["solutions"], solutions, "giải pháp", "data/solutions.yml")
            refs.check(FO, ("forms", i, "documents"), f["documents"], documents, "văn bản", "data/documents.yml")
        for i, s in enumerate(FO.data["cycle"]):
            refs.check(FO, ("cycle", i, "solutions"), s["solutions"], solutions, "giải pháp", "data/solutions.yml")
            refs.check(FO, ("cycle", i, "forms"), s["forms"], t.forms, "mẫu biểu", "forms")
            if "rule" in s:
                refs.check(FO, ("cycle", i, "rule"), s["rule"], t.rules, "quy định", "data/rules.yml")


def _ability_issues(NE, i: int, a: dict, used: set[str]) -> list[Issue]:
    """An ability no role has (never shown), and one that nothing covers."""
    out = []
    if a["id"] not in used:
        line, col = NE.where(("abilities", i, "id"))
        out.append(Issue(file=NE.rel, line=line, column=col, path=("abilities", i, "id"),
                         what=f"Việc \"{a['id']}\" không thuộc vai trò nào, nên không bao giờ hiện trên trang.",
                         found=f"id: {a['id']}", expected="mã này có trong abilities của ít nhất một vai trò (roles)",
                         fix="Thêm mã vào danh sách abilities của vai trò phù hợp, hoặc xóa mục này.",
                         detail="ability not used by any role"))
    if not (a["programmes"] or a["solutions"] or a["documents"] or a["forms"]):
        line, col = NE.where(("abilities", i, "id"))
        out.append(Issue(file=NE.rel, line=line, column=col, path=("abilities", i),
                         what=f"Việc \"{a['id']}\" không có chương trình, giải pháp, văn bản hay mẫu biểu nào giúp làm được.",
                         found="programmes, solutions, documents và forms đều để trống",
                         expected="ít nhất một mã ở một trong bốn khóa đó",
                         fix="Thêm mã chương trình, giải pháp, văn bản hoặc mẫu biểu liên quan.",
                         detail="ability with nothing that covers it"))
    return out


def _needs(t: Tools, NE, ok, refs, issues: list[Issue], by_id, *, programmes: dict, solutions: dict,
           documents: dict) -> None:
    """Index data/needs.yml (roles and abilities); check the ids each names, and that every
    ability belongs to a role and has something that covers it."""
    if ok("needs"):
        t.roles = by_id(NE.data["roles"], NE, "roles", issues)
        t.abilities = by_id(NE.data["abilities"], NE, "abilities", issues)
    if not ok("needs", "forms", "programmes", "solutions", "documents"):
        return
    used: set[str] = set()
    for i, role in enumerate(NE.data["roles"]):
        refs.check(NE, ("roles", i, "abilities"), role["abilities"], t.abilities, "việc phải làm được", "abilities")
        used.update(role["abilities"])
    for i, a in enumerate(NE.data["abilities"]):
        for key, universe, what, target in (("programmes", programmes, "chương trình", "data/programmes.yml"),
                                            ("solutions", solutions, "giải pháp", "data/solutions.yml"),
                                            ("documents", documents, "văn bản", "data/documents.yml"),
                                            ("forms", t.forms, "mẫu biểu", "data/forms.yml")):
            refs.check(NE, ("abilities", i, key), a[key], universe, what, target)
        issues.extend(_ability_issues(NE, i, a, used))


def check_tools(files: dict, ok, refs, issues: list[Issue], by_id, *, solutions: dict, documents: dict,
                programmes: dict, sources: dict, figures: dict) -> Tools:
    """Index and cross-check forms, needs and rules. `ok(*names)` tells whether those files
    passed their own checks; `refs` reports ids that point nowhere; `by_id` indexes a list by id
    and reports duplicates (both from sitekit/data.py)."""
    t = Tools()
    FO, NE, RU = (files[n] for n in TOOL_FILES)
    _rules(t, RU, ok, refs, issues, by_id, documents=documents, sources=sources, figures=figures)
    _forms(t, FO, ok, refs, issues, by_id, solutions=solutions, documents=documents)
    _needs(t, NE, ok, refs, issues, by_id, programmes=programmes, solutions=solutions, documents=documents)
    return t
