"""The data contract (issue #3): every mistake an editor can make in data/ or docs/ stops the
build with a Vietnamese message naming the file and line, and never touches the site that was
built before.

Each case below is a small change to a fresh copy of the real project. The good copy is built
once into a site folder; every bad case then runs the real build command into a copy of that
folder, and the folder must come out byte for byte as it went in. Data cases run
`python -m sitekit build`, which checks data/ first and stops before MkDocs; page cases need
MkDocs and take about two seconds each.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ROOT, copy_project, run_build

# -- mutations: each returns (new text, 1-based line of the change) ----------------------------


def _line(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def replace(old: str, new: str, nth: int = 1) -> Callable[[str], tuple[str, int]]:
    """Replace the nth occurrence of `old` (which must exist) with `new`."""

    def mutate(text: str) -> tuple[str, int]:
        at = -1
        for _ in range(nth):
            at = text.find(old, at + 1)
            assert at >= 0, f"the real data no longer contains {old!r}; update this case"
        return text[:at] + new + text[at + len(old):], _line(text, at)

    return mutate


def insert_after(anchor: str, new_line: str) -> Callable[[str], tuple[str, int]]:
    """Insert `new_line` (with its newline) right after the line holding `anchor`."""

    def mutate(text: str) -> tuple[str, int]:
        at = text.find(anchor)
        assert at >= 0, f"the real data no longer contains {anchor!r}; update this case"
        end = text.index("\n", at) + 1
        return text[:end] + new_line + text[end:], _line(text, end)

    return mutate


def append(block: str) -> Callable[[str], tuple[str, int]]:
    """Add a paragraph at the end of a page; the line is the block's first line."""

    def mutate(text: str) -> tuple[str, int]:
        text = text.rstrip("\n") + "\n\n"
        return text + block + "\n", text.count("\n") + 1

    return mutate


def whole(new_text: str) -> Callable[[str], tuple[str, None]]:
    return lambda text: (new_text, None)


def nfd(word: str) -> Callable[[str], tuple[str, int]]:
    return replace(word, unicodedata.normalize("NFD", word))


DELETE = None  # mutation that removes the file


@dataclass
class Case:
    id: str
    file: str  # file changed, relative to the project
    mutate: Callable | None
    phrase: str = ""  # Vietnamese words the message must contain
    line: int | str | None = "change"  # "change": the changed line; str: first line holding it
    page: bool = False  # needs MkDocs (the change is in docs/)
    also: tuple = ()  # further (file, mutate) changes in the same run


FIG, SRC, PROG, DOC, EVT, SOL = (f"data/{n}.yml" for n in ("figures", "sources", "programmes", "documents",
                                                            "events", "solutions"))
PAGE = "docs/index.md"

