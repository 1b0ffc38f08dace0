"""Rendering shared by the macros and the build: links relative to the current page, figure
spans, and Jinja templates from `overrides/kb/`. Plain Python and Jinja: no engine import.

While a page renders, the Renderer records what it cites (`cited`): the figures shown and their
sources, so that the list of sources at the end of the page needs no second look at its HTML.

Links produced for Markdown are written as links to `.md` sources, so MkDocs checks them in
strict mode like any link an editor types.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from . import fmt, truth
from .issues import MacroError, unknown_id
from .links import DOCUMENT_DIR, PROGRAMME_DIR, SOLUTION_DIR, SOURCES_PAGE, relative_url, src_to_dest
from .model import COLLECTIONS, OPS, Figure, SiteData
from .project import cache_path
from .records import Records

TEMPLATES = Path("overrides") / "kb"


class _Undefined(jinja2.StrictUndefined):
    """Missing optional keys test as false in `{% if %}`, but printing one is an error."""

    def __bool__(self):
        return False


def _bytecode_cache(root: Path):
    folder = cache_path(root, "jinja")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:  # a read-only checkout builds without the cache
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


class Cited:
    """What one page shows: figure ids and their source ids, in first-shown order."""

    def __init__(self):
        self.figures: dict[str, None] = {}
        self.sources: dict[str, None] = {}

    def add(self, f: Figure) -> None:
        self.figures.setdefault(f.id)
        for s in f.sources:
            self.sources.setdefault(s)


class Renderer(Records):
    """One per build. `page` is the source path of the page being rendered (set by whoever
    drives the rendering: the macros before each page, the build for its own additions)."""

    def __init__(self, data: SiteData, root: Path, datasets):
        self.data = data
        self.page = "index.md"
        self.datasets = datasets  # opendata.Registry of this build
        self.cited: dict[str, Cited] = {}
        self._spans: dict[tuple, str] = {}
        self._reported: set | None = None
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(Path(root) / TEMPLATES)),
            # Compiled templates are kept between builds (keyed by each template's source, so an
            # edited template is compiled again): most of a rebuild's template time is compiling.
            bytecode_cache=_bytecode_cache(Path(root)),
            # Data is text: every value is escaped where a template prints it, in HTML and in the
            # Markdown of generated pages alike (what a helper builds on purpose is Markup).
            autoescape=True,
            undefined=_Undefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
            # One build, one Renderer (SiteBuild): its templates do not change while it lives, so
            # Jinja need not look at each file's time on every render (a few ms of every build).
            auto_reload=False,
        )
        self.env.globals.update(kb=data, r=self, fmt=fmt, truth=truth, SOURCES_PAGE=SOURCES_PAGE)
        # ids | map('extract', kb.figures) -> the records those ids name
        self.env.filters["extract"] = lambda key, collection: collection[key]
        # figs | map('pair_with', '') -> [(figure, ''), ...] for dataset_links
        self.env.filters["pair_with"] = lambda item, other: (item, other)

    # -- lookups ---------------------------------------------------------------------------
    def get(self, attr: str, key: str):
        """The record `key` of a collection (model.COLLECTIONS), or the editor's message."""
        collection = self.data.collection(attr)
        if key not in collection:
            c = COLLECTIONS[attr]
            raise MacroError(unknown_id(c.noun, key, collection, c.file))
        return collection[key]

    def cited_on(self, page: str) -> Cited:
        return self.cited.setdefault(page, Cited())

    # -- links -----------------------------------------------------------------------------
    def page_src(self) -> str:
        return self.page

    def rel(self, target_src: str) -> str:
        """Path of a Markdown source relative to the current page, for a Markdown link."""
        return relative_url(target_src, self.page)

    def md_link(self, target_src: str, text: str, anchor: str = "") -> str:
        rel = relative_url(target_src, self.page)
        text = str(text).replace("[", "(").replace("]", ")")
        # escape() then Markup() is what Markup.format does, without its slow string.Formatter.
        return Markup(f"[{escape(text)}]({escape(rel)}{escape('#' + anchor) if anchor else ''})")

    def href(self, target_src: str, anchor: str = "") -> str:
        rel = relative_url(src_to_dest(target_src), src_to_dest(self.page))
        return rel + ("#" + anchor if anchor else "")

    def programme_src(self, p) -> str:
        return f"{PROGRAMME_DIR}/{p['id']}.md"

    def document_src(self, d) -> str:
        return f"{DOCUMENT_DIR}/{d['id']}.md"

    def solution_src(self, s) -> str:
        return f"{SOLUTION_DIR}/{s['id']}.md"

    def document_name(self, d, full: bool = False) -> str:
        # Official naming ("Nghị định số … ngày … của … về …"): sitekit/truth.py
        kind = self.data.document_labels["kinds"][d["kind"]]
        if full:
            return truth.official_name(d, kind, fmt.date(d["date"]) if d.get("date") else None)
        return truth.short_name(d, kind)

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
        expr = OPS[f.op].symbol.join(parts)
        if f.op == "share":
            expr += " × 100"
        if f.op == "remainder":
            expr = "100% − " + expr
        return expr

    @staticmethod
    def source_when(s) -> str:
        """When a source was published, as precisely as it is known: "đăng ngày 07/12/2020"."""
        if s.get("date"):
            return f"đăng ngày {fmt.date(s['date'])}"
        if s.get("year"):
            return f"năm {s['year']}"
        if s.get("checked"):
            return f"nhóm biên tập đối chiếu tháng {fmt.month(s['checked'])}"
        return ""

    def source_cite(self, s) -> str:
        """Who published a source and when: "Ban Tổ chức Huyện ủy Hương Khê, đăng ngày 07/12/2020"."""
        who = s.get("organisation") or s.get("site") or s["title"]
        when = self.source_when(s)
        return f"{who}, {when}" if when else who

    def tooltip(self, f: Figure) -> str:
        srcs = "; ".join(self.source_cite(self.data.sources[s]) for s in f.sources)
        text = f"{f.label}. "
        if f.derived:
            text += f"Số tính toán: tính từ {self.derivation(f)}. "
        text += f"Thời điểm: {f.as_of}. Nguồn: {srcs}."
        if any(i in self._reported_ids() for i in [f.id, *f.inputs]):
            text += " Theo tin báo, cần kiểm tra với văn bản gốc."
        return text

    def _reported_ids(self) -> set:
        """Figures that only news summaries give (grade: theo-tin in data/figures.yml)."""
        if self._reported is None:
            self._reported = {x["id"] for x in self.data.raw["figures"]["figures"] if x.get("grade") == "theo-tin"}
        return self._reported

    def figure_span(self, f: Figure, with_unit: bool = False) -> str:
        self.cited_on(self.page).add(f)
        # The same figure is shown on many pages; its span depends only on the figure and data.
        key = (f.id, f.value, f.digits, tuple(f.sources), with_unit)
        span = self._spans.get(key)
        if span is None:
            cls = "kb-fig kb-fig--derived" if f.derived else "kb-fig"
            span = (f'<span class="{cls}" data-fig="{html.escape(f.id)}" '
                    f'tabindex="0" title="{html.escape(self.tooltip(f))}">'
                    f"{html.escape(fmt.figure_text(f, with_unit))}</span>")
            span = Markup(span)
            self._spans[key] = span
        return span

    def share_span(self, part: Figure, whole: Figure, digits: int) -> str:
        if whole.value == 0:
            raise MacroError(f"Không tính được tỷ lệ: \"{whole.id}\" bằng 0.")
        srcs = list(dict.fromkeys(part.sources + whole.sources))
        f = Figure(id=f"{part.id}--{whole.id}", label=f"Tỷ lệ {part.label.lower()} trên {whole.label.lower()}",
                   value=part.value / whole.value * 100, unit="%", sources=srcs, as_of=part.as_of,
                   derived=True, op="share", inputs=[part.id, whole.id], digits=digits)
        return self.figure_span(f)

    def remainder_figure(self, g) -> Figure:
        """The share a group of percentages leaves unreported (100% minus the members), as a
        derived figure: the one in data/figures.yml if it exists, else computed here."""
        members = list(g["members"])
        for f in self.data.figures.values():
            if f.derived and f.op == "remainder" and sorted(f.inputs) == sorted(members):
                return f
        figs = [self.data.figures[m] for m in members]
        srcs = list(dict.fromkeys(s for f in figs for s in f.sources))
        return Figure(id=f"{g['id']}--con-lai", label=f"{g['label']}: phần còn lại, nguồn không nêu",
                      value=100 - sum(f.value for f in figs), unit="%", sources=srcs, as_of=figs[0].as_of,
                      derived=True, op="remainder", inputs=members, digits=max(f.digits for f in figs))

    # -- charts ----------------------------------------------------------------------------
    def chart_layout(self, chart):
        from .charts import layout

        for item in chart["series"]:  # the chart shows these figures
            self.cited_on(self.page).add(self.data.figures[item["fig"]])
        return layout(chart, self.data.figures)

    # -- templates -------------------------------------------------------------------------
    def render(self, template: str, **ctx) -> str:
        out = self.env.get_template(template).render(**ctx)
        if template.endswith(".html"):
            # Blank lines would end the raw-HTML block for Python-Markdown.
            out = re.sub(r"\n\s*\n", "\n", out).strip()
            # The search indexer joins adjacent cells' text as is: "Số liệu" + "Sơ cấp" would
            # become one word "liệuSơ" that no query finds. A space keeps the words apart.
            out = re.sub(r"</(td|th)>\s*<(td|th)\b", r"</\1> <\2", out)
        return Markup(out)
