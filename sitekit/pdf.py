"""The whole guide as one PDF: `python -m sitekit.pdf` (what `make pdf` runs).

1. Build the site with the strict, safe build (`sitekit build`) into a temporary folder, unless
   `--site` names a site that is already built.
2. Read the order of the pages from the site's own navigation (so generated programme and
   document pages are included where readers find them).
3. Print every page with headless Chromium (Playwright), using the site's print stylesheet:
   no menus, outside addresses written out, collapsed blocks opened.
4. Print a cover and a table of contents with the page number of every page, join everything
   with pypdf, number the pages and add bookmarks (the PDF outline) in the same order.

The text in the PDF is real text (fonts embedded by Chromium), so it can be searched and copied.
Chromium is only allowed to read the local files: any other request is refused.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import io
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .chromium import CHROMIUM, CHROMIUM_ARGS
from .data import ROOT

DEFAULT_OUT = "dist/huong-khe-huong-dan.pdf"
PAGE_MARGIN = {"top": "16mm", "bottom": "18mm", "left": "15mm", "right": "15mm"}

# The menu as a list in reading order: pages ({url, depth}) and, for menu sections that have no
# page of their own, headings ({label, depth}). Depth 0 = top level.
_NAV_JS = """
() => {
  const out = [];
  const seen = new Set();
  const text = (el) => el.textContent.replace(/\\s+/g, ' ').trim();
  const page = (a, depth) => {
    const url = new URL(a.getAttribute('href'), document.baseURI);
    url.hash = '';
    if (url.protocol !== 'file:' || !url.pathname.endsWith('.html') || seen.has(url.href)) return;
    seen.add(url.href);
    out.push({url: url.href, depth});
  };
  const walk = (list, depth) => {
    for (const li of list.children) {
      if (!li.matches('li.md-nav__item')) continue;
      const own = li.querySelector(':scope > a.md-nav__link[href], :scope > .md-nav__container > a.md-nav__link[href]');
      if (own) page(own, depth);
      const sub = li.querySelector(':scope > nav > ul.md-nav__list');
      if (!sub) continue;
      if (!own) {
        const label = li.querySelector(':scope > label.md-nav__link');
        if (label) out.push({label: text(label), depth});
      }
      walk(sub, depth + 1);
    }
  };
  const root = document.querySelector('.md-nav--primary > ul.md-nav__list');
  if (root) walk(root, 0);
  return out;
}
"""

# Before printing a page: open collapsed blocks; links inside the site cannot be followed on
# paper or from a PDF (they would point at the build folder), so they become plain text.
_PREPARE_JS = """
() => {
  for (const d of document.querySelectorAll('details')) d.open = true;
  for (const a of document.querySelectorAll('a[href]')) {
    const href = a.getAttribute('href');
    if (/^(https?:|mailto:)/i.test(href)) continue;
    a.removeAttribute('href');
    a.style.textDecoration = 'none';
  }
  let title = document.title;
  const h1 = document.querySelector('.md-content h1');
  if (h1) {
    const copy = h1.cloneNode(true);
    for (const link of copy.querySelectorAll('.headerlink')) link.remove();
    title = copy.textContent;
  }
  return {title: title.replace(/\\s+/g, ' ').trim()};
}
"""


@dataclass
class Chapter:
    url: str
    depth: int
    title: str = ""
    pdf: bytes = b""
    pages: int = 0
    start: int = 0  # first page, 1-based, in the final PDF


def _site_config(root: Path) -> dict:
    """site_name, site_description and site_url from mkdocs.yml, read without MkDocs."""
    import yaml

    class _Loose(yaml.SafeLoader):
        pass

    _Loose.add_multi_constructor("", lambda loader, suffix, node: None)  # ignore !!python/name tags
    with open(root / "mkdocs.yml", encoding="utf-8") as fh:
        cfg = yaml.load(fh, Loader=_Loose) or {}
    out = {k: cfg.get(k) or "" for k in ("site_name", "site_description")}
    from . import repo  # the same addresses as the site's build, never a placeholder

    found = repo.resolve(os.environ, root, cfg.get("repo_url"), None, cfg.get("site_url"))
    out.update({k: found[k] or "" for k in ("site_url", "repo_url")})
    return out


def _count_pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def _cover_and_toc(cfg: dict, chapters: list[Chapter], today: dt.date) -> str:
    """Cover and table of contents; page numbers are "000" until the chapters are placed."""
    rows = "".join(
        f'<li class="d{c.depth}"><span class="t">{html.escape(c.title)}</span>'
        f'<span class="dots"></span><span class="n">{c.start or "000"}</span></li>' if c.url else
        f'<li class="d{c.depth} h"><span class="t">{html.escape(c.title)}</span></li>'
        for c in chapters
    )
    address = (f'<p class="addr">Bản trực tuyến: {html.escape(cfg["site_url"])}</p>'
               if cfg.get("site_url") else "")
    return f"""<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>{html.escape(cfg["site_name"])}</title>