CASES = [
    # --- YAML syntax ---
    Case("yaml-colon-in-value", SRC, replace('title: "Lịch sử phát triển"', "title: Lịch sử: phát triển"),
         "cú pháp YAML"),
    Case("yaml-tab-indent", FIG, replace("    value: 8\n", "\tvalue: 8\n"), "Tab"),
    Case("yaml-unclosed-quote", SRC, replace('title: "Lịch sử phát triển"', 'title: "Lịch sử phát triển'),
         "ngoặc kép"),
    Case("yaml-wrong-indent", FIG, replace("    unit: lớp\n", "   unit: lớp\n"), "thụt lề"),
    Case("yaml-unclosed-list", PROG, replace("solutions: [giai-phap-2, giai-phap-3]",
                                             "solutions: [giai-phap-2, giai-phap-3"), "ngoặc vuông"),
    Case("yaml-duplicate-key", FIG, insert_after("    value: 8\n", "    value: 9\n"), "bị lặp lại"),
    Case("yaml-python-tag", FIG, replace("value: 8\n", 'value: !!python/object/apply:os.system ["touch HACKED"]\n'),
         "!!python"),
    Case("yaml-empty-file", EVT, whole(""), "rỗng", line=None),
    Case("yaml-only-comments", EVT, whole("# yaml-language-server: $schema=schema/events.schema.json\n# trống\n"),
         "rỗng", line=None),
    Case("yaml-missing-file", PROG, DELETE, "Thiếu tệp", line=None),
    Case("yaml-not-utf8", EVT, lambda t: (t.encode("utf-16"), None), "UTF-8", line=None),
    Case("schema-line-missing", EVT, replace("# yaml-language-server: $schema=schema/events.schema.json\n", ""),
         "yaml-language-server"),
    # --- schema: types, keys, ids, dates ---
    Case("wrong-type-text-for-number", FIG, replace("value: 8\n", "value: tám\n"), "sai kiểu"),
    Case("thousands-dot-36.000", FIG, replace("value: 36000\n", "value: 36.000\n"), "36000"),
    Case("thousands-comma-36,000", FIG, replace("value: 36000\n", "value: 36,000\n"), "36000"),
    Case("wrong-type-text-for-list", DOC, replace("topics: [can-bo-cong-chuc]", "topics: can-bo-cong-chuc"),
         "danh sách"),
    Case("negative-count", FIG, replace("value: 149\n", "value: -149\n"), "âm"),
    Case("non-integer-count", FIG, replace("value: 315\n", "value: 315.5\n"), "số nguyên"),
    Case("unknown-key-typo", FIG, replace("    source: bai-viet-2020\n", "    soure: bai-viet-2020\n"),
         'Có phải ý bạn là "source"'),
    Case("missing-required-field", FIG, replace("    as_of: nhiệm kỳ 2015–2020\n", ""), 'Thiếu khóa bắt buộc "as_of"',
         line="- id: dt-cao-cap\n"),
    Case("bad-id-uppercase", FIG, replace("id: dt-cao-hoc\n", "id: DT-cao-hoc\n"), "chữ thường không dấu"),
    Case("bad-id-diacritics", EVT, replace("id: bai-viet-dang\n", "id: bài-viết-đăng\n"), "chữ thường không dấu"),
    Case("impossible-date", EVT, replace("date: 2020-12-07\n", "date: 2021-02-30\n"), "Ngày không hợp lệ"),
    Case("date-in-wrong-order", DOC, replace("effective: 2019-06-25\n", "effective: 25-06-2019\n"),
         "Ngày không hợp lệ"),
    Case("enum-typo-unit", FIG, replace("unit: người\n", "unit: nguoi\n"), 'Có phải ý bạn là "người"'),
    # --- across files and figures ---
    Case("share-above-100", FIG, replace("value: 0.2\n", "value: 100.2\n"), "lớn hơn 100"),
    Case("group-over-100", FIG, replace("value: 23.2\n", "value: 33.2\n"), "vượt 100%",
         line="members: [cm-tren-dai-hoc"),
    Case("complete-group-not-100", FIG, replace("value: 23.2\n", "value: 13.2\n"), "complete: true",
         line="members: [cm-tren-dai-hoc"),
    Case("parts-do-not-add-up", FIG, replace("value: 435\n", "value: 436\n"), "149 + 286 = 435"),
    Case("parts-do-not-add-up-small", FIG, replace("value: 20\n", "value: 21\n"), "8 + 12 = 20"),
    Case("derived-share-above-100", FIG, replace("of: [cb-khoi-dang, cb-tong]", "of: [cb-tong, cb-khoi-dang]"),
         "lớn hơn 100"),
    Case("dangling-figure-source", FIG, replace("source: bai-viet-2020\n", "source: bai-viet-2021\n"),
         'Có phải ý bạn là "bai-viet-2020"'),
    Case("dangling-programme-solution", PROG, replace("solutions: [giai-phap-2, giai-phap-3]",
                                                      "solutions: [giai-phap-2, giai-phap-9]"), "giai-phap-9"),
    Case("dangling-replaced-by", DOC, replace("replaced_by: [nd-101-2017]", "replaced_by: [nd-101-2071]"),
         'Có phải ý bạn là "nd-101-2017"'),
    Case("duplicate-id", FIG, replace("id: dt-cao-cap-tai-chuc\n", "id: dt-cao-cap-tap-trung\n"), "bị trùng"),
    Case("replaced-status-without-replacement", DOC, replace("    replaced_by: [nd-101-2017]\n", ""),
         "replaced_by", line="status: da-thay-the"),
    Case("effective-before-issued", DOC, replace("effective: 2019-06-25\n", "effective: 2018-06-25\n"),
         "sớm hơn ngày ban hành"),
    Case("decomposed-text-in-data", FIG, nfd("Số người được cử đi học cao cấp"), "make chuan-hoa"),
    Case("several-errors-in-one-run", FIG, replace("value: 435\n", "value: 436\n"), "Dữ liệu có 2 lỗi",
         also=((EVT, replace("date: 2020-12-07\n", "date: 2021-02-30\n")),)),
    # --- pages (need MkDocs) ---
    Case("page-undefined-macro", PAGE, append("Tổng số: {{ so_lieu_khong_co }}"), "so_lieu_khong_co", page=True),
    Case("page-jinja-syntax", PAGE, append('Tổng số: {{ fig("cb-tong" }}'), "cú pháp macro", page=True),
    Case("page-unknown-figure-id", PAGE, append('Tổng số: {{ fig("cb-tongg") }}'), 'Có phải ý bạn là "cb-tong"',
         page=True),
    Case("page-broken-link", PAGE, append("Xem [số liệu đội ngũ](thong-ke/doi-ngu-cu.md)."), "doi-ngu-cu.md",
         page=True),
    Case("page-missing-anchor", PAGE, append("Xem [nguồn](gioi-thieu/nguon.md#src-bai-viet-2021)."),
         'Có phải ý bạn là "src-bai-viet-2020"', page=True),
    Case("page-missing-anchor-same-page", PAGE, append("Xem [phần dưới](#muc-khong-co)."), "muc-khong-co",
         page=True),
    Case("page-html-link", PAGE, append("Xem [đội ngũ](thong-ke/doi-ngu.html)."), "doi-ngu.md", page=True),
    Case("page-decomposed-text", PAGE, append(unicodedata.normalize("NFD", "Cán bộ, công chức cấp xã.")),
         "make chuan-hoa", page=True),
]


