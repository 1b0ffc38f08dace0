"""JSON Schema checks of data files, told to editors in Vietnamese.

Each data file is validated against data/schema/<name>.schema.json; every jsonschema error is
turned into an `Issue` with file, line, key path, what was found, what is expected and how to
fix it. Files that passed, unchanged since, are not validated again (`PassedSchema`).
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import cache
from pathlib import Path

from .issues import TYPE_VI, Issue, suggest
from .project import cache_path, write_cache
from .yamlload import LoadedFile


@cache
def _validator(schema_path: Path, mtime: float):
    # Imported here: a build whose data all passed before (PassedSchema) never needs it.
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
    folder = Path(next(iter(spec.submodule_search_locations)))
    return repr([(p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(folder.glob("*.py"))])


class PassedSchema:
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


def schema_issues(lf: LoadedFile, schema_path: Path) -> list[Issue]:
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



# One function per kind of jsonschema error. Each takes (err, base), where base holds the
# Issue's file, line, column, key path and technical detail, and returns the Issues to report.
def _additional_properties(err, base, lf: LoadedFile) -> list[Issue]:
    allowed = sorted(err.schema.get("properties", {}))
    path = base["path"]
    issues = []
    for key in sorted(set(err.instance) - set(allowed)):
        kl, kc = lf.where((*path, key), key=True)
        issues.append(Issue(file=lf.rel, line=kl, column=kc, path=(*path, key),
                            what=f"Khóa \"{key}\" không có trong mẫu dữ liệu.",
                            found=f"khóa \"{key}\"", expected="một trong: " + ", ".join(allowed),
                            fix=suggest(key, allowed) + "Sửa tên khóa cho đúng, hoặc xóa dòng này.",
                            detail=err.message))
    return issues


def _required(err, base) -> list[Issue]:
    missing = [k for k in err.validator_value if k not in err.instance]
    props = err.schema.get("properties", {})
    return [Issue(**base, what=f"Thiếu khóa bắt buộc \"{k}\".", found="không có khóa này",
                  expected=f"{k}: {props.get(k, {}).get('description', '')}".strip(),
                  fix=f"Thêm dòng \"{k}: ...\" vào mục này (thụt lề thẳng hàng với các khóa khác).")
            for k in missing]


def _type(err, base) -> list[Issue]:
    want = err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
    fix = "Sửa giá trị cho đúng kiểu."
    if "number" in want or "integer" in want:
        fix = ("Ghi số không có chữ, không có dấu chấm ngăn cách hàng nghìn (36000, không phải 36.000); "
               "số thập phân dùng dấu chấm (61.9).")
    elif "array" in want:
        fix = "Ghi danh sách trong ngoặc vuông, ví dụ [ma-1, ma-2], hoặc [] nếu để trống."
    return [Issue(**base, what="Giá trị sai kiểu.", found=_describe(err.instance),
                  expected=" hoặc ".join(TYPE_VI.get(w, w) for w in want), fix=fix)]


def _enum(err, base) -> list[Issue]:
    options = [str(o) for o in err.validator_value]
    return [Issue(**base, what="Giá trị không nằm trong danh sách cho phép.", found=_describe(err.instance),
                  expected="một trong: " + ", ".join(options),
                  fix=suggest(err.instance, options) + "Chọn một giá trị trong danh sách.")]


def _format(err, base) -> list[Issue]:
    if err.validator_value != "date":
        return _other(err, base)
    return [Issue(**base, what="Ngày không hợp lệ.", found=_describe(err.instance),
                  expected="một ngày có thật, dạng YYYY-MM-DD (ví dụ 2020-12-07)",
                  fix="Kiểm tra lại ngày, tháng (tháng 2 không có ngày 30, tháng 4 không có ngày 31...).")]


def _pattern(err, base) -> list[Issue]:
    return [Issue(**base, what="Giá trị không đúng định dạng.", found=_describe(err.instance),
                  expected=err.schema.get("description", "") or f"khớp mẫu {err.validator_value}",
                  fix="Sửa giá trị theo định dạng ở trên. Mã (id) chỉ gồm chữ thường không dấu, số và dấu gạch ngang.")]


def _minimum(err, base) -> list[Issue]:
    return [Issue(**base, what="Giá trị nhỏ hơn mức cho phép (số liệu không được âm).", found=_describe(err.instance),
                  expected=f"từ {err.validator_value} trở lên", fix="Kiểm tra lại con số trong nguồn.")]


def _maximum(err, base) -> list[Issue]:
    return [Issue(**base, what="Giá trị lớn hơn mức cho phép.", found=_describe(err.instance),
                  expected=f"không quá {err.validator_value}", fix="Kiểm tra lại con số trong nguồn.")]


def _empty(err, base) -> list[Issue]:
    return [Issue(**base, what="Giá trị bị để trống trong khi khóa này cần có nội dung.",
                  found=_describe(err.instance), expected=err.schema.get("description", "có ít nhất một phần tử"),
                  fix="Điền nội dung, hoặc xóa hẳn khóa nếu khóa không bắt buộc.")]


def _unique(err, base) -> list[Issue]:
    return [Issue(**base, what="Danh sách có phần tử lặp lại.", found=_describe(err.instance),
                  expected="mỗi mã chỉ một lần", fix="Xóa mã bị lặp.")]


def _any_of(err, base) -> list[Issue]:
    if err.schema.get("anyOf") != [{"required": ["date"]}, {"required": ["year"]}]:
        return _other(err, base)
    return [Issue(**base, what="Mốc thời gian thiếu cả ngày (date) lẫn năm (year).", found="không có date, year",
                  expected="date: YYYY-MM-DD hoặc year: YYYY", fix="Thêm ngày hoặc năm theo nguồn.")]


def _other(err, base) -> list[Issue]:
    return [Issue(**base, what="Giá trị không hợp lệ theo mẫu dữ liệu.", found=_describe(err.instance),
                  expected=err.schema.get("description", ""), fix="Xem trang Từ điển dữ liệu.")]


_EXPLAIN = {
    "required": _required, "type": _type, "enum": _enum, "format": _format, "pattern": _pattern,
    "minimum": _minimum, "exclusiveMinimum": _minimum, "maximum": _maximum, "exclusiveMaximum": _maximum,
    "minItems": _empty, "minLength": _empty, "uniqueItems": _unique, "anyOf": _any_of,
}


def _explain(err, lf: LoadedFile) -> list[Issue]:
    """Turn one jsonschema error into Issues an editor can act on."""
    path = tuple(err.absolute_path)
    line, col = lf.where(path)
    base = dict(file=lf.rel, line=line, column=col, path=path, detail=err.message)
    if err.validator == "additionalProperties":
        return _additional_properties(err, base, lf)
    return _EXPLAIN.get(err.validator, _other)(err, base)


_SCHEMA_LINE = re.compile(r"^#\s*yaml-language-server:\s*\$schema=(\S+)\s*$")


def schema_line_issues(lf: LoadedFile, name: str, issues: list[Issue]) -> None:
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




def validate(root: Path, name: str, lf: LoadedFile, passed: PassedSchema, issues: list[Issue]) -> None:
    """Check one loaded data file against its JSON Schema. A file that fails has its data set
    to None: the checks across files would only repeat the same problem in other words."""
    schema_path = root / "data" / "schema" / f"{name}.schema.json"
    if not schema_path.exists():
        issues.append(Issue(file=f"data/schema/{name}.schema.json", what="Thiếu tệp mẫu dữ liệu (JSON Schema).",
                            fix="Khôi phục tệp từ kho.", detail="schema not found"))
        lf.data = None
        return
    fp = passed.fingerprint(lf, schema_path)
    if passed.has(name, fp):
        return
    try:
        found = schema_issues(lf, schema_path)
    except Exception as err:  # a broken schema file: JSON syntax, or not a schema
        issues.append(Issue(file=f"data/schema/{name}.schema.json", line=getattr(err, "lineno", None),
                            what="Tệp mẫu dữ liệu (JSON Schema) hỏng: không đọc được.",
                            found=str(err).split("\n")[0][:120], expected="JSON hợp lệ theo chuẩn JSON Schema",
                            fix=f"Khôi phục tệp từ kho: git checkout -- data/schema/{name}.schema.json",
                            detail=type(err).__name__))
        lf.data = None
        return
    issues.extend(found)
    if found:
        lf.data = None
    else:
        passed.add(name, fp)
