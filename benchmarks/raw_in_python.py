#!/usr/bin/env python3
"""Is raw OpenSSL slower just for running inside a Python process?

    .venv-bench/ours/bin/python benchmarks/raw_in_python.py [ROUNDS]   # after run.py

Builds raw_openssl.c a second time as a shared library and runs its whole
timed loop through one ctypes call from an interpreter that has imported our
OpenSSL.SSL, alternating with the raw_openssl program itself. If the two
agree, the distance from raw C to the minimal C binding (run.py's floor
column) is the Python code that runs between OpenSSL's calls, not the
process it runs in (its heap, its libraries, its memory map).
"""

from __future__ import annotations

import ctypes
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import implementations  # noqa: E402
import run  # noqa: E402

WORKLOADS = "hs13_ecdsa,hs13_rsa,hs12_ecdsa,resume12,pingpong,bulk,create"


def in_this_process(library: str, certs: str, budget: str) -> dict:
    """Child mode: the C program's main, called once through ctypes."""
    from OpenSSL import SSL  # noqa: F401 - as in the benchmark workers

    lib = ctypes.CDLL(library)
    args = [b"raw", certs.encode(), b"bench", budget.encode(), WORKLOADS.encode()]
    lib.raw_main.argtypes = [ctypes.c_int, ctypes.POINTER(ctypes.c_char_p)]
    lib.raw_main(len(args), (ctypes.c_char_p * len(args))(*args))
    ctypes.CDLL(None).fflush(None)


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    binary = implementations.build_raw_c()
    library = str(implementations.OUT / "libraw_openssl.so")
    system = implementations.system_openssl()
    implementations.sh("cc", "-O2", "-fPIC", "-shared", "-Dmain=raw_main", *system.cflags, "-o", library,
                       HERE / "raw_openssl.c", *system.libs)
    commands = {
        "program": [binary],
        "in Python": [sys.executable, __file__, "--child", library],
    }
    samples: dict = {name: {} for name in commands}
    with tempfile.TemporaryDirectory(prefix="bench-certs-") as certs:
        implementations.make_certificates(certs)
        for r in range(rounds):
            for name in run.rotated(list(commands), r):
                out = subprocess.run(commands[name] + [certs, "bench", "0.25", WORKLOADS],
                                     check=True, capture_output=True, text=True).stdout
                for key, seconds in json.loads(out)["results"].items():
                    samples[name].setdefault(key, []).append(seconds)
    print(f"raw_openssl.c's loops in a Python process ÷ as their own program, {rounds} rounds:\n")
    print("| workload | best ÷ best | median ÷ median |\n|---|---|---|")
    for key in WORKLOADS.split(","):
        mine, base = samples["in Python"][key], samples["program"][key]
        print(f"| {key} | {min(mine) / min(base):.3f} | {statistics.median(mine) / statistics.median(base):.3f} |")


if __name__ == "__main__":
    if len(sys.argv) == 7 and sys.argv[1] == "--child":
        in_this_process(sys.argv[2], sys.argv[3], sys.argv[5])
    else:
        main()
