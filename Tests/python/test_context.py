"""OpenSSL.SSL.Context: construction, configuration, file loading,
verification settings and the "a used Context is frozen" rule."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from OpenSSL import SSL

from conftest import (
    FILETYPE_ASN1,
    FILETYPE_PEM,
    client_context,
    connection_pair,
    handshake,
    server_context,
)
from handshake_failures import HANDSHAKE_FAILURE_ALERT, assert_failure, fail_handshake

ALL_METHODS = [
    "SSLv23_METHOD",
    "TLSv1_METHOD",
    "TLSv1_1_METHOD",
    "TLSv1_2_METHOD",
    "TLS_METHOD",
    "TLS_SERVER_METHOD",
    "TLS_CLIENT_METHOD",
    "DTLS_METHOD",
    "DTLS_SERVER_METHOD",
    "DTLS_CLIENT_METHOD",
]


def _is_error_list(args):
    """pyOpenSSL's Error carries one list of (lib, func, reason) str tuples."""
    assert len(args) == 1
    (errors,) = args
    assert isinstance(errors, list)
    for entry in errors:
        assert isinstance(entry, tuple)
        assert len(entry) == 3
        assert all(isinstance(part, str) for part in entry)
    return errors


def _verified_handshake(pki, client_ctx, identity=None):
    client, server = connection_pair(
        server_context(identity or pki.server_rsa), client_ctx, host=b"localhost"
    )
    handshake(client, server)
    return client, server


# ---------------------------------------------------------------------------
# construction


@pytest.mark.parametrize("name", ALL_METHODS)
def test_every_method_constructs(name):
    ctx = SSL.Context(getattr(SSL, name))
    assert isinstance(ctx, SSL.Context)


def test_method_keyword():
    assert isinstance(SSL.Context(method=SSL.TLS_METHOD), SSL.Context)


@pytest.mark.parametrize("bad", ["TLS", b"7", 7.0, None, object()])
def test_non_int_method_is_type_error(bad):
    with pytest.raises(TypeError):
        SSL.Context(bad)


@pytest.mark.parametrize("bad", [-1, 0, 1, 2, 13, 100])
def test_unknown_method_is_value_error(bad):
    with pytest.raises(ValueError):
        SSL.Context(bad)


def test_missing_method_is_type_error():
    with pytest.raises(TypeError):
        SSL.Context()


# ---------------------------------------------------------------------------
# options and modes


def test_set_options_returns_new_bitmask():
    ctx = SSL.Context(SSL.TLS_METHOD)
    before = ctx.set_options(0)
    assert type(before) is int
    after = ctx.set_options(SSL.OP_NO_TICKET)
    assert after & SSL.OP_NO_TICKET
    assert after == before | SSL.OP_NO_TICKET
    # options accumulate
    again = ctx.set_options(SSL.OP_CIPHER_SERVER_PREFERENCE)
    assert again == after | SSL.OP_CIPHER_SERVER_PREFERENCE


def test_set_options_type_error():
    with pytest.raises(TypeError):
        SSL.Context(SSL.TLS_METHOD).set_options("OP_NO_TICKET")


def test_default_mode_has_partial_write_and_moving_buffer():
    ctx = SSL.Context(SSL.TLS_METHOD)
    mode = ctx.set_mode(0)
    assert type(mode) is int
    # SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER
    assert mode & 0x3 == 0x3


def test_set_mode_and_clear_mode():
    ctx = SSL.Context(SSL.TLS_METHOD)
    base = ctx.set_mode(0)
    with_release = ctx.set_mode(SSL.MODE_RELEASE_BUFFERS)
    assert with_release == base | SSL.MODE_RELEASE_BUFFERS
    cleared = ctx.clear_mode(SSL.MODE_RELEASE_BUFFERS)
    assert type(cleared) is int
    assert cleared == base & ~SSL.MODE_RELEASE_BUFFERS
    assert ctx.set_mode(0) == cleared


def test_set_mode_type_error():
    with pytest.raises(TypeError):
        SSL.Context(SSL.TLS_METHOD).set_mode(None)


