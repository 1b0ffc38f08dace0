"""The "Cập nhật lần cuối" line of a generated page (a programme's, a document's, a form's).

Its date is the last git commit of the data file the page is made from, written as
mkdocs-git-revision-date-localized writes its own dates (its public dates.get_date_formats), so
generated and written pages look alike. Outside a git checkout: the build date, as that plugin's
fallback_to_build_date does.
"""

from __future__ import annotations

import html
import subprocess
import time
from pathlib import Path

from mkdocs_git_revision_date_localized_plugin.dates import get_date_formats


def last_commit_time(path: Path) -> tuple[str, int]:
    """(commit hash, unix time) of the last commit that changed `path`; ("", now) if none."""
    if not any((folder / ".git").exists() for folder in path.resolve().parents):
        return "", int(time.time())  # not in a checkout: no git process to start (a few ms each)
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%H %ct", "--", path.name], cwd=path.parent,
                             capture_output=True, text=True, timeout=30, check=False).stdout.split()
    except (OSError, subprocess.SubprocessError):
        out = []
    if len(out) == 2 and out[1].isdigit():
        return out[0], int(out[1])
    return "", int(time.time())


def shown_date(stamp: int, locale: str, time_zone: str, kind: str, custom_format: str) -> str:
    formats = get_date_formats(stamp, locale=locale, time_zone=time_zone, custom_format=custom_format)
    title = html.escape(formats["datetime-timezone"])
    return (f'<span class="git-revision-date-localized-plugin git-revision-date-localized-plugin-{kind}" '
            f'title="{title}">{formats[kind]}</span>')
