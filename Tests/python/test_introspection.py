"""What a Connection reports about itself (memory BIOs): Finished messages,
randoms, master key, exported keying material, state strings, cipher lists,
key-exchange group; per-connection settings (set_context, set_options,
set_verify, SRTP, OCSP requests); how "too early" calls behave; and a used
Context refusing changes."""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import subprocess
import textwrap

import pytest

from cryptography.hazmat.primitives import serialization
from cryptography.x509 import ocsp

from OpenSSL import SSL, crypto

from conftest import (
    client_context,
    connection_pair,
    handshake,
    server_context,
)

VERSIONS = [
    pytest.param(SSL.TLS1_2_VERSION, "TLSv1.2", id="tls12"),
    pytest.param(SSL.TLS1_3_VERSION, "TLSv1.3", id="tls13"),
]

USED_MESSAGE = (
    "Context has already been used to create a Connection, it cannot be "
    "mutated again"
)


def _pair(pki, version=None, *, identity=None, do_handshake=True, method=SSL.TLS_METHOD):
    sctx = server_context(identity or pki.server_rsa, method, version=version)
    cctx = client_context(pki, method, version=version)
    client, server = connection_pair(sctx, cctx, host=b"localhost")
    if do_handshake:
        handshake(client, server)
    return client, server


def _read_pending(conn):
    with pytest.raises(SSL.WantReadError):
        conn.recv(1024)


# ---------------------------------------------------------------------------
# "too early": before any handshake


TOO_EARLY = [
    ("get_finished", None),
    ("get_peer_finished", None),
    ("client_random", None),
    ("server_random", None),
    ("master_key", None),
    ("get_group_name", None),
    ("get_cipher_name", None),
    ("get_cipher_bits", None),
    ("get_cipher_version", None),
    ("get_session", None),
    ("get_peer_certificate", None),
    ("get_peer_cert_chain", None),
    ("get_verified_chain", None),
    ("get_selected_srtp_profile", b""),
    ("get_alpn_proto_negotiated", b""),
    ("get_client_ca_list", []),
    ("DTLSv1_get_timeout", None),
    ("DTLSv1_handle_timeout", False),
    ("request_ocsp", None),
    ("pending", 0),
    ("get_shutdown", 0),
    ("total_renegotiations", 0),
    ("renegotiate_pending", False),
]


@pytest.mark.parametrize("side", ["client", "server"])
@pytest.mark.parametrize("name,expected", TOO_EARLY, ids=[n for n, _ in TOO_EARLY])
def test_too_early_calls(pki, side, name, expected):
    client, server = _pair(pki, do_handshake=False)
    conn = client if side == "client" else server
    result = getattr(conn, name)()
    assert result == expected
    assert type(result) is type(expected)
    # and the connection is still perfectly usable
    handshake(client, server)
    assert client.get_cipher_name() == server.get_cipher_name()


def test_too_early_without_role(pki):
    conn = SSL.Connection(client_context(pki), None)
    for name, expected in TOO_EARLY:
        assert getattr(conn, name)() == expected, name
    assert not conn.want_read()
    assert not conn.want_write()
    assert isinstance(conn.get_state_string(), bytes)


def test_export_keying_material_before_handshake_is_error(pki):
    client, server = _pair(pki, do_handshake=False)
    with pytest.raises(SSL.Error):
        client.export_keying_material(b"EXPORTER-compat", 32)
    handshake(client, server)
    assert len(client.export_keying_material(b"EXPORTER-compat", 32)) == 32


def _run_isolated(code: str) -> subprocess.CompletedProcess:
    """Run *code* in a child interpreter (same OpenSSL package), so that a crash
    shows up as a failed test instead of killing the test run."""
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        timeout=30,
        env=dict(os.environ),
    )


def test_cleartext_mtu_of_tls_connection_is_zero():
    result = _run_isolated(
        """
        from OpenSSL import SSL
        conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
        conn.set_connect_state()
        print(repr(conn.get_cleartext_mtu()))
        """
    )
    assert result.returncode == 0, "child exited with %d: %s" % (
        result.returncode,
        result.stderr.decode("latin-1").strip().splitlines()[:3],
    )
    assert result.stdout.strip() == b"0"


# ---------------------------------------------------------------------------
# Finished messages


