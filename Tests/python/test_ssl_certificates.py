"""Certificate- and key-related methods of OpenSSL.SSL.Context and
OpenSSL.SSL.Connection, exercised over memory-BIO handshakes.

Encodes pyOpenSSL 26.4's behaviour; run against the reference with
PYOPENSSL_REFERENCE=1."""

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import warnings

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec

from OpenSSL import SSL, crypto

from certs_for_tests import (
    DH_PARAMS_PEM,
    cert_pem,
    chain,
    connection_pair,
    ec_key,
    handshake,
    key_pem,
    other_chain,
    rsa_key,
)
from handshake_failures import HANDSHAKE_FAILURE_ALERT, assert_failure, fail_handshake

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

X509_WARNING = (
    "Passing pyOpenSSL X509 objects is deprecated. You should use a "
    "cryptography.x509.Certificate instead."
)
PKEY_WARNING = (
    "Passing pyOpenSSL PKey objects is deprecated. You should use a "
    "cryptography private key instead."
)


def X(cert):
    return crypto.X509.from_cryptography(cert)


def P(key):
    return crypto.PKey.from_cryptography_key(key)


def server_ctx(*, extra_chain=True, method=SSL.TLS_METHOD):
    """Server context with the RSA leaf, its key and (optionally) the
    intermediate as extra chain certificate."""
    c = chain()
    ctx = SSL.Context(method)
    ctx.use_certificate(c.server.cert)
    ctx.use_privatekey(c.server.key)
    if extra_chain:
        ctx.add_extra_chain_cert(c.intermediate.cert)
    return ctx


def client_ctx(*, trust_root=True, method=SSL.TLS_METHOD):
    """Client context that verifies the server and trusts only the root."""
    ctx = SSL.Context(method)
    ctx.set_verify(SSL.VERIFY_PEER)
    if trust_root:
        ctx.get_cert_store().add_cert(X(chain().root.cert))
    return ctx


def request_client_cert(ctx):
    """Make a server context ask for (and accept) client certificates."""
    ctx.set_verify(SSL.VERIFY_PEER, lambda conn, cert, errnum, depth, ok: ok)
    ctx.get_cert_store().add_cert(X(chain().root.cert))
    return ctx


def _warning_messages(record):
    return [str(w.message) for w in record if issubclass(w.category, DeprecationWarning)]


# ---------------------------------------------------------------------------
# Context.use_certificate / use_privatekey


def test_context_accepts_cryptography_objects_without_warning():
    c = chain()
    ctx = SSL.Context(SSL.TLS_METHOD)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert ctx.use_certificate(c.server.cert) is None
        assert ctx.use_privatekey(c.server.key) is None
        assert ctx.add_extra_chain_cert(c.intermediate.cert) is None
        assert ctx.add_client_ca(c.root.cert) is None
    ctx.check_privatekey()


def test_context_use_certificate_x509_warns():
    ctx = SSL.Context(SSL.TLS_METHOD)
    with pytest.warns(DeprecationWarning) as record:
        ctx.use_certificate(X(chain().server.cert))
    assert _warning_messages(record) == [X509_WARNING]
    # (pyOpenSSL 26.4 attributes this one to its own SSL.py: stacklevel=2 lands
    # in the _require_not_used wrapper, so the location is not asserted)


def test_context_use_privatekey_pkey_warns():
    ctx = SSL.Context(SSL.TLS_METHOD)
    ctx.use_certificate(chain().server.cert)
    with pytest.warns(DeprecationWarning) as record:
        ctx.use_privatekey(P(chain().server.key))
    assert _warning_messages(record) == [PKEY_WARNING]
    ctx.check_privatekey()


def test_context_add_extra_chain_cert_and_client_ca_x509_warn():
    ctx = SSL.Context(SSL.TLS_METHOD)
    with pytest.warns(DeprecationWarning) as record:
        ctx.add_extra_chain_cert(X(chain().intermediate.cert))
    assert _warning_messages(record) == [X509_WARNING]
    with pytest.warns(DeprecationWarning) as record:
        ctx.add_client_ca(X(chain().root.cert))
    assert _warning_messages(record) == [X509_WARNING]


