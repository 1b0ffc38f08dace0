"""Helpers shared by the benchmark and the Lighthouse run: a local static server, the
Chromium flags this project uses everywhere, and a description of the machine."""

from __future__ import annotations

import contextlib
import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
from sitekit.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402,F401  (re-exported)
from sitekit.localserve import serve  # noqa: E402,F401  (re-exported)
from sitekit.project import sitekit_command  # noqa: E402

# The page types the issue names; "search" opens Material's search with a query (?q=).
PAGE_TYPES = {
    "home": "index.html",
    "solution": "giai-phap/giai-phap-1.html",
    "programme": "khoa-hoc/trung-cap-ly-luan-chinh-tri.html",
    "documents": "van-ban/index.html",
    "statistics": "thong-ke/doi-ngu.html",
    "search": "index.html?q=b%E1%BB%93i%20d%C6%B0%E1%BB%A1ng",  # "bồi dưỡng"
}


def build_site(site_dir: Path, root: Path = ROOT) -> None:
    """Strict safe build of `root` into `site_dir` (python -m sitekit build)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run(sitekit_command(root, "build", "-d", site_dir),
                          cwd=root, env=env, capture_output=True, text=True)
    if proc.returncode:
        sys.exit(proc.stdout + proc.stderr)


def machine() -> dict:
    """What the numbers were measured on."""
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    from importlib.metadata import version

    import mkdocs
    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip()
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    return {"CPU": cpu, "cores (nproc)": str(len(os.sched_getaffinity(0))), "RAM": mem,
            "OS": f"{platform.system()} {platform.release()}", "Python": platform.python_version(),
            "MkDocs": mkdocs.__version__, "mkdocs-material": version("mkdocs-material"),
            "Chromium": chromium, "Node": node}
