"""Shared fixtures for the OpenSSL.SSL compatibility suite.

The suite describes the observable behaviour of pyOpenSSL 26.4's ``OpenSSL.SSL``.
It runs unchanged against the real pyOpenSSL (set ``PYOPENSSL_REFERENCE=1``, which
skips the tests marked ``ours`` and ``deviation``) and against our Swift build.

Only ``cryptography``, ``pytest`` and the standard library are used here.
"""

from __future__ import annotations

import datetime
import hashlib
import ipaddress
import os
import socket
import struct
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from OpenSSL import SSL

REFERENCE = os.environ.get("PYOPENSSL_REFERENCE") == "1"

# OpenSSL's SSL_FILETYPE_* values; pyOpenSSL 26.4 only re-exports FILETYPE_PEM
# from OpenSSL.SSL, so the ASN.1 (DER) value is spelled out here.
FILETYPE_PEM = 1
FILETYPE_ASN1 = 2

# Upper bound for anything that waits on a peer.
IO_TIMEOUT = 5.0


# ---------------------------------------------------------------------------
# markers


def pytest_collection_modifyitems(config, items):
    # ours/deviation tests describe this implementation; pyopenssl_side tests
    # describe pyOpenSSL 26.4's side of a deliberate difference.
    if REFERENCE:
        skip = pytest.mark.skip(
            reason="not pyOpenSSL 26.4 behaviour (ours/deviation); reference run"
        )
        skipped = ("ours", "deviation")
    else:
        skip = pytest.mark.skip(reason="asserts pyOpenSSL 26.4's own behaviour; reference run only")
        skipped = ("pyopenssl_side",)
    for item in items:
        if any(item.get_closest_marker(name) for name in skipped):
            item.add_marker(skip)


# A test that runs too long fails alone, and the run goes on.
pytest_plugins = ("slow_test_guard",)


# ---------------------------------------------------------------------------
# test PKI


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _openssl_name_hash(name: x509.Name) -> str:
    """OpenSSL's X509_NAME_hash for a name made of lowercase ASCII UTF8String
    values without runs of spaces: SHA-1 over the DER of the RDN sequence with
    its outer SEQUENCE header removed, first four bytes read little-endian."""
    der = name.public_bytes()
    assert der[0] == 0x30
    if der[1] & 0x80:
        header = 2 + (der[1] & 0x7F)
    else:
        header = 2
    digest = hashlib.sha1(der[header:]).digest()
    return "%08x" % int.from_bytes(digest[:4], "little")


def _validity(builder):
    now = datetime.datetime.now(datetime.timezone.utc)
    return builder.not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(
        now + datetime.timedelta(days=30)
    )


def _make_ca(common_name: str, key):
    name = _name(common_name)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
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
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False
        )
    )
    return _validity(builder).sign(key, hashes.SHA256())


def _make_leaf(common_name, key, ca_cert, ca_key, *, server=True):
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
    )
    if server:
        builder = builder.add_extension(
            x509.SubjectAlternativeName(
                [
                    x509.DNSName("localhost"),
                    x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                ]
            ),
            critical=False,
        ).add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
        )
    else:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False
        )
    return _validity(builder).sign(ca_key, hashes.SHA256())


@dataclass
class Identity:
    """A certificate, its key and the files they were written to."""

    cert: x509.Certificate
    key: object
    cert_pem: Path
    cert_der: Path
    key_pem: Path
    key_der: Path
    chain_pem: Path  # leaf followed by its issuing CA (PEM)


@dataclass
class PKI:
    directory: Path
    ca_cert: x509.Certificate
    ca_pem: Path
    ca_der: Path
    capath: Path  # directory holding the CA under its OpenSSL hash name
    server_rsa: Identity
    server_ec: Identity
    client: Identity
    untrusted_ca_pem: Path
    untrusted_server: Identity  # issued by a CA nobody trusts


