"""Checks of editors' Markdown pages, with the file and line of each problem, in Vietnamese.

MkDocs (strict mode) also catches broken links and anchors, but in English and without a line
number; these checks run beside it (sitekit/plugin.py) and say where and what to do:

- links `[text](target.md#anchor)`, images and reference definitions `[id]: target` that point
  to no file of the site, to a `.html` address instead of the `.md` source, or to an absolute
  path; anchors are collected here and checked once every page is rendered (`missing_anchor`);
- Vietnamese text in decomposed form (Unicode NFD), which looks right but breaks search.
"""

from __future__ import annotations

import difflib
import posixpath
import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from urllib.parse import unquote

from .issues import Issue
from .links import relative_url

# [text](target "title") and ![alt](target); text may hold one level of [brackets].
_LINK = re.compile(r"""(!?)\[(?:[^\[\]\\]|\\.|\[[^\]]*\])*\]\(\s*(<[^>]*>|[^)\s]*)(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)""")
_REF_DEF = re.compile(r"^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}")
_ID = re.compile(r"""\s(?:id|name)=["']([^"']+)["']""")


@dataclass
class Link:
    line: int
    column: int
    target: str
    image: bool = False


def _blank(match: re.Match) -> str:
    return " " * len(match.group(0))


def find_links(text: str) -> list[Link]:
    """Links in Markdown source, outside code blocks, code spans and macros."""
    out: list[Link] = []
    fence = None
    for n, line in enumerate(text.splitlines(), 1):
        m = _FENCE.match(line)
        if fence:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                fence = None
            continue
        if m:
            fence = m.group(1)
            continue
        masked = _JINJA.sub(_blank, _CODE_SPAN.sub(_blank, line))
        for lm in _LINK.finditer(masked):
            out.append(Link(n, lm.start() + 1, lm.group(2).strip("<>"), image=bool(lm.group(1))))
        rm = _REF_DEF.match(masked)
        if rm:
            out.append(Link(n, rm.start(1) + 1, rm.group(1).strip("<>")))
    return out


def is_external(target: str) -> bool:
    return bool(_SCHEME.match(target)) or target.startswith("//")


def split_target(target: str, page_src: str) -> tuple[str, str]:
    """(source path of the target relative to docs/, anchor); path is "" for the same page."""
    path, _, anchor = target.partition("#")
    path = unquote(path.split("?")[0])
    if not path:
        return "", anchor
    base = posixpath.dirname(page_src)
    resolved = posixpath.normpath(posixpath.join(base, path))
    if path.endswith("/"):
        resolved = posixpath.join(resolved, "index.md")
    return resolved, anchor



def link_issue(rel_file: str, link: Link, page_src: str, sources: Collection[str], offset: int = 0) -> tuple[Issue | None, str, str]:
    """Check one link against the site's files. Returns (issue or None, target source, anchor)."""
    target = link.target
    if not target or is_external(target):
        return None, "", ""
    kind = "Hình" if link.image else "Liên kết"
    base = dict(file=rel_file, line=link.line + offset, column=link.column, found=target)
    if target.startswith("/"):
        guess, _ = split_target(target.lstrip("/"), "index.md")
        return Issue(**base, what=f"{kind} dùng đường dẫn tuyệt đối (bắt đầu bằng \"/\"): không chạy được khi "
                                  "trang đặt ở thư mục con hoặc mở từ đĩa.",
                     expected="đường dẫn tương đối tính từ trang này, tới tệp .md trong docs/",
                     fix=f"Viết \"{relative_url(guess, page_src)}\" thay cho \"{target}\".",
                     detail="absolute link"), "", ""
    path, anchor = split_target(target, page_src)
    if not path:
        return None, page_src, anchor
    if path in sources:
        return None, path, anchor
    md_guess = re.sub(r"\.html?$", ".md", path)
    if md_guess != path and md_guess in sources:
        good = relative_url(md_guess, page_src) + (f"#{anchor}" if anchor else "")
        return Issue(**base, what=f"{kind} trỏ tới địa chỉ .html; trong trang nguồn, liên kết phải trỏ tới tệp .md.",
                     expected=f"\"{good}\"",
                     fix=f"Đổi thành [..]({good}); khi dựng trang, MkDocs tự đổi .md thành .html.",
                     detail="link to generated .html instead of the .md source"), "", ""
    close = difflib.get_close_matches(path, sorted(sources), n=1, cutoff=0.6)
    hint = f"Có phải ý bạn là \"{relative_url(close[0], page_src)}\"? " if close else ""
    return Issue(**base, what=f"{kind} trỏ tới tệp không có trong thư mục docs/: \"{path}\".",
                 expected="đường dẫn tương đối, tính từ trang này, tới một tệp có trong docs/ (ví dụ ../thong-ke/doi-ngu.md)",
                 fix=hint + "Sửa đường dẫn (chú ý \"../\" để lên một thư mục), hoặc tạo trang còn thiếu.",
                 detail=f"link target not found: {path}"), "", ""


