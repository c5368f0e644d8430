#!/usr/bin/env bash
# `npm start`: the node inside a real n8n editor on http://localhost:5678, ready to click through.
#
#   1. builds the node and packs it (npm pack), as it would be published;
#   2. makes sure the cached n8n is installed (first run: a few minutes, progress shown);
#   3. starts the stand-in ConnectSafely API on 127.0.0.1 — unless CONNECTSAFELY_API_KEY is set, then the
#      credential points at the real API (CONNECTSAFELY_BASE_URL overrides its address);
#   4. installs the packed node into a persistent n8n user folder (.cache/n8n-user) like a community node,
#      imports a ready credential ("ConnectSafely account") and the example workflows from examples/;
#   5. starts `n8n start` and prints the URL. Ctrl-C stops everything it started.
#
# Environment: N8N_PORT (5678), N8N_FLAVOUR=latest|v1|min (newest 2.x, newest 1.x, 1.85.4: scripts/install-n8n.sh),
# CONNECTSAFELY_API_KEY, CONNECTSAFELY_BASE_URL, CONNECTSAFELY_STANDIN_PORT (5681), N8N_LISTEN_ADDRESS (127.0.0.1).
set -euo pipefail

cd "$(dirname "$0")/.."
repo=$PWD
flavour=${N8N_FLAVOUR:-default}
port=${N8N_PORT:-5678}
listen=${N8N_LISTEN_ADDRESS:-127.0.0.1}
standin_port=${CONNECTSAFELY_STANDIN_PORT:-5681}
# One user folder per flavour: a database migrated by a newer n8n is not for an older one.
if [ "$flavour" = default ]; then user_folder="$repo/.cache/n8n-user"; else user_folder="$repo/.cache/n8n-user-$flavour"; fi
state="$repo/.cache/start"
standin_pid=
n8n_pid=

say() { echo "[start] $*"; }
die() {
	echo "[start] error: $*" >&2
	exit 1
}

stop_all() {
	trap - EXIT INT TERM
	if [ -n "$n8n_pid" ] && kill -0 "$n8n_pid" 2>/dev/null; then
		say "stopping n8n"
		kill -TERM -- "-$n8n_pid" 2>/dev/null || kill -TERM "$n8n_pid" 2>/dev/null || true
		for _ in $(seq 1 100); do kill -0 "$n8n_pid" 2>/dev/null || break; sleep 0.2; done
		kill -KILL -- "-$n8n_pid" 2>/dev/null || true
	fi
	if [ -n "$standin_pid" ] && kill -0 "$standin_pid" 2>/dev/null; then
		say "stopping the stand-in API"
		kill -TERM "$standin_pid" 2>/dev/null || true
		wait "$standin_pid" 2>/dev/null || true
	fi
	say "stopped"
}
trap stop_all EXIT
trap 'exit 130' INT TERM

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port_busy "$port" && die "port $port is in use (another n8n?). Stop it, or run e.g. N8N_PORT=5690 npm start."

mkdir -p "$state" "$user_folder/.n8n/nodes"

