"""The sitekit MkDocs plugin: the thin glue between MkDocs and the engine-free core.

- on_config: load and check data/ (data.py), so an editor's mistake stops the build with the
  Vietnamese list of every problem before any page renders; plain `mkdocs build` builds into a
  temporary folder that replaces site/ only on success (build.SafeSwap).
- on_files: one page per programme and per document (generated.py), listed in the menu.
- on_page_markdown (before mkdocs-macros): check the page's links and macros (pagecheck.py).
- on_page_content: end the page with the sources of the figures it showed, as the renderer
  recorded them while the macros ran.
- on_post_build: CSV/JSON downloads, the offline shim and checks (offline.py), anchors; every
  page problem of the build is reported there together.

All state lives on the instance. MkDocs keeps one instance across `mkdocs serve` rebuilds
(the plugin has on_startup), so the compiled-page cache in memory serves every rebuild.
"""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, InclusionLevel

from . import csp, datarules, gitdates, htmlpolicy, macros_adapter, offline, pagecheck, pages, pwa, repo, sandbox, searchindex
from . import forms as form_files
from .build import SafeSwap
from .generated import add_forms_to_nav, add_to_nav, document_pages, form_pages, programme_pages, record_of, source_file
from .issues import BuildError, DataError, Issue, format_issues
from .links import SOURCES_PAGE
from .material_adapter import drop_switching_rule
from .pagecache import PageCache
from .project import cache_path
from .sitebuild import SiteBuild

# Before MkDocs loads mkdocs-macros (listed after this plugin in mkdocs.yml): see macros_adapter.
macros_adapter.defer_requests()


def _page_text(page) -> str | None:
    """The editor's file of a page (None for a generated page or an unreadable file)."""
    try:
        return Path(page.file.abs_src_path).read_text(encoding="utf-8-sig") if page.file.abs_src_path else None
    except (OSError, UnicodeDecodeError):
        return None


class SiteConfig(Config):
    # Keep compiled pages and passed checks in <project>/.cache between builds.
    page_cache = config_options.Type(bool, default=True)


class RebuildFailed(Exception, SystemExit):
    """MkDocs' live-reload loop catches an Exception, prints it as a message when it is also a
    SystemExit (no traceback), and keeps serving. A SystemExit alone is not caught there: it
    would end `mkdocs serve` (mkdocs' own Abort is both, for the same reason)."""