@pytest.mark.parametrize("kind", ["cryptography", "pyopenssl"])
def test_handshake_with_either_object_kind(kind):
    c = chain()
    ctx = SSL.Context(SSL.TLS_METHOD)
    if kind == "cryptography":
        ctx.use_certificate(c.server.cert)
        ctx.use_privatekey(c.server.key)
        ctx.add_extra_chain_cert(c.intermediate.cert)
    else:
        ctx.use_certificate(X(c.server.cert))
        ctx.use_privatekey(P(c.server.key))
        ctx.add_extra_chain_cert(X(c.intermediate.cert))
    client, server = connection_pair(ctx, client_ctx())
    handshake(client, server)
    assert client.get_peer_certificate(as_cryptography=True) == c.server.cert


@pytest.mark.parametrize("bad", [None, b"cert", "cert", 5, chain], ids=["none", "bytes", "str", "int", "func"])
def test_context_use_certificate_rejects_non_certificates(bad):
    ctx = SSL.Context(SSL.TLS_METHOD)
    for method in (ctx.use_certificate, ctx.add_extra_chain_cert, ctx.add_client_ca):
        with pytest.raises(TypeError) as info:
            method(bad)
        assert info.value.args == ("Must be a certificate",)


@pytest.mark.parametrize("bad", [None, b"key", "key", 5], ids=["none", "bytes", "str", "int"])
def test_context_use_privatekey_rejects_non_keys(bad):
    ctx = SSL.Context(SSL.TLS_METHOD)
    with pytest.raises(TypeError) as info:
        ctx.use_privatekey(bad)
    assert info.value.args == ("Unsupported key type",)


def test_context_use_privatekey_mismatch_is_ssl_error():
    ctx = SSL.Context(SSL.TLS_METHOD)
    ctx.use_certificate(chain().server.cert)  # RSA
    with pytest.raises(SSL.Error) as info:
        ctx.use_privatekey(rsa_key(3))
    assert not isinstance(info.value, crypto.Error)
    ctx.use_privatekey(chain().server.key)
    ctx.check_privatekey()


def test_certificate_after_mismatched_key_drops_the_key():
    # OpenSSL keeps the new certificate and forgets the key that does not fit
    ctx = SSL.Context(SSL.TLS_METHOD)
    ctx.use_privatekey(rsa_key(3))
    assert ctx.use_certificate(chain().server.cert) is None
    with pytest.raises(SSL.Error):
        ctx.check_privatekey()
    ctx.use_privatekey(chain().server.key)
    ctx.check_privatekey()


def test_ssl_error_and_crypto_error_are_distinct():
    assert not issubclass(SSL.Error, crypto.Error)
    assert not issubclass(crypto.Error, SSL.Error)


# ---------------------------------------------------------------------------
# add_extra_chain_cert and chain verification


def test_extra_chain_cert_lets_root_only_client_verify():
    client, server = connection_pair(server_ctx(extra_chain=True), client_ctx())
    handshake(client, server)
    c = chain()
    assert client.get_peer_cert_chain(as_cryptography=True) == [c.server.cert, c.intermediate.cert]
    assert client.get_verified_chain(as_cryptography=True) == [
        c.server.cert, c.intermediate.cert, c.root.cert,
    ]


# The client rejects the server's chain and tells it so with an
# unknown_ca alert (same wording in OpenSSL 3.0 and 4.0).
def assert_client_rejected_chain(client, server):
    assert_failure(fail_handshake(client, server), "client", "certificate verify failed",
                   peer_reason="tlsv1 alert unknown ca")


def test_without_extra_chain_cert_verification_fails():
    client, server = connection_pair(server_ctx(extra_chain=False), client_ctx())
    assert_client_rejected_chain(client, server)


def test_untrusted_server_fails_verification():
    o = other_chain()
    ctx = SSL.Context(SSL.TLS_METHOD)
    ctx.use_certificate(o.server.cert)
    ctx.use_privatekey(o.server.key)
    ctx.add_extra_chain_cert(o.intermediate.cert)
    client, server = connection_pair(ctx, client_ctx())
    assert_client_rejected_chain(client, server)


def test_client_without_trust_anchor_fails():
    client, server = connection_pair(server_ctx(), client_ctx(trust_root=False))
    assert_client_rejected_chain(client, server)


# ---------------------------------------------------------------------------
# get_cert_store


def test_get_cert_store_returns_x509store():
    store = SSL.Context(SSL.TLS_METHOD).get_cert_store()
    assert isinstance(store, crypto.X509Store)


def test_get_cert_store_is_the_context_store():
    ctx = SSL.Context(SSL.TLS_METHOD)
    ctx.set_verify(SSL.VERIFY_PEER)
    # two wrappers around one underlying store
    ctx.get_cert_store().add_cert(X(chain().root.cert))
    ctx.get_cert_store().add_cert(X(chain().root.cert))
    client, server = connection_pair(server_ctx(), ctx)
    handshake(client, server)


