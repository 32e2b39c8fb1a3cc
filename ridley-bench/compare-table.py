#!/usr/bin/env python3
"""Reads compare.sh's results.jsonl and prints the comparison as Markdown tables.

Pipeline ratios are Ridley / peer (higher is better for Ridley); latency ratios are Ridley's p99 /
the peer's p99 (lower is better for Ridley). With REPEAT > 1, each figure is the median."""
import json
import statistics
import sys
from collections import defaultdict


def name(r):
    n = r["label"]
    if r.get("settings"):
        n += " (" + r["settings"] + ")"
    return n


def median(rows, key):
    vals = [r[key] for r in rows if key in r]
    return statistics.median(vals) if vals else None


def main(path):
    pipeline, latency, ceiling, batched = defaultdict(list), defaultdict(list), [], []
    starts, counts = defaultdict(list), defaultdict(list)
    with open(path) as f:
        for line in f:
            r = json.loads(line)
            if r.get("peer") == "pgbench":
                ceiling.append(r)
            elif r.get("peer") == "batched-ceiling":
                batched.append(r)
            elif r.get("workload") == "starts":
                starts[name(r)].append(r)
            elif r.get("workload") == "counts":
                counts[name(r)].append(r)
            elif r.get("workload") == "latency":
                latency[name(r)].append(r)
            elif "transitions_per_s" in r:
                pipeline[name(r)].append(r)
    if ceiling:
        print(f"Ceiling reference: pgbench single-row UPDATE, best of 8/16/32 clients: "
              f"{statistics.median(c['tps'] for c in ceiling):,.0f} tx/s\n")
    ridley = [n for n in pipeline if n.startswith("ridley")]
    print("| pipeline (N messages x 3 stages) | transitions/s | " + " | ".join(f"{m} / peer" for m in ridley) + " |")
    print("|---|---:|" + "---:|" * len(ridley))
    for n, rows in pipeline.items():
        t = median(rows, "transitions_per_s")
        ratios = [f"{median(pipeline[m], 'transitions_per_s') / t:.2f}x" if not n.startswith("ridley") else "" for m in ridley]
        spread = ""
        if len(rows) > 1:
            vals = [r["transitions_per_s"] for r in rows]
            spread = f" ({len(rows)} runs: {min(vals):,.0f}-{max(vals):,.0f})"
        print(f"| {n}{spread} | {t:,.0f} | " + " | ".join(ratios) + " |")
    best = max((r["ceiling_transitions_per_s"] for r in batched), default=0)
    if best and ridley:
        print()
        print(f"Batched ceiling (one transaction applying 100 transitions, pure SQL): {best:,.0f} transitions/s; "
              "Ridley's share: " + ", ".join(
                  f"{m} {median(pipeline[m], 'transitions_per_s') / best * 100:.1f}%" for m in ridley))
    lridley = [n for n in latency if n.startswith("ridley")]
    print()
    print("| latency at R/s (start to handler) | p50 ms | p95 ms | p99 ms | " + " | ".join(f"{m} p99 / peer p99" for m in lridley) + " |")
    print("|---|---:|---:|---:|" + "---:|" * len(lridley))
    for n, rows in latency.items():
        p99 = median(rows, "p99_ms")
        ratios = [f"{median(latency[m], 'p99_ms') / p99:.2f}" if not n.startswith("ridley") else "" for m in lridley]
        extra = ""
        if n.startswith("ridley") and "terminal_p99_ms" in rows[0]:
            extra = f" (to terminal: p50 {median(rows, 'terminal_p50_ms'):.1f}, p99 {median(rows, 'terminal_p99_ms'):.1f})"
        if len(rows) > 1:
            extra += f" ({len(rows)} runs, p99 {min(r['p99_ms'] for r in rows):.1f}-{max(r['p99_ms'] for r in rows):.1f})"
        print(f"| {n}{extra} | {median(rows, 'p50_ms'):.1f} | {median(rows, 'p95_ms'):.1f} | {p99:.1f} | " + " | ".join(ratios) + " |")

    split = {n: rows for n, rows in latency.items() if "split_to_claim_p50_ms" in rows[0]}
    if split:
        phases = ["to_engine", "to_claim", "to_worker", "to_handler", "start_call"]
        print()
        print("| where start-to-handler goes, p50 / p99 ms | " + " | ".join(phases) + " |")
        print("|---|" + "---:|" * len(phases))
        for n, rows in split.items():
            cells = [f"{median(rows, f'split_{p}_p50_ms'):.1f} / {median(rows, f'split_{p}_p99_ms'):.1f}" for p in phases]
            print(f"| {n} | " + " | ".join(cells) + " |")

    inserts = {n: rows for n, rows in pipeline.items() if n.startswith("ridley") and "insert_s" in rows[0]}
    if inserts:
        print()
        print("| insert phase (N starts before the drain) | insert | insert_s | starts/s |")
        print("|---|---|---:|---:|")
        for n, rows in inserts.items():
            rate = median(rows, "starts_per_s")
            rate = f"{rate:,.0f}" if rate is not None else f"{len(rows) and rows[0].get('messages', 0) / median(rows, 'insert_s'):,.0f}"
            print(f"| {n} | {rows[0].get('insert', '?')} | {median(rows, 'insert_s'):.2f} | {rate} |")
    nodes = {n: rows for n, rows in pipeline.items() if rows[0].get("timer_storm")}
    if nodes:
        one = next((median(rows, "transitions_per_s") for rows in nodes.values() if rows[0].get("nodes") == 1), None)
        print()
        print("| several nodes, timer storm on | nodes | transitions/s | vs 1 node | timers fired | fired twice | DB CPU s | DB CPU s per 1k transitions |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for n, rows in nodes.items():
            t = median(rows, "transitions_per_s")
            vs = f"{(t / one - 1) * 100:+.1f}%" if one else ""
            print(f"| {n} | {rows[0]['nodes']} | {t:,.0f} | {vs} | {median(rows, 'timers_fired'):.0f} | "
                  f"{median(rows, 'timers_fired_twice'):.0f} | {median(rows, 'db_cpu_s'):.2f} | "
                  f"{median(rows, 'db_cpu_per_1k_transitions_s'):.3f} |")
    if starts:
        print()
        print("| starts, nothing else running | mode | grouped | clients | single starts/s | bulk starts/s (1,000 per request) |")
        print("|---|---|---|---:|---:|---:|")
        for n, rows in starts.items():
            print(f"| {n} | {rows[0].get('mode', '?')} | {rows[0].get('grouped', True)} | {rows[0]['clients']} | "
                  f"{median(rows, 'single_starts_per_s'):,.0f} | {median(rows, 'batch_starts_per_s'):,.0f} |")
    if counts:
        print()
        print("| GET /api/v1/pipelines/{name} (per-stage counts) | processes | p50 ms | p99 ms | max ms | count(*) of the table, ms |")
        print("|---|---:|---:|---:|---:|---:|")
        for n, rows in counts.items():
            print(f"| {n} | {rows[0]['processes']:,} | {median(rows, 'p50_ms'):.1f} | {median(rows, 'p99_ms'):.1f} | "
                  f"{median(rows, 'max_ms'):.1f} | {median(rows, 'count_query_ms'):.1f} |")


if __name__ == "__main__":
    main(sys.argv[1])
