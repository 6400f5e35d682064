"""Certificate, key and CRL factories for the OpenSSL.crypto / certificate
compatibility tests, plus a small memory-BIO handshake pump.

Everything is built with ``cryptography`` so that the objects under test
(pyOpenSSL's ``X509``/``PKey`` or our Swift replacement) are checked against an
independent implementation.  Keys are cached per process because RSA and DSA
generation is the slowest part of the suite.
"""

from __future__ import annotations

import datetime
import functools
import ipaddress
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

UTC = datetime.timezone.utc

# RFC 7919 ffdhe2048 group as PKCS#3 "DH PARAMETERS" (2048 bits, so that it
# passes OpenSSL's default security level 2).
DH_PARAMS_PEM = b"""-----BEGIN DH PARAMETERS-----
MIIBCAKCAQEA//////////+t+FRYortKmq/cViAnPTzx2LnFg84tNpWp4TZBFGQz
+8yTnc4kmz75fS/jY2MMddj2gbICrsRhetPfHtXV/WVhJDP1H18GbtCFY2VVPe0a
87VXE15/V8k1mE8McODmi3fipona8+/och3xWKE2rec1MKzKT0g6eXq8CrGCsyT7
YdEIqUuyyOP7uWrat2DX9GgdT0Kj3jlN9K5W7edjcrsZCwenyO4KbXCeAvzhzffi
7MA0BM0oNC9hkXL+nOmFg/+OTxIy7vKBg8P+OxtMb61zO7X8vC7CIAXFjvGDfRaD
ssbzSibBsu/6iGtCOGEoXJf//////////wIBAg==
-----END DH PARAMETERS-----
"""

# OpenSSL's SSL_FILETYPE_* values.
FILETYPE_PEM = 1
FILETYPE_ASN1 = 2


# ---------------------------------------------------------------------------
# keys


@functools.lru_cache(maxsize=None)
def rsa_key(slot: int = 0) -> rsa.RSAPrivateKey:
    """An RSA-2048 private key; distinct *slot*s give distinct keys."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@functools.lru_cache(maxsize=None)
def ec_key(slot: int = 0) -> ec.EllipticCurvePrivateKey:
    """A P-256 private key; distinct *slot*s give distinct keys."""
    return ec.generate_private_key(ec.SECP256R1())


@functools.lru_cache(maxsize=None)
def dsa_key(slot: int = 0) -> dsa.DSAPrivateKey:
    """A DSA-2048 private key."""
    return dsa.generate_private_key(key_size=2048)


@functools.lru_cache(maxsize=None)
def ed25519_key(slot: int = 0) -> ed25519.Ed25519PrivateKey:
    return ed25519.Ed25519PrivateKey.generate()


@functools.lru_cache(maxsize=None)
def ed448_key(slot: int = 0) -> ed448.Ed448PrivateKey:
    return ed448.Ed448PrivateKey.generate()


def key_pem(key, password: bytes | None = None, fmt=None) -> bytes:
    """PEM of a private key (PKCS#8 unless *fmt* says otherwise)."""
    if password is None:
        enc = serialization.NoEncryption()
    else:
        enc = serialization.BestAvailableEncryption(password)
    return key.private_bytes(
        serialization.Encoding.PEM,
        fmt or serialization.PrivateFormat.PKCS8,
        enc,
    )


def key_der(key) -> bytes:
    return key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def public_pem(key) -> bytes:
    pub = key.public_key() if hasattr(key, "private_bytes") else key
    return pub.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def public_der(key) -> bytes:
    pub = key.public_key() if hasattr(key, "private_bytes") else key
    return pub.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def private_numbers_equal(a, b) -> bool:
    """True when two cryptography private keys are the same key."""
    return key_der(a) == key_der(b)


def public_keys_equal(a, b) -> bool:
    return public_der(a) == public_der(b)


# ---------------------------------------------------------------------------
# names and certificates


def make_name(common_name: str | None = None, **attrs) -> x509.Name:
    """Build a Name.  Keyword arguments use short names in the given order,
    e.g. ``make_name(C="US", O="Example", CN="example.com")``."""
    oids = {
        "C": NameOID.COUNTRY_NAME,
        "ST": NameOID.STATE_OR_PROVINCE_NAME,
        "L": NameOID.LOCALITY_NAME,
        "O": NameOID.ORGANIZATION_NAME,
        "OU": NameOID.ORGANIZATIONAL_UNIT_NAME,
        "CN": NameOID.COMMON_NAME,
        "emailAddress": NameOID.EMAIL_ADDRESS,
    }
    parts = [x509.NameAttribute(oids[k], v) for k, v in attrs.items()]
    if common_name is not None:
        parts.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(parts)


def now() -> datetime.datetime:
    return datetime.datetime.now(UTC).replace(microsecond=0)


def _sign_hash(key):
    if isinstance(key, (ed25519.Ed25519PrivateKey, ed448.Ed448PrivateKey)):
        return None
    return hashes.SHA256()


def make_cert(
    subject: x509.Name | str,
    key,
    *,
    issuer_cert: x509.Certificate | None = None,
    issuer_key=None,
    ca: bool = False,
    path_length: int | None = None,
    serial: int | None = None,
    not_before: datetime.datetime | None = None,
    not_after: datetime.datetime | None = None,
    san: list[str] | None = None,
    server: bool = False,
    client: bool = False,
    key_ids: bool = True,
) -> x509.Certificate:
    """Create a certificate for *key*.

    Self-signed unless *issuer_cert*/*issuer_key* are given.  Validity defaults
    to yesterday .. +30 days."""
    if isinstance(subject, str):
        subject = make_name(subject)
    if issuer_cert is None:
        issuer_name = subject
        signing_key = key
    else:
        issuer_name = issuer_cert.subject
        signing_key = issuer_key
    start = not_before or (now() - datetime.timedelta(days=1))
    end = not_after or (now() + datetime.timedelta(days=30))
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(serial if serial is not None else x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(
            x509.BasicConstraints(ca=ca, path_length=path_length if ca else None),
            critical=True,
        )
    )
    if ca:
        builder = builder.add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    if key_ids:
        builder = builder.add_extension(
            x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
            critical=False,
        )
        if issuer_cert is not None:
            builder = builder.add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(
                    issuer_key.public_key()
                ),
                critical=False,
            )
    if san:
        entries = []
        for item in san:
            try:
                entries.append(x509.IPAddress(ipaddress.ip_address(item)))
            except ValueError:
                entries.append(x509.DNSName(item))
        builder = builder.add_extension(
            x509.SubjectAlternativeName(entries), critical=False
        )
    usages = []
    if server:
        usages.append(ExtendedKeyUsageOID.SERVER_AUTH)
    if client:
        usages.append(ExtendedKeyUsageOID.CLIENT_AUTH)
    if usages:
        builder = builder.add_extension(x509.ExtendedKeyUsage(usages), critical=False)
    return builder.sign(signing_key, _sign_hash(signing_key))