def test_session_cache_mode_roundtrip():
    ctx = SSL.Context(SSL.TLS_METHOD)
    default = ctx.get_session_cache_mode()
    assert default == SSL.SESS_CACHE_SERVER
    assert ctx.set_session_cache_mode(SSL.SESS_CACHE_OFF) == default
    assert ctx.get_session_cache_mode() == SSL.SESS_CACHE_OFF
    with pytest.raises(TypeError):
        ctx.set_session_cache_mode("off")


# ---------------------------------------------------------------------------
# ciphers


def test_set_cipher_list_bytes(pki):
    cctx = client_context(pki, version=SSL.TLS1_2_VERSION)
    cctx.set_cipher_list(b"ECDHE-RSA-AES128-GCM-SHA256")
    client, server = _verified_handshake(pki, cctx)
    assert client.get_cipher_name() == "ECDHE-RSA-AES128-GCM-SHA256"
    assert server.get_cipher_name() == "ECDHE-RSA-AES128-GCM-SHA256"
    assert client.get_cipher_bits() == 128


def test_set_cipher_list_str_warns_and_works(pki):
    cctx = client_context(pki, version=SSL.TLS1_2_VERSION)
    with pytest.warns(DeprecationWarning) as record:
        cctx.set_cipher_list("ECDHE-RSA-CHACHA20-POLY1305")
    assert "cipher_list" in str(record[0].message)
    client, _ = _verified_handshake(pki, cctx)
    assert client.get_cipher_name() == "ECDHE-RSA-CHACHA20-POLY1305"


@pytest.mark.deviation
def test_set_cipher_list_str_warning_points_at_caller():
    # pyOpenSSL's stacklevel stops inside its own decorator (SSL.py); ours
    # names the caller's line.
    ctx = SSL.Context(SSL.TLS_METHOD)
    with pytest.warns(DeprecationWarning) as record:
        ctx.set_cipher_list("DEFAULT")
    assert record[0].filename == __file__


def test_set_cipher_list_imaginary_cipher():
    ctx = SSL.Context(SSL.TLS_METHOD)
    with pytest.raises(SSL.Error) as info:
        ctx.set_cipher_list(b"imaginary-cipher")
    assert type(info.value) is SSL.Error
    errors = _is_error_list(info.value.args)
    assert errors


def test_set_cipher_list_type_error():
    with pytest.raises(TypeError):
        SSL.Context(SSL.TLS_METHOD).set_cipher_list(object())


def test_set_tls13_ciphersuites(pki):
    cctx = client_context(pki, version=SSL.TLS1_3_VERSION)
    cctx.set_tls13_ciphersuites(b"TLS_CHACHA20_POLY1305_SHA256")
    client, server = _verified_handshake(pki, cctx)
    assert client.get_cipher_name() == "TLS_CHACHA20_POLY1305_SHA256"
    assert server.get_cipher_name() == "TLS_CHACHA20_POLY1305_SHA256"


def test_set_tls13_ciphersuites_requires_bytes():
    ctx = SSL.Context(SSL.TLS_METHOD)
    with pytest.raises(TypeError):
        ctx.set_tls13_ciphersuites("TLS_AES_128_GCM_SHA256")


def test_set_tls13_ciphersuites_bogus():
    ctx = SSL.Context(SSL.TLS_METHOD)
    with pytest.raises(SSL.Error) as info:
        ctx.set_tls13_ciphersuites(b"NOT_A_SUITE")
    _is_error_list(info.value.args)


# ---------------------------------------------------------------------------
# protocol versions


@pytest.mark.parametrize(
    "version,name", [(SSL.TLS1_2_VERSION, "TLSv1.2"), (SSL.TLS1_3_VERSION, "TLSv1.3")]
)
def test_min_max_proto_version_pins_protocol(pki, version, name):
    cctx = client_context(pki)
    cctx.set_min_proto_version(version)
    cctx.set_max_proto_version(version)
    client, server = _verified_handshake(pki, cctx)
    assert client.get_protocol_version_name() == name
    assert server.get_protocol_version() == version


