"""Sessions and renegotiation: Connection.get_session/set_session, resumption
for TLS 1.2 and TLS 1.3 (between two of ours over memory BIOs, and with the
``openssl`` tool on 127.0.0.1), the server-side session cache settings of a
Context, and TLS 1.2 renegotiation.

pyOpenSSL 26.4 has no ``session_reused()``; resumption is proven by
behaviour: on a resumed handshake the server sends no certificate, so the
client's verify callback is not called at all (a full handshake calls it once
per certificate in the chain)."""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import gc
import socket
import warnings

import pytest

from OpenSSL import SSL

from conftest import client_context, connection_pair, handshake, server_context, transfer
from socket_helpers import (
    IO_TIMEOUT,
    Background,
    OpenSSLServer,
    needs_openssl,
    run_s_client,
    set_mode,
    tcp_listener,
    tracker,  # noqa: F401 - fixture
)

VERSIONS = [
    pytest.param(SSL.TLS1_2_VERSION, "TLSv1.2", id="tls12"),
    pytest.param(SSL.TLS1_3_VERSION, "TLSv1.3", id="tls13"),
]

S_CLIENT_VERSION_FLAG = {SSL.TLS1_2_VERSION: "-tls1_2", SSL.TLS1_3_VERSION: "-tls1_3"}


class CountingClient:
    """A verifying client Context whose verify callback counts its calls."""

    def __init__(self, pki, version=None):
        self.calls = 0
        self.ctx = client_context(pki, version=version)
        self.ctx.set_verify(SSL.VERIFY_PEER, self._verify)

    def _verify(self, conn, cert, errnum, depth, ok):
        self.calls += 1
        return ok


def _read_pending(conn: SSL.Connection) -> None:
    """Let a client process what arrived after the handshake (TLS 1.3 session
    tickets): a read that finds no application data."""
    with pytest.raises(SSL.WantReadError):
        conn.recv(1024)


# OpenSSL forgets a session (marks it not resumable) when a Connection that
# used it is freed without a TLS shutdown.  The helpers below therefore keep
# every Connection they make alive until the test ends.
_ALIVE: list = []


@pytest.fixture(autouse=True)
def _keep_connections_alive():
    yield
    _ALIVE.clear()


def _connect(sctx, cctx, session=None):
    client, server = connection_pair(sctx, cctx, host=b"localhost")
    _ALIVE.extend((client, server))
    if session is not None:
        client.set_session(session)
    handshake(client, server)
    return client, server


def _first_session(sctx, cctx):
    """Full handshake; returns (client, server, the client's resumable session)."""
    client, server = _connect(sctx, cctx)
    _read_pending(client)
    return client, server, client.get_session()


# ---------------------------------------------------------------------------
# the Session object


def test_session_class():
    assert isinstance(SSL.Session, type)
    assert SSL.Session.__name__ == "Session"


def test_no_session_before_handshake(pki):
    sctx = server_context(pki.server_rsa)
    client, server = connection_pair(sctx, client_context(pki), host=b"localhost")
    assert client.get_session() is None
    assert server.get_session() is None


@pytest.mark.parametrize("version,name", VERSIONS)
def test_session_after_handshake(pki, version, name):
    sctx = server_context(pki.server_rsa)
    client, server = _connect(sctx, client_context(pki, version=version))
    assert isinstance(client.get_session(), SSL.Session)
    assert isinstance(server.get_session(), SSL.Session)


@pytest.mark.parametrize("bad", [None, "session", b"session", object(), 1])
def test_set_session_rejects_non_sessions(pki, bad):
    conn = SSL.Connection(client_context(pki), None)
    with pytest.raises(TypeError):
        conn.set_session(bad)


def test_set_session_rejects_session_of_another_context(pki):
    sctx = server_context(pki.server_rsa)
    _, _, session = _first_session(sctx, client_context(pki))
    stranger = SSL.Connection(client_context(pki), None)
    with pytest.raises(ValueError) as info:
        stranger.set_session(session)
    assert "same Context" in str(info.value)


def test_set_session_accepts_session_of_same_context(pki):
    sctx = server_context(pki.server_rsa)
    cctx = client_context(pki)
    _, _, session = _first_session(sctx, cctx)
    assert SSL.Connection(cctx, None).set_session(session) is None


# ---------------------------------------------------------------------------
# resumption between two of ours (memory BIOs)


