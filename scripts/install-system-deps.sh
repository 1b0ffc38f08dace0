#!/usr/bin/env bash
# Debian packages the tests need: Chromium (browser tests, PDF), poppler-utils (pdftotext),
# Noto fonts (Vietnamese glyphs in screenshots and PDF), Node.js with npm, Java (HTML checker), Firefox
# ESR (search gives the same results in Firefox: tests/test_search_ranking.py). Installs only what is missing.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v firefox-esr >/dev/null 2>&1 || need+=(firefox-esr)
[ -e /usr/share/fonts/truetype/noto/NotoSans-Regular.ttf ] || need+=(fonts-noto-core)
command -v git >/dev/null 2>&1 || need+=(git)
# Node.js and npm: `npm ci` installs the pinned axe-core and Lighthouse (package-lock.json).
command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
# Java runs the W3C Nu HTML checker (npm vnu-jar) over the built site in tests/test_html_valid.py.
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
[ ${#need[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "Cài gói hệ thống: ${need[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