def test_disjoint_versions_fail(pki):
    sctx = server_context(pki.server_rsa, version=SSL.TLS1_2_VERSION)
    cctx = client_context(pki)
    cctx.set_min_proto_version(SSL.TLS1_3_VERSION)
    client, server = connection_pair(sctx, cctx, host=b"localhost")
    assert_failure(fail_handshake(client, server), "server", "unsupported protocol",
                   peer_reason="tlsv1 alert protocol version")


def test_proto_version_zero_means_unbounded():
    ctx = SSL.Context(SSL.TLS_METHOD)
    assert ctx.set_min_proto_version(0) is None
    assert ctx.set_max_proto_version(0) is None


def test_bogus_proto_version_is_error():
    ctx = SSL.Context(SSL.TLS_METHOD)
    with pytest.raises(SSL.Error):
        ctx.set_min_proto_version(0x1234)
    with pytest.raises(SSL.Error):
        ctx.set_max_proto_version(0x1234)


def test_proto_version_type_error():
    ctx = SSL.Context(SSL.TLS_METHOD)
    with pytest.raises(TypeError):
        ctx.set_min_proto_version("TLSv1.2")


def test_tlsv1_2_method_pins_tls12(pki):
    cctx = client_context(pki, SSL.TLSv1_2_METHOD)
    client, server = _verified_handshake(pki, cctx)
    assert client.get_protocol_version_name() == "TLSv1.2"
    assert server.get_protocol_version() == SSL.TLS1_2_VERSION


def test_tlsv1_2_method_cannot_reach_tls13(pki):
    sctx = server_context(pki.server_rsa, version=SSL.TLS1_3_VERSION)
    client, server = connection_pair(
        sctx, client_context(pki, SSL.TLSv1_2_METHOD), host=b"localhost"
    )
    assert_failure(fail_handshake(client, server), "server", "unsupported protocol",
                   peer_reason="tlsv1 alert protocol version")


@pytest.mark.parametrize(
    "method,name", [("TLSv1_METHOD", "TLSv1"), ("TLSv1_1_METHOD", "TLSv1.1")]
)
def test_legacy_tls_methods_negotiate_their_version(pki, method, name):
    sctx = server_context(pki.server_rsa)
    sctx.set_min_proto_version(SSL.TLS1_VERSION)
    sctx.set_cipher_list(b"DEFAULT:@SECLEVEL=0")
    cctx = client_context(pki, getattr(SSL, method))
    cctx.set_cipher_list(b"DEFAULT:@SECLEVEL=0")
    client, server = connection_pair(sctx, cctx, host=b"localhost")
    handshake(client, server)
    assert client.get_protocol_version_name() == name
    assert server.get_protocol_version_name() == name


def test_server_method_cannot_connect(pki):
    cctx = SSL.Context(SSL.TLS_SERVER_METHOD)
    client, server = connection_pair(server_context(pki.server_rsa), cctx)
    # refused before anything is sent, so the server never hears of it
    failure = fail_handshake(client, server)
    assert_failure(failure, "client", "called a function you should not call")
    assert isinstance(failure.peer_error, SSL.WantReadError)


# ---------------------------------------------------------------------------
# certificates and keys from files


def test_pem_certificate_and_key(pki, server_identity):
    ctx = SSL.Context(SSL.TLS_METHOD)
    assert ctx.use_certificate_file(str(server_identity.cert_pem)) is None
    assert ctx.use_privatekey_file(str(server_identity.key_pem)) is None
    assert ctx.check_privatekey() is None


def test_pem_is_the_default_and_explicit(pki):
    ctx = SSL.Context(SSL.TLS_METHOD)
    ctx.use_certificate_file(str(pki.server_rsa.cert_pem), FILETYPE_PEM)
    ctx.use_privatekey_file(str(pki.server_rsa.key_pem), SSL.FILETYPE_PEM)
    ctx.check_privatekey()


def test_asn1_certificate_and_key(pki, server_identity):
    sctx = SSL.Context(SSL.TLS_METHOD)
    sctx.use_certificate_file(str(server_identity.cert_der), FILETYPE_ASN1)
    sctx.use_privatekey_file(str(server_identity.key_der), FILETYPE_ASN1)
    sctx.check_privatekey()
    client, server = connection_pair(sctx, client_context(pki), host=b"localhost")
    handshake(client, server)
    assert client.get_protocol_version_name() == "TLSv1.3"


