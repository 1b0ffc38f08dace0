"""Editing and publishing: edit links, last-changed dates, workflows, lint, contributor guide,
print stylesheet and the PDF of the whole guide."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import unicodedata
from pathlib import Path
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

import pytest
import yaml
from conftest import PUBLISHED_ENV, ROOT, UNKNOWN_ADDRESSES, html_pages, read_page, run_build, run_check

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
GENERATED = {"khoa-hoc": "data/programmes.yml", "van-ban": "data/documents.yml", "mau-bieu": "data/forms.yml"}
EDIT_LINK = re.compile(r'<a href="([^"]+)"[^>]*\brel="edit"')
UPDATED = re.compile(r"Cập nhật lần cuối: <span[^>]*>(\d{2}/\d{2}/\d{4})</span>")


def mkdocs_config() -> dict:
    class Loose(yaml.SafeLoader):
        pass

    Loose.add_multi_constructor("", lambda loader, suffix, node: None)
    return yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loose)


def source_of(site_dir: Path, page: Path) -> str:
    """The file (from the project root) that a built page is made from."""
    rel = page.relative_to(site_dir).with_suffix(".md").as_posix()
    if (ROOT / "docs" / rel).exists():
        return f"docs/{rel}"
    return GENERATED[rel.split("/")[0]]


def content_pages(site_dir: Path) -> list[Path]:
    return [p for p in html_pages(site_dir) if p.name != "404.html"]


# -- edit links and dates -------------------------------------------------------------------
def published_addresses() -> dict:
    from sitekit import repo

    return repo.resolve(PUBLISHED_ENV, ROOT)


def test_no_repository_or_site_address_is_typed_in():
    cfg = mkdocs_config()
    assert "repo_url" not in cfg and "edit_uri" not in cfg and "site_url" not in cfg
    for folder in ("docs", "overrides", "sitekit", "data"):
        for f in (ROOT / folder).rglob("*"):
            if f.is_file() and f.suffix in {".md", ".html", ".py", ".js", ".yml"}:
                assert "github.com/OWNER" not in f.read_text(encoding="utf-8", errors="replace"), f


def test_every_page_edit_link_points_at_its_own_source(site):
    cfg = published_addresses()
    assert cfg["repo_url"] == "https://github.com/kiem-thu/huong-khe"
    base = cfg["repo_url"] + "/" + cfg["edit_uri"]
    generated = 0
    for page in content_pages(site):
        links = EDIT_LINK.findall(read_page(site, page.relative_to(site).as_posix()))
        assert len(links) == 1, (page, links)
        source = source_of(site, page)
        assert (ROOT / source).is_file(), source
        expected = base + source.removeprefix("docs/") if source.startswith("docs/") \
            else urljoin(base, "../" + source)
        assert links[0] == expected, (page, links[0], expected)
        generated += source.startswith("data/")
    assert generated >= 2  # programme and document pages are in the site


def test_published_site_has_canonical_links_and_a_sitemap_with_every_page(site):
    site_url = PUBLISHED_ENV["SITE_URL"]
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    locs = set(re.findall(r"<loc>([^<]+)</loc>", sitemap))
    for page in content_pages(site):
        rel = page.relative_to(site).as_posix()
        canonical = re.findall(r'<link rel="canonical" href="([^"]+)"', page.read_text(encoding="utf-8"))
        assert canonical == [site_url + rel], (rel, canonical)
        assert site_url + rel in locs, rel
    # The 404 page: relative addresses (from disk), and the site's path as <base> on a host.
    error = read_page(site, "404.html")
    assert 'href="./assets/kb.css"' in error and '"/huong-khe/"' in error
    assert "Không tìm thấy trang" in error and "Not found" not in error


def test_unknown_addresses_give_no_dead_links(project, tmp_path):
    """Outside git and outside GitHub Actions nothing tells the build where the repository or
    the site is: no repository link, no edit link, no canonical link, no sitemap."""
    out = tmp_path / "site"
    proc = run_build(project, out, env=UNKNOWN_ADDRESSES)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert not (out / "sitemap.xml").exists() and not (out / "sitemap.xml.gz").exists()
    for page in html_pages(out):
        text = page.read_text(encoding="utf-8")
        assert not EDIT_LINK.findall(text), page
        assert 'class="md-source"' not in text and 'rel="canonical"' not in text, page
        assert "OWNER" not in text, page
    error = read_page(out, "404.html")
    assert 'href="./assets/kb.css"' in error and "<base" not in error and "createElement(\"base\")" not in error


def _git_date(path: str) -> str:
    """What the page must show: the file's last commit date, or the build date without git."""
    proc = subprocess.run(["git", "log", "-1", "--format=%at", "--", path], cwd=ROOT,
                          capture_output=True, text=True)
    stamp = proc.stdout.strip()
    when = dt.datetime.fromtimestamp(int(stamp), TZ) if proc.returncode == 0 and stamp else dt.datetime.now(TZ)
    return when.strftime("%d/%m/%Y")