<style>
  body {{ font-family: "Noto Sans", "DejaVu Sans", sans-serif; color: #000; margin: 0; }}
  .cover {{ height: 250mm; display: flex; flex-direction: column; justify-content: center;
           break-after: page; }}
  .cover h1 {{ font-size: 26pt; line-height: 1.25; margin: 0 0 8mm; color: #1a237e; }}
  .cover p {{ font-size: 12pt; line-height: 1.5; max-width: 150mm; }}
  .cover .meta {{ margin-top: 20mm; font-size: 10pt; color: #333; }}
  h2 {{ font-size: 16pt; margin: 0 0 6mm; }}
  ol {{ list-style: none; padding: 0; margin: 0; font-size: 10.5pt; }}
  li {{ display: flex; align-items: baseline; gap: 2mm; padding: 1.2mm 0; break-inside: avoid; }}
  li.d0 {{ font-weight: 700; margin-top: 3mm; }}
  li.d1 {{ padding-left: 7mm; }}
  li.d2, li.d3 {{ padding-left: 14mm; }}
  li.h {{ font-style: italic; }}
  .dots {{ flex: 1; border-bottom: 1px dotted #888; }}
  .n {{ min-width: 9mm; text-align: right; }}
</style></head>
<body>
<section class="cover">
  <h1>{html.escape(cfg["site_name"])}</h1>
  <p>{html.escape(" ".join(cfg["site_description"].split()))}</p>
  <p class="meta">Bản PDF in từ trang web ngày {today:%d/%m/%Y}. Nguồn của từng số liệu được ghi
  ở cuối mỗi trang và ở mục “Nguồn tài liệu”.</p>
  {address}
</section>
<section class="toc">
  <h2>Mục lục</h2>
  <ol>{rows}</ol>
</section>
</body></html>"""


def _page_numbers(total: int, first_numbered: int) -> str:
    """One A4 sheet per page, with 'Trang n / N' at the bottom (laid over the printed pages)."""
    sheets = "".join(
        f'<div class="s"><span>{f"Trang {i} / {total}" if i >= first_numbered else ""}</span></div>'
        for i in range(1, total + 1)
    )
    return f"""<!doctype html><html lang="vi"><head><meta charset="utf-8"><style>
  @page {{ size: A4; margin: 0; }}
  body {{ margin: 0; font-family: "Noto Sans", "DejaVu Sans", sans-serif; }}
  .s {{ height: 297mm; position: relative; break-after: page; overflow: hidden; }}
  .s span {{ position: absolute; bottom: 8mm; right: 15mm; font-size: 8.5pt; color: #444; }}
</style></head><body>{sheets}</body></html>"""


def make_pdf(site_dir: Path, out: Path, root: Path = ROOT, today: dt.date | None = None) -> dict:
    """Print the built site in `site_dir` into `out`. Returns a short summary."""
    from playwright.sync_api import sync_playwright
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    cfg = _site_config(root)
    today = today or dt.date.today()
    index = (site_dir / "index.html").resolve()
    if not index.exists():
        raise FileNotFoundError(f"Không thấy trang đã dựng: {index}")

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(color_scheme="light", locale="vi-VN", service_workers="block")
        # Local files only: nothing is fetched from the network while printing.
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                      else route.abort())
        page = context.new_page()
        page.goto(index.as_uri(), wait_until="load")
        menu = page.evaluate(_NAV_JS)
        chapters = [Chapter(url=item.get("url", ""), depth=item["depth"], title=item.get("label", ""))
                    for item in menu]
        if not any(ch.url for ch in chapters):
            raise RuntimeError("Không đọc được mục lục (menu) của trang đã dựng.")

        def render(html_source: str, margin=None) -> bytes:
            page.set_content(html_source, wait_until="load")
            page.evaluate("() => document.fonts.ready.then(() => true)")
            return page.pdf(format="A4", print_background=True, prefer_css_page_size=True,
                            margin=margin or {"top": "0", "bottom": "0", "left": "0", "right": "0"})

        for ch in chapters:
            if not ch.url:  # a menu heading without a page of its own
                continue
            page.goto(ch.url, wait_until="load")
            ch.title = page.evaluate(_PREPARE_JS)["title"]
            ch.pdf = page.pdf(format="A4", print_background=True, margin=PAGE_MARGIN)
            ch.pages = _count_pages(ch.pdf)

        toc_margin = {"top": "20mm", "bottom": "20mm", "left": "20mm", "right": "20mm"}
        # The table of contents' own length decides where chapter 1 starts: print it once to
        # count its pages, then again with the real page numbers.
        front_pages = _count_pages(render(_cover_and_toc(cfg, chapters, today), margin=toc_margin))
        start = front_pages + 1
        for ch in chapters:
            ch.start = start
            start += ch.pages
        front = render(_cover_and_toc(cfg, chapters, today), margin=toc_margin)
        if _count_pages(front) != front_pages:
            raise RuntimeError("Mục lục đổi số trang giữa hai lần in; hãy chạy lại.")
        total = start - 1
        numbers = PdfReader(io.BytesIO(render(_page_numbers(total, first_numbered=2))))
        browser.close()

    writer = PdfWriter()
    for part in [front] + [ch.pdf for ch in chapters if ch.url]:
        writer.append(PdfReader(io.BytesIO(part)))
    for i, sheet in enumerate(writer.pages):
        sheet.merge_page(numbers.pages[i])

    # Bookmarks: cover, contents, then every page nested under its menu section.
    writer.add_outline_item(title="Bìa", page_number=0)
    writer.add_outline_item(title="Mục lục", page_number=min(1, front_pages - 1))
    parents: dict[int, object] = {}
    for ch in chapters:
        parent = parents.get(ch.depth - 1) if ch.depth else None
        parents[ch.depth] = writer.add_outline_item(title=ch.title, page_number=min(ch.start, total) - 1, parent=parent)
    writer.add_metadata({"/Title": cfg["site_name"], "/Subject": " ".join(cfg["site_description"].split()),
                         "/Creator": "sitekit.pdf (Chromium, pypdf)"})
    writer.page_mode = "/UseOutlines"
    # Document language, for screen readers and text extraction.
    writer._root_object[NameObject("/Lang")] = TextStringObject("vi")

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    with open(tmp, "wb") as fh:
        writer.write(fh)
    tmp.replace(out)
    return {"pages": total, "chapters": sum(1 for ch in chapters if ch.url), "out": str(out)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m sitekit.pdf",
                                 description="Dựng trang rồi in toàn bộ hướng dẫn thành một tệp PDF.")
    ap.add_argument("-o", "--output", default=DEFAULT_OUT, help=f"tệp PDF (mặc định {DEFAULT_OUT})")
    ap.add_argument("--site", help="dùng thư mục trang đã dựng sẵn thay vì dựng lại")
    ap.add_argument("--root", default=str(ROOT), help="thư mục dự án (có mkdocs.yml)")
    args = ap.parse_args(argv)
    root = Path(args.root).resolve()
    out = Path(args.output)
    out = out if out.is_absolute() else root / out

    with tempfile.TemporaryDirectory(prefix="kb-pdf-") as tmp:
        if args.site:
            site_dir = Path(args.site).resolve()
        else:
            from .__main__ import build

            site_dir = Path(tmp) / "site"
            if build(root, site_dir):
                print("Không tạo được PDF vì trang chưa dựng được (xem lỗi ở trên).", file=sys.stderr)
                return 1
        summary = make_pdf(site_dir, out, root)
    print(f"Đã tạo PDF: {summary['out']} ({summary['pages']} trang, {summary['chapters']} mục).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
