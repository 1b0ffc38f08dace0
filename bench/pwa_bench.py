"""Offline on a phone (issue 16): what the service worker keeps, and how long saving the whole
site takes. Called by bench/run.py for the 1x and 100x sites; alone:

    python bench/pwa_bench.py --site DIR --scale N [--site DIR --scale N ...]

For each built site, served gzip-compressed from 127.0.0.1 (sitekit/localserve.py) to Debian's
Chromium in a fresh context (a phone-sized viewport):
- the precached shell: its files as listed in sw.js, bytes and gzip bytes (the budget);
- after the first visit to the home page: what the browser's caches hold (Cache API, bodies
  as stored), split into the precache and the runtime cache;
- "Tải toàn bộ để đọc khi mất mạng": the time from the click to "Đã lưu toàn bộ", the files
  and the bytes saved, and what the caches hold afterwards.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from common import CHROMIUM, CHROMIUM_ARGS, ROOT, serve  # noqa: E402

sys.path.insert(0, str(ROOT))
from sitekit import pwa  # noqa: E402

CACHE_SIZES = """async () => {
  const out = {};
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    let bytes = 0, files = 0;
    for (const req of await cache.keys()) { bytes += (await (await cache.match(req)).blob()).size; files += 1; }
    out[name.startsWith('workbox-precache') ? 'precache' : 'runtime'] = {files, bytes};
  }
  return out;
}"""



def wait_until(page, expression: str, seconds: float) -> None:
    """page.wait_for_function without its in-page eval, which the pages' Content-Security-Policy
    refuses (no 'unsafe-eval'): the expression is evaluated through DevTools, every 0.1 s."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise TimeoutError(expression)
        time.sleep(0.1)

def shell(site: Path) -> dict:
    urls = re.findall(r'\{url:"([^"]+)",revision:', (site / pwa.SW).read_text(encoding="utf-8"))
    scan = pwa.scan_site(site)
    files = [scan.files[u] for u in urls]
    pwa.compressed_sizes(site, site.parent, files)
    return {"files": len(files), "bytes": sum(f.size for f in files), "gzip": sum(f.gzip_size for f in files)}


def measure(site: Path, browser) -> dict:
    result = {"shell": shell(site), "summary": json.loads((site / pwa.SUMMARY_JSON).read_text())}
    with serve(site) as base:
        ctx = browser.new_context(viewport={"width": 412, "height": 823}, is_mobile=True, has_touch=True)
        page = ctx.new_page()
        page.goto(base + "index.html", wait_until="load")
        wait_until(page, "navigator.serviceWorker.controller !== null", 120)
        # The first visit's page and search index are fetched again through the worker (kb-pwa.js).
        deadline = time.monotonic() + 300
        while not page.evaluate("""async () => {
            for (const n of await caches.keys()) if (!n.startsWith('workbox')) {
              const c = await caches.open(n);
              return !!(await c.match('search/search_index.json')) && !!(await c.match('index.html'));
            }
            return false; }"""):
            if time.monotonic() > deadline:
                raise SystemExit(f"{site}: the first visit did not cache the page and the search index")
            page.wait_for_timeout(200)
        result["first_visit"] = page.evaluate(CACHE_SIZES)
        page.locator(".kb-pwa summary").click()
        page.locator(".kb-pwa__size").filter(has_text="tệp").wait_for()
        t = time.perf_counter()
        page.locator(".kb-pwa__save").click()
        wait_until(page, "/Đã lưu toàn bộ|Chưa lưu|Không tải/.test(document.querySelector('.kb-pwa__status').textContent)",
                   1800)
        result["save_s"] = time.perf_counter() - t
        result["save_status"] = page.locator(".kb-pwa__status").text_content()
        result["saved"] = page.evaluate(CACHE_SIZES)
        ctx.close()
    return result


def mib(b: int) -> str:
    return f"{b / 2**20:.2f} MiB"


def markdown(results: dict[int, dict]) -> list[str]:
    md = ["## 6. Offline on a phone (service worker)\n",
          "Each site served gzip-compressed from 127.0.0.1 to Chromium (fresh profile, phone viewport). "
          "Shell = the files sw.js precaches on the first visit (Workbox, `workbox-build`), sizes from the "
          f"files; budget: at most {pwa.SHELL_BUDGET_GZIP / 1e6:.1f} MB gzip, the same at every scale. "
          "First visit = what the browser's caches hold (Cache API, bodies as stored, i.e. uncompressed) "
          "after opening the home page once: the shell, that page and the search index (which every page "
          "downloads once it has loaded, assets/kb-index-later.js; kept so that search works offline). Save = "
          "\"Tải toàn bộ để đọc khi mất mạng\": time from the click to \"Đã lưu toàn bộ\" (4 downloads at a "
          "time, local server, no network throttling), and the caches afterwards.\n",
          "| scale | shell files | shell (gzip) | shell (bytes) | first visit: cached | save: files | save: download (gzip) "
          "| save: time (s) | after save: cached |",
          "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for n, r in results.items():
        first = sum(v["bytes"] for v in r["first_visit"].values())
        saved = sum(v["bytes"] for v in r["saved"].values())
        ok = "" if "Đã lưu toàn bộ" in r["save_status"] else f" ({r['save_status']})"
        md.append(f"| {n}× | {r['shell']['files']} | {mib(r['shell']['gzip'])} | {mib(r['shell']['bytes'])} | "
                  f"{mib(first)} | {r['summary']['files']} | {mib(r['summary']['gzip_bytes'])} | "
                  f"{r['save_s']:.1f}{ok} | {mib(saved)} |")
    md.append("")
    sizes = {n: r["shell"]["gzip"] for n, r in results.items()}
    within = all(s <= pwa.SHELL_BUDGET_GZIP for s in sizes.values())
    same = len(set(sizes.values())) == 1
    md.append(f"Shell against the budget: {'within' if within else 'ABOVE'} "
              f"({', '.join(f'{n}×: {mib(s)}' for n, s in sizes.items())}); "
              f"{'the same at every scale' if same else 'NOT the same at every scale'}. Beyond the shell, the "
              "first visit keeps the page opened and the search index; the index grows with the pages (it is "
              "the text of every page, and Material asks for it on every visit, after the page, with or without the worker). "
              "Every other page is kept only once read, or when the reader chooses to save the whole site, "
              "after being shown the size.\n")
    return md


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--site", action="append", required=True, help="a built site (repeat for several)")
    ap.add_argument("--scale", type=int, action="append", help="its data scale (bench/synth.py), for the table")
    args = ap.parse_args(argv)
    scales = args.scale or list(range(1, len(args.site) + 1))
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        results = {n: measure(Path(s), browser) for n, s in zip(scales, args.site, strict=False)}
        browser.close()
    print(json.dumps(results, indent=1, ensure_ascii=False))
    print("\n".join(markdown(results)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
