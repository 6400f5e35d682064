"""run.py --callgrind: instructions and level-1 cache misses per operation under valgrind."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from implementations import OUT, REPO, Impl, build_lock, log

# workload -> (low, high) iteration counts; per op = (Ir(high) - Ir(low)) / (high - low)
CALLGRIND_ITERATIONS = {"pingpong": (200, 1200), "bulk": (50, 300), "hs13_ecdsa": (5, 15),
                        "resume12": (10, 60), "create": (1000, 6000), "pending": (10000, 60000)}
PROFILED = ("pingpong", "bulk", "pending")  # broken down by library and function


def build_with_symbols() -> Path | None:
    """Our extension built from this tree like the wheel's, but not stripped."""
    if shutil.which("swift") is None:
        return None
    scratch = OUT / "build-symbols"
    command = ["swift", "build", "--package-path", str(REPO), "--scratch-path", str(scratch),
               "--product", "OpenSSLPython", "-c", "release", "-Xswiftc", "-static-stdlib",
               "-Xcc", f"-I{sysconfig.get_paths()['include']}",
               "-Xlinker", f"--version-script={REPO / 'build_backend' / 'exports.map'}"]
    log("building our extension with symbols for the profile")
    with build_lock():
        built = subprocess.run(command, capture_output=True).returncode == 0
    if not built:
        log("the build with symbols failed: profiling the installed (stripped) module")
        return None
    bin_dir = subprocess.run(command + ["--show-bin-path"], capture_output=True, text=True).stdout.split()[-1]
    overlay = OUT / "symbols-overlay"
    shutil.rmtree(overlay, ignore_errors=True)
    shutil.copytree(REPO / "python" / "OpenSSL", overlay / "OpenSSL",
                    ignore=shutil.ignore_patterns("__pycache__", "*.so"))
    shutil.copy(Path(bin_dir) / "libOpenSSLPython.so", overlay / "OpenSSL" / "SSL.abi3.so")
    return overlay


def self_costs(path: Path) -> dict[tuple[str, str], int]:
    """Self Ir per (object, function) from a callgrind output file."""
    names: dict[str, dict[str, str]] = {"ob": {}, "fn": {}}
    costs: dict[tuple[str, str], int] = {}
    obj = fn = ""
    skip_next = False

    def name(kind: str, value: str) -> str:
        m = re.match(r"\((\d+)\)(?: (.*))?", value)
        if not m:
            return value
        if m.group(2) is not None:
            names[kind][m.group(1)] = m.group(2)
        return names[kind].get(m.group(1), value)

    for line in path.read_text().splitlines():
        if line.startswith("ob="):
            obj = name("ob", line[3:])
        elif line.startswith("fn="):
            fn = name("fn", line[3:])
        elif line.startswith("cob="):
            name("ob", line[4:])
        elif line.startswith("cfn="):
            name("fn", line[4:])
        elif line.startswith("calls="):
            skip_next = True
        elif line[:1].isdigit() or line[:1] in "+-*":
            if skip_next:
                skip_next = False
                continue
            parts = line.split()
            if len(parts) > 1:
                costs[(obj, fn)] = costs.get((obj, fn), 0) + int(parts[1])
    return costs


def per_op(low_file: Path, high_file: Path, iterations: int) -> dict[tuple[str, str], float]:
    low, high = self_costs(low_file), self_costs(high_file)
    return {key: (high.get(key, 0) - low.get(key, 0)) / iterations for key in set(low) | set(high)}


def library(path: str) -> str:
    base = os.path.basename(path)
    return "python" if base.startswith(("python", "libpython")) else base.split(".so")[0] or "?"


def demangle(names: list[str]) -> list[str]:
    """Readable Swift and C++ names: demangled, template arguments and C++ parameters dropped."""
    if shutil.which("swift") is not None and names:
        done = subprocess.run(["swift", "demangle", "--simplified"], input="\n".join(names),
                              capture_output=True, text=True)
        if done.returncode == 0 and len(done.stdout.splitlines()) == len(names):
            names = done.stdout.splitlines()
    short = []
    for name in names:
        while re.search(r"<[^<>]*>", name):
            name = re.sub(r"<[^<>]*>", "", name)
        if "::" in name:  # C++ (the Swift runtime): the parameter list says little
            name = re.sub(r"^\w+ ", "", re.sub(r"\(.*\)$", "", name))
        short.append(name.replace("variable initialization expression of ", ""))
    return short


