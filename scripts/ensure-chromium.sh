#!/usr/bin/env bash
# Installs Debian's Chromium when /usr/bin/chromium is missing (Playwright's own browser download cannot work offline).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "Chromium is missing: install Debian's package (sudo apt-get install -y chromium) and run again." >&2
  exit 1
fi
echo "Installing Chromium with apt-get..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium >/dev/null
