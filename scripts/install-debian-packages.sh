#!/usr/bin/env bash
# Installs the Debian packages the test suite needs and this machine lacks; does nothing when they are there:
# - redis-server: the queue of n8n's queue mode (test/e2e/08-queue-mode.test.mjs starts it itself; this script
#   never starts a service, and Debian's package does not start one in a container without systemd);
# - postgresql: the database of queue mode's main instance and workers (08-queue-mode starts its own cluster as
#   the `postgres` user, since the server refuses root; the package's own cluster service is never started);
# - chromium: the browser the editor tests drive with playwright-core (test/e2e/09-editor-browser.test.mjs).
#   Never `npx playwright install`: it downloads a browser from a host this machine cannot reach.
#
#   bash scripts/install-debian-packages.sh
#
# Needs root (CI runs as root) or sudo; runs `apt-get update` once, only when something is missing.
# Safe to run again: a second run prints "nothing to install" and exits 0.
set -euo pipefail

# command:package pairs — the command that must be on PATH, and the Debian package that provides it.
wanted=(
	"redis-server:redis-server"
	"postgres:postgresql"
	"chromium:chromium"
)

log() { echo "[install-debian-packages] $*" >&2; }
# Debian keeps the PostgreSQL server off PATH, in /usr/lib/postgresql/<major>/bin.
have() {
	command -v "$1" >/dev/null 2>&1 || [ -x "/usr/bin/$1" ] || [ -x "/usr/sbin/$1" ] ||
		compgen -G "/usr/lib/postgresql/*/bin/$1" >/dev/null
}

missing=()
for pair in "${wanted[@]}"; do
	command=${pair%%:*}
	package=${pair#*:}
	if have "$command"; then
		continue
	fi
	missing+=("$package")
done

if [ ${#missing[@]} -eq 0 ]; then
	log "nothing to install (${wanted[*]%%:*} present)"
	exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
	sudo=()
elif command -v sudo >/dev/null 2>&1; then
	sudo=(sudo -n)
else
	log "missing ${missing[*]} and not root (no sudo): install them with apt-get as root"
	exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
	log "missing ${missing[*]} and this machine has no apt-get"
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
log "installing ${missing[*]}"
# Another apt-get (a second setup script, unattended upgrades) may hold the dpkg lock: wait for it, not fail.
lock=(-o DPkg::Lock::Timeout=600)
"${sudo[@]}" apt-get "${lock[@]}" update -qq
"${sudo[@]}" apt-get "${lock[@]}" install -y -qq --no-install-recommends "${missing[@]}" >&2

for pair in "${wanted[@]}"; do
	command=${pair%%:*}
	if ! have "$command"; then
		log "apt-get install ran but $command is still missing"
		exit 1
	fi
done
log "installed ${missing[*]}"
