"""Reference pages for editors, generated so that they cannot drift from the code:

- the data dictionary, from the JSON Schemas in data/schema/: one table per kind of entry, one
  row per key with its type, whether it is required, its meaning and the values allowed;
- the macro reference, from the functions registered in macros.py (`define_env`): signature,
  arguments, the Vietnamese docstring and its examples.

Markup is in overrides/kb/data_dictionary.md and overrides/kb/macro_reference.md.
"""

from __future__ import annotations

import html
import inspect
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .issues import TYPE_VI

# Patterns of the schemas, said in words. A pattern missing here is shown as it is written.
PATTERN_VI = {
    "^[a-z0-9]+(-[a-z0-9]+)*$": "chữ thường không dấu, số và dấu gạch ngang (ví dụ dt-cao-cap)",
    "^[0-9]{4}-(0[1-9]|1[0-2])$": "tháng dạng YYYY-MM (ví dụ 2026-11)",
    "^([01][0-9]|2[0-3]):[0-5][0-9]$": "giờ dạng HH:MM, đặt trong ngoặc kép (ví dụ \"16:10\")",
    "^https://": "địa chỉ web bắt đầu bằng https://",
    "^[a-z0-9.-]+\\.[a-z]{2,}$": "tên miền, không có https:// (ví dụ baohatinh.vn)",
    "^[0-9]+[0-9A-Za-zĐđ/ -]*$": "số hiệu bắt đầu bằng chữ số (ví dụ 101/2017/NĐ-CP)",
    "^[^{}<>]*$": "chữ không có các ký tự { } < >",
}


@dataclass
class Row:
    key: str
    type: str
    required: bool
    meaning: str
    allowed: str


@dataclass
class Table:
    anchor: str
    title: str
    rows: list[Row]
    note: str = ""


@dataclass
class DataFile:
    name: str
    title: str
    description: str
    tables: list[Table] = field(default_factory=list)

    @property
    def path(self) -> str:
        return f"data/{self.name}.yml"

    @property
    def schema(self) -> str:
        return f"data/schema/{self.name}.schema.json"


def _resolve(schema: dict, node: dict) -> tuple[dict, str | None]:
    """Follow a local $ref; keep the description written beside it. Returns (node, def name)."""
    ref = node.get("$ref")
    if not ref:
        return node, None
    name = ref.rsplit("/", 1)[-1]
    target = dict(schema["$defs"][name])
    if "description" in node:
        target["description"] = node["description"]
    return target, name


ID_WORDS = PATTERN_VI["^[a-z0-9]+(-[a-z0-9]+)*$"]


def _base_kind(node: dict, defname: str | None, allowed: list[str]) -> str:
    if defname == "id":
        return "mã"
    if "enum" in node:
        allowed.append("một trong: " + ", ".join(f"{v}" for v in node["enum"]))
        return "một giá trị trong danh sách"
    types = node.get("type", "")
    types = types if isinstance(types, list) else [types]
    if node.get("format") != "date":
        return " hoặc ".join(TYPE_VI.get(t, t) for t in types if t)
    allowed.append("ngày có thật, dạng YYYY-MM-DD (ví dụ 2020-12-07)")
    if "null" in types:
        allowed.append("null khi chưa xác nhận")
        return "ngày hoặc null"
    return "ngày"


def _bounds(node: dict, allowed: list[str]) -> None:
    if node.get("pattern"):
        allowed.append(PATTERN_VI.get(node["pattern"], f"khớp mẫu {node['pattern']}"))
    if node.get("minLength"):
        allowed.append("không để trống")
    if "minimum" in node and "maximum" in node:
        allowed.append(f"từ {node['minimum']:g} đến {node['maximum']:g}")
    elif "minimum" in node:
        allowed.append(f"không nhỏ hơn {node['minimum']:g}")
    elif "maximum" in node:
        allowed.append(f"không lớn hơn {node['maximum']:g}")


def _array_kind(schema: dict, node: dict, kind: str, allowed: list[str]) -> str:
    item, item_def = _resolve(schema, node.get("items", {}))
    if item_def == "id":
        kind = "danh sách mã"
        allowed.append("mỗi mã: " + ID_WORDS)
    elif item.get("type") == "object":
        kind = "danh sách mục"
        allowed.append("các khóa của mỗi mục: xem bảng ngay dưới")
    allowed.append(f"ít nhất {node['minItems']} phần tử" if node.get("minItems") else "có thể để [] (danh sách rỗng)")
    if node.get("uniqueItems"):
        allowed.append("không lặp")
    return kind


