"""Context setters about trust, the server's own certificate and key, the
CAs it names to clients, sessions and app data: each called on a fresh
Context (test_context.SETTER_NAMES) must take effect, seen through a getter
where pyOpenSSL has one, otherwise through a real memory-BIO handshake.
The other setters: test_setter_effects_negotiation.py."""

from __future__ import annotations

import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))

import pytest  # noqa: E402

from OpenSSL import SSL  # noqa: E402

from conftest import client_context, connection_pair, handshake, server_context  # noqa: E402
from handshake_failures import assert_failure, fail_handshake  # noqa: E402
from setter_effects_helpers import Counter, connect, new_context  # noqa: E402


def bare_server(pki):
    """A server Context with only the RSA leaf and its key."""
    ctx = new_context()
    ctx.use_certificate_file(str(pki.server_rsa.cert_pem))
    ctx.use_privatekey_file(str(pki.server_rsa.key_pem))
    return ctx


def verifying_client():
    ctx = new_context()
    ctx.set_verify(SSL.VERIFY_PEER)
    return ctx


def served_chain(pki, sctx):
    client, _ = connect(sctx, client_context(pki))
    return client.get_peer_cert_chain(as_cryptography=True)


def verify_locations(pki):
    cctx = verifying_client()
    cctx.load_verify_locations(str(pki.ca_pem))
    client, _ = connect(server_context(pki.server_rsa), cctx)
    assert client.get_verified_chain(as_cryptography=True)[-1] == pki.ca_cert


def default_verify_paths(pki):
    # OpenSSL reads these variables when it loads the default paths (and
    # pyOpenSSL then skips its fallback locations)
    with pytest.MonkeyPatch.context() as env, tempfile.TemporaryDirectory() as empty:
        env.setenv("SSL_CERT_FILE", str(pki.ca_pem))
        env.setenv("SSL_CERT_DIR", empty)
        cctx = verifying_client()
        cctx.set_default_verify_paths()
    client, _ = connect(server_context(pki.server_rsa), cctx)
    assert client.get_verified_chain(as_cryptography=True)[-1] == pki.ca_cert


def verify(pki):
    ctx = new_context()
    ctx.set_verify(SSL.VERIFY_PEER)
    assert ctx.get_verify_mode() == SSL.VERIFY_PEER
    # no trust anchor: the server's chain is now rejected
    client, server = connection_pair(server_context(pki.server_rsa), ctx)
    assert_failure(fail_handshake(client, server), "client", "certificate verify failed")


def verify_depth(pki):
    ctx = new_context()
    ctx.set_verify_depth(3)
    assert ctx.get_verify_depth() == 3  # enforcement: test_verify_depth.py


def chain_file(pki):
    sctx = new_context()
    sctx.use_certificate_chain_file(str(pki.server_rsa.chain_pem))
    sctx.use_privatekey_file(str(pki.server_rsa.key_pem))
    assert served_chain(pki, sctx) == [pki.server_rsa.cert, pki.ca_cert]


def certificate_file(pki):
    sctx = new_context()
    sctx.use_certificate_file(str(pki.server_ec.cert_pem))
    sctx.use_privatekey_file(str(pki.server_ec.key_pem))
    assert served_chain(pki, sctx) == [pki.server_ec.cert]


def certificate(pki):
    sctx = new_context()
    sctx.use_certificate(pki.server_ec.cert)
    sctx.use_privatekey(pki.server_ec.key)
    assert served_chain(pki, sctx) == [pki.server_ec.cert]


def privatekey_file(pki):
    sctx = new_context()
    sctx.use_privatekey_file(str(pki.server_ec.key_pem))
    sctx.use_certificate(pki.server_ec.cert)  # keeps the key only if it fits
    assert sctx.check_privatekey() is None
    served_chain(pki, sctx)  # the handshake signs with that key


