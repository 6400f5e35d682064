"""Fuzzer findings that were fixed, replayed so that they stay fixed.

Two ways to add one (fuzz/README.md has the details):
* move the crash input to fuzz/crashes-fixed/<target>-<anything> (the name must
  start with the target's name): every file there is replayed below;
* or paste the input into REGRESSIONS as a bytes literal.

Each input runs through the fuzz target's own checks (``--replay``) in a
subprocess, so a regression that kills the interpreter fails one test instead
of the suite. atheris is not needed for replaying. Inputs whose name contains
"-errqueue" were found with FUZZ_CHECK_ERR_QUEUE=1 (an OpenSSL error left on the
queue after a call) and replay with that check on.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.ours

ROOT = Path(__file__).resolve().parents[2]
FUZZ = ROOT / "fuzz"
FIXED = FUZZ / "crashes-fixed"
SCRIPTS = {
    "bytes_into_connection": "fuzz_bytes_into_connection.py",
    "api_sequences": "fuzz_api_sequences.py",
    "crypto_loaders": "fuzz_crypto_loaders.py",
}

# "what it was": (target, input bytes); names containing "errqueue" replay with
# FUZZ_CHECK_ERR_QUEUE=1
REGRESSIONS: dict[str, tuple[str, bytes]] = {}


def target_of(name: str) -> str | None:
    for target in sorted(SCRIPTS, key=len, reverse=True):
        if name.startswith(target + "-"):
            return target
    return None


def fixed_inputs() -> list[Path]:
    if not FIXED.is_dir():
        return []
    return sorted(p for p in FIXED.iterdir() if p.is_file() and not p.name.startswith(".") and p.suffix not in (".txt", ".md"))


def replay(target: str, path: Path, *, check_error_queue: bool = False) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if check_error_queue:
        env["FUZZ_CHECK_ERR_QUEUE"] = "1"
    return subprocess.run(
        [sys.executable, str(FUZZ / SCRIPTS[target]), "--replay", str(path)],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_fixed_crash_files_name_their_target():
    # holds (trivially) while fuzz/crashes-fixed/ is empty
    for path in fixed_inputs():
        assert target_of(path.name), f"{path.name}: name must start with one of {sorted(SCRIPTS)} and '-'"


@pytest.mark.parametrize("path", fixed_inputs(), ids=lambda p: p.name)
def test_fixed_crash_input_replays_cleanly(path):
    target = target_of(path.name)
    assert target, path.name
    proc = replay(target, path, check_error_queue="-errqueue" in path.name)
    assert proc.returncode == 0, f"{path.name} fails again (rc {proc.returncode}):\n{proc.stderr[-6000:]}"


@pytest.mark.parametrize("name", sorted(REGRESSIONS))
def test_regression_input_replays_cleanly(name, tmp_path):
    target, data = REGRESSIONS[name]
    path = tmp_path / "input"
    path.write_bytes(data)
    proc = replay(target, path, check_error_queue="errqueue" in name)
    assert proc.returncode == 0, f"{name} fails again (rc {proc.returncode}):\n{proc.stderr[-6000:]}"


def test_replay_harness_works(tmp_path):
    # the replay path itself: a seed input of each target runs cleanly
    for target in SCRIPTS:
        seeds = sorted((FUZZ / "corpus" / target).iterdir())
        assert seeds, f"no seed corpus for {target}"
        proc = replay(target, seeds[0])
        assert proc.returncode == 0, f"{target}: {proc.stderr[-4000:]}"
