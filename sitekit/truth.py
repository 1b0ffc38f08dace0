"""What the site may say: document statuses that follow the register's own definitions, one
date format, one tone-mark style, official document names, no English theme string.

Plain functions. The data checks run when data/ is loaded (the build stops with an editor's
message); the text checks are what tests/test_truth.py runs over the built site.
"""

from __future__ import annotations

import html as _html
import re
from pathlib import Path

from .issues import Issue

# -- document names, as Vietnamese official documents write them ---------------------------


def short_name(d: dict, kind_label: str) -> str:
    """"Nghị định số 101/2017/NĐ-CP"; a law by its name: "Luật Cán bộ, công chức số 22/2008/QH12"
    (an amending law: "Luật số 52/2019/QH14"); no number known: the title."""
    if not d.get("number"):
        return d["title"] if d["kind"] == "luat" else f"{kind_label} {d['title']}"
    if d["kind"] == "luat":
        if d["title"].startswith("Luật sửa đổi"):
            return f"Luật số {d['number']}"
        return f"{d['title']} số {d['number']}"
    return f"{kind_label} số {d['number']}"


def official_name(d: dict, kind_label: str, date_text: str | None) -> str:
    """"Nghị định số 101/2017/NĐ-CP ngày 01/09/2017 của Chính phủ về …"; a law "được Quốc hội
    thông qua ngày …"."""
    if d["kind"] == "luat":
        name = short_name(d, kind_label)
        if d["title"].startswith("Luật sửa đổi"):
            name += " " + d["title"][0].lower() + d["title"][1:]
        return name + (f", được {d['issuer']} thông qua ngày {date_text}" if date_text else "")
    name = short_name(d, kind_label) if d.get("number") else kind_label
    if date_text:
        name += f" ngày {date_text}"
    return f"{name} của {d['issuer']} {d['title']}"


def date_label(d: dict) -> str:
    return "Ngày thông qua" if d["kind"] == "luat" else "Ngày ban hành"


# -- statuses against their definitions ----------------------------------------------------
def status_problems(d: dict, documents: dict, events: dict, checked: str) -> list[str]:
    """Why a document's status contradicts the register's definitions (empty when it does not).
    Definitions: data/documents.yml, comment at the top, and the register page."""
    st, out = d["status"], []
    has = {k: bool(d.get(k)) for k in ("replaced_by", "newer", "changed_by", "period_end")}
    allowed = {"khong-ghi-nhan-thay-doi": set(), "da-thay-the": {"replaced_by"}, "can-kiem-tra": {"newer"},
               "to-chuc-da-thay-doi": {"changed_by"}, "het-giai-doan": {"period_end"}, "chua-xac-minh": set()}
    if st not in allowed:
        return out
    for key, present in has.items():
        if present and key not in allowed[st]:
            out.append(f"có {key} nhưng tình trạng là {st}")
    for key in allowed[st]:
        if not has[key]:
            out.append(f"tình trạng {st} cần khóa {key}")
    # A newer document, or the event that changed the organisation, comes after this document.
    later = {"can-kiem-tra": ("newer", documents, "văn bản trong data/documents.yml"),
             "to-chuc-da-thay-doi": ("changed_by", events, "mốc trong data/events.yml")}
    if st in later:
        key, table, what = later[st]
        for ref in d.get(key) or []:
            other = table.get(ref)
            if other is None:
                out.append(f"{key}: không có {what} mã \"{ref}\"")
            elif not other.get("date") or not d.get("date") or str(other["date"]) <= str(d["date"]):
                out.append(f"{key}: \"{ref}\" không có ngày muộn hơn văn bản này")
    if st == "het-giai-doan" and d.get("period_end") and int(d["period_end"]) >= int(checked[:4]):
        out.append(f"giai đoạn kết thúc năm {d['period_end']}, chưa qua ở tháng kiểm tra {checked}")
    if st == "chua-xac-minh" and d.get("date"):
        out.append("văn bản chưa xác minh không được ghi ngày")
    return out


# -- dates written in words ---------------------------------------------------------------
DATE_ANY = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])")
DATE_OK = re.compile(r"^\d{2}/\d{2}/\d{4}$")


def bad_dates(text: str) -> list[str]:
    """Dates not written dd/MM/yyyy (01/07/2025, not 1/7/2025 or 01/7/2025)."""
    return [m.group(0) for m in DATE_ANY.finditer(text) if not DATE_OK.match(m.group(0))]


