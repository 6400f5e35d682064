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

The swift_* targets are libFuzzer binaries built from fuzz/swift/ (the Swift
core, OpenSSLCore, instrumented directly, with AddressSanitizer); they run only
when named with --target, and are built first (SwiftPM rebuilds only what
changed; --no-build uses the binaries as they are). RESULTS.md labels them
"libfuzzer-swift" with the SHA-256 of the fuzz binary as the build.
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
# libFuzzer targets on the Swift core, built from fuzz/swift/ (not part of the
# default set: run them with --target).
# name: (SwiftPM product, -max_len, atheris target whose corpus and dictionary
# also seed it (same input format), extra libFuzzer flags)
SWIFT_TARGETS = {
    "swift_bytes_into_connection": ("SwiftBytesIntoConnection", 16384, "bytes_into_connection", []),
    # OpenSSL 3.0's decoders keep memory across inputs (reachable, bounded), so
    # libFuzzer's per-input leak check would scan the heap after nearly every
    # input (16x slower); LeakSanitizer still checks the whole run at exit.
    "swift_certificate_loaders": ("SwiftCertificateLoaders", 8192, "crypto_loaders", ["-detect_leaks=0"]),
}
SWIFT_PACKAGE = os.path.join(FUZZ_DIR, "swift")
SWIFT_BUILD_FLAGS = ["-c", "release", "--sanitize=fuzzer", "-Xswiftc", "-sanitize=fuzzer,address"]
SWIFT_DRIVER = "libfuzzer-swift"
# --no-asan: coverage only, ~2.8x the inputs/s; its own scratch directory, so
# switching does not rebuild everything
SWIFT_BUILD_FLAGS_NO_ASAN = ["-c", "release", "--sanitize=fuzzer"]
SWIFT_DRIVER_NO_ASAN = "libfuzzer-swift-noasan"
RESULTS_HEADER = """# Fuzzing results

One line per target per `fuzz/run.py` run, appended by the runner (see README.md).
Goal (issue 7): 10^7 inputs in total, all targets together, without a crash. `build` is the first 12
hex digits of the SHA-256 of the fuzzed `OpenSSL/SSL*.so`; `driver` is atheris
(coverage-guided) or random (the pure-Python fallback); for libfuzzer-swift
(the swift_* targets) it is the SHA-256 of the fuzz binary.

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


_FRAME = re.compile(r"^\s*#\d+ 0x[0-9a-f]+ in (\S+) (\S+?):(\d+)(?::\d+)?$", re.M)


def _swift_frame(log: str) -> str:
    """The innermost stack frame in our own Swift code (the core first, then
    the harness), as "File.swift:line"."""
    frames = [(fn, path, line) for fn, path, line in _FRAME.findall(log) if path.endswith(".swift")]
    for wanted in ("/Sources/OpenSSLCore/", "/fuzz/swift/Sources/"):
        for fn, path, line in frames:
            if wanted in path and not path.endswith("FuzzSupport.swift"):
                return f"{os.path.basename(path)}:{line}"
    return ""


def swift_signature(log: str) -> str:
    """signature() for the libFuzzer binaries of fuzz/swift/."""
    if "ALARM: working on the last Unit" in log or "ERROR: libFuzzer: timeout" in log:
        return "timeout"
    if "out-of-memory" in log:
        return "out-of-memory"
    where = _swift_frame(log)
    finding = re.search(r"^=== finding: (.*) ===$", log, re.M)
    if finding:
        what = "finding: " + finding.group(1)[:200]
    elif "ERROR: LeakSanitizer" in log:
        what = "leak"
    elif (asan := re.search(r"ERROR: AddressSanitizer: ([\w-]+)", log)) is not None:
        what = "AddressSanitizer: " + asan.group(1)
    elif (fatal := re.search(r"Fatal error: (.*)$", log, re.M)) is not None:
        what = "Swift fatal error: " + fatal.group(1)[:200]
    elif "deadly signal" in log:
        what = "deadly signal"
    else:
        what = "unknown"
    return _ADDRESS.sub("0x?", f"{what} @ {where}" if where else what)


def swift_binary(product: str, args) -> str | None:
    """Builds (unless --no-build) and returns the path of a fuzz/swift product."""
    swift = shutil.which("swift")
    if swift is None:
        print("swift not found on PATH (the toolchain with libFuzzer, e.g. /opt/swift/usr/bin)", file=sys.stderr)
        return None
    flags = SWIFT_BUILD_FLAGS_NO_ASAN if args.no_asan else SWIFT_BUILD_FLAGS
    scratch = os.path.join(SWIFT_PACKAGE, ".build-noasan" if args.no_asan else ".build")
    common = ["--package-path", SWIFT_PACKAGE, "--scratch-path", scratch] + flags
    if not args.no_build:
        print(f"[{product}] swift build {' '.join(flags)} --product {product}", flush=True)
        built = subprocess.run([swift, "build", *common, "--product", product], stdin=subprocess.DEVNULL,
                               capture_output=True, text=True)
        if built.returncode != 0:
            print(f"[{product}] build failed:\n{(built.stdout + built.stderr)[-4000:]}", file=sys.stderr)
            return None
    shown = subprocess.run([swift, "build", *common, "--show-bin-path"], stdin=subprocess.DEVNULL, capture_output=True, text=True)
    path = os.path.join(shown.stdout.strip(), product)
    if shown.returncode != 0 or not os.path.exists(path):
        print(f"[{product}] no binary at {path!r}{' (built with --no-build?)' if args.no_build else ''}", file=sys.stderr)
        return None
    return path


def file_hash(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:12]


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


def run_target(name: str, args, env: dict, driver: str, binary: str | None = None) -> tuple[int, int, list[str], bool]:
    """Returns (inputs executed, crashes (distinct signatures, including ones
    already on file), newly saved crash files, ran at all). `binary` is the
    libFuzzer executable of a swift_* target."""
    swift = name in SWIFT_TARGETS
    if swift:
        product, max_len, twin, extra_flags = SWIFT_TARGETS[name]
        # its own seeds (fuzz/swift/corpus/<name>/), then the atheris twin's
        # corpus (same input format)
        seeds = [os.path.join(SWIFT_PACKAGE, "corpus", name), os.path.join(FUZZ_DIR, "corpus", twin)]
        seeds = [d for d in seeds if os.path.isdir(d)]
        dictionary = os.path.join(FUZZ_DIR, "dicts", twin + ".dict")
        replay = f"{os.path.relpath(binary, os.path.dirname(FUZZ_DIR))} -runs=1"
        find_signature = swift_signature
    else:
        script, max_len = TARGETS[name]
        seeds = [os.path.join(FUZZ_DIR, "corpus", name)]
        dictionary = os.path.join(FUZZ_DIR, "dicts", name + ".dict")
        find_signature = signature
    work = os.path.join(args.work_dir, name)
    logs = os.path.join(args.work_dir, "logs")
    os.makedirs(work, exist_ok=True)
    os.makedirs(logs, exist_ok=True)
    os.makedirs(args.crash_dir, exist_ok=True)
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
        if swift:
            launcher = [binary, work, *seeds]
        else:
            launcher = [args.python, os.path.join(FUZZ_DIR, script), work, *seeds]
        cmd = launcher + [
            f"-max_total_time={max(1, int(remaining))}",
            f"-rss_limit_mb={args.rss_limit_mb}",
            f"-timeout={args.timeout}",
            f"-max_len={max_len}",
            f"-artifact_prefix={os.path.join(args.crash_dir, name)}-",
            "-print_final_stats=1",
        ]
        if driver in ("atheris", SWIFT_DRIVER, SWIFT_DRIVER_NO_ASAN) and os.path.exists(dictionary):
            cmd.append(f"-dict={dictionary}")
        if swift:
            cmd += extra_flags
        cmd += args.libfuzzer_args
        stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%S")
        log_path = os.path.join(logs, f"{name}-{stamp}-{restarts}.log")
        # The Swift runtime's backtracer (in the Swift fuzzers, and linked
        # into the extension the atheris targets load) would take fatal
        # signals from libFuzzer and faulthandler, which then save no crash
        # input, and its helper process can hang; without it libFuzzer reports
        # a "deadly signal" and saves the input.
        run_env = dict(env, FUZZ_CURRENT_INPUT=current, SWIFT_BACKTRACE="enable=no")
        print(f"[{name}] {int(remaining)} s: {' '.join(cmd[1:] if not swift else cmd)}", flush=True)
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
        # libFuzzer also writes inputs that merely ran long ("slow-unit-"):
        # not failures; they go to the work directory, not crashes/
        for path in [p for p in artifacts if os.path.basename(p).startswith(f"{name}-slow-unit-")]:
            artifacts.remove(path)
            shutil.move(path, os.path.join(work, os.path.basename(path)))
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
        sig = find_signature(log)
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
                    relative = os.path.relpath(path, os.path.dirname(FUZZ_DIR))
                    if swift:
                        f.write(f"target: {name}\nreplay: {check}SWIFT_BACKTRACE=enable=no {replay} {relative}\n")
                        done = _DONE.search(log)
                        if done and "ERROR: LeakSanitizer" in log[done.end():]:
                            f.write("note: found by LeakSanitizer's check at exit, so the input saved is not the one that "
                                    f"leaked; look for it with {replay} -detect_leaks=1 fuzz/.work/{name}/\n")
                    else:
                        f.write(f"target: {name}\nreplay: {check}python fuzz/{script} --replay {relative}\n")
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
        print(f"{target:28} {inputs:>12,} inputs  {crashes:>3} crashes  {clean:>12,} since the last crash  ({clean / 1e7:.1%} of 10^7)")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Run the OpenSSL.SSL fuzz targets.")
    parser.add_argument("--seconds", type=float, default=60, help="budget per target (default 60)")
    parser.add_argument("--target", action="append", choices=sorted(TARGETS) + sorted(SWIFT_TARGETS),
                        help="run only this target (repeatable); the swift_* ones run only when named")
    parser.add_argument("--rss-limit-mb", type=int, default=2048)
    parser.add_argument("--timeout", type=int, default=25, help="seconds for one input before it is a hang")
    parser.add_argument("--max-restarts", type=int, default=20, help="restarts after crashes, per target")
    parser.add_argument("--python", default=sys.executable, help="interpreter to run the targets with")
    parser.add_argument("--results", default=os.path.join(FUZZ_DIR, "RESULTS.md"), help="file to append results to")
    parser.add_argument("--no-record", action="store_true", help="do not append to the results file")
    parser.add_argument("--crash-dir", default=os.path.join(FUZZ_DIR, "crashes"))
    parser.add_argument("--work-dir", default=os.path.join(FUZZ_DIR, ".work"), help="discovered corpus and logs")
    parser.add_argument("--summary", action="store_true", help="print the totals from the results file and exit")
    parser.add_argument("--no-build", action="store_true", help="swift_* targets: run the binaries as built, do not build")
    parser.add_argument("--no-asan", action="store_true",
                        help="swift_* targets: build without AddressSanitizer (~2.8x the inputs/s; memory errors "
                             "in the core's unsafe code are then caught only if they crash)")
    parser.add_argument("libfuzzer_args", nargs="*", help="extra libFuzzer flags, after --")
    args = parser.parse_args(argv)
    if args.summary:
        return summary(args.results)
    args.crash_dir = os.path.abspath(args.crash_dir)
    args.work_dir = os.path.abspath(args.work_dir)

    env = dict(os.environ)
    names = args.target or list(TARGETS)
    if any(name in TARGETS for name in names):
        python_driver, python_build = probe(args.python, env)
        print(f"driver: {python_driver}   build: {python_build}", flush=True)
    rows, total_crashes, failed = [], 0, False
    for name in names:
        binary = None
        if name in SWIFT_TARGETS:
            binary = swift_binary(SWIFT_TARGETS[name][0], args)
            if binary is None:
                failed = True
                continue
            driver, build = SWIFT_DRIVER_NO_ASAN if args.no_asan else SWIFT_DRIVER, file_hash(binary)
            print(f"[{name}] driver: {driver}   build: {build}   binary: {binary}", flush=True)
        else:
            driver, build = python_driver, python_build
        began = time.monotonic()
        executed, crashes, files, ran = run_target(name, args, env, driver, binary)
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
