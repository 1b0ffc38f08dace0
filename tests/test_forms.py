"""Forms (data/forms.yml) built into the site: each has a page, a Word file and, when it holds a
table, an Excel file. The files of the real build are opened with python-docx and openpyxl and
compared with the data; bad form data stops `check` with a Vietnamese message naming file and
line; a changed field reaches the page, the Word file and the Excel file on the next build."""

from __future__ import annotations

import re
import unicodedata
import zipfile
from html import unescape
from io import BytesIO
from pathlib import Path

import pytest
from conftest import ROOT, read_page, run_build, run_check
from docx import Document
from openpyxl import load_workbook

from sitekit import forms as form_files
from sitekit.data import load

DATA = load(ROOT)
FORMS = DATA.forms
SITE_NAME = re.search(r"^site_name: (.+)$", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M).group(1)
NOT_OFFICIAL = "không phải biểu mẫu chính thức"


def flat(text: str) -> str:
    return " ".join(text.split())


def docx_text(path: Path) -> tuple[list[str], list[list[list[str]]]]:
    """Paragraph texts and, per table, its rows of cell texts."""
    doc = Document(str(path))
    paras = [p.text for p in doc.paragraphs]
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]
    return paras, tables


def xlsx_cells(path: Path) -> list[str]:
    wb = load_workbook(str(path))
    return [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]


def expected_texts(form: dict) -> list[str]:
    """Every label a reader must find in the files: sections, fields, columns, options."""
    out = [form["title"]] + [s["title"] for s in form["sections"]]
    for s in form["sections"]:
        out += [c["label"] for c in s.get("columns", [])]
        for f in s.get("fields", []):
            out.append(f["label"])
            out += form_files.field_options(f)
    return out + list(form.get("signatures") or [])


def test_at_least_the_seven_forms_of_the_issue():
    assert len(FORMS) >= 7
    for fid in ("phieu-nhu-cau-ca-nhan", "tong-hop-nhu-cau-xa", "viec-phai-lam-duoc", "ke-hoach-hanh-dong",
                "danh-gia-cuoi-khoa", "theo-doi-sau-khoa-hoc", "so-theo-doi-dao-tao"):
        assert fid in FORMS, fid


@pytest.mark.parametrize("fid", sorted(FORMS))
def test_word_file_has_title_fields_and_notice(site, fid):
    form = FORMS[fid]
    path = site / form_files.FORM_DIR / f"{fid}.docx"
    assert path.is_file(), path
    paras, tables = docx_text(path)
    doc = Document(str(path))
    assert doc.core_properties.title == form["title"]
    sec = doc.sections[0]
    assert sec.page_width < sec.page_height and abs(sec.page_width.cm - 21.0) < 0.05, "A4 portrait"
    everything = [flat(t) for t in paras] + [flat(c) for t in tables for row in t for c in row]
    joined = "\n".join(everything)
    assert all(unicodedata.is_normalized("NFC", t) for t in everything)
    assert form["title"] in paras
    for text in expected_texts(form):
        assert flat(text) in joined, f"{fid}.docx thiếu «{text}»"
    assert NOT_OFFICIAL in joined and SITE_NAME in joined
    for did in form["documents"]:
        number = DATA.documents[did]["number"] or DATA.documents[did]["title"]
        assert number in joined, f"{fid}.docx không nêu văn bản {did}"
    # Each table of the form: header row = the columns in order, then the blank rows (the
    # signatures' table comes after them, so the lists differ in length).
    table_sections = [s for s in form["sections"] if "columns" in s]
    for section, table, grid in zip(table_sections, tables, doc.tables, strict=False):
        assert [flat(c) for c in table[0]] == [c["label"] for c in section["columns"]]
        assert len(table) == 1 + section["rows"]
        assert all(not c.strip() for row in table[1:] for c in row)
        # Printed from Word: the header row repeats on each page and no row splits across pages.
        assert grid.rows[0]._tr.xpath("./w:trPr/w:tblHeader")
        assert all(row._tr.xpath("./w:trPr/w:cantSplit") for row in grid.rows)