def test_wrong_filetype_for_file_is_error(pki):
    ctx = SSL.Context(SSL.TLS_METHOD)
    with pytest.raises(SSL.Error):
        ctx.use_certificate_file(str(pki.server_rsa.cert_der))
    with pytest.raises(SSL.Error):
        ctx.use_certificate_file(str(pki.server_rsa.cert_pem), FILETYPE_ASN1)
    with pytest.raises(SSL.Error):
        ctx.use_privatekey_file(str(pki.server_rsa.key_der), FILETYPE_PEM)


def test_unknown_filetype_is_error(pki):
    ctx = SSL.Context(SSL.TLS_METHOD)
    with pytest.raises(SSL.Error):
        ctx.use_certificate_file(str(pki.server_rsa.cert_pem), 7)


def test_filetype_type_error(pki):
    ctx = SSL.Context(SSL.TLS_METHOD)
    with pytest.raises(TypeError):
        ctx.use_certificate_file(str(pki.server_rsa.cert_pem), "PEM")
    with pytest.raises(TypeError):
        ctx.use_privatekey_file(str(pki.server_rsa.key_pem), "PEM")


def test_certificate_chain_file(pki, server_identity):
    sctx = SSL.Context(SSL.TLS_METHOD)
    sctx.use_certificate_chain_file(str(server_identity.chain_pem))
    sctx.use_privatekey_file(str(server_identity.key_pem))
    sctx.check_privatekey()
    client, server = connection_pair(sctx, client_context(pki), host=b"localhost")
    handshake(client, server)


def test_chain_is_sent_to_peer(pki):
    # server_context loads leaf + CA with use_certificate_chain_file
    client, _ = _verified_handshake(pki, client_context(pki))
    chain = client.get_peer_cert_chain(as_cryptography=True)
    assert [c.subject for c in chain] == [
        pki.server_rsa.cert.subject,
        pki.ca_cert.subject,
    ]


def test_check_privatekey_mismatch(pki):
    ctx = SSL.Context(SSL.TLS_METHOD)
    ctx.use_certificate_file(str(pki.server_rsa.cert_pem))
    with pytest.raises(SSL.Error) as info:
        # an EC key for an RSA certificate: either the load or the check fails
        ctx.use_privatekey_file(str(pki.server_ec.key_pem))
        ctx.check_privatekey()
    _is_error_list(info.value.args)


def test_mismatched_key_of_same_algorithm_is_refused_on_load(pki):
    ctx = SSL.Context(SSL.TLS_METHOD)
    ctx.use_certificate_file(str(pki.server_ec.cert_pem))
    with pytest.raises(SSL.Error) as info:
        ctx.use_privatekey_file(str(pki.client.key_pem))
    assert _is_error_list(info.value.args)


def test_check_privatekey_without_anything():
    ctx = SSL.Context(SSL.TLS_METHOD)
    with pytest.raises(SSL.Error) as info:
        ctx.check_privatekey()
    _is_error_list(info.value.args)


def test_check_privatekey_without_key(pki):
    ctx = SSL.Context(SSL.TLS_METHOD)
    ctx.use_certificate_file(str(pki.server_rsa.cert_pem))
    with pytest.raises(SSL.Error):
        ctx.check_privatekey()


@pytest.mark.parametrize(
    "method",
    [
        "use_certificate_file",
        "use_privatekey_file",
        "use_certificate_chain_file",
        "load_verify_locations",
    ],
)
def test_missing_file_is_error(tmp_path, method):
    ctx = SSL.Context(SSL.TLS_METHOD)
    with pytest.raises(SSL.Error) as info:
        getattr(ctx, method)(str(tmp_path / "does-not-exist.pem"))
    assert type(info.value) is SSL.Error
    _is_error_list(info.value.args)


