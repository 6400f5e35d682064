"""OpenSSL.SSL.Connection over real TCP sockets on the loopback (IPv4 and IPv6):
construction from socket-like objects, delegation to the socket, connect /
connect_ex / accept, the I/O calls in blocking, timeout and non-blocking
modes, the GIL being released while a call blocks, and how transport failures
are mapped to exceptions.

Every socket carries a timeout (or a kernel watchdog when it has to stay
blocking), so a misbehaving implementation fails instead of hanging."""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import errno
import hashlib
import socket
import struct
import threading
import time

import pytest

from OpenSSL import SSL

from conftest import client_context, server_context
from socket_helpers import (
    FAMILIES,
    IO_TIMEOUT,
    MODES,
    Background,
    arm_watchdog,
    free_port,
    handshake_nonblocking,
    handshake_sockets,
    recv_exactly,
    retry,
    send_all,
    set_mode,
    socket_connections,
    tcp_listener,
    tcp_pair,
    tracker,  # noqa: F401 - fixture
)

UNEXPECTED_EOF = (-1, "Unexpected EOF")


@pytest.fixture
def contexts(pki):
    """A server and a verifying client Context (fresh for each test)."""
    return server_context(pki.server_rsa), client_context(pki)


def _expect_want_read(call):
    with pytest.raises(SSL.WantReadError) as info:
        call()
    assert info.value.args == ()


def _wait_until(predicate, timeout=IO_TIMEOUT):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("condition never became true")
        time.sleep(0.01)


# ---------------------------------------------------------------------------
# what Connection(ctx, sock) accepts


class FilenoOnly:
    """Not a socket: just something with a fileno() method."""

    marker = "not a socket"

    def __init__(self, sock):
        self._sock = sock

    def fileno(self):
        return self._sock.fileno()


def test_object_with_fileno_is_accepted(contexts, tracker):
    sctx, cctx = contexts
    csock, ssock = tracker.add(*tcp_pair())
    csock.setblocking(False)
    ssock.setblocking(False)
    wrapper = FilenoOnly(csock)
    client = SSL.Connection(cctx, wrapper)
    client.set_connect_state()
    client.set_tlsext_host_name(b"localhost")
    server = SSL.Connection(sctx, ssock)
    server.set_accept_state()
    handshake_nonblocking(client, server)

    # OpenSSL really drives that descriptor
    assert send_all(client, b"through a fileno() object") == 25
    assert recv_exactly(server, 25) == b"through a fileno() object"
    # unknown attributes are looked up on the object we passed in
    assert client.fileno() == csock.fileno()
    assert client.marker == "not a socket"


def test_integer_descriptor_is_accepted(contexts, tracker):
    sctx, cctx = contexts
    csock, ssock = tracker.add(*tcp_pair())
    csock.setblocking(False)
    ssock.setblocking(False)
    client = SSL.Connection(cctx, csock)
    client.set_connect_state()
    server = SSL.Connection(sctx, ssock.fileno())
    server.set_accept_state()
    handshake_nonblocking(client, server)
    send_all(client, b"to a bare fd")
    assert recv_exactly(server, 12) == b"to a bare fd"
    # the "socket" is the int, so attribute delegation goes to the int
    with pytest.raises(AttributeError):
        server.fileno()


@pytest.mark.parametrize("bad", ["x", b"x", 1.5, object(), [3]], ids=repr)
def test_non_socket_is_type_error(bad):
    with pytest.raises(TypeError):
        SSL.Connection(SSL.Context(SSL.TLS_METHOD), bad)


def test_negative_descriptor_is_value_error():
    with pytest.raises(ValueError):
        SSL.Connection(SSL.Context(SSL.TLS_METHOD), -1)


def test_socket_argument_type_error_still_marks_context_used():
    # pyOpenSSL marks the Context used before it looks at the socket argument
    ctx = SSL.Context(SSL.TLS_METHOD)
    with pytest.raises(TypeError):
        SSL.Connection(ctx, "x")
    with pytest.raises(ValueError):
        ctx.set_timeout(10)


# ---------------------------------------------------------------------------
# attribute delegation to the socket


