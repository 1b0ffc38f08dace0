"""Checks of an editor's page before anything renders: links and Unicode form (pages.py), Jinja
syntax, names that are neither macro nor variable, and ids in macro calls that data/ does not
hold. Each problem is an `Issue` with the page's file and its line counted from the top of the
file (front matter included). Plain Python and Jinja: no engine import."""

from __future__ import annotations

import re

import jinja2

from .issues import Issue, unknown_id
from .model import COLLECTIONS, MACRO_IDS, SiteData
from .pagecache import PageCache


def front_matter_lines(text: str | None) -> int:
    """Lines before the Markdown body (front matter), so reported lines match the file."""
    if not text or not text.startswith("---"):
        return 0
    lines = text.splitlines()
    for i, line in enumerate(lines[1:], 1):
        if line.strip() in ("---", "..."):
            return i + 1 + (1 if len(lines) > i + 1 and not lines[i + 1].strip() else 0)
    return 0


def _line_of(markdown: str, needle: str) -> int | None:
    for i, line in enumerate(markdown.splitlines(), 1):
        if re.search(r"(\{\{|\{%)[^}]*\b" + re.escape(needle) + r"\b", line):
            return i
    return None


def _syntax_issue(rel: str, markdown: str, offset: int, err: jinja2.TemplateSyntaxError) -> Issue:
    return Issue(file=rel, line=(err.lineno or 0) + offset,
                 what="Lỗi cú pháp macro (Jinja): trang không dựng được.",
                 found=(markdown.splitlines()[err.lineno - 1].strip() if err.lineno else ""),
                 expected="macro viết dạng {{ ten_macro(\"ma\") }}, khối lệnh dạng {% ... %} và được đóng đủ",
                 fix="Kiểm tra dấu ngoặc {{ }}, {% %} và dấu ngoặc kép ở dòng này. Nếu muốn viết ký tự {{ "
                     "như chữ thường, đặt đoạn đó trong {% raw %}...{% endraw %}.",
                 detail=err.message or str(err))


def _unknown_names(rel: str, markdown: str, offset: int, names, known: set[str]) -> list[Issue]:
    out = []
    for name in sorted(set(names) - known):
        line = _line_of(markdown, name)
        out.append(Issue(file=rel, line=line + offset if line else None,
                         what=f"Tên \"{name}\" không phải macro hay biến nào đã định nghĩa.",
                         found=name, expected="một macro trong trang \"Macro cho người biên tập\"",
                         fix="Sửa lỗi chính tả tên macro (ví dụ fig, doc, prog, sol), hoặc xem danh sách macro.",
                         detail=f"undefined name '{name}'"))
    return out


def _unknown_ids(rel: str, offset: int, calls, data: SiteData) -> list[Issue]:
    out = []
    for name, lineno, args in calls:
        if name not in MACRO_IDS:
            continue
        attr, count = MACRO_IDS[name]
        c, collection = COLLECTIONS[attr], data.collection(attr)
        for value in args[:count]:
            if value is not None and value not in collection:
                out.append(Issue(file=rel, line=lineno + offset,
                                 what=f"Macro {name}() gọi mã {c.noun} không có trong {c.file}.",
                                 found=f"\"{value}\"", expected=f"một mã có trong {c.file}",
                                 fix=unknown_id(c.noun, value, collection, c.file)))
    return out


def macro_issues(env: jinja2.Environment, cache: PageCache, rel: str, markdown: str, offset: int,
                 known: set[str], data: SiteData) -> list[Issue]:
    """Problems in a page's macros. `offset`: lines of front matter above `markdown`."""
    try:
        # Names and macro calls of the page; kept in .cache/ for a page whose text is unchanged.
        summary = cache.summary(env, markdown)
    except jinja2.TemplateSyntaxError as err:
        return [_syntax_issue(rel, markdown, offset, err)]
    return (_unknown_names(rel, markdown, offset, summary["names"], known)
            + _unknown_ids(rel, offset, summary["calls"], data))
