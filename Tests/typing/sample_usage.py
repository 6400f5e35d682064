"""Typical use of OpenSSL.SSL and OpenSSL.crypto, written to type-check with
``mypy --strict`` against the package's stubs (Tests/python/test_typing.py
checks it). It also runs: ``python Tests/typing/sample_usage.py`` performs a
TLS handshake between two in-memory connections and exits 0.

``assert_type`` calls (no-ops at runtime) pin down what the stubs promise.
"""

from __future__ import annotations

import datetime
import warnings
from typing import TYPE_CHECKING, assert_type

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from OpenSSL import SSL, crypto

if TYPE_CHECKING:
    # Only a name for typing: the runtime passes instances to the callback.
    from OpenSSL.SSL import ClientHello

HOSTNAME = "server.example.test"


# ---------------------------------------------------------------------------
# certificates with cryptography


def make_name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def make_ca() -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(make_name("Sample CA"))
        .issuer_name(make_name("Sample CA"))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, certificate


def make_leaf(
    ca_key: ec.EllipticCurvePrivateKey, ca_cert: x509.Certificate
) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(make_name(HOSTNAME))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(HOSTNAME)]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    return key, certificate


# ---------------------------------------------------------------------------
# the same certificates through OpenSSL.crypto


def crypto_round_trip(ca_cert: x509.Certificate, leaf_cert: x509.Certificate,
                      leaf_key: ec.EllipticCurvePrivateKey) -> crypto.X509:
    ca = crypto.X509.from_cryptography(ca_cert)
    pem: bytes = crypto.dump_certificate(crypto.FILETYPE_PEM, ca)
    again = crypto.load_certificate(crypto.FILETYPE_PEM, pem)
    assert again.to_cryptography() == ca_cert
    assert_type(again.get_notAfter(), bytes | None)
    fingerprint: bytes = again.digest("sha256")
    assert fingerprint.count(b":") == 31

    key_pem = leaf_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"secret"),
    )
    pkey = crypto.load_privatekey(crypto.FILETYPE_PEM, key_pem, passphrase=b"secret")
    assert pkey.type() == crypto.TYPE_EC and pkey.bits() == 256
    public = crypto.load_publickey(crypto.FILETYPE_PEM, crypto.dump_publickey(crypto.FILETYPE_PEM, pkey))
    assert public.bits() == 256
    assert isinstance(pkey.to_cryptography_key(), ec.EllipticCurvePrivateKey)
    assert crypto.PKey.from_cryptography_key(leaf_key).bits() == 256

    # Names through the (deprecated) X509Name API: attribute access is typed.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        subject = again.get_subject()
        common_name = subject.CN
        assert_type(common_name, str | None)
        assert common_name == "Sample CA"
        components: list[tuple[bytes, bytes]] = subject.get_components()
        assert components == [(b"CN", b"Sample CA")]

    # Verify the leaf against a store holding the CA.
    store = crypto.X509Store()
    store.add_cert(ca)
    store.set_flags(crypto.X509StoreFlags.X509_STRICT)
    leaf = crypto.X509.from_cryptography(leaf_cert)
    chain = crypto.X509StoreContext(store, leaf).get_verified_chain()
    assert [c.to_cryptography() for c in chain] == [leaf_cert, ca_cert]
    try:
        crypto.X509StoreContext(crypto.X509Store(), leaf).verify_certificate()
    except crypto.X509StoreContextError as error:
        assert error.certificate.get_serial_number() == leaf_cert.serial_number
    else:
        raise AssertionError("an empty store verified the leaf")
    return ca


# ---------------------------------------------------------------------------
# callbacks, with the signatures the stubs require


def verify_callback(conn: SSL.Connection, cert: crypto.X509, errnum: int, depth: int, ok: int) -> bool:
    assert isinstance(cert, crypto.X509)
    return bool(ok) and errnum == SSL.X509VerificationCodes.OK


def info_callback(conn: SSL.Connection, where: int, ret: int) -> None:
    if where & SSL.SSL_CB_HANDSHAKE_DONE:
        conn.set_app_data({"done": True})


def alpn_select(conn: SSL.Connection, offered: list[bytes]) -> bytes | SSL._NoOverlappingProtocols:
    return b"h2" if b"h2" in offered else SSL.NO_OVERLAPPING_PROTOCOLS


def servername_callback(conn: SSL.Connection) -> None:
    assert conn.get_servername() == HOSTNAME.encode()


def client_hello_callback(conn: SSL.Connection, hello: ClientHello) -> bool:
    return hello.server_name == HOSTNAME and b"h2" in hello.alpn_protocols


class KeyLog:
    def __init__(self) -> None:
        self.lines: list[bytes] = []

    def __call__(self, conn: SSL.Connection, line: bytes) -> None:
        self.lines.append(line)


# ---------------------------------------------------------------------------
# contexts