def test_get_cert_store_usable_for_x509storecontext():
    ctx = SSL.Context(SSL.TLS_METHOD)
    store = ctx.get_cert_store()
    store.add_cert(X(chain().root.cert))
    c = chain()
    crypto.X509StoreContext(store, X(c.server.cert), [X(c.intermediate.cert)]).verify_certificate()


def test_get_cert_store_works_on_used_context():
    ctx = client_ctx(trust_root=False)
    SSL.Connection(ctx, None)
    ctx.get_cert_store().add_cert(X(chain().root.cert))
    client, server = connection_pair(server_ctx(), ctx)
    handshake(client, server)


# ---------------------------------------------------------------------------
# client CA lists


def test_add_client_ca_server_and_client_view():
    c = chain()
    sctx = request_client_cert(server_ctx())
    sctx.add_client_ca(c.root.cert)
    sctx.add_client_ca(c.intermediate.cert)
    client, server = connection_pair(sctx, client_ctx())
    expected = [c.root.cert.subject, c.intermediate.cert.subject]
    # the server knows its list before any handshake
    assert server.get_client_ca_list(as_cryptography=True) == expected
    assert client.get_client_ca_list() == []
    assert client.get_client_ca_list(as_cryptography=True) == []
    handshake(client, server)
    assert client.get_client_ca_list(as_cryptography=True) == expected
    names = client.get_client_ca_list()
    assert all(isinstance(n, crypto.X509Name) for n in names)
    assert [n.der() for n in names] == [name.public_bytes() for name in expected]
    assert [n.CN for n in names] == ["compat root CA", "compat intermediate CA"]


def test_get_client_ca_list_does_not_warn():
    sctx = server_ctx()
    sctx.add_client_ca(chain().root.cert)
    server = SSL.Connection(sctx, None)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        names = server.get_client_ca_list()
        server.get_client_ca_list(as_cryptography=True)
    assert repr(names[0]) == "<X509Name object '/O=pyOpenSSL compat tests/CN=compat root CA'>"


def test_client_ca_list_empty_when_not_requested():
    sctx = server_ctx()
    sctx.add_client_ca(chain().root.cert)  # but the server does not ask
    client, server = connection_pair(sctx, client_ctx())
    handshake(client, server)
    assert client.get_client_ca_list() == []


def test_client_ca_list_returns_copies():
    sctx = server_ctx()
    sctx.add_client_ca(chain().root.cert)
    server = SSL.Connection(sctx, None)
    first = server.get_client_ca_list()
    first[0].CN = "mutated"
    assert server.get_client_ca_list()[0].CN == "compat root CA"


def test_set_client_ca_list():
    c = chain()
    o = other_chain()
    names = [X(c.root.cert).get_subject(), X(o.root.cert).get_subject()]
    sctx = request_client_cert(server_ctx())
    assert sctx.set_client_ca_list(names) is None
    client, server = connection_pair(sctx, client_ctx())
    assert server.get_client_ca_list(as_cryptography=True) == [c.root.cert.subject, o.root.cert.subject]
    handshake(client, server)
    assert client.get_client_ca_list(as_cryptography=True) == [
        c.root.cert.subject, o.root.cert.subject,
    ]


def test_set_client_ca_list_warns():
    ctx = SSL.Context(SSL.TLS_METHOD)
    name = X(chain().root.cert).get_subject()
    with pytest.warns(DeprecationWarning) as record:
        ctx.set_client_ca_list([name])
    assert _warning_messages(record) == [
        "Context.set_client_ca_list is deprecated. X509Name support in "
        "pyOpenSSL is deprecated."
    ]
    assert record[0].filename == __file__


def test_set_client_ca_list_copies_names():
    name = crypto.X509Name(X(chain().root.cert).get_subject())
    ctx = SSL.Context(SSL.TLS_METHOD)
    ctx.set_client_ca_list([name])
    name.CN = "changed afterwards"
    server = SSL.Connection(ctx, None)
    assert server.get_client_ca_list()[0].CN == "compat root CA"


def test_set_client_ca_list_empty():
    ctx = SSL.Context(SSL.TLS_METHOD)
    ctx.add_client_ca(chain().root.cert)
    ctx.set_client_ca_list([])
    assert SSL.Connection(ctx, None).get_client_ca_list() == []


