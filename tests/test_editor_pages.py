"""What editors rely on besides the error corpus (tests/test_data_contract.py): the fast
`make check`, files saved with a byte-order mark or Windows line endings, `make chuan-hoa` for
decomposed text, clean messages from plain `mkdocs build` and `mkdocs serve`, and the two
generated reference pages (data dictionary, macros) that must list everything."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import unicodedata
from html import unescape
from pathlib import Path

from conftest import ROOT, read_page, run_build

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
DATA = ("sources", "figures", "programmes", "documents", "solutions", "events")


def make(project: Path, target: str) -> subprocess.CompletedProcess:
    """`make <target>` in a project copy, with the real project's virtualenv."""
    for name in ("Makefile", "requirements.txt", "package.json", "package-lock.json"):
        if not (project / name).exists():
            shutil.copy2(ROOT / name, project / name)
    # `make test` has set up the real project's virtualenv before the tests run; `-o setup` keeps
    # make from setting it up again because a copied requirements.txt looks newer than its stamp.
    return subprocess.run(["make", "--no-print-directory", "-o", "setup", target, f"VENV={ROOT / '.venv'}"],
                          cwd=project, env=ENV,
                          capture_output=True, text=True, timeout=300)


# -- make check ------------------------------------------------------------------------------


def test_make_check_passes_on_real_data_without_building():
    proc = make(ROOT, "check")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Dữ liệu hợp lệ" in proc.stdout
    assert "mkdocs" not in (proc.stdout + proc.stderr).lower()


def test_make_check_fails_with_file_and_line(project):
    figures = project / "data" / "figures.yml"
    text = figures.read_text(encoding="utf-8")
    line = text[: text.index("value: 435")].count("\n") + 1
    figures.write_text(text.replace("value: 435", "value: 436", 1), encoding="utf-8")
    proc = make(project, "check")
    assert proc.returncode != 0
    assert f"data/figures.yml:{line}:" in proc.stderr
    assert "149 + 286 = 435" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (project / "site").exists(), "make check must not build the site"


# -- byte-order mark, Windows line endings, and everything a page may legitimately hold ------


def test_bom_crlf_links_anchors_and_every_macro_example_build(project, site, tmp_path):
    """One build of a copy where every data file and one page are saved with a BOM and CRLF,
    and that page holds valid links, anchors and every example of the macro page."""
    for name in DATA:
        path = project / "data" / f"{name}.yml"
        text = path.read_text(encoding="utf-8")
        path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    examples = [unescape(e) for e in re.findall(r'<pre class="kb-macro-example"><code>(.*?)</code></pre>',
                                                read_page(site, "bien-tap/macro.html"), flags=re.S)]
    assert len(examples) >= 20
    page = project / "docs" / "gioi-thieu" / "index.md"
    text = page.read_text(encoding="utf-8").rstrip("\n")
    text += ("\n\n## Mục để thử liên kết\n\nXem [đội ngũ](../thong-ke/doi-ngu.md), [nguồn](nguon.md#src-bai-viet-2020), "
             "[mục này](#muc-de-thu-lien-ket), [từ điển](../bien-tap/tu-dien-du-lieu.md#figures) và "
             "[trang chủ](../index.md).\n\n`[không phải liên kết](khong-co.md)`\n\n```\n[trong khối mã](khong-co.md)\n```\n\n")
    text += "\n\n".join(e for e in examples if "_page(" not in e and "data_dictionary" not in e
                        and "macro_reference" not in e) + "\n"
    page.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    out = tmp_path / "site"
    proc = run_build(project, out)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    html_text = read_page(out, "gioi-thieu/index.html")
    assert 'data-fig="cb-tong"' in html_text
    assert 'href="../thong-ke/doi-ngu.html"' in html_text


# -- decomposed text: an error naming the line, and `make chuan-hoa` fixes it ----------------


def test_decomposed_text_is_reported_then_normalised(project, tmp_path):
    page = project / "docs" / "index.md"
    figures = project / "data" / "figures.yml"
    for path in (page, figures):
        text = path.read_text(encoding="utf-8")
        path.write_text(unicodedata.normalize("NFD", text), encoding="utf-8")
    proc = make(project, "check")
    assert proc.returncode != 0 and "data/figures.yml:" in proc.stderr and "make chuan-hoa" in proc.stderr

    proc = make(project, "chuan-hoa")
    assert proc.returncode == 0, proc.stderr
    assert "data/figures.yml" in proc.stdout and "docs/index.md" in proc.stdout
    for path in (page, figures):
        assert unicodedata.is_normalized("NFC", path.read_text(encoding="utf-8"))
    proc = run_build(project, tmp_path / "site")
    assert proc.returncode == 0, proc.stdout + proc.stderr


# -- plain mkdocs build / serve print the Vietnamese list, not a traceback -------------------


def _break_figures(project: Path) -> int:
    figures = project / "data" / "figures.yml"
    text = figures.read_text(encoding="utf-8")
    figures.write_text(text.replace("value: 435", "value: 436", 1), encoding="utf-8")
    return text[: text.index("value: 435")].count("\n") + 1


