"""Callbacks that call back into the Connection that is running them.

OpenSSL cannot take a second call that runs or resets a connection's state
machine while that connection is inside a first one: from an info callback,
`DTLSv1_listen()` or `set_accept_state()` free the handshake state the
running `SSL_do_handshake` still uses (fuzzing found the crash, FINDINGS.md
F5). Ours refuses those calls with RuntimeError, which the handshake then
raises; pyOpenSSL lets them through (undefined behaviour), so the refusals
are ours. Calls that only read or adjust settings stay allowed, and so does
`shutdown()`, which Twisted calls from its info callback when a host name
check fails.
"""

from __future__ import annotations

import pytest

from OpenSSL import SSL

from conftest import client_context, connection_pair, handshake, server_context, transfer

REFUSED = {
    "do_handshake": lambda conn: conn.do_handshake(),
    "DTLSv1_listen": lambda conn: conn.DTLSv1_listen(),
    "DTLSv1_handle_timeout": lambda conn: conn.DTLSv1_handle_timeout(),
    "set_accept_state": lambda conn: conn.set_accept_state(),
    "set_connect_state": lambda conn: conn.set_connect_state(),
    "recv": lambda conn: conn.recv(10),
    "recv_into": lambda conn: conn.recv_into(bytearray(10)),
    "send": lambda conn: conn.send(b"x"),
    "sendall": lambda conn: conn.sendall(b"x"),
    "renegotiate": lambda conn: conn.renegotiate(),
}


@pytest.mark.ours
@pytest.mark.parametrize("side", ["client", "server"])
@pytest.mark.parametrize("name", sorted(REFUSED))
def test_state_machine_calls_from_own_info_callback_are_refused(pki, side, name):
    calls = []

    def info(conn, where, ret):
        if where & SSL.SSL_CB_LOOP and not calls:
            calls.append(where)
            REFUSED[name](conn)

    sctx, cctx = server_context(pki.server_ec), client_context(pki)
    (sctx if side == "server" else cctx).set_info_callback(info)
    client, server = connection_pair(sctx, cctx)
    with pytest.raises(RuntimeError, match=rf"Connection\.{name}\(\) cannot be called while the same Connection"):
        handshake(client, server)
    assert calls
    # the refusal broke nothing: a fresh pair on the same contexts completes
    calls.append("done")
    client, server = connection_pair(sctx, cctx)
    handshake(client, server)
    client.send(b"still fine")
    transfer(client, server)
    assert server.recv(100) == b"still fine"


@pytest.mark.ours
def test_set_session_from_own_verify_callback_is_refused(pki):
    sctx, cctx = server_context(pki.server_ec), client_context(pki)
    client, server = connection_pair(sctx, cctx)
    handshake(client, server)
    session = client.get_session()
    calls = []

    def verify(conn, cert, errnum, depth, ok):
        if not calls:
            calls.append(depth)
            conn.set_session(session)
        return ok

    cctx2 = client_context(pki)
    cctx2.set_verify(SSL.VERIFY_PEER, verify)
    client, server = connection_pair(server_context(pki.server_ec), cctx2)
    with pytest.raises(RuntimeError, match=r"set_session\(\) cannot be called"):
        handshake(client, server)
    assert calls


def test_other_connection_may_be_driven_from_a_callback(pki):
    """Re-entry into a *different* Connection is fine: the server's info
    callback moves the client's handshake along."""
    sctx, cctx = server_context(pki.server_ec), client_context(pki)
    seen = []

    def info(conn, where, ret):
        if where & SSL.SSL_CB_HANDSHAKE_DONE:
            try:
                client.do_handshake()
            except SSL.WantReadError:
                pass
            seen.append(client.get_state_string())

    sctx.set_info_callback(info)
    client, server = connection_pair(sctx, cctx)
    handshake(client, server)
    assert seen


def test_reads_and_settings_from_own_info_callback_are_allowed(pki):
    sctx, cctx = server_context(pki.server_ec), client_context(pki)
    seen = []

    def info(conn, where, ret):
        if where & SSL.SSL_CB_HANDSHAKE_START:
            conn.set_tlsext_host_name(b"example.test")  # what Twisted does
        if where & SSL.SSL_CB_HANDSHAKE_DONE:
            seen.append((conn.get_protocol_version_name(), conn.get_peer_certificate() is not None, conn.pending()))

    cctx.set_info_callback(info)
    client, server = connection_pair(sctx, cctx)
    handshake(client, server)
    assert server.get_servername() == b"example.test"
    assert seen and seen[-1][1]


def test_shutdown_from_own_info_callback_is_allowed(pki):
    """Twisted's failVerification(): shutdown() inside the info callback at
    handshake completion sends close_notify, and the peer sees it."""
    sctx, cctx = server_context(pki.server_ec), client_context(pki)
    results = []

    def info(conn, where, ret):
        if where & SSL.SSL_CB_HANDSHAKE_DONE and not results:
            results.append(conn.shutdown())

    cctx.set_info_callback(info)
    client, server = connection_pair(sctx, cctx)
    handshake(client, server)
    assert results == [False]
    assert client.get_shutdown() & SSL.SENT_SHUTDOWN
    transfer(client, server)
    with pytest.raises(SSL.ZeroReturnError):
        server.recv(100)
