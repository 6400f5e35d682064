"""Context setters about protocol versions, ciphers, groups, options,
modes, callbacks and extensions: each called on a fresh Context
(test_context.SETTER_NAMES) must take effect, seen through a getter where
pyOpenSSL has one, otherwise through a real memory-BIO handshake."""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import pytest  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402

import callback_helpers as H  # noqa: E402
from OpenSSL import SSL  # noqa: E402

from conftest import client_context, connection_pair, handshake, server_context  # noqa: E402
from handshake_failures import assert_failure, fail_handshake  # noqa: E402
from setter_effects_helpers import Counter, connect, new_context  # noqa: E402
import test_setter_effects_identity as identity  # noqa: E402
from test_context import SETTER_NAMES  # noqa: E402


def min_proto_version(pki):
    cctx = client_context(pki)
    cctx.set_min_proto_version(SSL.TLS1_3_VERSION)
    client, server = connection_pair(server_context(pki.server_rsa, version=SSL.TLS1_2_VERSION), cctx)
    assert_failure(fail_handshake(client, server), "server", "unsupported protocol")


def max_proto_version(pki):
    cctx = client_context(pki)
    cctx.set_max_proto_version(SSL.TLS1_2_VERSION)
    client, _ = connect(server_context(pki.server_rsa), cctx)
    assert client.get_protocol_version_name() == "TLSv1.2"


def cipher_list(pki):
    cctx = client_context(pki, version=SSL.TLS1_2_VERSION)
    cctx.set_cipher_list(b"ECDHE-RSA-CHACHA20-POLY1305")
    client, _ = connect(server_context(pki.server_rsa), cctx)
    assert client.get_cipher_name() == "ECDHE-RSA-CHACHA20-POLY1305"


def tls13_ciphersuites(pki):
    cctx = client_context(pki)
    cctx.set_tls13_ciphersuites(b"TLS_AES_128_GCM_SHA256")
    client, _ = connect(server_context(pki.server_rsa), cctx)
    assert client.get_cipher_name() == "TLS_AES_128_GCM_SHA256"


def tmp_ecdh(pki):
    sctx = server_context(pki.server_rsa)
    sctx.set_tmp_ecdh(ec.SECP384R1())
    client, server = connect(sctx, client_context(pki))
    assert server.get_group_name() == client.get_group_name() == "secp384r1"


def options(pki):
    cctx = client_context(pki)
    assert cctx.set_options(SSL.OP_NO_TLSv1_3) & SSL.OP_NO_TLSv1_3
    assert cctx.set_options(0) & SSL.OP_NO_TLSv1_3
    client, _ = connect(server_context(pki.server_rsa), cctx)
    assert client.get_protocol_version_name() == "TLSv1.2"


def mode(pki):
    ctx = new_context()
    assert not ctx.set_mode(0) & SSL.MODE_RELEASE_BUFFERS
    assert ctx.set_mode(SSL.MODE_RELEASE_BUFFERS) & SSL.MODE_RELEASE_BUFFERS
    assert ctx.set_mode(0) & SSL.MODE_RELEASE_BUFFERS


def clear_mode(pki):
    ctx = new_context()
    ctx.set_mode(SSL.MODE_RELEASE_BUFFERS)
    assert not ctx.clear_mode(SSL.MODE_RELEASE_BUFFERS) & SSL.MODE_RELEASE_BUFFERS
    assert not ctx.set_mode(0) & SSL.MODE_RELEASE_BUFFERS


def info_callback(pki):
    sctx = server_context(pki.server_rsa)
    seen = Counter()
    sctx.set_info_callback(seen)
    _, server = connect(sctx, client_context(pki))
    assert any(conn is server and where & SSL.SSL_CB_HANDSHAKE_DONE for conn, where, _ in seen.calls)


def keylog_callback(pki):
    cctx = client_context(pki)
    seen = Counter()
    cctx.set_keylog_callback(seen)
    client, _ = connect(server_context(pki.server_rsa), cctx)
    assert {line.split(b" ")[0] for _, line in seen.calls} == H.TLS13_KEYLOG_LABELS
    assert all(conn is client for conn, _ in seen.calls)


def servername_callback(pki):
    sctx = server_context(pki.server_rsa)
    names = []
    sctx.set_tlsext_servername_callback(lambda conn: names.append(conn.get_servername()))
    connect(sctx, client_context(pki))
    assert names == [b"localhost"]


def use_srtp(pki):
    # OpenSSL offers use_srtp over DTLS only
    sctx = server_context(pki.server_rsa, SSL.DTLS_METHOD)
    cctx = client_context(pki, SSL.DTLS_METHOD)
    for ctx in (sctx, cctx):
        ctx.set_tlsext_use_srtp(b"SRTP_AES128_CM_SHA1_80")
    client, server = connect(sctx, cctx)
    assert client.get_selected_srtp_profile() == server.get_selected_srtp_profile() == b"SRTP_AES128_CM_SHA1_80"


def alpn_protos(pki):
    offered = []
    sctx = server_context(pki.server_rsa)
    sctx.set_alpn_select_callback(lambda conn, protos: (offered.append(protos), protos[-1])[1])
    cctx = client_context(pki)
    cctx.set_alpn_protos([b"h2", b"http/1.1"])
    client, _ = connect(sctx, cctx)
    assert offered == [[b"h2", b"http/1.1"]]
    assert client.get_alpn_proto_negotiated() == b"http/1.1"


def alpn_select_callback(pki):
    sctx = server_context(pki.server_rsa)
    sctx.set_alpn_select_callback(lambda conn, protos: b"h2")
    cctx = client_context(pki)
    cctx.set_alpn_protos([b"http/1.1", b"h2"])
    client, server = connect(sctx, cctx)
    assert client.get_alpn_proto_negotiated() == server.get_alpn_proto_negotiated() == b"h2"


def ocsp_stapling(pki):
    staple = H.ocsp_response_der(pki.server_rsa.cert, pki.ca_cert)
    sctx = server_context(pki.server_rsa)
    asked = Counter(result=staple)
    sctx.set_ocsp_server_callback(asked)
    received = Counter(result=True)
    cctx = client_context(pki)
    cctx.set_ocsp_client_callback(received)
    client, server = connection_pair(sctx, cctx, host=b"localhost")
    client.request_ocsp()
    handshake(client, server)
    assert [call[0] for call in asked.calls] == [server]
    assert [call[:2] for call in received.calls] == [(client, staple)]


EFFECTS = {
    "set_min_proto_version": min_proto_version,
    "set_max_proto_version": max_proto_version,
    "set_tmp_ecdh": tmp_ecdh,
    "set_cipher_list": cipher_list,
    "set_tls13_ciphersuites": tls13_ciphersuites,
    "set_info_callback": info_callback,
    "set_keylog_callback": keylog_callback,
    "set_options": options,
    "set_mode": mode,
    "clear_mode": clear_mode,
    "set_tlsext_servername_callback": servername_callback,
    "set_tlsext_use_srtp": use_srtp,
    "set_alpn_protos": alpn_protos,
    "set_alpn_select_callback": alpn_select_callback,
    "set_ocsp_server_callback": ocsp_stapling,
    "set_ocsp_client_callback": ocsp_stapling,
}


def test_every_setter_has_an_effect_check():
    assert sorted({**EFFECTS, **identity.EFFECTS}) == sorted(SETTER_NAMES)
    assert not set(EFFECTS) & set(identity.EFFECTS)


@pytest.mark.parametrize("name", sorted(EFFECTS))
def test_setter_takes_effect(pki, name):
    EFFECTS[name](pki)
