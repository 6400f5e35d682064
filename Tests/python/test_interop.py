"""Interoperability on 127.0.0.1 with independent TLS stacks: Python's ``ssl``
module and the ``openssl`` command-line tool, with our Connection as client and
as server.

Every test is run twice: once with ``Connection(ctx, sock)`` (OpenSSL drives the
socket) and once with ``Connection(ctx, None)`` whose memory BIOs the test pumps
over a plain socket. Each peer is started by the test and stopped afterwards;
every wait has a timeout."""

from __future__ import annotations

import os
import re
import select
import shutil
import socket
import ssl
import subprocess
import time

import pytest

from OpenSSL import SSL

from conftest import (
    IO_TIMEOUT,
    TRANSPORTS,
    Background,
    client_context,
    listener,
    make_endpoint,
    recv_exactly,
    server_context,
)

OPENSSL = shutil.which("openssl")
needs_openssl = pytest.mark.skipif(OPENSSL is None, reason="no openssl binary")

VERSIONS = [
    pytest.param(SSL.TLS1_2_VERSION, "TLSv1.2", id="tls12"),
    pytest.param(SSL.TLS1_3_VERSION, "TLSv1.3", id="tls13"),
]

PY_VERSIONS = {
    SSL.TLS1_2_VERSION: ssl.TLSVersion.TLSv1_2,
    SSL.TLS1_3_VERSION: ssl.TLSVersion.TLSv1_3,
}

S_CLIENT_VERSION_FLAG = {
    SSL.TLS1_2_VERSION: "-tls1_2",
    SSL.TLS1_3_VERSION: "-tls1_3",
}


def _read_line(recv) -> bytes:
    data = b""
    while not data.endswith(b"\n"):
        chunk = recv(4096)
        if not chunk:
            raise EOFError(data)
        data += chunk
    return data


def _read_to_end(endpoint) -> tuple[bytes, type]:
    """Read until the peer ends the TLS stream; return the data and the
    exception that ended it (ZeroReturnError for close_notify)."""
    chunks = []
    while True:
        try:
            chunk = endpoint.recv(65536)
        except (SSL.ZeroReturnError, SSL.SysCallError) as exc:
            return b"".join(chunks), type(exc)
        if not chunk:
            return b"".join(chunks), None
        chunks.append(chunk)


def _connect(port: int) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=IO_TIMEOUT)


# ---------------------------------------------------------------------------
# Python's ssl module as the peer


def _python_server_context(identity, version, alpn=None):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(str(identity.chain_pem), str(identity.key_pem))
    ctx.minimum_version = ctx.maximum_version = PY_VERSIONS[version]
    if alpn:
        ctx.set_alpn_protocols(alpn)
    return ctx


def _python_echo_server(lsock, ctx):
    """Accept one client, echo one line upper-cased, then close cleanly."""
    raw, _ = lsock.accept()
    raw.settimeout(IO_TIMEOUT)
    with ctx.wrap_socket(raw, server_side=True) as tls:
        info = {
            "version": tls.version(),
            "cipher": tls.cipher(),
            "alpn": tls.selected_alpn_protocol(),
        }
        line = _read_line(tls.recv)
        info["received"] = line
        tls.sendall(line.upper())
        # close_notify both ways: waits for the client's answer
        tls.unwrap()
        info["clean_close"] = True
    return info


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("version,name", VERSIONS)
def test_our_client_with_python_server(pki, server_identity, transport, version, name):
    lsock = listener()
    port = lsock.getsockname()[1]
    server = Background(
        _python_echo_server, lsock, _python_server_context(server_identity, version)
    )
    try:
        cctx = client_context(pki, version=version)
        ours = make_endpoint(transport, cctx, _connect(port))
        ours.conn.set_connect_state()
        ours.conn.set_tlsext_host_name(b"localhost")
        ours.handshake()

        assert ours.conn.get_protocol_version_name() == name
        assert ours.conn.get_peer_certificate(as_cryptography=True) == server_identity.cert

        message = b"hello from pyopenssl over %s\n" % transport.encode()
        assert ours.sendall(message) == len(message)
        assert recv_exactly(ours, len(message)) == message.upper()

        with pytest.raises(SSL.ZeroReturnError):
            ours.recv(100)
        assert ours.shutdown() is True
        info = server.join()
        ours.close()
    finally:
        lsock.close()

    assert info["received"] == message
    assert info["clean_close"] is True
    assert info["version"] == name
    assert info["cipher"][0] == ours.conn.get_cipher_name()
    assert info["cipher"][2] == ours.conn.get_cipher_bits()


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_our_client_alpn_with_python_server(pki, transport):
    lsock = listener()
    port = lsock.getsockname()[1]
    sctx = _python_server_context(
        pki.server_ec, SSL.TLS1_3_VERSION, alpn=["http/1.1", "h2"]
    )
    server = Background(_python_echo_server, lsock, sctx)
    try:
        cctx = client_context(pki)
        cctx.set_alpn_protos([b"h2", b"http/1.1"])
        ours = make_endpoint(transport, cctx, _connect(port))
        ours.conn.set_connect_state()
        ours.handshake()
        # Python's server picks its own first preference the client offered
        assert ours.conn.get_alpn_proto_negotiated() == b"http/1.1"
        ours.sendall(b"alpn\n")
        assert recv_exactly(ours, 5) == b"ALPN\n"
        with pytest.raises(SSL.ZeroReturnError):
            ours.recv(100)
        ours.shutdown()
        info = server.join()
        ours.close()
    finally:
        lsock.close()
    assert info["alpn"] == "http/1.1"


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_our_client_rejects_untrusted_python_server(pki, transport):
    lsock = listener()
    port = lsock.getsockname()[1]
    sctx = _python_server_context(pki.untrusted_server, SSL.TLS1_3_VERSION)

    def serve():
        raw, _ = lsock.accept()
        raw.settimeout(IO_TIMEOUT)
        with pytest.raises(ssl.SSLError):
            sctx.wrap_socket(raw, server_side=True)
        raw.close()

    server = Background(serve)
    try:
        ours = make_endpoint(transport, client_context(pki), _connect(port))
        ours.conn.set_connect_state()
        with pytest.raises(SSL.Error) as info:
            ours.handshake()
        ours.close()
        server.join()
    finally:
        lsock.close()
    reasons = [entry[2] for entry in info.value.args[0]]
    assert any("certificate verify failed" in r for r in reasons), reasons