@pytest.mark.parametrize(
    "bad, type_name",
    [(lambda: chain().root.cert.subject, "Name"), (lambda: "CN=x", "str"),
     (lambda: X(chain().root.cert), "X509")],
    ids=["cryptography-name", "str", "x509"],
)
def test_set_client_ca_list_rejects_non_x509name(bad, type_name):
    ctx = SSL.Context(SSL.TLS_METHOD)
    with pytest.raises(TypeError) as info:
        ctx.set_client_ca_list([bad()])
    assert info.value.args == (
        f"client CAs must be X509Name objects, not {type_name} objects",
    )


def test_add_client_ca_appends_to_set_list():
    c = chain()
    ctx = SSL.Context(SSL.TLS_METHOD)
    ctx.set_client_ca_list([X(c.root.cert).get_subject()])
    ctx.add_client_ca(c.intermediate.cert)
    assert SSL.Connection(ctx, None).get_client_ca_list(as_cryptography=True) == [
        c.root.cert.subject, c.intermediate.cert.subject,
    ]


@pytest.fixture
def ca_bundle(tmp_path):
    path = tmp_path / "client-cas.pem"
    path.write_bytes(cert_pem(chain().root.cert, other_chain().root.cert))
    return path


def test_load_client_ca_bytes_path(ca_bundle):
    sctx = request_client_cert(server_ctx())
    assert sctx.load_client_ca(str(ca_bundle).encode()) is None
    client, server = connection_pair(sctx, client_ctx())
    expected = [chain().root.cert.subject, other_chain().root.cert.subject]
    assert server.get_client_ca_list(as_cryptography=True) == expected
    handshake(client, server)
    assert client.get_client_ca_list(as_cryptography=True) == expected


def test_load_client_ca_str_path_warns(ca_bundle):
    ctx = SSL.Context(SSL.TLS_METHOD)
    with pytest.warns(DeprecationWarning) as record:
        ctx.load_client_ca(str(ca_bundle))
    assert _warning_messages(record) == ["str for cafile is no longer accepted, use bytes"]
    assert len(SSL.Connection(ctx, None).get_client_ca_list()) == 2


def test_load_client_ca_pathlike_is_type_error(ca_bundle):
    with pytest.raises(TypeError):
        SSL.Context(SSL.TLS_METHOD).load_client_ca(ca_bundle)


def test_load_client_ca_missing_file_is_ssl_error(tmp_path):
    ctx = SSL.Context(SSL.TLS_METHOD)
    with pytest.raises(SSL.Error):
        ctx.load_client_ca(str(tmp_path / "missing.pem").encode())
    with pytest.raises(SSL.Error):
        junk = tmp_path / "junk.pem"
        junk.write_bytes(b"not a certificate")
        ctx.load_client_ca(str(junk).encode())
    ctx.add_client_ca(chain().root.cert)
    assert len(SSL.Connection(ctx, None).get_client_ca_list()) == 1


def test_load_client_ca_replaces_list(ca_bundle):
    ctx = SSL.Context(SSL.TLS_METHOD)
    ctx.add_client_ca(chain().intermediate.cert)
    ctx.load_client_ca(str(ca_bundle).encode())
    assert SSL.Connection(ctx, None).get_client_ca_list(as_cryptography=True) == [
        chain().root.cert.subject, other_chain().root.cert.subject,
    ]


# ---------------------------------------------------------------------------
# set_tmp_ecdh / load_tmp_dh


def test_set_tmp_ecdh_cryptography_curve_no_warning():
    ctx = SSL.Context(SSL.TLS_METHOD)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for curve in (ec.SECP256R1(), ec.SECP384R1(), ec.SECP521R1()):
            assert ctx.set_tmp_ecdh(curve) is None


def test_set_tmp_ecdh_pyopenssl_curve_warns():
    curve = crypto.get_elliptic_curve("prime256v1")
    ctx = SSL.Context(SSL.TLS_METHOD)
    with pytest.warns(DeprecationWarning) as record:
        ctx.set_tmp_ecdh(curve)
    assert _warning_messages(record) == [
        "Passing pyOpenSSL elliptic curves to set_tmp_ecdh is deprecated. "
        "You should use cryptography's elliptic curve types instead."
    ]


@pytest.mark.parametrize("bad", ["prime256v1", None, 5], ids=["str", "none", "int"])
def test_set_tmp_ecdh_non_curve_is_attribute_error(bad):
    with pytest.raises(AttributeError):
        SSL.Context(SSL.TLS_METHOD).set_tmp_ecdh(bad)


