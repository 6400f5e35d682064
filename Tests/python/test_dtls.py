"""DTLS: handshakes over memory BIOs, the stateless cookie exchange with
DTLSv1_listen and the cookie callbacks (including exceptions raised by them),
retransmission timers (DTLSv1_get_timeout / DTLSv1_handle_timeout), MTU
settings, and interoperability with ``openssl s_server -dtls`` /
``openssl s_client -dtls`` over UDP on 127.0.0.1."""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import socket
import time

import pytest

from OpenSSL import SSL

from conftest import (
    client_context,
    connection_pair,
    drain,
    handshake,
    server_context,
    transfer,
)
from handshake_failures import assert_failure, fail_handshake
from socket_helpers import (
    IO_TIMEOUT,
    Background,
    OpenSSLServer,
    UDPPump,
    bio_datagrams,
    needs_openssl,
    run_s_client,
    tracker,  # noqa: F401 - fixture
)

COOKIE = b"compat-suite-cookie"


def _contexts(pki, server_method=SSL.DTLS_METHOD, client_method=SSL.DTLS_METHOD):
    return (
        server_context(pki.server_rsa, server_method),
        client_context(pki, client_method),
    )


def _step(conn):
    """One handshake step; True once the handshake is done."""
    try:
        conn.do_handshake()
    except SSL.WantReadError:
        return False
    return True


# ---------------------------------------------------------------------------
# handshakes and data over memory BIOs


@pytest.mark.parametrize(
    "server_method,client_method",
    [
        pytest.param(SSL.DTLS_METHOD, SSL.DTLS_METHOD, id="generic"),
        pytest.param(SSL.DTLS_SERVER_METHOD, SSL.DTLS_CLIENT_METHOD, id="role-specific"),
    ],
)
def test_dtls_handshake_and_data(pki, server_method, client_method):
    sctx, cctx = _contexts(pki, server_method, client_method)
    client, server = connection_pair(sctx, cctx, host=b"localhost")
    handshake(client, server)
    assert client.get_protocol_version_name() == "DTLSv1.2"
    assert server.get_protocol_version_name() == "DTLSv1.2"
    assert client.get_cipher_name() == server.get_cipher_name()
    assert client.get_peer_certificate(as_cryptography=True) == pki.server_rsa.cert
    assert server.get_servername() == b"localhost"

    assert client.send(b"datagram from client") == 20
    transfer(client, server)
    assert server.recv(1024) == b"datagram from client"
    assert server.write(b"reply") == 5
    transfer(server, client)
    assert client.read(1024) == b"reply"


def test_dtls_keeps_message_boundaries(pki):
    sctx, cctx = _contexts(pki)
    client, server = connection_pair(sctx, cctx)
    handshake(client, server)
    client.send(b"first")
    client.send(b"second")
    transfer(client, server)
    # each record is delivered on its own, even with a large buffer
    assert server.recv(1024) == b"first"
    assert server.recv(1024) == b"second"
    with pytest.raises(SSL.WantReadError):
        server.recv(1024)


def test_dtls_shutdown(pki):
    sctx, cctx = _contexts(pki)
    client, server = connection_pair(sctx, cctx)
    handshake(client, server)
    assert client.shutdown() is False
    transfer(client, server)
    with pytest.raises(SSL.ZeroReturnError):
        server.recv(1024)
    assert server.shutdown() is True


def test_dtls_exported_keys_agree(pki):
    sctx, cctx = _contexts(pki)
    client, server = connection_pair(sctx, cctx)
    handshake(client, server)
    assert client.export_keying_material(b"EXTRACTOR-dtls_srtp", 60) == (
        server.export_keying_material(b"EXTRACTOR-dtls_srtp", 60)
    )
    assert client.get_finished() == server.get_peer_finished()


def test_tls_and_dtls_do_not_mix(pki):
    sctx = server_context(pki.server_rsa, SSL.TLS_METHOD)
    cctx = client_context(pki, SSL.DTLS_METHOD)
    client, server = connection_pair(sctx, cctx)
    # The TLS server reads the DTLS ClientHello's version (0xfefd) and gives
    # up; it sends no alert, so the DTLS client is left waiting.
    failure = fail_handshake(client, server)
    assert_failure(failure, "server", "wrong version number")
    assert isinstance(failure.peer_error, SSL.WantReadError)


# ---------------------------------------------------------------------------
# cookie exchange


class CookieJar:
    """Cookie callbacks that record how they were called."""

    def __init__(self, cookie=COOKIE):
        self.cookie = cookie
        self.generated = []
        self.verified = []

    def generate(self, conn):
        self.generated.append(conn)
        return self.cookie

    def verify(self, conn, cookie):
        self.verified.append((conn, cookie))
        return cookie == COOKIE

    def install(self, ctx):
        ctx.set_cookie_generate_callback(self.generate)
        ctx.set_cookie_verify_callback(self.verify)