@pytest.mark.parametrize("fid", sorted(FORMS))
def test_excel_file_exactly_for_table_forms(site, fid):
    form = FORMS[fid]
    path = site / form_files.FORM_DIR / f"{fid}.xlsx"
    has_table = any("columns" in s for s in form["sections"])
    assert path.is_file() == has_table
    if not has_table:
        return
    wb = load_workbook(str(path))
    ws = wb.active
    assert wb.properties.title == form["title"]
    assert ws.page_setup.orientation == "portrait" and str(ws.page_setup.paperSize) == str(ws.PAPERSIZE_A4)
    assert ws.page_setup.fitToWidth == 1
    cells = xlsx_cells(path)
    assert all(unicodedata.is_normalized("NFC", c) for c in cells)
    joined = "\n".join(cells)
    for text in expected_texts(form):
        assert flat(text) in joined, f"{fid}.xlsx thiếu «{text}»"
    assert NOT_OFFICIAL in joined
    # The header row of the first table is a row of its own, repeated on every printed page.
    first = next(s for s in form["sections"] if "columns" in s)
    labels = [c["label"] for c in first["columns"]]
    header = [r for r in ws.iter_rows(values_only=True) if list(r[:len(labels)]) == labels]
    assert header, f"{fid}.xlsx: không thấy dòng tiêu đề bảng {labels}"
    assert ws.print_title_rows


@pytest.mark.parametrize("fid", sorted(FORMS))
def test_form_page_names_notice_documents_and_downloads(site, fid):
    form = FORMS[fid]
    html = unescape(read_page(site, f"{form_files.FORM_DIR}/{fid}.html"))
    assert form["title"] in html and NOT_OFFICIAL in html
    for name in form_files.file_names(form):
        assert f'href="{name}"' in html, name
    for did in form["documents"]:
        assert f'href="../van-ban/{did}.html"' in html, did
    for text in expected_texts(form):
        assert flat(text) in flat(html), text


def test_files_are_in_the_offline_copy(site, tmp_path):
    from sitekit.zipcopy import make_zip

    out = make_zip(site, tmp_path / "offline.zip")
    names = set(zipfile.ZipFile(out).namelist())
    for form in FORMS.values():
        for name in [*form_files.file_names(form), f"{form['id']}.html"]:
            assert f"huong-khe-offline/{form_files.FORM_DIR}/{name}" in names, name


def test_same_data_gives_same_bytes():
    form = FORMS["tong-hop-nhu-cau-xa"]
    assert form_files.word_file(form, ["A"], "S") == form_files.word_file(form, ["A"], "S")
    assert form_files.excel_file(form, ["A"], "S") == form_files.excel_file(form, ["A"], "S")


def test_a_value_like_a_formula_stays_text():
    form = {**FORMS["tong-hop-nhu-cau-xa"]}
    form["sections"] = [dict(s) for s in form["sections"]]
    table = next(s for s in form["sections"] if "columns" in s)
    table["columns"] = [{"label": "=HYPERLINK(\"http://example.invalid\")"}, *table["columns"][1:]]
    wb = load_workbook(BytesIO(form_files.excel_file(form, ["<b>&"], "S")))
    cells = [c for row in wb.active.iter_rows() for c in row if c.value is not None]
    bad = [c for c in cells if str(c.value).startswith("=")]
    assert bad and all(c.data_type == "s" for c in bad)
    doc = Document(BytesIO(form_files.word_file(form, ["<b>&"], "S")))
    assert any("<b>&" in p.text for p in doc.paragraphs)


# -- data checks ---------------------------------------------------------------------------
def _edit(project: Path, name: str, old: str, new: str) -> None:
    path = project / "data" / f"{name}.yml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("case", ["unknown-key", "lines-without-count", "table-without-rows", "bad-reference",
                                  "template-in-title"])
