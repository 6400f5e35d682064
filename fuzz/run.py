"""Run the fuzz targets for a time budget and record the results.

    python fuzz/run.py --seconds 60                     # every target, 60 s each
    python fuzz/run.py --seconds 3600 --target api_sequences
    python fuzz/run.py --summary                        # totals from RESULTS.md

Each target runs in its own subprocess (atheris/libFuzzer with -max_total_time,
-rss_limit_mb, -timeout), seeded from fuzz/corpus/<target>/ and keeping what it
discovers in fuzz/.work/<target>/ (not committed). The executed-input count is
read from libFuzzer's "#N ... DONE" and "stat::number_of_executed_units" lines.
A crash (unexpected exception, fatal signal, timeout, out-of-memory) is saved as
fuzz/crashes/<target>-crash-<sha1> with the log around it in a .txt beside it;
the target is then restarted for the rest of its budget, and repeats of an
already-saved crash (same signature) are dropped. One line per target is
appended to fuzz/RESULTS.md. Exit status: 0 clean, 1 crashes found, 2 a target
could not run at all.

Run it with the Python (and PYTHONPATH) whose OpenSSL package you want fuzzed.
Without atheris a pure-Python random driver runs instead (labelled "random" in
RESULTS.md); FUZZ_DRIVER=random forces it.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time

FUZZ_DIR = os.path.dirname(os.path.abspath(__file__))
TARGETS = {
    # name: (script, -max_len)
    "bytes_into_connection": ("fuzz_bytes_into_connection.py", 16384),
    "api_sequences": ("fuzz_api_sequences.py", 4096),
    "crypto_loaders": ("fuzz_crypto_loaders.py", 8192),
}
RESULTS_HEADER = """# Fuzzing results

One line per target per `fuzz/run.py` run, appended by the runner (see README.md).
Goal: 10^7 inputs per target in total without a crash. `build` is the first 12
hex digits of the SHA-256 of the fuzzed `OpenSSL/SSL*.so`; `driver` is atheris
(coverage-guided) or random (the pure-Python fallback).

