#!/usr/bin/env bash
# Ridley against its peers, one after another in one run, on the scratch PostgreSQL of
# ../shared/bench/pg.sh; prints a table of figures and ratios (Ridley / peer) and keeps every JSON
# line. From the repository root:
#
#   ridley-bench/compare.sh                 # everything, about 10 minutes
#   MESSAGES=5000 DURATION=5 ridley-bench/compare.sh      # a quicker look
#   PEERS="dbscheduler" RIDLEY_MODES="inproc" ridley-bench/compare.sh
#
# Env: MESSAGES (20000), RATE (200), DURATION (20, latency seconds), REPEAT (1: runs per figure,
# the table shows the median), PEERS ("dbscheduler jobrunr graphile"), RIDLEY_MODES ("inproc http"),
# RIDLEY_COMPLETE (batch), WARMUP (20000: Ridley also runs warm, the pipeline after that many
# unmeasured messages and latency after 20 s at the rate, labelled "-warm"; 0 runs cold only),
# SHARED (../shared), OUT (a folder under ridley-bench/target), NODES ("1 2 3": server nodes of the
# several-nodes lines, HTTP workers, timer storm on), STARTS_CLIENTS (64: concurrent single-start
# clients of the starts line), COUNTS_PROCESSES (1000000: processes in the tables for the counts
# line), AOT (1: also the cold lines with the ahead-of-time cache made by `./ridley aot`, labelled
# "-aot"; 0 skips them). Every Ridley line runs without the cache unless its label says "-aot".
# RIDLEY_AMQP_URL (a scratch RabbitMQ on this machine: adds ridley-amqp, the pipeline with the SDK's
# workers over RabbitMQ). LATENCY_REPEAT (REPEAT: runs of each latency line, Ridley's and the
# peers'), EXTRAS (1: also the lines that are not peer comparisons: metrics cost, single-start
# insert, several nodes, starts, counts; 0 skips them), EXTRAS_REPEAT (1: runs of each of those),
# CEILING (1: the batched ceiling, ../shared/bench/batched-ceiling.sh, for Ridley's share of it).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
SHARED=${SHARED:-$root/../shared}
MESSAGES=${MESSAGES:-20000}
RATE=${RATE:-200}
DURATION=${DURATION:-20}
REPEAT=${REPEAT:-1}
PEERS=${PEERS:-dbscheduler jobrunr graphile}
RIDLEY_MODES=${RIDLEY_MODES:-inproc http}
RIDLEY_COMPLETE=${RIDLEY_COMPLETE:-batch}
WARMUP=${WARMUP:-20000}
NODES=${NODES:-1 2 3}
STARTS_CLIENTS=${STARTS_CLIENTS:-64}
COUNTS_PROCESSES=${COUNTS_PROCESSES:-1000000}
AOT=${AOT:-1}
LATENCY_REPEAT=${LATENCY_REPEAT:-$REPEAT}
EXTRAS=${EXTRAS:-1}
EXTRAS_REPEAT=${EXTRAS_REPEAT:-1}
CEILING=${CEILING:-1}
OUT=${OUT:-$here/target/compare-$(date +%Y%m%d-%H%M%S)}
PORT=${BENCH_PG_PORT:-55432}
[ -x "$SHARED/bench/pg.sh" ] || { echo "compare: no $SHARED/bench/pg.sh; set SHARED to the shared folder" >&2; exit 2; }
mkdir -p "$OUT"
results=$OUT/results.jsonl
: >"$results"
echo "compare: results in $results" >&2

# Build once, before anything is timed (./ridley would build on first use otherwise).
(cd "$root" && ./ridley bench --version >/dev/null)

pg_fresh() { "$SHARED/bench/pg.sh" start >/dev/null; }
export RIDLEY_DB_URL="jdbc:postgresql://127.0.0.1:$PORT/ridley?user=postgres"
export RIDLEY_AOT=off

