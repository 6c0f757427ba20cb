#!/usr/bin/env bash
# What the browser tests need from Debian: Chromium at /usr/bin/chromium and CJK fonts so
# Chinese renders in screenshots. Idempotent: does nothing when both are present; installs
# (one apt-get update, one apt-get install) only when something is missing and we are root.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# (Not `fc-list | grep -q`: under pipefail grep's early exit makes fc-list die of SIGPIPE.)
fonts=$(fc-list 2>/dev/null || true)
grep -q "Noto Sans CJK" <<<"$fonts" || missing+=(fonts-noto-cjk)

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: chromium and Noto Sans CJK present"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "install-deps: missing ${missing[*]}; run as root: apt-get install -y chromium fonts-noto-cjk" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y chromium fonts-noto-cjk
