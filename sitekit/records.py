"""What tables and charts show, as records: the catalogue, the register, figure rows, and the
datasets behind them (CSV and JSON downloads, opendata.py). A base of `render.Renderer`, which
provides the names, links and templates these methods use. Plain Python: no engine import.
"""

from __future__ import annotations

from typing import ClassVar

from . import fmt, opendata
from .issues import MacroError
from .links import relative_url, src_to_dest
from .model import Figure
from .slug import slugify


class Records:
    PROGRAMME_FIELDS: ClassVar[dict[str, str]] = {"id": "Mã", "name": "Chương trình", "track": "Nhóm", "level": "Cấp trình độ",
                        "modes": "Hình thức học", "audiences": "Đối tượng", "solutions": "Giải pháp phục vụ",
                        "documents": "Văn bản liên quan", "page": "Trang trên site"}
    DOCUMENT_FIELDS: ClassVar[dict[str, str]] = {"id": "Mã", "name": "Văn bản", "title": "Tên văn bản", "issuer": "Cơ quan ban hành",
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
        page = slugify(self.page[:-3].replace("/", " "))
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
        page = src_to_dest(self.page)
        try:
            self.datasets.register(ds, page)
        except opendata.DatasetConflict as err:
            raise MacroError(str(err)) from None
        base = relative_url(f"{opendata.DATA_DIR}/{name}", page)
        return self.render("downloads.html", base=base, title=title)

