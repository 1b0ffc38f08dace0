"""Load, validate and index everything in `data/`.

Order of checks: read each YAML file strictly (syntax, duplicate keys, unsafe tags, NFC:
yamlload.py), validate it against its JSON Schema (schema.py), then check what no schema can say
(figcheck.py for figures, crossref.py for references between files). Every problem of a run is
collected and raised together as one `DataError`. Plain Python: no engine import.
"""

from __future__ import annotations

from pathlib import Path

from . import crossref, datarules, schema, truth
from .figcheck import FigureChecks
from .issues import DataError, Issue
from .model import SiteData
from .project import ROOT, cache_path
from .tools import check_tools
from .yamlkeep import KeptReads
from .yamlload import LoadedFile

DATA_FILES = ("sources", "figures", "programmes", "documents", "solutions", "events", "contact", "forms", "needs",
              "rules")


def _read_all(root: Path, issues: list[Issue]) -> dict[str, LoadedFile]:
    files: dict[str, LoadedFile] = {}
    passed = schema.PassedSchema(root)
    reads = KeptReads(cache_path(root, "data-read.json"))  # files read cleanly before, same bytes
    for name in DATA_FILES:
        rel = f"data/{name}.yml"
        lf = reads.read(root / rel, rel, issues)
        files[name] = lf
        if lf.data is not None:
            schema.validate(root, name, lf, passed, issues)
    passed.save()
    reads.save()
    for name, lf in files.items():
        schema.schema_line_issues(lf, name, issues)
    return files


def _index(files: dict[str, LoadedFile], ok, issues: list[Issue]) -> dict:
    """Every collection by id (empty where its file is broken), figures checked on the way."""
    def records(name: str, key: str) -> dict:
        return crossref.by_id(files[name].data[key], files[name], key, issues) if ok(name) else {}

    ix = {"sources": records("sources", "sources"), "solutions": records("solutions", "solutions"),
          "weaknesses": records("solutions", "weaknesses"), "documents": records("documents", "documents"),
          "programmes": records("programmes", "programmes"), "events": records("events", "events"),
          "figures": {}, "groups": {}, "charts": {}}
    if ok("figures", "sources"):
        refs = crossref.Refs(issues)
        ix["figures"], ix["groups"], ix["charts"] = FigureChecks(files["figures"], ix["sources"], issues, refs).run()
    return ix


def load(root: Path = ROOT) -> SiteData:
    """Load and check all data files. Raises DataError listing every problem."""
    root = Path(root)
    issues: list[Issue] = []
    files = _read_all(root, issues)
    # Checks across files run for every file that passed its own checks, so that one run lists
    # as many problems as possible; a check that needs a broken file waits for the next run.
    broken = {n for n, f in files.items() if f.data is None}

    def ok(*names):
        return not broken.intersection(names)

    ix = _index(files, ok, issues)
    refs = crossref.Refs(issues)
    if ok("solutions", "documents", "sources"):
        crossref.check_solutions(files["solutions"], ix, refs, issues)
    if ok(*DATA_FILES[:5]):
        crossref.check_programmes(files["programmes"], ix, refs)
    if ok("documents", "sources"):
        crossref.check_documents(files["documents"], ix, refs, issues)
    if ok("events", "sources"):
        crossref.check_events(files["events"], ix, refs, issues)
    issues.extend(datarules.check(files, root))  # names, titles and ids editors may not use
    if ok("documents", "events", "programmes", "sources"):
        truth.check_data(files, issues)  # statuses against their definitions, programme sources, dates
    tools = check_tools(files, ok, refs, issues, crossref.by_id, solutions=ix["solutions"], documents=ix["documents"],
                        programmes=ix["programmes"], sources=ix["sources"], figures=ix["figures"])
    if issues or broken:
        raise DataError(issues)
    data = {n: f.data for n, f in files.items()}
    return SiteData(
        raw=data, sources=ix["sources"], figures=ix["figures"], groups=ix["groups"], programmes=ix["programmes"],
        programme_labels=data["programmes"]["labels"], documents=ix["documents"],
        document_labels=data["documents"]["labels"], status_checked=data["documents"]["status_checked"],
        solutions=dict(sorted(ix["solutions"].items(), key=lambda kv: kv[1]["number"])),
        weaknesses=ix["weaknesses"], resolution=data["solutions"]["resolution"], events=ix["events"],
        charts=ix["charts"], forms=tools.forms, tools=tools,
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
