"""A short fuzzing run of each target in fuzz/ against the build under test.

fuzz/run.py runs the target (atheris/libFuzzer, seeded from fuzz/corpus/) for
FUZZ_SECONDS seconds (default 20) and exits non-zero on any crash, unexpected
exception type, hang or out-of-memory. Crash inputs land in fuzz/crashes/ with a
.txt describing them (see fuzz/README.md). ATHERIS_RUNS=N caps the number of
inputs instead (still within the time budget). FUZZ_RECORD=1 appends the run to
fuzz/RESULTS.md; by default the test leaves the tree unchanged.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from slow_test_guard import allow_more_time

pytestmark = pytest.mark.ours

pytest.importorskip("atheris", reason="atheris is not installed (pip install atheris)")

ROOT = Path(__file__).resolve().parents[2]
RUNNER = ROOT / "fuzz" / "run.py"
TARGETS = ["bytes_into_connection", "api_sequences", "crypto_loaders"]


@pytest.mark.parametrize("target", TARGETS)
def test_fuzz_target_short_run(target, tmp_path):
    seconds = float(os.environ.get("FUZZ_SECONDS", "20"))
    # A long FUZZ_SECONDS needs longer than the per-test limit.
    allow_more_time(seconds + 240)
    cmd = [
        sys.executable,
        str(RUNNER),
        "--seconds",
        str(seconds),
        "--target",
        target,
        "--work-dir",
        str(tmp_path / "work"),
    ]
    if os.environ.get("FUZZ_RECORD") != "1":
        cmd.append("--no-record")
    runs = os.environ.get("ATHERIS_RUNS")
    if runs:
        cmd += ["--", f"-runs={int(runs)}"]
    proc = subprocess.run(
        cmd,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=seconds + 200,
    )
    report = proc.stdout[-6000:] + proc.stderr[-4000:]
    if proc.returncode == 1:
        # show what was found: the .txt files next to the saved inputs
        details = []
        for line in proc.stdout.splitlines():
            path = line.strip()
            if path.endswith(tuple("0123456789abcdef")) and os.path.exists(path + ".txt"):
                details.append(Path(path + ".txt").read_text(errors="replace")[-4000:])
        report += "\n\n".join(details)
    assert proc.returncode == 0, f"fuzz/run.py --target {target} failed (rc {proc.returncode}):\n{report}"
    assert "inputs in" in proc.stdout, report
