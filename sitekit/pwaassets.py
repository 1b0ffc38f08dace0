"""The installable web app's own files (sitekit/pwa.py builds the rest): the manifest in
Vietnamese, the icons (drawn with Pillow at build time, kept in .cache/), the page shown for a
page not saved yet, and the theme colour they share. Plain Python: no engine import."""

from __future__ import annotations

import hashlib
import html
import json
import re
from pathlib import Path

from .issues import BuildError
from .project import cache_path, write_cache

BACKGROUND_COLOR = "#ffffff"  # Material's light scheme (--md-default-bg-color)
MANIFEST = "manifest.webmanifest"
PWA_DIR = "assets/pwa"
OFFLINE_PAGE = f"{PWA_DIR}/offline.html"  # under assets/: not a page of the site (no search, no sitemap)
ICONS = {  # file -> (size, maskable)
    f"{PWA_DIR}/icon-192.png": (192, False),
    f"{PWA_DIR}/icon-512.png": (512, False),
    f"{PWA_DIR}/icon-maskable-512.png": (512, True),
}


class PwaError(BuildError):
    """A problem that stops the build; the message is for editors, in Vietnamese."""


def palette_color(site: Path, primary: str) -> str:
    """The theme's primary colour (mkdocs.yml palette, e.g. indigo) as Material's CSS defines it."""
    pattern = re.compile(r"\[data-md-color-primary=" + re.escape(primary) + r"\]\{--md-primary-fg-color:(#[0-9a-fA-F]{3,8})")
    for css in sorted((site / "assets" / "stylesheets").glob("palette.*.css")):
        m = pattern.search(css.read_text(encoding="utf-8"))
        if m:
            return m.group(1).lower()
    raise PwaError(f"Không tìm thấy màu chủ đạo «{primary}» (theme.palette.primary trong mkdocs.yml) trong CSS của "
                   "giao diện Material; tệp kê khai ứng dụng (manifest) cần màu này. Hãy dùng một màu có sẵn của Material.")


def manifest(name: str, short_name: str, description: str, theme_color: str) -> dict:
    return {
        "name": name,
        "short_name": short_name,
        "description": description,
        "lang": "vi",
        "dir": "ltr",
        # Relative to this file, which sits at the site's root: right under any sub-path.
        "start_url": "index.html",
        "scope": "./",
        "display": "standalone",
        "theme_color": theme_color,
        "background_color": BACKGROUND_COLOR,
        "icons": [{"src": rel, "sizes": f"{size}x{size}", "type": "image/png",
                   "purpose": "maskable" if maskable else "any"} for rel, (size, maskable) in ICONS.items()],
    }


def write_manifest(site: Path, name: str, short_name: str, description: str, theme_color: str) -> None:
    data = manifest(name, short_name, " ".join(description.split()), theme_color)
    (site / MANIFEST).write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


# The header logo of the theme (Material's default, an open book with a reader), in 24x24 units:
# a head and two pages, each side a cubic curve. Drawn filled, white on the indigo background.
_HEAD = (12.0, 5.0, 3.0)
_BOOK = [((12, 11.54), (9.64, 9.35), (6.5, 8), (3, 8)), ((3, 8), (3, 8), (3, 19), (3, 19)),
         ((3, 19), (6.5, 19), (9.64, 20.35), (12, 22.54)), ((12, 22.54), (14.36, 20.35), (17.5, 19), (21, 19)),
         ((21, 19), (21, 19), (21, 8), (21, 8)), ((21, 8), (17.5, 8), (14.36, 9.35), (12, 11.54))]


def _bezier(p0, p1, p2, p3, steps=24):
    for i in range(steps + 1):
        t = i / steps
        a, b, c, d = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t ** 2, t ** 3
        yield (a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0], a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1])


def draw_icon(size: int, maskable: bool, color: str) -> bytes:
    """A square PNG: the logo in white on indigo. A maskable icon keeps the logo inside the
    central safe circle (40% radius) and fills the whole square, as phones crop it."""
    from io import BytesIO

    from PIL import Image, ImageDraw

    scale = 4  # drawn large, then reduced: smooth edges
    big = size * scale
    img = Image.new("RGB", (big, big), color)
    draw = ImageDraw.Draw(img)
    glyph = big * (0.5 if maskable else 0.72)  # the 24-unit box, in pixels
    unit = glyph / 24
    off = (big - glyph) / 2 + unit * 0.4  # the logo sits a little high in its box

    def pt(x, y):
        return (off - unit * 0.4 + x * unit, off + (y - 1.5) * unit)

    points = [pt(*p) for seg in _BOOK for p in _bezier(*seg)]
    draw.polygon(points, fill="#ffffff")
    cx, cy = pt(_HEAD[0], _HEAD[1])
    r = _HEAD[2] * unit
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill="#ffffff")
    out = BytesIO()
    img.resize((size, size), Image.LANCZOS).save(out, format="PNG", optimize=True)
    return out.getvalue()


def write_icons(site: Path, root: Path, color: str) -> None:
    """The icons, drawn once and kept in .cache/ (keyed by what they depend on)."""
    import PIL

    key = hashlib.sha256((Path(__file__).read_text(encoding="utf-8") + PIL.__version__ + color).encode()).hexdigest()[:16]
    for rel, (size, maskable) in ICONS.items():
        kept = cache_path(root, "pwa-icons", key, Path(rel).name)
        if kept.is_file():
            data = kept.read_bytes()
        else:
            data = draw_icon(size, maskable, color)
            write_cache(kept, data)
        dest = site / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)


OFFLINE_HTML = """<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="theme-color" content="{theme}">
<meta name="description" content="{description}">
<title>Chưa lưu trang này – {site}</title>
<style>
body{{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;
color:#1f2230;background:#fff;line-height:1.6}}
header{{background:{theme};color:#fff;padding:.8rem 1.2rem;font-weight:700}}
main{{max-width:38rem;margin:0 auto;padding:1.2rem}}
a{{color:#303fa1}}
</style>
</head>
<body>
<header>{site}</header>
<main>
<h1>Trang này chưa được lưu trên máy</h1>
<p>Máy đang không có mạng, và trang bạn mở chưa từng được đọc hay được lưu về máy.</p>
<p>Những trang đã đọc và ô tìm kiếm vẫn dùng được. Khi có mạng, hãy mở trang chủ và chọn
<strong>Tải toàn bộ để đọc khi mất mạng</strong> để đọc được mọi trang.</p>
<p><a id="kb-home" href="../../index.html">Về trang chủ</a> · <a href="javascript:history.back()">Quay lại</a></p>
</main>
<script>
// Served in place of any page, at any depth: the home link comes from the worker's scope.
if (navigator.serviceWorker) navigator.serviceWorker.getRegistration().then(function (r) {{
  if (r) document.getElementById("kb-home").href = r.scope + "index.html";
}});
</script>
</body>
</html>
"""


def write_offline_page(site: Path, site_name: str, description: str, theme_color: str) -> None:
    text = OFFLINE_HTML.format(site=html.escape(site_name), description=html.escape(" ".join(description.split())),
                               theme=theme_color)
    (site / OFFLINE_PAGE).write_text(text, encoding="utf-8")