def test_set_tmp_ecdh_unknown_curve_name_is_ssl_error():
    class Bogus:
        name = "not-a-curve"

    with pytest.raises(SSL.Error):
        SSL.Context(SSL.TLS_METHOD).set_tmp_ecdh(Bogus())
    SSL.Context(SSL.TLS_METHOD).set_tmp_ecdh(ec.SECP384R1())


@pytest.mark.parametrize("version", [SSL.TLS1_2_VERSION, SSL.TLS1_3_VERSION],
                         ids=["tls1.2", "tls1.3"])
def test_set_tmp_ecdh_selects_the_group(version):
    sctx = server_ctx()
    sctx.set_tmp_ecdh(ec.SECP384R1())
    cctx = client_ctx()
    cctx.set_min_proto_version(version)
    cctx.set_max_proto_version(version)
    client, server = connection_pair(sctx, cctx)
    handshake(client, server)
    if version == SSL.TLS1_2_VERSION:
        assert client.get_cipher_name().startswith("ECDHE-")
    try:
        group = server.get_group_name()
    except NotImplementedError:
        pytest.skip("get_group_name needs a newer OpenSSL")
    assert group == "secp384r1"


def test_set_tmp_ecdh_pyopenssl_curve_handshake():
    sctx = server_ctx()
    sctx.set_tmp_ecdh(crypto.get_elliptic_curve("secp384r1"))
    cctx = client_ctx()
    cctx.set_max_proto_version(SSL.TLS1_2_VERSION)
    client, server = connection_pair(sctx, cctx)
    handshake(client, server)
    assert client.get_cipher_name().startswith("ECDHE-")


@pytest.fixture
def dh_file(tmp_path):
    path = tmp_path / "dh2048.pem"
    path.write_bytes(DH_PARAMS_PEM)
    return path


@pytest.mark.parametrize("kind", ["str", "bytes", "pathlike"])
def test_load_tmp_dh_path_kinds(dh_file, kind):
    path = {"str": str(dh_file), "bytes": str(dh_file).encode(), "pathlike": dh_file}[kind]
    assert SSL.Context(SSL.TLS_METHOD).load_tmp_dh(path) is None


def test_load_tmp_dh_enables_dhe(dh_file):
    sctx = server_ctx()
    sctx.load_tmp_dh(str(dh_file))
    sctx.set_cipher_list(b"DHE-RSA-AES128-GCM-SHA256")
    cctx = client_ctx()
    cctx.set_max_proto_version(SSL.TLS1_2_VERSION)
    cctx.set_cipher_list(b"DHE-RSA-AES128-GCM-SHA256")
    client, server = connection_pair(sctx, cctx)
    handshake(client, server)
    assert client.get_cipher_name() == "DHE-RSA-AES128-GCM-SHA256"
    assert server.get_cipher_name() == "DHE-RSA-AES128-GCM-SHA256"


def test_load_tmp_dh_missing_file_is_ssl_error(tmp_path, dh_file):
    ctx = SSL.Context(SSL.TLS_METHOD)
    with pytest.raises(SSL.Error):
        ctx.load_tmp_dh(str(tmp_path / "missing.pem"))
    ctx.load_tmp_dh(str(dh_file))


@pytest.mark.parametrize("content", [b"", b"junk", None], ids=["empty", "junk", "certificate"])
def test_load_tmp_dh_without_parameters_is_ssl_error(tmp_path, dh_file, content):
    path = tmp_path / "bad.pem"
    path.write_bytes(cert_pem(chain().root.cert) if content is None else content)
    ctx = SSL.Context(SSL.TLS_METHOD)
    with pytest.raises(SSL.Error):
        ctx.load_tmp_dh(str(path))
    ctx.load_tmp_dh(str(dh_file))


def test_load_tmp_dh_wrong_type():
    with pytest.raises(TypeError):
        SSL.Context(SSL.TLS_METHOD).load_tmp_dh(5)


# ---------------------------------------------------------------------------
# set_passwd_cb


@pytest.fixture
def encrypted_key_file(tmp_path):
    path = tmp_path / "server-key.enc.pem"
    path.write_bytes(key_pem(chain().server.key, b"topsecret"))
    return path


def _cert_file(tmp_path):
    path = tmp_path / "server.pem"
    path.write_bytes(cert_pem(chain().server.cert))
    return path


def test_set_passwd_cb_warns():
    ctx = SSL.Context(SSL.TLS_METHOD)
    with pytest.warns(DeprecationWarning) as record:
        ctx.set_passwd_cb(lambda *args: b"x")
    assert _warning_messages(record) == [
        "Context.set_passwd_cb is deprecated. You should decrypt and load your "
        "private key yourself, with cryptography's key loading APIs, and then "
        "use Context.use_privatekey instead."
    ]
    assert record[0].filename == __file__


