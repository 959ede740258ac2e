#!/usr/bin/env bash
# The browser tests drive a real Chromium. Use CHROME_PATH, else Debian's /usr/bin/chromium,
# installing it when this machine can (root with apt-get); otherwise say what to do.
set -euo pipefail
browser="${CHROME_PATH:-/usr/bin/chromium}"
[ -x "$browser" ] && exit 0
if [ -z "${CHROME_PATH:-}" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Chromium is missing: installing Debian's chromium package" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "No Chromium at $browser. Install it (Debian: apt-get install chromium) or set CHROME_PATH to a Chromium or Chrome binary." >&2
exit 1
