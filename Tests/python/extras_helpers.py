"""Plumbing for test_extras.py: the features our ``OpenSSL.SSL`` adds beyond
pyOpenSSL 26.4, each exercised against an independent TLS peer on the loopback
(Python's ``ssl`` module or the ``openssl`` command-line tool).

Everything waits with a deadline: sockets carry timeouts (or a kernel watchdog
when OpenSSL drives them in blocking mode), helper threads are joined with a
timeout and every server a test starts is stopped when the test ends.
"""

from __future__ import annotations

import functools
import os
import socket
import ssl
import sys
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))

from OpenSSL import SSL  # noqa: E402

from certs_for_tests import (  # noqa: E402
    Issued,
    cert_pem,
    chain,
    ec_key,
    key_pem,
    make_cert,
    make_name,
)
from conftest import IO_TIMEOUT, drain, transfer  # noqa: E402
from socket_helpers import (  # noqa: E402
    IPV6,
    LOOPBACK,
    OPENSSL,
    Background,
    OpenSSLServer,
    arm_watchdog,
    needs_openssl,
    retry,
    run_s_client,
    tcp_pair,
)

__all__ = [
    "IO_TIMEOUT", "IPV6", "LOOPBACK", "OPENSSL", "Background", "OpenSSLServer",
    "needs_openssl", "retry", "run_s_client", "tcp_pair", "drain", "transfer",
]

# SSL_VERIFY_POST_HANDSHAKE from <openssl/ssl.h>: a server with this bit does
# not ask for a client certificate during the handshake, only when
# SSL_verify_client_post_handshake() is called.  OpenSSL.SSL has no name for it.
VERIFY_POST_HANDSHAKE = 0x08

# X509_V_ERR_HOSTNAME_MISMATCH / X509_V_ERR_IP_ADDRESS_MISMATCH
X509_V_ERR_HOSTNAME_MISMATCH = 62
X509_V_ERR_IP_ADDRESS_MISMATCH = 64


# ---------------------------------------------------------------------------
# certificates: everything chains to chain().root through chain().intermediate


@functools.lru_cache(maxsize=None)
def server_leaf(*san: str, cn: str = "extras test server") -> Issued:
    """A server certificate issued by chain().intermediate for *san* (DNS names
    and IP addresses, as cryptography GeneralNames)."""
    c = chain()
    key = ec_key(60)
    cert = make_cert(
        make_name(cn, O="pyOpenSSL extras tests"),
        key,
        issuer_cert=c.intermediate.cert,
        issuer_key=c.intermediate.key,
        san=list(san) or None,
        server=True,
    )
    return Issued(cert, key)


@functools.lru_cache(maxsize=None)
def client_leaf() -> Issued:
    return chain().client


def chain_pem(leaf: Issued) -> bytes:
    """*leaf* followed by the intermediate that issued it."""
    return cert_pem(leaf.cert, chain().intermediate.cert)


def root_pem() -> bytes:
    return chain().root.pem


def write_identity(directory: Path, leaf: Issued, stem: str = "server"):
    """Write *leaf*'s chain and key as PEM files; return (chain_path, key_path)."""
    directory = Path(directory)
    chain_path = directory / f"{stem}.chain.pem"
    key_path = directory / f"{stem}.key.pem"
    chain_path.write_bytes(chain_pem(leaf))
    key_path.write_bytes(key_pem(leaf.key))
    return chain_path, key_path


# ---------------------------------------------------------------------------
# our contexts


def our_server_context(leaf: Issued | None = None, *, version=None) -> SSL.Context:
    leaf = leaf or chain().server
    ctx = SSL.Context(SSL.TLS_METHOD)
    ctx.use_certificate_chain_data(chain_pem(leaf))
    ctx.use_privatekey_data(key_pem(leaf.key))
    if version is not None:
        ctx.set_min_proto_version(version)
        ctx.set_max_proto_version(version)
    return ctx


def our_client_context(*, version=None, verify=True) -> SSL.Context:
    ctx = SSL.Context(SSL.TLS_METHOD)
    if verify:
        ctx.set_verify(SSL.VERIFY_PEER)
        ctx.load_verify_data(root_pem())
    if version is not None:
        ctx.set_min_proto_version(version)
        ctx.set_max_proto_version(version)
    return ctx


