"""MkDocs hooks: checks before anything is rendered, generated pages, and the per-page list of
sources.

- on_config (first): load and check data/, so an editor's mistake stops the build with the
  Vietnamese list of every problem, before any page is rendered.
- on_files: one page per programme and per document, generated from data/ (never hand-written),
  added to the navigation.
- on_page_markdown (before mkdocs-macros): check each page's Jinja for syntax errors, undefined
  names and ids that are not in data/, with the page's file and line.
- on_page_content: end each page with the sources of the figures it shows.
- links and anchors in editors' pages (sitekit/pages.py): each link is checked against the
  site's files as its page is read, each #anchor against the ids of the rendered target page in
  on_post_build; all problems of a build are reported there together, in Vietnamese with file
  and line. MkDocs' own link validation (strict, English) stays on as a second net.
- on_serve: a failed rebuild under `mkdocs serve` prints the Vietnamese list, not a traceback.
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

import jinja2
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, InclusionLevel

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # hooks are loaded by path; make the package importable
    sys.path.insert(0, str(ROOT))

from sitekit import forms as form_files  # noqa: E402
from sitekit import opendata  # noqa: E402
from sitekit import pagecache  # noqa: E402
from sitekit.project import cache_path, project_root  # noqa: E402
from sitekit import pages  # noqa: E402
from sitekit.data import load_cached  # noqa: E402
from sitekit.issues import DataError, Issue, format_issues  # noqa: E402
from sitekit.render import DOCUMENT_DIR, PROGRAMME_DIR, SOURCES_PAGE, Renderer  # noqa: E402
from sitekit.safesite import SafeSite  # noqa: E402

_safe_site = SafeSite()

_page_issues: list[Issue] = []
# Links with an anchor, checked once every page is rendered: (file, line, column, target as
# written, target source, anchor, page source); and the ids each rendered page holds.
_anchor_refs: list[tuple] = []
_page_ids: dict[str, set[str]] = {}
# The data of the running build, checked and loaded once in on_config.
_build_data: list = [None]


def _data(config):
    return _build_data[0] or load_cached(project_root(config))


# Macro name -> (collection attribute on SiteData, what, data file) for its first argument.
ID_ARGS = {
    "fig": ("figures", "số liệu", "data/figures.yml"),
    "label": ("figures", "số liệu", "data/figures.yml"),
    "share": ("figures", "số liệu", "data/figures.yml"),
    "event": ("events", "mốc thời gian", "data/events.yml"),
    "doc": ("documents", "văn bản", "data/documents.yml"),
    "doc_date": ("documents", "văn bản", "data/documents.yml"),
    "prog": ("programmes", "chương trình", "data/programmes.yml"),
    "sol": ("solutions", "giải pháp", "data/solutions.yml"),
    "src": ("sources", "nguồn", "data/sources.yml"),
    "weakness": ("weaknesses", "hạn chế", "data/solutions.yml"),
    "group_table": ("groups", "nhóm tỷ lệ", "data/figures.yml"),
    "chart": ("charts", "biểu đồ", "data/figures.yml"),
    "solution_related": ("solutions", "giải pháp", "data/solutions.yml"),
    "programme_page": ("programmes", "chương trình", "data/programmes.yml"),
    "document_page": ("documents", "văn bản", "data/documents.yml"),
    "form": ("forms", "mẫu biểu", "data/forms.yml"),
    "form_page": ("forms", "mẫu biểu", "data/forms.yml"),
}


@event_priority(100)
def on_config(config):
    _page_issues.clear()
    _anchor_refs.clear()
    _page_ids.clear()
    opendata.REGISTRY.clear()  # datasets are registered again as pages render
    _git_dates.clear()
    try:
        _build_data[0] = None
        _build_data[0] = load_cached(project_root(config))
    except DataError as err:
        raise PluginError("\n" + str(err)) from None
    _safe_site.redirect(config)
    return config


def _generated(config, src_uri: str, title: str, description: str, body: str) -> File:
    front = f"---\ntitle: {_yaml_str(title)}\ndescription: {_yaml_str(description)}\n---\n\n"
    return File.generated(config, src_uri, content=front + body + "\n")


def _yaml_str(text: str) -> str:
    return '"' + " ".join(text.split()).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _first_sentence(text: str) -> str:
    text = " ".join(text.split())
    return text.split(". ")[0].rstrip(".") + "."


def _nav_section(nav, anchor: str):
    """The list in `nav` that contains the entry `anchor` (a page path)."""
    for item in nav or []:
        if isinstance(item, dict):
            for value in item.values():
                if isinstance(value, list):
                    if anchor in value or any(isinstance(v, dict) and anchor in v.values() for v in value):
                        return value
                    found = _nav_section(value, anchor)
                    if found is not None:
                        return found
    return None


def on_files(files, config):
    data = _data(config)
    r = Renderer(data, lambda: None, project_root(config))
    prog_nav, doc_nav = [], []
    for p in data.programmes.values():
        src = f"{PROGRAMME_DIR}/{p['id']}.md"
        files.append(_generated(config, src, p["name"], _first_sentence(p["summary"]),
                                f'{{{{ programme_page("{p["id"]}") }}}}'))
        prog_nav.append({p["name"]: src})
    for d in data.documents.values():
        src = f"{DOCUMENT_DIR}/{d['id']}.md"
        files.append(_generated(config, src, r.document_name(d), f"{r.document_name(d)}: {d['title']}.",
                                f'{{{{ document_page("{d["id"]}") }}}}'))
        doc_nav.append({r.document_name(d): src})
    # Every page carries the whole menu, so listing N generated pages in it costs N x N: past
    # NAV_LIST_MAX (bench/, 100x data) they are reached from the catalogue and the register only.
    if len(prog_nav) > NAV_LIST_MAX:
        _not_in_nav(files, PROGRAMME_DIR, prog_nav)
        prog_nav = []
    if len(doc_nav) > NAV_LIST_MAX:
        _not_in_nav(files, DOCUMENT_DIR, doc_nav)
        doc_nav = []
    section = _nav_section(config.nav, f"{PROGRAMME_DIR}/index.md")
    if section is not None and not any(isinstance(v, dict) and v in prog_nav for v in section):
        section.extend(prog_nav)
    section = _nav_section(config.nav, f"{DOCUMENT_DIR}/index.md")
    title = "Từng văn bản"
    if doc_nav and section is not None and not any(isinstance(v, dict) and title in v for v in section):
        section.append({title: doc_nav})
    _add_forms(files, config, data, r)
    return files


def _add_forms(files, config, data, r) -> None:
    """Each form of data/forms.yml: its page, its Word file and, for a table, its Excel file
    (sitekit/forms.py), listed under "Mẫu biểu" in the section of cong-cu/index.md."""
    for src, title, description, body in form_files.pages(data.forms):
        files.append(_generated(config, src, title, description, body))
    names = lambda f: [r.document_name(data.documents[d]) for d in f["documents"]]  # noqa: E731
    cache = cache_path(project_root(config), "forms")
    for src, content in form_files.downloads(data.forms, names, config.site_name, cache):
        files.append(File.generated(config, src, content=content))
    section = _nav_section(config.nav, "cong-cu/index.md")
    title = "Mẫu biểu"
    if data.forms and section is not None and not any(isinstance(v, dict) and title in v for v in section):
        section.append({title: [{f["short"]: form_files.page_src(f)} for f in data.forms.values()]})


NAV_LIST_MAX = 150


def _not_in_nav(files, folder: str, entries: list) -> None:
    srcs = {v for e in entries for v in e.values()}
    for f in files:
        if f.src_uri in srcs:
            f.inclusion = InclusionLevel.NOT_IN_NAV


# -- page checks ---------------------------------------------------------------------------
def _front_matter_lines(text: str | None) -> int:
    """Lines before the Markdown body (front matter), so reported lines match the file."""
    if not text or not text.startswith("---"):
        return 0
    lines = text.splitlines()
    for i, line in enumerate(lines[1:], 1):
        if line.strip() in ("---", "..."):
            return i + 1 + (1 if len(lines) > i + 1 and not lines[i + 1].strip() else 0)
    return 0


def _line_of(markdown: str, needle: str) -> int | None:
    for i, line in enumerate(markdown.splitlines(), 1):
        if re.search(r"(\{\{|\{%)[^}]*\b" + re.escape(needle) + r"\b", line):
            return i
    return None


def _check_page_source(page, files) -> str | None:
    """Links, anchors and Unicode form of an editor's page, read from its file (real lines).
    Returns the file's text (None for a generated page or a file that cannot be read)."""
    if not page.file.abs_src_path or not page.file.src_uri.endswith(".md"):
        return None  # generated pages: their links come from macros and are checked by MkDocs
    rel = "docs/" + page.file.src_uri
    try:
        text = Path(page.file.abs_src_path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        _page_issues.append(Issue(file=rel, what="Trang không đọc được dưới dạng văn bản UTF-8.",
                                  fix="Lưu lại tệp với mã hóa UTF-8.", detail=str(err)))
        return None
    _page_issues.extend(pages.nfc_issues(rel, text))
    for link in pages.find_links(text):
        issue, target_src, anchor = pages.link_issue(rel, link, page.file.src_uri, files.src_uris)
        if issue:
            _page_issues.append(issue)
        elif anchor and target_src:
            _anchor_refs.append((rel, link.line, link.column, link.target, target_src, anchor, page.file.src_uri))
    return text


def _page_cache_dir(config) -> Path:
    return cache_path(project_root(config), "jinja-pages")


@event_priority(100)
def on_page_markdown(markdown, page, config, files):
    text = _check_page_source(page, files)
    plugin = config.plugins.get("macros")
    if plugin is None or "{" not in markdown:
        return markdown
    env: jinja2.Environment = plugin.env
    offset = _front_matter_lines(text)
    rel = "docs/" + page.file.src_uri if page.file.abs_src_path else f"(trang sinh tự động {page.file.src_uri})"
    issues: list[Issue] = []
    try:
        # Names and macro calls of the page; kept in .cache/ for a page whose text is unchanged.
        summary = pagecache.summary(env, markdown, _page_cache_dir(config))
    except jinja2.TemplateSyntaxError as err:
        issues.append(Issue(file=rel, line=(err.lineno or 0) + offset,
                            what="Lỗi cú pháp macro (Jinja): trang không dựng được.",
                            found=(markdown.splitlines()[err.lineno - 1].strip() if err.lineno else ""),
                            expected="macro viết dạng {{ ten_macro(\"ma\") }}, khối lệnh dạng {% ... %} và được đóng đủ",
                            fix="Kiểm tra dấu ngoặc {{ }}, {% %} và dấu ngoặc kép ở dòng này. Nếu muốn viết ký tự {{ "
                                "như chữ thường, đặt đoạn đó trong {% raw %}...{% endraw %}.",
                            detail=err.message or str(err)))
        _page_issues.extend(issues)
        return ""
    known = set(plugin.variables) | set(plugin.macros) | set(plugin.filters) | set(env.globals) | {"page", "config"}
    for name in sorted(set(summary["names"]) - known):
        line = _line_of(markdown, name)
        issues.append(Issue(file=rel, line=line + offset if line else None,
                            what=f"Tên \"{name}\" không phải macro hay biến nào đã định nghĩa.",
                            found=name, expected="một macro trong trang \"Macro cho người biên tập\"",
                            fix="Sửa lỗi chính tả tên macro (ví dụ fig, doc, prog, sol), hoặc xem danh sách macro.",
                            detail=f"undefined name '{name}'"))
    data = _data(config)
    for name, lineno, args in summary["calls"]:
        if name not in ID_ARGS:
            continue
        attr, what, dfile = ID_ARGS[name]
        collection = getattr(data, attr)
        for value in args[:2 if name == "share" else 1]:
            if value is not None and value not in collection:
                issues.append(Issue(file=rel, line=lineno + offset,
                                    what=f"Macro {name}() gọi mã {what} không có trong {dfile}.",
                                    found=f"\"{value}\"", expected=f"một mã có trong {dfile}",
                                    fix=Renderer.unknown(what, value, collection, dfile)))
    if issues:
        _page_issues.extend(issues)
        return ""
    return markdown


def on_pre_build(config):
    plugin = config.plugins.get("macros")
    if plugin is not None:  # its Jinja environment exists from its on_config on
        pagecache.install(plugin.env, _page_cache_dir(config))


def on_post_build(config):
    pagecache.prune(_page_cache_dir(config))
    # CSV and JSON of every table and chart shown (du-lieu/<name>.csv|json), from this build.
    opendata.REGISTRY.write_all(Path(config.site_dir))
    for rel, line, col, target, target_src, anchor, page_src in _anchor_refs:
        if target_src in _page_ids:  # only pages have anchors; links to other files were checked above
            issue = pages.missing_anchor(rel, line, col, target, target_src, anchor, _page_ids[target_src], page_src)
            if issue:
                _page_issues.append(issue)
    _anchor_refs.clear()
    if _page_issues:
        issues = list(_page_issues)
        _page_issues.clear()
        raise PluginError("\n" + format_issues(issues).replace("Dữ liệu có", "Trang có"))


# -- sources at the end of each page ------------------------------------------------------
_SRC = re.compile(r'data-src="([^"]+)"')


@event_priority(-50)
def on_page_content(html_text, page, config, files):
    html_text = _with_page_sources(html_text, page, config)
    _page_ids[page.file.src_uri] = pages.element_ids(html_text)
    return html_text


def _with_page_sources(html_text, page, config):
    ids = []
    for group in _SRC.findall(html_text):
        for sid in group.split():
            if sid not in ids:
                ids.append(sid)
    if not ids or page.file.src_uri == SOURCES_PAGE:
        return html_text
    data = _data(config)
    r = _page_renderer(data, project_root(config))
    _current_page[0] = page
    items = "".join(
        f'<li><a href="{r.href(SOURCES_PAGE, "src-" + sid)}">{html.escape(data.sources[sid]["title"])}</a>'
        f' — {html.escape(r.source_short(data.sources[sid]))}</li>'
        for sid in ids if sid in data.sources
    )
    return html_text + (f'<section class="kb-page-sources" aria-labelledby="nguon-so-lieu-trang">'
                        f'<h2 id="nguon-so-lieu-trang">Nguồn số liệu trên trang này</h2><ol>{items}</ol></section>')


_current_page: list = [None]
_renderers: dict = {}


def _page_renderer(data, root: Path) -> Renderer:
    """One Renderer per data version, reading the page being rendered from _current_page."""
    key = (id(data), str(root))
    if key not in _renderers:
        _renderers.clear()
        _renderers[key] = Renderer(data, lambda: _current_page[0], root)
    return _renderers[key]


_undeclared_names = pagecache.undeclared_names  # the page checks' scan (tests compare it to jinja2.meta)


# -- edit link and last-changed date of generated pages -----------------------------------
# A generated page has no Markdown file: "Sửa trang này" opens the data file it is made from,
# and its "Cập nhật lần cuối" date is that file's last git commit (not the build time).
GENERATED_SOURCES = {PROGRAMME_DIR: "data/programmes.yml", DOCUMENT_DIR: "data/documents.yml",
                     form_files.FORM_DIR: "data/forms.yml"}


def generated_source(page) -> str | None:
    """The data file (path from the project root) a generated page comes from, else None."""
    if getattr(page.file, "generated_by", None) is None:
        return None
    return GENERATED_SOURCES.get(page.file.src_uri.split("/")[0])


_git_dates: dict[str, tuple] = {}


def on_page_context(context, page, config, nav):
    source = generated_source(page)
    if source is None:
        return context
    if config.repo_url and config.edit_uri:
        from urllib.parse import urljoin

        # edit_uri points at docs/ (e.g. edit/main/docs/); data/ sits beside it.
        base = urljoin(config.repo_url.rstrip("/") + "/", config.edit_uri)
        page.edit_url = urljoin(base.rstrip("/") + "/", "../" + source)
    dates = config.plugins.get("git-revision-date-localized")
    if dates is not None and dates.config.get("enabled") and hasattr(dates, "util"):
        path = str(project_root(config) / source)
        if path not in _git_dates:  # one git call per data file, not one per generated page
            commit, stamp = dates.util.get_git_commit_timestamp(path)
            shown = dates.util.get_date_formats_for_timestamp(stamp, locale=dates.config["locale"], add_spans=True)
            _git_dates[path] = commit, shown
        commit, shown = _git_dates[path]
        page.meta["git_revision_date_localized"] = shown[dates.config["type"]]
        page.meta["git_revision_date_localized_hash"] = commit
    return context


# -- mkdocs serve: a failed rebuild prints the editor's message, not a Python traceback ------
def on_startup(command, dirty):
    _safe_site.startup(command)


def on_build_error(error):
    _safe_site.fail()


def on_shutdown():
    _safe_site.finish()


class _RebuildFailed(SystemExit, Exception):
    """MkDocs' live-reload loop prints a SystemExit as a message and keeps serving."""


def on_serve(server, config, builder):
    inner = server.builder

    def rebuild():
        try:
            inner()
        except Abort as err:
            raise _RebuildFailed(f"{err}\nChưa dựng lại được trang (xem các lỗi ở trên). Sửa lỗi rồi lưu tệp: "
                                 "trang xem trước sẽ tự tải lại.") from None

    server.builder = rebuild
    return server