def test_unknown_attributes_come_from_the_socket(contexts, tracker):
    sctx, _ = contexts
    csock, _ = tracker.add(*tcp_pair())
    conn = SSL.Connection(sctx, csock)

    assert conn.fileno() == csock.fileno()
    assert conn.family == socket.AF_INET
    assert conn.type == socket.SOCK_STREAM
    assert conn.getsockname() == csock.getsockname()
    assert conn.getpeername() == csock.getpeername()

    assert conn.settimeout(2.5) is None
    assert csock.gettimeout() == 2.5
    assert conn.gettimeout() == 2.5
    conn.setblocking(False)
    assert csock.gettimeout() == 0.0

    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    assert csock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
    assert conn.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0

    assert conn.close() is None
    assert csock.fileno() == -1


def test_missing_socket_attribute_is_the_sockets_attribute_error(contexts, tracker):
    sctx, _ = contexts
    csock, _ = tracker.add(*tcp_pair())
    conn = SSL.Connection(sctx, csock)
    with pytest.raises(AttributeError) as info:
        conn.no_such_attribute
    assert "no_such_attribute" in str(info.value)


def test_missing_attribute_without_socket_names_the_class():
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    with pytest.raises(AttributeError) as info:
        conn.frobnicate
    assert info.value.args == ("'Connection' object has no attribute 'frobnicate'",)
    with pytest.raises(AttributeError):
        conn.fileno()
    with pytest.raises(AttributeError):
        conn.settimeout(1)



def test_socket_and_memory_connections_are_connections(contexts, tracker):
    """Over a socket, a Connection is an instance of ``Connection`` named
    ``Connection`` (ours: a hidden subclass that adds the socket fallback);
    over memory BIOs it is exactly ``Connection``. Re-running ``__init__``
    with or without a socket moves it between the two, delegation included."""
    sctx, _ = contexts
    csock, _ = tracker.add(*tcp_pair())
    memory = SSL.Connection(sctx, None)
    assert type(memory) is SSL.Connection
    conn = SSL.Connection(sctx, csock)
    assert isinstance(conn, SSL.Connection)
    assert type(conn).__name__ == "Connection"
    assert type(conn).__module__ == "OpenSSL.SSL"
    assert conn.fileno() == csock.fileno()

    conn.__init__(sctx, None)
    assert type(conn) is SSL.Connection
    with pytest.raises(AttributeError):
        conn.fileno()
    memory.__init__(sctx, csock)
    assert memory.fileno() == csock.fileno()
    assert memory.get_context() is sctx


def test_memory_connection_uses_the_plain_attribute_lookup():
    """No per-instance lookup hook on memory-BIO Connections (pyOpenSSL's
    class only adds ``__getattr__``, which runs after a failed lookup)."""
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    assert type(conn).__getattribute__ is object.__getattribute__
    conn.extra = 1
    assert conn.extra == 1
    conn.pending = lambda: "shadowed"
    assert conn.pending() == "shadowed"
    del conn.pending
    assert conn.pending() == 0


def test_subclass_over_a_socket_delegates(contexts, tracker):
    sctx, _ = contexts
    csock, _ = tracker.add(*tcp_pair())

    class TunnelConnection(SSL.Connection):
        label = "tunnel"

    conn = TunnelConnection(sctx, csock)
    assert type(conn) is TunnelConnection
    assert conn.label == "tunnel"
    assert conn.fileno() == csock.fileno()
    assert conn.getsockname() == csock.getsockname()
    with pytest.raises(AttributeError) as info:
        conn.no_such_attribute
    assert "no_such_attribute" in str(info.value)

def test_missing_attribute_without_socket_names_the_subclass():
    class TunnelConnection(SSL.Connection):
        pass

    conn = TunnelConnection(SSL.Context(SSL.TLS_METHOD), None)
    with pytest.raises(AttributeError) as info:
        conn.frobnicate
    assert info.value.args == (
        "'TunnelConnection' object has no attribute 'frobnicate'",
    )


