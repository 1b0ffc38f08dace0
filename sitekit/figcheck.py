"""Checks of data/figures.yml that no JSON Schema can say, and the Figure records they yield.

Reported figures (counts are whole, shares stay within 100%, parts add up to their total),
derived figures (computed by an operation of `model.OPS` from figures declared before them),
groups of exclusive shares, and charts (ids exist, one unit per chart).
"""

from __future__ import annotations

import math

from .crossref import Refs, by_id
from .issues import Issue
from .model import OPS, Figure, reported_digits
from .yamlload import LoadedFile


class FigureChecks:
    """One run over data/figures.yml; problems go to `issues`."""

    def __init__(self, lf: LoadedFile, sources: dict, issues: list[Issue], refs: Refs):
        self.lf, self.sources, self.issues, self.refs = lf, sources, issues, refs
        self.raw = lf.data
        self.figures: dict[str, Figure] = {}

    def _add(self, path: tuple, **fields) -> None:
        line, col = self.lf.where(path)
        self.issues.append(Issue(file=self.lf.rel, line=line, column=col, path=path, **fields))

    def run(self) -> tuple[dict, dict, dict]:
        seen: dict = {}
        reported = by_id(self.raw.get("figures"), self.lf, "figures", self.issues, seen)
        derived = by_id(self.raw.get("derived"), self.lf, "derived", self.issues, seen)
        for i, f in enumerate(self.raw.get("figures") or []):
            if reported.get(f.get("id")) is f:
                self._reported(i, f)
        for i, f in enumerate(self.raw.get("figures") or []):
            if "parts" in f and f.get("id") in self.figures:
                self._parts(i, f, reported)
        # Derived figures may use reported figures and derived figures listed before them.
        for i, d in enumerate(self.raw.get("derived") or []):
            if derived.get(d.get("id")) is d:
                self._derived(i, d)
        groups = by_id(self.raw.get("groups"), self.lf, "groups", self.issues)
        for i, g in enumerate(self.raw.get("groups") or []):
            if g.get("id") in groups:
                self._group(i, g, reported)
        return self.figures, groups, self._charts()

    # -- reported figures ----------------------------------------------------------------
    def _reported(self, i: int, f: dict) -> None:
        self.refs.check(self.lf, ("figures", i, "source"), f["source"], self.sources, "nguồn", "data/sources.yml")
        v = f["value"]
        if f["unit"] == "%" and v > 100:
            self._add(("figures", i, "value"), what="Tỷ lệ phần trăm lớn hơn 100.", found=f"{v}",
                      expected="từ 0 đến 100",
                      fix="Ghi tỷ lệ dạng số phần trăm (61.9 nghĩa là 61,9%), kiểm tra lại nguồn.")
        typed = self.lf.scalars.get(("figures", i, "value"), str(v))
        if f["unit"] != "%" and (not float(v).is_integer() or "." in typed):
            misread = (f" YAML đọc \"{typed}\" thành {v:g}, không phải {typed.replace('.', '')}."
                       if float(v).is_integer() else "")
            self._add(("figures", i, "value"),
                      what=f"Số đếm ({f['unit']}) phải là số nguyên, viết liền không có dấu chấm." + misread,
                      found=typed, expected="số nguyên không âm, viết liền (ví dụ 435, 36000)",
                      fix="Ghi số không có dấu chấm hay dấu phẩy: 36000 chứ không phải 36.000 hay 36,000.",
                      detail=f"count typed as a decimal number: {typed!r} -> {v!r}")
        self.figures[f["id"]] = Figure(id=f["id"], label=f["label"], value=v, unit=f["unit"], sources=[f["source"]],
                                       as_of=f["as_of"], qualifier=f.get("qualifier"), digits=reported_digits(v),
                                       note=f.get("note", ""))

    def _parts(self, i: int, f: dict, reported: dict) -> None:
        """Parts must add up exactly: these are head counts reported together."""
        self.refs.check(self.lf, ("figures", i, "parts"), f["parts"], reported, "số liệu", "figures")
        if not all(p in self.figures for p in f["parts"]):
            return
        total = sum(self.figures[p].value for p in f["parts"])
        if math.isclose(total, f["value"], abs_tol=1e-9):
            return
        shown = " + ".join(f"{self.figures[p].value:g}" for p in f["parts"])
        self._add(("figures", i, "value"),
                  what=f"Các phần không cộng lại bằng tổng: {shown} = {total:g}, nhưng \"{f['id']}\" ghi {f['value']:g}.",
                  found=f"{f['value']:g}", expected=f"{total:g} (tổng của {', '.join(f['parts'])})",
                  fix="Đối chiếu lại nguồn: sửa tổng hoặc sửa một trong các phần cho khớp.")

    # -- derived figures -----------------------------------------------------------------
    def _derived_inputs_ok(self, i: int, d: dict) -> bool:
        before = len(self.issues)
        self.refs.check(self.lf, ("derived", i, "of"), d["of"], self.figures, "số liệu (đã khai báo phía trên)",
                        "figures hoặc derived")
        if len(self.issues) > before:
            return False
        op = OPS[d["op"]]
        path = ("derived", i, "of")
        if op.arity and len(d["of"]) != op.arity:
            self._add(path, what=f"Phép tính {d['op']} cần đúng {op.arity} số liệu.", found=f"{len(d['of'])} số liệu",
                      expected=f"{op.arity} số liệu: [số bị chia, số chia]", fix="Sửa danh sách of.")
            return False
        if op.divides and self.figures[d["of"][1]].value == 0:
            self._add(path, what="Phép chia cho 0.", found=f"{d['of'][1]} = 0", expected="số chia khác 0",
                      fix="Kiểm tra lại số liệu đầu vào.")
            return False
        return True

    def _derived(self, i: int, d: dict) -> None:
        if not self._derived_inputs_ok(i, d):
            return
        inputs = [self.figures[x] for x in d["of"]]
        value = OPS[d["op"]].compute([f.value for f in inputs])
        if value < 0 or (d["unit"] == "%" and value > 100 + 1e-9):
            shown = ", ".join(f"{f.id} = {f.value:g}" for f in inputs)
            self._add(("derived", i, "of"),
                      what=f"Số tính ra \"{d['id']}\" bằng {value:.4g}" + (", là số âm." if value < 0 else "%, lớn hơn 100%."),
                      found=f"{d['op']} của {shown}",
                      expected="tỷ lệ từ 0 đến 100%" if d["unit"] == "%" else "số không âm",
                      fix="Kiểm tra thứ tự các mã trong of (với share: phần trước, tổng sau; "
                          "với difference: số lớn trước) và các số liệu đầu vào.")
            return
        sources = list(dict.fromkeys(s for f in inputs for s in f.sources))
        self.figures[d["id"]] = Figure(id=d["id"], label=d["label"], value=value, unit=d["unit"], sources=sources,
                                       as_of=d.get("as_of") or inputs[0].as_of, derived=True, op=d["op"],
                                       inputs=list(d["of"]), digits=d["digits"], note=d.get("note", ""))

    # -- groups of exclusive shares ------------------------------------------------------
    def _group(self, i: int, g: dict, reported: dict) -> None:
        before = len(self.issues)
        path = ("groups", i, "members")
        self.refs.check(self.lf, path, g["members"], reported, "số liệu", "figures")
        if len(self.issues) > before:
            return
        not_pct = [m for m in g["members"] if self.figures[m].unit != "%"]
        if not_pct:
            self._add(path, what="Nhóm tỷ lệ chỉ được chứa số liệu đơn vị %.", found=", ".join(not_pct),
                      expected="các số liệu có unit: \"%\"", fix="Bỏ các mã này khỏi nhóm.")
            return
        total = sum(self.figures[m].value for m in g["members"])
        tol = g["tolerance"] + 1e-9
        shown = " + ".join(f"{self.figures[m].value:g}" for m in g["members"])
        if total > 100 + tol:
            self._add(path, what=f"Các tỷ lệ loại trừ nhau cộng lại vượt 100%: {shown} = {total:.1f}.",
                      found=f"{total:.1f}%", expected="không quá 100% (tính cả sai số làm tròn)",
                      fix="Kiểm tra lại từng tỷ lệ trong nguồn.")
        elif g["complete"] and abs(total - 100) > tol:
            self._add(path, what=f"Nhóm ghi là đầy đủ (complete: true) nhưng các tỷ lệ cộng lại {shown} = {total:.1f}%.",
                      found=f"{total:.1f}%", expected=f"100% (sai số cho phép {g['tolerance']})",
                      fix="Kiểm tra lại từng tỷ lệ, hoặc đổi complete thành false nếu nguồn chỉ nêu một phần.")

    # -- charts --------------------------------------------------------------------------
    def _charts(self) -> dict:
        """Charts draw figures by id: every id must exist, and one chart shares one unit (one scale)."""
        charts = by_id(self.raw.get("charts"), self.lf, "charts", self.issues)
        for i, c in enumerate(self.raw.get("charts") or []):
            if charts.get(c.get("id")) is c:
                self._chart(i, c)
        return charts

    def _chart(self, i: int, c: dict) -> None:
        ids = [item["fig"] for item in c["series"]]
        before = len(self.issues)
        for j, fid in enumerate(ids):
            self.refs.check(self.lf, ("charts", i, "series", j, "fig"), fid, self.figures, "số liệu", "figures hoặc derived")
        if len(self.issues) > before:
            return
        units = sorted({self.figures[fid].unit for fid in ids})
        if len(units) > 1:
            self._add(("charts", i, "series"), what="Các thanh của một biểu đồ phải cùng đơn vị tính (cùng một thang đo).",
                      found="các đơn vị: " + ", ".join(units), expected="một đơn vị duy nhất",
                      fix="Tách thành hai biểu đồ, mỗi biểu đồ một đơn vị tính.")
        if len(set(ids)) != len(ids):
            self._add(("charts", i, "series"), what="Một số liệu xuất hiện hai lần trong cùng biểu đồ.",
                      found=", ".join(sorted({x for x in ids if ids.count(x) > 1})),
                      expected="mỗi số liệu một thanh", fix="Xóa thanh bị lặp.")
