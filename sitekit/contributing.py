"""CONTRIBUTING.md is the contributor guide of the site (docs/bien-tap/index.md) as GitHub shows
it: `python -m sitekit.contributing` (`make contributing`) writes it, and a test fails when it is
stale. Edit the page, never CONTRIBUTING.md.
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

from .data import ROOT

PAGE = "docs/bien-tap/index.md"
TARGET = "CONTRIBUTING.md"
HEADER = (
    "<!-- Generated from {page} by `make contributing`; edit that page, not this file. -->\n\n"
    "> Bản này giống trang **Cho người biên tập → Hướng dẫn đóng góp** trên trang web "
    "(tệp nguồn `{page}`). Muốn sửa hướng dẫn, hãy sửa tệp đó rồi chạy `make contributing`.\n\n"
)


def _fill_figures(text: str, root: Path) -> str:
    """The page's examples take figures from data/ through macros (value, fig); GitHub shows the
    numbers themselves. CONTRIBUTING.md is then stale when a figure changes: a test says so."""
    import jinja2

    from . import fmt
    from .data import load

    data = load(root)
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    return env.from_string(text).render(value=lambda fid: data.figures[fid].value,
                                        fig=lambda fid: fmt.figure_text(data.figures[fid]))


def render(root: Path = ROOT) -> str:
    text = _fill_figures((root / PAGE).read_text(encoding="utf-8"), root)
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.DOTALL)  # front matter
    text = re.sub(r"<!--.*?-->\n?", "", text, flags=re.DOTALL)  # notes for page authors
    # <code>&#123;&#123; fig(...) &#125;&#125;</code> on the page is `{{ fig(...) }}` on GitHub.
    text = re.sub(r"<code>(.*?)</code>", lambda m: "`" + html.unescape(m.group(1)) + "`", text)
    # Anchors differ between MkDocs (ASCII) and GitHub (with diacritics): name the section instead.
    text = re.sub(r"\[([^\]]+)\]\(#[^)]+\)", r"**\1**", text)
    text = re.sub(r"\n{3,}", "\n\n", text).lstrip("\n")
    return HEADER.format(page=PAGE) + text


def main(argv=None) -> int:
    out = ROOT / TARGET
    out.write_text(render(), encoding="utf-8")
    print(f"Đã cập nhật {TARGET} từ {PAGE}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