def test_plain_mkdocs_build_prints_clean_message(project, tmp_path):
    line = _break_figures(project)
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
                          cwd=project, env=ENV, capture_output=True, text=True, timeout=300)
    assert proc.returncode != 0
    assert f"data/figures.yml:{line}:" in proc.stderr
    assert "Traceback" not in proc.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(log: Path, needle: str, proc: subprocess.Popen, limit: float = 180) -> str:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        text = log.read_text(encoding="utf-8", errors="replace")
        if needle in text:
            return text
        if proc.poll() is not None:
            break
        time.sleep(0.3)
    return log.read_text(encoding="utf-8", errors="replace")


def _tree_digest(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): hash(p.read_bytes()) for p in sorted(folder.rglob("*")) if p.is_file()}


def test_plain_mkdocs_build_failure_keeps_previous_site(project):
    """Even `mkdocs build` typed by hand (not `make build`) never replaces a good site with a failed one."""
    site_dir = project / "site"
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site_dir)]
    first = subprocess.run(cmd, cwd=project, env=ENV, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    before = _tree_digest(site_dir)
    page = project / "docs" / "gioi-thieu" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n[liên kết hỏng](khong-co-trang-nay.md)\n", encoding="utf-8")
    second = subprocess.run(cmd, cwd=project, env=ENV, capture_output=True, text=True, timeout=300)
    assert second.returncode != 0
    assert "docs/gioi-thieu/index.md" in second.stderr
    assert _tree_digest(site_dir) == before
    assert not [p for p in project.iterdir() if p.name.startswith("site.")], "temporary folders left behind"


def test_mkdocs_serve_rebuild_with_bad_data_prints_clean_message(project, tmp_path):
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--strict",
                                 "-a", f"127.0.0.1:{_free_port()}"],
                                cwd=project, env=ENV, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        text = _wait_for(log, "Serving on", proc)
        assert "Serving on" in text, text
        line = _break_figures(project)
        figures = project / "data" / "figures.yml"
        # The file watcher may start a moment after "Serving on"; write again if a change is missed.
        for _ in range(6):
            text = _wait_for(log, "Chưa dựng lại được trang", proc, limit=20)
            if "Chưa dựng lại được trang" in text or proc.poll() is not None:
                break
            figures.write_text(figures.read_text(encoding="utf-8"), encoding="utf-8")
        assert "Chưa dựng lại được trang" in text, text
        assert f"data/figures.yml:{line}:" in text
        assert "Traceback" not in text, text
        time.sleep(2)  # an exit right after the message would still be under way
        assert proc.poll() is None, "the server keeps running after a failed rebuild"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


# -- generated reference pages ---------------------------------------------------------------


def _schema_keys(schema: dict) -> set[str]:
    keys: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            keys.update(node.get("properties", {}))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return keys


def _section(page_html: str, anchor: str) -> str:
    start = page_html.index(f'id="{anchor}"')
    nxt = re.search(r'<h2 id="', page_html[start + 10:])
    return page_html[start: start + 10 + nxt.start()] if nxt else page_html[start:]


def test_data_dictionary_lists_every_key_of_every_schema(site):
    page = read_page(site, "bien-tap/tu-dien-du-lieu.html")
    for name in DATA:
        schema = json.loads((ROOT / "data" / "schema" / f"{name}.schema.json").read_text(encoding="utf-8"))
        section = _section(page, name)
        assert f"data/{name}.yml" in section
        listed = set(re.findall(r'<th scope="row"><code>([^<]+)</code></th>', section))
        assert listed == _schema_keys(schema), name
    # Required and optional are both shown, with what is allowed.
    assert "<td>có</td>" in page and "<td>không</td>" in page
    assert "ngày có thật, dạng YYYY-MM-DD" in page
    assert "Không được thêm khóa nào ngoài các khóa trong bảng." in page


def test_macro_page_lists_every_macro_with_signature_and_example(site):
    import macros

    class Env:  # what define_env needs from mkdocs-macros
        project_dir = str(ROOT)
        page = None
        def __init__(self):
            self.variables: dict = {}
            self.macros: dict = {}

        def macro(self, fn, name=""):
            self.macros[name or fn.__name__] = fn
            return fn

    env = Env()
    macros.define_env(env)
    page = read_page(site, "bien-tap/macro.html")
    for name, fn in env.macros.items():
        assert f'id="macro-{name.replace("_", "-")}"' in page, name
        doc = " ".join((fn.__doc__ or "").split())
        assert doc, f"macro {name} has no docstring"
    entries = re.split(r'<h3 id="macro-', page)[1:]
    assert len(entries) == len(env.macros)
    for entry in entries:
        assert 'class="kb-macro-signature"' in entry, entry[:80]
        internal = "Dùng cho trang" in entry
        assert internal or 'class="kb-macro-example"' in entry, f"no example for macro {entry[:40]}"
    # Braces are shown as text, never left for a template engine.
    assert "{{" not in page and "&#123;&#123; fig(" in page
