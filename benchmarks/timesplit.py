"""Where the wall-clock time of one operation goes, by library (`run.py --perf`).

Callgrind counts instructions and simulated cache misses; this measures time.
Each implementation runs each workload for a small and a large fixed number
of iterations under `perf record` (a software clock, so it works without
hardware counters); the difference in samples per library, divided by the
difference in iterations, is the time per operation spent in that library,
with start-up and setup cancelled out. Next to raw C it shows which part of
ours is our own code, which the interpreter, and how much longer OpenSSL's
own code takes when an interpreter runs between its calls.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

SAMPLE_HZ = 4999
ROUNDS = 3
# workload -> (low, high) iterations: the high runs take about half a second each.
ITERATIONS = {
    "pingpong": (20000, 170000),
    "bulk": (2000, 47000),
    "resume12": (1000, 9000),
    "create": (50000, 300000),
    "hs12_ecdsa": (50, 650),
}


def samples_by_library(command: list[str], library) -> dict[str, int]:
    with tempfile.TemporaryDirectory(prefix="bench-perf-") as scratch:
        data = Path(scratch) / "perf.data"
        subprocess.run(["perf", "record", "-q", "-e", "cpu-clock", "-F", str(SAMPLE_HZ), "-o", str(data), "--"]
                       + command, check=True, capture_output=True)
        report = subprocess.run(["perf", "report", "-i", str(data), "--sort", "dso", "--stdio", "-n"],
                                check=True, capture_output=True, text=True).stdout
    counts: dict[str, int] = {}
    for line in report.splitlines():
        fields = line.split()
        if len(fields) >= 3 and not line.startswith("#") and fields[1].isdigit():
            name = library(fields[2]) if not fields[2].startswith("[") else "kernel"
            counts[name] = counts.get(name, 0) + int(fields[1])
    return counts


def time_split(impls, certs: str, library, log) -> str:
    """The generated README section: microseconds per operation by library."""
    if shutil.which("perf") is None:
        raise SystemExit("perf is not installed (apt install linux-perf, or linux-tools-generic)")
    impls = [impl for impl in impls if impl.name in ("raw C", "ours")]
    per_op: dict[tuple[str, str], dict[str, float]] = {}
    for workload, (low, high) in ITERATIONS.items():
        for impl in impls:
            totals: dict[str, float] = {}
            for _ in range(ROUNDS):
                runs = {n: samples_by_library(impl.command + [certs, "fixed", workload, str(n)], library)
                        for n in (low, high)}
                for name in set(runs[low]) | set(runs[high]):
                    extra = runs[high].get(name, 0) - runs[low].get(name, 0)
                    totals[name] = totals.get(name, 0) + extra / SAMPLE_HZ / (high - low) * 1e6 / ROUNDS
            per_op[(impl.name, workload)] = totals
            log(f"perf: {impl.name} {workload} done")

    lines = [f"Microseconds per operation by library, from `perf record -e cpu-clock -F {SAMPLE_HZ}` "
             f"(the difference between a small and a large fixed iteration count, mean of {ROUNDS} rounds; "
             "libraries under 0.01 µs left out):", ""]
    for workload in ITERATIONS:
        raw, ours = per_op[("raw C", workload)], per_op[("ours", workload)]
        names = sorted(set(raw) | set(ours), key=lambda n: -max(raw.get(n, 0), ours.get(n, 0)))
        total_raw, total_ours = sum(raw.values()), sum(ours.values())
        lines += [f"{workload}: raw C {total_raw:.3g} µs, ours {total_ours:.3g} µs ({total_ours / total_raw:.2f}×)", "",
                  "| library | raw C | ours | ours − raw C |", "|---|---|---|---|"]
        for name in names:
            a, b = raw.get(name, 0.0), ours.get(name, 0.0)
            if max(abs(a), abs(b)) >= 0.01:
                lines.append(f"| {name} | {a:.3f} | {b:.3f} | {b - a:+.3f} |")
        lines.append("")
    return "\n".join(lines)
