"""The suite's own guards, each shown working in a pytest subprocess.

* slow_test_guard.py: a test that runs past its limit fails alone, whether
  it sleeps, blocks in a system call or swallows the first failure, and the
  next test still runs; a process the signal cannot reach is ended by the
  faulthandler last resort, with every thread's stack on stderr.
* test_third_party.py: a missing library skips the file on a developer's
  machine but fails collection in CI.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The variables that make test_third_party.py require its libraries.
STRICT_VARIABLES = ("CI", "TOX_ENV_NAME", "SWIFT_PYOPENSSL_WHEEL_TEST")


def _pythonpath(first) -> str:
    """*first*, then whatever PYTHONPATH this run has (scripts/asan-test finds
    the module under test through it)."""
    return os.pathsep.join(part for part in (str(first), os.environ.get("PYTHONPATH", "")) if part)


def run_pytest(args, *, cwd, env_changes, timeout=60):
    env = {k: v for k, v in os.environ.items() if k not in STRICT_VARIABLES}
    env.update(env_changes)
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
        cwd=cwd, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout,
    )
    return proc, time.monotonic() - started


SLOW_TESTS = '''
import signal, socket, time

def test_sleeps():
    time.sleep(30)

def test_blocks_in_a_system_call():
    a, b = socket.socketpair()
    a.recv(1)  # nobody writes: blocks until the signal interrupts it

def test_swallows_the_first_failure():
    try:
        time.sleep(30)
    except BaseException:
        pass
    time.sleep(30)  # the signal comes again

def test_next_one_still_runs():
    pass
'''


def guarded_run(tmp_path, source):
    (tmp_path / "test_guarded.py").write_text(textwrap.dedent(source))
    return run_pytest(["-p", "slow_test_guard", "-v", "test_guarded.py"], cwd=tmp_path,
                      env_changes={"COMPAT_TEST_TIME_LIMIT": "1", "PYTHONPATH": _pythonpath(HERE)})


def test_a_slow_test_fails_alone_and_the_next_one_runs(tmp_path):
    proc, seconds = guarded_run(tmp_path, SLOW_TESTS)
    out = proc.stdout
    for name in ("test_sleeps", "test_blocks_in_a_system_call", "test_swallows_the_first_failure"):
        assert f"test_guarded.py::{name} FAILED" in out, out
    assert "test_guarded.py::test_next_one_still_runs PASSED" in out, out
    assert out.count("the test ran past its 1 s limit: stopped by slow_test_guard") == 3, out
    assert "3 failed, 1 passed" in out, out
    assert proc.returncode == 1
    assert seconds < 20, seconds  # ~1 s per slow test (2 for the swallower), not 30


WEDGED_TEST = '''
import signal, time

def test_wedged():
    # the watchdog's signal can no longer get in: as if stuck in C code
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR2})
    time.sleep(30)

def test_never_reached():
    pass
'''


def test_a_wedged_process_is_ended_by_the_last_resort(tmp_path):
    proc, seconds = guarded_run(tmp_path, WEDGED_TEST)
    # limit 1 s + teardown 1 s + grace 1 s, then faulthandler ends the run
    assert "Timeout (0:00:03)!" in proc.stderr, proc.stderr
    assert "in test_wedged" in proc.stderr, proc.stderr
    assert "test_never_reached" not in proc.stdout
    assert proc.returncode != 0
    assert seconds < 20, seconds


def test_missing_third_party_library_skips_locally_and_fails_in_ci(tmp_path):
    # A trustme that is "not installed", first on the path.
    (tmp_path / "trustme.py").write_text(
        'raise ModuleNotFoundError("No module named trustme (hidden for this test)", name="trustme")\n')
    target = str(HERE / "test_third_party.py")
    local, _ = run_pytest(["-q", "-rs", target], cwd=HERE, env_changes={"PYTHONPATH": _pythonpath(tmp_path)})
    assert local.returncode == 5, local.stdout + local.stderr  # 5: no tests collected
    assert "1 skipped" in local.stdout and "could not import 'trustme'" in local.stdout, local.stdout
    ci, _ = run_pytest(["-q", target], cwd=HERE, env_changes={"PYTHONPATH": _pythonpath(tmp_path), "CI": "true"})
    assert ci.returncode != 0
    assert "trustme is required here" in ci.stdout, ci.stdout
    assert "1 error" in ci.stdout, ci.stdout