# run LABEL COMMAND...: runs once per REPEAT, tags each JSON line with the label.
run() {
  local label=$1; shift
  for i in $(seq 1 "$REPEAT"); do
    echo "compare: $label ($i/$REPEAT)" >&2
    if ! "$@" 2>>"$OUT/stderr.log" | while IFS= read -r line; do
      case "$line" in "{"*) echo "{\"label\":\"$label\", ${line#\{}" >>"$results"; echo "  $line" >&2 ;; esac
    done; then
      echo "compare: $label failed; see $OUT/stderr.log" >&2
    fi
  done
}

pg_fresh
REPEAT=1 run pgbench "$here/pgbench-ceiling.sh"
# What batching can reach here: one transaction applying 100 transitions (pure SQL, no engine).
ceiling_json() {
  "$SHARED/bench/batched-ceiling.sh" 2>/dev/null | awk '/transitions\/s/ { if ($(NF-1) > best) best = $(NF-1) }
    END { printf "{\"peer\":\"batched-ceiling\", \"ceiling_transitions_per_s\":%d}\n", best }'
}
if [ "$CEILING" = 1 ] && [ -x "$SHARED/bench/batched-ceiling.sh" ]; then
  REPEAT=1 run batched-ceiling ceiling_json
fi

# Cold, as the peers' harness runs: a fresh JVM measured from its first message. Then warm: the
# JIT has compiled the hot path, as in a server that has been up for a while.
for mode in $RIDLEY_MODES; do
  run "ridley-$mode" bash -c "'$SHARED/bench/pg.sh' start >/dev/null && '$root/ridley' bench pipeline --workers $mode --complete $RIDLEY_COMPLETE --messages $MESSAGES"
  if [ "$WARMUP" -gt 0 ]; then
    run "ridley-$mode-warm" bash -c "'$SHARED/bench/pg.sh' start >/dev/null && '$root/ridley' bench pipeline --workers $mode --complete $RIDLEY_COMPLETE --messages $MESSAGES --warmup-messages $WARMUP"
  fi
done
# Over RabbitMQ (docs/AMQP.md): the SDK's workers through a scratch broker on this machine, when
# RIDLEY_AMQP_URL names one (e.g. amqp://guest:guest@127.0.0.1:5672/%2f); beside ridley-http above.
if [ -n "${RIDLEY_AMQP_URL:-}" ]; then
  run ridley-amqp bash -c "'$SHARED/bench/pg.sh' start >/dev/null && '$root/ridley' bench pipeline --workers amqp --messages $MESSAGES"
fi
if [ "$EXTRAS" = 1 ]; then
  # The engine's Prometheus meters on the hot path (issue 16): in-process with the server's
  # EngineMetrics as observer, beside ridley-inproc (without).
  REPEAT=$EXTRAS_REPEAT run "ridley-inproc-metrics" bash -c "'$SHARED/bench/pg.sh' start >/dev/null && '$root/ridley' bench pipeline --workers inproc --complete $RIDLEY_COMPLETE --messages $MESSAGES --engine-metrics"
  # The insert phase both ways: the lines above start the messages in bulk (startAll, 1,000 per
  # transaction); this one starts them one call each (insert_s and starts_per_s in the table).
  REPEAT=$EXTRAS_REPEAT run "ridley-inproc-insert-single" bash -c "'$SHARED/bench/pg.sh' start >/dev/null && '$root/ridley' bench pipeline --workers inproc --complete $RIDLEY_COMPLETE --messages $MESSAGES --insert single"
  # Several server nodes on one PostgreSQL, HTTP workers spread across them, every stage with a short
  # heartbeat timeout (the sweepers' timer storm); each line checks that no timer fired twice.
  for n in $NODES; do
    REPEAT=$EXTRAS_REPEAT run "ridley-http-${n}node-storm" bash -c "'$SHARED/bench/pg.sh' start >/dev/null && '$root/ridley' bench pipeline --workers http --complete $RIDLEY_COMPLETE --messages $MESSAGES --nodes $n --timer-storm"
  done
  # Starts alone: 64 concurrent single-start clients over HTTP, then bulk starts of 1,000; and
  # in-process, with and without grouping single starts into shared commits (before and after).
  REPEAT=$EXTRAS_REPEAT run "ridley-starts" bash -c "'$SHARED/bench/pg.sh' start >/dev/null && '$root/ridley' bench starts --clients $STARTS_CLIENTS --seconds $DURATION"
  REPEAT=$EXTRAS_REPEAT run "ridley-starts-inproc" bash -c "'$SHARED/bench/pg.sh' start >/dev/null && '$root/ridley' bench starts --workers inproc --clients $STARTS_CLIENTS --seconds $DURATION"
  REPEAT=$EXTRAS_REPEAT run "ridley-starts-inproc-ungrouped" bash -c "'$SHARED/bench/pg.sh' start >/dev/null && '$root/ridley' bench starts --workers inproc --ungrouped --clients $STARTS_CLIENTS --seconds $DURATION"
  # The per-stage counts with COUNTS_PROCESSES processes in the tables.
  REPEAT=$EXTRAS_REPEAT run "ridley-counts" bash -c "'$SHARED/bench/pg.sh' start >/dev/null && '$root/ridley' bench counts --processes $COUNTS_PROCESSES"