def test_makefile_is_not_implemented(contexts, tracker):
    sctx, _ = contexts
    csock, _ = tracker.add(*tcp_pair())
    conn = SSL.Connection(sctx, csock)
    with pytest.raises(NotImplementedError):
        conn.makefile()
    with pytest.raises(NotImplementedError):
        conn.makefile("rwb", buffering=0)


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda c: c.bio_read(100), id="bio_read"),
        pytest.param(lambda c: c.bio_read("not an int"), id="bio_read-bad-size"),
        pytest.param(lambda c: c.bio_write(b"data"), id="bio_write"),
        pytest.param(lambda c: c.bio_shutdown(), id="bio_shutdown"),
    ],
)
def test_bio_calls_refused_on_socket_connection(contexts, tracker, call):
    sctx, _ = contexts
    csock, _ = tracker.add(*tcp_pair())
    conn = SSL.Connection(sctx, csock)
    with pytest.raises(TypeError) as info:
        call(conn)
    assert str(info.value) == "Connection sock was not None"


# ---------------------------------------------------------------------------
# connect / connect_ex / accept


def _prepare_accepted(conn: SSL.Connection, mode: str) -> None:
    """Configure the socket inside an accepted Connection (via delegation)."""
    if mode == "blocking":
        conn.settimeout(None)
        arm_watchdog(conn)
    elif mode == "timeout":
        conn.settimeout(IO_TIMEOUT)
    else:
        conn.setblocking(False)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("family", FAMILIES)
def test_connect_accept_and_talk(contexts, tracker, family, mode):
    sctx, cctx = contexts
    lsock = tracker.add(tcp_listener(family))
    listening = SSL.Connection(sctx, lsock)

    csock = tracker.add(socket.socket(family, socket.SOCK_STREAM))
    set_mode(csock, mode)
    client = SSL.Connection(cctx, csock)
    client.set_tlsext_host_name(b"localhost")
    address = lsock.getsockname()
    if mode == "nonblocking":
        rc = client.connect_ex(address)
        assert rc in (0, errno.EINPROGRESS)
    else:
        assert client.connect(address) is None

    accepted, peer_address = listening.accept()
    tracker.add(accepted)
    assert isinstance(accepted, SSL.Connection) and type(accepted).__name__ == "Connection"
    assert accepted is not listening
    assert accepted.get_context() is sctx
    assert peer_address[:2] == csock.getsockname()[:2]
    assert accepted.getpeername()[:2] == csock.getsockname()[:2]
    assert accepted.family == family
    _prepare_accepted(accepted, mode)

    # connect()/accept() chose the roles: no set_*_state() calls here
    handshake_sockets(client, accepted, mode)
    assert client.get_protocol_version_name() == "TLSv1.3"
    assert accepted.get_servername() == b"localhost"
    assert client.get_peer_certificate(as_cryptography=True) is not None

    assert send_all(client, b"ping over %d" % family) > 0
    assert recv_exactly(accepted, len(b"ping over %d" % family)) == b"ping over %d" % family
    assert retry(lambda: accepted.write(b"pong"), accepted) == 4
    assert recv_exactly(client, 4) == b"pong"


def test_connect_ex_blocking_returns_zero(contexts, tracker):
    sctx, cctx = contexts
    lsock = tracker.add(tcp_listener())
    csock = tracker.add(socket.socket())
    csock.settimeout(IO_TIMEOUT)
    client = SSL.Connection(cctx, csock)
    assert client.connect_ex(lsock.getsockname()) == 0
    raw, _ = lsock.accept()
    tracker.add(raw)
    raw.setblocking(False)
    csock.setblocking(False)
    server = SSL.Connection(sctx, raw)
    server.set_accept_state()
    handshake_nonblocking(client, server)
    assert client.get_cipher_name() == server.get_cipher_name()


def test_connect_ex_refused_returns_errno(contexts, tracker):
    _, cctx = contexts
    csock = tracker.add(socket.socket())
    csock.settimeout(IO_TIMEOUT)
    client = SSL.Connection(cctx, csock)
    assert client.connect_ex(("127.0.0.1", free_port())) == errno.ECONNREFUSED


def test_connect_refused_raises_socket_error(contexts, tracker):
    _, cctx = contexts
    csock = tracker.add(socket.socket())
    csock.settimeout(IO_TIMEOUT)
    client = SSL.Connection(cctx, csock)
    with pytest.raises(ConnectionRefusedError):
        client.connect(("127.0.0.1", free_port()))


