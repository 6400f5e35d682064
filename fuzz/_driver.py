"""Entry point shared by the fuzz targets.

Standard library only: this module runs *before* the target (and so OpenSSL) is
imported, so that atheris can instrument the Python code it then imports.

    python fuzz/fuzz_X.py [libFuzzer flags] [CORPUS_DIR ...]   # fuzz (atheris)
    python fuzz/fuzz_X.py FILE ...                             # run inputs once
    python fuzz/fuzz_X.py --replay FILE ...                    # same, no atheris needed

Without atheris (or with FUZZ_DRIVER=random) a pure-Python *random* driver runs
instead: no coverage guidance, just mutations of the corpus files and random
inputs, with the same flags, the same artifacts and libFuzzer-style stats lines.
It says so on its first line.
"""

from __future__ import annotations

import faulthandler
import hashlib
import importlib
import mmap
import os
import random
import struct
import sys
import time
import traceback

FUZZ_DIR = os.path.dirname(os.path.abspath(__file__))

# Python packages whose code atheris instruments (coverage comes only from Python:
# the Swift extension itself is not instrumented).
INSTRUMENT = ["OpenSSL", "_common", "_fdp"]


def _enable_faulthandler() -> None:
    """Python stacks on fatal signals. FUZZ_FAULTHANDLER=0 leaves the signal to
    the Swift runtime's backtracer alone, whose backtrace then starts at the
    faulting instruction instead of at faulthandler's re-raise."""
    if os.environ.get("FUZZ_FAULTHANDLER", "1") != "0":
        faulthandler.enable(all_threads=True)


def _have_atheris() -> bool:
    if os.environ.get("FUZZ_DRIVER") == "random":
        return False
    try:
        import atheris  # noqa: F401
    except ImportError:
        return False
    return True


def main(target: str) -> None:
    if FUZZ_DIR not in sys.path:
        sys.path.insert(0, FUZZ_DIR)
    argv = sys.argv[1:]
    if argv and argv[0] == "--replay":
        _enable_faulthandler()
        module = importlib.import_module(target)
        sys.exit(replay(module.TestOneInput, argv[1:]))
    if _have_atheris():
        import atheris

        with atheris.instrument_imports(include=INSTRUMENT + [target]):
            module = importlib.import_module(target)
        _announce(module)
        atheris.Setup([sys.argv[0]] + argv, _wrap(module.TestOneInput, argv))
        atheris.Fuzz()
        sys.exit(0)
    module = importlib.import_module(target)
    _announce(module)
    _enable_faulthandler()
    sys.exit(random_driver(module.TestOneInput, argv))


def _mirror(max_len: int):
    """A memory-mapped file that holds the input being run (8-byte length, then
    the bytes), so that run.py can save it when the process dies in a way that
    keeps libFuzzer from writing the artifact. That happens with our extension:
    the Swift runtime's backtracer installs SIGSEGV/SIGILL/... handlers when the
    module loads, and libFuzzer leaves signal handlers that exist alone."""
    path = os.environ.get("FUZZ_CURRENT_INPUT")
    if not path:
        return None
    with open(path, "wb") as f:
        f.write(b"\0" * (max_len + 8))
    fd = os.open(path, os.O_RDWR)
    try:
        return mmap.mmap(fd, max_len + 8)
    finally:
        os.close(fd)


def _max_len(argv, default=8192) -> int:
    for arg in argv:
        if arg.startswith("-max_len="):
            return int(arg.split("=", 1)[1])
    return default


def _wrap(test_one_input, argv):
    """Print the whole (chained) traceback of a finding, dump the Python stack
    on a fatal signal (faulthandler, then the handler that was there before:
    libFuzzer's or the Swift backtracer's), and mirror each input to disk."""
    state = {"armed": False}
    max_len = _max_len(argv)
    current = _mirror(max_len)

    def run(data: bytes) -> None:
        if not state["armed"]:
            _enable_faulthandler()
            state["armed"] = True
        if current is not None and len(data) <= max_len:
            current[:8] = struct.pack("<Q", len(data))
            current[8 : 8 + len(data)] = data
        try:
            test_one_input(data)
        except BaseException:
            print("\n=== finding: full traceback ===", file=sys.stderr)
            traceback.print_exc()
            sys.stderr.flush()
            raise

    return run


def _announce(module) -> None:
    # Everything alive now lives for the whole run: keep it out of the cyclic
    # GC's way, so the targets' gc.collect() calls only scan per-input objects.
    import gc

    gc.collect()
    gc.freeze()
    ssl = sys.modules.get("OpenSSL.SSL")
    where = getattr(ssl, "__file__", "?")
    print(f"INFO: fuzzing OpenSSL.SSL from {where}", file=sys.stderr, flush=True)


def replay(test_one_input, paths) -> int:
    """Run each file once; the first unexpected exception ends the run (rc 1)."""
    for path in paths:
        with open(path, "rb") as f:
            data = f.read()
        print(f"Running: {path} ({len(data)} bytes)", file=sys.stderr, flush=True)
        try:
            test_one_input(data)
        except BaseException:
            traceback.print_exc()
            print(f"FAILED: {path}", file=sys.stderr, flush=True)
            return 1
    print(f"Executed {len(paths)} inputs", file=sys.stderr, flush=True)
    return 0


# ---------------------------------------------------------------------------
# pure-Python random driver (fallback when atheris is not available)


