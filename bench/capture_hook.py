"""Bench-only MkDocs hook (copied into a throwaway project copy, never used by the real site):
records, for every page, its front matter, its Markdown after mkdocs-macros has rendered it,
and the HTML that sitekit/plugin.py appends at the end of the content (the page's list of sources), plus
the final navigation and the files the plugin writes after the build (du-lieu/*.csv|json, assets/vendor/). bench/run.py
writes these out as a static project with no macros that builds the same files."""

from __future__ import annotations

import copy
import json
import os
import shutil
from pathlib import Path

from mkdocs.plugins import event_priority

OUT = Path(os.environ["KB_CAPTURE_DIR"])

@event_priority(-100)
def on_files(files, config):
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "nav.json").write_text(json.dumps(copy.deepcopy(config.nav), ensure_ascii=False))
    return files


@event_priority(-100)
def on_page_markdown(markdown, page, config, files):
    dest = OUT / "pages" / (page.file.src_uri + ".json")
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(json.dumps({"meta": page.meta, "markdown": markdown}, ensure_ascii=False, default=str))
    return markdown


@event_priority(-100)
def on_page_content(html, page, config, files):
    """What sitekit/plugin.py appended after the content: the page's list of sources."""
    i = html.rfind('<section class="kb-page-sources"')
    (OUT / "pages" / (page.file.src_uri + ".tail.html")).write_text(html[i:] if i >= 0 else "")
    return html


@event_priority(-100)
def on_post_build(config):
    """The CSV and JSON downloads sitekit/plugin.py wrote: plain files in the static copy."""
    site = Path(config.site_dir)
    # Data downloads, the offline shim, the web app's files, the forms' Word and Excel files.
    for folder in ("du-lieu", "assets/vendor", "assets/pwa"):
        src = site / folder
        if src.is_dir():
            shutil.copytree(src, OUT / "files" / folder, dirs_exist_ok=True)
    for pattern in ("mau-bieu/*.docx", "mau-bieu/*.xlsx", "manifest.webmanifest", "sw.js", "sw-version.js"):
        for src in site.glob(pattern):
            dest = OUT / "files" / src.relative_to(site)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dest)
