"""Shared fixtures: the real site built once per session, and throwaway copies of the project
for tests that change data or pages and build again."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from sitekit.project import PROJECT_PARTS, copy_project, sitekit_command  # noqa: F401  (used by test modules)

ROOT = Path(__file__).resolve().parent.parent


def run_check(project: Path) -> subprocess.CompletedProcess:
    """`python -m sitekit check` of `project` (data only, no build); output captured."""
    return subprocess.run(sitekit_command(project, "check"), cwd=project, capture_output=True, text=True, timeout=120)


# What the deploy workflow gives a build on GitHub Actions (sitekit/repo.py reads these): the
# session's site is built as a published one. UNKNOWN_ADDRESSES: a build that knows neither.
PUBLISHED_ENV = {"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "kiem-thu/huong-khe",
                 "GITHUB_EVENT_PATH": "", "SITE_URL": "https://kiem-thu.github.io/huong-khe/"}
UNKNOWN_ADDRESSES = {"GITHUB_SERVER_URL": "", "GITHUB_REPOSITORY": "", "GITHUB_EVENT_PATH": "", "SITE_URL": ""}


def run_build(project: Path, site_dir: Path, *extra: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Safe build (`python -m sitekit build`) of `project` into `site_dir`; output captured.
    env: variables set for this build only (e.g. PUBLISHED_ENV)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    return subprocess.run(
        sitekit_command(project, "build", "-d", site_dir, *extra),
        cwd=project, env=env, capture_output=True, text=True, timeout=600,
    )



def pytest_collection_modifyitems(items):
    """Every test that drives a browser is marked as such (`pytest -m "not browser"` skips them)."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The real project, built once with the strict safe build, as the deploy workflow builds it."""
    out = tmp_path_factory.mktemp("real") / "site"
    proc = run_build(ROOT, out, env=PUBLISHED_ENV)
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