def test_accept_keeps_using_the_same_context_for_each_client(contexts, tracker):
    sctx, cctx = contexts
    lsock = tracker.add(tcp_listener())
    listening = SSL.Connection(sctx, lsock)
    accepted = []
    for _ in range(2):
        csock = tracker.add(socket.create_connection(lsock.getsockname(), IO_TIMEOUT))
        conn, _ = listening.accept()
        tracker.add(conn)
        accepted.append(conn)
        assert conn.get_context() is sctx
    assert accepted[0] is not accepted[1]
    assert accepted[0].fileno() != accepted[1].fileno()


# ---------------------------------------------------------------------------
# data transfer in each socket mode


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("family", FAMILIES)
def test_send_and_recv(contexts, tracker, family, mode):
    sctx, cctx = contexts
    client, server, _, _ = socket_connections(
        sctx, cctx, family, mode, tracker=tracker
    )
    assert client.get_protocol_version_name() == "TLSv1.3"

    assert retry(lambda: client.send(b"0123456789"), client) == 10
    # recv returns at most bufsiz bytes
    first = retry(lambda: server.recv(4), server)
    assert first == b"0123"
    assert recv_exactly(server, 6) == b"456789"

    assert retry(lambda: server.write(memoryview(b"abc")), server) == 3
    assert retry(lambda: server.send(bytearray(b"def")), server) == 3
    assert recv_exactly(client, 6) == b"abcdef"

    assert retry(lambda: client.sendall(b"x" * 5000), client) == 5000
    assert recv_exactly(server, 5000) == b"x" * 5000

    # flags are accepted and ignored by send/sendall
    assert retry(lambda: client.sendall(b"fl", 0), client) == 2
    assert retry(lambda: client.send(b"ag", socket.MSG_OOB), client) == 2
    assert recv_exactly(server, 4) == b"flag"

    data = retry(lambda: client.send(b"read alias"), client)
    assert data == 10
    got = b""
    while len(got) < 10:
        got += retry(lambda: server.read(10 - len(got)), server)
    assert got == b"read alias"


def test_send_str_warns(contexts, tracker):
    sctx, cctx = contexts
    client, server, _, _ = socket_connections(sctx, cctx, tracker=tracker)
    with pytest.warns(DeprecationWarning):
        assert retry(lambda: client.send("text"), client) == 4
    assert recv_exactly(server, 4) == b"text"


@pytest.mark.parametrize("mode", MODES)
def test_recv_into(contexts, tracker, mode):
    sctx, cctx = contexts
    client, server, _, _ = socket_connections(sctx, cctx, mode=mode, tracker=tracker)
    send_all(client, b"hello world!")
    _wait_until(lambda: _readable(server))

    # peeking leaves the data in place
    peeked = bytearray(5)
    assert retry(lambda: server.recv_into(peeked, flags=socket.MSG_PEEK), server) == 5
    assert peeked == b"hello"
    assert retry(lambda: server.recv(5, socket.MSG_PEEK), server) == b"hello"

    target = bytearray(b"." * 8)
    # nbytes larger than the buffer is clamped to the buffer
    assert retry(lambda: server.recv_into(target, 1000), server) == 8
    assert target == b"hello wo"

    backing = bytearray(b"####")
    view = memoryview(backing)
    assert retry(lambda: server.recv_into(view, 2), server) == 2
    assert backing == b"rl##"
    assert retry(lambda: server.recv_into(view[2:]), server) == 2
    assert backing == b"rld!"


def test_pending_counts_decrypted_leftovers(contexts, tracker):
    sctx, cctx = contexts
    client, server, _, _ = socket_connections(sctx, cctx, tracker=tracker)
    send_all(server, b"p" * 100)
    assert client.pending() == 0
    assert retry(lambda: client.recv(10), client) == b"p" * 10
    # the rest of the record is already decrypted and waiting
    assert client.pending() == 90
    # flags other than MSG_PEEK are ignored
    assert client.recv(1000, socket.MSG_WAITALL) == b"p" * 90
    assert client.pending() == 0


def _readable(conn):
    try:
        return bool(conn.recv(1, socket.MSG_PEEK))
    except SSL.WantReadError:
        return False


