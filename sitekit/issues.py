"""Problems found in editors' files, and how they are told to editors (in Vietnamese)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

# JSON Schema type names as editors read them; the data checks and the data dictionary both say
# them this way.
TYPE_VI = {"string": "chữ", "number": "số", "integer": "số nguyên", "boolean": "true hoặc false",
           "array": "danh sách", "object": "một mục gồm các khóa", "null": "để trống (null)"}


def suggest(value, options: Iterable) -> str:
    """'Có phải ý bạn là "x"? ' for the closest option, or '' when nothing is close."""
    close = difflib.get_close_matches(str(value), [str(o) for o in options], n=1)
    return f"Có phải ý bạn là \"{close[0]}\"? " if close else ""


def unknown_id(noun: str, key, universe, file: str) -> str:
    """The message for an id that a page or macro names and `file` does not hold."""
    return f"Không có {noun} mã \"{key}\" trong {file}. {suggest(key, universe)}Sửa mã trong trang, hoặc thêm mục vào {file}."


@dataclass
class Issue:
    """One problem in one place, with what to do about it."""

    file: str
    what: str
    found: str = ""
    expected: str = ""
    fix: str = ""
    line: int | None = None
    column: int | None = None
    path: tuple = ()
    detail: str = ""

    @property
    def location(self) -> str:
        loc = self.file
        if self.line:
            loc += f":{self.line}"
            if self.column:
                loc += f":{self.column}"
        return loc

    @property
    def key_path(self) -> str:
        out = ""
        for part in self.path:
            out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
        return out

    def format(self) -> str:
        lines = [f"{self.location}: {self.what}"]
        if self.line:
            where = f"dòng {self.line}" + (f", cột {self.column}" if self.column else "")
            lines.append(f"    Vị trí: tệp {self.file}, {where}")
        if self.path:
            lines.append(f"    Khóa: {self.key_path}")
        if self.found:
            lines.append(f"    Tìm thấy: {self.found}")
        if self.expected:
            lines.append(f"    Cần: {self.expected}")
        if self.fix:
            lines.append(f"    Cách sửa: {self.fix}")
        if self.detail:
            lines.append(f"    (Chi tiết kỹ thuật: {self.detail})")
        return "\n".join(lines)


class DataError(Exception):
    """Raised with every problem of a run, so that an editor fixes them all at once."""

    def __init__(self, issues: list[Issue]):
        self.issues = issues
        super().__init__(format_issues(issues))


def format_issues(issues: list[Issue]) -> str:
    # In file order, then line order, so an editor works down each file once.
    issues = sorted(issues, key=lambda i: (i.file, i.line or 0, i.column or 0))
    head = f"Dữ liệu có {len(issues)} lỗi; trang chưa được dựng. Sửa các lỗi dưới đây rồi chạy lại:"
    return "\n\n".join([head] + [f"{i}. " + issue.format() for i, issue in enumerate(issues, 1)])


class MacroError(Exception):
    """A macro was called with something that is not in data/: the build stops with this text."""


class BuildError(Exception):
    """Something that stops the build, told in Vietnamese (the engine adapter shows it)."""