def test_every_page_shows_last_changed_date_of_its_source(site):
    for page in content_pages(site):
        dates = UPDATED.findall(page.read_text(encoding="utf-8"))
        assert len(dates) == 1, page
    for rel in ("index.html", "giai-phap/giai-phap-1.html"):
        assert UPDATED.findall(read_page(site, rel)) == [_git_date(source_of(site, site / rel))], rel
    for folder, data_file in GENERATED.items():
        page = next(p for p in (site / folder).glob("*.html") if p.name != "index.html"
                    and not (ROOT / "docs" / folder / (p.stem + ".md")).exists())
        assert UPDATED.findall(page.read_text(encoding="utf-8")) == [_git_date(data_file)], page


def test_build_outside_git_falls_back_to_build_date(project, tmp_path):
    assert subprocess.run(["git", "rev-parse"], cwd=project, capture_output=True).returncode != 0
    before = dt.datetime.now(TZ).strftime("%d/%m/%Y")
    out = tmp_path / "site"
    proc = run_build(project, out, env=PUBLISHED_ENV)
    after = dt.datetime.now(TZ).strftime("%d/%m/%Y")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for rel in ("index.html", "khoa-hoc/trung-cap-ly-luan-chinh-tri.html"):
        assert UPDATED.findall(read_page(out, rel))[0] in {before, after}, rel
    assert EDIT_LINK.findall(read_page(out, "khoa-hoc/trung-cap-ly-luan-chinh-tri.html"))[0] == \
        "https://github.com/kiem-thu/huong-khe/edit/main/data/programmes.yml"


# -- workflows ------------------------------------------------------------------------------
def load_workflow(name: str) -> dict:
    wf = yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8"))
    # YAML 1.1 (PyYAML) reads the key `on` as the boolean True.
    wf["on"] = wf.pop(True, wf.get("on"))
    return wf


def steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def uses(job: dict, action: str) -> dict | None:
    return next((s for s in steps(job) if s.get("uses", "").split("@")[0] == action), None)


def test_test_workflow_runs_suite_on_every_pull_request_read_only():
    wf = load_workflow("test.yml")
    assert set(wf["on"]) == {"pull_request", "push"}
    assert wf["on"]["push"]["branches"] == ["main"]
    assert wf["permissions"] == {"contents": "read"}
    for job in wf["jobs"].values():
        assert "permissions" not in job or job["permissions"] == {"contents": "read"}
        checkout = uses(job, "actions/checkout")
        assert checkout and checkout["with"]["fetch-depth"] == 0
        assert checkout["with"].get("persist-credentials") is False
        assert str(uses(job, "actions/setup-python")["with"]["python-version"]) == "3.11"
        assert any(s.get("run", "").startswith("make test") for s in steps(job))