say "1/5 building and packing the node"
rm -f "$state"/*.tgz
pack_out=$(npm pack --json --pack-destination "$state" 2>"$state/pack.log") || {
	echo "$pack_out"
	cat "$state/pack.log"
	die "npm pack (which runs the build) failed"
}
tgz=$(ls "$state"/*.tgz)

say "2/5 making sure n8n is installed (the first run downloads ~2.3 GB: several minutes)"
n8n_dir=$(bash scripts/install-n8n.sh "$flavour" | tail -1)
node_bin=$(cat "$n8n_dir/.node-bin")
n8n_version=$("$node_bin/node" -p "require('$n8n_dir/node_modules/n8n/package.json').version")

export N8N_USER_FOLDER="$user_folder"
export N8N_DIAGNOSTICS_ENABLED=false N8N_VERSION_NOTIFICATIONS_ENABLED=false N8N_PERSONALIZATION_ENABLED=false
export DB_TYPE=sqlite N8N_SECURE_COOKIE=false N8N_HOST=localhost N8N_PORT="$port" N8N_LISTEN_ADDRESS="$listen"
# n8n 1.x offers a community node to AI agents as a tool only with this (2.x always does).
export N8N_COMMUNITY_PACKAGES_ALLOW_TOOL_USAGE=true
# The task broker's port (n8n's default 5679) must be free too: take one the system says is free.
export N8N_RUNNERS_BROKER_PORT="${N8N_RUNNERS_BROKER_PORT:-$(node -e "const s = require('net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })")}"
# n8n 2.x reads files only below N8N_RESTRICT_FILE_ACCESS_TO: the CSV example reads examples/prospects.csv,
# relative to this folder, where n8n runs.
export N8N_RESTRICT_FILE_ACCESS_TO="${N8N_RESTRICT_FILE_ACCESS_TO:-$repo/examples;$HOME/.n8n-files}"
n8n() { PATH="$node_bin:$PATH" "$node_bin/node" "$n8n_dir/node_modules/n8n/bin/n8n" "$@"; }

if [ -n "${CONNECTSAFELY_API_KEY:-}" ]; then
	api_url=${CONNECTSAFELY_BASE_URL:-https://api.connectsafely.ai/linkedin}
	api_key=$CONNECTSAFELY_API_KEY
	say "3/5 CONNECTSAFELY_API_KEY is set: the credential uses the real API at $api_url (messages are really sent)"
else
	say "3/5 starting the stand-in ConnectSafely API on 127.0.0.1:$standin_port (set CONNECTSAFELY_API_KEY to use the real one)"
	port_busy "$standin_port" && die "port $standin_port is in use: set CONNECTSAFELY_STANDIN_PORT to a free port"
	npx tsc -p tsconfig.tools.json >"$state/tsc.log" 2>&1 || true
	[ -f .build/test/standin/cli.js ] || { cat "$state/tsc.log"; die "could not build the stand-in"; }
	node .build/test/standin/cli.js --port "$standin_port" >"$state/standin.out" 2>"$state/standin.err" &
	standin_pid=$!
	for _ in $(seq 1 100); do
		grep -q '"url"' "$state/standin.out" 2>/dev/null && break
		kill -0 "$standin_pid" 2>/dev/null || { cat "$state/standin.err"; die "the stand-in did not start"; }
		sleep 0.1
	done
	ready=$(grep -m1 '"url"' "$state/standin.out") || die "the stand-in did not start"
	api_url=$(node -p "JSON.parse(process.argv[1]).url" "$ready")
	api_key=$(node -p "JSON.parse(process.argv[1]).apiKey" "$ready")
fi

say "4/5 installing the packed node into $user_folder and importing the credential and examples"
rm -rf "$user_folder/.n8n/nodes/node_modules/n8n-nodes-connectsafely"
[ -f "$user_folder/.n8n/nodes/package.json" ] || echo '{"name":"installed-nodes","private":true}' >"$user_folder/.n8n/nodes/package.json"
(cd "$user_folder/.n8n/nodes" && npm install "$tgz" --omit=peer --no-audit --no-fund --no-package-lock --loglevel=error >/dev/null)

CREDENTIAL_JSON=$(API_URL="$api_url" API_KEY="$api_key" node -e '
	console.log(JSON.stringify([{ id: "connectSafely001", name: "ConnectSafely account", type: "connectSafelyApi",
		data: { apiKey: process.env.API_KEY, baseUrl: process.env.API_URL } }]));')
umask 077
printf '%s' "$CREDENTIAL_JSON" >"$state/credential.json"
n8n import:credentials --input="$state/credential.json" >"$state/import.log" 2>&1 || {
	cat "$state/import.log"
	die "n8n import:credentials failed"
}
rm -f "$state/credential.json"

# Examples are imported when new or changed in examples/, so edits made in the editor survive a restart.
mkdir -p "$state/examples"
rm -f "$state/examples"/*.json
for file in examples/*.json; do
	sum=$(sha256sum "$file" | cut -c1-64)
	if [ "$(cat "$state/$(basename "$file").sha256" 2>/dev/null)" != "$sum" ]; then cp "$file" "$state/examples/"; fi
done
if ls "$state/examples"/*.json >/dev/null 2>&1; then
	n8n import:workflow --separate --input="$state/examples" >>"$state/import.log" 2>&1 || {
		cat "$state/import.log"
		die "n8n import:workflow failed"
	}
	for file in "$state/examples"/*.json; do
		sha256sum "examples/$(basename "$file")" | cut -c1-64 >"$state/$(basename "$file").sha256"
		say "   imported $(basename "$file")"
	done
fi

say "5/5 starting n8n $n8n_version"
# In a session of its own, so that stopping its process group also stops the task runners it starts.
setsid env PATH="$node_bin:$PATH" "$node_bin/node" "$n8n_dir/node_modules/n8n/bin/n8n" start >"$state/n8n.log" 2>&1 &
n8n_pid=$!
started=$SECONDS
until curl -fsS "http://127.0.0.1:$port/rest/settings" >/dev/null 2>&1; do
	kill -0 "$n8n_pid" 2>/dev/null || { tail -40 "$state/n8n.log"; die "n8n exited while starting (log: $state/n8n.log)"; }
	[ $((SECONDS - started)) -lt 180 ] || { tail -40 "$state/n8n.log"; die "n8n did not come up in 180 s"; }
	sleep 0.5
done

if curl -fsS "http://127.0.0.1:$port/rest/settings" | grep -q '"showSetupOnFirstLoad":true'; then
	account="First visit: create the owner account (it stays on this machine, in ${user_folder#$repo/})."
else
	account="Sign in with the owner account you created on the first visit (kept in ${user_folder#$repo/})."
fi
cat <<EOF

  n8n $n8n_version is ready:  http://localhost:$port
  $account
  Workflows: the ConnectSafely examples. Credential: "ConnectSafely account" → $api_url
  n8n log: $state/n8n.log     Press Ctrl-C to stop n8n$( [ -n "$standin_pid" ] && echo " and the stand-in API").

EOF
wait "$n8n_pid" || true
n8n_pid=
say "n8n exited (log: $state/n8n.log)"
