#!/usr/bin/env bash
# The machine's ceiling reference: pgbench, one single-row UPDATE per transaction (every commit
# waits for its WAL flush, as every Ridley transition does), at 8, 16 and 32 clients, 10 s each, on
# the scratch PostgreSQL of ../shared/bench/pg.sh. Prints one JSON line with the best TPS.
set -euo pipefail
BIN=/usr/lib/postgresql/15/bin
PORT=${BENCH_PG_PORT:-55432}
DB=ridley_pgbench
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
psql_pg() { PGOPTIONS="-c client_min_messages=warning" as_pg "$BIN/psql" -X -q -h 127.0.0.1 -p "$PORT" -U postgres "$@"; }

psql_pg -d postgres -c "drop database if exists $DB with (force)" -c "create database $DB"
as_pg "$BIN/pgbench" -h 127.0.0.1 -p "$PORT" -U postgres -i -q -s 10 "$DB" >/dev/null 2>&1
script=$(mktemp /tmp/ridley-pgbench-XXXX.sql)
trap 'rm -f "$script"; psql_pg -d postgres -c "drop database if exists $DB with (force)" >/dev/null 2>&1 || true' EXIT
printf '\\set aid random(1, 1000000)\nupdate pgbench_accounts set abalance = abalance + 1 where aid = :aid;\n' >"$script"
chmod 644 "$script"
best=0
all=""
for c in 8 16 32; do
  tps=$(as_pg "$BIN/pgbench" -h 127.0.0.1 -p "$PORT" -U postgres -n -f "$script" -c "$c" -j 2 -T 10 "$DB" 2>/dev/null \
    | sed -n 's/^tps = \([0-9.]*\).*/\1/p')
  echo "pgbench single-row update, $c clients: $tps tx/s" >&2
  all="$all\"c$c\":${tps%.*}, "
  if [ "${tps%.*}" -gt "$best" ]; then best=${tps%.*}; fi
done
echo "{\"peer\":\"pgbench\", \"workload\":\"single-row-update\", ${all}\"tps\":$best}"