def _our_echo_server(lsock, transport, ctx, wait_for_close_notify):
    """Accept one client with our Connection, echo one line upper-cased."""
    raw, _ = lsock.accept()
    ours = make_endpoint(transport, ctx, raw)
    try:
        ours.conn.set_accept_state()
        ours.handshake()
        info = {
            "version": ours.conn.get_protocol_version_name(),
            "cipher": ours.conn.get_cipher_name(),
            "bits": ours.conn.get_cipher_bits(),
            "servername": ours.conn.get_servername(),
        }
        line = _read_line(ours.recv)
        info["received"] = line
        ours.sendall(line.upper())
        if wait_for_close_notify:
            try:
                ours.recv(100)
            except SSL.ZeroReturnError:
                info["peer_closed"] = True
        info["shutdown"] = ours.shutdown()
        return info
    finally:
        ours.close()


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("version,name", VERSIONS)
def test_our_server_with_python_client(pki, server_identity, transport, version, name):
    lsock = listener()
    port = lsock.getsockname()[1]
    sctx = server_context(server_identity, version=version)
    server = Background(_our_echo_server, lsock, transport, sctx, True)
    try:
        cctx = ssl.create_default_context(cafile=str(pki.ca_pem))
        cctx.minimum_version = cctx.maximum_version = PY_VERSIONS[version]
        with _connect(port) as raw:
            with cctx.wrap_socket(raw, server_hostname="localhost") as tls:
                py_version, py_cipher = tls.version(), tls.cipher()
                message = b"hello from python ssl\n"
                tls.sendall(message)
                reply = recv_exactly(tls, len(message))
                tls.unwrap()
        info = server.join()
    finally:
        lsock.close()

    assert reply == message.upper()
    assert info["received"] == message
    assert info["peer_closed"] is True
    assert info["shutdown"] is True
    assert info["servername"] == b"localhost"
    assert info["version"] == py_version == name
    assert info["cipher"] == py_cipher[0]
    assert info["bits"] == py_cipher[2]


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_our_server_requires_client_certificate_from_python(pki, transport):
    lsock = listener()
    port = lsock.getsockname()[1]
    sctx = server_context(pki.server_rsa)
    sctx.set_verify(SSL.VERIFY_PEER | SSL.VERIFY_FAIL_IF_NO_PEER_CERT)
    sctx.load_verify_locations(str(pki.ca_pem))

    def serve():
        raw, _ = lsock.accept()
        ours = make_endpoint(transport, sctx, raw)
        try:
            ours.conn.set_accept_state()
            ours.handshake()
            peer = ours.conn.get_peer_certificate(as_cryptography=True)
            line = _read_line(ours.recv)
            ours.sendall(line)
            ours.shutdown()
            return peer
        finally:
            ours.close()

    server = Background(serve)
    try:
        cctx = ssl.create_default_context(cafile=str(pki.ca_pem))
        cctx.load_cert_chain(str(pki.client.cert_pem), str(pki.client.key_pem))
        with _connect(port) as raw:
            with cctx.wrap_socket(raw, server_hostname="localhost") as tls:
                tls.sendall(b"with cert\n")
                reply = recv_exactly(tls, 10)
        peer = server.join()
    finally:
        lsock.close()
    assert reply == b"with cert\n"
    assert peer == pki.client.cert


