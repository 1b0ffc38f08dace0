"""A form (data/forms.yml) that holds a table, as an .xlsx a commune office opens in Excel,
through openpyxl.

`excel_file` gives the bytes: one sheet with the notice, the title and who fills it in, each
section (a table with a header row repeated on every printed page, or a line per field), the
signatures; printed on A4 portrait one page wide. Every value from data/ is written as text: a
cell that would start like a spreadsheet formula is stored as text, never as a formula. openpyxl
is imported inside the functions, so a build whose files come from the cache never loads it.
"""

from __future__ import annotations

import io

from .formparts import CHECKBOX, FONT, KEYWORDS, choice_hint, column_shares, field_options, notice, reproducible, sign_hint

_SHEET_BAD = str.maketrans({c: " " for c in "[]:*?/\\"})


def _put(ws, row: int, col: int, value: str):
    """Write text into a cell as text: a value that starts with = is not a formula."""
    cell = ws.cell(row=row, column=col)
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    return cell


class _Sheet:
    """The worksheet written from top to bottom: `row` is the next row to write, `ncols` the
    width of the widest table, which lines of text span."""

    def __init__(self, ws, ncols: int):
        from openpyxl.styles import Alignment, Border, Font, Side

        self.ws, self.ncols, self.row = ws, ncols, 1
        thin = Side(style="thin", color="000000")
        self.box = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.plain = Font(name=FONT, size=11)
        self.bold = Font(name=FONT, size=11, bold=True)
        self.wrap = Alignment(wrap_text=True, vertical="top")

    def line(self, text: str, font=None, height=None) -> None:
        """A line of text across the sheet's columns."""
        cell = _put(self.ws, self.row, 1, text)
        cell.font, cell.alignment = (self.plain if font is None else font), self.wrap
        self.ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=self.ncols)
        if height:
            self.ws.row_dimensions[self.row].height = height
        self.row += 1


def _workbook(form: dict, site_name: str):
    """A workbook with one sheet named after the form's short name, and its properties."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = " ".join(form["short"].translate(_SHEET_BAD).split())[:31]
    wb.properties.title = form["title"]
    wb.properties.subject = " ".join(form["purpose"].split())
    wb.properties.creator = site_name
    wb.properties.language = "vi-VN"
    wb.properties.keywords = KEYWORDS
    return wb, ws


def _head(sh: _Sheet, form: dict, documents: list[str], site_name: str) -> None:
    """The notice, the title, who fills the form in, who gets it, when, and its documents."""
    from openpyxl.styles import Alignment, Font

    sh.line(notice(form, site_name), Font(name=FONT, size=10, italic=True), 30)
    sh.line(form["title"], Font(name=FONT, size=14, bold=True), 22)
    sh.ws.cell(row=sh.row - 1, column=1).alignment = Alignment(horizontal="center", wrap_text=True)
    sh.line(f"Người điền: {form['filled_by']}")
    sh.line(f"Người nhận: {form['received_by']}")
    sh.line(f"Khi nào: {form['when']}")
    if documents:
        sh.line("Văn bản liên quan: " + "; ".join(documents), height=30)
    sh.row += 1


def _table(sh: _Sheet, section: dict) -> int:
    """A table section's header row and blank rows, boxed; gives the header's row number."""
    from openpyxl.styles import Alignment, PatternFill

    header = sh.row
    for j, col in enumerate(section["columns"], 1):
        cell = _put(sh.ws, sh.row, j, col["label"])
        cell.font, cell.border = sh.bold, sh.box
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.fill = PatternFill("solid", fgColor="E8EAF6")
    sh.ws.row_dimensions[sh.row].height = 45
    sh.row += 1
    for _ in range(section["rows"]):
        for j in range(1, len(section["columns"]) + 1):
            cell = sh.ws.cell(row=sh.row, column=j)
            cell.border, cell.font, cell.alignment = sh.box, sh.plain, sh.wrap
        sh.ws.row_dimensions[sh.row].height = 24
        sh.row += 1
    return header


def _fields(sh: _Sheet, section: dict) -> None:
    """A line per field; a choice lists its check boxes on the same line."""
    for field in section["fields"]:
        text = field["label"] + ":"
        if field["kind"] in ("choice", "checks", "scale"):
            text = f"{field['label']} ({choice_hint(field)}): " + "   ".join(f"{CHECKBOX} {o}" for o in field_options(field))
        lines = field.get("lines", 1)
        sh.line(text, height=16 + 15 * lines if field["kind"] == "lines" else None)


def _signatures(sh: _Sheet, names: list[str]) -> None:
    """Who signs, spread over the columns, each over the hint to sign and write the name."""
    from openpyxl.styles import Font

    for j, name in enumerate(names):
        c = _put(sh.ws, sh.row, 1 + j * max(1, sh.ncols // len(names)), name)
        c.font = sh.bold
        h = _put(sh.ws, sh.row + 1, 1 + j * max(1, sh.ncols // len(names)), sign_hint())
        h.font = Font(name=FONT, size=10, italic=True)


def _print_setup(ws, header_rows: list[int]) -> None:
    """A4 portrait, one page wide, centred; the first table's header repeats on every page."""
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.page_setup.orientation = "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.6
    if header_rows:
        ws.print_title_rows = f"{header_rows[0]}:{header_rows[0]}"
        ws.freeze_panes = ws.cell(row=header_rows[0] + 1, column=1)
    ws.oddFooter.center.text = "Mẫu gợi ý, không phải biểu mẫu chính thức — trang &P / &N"


def excel_file(form: dict, documents: list[str], site_name: str) -> bytes:
    """The form as an .xlsx: one sheet, header lines, each table with a repeated header row,
    printed on A4 portrait one page wide."""
    from openpyxl.utils import get_column_letter

    tables = [s for s in form["sections"] if "columns" in s]
    wb, ws = _workbook(form, site_name)
    sh = _Sheet(ws, max(len(s["columns"]) for s in tables))
    # Columns take the widths of the widest table (in characters: about 95 fit A4 portrait).
    shares = column_shares(max(tables, key=lambda s: len(s["columns"])))
    for j, share in enumerate(shares, 1):
        ws.column_dimensions[get_column_letter(j)].width = max(6, round(95 * share, 1))

    _head(sh, form, documents, site_name)
    header_rows = []
    for section in form["sections"]:
        sh.line(section["title"], sh.bold)
        if "columns" in section:
            header_rows.append(_table(sh, section))
        else:
            _fields(sh, section)
        sh.row += 1
    _signatures(sh, form.get("signatures") or [])
    _print_setup(ws, header_rows)
    buf = io.BytesIO()
    wb.save(buf)
    return reproducible(buf.getvalue())
