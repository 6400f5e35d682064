"""Per-test time limit (a pytest plugin, loaded by conftest.py).

A test that runs too long fails alone and the run goes on: once a test's
setup and call have used up TIME_LIMIT seconds (its teardown gets
TEARDOWN_LIMIT more), a watchdog thread sends SIGUSR2 to the main thread,
whose handler raises pytest's Failed wherever the test is (a blocking
system call is interrupted by the signal). If the test swallows that, the
signal comes again every REPEAT seconds.

Only a process so wedged that the handler never runs (stuck in C without
returning to the interpreter) is left to the last resort: LAST_RESORT_GRACE
seconds after the limit and the teardown allowance, faulthandler writes
every thread's stack to the run's real stderr (not pytest's capture, which
dies with the process) and ends the run.

The limit stays above the longest wait the suite bounds itself: a child
process is given up to 390 s (test_leaks.py at the default LEAK_SCALE;
test_bad_input.py 240 s, test_fuzz_short.py 220 s at the default
FUZZ_SECONDS, test_threads.py and test_fuzz_regressions.py 120 s), so the
child's own timeout fires first and reports what it knows. A test that
legitimately needs longer calls allow_more_time(seconds);
COMPAT_TEST_TIME_LIMIT overrides the default.

SIGUSR2 rather than SIGALRM: the signal tests (test_signals.py) use SIGALRM
and the process's single real-time interval timer.
"""

from __future__ import annotations

import faulthandler
import os
import signal
import threading
import time

import pytest

TIME_LIMIT = float(os.environ.get("COMPAT_TEST_TIME_LIMIT", "450"))
# The other bounds shrink with a small limit (test_suite_guards.py uses 1 s).
TEARDOWN_LIMIT = min(60.0, TIME_LIMIT)
REPEAT = min(10.0, TIME_LIMIT)
LAST_RESORT_GRACE = min(60.0, TIME_LIMIT)
SIGNAL = signal.SIGUSR2


class _Watchdog:
    """One thread for the whole run. arm() sets the deadline of the phase
    that is running, disarm() clears it; fired() says whether the signal
    now arriving is for the phase still armed (and not a late one)."""

    def __init__(self):
        self._condition = threading.Condition()
        self._deadline = None
        self._fired = False
        self.message = ""
        self._main = threading.main_thread().ident
        threading.Thread(target=self._run, name="slow_test_guard", daemon=True).start()

    def arm(self, seconds: float, message: str) -> None:
        with self._condition:
            self._deadline = time.monotonic() + max(seconds, 0.0)
            self._fired = False
            self.message = message
            self._condition.notify()

    def disarm(self) -> None:
        with self._condition:
            self._deadline = None
            self._fired = False
            self._condition.notify()

    def fired(self) -> bool:
        with self._condition:
            return self._fired

    def _run(self) -> None:
        with self._condition:
            while True:
                if self._deadline is None:
                    self._condition.wait()
                    continue
                left = self._deadline - time.monotonic()
                if left > 0:
                    self._condition.wait(left)
                    continue
                self._fired = True
                self._deadline = time.monotonic() + REPEAT
                signal.pthread_kill(self._main, SIGNAL)


_watchdog: _Watchdog | None = None
_test_deadline = 0.0
_test_limit = TIME_LIMIT


def _on_signal(signum, frame):
    if _watchdog is not None and _watchdog.fired():
        pytest.fail(_watchdog.message)


# The run's real stderr: pytest captures fd 2 around tests, and what goes
# there is lost when faulthandler ends the process.
_stderr_fd = 2


def _arm_last_resort(seconds: float) -> None:
    faulthandler.dump_traceback_later(seconds + LAST_RESORT_GRACE, exit=True, file=_stderr_fd)


def _arm(seconds: float, what: str, limit: float) -> None:
    if _watchdog is not None:
        _watchdog.arm(seconds, "%s ran past its %.0f s limit: stopped by slow_test_guard "
                      "(COMPAT_TEST_TIME_LIMIT, allow_more_time)" % (what, limit))


def allow_more_time(seconds: float) -> None:
    """Let the running test go on for *seconds* from now (a test whose own
    bound is longer than the default limit calls this first)."""
    global _test_deadline, _test_limit
    now = time.monotonic()
    if now + seconds <= _test_deadline:
        return
    _test_limit += now + seconds - _test_deadline
    _test_deadline = now + seconds
    _arm_last_resort(seconds + TEARDOWN_LIMIT)
    _arm(seconds, "the test", _test_limit)


def pytest_configure(config):
    global _watchdog, _stderr_fd
    # pytest captures fd 2 while it loads conftests and runs tests, not now
    _stderr_fd = os.dup(2)
    if threading.current_thread() is not threading.main_thread():
        return  # signal handlers need the main thread: the last resort only
    signal.signal(SIGNAL, _on_signal)
    _watchdog = _Watchdog()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    global _test_deadline, _test_limit
    _test_limit = TIME_LIMIT
    _test_deadline = time.monotonic() + TIME_LIMIT
    _arm_last_resort(TIME_LIMIT + TEARDOWN_LIMIT)
    try:
        return (yield)
    finally:
        faulthandler.cancel_dump_traceback_later()


def _guarded_phase(seconds: float, what: str, limit: float):
    _arm(seconds, what, limit)
    try:
        return (yield)
    finally:
        if _watchdog is not None:
            _watchdog.disarm()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    return (yield from _guarded_phase(_test_deadline - time.monotonic(), "the test's setup", _test_limit))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    return (yield from _guarded_phase(_test_deadline - time.monotonic(), "the test", _test_limit))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    return (yield from _guarded_phase(TEARDOWN_LIMIT, "the test's teardown", TEARDOWN_LIMIT))
