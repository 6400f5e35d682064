"""A signal arriving while a Connection blocks on its socket (issue 19, point 16).

Python's own sockets follow PEP 475: a signal that interrupts a blocking call
runs its handler; if the handler raises, that exception comes out of the call,
otherwise the call resumes. OpenSSL's socket BIO reports the interrupted
system call (EINTR) as "retry", so SSL_read/SSL_write/SSL_do_handshake return
WANT_READ/WANT_WRITE even on a blocking socket: a binding that passes that on
raises a spurious WantReadError/WantWriteError. pyOpenSSL does, when the
handler returns (the `deviation` tests); when it raises, its exception wins
there too, because pyOpenSSL's Python code runs the handler before raising.

SIGALRM comes from a repeating timer started at staggered delays, so that
over many rounds it lands before, inside and after the blocking system call
(signal_helpers.py). Every blocking socket keeps a kernel watchdog, so a
wrong implementation fails instead of hanging.
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import signal
import threading
import time

import pytest

from OpenSSL import SSL

from conftest import client_context, server_context
from signal_helpers import (
    DELAYS,
    PEER_DELAY,
    TICK,
    WATCHDOG,
    AlarmClock,
    AlarmInAnotherThread,
    assert_always_alarm,
    blocking,
    installed,
    peer_later,
    read_exactly,
    small_buffers,
    what_comes_out,
)
from socket_helpers import arm_watchdog, socket_connections, tcp_pair, tracker  # noqa: F401

pytestmark = pytest.mark.skipif(
    not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread(),
    reason="needs setitimer and the main thread",
)

# A wait of PEER_DELAY with a tick every TICK: at least half the ticks must
# land while the call waits, or the test proved nothing.
TICKS_PER_WAIT = (PEER_DELAY / TICK) / 2


@pytest.fixture
def raising_clock():
    with installed(AlarmClock(raises=True)) as clock:
        yield clock


@pytest.fixture
def counting_clock():
    with installed(AlarmClock(raises=False)) as clock:
        yield clock


@pytest.fixture
def contexts(pki):
    return server_context(pki.server_rsa), client_context(pki)


@pytest.fixture
def connected(contexts, tracker):  # noqa: F811 - fixture
    """A client and a server after their handshake, both sockets blocking."""
    client, server, csock, ssock = socket_connections(*contexts, mode="nonblocking", tracker=tracker)
    blocking(csock)
    blocking(ssock)
    return client, server, csock, ssock


def _blocking_client(cctx, tracker):  # noqa: F811
    csock, quiet_peer = tracker.add(*tcp_pair())
    blocking(csock)
    client = SSL.Connection(cctx, csock)
    client.set_connect_state()
    return client, csock, quiet_peer


# ---------------------------------------------------------------------------
# a handler that raises: its exception comes out of the blocked call


@pytest.mark.parametrize("method", ["recv", "recv_into"])
def test_raising_handler_interrupts_blocking_recv(connected, raising_clock, method):
    client, server, _, _ = connected
    read = (lambda: client.recv(1024)) if method == "recv" else (lambda: client.recv_into(bytearray(1024)))
    assert_always_alarm(raising_clock, read)
    # Nothing was lost or broken: the next read gets what the peer sends.
    server.sendall(b"after the alarms")
    assert client.recv(1024) == b"after the alarms"


def test_signal_seen_when_blocked_recv_ends_on_its_own(connected):
    # The read ends by the socket's SO_RCVTIMEO (EAGAIN, not EINTR): the
    # pending handler's exception is still what comes out of it.
    client, _, csock, _ = connected
    arm_watchdog(csock, 0.2)
    with installed(AlarmInAnotherThread(raises=True)) as clock:
        assert what_comes_out(clock, 0.02, lambda: client.recv(1024)) == "Alarm"


def test_raising_handler_interrupts_blocking_handshake(contexts, tracker, raising_clock):  # noqa: F811
    client, _, _ = _blocking_client(contexts[1], tracker)
    # The peer never answers: every round blocks waiting for its hello.
    assert_always_alarm(raising_clock, client.do_handshake)


def test_raising_handler_interrupts_first_handshake_step(contexts, tracker, raising_clock):  # noqa: F811
    # A fresh connection each round: the tick can also land while the client
    # hello is being built and sent.
    for delay in DELAYS[::8]:
        client, csock, _ = _blocking_client(contexts[1], tracker)
        assert_always_alarm(raising_clock, client.do_handshake, delays=[delay])
        csock.close()


def test_raising_handler_interrupts_blocking_sendall(connected, raising_clock):
    client, _, csock, ssock = connected
    small_buffers(csock, ssock)
    payload = b"\0" * (1 << 20)
    # The peer reads nothing: the first round fills the buffers, every round blocks.
    assert_always_alarm(raising_clock, lambda: client.sendall(payload))


# ---------------------------------------------------------------------------
# a handler that returns: the call carries on and completes


@pytest.mark.deviation
@pytest.mark.parametrize("method", ["recv", "recv_into"])
def test_returning_handler_lets_blocking_recv_resume(connected, counting_clock, method):
    client, server, _, _ = connected
    for round_number in range(3):
        message = b"late message %d" % round_number
        join = peer_later(lambda: server.sendall(message))
        counting_clock.start(DELAYS[round_number])
        if method == "recv":
            received = client.recv(1024)
        else:
            buffer = bytearray(1024)
            received = bytes(buffer[: client.recv_into(buffer)])
        counting_clock.stop()
        join()
        assert received == message
    assert counting_clock.ticks > 3 * TICKS_PER_WAIT


@pytest.mark.deviation
def test_returning_handler_lets_blocking_handshake_resume(contexts, tracker, counting_clock):  # noqa: F811
    sctx, cctx = contexts
    client, _, ssock = _blocking_client(cctx, tracker)
    blocking(ssock)
    server = SSL.Connection(sctx, ssock)
    server.set_accept_state()
    join = peer_later(server.do_handshake)
    counting_clock.start(DELAYS[0])
    client.do_handshake()
    counting_clock.stop()
    join()
    assert counting_clock.ticks > TICKS_PER_WAIT
    server.sendall(b"done")
    assert client.recv(16) == b"done"


@pytest.mark.deviation
def test_returning_handler_lets_blocking_sendall_resume(connected, counting_clock):
    client, server, csock, ssock = connected
    small_buffers(csock, ssock)
    payload = bytes(range(256)) * 4096  # 1 MiB, so a repeated or lost chunk shows
    join = peer_later(lambda: read_exactly(server, len(payload)))
    counting_clock.start(DELAYS[0])
    assert client.sendall(payload) == len(payload)
    counting_clock.stop()
    assert join() == payload
    assert counting_clock.ticks > TICKS_PER_WAIT


@pytest.mark.ours
def test_returning_handler_lets_blocking_sendfile_resume(connected, counting_clock, tmp_path):
    client, server, csock, ssock = connected
    small_buffers(csock, ssock)
    payload = bytes(range(256)) * 4096
    path = tmp_path / "payload"
    path.write_bytes(payload)
    join = peer_later(lambda: read_exactly(server, len(payload)))
    with open(path, "rb") as source:
        counting_clock.start(DELAYS[0])
        assert client.sendfile(source, 0, None) == len(payload)
        counting_clock.stop()
    assert join() == payload
    assert counting_clock.ticks > TICKS_PER_WAIT


# ---------------------------------------------------------------------------
# a socket with a timeout: its descriptor is non-blocking, so (as in pyOpenSSL)
# nothing waits and the Want errors come at once, ticks or not


def _prompt_want(call, expected) -> None:
    start = time.monotonic()
    with pytest.raises(expected):
        call()
    assert time.monotonic() - start < 1.0


def test_timeout_socket_still_raises_want_errors_at_once(contexts, tracker, counting_clock):  # noqa: F811
    client, _, csock, ssock = socket_connections(*contexts, mode="timeout", tracker=tracker)
    csock.settimeout(WATCHDOG)
    small_buffers(csock, ssock)
    counting_clock.start(DELAYS[0], interval=0.0002)
    for _ in range(20):
        _prompt_want(lambda: client.recv(1024), SSL.WantReadError)
    with pytest.raises(SSL.WantWriteError):
        while True:  # fills the buffers, then cannot write any more
            client.send(b"\0" * 16384)
    _prompt_want(lambda: client.send(b"\0" * 16384), SSL.WantWriteError)


def test_timeout_socket_handshake_without_peer_is_want_read(contexts, tracker, counting_clock):  # noqa: F811
    client, csock, _ = _blocking_client(contexts[1], tracker)
    csock.settimeout(WATCHDOG)
    counting_clock.start(DELAYS[0], interval=0.0002)
    for _ in range(20):
        _prompt_want(client.do_handshake, SSL.WantReadError)


# ---------------------------------------------------------------------------
# pyOpenSSL's side of the README row (reference run only)

SIGNAL_AREA = "A signal handler that returns while a call waits on a blocking socket"


@pytest.mark.pyopenssl_side(SIGNAL_AREA)
def test_pyopenssl_raises_want_errors_when_a_returning_handler_interrupts(connected, counting_clock):
    client, _, csock, ssock = connected
    # The peer sends nothing and reads nothing: a tick ends each wait long
    # before the watchdog could.
    counting_clock.start(DELAYS[0])
    start = time.monotonic()
    with pytest.raises(SSL.WantReadError):
        client.recv(1024)
    small_buffers(csock, ssock)
    with pytest.raises(SSL.WantWriteError):
        client.sendall(b"\0" * (1 << 20))
    counting_clock.stop()
    assert time.monotonic() - start < WATCHDOG / 2