def test_set_passwd_cb_decrypts_key_file(tmp_path, encrypted_key_file):
    calls = []
    userdata = {"marker": object()}

    def callback(maxlen, verify, data):
        calls.append((maxlen, verify, data))
        return b"topsecret"

    ctx = SSL.Context(SSL.TLS_METHOD)
    assert ctx.set_passwd_cb(callback, userdata) is None
    ctx.use_certificate_file(str(_cert_file(tmp_path)))
    ctx.use_privatekey_file(str(encrypted_key_file))
    ctx.check_privatekey()
    assert len(calls) >= 1
    maxlen, verify, data = calls[0]
    assert isinstance(maxlen, int) and maxlen > len(b"topsecret")
    assert not verify
    assert data is userdata


def test_set_passwd_cb_default_userdata_is_none(encrypted_key_file):
    seen = []
    ctx = SSL.Context(SSL.TLS_METHOD)
    ctx.set_passwd_cb(lambda maxlen, verify, data: seen.append(data) or b"topsecret")
    ctx.use_privatekey_file(str(encrypted_key_file))
    assert seen and seen[0] is None


def test_set_passwd_cb_handshake(tmp_path, encrypted_key_file):
    ctx = SSL.Context(SSL.TLS_METHOD)
    ctx.set_passwd_cb(lambda *args: b"topsecret")
    ctx.use_certificate_file(str(_cert_file(tmp_path)))
    ctx.use_privatekey_file(str(encrypted_key_file))
    ctx.add_extra_chain_cert(chain().intermediate.cert)
    client, server = connection_pair(ctx, client_ctx())
    handshake(client, server)


def test_set_passwd_cb_wrong_passphrase_is_ssl_error(encrypted_key_file):
    ctx = SSL.Context(SSL.TLS_METHOD)
    ctx.set_passwd_cb(lambda *args: b"wrong")
    with pytest.raises(SSL.Error) as info:
        ctx.use_privatekey_file(str(encrypted_key_file))
    assert not isinstance(info.value, crypto.Error)
    # nothing left behind: a plain key still loads
    ctx.use_privatekey(chain().server.key)


def test_set_passwd_cb_long_result_is_truncated_not_rejected(encrypted_key_file):
    ctx = SSL.Context(SSL.TLS_METHOD)
    ctx.set_passwd_cb(lambda *args: b"topsecret" + b"x" * 5000)
    # the callback result is cut to the buffer size, so it is simply wrong
    with pytest.raises(SSL.Error):
        ctx.use_privatekey_file(str(encrypted_key_file))


@pytest.mark.parametrize("result", ["topsecret", None, 5], ids=["str", "none", "int"])
def test_set_passwd_cb_non_bytes_result(encrypted_key_file, result):
    ctx = SSL.Context(SSL.TLS_METHOD)
    ctx.set_passwd_cb(lambda *args: result)
    with pytest.raises(ValueError) as info:
        ctx.use_privatekey_file(str(encrypted_key_file))
    assert info.value.args == ("Bytes expected",)
    ctx.use_privatekey(chain().server.key)


def test_set_passwd_cb_exception_propagates(encrypted_key_file):
    class Boom(Exception):
        pass

    def callback(*args):
        raise Boom("nope")

    ctx = SSL.Context(SSL.TLS_METHOD)
    ctx.set_passwd_cb(callback)
    with pytest.raises(Boom):
        ctx.use_privatekey_file(str(encrypted_key_file))
    ctx.use_privatekey(chain().server.key)


@pytest.mark.parametrize("bad", [None, b"topsecret", "topsecret"], ids=["none", "bytes", "str"])
def test_set_passwd_cb_requires_callable(bad):
    with pytest.raises(TypeError) as info:
        SSL.Context(SSL.TLS_METHOD).set_passwd_cb(bad)
    assert info.value.args == ("callback must be callable",)


def test_passwd_cb_not_used_for_unencrypted_key(tmp_path):
    path = tmp_path / "plain.pem"
    path.write_bytes(key_pem(chain().server.key))

    calls = []
    ctx = SSL.Context(SSL.TLS_METHOD)
    ctx.set_passwd_cb(lambda *args: calls.append(args) or b"unused")
    ctx.use_privatekey_file(str(path))
    assert calls == []


# ---------------------------------------------------------------------------
# Connection.use_certificate / use_privatekey