def cert_pem(*certs: x509.Certificate) -> bytes:
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs)


def cert_der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


def make_crl(
    issuer_cert: x509.Certificate,
    issuer_key,
    revoked_serials=(),
    *,
    last_update: datetime.datetime | None = None,
    next_update: datetime.datetime | None = None,
) -> x509.CertificateRevocationList:
    last = last_update or (now() - datetime.timedelta(days=1))
    nxt = next_update or (now() + datetime.timedelta(days=30))
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer_cert.subject)
        .last_update(last)
        .next_update(nxt)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(
                issuer_key.public_key()
            ),
            critical=False,
        )
        .add_extension(x509.CRLNumber(1), critical=False)
    )
    for serial in revoked_serials:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder()
            .serial_number(serial)
            .revocation_date(last)
            .build()
        )
    return builder.sign(issuer_key, hashes.SHA256())


@dataclass(frozen=True)
class Issued:
    """A certificate together with its private key."""

    cert: x509.Certificate
    key: object

    @property
    def pem(self) -> bytes:
        return cert_pem(self.cert)

    @property
    def der(self) -> bytes:
        return cert_der(self.cert)

    @property
    def key_pem(self) -> bytes:
        return key_pem(self.key)


@dataclass(frozen=True)
class Chain:
    """root CA -> intermediate CA -> leaf (server and client)."""

    root: Issued
    intermediate: Issued
    server: Issued
    client: Issued


