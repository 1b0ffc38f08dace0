"""The one build path: check the data, build with MkDocs into a temporary folder beside the
target, and swap it in only when the whole strict build succeeded.

`python -m sitekit build` (make build), `make offline`, `make pdf` and the benchmark call
`build()`. The folder swap itself happens in the sitekit plugin (plugin.py, through
`SafeSwap`), so a plain `mkdocs build` typed by an editor is just as safe.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

from . import guard
from .data import load_cached
from .issues import DataError


def check(root: Path) -> int:
    try:
        # Cached: `build` runs MkDocs in this process, and the plugin reuses this check.
        data = load_cached(root)
    except DataError as err:
        print(err, file=sys.stderr)
        return 1
    print(f"Dữ liệu hợp lệ: {len(data.figures)} số liệu, {len(data.programmes)} chương trình, "
          f"{len(data.documents)} văn bản, {len(data.sources)} nguồn, {len(data.solutions)} giải pháp.")
    return 0


def run_mkdocs(args: list[str], root: Path, env: dict) -> int:
    """MkDocs' own command line, run in this process: a second Python process would add its
    start-up and imports to every build (about half a second here)."""
    import click
    from mkdocs.__main__ import cli

    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    os.environ.update(env)
    os.chdir(root)
    try:
        cli.main(args=args, prog_name="mkdocs", standalone_mode=False)
        return 0
    except click.exceptions.ClickException as err:  # MkDocs' Abort ("Aborted with ...")
        err.show()
        return err.exit_code or 1
    except SystemExit as err:  # mkdocs-macros exits on a macro error (on_error_fail)
        return err.code if isinstance(err.code, int) and err.code else 1
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)


def build(root: Path, site_dir: Path, config: str = "mkdocs.yml", extra_env: dict | None = None) -> int:
    """Strict build of `root` into `site_dir`; on failure the previous `site_dir` stays."""
    if check(root):
        print("Trang chưa được dựng; bản trang cũ (nếu có) vẫn giữ nguyên.", file=sys.stderr)
        return 1
    site_dir = Path(site_dir).resolve()
    env = {"NO_MKDOCS_2_WARNING": "1", **(extra_env or {})}
    code = run_mkdocs(["build", "--strict", "--clean", "-f", str(root / config), "-d", str(site_dir)], root, env)
    if code != 0:
        print("\nDựng trang KHÔNG thành công (xem lỗi ở trên). Bản trang cũ vẫn giữ nguyên tại "
              f"{site_dir}.", file=sys.stderr)
        return code
    print(f"Đã dựng xong trang tại {site_dir}")
    return 0


class SafeSwap:
    """Build into a temporary folder beside the target; move it into place only on success.

    `start` picks the temporary folder (and removes what killed builds left beside the target),
    `finish` swaps it in or throws it away. The previous site is replaced by two renames."""

    def __init__(self, target: Path):
        self.target = Path(target).resolve()
        self.temp: Path | None = None

    def start(self) -> Path:
        self.target.parent.mkdir(parents=True, exist_ok=True)
        guard.remove_leftovers(self.target)
        self.temp = Path(tempfile.mkdtemp(prefix=self.target.name + ".building-", dir=self.target.parent))
        return self.temp

    def finish(self, ok: bool) -> None:
        temp, self.temp = self.temp, None
        if temp is None:
            return
        if not ok:
            shutil.rmtree(temp, ignore_errors=True)
            return
        guard.make_readable(temp)  # mkdtemp makes it private; a web server must read the site
        old = self.target.with_name(self.target.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if self.target.exists():
            self.target.rename(old)
        temp.rename(self.target)
        shutil.rmtree(old, ignore_errors=True)