def test_bad_form_data_stops_check_with_file_and_line(project, case):
    if case == "unknown-key":
        _edit(project, "forms", "    short: Phiếu hỏi nhu cầu của một người\n",
              "    short: Phiếu hỏi nhu cầu của một người\n    ten_ngan: x\n")
        want = ["data/forms.yml:", "Khóa \"ten_ngan\" không có trong mẫu dữ liệu"]
    elif case == "lines-without-count":
        _edit(project, "forms", "            kind: lines\n            lines: 3\n", "            kind: lines\n")
        want = ["data/forms.yml:", "Thiếu khóa bắt buộc \"lines\""]
    elif case == "table-without-rows":
        _edit(project, "forms", "        rows: 12\n", "")
        want = ["data/forms.yml:", "columns và rows"]
    elif case == "template-in-title":
        # A title is also the page's title and menu entry, which the engine reads as a template.
        _edit(project, "forms", "    short: Phiếu hỏi nhu cầu của một người\n", "    short: \"Phiếu {{ 6*6 }}\"\n")
        want = ["data/forms.yml:", "Giá trị không đúng định dạng", "{ } < >"]
    else:
        _edit(project, "needs", "forms: [viec-phai-lam-duoc]", "forms: [viec-phai-lam]")
        want = ["data/needs.yml:", "Tham chiếu tới mẫu biểu không tồn tại: \"viec-phai-lam\"", "viec-phai-lam-duoc"]
    proc = run_check(project)
    assert proc.returncode == 1, proc.stdout
    for w in want:
        assert w in proc.stderr, proc.stderr
    line = int(proc.stderr.split(want[0], 1)[1].split(":", 1)[0])
    assert line > 1


def test_rule_token_must_name_a_known_figure(project):
    _edit(project, "rules", "[[fig:nd171-tuoi-toi-da]]", "[[fig:nd171-tuoi]]")
    proc = run_check(project)
    assert proc.returncode == 1
    assert "data/rules.yml:" in proc.stderr and "[[fig:nd171-tuoi]]" in proc.stderr
    assert "nd171-tuoi-toi-da" in proc.stderr


def test_changing_a_field_changes_page_word_and_excel(project, tmp_path):
    old = "          - label: Chỗ còn thiếu (kiến thức, kỹ năng)\n"
    # Markup is refused in a label (sitekit/datarules.py); an ampersand is plain text, escaped.
    new_label = "Việc còn làm chưa được tốt & cần học"
    _edit(project, "forms", old, f"          - label: \"{new_label}\"\n")
    site = tmp_path / "site"
    proc = run_build(project, site)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    page = read_page(site, "mau-bieu/tong-hop-nhu-cau-xa.html")
    assert "Việc còn làm chưa được tốt &amp; cần học" in page  # escaped
    assert "Chỗ còn thiếu (kiến thức, kỹ năng)" not in page
    _, tables = docx_text(site / "mau-bieu/tong-hop-nhu-cau-xa.docx")
    assert new_label in tables[0][0]
    cells = xlsx_cells(site / "mau-bieu/tong-hop-nhu-cau-xa.xlsx")
    assert new_label in cells and "Chỗ còn thiếu (kiến thức, kỹ năng)" not in cells


def test_build_cache_reuses_unchanged_files_and_drops_stale_ones(tmp_path, monkeypatch):
    names = lambda f: list(f["documents"])  # noqa: E731
    first = dict(form_files.downloads(FORMS, names, "S", tmp_path))
    kept = sorted(p.name for p in tmp_path.iterdir())
    assert len(kept) == len(first)
    changed = {**FORMS, "ke-hoach-hanh-dong": {**FORMS["ke-hoach-hanh-dong"], "title": "Kế hoạch mới"}}
    calls = []
    real = form_files.word_file

    def word_file(form, *rest):  # same name: the cache key holds the writer's name
        calls.append(form["id"])
        return real(form, *rest)

    monkeypatch.setattr(form_files, "word_file", word_file)
    second = dict(form_files.downloads(changed, names, "S", tmp_path))
    assert calls == ["ke-hoach-hanh-dong"]  # only the changed form is written again
    assert second["mau-bieu/ke-hoach-hanh-dong.docx"] != first["mau-bieu/ke-hoach-hanh-dong.docx"]
    assert second["mau-bieu/so-theo-doi-dao-tao.docx"] == first["mau-bieu/so-theo-doi-dao-tao.docx"]
    assert len(list(tmp_path.iterdir())) == len(second)  # the old files of the changed form are gone
