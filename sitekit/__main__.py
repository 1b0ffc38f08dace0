"""Command line for editors and CI: `python -m sitekit check | build | normalize`.

`build` never leaves a half-built site: MkDocs writes into a fresh temporary folder beside the
target, and only a fully successful strict build replaces the previous site (two renames).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import unicodedata
from pathlib import Path

from . import guard
from .data import DATA_FILES, ROOT, load_cached
from .issues import DataError
from .safesite import OUTER_SWAP_ENV


def check(root: Path) -> int:
    try:
        # Cached: `build` runs MkDocs in this process, and its hook reuses this check.
        data = load_cached(root)
    except DataError as err:
        print(err, file=sys.stderr)
        return 1
    print(f"Dữ liệu hợp lệ: {len(data.figures)} số liệu, {len(data.programmes)} chương trình, "
          f"{len(data.documents)} văn bản, {len(data.sources)} nguồn, {len(data.solutions)} giải pháp.")
    return 0


def _run_mkdocs(args: list[str], root: Path, env: dict) -> int:
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
    """Strict build into a temporary folder; swap it into `site_dir` only on success."""
    if check(root):
        print("Trang chưa được dựng; bản trang cũ (nếu có) vẫn giữ nguyên.", file=sys.stderr)
        return 1
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    guard.remove_leftovers(site_dir)
    tmp = Path(tempfile.mkdtemp(prefix=site_dir.name + ".building-", dir=site_dir.parent))
    # This command swaps the folder itself; the hook's own swap for plain `mkdocs build` stands aside.
    env = {"NO_MKDOCS_2_WARNING": "1", OUTER_SWAP_ENV: "1", **(extra_env or {})}
    code = _run_mkdocs(["build", "--strict", "--clean", "-f", str(root / config), "-d", str(tmp)], root, env)
    if code != 0:
        shutil.rmtree(tmp, ignore_errors=True)
        print("\nDựng trang KHÔNG thành công (xem lỗi ở trên). Bản trang cũ vẫn giữ nguyên tại "
              f"{site_dir}.", file=sys.stderr)
        return code
    guard.make_readable(tmp)
    old = site_dir.with_name(site_dir.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if site_dir.exists():
        site_dir.rename(old)
    tmp.rename(site_dir)
    shutil.rmtree(old, ignore_errors=True)
    print(f"Đã dựng xong trang tại {site_dir}")
    return 0


def normalize(root: Path) -> int:
    """Rewrite data files and pages in composed Unicode (NFC), keeping everything else."""
    changed = []
    paths = [root / "data" / f"{n}.yml" for n in DATA_FILES] + sorted((root / "docs").rglob("*.md"))
    for path in paths:
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8-sig")
        fixed = unicodedata.normalize("NFC", text)
        if fixed != text:
            path.write_text(fixed, encoding="utf-8")
            changed.append(path.relative_to(root))
    for p in changed:
        print(f"Đã chuẩn hóa Unicode (NFC): {p}")
    if not changed:
        print("Không có tệp nào cần chuẩn hóa.")
    return 0


def main(argv=None) -> int:
    return guard.guarded(lambda: _main(argv))


def _main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m sitekit", description="Kiểm tra dữ liệu và dựng trang.")
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("check", help="Kiểm tra toàn bộ data/ mà không dựng trang")
    b = sub.add_parser("build", help="Kiểm tra rồi dựng trang vào thư mục site/ (an toàn)")
    b.add_argument("-d", "--site-dir", default="site")
    b.add_argument("-f", "--config", default="mkdocs.yml")
    sub.add_parser("normalize", help="Chuyển chữ tiếng Việt trong data/ và docs/ sang Unicode dựng sẵn (NFC)")
    s = sub.add_parser("serve", help="Xem trước trang, tự dựng lại khi sửa tệp (mkdocs serve, nghiêm ngặt)")
    s.add_argument("-a", "--dev-addr", default="127.0.0.1:8000")
    o = sub.add_parser("offline", help="Dựng trang rồi đóng gói thành tệp zip để mở từ máy, không cần mạng")
    o.add_argument("-o", "--output", default="dist/huong-khe-offline.zip")
    ap.add_argument("--root", default=str(ROOT))
    args = ap.parse_args(argv)
    root = Path(args.root).resolve()
    if args.cmd == "check":
        return check(root)
    if args.cmd == "serve":  # through the guard: a fault is a message, never a traceback
        return _run_mkdocs(["serve", "--strict", "-a", args.dev_addr, "-f", str(root / "mkdocs.yml")], root,
                           {"NO_MKDOCS_2_WARNING": "1"})
    if args.cmd == "offline":
        from .zipcopy import build_zip

        out = Path(args.output)
        return build_zip(root, out if out.is_absolute() else root / out)
    if args.cmd == "build":
        return build(root, root / args.site_dir if not os.path.isabs(args.site_dir) else Path(args.site_dir), args.config)
    return normalize(root)


if __name__ == "__main__":
    sys.exit(main())
