#!/usr/bin/env bash
# Debian packages planmon's reports and tests use beyond Python:
#   poppler-utils  pdftotext / pdftoppm (tests read the PDFs back)
#   fonts-noto-core  "Noto Sans Arabic" for Persian charts and PDFs (DejaVu Sans is the fallback)
#   chromium       the dashboard's browser tests (Playwright drives it; no browser download)
# Installs what is missing when run as root; otherwise says what to install. Idempotent.
set -euo pipefail
need=()
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# grep without -q reads all of fc-list's output: with -q, fc-list may die of SIGPIPE and,
# under pipefail, the font would look missing and be "installed" again on every run
fc-list 2>/dev/null | grep "Noto Sans Arabic" >/dev/null || need+=(fonts-noto-core)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "planmon: please install these Debian packages: sudo apt-get install -y ${need[*]}" >&2
  echo "planmon: (tests that need them are skipped until then)" >&2
  exit 0
fi
echo "planmon: installing Debian packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
# matplotlib caches the font list; drop it so the new fonts are seen.
rm -f "${HOME}"/.cache/matplotlib/fontlist-*.json
