"""The HTML a page may publish (issue 12), checked at build time with a real HTML parser.

Refused, with file and line: scripts, frames, objects, embeds, <base>, <meta>, <link> in a
page; event-handler attributes (on...); javascript:, vbscript: and data: links; and every
resource URL that leaves the site (src, srcset, poster, data, background, SVG href/xlink:href,
CSS url() in style attributes and <style>, ping, formaction, action). A resource URL may be a
relative path or a data:image URL of a raster image; nothing else.
Allowed: plain outbound links (<a href="https://...">), which get rel="external noopener".

The checked HTML is a page's content (what its Markdown and its macros produce), before the
theme wraps it: the theme's own markup is the theme's.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from .issues import Issue

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


def _mark_external(html_text: str, positions: list[tuple[int, int]]) -> str:
    if not positions:
        return html_text
    starts = [0]
    for m in re.finditer("\n", html_text):
        starts.append(m.end())
    out, last = [], 0
    for line, col in positions:
        at = starts[line - 1] + col + len("<a")
        out.append(html_text[last:at])
        out.append(' rel="external noopener"')
        last = at
    out.append(html_text[last:])
    return "".join(out)


def check(html_text: str, file: str, source: str | None = None) -> tuple[str, list[Issue]]:
    """(the page's HTML with outbound links marked, problems). `source` is the page file's text,
    to find the line of each problem from the top of the file."""
    p = _Policy()
    p.feed(html_text)
    p.close()
    issues = [Issue(file=file, line=_source_line(source, needle, pos[0]), what=what, found=found,
                    expected="chữ, liên kết và hình ảnh nằm trong trang (địa chỉ tương đối)",
                    fix="Xóa đoạn HTML này. Hình ảnh: chép tệp vào docs/ rồi dẫn bằng đường dẫn tương đối; "
                        "liên kết ra ngoài: dùng [chữ](https://...) bình thường.",
                    detail="HTML policy")
              for pos, what, needle, found in p.problems]
    return _mark_external(html_text, p.external), issues