def _strings(node, path=()):
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, dict):
        for k, v in node.items():
            yield from _strings(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _strings(v, (*path, i))


def check_data(files: dict, issues: list[Issue]) -> None:
    """Run from sitekit.data.load once every file passed its schema: statuses against their
    definitions, programme sources, and dates typed in text."""
    D, E, P, S = (files[n] for n in ("documents", "events", "programmes", "sources"))
    documents = {d["id"]: d for d in D.data["documents"]}
    events = {e["id"]: e for e in E.data["events"]}
    for i, d in enumerate(D.data["documents"]):
        for problem in status_problems(d, documents, events, str(D.data["status_checked"])):
            line, col = D.where(("documents", i, "status"))
            issues.append(Issue(file=D.rel, line=line, column=col, path=("documents", i, "status"),
                                what=f"Tình trạng của \"{d['id']}\" trái với định nghĩa của sổ văn bản: {problem}.",
                                found=f"status: {d['status']}",
                                expected="định nghĩa ở đầu tệp data/documents.yml",
                                fix="Sửa tình trạng, hoặc thêm/bỏ khóa đi kèm (newer, replaced_by, changed_by, period_end).",
                                detail="status contradicts its definition"))
    sources = {s["id"] for s in S.data["sources"]}
    for i, p in enumerate(P.data["programmes"]):
        if p.get("source") not in sources:
            line, col = P.where(("programmes", i, "source"))
            issues.append(Issue(file=P.rel, line=line, column=col, path=("programmes", i, "source"),
                                what=f"Tham chiếu tới nguồn không tồn tại: \"{p.get('source')}\".",
                                found=str(p.get("source")), expected="một mã có trong data/sources.yml",
                                fix="Sửa mã nguồn, hoặc thêm nguồn vào data/sources.yml.", detail="dangling reference"))
    for lf in files.values():
        if lf.data is None:
            continue
        for path, text in _strings(lf.data):
            for bad in bad_dates(text):
                line, col = lf.where(path)
                issues.append(Issue(file=lf.rel, line=line, column=col, path=path,
                                    what=f"Ngày \"{bad}\" không viết theo một kiểu chung của trang.",
                                    found=bad, expected="ngày dạng 01/07/2025 (hai chữ số ngày, hai chữ số tháng)",
                                    fix="Viết thêm số 0 trước ngày hoặc tháng có một chữ số.", detail="date format"))


# -- tone marks: the site writes hòa, khóa, thủy, xóa (not hoà, khoá, thuỷ, xoá) ------------
OTHER_TONE_STYLE = re.compile(r"(?<![qQ])[uU][ýỳỷỹỵ](?![\wà-ỹ])|[oO][áàảãạ](?![\wà-ỹ])|[oO][éèẻẽẹ](?![\wà-ỹ])")


def other_tone_style(text: str) -> list[str]:
    """Words written with the tone mark on the second vowel ("Xoá", "thuỷ"), where the site puts
    it on the first ("Xóa", "thủy")."""
    words = re.findall(r"[\wÀ-ỹ]+", text)
    return [w for w in words if OTHER_TONE_STYLE.search(w)]


# -- the built site -----------------------------------------------------------------------
_HIDDEN = re.compile(r"<(script|style|svg)\b.*?</\1>", re.S | re.I)
_ATTR = re.compile(r'\b(?:title|aria-label|placeholder|alt|content)="([^"]*)"')


def visible_texts(page_html: str) -> list[str]:
    """Text nodes and the attributes a reader sees or hears (title, aria-label, placeholder, alt)."""
    body = _HIDDEN.sub(" ", page_html)
    texts = [t for t in re.findall(r">([^<]+)<", body)]
    texts += _ATTR.findall(body)
    return [_html.unescape(t).strip() for t in texts if t.strip()]


def theme_translations(config_json: str) -> list[str]:
    """The strings Material's scripts show (search states, copy button), from the page's __config."""
    import json

    m = re.search(r'"translations":\s*(\{.*?\})', config_json, re.S)
    return [json.loads(f'"{v}"') for v in re.findall(r':\s*"((?:[^"\\]|\\.)*)"', m.group(1))] if m else []


def english_theme_strings(material_dir: Path) -> set[str]:
    """Every English string of the theme: its English translation table plus the words its
    templates write without one (footer credit, 404 heading)."""
    en = (Path(material_dir) / "templates" / "partials" / "languages" / "en.html").read_text(encoding="utf-8")
    table = dict(re.findall(r'"([^"]+)":\s*"([^"]*)"', en))
    skip = {"language", "direction", "search.config.lang", "search.config.pipeline", "search.config.separator"}
    found = {v for k, v in table.items() if k not in skip and re.search(r"[A-Za-z]{3,}", v)}
    return found | {"Made with", "Material for MkDocs", "404 - Not found", "Not found"}
