"""A form (data/forms.yml) as a .docx a commune office opens in Word, through python-docx.

`word_file` gives the bytes: A4 portrait, the notice, the title, who fills it in and when, each
section (a table with a repeated header row, or fields with dotted lines and check boxes), the
signatures. Every value from data/ goes in as text through python-docx, which escapes XML.
python-docx is imported inside the functions, so a build whose files come from the cache never
loads it.
"""

from __future__ import annotations

import io

from .formparts import (
    CHECKBOX,
    FONT,
    KEYWORDS,
    PAGE_WIDTH_CM,
    choice_hint,
    column_widths,
    field_options,
    notice,
    reproducible,
    sign_hint,
)


def _page_and_styles(doc) -> None:
    """A4 portrait with 2 cm margins; the styles in Times New Roman, black."""
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

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


def _properties(doc, form: dict, site_name: str) -> None:
    props = doc.core_properties
    props.title = form["title"]
    props.subject = " ".join(form["purpose"].split())
    props.author = site_name
    props.language = "vi-VN"
    props.keywords = KEYWORDS


def _dotted(paragraph):
    """A paragraph whose tab runs to the right margin along a dotted leader."""
    from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
    from docx.shared import Cm, Pt

    paragraph.paragraph_format.tab_stops.add_tab_stop(Cm(PAGE_WIDTH_CM), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
    paragraph.paragraph_format.space_after = Pt(4)
    return paragraph


def _labelled(doc, label: str, text: str):
    from docx.shared import Pt

    p = doc.add_paragraph()
    p.add_run(label + ": ").bold = True
    p.add_run(text)
    p.paragraph_format.space_after = Pt(2)
    return p


def _no_split(row, header=False) -> None:
    """A table row that never breaks across pages; a header row repeats on each page."""
    from docx.oxml import OxmlElement

    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:cantSplit")
    tr_pr.append(el)
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))


def _head(doc, form: dict, documents: list[str], site_name: str) -> None:
    """Footer and top notice, title, and what the form is for, who fills it in, who gets it, when."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    footer = doc.sections[0].footer.paragraphs[0]
    footer.text = notice(form, site_name)
    footer.runs[0].italic = True
    footer.runs[0].font.size = Pt(9)

    warn = doc.add_paragraph()
    run = warn.add_run(notice(form, site_name))
    run.italic = True
    run.font.size = Pt(10)
    doc.add_paragraph(form["title"], style="Title").alignment = WD_ALIGN_PARAGRAPH.CENTER
    _labelled(doc, "Dùng để", " ".join(form["purpose"].split()))
    _labelled(doc, "Người điền", form["filled_by"])
    _labelled(doc, "Người nhận", form["received_by"])
    _labelled(doc, "Khi nào", form["when"])
    if documents:
        _labelled(doc, "Văn bản liên quan", "; ".join(documents))
    if form.get("note"):
        _labelled(doc, "Ghi chú", " ".join(form["note"].split()))


def _table(doc, section: dict) -> None:
    """A table section: the columns' labels in bold in a header row, then the blank rows."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Cm, Pt

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
    _no_split(table.rows[0], header=True)
    for row in table.rows[1:]:
        _no_split(row)
        row.height = Cm(0.9)


def _field(doc, field: dict) -> None:
    """One field: a dotted line, a label over dotted lines, or a label over its check boxes."""
    from docx.shared import Cm, Pt

    kind = field["kind"]
    if kind == "text":
        p = _dotted(doc.add_paragraph())
        p.add_run(field["label"] + ": ")
        p.add_run("\t")
    elif kind == "lines":
        doc.add_paragraph(field["label"] + ":").paragraph_format.space_after = Pt(2)
        for _ in range(field["lines"]):
            _dotted(doc.add_paragraph()).add_run("\t")
    else:
        p = doc.add_paragraph(f"{field['label']} ({choice_hint(field)}):")
        p.paragraph_format.space_after = Pt(2)
        p.paragraph_format.keep_with_next = True
        opts = doc.add_paragraph("    ".join(f"{CHECKBOX} {o}" for o in field_options(field)))
        opts.paragraph_format.left_indent = Cm(0.5)


def _signatures(doc, names: list[str]) -> None:
    """Who signs, side by side, each over the hint to sign and write the name."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc.add_paragraph()
    table = doc.add_table(rows=2, cols=len(names))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for j, name in enumerate(names):
        top = table.rows[0].cells[j].paragraphs[0]
        top.alignment = WD_ALIGN_PARAGRAPH.CENTER
        top.add_run(name).bold = True
        hint = table.rows[1].cells[j].paragraphs[0]
        hint.alignment = WD_ALIGN_PARAGRAPH.CENTER
        hint.add_run(sign_hint()).italic = True
    _no_split(table.rows[0])


def word_file(form: dict, documents: list[str], site_name: str) -> bytes:
    """The form as a .docx: A4 portrait, title, notice, who/when, sections, signatures."""
    from docx import Document

    doc = Document()
    _page_and_styles(doc)
    _properties(doc, form, site_name)
    _head(doc, form, documents, site_name)
    for section in form["sections"]:
        doc.add_heading(section["title"], level=2)
        if "columns" in section:
            _table(doc, section)
            continue
        for field in section["fields"]:
            _field(doc, field)
    if form.get("signatures"):
        _signatures(doc, form["signatures"])
    buf = io.BytesIO()
    doc.save(buf)
    return reproducible(buf.getvalue())
