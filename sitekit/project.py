"""Where a project lives: its folder, its build cache (.cache/), and copies of it that tests and
the benchmark change and build, leaving the real one alone."""

from __future__ import annotations

import hashlib
import shutil
import sys
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ".cache"  # what a build keeps for the next one (not in git; `make clean` removes it)

# What a copy needs to build; site/, .venv, tests and the rest are left out.
PROJECT_PARTS = ("mkdocs.yml", "macros.py", "data", "docs", "overrides", "sitekit", "pyproject.toml")


def project_root(config) -> Path:
    """The project folder of a build: the one holding its mkdocs.yml (tests build copies)."""
    return _folder_of(config.config_file_path)


@lru_cache(maxsize=64)
def _folder_of(config_file: str) -> Path:
    return Path(config_file).resolve().parent


def sitekit_command(root: Path, *args: str) -> list[str]:
    """`python -m sitekit --root <root> <args>`, run by the tests and the benchmark."""
    return [sys.executable, "-m", "sitekit", "--root", str(root), *map(str, args)]


def cache_path(root: Path, *parts: str) -> Path:
    """A file or folder in the project's build cache."""
    return Path(root) / CACHE / Path(*parts)


def write_cache(path: Path, data: bytes) -> None:
    """Write a cache file whole or not at all; a read-only checkout simply keeps nothing."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError:
        pass


def code_digest(source_file: str | Path) -> str:
    """The digest of a module's own source and of the Python running it: a result kept with it
    is not trusted once the code that made it (or the standard library under it) changes."""
    return hashlib.sha256(Path(source_file).read_bytes() + sys.version.encode()).hexdigest()[:16]


def _kept_header(key: str, body: bytes) -> bytes:
    return f"{key} {hashlib.sha256(body).hexdigest()}".encode()


def read_kept(path: Path | None, key: str) -> bytes | None:
    """The body `keep` wrote under `key`, or None: missing, another key, or damaged (the first
    line holds the key and the body's own digest)."""
    if path is None:
        return None
    try:
        head, _, body = path.read_bytes().partition(b"\n")
    except OSError:
        return None
    return body if head == _kept_header(key, body) else None


def keep(path: Path | None, key: str, body: bytes) -> None:
    """Keep one result in a cache file, under `key`, for `read_kept` (None: keep nothing)."""
    if path is not None:
        write_cache(path, _kept_header(key, body) + b"\n" + body)


def copy_project(dest: Path, root: Path = ROOT) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        src = root / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.exists():
            shutil.copy2(src, dest / part)
    # npm packages the build copies into the site (sitekit/offline.py): linked, not copied.
    if (root / "node_modules").is_dir() and not (dest / "node_modules").exists():
        (dest / "node_modules").symlink_to(root / "node_modules", target_is_directory=True)
    return dest