@pytest.mark.parametrize("version,name", VERSIONS)
def test_finished_messages(pki, version, name):
    sctx = server_context(pki.server_rsa, version=version)
    cctx = client_context(pki, version=version)
    if version == SSL.TLS1_3_VERSION:
        cctx.set_tls13_ciphersuites(b"TLS_AES_128_GCM_SHA256")
    client, server = connection_pair(sctx, cctx, host=b"localhost")
    handshake(client, server)

    for value in (
        client.get_finished(),
        client.get_peer_finished(),
        server.get_finished(),
        server.get_peer_finished(),
    ):
        assert isinstance(value, bytes)
        # verify_data: 12 bytes up to TLS 1.2, the hash length (SHA-256) in 1.3
        assert len(value) == (12 if version == SSL.TLS1_2_VERSION else 32)

    assert client.get_finished() == server.get_peer_finished()
    assert server.get_finished() == client.get_peer_finished()
    assert client.get_finished() != server.get_finished()


def test_finished_messages_differ_between_connections(make_pair):
    first, _ = make_pair()
    second, _ = make_pair()
    assert first.get_finished() != second.get_finished()


# ---------------------------------------------------------------------------
# randoms, master key


@pytest.mark.parametrize("version,name", VERSIONS)
def test_randoms(pki, version, name):
    client, server = _pair(pki, version)
    for value in (client.client_random(), client.server_random()):
        assert isinstance(value, bytes) and len(value) == 32
    assert client.client_random() == server.client_random()
    assert client.server_random() == server.server_random()
    assert client.client_random() != client.server_random()

    other, _ = _pair(pki, version)
    assert other.client_random() != client.client_random()


def test_master_key_tls12(pki):
    client, server = _pair(pki, SSL.TLS1_2_VERSION)
    key = client.master_key()
    assert isinstance(key, bytes) and len(key) == 48
    assert server.master_key() == key
    other, _ = _pair(pki, SSL.TLS1_2_VERSION)
    assert other.master_key() != key


def test_master_key_tls13(pki):
    client, server = _pair(pki, SSL.TLS1_3_VERSION)
    assert isinstance(server.master_key(), bytes) and server.master_key()
    # the client's session has no secret until a session ticket arrives;
    # pyOpenSSL reports that as an Error rather than returning b""
    with pytest.raises(SSL.Error):
        client.master_key()
    _read_pending(client)
    assert isinstance(client.master_key(), bytes) and client.master_key()


# ---------------------------------------------------------------------------
# exported keying material (RFC 5705 / 8446)


@pytest.mark.parametrize("version,name", VERSIONS)
def test_export_keying_material_agrees(pki, version, name):
    client, server = _pair(pki, version)
    for olen in (1, 16, 32, 100):
        material = client.export_keying_material(b"EXPORTER-compat", olen)
        assert isinstance(material, bytes) and len(material) == olen
        assert server.export_keying_material(b"EXPORTER-compat", olen) == material
    with_context = client.export_keying_material(b"EXPORTER-compat", 32, b"ctx")
    assert server.export_keying_material(b"EXPORTER-compat", 32, b"ctx") == with_context


@pytest.mark.parametrize("version,name", VERSIONS)
def test_export_keying_material_variants_differ(pki, version, name):
    client, _ = _pair(pki, version)
    base = client.export_keying_material(b"EXPORTER-one", 32)
    assert client.export_keying_material(b"EXPORTER-two", 32) != base
    assert client.export_keying_material(b"EXPORTER-one", 32, b"a") != base
    assert (
        client.export_keying_material(b"EXPORTER-one", 32, b"a")
        != client.export_keying_material(b"EXPORTER-one", 32, b"b")
    )
    # exporting again gives the same bytes
    assert client.export_keying_material(b"EXPORTER-one", 32) == base
    other, _ = _pair(pki, version)
    assert other.export_keying_material(b"EXPORTER-one", 32) != base


def test_export_empty_context_differs_from_none_in_tls12(pki):
    client, _ = _pair(pki, SSL.TLS1_2_VERSION)
    assert client.export_keying_material(b"EXPORTER-x", 32) != (
        client.export_keying_material(b"EXPORTER-x", 32, b"")
    )


def test_export_empty_context_equals_none_in_tls13(pki):
    client, _ = _pair(pki, SSL.TLS1_3_VERSION)
    assert client.export_keying_material(b"EXPORTER-x", 32) == (
        client.export_keying_material(b"EXPORTER-x", 32, b"")
    )


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(("EXPORTER-x", 32), id="str-label"),
        pytest.param((b"EXPORTER-x", 32, "ctx"), id="str-context"),
        pytest.param((b"EXPORTER-x", "32"), id="str-length"),
    ],
)
def test_export_keying_material_type_errors(make_pair, args):
    client, _ = make_pair()
    with pytest.raises(TypeError):
        client.export_keying_material(*args)


# ---------------------------------------------------------------------------
# state string, cipher list, group name


