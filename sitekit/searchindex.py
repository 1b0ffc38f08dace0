"""The search index, prebuilt at build time (issue 13).

MkDocs' search plugin writes site/search/search_index.json (one record per page and per
section, with HTML text). This module rewrites that file so that the reader's browser has
nothing to compute before the first search: the records keep only plain text (the worker
shows passages from it), and `config.kb` carries the inverted index that
overrides/assets/javascripts/kb-search-worker.js would otherwise build itself. Material's
offline plugin then copies the file into search/search_index.js for reading from disk (it
runs last, after this hook), so http and file:// load the same data.

The analysis here must match the worker's `analyse` word for word (the worker analyses the
query): NFC, lower case, words and document-number compounds, folded keys (no marks, đ -> d)
and exact keys (tone mark moved to the end of the syllable). tests/test_search_ranking.py
checks that the prebuilt index and the worker's own index give the same results.

Index format (`config.kb`, version 1); numbers are base 36, document numbers as deltas:
  terms     folded words and compounds, "\\n"-separated; a term's id is its line number
  postings  per term: "doc,tfBody,tfTitle,doc,..."
  df        per term: the number of records that have it
  pairs     per term: ";next:doc,flags,doc,flags;next:..." (next word's term id; flags 1 body,
            2 title)
  exact     exact keys of words written with marks, "\\n"-separated
  exactPostings  per exact key: "doc,doc,..."
  lengths   per record: [words in the title (at least 1), words in title and text]
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import re
import unicodedata
from pathlib import Path

from .project import code_digest, keep, read_kept

VERSION = 1
_W = r"(?:[^\W_]|[\u0300-\u036f])"
CHUNK = re.compile(rf"{_W}+(?:[/.\-]{_W}+)*")
SEPARATOR = re.compile(r"([/.\-])")
# "số" (number) before a document number: official names write it, readers do not type it.
_NUMBER_WORD = re.compile(r"^s(ố|ô\u0301|o\u0302\u0301)$")
TONES = "\u0300\u0301\u0303\u0309\u0323"
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


def plain(markup: str) -> str:
    """Text of the HTML the search plugin keeps (<p>, <li>, <code>...), spaces collapsed."""
    return unicodedata.normalize("NFC", _SPACE.sub(" ", html.unescape(_TAG.sub(" ", markup))))


def fold(word: str) -> str:
    """'đào' -> 'dao' (lower-case input)."""
    return "".join(c for c in unicodedata.normalize("NFD", word.replace("đ", "d"))
                   if not unicodedata.category(c).startswith("M"))


def exact_key(word: str) -> str:
    """The word with its tone mark moved to the end: 'hoà' and 'hòa' give the same key."""
    tone, base = "", []
    for c in unicodedata.normalize("NFD", word):
        if c in TONES:
            tone = c
        else:
            base.append(c)
    return "".join(base) + tone


@functools.lru_cache(maxsize=4096)  # sections that repeat on many pages (sources, related links)
def analyse(text: str) -> tuple[list[str], list[str]]:
    """(words as written in lower case, compounds as folded keys) of `text`, in order."""
    words: list[str] = []
    compounds: list[str] = []
    chunks = [m.group(0) for m in CHUNK.finditer(text.lower())]
    for i, chunk in enumerate(chunks):
        if _NUMBER_WORD.match(chunk) and i + 1 < len(chunks) and any(c.isnumeric() for c in chunks[i + 1]):
            continue  # "Nghị định số 101/2017" is found as "nghị định 101" (kb-search-worker.js does the same)
        parts = SEPARATOR.split(chunk)
        words.extend(parts[0::2])
        if len(parts) > 1 and any(c.isnumeric() for c in chunk):
            compound = fold(parts[0])
            for sep, part in zip(parts[1::2], parts[2::2], strict=True):
                compound += sep + fold(part)
                compounds.append(compound)
    return words, compounds


def _b36_slow(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if not n:
            return out


_SMALL = [_b36_slow(n) for n in range(36 * 36)]  # most numbers are small (deltas, counts, flags)


def _b36(n: int) -> str:
    return _SMALL[n] if n < len(_SMALL) else _b36_slow(n)


class _Builder:
    def __init__(self):
        self.terms: dict[str, int] = {}
        self.postings: list[list[list[int]]] = []          # term -> [[doc, tfBody, tfTitle]]
        self.pairs: list[dict[int, list[list[int]]]] = []   # term -> next -> [[doc, flags]]
        self.exact: dict[str, int] = {}
        self.exact_postings: list[list[int]] = []
        self.words: dict[str, tuple[int, int]] = {}

    def term(self, key: str) -> int:
        tid = self.terms.get(key)
        if tid is None:
            tid = self.terms[key] = len(self.postings)
            self.postings.append([])
            self.pairs.append({})
        return tid

    def word(self, word: str) -> tuple[int, int]:
        ids = self.words.get(word)
        if ids is None:
            folded, ex = fold(word), exact_key(word)
            eid = -1
            if ex != folded:
                eid = self.exact.get(ex, -1)
                if eid < 0:
                    eid = self.exact[ex] = len(self.exact_postings)
                    self.exact_postings.append([])
            ids = self.words[word] = (self.term(folded), eid)
        return ids

    def count(self, tid: int, doc: int, title: bool) -> None:
        plist = self.postings[tid]
        if plist and plist[-1][0] == doc:
            plist[-1][2 if title else 1] += 1
        else:
            plist.append([doc, 0 if title else 1, 1 if title else 0])

    def field(self, text: str, doc: int, title: bool) -> int:
        words, compounds = analyse(text)
        prev, flag = -1, 2 if title else 1
        for w in words:
            tid, eid = self.word(w)
            self.count(tid, doc, title)
            if eid >= 0:
                ep = self.exact_postings[eid]
                if not ep or ep[-1] != doc:
                    ep.append(doc)
            if prev >= 0:
                plist = self.pairs[prev].setdefault(tid, [])
                if plist and plist[-1][0] == doc:
                    plist[-1][1] |= flag
                else:
                    plist.append([doc, flag])
            prev = tid
        for c in compounds:
            self.count(self.term(c), doc, title)
        return len(words)


def _deltas(rows: list[list[int]]) -> str:
    out, last = [], 0
    for row in rows:
        out.append(",".join([_b36(row[0] - last)] + [_b36(v) for v in row[1:]]))
        last = row[0]
    return ",".join(out)


def build_index(docs: list[dict]) -> dict:
    """The prebuilt index of `docs` (records with plain-text title and text)."""
    b = _Builder()
    lengths: list[int] = []
    for i, d in enumerate(docs):
        title_len = b.field(d["title"], i, True) or 1
        lengths += [title_len, title_len + b.field(d["text"], i, False)]
    return {
        "version": VERSION,
        "terms": "\n".join(b.terms),
        "postings": [_deltas(p) for p in b.postings],
        "df": [len(p) for p in b.postings],
        "pairs": ["".join(f";{_b36(nxt)}:{_deltas(rows)}" for nxt, rows in nxt_map.items())
                  for nxt_map in b.pairs],
        "exact": "\n".join(b.exact),
        "exactPostings": [_deltas([[d] for d in p]) for p in b.exact_postings],
        "lengths": lengths,
    }


def prebuild(site_dir: Path, cache: Path | None = None) -> None:
    """Rewrite site_dir/search/search_index.json: plain-text records and the prebuilt index.

    With `cache` (a file in .cache/), the result is kept with the digest of the input and of
    this module; a build whose pages give the same search records (most rebuilds: a figure or
    a date changed, not the text) copies it instead of analysing every record again (about
    0.2 s of a 2.3 s build, BENCHMARKS.md section 1)."""
    path = Path(site_dir) / "search" / "search_index.json"
    if not path.is_file():
        return
    raw = path.read_bytes()
    key = code_digest(__file__) + hashlib.sha256(raw).hexdigest()
    kept = read_kept(cache, key)
    if kept:
        path.write_bytes(kept)
        return
    data = json.loads(raw.decode("utf-8"))
    docs = [{**d, "title": plain(d["title"]), "text": plain(d["text"])} for d in data["docs"]]
    data["docs"] = docs
    data["config"]["kb"] = build_index(docs)
    out = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    path.write_bytes(out)
    keep(cache, key, out)
