"""Forms as files a commune office opens in Word and Excel, from data/forms.yml.

Plain functions, no MkDocs: `word_file` and `excel_file` turn one form into the bytes of a
.docx (python-docx) and an .xlsx (openpyxl); `downloads` gives every file of the site with its
path, `pages` the generated page of each form. The build (sitekit/hooks.py, on_files) adds both
to the site as generated files, so they are in site/, in the offline copy, and MkDocs checks the
links to them.

Every value from data/ is written as text through the libraries' APIs (which escape XML); a cell
that would start like a spreadsheet formula is stored as text, never as a formula.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from pathlib import Path

FORM_DIR = "mau-bieu"
FONT = "Times New Roman"  # every Word and Excel install has it, with all Vietnamese letters
PAGE_WIDTH_CM = 17.0  # A4 portrait (21 cm) less 2 cm margins on each side
NAMES = ("docx", "xlsx")
# Reproducible files: the same data gives the same bytes (zip entries carry no build time).
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
CHECKBOX = "☐"


def notice(form: dict, site_name: str) -> str:
    """What the form is: the site's suggested template unless a source makes it official."""
    if form.get("official"):
        return f"Mẫu theo văn bản liên quan ghi dưới đây; bản này do trang «{site_name}» trình bày lại."
    return (f"Mẫu gợi ý của trang «{site_name}», không phải biểu mẫu chính thức của cơ quan nhà nước. "
            "Xã có thể sửa cho hợp với công việc của mình.")


def sign_hint() -> str:
    return "(Ký, ghi rõ họ tên)"


def choice_hint(field: dict) -> str:
    return {"choice": "chọn một", "checks": "chọn một hoặc nhiều", "scale": "chọn một mức"}.get(field["kind"], "")


def field_options(field: dict) -> list[str]:
    return list(field.get("options") or field.get("scale") or [])


def column_shares(section: dict) -> list[float]:
    """Each column's share of the table's width (widths in data are relative, default 2)."""
    widths = [c.get("width", 2) for c in section["columns"]]
    total = sum(widths)
    return [w / total for w in widths]


def page_src(form: dict) -> str:
    """Source path of a form's generated page (mau-bieu/<id>.md)."""
    return f"{FORM_DIR}/{form['id']}.md"


def column_widths(section: dict, total: float, minimum: float) -> list[float]:
    """Widths that add up to `total`, in proportion to the data's widths, none below `minimum`
    (a narrow "STT" column must still hold its word on one line)."""
    shares = column_shares(section)
    fixed: set[int] = set()
    while True:
        free = total - minimum * len(fixed)
        rest = sum(sh for j, sh in enumerate(shares) if j not in fixed)
        widths = [minimum if j in fixed else free * sh / rest for j, sh in enumerate(shares)]
        small = {j for j, w in enumerate(widths) if w < minimum} - fixed
        if not small:
            return widths
        fixed |= small


def is_table(form: dict) -> bool:
    return any("columns" in s for s in form["sections"])


def file_names(form: dict) -> list[str]:
    """The downloads of one form: always Word; Excel too when the form has a table."""
    return [f"{form['id']}.docx"] + ([f"{form['id']}.xlsx"] if is_table(form) else [])


_STAMP = re.compile(rb"<dcterms:(created|modified)\b[^>]*>[^<]*</dcterms:\1>")


