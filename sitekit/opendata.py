"""Open data: every table and chart on the site can be downloaded as CSV and JSON.

Templates register the dataset behind what they draw (`Renderer.dataset_links`), with the same
records they show; after the build `write_all` writes `du-lieu/<name>.csv` and `.json` into the
site. Nothing here is hand-maintained: the files are regenerated from data/ on every build.

CSV: UTF-8 with a byte-order mark (so Excel recognises Vietnamese text), comma separated, CRLF,
a header row in Vietnamese, numbers as plain numbers with a decimal point (61.9), plus a column
with the figure as the page writes it (61,9%) for readers whose Excel expects a decimal comma.
JSON: the same rows with English keys, numbers as numbers, and the Vietnamese column names.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

DATA_DIR = "du-lieu"
NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

# Columns of a figure dataset: key in JSON -> header in CSV.
FIGURE_FIELDS = {
    "group": "Nhóm",
    "id": "Mã số liệu",
    "label": "Nội dung",
    "value": "Giá trị",
    "unit": "Đơn vị",
    "display": "Cách viết trên trang",
    "as_of": "Thời điểm của số liệu",
    "source_id": "Mã nguồn",
    "source": "Nguồn",
    "source_date": "Ngày đăng hoặc năm của nguồn",
    "derived": "Số tính toán",
    "derivation": "Cách tính",
}


class DatasetConflict(Exception):
    """Two tables used one dataset name for different rows."""


@dataclass
class Dataset:
    name: str
    title: str
    fields: dict[str, str]
    rows: list[dict] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)

    def csv_text(self) -> str:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(self.fields.values())
        for row in self.rows:
            w.writerow([_csv_cell(row.get(k)) for k in self.fields])
        return buf.getvalue()

    def json_text(self) -> str:
        doc = {"name": self.name, "title": self.title, "fields": self.fields,
               "pages": self.pages, "rows": self.rows}
        return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, list):
        value = "; ".join(map(str, value))
    if isinstance(value, str) and value[:1] in _FORMULA_START:
        # OWASP CSV injection: a cell that a spreadsheet would read as a formula starts with '.
        return "'" + value
    return value


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def plain_number(value):
    """36000.0 -> 36000; 61.9 stays 61.9 (written with a decimal point in CSV and JSON)."""
    return int(value) if float(value).is_integer() else float(value)


class Registry:
    """The datasets of one build, by name, with the pages that show each."""

    def __init__(self):
        self.datasets: dict[str, Dataset] = {}

    def register(self, ds: Dataset, page: str) -> Dataset:
        if not NAME.match(ds.name):
            raise DatasetConflict(f"Tên bộ dữ liệu \"{ds.name}\" không hợp lệ: chỉ dùng chữ thường không dấu, "
                                  "số và dấu gạch ngang.")
        old = self.datasets.get(ds.name)
        if old is None:
            self.datasets[ds.name] = ds
            old = ds
        elif (old.rows, old.fields) != (ds.rows, ds.fields):
            raise DatasetConflict(
                f"Hai bảng khác nhau cùng dùng tên bộ dữ liệu \"{ds.name}\" (trang {', '.join(old.pages)} và "
                f"trang {page}). Đặt cho bảng mới một tên khác (tham số name).")
        if page not in old.pages:
            old.pages.append(page)
        return old

    def write_all(self, site_dir: Path) -> list[Path]:
        out_dir = Path(site_dir) / DATA_DIR
        out_dir.mkdir(parents=True, exist_ok=True)
        written = []
        for ds in self.datasets.values():
            csv_path = out_dir / f"{ds.name}.csv"
            # utf-8-sig writes the byte-order mark Excel needs to read Vietnamese text.
            csv_path.write_text(ds.csv_text(), encoding="utf-8-sig", newline="")
            json_path = out_dir / f"{ds.name}.json"
            json_path.write_text(ds.json_text(), encoding="utf-8")
            written += [csv_path, json_path]
        return written

