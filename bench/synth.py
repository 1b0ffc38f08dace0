"""Synthetic data at N times the real size, for the scale benchmark.

`scale_project(dest, n)` copies the project (as tests/conftest.py does) and rewrites data/ so that
sources, figures (reported, derived, groups), programmes, documents and events appear n times:
copy k (k >= 1) of an item gets the id suffix `-x{k}` and every reference inside copy k points at
copy k of its target, so all cross-checks (parts adding up, shares, references, replaced_by)
still hold. Solutions and weaknesses stay as they are (the five solutions are fixed; their pages
are hand-written). Each programme and document becomes one generated page, so pages grow with n.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from sitekit.project import copy_project  # noqa: E402
from sitekit.yamlload import load_file  # noqa: E402

# (file, list key) -> {field: target list} for references that must follow the copy.
REFS = {
    ("sources", "sources"): {},
    ("figures", "figures"): {"source": "sources", "parts": "figures"},
    ("figures", "derived"): {"of": "figures"},
    ("figures", "groups"): {"members": "figures"},
    ("programmes", "programmes"): {"documents": "documents", "results": "figures", "source": "sources"},
    ("documents", "documents"): {"source": "sources", "replaced_by": "documents", "amends": "documents",
                                 "implements": "documents", "newer": "documents", "changed_by": "events"},
    ("events", "events"): {"source": "sources"},
}
# Visible names get the copy number, so that generated pages do not all carry the same title.
NAMES = {"programmes": "name", "documents": "title", "figures": "label", "sources": "title", "events": "title"}



def _suffix(value, k):
    if isinstance(value, list):
        return [f"{v}-x{k}" for v in value]
    return None if value is None else f"{value}-x{k}"


def scale_data(data_dir: Path, n: int) -> dict:
    """Rewrite the YAML files in data_dir at n times their size; returns record counts."""
    counts = {}
    for fname in sorted({f for f, _ in REFS}):
        path = data_dir / f"{fname}.yml"
        raw = load_file(path, f"data/{fname}.yml", [])
        data = raw.data
        header = "".join(line for line in path.read_text(encoding="utf-8").splitlines(True)
                         if line.startswith("#") and "yaml-language-server" in line)
        for (f, key), fields in REFS.items():
            if f != fname or not data.get(key):
                continue
            base = data[key]
            out = list(base)
            for k in range(1, n):
                for item in base:
                    new = copy.deepcopy(item)
                    new["id"] = f"{item['id']}-x{k}"
                    for fld in fields:
                        if fld in new:
                            new[fld] = _suffix(new[fld], k)
                    name = NAMES.get(fname if key != "derived" else "figures")
                    if key in ("figures", "derived", "groups") and "label" in new:
                        new["label"] = f"{new['label']} (mẫu {k})"
                    elif name and name in new and isinstance(new[name], str):
                        new[name] = f"{new[name]} (mẫu {k})"
                    if fname == "documents" and new.get("number"):
                        new["number"] = f"{new['number']}-M{k}"
                    out.append(new)
            data[key] = out
            counts[f"{fname}.{key}"] = len(out)
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)
        path.write_text(header + text, encoding="utf-8")
    return counts


def scale_project(dest: Path, n: int, root: Path = ROOT) -> dict:
    copy_project(dest, root)
    return scale_data(dest / "data", n)


if __name__ == "__main__":  # python bench/synth.py DEST N
    print(scale_project(Path(sys.argv[1]), int(sys.argv[2])))