def server_context(leaf_key: ec.EllipticCurvePrivateKey, leaf_cert: x509.Certificate,
                   ca_cert: x509.Certificate, keylog: KeyLog) -> SSL.Context:
    context = SSL.Context(SSL.TLS_SERVER_METHOD)
    context.set_min_proto_version(SSL.TLS1_2_VERSION)
    context.set_options(SSL.OP_NO_COMPRESSION | SSL.OP_CIPHER_SERVER_PREFERENCE)
    context.use_certificate(leaf_cert)
    context.use_privatekey(leaf_key)
    context.add_extra_chain_cert(ca_cert)
    context.check_privatekey()
    context.set_session_id(b"sample")
    context.set_alpn_select_callback(alpn_select)
    context.set_tlsext_servername_callback(servername_callback)
    context.set_client_hello_callback(client_hello_callback)
    context.set_info_callback(info_callback)
    context.set_keylog_callback(keylog)
    return context


def client_context(ca: crypto.X509) -> SSL.Context:
    context = SSL.Context(SSL.TLS_CLIENT_METHOD)
    context.set_min_proto_version(SSL.TLS1_2_VERSION)
    context.set_cipher_list(b"ECDHE+AESGCM")
    context.set_tls13_ciphersuites(b"TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384")
    store = context.get_cert_store()
    assert store is not None
    store.add_cert(ca)
    context.set_verify(SSL.VERIFY_PEER | SSL.VERIFY_FAIL_IF_NO_PEER_CERT, verify_callback)
    context.set_verify_depth(4)
    context.set_alpn_protos([b"h2", b"http/1.1"])
    context.set_groups(["X25519", "P-256"])
    return context


# ---------------------------------------------------------------------------
# a handshake over memory BIOs


def pump(client: SSL.Connection, server: SSL.Connection) -> None:
    """Shuttle bytes between the two connections until both finish the handshake."""
    for _ in range(20):
        finished = 0
        for conn in (client, server):
            try:
                conn.do_handshake()
                finished += 1
            except SSL.WantReadError:
                pass
        for source, sink in ((client, server), (server, client)):
            try:
                data = source.bio_read(65536)
            except SSL.WantReadError:
                continue
            sink.bio_write(data)
        if finished == 2:
            return
    raise AssertionError("handshake did not finish")


def transfer(source: SSL.Connection, sink: SSL.Connection, payload: bytes) -> bytes:
    source.sendall(payload)
    sink.bio_write(source.bio_read(65536))
    buffer = bytearray(len(payload))
    count: int = sink.recv_into(buffer)
    return bytes(buffer[:count])


def connect(client_ctx: SSL.Context, server_ctx: SSL.Context,
            session: SSL.Session | None = None) -> tuple[SSL.Connection, SSL.Connection]:
    """A client and a server Connection over memory BIOs, handshake done."""
    server = SSL.Connection(server_ctx, None)
    server.set_accept_state()
    client = SSL.Connection(client_ctx)
    client.set_connect_state()
    client.set_tlsext_host_name(HOSTNAME.encode())
    client.set_verify_hostname(HOSTNAME)
    if session is not None:
        client.set_session(session)
    pump(client, server)
    return client, server


def main() -> None:
    ca_key, ca_cert = make_ca()
    leaf_key, leaf_cert = make_leaf(ca_key, ca_cert)
    ca = crypto_round_trip(ca_cert, leaf_cert, leaf_key)

    keylog = KeyLog()
    server_ctx = server_context(leaf_key, leaf_cert, ca_cert, keylog)
    client_ctx = client_context(ca)
    client, server = connect(client_ctx, server_ctx)

    assert_type(client.get_protocol_version_name(), str)
    assert client.get_alpn_proto_negotiated() == b"h2"
    assert server.get_app_data() == {"done": True}
    assert keylog.lines
    cipher: str | None = client.get_cipher_name()
    assert cipher is not None

    peer = client.get_peer_certificate(as_cryptography=True)
    assert_type(peer, x509.Certificate | None)
    assert peer is not None and peer.subject == make_name(HOSTNAME)
    legacy_peer = client.get_peer_certificate()
    assert_type(legacy_peer, crypto.X509 | None)
    chain = client.get_verified_chain(as_cryptography=True)
    assert_type(chain, list[x509.Certificate] | None)
    assert chain is not None and chain[-1] == ca_cert

    keying: bytes = client.export_keying_material(b"EXPORTER-sample", 32)
    assert keying == server.export_keying_material(b"EXPORTER-sample", 32)

    assert transfer(client, server, b"ping") == b"ping"
    assert transfer(server, client, b"pong") == b"pong"

    # Resume the session (the TLS 1.3 ticket arrived with "pong").
    session = client.get_session()
    assert_type(session, SSL.Session | None)
    assert session is not None and session.is_resumable()
    resumed, _ = connect(client_ctx, server_ctx, session)
    assert resumed.session_reused()

    client.shutdown()
    server.bio_write(client.bio_read(65536))
    try:
        server.recv(1024)
    except SSL.ZeroReturnError:
        pass
    assert server.get_shutdown() & SSL.RECEIVED_SHUTDOWN

    version: bytes = SSL.OpenSSL_version(SSL.OPENSSL_VERSION)
    print(version.decode(), client.get_protocol_version_name(), cipher, "ok")


if __name__ == "__main__":
    main()