def test_sendall_one_mebibyte_across_threads(contexts, tracker):
    sctx, cctx = contexts
    client, server, _, _ = socket_connections(
        sctx, cctx, mode="blocking", tracker=tracker
    )
    payload = os.urandom(1 << 20)
    sender = Background(client.sendall, payload)
    received = bytearray()
    while len(received) < len(payload):
        received += server.recv(65536)
    assert sender.join() == len(payload)
    assert hashlib.sha256(received).digest() == hashlib.sha256(payload).digest()

    # and the other way round, with a memoryview
    sender = Background(server.sendall, memoryview(payload)[: 300_000])
    received = bytearray()
    while len(received) < 300_000:
        received += client.recv(65536)
    assert sender.join() == 300_000
    assert bytes(received) == payload[:300_000]


def test_concurrent_connections_in_threads(pki, tracker):
    sctx = server_context(pki.server_rsa)
    cctx = client_context(pki)
    payload = os.urandom(64 * 1024)

    def serve(conn):
        conn.do_handshake()
        got = bytearray()
        while len(got) < len(payload):
            got += conn.recv(65536)
        conn.sendall(hashlib.sha256(got).digest())
        return bytes(got) == payload

    def talk(conn):
        conn.do_handshake()
        conn.sendall(payload)
        return recv_exactly(conn, 32)

    workers = []
    for _ in range(4):
        client, server, _, _ = socket_connections(
            sctx, cctx, mode="blocking", handshake=False, tracker=tracker
        )
        workers.append((Background(serve, server), Background(talk, client)))
    for server_side, client_side in workers:
        assert client_side.join() == hashlib.sha256(payload).digest()
        assert server_side.join() is True


# ---------------------------------------------------------------------------
# the GIL


def test_blocking_recv_releases_the_gil(contexts, tracker):
    sctx, cctx = contexts
    client, server, _, _ = socket_connections(
        sctx, cctx, mode="blocking", tracker=tracker
    )
    reader = Background(client.recv, 100)
    time.sleep(0.05)  # let the reader block inside recv()
    counter = 0
    start = time.monotonic()
    while time.monotonic() - start < 0.3:
        counter += 1
    # this thread kept running for 0.3 s while the other sat in recv()
    assert reader.alive()
    assert counter > 10_000
    server.sendall(b"finally")
    assert reader.join() == b"finally"


def test_blocking_handshake_releases_the_gil(contexts, tracker):
    sctx, cctx = contexts
    client, server, _, _ = socket_connections(
        sctx, cctx, mode="blocking", handshake=False, tracker=tracker
    )
    ticks = []
    stop = threading.Event()

    def tick():
        while not stop.is_set():
            ticks.append(time.monotonic())
            time.sleep(0.005)

    ticker = threading.Thread(target=tick, daemon=True)
    server_side = Background(server.do_handshake)
    time.sleep(0.05)  # the server now blocks waiting for a ClientHello
    ticker.start()
    time.sleep(0.15)
    assert server_side.alive()
    client.do_handshake()
    server_side.join()
    stop.set()
    ticker.join(IO_TIMEOUT)
    assert len(ticks) >= 5


# ---------------------------------------------------------------------------
# error mapping


@pytest.mark.parametrize("mode", ["timeout", "nonblocking"])
def test_recv_without_data_is_want_read(contexts, tracker, mode):
    sctx, cctx = contexts
    client, server, _, _ = socket_connections(sctx, cctx, mode=mode, tracker=tracker)
    start = time.monotonic()
    _expect_want_read(lambda: client.recv(10))
    _expect_want_read(lambda: server.recv_into(bytearray(10)))
    # a socket timeout makes the descriptor non-blocking: no waiting at all
    assert time.monotonic() - start < 1.0
    assert client.want_read()


@pytest.mark.parametrize("mode", ["timeout", "nonblocking"])
def test_handshake_without_peer_is_want_read(contexts, tracker, mode):
    _, cctx = contexts
    csock, _ = tracker.add(*tcp_pair())
    set_mode(csock, mode)
    client = SSL.Connection(cctx, csock)
    client.set_connect_state()
    _expect_want_read(client.do_handshake)
    _expect_want_read(client.do_handshake)