def test_state_string(pki):
    client, server = _pair(pki, do_handshake=False)
    before = client.get_state_string()
    assert isinstance(before, bytes) and before
    handshake(client, server)
    after = client.get_state_string()
    assert isinstance(after, bytes) and after
    assert after != before
    assert server.get_state_string() == after


def test_cipher_list(pki):
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    ciphers = conn.get_cipher_list()
    assert isinstance(ciphers, list) and ciphers
    assert all(isinstance(name, str) for name in ciphers)
    assert "TLS_AES_128_GCM_SHA256" in ciphers


def test_cipher_list_follows_context(pki):
    ctx = SSL.Context(SSL.TLS_METHOD)
    ctx.set_cipher_list(b"ECDHE-RSA-AES128-GCM-SHA256")
    ctx.set_tls13_ciphersuites(b"TLS_CHACHA20_POLY1305_SHA256")
    ciphers = SSL.Connection(ctx, None).get_cipher_list()
    assert "ECDHE-RSA-AES128-GCM-SHA256" in ciphers
    assert "TLS_CHACHA20_POLY1305_SHA256" in ciphers
    assert "ECDHE-RSA-AES256-GCM-SHA384" not in ciphers
    assert "TLS_AES_256_GCM_SHA384" not in ciphers


@pytest.mark.parametrize("version,name", VERSIONS)
def test_group_name(pki, version, name):
    client, server = _pair(pki, version, do_handshake=False)
    assert client.get_group_name() is None
    assert server.get_group_name() is None
    handshake(client, server)
    group = client.get_group_name()
    assert isinstance(group, str) and group
    assert server.get_group_name() == group


# ---------------------------------------------------------------------------
# per-connection settings


def test_set_context_switches_certificate(pki):
    rsa_ctx = server_context(pki.server_rsa)
    ec_ctx = server_context(pki.server_ec)
    switched = []

    def on_servername(conn):
        conn.set_context(ec_ctx)
        switched.append(conn.get_context())

    rsa_ctx.set_tlsext_servername_callback(on_servername)
    client, server = connection_pair(rsa_ctx, client_context(pki), host=b"localhost")
    handshake(client, server)
    assert switched == [ec_ctx]
    assert server.get_context() is ec_ctx
    assert client.get_peer_certificate(as_cryptography=True) == pki.server_ec.cert
    assert server.get_certificate(as_cryptography=True) == pki.server_ec.cert


def test_set_context_before_handshake(pki):
    first = server_context(pki.server_rsa)
    second = server_context(pki.server_ec)
    client, server = connection_pair(first, client_context(pki), host=b"localhost")
    assert server.set_context(second) is None
    assert server.get_context() is second
    handshake(client, server)
    assert client.get_peer_certificate(as_cryptography=True) == pki.server_ec.cert


def test_set_context_marks_context_used(pki):
    fresh = SSL.Context(SSL.TLS_METHOD)
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    fresh.set_timeout(77)
    conn.set_context(fresh)
    with pytest.raises(ValueError) as info:
        fresh.set_timeout(78)
    assert str(info.value) == USED_MESSAGE
    assert fresh.get_timeout() == 77


def test_set_context_type_error():
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    with pytest.raises(TypeError):
        conn.set_context(None)


def test_connection_set_options(pki):
    ctx = SSL.Context(SSL.TLS_METHOD)
    conn = SSL.Connection(ctx, None)
    result = conn.set_options(SSL.OP_NO_TICKET)
    assert isinstance(result, int)
    assert result & SSL.OP_NO_TICKET
    again = conn.set_options(SSL.OP_NO_COMPRESSION)
    assert again & SSL.OP_NO_TICKET and again & SSL.OP_NO_COMPRESSION
    # options are additive; 0 adds nothing and reports the current mask
    assert conn.set_options(0) == again
    with pytest.raises(TypeError):
        conn.set_options("OP_NO_TICKET")
    with pytest.raises(TypeError):
        conn.set_options(None)


def test_connection_option_limits_protocol(pki):
    client, server = _pair(pki, do_handshake=False)
    client.set_options(SSL.OP_NO_TLSv1_3)
    handshake(client, server)
    assert client.get_protocol_version_name() == "TLSv1.2"


def test_connection_verify_mode(pki):
    cctx = client_context(pki)
    conn = SSL.Connection(cctx, None)
    assert conn.get_verify_mode() == SSL.VERIFY_PEER
    assert conn.set_verify(SSL.VERIFY_NONE) is None
    assert conn.get_verify_mode() == SSL.VERIFY_NONE
    # the Context is not affected
    assert cctx.get_verify_mode() == SSL.VERIFY_PEER
    mode = SSL.VERIFY_PEER | SSL.VERIFY_FAIL_IF_NO_PEER_CERT | SSL.VERIFY_CLIENT_ONCE
    conn.set_verify(mode, lambda *args: True)
    assert conn.get_verify_mode() == mode