fi
# Cold again with the ahead-of-time cache, trained once here (not timed) on a short run.
if [ "$AOT" = 1 ]; then
  if bash -c "'$SHARED/bench/pg.sh' start >/dev/null && '$root/ridley' aot" >>"$OUT/stderr.log" 2>&1; then
    for mode in $RIDLEY_MODES; do
      run "ridley-$mode-aot" bash -c "'$SHARED/bench/pg.sh' start >/dev/null && RIDLEY_AOT=auto '$root/ridley' bench pipeline --workers $mode --complete $RIDLEY_COMPLETE --messages $MESSAGES"
      REPEAT=$LATENCY_REPEAT run "ridley-$mode-aot" bash -c "'$SHARED/bench/pg.sh' start >/dev/null && RIDLEY_AOT=auto '$root/ridley' bench latency --workers $mode --complete $RIDLEY_COMPLETE --rate $RATE --duration $DURATION"
    done
  else
    echo "compare: training the ahead-of-time cache failed; see $OUT/stderr.log" >&2
  fi
fi
for mode in $RIDLEY_MODES; do
  REPEAT=$LATENCY_REPEAT run "ridley-$mode" bash -c "'$SHARED/bench/pg.sh' start >/dev/null && '$root/ridley' bench latency --workers $mode --complete $RIDLEY_COMPLETE --rate $RATE --duration $DURATION"
  if [ "$WARMUP" -gt 0 ]; then
    REPEAT=$LATENCY_REPEAT run "ridley-$mode-warm" bash -c "'$SHARED/bench/pg.sh' start >/dev/null && '$root/ridley' bench latency --workers $mode --complete $RIDLEY_COMPLETE --rate $RATE --duration $DURATION --warmup 20"
  fi
done
for peer in $PEERS; do
  case $peer in
    dbscheduler|jobrunr)
      run "$peer" env BENCH_JAVA_OPTS="-Dbench.durationS=$DURATION ${BENCH_JAVA_OPTS:-}" "$SHARED/bench/peers/run-jvm.sh" pipeline "$peer" "$MESSAGES"
      REPEAT=$LATENCY_REPEAT run "$peer" env BENCH_JAVA_OPTS="-Dbench.durationS=$DURATION ${BENCH_JAVA_OPTS:-}" "$SHARED/bench/peers/run-jvm.sh" latency "$peer" "$RATE" ;;
    graphile)
      pg_fresh
      run graphile "$SHARED/bench/peers/node/run-node.sh" pipeline "$MESSAGES"
      REPEAT=$LATENCY_REPEAT run graphile "$SHARED/bench/peers/node/run-node.sh" latency "$RATE" ;;
    *) echo "compare: unknown peer $peer" >&2 ;;
  esac
done

python3 "$here/compare-table.py" "$results" | tee "$OUT/table.md"
