"""Where pages live and how one page links to another. Plain Python: no engine import.

`relative_url` stands in for MkDocs' `get_relative_url` so that the core renders without MkDocs
(a later move to another engine keeps it). Both sides are always file paths inside the site
("khoa-hoc/x.md", "index.html"), never directories, so `posixpath.relpath` from the page's folder
is the whole of it.
"""

from __future__ import annotations

import posixpath

# Where generated pages live (one per programme, one per document) and where solution pages are.
PROGRAMME_DIR = "khoa-hoc"
DOCUMENT_DIR = "van-ban"
SOLUTION_DIR = "giai-phap"
SOURCES_PAGE = "gioi-thieu/nguon.md"


def src_to_dest(src: str) -> str:
    """A Markdown source's address in the built site: "van-ban/x.md" -> "van-ban/x.html"."""
    return src[:-3] + ".html" if src.endswith(".md") else src


def relative_url(target: str, page: str) -> str:
    """`target` as a link written on `page` (both paths from the site's root)."""
    rel = posixpath.relpath(target, posixpath.dirname(page) or ".")
    return rel
