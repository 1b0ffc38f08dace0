"""The HTML a page may publish (issue 12), checked at build time with a real HTML parser.

Refused, with file and line: scripts, frames, objects, embeds, <base>, <meta>, <link> in a
page; event-handler attributes (on...); javascript:, vbscript: and data: links; and every
resource URL that leaves the site (src, srcset, poster, data, background, SVG href/xlink:href,
CSS url() in style attributes and <style>, ping, formaction, action). A resource URL may be a
relative path or a data:image URL of a raster image; nothing else.
Allowed: plain outbound links (<a href="https://...">), which get rel="external noopener".

The checked HTML is a page's content (what its Markdown and its macros produce), before the
theme wraps it: the theme's own markup is the theme's. `Verdicts` remembers the pages found
clean, so that an unchanged page is not parsed again on the next build.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

from .issues import Issue
from .project import code_digest, keep, read_kept

FORBIDDEN_TAGS = frozenset({"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base",
                            "meta", "link", "portal", "noscript", "template"})
# Attributes whose value is a URL the browser fetches by itself.
RESOURCE_ATTRS = frozenset({"src", "srcset", "poster", "data", "background", "lowsrc", "dynsrc", "ping",
                            "formaction", "action", "codebase", "archive", "imagesrcset", "manifest", "icon"})
LINK_TAGS = frozenset({"a", "area"})
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_CSS_URL = re.compile(r"url\s*\(\s*(['\"]?)(.*?)\1\s*\)|@import\s+(['\"])(.*?)\3", re.I | re.S)
_RASTER = re.compile(r"^data:image/(png|jpeg|gif|webp|avif)[;,]")


def _clean(url: str) -> str:
    """The URL as a browser reads it: no ASCII whitespace or control characters, \\ as /."""
    return re.sub(r"[\x00-\x20\x7f]", "", url).replace("\\", "/").lower()


def resource_ok(url: str) -> bool:
    """A resource URL that stays on the site: relative, or a raster data: image."""
    u = _clean(url)
    if _RASTER.match(u):
        return True
    return not (_SCHEME.match(u) or u.startswith("//"))


def link_kind(url: str) -> str:
    """'bad' (javascript:, vbscript:, data:, file:), 'external' (http(s), mailto, tel) or 'internal'."""
    u = _clean(url)
    m = _SCHEME.match(u)
    if m:
        return "external" if m.group(1) in ("http", "https", "mailto", "tel") else "bad"
    return "external" if u.startswith("//") else "internal"


def _srcset_urls(value: str) -> list[str]:
    return [part.strip().split()[0] for part in value.split(",") if part.strip()]


def css_urls(css: str) -> list[str]:
    return [m.group(2) if m.group(2) is not None else m.group(4) for m in _CSS_URL.finditer(css)]


class _Policy(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[tuple[tuple[int, int], str, str, str]] = []  # (pos, what, needle, found)
        self.external: list[tuple[int, int]] = []  # positions of <a> start tags to mark
        self.in_style = False

    def _bad(self, what: str, needle: str, found: str):
        self.problems.append((self.getpos(), what, needle, found[:120]))

    def handle_starttag(self, tag, attrs):
        self._tag(tag, attrs)

    def handle_startendtag(self, tag, attrs):
        self._tag(tag, attrs)

    def _tag(self, tag, attrs):
        if tag in FORBIDDEN_TAGS:
            self._bad(f"Trang có thẻ <{tag}>: trang không được chứa mã chạy, khung nhúng hay thẻ tải tài nguyên.",
                      f"<{tag}", self.get_starttag_text() or f"<{tag}>")
            return
        self.in_style = tag == "style"
        external_link = False
        for name, value in attrs:
            external_link = self._attr(tag, name, value or "") or external_link
        if tag == "a" and external_link and not any(n == "rel" for n, _ in attrs):
            self.external.append(self.getpos())

    def _attr(self, tag: str, name: str, value: str) -> bool:
        """Check one attribute; True when it is a link that leaves the site."""
        if name.startswith("on"):
            self._bad(f"Thẻ <{tag}> có thuộc tính sự kiện {name}= (mã JavaScript).", name, f'{name}="{value}"')
        elif name in ("href", "xlink:href") and tag in LINK_TAGS:
            kind = link_kind(value)
            if kind == "bad":
                self._bad(f"Liên kết dùng địa chỉ {_clean(value).split(':')[0]}: (chạy mã hoặc mở dữ liệu nhúng).",
                          value[:30], f'href="{value}"')
            return kind == "external"
        elif name in ("href", "xlink:href"):  # SVG <image>, <use>, <feImage>...: fetched
            if not resource_ok(value):
                self._bad(f"Thẻ <{tag}> tải tài nguyên từ máy chủ khác ({name}).", value[:30], f'{name}="{value}"')
        elif name in RESOURCE_ATTRS:
            urls = _srcset_urls(value) if name.endswith("srcset") else [value]
            for url in urls:
                if not resource_ok(url):
                    self._bad(f"Thẻ <{tag}> tải tài nguyên từ máy chủ khác ({name}=); trang phải đọc được khi "
                              "không có mạng.", url[:30], f'{name}="{value}"')
        elif name == "style":
            for url in css_urls(value):
                if not resource_ok(url):
                    self._bad("Thuộc tính style tải tài nguyên từ máy chủ khác (url()).", url[:30], value)
        return False

    def handle_endtag(self, tag):
        if tag == "style":
            self.in_style = False

    def handle_data(self, data):
        if self.in_style:
            for url in css_urls(data):
                if not resource_ok(url):
                    self._bad("Khối <style> tải tài nguyên từ máy chủ khác (url() hoặc @import).", url[:30], url)


def _source_line(source: str | None, needle: str, html_line: int) -> int | None:
    if not source:
        return None
    low = needle.lower()
    for n, line in enumerate(source.splitlines(), 1):
        if low and (low in line.lower() or low in html.unescape(line).lower()):
            return n
    return None


def _offsets(html_text: str, positions: list[tuple[int, int]]) -> list[int]:
    """Where ' rel="external noopener"' goes: just after the "<a" of each (line, column) start tag."""
    if not positions:
        return []
    starts = [0]
    for m in re.finditer("\n", html_text):
        starts.append(m.end())
    return [starts[line - 1] + col + len("<a") for line, col in positions]


def _mark_external(html_text: str, offsets: list[int]) -> str:
    if not offsets:
        return html_text
    out, last = [], 0
    for at in offsets:
        out.append(html_text[last:at])
        out.append(' rel="external noopener"')
        last = at
    out.append(html_text[last:])
    return "".join(out)


def _scan(html_text: str, file: str, source: str | None) -> tuple[list[int], list[Issue]]:
    p = _Policy()
    p.feed(html_text)
    p.close()
    issues = [Issue(file=file, line=_source_line(source, needle, pos[0]), what=what, found=found,
                    expected="chữ, liên kết và hình ảnh nằm trong trang (địa chỉ tương đối)",
                    fix="Xóa đoạn HTML này. Hình ảnh: chép tệp vào docs/ rồi dẫn bằng đường dẫn tương đối; "
                        "liên kết ra ngoài: dùng [chữ](https://...) bình thường.",
                    detail="HTML policy")
              for pos, what, needle, found in p.problems]
    return _offsets(html_text, p.external), issues


def check(html_text: str, file: str, source: str | None = None) -> tuple[str, list[Issue]]:
    """(the page's HTML with outbound links marked, problems). `source` is the page file's text,
    to find the line of each problem from the top of the file."""
    offsets, issues = _scan(html_text, file, source)
    return _mark_external(html_text, offsets), issues


# This module's source as imported (the code that runs), and the Python version: html.parser is
# the standard library's, and how it reads markup changes between Python releases.
_CODE = code_digest(__file__)


def _page_key(html_text: str) -> str:
    return hashlib.sha256(html_text.encode("utf-8", "surrogatepass")).hexdigest()


class Verdicts:
    """`check` that remembers clean pages between builds, in one JSON file in .cache/.

    Parsing every page's HTML again is most of the check's cost (about 50 ms of a 1.9 s build, 77 pages);
    a page whose HTML is the very same string as in an earlier build, checked by the same
    version of this module, had no problem then and has none now. Only clean pages are kept,
    each as the sha256 of its HTML and the offsets where `check` inserts rel="external
    noopener", so a kept page gives the same output as a fresh check without being parsed.
    A page with a problem is checked, and reported, on every build.

    `path` None keeps nothing (every page is checked). The file is read once, here, and written
    once by `save` with only the pages of this build, so it does not grow with old pages; a
    damaged or unreadable file is not trusted, a read-only checkout keeps nothing."""

    def __init__(self, path: Path | None):
        self.path = path
        self.kept: dict[str, list[int]] = {}
        self.used: dict[str, list[int]] = {}
        body = read_kept(path, _CODE)  # this module's digest, and the pages' own digest
        try:
            self.kept = json.loads(body) if body else {}
        except ValueError:
            self.kept = {}

    def check(self, html_text: str, file: str, source: str | None = None) -> tuple[str, list[Issue]]:
        """The same as the module's `check`, without parsing a page kept clean by an earlier build."""
        if self.path is None:
            return check(html_text, file, source)
        key = _page_key(html_text)
        offsets = self.kept.get(key)
        if offsets is None:
            offsets, issues = _scan(html_text, file, source)
            if issues:
                return _mark_external(html_text, offsets), issues
        self.used[key] = offsets
        return _mark_external(html_text, offsets), []

    def save(self) -> None:
        """After the pages of a build: keep the clean pages it checked (a write only if changed)."""
        if self.path is not None and self.used != self.kept:
            keep(self.path, _CODE, json.dumps(self.used, separators=(",", ":")).encode("utf-8"))
