"""Context.set_timeout on a server expires its sessions.

A server Context with a 2 s session lifetime hands out sessions; resuming
one at once works, resuming it 3.5 s later does not (a full handshake runs
instead, and data still flows). A session from a server with the default
lifetime, made at the same time and tried after the same wait, still
resumes: the wait alone does not spoil sessions.

pyOpenSSL 26.4 has no session_reused(): as in test_sessions.py, a resumed
handshake is one in which the client's verify callback is not called (the
server sends no certificate). OpenSSL 3.0 keeps session times in whole
seconds and expires a session only when now > time + timeout, so a 2 s
session is certainly gone after 3.5 s.
"""

from __future__ import annotations

import time

import pytest

from OpenSSL import SSL

from conftest import client_context, connection_pair, handshake, server_context, transfer

SHORT_LIFETIME = 2
WAIT = 3.5
VERSIONS = [SSL.TLS1_2_VERSION, SSL.TLS1_3_VERSION]
VERSION_IDS = {SSL.TLS1_2_VERSION: "tls12", SSL.TLS1_3_VERSION: "tls13"}


class Client:
    """A verifying client Context that counts verify-callback calls."""

    def __init__(self, pki, version):
        self.calls = 0
        self.ctx = client_context(pki, version=version)
        self.ctx.set_verify(SSL.VERIFY_PEER, self._verify)

    def _verify(self, conn, cert, errnum, depth, ok):
        self.calls += 1
        return ok

    def connect(self, sctx, session=None):
        """Handshake (offering *session*); returns (resumed, client, server)."""
        client, server = connection_pair(sctx, self.ctx, host=b"localhost")
        if session is not None:
            client.set_session(session)
        before = self.calls
        handshake(client, server)
        # TLS 1.3 tickets arrive after the handshake: let the client read them
        with pytest.raises(SSL.WantReadError):
            client.recv(1024)
        client.sendall(b"ping")
        transfer(client, server)
        assert server.recv(100) == b"ping"
        return self.calls == before, client, server


class Aged:
    """Sessions of one version, tried before and after the wait."""

    def __init__(self, pki, version):
        self.client = Client(pki, version)
        self.short_server = server_context(pki.server_rsa, version=version)
        assert self.short_server.set_timeout(SHORT_LIFETIME) == 7200
        self.long_server = server_context(pki.server_rsa, version=version)
        # OpenSSL forgets a session whose Connection is freed without a TLS
        # shutdown: keep every Connection until the module ends.
        self.alive = []
        self.short_session = self._first_session(self.short_server)
        # at once, well inside the lifetime even on a loaded machine
        self.resumed_before_expiry = self.resume(self.short_server, self.short_session)
        self.long_session = self._first_session(self.long_server)

    def _first_session(self, sctx):
        resumed, client, server = self.client.connect(sctx)
        assert not resumed and self.client.calls > 0
        self.alive += [client, server]
        return client.get_session()

    def resume(self, sctx, session) -> bool:
        resumed, client, server = self.client.connect(sctx, session)
        self.alive += [client, server]
        return resumed


@pytest.fixture(scope="module")
def aged(pki):
    """One wait for both versions: sessions made, resumed once at once,
    then left to age past the short lifetime."""
    sessions = {version: Aged(pki, version) for version in VERSIONS}
    time.sleep(WAIT)
    return sessions


@pytest.mark.parametrize("version", VERSIONS, ids=VERSION_IDS.get)
def test_a_fresh_session_resumes(aged, version):
    assert aged[version].resumed_before_expiry


@pytest.mark.parametrize("version", VERSIONS, ids=VERSION_IDS.get)
def test_an_expired_session_does_not_resume(aged, version):
    sessions = aged[version]
    assert not sessions.resume(sessions.short_server, sessions.short_session)


@pytest.mark.parametrize("version", VERSIONS, ids=VERSION_IDS.get)
def test_a_session_with_the_default_lifetime_still_resumes(aged, version):
    sessions = aged[version]
    assert sessions.long_server.get_timeout() == 7200
    assert sessions.resume(sessions.long_server, sessions.long_session)