def test_deploy_workflow_publishes_main_with_least_privilege():
    wf = load_workflow("deploy.yml")
    assert set(wf["on"]) == {"push", "workflow_dispatch"}
    assert wf["on"]["push"]["branches"] == ["main"]
    assert wf["permissions"] == {"contents": "read"}
    assert wf["concurrency"]["group"] == "pages"
    build, deploy = wf["jobs"]["build"], wf["jobs"]["deploy"]
    assert build["permissions"] == {"contents": "read"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["needs"] == "build"
    assert uses(build, "actions/checkout")["with"]["fetch-depth"] == 0
    assert any(s.get("run", "").startswith("make build") for s in steps(build))
    assert uses(build, "actions/upload-pages-artifact")["with"]["path"] == "site"
    assert uses(deploy, "actions/deploy-pages") is not None
    assert deploy["environment"]["name"] == "github-pages"


def test_no_workflow_gives_forks_write_rights_or_secrets():
    for wf_file in (ROOT / ".github" / "workflows").glob("*.y*ml"):
        text = wf_file.read_text(encoding="utf-8")
        assert "secrets." not in text, wf_file
        wf = load_workflow(wf_file.name)
        assert "pull_request_target" not in wf["on"], wf_file
        if "pull_request" in wf["on"]:
            perms = [wf.get("permissions")] + [j.get("permissions") for j in wf["jobs"].values()]
            assert all(p in (None, {"contents": "read"}) for p in perms), wf_file
            assert wf.get("permissions") == {"contents": "read"}, wf_file


# -- lint, pre-commit, templates, guide -------------------------------------------------------
def _pins() -> dict[str, str]:
    lines = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    return dict(line.lower().split("==", 1) for line in lines if "==" in line)


def test_ruff_and_yamllint_pass_on_the_repository():
    for cmd in (["ruff", "check", "."], ["yamllint", "--strict", "."]):
        proc = subprocess.run([sys.executable, "-m", *cmd], cwd=ROOT, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stdout + proc.stderr


def test_yamllint_catches_a_broken_data_file(tmp_path):
    bad = tmp_path / "data" / "figures.yml"
    bad.parent.mkdir()
    bad.write_text("figures:\n  - id: a\n    value: 1\n    value: 2\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "yamllint", "-c", str(ROOT / ".yamllint.yml"), str(bad)],
                          capture_output=True, text=True)
    assert proc.returncode != 0 and "key-duplicates" in proc.stdout


def test_pre_commit_runs_data_check_yamllint_and_ruff_with_pinned_versions():
    cfg = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {h["id"]: h for repo in cfg["repos"] for h in repo["hooks"]}
    assert hooks["kiem-tra-du-lieu"]["entry"] == "make check"
    assert re.search(hooks["kiem-tra-du-lieu"]["files"], "data/figures.yml")
    pins = _pins()
    for tool in ("yamllint", "ruff"):
        assert hooks[tool]["additional_dependencies"] == [f"{tool}=={pins[tool]}"]
        assert hooks[tool]["entry"].split()[0] == tool


def test_pull_request_template_asks_for_sources():
    text = (ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    assert "## Nguồn của số liệu mới hoặc đã sửa" in text
    assert "- [ ] Đã chạy `make check`" in text
    assert "- [ ] Đã xem trước trang" in text


def test_contributing_md_is_the_guide_page():
    from sitekit.contributing import render

    assert (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8") == render(ROOT), \
        "CONTRIBUTING.md is stale: run `make contributing`"


def test_guide_page_is_in_the_site(site):
    page = read_page(site, "bien-tap/index.html")
    assert "Hướng dẫn đóng góp" in page
    assert "{{" not in page and "{%" not in page


# The guide quotes real messages; each is produced again from the same mistake. Digits are
# masked, so correcting a figure in data/ does not make the guide wrong.
def _break(project: Path, case: str) -> None:
    figs = project / "data" / "figures.yml"
    text = figs.read_text(encoding="utf-8")

    def after(anchor: str, key: str, change) -> str:
        i = text.index(anchor)
        m = re.compile(rf"^    {key}: (.*)$", re.M).search(text, i)
        return text[:m.start()] + change(m) + text[m.end():]

    if case == "tab":
        text = after("- id: dt-trung-cap\n", "value", lambda m: "\t" + m.group(0).lstrip())
    elif case == "khoa-la":
        text = after("- id: ", "unit", lambda m: "    don_vi: " + m.group(1))
    elif case == "cong-khong-khop":
        last = next(f for f in yaml.safe_load(text)["figures"] if f["id"] == "dt-trung-cap")["parts"][-1]
        text = after(f"- id: {last}\n", "value", lambda m: f"    value: {int(m.group(1)) + 1}")
    elif case == "ma-khong-co":
        text = after("- id: ", "source", lambda m: "    source: bai-viet-2021")
    elif case == "ngoac-kep":
        text = after("- id: dt-so-cap-lop\n", "label", lambda m: f'    label: "{m.group(1)}')
    elif case in ("khoa-lap", "yamllint"):
        text = after("- id: ", "as_of", lambda m: m.group(0) + "\n" + m.group(0))
        if case == "yamllint":
            text = after("- id: dt-so-cap-lop\n", "unit", lambda m: m.group(0) + "   ")
    figs.write_text(text, encoding="utf-8")


def _quoted_messages() -> dict[str, list[str]]:
    text = (ROOT / "docs" / "bien-tap" / "index.md").read_text(encoding="utf-8")
    return {m.group(1): m.group(2).splitlines()
            for m in re.finditer(r"<!-- vi-du-loi: ([\w-]+) -->\n```text\n(.*?)\n```", text, re.S)}


def _mask(line: str) -> str:
    # Figures in the guide's examples come from data/ through macros, like every figure.
    line = re.sub(r"\{\{[^}]*\}\}", "N", line.rstrip())
    return re.sub(r"\d+", "N", line)


def test_guide_quotes_every_kind_of_error():
    assert set(_quoted_messages()) == {"tab", "khoa-la", "cong-khong-khop", "ma-khong-co", "ngoac-kep",
                                       "khoa-lap", "trang", "yamllint"}


@pytest.mark.parametrize("case", ["tab", "khoa-la", "cong-khong-khop", "ma-khong-co", "ngoac-kep", "khoa-lap",
                                  "yamllint"])
def test_guide_error_messages_are_real(project, case):
    _break(project, case)
    if case == "yamllint":
        cmd = [sys.executable, "-m", "yamllint", "--strict", "-c", str(ROOT / ".yamllint.yml"), "data/figures.yml"]
        proc = subprocess.run(cmd, cwd=project, capture_output=True, text=True)
    else:
        proc = run_check(project)
    assert proc.returncode != 0
    actual = {_mask(line) for line in (proc.stdout + proc.stderr).splitlines()}
    missing = [line for line in _quoted_messages()[case] if line.strip() and _mask(line) not in actual]
    assert not missing, f"docs/bien-tap/index.md quotes messages the check no longer prints: {missing}"


def test_guide_page_error_message_is_real(project, tmp_path):
    page = project / "docs" / "index.md"
    lines = page.read_text(encoding="utf-8").splitlines()
    fig_lines = [i for i, line in enumerate(lines) if 'fig("dt-trung-cap"' in line]
    i = fig_lines[0]
    lines[i] = lines[i].replace('fig("dt-trung-cap"', 'fig("dt-trung-cp"')
    lines[i + 1] = re.sub(r"\{\{ fig\(", "{{ fg(", lines[i + 1], count=1)
    page.write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc = run_build(project, tmp_path / "site")
    assert proc.returncode != 0
    actual = {_mask(line) for line in proc.stderr.splitlines()}
    missing = [line for line in _quoted_messages()["trang"] if line.strip() and _mask(line) not in actual]
    assert not missing, missing


# -- print and PDF --------------------------------------------------------------------------


def test_print_shows_only_the_text_with_outside_addresses(site, browser):
    page = browser.new_page()
    page.goto((site / "thong-ke" / "doi-ngu.html").as_uri())
    page.emulate_media(media="print")
    result = page.evaluate("""() => {
      const shown = (sel) => [...document.querySelectorAll(sel)].some(
        (el) => getComputedStyle(el).display !== 'none' && el.getClientRects().length > 0);
      const hidden = {};
      for (const sel of ['.md-header', '.md-tabs', '.md-sidebar--primary', '.md-sidebar--secondary',
                         '.md-search', '.md-footer', '.kb-edit-link', '.md-top', '.headerlink'])
        hidden[sel] = !shown(sel);
      const box = document.querySelector('.md-typeset');
      box.insertAdjacentHTML('beforeend',
        '<p><a id="t-out" href="https://example.org/van-ban">ngoài</a> <a id="t-in" href="../index.html">trong</a>' +
        ' <a id="t-anchor" href="#muc">mục</a></p>');
      const after = (id) => getComputedStyle(document.getElementById(id), '::after').content;
      const avoid = (sel) => [...document.querySelectorAll(sel)].map(
        (el) => getComputedStyle(el).breakInside);
      return {hidden, out: after('t-out'), inside: after('t-in'), anchor: after('t-anchor'),
              tables: avoid('.md-typeset table'), figures: avoid('.md-typeset figure, .md-typeset svg'),
              font: getComputedStyle(box).fontFamily, hyphens: getComputedStyle(box).hyphens};
    }""")
    page.close()
    assert all(result["hidden"].values()), result["hidden"]
    assert "https://example.org/van-ban" in result["out"]
    assert result["inside"] in ("none", "normal") and result["anchor"] in ("none", "normal")
    assert result["tables"] and set(result["tables"]) == {"avoid"}
    assert set(result["figures"]) <= {"avoid"}
    assert result["font"].startswith('"Noto Sans"') and result["hyphens"] == "manual"


def test_pdf_command_makes_searchable_guide_with_every_solution(tmp_path):
    out = tmp_path / "huong-dan.pdf"
    proc = subprocess.run([sys.executable, "-m", "sitekit.pdf", "--root", str(ROOT), "-o", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = " ".join(unicodedata.normalize("NFC", text).split())
    solutions = yaml.safe_load((ROOT / "data" / "solutions.yml").read_text(encoding="utf-8"))["solutions"]
    assert len(solutions) == 5
    for s in solutions:
        assert s["title"] in flat, s["title"]
    # Vietnamese text survives as text: composed letters with tone marks, đ, ư, ơ.
    assert "Mục lục" in flat and "Cập nhật lần cuối" in flat
    assert text == unicodedata.normalize("NFC", text)
    assert "file://" not in flat
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    fonts = fonts.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # every font embedded

    from pypdf import PdfReader

    reader = PdfReader(out)
    titles = []
    pages_of = {}  # bookmark title -> page it points at (1-based)

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)
                pages_of.setdefault(item.title, reader.get_destination_page_number(item) + 1)

    walk(reader.outline)
    # Sections that a page's menu leaves as one link (navigation.prune) are read on their own
    # pages: every programme's page is in the PDF, though the home page's menu lists none of them.
    programmes = yaml.safe_load((ROOT / "data" / "programmes.yml").read_text(encoding="utf-8"))["programmes"]
    missing = [p["name"] for p in programmes if " ".join(p["name"].split()) not in titles]
    assert len(programmes) > 10 and not missing, missing
    # Every page of the menu has a bookmark, in menu order: solutions 1 to 5 one after another.
    # Chromium makes the bookmarks from the headings: the cover's is the guide's name.
    site_name = mkdocs_config()["site_name"]
    assert titles[:2] == [site_name, "Mục lục"]
    assert len(titles) >= len(html_pages_of_menu()) + 2
    headings = []
    for s in solutions:
        md = (ROOT / "docs" / "giai-phap" / f"{s['id']}.md").read_text(encoding="utf-8")
        headings.append(re.search(r"^# (.+)$", md, re.M).group(1).strip())
    positions = [titles.index(h) for h in headings]
    assert positions == sorted(positions), headings
    assert reader.metadata.title == site_name

    # A tagged PDF in Vietnamese (for screen readers), with "Trang n / N" on the pages.
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "vi" and "/StructTreeRoot" in catalog and catalog["/MarkInfo"]["/Marked"]
    total = len(reader.pages)
    assert f"Trang 2 / {total}" in flat and f"Trang {total} / {total}" in flat
    # The table of contents gives the page where each solution's bookmark points.
    toc = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", "-f", "2", "-l", "4", str(out), "-"],
                         capture_output=True, text=True, check=True).stdout

    def listed_page(title: str) -> int:
        return int(re.search(re.escape(title) + r"\s+(\d+)\s*$", toc, re.M).group(1))

    assert [listed_page(h) for h in headings] == [pages_of[h] for h in headings]
    assert min(pages_of[h] for h in headings) > 2


def html_pages_of_menu() -> list[str]:
    """Hand-written pages listed in mkdocs.yml's nav (generated pages come on top of these)."""
    found = []

    def walk(node):
        if isinstance(node, str):
            found.append(node)
        elif isinstance(node, dict):
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(mkdocs_config()["nav"])
    return found
