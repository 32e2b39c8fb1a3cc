#!/usr/bin/env bash
# A change measured before and after in one run: builds REV (a commit, e.g. main before the change)
# in a scratch worktree and runs the same `ridley bench` command alternately on REV and on this
# checkout, RUNS times each, each run on a fresh scratch database; prints the medians side by side.
#
#   ridley-bench/before-after.sh REV [RUNS] -- pipeline --workers http --messages 20000
#   ridley-bench/before-after.sh HEAD~3 5 -- latency --workers http --rate 200
#
# Needs the scratch PostgreSQL of ../shared/bench/pg.sh (RIDLEY_DB_URL is set for it). JSON lines
# go to OUT (a folder under ridley-bench/target), labelled "before" and "after".
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
SHARED=${SHARED:-$root/../shared}
rev=${1:?usage: before-after.sh REV [RUNS] -- BENCH ARGS...}; shift
runs=3
if [ "${1:-}" != "--" ]; then runs=$1; shift; fi
[ "${1:-}" = "--" ] || { echo "before-after: put -- before the bench arguments" >&2; exit 2; }
shift
OUT=${OUT:-$here/target/before-after-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
before=$OUT/before-tree
git -C "$root" worktree add --detach "$before" "$rev" >/dev/null
trap 'git -C "$root" worktree remove --force "$before" >/dev/null 2>&1 || true' EXIT
(cd "$before" && ./ridley bench --version >/dev/null)
(cd "$root" && ./ridley bench --version >/dev/null)
export RIDLEY_DB_URL="jdbc:postgresql://127.0.0.1:${BENCH_PG_PORT:-55432}/ridley?user=postgres"
export RIDLEY_AOT=off
results=$OUT/results.jsonl
: >"$results"
for i in $(seq 1 "$runs"); do
  for side in before after; do
    dir=$root; [ "$side" = before ] && dir=$before
    "$SHARED/bench/pg.sh" start >/dev/null
    echo "before-after: $side ($i/$runs)" >&2
    (cd "$dir" && ./ridley bench "$@" 2>>"$OUT/stderr.log") | while IFS= read -r line; do
      case "$line" in "{"*) echo "{\"label\":\"$side\", ${line#\{}" >>"$results"; echo "  $side $line" >&2 ;; esac
    done
  done
done
python3 - "$results" "$rev" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
keys = [k for k in ("transitions_per_s", "p50_ms", "p95_ms", "p99_ms", "single_starts_per_s", "batch_starts_per_s")
        if any(k in r for r in rows)]
print(f"| median of each side ({sys.argv[2]} before) | " + " | ".join(keys) + " |")
print("|---|" + "---:|" * len(keys))
for side in ("before", "after"):
    mine = [r for r in rows if r["label"] == side]
    cells = [f"{statistics.median(r[k] for r in mine if k in r):,.1f}" for k in keys]
    print(f"| {side} ({len(mine)} runs) | " + " | ".join(cells) + " |")
PY
