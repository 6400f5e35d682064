#!/usr/bin/env python3
"""Benchmarks: ours vs a minimal C binding vs Python's ssl vs pyOpenSSL vs raw OpenSSL, in one run.

    python3 benchmarks/run.py              # full run: the builds, then ~4 min
    python3 benchmarks/run.py --quick      # ~1.5 min sanity run
    python3 benchmarks/run.py --callgrind  # instructions and L1 misses per op under valgrind (~10 min)

It builds and installs ours (`pip install .`) into .venv-bench/ours, installs
pyOpenSSL 26.4.0 from PyPI into .venv-bench/pyopenssl, compiles raw_openssl.c
and minimal_binding.c against the system OpenSSL; then, unless --system-only,
the same three again on a static OpenSSL 3.5 from scripts/build-openssl
(ours into .venv-bench/ours-openssl35, with OPENSSL_DIR), where raw C on 3.5 is
the floor. It makes certificates, runs every implementation as a subprocess
in interleaved rounds, prints the tables and rewrites their generated
section of benchmarks/README.md (--callgrind rewrites its own section).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time

import implementations
import instructions
from implementations import PYOPENSSL, Impl, log, static_openssl, venv_python
from report import CALLGRIND, RESULTS, WORKLOADS, checks_text, machine, tables, target_table, write_readme

SERIES = "3.5"  # the static build's column (issue 20)


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


# ---- main ----

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a ~1.5 minute sanity run")
    parser.add_argument("--callgrind", action="store_true", help="count instructions per op instead of timing")
    parser.add_argument("--ours-python", help="use this interpreter's installed OpenSSL.SSL instead of building")
    parser.add_argument("--no-build", action="store_true", help="reuse .venv-bench/ours* as they are")
    parser.add_argument("--system-only", action="store_true", help="no static OpenSSL 3.5 columns")
    parser.add_argument("--openssl35-prefix", help="a static OpenSSL 3.5 installed here, instead of "
                        "scripts/build-openssl 3.5")
    parser.add_argument("--build-lock", help="hold this lock file (flock) while building ours")
    parser.add_argument("--rounds", type=int, help="timing rounds (default 9, quick 3)")
    parser.add_argument("--budget", type=float, help="seconds per workload per round (default 0.25)")
    parser.add_argument("--pairs", type=int, help="pairs kept alive for the memory figure (default 2000)")
    parser.add_argument("--no-readme", action="store_true", help="print only; leave README.md alone")
    args = parser.parse_args()
    rounds = args.rounds or (3 if args.quick else 9)
    budget = args.budget or (0.12 if args.quick else 0.25)
    pairs = args.pairs or (500 if args.quick else 2000)
    implementations.BUILD_LOCK = args.build_lock
    started = time.monotonic()

    ours_python = args.ours_python or venv_python("ours", ["."], always=not args.no_build)
    static = ours_static_python = None
    if not args.system_only:
        static = static_openssl(SERIES, args.openssl35_prefix)
        ours_static_python = venv_python(f"ours{static.suffix}", ["."], always=not args.no_build,
                                         env={"OPENSSL_DIR": str(static.prefix), "OPENSSL_STATIC": "1"})
    pyopenssl_python = None
    if not args.callgrind:
        pyopenssl_python = venv_python("pyopenssl", [PYOPENSSL], always=False)
    impls = implementations.implementations(ours_python, pyopenssl_python, static, ours_static_python)
    flags = "".join(f" {flag}" for flag, on in (("--quick", args.quick), ("--system-only", args.system_only)) if on)

    with tempfile.TemporaryDirectory(prefix="bench-certs-") as certs:
        implementations.make_certificates(certs)
        if args.callgrind:
            section = (f"Run: `python3 benchmarks/run.py --callgrind{flags}` on {machine()}, "
                       f"{time.strftime('%Y-%m-%d')}.\n\n" + instructions.callgrind(impls, certs))
            print(section)
            if not args.no_readme:
                write_readme(CALLGRIND, section)
            log(f"callgrind output files are in {implementations.OUT}; total {time.monotonic() - started:.0f} s")
            return
        samples = timing_rounds(impls, certs, rounds, budget)
        memory_rounds(impls, certs, 1 if args.quick else 3, pairs, samples)
    pythons = {"Python ssl": (ours_python, "ssl"), "ours": (ours_python, "OpenSSL.SSL"),
               "pyOpenSSL": (pyopenssl_python, "OpenSSL.SSL")}
    if ours_static_python:
        pythons[f"ours {SERIES}"] = (ours_static_python, "OpenSSL.SSL")
    import_times(pythons, 5 if args.quick else 15, samples)

    for impl in impls:
        if impl.name.startswith("ours") and not impl.info["module"].endswith(".abi3.so"):
            sys.exit(f"'{impl.name}' imported {impl.info['module']}, not our extension module")
    section = (
        f"Run: `python3 benchmarks/run.py{flags}` on {machine()}, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {rounds} interleaved timing rounds of "
        f"{budget} s per workload, memory with {pairs} pairs.\n\n"
        + tables(impls, samples, f"{rounds} rounds") + "\n"
        + (target_table(samples, f"ours {SERIES}", f"raw C {SERIES}", f"minimal C binding {SERIES}") + "\n"
           if static else "")
        + checks_text(impls)
    )
    print(section)
    if not args.no_readme:
        write_readme(RESULTS, section)
    log(f"total {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
