#!/usr/bin/env python3
"""Benchmarks: ours vs a minimal C binding vs Python's ssl vs pyOpenSSL vs raw OpenSSL, in one run.

    python3 benchmarks/run.py              # full run: the build, then ~2.5 min
    python3 benchmarks/run.py --quick      # ~1 min sanity run
    python3 benchmarks/run.py --callgrind  # instructions and L1 misses per op under valgrind (~6 min)

It builds and installs ours (`pip install .`) into .venv-bench/ours, installs
pyOpenSSL 26.4.0 from PyPI into .venv-bench/pyopenssl, compiles raw_openssl.c
and minimal_binding.c,
makes certificates, runs every implementation as a subprocess in interleaved
rounds, prints the tables and rewrites their generated section of
benchmarks/README.md (--callgrind rewrites its own section).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = HERE / "out"
VENVS = REPO / ".venv-bench"
README = HERE / "README.md"
PYOPENSSL = "pyOpenSSL==26.4.0"
RESULTS = ("<!-- results: begin -->", "<!-- results: end -->")
CALLGRIND = ("<!-- callgrind: begin -->", "<!-- callgrind: end -->")

# (key, label, unit): unit says how a seconds-per-op figure is shown.
ROWS = [
    ("hs13_ecdsa", "Full handshake, TLS 1.3, ECDSA P-256", "ops"),
    ("hs13_rsa", "Full handshake, TLS 1.3, RSA-2048", "ops"),
    ("hs12_ecdsa", "Full handshake, TLS 1.2 ECDHE-ECDSA-AES128-GCM", "ops"),
    ("resume12", "Session resumption, TLS 1.2 (ticket)", "ops"),
    ("pingpong", "64-byte ping-pong round trip", "ops"),
    ("bulk", "16 KiB bulk transfer", "mib"),
    ("create", "Connection creation", "ops"),
    ("pending", "`Connection.pending()`", "ns"),
    ("verify_mode", "`Context.get_verify_mode()`", "ns"),
    ("baseline", "`(5).bit_length()` (yardstick)", "ns"),
    ("memory", "Memory per idle handshaken pair", "kib"),
    ("import", "`import OpenSSL.SSL` (Python ssl: `import ssl`)", "ms"),
]
WORKLOADS = [key for key, _, _ in ROWS if key not in ("memory", "import")]


class Impl:
    def __init__(self, name: str, command: list[str], python: str | None = None):
        self.name, self.command, self.python = name, command, python
        self.info: dict = {}

    def run(self, certs: str, *args: str) -> dict:
        args = list(args)
        if self.python is None and args[0] == "bench":  # the C program has no yardstick
            args[2] = ",".join(w for w in args[2].split(",") if w != "baseline")
        done = subprocess.run(self.command + [certs, *args], capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"{self.name} failed:\n{done.stderr}")
        result = json.loads(done.stdout)
        self.info.update(openssl=result["openssl"], module=result["module"])
        return result


# ---- setting up ----

def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def sh(*command, **kwargs) -> None:
    subprocess.run([str(c) for c in command], check=True, **kwargs)


def venv_python(name: str, install: list[str], always: bool) -> str:
    venv = VENVS / name
    python = venv / "bin" / "python"
    if not python.exists():
        log(f"creating {venv}")
        sh(sys.executable, "-m", "venv", venv)
        always = True
    if always:
        log(f"installing {' '.join(install)} into {venv}")
        began = time.monotonic()
        try:
            sh(python, "-m", "pip", "install", "-q", *install, cwd=REPO)
        except subprocess.CalledProcessError:
            sys.exit(f"run.py: installing {' '.join(install)} into {venv} failed (pip's output is above)")
        log(f"installed in {time.monotonic() - began:.0f} s")
    return str(python)


def openssl_flags() -> list[str]:
    """Compiler and linker flags for the system OpenSSL (the one ours links)."""
    return subprocess.run(["pkg-config", "--cflags", "--libs", "openssl"], check=True,
                          capture_output=True, text=True).stdout.split()


def build_raw_c() -> str:
    OUT.mkdir(exist_ok=True)
    binary = OUT / "raw_openssl"
    sh("cc", "-O2", "-Wall", "-o", binary, HERE / "raw_openssl.c", *openssl_flags())
    return str(binary)


def build_minimal_binding(python: str) -> None:
    """minimal_binding.c as the module minimal_ssl, for `python`."""
    target = OUT / "minimal"
    target.mkdir(parents=True, exist_ok=True)
    query = "import sysconfig as s; print(s.get_paths()['include'], s.get_config_var('EXT_SUFFIX'))"
    include, suffix = subprocess.run([python, "-c", query], check=True, capture_output=True,
                                     text=True).stdout.split()
    sh("cc", "-O2", "-Wall", "-shared", "-fPIC", f"-I{include}", "-o", target / f"minimal_ssl{suffix}",
       HERE / "minimal_binding.c", *openssl_flags())


def make_certificates(directory: str) -> None:
    """A P-256 CA, and an ECDSA P-256 and an RSA-2048 server certificate from it."""
    def openssl(*args, stdin=None):
        return subprocess.run(["openssl", *args], cwd=directory, check=True, input=stdin,
                              capture_output=True).stdout

    Path(directory, "leaf.cnf").write_text(
        "basicConstraints=CA:FALSE\nsubjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n")
    openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "ca.key")
    openssl("req", "-x509", "-new", "-key", "ca.key", "-subj", "/CN=benchmark CA", "-days", "2",
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-out", "ca.pem")
    openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "ec.key")
    openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "rsa.key")
    for kind in ("ec", "rsa"):
        request = openssl("req", "-new", "-key", f"{kind}.key", "-subj", "/CN=localhost")
        openssl("x509", "-req", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-extfile", "leaf.cnf", "-out", f"{kind}.pem", stdin=request)


# ---- measuring ----

def rotated(items: list, shift: int) -> list:
    shift %= len(items)
    return items[shift:] + items[:shift]


def timing_rounds(impls: list[Impl], certs: str, rounds: int, budget: float) -> dict:
    samples: dict = {impl.name: {} for impl in impls}
    for r in range(rounds):
        order = rotated(impls, r)
        log(f"round {r + 1}/{rounds}: {', '.join(i.name for i in order)}")
        for impl in order:
            result = impl.run(certs, "bench", str(budget), ",".join(WORKLOADS))
            impl.info["checks"] = result["checks"]
            for key, seconds in result["results"].items():
                samples[impl.name].setdefault(key, []).append(seconds)
    return samples


def memory_rounds(impls: list[Impl], certs: str, rounds: int, pairs: int, samples: dict) -> None:
    for r in range(rounds):
        log(f"memory {r + 1}/{rounds}: {pairs} pairs each")
        for impl in rotated(impls, r):
            result = impl.run(certs, "memory", str(pairs))
            samples[impl.name].setdefault("memory", []).append(result["bytes_per_pair"])


def import_times(pythons: dict[str, tuple[str, str]], repeats: int, samples: dict) -> None:
    """Seconds for the import statement in fresh interpreters, interleaved."""
    names = list(pythons)
    log(f"import time: {repeats} fresh interpreters each")
    for r in range(repeats):
        for name in rotated(names, r):
            python, module = pythons[name]
            code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
            out = subprocess.run([python, "-I", "-c", code], check=True, capture_output=True, text=True)
            samples[name].setdefault("import", []).append(float(out.stdout))


# ---- reporting ----

def shown(key: str, unit: str, value: float) -> float:
    """A raw sample (seconds per op, bytes, seconds) in the unit the table shows."""
    return {"ops": lambda v: 1 / v, "mib": lambda v: 16384 / 2**20 / v, "ns": lambda v: v * 1e9,
            "kib": lambda v: v / 1024, "ms": lambda v: v * 1e3}[unit](value)


UNIT_TEXT = {"ops": "/s", "mib": " MiB/s", "ns": " ns", "kib": " KiB", "ms": " ms"}


def fmt(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}" if value >= 1 else f"{value:.2g}"


def tables(impls: list[Impl], samples: dict, rounds_text: str) -> str:
    names = [impl.name for impl in impls]
    header = "| | " + " | ".join(names) + " |\n|---|" + "---|" * len(names) + "\n"
    absolute, ratios = [], []
    for key, label, unit in ROWS:
        cells, ratio_cells = [], []
        base = samples["raw C"].get(key)
        for name in names:
            values = samples[name].get(key)
            if not values:
                cells.append("—")
                ratio_cells.append("—")
                continue
            low, high = sorted(shown(key, unit, v) for v in (min(values), max(values)))
            mid = shown(key, unit, statistics.median(values))
            cells.append(f"{fmt(mid)}{UNIT_TEXT[unit]} [{fmt(low)}–{fmt(high)}]")
            if key == "import":
                reference = statistics.median(samples["Python ssl"]["import"])
                ratio_cells.append("1" if name == "Python ssl" else f"{statistics.median(values) / reference:.2f}× ssl")
            elif base:
                ratio_cells.append(f"{min(values) / min(base):.2f} "
                                   f"({statistics.median(values) / statistics.median(base):.2f})")
            else:
                ratio_cells.append("—")
        absolute.append(f"| {label} | " + " | ".join(cells) + " |")
        if key != "baseline":
            ratios.append(f"| {label} | " + " | ".join(ratio_cells) + " |")
        if key in ("pending", "verify_mode"):
            yard = [f"{min(samples[n][key]) / min(samples[n]['baseline']):.1f}× bit_length"
                    if samples[n].get("baseline") else "—" for n in names]
            ratios.append(f"| ↳ same, ÷ `(5).bit_length()` | " + " | ".join(yard) + " |")
    versions = "; ".join(f"{impl.name}: {impl.info.get('openssl', '?')}" for impl in impls)
    return (
        f"Time per operation relative to raw C on the same machine: best of {rounds_text} against best, "
        "and in parentheses median against median (>1 is slower; memory: bytes per pair relative to "
        "raw C; import: median relative to `import ssl`'s):\n\n"
        + header + "\n".join(ratios) + "\n\n"
        "Measured values, median [min–max]:\n\n" + header + "\n".join(absolute) + "\n\n"
        f"OpenSSL: {versions}. pyOpenSSL's figures are on a different OpenSSL (the one its "
        "cryptography wheel bundles), so they mix wrapper and library differences.\n"
    )


def checks_text(impls: list[Impl]) -> str:
    lines = ["Negotiated (client side, checked once per worker):", ""]
    for impl in impls:
        checks = impl.info.get("checks", {})
        lines.append(f"- {impl.name}: " + "; ".join(f"{k}: {v}" for k, v in checks.items()))
    return "\n".join(lines) + "\n"


def write_readme(markers: tuple[str, str], section: str) -> None:
    """Replaces the text between the two markers; the rest is hand-written."""
    begin, end = markers
    text = README.read_text() if README.exists() else "# Benchmarks\n"
    if begin not in text or end not in text:
        text += f"\n{begin}\n{end}\n"
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    README.write_text(f"{head}{begin}\n{section}{end}{tail}")
    log(f"wrote a generated section of {README}")


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} CPUs, Python {sysconfig.get_python_version()}"


# ---- callgrind ----

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
    if subprocess.run(command, capture_output=True).returncode != 0:
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
    overlay = build_with_symbols()
    jobs = []
    for impl in impls:
        # A fixed hash seed: with random ones, start-up's dict lookups probe
        # differently in the two runs, and the difference leaks into the
        # per-operation figure (hundreds of instructions).
        env = dict(os.environ, PYTHONHASHSEED="0")
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
        return event_totals(out)

    log(f"callgrind: {len(jobs)} runs under valgrind"
        + (" (ours: this tree, built with symbols)" if overlay else ""))
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        totals = dict(zip((job[0] for job in jobs), pool.map(run, jobs)))
    files = {job[0]: job[1] for job in jobs}
    names = [impl.name for impl in impls]

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
            f"{counts[n]:,.0f} ({counts[n] / counts['raw C']:.2f}×)" for n in names) + " |")

    # Why time ratios exceed instruction ratios: the interpreter and the
    # bridge between OpenSSL calls push OpenSSL's code and data out of L1.
    lines += ["", "Level-1 cache misses per operation, as callgrind's cache simulation counts them "
              "(instruction fetch + data read + data write misses; the simulated last-level cache "
              "holds everything, so each of these costs an L2 access):", "",
              "| | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for workload in CALLGRIND_ITERATIONS:
        misses = {n: per_operation(n, workload, L1_MISSES) for n in names}
        if misses["raw C"] <= 0:
            continue
        lines.append(f"| {workload} | " + " | ".join(
            f"{misses[n]:,.0f} ({misses[n] / misses['raw C']:.2f}×)" for n in names) + " |")

    # The instruction-fetch share alone: where a wrapper's code size shows.
    lines += ["", "Of these, level-1 instruction-fetch misses (I1mr) per operation:", "",
              "| | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for workload in CALLGRIND_ITERATIONS:
        misses = {n: per_operation(n, workload, ("I1mr",)) for n in names}
        if misses["raw C"] <= 0:
            continue
        lines.append(f"| {workload} | " + " | ".join(
            f"{misses[n]:,.0f} ({misses[n] / misses['raw C']:.2f}×)" for n in names) + " |")

    for workload in PROFILED:
        low, high = CALLGRIND_ITERATIONS[workload]
        costs = {n: per_op(files[(n, workload, low)], files[(n, workload, high)], high - low) for n in names}
        by_library: dict[str, dict[str, float]] = {}
        for n in names:
            for (obj, _), ir in costs[n].items():
                by_library.setdefault(library(obj), {}).setdefault(n, 0.0)
                by_library[library(obj)][n] += ir
        rows = sorted(by_library.items(), key=lambda kv: -max(kv[1].values()))
        lines += ["", f"{workload}: Ir per operation by library (self cost)", "",
                  "| library | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
        for lib, values in rows:
            if max(abs(v) for v in values.values()) >= 20:
                lines.append(f"| {lib} | " + " | ".join(f"{round(values.get(n, 0)):,}" for n in names) + " |")
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


# ---- main ----

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a ~1 minute sanity run")
    parser.add_argument("--callgrind", action="store_true", help="count instructions per op instead of timing")
    parser.add_argument("--ours-python", help="use this interpreter's installed OpenSSL.SSL instead of building")
    parser.add_argument("--no-build", action="store_true", help="reuse .venv-bench/ours as it is")
    parser.add_argument("--rounds", type=int, help="timing rounds (default 9, quick 3)")
    parser.add_argument("--budget", type=float, help="seconds per workload per round (default 0.25)")
    parser.add_argument("--pairs", type=int, help="pairs kept alive for the memory figure (default 2000)")
    parser.add_argument("--no-readme", action="store_true", help="print only; leave README.md alone")
    args = parser.parse_args()
    rounds = args.rounds or (3 if args.quick else 9)
    budget = args.budget or (0.12 if args.quick else 0.25)
    pairs = args.pairs or (500 if args.quick else 2000)
    started = time.monotonic()

    ours_python = args.ours_python or venv_python("ours", ["."], always=not args.no_build)
    pyopenssl_python = None
    if not args.callgrind:
        pyopenssl_python = venv_python("pyopenssl", [PYOPENSSL], always=False)
    worker = str(HERE / "workloads.py")
    build_minimal_binding(ours_python)
    impls = [
        Impl("raw C", [build_raw_c()]),
        Impl("ours", [ours_python, worker, "--impl", "pyopenssl-api"], ours_python),
        Impl("minimal C binding", [ours_python, worker, "--impl", "minimal"], ours_python),
        Impl("Python ssl", [ours_python, worker, "--impl", "ssl"], ours_python),
    ]
    if pyopenssl_python:
        impls.append(Impl("pyOpenSSL", [pyopenssl_python, worker, "--impl", "pyopenssl-api"], pyopenssl_python))

    with tempfile.TemporaryDirectory(prefix="bench-certs-") as certs:
        make_certificates(certs)
        if args.callgrind:
            section = f"Run: `python3 benchmarks/run.py --callgrind` on {machine()}, {time.strftime('%Y-%m-%d')}.\n\n"
            section += callgrind(impls, certs)
            print(section)
            if not args.no_readme:
                write_readme(CALLGRIND, section)
            log(f"callgrind output files are in {OUT}; total {time.monotonic() - started:.0f} s")
            return
        samples = timing_rounds(impls, certs, rounds, budget)
        memory_rounds(impls, certs, 1 if args.quick else 3, pairs, samples)
    import_times({"Python ssl": (ours_python, "ssl"), "ours": (ours_python, "OpenSSL.SSL"),
                  "pyOpenSSL": (pyopenssl_python, "OpenSSL.SSL")}, 5 if args.quick else 15, samples)

    ours = next(i for i in impls if i.name == "ours")
    if not ours.info["module"].endswith(".abi3.so"):
        sys.exit(f"'ours' imported {ours.info['module']}, not our extension module")
    section = (
        f"Run: `python3 benchmarks/run.py{' --quick' if args.quick else ''}` on {machine()}, "
        f"{time.strftime('%Y-%m-%d')}; {rounds} interleaved timing rounds of {budget} s per workload, "
        f"memory with {pairs} pairs.\n\n"
        + tables(impls, samples, f"{rounds} rounds") + "\n" + checks_text(impls)
    )
    print(section)
    if not args.no_readme:
        write_readme(RESULTS, section)
    log(f"total {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
