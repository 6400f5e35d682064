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


def replay_cases() -> list:
    """One case per fixed input, files and REGRESSIONS literals alike: a
    single parametrisation, so an empty REGRESSIONS adds no always-skipped
    [NOTSET] case (pytest makes one for an empty parameter list)."""
    cases = [pytest.param(path.name, target_of(path.name), path, id=path.name)
             for path in fixed_inputs()]
    cases += [pytest.param(name, target, data, id="literal-" + name)
              for name, (target, data) in sorted(REGRESSIONS.items())]
    return cases


def test_fixed_inputs_exist_and_name_their_target():
    # crashes-fixed/ holds the inputs of fixed findings (fuzz/FINDINGS.md)
    assert fixed_inputs(), f"no fixed crash inputs in {FIXED}"
    for path in fixed_inputs():
        assert target_of(path.name), f"{path.name}: name must start with one of {sorted(SCRIPTS)} and '-'"


@pytest.mark.parametrize("name,target,source", replay_cases())
def test_fixed_input_replays_cleanly(name, target, source, tmp_path):
    assert target, name
    if isinstance(source, bytes):
        path = tmp_path / "input"
        path.write_bytes(source)
    else:
        path = source
    proc = replay(target, path, check_error_queue="errqueue" in name)
    assert proc.returncode == 0, f"{name} fails again (rc {proc.returncode}):\n{proc.stderr[-6000:]}"


def test_replay_harness_works(tmp_path):
    # the replay path itself: a seed input of each target runs cleanly
    for target in SCRIPTS:
        seeds = sorted((FUZZ / "corpus" / target).iterdir())
        assert seeds, f"no seed corpus for {target}"
        proc = replay(target, seeds[0])
        assert proc.returncode == 0, f"{target}: {proc.stderr[-4000:]}"
