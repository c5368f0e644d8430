#!/usr/bin/env bash
# Installs the browser the editor tests (test/e2e/09-editor-browser.test.mjs) drive: Debian's `chromium`, at
# /usr/bin/chromium. Does nothing when it is there. playwright-core (a devDependency) drives it; never run
# `npx playwright install`, which downloads a browser of its own from a host this machine cannot reach.
#
#   bash scripts/install-browser.sh
#
# Needs root (CI runs as root on a fresh machine) or passwordless sudo. Safe to run again: a second run prints
# the installed version and exits 0.
set -euo pipefail

log() { echo "[install-browser] $*" >&2; }
browser=/usr/bin/chromium

if [ -x "$browser" ]; then
	log "present: $("$browser" --version 2>/dev/null || echo "$browser")"
	exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
	sudo=()
elif command -v sudo >/dev/null 2>&1; then
	sudo=(sudo -n)
else
	log "$browser is missing and this user is not root (no sudo): run 'apt-get install -y chromium' as root"
	exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
	log "$browser is missing and this machine has no apt-get: install Chromium and set CHROMIUM_PATH"
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
log "installing Debian's chromium"
# Another apt-get (a second setup script, unattended upgrades) may hold the dpkg lock: wait for it, not fail.
lock=(-o DPkg::Lock::Timeout=600)
"${sudo[@]}" apt-get "${lock[@]}" update -qq
"${sudo[@]}" apt-get "${lock[@]}" install -y -qq chromium >&2

if [ ! -x "$browser" ]; then
	log "apt-get install chromium ran but $browser is still missing"
	exit 1
fi
log "installed: $("$browser" --version 2>/dev/null || echo "$browser")"