def _listen_once(client, server):
    """Client sends its (next) ClientHello; the server runs DTLSv1_listen on it.
    Returns what DTLSv1_listen returned or the exception it raised."""
    _step(client)
    transfer(client, server)
    try:
        return server.DTLSv1_listen()
    except Exception as exc:  # noqa: BLE001 - returned for inspection
        return exc
    finally:
        transfer(server, client)


def test_listen_without_data_is_want_read(pki):
    sctx, _ = _contexts(pki)
    CookieJar().install(sctx)
    server = SSL.Connection(sctx, None)
    server.set_accept_state()
    with pytest.raises(SSL.WantReadError):
        server.DTLSv1_listen()


def test_cookie_exchange(pki):
    sctx, cctx = _contexts(pki)
    jar = CookieJar()
    jar.install(sctx)
    client, server = connection_pair(sctx, cctx, host=b"localhost")

    # first ClientHello has no cookie: the server answers HelloVerifyRequest
    first = _listen_once(client, server)
    assert isinstance(first, SSL.WantReadError)
    assert jar.generated == [server]
    assert jar.verified == []

    # the client retries with the cookie, which the server accepts
    assert _listen_once(client, server) is None
    assert len(jar.verified) == 1
    conn, cookie = jar.verified[0]
    assert conn is server
    assert cookie == COOKIE
    assert isinstance(cookie, bytes)

    handshake(client, server)
    assert client.get_protocol_version_name() == "DTLSv1.2"
    client.send(b"after cookies")
    transfer(client, server)
    assert server.recv(100) == b"after cookies"


def test_wrong_cookie_keeps_listening(pki):
    sctx, cctx = _contexts(pki)
    jar = CookieJar(cookie=b"not the right one")
    jar.install(sctx)
    client, server = connection_pair(sctx, cctx)
    results = [_listen_once(client, server) for _ in range(3)]
    assert all(isinstance(r, SSL.WantReadError) for r in results)
    assert jar.verified and all(c == b"not the right one" for _, c in jar.verified)


class CookieTrouble(Exception):
    pass


def test_exception_in_generate_callback_surfaces_from_listen(pki):
    sctx, cctx = _contexts(pki)
    problem = CookieTrouble("generate failed")

    def generate(conn):
        raise problem

    sctx.set_cookie_generate_callback(generate)
    sctx.set_cookie_verify_callback(lambda conn, cookie: True)
    client, server = connection_pair(sctx, cctx)
    assert _listen_once(client, server) is problem


def test_exception_in_verify_callback_surfaces_from_listen(pki):
    sctx, cctx = _contexts(pki)
    problem = CookieTrouble("verify failed")

    def verify(conn, cookie):
        raise problem

    sctx.set_cookie_generate_callback(lambda conn: COOKIE)
    sctx.set_cookie_verify_callback(verify)
    client, server = connection_pair(sctx, cctx)
    assert isinstance(_listen_once(client, server), SSL.WantReadError)
    assert _listen_once(client, server) is problem
    # only that once: the next attempt is an ordinary "keep waiting"
    assert isinstance(_listen_once(client, server), SSL.WantReadError)


def test_too_long_cookie_is_value_error(pki):
    sctx, cctx = _contexts(pki)
    sctx.set_cookie_generate_callback(lambda conn: b"x" * 256)
    sctx.set_cookie_verify_callback(lambda conn, cookie: True)
    client, server = connection_pair(sctx, cctx)
    result = _listen_once(client, server)
    assert isinstance(result, ValueError)
    assert "256" in str(result)


def test_non_bytes_cookie_is_type_error(pki):
    sctx, cctx = _contexts(pki)
    sctx.set_cookie_generate_callback(lambda conn: "text cookie")
    sctx.set_cookie_verify_callback(lambda conn, cookie: True)
    client, server = connection_pair(sctx, cctx)
    assert isinstance(_listen_once(client, server), TypeError)


def test_cookie_callbacks_frozen_once_used(pki):
    sctx, _ = _contexts(pki)
    SSL.Connection(sctx, None)
    with pytest.raises(ValueError):
        sctx.set_cookie_generate_callback(lambda conn: COOKIE)
    with pytest.raises(ValueError):
        sctx.set_cookie_verify_callback(lambda conn, cookie: True)


# ---------------------------------------------------------------------------
# retransmission timers


def test_timeout_none_before_handshake(pki):
    _, cctx = _contexts(pki)
    client = SSL.Connection(cctx, None)
    client.set_connect_state()
    assert client.DTLSv1_get_timeout() is None
    assert client.DTLSv1_handle_timeout() is False


def test_retransmission_timer(pki):
    _, cctx = _contexts(pki)
    client = SSL.Connection(cctx, None)
    client.set_connect_state()
    assert _step(client) is False
    first_flight = drain(client)
    assert first_flight

    remaining = client.DTLSv1_get_timeout()
    assert isinstance(remaining, float)
    assert 0 < remaining <= 1.0
    # nothing has expired yet
    assert client.DTLSv1_handle_timeout() is False
    assert drain(client) == b""

    time.sleep(remaining + 0.02)
    assert client.DTLSv1_get_timeout() == 0
    assert client.DTLSv1_handle_timeout() is True
    resent = drain(client)
    assert len(resent) == len(first_flight)  # the ClientHello again
    # the timer was re-armed with back-off
    assert 1.0 < client.DTLSv1_get_timeout() <= 2.0


