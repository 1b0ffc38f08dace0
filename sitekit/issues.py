"""Problems found in editors' files, and how they are told to editors (in Vietnamese)."""

from __future__ import annotations

from dataclasses import dataclass


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