@pytest.mark.parametrize("version,name", VERSIONS)
def test_resumption(pki, version, name):
    sctx = server_context(pki.server_rsa)
    counting = CountingClient(pki, version)
    first, _, session = _first_session(sctx, counting.ctx)
    full = counting.calls
    assert full >= 1  # a full handshake verifies the server's chain

    client, server = _connect(sctx, counting.ctx, session)
    assert counting.calls == full  # resumed: no certificate to verify
    assert client.get_protocol_version_name() == name
    # the client still knows who it is talking to, from the session
    assert client.get_peer_certificate(as_cryptography=True) == pki.server_rsa.cert
    # a new handshake nevertheless: fresh randoms
    assert client.client_random() != first.client_random()

    client.send(b"resumed")
    transfer(client, server)
    assert server.recv(100) == b"resumed"


@pytest.mark.parametrize("version,name", VERSIONS)
def test_without_set_session_handshake_is_full(pki, version, name):
    sctx = server_context(pki.server_rsa)
    counting = CountingClient(pki, version)
    _first_session(sctx, counting.ctx)
    full = counting.calls
    _connect(sctx, counting.ctx)
    assert counting.calls == 2 * full


def test_tls12_resumption_keeps_master_key(pki):
    sctx = server_context(pki.server_rsa)
    cctx = client_context(pki, version=SSL.TLS1_2_VERSION)
    first, _, session = _first_session(sctx, cctx)
    client, server = _connect(sctx, cctx, session)
    assert client.master_key() == first.master_key()
    assert server.master_key() == first.master_key()

    fresh, _ = _connect(sctx, cctx)
    assert fresh.master_key() != first.master_key()


@pytest.mark.parametrize("version,name", VERSIONS)
def test_session_resumes_repeatedly(pki, version, name):
    sctx = server_context(pki.server_rsa)
    counting = CountingClient(pki, version)
    _, _, session = _first_session(sctx, counting.ctx)
    full = counting.calls
    for _ in range(3):
        _connect(sctx, counting.ctx, session)
    assert counting.calls == full


def test_tls13_resumed_connection_yields_new_session(pki):
    sctx = server_context(pki.server_rsa)
    counting = CountingClient(pki, SSL.TLS1_3_VERSION)
    _, _, session = _first_session(sctx, counting.ctx)
    full = counting.calls
    second, _ = _connect(sctx, counting.ctx, session)
    _read_pending(second)  # the new tickets
    _connect(sctx, counting.ctx, second.get_session())
    assert counting.calls == full


def test_no_tickets_and_no_server_cache_means_no_resumption(pki):
    sctx = server_context(pki.server_rsa, version=SSL.TLS1_2_VERSION)
    sctx.set_options(SSL.OP_NO_TICKET)
    assert sctx.set_session_cache_mode(SSL.SESS_CACHE_OFF) == SSL.SESS_CACHE_SERVER
    counting = CountingClient(pki, SSL.TLS1_2_VERSION)
    _, _, session = _first_session(sctx, counting.ctx)
    full = counting.calls
    _connect(sctx, counting.ctx, session)
    assert counting.calls == 2 * full


def test_server_session_cache_resumes_without_tickets(pki):
    sctx = server_context(pki.server_rsa, version=SSL.TLS1_2_VERSION)
    sctx.set_options(SSL.OP_NO_TICKET)
    assert sctx.get_session_cache_mode() == SSL.SESS_CACHE_SERVER
    counting = CountingClient(pki, SSL.TLS1_2_VERSION)
    first, _, session = _first_session(sctx, counting.ctx)
    full = counting.calls
    client, _ = _connect(sctx, counting.ctx, session)
    assert counting.calls == full
    assert client.master_key() == first.master_key()


def _client_auth_server(pki, session_id=None):
    sctx = server_context(pki.server_rsa)
    sctx.load_verify_locations(str(pki.ca_pem))
    sctx.set_verify(SSL.VERIFY_PEER | SSL.VERIFY_FAIL_IF_NO_PEER_CERT)
    if session_id is not None:
        sctx.set_session_id(session_id)
    return sctx


def _client_with_certificate(pki, version):
    counting = CountingClient(pki, version)
    counting.ctx.use_certificate_chain_file(str(pki.client.chain_pem))
    counting.ctx.use_privatekey_file(str(pki.client.key_pem))
    return counting


