"""Where the site's repository and the site itself live, found at build time.

mkdocs.yml does not hold a made-up address. The repository comes from, in order: `repo_url`
in mkdocs.yml (when someone set a real one), the variables GitHub Actions sets for every job
(GITHUB_SERVER_URL and GITHUB_REPOSITORY), or the `origin` remote of the git checkout. The
site's own address comes from `site_url` in mkdocs.yml or the SITE_URL variable (the deploy
workflow passes the address GitHub Pages reports). When an address is not known, the result is
None and the site shows no link to it: no repository link, no "Sửa trang này", no canonical
link, no sitemap, rather than a link that goes nowhere.

Plain functions of their inputs (an environment mapping and a folder), no MkDocs import.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

# Addresses that stand in for a real one: never published.
_PLACEHOLDER = re.compile(r"\bOWNER\b|\bREPO\b|(?i:\b(?:your|my)[-_]?(?:org|user|name|repo)\b|example\.(?:com|org|net)\b"
                          r"|\blocalhost\b)|<[^>]*>|\{\{")
_SCP_LIKE = re.compile(r"^(?:[\w.-]+@)?(?P<host>[\w.-]+):(?P<path>(?!//)[^\s]+)$")  # git@github.com:o/r.git
DEFAULT_BRANCH = "main"


def is_placeholder(url: str | None) -> bool:
    """True for an empty value or a stand-in such as OWNER/REPO in a repository address."""
    return not url or not url.strip() or bool(_PLACEHOLDER.search(url))


def web_url_of_remote(remote: str | None) -> str | None:
    """The https address of a git remote (https, ssh:// or scp-like git@host:owner/repo.git),
    without credentials and without the .git suffix; None when it is not owner/repo on a host."""
    if not remote:
        return None
    remote = remote.strip()
    m = _SCP_LIKE.match(remote)
    if m and "://" not in remote:
        host, path = m["host"], m["path"]
    else:
        parts = urlsplit(remote)
        if parts.scheme not in ("https", "http", "ssh", "git") or not parts.hostname:
            return None
        host, path = parts.hostname, parts.path
    path = path.strip("/").removesuffix(".git").strip("/")
    if path.count("/") < 1 or not all(path.split("/")):
        return None
    url = f"https://{host}/{path}"
    return None if is_placeholder(url) else url


def _git(root: Path, *args: str) -> str | None:
    try:
        proc = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    out = proc.stdout.strip()
    return out if proc.returncode == 0 and out else None


def _inside_git(root: Path) -> bool:
    """True only when `root` is the top of its own checkout: a copy of the project placed inside
    some other repository must not borrow that repository's address."""
    top = _git(root, "rev-parse", "--show-toplevel")
    return top is not None and Path(top).resolve() == Path(root).resolve()


def repository_url(environ, root: Path, configured: str | None = None) -> str | None:
    """The web address of the repository, or None when it is not known."""
    if not is_placeholder(configured):
        return configured.rstrip("/")
    server, name = environ.get("GITHUB_SERVER_URL") or "", environ.get("GITHUB_REPOSITORY") or ""
    if name.strip():
        url = f"{(server.strip() or 'https://github.com').rstrip('/')}/{name.strip().strip('/')}"
        return None if is_placeholder(url) else url
    if _inside_git(root):
        return web_url_of_remote(_git(root, "config", "--get", "remote.origin.url"))
    return None


def default_branch(environ, root: Path) -> str:
    """The branch whose files "Sửa trang này" opens: the repository's default branch as GitHub
    Actions reports it in the event, else origin's HEAD in the checkout, else main."""
    event_path = environ.get("GITHUB_EVENT_PATH")
    if event_path:
        try:
            event = json.loads(Path(event_path).read_text(encoding="utf-8"))
            branch = (event.get("repository") or {}).get("default_branch")
            if branch:
                return branch
        except (OSError, ValueError, AttributeError):
            pass
    if _inside_git(root):
        head = _git(root, "symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD")
        if head and "/" in head:
            return head.split("/", 1)[1]
    return DEFAULT_BRANCH


def edit_uri(repo_url: str | None, branch: str, environ=None) -> str | None:
    """Where the web editor of a docs/ file is, relative to repo_url; None for a host whose
    editor address is not known (the repository link stays, the edit links go)."""
    if not repo_url:
        return None
    host = urlsplit(repo_url).hostname or ""
    github_hosts = {"github.com", urlsplit((environ or {}).get("GITHUB_SERVER_URL") or "").hostname or "github.com"}
    if host in github_hosts:
        return f"edit/{branch}/docs/"
    if host == "gitlab.com" or host.startswith("gitlab."):
        return f"-/edit/{branch}/docs/"
    return None


def repository_label(repo_url: str | None) -> str | None:
    """The words shown beside the repository link in the header."""
    if not repo_url:
        return None
    host = urlsplit(repo_url).hostname or ""
    if "github" in host:
        return "Mã nguồn trên GitHub"
    if "gitlab" in host:
        return "Mã nguồn trên GitLab"
    return "Kho mã nguồn"


def site_address(environ, configured: str | None = None) -> str | None:
    """The site's public address with a trailing slash, or None when it is not known."""
    for candidate in (configured, environ.get("SITE_URL")):
        if is_placeholder(candidate):
            continue
        parts = urlsplit(candidate.strip())
        if parts.scheme in ("http", "https") and parts.netloc:
            path = parts.path if parts.path.endswith("/") else parts.path + "/"
            return urlunsplit((parts.scheme, parts.netloc, path, "", ""))
    return None


def resolve(environ, root: Path, repo_url: str | None = None, repo_name: str | None = None,
            site_url: str | None = None) -> dict:
    """The four settings MkDocs needs, from what mkdocs.yml says and the build's surroundings."""
    url = repository_url(environ, Path(root), repo_url)
    return {
        "repo_url": url,
        "repo_name": (repo_name if url and repo_name and not is_placeholder(repo_name) else repository_label(url)),
        "edit_uri": edit_uri(url, default_branch(environ, Path(root)), environ) if url else None,
        "site_url": site_address(environ, site_url),
    }


def edit_url_of(repo_url: str | None, edit_uri_: str | None, path_from_root: str) -> str | None:
    """The web editor's address for a file outside docs/ (e.g. data/programmes.yml)."""
    if not repo_url or not edit_uri_:
        return None
    base = repo_url.rstrip("/") + "/" + edit_uri_.strip("/")  # …/edit/main/docs
    return base.rsplit("/", 1)[0] + "/" + path_from_root.lstrip("/")


# -- the error page (404.html) ------------------------------------------------------------
def error_page_base(site_url: str | None) -> str:
    """The path of the site's root on its host ("/" or "/subfolder/"), for the 404 page."""
    return urlsplit(site_url).path if site_url else ""


def relative_error_context(context: dict, site_url: str | None) -> dict:
    """MkDocs writes the 404 page's addresses from the host's root ("/assets/…"), which breaks it
    opened from disk. The 404 page sits at the top of site/, so addresses relative to it work from
    disk; on a host, overrides/404.html adds <base href> with the site's path (error_page_base)
    before any of them is read, so they work there at any depth too. Material writes every
    address through MkDocs' `url` filter, which reads base_url from this context."""
    context["base_url"] = "."
    context["site_path"] = error_page_base(site_url)
    return context


def drop_empty_sitemap(site_dir: Path) -> list[str]:
    """Without a site address MkDocs writes a sitemap with no entries; remove it rather than
    publish an empty one. Returns the names removed."""
    removed = []
    sitemap = Path(site_dir) / "sitemap.xml"
    try:
        text = sitemap.read_text(encoding="utf-8")
    except OSError:
        return removed
    if "<url>" not in text:
        for name in ("sitemap.xml", "sitemap.xml.gz"):
            p = Path(site_dir) / name
            if p.exists():
                p.unlink()
                removed.append(name)
    return removed