def test_connection_level_certificate_and_key():
    c = chain()
    sctx = SSL.Context(SSL.TLS_METHOD)
    sctx.add_extra_chain_cert(c.intermediate.cert)
    server = SSL.Connection(sctx, None)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert server.use_certificate(c.server.cert) is None
        assert server.use_privatekey(c.server.key) is None
    server.set_accept_state()
    client = SSL.Connection(client_ctx(), None)
    client.set_connect_state()
    handshake(client, server)
    assert client.get_peer_certificate(as_cryptography=True) == c.server.cert
    assert server.get_certificate(as_cryptography=True) == c.server.cert


def test_connection_level_pyopenssl_objects_warn():
    c = chain()
    server = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    with pytest.warns(DeprecationWarning) as record:
        server.use_certificate(X(c.server.cert))
    assert _warning_messages(record) == [X509_WARNING]
    assert record[0].filename == __file__
    with pytest.warns(DeprecationWarning) as record:
        server.use_privatekey(P(c.server.key))
    assert _warning_messages(record) == [PKEY_WARNING]
    assert record[0].filename == __file__


def test_connection_certificate_overrides_context():
    c = chain()
    o = other_chain()
    sctx = server_ctx()
    server = SSL.Connection(sctx, None)
    server.use_certificate(o.server.cert)
    server.use_privatekey(o.server.key)
    assert server.get_certificate(as_cryptography=True) == o.server.cert
    # other connections from the same context keep the context's certificate
    assert SSL.Connection(sctx, None).get_certificate(as_cryptography=True) == c.server.cert


def test_connection_use_certificate_type_errors():
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    with pytest.raises(TypeError) as info:
        conn.use_certificate("cert")
    assert info.value.args == ("Must be a certificate",)
    with pytest.raises(TypeError) as info:
        conn.use_privatekey("key")
    assert info.value.args == ("Unsupported key type",)


def test_connection_use_privatekey_mismatch_is_ssl_error():
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    conn.use_certificate(chain().server.cert)
    with pytest.raises(SSL.Error):
        conn.use_privatekey(rsa_key(3))
    conn.use_privatekey(chain().server.key)


# ---------------------------------------------------------------------------
# certificate getters


GETTERS = ["get_certificate", "get_peer_certificate", "get_peer_cert_chain", "get_verified_chain"]


@pytest.mark.parametrize("getter", GETTERS)
@pytest.mark.parametrize("as_cryptography", [False, True])
def test_client_getters_none_before_handshake(getter, as_cryptography):
    client, server = connection_pair(server_ctx(), client_ctx())
    assert getattr(client, getter)(as_cryptography=as_cryptography) is None
    assert getattr(client, getter)() is None


@pytest.mark.parametrize("getter", GETTERS[1:])
def test_server_peer_getters_none_before_handshake(getter):
    client, server = connection_pair(server_ctx(), client_ctx())
    assert getattr(server, getter)() is None
    assert getattr(server, getter)(as_cryptography=True) is None


def test_server_get_certificate_before_handshake():
    client, server = connection_pair(server_ctx(), client_ctx())
    cert = server.get_certificate()
    assert isinstance(cert, crypto.X509)
    assert cert.to_cryptography() == chain().server.cert
    assert server.get_certificate(as_cryptography=True) == chain().server.cert


@pytest.mark.parametrize("getter", GETTERS)
def test_as_cryptography_is_keyword_only(getter):
    client, server = connection_pair(server_ctx(), client_ctx())
    with pytest.raises(TypeError):
        getattr(client, getter)(True)


@pytest.fixture
def handshaken():
    client, server = connection_pair(server_ctx(), client_ctx())
    handshake(client, server)
    return client, server


def test_get_peer_certificate_after_handshake(handshaken):
    client, server = handshaken
    c = chain()
    peer = client.get_peer_certificate()
    assert isinstance(peer, crypto.X509)
    assert crypto.dump_certificate(crypto.FILETYPE_ASN1, peer) == c.server.der
    crypto_peer = client.get_peer_certificate(as_cryptography=True)
    assert isinstance(crypto_peer, x509.Certificate)
    assert crypto_peer == c.server.cert


def test_get_certificate_after_handshake(handshaken):
    client, server = handshaken
    assert client.get_certificate() is None
    assert client.get_certificate(as_cryptography=True) is None
    assert server.get_certificate(as_cryptography=True) == chain().server.cert
    assert isinstance(server.get_certificate(), crypto.X509)


