"""No traceback reaches an editor (issue 12): the commands' last line of defence, and the
folder hygiene of a build.

`guarded(fn)` runs a command and turns whatever escapes it into a Vietnamese message with the
cause and what to do, and a non-zero exit code. The detailed checks (data, pages, HTML) report
their own problems with file and line before this; what is left here is the machine: a folder
that cannot be written, a full disk, an interrupted run, a bug.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path


def _say(text: str) -> None:
    print(text, file=sys.stderr)


def guarded(fn) -> int:
    try:
        return fn()
    except KeyboardInterrupt:
        _say("\nĐã dừng theo yêu cầu (Ctrl+C). Bản trang cũ (nếu có) vẫn giữ nguyên.")
        return 130
    except PermissionError as err:
        _say(f"Không có quyền ghi hoặc đọc: {err.filename or ''}\n"
             "    Cách sửa: kiểm tra quyền của thư mục dự án và thư mục site/ (chạy `ls -ld` để xem); "
             "người chạy lệnh phải ghi được vào đó. Thư mục chỉ đọc thì chép dự án sang chỗ khác rồi dựng.\n"
             f"    (Chi tiết kỹ thuật: {type(err).__name__}: {err})")
        return 1
    except OSError as err:
        _say(f"Lỗi khi đọc hoặc ghi tệp: {err.filename or ''} ({err.strerror or err})\n"
             "    Cách sửa: kiểm tra chỗ trống trên đĩa (`df -h`) và đường dẫn; rồi chạy lại lệnh.\n"
             f"    (Chi tiết kỹ thuật: {type(err).__name__}: {err})")
        return 1
    except Exception as err:
        _say("Lỗi không lường trước khi chạy lệnh; trang chưa được dựng, bản cũ vẫn giữ nguyên.\n"
             "    Cách sửa: chạy `make check` để xem lỗi dữ liệu; nếu không có, gửi dòng chi tiết dưới đây cho "
             "nhóm phát triển.\n"
             f"    (Chi tiết kỹ thuật: {type(err).__name__}: {err})")
        return 1


def remove_leftovers(site_dir: Path) -> None:
    """Folders a killed or failed earlier build left beside site/: site.building-*, site.old."""
    site_dir = Path(site_dir)
    parent = site_dir.parent
    if not parent.is_dir():
        return
    for p in [*list(parent.glob(site_dir.name + ".building-*")), parent / (site_dir.name + ".old")]:
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p, ignore_errors=True)


def make_readable(folder: Path) -> None:
    """site/ is served by a web server that runs as another user: folders 755, files 644."""
    os.chmod(folder, 0o755)
    for dirpath, dirnames, filenames in os.walk(folder):
        for d in dirnames:
            os.chmod(os.path.join(dirpath, d), 0o755)
        for f in filenames:
            path = os.path.join(dirpath, f)
            if not os.path.islink(path):
                os.chmod(path, 0o644)
