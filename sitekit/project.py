"""Where a project lives: its folder, its build cache (.cache/), and copies of it that tests and
the benchmark change and build, leaving the real one alone."""

from __future__ import annotations

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