def missing_anchor(rel_file: str, line: int, column: int, target: str, target_src: str, anchor: str,
                   ids: set[str], page_src: str) -> Issue | None:
    if not anchor or anchor in ids:
        return None
    close = difflib.get_close_matches(anchor, sorted(ids), n=1, cutoff=0.6)
    hint = f"Có phải ý bạn là \"{close[0]}\"? " if close else ""
    where = "trang này" if target_src == page_src else f"trang {target_src}"
    return Issue(file=rel_file, line=line, column=column, found=target,
                 what=f"Liên kết tới mục \"#{anchor}\" nhưng {where} không có mục (neo) nào tên như vậy.",
                 expected="tên neo có trên trang đích: tiêu đề mục viết thường, không dấu, nối bằng gạch ngang "
                          "(\"## Kết quả đào tạo\" có neo #ket-qua-dao-tao)",
                 fix=hint + "Sửa phần sau dấu #, hoặc bỏ hẳn nếu mục đã bị xóa hay đổi tên. Trên trang đã dựng, "
                            "bấm dấu ¶ cạnh tiêu đề mục để thấy tên neo đúng.",
                 detail=f"anchor #{anchor} not found in {target_src}")


def element_ids(html_text: str) -> set[str]:
    """Every id (and <a name>) in a page's HTML: the anchors a link may point to."""
    return set(_ID.findall(html_text))


def nfc_issues(rel_file: str, text: str, limit: int = 5) -> list[Issue]:
    """One issue per line holding decomposed (NFD) text, at most `limit` per file."""
    out: list[Issue] = []
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if not unicodedata.is_normalized("NFC", line)]
    more = f" Còn {len(lines) - limit} dòng nữa như vậy trong tệp này." if len(lines) > limit else ""
    for k, (n, line) in enumerate(lines[:limit]):
        col = next((i for i, c in enumerate(line) if unicodedata.combining(c)), 0)
        start = line.rfind(" ", 0, col) + 1
        end = line.find(" ", col)
        word = line[start:end if end >= 0 else len(line)] if col else line.strip()[:30]
        out.append(Issue(
            file=rel_file, line=n, column=col or None,
            what="Chữ tiếng Việt ở dạng tổ hợp (dấu gõ tách rời khỏi chữ cái, Unicode NFD): nhìn giống nhưng "
                 "tìm kiếm trên trang không thấy." + (more if k == limit - 1 else ""),
            found=repr(unicodedata.normalize("NFC", word)) + " (dạng tổ hợp)",
            expected="chữ tiếng Việt dựng sẵn (Unicode NFC), như khi gõ bằng Unikey ở chế độ Unicode dựng sẵn",
            fix="Chạy `make chuan-hoa` để tự chuyển mọi trang và tệp dữ liệu sang dạng dựng sẵn, hoặc gõ lại chữ này.",
            detail=f"text is not NFC (combining mark U+{ord(line[col]):04X})" if col else "text is not NFC"))
    return out
