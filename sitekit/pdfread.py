"""Reading the built site for the PDF (sitekit/pdf.py), in headless Chromium: the pages in the
order of the site's own menu (generated pages included; with navigation.prune each section is
read on one of its own pages, where it is open), and every page's article ready to be put into
one document.
"""

from __future__ import annotations

from pathlib import Path

# The menu as a list in reading order: pages ({url, depth}) and, for menu sections that have no
# page of their own, headings ({label, depth}). Depth 0 = top level. With navigation.prune a page's
# menu holds only the open section: every other section is one link ({pruned: url of its first
# page, depth}), and read_menu() opens that page to read the section there. Called with a depth,
# it reads only the open section at that depth (the one holding the current page).
_NAV_JS = """
(depth) => {
  const out = [];
  // A page of the built site (not an outside link), without its #anchor; else null.
  const local = (a) => {
    const url = a && new URL(a.getAttribute('href'), document.baseURI);
    if (!url || url.protocol !== 'file:' || !url.pathname.endsWith('.html')) return null;
    url.hash = '';
    return url.href;
  };
  const item = (li, depth) => {
    if (li.matches('.md-nav__item--pruned')) {
      const url = local(li.querySelector(':scope > a.md-nav__link[href]'));
      if (url) out.push({pruned: url, depth});
      return;
    }
    const own = li.querySelector(':scope > a.md-nav__link[href], :scope > .md-nav__container > a.md-nav__link[href]');
    const url = local(own);
    if (url) out.push({url, depth});
    const sub = li.querySelector(':scope > nav > ul.md-nav__list');
    if (!sub) return;
    if (!own) {
      const label = li.querySelector(':scope > label.md-nav__link');
      if (label) out.push({label: label.textContent.replace(/\\s+/g, ' ').trim(), depth});
    }
    walk(sub, depth + 1);
  };
  const walk = (list, depth) => {
    for (const li of list.children) if (li.matches('li.md-nav__item')) item(li, depth);
  };
  const root = document.querySelector('.md-nav--primary > ul.md-nav__list');
  if (root && depth === null) walk(root, 0);
  else if (root) {
    let list = root, open = null;
    for (let d = 0; list && d <= depth; d++) {
      open = [...list.children].find((li) => li.matches('li.md-nav__item--active'));
      if (!open) break;
      list = open.querySelector(':scope > nav > ul.md-nav__list');
    }
    if (open && !open.matches('.md-nav__item--pruned')) item(open, depth);
  }
  const sheets = [...document.querySelectorAll('link[rel=stylesheet]')].map((l) => l.href);
  const body = Object.fromEntries([...document.body.attributes].map((a) => [a.name, a.value]));
  return {menu: out, sheets, body};
}
"""