def with_client_identity(ctx: SSL.Context, leaf: Issued | None = None) -> SSL.Context:
    leaf = leaf or client_leaf()
    ctx.use_certificate_chain_data(chain_pem(leaf))
    ctx.use_privatekey_data(key_pem(leaf.key))
    return ctx


# ---------------------------------------------------------------------------
# Python ssl contexts


PY_VERSIONS = {
    SSL.TLS1_2_VERSION: ssl.TLSVersion.TLSv1_2,
    SSL.TLS1_3_VERSION: ssl.TLSVersion.TLSv1_3,
}


def py_server_context(directory, leaf: Issued | None = None, *, version=None,
                      stem="server") -> ssl.SSLContext:
    leaf = leaf or chain().server
    chain_path, key_path = write_identity(directory, leaf, stem)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(str(chain_path), str(key_path))
    if version is not None:
        ctx.minimum_version = ctx.maximum_version = PY_VERSIONS[version]
    return ctx


def py_client_context(*, version=None, verify=True) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if verify:
        ctx.load_verify_locations(cadata=root_pem().decode("ascii"))
    else:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    if version is not None:
        ctx.minimum_version = ctx.maximum_version = PY_VERSIONS[version]
    return ctx


# ---------------------------------------------------------------------------
# Python ssl server in a thread


class PyTLSServer:
    """Python ``ssl`` server on an ephemeral loopback port.

    Accepts *count* connections one after another; for each one the TLS
    handshake runs (``wrap_socket``) and then ``handler(tls_socket)``.  What the
    handler returns, or the exception the handshake/handler raised, is kept per
    connection in ``results``.  Use as a context manager: leaving it closes the
    listening socket and joins the thread."""

    def __init__(self, ctx: ssl.SSLContext, handler=None, *, count: int = 1,
                 family: int = socket.AF_INET):
        self.ctx = ctx
        self.handler = handler or (lambda tls: None)
        self.count = count
        self.results: list = []
        self.lsock = socket.socket(family, socket.SOCK_STREAM)
        self.lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.lsock.bind((LOOPBACK[family], 0))
        self.lsock.listen(count)
        self.lsock.settimeout(IO_TIMEOUT)
        self.port = self.lsock.getsockname()[1]
        self.family = family
        self.thread = Background(self._serve)

    def _serve(self):
        for _ in range(self.count):
            raw, _ = self.lsock.accept()
            raw.settimeout(IO_TIMEOUT)
            try:
                with self.ctx.wrap_socket(raw, server_side=True) as tls:
                    self.results.append(self.handler(tls))
            except Exception as exc:  # noqa: BLE001 - kept for the test
                self.results.append(exc)
            finally:
                raw.close()
        return self.results

    def join(self) -> list:
        try:
            return self.thread.join()
        finally:
            self.lsock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.lsock.close()
        self.thread.thread.join(2 * IO_TIMEOUT)


def read_line(recv) -> bytes:
    data = b""
    while not data.endswith(b"\n"):
        chunk = recv(4096)
        if not chunk:
            raise EOFError(data)
        data += chunk
    return data


def recv_exactly_py(tls: ssl.SSLSocket, n: int) -> bytes:
    out = bytearray()
    while len(out) < n:
        chunk = tls.recv(min(65536, n - len(out)))
        if not chunk:
            raise EOFError("peer closed after %d of %d bytes" % (len(out), n))
        out += chunk
    return bytes(out)


# ---------------------------------------------------------------------------
# our Connection over a real socket (OpenSSL drives the fd, blocking + watchdog)


def connect_ours(ctx: SSL.Context, port: int, *, host: bytes | None = b"localhost",
                 family: int = socket.AF_INET):
    """Our client Connection on a TCP socket connected to *port*, blocking for
    Python but with a kernel timeout so nothing can hang.  Not handshaken."""
    sock = socket.create_connection((LOOPBACK[family], port), timeout=IO_TIMEOUT)
    sock.settimeout(None)
    arm_watchdog(sock)
    conn = SSL.Connection(ctx, sock)
    conn.set_connect_state()
    if host is not None:
        conn.set_tlsext_host_name(host)
    return conn, sock


