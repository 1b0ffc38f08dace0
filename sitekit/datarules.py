"""What no JSON Schema says about data/ and that the site's safety needs (issue 12).

- Names, titles and ids are shown in the menu, in <title>, in headings and in file names: they
  must not hold markup (<tag>, &entity;) or template syntax ({{ }}, {% %}, {# #}). Descriptive
  text (summaries, notes) may hold any character: it is escaped where it is shown.
- Ids become file names and anchors: lower-case ASCII with hyphens, at most ID_MAX characters,
  never a name that Windows cannot store (con, aux, nul, prn, com1...) or `index`, and a
  generated page never takes the name of a hand-written page in the same section.

Plain functions over loaded files; every problem is an `Issue` with file and line.
"""

from __future__ import annotations

import re
from pathlib import Path

from .issues import Issue
from .yamlload import LoadedFile

ID_MAX = 80
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# Names Windows cannot store as files (any extension), and the name of every section's own page.
RESERVED_IDS = frozenset({"index", "con", "prn", "aux", "nul", "clock$"}
                         | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)})

# Keys whose text is a name or a title: shown in the menu, <title>, headings, link text.
NAME_KEYS = frozenset({"id", "name", "title", "label", "number", "issuer", "organisation", "site",
                       "unit", "as_of", "when", "group", "kind", "short"})

_TEMPLATE = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")
_TAG = re.compile(r"<\s*[A-Za-z!/?]")
_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9A-Fa-f]+);")

# Generated pages: data file -> (collection key, folder of docs/ they are written into).
GENERATED = {"programmes": ("programmes", "khoa-hoc"), "documents": ("documents", "van-ban")}


def markup_in(text: str) -> str | None:
    """What markup or template syntax `text` holds, in Vietnamese words, or None."""
    m = _TEMPLATE.search(text)
    if m:
        return f"cú pháp mẫu (macro) \"{m.group(0)}\""
    m = _TAG.search(text)
    if m:
        return f"thẻ HTML \"{text[m.start():m.start() + 12]}\""
    m = _ENTITY.search(text)
    if m:
        return f"mã ký tự HTML \"{m.group(0)}\""
    return None


def id_problem(value: str) -> tuple[str, str] | None:
    """(what is wrong, how to fix it) for an id that cannot be a file name, else None."""
    if not ID_PATTERN.match(value):
        return ("Mã (id) chỉ được gồm chữ thường không dấu (a–z), số và dấu gạch ngang.",
                "Viết lại mã bằng chữ thường không dấu, nối các từ bằng dấu gạch ngang, ví dụ: boi-duong-ky-nang-so.")
    if len(value) > ID_MAX:
        return (f"Mã (id) dài {len(value)} ký tự, quá {ID_MAX} ký tự cho phép (mã thành tên tệp của trang).",
                f"Rút gọn mã còn tối đa {ID_MAX} ký tự, giữ vài từ chính.")
    if value in RESERVED_IDS:
        return (f"Mã \"{value}\" là tên dành riêng: \"index\" là trang đầu của mục, còn con, aux, nul, prn, "
                "com1…, lpt1… là tên tệp Windows không lưu được.",
                "Chọn một mã khác, có nghĩa hơn, ví dụ thêm một từ: \"" + value + "-chung\".")
    return None


def _walk_names(data, path: tuple, under_labels: bool):
    """(path, text) of every name-like string: NAME_KEYS values and every value under `labels`."""
    if isinstance(data, dict):
        for key, value in data.items():
            labels = under_labels or key == "labels"
            if isinstance(value, str):
                if labels or key in NAME_KEYS:
                    yield (*path, key), value
            else:
                yield from _walk_names(value, (*path, key), labels)
    elif isinstance(data, list):
        for i, item in enumerate(data):
            if isinstance(item, str):
                if under_labels:
                    yield (*path, i), item
            else:
                yield from _walk_names(item, (*path, i), under_labels)


def _walk_ids(data, path: tuple):
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "id" and isinstance(value, str):
                yield (*path, key), value
            elif isinstance(value, (dict, list)):
                yield from _walk_ids(value, (*path, key))
    elif isinstance(data, list):
        for i, item in enumerate(data):
            yield from _walk_ids(item, (*path, i))