def test_get_peer_cert_chain_after_handshake(handshaken):
    client, server = handshaken
    c = chain()
    pyopenssl_chain = client.get_peer_cert_chain()
    assert isinstance(pyopenssl_chain, list)
    assert all(isinstance(cert, crypto.X509) for cert in pyopenssl_chain)
    assert [cert.to_cryptography() for cert in pyopenssl_chain] == [
        c.server.cert, c.intermediate.cert,
    ]
    crypto_chain = client.get_peer_cert_chain(as_cryptography=True)
    assert all(isinstance(cert, x509.Certificate) for cert in crypto_chain)
    assert crypto_chain == [c.server.cert, c.intermediate.cert]


def test_get_verified_chain_after_handshake(handshaken):
    client, server = handshaken
    c = chain()
    verified = client.get_verified_chain()
    assert all(isinstance(cert, crypto.X509) for cert in verified)
    assert [cert.to_cryptography() for cert in verified] == [
        c.server.cert, c.intermediate.cert, c.root.cert,
    ]
    assert client.get_verified_chain(as_cryptography=True) == [
        c.server.cert, c.intermediate.cert, c.root.cert,
    ]


def test_server_has_no_peer_without_client_certificate(handshaken):
    client, server = handshaken
    for getter in GETTERS[1:]:
        assert getattr(server, getter)() is None
        assert getattr(server, getter)(as_cryptography=True) is None


def test_getters_return_fresh_objects(handshaken):
    client, server = handshaken
    a = client.get_peer_certificate()
    b = client.get_peer_certificate()
    assert a is not b
    assert a.digest("sha256") == b.digest("sha256")


@pytest.mark.parametrize("kind", ["cryptography", "pyopenssl"])
def test_mutual_authentication(kind):
    c = chain()
    sctx = server_ctx()
    sctx.set_verify(SSL.VERIFY_PEER | SSL.VERIFY_FAIL_IF_NO_PEER_CERT)
    sctx.get_cert_store().add_cert(X(c.root.cert))
    sctx.add_client_ca(c.root.cert)
    cctx = client_ctx()
    if kind == "cryptography":
        cctx.use_certificate(c.client.cert)
        cctx.use_privatekey(c.client.key)
        cctx.add_extra_chain_cert(c.intermediate.cert)
    else:
        cctx.use_certificate(X(c.client.cert))
        cctx.use_privatekey(P(c.client.key))
        cctx.add_extra_chain_cert(X(c.intermediate.cert))
    client, server = connection_pair(sctx, cctx)
    handshake(client, server)
    assert server.get_peer_certificate(as_cryptography=True) == c.client.cert
    # on the server side the peer chain does not include the leaf ...
    assert server.get_peer_cert_chain(as_cryptography=True) == [c.intermediate.cert]
    # ... but the verified chain does
    assert server.get_verified_chain(as_cryptography=True) == [
        c.client.cert, c.intermediate.cert, c.root.cert,
    ]
    assert client.get_certificate(as_cryptography=True) == c.client.cert
    assert client.get_client_ca_list(as_cryptography=True) == [c.root.cert.subject]


def test_missing_client_certificate_fails_when_required():
    c = chain()
    sctx = server_ctx()
    sctx.set_verify(SSL.VERIFY_PEER | SSL.VERIFY_FAIL_IF_NO_PEER_CERT)
    sctx.get_cert_store().add_cert(X(c.root.cert))
    cctx = client_ctx()
    cctx.set_max_proto_version(SSL.TLS1_2_VERSION)
    client, server = connection_pair(sctx, cctx)
    # The client is told with a handshake_failure alert, which OpenSSL 3.0
    # names "sslv3 alert handshake failure" and OpenSSL 4.0 "tls alert
    # handshake failure".
    assert_failure(fail_handshake(client, server), "server", "peer did not return a certificate",
                   peer_reason=HANDSHAKE_FAILURE_ALERT)


def test_ec_server_identity():
    # a P-256 leaf issued straight by the P-256 intermediate
    c = chain()
    from certs_for_tests import make_cert

    key = ec_key(40)
    leaf = make_cert("localhost", key, issuer_cert=c.intermediate.cert,
                     issuer_key=c.intermediate.key, san=["localhost"], server=True)
    sctx = SSL.Context(SSL.TLS_METHOD)
    sctx.use_certificate(leaf)
    sctx.use_privatekey(key)
    sctx.add_extra_chain_cert(c.intermediate.cert)
    client, server = connection_pair(sctx, client_ctx())
    handshake(client, server)
    assert client.get_peer_certificate(as_cryptography=True) == leaf
