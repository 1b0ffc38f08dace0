"""Rendering helpers shared by the macros: links relative to the current page, figure spans,
and Jinja templates from `overrides/kb/`.

Links produced for Markdown are written as links to `.md` sources, so MkDocs checks them in
strict mode like any link an editor types.
"""

from __future__ import annotations

import difflib
import html
import re
from pathlib import Path

import jinja2
from mkdocs.utils import get_relative_url

from . import fmt
from .data import ROOT, Figure, SiteData

TEMPLATES = Path("overrides") / "kb"
OPS = {"sum": " + ", "difference": " − ", "share": " / ", "ratio": " / ", "remainder": " − "}

# Where generated pages live; hooks.py creates them under these folders.
PROGRAMME_DIR = "khoa-hoc"
DOCUMENT_DIR = "van-ban"
SOLUTION_DIR = "giai-phap"
SOURCES_PAGE = "gioi-thieu/nguon.md"


def src_to_dest(src: str) -> str:
    return src[:-3] + ".html" if src.endswith(".md") else src


class _Undefined(jinja2.StrictUndefined):
    """Missing optional keys test as false in `{% if %}`, but printing one is an error."""

    def __bool__(self):
        return False


class Renderer:
    def __init__(self, data: SiteData, page_getter, root=ROOT):
        self.data = data
        self._page = page_getter
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(Path(root) / TEMPLATES)),
            autoescape=jinja2.select_autoescape(["html"]),
            undefined=_Undefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
        )
        self.env.globals.update(kb=data, r=self, fmt=fmt)
        # ids | map('extract', kb.figures) -> the records those ids name
        self.env.filters["extract"] = lambda key, collection: collection[key]

    # -- lookups ---------------------------------------------------------------------------
    @staticmethod
    def unknown(what: str, key, universe, file: str) -> str:
        close = difflib.get_close_matches(str(key), [str(k) for k in universe], n=1)
        hint = f" Có phải ý bạn là \"{close[0]}\"?" if close else ""
        return f"Không có {what} mã \"{key}\" trong {file}.{hint} Sửa mã trong trang, hoặc thêm mục vào {file}."

    def get(self, collection: dict, what: str, key: str, file: str) -> dict:
        if key not in collection:
            from macros import MacroError  # the error type editors see from every macro

            raise MacroError(self.unknown(what, key, collection, file))
        return collection[key]

    # -- links -----------------------------------------------------------------------------
    def page_src(self) -> str:
        page = self._page()
        return page.file.src_uri if page is not None else "index.md"

    def rel(self, target_src: str) -> str:
        """Path of a Markdown source relative to the current page, for a Markdown link."""
        return get_relative_url(target_src, self.page_src())

    def md_link(self, target_src: str, text: str, anchor: str = "") -> str:
        rel = get_relative_url(target_src, self.page_src())
        text = text.replace("[", "(").replace("]", ")")
        return f"[{text}]({rel}{'#' + anchor if anchor else ''})"

    def href(self, target_src: str, anchor: str = "") -> str:
        rel = get_relative_url(src_to_dest(target_src), src_to_dest(self.page_src()))
        return rel + ("#" + anchor if anchor else "")

    def programme_src(self, p) -> str:
        return f"{PROGRAMME_DIR}/{p['id']}.md"

    def document_src(self, d) -> str:
        return f"{DOCUMENT_DIR}/{d['id']}.md"

    def solution_src(self, s) -> str:
        return f"{SOLUTION_DIR}/{s['id']}.md"

    def document_name(self, d, full: bool = False) -> str:
        kind = self.data.document_labels["kinds"][d["kind"]]
        name = f"{kind} {d['number']}" if d["number"] else d["title"]
        if full and d["number"]:
            name += f" – {d['title']}"
        return name

    def document_link(self, d, full: bool = False) -> str:
        return self.md_link(self.document_src(d), self.document_name(d, full))

    def programme_link(self, p) -> str:
        return self.md_link(self.programme_src(p), p["name"])

    def solution_name(self, s, short: bool = False) -> str:
        return f"giải pháp {s['number']}" if short else f"Giải pháp {s['number']}: {s['title']}"

    def solution_link(self, s, short: bool = False) -> str:
        return self.md_link(self.solution_src(s), self.solution_name(s, short))

    def source_short(self, s) -> str:
        who = s.get("organisation") or s.get("site") or s["title"]
        when = fmt.date(s["date"]) if s.get("date") else (str(s["year"]) if s.get("year") else "")
        return f"{who}, {when}" if when else who

    def source_link(self, s) -> str:
        return self.md_link(SOURCES_PAGE, self.source_short(s), "src-" + s["id"])

    @staticmethod
    def event_when(e) -> str:
        if e.get("date"):
            return fmt.date(e["date"])
        return e.get("when") or str(e["year"])

    # -- figures ---------------------------------------------------------------------------
    def derivation(self, f: Figure) -> str:
        parts = [fmt.figure_text(self.data.figures[i]) for i in f.inputs]
        expr = OPS[f.op].join(parts)
        if f.op == "share":
            expr += " × 100"
        if f.op == "remainder":
            expr = "100% − " + expr
        return expr

    def tooltip(self, f: Figure) -> str:
        srcs = "; ".join(self.source_short(self.data.sources[s]) for s in f.sources)
        text = f"{f.label}. "
        if f.derived:
            text += f"Số tính toán: tính từ {self.derivation(f)}. "
        text += f"Thời điểm: {f.as_of}. Nguồn: {srcs}."
        return text

    def figure_span(self, f: Figure, with_unit: bool = False) -> str:
        cls = "kb-fig kb-fig--derived" if f.derived else "kb-fig"
        return (f'<span class="{cls}" data-fig="{f.id}" data-src="{" ".join(f.sources)}" '
                f'tabindex="0" title="{html.escape(self.tooltip(f))}">'
                f"{html.escape(fmt.figure_text(f, with_unit))}</span>")

    def share_span(self, part: Figure, whole: Figure, digits: int) -> str:
        if whole.value == 0:
            from macros import MacroError

            raise MacroError(f"Không tính được tỷ lệ: \"{whole.id}\" bằng 0.")
        srcs = list(dict.fromkeys(part.sources + whole.sources))
        f = Figure(id=f"{part.id}--{whole.id}", label=f"Tỷ lệ {part.label.lower()} trên {whole.label.lower()}",
                   value=part.value / whole.value * 100, unit="%", sources=srcs, as_of=part.as_of,
                   derived=True, op="share", inputs=[part.id, whole.id], digits=digits)
        return self.figure_span(f)

    # -- templates -------------------------------------------------------------------------
    def render(self, template: str, **ctx) -> str:
        out = self.env.get_template(template).render(**ctx)
        if template.endswith(".html"):
            # Blank lines would end the raw-HTML block for Python-Markdown.
            out = re.sub(r"\n\s*\n", "\n", out).strip()
        return out