def _reproducible(data: bytes) -> bytes:
    """The same zip with fixed entry times and no creation or save time in its properties, so
    an unchanged form gives unchanged bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = _STAMP.sub(b"", body)
            dst.writestr(zipfile.ZipInfo(info.filename, _ZIP_TIME), body, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


# -- Word ------------------------------------------------------------------------------------
def word_file(form: dict, documents: list[str], site_name: str) -> bytes:
    """The form as a .docx: A4 portrait, title, notice, who/when, sections, signatures."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = Document()
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.left_margin = sec.right_margin = sec.top_margin = sec.bottom_margin = Cm(2.0)

    for name in ("Normal", "Title", "Heading 1", "Heading 2"):
        st = doc.styles[name]
        st.font.name = FONT
        st.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
        st.font.color.rgb = None
    doc.styles["Normal"].font.size = Pt(12)
    doc.styles["Title"].font.size = Pt(15)
    doc.styles["Title"].font.bold = True
    doc.styles["Heading 2"].font.size = Pt(12.5)

    props = doc.core_properties
    props.title = form["title"]
    props.subject = " ".join(form["purpose"].split())
    props.author = site_name
    props.language = "vi-VN"
    props.keywords = "mẫu gợi ý; không phải biểu mẫu chính thức"

    def dotted(paragraph):
        paragraph.paragraph_format.tab_stops.add_tab_stop(Cm(PAGE_WIDTH_CM), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
        paragraph.paragraph_format.space_after = Pt(4)
        return paragraph

    def labelled(label: str, text: str):
        p = doc.add_paragraph()
        p.add_run(label + ": ").bold = True
        p.add_run(text)
        p.paragraph_format.space_after = Pt(2)
        return p

    def no_split(row, header=False):
        tr_pr = row._tr.get_or_add_trPr()
        el = OxmlElement("w:cantSplit")
        tr_pr.append(el)
        if header:
            tr_pr.append(OxmlElement("w:tblHeader"))

    footer = sec.footer.paragraphs[0]
    footer.text = notice(form, site_name)
    footer.runs[0].italic = True
    footer.runs[0].font.size = Pt(9)

    warn = doc.add_paragraph()
    run = warn.add_run(notice(form, site_name))
    run.italic = True
    run.font.size = Pt(10)
    doc.add_paragraph(form["title"], style="Title").alignment = WD_ALIGN_PARAGRAPH.CENTER
    labelled("Dùng để", " ".join(form["purpose"].split()))
    labelled("Người điền", form["filled_by"])
    labelled("Người nhận", form["received_by"])
    labelled("Khi nào", form["when"])
    if documents:
        labelled("Văn bản liên quan", "; ".join(documents))
    if form.get("note"):
        labelled("Ghi chú", " ".join(form["note"].split()))

    for section in form["sections"]:
        doc.add_heading(section["title"], level=2)
        if "columns" in section:
            cols = section["columns"]
            table = doc.add_table(rows=1 + section["rows"], cols=len(cols))
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            table.autofit = False
            for j, width in enumerate(column_widths(section, PAGE_WIDTH_CM, 1.2)):
                for cell in table.columns[j].cells:
                    cell.width = Cm(width)
            for j, col in enumerate(cols):
                cell = table.rows[0].cells[j]
                cell.text = ""
                r = cell.paragraphs[0].add_run(col["label"])
                r.bold = True
                r.font.size = Pt(10)
            no_split(table.rows[0], header=True)
            for row in table.rows[1:]:
                no_split(row)
                row.height = Cm(0.9)
            continue
        for field in section["fields"]:
            kind = field["kind"]
            if kind == "text":
                p = dotted(doc.add_paragraph())
                p.add_run(field["label"] + ": ")
                p.add_run("\t")
            elif kind == "lines":
                doc.add_paragraph(field["label"] + ":").paragraph_format.space_after = Pt(2)
                for _ in range(field["lines"]):
                    dotted(doc.add_paragraph()).add_run("\t")
            else:
                p = doc.add_paragraph(f"{field['label']} ({choice_hint(field)}):")
                p.paragraph_format.space_after = Pt(2)
                p.paragraph_format.keep_with_next = True
                opts = doc.add_paragraph("    ".join(f"{CHECKBOX} {o}" for o in field_options(field)))
                opts.paragraph_format.left_indent = Cm(0.5)

    if form.get("signatures"):
        doc.add_paragraph()
        names = form["signatures"]
        table = doc.add_table(rows=2, cols=len(names))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for j, name in enumerate(names):
            top = table.rows[0].cells[j].paragraphs[0]
            top.alignment = WD_ALIGN_PARAGRAPH.CENTER
            top.add_run(name).bold = True
            hint = table.rows[1].cells[j].paragraphs[0]
            hint.alignment = WD_ALIGN_PARAGRAPH.CENTER
            hint.add_run(sign_hint()).italic = True
        no_split(table.rows[0])
    buf = io.BytesIO()
    doc.save(buf)
    return _reproducible(buf.getvalue())


# -- Excel -----------------------------------------------------------------------------------
_SHEET_BAD = str.maketrans({c: " " for c in "[]:*?/\\"})


def _put(ws, row: int, col: int, value: str):
    """Write text into a cell as text: a value that starts with = is not a formula."""
    cell = ws.cell(row=row, column=col)
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    return cell


def excel_file(form: dict, documents: list[str], site_name: str) -> bytes:
    """The form as an .xlsx: one sheet, header lines, each table with a repeated header row,
    printed on A4 portrait one page wide."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    tables = [s for s in form["sections"] if "columns" in s]
    ncols = max(len(s["columns"]) for s in tables)
    wb = Workbook()
    ws = wb.active
    ws.title = " ".join(form["short"].translate(_SHEET_BAD).split())[:31]
    wb.properties.title = form["title"]
    wb.properties.subject = " ".join(form["purpose"].split())
    wb.properties.creator = site_name
    wb.properties.language = "vi-VN"
    wb.properties.keywords = "mẫu gợi ý; không phải biểu mẫu chính thức"

    thin = Side(style="thin", color="000000")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    plain = Font(name=FONT, size=11)
    bold = Font(name=FONT, size=11, bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    # Columns take the widths of the widest table (in characters: about 95 fit A4 portrait).
    shares = column_shares(max(tables, key=lambda s: len(s["columns"])))
    for j, share in enumerate(shares, 1):
        ws.column_dimensions[get_column_letter(j)].width = max(6, round(95 * share, 1))

    row = 1

    def line(text: str, font=plain, height=None):
        nonlocal row
        cell = _put(ws, row, 1, text)
        cell.font, cell.alignment = font, wrap
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
        if height:
            ws.row_dimensions[row].height = height
        row += 1

    line(notice(form, site_name), Font(name=FONT, size=10, italic=True), 30)
    line(form["title"], Font(name=FONT, size=14, bold=True), 22)
    ws.cell(row=row - 1, column=1).alignment = Alignment(horizontal="center", wrap_text=True)
    line(f"Người điền: {form['filled_by']}")
    line(f"Người nhận: {form['received_by']}")
    line(f"Khi nào: {form['when']}")
    if documents:
        line("Văn bản liên quan: " + "; ".join(documents), height=30)
    row += 1
    header_rows = []
    for section in form["sections"]:
        line(section["title"], bold)
        if "columns" in section:
            header_rows.append(row)
            for j, col in enumerate(section["columns"], 1):
                cell = _put(ws, row, j, col["label"])
                cell.font, cell.border = bold, box
                cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
                cell.fill = PatternFill("solid", fgColor="E8EAF6")
            ws.row_dimensions[row].height = 45
            row += 1
            for _ in range(section["rows"]):
                for j in range(1, len(section["columns"]) + 1):
                    cell = ws.cell(row=row, column=j)
                    cell.border, cell.font, cell.alignment = box, plain, wrap
                ws.row_dimensions[row].height = 24
                row += 1
            row += 1
            continue
        for field in section["fields"]:
            text = field["label"] + ":"
            if field["kind"] in ("choice", "checks", "scale"):
                text = f"{field['label']} ({choice_hint(field)}): " + "   ".join(f"{CHECKBOX} {o}" for o in field_options(field))
            lines = field.get("lines", 1)
            line(text, height=16 + 15 * lines if field["kind"] == "lines" else None)
        row += 1
    for j, name in enumerate(form.get("signatures") or []):
        c = _put(ws, row, 1 + j * max(1, ncols // len(form["signatures"])), name)
        c.font = bold
        h = _put(ws, row + 1, 1 + j * max(1, ncols // len(form["signatures"])), sign_hint())
        h.font = Font(name=FONT, size=10, italic=True)

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
    buf = io.BytesIO()
    wb.save(buf)
    return _reproducible(buf.getvalue())


# -- what the build adds to the site -----------------------------------------------------------
_SOURCE = Path(__file__).read_bytes()


def _cached(cache_dir: Path | None, make, form: dict, names: list[str], site_name: str, used: set) -> bytes:
    """`make(form, names, site_name)`, kept in the build cache keyed by everything it depends
    on (the form, the names, this module's code and the two libraries' versions): writing the
    files costs more than half a second, and most builds change no form."""
    if cache_dir is None:
        return make(form, names, site_name)
    from importlib.metadata import version

    key = hashlib.sha256(json.dumps([make.__name__, form, names, site_name, version("python-docx"),
                                     version("openpyxl")], ensure_ascii=False, sort_keys=True, default=str).encode()
                         + _SOURCE).hexdigest()
    path = Path(cache_dir) / key
    used.add(key)
    try:
        return path.read_bytes()
    except OSError:
        pass
    from .project import write_cache

    data = make(form, names, site_name)
    write_cache(path, data)
    return data


def downloads(forms: dict, document_names, site_name: str, cache_dir: Path | None = None) -> list[tuple[str, bytes]]:
    """(path in the site, bytes) of every Word and Excel file. `document_names(form)` gives the
    names of the documents a form relates to, as the site writes them."""
    out: list[tuple[str, bytes]] = []
    used: set[str] = set()
    for form in forms.values():
        names = document_names(form)
        out.append((f"{FORM_DIR}/{form['id']}.docx", _cached(cache_dir, word_file, form, names, site_name, used)))
        if is_table(form):
            out.append((f"{FORM_DIR}/{form['id']}.xlsx", _cached(cache_dir, excel_file, form, names, site_name, used)))
    if cache_dir is not None and Path(cache_dir).is_dir():
        for old in Path(cache_dir).iterdir():  # files of forms changed since: never used again
            if old.name not in used:
                old.unlink(missing_ok=True)
    return out


def pages(forms: dict) -> list[tuple[str, str, str, str]]:
    """(source path, title, description, body) of each form's generated page."""
    return [(page_src(f), f["title"], " ".join(f["purpose"].split()),
             f'{{{{ form_page("{f["id"]}") }}}}') for f in forms.values()]