@pytest.mark.parametrize("version,name", VERSIONS)
def test_session_id_context_enables_resumption_with_client_auth(pki, version, name):
    sctx = _client_auth_server(pki, session_id=b"compat-suite")
    counting = _client_with_certificate(pki, version)
    _, _, session = _first_session(sctx, counting.ctx)
    full = counting.calls
    client, server = _connect(sctx, counting.ctx, session)
    assert counting.calls == full
    # the server remembers the client certificate through the session
    assert server.get_peer_certificate(as_cryptography=True) == pki.client.cert


@pytest.mark.parametrize("version,name", VERSIONS)
def test_resumption_with_client_auth_needs_session_id_context(pki, version, name):
    sctx = _client_auth_server(pki, session_id=None)
    counting = _client_with_certificate(pki, version)
    _, _, session = _first_session(sctx, counting.ctx)
    with pytest.raises(SSL.Error) as info:
        _connect(sctx, counting.ctx, session)
    assert not isinstance(info.value, (SSL.WantReadError, SSL.SysCallError))


def test_set_session_id_str_warns():
    ctx = SSL.Context(SSL.TLS_METHOD)
    with pytest.warns(DeprecationWarning):
        assert ctx.set_session_id("textual id") is None


def test_set_session_id_bytes_is_silent():
    ctx = SSL.Context(SSL.TLS_METHOD)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert ctx.set_session_id(b"binary id") is None


def test_session_cache_mode_values():
    ctx = SSL.Context(SSL.TLS_METHOD)
    assert ctx.get_session_cache_mode() == SSL.SESS_CACHE_SERVER
    assert ctx.set_session_cache_mode(SSL.SESS_CACHE_BOTH) == SSL.SESS_CACHE_SERVER
    assert ctx.get_session_cache_mode() == SSL.SESS_CACHE_BOTH
    mode = SSL.SESS_CACHE_CLIENT | SSL.SESS_CACHE_NO_INTERNAL
    assert ctx.set_session_cache_mode(mode) == SSL.SESS_CACHE_BOTH
    assert ctx.get_session_cache_mode() == mode
    assert ctx.set_session_cache_mode(SSL.SESS_CACHE_OFF) == mode
    assert ctx.get_session_cache_mode() == SSL.SESS_CACHE_OFF
    with pytest.raises(TypeError):
        ctx.set_session_cache_mode("both")


def test_context_timeout_values():
    ctx = SSL.Context(SSL.TLS_METHOD)
    default = ctx.get_timeout()
    assert isinstance(default, int) and default > 0
    assert ctx.set_timeout(42) == default
    assert ctx.get_timeout() == 42
    assert ctx.set_timeout(1) == 42
    with pytest.raises(TypeError):
        ctx.set_timeout(1.5)


def test_session_settings_frozen_once_used():
    ctx = SSL.Context(SSL.TLS_METHOD)
    SSL.Connection(ctx, None)
    for call in (
        lambda: ctx.set_session_id(b"x"),
        lambda: ctx.set_session_cache_mode(SSL.SESS_CACHE_OFF),
        lambda: ctx.set_timeout(5),
    ):
        with pytest.raises(ValueError):
            call()
    assert ctx.get_session_cache_mode() == SSL.SESS_CACHE_SERVER


def _lifecycle_first_connection(pki, counting, sctx):
    client, server = connection_pair(sctx, counting.ctx, host=b"localhost")
    handshake(client, server)
    _read_pending(client)
    return client, server, client.get_session()


@pytest.mark.parametrize("version,name", VERSIONS)
def test_session_survives_connection_closed_cleanly(pki, version, name):
    sctx = server_context(pki.server_rsa)
    counting = CountingClient(pki, version)
    client, server, session = _lifecycle_first_connection(pki, counting, sctx)
    assert client.shutdown() is False  # close_notify sent
    full = counting.calls
    del client, server
    gc.collect()
    _connect(sctx, counting.ctx, session)
    assert counting.calls == full


@pytest.mark.parametrize("version,name", VERSIONS)
def test_session_spoiled_by_connection_dropped_without_shutdown(pki, version, name):
    sctx = server_context(pki.server_rsa)
    counting = CountingClient(pki, version)
    client, server, session = _lifecycle_first_connection(pki, counting, sctx)
    full = counting.calls
    del client, server  # no close_notify: OpenSSL treats the session as bad
    gc.collect()
    _connect(sctx, counting.ctx, session)
    assert counting.calls == 2 * full


# ---------------------------------------------------------------------------
# resumption with the openssl command-line tool