def test_timer_stops_after_handshake(pki):
    sctx, cctx = _contexts(pki)
    client, server = connection_pair(sctx, cctx)
    assert _step(client) is False
    assert client.DTLSv1_get_timeout() is not None
    handshake(client, server)
    assert client.DTLSv1_get_timeout() is None
    assert client.DTLSv1_handle_timeout() is False


# ---------------------------------------------------------------------------
# MTU


def test_mtu(pki):
    sctx, cctx = _contexts(pki)
    client, server = connection_pair(sctx, cctx)
    assert client.get_cleartext_mtu() == 0  # nothing negotiated yet
    handshake(client, server)
    assert client.get_cleartext_mtu() > 0

    assert client.set_ciphertext_mtu(1000) is None
    small = client.get_cleartext_mtu()
    assert 0 < small < 1000
    client.set_ciphertext_mtu(1400)
    large = client.get_cleartext_mtu()
    assert small < large < 1400
    # the record overhead does not depend on the MTU
    assert 1000 - small == 1400 - large

    # a record of exactly the cleartext MTU still goes through
    client.set_ciphertext_mtu(1000)
    assert client.send(b"m" * small) == small
    transfer(client, server)
    assert server.recv(4096) == b"m" * small


# ---------------------------------------------------------------------------
# over UDP with the openssl command-line tool


@needs_openssl
def test_our_dtls_client_with_openssl_s_server(pki, tracker):
    server = OpenSSLServer(
        "-dtls",
        "-cert", str(pki.server_rsa.chain_pem),
        "-key", str(pki.server_rsa.key_pem),
    )
    tracker.processes.append(server)
    cctx = client_context(pki, SSL.DTLS_METHOD)
    client = SSL.Connection(cctx, None)
    client.set_connect_state()
    client.set_tlsext_host_name(b"localhost")
    pump = UDPPump(client, ("127.0.0.1", server.port))
    tracker.add(pump.sock)

    pump.run(client.do_handshake)
    assert client.get_protocol_version_name() == "DTLSv1.2"
    assert client.get_peer_certificate(as_cryptography=True) == pki.server_rsa.cert
    assert pump.received > 1  # the server's flight came in several datagrams

    pump.run(lambda: client.send(b"hello from a datagram\n"))
    server.read_until(b"hello from a datagram\n")

    server.proc.stdin.write(b"reply from s_server\n")
    server.proc.stdin.flush()
    assert pump.run(lambda: client.recv(1024)) == b"reply from s_server\n"

    assert client.shutdown() is False
    pump.flush()
    server.finish()


def _our_dtls_server(sock, sctx, jar):
    """Serve one DTLS client on an unconnected UDP socket, cookies first."""
    server = SSL.Connection(sctx, None)
    server.set_accept_state()
    deadline = time.monotonic() + IO_TIMEOUT
    peer = None
    while True:
        datagram, address = sock.recvfrom(65536)
        if peer is None:
            peer = address
        server.bio_write(datagram)
        try:
            server.DTLSv1_listen()
        except SSL.WantReadError:
            for out in bio_datagrams(server):
                sock.sendto(out, peer)
            if time.monotonic() > deadline:
                raise TimeoutError("no ClientHello with a valid cookie")
            continue
        break
    pump = UDPPump(server, peer, sock=sock)
    pump.run(server.do_handshake)
    line = pump.run(lambda: server.recv(1024))
    pump.run(lambda: server.send(line.upper()))
    server.shutdown()
    pump.flush()
    return line, server.get_protocol_version_name(), len(jar.generated)


@needs_openssl
def test_openssl_s_client_with_our_dtls_server_and_cookies(pki, tracker):
    sctx = server_context(pki.server_rsa, SSL.DTLS_METHOD)
    jar = CookieJar()
    jar.install(sctx)
    sock = tracker.add(socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(IO_TIMEOUT)
    port = sock.getsockname()[1]
    server = Background(_our_dtls_server, sock, sctx, jar)

    result = run_s_client(
        "-dtls",
        "-connect", "127.0.0.1:%d" % port,
        "-CAfile", str(pki.ca_pem),
        "-servername", "localhost",
        "-ign_eof",
        stdin=b"hello over dtls\n",
    )
    line, version, generated = server.join()
    out = result.stdout.decode("latin-1")
    assert line == b"hello over dtls\n"
    assert version == "DTLSv1.2"
    assert generated >= 1
    assert jar.verified and jar.verified[-1][1] == COOKIE
    assert "HELLO OVER DTLS" in out, out + result.stderr.decode("latin-1")
    assert "Verify return code: 0 (ok)" in out