def test_connection_verify_type_errors():
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    with pytest.raises(TypeError):
        conn.set_verify("peer")
    with pytest.raises(TypeError):
        conn.set_verify(SSL.VERIFY_PEER, "not callable")


def test_connection_set_verify_none_accepts_untrusted_server(pki):
    sctx = server_context(pki.untrusted_server)
    client, server = connection_pair(sctx, client_context(pki), host=b"localhost")
    client.set_verify(SSL.VERIFY_NONE)
    handshake(client, server)
    assert client.get_peer_certificate(as_cryptography=True) == pki.untrusted_server.cert


def test_connection_verify_callback_is_used(pki):
    sctx = server_context(pki.untrusted_server)
    client, server = connection_pair(sctx, client_context(pki), host=b"localhost")
    seen = []

    def accept_anything(conn, cert, errnum, depth, ok):
        seen.append((conn, depth))
        return True

    client.set_verify(SSL.VERIFY_PEER, accept_anything)
    handshake(client, server)
    assert seen
    assert all(conn is client for conn, _ in seen)
    assert 0 in [depth for _, depth in seen]


# ---------------------------------------------------------------------------
# SRTP


SRTP_BOTH = b"SRTP_AES128_CM_SHA1_80:SRTP_AES128_CM_SHA1_32"


def test_srtp_negotiated_over_dtls(pki):
    sctx = server_context(pki.server_rsa, SSL.DTLS_METHOD)
    cctx = client_context(pki, SSL.DTLS_METHOD)
    sctx.set_tlsext_use_srtp(SRTP_BOTH)
    cctx.set_tlsext_use_srtp(b"SRTP_AES128_CM_SHA1_32")
    client, server = connection_pair(sctx, cctx, host=b"localhost")
    assert client.get_selected_srtp_profile() == b""
    handshake(client, server)
    assert client.get_protocol_version_name() == "DTLSv1.2"
    assert client.get_selected_srtp_profile() == b"SRTP_AES128_CM_SHA1_32"
    assert server.get_selected_srtp_profile() == b"SRTP_AES128_CM_SHA1_32"


def test_srtp_server_preference_order(pki):
    sctx = server_context(pki.server_rsa, SSL.DTLS_METHOD)
    cctx = client_context(pki, SSL.DTLS_METHOD)
    sctx.set_tlsext_use_srtp(b"SRTP_AES128_CM_SHA1_80")
    cctx.set_tlsext_use_srtp(SRTP_BOTH)
    client, server = connection_pair(sctx, cctx, host=b"localhost")
    handshake(client, server)
    assert client.get_selected_srtp_profile() == b"SRTP_AES128_CM_SHA1_80"


def test_srtp_only_one_side_is_empty(pki):
    sctx = server_context(pki.server_rsa, SSL.DTLS_METHOD)
    cctx = client_context(pki, SSL.DTLS_METHOD)
    cctx.set_tlsext_use_srtp(SRTP_BOTH)
    client, server = connection_pair(sctx, cctx, host=b"localhost")
    handshake(client, server)
    assert client.get_selected_srtp_profile() == b""
    assert server.get_selected_srtp_profile() == b""


def test_srtp_server_side_only_over_tls_negotiates_nothing(pki):
    sctx = server_context(pki.server_rsa)
    sctx.set_tlsext_use_srtp(SRTP_BOTH)
    client, server = connection_pair(sctx, client_context(pki), host=b"localhost")
    handshake(client, server)
    assert client.get_selected_srtp_profile() == b""
    assert server.get_selected_srtp_profile() == b""


def test_srtp_offered_over_tls_fails_the_handshake(pki):
    # use_srtp is a DTLS-only extension: a TLS server refuses a ClientHello
    # that carries it
    sctx = server_context(pki.server_rsa)
    cctx = client_context(pki)
    sctx.set_tlsext_use_srtp(SRTP_BOTH)
    cctx.set_tlsext_use_srtp(SRTP_BOTH)
    client, server = connection_pair(sctx, cctx, host=b"localhost")
    with pytest.raises(SSL.Error) as info:
        handshake(client, server)
    assert not isinstance(info.value, (SSL.WantReadError, SSL.SysCallError))


def test_srtp_profiles_must_be_bytes():
    ctx = SSL.Context(SSL.DTLS_METHOD)
    with pytest.raises(TypeError):
        ctx.set_tlsext_use_srtp("SRTP_AES128_CM_SHA1_80")


