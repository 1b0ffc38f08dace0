"""Forms as files a commune office opens in Word and Excel, from data/forms.yml.

Plain functions, no MkDocs: `downloads` gives every Word and Excel file of the site with its
path, kept in the build cache; `pages` the generated page of each form. The build
(sitekit/plugin.py, on_files) adds the files to the site as generated files, so they are in
site/, in the offline copy, and MkDocs checks the links to them.

The module map: sitekit/formparts.py holds what a form's page and files share (paths, file
names, notice, hints, column widths, reproducible zips); sitekit/formword.py writes the .docx
(python-docx), sitekit/formexcel.py the .xlsx (openpyxl). Their public names are re-exported
here, so `from sitekit import forms` gives all of them.

Every value from data/ is written as text through the libraries' APIs (which escape XML); a cell
that would start like a spreadsheet formula is stored as text, never as a formula.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from . import formexcel, formparts, formword
from .formexcel import excel_file
from .formparts import (
    CHECKBOX,
    FONT,
    FORM_DIR,
    NAMES,
    PAGE_WIDTH_CM,
    choice_hint,
    column_shares,
    column_widths,
    field_options,
    file_names,
    is_table,
    notice,
    page_src,
    sign_hint,
)
from .formword import word_file

__all__ = [
    "CHECKBOX", "FONT", "FORM_DIR", "NAMES", "PAGE_WIDTH_CM", "choice_hint", "column_shares", "column_widths",
    "downloads", "excel_file", "field_options", "file_names", "is_table", "notice", "page_src",
    "sign_hint", "word_file",
]

# The code that writes the files: a change in any of these modules makes every cached file stale.
_SOURCE = b"".join(Path(m.__file__).read_bytes() for m in (formparts, formword, formexcel)) + Path(__file__).read_bytes()


def _cached(cache_dir: Path | None, make, form: dict, names: list[str], site_name: str, used: set) -> bytes:
    """`make(form, names, site_name)`, kept in the build cache keyed by everything it depends
    on (the form, the names, the code of this module and of the modules that write the files,
    and the two libraries' versions): writing the files costs more than half a second, and most
    builds change no form."""
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
