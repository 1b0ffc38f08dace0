"""Pages generated from data/: one per programme and one per document, and the menu entries
that list them. Plain Python: the engine adapter (plugin.py) turns them into files.

A generated page carries its data as data. Its file holds no template: its front matter turns
mkdocs-macros off for it (`render_macros: false`, a documented page setting) and names nothing
beyond its escaped title and description. Its body is drawn by the plugin with the Renderer's
autoescaping templates from the record itself (`record_of`), so no value from data/ is ever read
as Jinja, and what reaches the menu, <title> and the meta description (printed unescaped by the
theme) is already HTML-escaped (`text`).
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from .forms import FORM_DIR
from .forms import page_src as form_src
from .links import DOCUMENT_DIR, PROGRAMME_DIR
from .model import SiteData
from .render import Renderer

# Every page of a section carries that section's menu (navigation.prune leaves the other sections
# as one link each), so listing N generated pages in it costs N x N: past this (bench/, 100x data)
# they are reached from the catalogue and the register only.
NAV_LIST_MAX = 150
DOCUMENTS_NAV_TITLE = "Từng văn bản"
# A generated page has no Markdown file: "Sửa trang này" and its date come from its data file.
SOURCE_FILES = {PROGRAMME_DIR: "data/programmes.yml", DOCUMENT_DIR: "data/documents.yml", FORM_DIR: "data/forms.yml"}
FORMS_NAV_TITLE = "Mẫu biểu"


@dataclass
class GeneratedPage:
    src: str  # path under docs/, as if it were a file there
    title: str  # HTML-escaped, for the menu
    markdown: str  # front matter only: the body is drawn from the record


def text(value: str) -> str:
    """Data text for a place the theme prints as HTML without escaping (menu, <title>, meta)."""
    return html.escape(" ".join(str(value).split()), quote=True)


def _yaml_str(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _first_sentence(value: str) -> str:
    value = " ".join(value.split())
    return value.split(". ")[0].rstrip(".") + "."


def _page(src: str, title: str, description: str) -> GeneratedPage:
    front = (f"---\nrender_macros: false\ntitle: {_yaml_str(text(title))}\n"
             f"description: {_yaml_str(text(description))}\n---\n")
    return GeneratedPage(src, text(title), front)


def programme_pages(data: SiteData) -> list[GeneratedPage]:
    return [_page(f"{PROGRAMME_DIR}/{p['id']}.md", p["name"], _first_sentence(p["summary"]))
            for p in data.programmes.values()]


def document_pages(data: SiteData, r: Renderer) -> list[GeneratedPage]:
    out = []
    for d in data.documents.values():
        name = r.document_name(d)
        out.append(_page(f"{DOCUMENT_DIR}/{d['id']}.md", name, f"{name}: {d['title']}."))
    return out


def form_pages(data: SiteData) -> list[GeneratedPage]:
    return [_page(form_src(f), f["title"], " ".join(f["purpose"].split())) for f in data.forms.values()]


def record_of(src: str, data: SiteData) -> tuple[str, dict] | None:
    """(template, context) that draws the generated page at `src`, or None."""
    folder, _, name = src.rpartition("/")
    rid = name[:-3] if name.endswith(".md") else None
    if folder == PROGRAMME_DIR and rid in data.programmes:
        return "programme_page.md", {"p": data.programmes[rid]}
    if folder == DOCUMENT_DIR and rid in data.documents:
        return "document_page.md", {"d": data.documents[rid]}
    if folder == FORM_DIR and rid in data.forms:
        return "form_page", {"id": rid}  # drawn by the form_page macro (toolmacros.py)
    return None


def source_file(src: str) -> str | None:
    """The data file a generated page at `src` comes from."""
    return SOURCE_FILES.get(src.split("/")[0])


def nav_section(nav, anchor: str):
    """The list in `nav` (MkDocs' nav: lists of {title: path or list}) that holds `anchor`."""
    for item in nav or []:
        if not isinstance(item, dict):
            continue
        for value in item.values():
            if not isinstance(value, list):
                continue
            if anchor in value or any(isinstance(v, dict) and anchor in v.values() for v in value):
                return value
            found = nav_section(value, anchor)
            if found is not None:
                return found
    return None


def add_forms_to_nav(nav, data: SiteData) -> None:
    """The form pages, under "Mẫu biểu" in the section of the tools' index page."""
    section = nav_section(nav, "cong-cu/index.md")
    if data.forms and section is not None and not any(isinstance(v, dict) and FORMS_NAV_TITLE in v for v in section):
        section.append({FORMS_NAV_TITLE: [{text(f["short"]): form_src(f)} for f in data.forms.values()]})


def add_to_nav(nav, programmes: list[GeneratedPage], documents: list[GeneratedPage]) -> set[str]:
    """List the generated pages in the menu, beside their section's index page. Returns the
    pages left out of the menu (too many to list)."""
    left_out: set[str] = set()
    prog = [{p.title: p.src} for p in programmes]
    docs = [{d.title: d.src} for d in documents]
    if len(prog) > NAV_LIST_MAX:
        left_out.update(p.src for p in programmes)
        prog = []
    if len(docs) > NAV_LIST_MAX:
        left_out.update(d.src for d in documents)
        docs = []
    section = nav_section(nav, f"{PROGRAMME_DIR}/index.md")
    if section is not None and not any(isinstance(v, dict) and v in prog for v in section):
        section.extend(prog)
    section = nav_section(nav, f"{DOCUMENT_DIR}/index.md")
    if docs and section is not None and not any(isinstance(v, dict) and DOCUMENTS_NAV_TITLE in v for v in section):
        section.append({DOCUMENTS_NAV_TITLE: docs})
    return left_out