@pytest.mark.parametrize("kind", ["str", "bytes", "path"])
def test_path_types(pki, kind):
    def convert(p: Path):
        if kind == "str":
            return str(p)
        if kind == "bytes":
            return os.fsencode(p)
        return p

    ctx = SSL.Context(SSL.TLS_METHOD)
    ctx.use_certificate_file(convert(pki.server_ec.cert_pem))
    ctx.use_privatekey_file(convert(pki.server_ec.key_pem))
    ctx.use_certificate_chain_file(convert(pki.server_ec.chain_pem))
    ctx.check_privatekey()
    ctx.load_verify_locations(convert(pki.ca_pem))
    ctx.load_verify_locations(None, convert(pki.capath))
    ctx.load_verify_locations(convert(pki.ca_pem), convert(pki.capath))


@pytest.mark.parametrize(
    "method",
    [
        "use_certificate_file",
        "use_privatekey_file",
        "use_certificate_chain_file",
        "load_verify_locations",
    ],
)
def test_non_path_argument_is_type_error(method):
    ctx = SSL.Context(SSL.TLS_METHOD)
    with pytest.raises(TypeError):
        getattr(ctx, method)(12345)


# ---------------------------------------------------------------------------
# verification


def test_load_verify_locations_cafile(pki, server_identity):
    cctx = SSL.Context(SSL.TLS_METHOD)
    cctx.set_verify(SSL.VERIFY_PEER)
    assert cctx.load_verify_locations(str(pki.ca_pem)) is None
    client, _ = _verified_handshake(pki, cctx, server_identity)
    assert client.get_peer_certificate(as_cryptography=True) == server_identity.cert


def test_load_verify_locations_capath(pki):
    cctx = SSL.Context(SSL.TLS_METHOD)
    cctx.set_verify(SSL.VERIFY_PEER)
    assert cctx.load_verify_locations(None, str(pki.capath)) is None
    _verified_handshake(pki, cctx, pki.server_ec)


def test_load_verify_locations_nothing_is_error():
    ctx = SSL.Context(SSL.TLS_METHOD)
    with pytest.raises(SSL.Error) as info:
        ctx.load_verify_locations(None, None)
    _is_error_list(info.value.args)
    with pytest.raises(SSL.Error):
        ctx.load_verify_locations(None)


def test_load_verify_locations_der_is_error(pki):
    ctx = SSL.Context(SSL.TLS_METHOD)
    with pytest.raises(SSL.Error):
        ctx.load_verify_locations(str(pki.ca_der))


def test_load_verify_locations_file_without_certificates(pki):
    ctx = SSL.Context(SSL.TLS_METHOD)
    with pytest.raises(SSL.Error):
        ctx.load_verify_locations(str(pki.server_rsa.key_pem))


def test_load_verify_locations_missing_capath_is_lazy(tmp_path):
    # the directory is only consulted during verification
    ctx = SSL.Context(SSL.TLS_METHOD)
    assert ctx.load_verify_locations(None, str(tmp_path / "no-such-dir")) is None


def test_verify_peer_without_trust_fails(pki):
    cctx = SSL.Context(SSL.TLS_METHOD)
    cctx.set_verify(SSL.VERIFY_PEER)
    client, server = connection_pair(
        server_context(pki.server_rsa), cctx, host=b"localhost"
    )
    with pytest.raises(SSL.Error) as info:
        handshake(client, server)
    reasons = [entry[2] for entry in _is_error_list(info.value.args)]
    assert any("certificate verify failed" in r for r in reasons)


def test_verify_none_accepts_untrusted(pki):
    cctx = SSL.Context(SSL.TLS_METHOD)
    cctx.set_verify(SSL.VERIFY_NONE)
    client, server = connection_pair(
        server_context(pki.untrusted_server), cctx, host=b"localhost"
    )
    handshake(client, server)
    assert client.get_peer_certificate(as_cryptography=True) == pki.untrusted_server.cert


