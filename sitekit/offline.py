"""The copy that is opened from disk (file://) with no network. Plain functions, called by the
sitekit plugin (plugin.py).

Material's `offline` plugin (enabled in mkdocs.yml for every build) inlines the search index
into search/search_index.js and loads an `iframe-worker` shim so search runs without a web
server. Left alone it takes that shim from a public CDN; mkdocs.yml instead points
`extra.polyfills` at assets/vendor/iframe-worker-shim.js, and this hook copies the file there
from the pinned npm package (package.json, installed by `npm ci` in `make setup`). The shim
only takes over when the page is opened from disk; over http Material's normal web worker runs.

Checks that stop the build (Vietnamese messages):
- the npm package is missing (search would silently not work from disk);
- a stylesheet, script, image or frame on a built page is loaded from another server.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from .issues import BuildError

SHIM_PACKAGE = Path("node_modules") / "iframe-worker"
SHIM_TARGET = Path("assets") / "vendor" / "iframe-worker-shim.js"
LICENSE_TARGET = Path("assets") / "vendor" / "iframe-worker-LICENSE.txt"

# Anything a browser fetches by itself when it renders a page. Plain links (<a href>) and
# <link rel="canonical|alternate|prev|next"> are not fetched and are allowed.
_EXTERNAL = rb"""\s*["']?\s*(?:https?:)?//"""
_FETCHED_TAG = re.compile(
    rb"<(?:script|img|iframe|frame|source|audio|video|embed|track|input)\b[^>]*?\s(?:src|srcset|poster|data)\s*="
    + _EXTERNAL, re.I)
_FETCHED_LINK = re.compile(
    rb"<link\b(?=[^>]*\brel=[\"']?(?:[^\"'>]*\s)?(?:stylesheet|preconnect|preload|modulepreload|prefetch|"
    rb"dns-prefetch|icon|manifest|apple-touch-icon)\b)[^>]*\bhref\s*=" + _EXTERNAL, re.I)
# What follows "url(" or "@import" in lower-cased text. The two words are found with str.find:
# one case-insensitive regex with a leading alternation scans every position of every page
# (42 ms of a 1.9 s build on 4.6 MB of HTML; bytes.lower, find and this match: 5 ms). Bytes,
# because str.lower of Vietnamese text alone takes 28 ms; the offsets are turned into lines
# of the decoded text by the caller.
_CSS_WORDS = (b"url(", b"@import")
_CSS_EXTERNAL_AFTER = re.compile(rb"""\s*["']?(?:https?:)?//""")


def _css_external(data: bytes):
    """(start, end) byte offsets of each url(//…) or @import //… in `data` (any letter case)."""
    low = data.lower()
    for word in _CSS_WORDS:
        i = low.find(word)
        while i >= 0:
            m = _CSS_EXTERNAL_AFTER.match(low, i + len(word))
            if m:
                yield i, m.end()
            i = low.find(word, i + 1)


def _fetching_tags(data: bytes):
    """(start, end) byte offsets of each tag in `data` that fetches from another server.

    Such a tag holds "//" before its first ">". So each "//" is taken back to the "<"s after the
    ">" before it, and the two patterns are tried only there: the same findings as running them
    from every "<" of the page, in a fifth of the time (11 ms of a 1.5 s build, BENCHMARKS.md).
    Like the patterns, it takes a ">" inside an attribute value for the tag's end: this is the
    backstop for what the theme and templates write; the pages' own content is parsed properly
    by the HTML policy (htmlpolicy.py)."""
    starts: set[int] = set()
    i = data.find(b"//")
    while i >= 0:
        tag_from = data.rfind(b">", 0, i) + 1
        lt = data.rfind(b"<", tag_from, i)
        while lt >= 0:
            starts.add(lt)
            lt = data.rfind(b"<", tag_from, lt)
        i = data.find(b"//", i + 2)
    done = 0  # like finditer: no match inside the one before
    for start in sorted(starts):
        if start < done:
            continue
        m = _FETCHED_TAG.match(data, start) or _FETCHED_LINK.match(data, start)
        if m:
            done = m.end()
            yield m.start(), m.end()



def check_config(root: Path, config) -> None:
    """Before the build: the shim is installed, and no configured asset comes from elsewhere."""
    shim = root / SHIM_PACKAGE / "shim" / "index.js"
    if not shim.is_file():
        raise BuildError(
            f"Thiếu tệp {SHIM_PACKAGE / 'shim' / 'index.js'} (gói npm iframe-worker). Không có tệp này, "
            "ô tìm kiếm sẽ không chạy khi mở trang từ máy (file://). Hãy chạy `make setup` "
            "(hoặc `npm ci`) rồi dựng lại.")
    for kind, urls in (("extra.polyfills", config.extra.get("polyfills", [])),
                       ("extra_javascript", config.extra_javascript), ("extra_css", config.extra_css)):
        for url in urls:
            if re.match(r"(?:https?:)?//", str(url)):
                raise BuildError(f"mkdocs.yml, mục {kind}: «{url}» tải từ máy chủ khác. Trang phải chạy "
                                  "được khi không có mạng; hãy cài gói (npm, có khóa phiên bản) và dùng tệp cục bộ.")


def finish_site(root: Path, site: Path) -> None:
    """After the build: copy the shim in, and stop if a built page fetches from elsewhere."""
    package = root / SHIM_PACKAGE
    (site / SHIM_TARGET).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(package / "shim" / "index.js", site / SHIM_TARGET)
    shutil.copyfile(package / "LICENSE", site / LICENSE_TARGET)

    problems = []
    for path in sorted(site.rglob("*")):
        if path.suffix not in (".html", ".css") or not path.is_file():
            continue
        data = path.read_bytes()
        spans = list(_css_external(data)) + (list(_fetching_tags(data)) if path.suffix != ".css" else [])
        found = [(data.count(b"\n", 0, start) + 1, data[start:end + 40].decode("utf-8", "replace"))
                 for start, end in spans]
        problems += [f"  - {path.relative_to(site)}, dòng {line}: {what}" for line, what in sorted(found)]
    if problems:
        raise BuildError(
            "Trang đã dựng tải nội dung từ máy chủ khác (bản dùng không cần mạng sẽ hỏng). Hãy tải tệp "
            "về thư mục docs/ và dẫn tới bản cục bộ:\n" + "\n".join(problems))