def privatekey(pki):
    sctx = new_context()
    sctx.use_privatekey(pki.server_ec.key)
    sctx.use_certificate(pki.server_ec.cert)
    assert sctx.check_privatekey() is None
    served_chain(pki, sctx)


def extra_chain_cert(pki):
    sctx = bare_server(pki)
    sctx.add_extra_chain_cert(pki.ca_cert)
    assert served_chain(pki, sctx) == [pki.server_rsa.cert, pki.ca_cert]


def client_ca_check(configure):
    def check(pki):
        sctx = bare_server(pki)
        configure(sctx, pki)
        # sent to the client when the server asks for a certificate
        sctx.set_verify(SSL.VERIFY_PEER)
        sctx.load_verify_locations(str(pki.ca_pem))
        assert SSL.Connection(sctx, None).get_client_ca_list(as_cryptography=True) == [pki.ca_cert.subject]
        client, _ = connect(sctx, client_context(pki))
        assert client.get_client_ca_list(as_cryptography=True) == [pki.ca_cert.subject]
    return check


def session_id(pki):
    # A server that verifies clients resumes sessions only with a session ID
    # context (test_sessions.py shows the failure without one).
    sctx = server_context(pki.server_ec, version=SSL.TLS1_2_VERSION)
    sctx.set_session_id(b"session-id")
    sctx.set_verify(SSL.VERIFY_PEER | SSL.VERIFY_FAIL_IF_NO_PEER_CERT)
    sctx.load_verify_locations(str(pki.ca_pem))
    verified = Counter(result=True)
    cctx = client_context(pki, version=SSL.TLS1_2_VERSION)
    cctx.set_verify(SSL.VERIFY_PEER, lambda *args: verified(*args) or args[-1])
    cctx.use_certificate_chain_file(str(pki.client.chain_pem))
    cctx.use_privatekey_file(str(pki.client.key_pem))
    first, _ = connect(sctx, cctx)
    full = len(verified.calls)
    client, server = connection_pair(sctx, cctx, host=b"localhost")
    client.set_session(first.get_session())
    handshake(client, server)
    assert full > 0 and len(verified.calls) == full  # resumed: nothing to verify
    assert server.get_peer_certificate(as_cryptography=True) == pki.client.cert


def session_cache_mode(pki):
    ctx = new_context()
    assert ctx.set_session_cache_mode(SSL.SESS_CACHE_OFF) == SSL.SESS_CACHE_SERVER
    assert ctx.get_session_cache_mode() == SSL.SESS_CACHE_OFF


def timeout(pki):
    ctx = new_context()
    ctx.set_timeout(10)
    assert ctx.get_timeout() == 10  # expiry: test_session_timeout.py


def app_data(pki):
    ctx = new_context()
    ctx.set_app_data("data")
    assert ctx.get_app_data() == "data"
    assert SSL.Connection(ctx, None).get_context().get_app_data() == "data"


EFFECTS = {
    "load_verify_locations": verify_locations,
    "set_default_verify_paths": default_verify_paths,
    "use_certificate_chain_file": chain_file,
    "use_certificate_file": certificate_file,
    "use_privatekey_file": privatekey_file,
    "use_certificate": certificate,
    "use_privatekey": privatekey,
    "add_extra_chain_cert": extra_chain_cert,
    "add_client_ca": client_ca_check(lambda ctx, pki: ctx.add_client_ca(pki.ca_cert)),
    "load_client_ca": client_ca_check(lambda ctx, pki: ctx.load_client_ca(os.fsencode(pki.ca_pem))),
    "set_session_id": session_id,
    "set_session_cache_mode": session_cache_mode,
    "set_verify": verify,
    "set_verify_depth": verify_depth,
    "set_timeout": timeout,
    "set_app_data": app_data,
}


@pytest.mark.parametrize("name", sorted(EFFECTS))
def test_setter_takes_effect(pki, name):
    EFFECTS[name](pki)
