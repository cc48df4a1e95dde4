#!/usr/bin/env bash
# Prints the path of a Chromium the browser tests can drive, installing one if needed.
# Order: $CHROMIUM if set; a system Chromium; Debian's package (as root, with apt-get);
# otherwise Playwright's own download (a laptop with internet). Messages go to stderr.
set -euo pipefail
py="${1:-python3}"
if [ -n "${CHROMIUM:-}" ] && [ -x "${CHROMIUM}" ]; then echo "$CHROMIUM"; exit 0; fi
for c in /usr/bin/chromium /usr/bin/chromium-browser; do
  if [ -x "$c" ]; then echo "$c"; exit 0; fi
done
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's chromium for the browser tests..." >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
  echo /usr/bin/chromium
  exit 0
fi
echo "Downloading Playwright's Chromium for the browser tests..." >&2
"$py" -m playwright install chromium >&2
echo ""  # empty: the tests use Playwright's own browser
