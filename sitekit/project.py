"""Copies of the project that tests and the benchmark change and build, leaving the real one alone."""

from __future__ import annotations

import shutil
from functools import lru_cache
from pathlib import Path

from .data import ROOT

# What a copy needs to build; site/, .venv, tests and the rest are left out.
PROJECT_PARTS = ("mkdocs.yml", "macros.py", "data", "docs", "overrides", "sitekit", "pyproject.toml")


def project_root(config) -> Path:
    """The project folder of a build: the one holding its mkdocs.yml (tests build copies)."""
    return _folder_of(config.config_file_path)


@lru_cache(maxsize=64)
def _folder_of(config_file: str) -> Path:
    return Path(config_file).resolve().parent


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
