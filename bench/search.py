"""Search benchmark (issue 13): speed, index size and ranking quality of the site's search, for
bench/run.py. Everything runs in the browser on built sites; numbers go into BENCHMARKS.md.

- Speed, from disk (file://) in Chromium on a phone-sized screen: time from opening search to
  the index being ready, and from a query being typed to the first results in the list
  (`performance.now()` in the page), at 1x, at 1x with the CPU slowed 4x (CDP
  Emulation.setCPUThrottlingRate, a mid-range phone) and at the largest scale. Side by side:
  the prebuilt index (what the site ships) and the same worker building its index in the
  browser from the records (search_index.json without `config.kb`).
- Index size: search/search_index.json, raw and gzip-compressed (level 6, as a web host would).
- Quality: success@1, success@3 and MRR over tests/search_queries.yml, in Chromium from disk and
  over http, on a phone-sized screen, and in Firefox ESR from disk.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import statistics
from pathlib import Path

from sitekit import searcheval
from sitekit.localserve import serve

QUERIES = ["bồi dưỡng", "nghị định", "trung cấp", "nông thôn mới", "công chức",
           "van minh do thi", "171/2025", "hoc truc tuyem", "Hoà Hải", "xã có bao nhiêu cán bộ công chức"]
BARS = {"1x": 30, "1x, CPU 4x slower": 150, "median": 100, "worst": 250, "ready": 1.0}
# Measured with the same harness (sitekit/searcheval.py) on the site before issue 13, at commit
# 46f3e48: Material's lunr worker with the project's lunr.vi. Speed: BENCHMARKS.md of 2026-11-29.
BEFORE = {"quality": (0.695, 0.732, 0.746), "ready_100": 3.17, "median_100": 2043, "max_100": 4453,
          "ready_1": 0.19, "median_1": 17, "max_1": 33}

_TIME = """q => new Promise((resolve, reject) => {
    const input = document.querySelector('.md-search__input');
    const list = document.querySelector('.md-search-result__list');
    const fire = v => { input.value = v; input.dispatchEvent(new Event('input', {bubbles: true}));
                        input.dispatchEvent(new KeyboardEvent('keyup', {bubbles: true, key: 'a'})); };
    const go = () => {
        const t0 = performance.now();
        const obs = new MutationObserver(() => {
            if (list.children.length) { obs.disconnect(); resolve(performance.now() - t0); }
        });
        obs.observe(list, {childList: true});
        fire(q);
        setTimeout(() => { obs.disconnect(); reject(new Error('no results for ' + q)); }, 60000);
    };
    if (!list.children.length) { go(); return; }
    const clear = new MutationObserver(() => { if (!list.children.length) { clear.disconnect(); go(); } });
    clear.observe(list, {childList: true});
    fire('');
})"""


def latency(site: Path, browser, throttle: float = 1, rounds: int = 2) -> dict:
    """Index ready (s) and typing -> first results (ms), from disk, phone-sized screen."""
    ctx = browser.new_context(viewport=searcheval.PHONE, is_mobile=True, has_touch=True)
    page = ctx.new_page()
    if throttle != 1:
        ctx.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": throttle})
    page.goto((site / "index.html").as_uri(), wait_until="load")
    initial = re.search(r'class="md-search-result__meta">\s*(.*?)\s*<', (site / "index.html").read_text()).group(1)
    # Timed in the page, from the click on the search button to the list's text changing
    # (Material changes it when the worker reports ready): from disk the worker runs in an
    # iframe on the page's own thread and may finish inside the click.
    page.evaluate("""initial => { window.__kbReady = new Promise(resolve => {
        const meta = document.querySelector('.md-search-result__meta');
        let t0 = null;
        document.addEventListener('click', () => { if (t0 === null) t0 = performance.now(); }, true);
        const obs = new MutationObserver(() => {
            if (t0 !== null && meta.textContent.trim() !== initial) { obs.disconnect(); resolve(performance.now() - t0); }
        });
        obs.observe(meta, {childList: true, characterData: true, subtree: true});
    }); }""", initial)
    page.click("label.md-header__button[for='__search']")
    ready = page.evaluate("window.__kbReady") / 1000
    load = os.getloadavg()[0]
    times = [page.evaluate(_TIME, q) for _ in range(rounds) for q in QUERIES]
    results = page.evaluate("document.querySelectorAll('li.md-search-result__item').length")
    ctx.close()
    return {"ready": ready, "median_ms": statistics.median(times), "max_ms": max(times), "all": times,
            "load": (load + os.getloadavg()[0]) / 2, "results": results}


def index_size(site: Path) -> dict:
    raw = (site / "search" / "search_index.json").read_bytes()
    return {"raw": len(raw), "gzip": len(gzip.compress(raw, compresslevel=6, mtime=0)),
            "records": len(json.loads(raw)["docs"])}


def _without_prebuilt_index(site: Path) -> tuple[bytes, bytes]:
    """Drop `config.kb` (the worker then builds its index itself); returns the files to restore."""
    json_path, js_path = site / "search" / "search_index.json", site / "search" / "search_index.js"
    saved = (json_path.read_bytes(), js_path.read_bytes())
    data = json.loads(saved[0])
    del data["config"]["kb"]
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    json_path.write_text(text, encoding="utf-8")
    js_path.write_text("var __index = " + text, encoding="utf-8")
    return saved


def speed(sites: dict[int, Path], browser, log) -> dict:
    """{(variant, label): latency} for the largest scale, 1x and 1x throttled."""
    top = max(sites)
    cases = [("1×", sites[1], 1), ("1×, CPU 4× slower", sites[1], 4)]
    if top != 1:
        cases.append((f"{top}×", sites[top], 1))
    out = {}
    for variant in ("prebuilt", "in the browser"):
        saved = {}
        if variant != "prebuilt":
            saved = {s: _without_prebuilt_index(s) for s in {c[1] for c in cases}}
        try:
            for label, site, throttle in cases:
                out[(variant, label)] = latency(site, browser, throttle)
                r = out[(variant, label)]
                log(f"  search {variant}, {label}: ready {r['ready']:.2f}s, median {r['median_ms']:.0f} ms, "
                    f"max {r['max_ms']:.0f} ms")
        finally:
            for site, (j, s) in saved.items():
                (site / "search" / "search_index.json").write_bytes(j)
                (site / "search" / "search_index.js").write_bytes(s)
    return out


def quality(site: Path, browser, log) -> dict:
    queries = searcheval.load_queries()
    runs = {}

    def chromium(base: str, phone: bool = False):
        ctx = browser.new_context(viewport=searcheval.PHONE if phone else {"width": 1280, "height": 900},
                                  is_mobile=phone, has_touch=phone)
        page = ctx.new_page()
        searcheval.open_search(page, base + "index.html")
        pages = searcheval.run_queries(page, queries, base)
        ctx.close()
        return pages

    disk = site.as_uri() + "/"
    runs["Chromium, file://"] = chromium(disk)
    with serve(site) as base:
        runs["Chromium, http"] = chromium(base)
    runs["Chromium, file://, phone-sized screen"] = chromium(disk, phone=True)
    try:
        runs["Firefox ESR, file://"] = searcheval.run_firefox(disk, queries)["pages"]
    except (OSError, RuntimeError) as err:  # reported in BENCHMARKS.md, not hidden
        log(f"  Firefox ESR: {err}")
    scores = {name: searcheval.score(queries, pages) for name, pages in runs.items()}
    first = runs["Chromium, file://"]
    same = {name: pages == first for name, pages in runs.items()}
    for name, s in scores.items():
        log(f"  quality {name}: s@1 {s['success@1']:.3f}, s@3 {s['success@3']:.3f}, MRR {s['mrr']:.3f}")
    return {"scores": scores, "same": same, "n": len(queries)}


def report(speed_rows: dict, sizes: dict[int, dict], qual: dict) -> list[str]:
    md = ["## 3. Search (issue 13)\n",
          "The site's own search worker (`overrides/assets/javascripts/kb-search-worker.js`) with the "
          "index prebuilt at build time (`sitekit/searchindex.py`), in place of Material's lunr worker. "
          f"Chromium opens `index.html` from disk on a phone-sized screen, opens search and waits until "
          f"the index is ready, then types each of {len(QUERIES)} queries ({', '.join(QUERIES)}) twice and "
          "measures, in the page (`performance.now()`), the time from the query being typed to the first "
          "results in the list. Side by side, the same worker building its index in the browser from "
          "the records (the file without its prebuilt index). Bars (issue 13): 1× ≤ 30 ms; 1× with the "
          "CPU 4× slower ≤ 150 ms; 100×: index ready ≤ 1 s, ≤ 100 ms median, ≤ 250 ms worst.\n",
          "The machine is shared: the last column is the load average (1 min) while the row was "
          "measured; with 2 cores, a load above 2 means the browser waited for a core.\n",
          "| index | scale | index ready (s) | typing → results, median (ms) | worst (ms) | load average |",
          "|---|---|---:|---:|---:|---:|"]
    for (variant, label), r in speed_rows.items():
        md.append(f"| {variant} | {label} | {r['ready']:.2f} | {r['median_ms']:.0f} | {r['max_ms']:.0f} | "
                  f"{r['load']:.1f} |")
    md.append(f"| before issue 13: Material's lunr worker (BENCHMARKS.md of 2026-11-29, 5 queries) | 1× | "
              f"{BEFORE['ready_1']:.2f} | {BEFORE['median_1']} | {BEFORE['max_1']} | |")
    md.append(f"| before issue 13: Material's lunr worker (same) | 100× | {BEFORE['ready_100']:.2f} | "
              f"{BEFORE['median_100']} | {BEFORE['max_100']} | |")
    md.append("")
    md.append("Index size, `search/search_index.json` (the records in plain text and the prebuilt index; "
              "the offline copy inlines the same data into `search_index.js`):\n")
    md.append("| scale | records | raw | gzip |")
    md.append("|---|---:|---:|---:|")
    for n, s in sizes.items():
        md.append(f"| {n}× | {s['records']} | {s['raw'] / 1024:.0f} KiB | {s['gzip'] / 1024:.0f} KiB |")
    md.append("")
    md.append(f"Ranking quality over the {qual['n']} judged queries of `tests/search_queries.yml` (each names "
              "the pages that answer it; success@k: a wanted page among the first k result pages; MRR: mean "
              "of 1/rank of the first wanted page). Bars (tests/test_search_ranking.py): success@1 ≥ 0.90 "
              "and every query with a wanted page in the top 3.\n")
    md.append("| browser | success@1 | success@3 | MRR | same result pages as Chromium from disk |")
    md.append("|---|---:|---:|---:|---|")
    for name, s in qual["scores"].items():
        md.append(f"| {name} | {s['success@1']:.3f} | {s['success@3']:.3f} | {s['mrr']:.3f} | "
                  f"{'yes' if qual['same'][name] else 'NO'} |")
    b = BEFORE["quality"]
    md.append(f"| before issue 13 (Material's lunr worker, commit 46f3e48), Chromium, file:// and http | "
              f"{b[0]:.3f} | {b[1]:.3f} | {b[2]:.3f} | |")
    md.append("")
    misses = qual["scores"]["Chromium, file://"]["misses"]
    if misses:
        md.append("Queries whose first result is not a wanted page (rank of the first wanted page): "
                  + "; ".join(f"“{m['q']}” {m['rank']}" for m in misses) + ".\n")
    return md