def _parse_flags(argv):
    flags, dirs, files = {}, [], []
    for arg in argv:
        if arg.startswith("-") and "=" in arg:
            key, value = arg.lstrip("-").split("=", 1)
            flags[key] = value
        elif os.path.isdir(arg):
            dirs.append(arg)
        elif os.path.isfile(arg):
            files.append(arg)
    return flags, dirs, files


_INTERESTING = [0, 1, 0x7F, 0x80, 0xFF, 0x16, 0x17, 0x15, 0x14, 0x03, 0x01, 0x00]


def _mutate(rng: random.Random, data: bytes, pool, max_len: int) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        choice = rng.randrange(9)
        if choice == 0 and buf:  # flip a bit
            i = rng.randrange(len(buf))
            buf[i] ^= 1 << rng.randrange(8)
        elif choice == 1 and buf:  # set an interesting byte
            buf[rng.randrange(len(buf))] = rng.choice(_INTERESTING)
        elif choice == 2:  # insert random bytes
            i = rng.randint(0, len(buf))
            buf[i:i] = os.urandom(rng.randint(1, 8))
        elif choice == 3 and buf:  # delete a range
            i = rng.randrange(len(buf))
            del buf[i : i + rng.randint(1, 16)]
        elif choice == 4 and buf:  # truncate
            del buf[rng.randrange(len(buf)) :]
        elif choice == 5 and pool:  # splice with another corpus file
            other = rng.choice(pool)
            i = rng.randint(0, len(buf))
            j = rng.randint(0, len(other))
            buf = buf[:i] + other[j:]
        elif choice == 6 and buf:  # duplicate a chunk
            i = rng.randrange(len(buf))
            buf[i:i] = buf[i : i + rng.randint(1, 64)]
        elif choice == 7 and len(buf) >= 2:  # overwrite a 16-bit length-like field
            i = rng.randrange(len(buf) - 1)
            buf[i : i + 2] = struct.pack(">H", rng.choice([0, 1, 0xFF, 0x100, 0x4000, 0xFFFF, rng.randrange(65536)]))
        elif buf:  # arithmetic on a byte
            i = rng.randrange(len(buf))
            buf[i] = (buf[i] + rng.randint(-16, 16)) & 0xFF
    return bytes(buf[:max_len])


def random_driver(test_one_input, argv) -> int:
    flags, dirs, files = _parse_flags(argv)
    if files and not dirs:
        return replay(test_one_input, files)
    print(
        "INFO: pure-Python random driver (atheris not available or FUZZ_DRIVER=random):"
        " no coverage guidance",
        file=sys.stderr,
        flush=True,
    )
    max_time = float(flags.get("max_total_time", "0") or 0)
    runs = int(flags.get("runs", "-1"))
    max_len = int(flags.get("max_len", "8192"))
    seed = int(flags.get("seed", "0")) or int.from_bytes(os.urandom(4), "little")
    prefix = flags.get("artifact_prefix", "./")
    rng = random.Random(seed)
    print(f"INFO: Seed: {seed}", file=sys.stderr, flush=True)

    pool = []
    for d in dirs:
        for name in sorted(os.listdir(d)):
            path = os.path.join(d, name)
            if os.path.isfile(path) and not name.startswith("."):
                with open(path, "rb") as f:
                    pool.append(f.read()[:max_len])
    print(f"INFO: {len(pool)} files found in corpus", file=sys.stderr, flush=True)

    # The input being run is mirrored into a memory-mapped file so that the
    # runner can still save it if the process dies of a signal.
    current = _mirror(max_len)

    start = time.monotonic()
    executed = 0
    next_pulse = 2
    queue = list(pool)  # run the seeds first, as libFuzzer does
    while True:
        if runs >= 0 and executed >= runs:
            break
        if max_time and time.monotonic() - start >= max_time:
            break
        if queue:
            data = queue.pop(0)
        elif pool and rng.random() < 0.9:
            data = _mutate(rng, rng.choice(pool), pool, max_len)
        else:
            data = os.urandom(rng.randint(0, min(max_len, 512)))
        if current is not None:
            current[:8] = struct.pack("<Q", len(data))
            current[8 : 8 + len(data)] = data
        try:
            test_one_input(data)
        except BaseException:
            print("\n=== Uncaught Python exception: ===", file=sys.stderr)
            traceback.print_exc()
            name = prefix + "crash-" + hashlib.sha1(data).hexdigest()
            with open(name, "wb") as f:
                f.write(data)
            print(f"artifact_prefix='{prefix}'; Test unit written to {name}", file=sys.stderr)
            print(f"stat::number_of_executed_units: {executed + 1}", file=sys.stderr, flush=True)
            return 1
        executed += 1
        if executed >= next_pulse:
            rate = executed / max(time.monotonic() - start, 1e-9)
            print(f"#{executed}\tpulse  exec/s: {rate:.0f}", file=sys.stderr, flush=True)
            next_pulse *= 2
    elapsed = time.monotonic() - start
    print(
        f"#{executed}\tDONE   exec/s: {executed / max(elapsed, 1e-9):.0f}",
        file=sys.stderr,
    )
    print(f"Done {executed} runs in {int(elapsed)} second(s)", file=sys.stderr)
    print(f"stat::number_of_executed_units: {executed}", file=sys.stderr, flush=True)
    return 0