def _close_cleanly(conn: SSL.Connection) -> None:
    """Send close_notify: a session whose connection was dropped without it is
    no longer offered for resumption."""
    try:
        conn.shutdown()
    except SSL.Error:
        pass


def _fetch_page(pki, port, cctx, session=None):
    sock = socket.create_connection(("127.0.0.1", port), timeout=IO_TIMEOUT)
    try:
        set_mode(sock, "blocking")
        conn = SSL.Connection(cctx, sock)
        conn.set_connect_state()
        conn.set_tlsext_host_name(b"localhost")
        if session is not None:
            conn.set_session(session)
        conn.do_handshake()
        conn.sendall(b"GET / HTTP/1.0\r\n\r\n")
        page = b""
        while True:
            try:
                page += conn.recv(65536)
            except SSL.ZeroReturnError:
                break
        next_session = conn.get_session()
        _close_cleanly(conn)
        return page, next_session
    finally:
        sock.close()


@needs_openssl
@pytest.mark.parametrize("version,name", VERSIONS)
def test_our_client_resumes_with_openssl_s_server(pki, tracker, version, name):
    server = OpenSSLServer(
        "-cert", str(pki.server_rsa.chain_pem),
        "-key", str(pki.server_rsa.key_pem),
        "-www",
        naccept=2,
    )
    tracker.processes.append(server)
    cctx = client_context(pki, version=version)

    page, session = _fetch_page(pki, server.port, cctx)
    assert ("New, %s, Cipher is" % name).encode() in page
    page, _ = _fetch_page(pki, server.port, cctx, session)
    # s_server's status page says whether the session was reused
    assert ("Reused, %s, Cipher is" % name).encode() in page
    server.finish()


def _our_echo_server(lsock, sctx, count):
    received = []
    for _ in range(count):
        raw, _ = lsock.accept()
        try:
            set_mode(raw, "blocking")
            conn = SSL.Connection(sctx, raw)
            conn.set_accept_state()
            conn.do_handshake()
            line = conn.recv(1024)
            conn.sendall(line.upper())
            conn.shutdown()
            received.append(line)
        finally:
            raw.close()
    return received


def _s_client(pki, port, version, data, *extra):
    return run_s_client(
        "-connect", "127.0.0.1:%d" % port,
        "-CAfile", str(pki.ca_pem),
        "-servername", "localhost",
        "-ign_eof",
        S_CLIENT_VERSION_FLAG[version],
        *extra,
        stdin=data,
    )


@needs_openssl
@pytest.mark.parametrize("version,name", VERSIONS)
def test_openssl_s_client_resumes_with_our_server(pki, tracker, tmp_path, version, name):
    sctx = server_context(pki.server_rsa, version=version)
    sctx.set_session_id(b"compat-suite")
    lsock = tracker.add(tcp_listener())
    port = lsock.getsockname()[1]
    server = Background(_our_echo_server, lsock, sctx, 2)
    session_file = str(tmp_path / "session.pem")

    first = _s_client(pki, port, version, b"first\n", "-sess_out", session_file)
    second = _s_client(pki, port, version, b"second\n", "-sess_in", session_file)
    assert server.join() == [b"first\n", b"second\n"]

    out1 = first.stdout.decode("latin-1")
    out2 = second.stdout.decode("latin-1")
    assert "New, %s, Cipher is" % name in out1, out1
    assert "FIRST" in out1
    assert "Reused, %s, Cipher is" % name in out2, out2
    assert "SECOND" in out2


def _session_id_line(s_client_output: str) -> str:
    for line in s_client_output.splitlines():
        if line.strip().startswith("Session-ID:"):
            return line.split(":", 1)[1].strip()
    raise AssertionError("no Session-ID line in %r" % s_client_output)


@needs_openssl
def test_server_session_cache_with_openssl_s_client(pki, tracker, tmp_path):
    # TLS 1.2 without tickets: resumption relies on our server's session cache
    version = SSL.TLS1_2_VERSION
    sctx = server_context(pki.server_rsa, version=version)
    sctx.set_session_id(b"compat-suite")
    sctx.set_options(SSL.OP_NO_TICKET)
    lsock = tracker.add(tcp_listener())
    port = lsock.getsockname()[1]
    server = Background(_our_echo_server, lsock, sctx, 2)
    session_file = str(tmp_path / "session.pem")

    first = _s_client(pki, port, version, b"one\n", "-sess_out", session_file)
    second = _s_client(pki, port, version, b"two\n", "-sess_in", session_file)
    assert server.join() == [b"one\n", b"two\n"]
    out1 = first.stdout.decode("latin-1")
    out2 = second.stdout.decode("latin-1")
    assert _session_id_line(out1) != ""
    assert "Reused, TLSv1.2" in out2, out2
    assert _session_id_line(out2) == _session_id_line(out1)