def _type_and_allowed(schema: dict, node: dict, defname: str | None) -> tuple[str, list[str]]:
    allowed: list[str] = []
    kind = _base_kind(node, defname, allowed)
    _bounds(node, allowed)
    if node.get("type") == "array":
        kind = _array_kind(schema, node, kind, allowed)
    if node.get("type") == "object" and isinstance(node.get("additionalProperties"), dict):
        kind = "bảng mã → tên hiển thị"
        allowed.append("mỗi dòng dạng \"mã: Tên hiển thị\"; mã gồm " + ID_WORDS)
    elif node.get("type") == "object" and "properties" in node:
        kind = TYPE_VI["object"]
    if defname == "id" and not node.get("pattern"):
        allowed.append(ID_WORDS)
    return kind, allowed


def _what(node: dict) -> str:
    desc = node.get("description", "").strip().rstrip(".")
    return f" ({desc[0].lower() + desc[1:]})" if desc else ""


def _table(schema: dict, node: dict, anchor: str, title: str, queue: list) -> Table:
    required = set(node.get("required", []))
    rows = []
    for key, prop in node.get("properties", {}).items():
        sub, defname = _resolve(schema, prop)
        kind, allowed = _type_and_allowed(schema, sub, defname)
        rows.append(Row(key, kind, key in required, sub.get("description", ""), "; ".join(allowed)))
        if sub.get("type") == "array":
            item, _item_def = _resolve(schema, sub.get("items", {}))
            if item.get("type") == "object" and "properties" in item:
                queue.append((item, f"{anchor}-{key}", f"Mỗi mục trong danh sách {key}{_what(item)}"))
        elif sub.get("type") == "object" and "properties" in sub:
            queue.append((sub, f"{anchor}-{key}", f"Các khóa trong {key}{_what(sub)}"))
    note = ""
    for alt in node.get("anyOf", []):
        if "required" not in alt:
            break
    else:
        if node.get("anyOf"):
            keys = [k for alt in node["anyOf"] for k in alt["required"]]
            note = "Mỗi mục cần có ít nhất một trong các khóa: " + ", ".join(keys) + "."
    if node.get("additionalProperties") is False:
        note = (note + " " if note else "") + "Không được thêm khóa nào ngoài các khóa trong bảng."
    return Table(anchor, title, rows, note)


def data_files(root: Path, names) -> list[DataFile]:
    out = []
    for name in names:
        schema = json.loads((Path(root) / "data" / "schema" / f"{name}.schema.json").read_text(encoding="utf-8"))
        df = DataFile(name, schema.get("title", name), schema.get("description", ""))
        # Not `name` itself: that is the id of the file's own heading (one id per page).
        queue = [(schema, f"{name}-cap-ngoai", "Các khóa ở cấp ngoài cùng của tệp")]
        while queue:
            node, anchor, title = queue.pop(0)
            df.tables.append(_table(schema, node, anchor, title, queue))
        out.append(df)
    return out


# -- macros ----------------------------------------------------------------------------------
ANNOTATION_VI = {"str": "chữ", "bool": "True hoặc False", "int": "số nguyên", "list": "danh sách", "float": "số"}
INTERNAL = "(Dùng cho trang"  # docstrings of macros that only generated pages use start so


@dataclass
class Arg:
    name: str
    type: str
    default: str  # "" when required


@dataclass
class Macro:
    name: str
    signature: str
    description: str
    args: list[Arg]
    examples: list[str]
    internal: bool

    @property
    def anchor(self) -> str:
        return "macro-" + self.name.replace("_", "-")


def _default(value) -> str:
    if value is inspect.Parameter.empty:
        return ""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else repr(value)


def macros(functions: dict) -> list[Macro]:
    """The macros defined in macros.py and the modules it registers (sitekit/*), not those built
    into mkdocs-macros, in definition order."""
    out = []
    for name, fn in functions.items():
        module = getattr(fn, "__module__", "")
        if module != "macros" and not module.startswith("sitekit."):
            continue
        doc = inspect.cleandoc(fn.__doc__ or "")
        text, _, example_part = doc.partition("Ví dụ:")
        examples = re.findall(r"\{\{.*?\}\}", example_part, flags=re.S)
        sig = inspect.signature(fn)
        args = [Arg(p.name, ANNOTATION_VI.get(getattr(p.annotation, "__name__", str(p.annotation)),
                                              str(p.annotation)), _default(p.default))
                for p in sig.parameters.values()]
        if not examples and not any(a.default == "" for a in args):
            examples = [f"{{{{ {name}() }}}}"]
        shown = ", ".join(a.name + ("" if a.default == "" else f"={a.default}") for a in args)
        out.append(Macro(name, f"{name}({shown})", " ".join(text.split()).rstrip(" .;") + ".",
                         args, examples, doc.startswith(INTERNAL)))
    return out


def code(text: str) -> str:
    """HTML for code that shows {{ }} as typed (the braces as entities: never re-rendered)."""
    from markupsafe import Markup

    return Markup(html.escape(text).replace("{", "&#123;").replace("}", "&#125;"))