def test_full_send_buffer_is_want_write(contexts, tracker):
    sctx, cctx = contexts
    csock, ssock = tracker.add(*tcp_pair())
    csock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    ssock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    csock.setblocking(False)
    ssock.setblocking(False)
    client = SSL.Connection(cctx, csock)
    client.set_connect_state()
    server = SSL.Connection(sctx, ssock)
    server.set_accept_state()
    handshake_nonblocking(client, server)

    chunk = b"w" * 16384
    sent = 0
    with pytest.raises(SSL.WantWriteError) as info:
        for _ in range(1000):  # the peer never reads, so this must fill up
            sent += client.send(chunk)
    assert info.value.args == ()
    assert sent > 0
    assert client.want_write()

    # once the peer drains the pipe, writing works again (same buffer)
    received = 0
    deadline = time.monotonic() + IO_TIMEOUT
    while received < sent:
        try:
            received += len(server.recv(65536))
        except SSL.WantReadError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.005)
    assert retry(lambda: client.send(chunk), client) > 0


def test_sendall_on_full_nonblocking_socket_is_want_write(contexts, tracker):
    sctx, cctx = contexts
    csock, ssock = tracker.add(*tcp_pair())
    csock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    ssock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    csock.setblocking(False)
    ssock.setblocking(False)
    client = SSL.Connection(cctx, csock)
    client.set_connect_state()
    server = SSL.Connection(sctx, ssock)
    server.set_accept_state()
    handshake_nonblocking(client, server)
    with pytest.raises(SSL.WantWriteError):
        client.sendall(b"s" * (4 << 20))


@pytest.mark.parametrize("mode", MODES)
def test_close_notify_is_zero_return(contexts, tracker, mode):
    sctx, cctx = contexts
    client, server, _, _ = socket_connections(sctx, cctx, mode=mode, tracker=tracker)
    send_all(server, b"last words")
    assert server.shutdown() is False
    assert server.get_shutdown() == SSL.SENT_SHUTDOWN

    assert recv_exactly(client, 10) == b"last words"
    with pytest.raises(SSL.ZeroReturnError) as info:
        retry(lambda: client.recv(10), client)
    assert info.value.args == ()
    # and again: the state sticks
    with pytest.raises(SSL.ZeroReturnError):
        client.recv(10)
    with pytest.raises(SSL.ZeroReturnError):
        client.recv_into(bytearray(4))
    assert client.get_shutdown() == SSL.RECEIVED_SHUTDOWN

    # answering completes the closure on this side at once
    assert client.shutdown() is True
    assert client.get_shutdown() == SSL.SENT_SHUTDOWN | SSL.RECEIVED_SHUTDOWN
    # the initiator sees the answer
    with pytest.raises(SSL.ZeroReturnError):
        retry(lambda: server.recv(10), server)
    assert server.shutdown() is True


def test_peer_reset_on_recv_is_econnreset(contexts, tracker):
    sctx, cctx = contexts
    client, server, csock, ssock = socket_connections(sctx, cctx, tracker=tracker)
    ssock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    ssock.close()
    time.sleep(0.05)
    with pytest.raises(SSL.SysCallError) as info:
        retry(lambda: client.recv(10), client)
    assert info.value.args == (errno.ECONNRESET, "ECONNRESET")
    assert type(info.value) is SSL.SysCallError


def test_peer_reset_on_send_is_syscall_error(contexts, tracker):
    sctx, cctx = contexts
    client, server, csock, ssock = socket_connections(sctx, cctx, tracker=tracker)
    ssock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    ssock.close()
    time.sleep(0.05)
    with pytest.raises(SSL.SysCallError) as info:
        client.send(b"into the void")
    code, name = info.value.args
    assert code in (errno.ECONNRESET, errno.EPIPE)
    assert name == errno.errorcode[code]
    # the connection stays broken (the exact follow-up error depends on the
    # OpenSSL version)
    with pytest.raises(SSL.Error):
        client.send(b"again")


