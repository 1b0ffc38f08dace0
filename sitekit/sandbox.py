"""Pages run in a Jinja sandbox that offers the macro vocabulary and nothing else (issue 12).

mkdocs-macros 1.5.0 has no public way to choose the class of its Jinja environment: it builds
`jinja2.Environment(**env_config)` in its on_config. `make_env` builds an
`ImmutableSandboxedEnvironment` from the same settings; sitekit/macros_adapter.py, the one place
that touches mkdocs-macros' internals (version pinned, tested), puts it in place.

What a page can do in the sandbox:
- read the names of the macro vocabulary: the macros of macros.py and the data variable `kb`
  (the page checks refuse any other name before the page renders, with file and line);
- no attribute or item starting with `_`, no method that changes a list or dict (immutable);
- no {% include %} / {% import %} outside docs/ (the loader refuses paths that leave it, links too);
- no range, lipsum, cycler, joiner, namespace or dict from Jinja's defaults;
- `*` and `**` on huge operands, and built-in methods called with huge numbers, are refused;
- each page has PAGE_SECONDS to render (SITEKIT_PAGE_SECONDS overrides it): past that, the
  rendering thread is interrupted and the page is reported with file and line.

Every runtime error of a page becomes an Issue (file, line from the top of the file, what,
fix), kept on the environment; the build goes on to find the other pages' problems, and the
plugin stops it at the end.
"""

from __future__ import annotations

import ctypes
import os
import threading

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from .issues import Issue

PAGE_SECONDS = 10.0
DATA_VARIABLES = ("kb",)
SIZE_MAX = 100_000  # largest repeat count or number a page may hand to a built-in operation

_SETTINGS = ("block_start_string", "block_end_string", "variable_start_string", "variable_end_string",
             "comment_start_string", "comment_end_string", "line_statement_prefix", "line_comment_prefix",
             "trim_blocks", "lstrip_blocks", "newline_sequence", "keep_trailing_newline")


class PageTimeout(Exception):
    """Raised inside a page that rendered for longer than its budget."""


class _DocsLoader(jinja2.FileSystemLoader):
    """docs/ only: a path that leaves it (.., an absolute path, a link pointing out) is not found."""

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        root = os.path.realpath(self.searchpath[0])
        if os.path.commonpath([root, os.path.realpath(filename)]) != root:
            raise jinja2.TemplateNotFound(template)
        return source, filename, uptodate


class PageSandbox(ImmutableSandboxedEnvironment):
    """The sandbox, with the page being rendered and the problems found so far."""

    intercepted_binops = frozenset({"*", "**"})

    def set_page(self, file: str, offset: int) -> None:
        """Before a page renders: its path for messages and the lines of its front matter."""
        self.page_file, self.page_offset = file, offset

    def take_issues(self) -> list[Issue]:
        out, self.page_issues = self.page_issues, []
        return out

    def call_binop(self, context, operator, left, right):
        if operator == "**" and isinstance(right, (int, float)) and abs(right) > 64:
            raise SecurityError("số mũ quá lớn")
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(n, int) and len(seq) * n > SIZE_MAX:
                    raise SecurityError("chuỗi nhân lên quá dài")
        return super().call_binop(context, operator, left, right)

    def call(__self, __context, __obj, *args, **kwargs):
        if type(__obj).__name__ == "builtin_function_or_method":
            for value in list(args) + list(kwargs.values()):
                if isinstance(value, int) and not isinstance(value, bool) and abs(value) > SIZE_MAX:
                    raise SecurityError("số quá lớn cho phép tính này")
        return super().call(__context, __obj, *args, **kwargs)


def _template_line(err: BaseException) -> int | None:
    line, tb = None, err.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def explain(err: BaseException) -> tuple[str, str]:
    """(what, fix) in Vietnamese for an error raised while a page renders."""
    name = type(err).__name__
    if isinstance(err, PageTimeout):
        return (f"Trang dựng quá {budget():g} giây: có vòng lặp hay phép tính quá lớn trong macro.",
                "Bỏ vòng lặp lồng nhau hoặc phép tính lớn; trang chỉ nên gọi các macro trong trang \"Macro\".")
    if isinstance(err, SecurityError):
        return (f"Trang dùng thao tác không được phép trong macro ({err}).",
                "Chỉ dùng các macro trong trang \"Macro cho người biên tập\"; không truy cập thuộc tính bắt đầu "
                "bằng \"_\", không sửa dữ liệu, không dùng số hay chuỗi khổng lồ.")
    if isinstance(err, jinja2.TemplateNotFound):
        return (f"Không tìm thấy tệp \"{err.name}\" được chèn bằng include/import (chỉ chèn được tệp trong docs/).",
                "Sửa tên tệp cho đúng, hoặc bỏ lệnh include.")
    if name == "MacroError":
        return (str(err), "Sửa mã trong macro cho đúng với data/, hoặc thêm mục vào tệp dữ liệu.")
    if isinstance(err, jinja2.UndefinedError):
        return (f"Macro dùng một tên hay khóa không có ({err.message}).",
                "Sửa lỗi chính tả tên macro hay khóa dữ liệu; xem trang \"Macro cho người biên tập\".")
    return (f"Macro lỗi khi dựng trang ({name}: {err}).",
            "Kiểm tra các tham số của macro ở dòng này; xem trang \"Macro cho người biên tập\".")


def budget() -> float:
    try:
        return float(os.environ.get("SITEKIT_PAGE_SECONDS", PAGE_SECONDS))
    except ValueError:
        return PAGE_SECONDS


class _Deadline:
    """Raise PageTimeout in this thread if the block runs past the budget."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.lock = threading.Lock()
        self.active = False

    def _fire(self):
        with self.lock:
            if self.active:
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self.thread), ctypes.py_object(PageTimeout))

    def __enter__(self):
        self.thread = threading.get_ident()
        self.active = True
        self.timer = threading.Timer(self.seconds, self._fire)
        self.timer.daemon = True
        self.timer.start()
        return self

    def __exit__(self, *exc):
        with self.lock:
            self.active = False
            self.timer.cancel()
        return False


class PageTemplate(jinja2.Template):
    def render(self, *args, **kwargs):
        try:
            try:
                with _Deadline(budget()):
                    return super().render(*args, **kwargs)
            finally:
                # A timer that fired as the page finished leaves nothing pending behind it.
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(threading.get_ident()), None)
        except Exception as err:  # every failure of a page is the editor's message, never a traceback
            env = self.environment
            line = _template_line(err)
            what, fix = explain(err)
            env.page_issues.append(Issue(file=env.page_file or "(trang)", line=line + env.page_offset if line else None,
                                         what=what, fix=fix, detail=f"{type(err).__name__}: {err}"[:300]))
            return ""


def make_env(old: jinja2.Environment, docs_dir: str, globals_: dict, filters: dict) -> PageSandbox:
    env = PageSandbox(loader=_DocsLoader(docs_dir), undefined=old.undefined, autoescape=True,
                      extensions=list(old.extensions), **{k: getattr(old, k) for k in _SETTINGS})
    env.template_class = PageTemplate
    env.page_file, env.page_offset, env.page_issues = "", 0, []
    env.globals.clear()
    env.globals.update(globals_)
    env.filters.update(filters)
    return env
