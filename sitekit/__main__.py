"""Command line for editors and CI: `python -m sitekit check | build | offline | normalize`.

`build` never leaves a half-built site (build.py): MkDocs writes into a fresh temporary folder
beside the target, and only a fully successful strict build replaces the previous site.
"""

from __future__ import annotations

import argparse
import os
import sys
import unicodedata
from pathlib import Path

from . import guard
from .build import build, check, run_mkdocs
from .data import DATA_FILES
from .project import ROOT


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
    s = sub.add_parser("serve", help="Xem trước trang, tự dựng lại khi sửa tệp (mkdocs serve, nghiêm ngặt)")
    s.add_argument("-a", "--dev-addr", default="127.0.0.1:8000")
    sub.add_parser("normalize", help="Chuyển chữ tiếng Việt trong data/ và docs/ sang Unicode dựng sẵn (NFC)")
    o = sub.add_parser("offline", help="Dựng trang rồi đóng gói thành tệp zip để mở từ máy, không cần mạng")
    o.add_argument("-o", "--output", default="dist/huong-khe-offline.zip")
    ap.add_argument("--root", default=str(ROOT))
    args = ap.parse_args(argv)
    root = Path(args.root).resolve()
    if args.cmd == "check":
        return check(root)
    if args.cmd == "offline":
        from .zipcopy import build_zip

        out = Path(args.output)
        return build_zip(root, out if out.is_absolute() else root / out)
    if args.cmd == "serve":  # through the guard: a fault is a message, never a traceback
        return run_mkdocs(["serve", "--strict", "-a", args.dev_addr, "-f", str(root / "mkdocs.yml")], root,
                          {"NO_MKDOCS_2_WARNING": "1"})
    if args.cmd == "build":
        return build(root, root / args.site_dir if not os.path.isabs(args.site_dir) else Path(args.site_dir), args.config)
    return normalize(root)


if __name__ == "__main__":
    sys.exit(main())