def _write_identity(directory: Path, stem: str, cert, key, ca_cert) -> Identity:
    cert_pem = directory / f"{stem}.crt.pem"
    cert_der = directory / f"{stem}.crt.der"
    key_pem = directory / f"{stem}.key.pem"
    key_der = directory / f"{stem}.key.der"
    chain_pem = directory / f"{stem}.chain.pem"
    cert_pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    cert_der.write_bytes(cert.public_bytes(serialization.Encoding.DER))
    key_pem.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_der.write_bytes(
        key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    chain_pem.write_bytes(
        cert.public_bytes(serialization.Encoding.PEM)
        + ca_cert.public_bytes(serialization.Encoding.PEM)
    )
    return Identity(cert, key, cert_pem, cert_der, key_pem, key_der, chain_pem)


@pytest.fixture(scope="session")
def pki(tmp_path_factory) -> PKI:
    directory = tmp_path_factory.mktemp("pki")

    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_cert = _make_ca("pyopenssl compat test ca", ca_key)
    ca_pem = directory / "ca.pem"
    ca_der = directory / "ca.der"
    ca_pem.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    ca_der.write_bytes(ca_cert.public_bytes(serialization.Encoding.DER))

    capath = directory / "capath"
    capath.mkdir()
    (capath / (_openssl_name_hash(ca_cert.subject) + ".0")).write_bytes(
        ca_pem.read_bytes()
    )

    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    server_rsa = _write_identity(
        directory,
        "server-rsa",
        _make_leaf("localhost", rsa_key, ca_cert, ca_key),
        rsa_key,
        ca_cert,
    )
    ec_key = ec.generate_private_key(ec.SECP256R1())
    server_ec = _write_identity(
        directory,
        "server-ec",
        _make_leaf("localhost", ec_key, ca_cert, ca_key),
        ec_key,
        ca_cert,
    )
    client_key = ec.generate_private_key(ec.SECP256R1())
    client = _write_identity(
        directory,
        "client",
        _make_leaf("pyopenssl compat client", client_key, ca_cert, ca_key, server=False),
        client_key,
        ca_cert,
    )

    other_ca_key = ec.generate_private_key(ec.SECP256R1())
    other_ca = _make_ca("untrusted test ca", other_ca_key)
    untrusted_ca_pem = directory / "untrusted-ca.pem"
    untrusted_ca_pem.write_bytes(other_ca.public_bytes(serialization.Encoding.PEM))
    other_key = ec.generate_private_key(ec.SECP256R1())
    untrusted_server = _write_identity(
        directory,
        "untrusted-server",
        _make_leaf("localhost", other_key, other_ca, other_ca_key),
        other_key,
        other_ca,
    )

    return PKI(
        directory=directory,
        ca_cert=ca_cert,
        ca_pem=ca_pem,
        ca_der=ca_der,
        capath=capath,
        server_rsa=server_rsa,
        server_ec=server_ec,
        client=client,
        untrusted_ca_pem=untrusted_ca_pem,
        untrusted_server=untrusted_server,
    )


@pytest.fixture(params=["rsa", "ec"])
def server_identity(request, pki) -> Identity:
    """The RSA-2048 and the P-256 server identity, one per test run."""
    return pki.server_rsa if request.param == "rsa" else pki.server_ec


# ---------------------------------------------------------------------------
# contexts


def server_context(identity: Identity, method=SSL.TLS_METHOD, *, version=None):
    ctx = SSL.Context(method)
    ctx.use_certificate_chain_file(str(identity.chain_pem))
    ctx.use_privatekey_file(str(identity.key_pem))
    if version is not None:
        ctx.set_min_proto_version(version)
        ctx.set_max_proto_version(version)
    return ctx


def client_context(pki: PKI, method=SSL.TLS_METHOD, *, version=None, verify=True):
    ctx = SSL.Context(method)
    if verify:
        ctx.set_verify(SSL.VERIFY_PEER)
        ctx.load_verify_locations(str(pki.ca_pem))
    if version is not None:
        ctx.set_min_proto_version(version)
        ctx.set_max_proto_version(version)
    return ctx


# ---------------------------------------------------------------------------
# memory-BIO plumbing


def drain(conn: SSL.Connection) -> bytes:
    """Everything the connection has queued for the wire."""
    chunks = []
    while True:
        try:
            chunk = conn.bio_read(65536)
        except SSL.WantReadError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


def transfer(source: SSL.Connection, dest: SSL.Connection) -> int:
    """Move pending TLS records from *source* to *dest*; return the byte count."""
    data = drain(source)
    if data:
        dest.bio_write(data)
    return len(data)


def pump(a: SSL.Connection, b: SSL.Connection) -> None:
    """Move records both ways until nothing is left in flight."""
    for _ in range(100):
        if not (transfer(a, b) + transfer(b, a)):
            return
    raise AssertionError("records kept flowing")


def handshake(client: SSL.Connection, server: SSL.Connection) -> None:
    """Drive both sides' handshakes to completion, pumping records between them.

    Exceptions other than WantReadError propagate to the caller."""
    pending = {"client": client, "server": server}
    for _ in range(100):
        for label in list(pending):
            conn = pending[label]
            try:
                conn.do_handshake()
            except SSL.WantReadError:
                pass
            else:
                del pending[label]
        moved = transfer(client, server) + transfer(server, client)
        if not pending and not moved:
            return
    raise AssertionError("handshake did not complete")


def connection_pair(server_ctx: SSL.Context, client_ctx: SSL.Context, *, host=None):
    server = SSL.Connection(server_ctx, None)
    server.set_accept_state()
    client = SSL.Connection(client_ctx, None)
    client.set_connect_state()
    if host is not None:
        client.set_tlsext_host_name(host)
    return client, server


@pytest.fixture
def make_pair(pki):
    """Build a client/server pair over memory BIOs, optionally handshaken."""

    def make(identity=None, *, version=None, do_handshake=True, client_ctx=None):
        identity = identity or pki.server_rsa
        sctx = server_context(identity, version=version)
        cctx = client_ctx or client_context(pki, version=version)
        client, server = connection_pair(sctx, cctx, host=b"localhost")
        if do_handshake:
            handshake(client, server)
        return client, server

    return make


# ---------------------------------------------------------------------------
# our Connection over a TCP socket, two ways


def arm_socket_watchdog(sock: socket.socket, seconds: float = IO_TIMEOUT) -> None:
    """Keep the socket blocking for Python but make the kernel give up after
    *seconds*, so a stuck OpenSSL read/write fails instead of hanging."""
    sec = int(seconds)
    usec = int((seconds - sec) * 1_000_000)
    timeval = struct.pack("ll", sec, usec)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, timeval)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, timeval)


