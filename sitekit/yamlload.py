"""Strict YAML loading for editor-written data files.

PyYAML alone silently keeps the last of two repeated keys, turns `2020-02-30`-like text into
dates or errors far from the file, and gives no line numbers once data is constructed. This
loader keeps every scalar as PyYAML's safe loader would (except timestamps, which stay text so
that the schema checks them), records the position of every value by its key path, and collects
problems as `Issue`s instead of stopping at the first one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .issues import Issue

# The C parser is several times faster; the constructor stays PyYAML's Python SafeConstructor,
# so behaviour is the same with or without libyaml.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


class StrictLoader(_BaseLoader):
    """Safe loader that records duplicate keys instead of overwriting silently."""

    def __init__(self, stream):
        super().__init__(stream)
        self.duplicates: list[tuple[str, yaml.Mark, yaml.Mark]] = []

    def construct_mapping(self, node, deep=False):
        seen: dict = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, str) and key in seen:
                self.duplicates.append((key, key_node.start_mark, seen[key]))
            else:
                seen[key] = key_node.start_mark
        return super().construct_mapping(node, deep=deep)


# Keep dates as text: the JSON Schema `format: date` check then rejects impossible dates with a
# message that names the key, instead of a constructor error.
StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != TIMESTAMP_TAG]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

Path_ = tuple


@dataclass
class LoadedFile:
    """One data file: its content and where each key path sits in the text."""

    path: Path
    rel: str
    data: object = None
    marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    # Scalars as typed, before YAML turns them into numbers: "36.000" is the float 36.0.
    scalars: dict[Path_, str] = field(default_factory=dict)
    text: str = ""

    def where(self, path: Path_, key: bool = False) -> tuple[int | None, int | None]:
        """Line and column (1-based) of the value at `path`, or of its closest parent."""
        table = self.key_marks if key else self.marks
        p = tuple(path)
        while True:
            if p in table:
                return table[p]
            if key and p in self.marks:
                return self.marks[p]
            if not p:
                return (None, None)
            p = p[:-1]


def _walk(node, path, lf: LoadedFile, issues: list[Issue]):
    lf.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            _check_nfc(key_node, (*path, key), lf, issues)
            lf.key_marks[(*path, key)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            _walk(value_node, (*path, key), lf, issues)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, (*path, i), lf, issues)
    else:
        if not node.style:  # plain (unquoted) scalar: None in PyYAML, "" with libyaml
            lf.scalars[path] = node.value
            from .yamlguard import number_issue

            bad = number_issue(node, lf.rel, path)
            if bad:
                issues.append(bad)
        _check_nfc(node, path, lf, issues)


def _check_nfc(node, path, lf: LoadedFile, issues: list[Issue]):
    value = node.value
    if isinstance(value, str) and not unicodedata.is_normalized("NFC", value):
        bad = next((c for c in value if not unicodedata.is_normalized("NFC", c) or unicodedata.combining(c)), "")
        issues.append(Issue(
            file=lf.rel, line=node.start_mark.line + 1, column=node.start_mark.column + 1, path=path,
            what="Chữ tiếng Việt ở dạng tổ hợp (dấu gõ tách rời khỏi chữ cái, Unicode NFD).",
            found=repr(value[:60]),
            expected="Chữ tiếng Việt dựng sẵn (Unicode NFC), như khi gõ bằng Unikey ở chế độ Unicode dựng sẵn.",
            fix="Chạy `make chuan-hoa` để tự chuyển cả tệp sang dạng dựng sẵn, hoặc gõ lại đoạn chữ này.",
            detail=f"text is not NFC (first combining mark: U+{ord(bad[-1]):04X})" if bad else "text is not NFC",
        ))


def load_file(path: Path, rel: str, issues: list[Issue]) -> LoadedFile:
    """Read one YAML file; append every problem found to `issues`."""
    lf = LoadedFile(path=path, rel=rel)
    if not path.exists():
        issues.append(Issue(file=rel, what="Thiếu tệp dữ liệu.", found="không có tệp",
                            expected=f"tệp {rel}",
                            fix="Khôi phục tệp từ kho (git checkout -- " + rel + ") hoặc tạo lại theo mẫu trong trang Từ điển dữ liệu.",
                            detail="file not found"))
        return lf
    try:
        # utf-8-sig accepts a byte-order mark; text mode turns Windows line endings into \n.
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        issues.append(Issue(file=rel, line=line, what="Tệp không phải văn bản UTF-8.",
                            found=f"byte {exc.object[exc.start:exc.start + 1]!r}", expected="mã hóa UTF-8",
                            fix="Lưu lại tệp với mã hóa UTF-8 (trong VS Code: góc dưới bên phải, chọn \"Save with Encoding\" → UTF-8).",
                            detail=str(exc)))
        return lf
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        issues.append(Issue(file=rel, line=1, what="Tệp dữ liệu rỗng.", found="không có nội dung",
                            expected="nội dung dữ liệu theo mẫu",
                            fix="Khôi phục nội dung tệp từ kho: git checkout -- " + rel, detail="empty document"))
        return lf
    lf.text = text
    # Aliases and merge keys are refused before anything walks the document: a few lines of
    # aliases expand to billions of values (a "YAML bomb") for every walk that follows them.
    from .yamlguard import alias_issues

    early = alias_issues(text, rel, _BaseLoader)
    if early:
        issues.extend(early)
        return lf
    loader = StrictLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise yaml.YAMLError("empty")
        before = len(issues)
        _walk(node, (), lf, issues)
        if any(i.detail.startswith("number out of range") for i in issues[before:]):
            return lf  # not constructed: every later check would trip over the number
        lf.data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        issues.append(_yaml_issue(rel, exc, text))
        return lf
    except yaml.YAMLError as exc:
        issues.append(Issue(file=rel, what="Tệp YAML không đọc được.", found=str(exc), expected="YAML hợp lệ",
                            fix="Xem lại cú pháp tệp.", detail=str(exc)))
        return lf
    finally:
        loader.dispose()
    for key, mark, first in loader.duplicates:
        issues.append(Issue(
            file=rel, line=mark.line + 1, column=mark.column + 1,
            what=f"Khóa \"{key}\" bị lặp lại trong cùng một mục (lần đầu ở dòng {first.line + 1}).",
            found=f"hai khóa \"{key}\"", expected="mỗi khóa chỉ một lần trong một mục",
            fix="Xóa một trong hai dòng, giữ lại giá trị đúng. Nếu định thêm mục mới, hãy bắt đầu mục mới bằng \"- id: ...\".",
            detail="duplicate mapping key"))
    return lf


# A value that opens a quote and does not close it on the same line: YAML reads on, across
# lines, and reports the problem far below. Editors never write multi-line quoted text here.
_OPEN_QUOTE = re.compile(r"""^\s*(?:(?:-\s+)?[A-Za-z_]\w*:|-)\s+(["'])(.*)$""")


def _unclosed_quote_line(text: str, upto: int) -> int | None:
    """Last line (1-based, not after `upto`) where a quoted value starts and does not end."""
    found = None
    for n, line in enumerate(text.splitlines()[:upto], 1):
        m = _OPEN_QUOTE.match(line)
        if not m:
            continue
        q, rest = m.groups()
        rest = rest.split(" #")[0].rstrip()
        if q == '"':
            closed = re.search(r'(?<!\\)"', rest)
        else:  # in single quotes a quote is written twice: ''
            closed = "'" in rest.replace("''", "")
        if not closed:
            found = n
    return found


def _tab_lines(text: str) -> list[int]:
    return [n for n, line in enumerate(text.splitlines(), 1) if "\t" in line[: len(line) - len(line.lstrip())]]


def _yaml_issue(rel: str, exc: yaml.MarkedYAMLError, text: str = "") -> Issue:
    problem_mark, context_mark = exc.problem_mark, exc.context_mark
    mark = problem_mark or context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
    problem = (exc.problem or "") + " " + (exc.context or "")
    detail = str(exc).replace("\n", " ")
    tabs = _tab_lines(text)
    if tabs or "\t" in problem or "'\\t'" in problem or "tab character" in problem:
        tab_line = tabs[0] if tabs else line
        more = f" (các dòng có Tab: {', '.join(map(str, tabs))})" if len(tabs) > 1 else ""
        return Issue(file=rel, line=tab_line, column=1 if tabs else col,
                     what="Dòng này thụt lề bằng phím Tab; YAML chỉ chấp nhận dấu cách." + more,
                     found="ký tự Tab ở đầu dòng", expected="dấu cách (mỗi cấp thụt lề 2 dấu cách)",
                     fix="Xóa ký tự Tab ở đầu dòng và thay bằng dấu cách. Trong VS Code: bấm \"Spaces: 2\" ở thanh dưới cùng, "
                         "rồi chọn \"Convert Indentation to Spaces\".",
                     detail=detail)
    if "could not determine a constructor" in problem or "python/" in problem:
        return Issue(file=rel, line=line, column=col,
                     what="Tệp dùng thẻ YAML không được phép (ví dụ !!python/...). Dữ liệu chỉ được chứa chữ, số, danh sách.",
                     found=(exc.problem or "").strip(), expected="giá trị thông thường, không có thẻ !!",
                     fix="Xóa thẻ bắt đầu bằng !! và ghi giá trị trực tiếp.", detail=detail)
    if exc.context and ("flow sequence" in exc.context or "flow mapping" in exc.context) and context_mark:
        bracket = "[" if "sequence" in exc.context else "{"
        close = "]" if bracket == "[" else "}"
        return Issue(file=rel, line=context_mark.line + 1, column=context_mark.column + 1,
                     what=f"Dấu ngoặc {bracket} mở ở dòng này chưa được đóng bằng {close}"
                          f" (YAML đọc tiếp tới dòng {line} thì không hiểu được).",
                     found=f"danh sách mở bằng {bracket} nhưng thiếu {close} hoặc thiếu dấu phẩy giữa các phần tử",
                     expected="danh sách trên một dòng, ví dụ [ma-1, ma-2]" if bracket == "[" else "{khoa: gia-tri}",
                     fix=f"Thêm dấu {close} vào cuối danh sách (dấu ngoặc vuông đóng), và dấu phẩy giữa các mã.",
                     detail=detail)
    quote_line = _unclosed_quote_line(text, line or 0) if text else None
    if "quoted scalar" in problem and context_mark:
        quote_line = context_mark.line + 1
    if quote_line:
        return Issue(file=rel, line=quote_line,
                     what="Dấu ngoặc kép mở ở dòng này chưa được đóng"
                          + (f" (YAML đọc tiếp tới dòng {line} thì không hiểu được)." if line and line != quote_line else "."),
                     found="chữ bắt đầu bằng dấu ngoặc kép nhưng không có dấu ngoặc kép đóng trên cùng dòng",
                     expected="chữ nằm trọn trong một cặp ngoặc kép, ví dụ: title: \"Lịch sử: phát triển\"",
                     fix="Thêm dấu ngoặc kép đóng ở cuối chữ. Nếu trong chữ có dấu ngoặc kép, viết nó là \\\".",
                     detail=detail)
    if problem_mark and "mapping values are not allowed" in problem:
        return Issue(file=rel, line=line, column=col,
                     what="Lỗi cú pháp YAML: dấu hai chấm \":\" ở chỗ YAML không chờ đợi.",
                     found="dấu \":\" giữa chữ, hoặc dòng thụt lề sâu hơn các khóa cùng cấp",
                     expected="mỗi dòng một khóa \"ten_khoa: gia tri\", thụt lề thẳng hàng với các khóa cùng mục",
                     fix="Nếu chữ có dấu \":\", đặt cả chữ trong ngoặc kép: title: \"Luật: Cán bộ\". "
                         "Nếu dòng bị thụt lề sâu hơn, lùi lại cho thẳng hàng với dòng trên.",
                     detail=detail)
    if problem_mark and ("expected <block end>" in problem or "did not find expected key" in problem
                         or "did not find expected '-'" in problem):
        return Issue(file=rel, line=line, column=col,
                     what="Lỗi cú pháp YAML: dòng này thụt lề không thẳng hàng với các khóa cùng mục.",
                     found="thụt lề lệch (số dấu cách ở đầu dòng khác các dòng cùng cấp)",
                     expected="các khóa của một mục thụt lề bằng nhau (thường là 4 dấu cách sau \"  - id:\")",
                     fix="So sánh số dấu cách đầu dòng này với dòng ngay trên và sửa cho thẳng hàng.",
                     detail=detail)
    return Issue(file=rel, line=line, column=col,
                 what="Lỗi cú pháp YAML: tệp không đọc được từ vị trí này.",
                 found=problem.strip() or str(exc), expected="cú pháp YAML hợp lệ",
                 fix="Kiểm tra dòng này và dòng ngay trên: thụt lề có thẳng hàng không, có thiếu dấu \":\" "
                     "sau tên khóa không, dấu ngoặc kép có đóng đủ không. Chữ có dấu \":\" cần đặt trong ngoặc kép.",
                 detail=detail)
