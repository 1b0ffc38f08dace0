"""A local static web server for the built site, used by the tests and the benchmark: files
served from 127.0.0.1 on a free port, text types gzip-compressed as a real web host does."""

from __future__ import annotations

import contextlib
import functools
import gzip
import io
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

COMPRESSIBLE = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map"}


class _Handler(SimpleHTTPRequestHandler):
    """Static files, gzip-compressed for text types when the browser asks (as GitHub Pages and
    any ordinary web host do), so that measured page weight and load times match a real host."""

    _gz: ClassVar[dict] = {}

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