def _build_chain(root_key, inter_key, server_key, client_key, tag: str) -> Chain:
    # The CAs are valid since 2019 so that X509Store.set_time() can move the
    # verification time back into the life of expired_cert().
    root_cert = make_cert(
        make_name(f"{tag} root CA", O="pyOpenSSL compat tests"),
        root_key,
        ca=True,
        not_before=datetime.datetime(2019, 1, 1, tzinfo=UTC),
        not_after=now() + datetime.timedelta(days=3650),
    )
    inter_cert = make_cert(
        make_name(f"{tag} intermediate CA", O="pyOpenSSL compat tests"),
        inter_key,
        issuer_cert=root_cert,
        issuer_key=root_key,
        ca=True,
        path_length=0,
        not_before=datetime.datetime(2019, 1, 1, tzinfo=UTC),
        not_after=now() + datetime.timedelta(days=365),
    )
    server_cert = make_cert(
        make_name("localhost", O="pyOpenSSL compat tests"),
        server_key,
        issuer_cert=inter_cert,
        issuer_key=inter_key,
        san=["localhost", "127.0.0.1"],
        server=True,
    )
    client_cert = make_cert(
        make_name(f"{tag} client", O="pyOpenSSL compat tests"),
        client_key,
        issuer_cert=inter_cert,
        issuer_key=inter_key,
        client=True,
    )
    return Chain(
        root=Issued(root_cert, root_key),
        intermediate=Issued(inter_cert, inter_key),
        server=Issued(server_cert, server_key),
        client=Issued(client_cert, client_key),
    )


@functools.lru_cache(maxsize=None)
def chain() -> Chain:
    """The main three-level PKI: RSA root, P-256 intermediate, RSA server,
    P-256 client."""
    return _build_chain(rsa_key(10), ec_key(10), rsa_key(11), ec_key(11), "compat")


@functools.lru_cache(maxsize=None)
def other_chain() -> Chain:
    """An unrelated PKI nobody trusts."""
    return _build_chain(ec_key(20), ec_key(21), ec_key(22), ec_key(23), "other")


@functools.lru_cache(maxsize=None)
def simple_cert() -> Issued:
    """A self-signed RSA-2048 certificate with a multi-part subject."""
    key = rsa_key(1)
    cert = make_cert(
        make_name(C="US", O="Example", CN="example.com"),
        key,
        serial=0x1234ABCD,
        not_before=datetime.datetime(2026, 1, 1, tzinfo=UTC),
        not_after=datetime.datetime(2046, 1, 1, 12, 30, 45, tzinfo=UTC),
        san=["example.com"],
    )
    return Issued(cert, key)


@functools.lru_cache(maxsize=None)
def ec_cert() -> Issued:
    key = ec_key(1)
    return Issued(make_cert("ec.example", key, serial=7), key)


@functools.lru_cache(maxsize=None)
def expired_cert() -> Issued:
    """Issued by chain().intermediate, valid only during 2020."""
    c = chain()
    key = ec_key(30)
    cert = make_cert(
        make_name("expired.example"),
        key,
        issuer_cert=c.intermediate.cert,
        issuer_key=c.intermediate.key,
        not_before=datetime.datetime(2020, 1, 1, tzinfo=UTC),
        not_after=datetime.datetime(2020, 12, 31, tzinfo=UTC),
    )
    return Issued(cert, key)


def write(path: Path, data: bytes) -> Path:
    path = Path(path)
    path.write_bytes(data)
    return path


# ---------------------------------------------------------------------------
# memory-BIO handshake pump


def _drain(conn) -> bytes:
    from OpenSSL import SSL

    out = []
    while True:
        try:
            chunk = conn.bio_read(65536)
        except SSL.WantReadError:
            break
        if not chunk:
            break
        out.append(chunk)
    return b"".join(out)


def _move(src, dst) -> int:
    data = _drain(src)
    if data:
        dst.bio_write(data)
    return len(data)


def handshake(client, server, rounds: int = 50) -> None:
    """Run both handshakes over memory BIOs until both are done.

    Errors other than WantReadError propagate."""
    from OpenSSL import SSL

    pending = [client, server]
    for _ in range(rounds):
        for conn in list(pending):
            try:
                conn.do_handshake()
            except SSL.WantReadError:
                pass
            else:
                pending.remove(conn)
        moved = _move(client, server) + _move(server, client)
        if not pending and not moved:
            return
    raise AssertionError("handshake did not finish")


def connection_pair(server_ctx, client_ctx, *, host: bytes | None = b"localhost"):
    """A (client, server) pair of memory-BIO Connections, not yet handshaken."""
    from OpenSSL import SSL

    server = SSL.Connection(server_ctx, None)
    server.set_accept_state()
    client = SSL.Connection(client_ctx, None)
    client.set_connect_state()
    if host is not None:
        client.set_tlsext_host_name(host)
    return client, server
