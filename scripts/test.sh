#!/usr/bin/env bash
# `npm test`: everything a change must pass, in the order that fails fastest.
#   lint, documentation links → n8n's verification scan of the source and of the packed tarball (which builds)
#   → engine tests (jest: the node in n8n-core against the stand-in API), while the four n8n versions install in
#   the background (first run only) → end-to-end tests in the real n8n app, one version after another, each as
#   soon as it is installed:
#
#   flavour   n8n                          Node  npm test                  E2E_FULL=1 npm test
#   default   2.8.4                        20    every e2e file            every e2e file
#   latest    newest 2.x that installs     24    every file but three ¹    every e2e file
#   min       1.85.4 (oldest supported)    20    the required subset       every e2e file
#   v1        1.123.81 (newest 1.x)        24    —                         every e2e file
#
# The required subset: the harness, every operation, the spreadsheet chain, the daily limit with Retry On Fail, the
# AI-agent tool, bad input, the deduplication store, the trigger once per message across a restart (00 01 02 05 06 07
# 10 11; on 1.x, 11 skips the 2.x editor's screenshot, and the data-table example where n8n has no Data Table node).
# ¹ On the newest 2.x, the two queue-mode measurements (15-repeat-protection-queue, 17-queue-webhook-process: ~10
# minutes together) run only with E2E_FULL=1; 08 proves queue mode there, and both measurements run on 2.8.4.
# 16-follow-up-sequence also runs there only with E2E_FULL=1: it starts each "day" through the editor's REST run
# endpoint, which on 2.41.1 runs the saved workflow and ignores the day the test sets (docs/development.md).
# Why not all four versions with every file by default: CI must finish in 60 minutes on 2 cores, and the measured
# figures (docs/development.md → CI time) do not fit that on a loaded machine; E2E_FULL=1 runs the whole matrix.
#
# SKIP_E2E=1 stops after the engine tests. E2E_VERSIONS="default v1" runs those flavours (in that order; v1 and min
# with the subset unless E2E_FULL=1).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${E2E_FULL:-}" = "1" ]; then matrix="default latest v1 min"; else matrix="default latest min"; fi
read -ra versions <<<"${E2E_VERSIONS:-$matrix}"
subset=(test/e2e/00-*.test.mjs test/e2e/01-*.test.mjs test/e2e/02-*.test.mjs test/e2e/05-*.test.mjs
	test/e2e/06-*.test.mjs test/e2e/07-*.test.mjs test/e2e/10-*.test.mjs test/e2e/11-*.test.mjs)
logs=test/e2e/.work/install
started=$SECONDS

echo "== lint"
npm run -s lint
echo "== documentation links (README, CHANGELOG, docs/)"
node scripts/check-links.mjs
# n8n's verification scanner on the source and on the packed tarball (npm pack builds it, through prepack).
echo "== n8n's verification scan, source and tarball (builds)"
node scripts/scan.mjs

# The n8n installs (minutes each on a first run: downloads, sqlite3 and isolated-vm compiled) run while the engine
# tests do: two lanes, one per Node, so that at most two npm installs share the two cores and their memory.
install_pids=()
if [ "${SKIP_E2E:-}" != "1" ]; then
	mkdir -p "$logs"
	echo "== Debian packages the end-to-end tests need (redis-server, postgresql, chromium), when missing"
	bash scripts/install-debian-packages.sh
	rm -f "$logs"/*.done
	lane() {
		for flavour in "$@"; do
			local t=$SECONDS
			if bash scripts/install-n8n.sh "$flavour" >"$logs/$flavour.out" 2>"$logs/$flavour.log"; then
				echo "[install] $flavour: $(tail -1 "$logs/$flavour.out") ($((SECONDS - t)) s)"
			else
				echo "[install] $flavour failed after $((SECONDS - t)) s: see $logs/$flavour.log"
			fi
			# The end-to-end tests of this version may start now (run.sh installs again itself if this failed).
			touch "$logs/$flavour.done"
		done
	}
	node20=() node24=()
	for flavour in "${versions[@]}"; do
		case "$flavour" in default | min) node20+=("$flavour") ;; *) node24+=("$flavour") ;; esac
	done
	echo "== installing n8n in the background (${versions[*]}; logs in $logs)"
	if [ ${#node20[@]} -gt 0 ]; then lane "${node20[@]}" & install_pids+=($!); fi
	if [ ${#node24[@]} -gt 0 ]; then lane "${node24[@]}" & install_pids+=($!); fi
fi

echo "== engine tests (n8n-core + stand-in API)"
npx jest --ci
if [ "${SKIP_E2E:-}" = "1" ]; then
	echo "== end-to-end tests skipped (SKIP_E2E=1)"
	exit 0
fi

lanes_running() {
	local pid
	for pid in "${install_pids[@]}"; do kill -0 "$pid" 2>/dev/null && return 0; done
	return 1
}
# Each version's e2e tests start as soon as that version is installed, while the other lane may still install: the
# suite's timeouts are sized for a loaded machine (it passed at load 16 on 2 cores), and this saves the wall time
# of the installs that would otherwise run alone.
failed=()
for flavour in "${versions[@]}"; do
	t=$SECONDS
	# (A lane that died without its marker does not hold the loop: run.sh then installs, or fails, by itself.)
	while [ ! -f "$logs/$flavour.done" ] && lanes_running; do sleep 5; done
	echo "== n8n $flavour ready ($((SECONDS - t)) s waited, $((SECONDS - started)) s since the start)"
	files=()
	case "$flavour" in v1 | min) [ "${E2E_FULL:-}" = "1" ] || files=("${subset[@]}") ;; esac
	if [ "$flavour" = latest ] && [ "${E2E_FULL:-}" != "1" ]; then
		for file in test/e2e/*.test.mjs; do
			case "$file" in *15-repeat-protection-queue* | *16-follow-up-sequence* | *17-queue-webhook-process*) ;; *) files+=("$file") ;; esac
		done
	fi
	echo "== end-to-end tests, flavour $flavour ${files[*]:+(${#files[@]} files)}"
	# A failing version does not hide the others' results: all run, then the exit status says whether any failed.
	N8N_FLAVOUR=$flavour bash test/e2e/run.sh "${files[@]}" || failed+=("$flavour")
done
for pid in "${install_pids[@]}"; do wait "$pid"; done
echo "== npm test took $((SECONDS - started)) s"
if [ ${#failed[@]} -gt 0 ]; then
	echo "end-to-end tests failed on: ${failed[*]}"
	exit 1
fi