_DEFAULT_PATHS_SCRIPT = textwrap.dedent(
    """
    import sys
    from OpenSSL import SSL

    chain, key = sys.argv[1], sys.argv[2]

    def flush(src, dst):
        moved = 0
        while True:
            try:
                data = src.bio_read(65536)
            except SSL.WantReadError:
                return moved
            dst.bio_write(data)
            moved += len(data)

    sctx = SSL.Context(SSL.TLS_METHOD)
    sctx.use_certificate_chain_file(chain)
    sctx.use_privatekey_file(key)
    cctx = SSL.Context(SSL.TLS_METHOD)
    cctx.set_verify(SSL.VERIFY_PEER)
    cctx.set_default_verify_paths()
    server = SSL.Connection(sctx, None)
    server.set_accept_state()
    client = SSL.Connection(cctx, None)
    client.set_connect_state()
    todo = [client, server]
    try:
        for _ in range(50):
            for conn in list(todo):
                try:
                    conn.do_handshake()
                    todo.remove(conn)
                except SSL.WantReadError:
                    pass
            if not (flush(client, server) + flush(server, client)) and not todo:
                break
    except SSL.Error as exc:
        print("FAILED", exc.args)
        sys.exit(0)
    print("VERIFIED" if not todo else "STUCK")
    """
)


@pytest.mark.parametrize("trusted", [True, False])
def test_set_default_verify_paths_honours_ssl_cert_file(pki, tmp_path, trusted):
    env = dict(os.environ)
    env["SSL_CERT_FILE"] = str(pki.ca_pem if trusted else pki.untrusted_ca_pem)
    env["SSL_CERT_DIR"] = str(tmp_path)  # empty: nothing else to trust
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            _DEFAULT_PATHS_SCRIPT,
            str(pki.server_ec.chain_pem),
            str(pki.server_ec.key_pem),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    if trusted:
        assert result.stdout.strip() == "VERIFIED", result.stdout + result.stderr
    else:
        assert result.stdout.startswith("FAILED"), result.stdout + result.stderr
        assert "certificate verify failed" in result.stdout


def test_set_default_verify_paths_returns_none():
    assert SSL.Context(SSL.TLS_METHOD).set_default_verify_paths() is None


def test_verify_mode_roundtrip():
    ctx = SSL.Context(SSL.TLS_METHOD)
    assert ctx.get_verify_mode() == SSL.VERIFY_NONE
    mode = SSL.VERIFY_PEER | SSL.VERIFY_FAIL_IF_NO_PEER_CERT | SSL.VERIFY_CLIENT_ONCE
    assert ctx.set_verify(mode) is None
    assert ctx.get_verify_mode() == mode
    ctx.set_verify(SSL.VERIFY_PEER)
    assert ctx.get_verify_mode() == SSL.VERIFY_PEER


def test_set_verify_with_callback_keeps_mode():
    ctx = SSL.Context(SSL.TLS_METHOD)
    ctx.set_verify(SSL.VERIFY_PEER, lambda *args: True)
    assert ctx.get_verify_mode() == SSL.VERIFY_PEER


def test_set_verify_type_errors():
    ctx = SSL.Context(SSL.TLS_METHOD)
    with pytest.raises(TypeError):
        ctx.set_verify("peer")
    with pytest.raises(TypeError):
        ctx.set_verify(SSL.VERIFY_PEER, "not callable")


def test_verify_depth_roundtrip():
    ctx = SSL.Context(SSL.TLS_METHOD)
    assert ctx.get_verify_depth() == -1
    assert ctx.set_verify_depth(5) is None
    assert ctx.get_verify_depth() == 5
    with pytest.raises(TypeError):
        ctx.set_verify_depth("5")