# ---------------------------------------------------------------------------
# the openssl command-line tool as the peer


class SServer:
    """``openssl s_server`` on an ephemeral port of 127.0.0.1, one connection."""

    def __init__(self, *args: str):
        self.proc = subprocess.Popen(
            [OPENSSL, "s_server", "-accept", "127.0.0.1:0", "-naccept", "1", *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self.early_output = b""
        self.port = self._wait_for_port()

    def _wait_for_port(self) -> int:
        fd = self.proc.stdout.fileno()
        deadline = time.monotonic() + IO_TIMEOUT
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if ready:
                chunk = os.read(fd, 4096)
                if not chunk:
                    break
                self.early_output += chunk
                match = re.search(rb"ACCEPT [^\n]*:(\d+)\s*\n", self.early_output)
                if match:
                    return int(match.group(1))
            elif self.proc.poll() is not None:
                break
        self.stop()
        raise RuntimeError(
            "s_server did not start: %r %r"
            % (self.early_output, self.proc.stderr.read() if self.proc.stderr else b"")
        )

    def finish(self) -> str:
        out, err = self.proc.communicate(timeout=IO_TIMEOUT)
        return (self.early_output + out).decode("latin-1") + err.decode("latin-1")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.communicate(timeout=IO_TIMEOUT)


@pytest.fixture
def s_server():
    started = []

    def start(*args):
        server = SServer(*args)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@needs_openssl
@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("version,name", VERSIONS)
def test_our_client_with_openssl_s_server(
    pki, server_identity, s_server, transport, version, name
):
    server = s_server(
        "-cert",
        str(server_identity.chain_pem),
        "-key",
        str(server_identity.key_pem),
        "-www",
    )
    cctx = client_context(pki, version=version)
    ours = make_endpoint(transport, cctx, _connect(server.port))
    try:
        ours.conn.set_connect_state()
        ours.conn.set_tlsext_host_name(b"localhost")
        ours.handshake()
        assert ours.conn.get_protocol_version_name() == name
        ours.sendall(b"GET / HTTP/1.0\r\n\r\n")
        page, ending = _read_to_end(ours)
    finally:
        ours.close()

    assert ending is SSL.ZeroReturnError  # s_server closes with close_notify
    assert page.startswith(b"HTTP/1.0 200 ok\r\n")
    # s_server's status page reports the protocol and cipher it negotiated
    cipher = ours.conn.get_cipher_name()
    assert ("New, %s, Cipher is %s" % (name, cipher)).encode() in page
    server.finish()


def _run_s_client(port, pki, version, data: bytes) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            OPENSSL,
            "s_client",
            "-connect",
            "127.0.0.1:%d" % port,
            "-CAfile",
            str(pki.ca_pem),
            "-verify_return_error",
            "-servername",
            "localhost",
            "-ign_eof",
            S_CLIENT_VERSION_FLAG[version],
        ],
        input=data,
        capture_output=True,
        timeout=3 * IO_TIMEOUT,
    )


@needs_openssl
@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("version,name", VERSIONS)
def test_our_server_with_openssl_s_client(
    pki, server_identity, transport, version, name
):
    lsock = listener()
    port = lsock.getsockname()[1]
    sctx = server_context(server_identity, version=version)
    server = Background(_our_echo_server, lsock, transport, sctx, False)
    try:
        result = _run_s_client(port, pki, version, b"hello from s_client\n")
        info = server.join()
    finally:
        lsock.close()

    out = result.stdout.decode("latin-1")
    assert info["received"] == b"hello from s_client\n"
    assert "HELLO FROM S_CLIENT" in out, out + result.stderr.decode("latin-1")
    assert "Verify return code: 0 (ok)" in out
    assert "New, %s, Cipher is %s" % (name, info["cipher"]) in out
    assert info["version"] == name
    assert info["servername"] == b"localhost"
    assert info["shutdown"] is False  # sent close_notify, peer had not answered


@needs_openssl
@pytest.mark.parametrize("transport", TRANSPORTS)
def test_openssl_s_client_rejects_untrusted_server(pki, transport):
    lsock = listener()
    port = lsock.getsockname()[1]
    sctx = server_context(pki.untrusted_server)

    def serve():
        raw, _ = lsock.accept()
        ours = make_endpoint(transport, sctx, raw)
        try:
            ours.conn.set_accept_state()
            with pytest.raises(SSL.Error) as info:
                ours.handshake()
            return info.value
        finally:
            ours.close()

    server = Background(serve)
    try:
        result = _run_s_client(port, pki, SSL.TLS1_3_VERSION, b"never sent\n")
        error = server.join()
    finally:
        lsock.close()
    assert result.returncode != 0
    assert isinstance(error, SSL.Error)
    assert not isinstance(error, SSL.WantReadError)
