"""Pages generated from data/ carry their data as data (issue 12).

A generated page's file holds no template: its front matter turns mkdocs-macros off for it
(`render_macros: false`, a documented page setting) and names no data beyond its escaped title
and description. Its body is drawn in sitekit/hooks.py by the Renderer's autoescaping templates,
from the record itself, so no value from data/ is ever read as Jinja, and what reaches the menu,
<title> and the meta description (printed unescaped by the theme) is already HTML-escaped.
"""

from __future__ import annotations

import html

from .render import DOCUMENT_DIR, PROGRAMME_DIR


def text(value: str) -> str:
    """Data text for a place the theme prints as HTML without escaping (menu, <title>, meta)."""
    return html.escape(" ".join(str(value).split()), quote=True)


def _yaml_str(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def file_content(title: str, description: str) -> str:
    """The whole text of a generated page's file: front matter only, body drawn later."""
    return (f"---\nrender_macros: false\ntitle: {_yaml_str(text(title))}\n"
            f"description: {_yaml_str(text(description))}\n---\n")


def record_of(src_uri: str, data):
    """(template, context) that draws the generated page at `src_uri`, or None."""
    folder, _, name = src_uri.rpartition("/")
    rid = name[:-3] if name.endswith(".md") else None
    if folder == PROGRAMME_DIR and rid in data.programmes:
        return "programme_page.md", {"p": data.programmes[rid]}
    if folder == DOCUMENT_DIR and rid in data.documents:
        return "document_page.md", {"d": data.documents[rid]}
    return None
