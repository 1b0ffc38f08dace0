"""The engine-free core, function by function: formatting and rounding, slugs, chart layout,
CSV and JSON output, relative links, and every data check. No build, no browser: seconds."""

from __future__ import annotations

import csv
import io
import json
import posixpath
import shutil
from pathlib import Path

import pytest

from sitekit import fmt, opendata
from sitekit.charts import layout
from sitekit.data import load
from sitekit.issues import DataError
from sitekit.links import relative_url
from sitekit.model import OPS, Figure
from sitekit.project import ROOT
from sitekit.slug import fold, slugify


def test_numbers_dates_and_shares_in_vietnamese_style():
    assert fmt.number(36000) == "36.000"
    assert fmt.number(0.25, 1) == "0,3"  # half-up, as people round by hand
    assert fmt.number(0.35, 1) == "0,4"
    assert fmt.percent(61.9) == "61,9%"
    assert fmt.percent(76.55, 1) == "76,6%"
    assert fmt.date("2020-12-07") == "07/12/2020"
    assert fmt.month("2026-11") == "11/2026"
    f = Figure(id="x", label="X", value=36000, unit="lượt", sources=["s"], qualifier="tren")
    assert fmt.figure_text(f) == "trên 36.000"
    assert fmt.figure_text(f, with_unit=True) == "trên 36.000 lượt"


def test_derived_operations_are_defined_once_with_their_arity():
    assert OPS["sum"].compute([8, 12]) == 20
    assert OPS["difference"].compute([435, 404]) == 31
    assert OPS["share"].compute([149, 435]) == pytest.approx(34.2528, rel=1e-4)
    assert OPS["remainder"].compute([61.9, 20]) == pytest.approx(18.1)
    assert OPS["share"].arity == 2 and OPS["share"].divides
    assert OPS["sum"].arity is None


def test_ascii_slugs_for_vietnamese_headings():
    assert slugify("Đào tạo, bồi dưỡng") == "dao-tao-boi-duong"
    assert fold("Thủy Hòa") == "Thuy Hoa"


def test_relative_links_between_pages():
    assert relative_url("khoa-hoc/a.md", "index.md") == "khoa-hoc/a.md"
    assert relative_url("index.md", "khoa-hoc/a.md") == "../index.md"
    assert relative_url("gioi-thieu/nguon.html", "gioi-thieu/index.html") == "nguon.html"


def test_relative_links_agree_with_posixpath_relpath():
    paths = ["index.md", "a.html", "khoa-hoc/a.md", "khoa-hoc/b.md", "khoa-hoc/x/y.md", "van-ban/a.md",
             "du-lieu/t.csv", "./van-ban/b.md", "khoa-hoc//c.md", "assets/images/logo.svg", "khoa-hoc"]
    for target in paths:
        for page in paths:
            expected = posixpath.relpath(target, posixpath.dirname(page) or ".")
            assert relative_url(target, page) == expected, (target, page)


def test_chart_layout_scales_bars_to_the_largest_value():
    figs = {"a": Figure("a", "A", 100, "người", ["s"]), "b": Figure("b", "B", 50, "người", ["s"])}
    chart = {"id": "c", "title": "T", "description": "D", "series": [{"fig": "a"}, {"fig": "b"}]}
    rows = layout(chart, figs).rows
    assert [r.fig.id for r in rows] == ["a", "b"]
    assert rows[0].pct > rows[1].pct > 0
    assert rows[1].pct == pytest.approx(rows[0].pct / 2)


def test_csv_and_json_downloads_are_read_back_as_written():
    ds = opendata.Dataset(name="thu", title="Thử", fields={"id": "Mã", "value": "Giá trị", "ok": "Đúng"},
                          rows=[{"id": "a", "value": 61.9, "ok": True}, {"id": "b", "value": 36000, "ok": False}])
    rows = list(csv.reader(io.StringIO(ds.csv_text())))
    assert rows == [["Mã", "Giá trị", "Đúng"], ["a", "61.9", "có"], ["b", "36000", "không"]]
    doc = json.loads(ds.json_text())
    assert doc["rows"][1] == {"id": "b", "value": 36000, "ok": False}
    assert opendata.plain_number(36000.0) == 36000 and opendata.plain_number(61.9) == 61.9


# -- every data check, straight through load() ------------------------------------------------
def _data_cases():
    import test_data_contract as contract

    return [c for c in contract.CASES if not c.page]


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("data")
    shutil.copytree(ROOT / "data", out / "data")
    load(out)  # keeps the schema results of the unchanged files in .cache/, as an editor's checkout does
    return out


@pytest.mark.parametrize("case", _data_cases(), ids=lambda c: c.id)
def test_every_data_mistake_is_reported_with_file_and_line(case, pristine, tmp_path):
    import test_data_contract as contract

    project = tmp_path / "p"
    shutil.copytree(pristine, project)
    line = contract.apply(project, case.file, case.mutate)
    for rel, mutate in case.also:
        contract.apply(project, rel, mutate)
    with pytest.raises(DataError) as err:
        load(project)
    message = str(err.value)
    assert case.file in message, message
    if case.line == "change":
        assert contract.located(message, case.file, line), message
    if case.phrase:
        assert case.phrase in message, message
    assert "Cách sửa:" in message
