#!/usr/bin/env bash
# The Debian packages the tests need: Chromium at /usr/bin/chromium for the browser tests, CJK
# fonts so Chinese renders in screenshots and in the PDF notices the server prints, and
# poppler-utils (pdftotext, pdftoppm) to read those PDFs back. Idempotent: does nothing when all
# are present; installs (one apt-get update, one apt-get install) only what is missing, as root.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# (Not `fc-list | grep -q`: under pipefail grep's early exit makes fc-list die of SIGPIPE.)
fonts=$(fc-list 2>/dev/null || true)
grep -q "Noto Sans CJK" <<<"$fonts" || missing+=(fonts-noto-cjk)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: chromium, Noto Sans CJK and poppler-utils present"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "install-deps: missing ${missing[*]}; run as root: apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y "${missing[@]}"