class SitePlugin(BasePlugin[SiteConfig]):
    def on_startup(self, *, command, dirty):
        self.command = command
        self.builds = 0
        self.page_cache: PageCache | None = None
        self.swap: SafeSwap | None = None
        self.failed = False
        self.early_sizes = pwa.EarlySizes()

    # -- errors --------------------------------------------------------------------------
    def _stop(self, message: str):
        if self.command == "serve" and self.builds > 1:
            return RebuildFailed(f"{message}\nChưa dựng lại được trang (xem các lỗi ở trên). Sửa lỗi rồi lưu "
                                 "tệp: trang xem trước sẽ tự tải lại.")
        return PluginError("\n" + message)

    # -- configuration -------------------------------------------------------------------
    @event_priority(100)
    def on_config(self, config):
        self.builds += 1
        self.failed = False
        self.root = Path(config.config_file_path).resolve().parent
        self.issues: list[Issue] = []
        self.anchor_refs: list[tuple] = []
        self.page_ids: dict[str, set[str]] = {}
        self.git_dates: dict[str, tuple[str, str]] = {}
        try:
            self.site = SiteBuild(self.root)
            offline.check_config(self.root, config)
        except (DataError, BuildError) as err:
            raise self._stop(str(err)) from None
        # Repository and site addresses from the build's surroundings, or none (repo.py).
        config.update(repo.resolve(os.environ, self.root, config.repo_url, config.repo_name, config.site_url))
        if config.plugins.get("macros") is not None:
            macros_adapter.skip_git_info()  # before mkdocs-macros' own on_config (priority 0)
        if self.page_cache is None:
            folder = cache_path(self.root, "jinja-pages") if self.config.page_cache else None
            self.page_cache = PageCache(folder)
        # Pages whose HTML passed the HTML policy unchanged (htmlpolicy.Verdicts), read afresh each
        # build. Tied to page_cache like the compiled pages: `page_cache: false` keeps nothing.
        verdicts = cache_path(self.root, "html-policy.json") if self.config.page_cache else None
        self.html_verdicts = htmlpolicy.Verdicts(verdicts)
        self.early_sizes.take()  # nothing left over from a failed build
        if self.command in ("build", "gh-deploy") and self.swap is None:
            self.swap = SafeSwap(Path(config.site_dir))
            config.site_dir = str(self.swap.start())
        return config

    def on_files(self, files, config):
        programmes = programme_pages(self.site.data)
        documents = document_pages(self.site.data, self.site.renderer)
        for page in programmes + documents + form_pages(self.site.data):
            files.append(File.generated(config, page.src, content=page.markdown))
        # Each form's Word file and, for a table, its Excel file (forms.py), kept in .cache/forms.
        data, r = self.site.data, self.site.renderer
        cache = cache_path(self.root, "forms") if self.config.page_cache else None
        for src, content in form_files.downloads(data.forms, lambda f: [r.document_name(data.documents[d])
                                                                        for d in f["documents"]],
                                                 config.site_name, cache):
            files.append(File.generated(config, src, content=content))
        add_forms_to_nav(config.nav, data)
        left_out = add_to_nav(config.nav, programmes, documents)
        for f in files:
            if f.src_uri in left_out:
                f.inclusion = InclusionLevel.NOT_IN_NAV
        return files

    def on_pre_build(self, config):
        """Pages render in the sandbox (sandbox.py), from compiled code kept between builds."""
        macros = config.plugins.get("macros")
        self.sandbox = None
        if macros is None:
            return
        macros_adapter.check_version()
        self.sandbox = sandbox.make_env(macros_adapter.jinja_env(macros), config.docs_dir, self.site.page_globals, {})
        macros_adapter.use_sandbox(macros, self.sandbox)
        if self.config.page_cache:
            macros_adapter.use_page_cache(self.sandbox, self.page_cache)

    # -- pages ---------------------------------------------------------------------------
    def _check_page_source(self, page, files) -> str | None:
        """Links, anchors and Unicode form of an editor's page, read from its file (real
        lines). Returns the file's text (None for a generated page or an unreadable file)."""
        if not page.file.abs_src_path or not page.file.src_uri.endswith(".md"):
            return None  # generated pages: their links come from macros and are checked by MkDocs
        rel = "docs/" + page.file.src_uri
        try:
            text = Path(page.file.abs_src_path).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as err:
            self.issues.append(Issue(file=rel, what="Trang không đọc được dưới dạng văn bản UTF-8.",
                                     fix="Lưu lại tệp với mã hóa UTF-8.", detail=str(err)))
            return None
        self.issues.extend(pages.nfc_issues(rel, text))
        self.issues.extend(datarules.front_matter_issues(rel, text, page.meta))
        for link in pages.find_links(text):
            issue, target_src, anchor = pages.link_issue(rel, link, page.file.src_uri, files.src_uris)
            if issue:
                self.issues.append(issue)
            elif anchor and target_src:
                self.anchor_refs.append((rel, link.line, link.column, link.target, target_src, anchor,
                                         page.file.src_uri))
        return text

    @event_priority(100)
    def on_page_markdown(self, markdown, page, config, files):
        self.site.renderer.page = page.file.src_uri
        drawn = record_of(page.file.src_uri, self.site.data) if page.file.generated_by else None
        if drawn is not None:  # a generated page: drawn from its record, mkdocs-macros is off for it
            template, ctx = drawn
            if template == "form_page":
                return self.site.page_globals["form_page"](ctx["id"])
            return self.site.renderer.render(template, **ctx)
        text = self._check_page_source(page, files)
        macros = config.plugins.get("macros")
        if macros is None or "{" not in markdown:
            return markdown
        rel = "docs/" + page.file.src_uri if page.file.abs_src_path else f"(trang sinh tự động {page.file.src_uri})"
        found = pagecheck.macro_issues(macros_adapter.jinja_env(macros), self.page_cache, rel, markdown,
                                       pagecheck.front_matter_lines(text), self.site.known_names, self.site.data)
        if found:
            self.issues.extend(found)
            return ""
        if self.sandbox is not None:
            self.sandbox.set_page(rel, pagecheck.front_matter_lines(text))
        return markdown

    @event_priority(-50)
    def on_page_content(self, html, page, config, files):
        src = page.file.src_uri
        source = source_file(src) if page.file.generated_by else None
        html, problems = self.html_verdicts.check(html, source or "docs/" + src, _page_text(page))
        self.issues.extend(problems)
        cited = self.site.renderer.cited.get(src)
        if cited and cited.sources and src != SOURCES_PAGE:
            self.site.renderer.page = src
            html += str(self.site.renderer.render("page_sources.html", ids=list(cited.sources)))
        self.page_ids[src] = pages.element_ids(html)
        return html

    def on_page_context(self, context, page, config, nav):
        source = source_file(page.file.src_uri) if page.file.generated_by else None
        if source is None:
            return context
        page.edit_url = repo.edit_url_of(config.repo_url, config.edit_uri, source)
        dates = config.plugins.get("git-revision-date-localized")
        if dates is not None and dates.config.get("enabled"):
            if source not in self.git_dates:  # one git call per data file, not one per page
                commit, stamp = gitdates.last_commit_time(self.root / source)
                c = dates.config
                self.git_dates[source] = commit, gitdates.shown_date(stamp, c["locale"], c["timezone"], c["type"],
                                                                     c["custom_format"])
            commit, shown = self.git_dates[source]
            page.meta["git_revision_date_localized"] = shown
            page.meta["git_revision_date_localized_hash"] = commit
        return context

    def on_template_context(self, context, template_name, config):
        if template_name == "404.html":  # styled from disk and on a host (repo.py)
            repo.relative_error_context(context, config.site_url)
        return context

    # -- end of the build ----------------------------------------------------------------
    def on_post_build(self, config):
        """After Material's search plugin has written its index (listed before this plugin) and
        before Material's offline plugin (priority -100) copies it into search_index.js."""
        self.page_cache.prune()
        self.html_verdicts.save()  # before the pages' problems stop the build: clean pages stay clean
        # The index the site's search worker reads; kept in .cache/ while the pages' text is the
        # same (like the compiled pages, not with `page_cache: false`).
        kept_index = cache_path(self.root, "search-index.json") if self.config.page_cache else None
        searchindex.prebuild(Path(config.site_dir), kept_index)
        if not config.site_url:  # no address, no sitemap entries: publish no empty sitemap
            repo.drop_empty_sitemap(Path(config.site_dir))
        # CSV and JSON of every table and chart shown (du-lieu/<name>.csv|json), from this build.
        self.site.datasets.write_all(Path(config.site_dir))
        for rel, line, col, target, target_src, anchor, page_src in self.anchor_refs:
            if target_src in self.page_ids:  # only pages have anchors; links to other files were checked above
                issue = pages.missing_anchor(rel, line, col, target, target_src, anchor,
                                             self.page_ids[target_src], page_src)
                if issue:
                    self.issues.append(issue)
        if self.sandbox is not None:
            self.issues.extend(self.sandbox.take_issues())
        if self.issues:
            raise self._stop(format_issues(self.issues).replace("Dữ liệu có", "Trang có"))
        # Before the web app's file list, which hashes every file (material_adapter.py).
        drop_switching_rule(Path(config.site_dir))
        try:  # after the pages' own problems, which name the file and line
            offline.finish_site(self.root, Path(config.site_dir))
            self._web_app(config)
        except BuildError as err:  # pwa.PwaError is one
            raise self._stop(str(err)) from None

    def _web_app(self, config) -> None:
        """Manifest, icons, offline page, file lists and the Workbox service worker (pwa.py).
        Under `mkdocs serve` no service worker: it would hide the changes being previewed."""
        palette = config.theme.get("palette") or {}
        primary = str((palette[0] if isinstance(palette, list) else palette).get("primary", "indigo")).replace(" ", "-")
        pwa.build(Path(config.site_dir), self.root, name=config.site_name,
                  short_name=config.extra.get("short_name") or config.site_name,
                  description=config.site_description or "", primary=primary,
                  service_worker=self.command != "serve", early_sizes=self.early_sizes.take())

    # -- Content-Security-Policy of every page (csp.py), computed from the finished page -----
    @event_priority(-100)
    def on_post_page(self, output, page, config):
        output = csp.apply(output)
        self.early_sizes.add(output)  # its compressed size, on the other core (pwa.EarlySizes)
        return output

    @event_priority(-100)
    def on_post_template(self, output_content, template_name, config):
        return csp.apply(output_content) if template_name.endswith(".html") else output_content

    def on_build_error(self, *, error):
        self.failed = True

    def on_shutdown(self):
        if self.swap is not None:
            swap, self.swap = self.swap, None
            swap.finish(ok=not self.failed)
