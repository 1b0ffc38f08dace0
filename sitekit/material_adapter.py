"""The one place that changes a file mkdocs-material ships: one rule of its palette stylesheet.

When Material's bundle starts on a page, it "switches" to the reader's colour palette, even when
that palette is already the page's own: it sets `data-md-color-switching` on <body>, reads the
header's computed style, and removes the attribute on the next frame. Its palette stylesheet has
one rule for that attribute, `[data-md-color-switching] *, … :before, … :after
{transition-duration: 0s !important}` (no colour transitions while the palette changes). Because
that rule matches every element under <body>, setting and removing the attribute makes the
browser compute the style of the whole page twice, at once, while the page loads: measured in
Chromium with the CPU 4× slower, 200 ms of style work on the register of documents
(BENCHMARKS.md, Lighthouse). Without the rule a palette change (the reader's dark/light switch)
shows the theme's own short colour transitions; nothing else changes.

The rule is removed from the built copy of the stylesheet; Material's package is not touched.
The version is pinned in requirements.txt, and tests/unit/test_adapter.py fails loudly if the
installed Material is another version or no longer ships the rule as written here.
"""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

PACKAGE = "mkdocs-material"
VERSION = "9.8.1"
SWITCHING_RULE = ("[data-md-color-switching] *,[data-md-color-switching] :after,[data-md-color-switching] :before"
                  "{transition-duration:0s!important}")
PALETTE_CSS = "assets/stylesheets/palette.*.min.css"


def installed_version() -> str:
    return version(PACKAGE)


def drop_switching_rule(site: Path) -> list[Path]:
    """Remove the rule from the built palette stylesheet(s); returns the files changed."""
    changed = []
    for path in sorted(Path(site).glob(PALETTE_CSS)):
        text = path.read_text(encoding="utf-8")
        if SWITCHING_RULE in text:
            path.write_text(text.replace(SWITCHING_RULE, ""), encoding="utf-8")
            changed.append(path)
    return changed
