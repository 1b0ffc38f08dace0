"""The W3C Nu HTML checker (npm vnu-jar, pinned in package.json; needs Java) over every page of
the built site: no error from this project's templates, pages or data.

Errors that come from mkdocs-material's own templates are listed in THEME_ERRORS, each matched
exactly by its message and the markup it points at, so that the same message from our markup
still fails:
- base.html puts autocomplete="off" on its hidden checkboxes (#__drawer, #__search), which HTML
  allows only on text-like inputs;
- partials/toc.html always writes <label for="__toc">, also on pages where no #__toc input is
  drawn (pages whose table of contents is not shown in the menu).
"""

from __future__ import annotations

import json
import subprocess

from conftest import ROOT

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
THEME_ERRORS = [
    ("Attribute “autocomplete” is only allowed when the input type is", 'class="md-toggle" data-md-toggle='),
    ("The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control.",
     '<label class="md-nav__title" for="__toc">'),
]


def _from_theme(message: dict) -> bool:
    text, extract = message.get("message", ""), message.get("extract", "")
    return any(text.startswith(m) and e in extract for m, e in THEME_ERRORS)


def test_built_site_is_valid_html(site):
    assert VNU.exists(), "run `make node-deps` (npm vnu-jar)"
    proc = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json", "--skip-non-html",
                           str(site)], capture_output=True, text=True, timeout=900)
    report = json.loads(proc.stderr or "{}")
    errors = [m for m in report.get("messages", []) if m.get("type") == "error" and not _from_theme(m)]
    shown = "\n".join(f"{m.get('url', '')[-60:]}:{m.get('lastLine')}: {m.get('message')}\n    {m.get('extract', '')!r}"
                      for m in errors[:30])
    assert not errors, f"{len(errors)} HTML errors:\n{shown}"
    assert report.get("messages") is not None, proc.stdout + proc.stderr


def test_theme_filter_is_exact():
    """The filter lets the same message through when it points at other markup."""
    assert _from_theme({"message": THEME_ERRORS[0][0] + " “color”", "extract": '<input class="md-toggle" data-md-toggle="drawer"'})
    assert not _from_theme({"message": THEME_ERRORS[0][0] + " “color”", "extract": '<input class="kb-filter" autocomplete="off"'})
    assert not _from_theme({"message": "Duplicate ID “sources”.", "extract": '<h3 id="sources">'})
