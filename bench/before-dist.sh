#!/usr/bin/env bash
# Builds the node as it was at an older commit into bench/.work/before-dist, for the guards comparison
# (bench/lib/guardVariants.ts: variant "a0"). Default: bc7b53a, the last commit before the send path became a list
# of guards (issue 23). A temporary worktree in /tmp, this package's node_modules linked into it, removed after.
# With a second argument, into that folder instead (another build to measure with BENCH_DIST=<folder>).
#
#   bash bench/before-dist.sh [commit] [folder]
set -euo pipefail

commit="${1:-bc7b53a}"
root="$(cd "$(dirname "$0")/.." && pwd)"
tree="$(mktemp -d /tmp/bench-before.XXXXXX)"
target="$(realpath -m "${2:-$root/bench/.work/before-dist}")"

cleanup() { git -C "$root" worktree remove --force "$tree" 2>/dev/null || rm -rf "$tree"; }
trap cleanup EXIT

git -C "$root" worktree add --detach "$tree" "$commit" >/dev/null
# The real folder, not a link to a link: tsc and gulp resolve packages from it.
ln -s "$(readlink -f "$root/node_modules")" "$tree/node_modules"
(cd "$tree" && npm run -s build)
rm -rf "$target"
mkdir -p "$(dirname "$target")"
# Inside the package folder, so that its require('n8n-workflow') finds the same copy as the bench's.
cp -r "$tree/dist" "$target"
echo "$(git -C "$root" rev-parse --short "$commit")" >"$target/COMMIT"
echo "Built $commit into ${target#"$root"/}"