@pytest.mark.parametrize("version", [SSL.TLS1_2_VERSION, SSL.TLS1_3_VERSION])
def test_server_requires_client_certificate(pki, version):
    sctx = server_context(pki.server_ec, version=version)
    sctx.set_verify(SSL.VERIFY_PEER | SSL.VERIFY_FAIL_IF_NO_PEER_CERT)
    sctx.load_verify_locations(str(pki.ca_pem))

    client, server = connection_pair(sctx, client_context(pki), host=b"localhost")
    failure = fail_handshake(client, server)
    if version == SSL.TLS1_2_VERSION:
        # The client hears a handshake_failure alert: OpenSSL 3.0 calls it
        # "sslv3 alert handshake failure", OpenSSL 4.0 "tls alert handshake
        # failure".
        assert_failure(failure, "server", "peer did not return a certificate",
                       peer_reason=HANDSHAKE_FAILURE_ALERT)
    else:
        # TLS 1.3: the client's handshake is over before the server checks
        # its (empty) Certificate message.
        assert_failure(failure, "server", "peer did not return a certificate")
        assert failure.peer_error is None

    cctx = client_context(pki)
    cctx.use_certificate_file(str(pki.client.cert_pem))
    cctx.use_privatekey_file(str(pki.client.key_pem))
    sctx = server_context(pki.server_ec, version=version)
    sctx.set_verify(SSL.VERIFY_PEER | SSL.VERIFY_FAIL_IF_NO_PEER_CERT)
    sctx.load_verify_locations(str(pki.ca_pem))
    client, server = connection_pair(sctx, cctx, host=b"localhost")
    handshake(client, server)
    assert server.get_peer_certificate(as_cryptography=True) == pki.client.cert


# ---------------------------------------------------------------------------
# timeout and app data


def test_timeout_default_and_roundtrip():
    ctx = SSL.Context(SSL.TLS_METHOD)
    # OpenSSL's TLS default session lifetime (the docstring's 300 is stale)
    assert ctx.get_timeout() == 7200
    assert ctx.set_timeout(1234) == 7200
    assert ctx.get_timeout() == 1234
    assert ctx.set_timeout(60) == 1234


def test_timeout_type_error():
    with pytest.raises(TypeError):
        SSL.Context(SSL.TLS_METHOD).set_timeout("60")


def test_app_data_roundtrip():
    ctx = SSL.Context(SSL.TLS_METHOD)
    assert ctx.get_app_data() is None
    marker = object()
    assert ctx.set_app_data(marker) is None
    assert ctx.get_app_data() is marker
    ctx.set_app_data(None)
    assert ctx.get_app_data() is None


def test_alpn_protos_validation():
    ctx = SSL.Context(SSL.TLS_METHOD)
    assert ctx.set_alpn_protos([b"h2", b"http/1.1"]) is None
    with pytest.raises(ValueError):
        ctx.set_alpn_protos([])
    with pytest.raises(TypeError):
        ctx.set_alpn_protos([b"h2", "http/1.1"])


# ---------------------------------------------------------------------------
# a used Context is frozen


def _setter_calls(pki):
    return [
        ("set_min_proto_version", (SSL.TLS1_2_VERSION,)),
        ("set_max_proto_version", (SSL.TLS1_3_VERSION,)),
        ("load_verify_locations", (str(pki.ca_pem),)),
        ("set_default_verify_paths", ()),
        ("use_certificate_chain_file", (str(pki.server_rsa.chain_pem),)),
        ("use_certificate_file", (str(pki.server_rsa.cert_pem),)),
        ("use_privatekey_file", (str(pki.server_rsa.key_pem),)),
        ("use_certificate", (pki.server_rsa.cert,)),
        ("use_privatekey", (pki.server_rsa.key,)),
        ("add_extra_chain_cert", (pki.ca_cert,)),
        ("add_client_ca", (pki.ca_cert,)),
        ("load_client_ca", (os.fsencode(pki.ca_pem),)),
        ("set_session_id", (b"session-id",)),
        ("set_session_cache_mode", (SSL.SESS_CACHE_OFF,)),
        ("set_verify", (SSL.VERIFY_PEER,)),
        ("set_verify_depth", (3,)),
        ("set_tmp_ecdh", (ec.SECP256R1(),)),
        ("set_cipher_list", (b"DEFAULT",)),
        ("set_tls13_ciphersuites", (b"TLS_AES_128_GCM_SHA256",)),
        ("set_timeout", (10,)),
        ("set_info_callback", (lambda conn, where, ret: None,)),
        ("set_keylog_callback", (lambda conn, line: None,)),
        ("set_app_data", ("data",)),
        ("set_options", (SSL.OP_NO_TICKET,)),
        ("set_mode", (SSL.MODE_RELEASE_BUFFERS,)),
        ("clear_mode", (SSL.MODE_RELEASE_BUFFERS,)),
        ("set_tlsext_servername_callback", (lambda conn: None,)),
        ("set_tlsext_use_srtp", (b"SRTP_AES128_CM_SHA1_80",)),
        ("set_alpn_protos", ([b"h2"],)),
        ("set_alpn_select_callback", (lambda conn, protos: protos[0],)),
        ("set_ocsp_server_callback", (lambda conn, data: b"",)),
        ("set_ocsp_client_callback", (lambda conn, ocsp, data: True,)),
    ]