def name_issues(lf: LoadedFile) -> list[Issue]:
    out = []
    for path, text in _walk_names(lf.data, (), False):
        found = markup_in(text)
        if found:
            line, col = lf.where(path)
            out.append(Issue(file=lf.rel, line=line, column=col, path=path,
                             what=f"Tên, tiêu đề hay mã có {found}; chỗ này chỉ được ghi chữ thường.",
                             found=text[:80], expected="chữ, số và dấu câu; không có <...>, &...; hay {{ }}, {% %}",
                             fix="Xóa phần đánh dấu (thẻ HTML, mã ký tự, ngoặc nhọn kép) và ghi chữ bình thường; "
                                 "định dạng do trang tự lo.",
                             detail="markup or template syntax in a name field"))
    return out


def id_issues(lf: LoadedFile) -> list[Issue]:
    out = []
    for path, value in _walk_ids(lf.data, ()):
        problem = id_problem(value)
        if problem:
            line, col = lf.where(path)
            out.append(Issue(file=lf.rel, line=line, column=col, path=path, what=problem[0],
                             found=f"id: {value[:90]}", expected=f"chữ thường không dấu, số, gạch ngang; tối đa {ID_MAX} ký tự",
                             fix=problem[1], detail="id not usable as a file name"))
    return out


def hand_written_names(root: Path, folder: str) -> set[str]:
    """Names already taken in a section of docs/: its Markdown pages and sub-folders."""
    base = Path(root) / "docs" / folder
    if not base.is_dir():
        return set()
    return {p.stem if p.suffix == ".md" else p.name for p in base.iterdir()
            if p.suffix == ".md" or p.is_dir()}


def collision_issues(lf: LoadedFile, name: str, root: Path) -> list[Issue]:
    if name not in GENERATED or not isinstance(lf.data, dict):
        return []
    key, folder = GENERATED[name]
    taken = hand_written_names(root, folder)
    out = []
    for i, item in enumerate(lf.data.get(key) or []):
        iid = item.get("id") if isinstance(item, dict) else None
        if isinstance(iid, str) and iid in taken and iid not in RESERVED_IDS:
            line, col = lf.where((key, i, "id"))
            out.append(Issue(file=lf.rel, line=line, column=col, path=(key, i, "id"),
                             what=f"Mã \"{iid}\" trùng tên trang viết tay docs/{folder}/{iid}.md: trang sinh tự động "
                                  "sẽ đè lên trang đó.",
                             found=f"id: {iid}", expected=f"một mã chưa có trong docs/{folder}/",
                             fix="Đổi mã của mục này thành một mã khác (hoặc đổi tên trang viết tay).",
                             detail="generated page collides with a hand-written page"))
    return out


def check(files: dict[str, LoadedFile], root: Path) -> list[Issue]:
    """Every name, id and page-name problem of the data files that passed their schema."""
    issues: list[Issue] = []
    for name, lf in files.items():
        if lf.data is None:
            continue
        issues += name_issues(lf) + id_issues(lf) + collision_issues(lf, name, root)
    return issues


def front_matter_issues(file: str, text: str | None, meta: dict) -> list[Issue]:
    """A hand-written page's title and description land unescaped in <title>, the menu and the
    meta description (the theme prints them as HTML): no markup or template syntax there either."""
    out = []
    lines = (text or "").splitlines()
    for key in ("title", "description"):
        value = meta.get(key)
        found = markup_in(value) if isinstance(value, str) else None
        if found:
            line = next((n for n, ln in enumerate(lines, 1) if ln.startswith(key + ":")), None)
            out.append(Issue(file=file, line=line, what=f"Phần đầu trang ({key}) có {found}; chỗ này chỉ được ghi chữ thường.",
                             found=value[:80], expected="chữ, số và dấu câu",
                             fix="Xóa thẻ HTML, mã ký tự hay ngoặc nhọn kép khỏi dòng này.",
                             detail="markup in page front matter"))
    return out