def test_write_after_peer_closed_is_epipe(contexts, tracker):
    sctx, cctx = contexts
    client, server, csock, ssock = socket_connections(sctx, cctx, tracker=tracker)
    ssock.close()
    time.sleep(0.05)
    # the first write still reaches the kernel; the peer answers with a reset
    assert client.send(b"first") == 5
    deadline = time.monotonic() + IO_TIMEOUT
    with pytest.raises(SSL.SysCallError) as info:
        while time.monotonic() < deadline:
            time.sleep(0.02)
            client.send(b"second")
    assert info.value.args == (errno.EPIPE, "EPIPE")


def test_send_on_closed_socket_is_ebadf(contexts, tracker):
    sctx, cctx = contexts
    client, server, csock, ssock = socket_connections(sctx, cctx, tracker=tracker)
    csock.close()
    with pytest.raises(SSL.SysCallError) as info:
        client.send(b"nowhere to go")
    assert info.value.args == (errno.EBADF, "EBADF")


@pytest.mark.parametrize("mode", MODES)
def test_ragged_close_is_unexpected_eof(contexts, tracker, mode):
    sctx, cctx = contexts
    client, server, csock, ssock = socket_connections(
        sctx, cctx, mode=mode, tracker=tracker
    )
    send_all(server, b"partial")
    ssock.close()  # TCP FIN without a TLS close_notify
    assert recv_exactly(client, 7) == b"partial"
    with pytest.raises(SSL.SysCallError) as info:
        retry(lambda: client.recv(10), client)
    assert info.value.args == UNEXPECTED_EOF
    assert type(info.value) is SSL.SysCallError


def test_ragged_close_during_handshake_is_unexpected_eof(contexts, tracker):
    _, cctx = contexts
    csock, ssock = tracker.add(*tcp_pair())
    csock.setblocking(False)
    client = SSL.Connection(cctx, csock)
    client.set_connect_state()
    _expect_want_read(client.do_handshake)
    assert ssock.recv(65536)[:1] == b"\x16"  # swallow the ClientHello...
    ssock.close()  # ...so that close() sends a FIN, not a reset
    with pytest.raises(SSL.SysCallError) as info:
        retry(client.do_handshake, client)
    assert info.value.args == UNEXPECTED_EOF


def test_sock_shutdown_half_closes_the_socket(contexts, tracker):
    sctx, cctx = contexts
    client, server, csock, ssock = socket_connections(sctx, cctx, tracker=tracker)
    send_all(client, b"before half close")
    assert client.sock_shutdown(socket.SHUT_WR) is None
    assert recv_exactly(server, 17) == b"before half close"
    with pytest.raises(SSL.SysCallError) as info:
        retry(lambda: server.recv(10), server)
    assert info.value.args == UNEXPECTED_EOF


def test_shutdown_is_tls_shutdown_not_socket_shutdown(contexts, tracker):
    sctx, cctx = contexts
    client, server, csock, ssock = socket_connections(sctx, cctx, tracker=tracker)
    assert client.shutdown() is False
    # the TCP connection is still open: the server can still write to it
    with pytest.raises(SSL.ZeroReturnError):
        retry(lambda: server.recv(10), server)
    ssock.sendall(b"raw bytes after TLS closure")
    # (TLS 1.3 session tickets the client never read may come first)
    csock.settimeout(IO_TIMEOUT)
    seen = b""
    while not seen.endswith(b"raw bytes after TLS closure"):
        chunk = csock.recv(4096)
        assert chunk, seen
        seen += chunk


@pytest.mark.parametrize(
    "method,name",
    [
        pytest.param(SSL.TLSv1_METHOD, "TLSv1", id="tls10"),
        pytest.param(SSL.TLSv1_1_METHOD, "TLSv1.1", id="tls11"),
        pytest.param(SSL.TLSv1_2_METHOD, "TLSv1.2", id="tls12"),
    ],
)
def test_older_protocols_over_sockets(pki, tracker, method, name):
    sctx = server_context(pki.server_rsa, method)
    cctx = client_context(pki, method)
    for ctx in (sctx, cctx):
        ctx.set_cipher_list(b"DEFAULT:@SECLEVEL=0")
    client, server, _, _ = socket_connections(sctx, cctx, tracker=tracker)
    assert client.get_protocol_version_name() == name
    assert server.get_protocol_version_name() == name
    send_all(client, b"legacy")
    assert recv_exactly(server, 6) == b"legacy"