@needs_openssl
def test_server_cache_off_gives_openssl_s_client_no_session_id(pki, tracker):
    version = SSL.TLS1_2_VERSION
    sctx = server_context(pki.server_rsa, version=version)
    sctx.set_options(SSL.OP_NO_TICKET)
    sctx.set_session_cache_mode(SSL.SESS_CACHE_OFF)
    lsock = tracker.add(tcp_listener())
    port = lsock.getsockname()[1]
    server = Background(_our_echo_server, lsock, sctx, 1)
    result = _s_client(pki, port, version, b"one\n")
    assert server.join() == [b"one\n"]
    out = result.stdout.decode("latin-1")
    assert "New, TLSv1.2" in out
    # nothing to resume: the server handed out neither a session ID nor a ticket
    assert _session_id_line(out) == ""
    assert "TLS session ticket:" not in out


# ---------------------------------------------------------------------------
# renegotiation (TLS 1.2, memory BIOs)


def _tls12_pair(pki):
    sctx = server_context(pki.server_rsa, version=SSL.TLS1_2_VERSION)
    cctx = client_context(pki, version=SSL.TLS1_2_VERSION)
    return _connect(sctx, cctx)


def _drive_renegotiation(initiator, peer):
    """Exchange records, reading on both sides, until the initiator is done."""
    for _ in range(20):
        for conn in (peer, initiator):
            try:
                conn.recv(1024)
            except SSL.WantReadError:
                pass
        transfer(initiator, peer)
        transfer(peer, initiator)
        if not initiator.renegotiate_pending():
            return
    raise AssertionError("renegotiation did not finish")


def test_renegotiation_counters_on_fresh_connection(pki):
    conn = SSL.Connection(client_context(pki), None)
    assert conn.renegotiate_pending() is False
    assert conn.total_renegotiations() == 0


def test_server_initiated_renegotiation(pki):
    client, server = _tls12_pair(pki)
    assert server.total_renegotiations() == 0
    assert client.total_renegotiations() == 0
    finished = server.get_finished()
    peer_finished = client.get_peer_finished()

    assert server.renegotiate() is True
    assert server.renegotiate_pending() is True
    # already pending: nothing new to start
    assert server.renegotiate() is False
    assert server.total_renegotiations() == 0

    server.do_handshake()  # sends the HelloRequest
    _drive_renegotiation(server, client)

    assert server.renegotiate_pending() is False
    assert server.total_renegotiations() == 1
    assert client.total_renegotiations() == 1
    # a new handshake happened: new Finished messages
    assert server.get_finished() != finished
    assert client.get_peer_finished() != peer_finished
    assert client.get_peer_finished() == server.get_finished()

    # and the connection still carries data both ways
    client.send(b"after renegotiation")
    transfer(client, server)
    assert server.recv(100) == b"after renegotiation"
    server.send(b"ack")
    transfer(server, client)
    assert client.recv(100) == b"ack"


def test_renegotiation_twice(pki):
    client, server = _tls12_pair(pki)
    for expected in (1, 2):
        assert server.renegotiate() is True
        server.do_handshake()
        _drive_renegotiation(server, client)
        assert server.total_renegotiations() == expected
        assert client.total_renegotiations() == expected


def test_client_initiated_renegotiation_is_refused_by_default(pki):
    client, server = _tls12_pair(pki)
    assert client.renegotiate() is True
    assert client.renegotiate_pending() is True
    with pytest.raises(SSL.WantReadError):
        client.do_handshake()
    with pytest.raises(SSL.Error) as info:
        for _ in range(10):
            transfer(client, server)
            try:
                server.recv(1024)
            except SSL.WantReadError:
                pass
            transfer(server, client)
            try:
                client.recv(1024)
            except SSL.WantReadError:
                pass
    assert not isinstance(info.value, (SSL.WantReadError, SSL.ZeroReturnError))


def test_renegotiate_is_refused_in_tls13(make_pair):
    client, server = make_pair(version=SSL.TLS1_3_VERSION)
    with pytest.raises(SSL.Error):
        client.renegotiate()
    assert client.total_renegotiations() == 0