SETTER_NAMES = [
    "set_min_proto_version",
    "set_max_proto_version",
    "load_verify_locations",
    "set_default_verify_paths",
    "use_certificate_chain_file",
    "use_certificate_file",
    "use_privatekey_file",
    "use_certificate",
    "use_privatekey",
    "add_extra_chain_cert",
    "add_client_ca",
    "load_client_ca",
    "set_session_id",
    "set_session_cache_mode",
    "set_verify",
    "set_verify_depth",
    "set_tmp_ecdh",
    "set_cipher_list",
    "set_tls13_ciphersuites",
    "set_timeout",
    "set_info_callback",
    "set_keylog_callback",
    "set_app_data",
    "set_options",
    "set_mode",
    "clear_mode",
    "set_tlsext_servername_callback",
    "set_tlsext_use_srtp",
    "set_alpn_protos",
    "set_alpn_select_callback",
    "set_ocsp_server_callback",
    "set_ocsp_client_callback",
]


# Each setter's effect on a fresh Context: test_setter_effects_*.py.


@pytest.mark.parametrize("name", SETTER_NAMES)
def test_used_context_rejects_setter(pki, name):
    args = dict(_setter_calls(pki))[name]
    ctx = SSL.Context(SSL.TLS_METHOD)
    SSL.Connection(ctx, None)
    with pytest.raises(ValueError) as info:
        getattr(ctx, name)(*args)
    assert "Context" in str(info.value)


def test_frozen_context_keeps_its_settings(pki):
    ctx = SSL.Context(SSL.TLS_METHOD)
    ctx.set_timeout(99)
    ctx.set_verify(SSL.VERIFY_PEER)
    ctx.set_verify_depth(4)
    marker = object()
    ctx.set_app_data(marker)
    ctx.use_certificate_file(str(pki.server_rsa.cert_pem))
    ctx.use_privatekey_file(str(pki.server_rsa.key_pem))
    SSL.Connection(ctx, None)

    with pytest.raises(ValueError):
        ctx.set_timeout(5)
    with pytest.raises(ValueError):
        ctx.set_app_data("other")

    assert ctx.get_timeout() == 99
    assert ctx.get_verify_mode() == SSL.VERIFY_PEER
    assert ctx.get_verify_depth() == 4
    assert ctx.get_app_data() is marker
    assert ctx.get_session_cache_mode() == SSL.SESS_CACHE_SERVER
    assert ctx.check_privatekey() is None
    assert ctx.get_cert_store() is not None


def test_context_usable_for_many_connections(pki):
    sctx = server_context(pki.server_rsa)
    cctx = client_context(pki)
    for _ in range(3):
        client, server = connection_pair(sctx, cctx, host=b"localhost")
        handshake(client, server)


def test_set_context_freezes_new_context():
    first = SSL.Context(SSL.TLS_METHOD)
    second = SSL.Context(SSL.TLS_METHOD)
    conn = SSL.Connection(first, None)
    second.set_timeout(11)  # still mutable
    conn.set_context(second)
    assert conn.get_context() is second
    with pytest.raises(ValueError):
        second.set_timeout(12)
    assert second.get_timeout() == 11


def test_set_context_type_error():
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    with pytest.raises(TypeError):
        conn.set_context(object())


def test_failed_connection_construction_does_not_freeze():
    ctx = SSL.Context(SSL.TLS_METHOD)
    with pytest.raises(TypeError):
        SSL.Connection(object(), None)
    ctx.set_timeout(5)
    assert ctx.get_timeout() == 5
