"""Data files as the strict reader (yamlload.py) read them last time, kept while their text is
the same.

Reading data/ with the strict reader (a second, guarded parse for aliases, then positions, NFC
and number checks for every value) is about 25 ms of every build, and an editor who changes a
page leaves data/ as it was. A file that was read without any problem is kept in
.cache/data-read.json as JSON: its values, the line and column of each, and the scalars as typed.
It is used again only for the same bytes, read by the same reader code (the key), and only when
the cache file's own checksum holds (project.read_kept), so an edited or damaged cache is ignored
whole. A file with a problem is never kept: it is read, and its problem reported, every time.
The schema and every check after reading run on every build, kept file or not.

Only what JSON gives back exactly is kept: a file whose values would come back different (a
number as a key, a set) is simply read every time.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from . import yamlguard, yamlload
from .issues import Issue
from .project import keep, read_kept

# The reader's own code: a change to it (or to Python) makes every kept file stale.
_KEY = hashlib.sha256(b"".join(Path(m.__file__).read_bytes() for m in (yamlload, yamlguard))).hexdigest()[:16]


class KeptReads:
    """`read(path, rel, issues)`: yamlload.load_file, or its kept result for the same bytes.

    The cache file holds one line per data file: its name, the digest of its bytes, and the JSON
    of what was read. A kept file is parsed from its line on use, so what the checks later do
    with the values never reaches the cache."""

    def __init__(self, cache_file: Path | None):
        self.path = cache_file
        self.kept: dict[str, tuple[str, str]] = {}  # rel: (digest, JSON)
        body = read_kept(cache_file, _KEY)
        for line in (body or b"").decode("utf-8", "replace").split("\n"):  # not splitlines: U+2028
            if not line:
                continue
            rel, _, rest = line.partition("\t")
            digest, _, text = rest.partition("\t")
            self.kept[rel] = (digest, text)
        self.fresh: dict[str, tuple[str, str]] = {}

    def read(self, path: Path, rel: str, issues: list[Issue]) -> yamlload.LoadedFile:
        try:
            raw = path.read_bytes()
        except OSError:
            return yamlload.load_file(path, rel, issues)  # the reader reports it
        digest = hashlib.sha256(raw).hexdigest()
        digest_kept, text = self.kept.get(rel, ("", ""))
        if digest_kept == digest:
            try:
                lf = _loaded(path, rel, json.loads(text))
                self.fresh[rel] = (digest, text)
                return lf
            except (ValueError, KeyError, TypeError):
                pass  # not what this code writes: read the file
        before = len(issues)
        lf = yamlload.load_file(path, rel, issues)
        if len(issues) == before and lf.data is not None:
            text = _entry(lf)
            if text is not None:
                self.fresh[rel] = (digest, text)
        return lf

    def save(self) -> None:
        """Keep what this run read cleanly (files no longer read, or now broken, drop out)."""
        if self.fresh != self.kept:
            lines = "".join(f"{rel}\t{digest}\t{text}\n" for rel, (digest, text) in sorted(self.fresh.items()))
            keep(self.path, _KEY, lines.encode("utf-8"))


def _entry(lf: yamlload.LoadedFile) -> str | None:
    """The JSON line of a file read cleanly, or None when JSON would not give it back exactly."""
    entry = {"text": lf.text, "data": lf.data,
             "marks": [[list(p), *m] for p, m in lf.marks.items()],
             "key_marks": [[list(p), *m] for p, m in lf.key_marks.items()],
             "scalars": [[list(p), s] for p, s in lf.scalars.items()]}
    try:
        text = json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError):  # a value JSON cannot hold (a set, a date object)
        return None
    back = json.loads(text)
    # Keys that are numbers come back as text, tuples as lists: then the file is not kept.
    same = back["data"] == lf.data and _same_types(back["data"], lf.data)
    same = same and _loaded(lf.path, lf.rel, back).marks == lf.marks
    return text if same else None


def _same_types(a, b) -> bool:
    """JSON turns 1 == 1.0 == True into three types; equality alone would not see it."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return all(_same_types(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return all(_same_types(x, y) for x, y in zip(a, b, strict=True))
    return True


def _loaded(path: Path, rel: str, entry: dict) -> yamlload.LoadedFile:
    return yamlload.LoadedFile(
        path=path, rel=rel, data=entry["data"], text=entry["text"],
        marks={tuple(p): (line, col) for p, line, col in entry["marks"]},
        key_marks={tuple(p): (line, col) for p, line, col in entry["key_marks"]},
        scalars={tuple(p): s for p, s in entry["scalars"]})
