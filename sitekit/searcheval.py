"""Search quality over the judged query set (tests/search_queries.yml), measured in a real
browser on a built site: each query is typed into the site's own search box, and the order of
the result pages is read from the list the reader sees. Used by bench/run.py (numbers in
BENCHMARKS.md) and by tests/test_search_ranking.py (the bars).

Plain functions; the caller owns the browser. `run_queries` takes any Playwright page that
shows a page of the site (from file:// or over http) with the search box.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import unicodedata
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "tests" / "search_queries.yml"
FIREFOX = shutil.which("firefox-esr") or "/usr/bin/firefox-esr"
PHONE = {"width": 412, "height": 823}

# Opens the search dialog as the header's search button does (for browsers driven without
# Playwright's clicks).
_OPEN = """() => {
    const toggle = document.getElementById('__search');
    if (!toggle.checked) toggle.click();
    document.querySelector('input.md-search__input').focus();
}"""

# Types `q` into Material's search box the way a keyboard does (value, then a keyup event),
# after the box has been emptied and the list shows the placeholder again, then waits for the
# answer and returns, per result group (one per page), the page's address.
_RUN = """async q => {
    const input = document.querySelector('.md-search__input');
    const meta = document.querySelector('.md-search-result__meta');
    const list = document.querySelector('.md-search-result__list');
    const fire = v => { input.value = v; input.dispatchEvent(new Event('input', {bubbles: true}));
                        input.dispatchEvent(new KeyboardEvent('keyup', {bubbles: true, key: 'a'})); };
    const until = (test, what) => new Promise((resolve, reject) => {
        if (test()) return resolve();
        const obs = new MutationObserver(() => { if (test()) { obs.disconnect(); resolve(); } });
        obs.observe(meta.parentNode, {childList: true, subtree: true, characterData: true});
        setTimeout(() => { obs.disconnect(); reject(new Error('timeout: ' + what)); }, 60000);
    });
    const idle = meta.textContent.trim();
    fire('');
    await until(() => !list.children.length, 'empty list');
    const placeholder = meta.textContent.trim();
    fire(q);
    await until(() => meta.textContent.trim() !== placeholder, 'results for ' + q);
    return [...list.querySelectorAll(':scope > li.md-search-result__item')].map(li => {
        const a = li.querySelector('a.md-search-result__link');
        return {href: a.href, marks: [...li.querySelectorAll('mark')].map(m => m.textContent)};
    });
}"""


def load_queries(path: Path = QUERIES) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)["queries"]


def typed(query: dict) -> str:
    """The query as the keyboard sends it (decomposed Unicode when form: nfd)."""
    return unicodedata.normalize("NFD", query["q"]) if query.get("form") == "nfd" else query["q"]


def site_path(href: str, base: str) -> str:
    """'.../site/khoa-hoc/x.html?h=..#y' -> 'khoa-hoc/x.html' relative to the site's base URL."""
    path, root = unquote(urlsplit(href).path), unquote(urlsplit(base).path)
    return path[len(root):] if path.startswith(root) else path


def open_search(page, url: str) -> None:
    """Open `url` (a page of the site) and wait until the search index is ready."""
    page.goto(url, wait_until="load")
    button = page.locator("label.md-header__button[for='__search']")
    if button.is_visible():  # phone-sized screen: the search box opens from the header button
        button.click()
    else:
        page.locator("input.md-search__input").click()
    page.wait_for_function(
        "() => { const m = document.querySelector('.md-search-result__meta');"
        " return m && m.textContent.trim() !== '' && !/Initializing|khởi tạo/i.test(m.textContent); }",
        timeout=120_000)


def run_query(page, text: str, base: str) -> list[dict]:
    groups = page.evaluate(_RUN, text)
    return [{"page": site_path(g["href"], base), "marks": g["marks"]} for g in groups]


def run_queries(page, queries: list[dict], base: str) -> list[list[str]]:
    """Result pages, in order, for every query."""
    return [[g["page"] for g in run_query(page, typed(q), base)] for q in queries]


def run_firefox(base: str, queries: list[dict], viewport: dict | None = None) -> dict:
    """The queries in Firefox ESR (tests/firefox_search.mjs, puppeteer-core over WebDriver
    BiDi): {"pages": [[page...]...], "outside": [requests that left the site]}."""
    job = {"firefox": FIREFOX, "base": base, "queries": [typed(q) for q in queries], "run": _RUN,
           "open": _OPEN, "viewport": viewport or {"width": 1280, "height": 900}}
    proc = subprocess.run(["node", str(ROOT / "tests" / "firefox_search.mjs")], input=json.dumps(job),
                          capture_output=True, text=True, cwd=ROOT, timeout=600)
    if proc.returncode:
        raise RuntimeError(f"Firefox run failed:\n{proc.stderr[-3000:]}")
    out = json.loads(proc.stdout)
    return {"pages": [[site_path(g["href"], base) for g in groups] for groups in out["results"]],
            "outside": out["outside"]}


def rank_of(want: list[str], pages: list[str]) -> int | None:
    """1-based rank of the first wanted page, or None."""
    for i, page in enumerate(pages, 1):
        if page in want:
            return i
    return None


def score(queries: list[dict], results: list[list[str]]) -> dict:
    ranks = [rank_of(q["want"], pages) for q, pages in zip(queries, results, strict=True)]
    n = len(queries)
    return {
        "n": n,
        "success@1": sum(1 for r in ranks if r == 1) / n,
        "success@3": sum(1 for r in ranks if r is not None and r <= 3) / n,
        "mrr": sum(1 / r for r in ranks if r) / n,
        "misses": [{"q": q["q"], "kind": q["kind"], "rank": r, "want": q["want"], "got": pages[:3]}
                   for q, pages, r in zip(queries, results, ranks, strict=True) if r != 1],
    }