# -- helpers ---------------------------------------------------------------------------------


def tree_hash(folder: Path) -> str:
    """One hash over every path and every byte below `folder`."""
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        h.update(str(p.relative_to(folder)).encode() + b"\0")
        if p.is_file():
            h.update(p.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def good_site(tmp_path_factory) -> tuple[Path, str]:
    """The real project built once; cases build into copies of this folder."""
    out = tmp_path_factory.mktemp("good") / "site"
    proc = run_build(ROOT, out)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out, tree_hash(out)


def apply(project: Path, rel: str, mutate) -> int | None:
    path = project / rel
    if mutate is None:
        path.unlink()
        return None
    new, line = mutate(path.read_text(encoding="utf-8"))
    path.write_bytes(new if isinstance(new, bytes) else new.encode("utf-8"))
    return line


def located(message: str, file: str, line: int) -> bool:
    return re.search(re.escape(file) + ":" + str(line) + r"(?!\d)", message) is not None


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_stops_build(case: Case, good_site, tmp_path):
    site_src, good_hash = good_site
    project = copy_project(tmp_path / "project")
    # A clean checkout: nothing in .cache/ (tests/unit/test_caches.py covers a kept cache).
    original = (project / case.file).read_text(encoding="utf-8") if case.mutate is not None else ""
    line = apply(project, case.file, case.mutate)
    for rel, mutate in case.also:
        apply(project, rel, mutate)
    site = tmp_path / "site"
    shutil.copytree(site_src, site)
    assert tree_hash(site) == good_hash

    proc = run_build(project, site)
    message = proc.stdout + proc.stderr

    assert proc.returncode != 0, message
    assert "Traceback" not in message, message
    assert case.file in message, message
    if case.line == "change":
        assert line is not None
        assert located(message, case.file, line), f"expected {case.file}:{line} in\n{message}"
    elif isinstance(case.line, str):
        mutated = (project / case.file).read_text(encoding="utf-8")
        assert case.line in original and case.line in mutated
        expected = _line(mutated, mutated.index(case.line))
        assert located(message, case.file, expected), f"expected {case.file}:{expected} in\n{message}"
    if case.phrase:
        assert case.phrase in message, message
    # Every message says what to do, in Vietnamese.
    assert "Cách sửa:" in message, message
    if not case.page:
        assert "mkdocs" not in message.lower(), "data errors must stop before MkDocs runs"
    # The site built before is exactly as it was, and nothing was left beside it.
    assert tree_hash(site) == good_hash
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project", "site"]
    assert not (project / "HACKED").exists() and not Path("HACKED").exists()


def test_corpus_is_large_enough():
    assert len(CASES) >= 25
    assert len({c.id for c in CASES}) == len(CASES)
