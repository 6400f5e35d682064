"""OpenSSL's per-thread error queue around Connection I/O.

``SSL_get_error`` reads the queue, so an entry some other code left there
(another library on the same libcrypto, a C extension) turns a plain "want
read" into SSL_ERROR_SYSCALL or SSL_ERROR_SSL: raw OpenSSL 3.0 does exactly
that for an ``SSL_read`` on an empty buffer (its manual asks callers to clear
the queue first). Every I/O call of ours clears the queue before it runs
OpenSSL, so such leftovers cannot change what it reports. pyOpenSSL 26.4 on
its OpenSSL 4 reports the same kinds of outcome, so these run against both,
except that its errors then carry the leftovers too (a deviation, below).

After a successful read or write we do not check the queue again: the check
before the next call covers our own calls, and skipping it is measurable on
small records (benchmarks/README.md). Ours leaves the queue empty after each
call here (the leftover was cleared first); pyOpenSSL leaves the leftover in
place. So each scenario runs twice: once checking only the outcomes (both
envs), once also checking the queue after every call (a deviation test).
"""

from __future__ import annotations

import pytest
from conftest import pump
from robustness_helpers import error_queue_clear, error_queue_peek, libcrypto

from OpenSSL import SSL

ERR_SYSTEM_FLAG = 0x80000000  # OpenSSL 3: set on system (errno) errors, ERR_LIB_SYS


def leave_stale_error() -> int:
    """Makes libcrypto queue a real error, as careless code would leave one
    (a failed BIO_new_file: a system error, then a BIO error); returns the
    oldest code."""
    assert not libcrypto().BIO_new_file(b"/nonexistent/directory/file", b"r")
    code = error_queue_peek()
    assert code != 0
    return code


def assert_queue_left_empty():
    assert error_queue_peek() == 0


def no_check():
    pass


@pytest.fixture(autouse=True)
def _clean_queue():
    error_queue_clear()
    yield
    error_queue_clear()


def test_the_stale_error_is_one_ssl_get_error_would_report():
    """The setup is meaningful: the leftover is a system error, which
    SSL_get_error turns into SSL_ERROR_SYSCALL for any failed call."""
    code = leave_stale_error()
    assert code & ERR_SYSTEM_FLAG


def settled_pair(make_pair):
    """A handshaken pair whose client has taken in the TLS 1.3 tickets.
    (OpenSSL's handshake state machine clears the queue itself, and reading
    the tickets runs it: a test with tickets still waiting would pass even
    without our clearing.)"""
    client, server = make_pair()
    for conn in (client, server):
        with pytest.raises(SSL.WantReadError):
            conn.recv(100)
    return client, server


def recv_with_nothing_to_read(client, server, after_call):
    leave_stale_error()
    with pytest.raises(SSL.WantReadError):
        client.recv(100)
    after_call()


def send_and_recv(client, server, after_call):
    leave_stale_error()
    assert client.send(b"ping") == 4
    after_call()
    pump(client, server)
    leave_stale_error()
    assert server.recv(100) == b"ping"
    after_call()


def recv_into_and_sendall_and_shutdown(client, server, after_call):
    leave_stale_error()
    assert client.sendall(b"x" * 20000) == 20000
    after_call()
    pump(client, server)
    buffer = bytearray(20000)
    got = 0
    leave_stale_error()
    while got < 20000:
        got += server.recv_into(memoryview(buffer)[got:])
    after_call()
    assert bytes(buffer) == b"x" * 20000
    leave_stale_error()
    with pytest.raises(SSL.WantReadError):
        server.recv_into(buffer)
    after_call()
    leave_stale_error()
    assert client.shutdown() is False
    after_call()


SCENARIOS = [recv_with_nothing_to_read, send_and_recv, recv_into_and_sendall_and_shutdown]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda f: f.__name__)
def test_a_leftover_does_not_change_the_outcome(make_pair, scenario):
    client, server = settled_pair(make_pair)
    scenario(client, server, no_check)


@pytest.mark.deviation
@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda f: f.__name__)
def test_each_call_leaves_the_queue_empty(make_pair, scenario):
    """pyOpenSSL 26.4 leaves the leftover on the queue after these calls."""
    client, server = settled_pair(make_pair)
    scenario(client, server, assert_queue_left_empty)


@pytest.mark.deviation
def test_a_real_failure_is_reported_as_itself(make_pair):
    """Clearing first does not hide the call's own error: garbage from the
    peer still raises SSL.Error naming the record layer, not the leftover."""
    client, server = settled_pair(make_pair)
    leave_stale_error()
    server.bio_write(b"\x17\x03\x03\x00\x05garbage-record")
    with pytest.raises(SSL.Error) as raised:
        server.recv(100)
    assert not isinstance(raised.value, SSL.SysCallError)
    libraries = [entry[0] for entry in raised.value.args[0]]
    assert libraries and "BIO routines" not in libraries and "system library" not in libraries
    assert_queue_left_empty()
