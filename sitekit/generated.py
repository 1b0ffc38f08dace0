"""Pages generated from data/: one per programme and one per document, as Markdown, and the
menu entries that list them. Plain Python: the engine adapter (plugin.py) turns them into files.
"""

from __future__ import annotations

from dataclasses import dataclass

from .links import DOCUMENT_DIR, PROGRAMME_DIR
from .model import SiteData
from .render import Renderer

# Every page carries the whole menu, so listing N generated pages in it costs N x N: past this
# (bench/, 100x data) they are reached from the catalogue and the register only.
NAV_LIST_MAX = 150
DOCUMENTS_NAV_TITLE = "Từng văn bản"
# A generated page has no Markdown file: "Sửa trang này" and its date come from its data file.
SOURCE_FILES = {PROGRAMME_DIR: "data/programmes.yml", DOCUMENT_DIR: "data/documents.yml"}


@dataclass
class GeneratedPage:
    src: str  # path under docs/, as if it were a file there
    title: str
    markdown: str


def _yaml_str(text: str) -> str:
    return '"' + " ".join(text.split()).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _first_sentence(text: str) -> str:
    text = " ".join(text.split())
    return text.split(". ")[0].rstrip(".") + "."


def _page(src: str, title: str, description: str, body: str) -> GeneratedPage:
    front = f"---\ntitle: {_yaml_str(title)}\ndescription: {_yaml_str(description)}\n---\n\n"
    return GeneratedPage(src, title, front + body + "\n")


def programme_pages(data: SiteData) -> list[GeneratedPage]:
    return [_page(f"{PROGRAMME_DIR}/{p['id']}.md", p["name"], _first_sentence(p["summary"]),
                  f'{{{{ programme_page("{p["id"]}") }}}}')
            for p in data.programmes.values()]


def document_pages(data: SiteData, r: Renderer) -> list[GeneratedPage]:
    out = []
    for d in data.documents.values():
        name = r.document_name(d)
        out.append(_page(f"{DOCUMENT_DIR}/{d['id']}.md", name, f"{name}: {d['title']}.",
                         f'{{{{ document_page("{d["id"]}") }}}}'))
    return out


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
