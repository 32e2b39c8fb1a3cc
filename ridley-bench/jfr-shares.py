#!/usr/bin/env python3
"""Where a JVM's CPU went, from a flight recording: the share of execution samples per component.

    jfr-shares.py server.jfr [--top N]

Each sample is given to the component of its innermost frame that belongs to a named component
(Ridley's engine, its HTTP edge, Jetty, Javalin, Jackson, the PostgreSQL driver, ...), so the
shares add up to 100%; then the hottest Ridley methods (inclusive: a method counts when it is
anywhere on the stack) and the hottest leaf methods. Reads `jfr print --json` of the recording,
with the `jfr` tool of the JDK that runs Ridley (JAVA_HOME, else the first on PATH)."""
import json
import os
import shutil
import subprocess
import sys
from collections import Counter

# Innermost match wins; order matters only between overlapping prefixes (longest first).
COMPONENTS = [
    ("dev.ridley.engine", "Ridley engine"),
    ("dev.ridley.server.http", "Ridley HTTP edge"),
    ("dev.ridley.server.auth", "Ridley HTTP edge"),
    ("dev.ridley.server.metrics", "metrics (Micrometer, Prometheus)"),
    ("dev.ridley.server", "Ridley server (other)"),
    ("dev.ridley.worker", "Ridley SDK"),
    ("dev.ridley.bench", "bench harness"),
    ("org.eclipse.jetty", "Jetty"),
    ("jakarta.servlet", "Jetty"),
    ("io.javalin", "Javalin"),
    ("kotlin.", "Javalin"),
    ("com.fasterxml.jackson", "Jackson"),
    ("org.postgresql", "PostgreSQL driver"),
    ("com.zaxxer.hikari", "HikariCP"),
    ("io.micrometer", "metrics (Micrometer, Prometheus)"),
    ("io.prometheus", "metrics (Micrometer, Prometheus)"),
    ("ch.qos.logback", "logging"),
    ("org.slf4j", "logging"),
    ("jdk.internal.net.http", "JDK HttpClient"),
    ("java.net.http", "JDK HttpClient"),
    ("sun.nio", "JDK I/O"),
    ("java.nio", "JDK I/O"),
    ("java.lang.VirtualThread", "JVM (threads, class loading)"),
    ("jdk.internal.vm.Continuation", "JVM (threads, class loading)"),
    ("java.util.concurrent.ForkJoin", "JVM (threads, class loading)"),
    ("java.lang.ClassLoader", "JVM (threads, class loading)"),
    ("jdk.internal.loader", "JVM (threads, class loading)"),
    ("java.lang.invoke", "JVM (threads, class loading)"),
]


def frame_name(f):
    return (f["method"]["type"]["name"] + "." + f["method"]["name"]).replace("/", ".")


def component(names):
    for n in names:  # innermost first
        for prefix, comp in COMPONENTS:
            if n.startswith(prefix):
                return comp
    return "JDK and other"


def main():
    path = sys.argv[1]
    top = int(sys.argv[sys.argv.index("--top") + 1]) if "--top" in sys.argv else 15
    home = os.environ.get("JAVA_HOME")
    jfr = os.path.join(home, "bin", "jfr") if home else shutil.which("jfr")
    out = subprocess.run([jfr, "print", "--json", "--stack-depth", "64", "--events", "jdk.ExecutionSample", path],
                         check=True, capture_output=True, text=True).stdout
    events = json.loads(out)["recording"]["events"]
    n = len(events)
    if n == 0:
        print("no execution samples in " + path)
        return
    comps, ridley, leaves = Counter(), Counter(), Counter()
    for e in events:
        names = [frame_name(f) for f in e["values"]["stackTrace"]["frames"]]
        comps[component(names)] += 1
        if names:
            leaves[names[0]] += 1
        for m in set(x for x in names if x.startswith("dev.ridley")):
            ridley[m] += 1
    print(f"{n} execution samples in {path}\n")
    print("| component | share of samples |")
    print("|---|---:|")
    for c, k in comps.most_common():
        print(f"| {c} | {k * 100 / n:.1f}% |")
    print("\nRidley methods on the stack (inclusive):")
    for m, k in ridley.most_common(top):
        print(f"  {k * 100 / n:5.1f}%  {m}")
    print("\nHottest leaf methods:")
    for m, k in leaves.most_common(top):
        print(f"  {k * 100 / n:5.1f}%  {m}")


if __name__ == "__main__":
    main()