def accept_ours(lsock: socket.socket, ctx: SSL.Context):
    """Accept one TCP connection and wrap it in our server Connection."""
    raw, _ = lsock.accept()
    raw.settimeout(None)
    arm_watchdog(raw)
    conn = SSL.Connection(ctx, raw)
    conn.set_accept_state()
    return conn, raw


def loopback_listener(family: int = socket.AF_INET) -> socket.socket:
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((LOOPBACK[family], 0))
    sock.listen(4)
    sock.settimeout(IO_TIMEOUT)
    return sock


def py_client(ctx: ssl.SSLContext, port: int, handler=None, *,
              server_hostname: str | None = "localhost"):
    """Run a Python ``ssl`` client against 127.0.0.1:*port* in a thread;
    ``join()`` returns what ``handler(tls)`` returned (or raises)."""

    def run():
        raw = socket.create_connection(("127.0.0.1", port), timeout=IO_TIMEOUT)
        try:
            with ctx.wrap_socket(raw, server_hostname=server_hostname) as tls:
                return handler(tls) if handler else tls.version()
        finally:
            raw.close()

    return Background(run)


def read_line_ours(conn: SSL.Connection) -> bytes:
    return read_line(conn.recv)


# ---------------------------------------------------------------------------
# memory BIOs


def bio_pair(server_ctx: SSL.Context, client_ctx: SSL.Context, *, host=b"localhost"):
    server = SSL.Connection(server_ctx, None)
    server.set_accept_state()
    client = SSL.Connection(client_ctx, None)
    client.set_connect_state()
    if host is not None:
        client.set_tlsext_host_name(host)
    return client, server


def _done(conn: SSL.Connection) -> bool:
    try:
        conn.do_handshake()
    except SSL.WantReadError:
        return False
    return True


def tls13_handshake_holding_tickets(client: SSL.Connection, server: SSL.Connection):
    """A full TLS 1.3 handshake over memory BIOs that stops as soon as both
    sides are done: whatever the server sends after its handshake (its
    NewSessionTicket messages) is left in the server's outgoing BIO."""
    assert not _done(client)  # ClientHello
    transfer(client, server)
    assert not _done(server)  # ServerHello .. server Finished
    transfer(server, client)
    assert _done(client)  # client Finished: the client is done
    transfer(client, server)
    assert _done(server)  # the server is done and has queued its tickets
    assert client.get_protocol_version_name() == "TLSv1.3"


def bio_handshake(client: SSL.Connection, server: SSL.Connection, rounds=50):
    """Drive both handshakes over memory BIOs until both are done and nothing
    is in flight.  Exceptions other than WantReadError propagate."""
    pending = [client, server]
    for _ in range(rounds):
        for conn in list(pending):
            if _done(conn):
                pending.remove(conn)
        moved = transfer(client, server) + transfer(server, client)
        if not pending and not moved:
            return
    raise AssertionError("handshake did not complete")


def bio_drive_to_failure(client: SSL.Connection, server: SSL.Connection, rounds=50):
    """Drive both handshakes until one side raises something other than
    WantReadError; return (side, exception).  Records still in flight are
    delivered so that the other side may see the alert."""
    pending = {"client": client, "server": server}
    for _ in range(rounds):
        for side in list(pending):
            try:
                pending[side].do_handshake()
            except SSL.WantReadError:
                pass
            except Exception as exc:  # noqa: BLE001 - returned to the test
                transfer(client, server)
                transfer(server, client)
                return side, exc
            else:
                del pending[side]
        moved = transfer(client, server) + transfer(server, client)
        if not pending and not moved:
            raise AssertionError("handshake unexpectedly succeeded")
    raise AssertionError("handshake neither failed nor completed")


def error_reasons(exc: SSL.Error) -> list:
    """The reason strings of an SSL.Error's (lib, func, reason) entries."""
    entries = exc.args[0] if exc.args else []
    reasons = []
    for entry in entries:
        if isinstance(entry, tuple) and entry:
            reasons.append(str(entry[-1]))
        else:
            reasons.append(str(entry))
    return reasons
