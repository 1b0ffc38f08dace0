"""Checks across data files: ids are unique, every reference names a record that exists, and
records agree with each other (a replaced document names what replaced it, dates in order...)."""

from __future__ import annotations

from .issues import Issue, suggest
from .yamlload import LoadedFile


def by_id(items, lf: LoadedFile, key: str, issues: list[Issue], seen: dict | None = None) -> dict:
    """The records of a list by their id; a repeated id is reported and the record left out."""
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


class Refs:
    """Reports references to ids that do not exist, with file, line and a close match."""

    def __init__(self, issues: list[Issue]):
        self.issues = issues

    def check(self, lf: LoadedFile, path: tuple, value, universe: dict, what: str, target: str) -> None:
        values = value if isinstance(value, list) else [value]
        for j, v in enumerate(values):
            if v is None or v in universe:
                continue
            p = path + ((j,) if isinstance(value, list) else ())
            line, col = lf.where(p)
            self.issues.append(Issue(
                file=lf.rel, line=line, column=col, path=p,
                what=f"Tham chiếu tới {what} không tồn tại: \"{v}\".", found=f"\"{v}\"",
                expected=f"một mã có trong {target}",
                fix=suggest(v, universe) + f"Sửa mã cho đúng, hoặc thêm mục \"{v}\" vào {target}.",
                detail="dangling reference"))


def _add(issues: list[Issue], lf: LoadedFile, path: tuple, **fields) -> None:
    line, col = lf.where(path)
    issues.append(Issue(file=lf.rel, line=line, column=col, path=path, **fields))


def check_solutions(lf: LoadedFile, ix: dict, refs: Refs, issues: list[Issue]) -> None:
    """Solution numbers are unique; solutions and weaknesses cite what exists."""
    numbers: set = set()
    for i, s in enumerate(lf.data["solutions"]):
        if s["number"] in numbers:
            _add(issues, lf, ("solutions", i, "number"), what=f"Số thứ tự {s['number']} bị trùng.",
                 found=str(s["number"]), expected="mỗi giải pháp một số khác nhau", fix="Sửa số thứ tự.")
        numbers.add(s["number"])
        refs.check(lf, ("solutions", i, "weaknesses"), s["weaknesses"], ix["weaknesses"], "hạn chế", "weaknesses")
        refs.check(lf, ("solutions", i, "documents"), s["documents"], ix["documents"], "văn bản", "data/documents.yml")
        refs.check(lf, ("solutions", i, "source"), s["source"], ix["sources"], "nguồn", "data/sources.yml")
    for i, w in enumerate(lf.data["weaknesses"]):
        refs.check(lf, ("weaknesses", i, "source"), w["source"], ix["sources"], "nguồn", "data/sources.yml")
    refs.check(lf, ("resolution", "source"), lf.data["resolution"]["source"], ix["sources"], "nguồn", "data/sources.yml")


# Programme key -> (labels group in programmes.yml or collection, noun, where editors find it)
_PROGRAMME_REFS = (
    ("track", "tracks", "nhóm chương trình", "labels.tracks"),
    ("level", "levels", "cấp trình độ", "labels.levels"),
    ("modes", "modes", "hình thức học", "labels.modes"),
    ("audiences", "audiences", "đối tượng", "labels.audiences"),
)
_PROGRAMME_LINKS = (
    ("solutions", "solutions", "giải pháp", "data/solutions.yml"),
    ("documents", "documents", "văn bản", "data/documents.yml"),
    ("results", "figures", "số liệu", "data/figures.yml"),
)


def check_programmes(lf: LoadedFile, ix: dict, refs: Refs) -> None:
    labels = lf.data["labels"]
    for i, p in enumerate(lf.data["programmes"]):
        for key, group, noun, where in _PROGRAMME_REFS:
            refs.check(lf, ("programmes", i, key), p[key], labels[group], noun, where)
        for key, attr, noun, where in _PROGRAMME_LINKS:
            refs.check(lf, ("programmes", i, key), p[key], ix[attr], noun, where)


_DOCUMENT_REFS = (
    ("kind", "kinds", "loại văn bản", "labels.kinds"),
    ("status", "statuses", "tình trạng", "labels.statuses"),
    ("topics", "topics", "chủ đề", "labels.topics"),
)


def _document_relations(lf: LoadedFile, i: int, d: dict, documents: dict, refs: Refs, issues: list[Issue]) -> None:
    for rel_key in ("replaced_by", "amends", "implements"):
        if rel_key not in d:
            continue
        refs.check(lf, ("documents", i, rel_key), d[rel_key], documents, "văn bản", "data/documents.yml")
        if d["id"] in d[rel_key]:
            _add(issues, lf, ("documents", i, rel_key), what="Văn bản tự tham chiếu tới chính nó.", found=d["id"],
                 expected="mã của một văn bản khác", fix="Sửa mã.")


def check_documents(lf: LoadedFile, ix: dict, refs: Refs, issues: list[Issue]) -> None:
    labels = lf.data["labels"]
    for i, d in enumerate(lf.data["documents"]):
        for key, group, noun, where in _DOCUMENT_REFS:
            refs.check(lf, ("documents", i, key), d[key], labels[group], noun, where)
        refs.check(lf, ("documents", i, "source"), d["source"], ix["sources"], "nguồn", "data/sources.yml")
        _document_relations(lf, i, d, ix["documents"], refs, issues)
        if (d["status"] == "da-thay-the") != bool(d.get("replaced_by")):
            _add(issues, lf, ("documents", i, "status"),
                 what="Tình trạng \"da-thay-the\" và danh sách replaced_by phải đi cùng nhau.",
                 found=f"status: {d['status']}, replaced_by: {d.get('replaced_by', 'không có')}",
                 expected="status: da-thay-the kèm replaced_by: [mã văn bản thay thế], hoặc không có cả hai",
                 fix="Thêm replaced_by với mã văn bản thay thế, hoặc đổi status.")
        if d.get("date") and d.get("effective") and d["effective"] < d["date"]:
            _add(issues, lf, ("documents", i, "effective"), what="Ngày có hiệu lực sớm hơn ngày ban hành.",
                 found=f"{d['effective']} < {d['date']}", expected="effective không sớm hơn date",
                 fix="Kiểm tra lại hai ngày trong nguồn.")


def check_events(lf: LoadedFile, ix: dict, refs: Refs, issues: list[Issue]) -> None:
    for i, e in enumerate(lf.data["events"]):
        refs.check(lf, ("events", i, "source"), e["source"], ix["sources"], "nguồn", "data/sources.yml")
        if e.get("date") and e.get("year") and int(e["date"][:4]) != e["year"]:
            _add(issues, lf, ("events", i, "year"), what="Năm không khớp với ngày.",
                 found=f"date {e['date']}, year {e['year']}", expected="cùng một năm",
                 fix="Sửa một trong hai, hoặc bỏ year khi đã có date.")
