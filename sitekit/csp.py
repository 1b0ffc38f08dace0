"""Content-Security-Policy of the built pages (issue 12).

The policy: scripts only from the site itself plus the exact inline scripts the theme writes
into each page (their SHA-256 hashes, computed from the finished page), no connection, frame,
font, image or style from another server, no plugins, no <base>, no form submission.

Where it applies: pages served over http(s). A page opened from disk (file://, the offline copy)
gets no policy, measured (issue 12 report): Material's search runs there through the
iframe-worker shim, which writes into a hidden iframe an inline script holding the absolute
file:// address of the search worker, that is, the folder the copy was unzipped into. No hash
can be known at build time for it, and with the policy search throws "importScripts is not
defined" and finds nothing. So the first script of <head> (itself before any other script)
adds the policy's <meta> unless the page comes from file:; a <meta> policy inserted into <head>
applies to everything after it. Palette switch, filters and search over http work with it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re

_INLINE = re.compile(r"<script(?![^>]*\bsrc\s*=)([^>]*)>(.*?)</script>", re.S | re.I)
_DATA_TYPE = re.compile(r"""\btype\s*=\s*["']?application/(?:ld\+)?json""", re.I)

DIRECTIVES = ("default-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:",
              "font-src 'self'", "connect-src 'self'", "worker-src 'self'", "frame-src 'self'",
              "media-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'none'")


def inline_hashes(html: str) -> list[str]:
    """CSP source expressions for every executable inline script of a page."""
    out = []
    for m in _INLINE.finditer(html):
        if _DATA_TYPE.search(m.group(1)):
            continue  # data, never executed
        digest = base64.b64encode(hashlib.sha256(m.group(2).encode("utf-8")).digest()).decode()
        if f"'sha256-{digest}'" not in out:
            out.append(f"'sha256-{digest}'")
    return out


def policy(hashes: list[str]) -> str:
    script = " ".join(["script-src 'self'", *hashes])
    return "; ".join([DIRECTIVES[0], script, *DIRECTIVES[1:]])


def loader(csp: str) -> str:
    """The first script of <head>: adds the policy unless the page is opened from disk."""
    return ("<script>if(location.protocol!==\"file:\"){var m=document.createElement(\"meta\");"
            "m.httpEquiv=\"Content-Security-Policy\";m.content=" + json.dumps(csp).replace("</", "<\\/")
            + ";document.head.appendChild(m)}</script>")


def apply(html: str) -> str:
    """The page with its policy loader right after <meta charset> (kept in the first 1024 bytes)."""
    m = _CHARSET.search(html) or _HEAD.search(html)
    if m is None:
        return html
    return html[:m.end()] + loader(policy(inline_hashes(html))) + html[m.end():]


_CHARSET = re.compile(r"<meta\s+charset=[^>]*>", re.I)
_HEAD = re.compile(r"<head\b[^>]*>", re.I)
