"""Limits on what an editor's YAML may ask of the loader (issue 12).

- Aliases (`*name`) and merge keys (`<<:`) are refused in data files: nine lines of aliases
  expand to billions of values, and no data file needs them (copy the value instead). They are
  found in PyYAML's event stream, before any node is composed or walked.
- Numbers: `.nan`, `.inf` and numbers beyond NUMBER_MAX are refused with a message; they would
  otherwise fail far away (formatting, JSON, charts) with a Python traceback.
"""

from __future__ import annotations

import math
import re

import yaml

from .issues import Issue

NUMBER_MAX = 10**15  # above this, JavaScript (search, filters) can no longer hold the number exactly
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"


def alias_issues(text: str, rel: str, loader_class) -> list[Issue]:
    """An Issue for each alias or merge key in `text`; [] also when the text does not parse
    (the normal loader then reports the syntax error with its usual message)."""
    out: list[Issue] = []
    loader = loader_class(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            mark = event.start_mark
            if isinstance(event, yaml.AliasEvent):
                out.append(Issue(
                    file=rel, line=mark.line + 1, column=mark.column + 1,
                    what=f"Tệp dùng bí danh YAML (*{event.anchor}); dữ liệu của trang không dùng bí danh.",
                    found=f"*{event.anchor}", expected="giá trị ghi trực tiếp",
                    fix=f"Chép giá trị của mục có nhãn &{event.anchor} vào chỗ này, rồi xóa nhãn &{event.anchor}.",
                    detail="YAML alias refused (aliases can expand without bound)"))
            elif isinstance(event, yaml.ScalarEvent) and event.value == "<<" and not event.style:
                out.append(Issue(
                    file=rel, line=mark.line + 1, column=mark.column + 1,
                    what="Tệp dùng khóa gộp YAML \"<<\"; dữ liệu của trang không dùng khóa gộp.",
                    found="<<: ...", expected="mỗi mục ghi đủ các khóa của nó",
                    fix="Xóa dòng \"<<: ...\" và chép trực tiếp các khóa cần có vào mục này.",
                    detail="YAML merge key refused"))
            if len(out) >= 3:  # the first few are enough to find the pattern
                break
    except yaml.YAMLError:
        pass
    finally:
        loader.dispose()
    return out


_DIGITS = re.compile(r"[0-9]")


def number_issue(node, rel: str, path: tuple) -> Issue | None:
    """An Issue for a plain scalar that YAML reads as NaN, an infinity or a number too large."""
    if node.tag not in (_INT_TAG, _FLOAT_TAG):
        return None
    text = node.value
    line, col = node.start_mark.line + 1, node.start_mark.column + 1
    if node.tag == _FLOAT_TAG and text.lower().lstrip("+-") in (".nan", ".inf"):
        what = "Giá trị không phải là số (NaN)." if "nan" in text.lower() else "Giá trị là vô cực (.inf), không phải một số."
    else:
        digits = len(_DIGITS.findall(text))
        if node.tag == _INT_TAG:
            if digits <= 15:
                return None
        else:
            try:
                value = float(text.replace("_", ""))
            except ValueError:  # YAML 1.1 forms such as 1:30.5: small by construction
                return None
            if math.isfinite(value) and abs(value) < NUMBER_MAX:
                return None
        what = f"Số quá lớn ({text[:24]}); số liệu của trang không vượt {NUMBER_MAX:,}.".replace(",", ".")
    return Issue(file=rel, line=line, column=col, path=path, what=what, found=text[:40],
                 expected="một số hữu hạn, ví dụ 36000 hoặc 61.9",
                 fix="Ghi đúng con số theo nguồn; nếu chưa có số, bỏ mục này cho tới khi có nguồn.",
                 detail=f"number out of range: {text[:40]}")
