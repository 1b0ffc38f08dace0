"""The whole guide as one PDF: `python -m sitekit.pdf` (what `make pdf` runs).

1. Build the site with the project's safe build into a temporary folder (or take `--site`).
2. Read the order of the pages from the built site's own menu (generated pages included;
   sitekit/pdfread.py, which also takes each article, step 3).
3. Take every page's article in headless Chromium (Playwright): collapsed blocks opened, headings
   moved down by the page's depth in the menu, ids made unique, links to other pages of the guide
   turned into jumps inside the PDF.
4. Put a cover, a table of contents and every article into ONE document styled by the site's own
   stylesheets (with their print rules) and print it with Chromium: "Trang n / N" in the footer,
   bookmarks made from the headings (so they follow the menu), a tagged PDF. The table of
   contents takes its page numbers from a first printing: Chromium records where each link
   target (each chapter) landed. Fonts are embedded, so the text can be searched and copied.
   Chromium may read only the files of the built site: any other request is refused.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import io
import os
import sys
import tempfile
from pathlib import Path

from .build import build as build_site  # the one build path (check, temporary folder, swap)
from .chromium import CHROMIUM, CHROMIUM_ARGS
from .pdfread import read_site
from .project import ROOT

DEFAULT_OUT = "dist/huong-khe-huong-dan.pdf"

_STYLE = """
  .kb-pdf-toc, .kb-pdf-chapter, .kb-pdf-part { break-before: page; }
  .kb-pdf-part + .kb-pdf-chapter { break-before: avoid; }
  .kb-pdf-cover { height: 240mm; display: flex; flex-direction: column; justify-content: center; }
  .md-typeset {
    .kb-pdf-cover h1 { font-size: 26pt; line-height: 1.25; margin: 0 0 8mm; font-weight: 700; color: #1a237e; }
    .kb-pdf-cover p { font-size: 12pt; line-height: 1.5; max-width: 150mm; }
    .kb-pdf-cover .kb-pdf-meta { margin-top: 20mm; font-size: 10pt; color: #333; }
    .kb-pdf-toc { ol { list-style: none; padding: 0; margin: 0; font-size: 10.5pt; }
      li { margin: 0; padding: 1.2mm 0; } .d0 { font-weight: 700; margin-top: 3mm; } .h { font-style: italic; }
      .d1 { padding-left: 7mm; } .d2, .d3 { padding-left: 14mm; } .dots { flex: 1; border-bottom: 1px dotted #888; }
      a { display: flex; align-items: baseline; gap: 2mm; text-decoration: none !important; }
      .n { min-width: 9mm; text-align: right; font-variant-numeric: tabular-nums; } }
    .kb-pdf-title, .kb-pdf-toc > h1 { font-size: 2em; line-height: 1.3; font-weight: 300; margin: 0 0 1.25em; }
    .kb-pdf-part > * { font-size: 1.4em; font-style: italic; margin: 0 0 1em; }
    /* Bookmarks are made from the headings' printed text. A heading that starts a page needs room
       above its letters, or Chromium counts it on the page before too and the bookmark reads twice
       ("Mục lụcMục lục"); spaces are kept where a heading wraps, or the bookmark loses them. */
    :is(h1, h2, h3, h4, h5, h6) { padding-top: .2em; white-space: pre-wrap; }
  }
"""

def header_footer(site_name: str) -> dict:
    """Chromium's own header (the guide's name) and footer ('Trang n / N') on every page."""
    box = ('<div style="font: 8pt \'Noto Sans\', \'DejaVu Sans\', sans-serif; color: #444; width: 100%; '
           'margin: 0 15mm; text-align: {};">{}</div>')
    return {"display_header_footer": True, "header_template": box.format("left", html.escape(site_name)),
            "footer_template": box.format("right", 'Trang <span class="pageNumber"></span> / '
                                                   '<span class="totalPages"></span>')}


def site_info(root: Path) -> dict:
    """The guide's name, description and address, from mkdocs.yml through MkDocs' own loader."""
    from mkdocs.config import load_config

    from .repo import site_address  # the same address as the site's build, never a placeholder

    cfg = load_config(str(root / "mkdocs.yml"))
    info = {k: " ".join(str(cfg[k] or "").split()) for k in ("site_name", "site_description")}
    info["site_url"] = site_address(os.environ, cfg["site_url"]) or ""
    return info


def front_matter(info: dict, chapters: list[dict], numbers: dict, today: dt.date) -> str:
    """Cover and table of contents. `numbers` gives each chapter's first page ("000" if unknown)."""
    rows = []
    for c in chapters:
        title = html.escape(c["title"])
        if c.get("url"):
            rows.append(f'<li class="d{c["depth"]}"><a href="#{c["id"]}"><span>{title}</span><span class="dots">'
                        f'</span><span class="n">{numbers.get(c["id"], "000")}</span></a></li>')
        else:
            rows.append(f'<li class="d{c["depth"]} h">{title}</li>')
    address = (f'<p class="kb-pdf-meta">Bản trực tuyến: {html.escape(info["site_url"])}</p>'
               if info["site_url"] else "")
    return f"""<section class="kb-pdf-cover">
  <h1>{html.escape(info["site_name"])}</h1>
  <p>{html.escape(info["site_description"])}</p>
  <p class="kb-pdf-meta">Bản PDF in từ trang web ngày {today:%d/%m/%Y}. Nguồn của từng số liệu được
  ghi ở cuối mỗi trang và ở trang “Nguồn” (phần Giới thiệu).</p>
  {address}
</section>
<section class="kb-pdf-toc"><h1>Mục lục</h1><ol>{"".join(rows)}</ol></section>"""


def chapter_html(c: dict) -> str:
    """One chapter: a page's article, or the heading of a menu section without a page."""
    if c.get("url"):
        return f'<section class="kb-pdf-chapter" id="{c["id"]}">{c["html"]}</section>'
    level = min(6, c["depth"] + 1)
    return f'<section class="kb-pdf-part" id="{c["id"]}"><h{level}>{html.escape(c["title"])}</h{level}></section>'


def document(info: dict, shell: dict, chapters: list[dict], numbers: dict, today: dt.date) -> str:
    """The whole guide as one HTML document, styled by the site's own stylesheets."""
    sheets = "".join(f'<link rel="stylesheet" href="{html.escape(href)}">' for href in shell["sheets"])
    body = "".join(f' {k}="{html.escape(v)}"' for k, v in shell["body"].items())
    return f"""<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>{html.escape(info["site_name"])}</title>
{sheets}<style>{_STYLE}</style></head>
<body{body}><div class="md-container"><main class="md-main"><div class="md-main__inner md-grid">
<div class="md-content"><article class="md-content__inner md-typeset">
{front_matter(info, chapters, numbers, today)}
{"".join(chapter_html(c) for c in chapters)}
</article></div></div></main></div></body></html>"""


def first_pages(pdf: bytes) -> tuple[int, dict]:
    """Number of pages, and the page (1-based) of every link target, of a PDF printed by Chromium."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return len(reader.pages), {name.lstrip("/"): reader.get_destination_page_number(dest) + 1
                               for name, dest in reader.named_destinations.items()}


def print_document(page, source: str, site_name: str) -> bytes:
    page.set_content(source, wait_until="load")
    page.evaluate("() => document.fonts.ready.then(() => true)")
    return page.pdf(format="A4", print_background=True, prefer_css_page_size=True, outline=True,
                    tagged=True, **header_footer(site_name))


def make_pdf(site_dir: Path, out: Path, root: Path = ROOT, today: dt.date | None = None) -> dict:
    """Print the built site in `site_dir` into `out`. Returns a short summary."""
    from playwright.sync_api import sync_playwright

    info = site_info(root)
    today = today or dt.date.today()
    allowed = site_dir.resolve().as_uri() + "/"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(color_scheme="light", locale="vi-VN", service_workers="block")
        # Only the built site's own files: nothing else on disk, nothing from the network.
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(allowed)
                      else route.abort())
        page = context.new_page()
        shell, chapters = read_site(page, site_dir)
        # First printing: where each chapter starts. Second: the same, with those page numbers in
        # the table of contents.
        _, numbers = first_pages(print_document(page, document(info, shell, chapters, {}, today), info["site_name"]))
        if any(c["url"] and c["id"] not in numbers for c in chapters):
            raise RuntimeError("Chromium không cho biết trang đầu của mọi mục: mục lục thiếu số trang.")
        pdf = print_document(page, document(info, shell, chapters, numbers, today), info["site_name"])
        browser.close()
    pages, placed = first_pages(pdf)
    if placed != numbers:  # the numbers take the place of "000": no line of the contents moves
        raise RuntimeError("Số trang trong mục lục đổi giữa hai lần in; hãy chạy lại.")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    tmp.write_bytes(pdf)
    tmp.replace(out)
    return {"pages": pages, "chapters": sum(1 for c in chapters if c["url"]), "out": str(out)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m sitekit.pdf",
                                 description="Dựng trang rồi in toàn bộ hướng dẫn thành một tệp PDF.")
    ap.add_argument("-o", "--output", default=DEFAULT_OUT, help=f"tệp PDF (mặc định {DEFAULT_OUT})")
    ap.add_argument("--site", help="dùng thư mục trang đã dựng sẵn thay vì dựng lại")
    ap.add_argument("--root", default=str(ROOT), help="thư mục dự án (có mkdocs.yml)")
    args = ap.parse_args(argv)
    root = Path(args.root).resolve()
    out = root / args.output  # an absolute path stays as it is
    with tempfile.TemporaryDirectory(prefix="kb-pdf-") as tmp:
        if args.site:
            site_dir = Path(args.site).resolve()
        else:
            site_dir = Path(tmp) / "site"
            if build_site(root, site_dir):
                print("Không tạo được PDF vì trang chưa dựng được (xem lỗi ở trên).", file=sys.stderr)
                return 1
        summary = make_pdf(site_dir, out, root)
    print(f"Đã tạo PDF: {summary['out']} ({summary['pages']} trang, {summary['chapters']} mục).")
    return 0


if __name__ == "__main__":
    from .guard import guarded

    sys.exit(guarded(main))