def test_srtp_unknown_profile_is_error():
    ctx = SSL.Context(SSL.DTLS_METHOD)
    with pytest.raises(SSL.Error):
        ctx.set_tlsext_use_srtp(b"SRTP_NOT_A_PROFILE")


# ---------------------------------------------------------------------------
# OCSP stapling request


def _staple() -> bytes:
    """A well-formed (if unsuccessful) DER OCSPResponse: newer OpenSSL releases
    drop a staple that does not parse."""
    return ocsp.OCSPResponseBuilder.build_unsuccessful(
        ocsp.OCSPResponseStatus.TRY_LATER
    ).public_bytes(serialization.Encoding.DER)


def _ocsp_contexts(pki, staple=None):
    staple = staple or _staple()
    calls = {"server": 0, "client": []}

    def server_cb(conn, data):
        calls["server"] += 1
        return staple

    def client_cb(conn, ocsp, data):
        calls["client"].append(ocsp)
        return True

    sctx = server_context(pki.server_rsa)
    sctx.set_ocsp_server_callback(server_cb)
    cctx = client_context(pki)
    cctx.set_ocsp_client_callback(client_cb)
    return sctx, cctx, calls


def test_request_ocsp_gets_the_staple(pki):
    sctx, cctx, calls = _ocsp_contexts(pki)
    client, server = connection_pair(sctx, cctx, host=b"localhost")
    assert client.request_ocsp() is None
    handshake(client, server)
    assert calls["server"] == 1
    assert calls["client"] == [_staple()]


def test_without_request_ocsp_no_staple(pki):
    sctx, cctx, calls = _ocsp_contexts(pki)
    client, server = connection_pair(sctx, cctx, host=b"localhost")
    handshake(client, server)
    assert calls["server"] == 0
    assert calls["client"] == []


# ---------------------------------------------------------------------------
# a used Context is frozen


def test_used_context_refuses_changes_with_exact_message(pki):
    ctx = server_context(pki.server_rsa)
    SSL.Connection(ctx, None)
    for call in (
        lambda: ctx.set_timeout(3),
        lambda: ctx.set_options(SSL.OP_NO_TICKET),
        lambda: ctx.set_verify(SSL.VERIFY_NONE),
        lambda: ctx.use_certificate_file(str(pki.server_ec.cert_pem)),
        lambda: ctx.set_cipher_list(b"DEFAULT"),
        lambda: ctx.set_app_data("late"),
    ):
        with pytest.raises(ValueError) as info:
            call()
        assert info.value.args == (USED_MESSAGE,)


def test_used_context_getters_and_cert_store(pki):
    ctx = server_context(pki.server_rsa)
    ctx.set_verify(SSL.VERIFY_PEER)
    client, server = connection_pair(ctx, client_context(pki), host=b"localhost")
    assert ctx.get_verify_mode() == SSL.VERIFY_PEER
    assert isinstance(ctx.get_timeout(), int)
    assert ctx.get_session_cache_mode() == SSL.SESS_CACHE_SERVER
    assert ctx.get_app_data() is None
    assert ctx.check_privatekey() is None

    # the trust store stays mutable: a server trusting our CA afterwards
    store = ctx.get_cert_store()
    assert store.add_cert(crypto.X509.from_cryptography(pki.ca_cert)) is None

    server.set_verify(SSL.VERIFY_PEER | SSL.VERIFY_FAIL_IF_NO_PEER_CERT)
    client.use_certificate(pki.client.cert)
    client.use_privatekey(pki.client.key)
    handshake(client, server)
    assert server.get_peer_certificate(as_cryptography=True) == pki.client.cert


# ---------------------------------------------------------------------------
# the older documented type names (gone from pyOpenSSL 26.4)


@pytest.mark.ours
def test_context_type_alias():
    assert SSL.ContextType is SSL.Context
    assert isinstance(SSL.Context(SSL.TLS_METHOD), SSL.ContextType)


@pytest.mark.ours
def test_connection_type_alias():
    assert SSL.ConnectionType is SSL.Connection
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    assert isinstance(conn, SSL.ConnectionType)


def test_import_emits_no_warnings():
    result = _run_isolated(
        """
        import warnings
        warnings.simplefilter("error")
        from OpenSSL import SSL
        print(SSL.Connection.__module__, SSL.Connection.__name__)
        """
    )
    assert result.returncode == 0, result.stderr.decode("latin-1")[-600:]
    assert result.stdout.split() == [b"OpenSSL.SSL", b"Connection"]
