"""The copy people open from disk: the built site as one zip, `python -m sitekit offline`.

The zip holds a single folder (huong-khe-offline/) with index.html at its top, so it can be
unpacked anywhere and opened by double-clicking index.html. The site needs nothing else:
search works from file:// (see sitekit/offline.py and mkdocs.yml), nothing is fetched.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

from .build import build  # the safe, strict build

FOLDER = "huong-khe-offline"
DEFAULT_ZIP = Path("dist") / f"{FOLDER}.zip"


def make_zip(site_dir: Path, zip_path: Path, folder: str = FOLDER) -> Path:
    """Write `site_dir` into `zip_path` under `folder/`; replaces the zip only when complete."""
    site_dir = Path(site_dir)
    if not (site_dir / "index.html").is_file():
        raise FileNotFoundError(f"{site_dir} không có index.html: trang chưa được dựng.")
    zip_path = Path(zip_path).resolve()
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=zip_path.name + ".", suffix=".part", dir=zip_path.parent)
    os.close(fd)
    os.chmod(tmp, 0o644)  # mkstemp makes it private; the zip is meant to be shared
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
            for path in sorted(site_dir.rglob("*")):
                if path.is_file():
                    zf.write(path, f"{folder}/{path.relative_to(site_dir).as_posix()}")
        os.replace(tmp, zip_path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return zip_path


def build_zip(root: Path, zip_path: Path) -> int:
    """Strict build into a temporary folder, then the zip. The site/ folder is not touched."""
    work = Path(tempfile.mkdtemp(prefix="offline-"))
    try:
        site = work / FOLDER
        code = build(root, site)
        if code:
            print("Chưa tạo được bản dùng không cần mạng.", file=sys.stderr)
            return code
        out = make_zip(site, zip_path)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    size = out.stat().st_size / 1_000_000
    print(f"Đã tạo bản dùng không cần mạng: {out} ({size:.1f} MB). Giải nén ra bất kỳ thư mục nào "
          f"rồi mở {FOLDER}/index.html.")
    return 0
