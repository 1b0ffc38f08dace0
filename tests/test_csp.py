"""Content-Security-Policy of the built site (sitekit/csp.py): served over http, every page
carries a policy that lets only the site's own scripts and the theme's hashed inline scripts run
and connects nowhere else, and palette switch, catalogue filters and search still work with it
and raise no violation. Opened from disk (file://) there is no policy: the offline search shim
needs an inline script no build can hash (see sitekit/csp.py); test_offline_search.py covers it.
"""

from __future__ import annotations

from conftest import html_pages, read_page

from sitekit import csp
from sitekit.localserve import serve


def test_policy_hashes_inline_scripts_and_skips_data():
    page = ('<html><head><meta charset="utf-8"><script>var a=1</script>'
            '<script id="__config" type="application/json">{"x":1}</script><script src="x.js"></script></head></html>')
    out = csp.apply(page)
    assert out.index("<script>if(location.protocol") == page.index("<script>var a=1")  # right after charset
    hashes = csp.inline_hashes(page)
    assert len(hashes) == 1 and hashes[0] in out
    assert "connect-src 'self'" in out and "object-src 'none'" in out and "'unsafe-inline'" not in out.split("style-src")[0]


def test_every_page_has_a_policy_loader(site):
    for p in html_pages(site):
        head = read_page(site, p.relative_to(site).as_posix())[:1024]
        assert "Content-Security-Policy" in head, p


def test_policy_holds_and_site_works_over_http(site, browser):
    violations, errors = [], []
    with serve(site) as base:
        page = browser.new_page()
        page.on("console", lambda m: violations.append((page.url, m.text)) if "Content Security Policy" in m.text else None)
        page.on("pageerror", lambda e: errors.append((page.url, str(e))))
        for p in html_pages(site):
            page.goto(base + p.relative_to(site).as_posix(), wait_until="load")
            assert page.evaluate("!!document.querySelector('meta[http-equiv=Content-Security-Policy]')"), p
        assert not violations, violations[:5]
        # An injected inline script does not run.
        page.goto(base + "index.html", wait_until="load")
        ran = page.evaluate("() => { const s = document.createElement('script'); s.textContent = 'window.__kbx = 1';"
                            " document.body.appendChild(s); return window.__kbx === 1 }")
        assert ran is False
        violations.clear()
        # Palette switch, catalogue filter and search keep working under the policy.
        page.goto(base + "khoa-hoc/index.html", wait_until="load")
        before = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
        page.click("form[data-md-component=palette] label:visible")
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") != before
        rows = page.locator("table tbody tr:visible").count()
        page.select_option("#kb-loc-cap", index=1)
        page.wait_for_timeout(300)
        assert 0 < page.locator("table tbody tr:visible").count() < rows
        page.keyboard.press("s")
        page.keyboard.type("dao tao")
        page.wait_for_selector(".md-search-result__item", timeout=10000)
        assert page.locator(".md-search-result__item").count() > 0
        assert not violations and not errors, (violations, errors)
        page.close()
