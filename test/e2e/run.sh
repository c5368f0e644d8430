#!/usr/bin/env bash
# The end-to-end suite: the packed package installed into the real n8n app like a community node, the example
# workflows run with `n8n execute` (and `n8n start` for the schedule and AI-tool examples), against the stand-in
# ConnectSafely API on 127.0.0.1.
#
#   bash test/e2e/run.sh                              n8n 2.8.4 on this machine's Node 20
#   N8N_FLAVOUR=latest bash test/e2e/run.sh           the newest n8n 2.x that installs, on Node 24
#   N8N_FLAVOUR=v1 bash test/e2e/run.sh               n8n 1.123.81 (newest 1.x), on Node 24
#   N8N_FLAVOUR=min bash test/e2e/run.sh              n8n 1.85.4 (the README's minimum), on Node 20
#   bash test/e2e/run.sh test/e2e/05-*.test.mjs       some files only
#   E2E_KEEP=1 bash test/e2e/run.sh                   keep the n8n user folders (paths printed) for a look
#
# The first run installs n8n into ~/.cache/n8n-nodes-connectsafely (minutes); later runs reuse it.
# Ends with the line "N passed, M failed" (prefixed by "e2e:"), and exits non-zero when anything failed. Each run's
# results are merged into test/e2e/.work/results/n8n-<version>.json, from which `node scripts/compat-table.mjs`
# writes the tables of docs/compatibility.md and docs/scale.md.
set -uo pipefail

cd "$(dirname "$0")/../.."
repo=$PWD
# The commit this run tests, "+" when what it packs or runs has uncommitted changes (for the compatibility tables).
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain --untracked-files=no -- nodes credentials examples test scripts package.json package-lock.json 2>/dev/null)" ]; then
	commit="$commit+"
fi
flavour=${N8N_FLAVOUR:-default}
started=$SECONDS
work="$repo/test/e2e/.work/run-$flavour-$$"
standin_pid=

say() { echo "[e2e] $*"; }
fail_setup() {
	say "setup failed: $*"
	echo "e2e: 0 passed, 1 failed"
	exit 1
}
cleanup() {
	if [ -n "$standin_pid" ] && kill -0 "$standin_pid" 2>/dev/null; then
		kill "$standin_pid" 2>/dev/null
		wait "$standin_pid" 2>/dev/null
	fi
	if [ "${E2E_KEEP:-}" != 1 ]; then rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$work"
export E2E_TMP="$work/tmp"

say "building and packing the package (npm pack runs the build)"
t=$SECONDS
pack_json=$(npm pack --json --pack-destination "$work" 2>"$work/pack.log") || {
	echo "$pack_json"
	cat "$work/pack.log"
	fail_setup "npm pack failed"
}
tgz="$work/$(node -e 'const out = process.argv[1]; const [{ filename }] = JSON.parse(out.slice(out.search(/^\[\s*$/m))); console.log(filename)' "$pack_json")"
[ -f "$tgz" ] || fail_setup "npm pack wrote no tarball"
export E2E_PACKAGE_TGZ="$tgz"
say "packed $(basename "$tgz") in $((SECONDS - t)) s"

t=$SECONDS
n8n_dir=$(bash scripts/install-n8n.sh "$flavour" | tail -1) || fail_setup "scripts/install-n8n.sh $flavour failed"
export E2E_N8N_DIR="$n8n_dir" N8N_FLAVOUR="$flavour"
n8n_version=$(node -p "require('$n8n_dir/node_modules/n8n/package.json').version")
say "n8n $n8n_version on Node $("$(cat "$n8n_dir/.node-bin")/node" --version) ($((SECONDS - t)) s)"

say "starting the stand-in ConnectSafely API"
touch "$work/before-tsc"
# tsc emits even when it reports type errors elsewhere in the tools project: what matters is a fresh cli.js.
if ! npx tsc -p tsconfig.tools.json >"$work/tsc.log" 2>&1; then
	if [ .build/test/standin/cli.js -nt "$work/before-tsc" ]; then
		say "warning: tsc -p tsconfig.tools.json reported errors ($(grep -c 'error TS' "$work/tsc.log") lines); the stand-in was built anyway"
	else
		cat "$work/tsc.log"
		fail_setup "could not compile the stand-in (tsconfig.tools.json)"
	fi
fi
node .build/test/standin/cli.js >"$work/standin.out" 2>"$work/standin.err" &
standin_pid=$!
for _ in $(seq 1 100); do
	if grep -q '"url"' "$work/standin.out" 2>/dev/null || ! kill -0 "$standin_pid" 2>/dev/null; then break; fi
	sleep 0.1
done
ready=$(grep -m1 '"url"' "$work/standin.out") || {
	cat "$work/standin.err"
	fail_setup "the stand-in did not start"
}
export E2E_STANDIN_URL E2E_STANDIN_API_KEY
E2E_STANDIN_URL=$(node -p "JSON.parse(process.argv[1]).url" "$ready")
E2E_STANDIN_API_KEY=$(node -p "JSON.parse(process.argv[1]).apiKey" "$ready")
say "stand-in at $E2E_STANDIN_URL"

t=$SECONDS
node test/e2e/lib/prepare-template.mjs "$work/template" || fail_setup "could not prepare the n8n user folder"
export E2E_TEMPLATE_USER_FOLDER="$work/template"
say "n8n user folder prepared (package installed, credential imported) in $((SECONDS - t)) s; each test file copies it"

if [ $# -gt 0 ]; then files=("$@"); else files=(test/e2e/*.test.mjs); fi
say "running ${#files[@]} test files, one at a time (each starts n8n several times)"
t=$SECONDS
node --test --test-concurrency=1 --test-timeout=600000 \
	--test-reporter=spec --test-reporter-destination=stdout \
	--test-reporter=./test/e2e/lib/results-reporter.mjs --test-reporter-destination="$work/results.jsonl" \
	"${files[@]}"
status=$?
node test/e2e/lib/record-results.mjs "$work/results.jsonl" "$n8n_version" \
	"$("$(cat "$n8n_dir/.node-bin")/node" --version)" "$flavour" "$((SECONDS - started))" "$commit" "${files[@]}" ||
	say "could not record the results"

# Counted from the results reporter's lines: a cancelled test (timeout, a file that crashed) is a failure.
count() {
	if [ -f "$work/results.jsonl" ]; then grep -c "\"kind\":\"test\",.*\"status\":\"$1\"" "$work/results.jsonl" || true; else echo 0; fi
}
passed=$(count pass)
failed=$(count fail)
skipped=$(($(count skip) + $(count todo)))
passed=${passed:-0}
failed=${failed:-0}
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then failed=1; say "no test ran"; fi
say "n8n $n8n_version ($flavour): tests took $((SECONDS - t)) s, the whole run $((SECONDS - started)) s"
if [ "$skipped" -gt 0 ]; then skipped_text=", $skipped skipped (reasons above)"; else skipped_text=; fi
echo "e2e: $passed passed, $failed failed$skipped_text"
[ "$failed" -eq 0 ]
