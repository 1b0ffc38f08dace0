"""The site's domain model: what a checked data set holds, and the tables that say each fact once.

- `COLLECTIONS`: every kind of record a page can name by id, with the attribute that holds it,
  the Vietnamese noun editors read and the data file it lives in. The macros, the page checks
  and the macro reference all read this one table.
- `MACRO_IDS`: which collection the id arguments of each macro name.
- `OPS`: the operations a derived figure can use: how it is computed, how many inputs it takes,
  and how its working is written for readers.

No engine import here: this module is plain Python.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Collection:
    attr: str  # attribute of SiteData
    noun: str  # what editors call one record, in Vietnamese
    file: str  # the data file, from the project root


COLLECTIONS = {
    c.attr: c
    for c in (
        Collection("figures", "số liệu", "data/figures.yml"),
        Collection("groups", "nhóm tỷ lệ", "data/figures.yml"),
        Collection("charts", "biểu đồ", "data/figures.yml"),
        Collection("events", "mốc thời gian", "data/events.yml"),
        Collection("documents", "văn bản", "data/documents.yml"),
        Collection("programmes", "chương trình", "data/programmes.yml"),
        Collection("solutions", "giải pháp", "data/solutions.yml"),
        Collection("weaknesses", "hạn chế", "data/solutions.yml"),
        Collection("sources", "nguồn", "data/sources.yml"),
        Collection("forms", "mẫu biểu", "data/forms.yml"),
    )
}

# Macro name -> (collection of its id arguments, how many leading arguments are ids).
MACRO_IDS: dict[str, tuple[str, int]] = {
    "fig": ("figures", 1), "label": ("figures", 1), "value": ("figures", 1), "share": ("figures", 2),
    "event": ("events", 1), "doc": ("documents", 1), "doc_date": ("documents", 1),
    "prog": ("programmes", 1), "sol": ("solutions", 1), "src": ("sources", 1),
    "weakness": ("weaknesses", 1), "group_table": ("groups", 1), "chart": ("charts", 1),
    "solution_related": ("solutions", 1), "programme_page": ("programmes", 1),
    "document_page": ("documents", 1), "form": ("forms", 1), "form_page": ("forms", 1),
}


@dataclass(frozen=True)
class Operation:
    arity: int | None  # exact number of inputs, None for any number
    compute: Callable[[list[float]], float]
    symbol: str  # between the inputs when the working is written out
    divides: bool = False  # the second input must not be 0


OPS = {
    "sum": Operation(None, sum, " + "),
    "difference": Operation(None, lambda v: v[0] - sum(v[1:]), " − "),
    "share": Operation(2, lambda v: v[0] / v[1] * 100, " / ", divides=True),
    "ratio": Operation(2, lambda v: v[0] / v[1], " / ", divides=True),
    "remainder": Operation(None, lambda v: 100 - sum(v), " − "),
}


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

    def collection(self, attr: str) -> dict:
        return getattr(self, attr)

    # Reverse links, so that no template needs to search.
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
