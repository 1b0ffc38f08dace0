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

from . import fmt, opendata, truth
from .data import ROOT, Figure, SiteData
from .project import cache_path

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


def _bytecode_cache(root: Path):
    folder = cache_path(root, "jinja")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:  # a read-only checkout builds without the cache
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


class Renderer:
    def __init__(self, data: SiteData, page_getter, root=ROOT):
        self.data = data
        self._page = page_getter
        self._spans: dict[tuple, str] = {}
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(Path(root) / TEMPLATES)),
            # Compiled templates are kept between builds (keyed by each template's source, so an
            # edited template is compiled again): most of a rebuild's template time is compiling.
            bytecode_cache=_bytecode_cache(Path(root)),
            autoescape=jinja2.select_autoescape(["html"]),
            undefined=_Undefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
        )
        self.env.globals.update(kb=data, r=self, fmt=fmt, truth=truth)
        # ids | map('extract', kb.figures) -> the records those ids name
        self.env.filters["extract"] = lambda key, collection: collection[key]
        # figs | map('pair_with', '') -> [(figure, ''), ...] for dataset_links
        self.env.filters["pair_with"] = lambda item, other: (item, other)

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
        expr = OPS[f.op].join(parts)
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
        if not hasattr(self, "_reported"):
            self._reported = {x["id"] for x in self.data.raw["figures"]["figures"] if x.get("grade") == "theo-tin"}
        return self._reported

    def figure_span(self, f: Figure, with_unit: bool = False) -> str:
        # The same figure is shown on many pages; its span depends only on the figure and data.
        key = (f.id, f.value, f.digits, tuple(f.sources), with_unit)
        span = self._spans.get(key)
        if span is None:
            cls = "kb-fig kb-fig--derived" if f.derived else "kb-fig"
            span = (f'<span class="{cls}" data-fig="{f.id}" data-src="{" ".join(f.sources)}" '
                    f'tabindex="0" title="{html.escape(self.tooltip(f))}">'
                    f"{html.escape(fmt.figure_text(f, with_unit))}</span>")
            self._spans[key] = span
        return span

    def share_span(self, part: Figure, whole: Figure, digits: int) -> str:
        if whole.value == 0:
            from macros import MacroError

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

        return layout(chart, self.data.figures)

    PROGRAMME_FIELDS = {"id": "Mã", "name": "Chương trình", "track": "Nhóm", "level": "Cấp trình độ",
                        "modes": "Hình thức học", "audiences": "Đối tượng", "solutions": "Giải pháp phục vụ",
                        "documents": "Văn bản liên quan", "page": "Trang trên site"}
    DOCUMENT_FIELDS = {"id": "Mã", "name": "Văn bản", "title": "Tên văn bản", "issuer": "Cơ quan ban hành",
                       "date": "Ngày ban hành", "effective": "Ngày có hiệu lực", "status": "Tình trạng",
                       "status_checked": "Tháng kiểm tra tình trạng", "replaced_by": "Bị thay thế bởi",
                       "source_id": "Mã nguồn", "source": "Nguồn", "page": "Trang trên site"}

    def programme_records(self) -> list[dict]:
        L = self.data.programme_labels
        return [{
            "id": p["id"], "name": p["name"], "track": L["tracks"][p["track"]], "level": L["levels"][p["level"]],
            "modes": [L["modes"][m] for m in p["modes"]] or ["nguồn không nêu"],
            "audiences": [L["audiences"][a] for a in p["audiences"]],
            "solutions": [self.solution_name(self.data.solutions[s]) for s in p["solutions"]],
            "documents": [self.document_name(self.data.documents[d]) for d in p["documents"]],
            "page": src_to_dest(self.programme_src(p)),
        } for p in self.data.programmes.values()]

    def document_records(self, topic: str = "") -> list[dict]:
        L = self.data.document_labels
        out = []
        for d in self.data.documents.values():
            if topic and topic not in d["topics"]:
                continue
            s = self.data.sources[d["source"]]
            out.append({
                "id": d["id"], "name": self.document_name(d), "title": d["title"], "issuer": d["issuer"],
                "date": str(d["date"]) if d.get("date") else "", "effective": str(d["effective"]) if d.get("effective") else "",
                "status": L["statuses"][d["status"]], "status_checked": fmt.month(self.data.status_checked),
                "replaced_by": [self.document_name(self.data.documents[x]) for x in d.get("replaced_by", [])],
                "source_id": d["source"], "source": f"{s['title']} ({self.source_cite(s)})",
                "page": src_to_dest(self.document_src(d)),
            })
        return out

    def results_figs(self) -> list:
        """(figure, programme name) for every result of every programme, in table order."""
        return [(self.data.figures[fid], p["name"]) for p in self.data.programmes.values() for fid in p["results"]]

    def auto_dataset_name(self, caption: str) -> str:
        """A dataset name for a table the editor did not name: page and caption, as a slug."""
        from .slug import slugify

        page = slugify(self.page_src()[:-3].replace("/", " "))
        return f"{page}-{slugify(caption)}"[:80].strip("-")

    def chart_figs(self, chart) -> list:
        """(figure, group label) for each bar, for the chart's dataset."""
        return [(self.data.figures[i["fig"]], i.get("group", "")) for i in chart["series"]]

    def chart_desc(self, chart) -> str:
        """Text for screen readers: the editor's description, then every bar with its value."""
        parts = []
        group = None
        for item in chart["series"]:
            f = self.data.figures[item["fig"]]
            name = item.get("label") or f.label
            if item.get("group") and item["group"] != group:
                name = f"{item['group']}, {name[:1].lower() + name[1:]}"
            group = item.get("group")
            text = f"{name}: {fmt.figure_text(f, with_unit=True)}"
            if f.derived:
                text += f" (số tính toán, tính từ {self.derivation(f)})"
            parts.append(text)
        return " ".join(chart["description"].split()) + " Số liệu: " + "; ".join(parts) + "."

    # -- open data -------------------------------------------------------------------------
    def figure_record(self, f: Figure, group: str = "") -> dict:
        srcs = [self.data.sources[s] for s in f.sources]
        return {
            "group": group,
            "id": f.id,
            "label": f.label,
            "value": opendata.plain_number(f.value if not f.derived else round(f.value, 10)),
            "unit": f.unit,
            "display": fmt.figure_text(f, with_unit=True),
            "as_of": f.as_of,
            "source_id": "; ".join(f.sources),
            "source": "; ".join(f"{s['title']} ({self.source_cite(s)})" for s in srcs),
            "source_date": "; ".join(self.source_when(s) for s in srcs),
            "derived": f.derived,
            "derivation": f"tính từ {self.derivation(f)}" if f.derived else "",
        }

    def dataset_links(self, name: str, title: str, figs=None, records=None, fields=None) -> str:
        """Register the dataset behind a table or chart and return its download links.

        figs: list of (Figure, group label) pairs, for a figure dataset; or records + fields."""
        if figs is not None:
            records = [self.figure_record(f, group) for f, group in figs]
            fields = dict(opendata.FIGURE_FIELDS)
            if not any(r["group"] for r in records):
                del fields["group"]
                for r in records:
                    del r["group"]
        ds = opendata.Dataset(name=name, title=title, fields=dict(fields), rows=records)
        page = src_to_dest(self.page_src())
        try:
            opendata.REGISTRY.register(ds, page)
        except opendata.DatasetConflict as err:
            from macros import MacroError

            raise MacroError(str(err)) from None
        base = get_relative_url(f"{opendata.DATA_DIR}/{name}", page)
        return self.render("downloads.html", base=base, title=title)

    # -- templates -------------------------------------------------------------------------
    def render(self, template: str, **ctx) -> str:
        out = self.env.get_template(template).render(**ctx)
        if template.endswith(".html"):
            # Blank lines would end the raw-HTML block for Python-Markdown.
            out = re.sub(r"\n\s*\n", "\n", out).strip()
            # The search indexer joins adjacent cells' text as is: "Số liệu" + "Sơ cấp" would
            # become one word "liệuSơ" that no query finds. A space keeps the words apart.
            out = re.sub(r"</(td|th)>\s*<(td|th)\b", r"</\1> <\2", out)
        return out
