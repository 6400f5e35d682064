"""want_read() / want_write() return real bools (a README deviation row:
pyOpenSSL 26.4 returns OpenSSL's int 0/1, and its annotations say bool).

Each flag is read both ways after a real reason for it: a handshake waiting
for the peer (want_read), and a send into a full loopback socket buffer
(want_write, which memory BIOs never produce: they grow instead)."""

from __future__ import annotations

import os
import socket
import sys

sys.path.insert(0, os.path.dirname(__file__))

import pytest  # noqa: E402

from OpenSSL import SSL  # noqa: E402

from conftest import client_context, server_context  # noqa: E402
from socket_helpers import handshake_nonblocking, tcp_pair  # noqa: E402

pytestmark = pytest.mark.deviation


def test_want_read_is_a_bool_both_ways(pki):
    client = SSL.Connection(client_context(pki), None)
    client.set_connect_state()
    assert client.want_read() is False
    with pytest.raises(SSL.WantReadError):
        client.do_handshake()  # the ClientHello is out; the reply is awaited
    assert client.want_read() is True
    assert client.want_write() is False


def test_want_write_is_a_bool_both_ways(pki):
    csock, ssock = tcp_pair()
    with csock, ssock:
        for sock in (csock, ssock):
            sock.setblocking(False)
        csock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
        ssock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        client = SSL.Connection(client_context(pki), csock)
        client.set_connect_state()
        server = SSL.Connection(server_context(pki.server_ec), ssock)
        server.set_accept_state()
        handshake_nonblocking(client, server)
        assert client.want_write() is False
        with pytest.raises(SSL.WantWriteError):
            for _ in range(1000):  # the server never reads: the buffer fills
                client.send(b"w" * 16384)
        assert client.want_write() is True
        assert client.want_read() is False