class SocketEndpoint:
    """Connection(ctx, sock): OpenSSL reads and writes the socket itself."""

    def __init__(self, ctx: SSL.Context, sock: socket.socket):
        sock.settimeout(None)
        arm_socket_watchdog(sock)
        self.sock = sock
        self.conn = SSL.Connection(ctx, sock)

    def handshake(self) -> None:
        self.conn.do_handshake()

    def sendall(self, data: bytes) -> int:
        return self.conn.sendall(data)

    def recv(self, n: int) -> bytes:
        return self.conn.recv(n)

    def shutdown(self) -> bool:
        return self.conn.shutdown()

    def close(self) -> None:
        self.sock.close()


class BioOverSocket:
    """Connection(ctx, None) whose memory BIOs we pump over a plain socket."""

    def __init__(self, ctx: SSL.Context, sock: socket.socket, timeout=IO_TIMEOUT):
        sock.settimeout(timeout)
        self.sock = sock
        self.conn = SSL.Connection(ctx, None)
        self.deadline = time.monotonic() + timeout

    def flush(self) -> None:
        data = drain(self.conn)
        if data:
            self.sock.sendall(data)

    def _feed(self) -> bool:
        if time.monotonic() > self.deadline:
            raise TimeoutError("peer too slow")
        data = self.sock.recv(65536)
        if not data:
            self.conn.bio_shutdown()
            return False
        self.conn.bio_write(data)
        return True

    def _retry(self, operation):
        while True:
            try:
                result = operation()
            except SSL.WantReadError:
                self.flush()
                if not self._feed():
                    # the transport hit EOF: let OpenSSL say what that means
                    return operation()
            else:
                self.flush()
                return result

    def handshake(self) -> None:
        self._retry(self.conn.do_handshake)

    def sendall(self, data: bytes) -> int:
        return self._retry(lambda: self.conn.sendall(data))

    def recv(self, n: int) -> bytes:
        return self._retry(lambda: self.conn.recv(n))

    def shutdown(self) -> bool:
        result = self.conn.shutdown()
        self.flush()
        return result

    def close(self) -> None:
        self.sock.close()


TRANSPORTS = ["socket", "membio"]


def make_endpoint(transport: str, ctx: SSL.Context, sock: socket.socket):
    if transport == "socket":
        return SocketEndpoint(ctx, sock)
    if transport == "membio":
        return BioOverSocket(ctx, sock)
    raise ValueError(transport)


def recv_exactly(endpoint, n: int) -> bytes:
    """Read exactly *n* bytes from anything with a recv(n) method."""
    out = b""
    while len(out) < n:
        chunk = endpoint.recv(n - len(out))
        if not chunk:
            raise EOFError("peer closed after %d of %d bytes" % (len(out), n))
        out += chunk
    return out


class Background:
    """Run *target* in a daemon thread; join() re-raises what it raised."""

    def __init__(self, target, *args):
        self.result = None
        self.error = None

        def run():
            try:
                self.result = target(*args)
            except BaseException as exc:  # noqa: BLE001 - handed to join()
                self.error = exc

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()

    def join(self, timeout=2 * IO_TIMEOUT):
        self.thread.join(timeout)
        if self.thread.is_alive():
            raise TimeoutError("background thread did not finish")
        if self.error is not None:
            raise self.error
        return self.result


def listener() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(1)
    sock.settimeout(IO_TIMEOUT)
    return sock
