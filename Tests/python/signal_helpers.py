"""Plumbing for test_signals.py: SIGALRM sources whose handler raises or
counts, a way to name what came out of an interrupted call, and peers that
act late from threads that never take the signal.

Only the main thread runs Python signal handlers, so the Connection under
test is always driven by the main thread.
"""

from __future__ import annotations

import contextlib
import signal
import socket
import threading
import time

from socket_helpers import arm_watchdog, set_mode

ROUNDS = 200
# First ticks from 10 us to ~1 ms: some land before the call blocks, most
# while it waits.
DELAYS = [10e-6 * (1 + (i * 7) % 100) for i in range(ROUNDS)]
TICK = 0.002
# A peer that answers late: long enough for many ticks to interrupt the wait.
PEER_DELAY = 0.1
# The kernel watchdog on blocking sockets: a wrong build fails, never hangs.
WATCHDOG = 3.0


class Alarm(Exception):
    """What the raising handler raises."""


class AlarmClock:
    """SIGALRM on a repeating timer. With `raises`, the first tick after
    `start` raises Alarm (and stops the timer); otherwise ticks are counted.
    Repeating, so a tick that lands just before the call blocks is followed
    by one that interrupts it."""

    def __init__(self, raises: bool):
        self.raises = raises
        self.ticks = 0
        self.armed = False
        self.started = None

    def handle(self, signum, frame):
        self.ticks += 1
        if self.raises and self.armed:
            self.armed = False
            signal.setitimer(signal.ITIMER_REAL, 0)
            raise Alarm()

    def start(self, delay: float, interval: float = TICK) -> None:
        self.armed = True
        self.started = time.monotonic()
        signal.setitimer(signal.ITIMER_REAL, delay, interval)

    def stop(self) -> None:
        signal.setitimer(signal.ITIMER_REAL, 0)
        self.armed = False
        self.started = None

    def stop_if_stuck(self) -> None:
        """A call still running WATCHDOG after `start` is stuck (a build that
        retries on every tick without running the handler): stop ticking,
        so the socket's watchdog ends the call and the test fails."""
        started = self.started
        if started is not None and time.monotonic() - started > WATCHDOG:
            signal.setitimer(signal.ITIMER_REAL, 0)


class AlarmInAnotherThread(AlarmClock):
    """One SIGALRM, sent `delay` after `start` to a helper thread: the main
    thread's blocked call is not interrupted and sees the signal only when it
    ends, as when a signal lands after Python's last check but before the
    call blocks."""

    def start(self, delay: float, interval: float = TICK) -> None:
        self.armed = True

        def send():
            time.sleep(delay)
            signal.pthread_kill(threading.get_ident(), signal.SIGALRM)

        self.sender = threading.Thread(target=send, daemon=True)
        self.sender.start()

    def stop(self) -> None:
        self.sender.join(WATCHDOG)
        self.armed = False
        self.started = None


@contextlib.contextmanager
def installed(clock: AlarmClock):
    """Makes `clock` the SIGALRM handler for the block, then restores the old one."""
    previous = signal.signal(signal.SIGALRM, clock.handle)
    done = threading.Event()

    def guard():
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        while not done.wait(0.1):
            clock.stop_if_stuck()

    guarding = threading.Thread(target=guard, daemon=True)
    guarding.start()
    try:
        yield clock
    finally:
        done.set()
        guarding.join(WATCHDOG)
        clock.stop()
        signal.signal(signal.SIGALRM, previous)


def _checkpoint():
    """A Python-level call: a handler whose signal is pending runs here."""


def what_comes_out(clock: AlarmClock, delay: float, call) -> str:
    """Starts the clock, makes the call, and names what came out of it; an
    Alarm that follows another outcome is reported with what it followed."""
    try:
        try:
            clock.start(delay)
            call()
            _checkpoint()
            return "returned"
        except Alarm:
            return "Alarm"
        except Exception as error:  # noqa: BLE001 - reported by name
            _checkpoint()
            return type(error).__name__
        finally:
            clock.stop()
    except Alarm as late:
        return f"{type(late.__context__).__name__}, then Alarm"


def assert_always_alarm(clock: AlarmClock, call, delays=DELAYS) -> None:
    outcomes: dict[str, int] = {}
    for delay in delays:
        outcome = what_comes_out(clock, delay, call)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    assert outcomes == {"Alarm": len(delays)}


def blocking(sock) -> None:
    set_mode(sock, "blocking")
    arm_watchdog(sock, WATCHDOG)


def small_buffers(csock, ssock) -> None:
    """~160 KiB in flight at most, so a 1 MiB sendall blocks while the peer
    does not read (smaller buffers make loopback TCP crawl once it does)."""
    csock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 65536)
    ssock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)


def peer_later(action):
    """Runs action() after PEER_DELAY in a thread that never takes SIGALRM;
    returns a join() that gives action's result or raises its exception."""
    result = {}

    def run():
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(PEER_DELAY)
        try:
            result["value"] = action()
        except BaseException as error:  # noqa: BLE001 - re-raised by join
            result["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()

    def join():
        thread.join(2 * WATCHDOG)
        assert not thread.is_alive(), "peer thread stuck"
        if "error" in result:
            raise result["error"]
        return result.get("value")

    return join


def read_exactly(conn, size: int) -> bytes:
    received = bytearray()
    while len(received) < size:
        received += conn.recv(16384)
    return bytes(received)