def callgrind(impls: list[Impl], certs: str) -> str:
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed")
    OUT.mkdir(exist_ok=True)
    impls = [impl for impl in impls if impl.name != "pyOpenSSL"]
    floors = {impl.name: impl.floor for impl in impls}
    overlay = build_with_symbols()
    jobs = []
    for impl in impls:
        # A fixed hash seed: with random ones, start-up's dict lookups probe
        # differently in the two runs, and the difference leaks into the
        # per-operation figure (hundreds of instructions).
        env = dict(os.environ, PYTHONHASHSEED="0", **impl.env)
        if impl.name == "ours" and overlay:
            env["PYTHONPATH"] = str(overlay)
        tag = re.sub(r"\W+", "_", impl.name.lower())
        for workload, counts in CALLGRIND_ITERATIONS.items():
            for count in counts:
                out = OUT / f"callgrind.{tag}.{workload}.{count}.out"
                command = ["valgrind", "--tool=callgrind", "--cache-sim=yes", f"--callgrind-out-file={out}"]
                command += impl.command + [certs, "fixed", workload, str(count)]
                jobs.append(((impl.name, workload, count), out, command, env))

    def run(job):
        _, out, command, env = job
        done = subprocess.run(command, capture_output=True, text=True, env=env)
        if done.returncode != 0:
            sys.exit(f"{command} failed:\n{done.stderr[-2000:]}")
        return event_totals(out), json.loads(done.stdout)["openssl"]

    log(f"callgrind: {len(jobs)} runs under valgrind"
        + (" (ours: this tree, built with symbols)" if overlay else ""))
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        results = dict(zip((job[0] for job in jobs), pool.map(run, jobs)))
    totals = {key: events for key, (events, _) in results.items()}
    versions = {name: version for (name, _, _), (_, version) in results.items()}
    files = {job[0]: job[1] for job in jobs}
    names = [impl.name for impl in impls]
    # OpenSSL linked into the binary is no library of its own: the breakdown is for the system build.
    shared = [impl.name for impl in impls if impl.linkage == "system"]

    lines = ["Instructions per operation (callgrind Ir; each figure is the difference between two runs, "
             + ", ".join(f"{w} {a} and {b} iterations" for w, (a, b) in CALLGRIND_ITERATIONS.items())
             + ", so start-up and setup cancel out):", "",
             "| | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    def per_operation(name: str, workload: str, events: tuple[str, ...]) -> float:
        low, high = CALLGRIND_ITERATIONS[workload]
        count = lambda n: sum(totals[(name, workload, n)].get(e, 0) for e in events)
        return (count(high) - count(low)) / (high - low)

    for workload in CALLGRIND_ITERATIONS:
        counts = {n: per_operation(n, workload, ("Ir",)) for n in names}
        lines.append(f"| {workload} | " + " | ".join(
            f"{counts[n]:,.0f} ({counts[n] / counts[floors[n]]:.2f}×)" for n in names) + " |")
    lines += ["", "Each column against raw C on its own OpenSSL. `OpenSSL_version()` of each: "
              + "; ".join(f"{impl.name}: {versions[impl.name]} ({impl.linkage})" for impl in impls) + "."]

    # Why time ratios exceed instruction ratios: the interpreter and the
    # bridge between OpenSSL calls push OpenSSL's code and data out of L1.
    lines += ["", "Level-1 cache misses per operation, as callgrind's cache simulation counts them "
              "(instruction fetch + data read + data write misses; the simulated last-level cache "
              "holds everything, so each of these costs an L2 access):", "",
              "| | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for workload in CALLGRIND_ITERATIONS:
        misses = {n: per_operation(n, workload, L1_MISSES) for n in names}
        if min(misses[floors[n]] for n in names) <= 0:
            continue
        lines.append(f"| {workload} | " + " | ".join(
            f"{misses[n]:,.0f} ({misses[n] / misses[floors[n]]:.2f}×)" for n in names) + " |")

    # The instruction-fetch share alone: where a wrapper's code size shows.
    lines += ["", "Of these, level-1 instruction-fetch misses (I1mr) per operation:", "",
              "| | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for workload in CALLGRIND_ITERATIONS:
        misses = {n: per_operation(n, workload, ("I1mr",)) for n in names}
        if min(misses[floors[n]] for n in names) <= 0:
            continue
        lines.append(f"| {workload} | " + " | ".join(
            f"{misses[n]:,.0f} ({misses[n] / misses[floors[n]]:.2f}×)" for n in names) + " |")

    for workload in PROFILED:
        low, high = CALLGRIND_ITERATIONS[workload]
        costs = {n: per_op(files[(n, workload, low)], files[(n, workload, high)], high - low) for n in shared}
        by_library: dict[str, dict[str, float]] = {}
        for n in shared:
            for (obj, _), ir in costs[n].items():
                by_library.setdefault(library(obj), {}).setdefault(n, 0.0)
                by_library[library(obj)][n] += ir
        rows = sorted(by_library.items(), key=lambda kv: -max(kv[1].values()))
        lines += ["", f"{workload}: Ir per operation by library (self cost)", "",
                  "| library | " + " | ".join(shared) + " |", "|---|" + "---|" * len(shared)]
        for lib, values in rows:
            if max(abs(v) for v in values.values()) >= 20:
                lines.append(f"| {lib} | " + " | ".join(f"{round(values.get(n, 0)):,}" for n in shared) + " |")
        ours = sorted(((ir, obj, fn) for (obj, fn), ir in costs["ours"].items()), reverse=True)
        for title, top in (("top functions", ours[:12]),
                           ("top functions inside SSL.abi3.so (bridge and core)",
                            [row for row in ours if "SSL.abi3" in row[1]][:12])):
            top = [row for row in top if row[0] >= 1]
            pretty = demangle([fn for _, _, fn in top])
            lines += ["", f"{workload}: ours, {title}, self Ir per operation", "",
                      "| Ir/op | library | function |", "|---|---|---|"]
            lines += [f"| {ir:,.0f} | {library(obj)} | `{name[:100]}` |" for (ir, obj, _), name in zip(top, pretty)]
    return "\n".join(lines) + "\n"


L1_MISSES = ("I1mr", "D1mr", "D1mw")


def event_totals(path: Path) -> dict[str, int]:
    """Whole-run totals per event (Ir, and the cache simulation's misses)."""
    events: list[str] = []
    for line in path.read_text().splitlines():
        if line.startswith("events:"):
            events = line.split()[1:]
        elif line.startswith(("summary:", "totals:")):
            return dict(zip(events, map(int, line.split()[1:])))
    raise RuntimeError(f"no totals in {path}")
