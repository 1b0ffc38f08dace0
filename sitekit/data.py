"""Load, validate and index everything in `data/`.

Order of checks: read each YAML file strictly (syntax, duplicate keys, unsafe tags, NFC), then
validate it against its JSON Schema in `data/schema/`, then check what no schema can say
(references between files, parts adding up to totals, shares, whole counts). Every problem of a
run is collected and raised together as one `DataError`.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from .issues import DataError, Issue
from .project import ROOT, cache_path, write_cache
from .yamlload import LoadedFile, load_file

DATA_FILES = ("sources", "figures", "programmes", "documents", "solutions", "events", "forms", "needs", "rules")


@lru_cache(maxsize=None)
def _validator(schema_path: Path, mtime: float):
    # Imported here: a build whose data all passed before (_PassedSchema) never needs it.
    from jsonschema import Draft202012Validator, FormatChecker

    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=FormatChecker())


_READER_SOURCE = Path(__file__).with_name("yamlload.py").read_bytes()


def _installed(package: str) -> str:
    """Where a package is installed and when its files were written, without importing it
    (importlib.metadata takes 20 ms): another version or a reinstall changes the result."""
    import importlib.util

    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return "missing"
    folder = Path(list(spec.submodule_search_locations)[0])
    return repr([(p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(folder.glob("*.py"))])


class _PassedSchema:
    """Data files that already passed their JSON Schema, unchanged since.

    A schema check is a pure function of the file's bytes, the schema's bytes, the jsonschema
    version and the YAML reader (yamlload.py), so a file whose four are the same as at its last
    successful check passes again and
    is not validated twice. The fingerprints live in .cache/data-schema-passed.json (one line per
    data file, so the file never grows). Only success is kept: a file with a problem is checked,
    and its problem reported, on every run. Every other check of this module runs every time.
    """

    def __init__(self, root: Path):
        self.path = cache_path(root, "data-schema-passed.json")
        try:
            self.passed = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(self.passed, dict):
                self.passed = {}
        except (OSError, ValueError):
            self.passed = {}
        self.changed = False
        self.validator_version = _installed("jsonschema")

    def fingerprint(self, lf: LoadedFile, schema_path: Path) -> str:
        h = hashlib.sha256(self.validator_version.encode())
        h.update(b"\0" + _READER_SOURCE + b"\0" + schema_path.read_bytes() + b"\0" + lf.text.encode("utf-8"))
        return h.hexdigest()

    def has(self, name: str, fp: str) -> bool:
        return self.passed.get(name) == fp

    def add(self, name: str, fp: str) -> None:
        if self.passed.get(name) != fp:
            self.passed[name] = fp
            self.changed = True

    def save(self) -> None:
        if self.changed:  # a read-only checkout keeps nothing: every file is checked every time
            write_cache(self.path, (json.dumps(self.passed, indent=1, sort_keys=True) + "\n").encode("utf-8"))


def _schema_issues(lf: LoadedFile, schema_path: Path) -> list[Issue]:
    validator = _validator(schema_path, schema_path.stat().st_mtime)
    out = []
    for err in sorted(validator.iter_errors(lf.data), key=lambda e: list(map(str, e.absolute_path))):
        out.extend(_explain(err, lf))
    return out


def _describe(value) -> str:
    if value is None:
        return "để trống (null)"
    if isinstance(value, bool):
        return f"giá trị đúng/sai ({value})"
    if isinstance(value, (int, float)):
        return f"số {value}"
    if isinstance(value, str):
        return f"chữ \"{value[:80]}\""
    if isinstance(value, list):
        return "một danh sách"
    if isinstance(value, dict):
        return "một mục có các khóa " + ", ".join(map(str, list(value)[:6]))
    return repr(value)


TYPE_VI = {"string": "chữ", "number": "số", "integer": "số nguyên", "array": "danh sách",
           "object": "một mục gồm các khóa", "boolean": "true hoặc false", "null": "để trống (null)"}


def _explain(err, lf: LoadedFile) -> list[Issue]:
    """Turn one jsonschema error into Issues an editor can act on."""
    path = tuple(err.absolute_path)
    line, col = lf.where(path)
    v = err.validator
    base = dict(file=lf.rel, line=line, column=col, path=path, detail=err.message)
    if v == "additionalProperties":
        allowed = sorted(err.schema.get("properties", {}))
        issues = []
        for key in sorted(set(err.instance) - set(allowed)):
            kl, kc = lf.where(path + (key,), key=True)
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f"Có phải ý bạn là \"{close[0]}\"? " if close else ""
            issues.append(Issue(file=lf.rel, line=kl, column=kc, path=path + (key,),
                                what=f"Khóa \"{key}\" không có trong mẫu dữ liệu.",
                                found=f"khóa \"{key}\"", expected="một trong: " + ", ".join(allowed),
                                fix=hint + "Sửa tên khóa cho đúng, hoặc xóa dòng này.",
                                detail=err.message))
        return issues
    if v == "required":
        missing = [k for k in err.validator_value if k not in err.instance]
        props = err.schema.get("properties", {})
        return [Issue(**base, what=f"Thiếu khóa bắt buộc \"{k}\".", found="không có khóa này",
                      expected=f"{k}: {props.get(k, {}).get('description', '')}".strip(),
                      fix=f"Thêm dòng \"{k}: ...\" vào mục này (thụt lề thẳng hàng với các khóa khác).")
                for k in missing]
    if v == "type":
        want = err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
        want_vi = " hoặc ".join(TYPE_VI.get(w, w) for w in want)
        fix = "Sửa giá trị cho đúng kiểu."
        if "number" in want or "integer" in want:
            fix = "Ghi số không có chữ, không có dấu chấm ngăn cách hàng nghìn (36000, không phải 36.000); số thập phân dùng dấu chấm (61.9)."
        elif "array" in want:
            fix = "Ghi danh sách trong ngoặc vuông, ví dụ [ma-1, ma-2], hoặc [] nếu để trống."
        return [Issue(**base, what="Giá trị sai kiểu.", found=_describe(err.instance), expected=want_vi, fix=fix)]
    if v == "enum":
        options = [str(o) for o in err.validator_value]
        close = difflib.get_close_matches(str(err.instance), options, n=1)
        return [Issue(**base, what="Giá trị không nằm trong danh sách cho phép.", found=_describe(err.instance),
                      expected="một trong: " + ", ".join(options),
                      fix=(f"Có phải ý bạn là \"{close[0]}\"? " if close else "") + "Chọn một giá trị trong danh sách.")]
    if v == "format" and err.validator_value == "date":
        return [Issue(**base, what="Ngày không hợp lệ.", found=_describe(err.instance),
                      expected="một ngày có thật, dạng YYYY-MM-DD (ví dụ 2020-12-07)",
                      fix="Kiểm tra lại ngày, tháng (tháng 2 không có ngày 30, tháng 4 không có ngày 31...).")]
    if v == "pattern":
        desc = err.schema.get("description", "")
        return [Issue(**base, what="Giá trị không đúng định dạng.", found=_describe(err.instance),
                      expected=desc or f"khớp mẫu {err.validator_value}",
                      fix="Sửa giá trị theo định dạng ở trên. Mã (id) chỉ gồm chữ thường không dấu, số và dấu gạch ngang.")]
    if v in ("minimum", "exclusiveMinimum"):
        return [Issue(**base, what="Giá trị nhỏ hơn mức cho phép (số liệu không được âm).", found=_describe(err.instance),
                      expected=f"từ {err.validator_value} trở lên", fix="Kiểm tra lại con số trong nguồn.")]
    if v in ("maximum", "exclusiveMaximum"):
        return [Issue(**base, what="Giá trị lớn hơn mức cho phép.", found=_describe(err.instance),
                      expected=f"không quá {err.validator_value}", fix="Kiểm tra lại con số trong nguồn.")]
    if v in ("minItems", "minLength"):
        return [Issue(**base, what="Giá trị bị để trống trong khi khóa này cần có nội dung.",
                      found=_describe(err.instance), expected=err.schema.get("description", "có ít nhất một phần tử"),
                      fix="Điền nội dung, hoặc xóa hẳn khóa nếu khóa không bắt buộc.")]
    if v == "uniqueItems":
        return [Issue(**base, what="Danh sách có phần tử lặp lại.", found=_describe(err.instance),
                      expected="mỗi mã chỉ một lần", fix="Xóa mã bị lặp.")]
    if v == "anyOf" and err.schema.get("anyOf") == [{"required": ["date"]}, {"required": ["year"]}]:
        return [Issue(**base, what="Mốc thời gian thiếu cả ngày (date) lẫn năm (year).", found="không có date, year",
                      expected="date: YYYY-MM-DD hoặc year: YYYY", fix="Thêm ngày hoặc năm theo nguồn.")]
    return [Issue(**base, what="Giá trị không hợp lệ theo mẫu dữ liệu.", found=_describe(err.instance),
                  expected=err.schema.get("description", ""), fix="Xem trang Từ điển dữ liệu.")]


@dataclass
class Figure:
    id: str
    label: str
    value: float
    unit: str
    sources: list[str]
    as_of: str = ""
    qualifier: str | None = None
    derived: bool = False
    op: str | None = None
    inputs: list[str] = field(default_factory=list)
    digits: int = 0
    note: str = ""

    @property
    def is_percent(self) -> bool:
        return self.unit == "%"


def reported_digits(value) -> int:
    """Decimals as the editor typed them (61.9 -> 1, 435 -> 0)."""
    if isinstance(value, int):
        return 0
    exp = Decimal(str(value)).normalize().as_tuple().exponent
    return max(0, -exp)


@dataclass
class SiteData:
    """Everything in data/, validated and indexed by id."""

    raw: dict
    sources: dict
    figures: dict[str, Figure]
    groups: dict
    programmes: dict
    programme_labels: dict
    documents: dict
    document_labels: dict
    status_checked: str
    solutions: dict
    weaknesses: dict
    resolution: dict
    events: dict
    charts: dict = field(default_factory=dict)
    forms: dict = field(default_factory=dict)
    tools: object = None  # sitekit.tools.Tools: forms, year cycle, needs self-check, rules

    # Reverse links, computed once so that no page needs to search.
    def programmes_for_solution(self, sid):
        return [p for p in self.programmes.values() if sid in p["solutions"]]

    def programmes_for_document(self, did):
        return [p for p in self.programmes.values() if did in p["documents"]]

    def solutions_for_document(self, did):
        return [s for s in self.solutions.values() if did in s["documents"]]

    def documents_amending(self, did):
        return [d for d in self.documents.values() if did in d.get("amends", [])]

    def documents_replaced_by(self, did):
        return [d for d in self.documents.values() if did in d.get("replaced_by", [])]

    def documents_implementing(self, did):
        return [d for d in self.documents.values() if did in d.get("implements", [])]


def _by_id(items, lf: LoadedFile, key: str, issues: list[Issue], seen: dict | None = None) -> dict:
    out = {}
    seen = {} if seen is None else seen
    for i, item in enumerate(items or []):
        if not isinstance(item, dict) or "id" not in item:
            continue
        iid = item["id"]
        if iid in seen:
            line, col = lf.where((key, i, "id"))
            issues.append(Issue(file=lf.rel, line=line, column=col, path=(key, i, "id"),
                                what=f"Mã \"{iid}\" bị trùng (đã dùng ở {seen[iid]}).",
                                found=f"id: {iid}", expected="mỗi mã chỉ dùng cho một mục",
                                fix="Đổi mã của mục mới thành một mã chưa dùng.", detail="duplicate id"))
            continue
        seen[iid] = f"{lf.rel}:{lf.where((key, i, 'id'))[0]}"
        out[iid] = item
    return out


class _Refs:
    """Reference checker that reports dangling ids with file, line and a close match."""

    def __init__(self, issues):
        self.issues = issues

    def check(self, lf: LoadedFile, path: tuple, value, universe: dict, what: str, target: str):
        values = value if isinstance(value, list) else [value]
        for j, v in enumerate(values):
            if v is None or v in universe:
                continue
            p = path + ((j,) if isinstance(value, list) else ())
            line, col = lf.where(p)
            close = difflib.get_close_matches(str(v), list(universe), n=1)
            self.issues.append(Issue(
                file=lf.rel, line=line, column=col, path=p,
                what=f"Tham chiếu tới {what} không tồn tại: \"{v}\".", found=f"\"{v}\"",
                expected=f"một mã có trong {target}",
                fix=(f"Có phải ý bạn là \"{close[0]}\"? " if close else "") + f"Sửa mã cho đúng, hoặc thêm mục \"{v}\" vào {target}.",
                detail="dangling reference"))


def _compute(op: str, vals: list[float]) -> float:
    if op == "sum":
        return sum(vals)
    if op == "difference":
        return vals[0] - sum(vals[1:])
    if op == "share":
        return vals[0] / vals[1] * 100
    if op == "ratio":
        return vals[0] / vals[1]
    if op == "remainder":
        return 100 - sum(vals)
    raise ValueError(op)


def _check_figures(lf: LoadedFile, raw: dict, sources: dict, issues: list[Issue], refs: _Refs) -> tuple[dict, dict]:
    seen: dict = {}
    reported = _by_id(raw.get("figures"), lf, "figures", issues, seen)
    derived_raw = _by_id(raw.get("derived"), lf, "derived", issues, seen)
    figures: dict[str, Figure] = {}
    for i, f in enumerate(raw.get("figures") or []):
        if f.get("id") not in reported or reported[f["id"]] is not f:
            continue
        refs.check(lf, ("figures", i, "source"), f["source"], sources, "nguồn", "data/sources.yml")
        v = f["value"]
        if f["unit"] == "%" and v > 100:
            line, col = lf.where(("figures", i, "value"))
            issues.append(Issue(file=lf.rel, line=line, column=col, path=("figures", i, "value"),
                                what="Tỷ lệ phần trăm lớn hơn 100.", found=f"{v}", expected="từ 0 đến 100",
                                fix="Ghi tỷ lệ dạng số phần trăm (61.9 nghĩa là 61,9%), kiểm tra lại nguồn."))
        typed = lf.scalars.get(("figures", i, "value"), str(v))
        if f["unit"] != "%" and (not float(v).is_integer() or "." in typed):
            line, col = lf.where(("figures", i, "value"))
            issues.append(Issue(file=lf.rel, line=line, column=col, path=("figures", i, "value"),
                                what=f"Số đếm ({f['unit']}) phải là số nguyên, viết liền không có dấu chấm."
                                     + (f" YAML đọc \"{typed}\" thành {v:g}, không phải {typed.replace('.', '')}."
                                        if float(v).is_integer() else ""),
                                found=typed, expected="số nguyên không âm, viết liền (ví dụ 435, 36000)",
                                fix="Ghi số không có dấu chấm hay dấu phẩy: 36000 chứ không phải 36.000 hay 36,000.",
                                detail=f"count typed as a decimal number: {typed!r} -> {v!r}"))
        figures[f["id"]] = Figure(id=f["id"], label=f["label"], value=v, unit=f["unit"], sources=[f["source"]],
                                  as_of=f["as_of"], qualifier=f.get("qualifier"), digits=reported_digits(v),
                                  note=f.get("note", ""))
    # Parts must add up exactly: these are head counts reported together.
    for i, f in enumerate(raw.get("figures") or []):
        if "parts" not in f or f.get("id") not in figures:
            continue
        refs.check(lf, ("figures", i, "parts"), f["parts"], reported, "số liệu", "figures")
        if all(p in figures for p in f["parts"]):
            total = sum(figures[p].value for p in f["parts"])
            if not math.isclose(total, f["value"], abs_tol=1e-9):
                line, col = lf.where(("figures", i, "value"))
                shown = " + ".join(f"{figures[p].value:g}" for p in f["parts"])
                issues.append(Issue(
                    file=lf.rel, line=line, column=col, path=("figures", i, "value"),
                    what=f"Các phần không cộng lại bằng tổng: {shown} = {total:g}, nhưng \"{f['id']}\" ghi {f['value']:g}.",
                    found=f"{f['value']:g}", expected=f"{total:g} (tổng của {', '.join(f['parts'])})",
                    fix="Đối chiếu lại nguồn: sửa tổng hoặc sửa một trong các phần cho khớp."))
    # Derived figures may use reported figures and derived figures listed before them.
    for i, d in enumerate(raw.get("derived") or []):
        if d.get("id") not in derived_raw or derived_raw[d["id"]] is not d:
            continue
        before = len(issues)
        refs.check(lf, ("derived", i, "of"), d["of"], figures, "số liệu (đã khai báo phía trên)", "figures hoặc derived")
        if len(issues) > before:
            continue
        arity = {"share": 2, "ratio": 2, "difference": None, "sum": None, "remainder": None}[d["op"]]
        line, col = lf.where(("derived", i, "of"))
        if arity and len(d["of"]) != arity:
            issues.append(Issue(file=lf.rel, line=line, column=col, path=("derived", i, "of"),
                                what=f"Phép tính {d['op']} cần đúng {arity} số liệu.", found=f"{len(d['of'])} số liệu",
                                expected=f"{arity} số liệu: [số bị chia, số chia]", fix="Sửa danh sách of."))
            continue
        vals = [figures[x].value for x in d["of"]]
        if d["op"] in ("share", "ratio") and vals[1] == 0:
            issues.append(Issue(file=lf.rel, line=line, column=col, path=("derived", i, "of"),
                                what="Phép chia cho 0.", found=f"{d['of'][1]} = 0", expected="số chia khác 0",
                                fix="Kiểm tra lại số liệu đầu vào."))
            continue
        srcs = []
        for x in d["of"]:
            for s in figures[x].sources:
                if s not in srcs:
                    srcs.append(s)
        value = _compute(d["op"], vals)
        if value < 0 or (d["unit"] == "%" and value > 100 + 1e-9):
            shown = ", ".join(f"{x} = {figures[x].value:g}" for x in d["of"])
            issues.append(Issue(file=lf.rel, line=line, column=col, path=("derived", i, "of"),
                                what=f"Số tính ra \"{d['id']}\" bằng {value:.4g}"
                                     + (", là số âm." if value < 0 else "%, lớn hơn 100%."),
                                found=f"{d['op']} của {shown}",
                                expected="tỷ lệ từ 0 đến 100%" if d["unit"] == "%" else "số không âm",
                                fix="Kiểm tra thứ tự các mã trong of (với share: phần trước, tổng sau; "
                                    "với difference: số lớn trước) và các số liệu đầu vào."))
            continue
        figures[d["id"]] = Figure(id=d["id"], label=d["label"], value=value, unit=d["unit"],
                                  sources=srcs, as_of=d.get("as_of") or figures[d["of"][0]].as_of, derived=True, op=d["op"],
                                  inputs=list(d["of"]), digits=d["digits"], note=d.get("note", ""))
    groups = _by_id(raw.get("groups"), lf, "groups", issues)
    for i, g in enumerate(raw.get("groups") or []):
        if g.get("id") not in groups:
            continue
        before = len(issues)
        refs.check(lf, ("groups", i, "members"), g["members"], reported, "số liệu", "figures")
        if len(issues) > before:
            continue
        line, col = lf.where(("groups", i, "members"))
        not_pct = [m for m in g["members"] if figures[m].unit != "%"]
        if not_pct:
            issues.append(Issue(file=lf.rel, line=line, column=col, path=("groups", i, "members"),
                                what="Nhóm tỷ lệ chỉ được chứa số liệu đơn vị %.", found=", ".join(not_pct),
                                expected="các số liệu có unit: \"%\"", fix="Bỏ các mã này khỏi nhóm."))
            continue
        total = sum(figures[m].value for m in g["members"])
        tol = g["tolerance"] + 1e-9
        shown = " + ".join(f"{figures[m].value:g}" for m in g["members"])
        if total > 100 + tol:
            issues.append(Issue(file=lf.rel, line=line, column=col, path=("groups", i, "members"),
                                what=f"Các tỷ lệ loại trừ nhau cộng lại vượt 100%: {shown} = {total:.1f}.",
                                found=f"{total:.1f}%", expected="không quá 100% (tính cả sai số làm tròn)",
                                fix="Kiểm tra lại từng tỷ lệ trong nguồn."))
        elif g["complete"] and abs(total - 100) > tol:
            issues.append(Issue(file=lf.rel, line=line, column=col, path=("groups", i, "members"),
                                what=f"Nhóm ghi là đầy đủ (complete: true) nhưng các tỷ lệ cộng lại {shown} = {total:.1f}%.",
                                found=f"{total:.1f}%", expected=f"100% (sai số cho phép {g['tolerance']})",
                                fix="Kiểm tra lại từng tỷ lệ, hoặc đổi complete thành false nếu nguồn chỉ nêu một phần."))
    return figures, groups


def _check_charts(lf: LoadedFile, raw: dict, figures: dict, issues: list[Issue], refs: _Refs) -> dict:
    """Charts draw figures by id: every id must exist, and one chart shares one unit (one scale)."""
    charts = _by_id(raw.get("charts"), lf, "charts", issues)
    for i, c in enumerate(raw.get("charts") or []):
        if charts.get(c.get("id")) is not c:
            continue
        ids = [item["fig"] for item in c["series"]]
        before = len(issues)
        for j, fid in enumerate(ids):
            refs.check(lf, ("charts", i, "series", j, "fig"), fid, figures, "số liệu", "figures hoặc derived")
        if len(issues) > before:
            continue
        units = sorted({figures[fid].unit for fid in ids})
        if len(units) > 1:
            line, col = lf.where(("charts", i, "series"))
            issues.append(Issue(file=lf.rel, line=line, column=col, path=("charts", i, "series"),
                                what="Các thanh của một biểu đồ phải cùng đơn vị tính (cùng một thang đo).",
                                found="các đơn vị: " + ", ".join(units), expected="một đơn vị duy nhất",
                                fix="Tách thành hai biểu đồ, mỗi biểu đồ một đơn vị tính."))
        if len(set(ids)) != len(ids):
            line, col = lf.where(("charts", i, "series"))
            issues.append(Issue(file=lf.rel, line=line, column=col, path=("charts", i, "series"),
                                what="Một số liệu xuất hiện hai lần trong cùng biểu đồ.",
                                found=", ".join(sorted({x for x in ids if ids.count(x) > 1})),
                                expected="mỗi số liệu một thanh", fix="Xóa thanh bị lặp."))
    return charts


_SCHEMA_LINE = re.compile(r"^#\s*yaml-language-server:\s*\$schema=(\S+)\s*$")


def _check_schema_line(lf: LoadedFile, name: str, issues: list[Issue]) -> None:
    """Each data file names its schema on a comment line, so the editor (VS Code with the YAML
    extension) checks keys and types while typing. A file without it still builds the same
    site, but its editor loses that help, so the line is required."""
    if not lf.text:
        return
    want = f"schema/{name}.schema.json"
    example = f"# yaml-language-server: $schema={want}"
    for n, line in enumerate(lf.text.splitlines(), 1):
        m = _SCHEMA_LINE.match(line.strip())
        if m:
            if m.group(1) != want:
                issues.append(Issue(file=lf.rel, line=n, what="Dòng chỉ tới mẫu dữ liệu trỏ sai tệp mẫu.",
                                    found=line.strip(), expected=example,
                                    fix=f"Sửa dòng này thành: {example}", detail="wrong $schema target"))
            return
    issues.append(Issue(file=lf.rel, line=1, what="Thiếu dòng chỉ tới mẫu dữ liệu ở đầu tệp.",
                        found="không có dòng \"# yaml-language-server: $schema=...\"", expected=example,
                        fix=f"Thêm dòng sau vào đầu tệp (dòng 1): {example} — nhờ dòng này, VS Code báo lỗi ngay khi gõ.",
                        detail="missing yaml-language-server $schema comment"))


def load(root: Path = ROOT) -> SiteData:
    """Load and check all data files. Raises DataError listing every problem."""
    root = Path(root)
    issues: list[Issue] = []
    files: dict[str, LoadedFile] = {}
    passed = _PassedSchema(root)
    for name in DATA_FILES:
        rel = f"data/{name}.yml"
        lf = load_file(root / rel, rel, issues)
        files[name] = lf
        if lf.data is None:
            continue
        schema_path = root / "data" / "schema" / f"{name}.schema.json"
        if not schema_path.exists():
            issues.append(Issue(file=f"data/schema/{name}.schema.json", what="Thiếu tệp mẫu dữ liệu (JSON Schema).",
                                fix="Khôi phục tệp từ kho.", detail="schema not found"))
            continue
        fp = passed.fingerprint(lf, schema_path)
        if passed.has(name, fp):
            continue
        schema_issues = _schema_issues(lf, schema_path)
        issues.extend(schema_issues)
        if schema_issues:
            lf.data = None  # cross-checks would only repeat the same problem in other words
        else:
            passed.add(name, fp)
    passed.save()
    for name, lf in files.items():
        _check_schema_line(lf, name, issues)

    # Checks across files run for every file that passed its own checks, so that one run lists
    # as many problems as possible; a check that needs a broken file waits for the next run.
    broken = {n for n, f in files.items() if f.data is None}

    def ok(*names):
        return not broken.intersection(names)

    refs = _Refs(issues)
    S, F, P, D, SO, E = (files[n] for n in DATA_FILES[:6])
    sources = _by_id(S.data["sources"], S, "sources", issues) if ok("sources") else {}
    figures, groups, charts = {}, {}, {}
    if ok("figures", "sources"):
        figures, groups = _check_figures(F, F.data, sources, issues, refs)
        charts = _check_charts(F, F.data, figures, issues, refs)

    solutions = _by_id(SO.data["solutions"], SO, "solutions", issues) if ok("solutions") else {}
    weaknesses = _by_id(SO.data["weaknesses"], SO, "weaknesses", issues) if ok("solutions") else {}
    documents = _by_id(D.data["documents"], D, "documents", issues) if ok("documents") else {}
    programmes = _by_id(P.data["programmes"], P, "programmes", issues) if ok("programmes") else {}
    events = _by_id(E.data["events"], E, "events", issues) if ok("events") else {}

    numbers: dict = {}
    for i, s in enumerate(SO.data["solutions"] if ok("solutions", "documents", "sources") else []):
        if s["number"] in numbers:
            line, col = SO.where(("solutions", i, "number"))
            issues.append(Issue(file=SO.rel, line=line, column=col, path=("solutions", i, "number"),
                                what=f"Số thứ tự {s['number']} bị trùng.", found=str(s["number"]),
                                expected="mỗi giải pháp một số khác nhau", fix="Sửa số thứ tự."))
        numbers[s["number"]] = s["id"]
        refs.check(SO, ("solutions", i, "weaknesses"), s["weaknesses"], weaknesses, "hạn chế", "weaknesses")
        refs.check(SO, ("solutions", i, "documents"), s["documents"], documents, "văn bản", "data/documents.yml")
        refs.check(SO, ("solutions", i, "source"), s["source"], sources, "nguồn", "data/sources.yml")
    if ok("solutions", "sources"):
        for i, w in enumerate(SO.data["weaknesses"]):
            refs.check(SO, ("weaknesses", i, "source"), w["source"], sources, "nguồn", "data/sources.yml")
        refs.check(SO, ("resolution", "source"), SO.data["resolution"]["source"], sources, "nguồn", "data/sources.yml")

    plabels = P.data["labels"] if ok("programmes") else {}
    for i, p in enumerate(P.data["programmes"] if ok(*DATA_FILES[:5]) else []):
        refs.check(P, ("programmes", i, "track"), p["track"], plabels["tracks"], "nhóm chương trình", "labels.tracks")
        refs.check(P, ("programmes", i, "level"), p["level"], plabels["levels"], "cấp trình độ", "labels.levels")
        refs.check(P, ("programmes", i, "modes"), p["modes"], plabels["modes"], "hình thức học", "labels.modes")
        refs.check(P, ("programmes", i, "audiences"), p["audiences"], plabels["audiences"], "đối tượng", "labels.audiences")
        refs.check(P, ("programmes", i, "solutions"), p["solutions"], solutions, "giải pháp", "data/solutions.yml")
        refs.check(P, ("programmes", i, "documents"), p["documents"], documents, "văn bản", "data/documents.yml")
        refs.check(P, ("programmes", i, "results"), p["results"], figures, "số liệu", "data/figures.yml")

    dlabels = D.data["labels"] if ok("documents") else {}
    for i, d in enumerate(D.data["documents"] if ok("documents", "sources") else []):
        refs.check(D, ("documents", i, "kind"), d["kind"], dlabels["kinds"], "loại văn bản", "labels.kinds")
        refs.check(D, ("documents", i, "status"), d["status"], dlabels["statuses"], "tình trạng", "labels.statuses")
        refs.check(D, ("documents", i, "topics"), d["topics"], dlabels["topics"], "chủ đề", "labels.topics")
        refs.check(D, ("documents", i, "source"), d["source"], sources, "nguồn", "data/sources.yml")
        for rel_key in ("replaced_by", "amends", "implements"):
            if rel_key in d:
                refs.check(D, ("documents", i, rel_key), d[rel_key], documents, "văn bản", "data/documents.yml")
                if d["id"] in d[rel_key]:
                    line, col = D.where(("documents", i, rel_key))
                    issues.append(Issue(file=D.rel, line=line, column=col, path=("documents", i, rel_key),
                                        what="Văn bản tự tham chiếu tới chính nó.", found=d["id"],
                                        expected="mã của một văn bản khác", fix="Sửa mã."))
        if (d["status"] == "da-thay-the") != bool(d.get("replaced_by")):
            line, col = D.where(("documents", i, "status"))
            issues.append(Issue(file=D.rel, line=line, column=col, path=("documents", i, "status"),
                                what="Tình trạng \"da-thay-the\" và danh sách replaced_by phải đi cùng nhau.",
                                found=f"status: {d['status']}, replaced_by: {d.get('replaced_by', 'không có')}",
                                expected="status: da-thay-the kèm replaced_by: [mã văn bản thay thế], hoặc không có cả hai",
                                fix="Thêm replaced_by với mã văn bản thay thế, hoặc đổi status."))
        if d.get("date") and d.get("effective") and d["effective"] < d["date"]:
            line, col = D.where(("documents", i, "effective"))
            issues.append(Issue(file=D.rel, line=line, column=col, path=("documents", i, "effective"),
                                what="Ngày có hiệu lực sớm hơn ngày ban hành.", found=f"{d['effective']} < {d['date']}",
                                expected="effective không sớm hơn date", fix="Kiểm tra lại hai ngày trong nguồn."))
    for i, e in enumerate(E.data["events"] if ok("events", "sources") else []):
        refs.check(E, ("events", i, "source"), e["source"], sources, "nguồn", "data/sources.yml")
        if e.get("date") and e.get("year") and int(e["date"][:4]) != e["year"]:
            line, col = E.where(("events", i, "year"))
            issues.append(Issue(file=E.rel, line=line, column=col, path=("events", i, "year"),
                                what="Năm không khớp với ngày.", found=f"date {e['date']}, year {e['year']}",
                                expected="cùng một năm", fix="Sửa một trong hai, hoặc bỏ year khi đã có date."))

    from .tools import check_tools

    tools = check_tools(files, ok, refs, issues, _by_id, solutions=solutions, documents=documents,
                        programmes=programmes, sources=sources, figures=figures)

    if issues or broken:
        raise DataError(issues)
    return SiteData(
        raw={n: f.data for n, f in files.items()}, sources=sources, figures=figures, groups=groups,
        programmes=programmes, programme_labels=plabels, documents=documents, document_labels=dlabels,
        status_checked=D.data["status_checked"], solutions=dict(sorted(solutions.items(), key=lambda kv: kv[1]["number"])),
        weaknesses=weaknesses, resolution=SO.data["resolution"], events=events, charts=charts,
        forms=tools.forms, tools=tools,
    )


_cache: dict = {}


def data_fingerprint(root: Path = ROOT) -> tuple:
    """Modification times of every data and schema file: a change means a reload."""
    root = Path(root)
    files = sorted((root / "data").glob("*.yml")) + sorted((root / "data" / "schema").glob("*.json"))
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files)


def load_cached(root: Path = ROOT) -> SiteData:
    """`load`, reused while no data file changes (macros and hooks both ask for it)."""
    key = (str(root), data_fingerprint(root))
    if key not in _cache:
        _cache.clear()
        _cache[key] = load(root)
    return _cache[key]
