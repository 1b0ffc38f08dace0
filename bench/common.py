"""Helpers shared by the benchmark and the Lighthouse run: a local static server, the
Chromium flags this project uses everywhere, and a description of the machine."""

from __future__ import annotations

import contextlib
import functools
import gzip
import io
import os
import platform
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
from sitekit.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402,F401  (re-exported)

# The page types the issue names; "search" opens Material's search with a query (?q=).
PAGE_TYPES = {
    "home": "index.html",
    "solution": "giai-phap/giai-phap-1.html",
    "programme": "khoa-hoc/trung-cap-ly-luan-chinh-tri.html",
    "documents": "van-ban/index.html",
    "statistics": "thong-ke/doi-ngu.html",
    "search": "index.html?q=b%E1%BB%93i%20d%C6%B0%E1%BB%A1ng",  # "bồi dưỡng"
}


COMPRESSIBLE = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map"}


class _Handler(SimpleHTTPRequestHandler):
    """Static files, gzip-compressed for text types when the browser asks (as GitHub Pages and
    any ordinary web host do), so that measured page weight and load times match a real host."""

    _gz: dict = {}

    def log_message(self, *args):  # keep benchmark output readable
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if ("gzip" not in self.headers.get("Accept-Encoding", "") or path.suffix not in COMPRESSIBLE
                or not path.is_file()):
            return super().send_head()
        key = (str(path), path.stat().st_mtime_ns)
        body = self._gz.get(key)
        if body is None:
            body = self._gz[key] = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)


@contextlib.contextmanager
def serve(directory: Path):
    """Serve `directory` over HTTP on 127.0.0.1 (a free port) for the duration of the block."""
    handler = functools.partial(_Handler, directory=str(directory))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


def build_site(site_dir: Path, root: Path = ROOT) -> None:
    """Strict safe build of `root` into `site_dir` (python -m sitekit build)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run([sys.executable, "-m", "sitekit", "--root", str(root), "build", "-d", str(site_dir)],
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
    import mkdocs  # noqa: PLC0415
    from importlib.metadata import version  # noqa: PLC0415
    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip()
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    return {"CPU": cpu, "cores (nproc)": str(len(os.sched_getaffinity(0))), "RAM": mem,
            "OS": f"{platform.system()} {platform.release()}", "Python": platform.python_version(),
            "MkDocs": mkdocs.__version__, "mkdocs-material": version("mkdocs-material"),
            "Chromium": chromium, "Node": node}