# One page's article, ready to go into the combined document (step 3 of sitekit/pdf.py).
# `chapters` maps the address of every page in the PDF to its chapter id ("c7"); ids inside
# chapter c7 become "c7-<id>".
_ARTICLE_JS = """
({id, depth, chapters}) => {
  const art = document.querySelector('.md-content article');
  if (!art) return null;
  const pre = id + '-';
  for (const d of art.querySelectorAll('details')) d.open = true;
  for (const el of art.querySelectorAll('.headerlink, script')) el.remove();
  const h1 = art.querySelector('h1');
  const title = (h1 ? h1.textContent : document.title).replace(/\\s+/g, ' ').trim();
  if (h1) h1.classList.add('kb-pdf-title');
  const ids = new Set();
  for (const el of art.querySelectorAll('[id]')) { ids.add(el.id); el.id = pre + el.id; }
  const own = (x) => (ids.has(x) ? pre + x : x);
  for (const name of ['aria-labelledby', 'aria-describedby', 'aria-controls', 'for', 'headers']) {
    for (const el of art.querySelectorAll(`[${name}]`))
      el.setAttribute(name, el.getAttribute(name).split(/\\s+/).map(own).join(' '));
  }
  for (const el of art.querySelectorAll('*')) {
    for (const at of [...el.attributes]) {
      if (at.value.includes('url(#')) {
        el.setAttribute(at.name, at.value.replace(/url\\(#([^)]+)\\)/g, (m, x) => `url(#${own(x)})`));
      } else if (/^(xlink:)?href$/.test(at.name) && at.value.startsWith('#') && el.localName !== 'a') {
        el.setAttribute(at.name, '#' + own(at.value.slice(1)));
      }
    }
  }
  // Links: outside addresses stay (the print stylesheet writes them out); a page of the guide
  // becomes a jump to its chapter; any other local address (a download) becomes plain text.
  for (const a of art.querySelectorAll('a[href]')) {
    const href = a.getAttribute('href');
    if (/^(https?:|mailto:)/i.test(href)) continue;
    const url = new URL(href, document.baseURI);
    const hash = decodeURIComponent(url.hash.slice(1));
    url.hash = '';
    const target = chapters[url.href];
    if (target) a.setAttribute('href', '#' + (hash ? `${target}-${hash}` : target));
    else { a.removeAttribute('href'); a.style.textDecoration = 'none'; }
  }
  for (const el of art.querySelectorAll('[src]')) el.setAttribute('src', el.src);
  for (const el of art.querySelectorAll('[srcset]')) el.removeAttribute('srcset');
  for (const h of [...art.querySelectorAll('h1, h2, h3, h4, h5, h6')]) {
    const walker = document.createTreeWalker(h, NodeFilter.SHOW_TEXT);
    for (let t = walker.nextNode(); t; t = walker.nextNode()) t.data = t.data.replace(/\\s+/g, ' ');
    const level = Math.min(6, Number(h.localName[1]) + depth);
    if (level === Number(h.localName[1])) continue;
    const moved = document.createElement('h' + level);
    for (const at of h.attributes) moved.setAttribute(at.name, at.value);
    moved.replaceChildren(...h.childNodes);
    h.replaceWith(moved);
  }
  return {title, html: art.innerHTML};
}
"""


def read_menu(page, menu: list[dict]) -> list[dict]:
    """The whole menu in reading order: each section that a page's menu leaves as one link
    (navigation.prune) is read on its own first page, where it is open, and put in its place.
    A page listed twice (a section's index page, say) counts once, where it first comes."""
    out, seen, opened = [], set(), set()
    todo = list(menu)
    while todo:
        item = todo.pop(0)
        if "pruned" not in item:
            url = item.get("url")  # headings (labels) have none
            if not url or url not in seen:
                out.append(item)
                seen.add(url)
            continue
        # The section must come out open on its own page, starting at its own depth; otherwise
        # its pages would be left out of the PDF without a word (or read again and again).
        section = [] if item["pruned"] in opened else _open_section(page, item)
        if not section or section[0]["depth"] != item["depth"] or "pruned" in section[0]:
            raise RuntimeError(f"Không đọc được mục {item['pruned']} của mục lục (menu) trên chính trang đó.")
        opened.add(item["pruned"])
        todo[:0] = section
    return out


def _open_section(page, item: dict) -> list[dict]:
    page.goto(item["pruned"], wait_until="load")
    return page.evaluate(_NAV_JS, item["depth"])["menu"]


def read_site(page, site_dir: Path) -> tuple[dict, list[dict]]:
    """The site's stylesheets and body attributes, and every page of its menu as a chapter."""
    index = (site_dir / "index.html").resolve()
    if not index.exists():
        raise FileNotFoundError(f"Không thấy trang đã dựng: {index}")
    page.goto(index.as_uri(), wait_until="load")
    shell = page.evaluate(_NAV_JS, None)
    menu = read_menu(page, shell.pop("menu"))
    chapters = [{"id": f"c{n}", "depth": item["depth"], "url": item.get("url", ""), "title": item.get("label", "")}
                for n, item in enumerate(menu, start=1)]
    if not any(c["url"] for c in chapters):
        raise RuntimeError("Không đọc được mục lục (menu) của trang đã dựng.")
    ids = {c["url"]: c["id"] for c in chapters if c["url"]}
    for c in [c for c in chapters if c["url"]]:
        page.goto(c["url"], wait_until="load")
        article = page.evaluate(_ARTICLE_JS, {"id": c["id"], "depth": c["depth"], "chapters": ids})
        if article is None:
            raise RuntimeError(f"Trang {c['url']} không có phần nội dung (article) để in.")
        c.update(article)
    return shell, chapters