| date (UTC) | target | seconds | inputs executed | crashes | driver | build |
|---|---|---:|---:|---:|---|---|
"""


def probe(python: str, env: dict) -> tuple[str, str]:
    """(driver, build id) of the interpreter that will run the targets."""
    code = (
        "import hashlib, os, sys\n"
        "try:\n"
        "    import atheris\n"
        "    driver = 'atheris'\n"
        "except ImportError:\n"
        "    driver = 'random'\n"
        "if os.environ.get('FUZZ_DRIVER') == 'random':\n"
        "    driver = 'random'\n"
        "import OpenSSL.SSL as s\n"
        "path = s.__file__\n"
        "if path.endswith('.py'):\n"
        "    import OpenSSL\n"
        "    build = 'pyOpenSSL-' + OpenSSL.__version__\n"
        "else:\n"
        "    build = hashlib.sha256(open(path, 'rb').read()).hexdigest()[:12]\n"
        "print(driver, build)\n"
    )
    out = subprocess.run([python, "-c", code], env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"cannot import OpenSSL.SSL with {python}:\n{out.stderr}")
    driver, build = out.stdout.split()
    return driver, build


# ---------------------------------------------------------------------------
# log parsing

_UNITS = re.compile(r"stat::number_of_executed_units:\s*(\d+)")
_PROGRESS = re.compile(r"^#(\d+)\s", re.M)
_DONE = re.compile(r"^Done (\d+) runs", re.M)
_ARTIFACT = re.compile(r"Test unit written to (\S+)")
_ADDRESS = re.compile(r"0x[0-9a-fA-F]+")


def executed_units(log: str) -> int:
    counts = [int(m) for m in _UNITS.findall(log)]
    counts += [int(m) for m in _PROGRESS.findall(log)]
    counts += [int(m) for m in _DONE.findall(log)]
    return max(counts, default=0)


def signature(log: str) -> str:
    """A short, stable description of the crash in this log."""
    if "ALARM: working on the last Unit" in log or "ERROR: libFuzzer: timeout" in log:
        return "timeout"
    if "out-of-memory" in log:
        return "out-of-memory"
    marker = log.rfind("=== finding: full traceback ===")
    if marker < 0:
        marker = log.rfind("=== Uncaught Python exception: ===")
    if marker >= 0:
        block = log[marker:].split("\n\n==")[0]
        # a Finding wraps the real exception: its cause (the first block of a
        # chained traceback) says what went wrong and where
        block = block.split("The above exception was the direct cause")[0]
        lines = [ln for ln in block.splitlines()[1:] if ln.strip() and not ln.startswith("=")]
        frames = re.findall(r'File "([^"]+)", line (\d+), in (\S+)', block)
        where = ":".join((os.path.basename(frames[-1][0]),) + frames[-1][1:]) if frames else ""
        last = lines[-1].strip() if lines else "?"
        # one error-queue finding per call site, whatever OpenSSL's reason
        last = re.sub(r"(error queue left dirty):.*", r"\1", last)
        return _ADDRESS.sub("0x?", f"{last[:200]} @ {where}")
    if "deadly signal" in log or "Fatal Python error" in log or "Program crashed:" in log:
        # faulthandler's "Fatal Python error: Segmentation fault", the Swift
        # runtime's "Fatal error: <message>" (a trap) or its backtracer's
        # "*** Program crashed: <reason> ***"
        fatal = re.search(r"^(.*Fatal error: .*|\*\*\* Program crashed: .*|Fatal Python error: .*)$", log, re.M)
        frames = re.findall(r'File "([^"]+)", line (\d+) in (\w+)', log)
        top = " / ".join(f"{os.path.basename(f)}:{n}:{fn}" for f, n, fn in frames[:3])
        return _ADDRESS.sub("0x?", f"deadly signal: {fatal.group(1) if fatal else ''} {top}".strip())
    return "unknown"


def known_signatures(crash_dir: str) -> set[str]:
    found = set()
    for name in os.listdir(crash_dir):
        if name.endswith(".txt"):
            with open(os.path.join(crash_dir, name), encoding="utf-8", errors="replace") as f:
                first = f.readline()
            if first.startswith("signature: "):
                found.add(first[len("signature: ") :].rstrip("\n"))
    return found


# ---------------------------------------------------------------------------
# running


def run_target(name: str, args, env: dict, driver: str) -> tuple[int, int, list[str], bool]:
    """Returns (inputs executed, crashes (distinct signatures, including ones
    already on file), newly saved crash files, ran at all)."""
    script, max_len = TARGETS[name]
    work = os.path.join(args.work_dir, name)
    logs = os.path.join(args.work_dir, "logs")
    os.makedirs(work, exist_ok=True)
    os.makedirs(logs, exist_ok=True)
    os.makedirs(args.crash_dir, exist_ok=True)
    corpus = os.path.join(FUZZ_DIR, "corpus", name)
    dictionary = os.path.join(FUZZ_DIR, "dicts", name + ".dict")
    current = os.path.join(work, ".current-input")

    start = time.monotonic()
    executed, new_crashes, files, restarts = 0, 0, [], 0
    ran = False
    on_file = known_signatures(args.crash_dir)
    this_run: set[str] = set()
    last_sig, repeats = None, 0
    while True:
        remaining = args.seconds - (time.monotonic() - start)
        if remaining < 1 or restarts > args.max_restarts:
            break
        cmd = [
            args.python,
            os.path.join(FUZZ_DIR, script),
            work,
            corpus,
            f"-max_total_time={max(1, int(remaining))}",
            f"-rss_limit_mb={args.rss_limit_mb}",
            f"-timeout={args.timeout}",
            f"-max_len={max_len}",
            f"-artifact_prefix={os.path.join(args.crash_dir, name)}-",
            "-print_final_stats=1",
        ]
        if driver == "atheris" and os.path.exists(dictionary):
            cmd.append(f"-dict={dictionary}")
        cmd += args.libfuzzer_args
        stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%S")
        log_path = os.path.join(logs, f"{name}-{stamp}-{restarts}.log")
        run_env = dict(env, FUZZ_CURRENT_INPUT=current)
        print(f"[{name}] {int(remaining)} s: {' '.join(cmd[1:])}", flush=True)
        with open(log_path, "w+b") as log_file:
            proc = subprocess.Popen(cmd, cwd=work, env=run_env, stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT)
            try:
                rc = proc.wait(timeout=remaining + args.timeout + 120)
            except subprocess.TimeoutExpired:
                proc.kill()
                rc = proc.wait()
                log_file.write(b"\nrun.py: ERROR: libFuzzer: timeout (the whole process hung; killed)\n")
            log_file.seek(0)
            log = log_file.read().decode("utf-8", "replace")
        units = executed_units(log)
        executed += units
        ran = ran or units > 0
        artifacts = [p for p in _ARTIFACT.findall(log) if os.path.exists(p)]
        if rc != 0 and not artifacts:
            if units == 0 and "seed corpus" not in log and "files found in corpus" not in log:
                print(f"[{name}] could not start (rc {rc}); log {log_path}:\n{log[-3000:]}", file=sys.stderr)
                return executed, new_crashes, files, False
            # died without libFuzzer writing the input (hung and killed, or the
            # random driver died of a signal): keep the input mirrored on disk
            if os.path.exists(current):
                with open(current, "rb") as f:
                    raw = f.read()
                size = int.from_bytes(raw[:8], "little")
                data = raw[8 : 8 + size] if size <= len(raw) - 8 else b""
            else:
                data = b""
            path = os.path.join(args.crash_dir, f"{name}-crash-{hashlib.sha1(data).hexdigest()}")
            with open(path, "wb") as f:
                f.write(data)
            artifacts = [path]
        if not artifacts:
            print(f"[{name}] {units} inputs, no crash", flush=True)
            break
        sig = signature(log)
        repeats = repeats + 1 if sig == last_sig else 0
        last_sig = sig
        for path in artifacts:
            if sig in this_run or sig in on_file:
                if sig not in this_run:
                    this_run.add(sig)
                    new_crashes += 1  # a crash already on file, found again: still a failure
                print(f"[{name}] crash again: {sig}  (input not kept: already on file)", flush=True)
                if path not in files:
                    os.remove(path)
            else:
                this_run.add(sig)
                new_crashes += 1
                files.append(path)
                with open(path + ".txt", "w", encoding="utf-8") as f:
                    f.write(f"signature: {sig}\n")
                    check = "FUZZ_CHECK_ERR_QUEUE=1 " if env.get("FUZZ_CHECK_ERR_QUEUE") == "1" else ""
                    f.write(f"target: {name}\nreplay: {check}python fuzz/{script} --replay {os.path.relpath(path, os.path.dirname(FUZZ_DIR))}\n")
                    f.write(f"log: {log_path}\n\n")
                    f.write("\n".join(log.splitlines()[-200:]) + "\n")
                print(f"[{name}] CRASH: {sig}\n    saved {path} (+ .txt)", flush=True)
        restarts += 1
        if repeats >= 2:
            print(f"[{name}] the same crash three times in a row: not restarting again", flush=True)
            break
    return executed, new_crashes, files, ran


def append_results(path: str, rows: list[str]) -> None:
    new = not os.path.exists(path) or os.path.getsize(path) == 0
    with open(path, "a", encoding="utf-8") as f:
        if new:
            f.write(RESULTS_HEADER)
        for row in rows:
            f.write(row + "\n")


def summary(path: str) -> int:
    totals: dict[str, list[int]] = {}
    if not os.path.exists(path):
        print("no results yet")
        return 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) < 7 or not cells[3].isdigit():
                continue
            total = totals.setdefault(cells[1], [0, 0, 0])
            inputs, crashes = int(cells[3]), int(cells[4])
            total[0] += inputs
            total[1] += crashes
            total[2] = 0 if crashes else total[2] + inputs
    for target, (inputs, crashes, clean) in sorted(totals.items()):
        print(f"{target:24} {inputs:>12,} inputs  {crashes:>3} crashes  {clean:>12,} since the last crash  ({clean / 1e7:.1%} of 10^7)")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Run the OpenSSL.SSL fuzz targets.")
    parser.add_argument("--seconds", type=float, default=60, help="budget per target (default 60)")
    parser.add_argument("--target", action="append", choices=sorted(TARGETS), help="run only this target (repeatable)")
    parser.add_argument("--rss-limit-mb", type=int, default=2048)
    parser.add_argument("--timeout", type=int, default=25, help="seconds for one input before it is a hang")
    parser.add_argument("--max-restarts", type=int, default=20, help="restarts after crashes, per target")
    parser.add_argument("--python", default=sys.executable, help="interpreter to run the targets with")
    parser.add_argument("--results", default=os.path.join(FUZZ_DIR, "RESULTS.md"), help="file to append results to")
    parser.add_argument("--no-record", action="store_true", help="do not append to the results file")
    parser.add_argument("--crash-dir", default=os.path.join(FUZZ_DIR, "crashes"))
    parser.add_argument("--work-dir", default=os.path.join(FUZZ_DIR, ".work"), help="discovered corpus and logs")
    parser.add_argument("--summary", action="store_true", help="print the totals from the results file and exit")
    parser.add_argument("libfuzzer_args", nargs="*", help="extra libFuzzer flags, after --")
    args = parser.parse_args(argv)
    if args.summary:
        return summary(args.results)
    args.crash_dir = os.path.abspath(args.crash_dir)
    args.work_dir = os.path.abspath(args.work_dir)

    env = dict(os.environ)
    driver, build = probe(args.python, env)
    print(f"driver: {driver}   build: {build}", flush=True)
    rows, total_crashes, failed = [], 0, False
    for name in args.target or list(TARGETS):
        began = time.monotonic()
        executed, crashes, files, ran = run_target(name, args, env, driver)
        seconds = int(round(time.monotonic() - began))
        date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M")
        if not ran:
            failed = True
            continue
        total_crashes += crashes
        rows.append(f"| {date} | {name} | {seconds} | {executed} | {crashes} | {driver} | {build} |")
        print(f"[{name}] done: {executed} inputs in {seconds} s, {crashes} crash(es)", flush=True)
        for path in files:
            print(f"    {path}", flush=True)
    if rows and not args.no_record:
        append_results(args.results, rows)
    if failed:
        return 2
    return 1 if total_crashes else 0


if __name__ == "__main__":
    sys.exit(main())
