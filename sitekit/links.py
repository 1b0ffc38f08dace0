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
    """`target` as a link written on `page` (both paths from the site's root).

    What `posixpath.relpath(target, dirname(page))` gives, in plain string work: relpath makes
    both paths absolute, asking the system for the working folder on every call, and pages make
    thousands of links per build (about 10 ms of the editor's build, BENCHMARKS.md)."""
    to = _parts(target)
    start = _parts(posixpath.dirname(page))
    common = 0
    for a, b in zip(to, start, strict=False):  # stop at the shorter
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(start) - common) + to[common:]) or "."


def _parts(path: str) -> list[str]:
    path = posixpath.normpath(path)
    return [] if path == "." else path.split("/")
