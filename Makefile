# Commands for editors, developers and CI. Everything installs itself on first use:
#   make serve   – set up, then preview the site at http://127.0.0.1:8000/
#   make test    – set up (Python packages, Chromium, poppler), then run the whole test suite
# See README.md for the rest.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat requirements.txt pyproject.toml | cksum | cut -d' ' -f1)
ADDR   ?= 127.0.0.1:8000
# npm ci empties node_modules/, so the stamp goes away with it and a changed lock reinstalls.
NODE_STAMP := node_modules/.installed-$(shell cksum < package-lock.json | cut -d' ' -f1)
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup node-deps system-deps lighthouse bench serve test test-fast check build chuan-hoa pdf lint contributing clean

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

setup: $(STAMP)

# Pinned npm packages (package-lock.json): axe-core and Lighthouse for the checks, and what the
# site copies at build time.
$(NODE_STAMP): package-lock.json
	@command -v npm >/dev/null 2>&1 || bash scripts/install-system-deps.sh
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

node-deps: $(NODE_STAMP)

system-deps:
	bash scripts/install-system-deps.sh

serve: setup node-deps
	@echo "Xem trước trang tại: http://$(ADDR)/  (Ctrl+C để dừng)"
	$(PY) -m sitekit serve -a $(ADDR)

test: setup system-deps node-deps
	$(PY) -m pytest

# The fast layer only: the engine-free core and every data check, no build, no browser (seconds).
test-fast: setup
	$(PY) -m pytest -q tests/unit

check: setup
	$(PY) -m sitekit check

build: setup node-deps
	$(PY) -m sitekit build

# The copy opened from disk with no network (search included): dist/huong-khe-offline.zip,
# one folder with index.html at its top. Strict build; site/ is not touched.
.PHONY: offline
offline: setup node-deps
	$(PY) -m sitekit offline -o dist/huong-khe-offline.zip

chuan-hoa: setup
	$(PY) -m sitekit normalize

# The whole guide as one PDF (cover, table of contents, every page in menu order), printed by
# headless Chromium from a fresh strict build: dist/huong-khe-huong-dan.pdf
pdf: setup system-deps node-deps
	$(PY) -m sitekit.pdf -o dist/huong-khe-huong-dan.pdf

# The same checks as pre-commit, on every file: YAML lint and Python lint.
lint: setup
	$(PY) -m yamllint --strict .
	$(PY) -m ruff check .

# Lighthouse (mobile) on each page type served from 127.0.0.1; fails below 98/100/100/100.
lighthouse: setup system-deps node-deps
	$(PY) bench/lighthouse.py --record bench/lighthouse-latest.md

# Build speed, scale (1x/10x/100x synthetic data), search latency, page weight -> BENCHMARKS.md
bench: setup system-deps node-deps
	$(PY) bench/run.py

# CONTRIBUTING.md is generated from the site's contributor guide (docs/bien-tap/index.md).
contributing: setup
	$(PY) -m sitekit.contributing

clean:
	rm -rf site site.old site.building-* dist .cache
