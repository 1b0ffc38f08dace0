"""What a form's page, its Word file and its Excel file share (data/forms.yml): where the form
lives in the site, which files it has, the notice saying whose template it is, the hints and
options of a field, the columns' widths, and the zip rewrite that makes the files reproducible.

Plain functions, no MkDocs and no python-docx or openpyxl: sitekit/formword.py and
sitekit/formexcel.py write the files from these, sitekit/forms.py adds them to the site.
"""

from __future__ import annotations

import io
import re
import zipfile

FORM_DIR = "mau-bieu"
FONT = "Times New Roman"  # every Word and Excel install has it, with all Vietnamese letters
PAGE_WIDTH_CM = 17.0  # A4 portrait (21 cm) less 2 cm margins on each side
NAMES = ("docx", "xlsx")
# Reproducible files: the same data gives the same bytes (zip entries carry no build time).
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
CHECKBOX = "☐"
# The keywords of both files' document properties.
KEYWORDS = "mẫu gợi ý; không phải biểu mẫu chính thức"


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


def reproducible(data: bytes) -> bytes:
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
