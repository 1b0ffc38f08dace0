"""Shared fixtures: the real site built once per session, and throwaway copies of the project
for tests that change data or pages and build again."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# What a project copy needs to build; everything else (site/, .venv, tests) is left out.
PROJECT_PARTS = ("mkdocs.yml", "macros.py", "data", "docs", "overrides", "sitekit", "pyproject.toml")


def run_build(project: Path, site_dir: Path, *extra: str) -> subprocess.CompletedProcess:
    """Safe build (`python -m sitekit build`) of `project` into `site_dir`; output captured."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "sitekit", "--root", str(project), "build", "-d", str(site_dir), *extra],
        cwd=project, env=env, capture_output=True, text=True, timeout=600,
    )


def copy_project(dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.exists():
            shutil.copy2(src, dest / part)
    # npm packages the build copies into the site (sitekit/offline.py): linked, not copied.
    if (ROOT / "node_modules").is_dir() and not (dest / "node_modules").exists():
        (dest / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    return dest


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The real project, built once with the strict safe build."""
    out = tmp_path_factory.mktemp("real") / "site"
    proc = run_build(ROOT, out)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


@pytest.fixture
def project(tmp_path) -> Path:
    """A fresh copy of the project that a test may change."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright, one launch per test module."""
    from playwright.sync_api import sync_playwright

    from sitekit.chromium import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def read_page(site_dir: Path, rel: str) -> str:
    return (site_dir / rel).read_text(encoding="utf-8")


def html_pages(site_dir: Path) -> list[Path]:
    return sorted(p for p in site_dir.rglob("*.html") if "assets" not in p.parts)
