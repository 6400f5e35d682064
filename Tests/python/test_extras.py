"""Features our ``OpenSSL.SSL`` adds beyond pyOpenSSL 26.4 (issue 9), each one
proven against a real, independent TLS peer on the loopback: Python's ``ssl``
module or the ``openssl`` command-line tool (and, where noted, our own
Connection over memory BIOs).

1. identity checks: ``Connection.set_verify_hostname`` / ``set_verify_ip``
2. TLS 1.3 post-handshake client authentication
3. sessions: ``session_reused``, ``Session.id/is_resumable/ticket_lifetime_hint``
   and TLS 1.3 tickets picked up by ``get_session()`` without a ``recv``
4. ``bytes_sent`` on the Want*Error a non-blocking ``sendall`` raises
5. ``Context.set_groups`` and ``Connection.get_group_name``
6. ``load_verify_data``, ``use_certificate_chain_data``, ``use_privatekey_data``
7. the ClientHello callback and PSK callbacks (Python 3.13 ``ssl`` shapes)
8. ``OP_ENABLE_KTLS``, ``Connection.sendfile`` and ``uses_ktls_send``

Every server is started and stopped by its test, on 127.0.0.1 / ::1 only, and
every wait has a timeout.
"""

from __future__ import annotations

import os
import select
import socket
import ssl
import sys
import time

import pytest

sys.path.insert(0, os.path.dirname(__file__))

from cryptography.hazmat.primitives import serialization  # noqa: E402
from OpenSSL import SSL  # noqa: E402

from certs_for_tests import (  # noqa: E402
    cert_der,
    cert_pem,
    chain,
    key_der,
    key_pem,
    other_chain,
    rsa_key,
)
from extras_helpers import (  # noqa: E402
    IO_TIMEOUT,
    IPV6,
    VERIFY_POST_HANDSHAKE,
    X509_V_ERR_HOSTNAME_MISMATCH,
    X509_V_ERR_IP_ADDRESS_MISMATCH,
    Background,
    OpenSSLServer,
    PyTLSServer,
    accept_ours,
    bio_drive_to_failure,
    bio_handshake,
    bio_pair,
    chain_pem,
    client_leaf,
    connect_ours,
    drain,
    error_reasons,
    loopback_listener,
    needs_openssl,
    our_client_context,
    our_server_context,
    py_client,
    py_client_context,
    py_server_context,
    read_line,
    read_line_ours,
    recv_exactly_py,
    retry,
    root_pem,
    run_s_client,
    server_leaf,
    tcp_pair,
    tls13_handshake_holding_tickets,
    transfer,
    with_client_identity,
    write_identity,
)

pytestmark = pytest.mark.ours

TLS12 = SSL.TLS1_2_VERSION
TLS13 = SSL.TLS1_3_VERSION
VERSIONS = [pytest.param(TLS12, id="tls12"), pytest.param(TLS13, id="tls13")]


# ===========================================================================
# 1. set_verify_hostname / set_verify_ip


def _handshake_with_python_server(tmp_path, leaf, setup, *, family=socket.AF_INET,
                                  verify_callback=None):
    """Our client (VERIFY_PEER, trusting the test root) against a Python ssl
    server presenting *leaf*.  ``setup(conn)`` runs before the handshake.

    Returns (client_exception_or_None, server_result, peer_cert_der)."""
    pctx = py_server_context(tmp_path, leaf)
    with PyTLSServer(pctx, lambda tls: tls.version(), family=family) as server:
        cctx = our_client_context()
        if verify_callback is not None:
            cctx.set_verify(SSL.VERIFY_PEER, verify_callback)
        conn, sock = connect_ours(cctx, server.port, family=family, host=None)
        error = None
        peer = None
        try:
            setup(conn)
            conn.do_handshake()
            peer = conn.get_peer_certificate(as_cryptography=True).public_bytes(
                serialization.Encoding.DER
            )
        except SSL.Error as exc:
            error = exc
        finally:
            sock.close()
        (result,) = server.join()
    return error, result, peer


LOCAL = ("localhost", "127.0.0.1")
OTHER = ("other.example",)
LOCAL6 = ("localhost", "::1")
WILDCARD = ("*.example.test",)
PARTIAL_WILDCARD = ("a*.example.test",)

HOST_OK = [
    pytest.param(LOCAL, "hostname", "localhost", id="dns"),
    pytest.param(LOCAL, "hostname", "LocalHost", id="dns-case-insensitive"),
    pytest.param(OTHER, "hostname", "other.example", id="dns-other-name"),
    pytest.param(LOCAL, "ip", "127.0.0.1", id="ipv4"),
    pytest.param(LOCAL6, "ip", "::1", id="ipv6"),
    pytest.param(LOCAL6, "ip", "0:0:0:0:0:0:0:1", id="ipv6-long-form"),
    pytest.param(WILDCARD, "hostname", "a.example.test", id="wildcard-one-label"),
]

HOST_MISMATCH = [
    pytest.param(LOCAL, "hostname", "other.example", id="dns-other"),
    pytest.param(OTHER, "hostname", "localhost", id="dns-cert-for-other"),
    pytest.param(LOCAL, "ip", "127.0.0.2", id="ipv4-other"),
    pytest.param(LOCAL, "ip", "::1", id="ipv6-not-in-cert"),
    pytest.param(OTHER, "ip", "127.0.0.1", id="ip-cert-without-ip"),
    pytest.param(LOCAL6, "ip", "::2", id="ipv6-other"),
    pytest.param(WILDCARD, "hostname", "a.b.example.test", id="wildcard-two-labels"),
    pytest.param(WILDCARD, "hostname", "example.test", id="wildcard-no-label"),
    pytest.param(PARTIAL_WILDCARD, "hostname", "ab.example.test", id="partial-wildcard"),
]

REASON = {"hostname": "hostname mismatch", "ip": "IP address mismatch"}


def _setter(check, value):
    if check == "hostname":
        return lambda conn: conn.set_verify_hostname(value)
    return lambda conn: conn.set_verify_ip(value)


@pytest.mark.parametrize("san,check,value", HOST_OK)
def test_identity_match_completes_handshake(tmp_path, san, check, value):
    leaf = server_leaf(*san)
    error, result, peer = _handshake_with_python_server(
        tmp_path, leaf, _setter(check, value)
    )
    assert error is None
    assert result in ("TLSv1.2", "TLSv1.3")
    assert peer == cert_der(leaf.cert)


@pytest.mark.parametrize("san,check,value", HOST_MISMATCH)
def test_identity_mismatch_fails_handshake(tmp_path, san, check, value):
    error, result, _ = _handshake_with_python_server(
        tmp_path, server_leaf(*san), _setter(check, value)
    )
    assert isinstance(error, SSL.Error)
    assert not isinstance(error, (SSL.WantReadError, SSL.WantWriteError))
    reasons = error_reasons(error)
    assert any(REASON[check] in reason for reason in reasons), error.args
    # the Python server saw the handshake fail too (our alert)
    assert isinstance(result, (ssl.SSLError, OSError))


@pytest.mark.skipif(not IPV6, reason="no IPv6 loopback")
def test_verify_ip_over_ipv6_loopback(tmp_path):
    leaf = server_leaf(*LOCAL6)
    error, result, peer = _handshake_with_python_server(
        tmp_path, leaf, lambda conn: conn.set_verify_ip("::1"), family=socket.AF_INET6
    )
    assert error is None and peer == cert_der(leaf.cert)


@pytest.mark.parametrize(
    "check,value,code",
    [
        ("hostname", "other.example", X509_V_ERR_HOSTNAME_MISMATCH),
        ("ip", "127.0.0.2", X509_V_ERR_IP_ADDRESS_MISMATCH),
    ],
)
def test_identity_mismatch_reaches_verify_callback(tmp_path, check, value, code):
    """The identity check is part of certificate verification: a verify
    callback sees the mismatch at depth 0 and may override it."""
    seen = []

    def callback(conn, cert, errnum, depth, ok):
        seen.append((errnum, depth, ok))
        return True

    leaf = server_leaf(*LOCAL)
    error, result, peer = _handshake_with_python_server(
        tmp_path, leaf, _setter(check, value), verify_callback=callback
    )
    assert error is None
    assert peer == cert_der(leaf.cert)
    assert (code, 0, 0) in [(e, d, int(bool(o))) for e, d, o in seen]


def test_identity_check_without_verify_peer_does_not_fail(tmp_path):
    """Like OpenSSL's SSL_set1_host: the check only fails a handshake whose
    client verifies the peer (VERIFY_PEER)."""
    pctx = py_server_context(tmp_path, server_leaf(*OTHER))
    with PyTLSServer(pctx, lambda tls: tls.version()) as server:
        cctx = our_client_context(verify=False)
        conn, sock = connect_ours(cctx, server.port, host=None)
        try:
            conn.set_verify_hostname("localhost")
            conn.do_handshake()
        finally:
            sock.close()
        assert server.join()[0] in ("TLSv1.2", "TLSv1.3")


@pytest.mark.parametrize(
    "bad", ["1.2.3", "256.1.1.1", "localhost", "::g", "1:2:3:4:5:6:7:8:9", "", "127.0.0.1/8"]
)
def test_set_verify_ip_rejects_text_that_is_no_address(bad):
    conn = SSL.Connection(our_client_context(), None)
    with pytest.raises(ValueError):
        conn.set_verify_ip(bad)


@pytest.mark.parametrize("method", ["set_verify_hostname", "set_verify_ip"])
@pytest.mark.parametrize("value", [b"localhost", b"127.0.0.1", None, 127])
def test_identity_setters_require_str(method, value):
    conn = SSL.Connection(our_client_context(), None)
    with pytest.raises(TypeError):
        getattr(conn, method)(value)


# ===========================================================================
# 2. TLS 1.3 post-handshake client authentication


def _pha_server_context(*, require=True) -> SSL.Context:
    """Our TLS 1.3 server that asks for a client certificate only after the
    handshake: OpenSSL wants SSL_VERIFY_POST_HANDSHAKE together with
    VERIFY_PEER (and FAIL_IF_NO_PEER_CERT to insist on getting one)."""
    ctx = our_server_context(version=TLS13)
    mode = SSL.VERIFY_PEER | VERIFY_POST_HANDSHAKE
    if require:
        mode |= SSL.VERIFY_FAIL_IF_NO_PEER_CERT
    ctx.set_verify(mode)
    ctx.load_verify_data(root_pem())
    return ctx


def _pha_client_context(*, offer=True, identity=True) -> SSL.Context:
    ctx = our_client_context(version=TLS13)
    if identity:
        with_client_identity(ctx)
    if offer:
        ctx.set_post_handshake_auth(True)
    return ctx


def test_post_handshake_auth_ours_to_ours():
    client, server = bio_pair(_pha_server_context(), _pha_client_context())
    bio_handshake(client, server)
    assert server.get_peer_certificate() is None  # nothing asked for yet

    server.verify_client_post_handshake()
    server.sendall(b"who are you?")  # carries the CertificateRequest
    transfer(server, client)
    assert client.recv(100) == b"who are you?"  # answers with its certificate
    client.sendall(b"me")
    transfer(client, server)
    assert server.recv(100) == b"me"

    peer = server.get_peer_certificate(as_cryptography=True)
    assert peer == client_leaf().cert


def test_post_handshake_auth_needs_the_client_to_offer_it():
    client, server = bio_pair(_pha_server_context(), _pha_client_context(offer=False))
    bio_handshake(client, server)
    with pytest.raises(SSL.Error) as info:
        server.verify_client_post_handshake()
    assert not isinstance(info.value, (SSL.WantReadError, SSL.WantWriteError))


def test_post_handshake_auth_is_tls13_only():
    sctx = _pha_server_context()
    sctx.set_max_proto_version(TLS12)
    sctx.set_min_proto_version(TLS12)
    cctx = _pha_client_context()
    cctx.set_min_proto_version(TLS12)
    cctx.set_max_proto_version(TLS12)
    client, server = bio_pair(sctx, cctx)
    bio_handshake(client, server)
    assert server.get_protocol_version_name() == "TLSv1.2"
    with pytest.raises(SSL.Error) as info:
        server.verify_client_post_handshake()
    assert not isinstance(info.value, (SSL.WantReadError, SSL.WantWriteError))


def test_post_handshake_auth_client_without_certificate_is_refused():
    client, server = bio_pair(_pha_server_context(), _pha_client_context(identity=False))
    bio_handshake(client, server)
    server.verify_client_post_handshake()
    server.sendall(b"who are you?")
    transfer(server, client)
    assert client.recv(100) == b"who are you?"  # answers with an empty Certificate
    transfer(client, server)
    with pytest.raises(SSL.Error) as info:
        server.recv(100)
    assert not isinstance(info.value, (SSL.WantReadError, SSL.WantWriteError))
    assert server.get_peer_certificate() is None


def test_post_handshake_auth_our_client_python_server(tmp_path):
    pctx = py_server_context(tmp_path, version=TLS13)
    pctx.verify_mode = ssl.CERT_REQUIRED
    pctx.post_handshake_auth = True
    pctx.load_verify_locations(cadata=root_pem().decode("ascii"))

    def handler(tls):
        before = tls.getpeercert(binary_form=True)
        tls.verify_client_post_handshake()
        tls.sendall(b"who are you?\n")
        line = read_line(tls.recv)
        after = tls.getpeercert(binary_form=True)
        tls.sendall(b"bye\n")
        return before, line, after

    with PyTLSServer(pctx, handler) as server:
        conn, sock = connect_ours(_pha_client_context(), server.port)
        try:
            conn.do_handshake()
            assert read_line_ours(conn) == b"who are you?\n"
            conn.sendall(b"me\n")
            assert read_line_ours(conn) == b"bye\n"
        finally:
            sock.close()
        ((before, line, after),) = server.join()
    assert before is None
    assert line == b"me\n"
    assert after == cert_der(client_leaf().cert)


def test_post_handshake_auth_our_server_python_client(tmp_path):
    cctx = py_client_context(version=TLS13)
    chain_path, key_path = write_identity(tmp_path, client_leaf(), "client")
    cctx.load_cert_chain(str(chain_path), str(key_path))
    cctx.post_handshake_auth = True

    def client_side(tls):
        line = read_line(tls.recv)  # processes the CertificateRequest
        tls.sendall(b"me\n")
        return line, read_line(tls.recv)

    lsock = loopback_listener()
    try:
        peer = py_client(cctx, lsock.getsockname()[1], client_side)
        conn, raw = accept_ours(lsock, _pha_server_context())
        try:
            conn.do_handshake()
            before = conn.get_peer_certificate()
            conn.verify_client_post_handshake()
            conn.sendall(b"who are you?\n")
            reply = read_line_ours(conn)
            after = conn.get_peer_certificate(as_cryptography=True)
            conn.sendall(b"bye\n")
            seen = peer.join()
        finally:
            raw.close()
    finally:
        lsock.close()
    assert before is None
    assert reply == b"me\n"
    assert after == client_leaf().cert
    assert seen == (b"who are you?\n", b"bye\n")


# ===========================================================================
# 3. sessions


def test_tls13_ticket_fed_without_recv_makes_session_resumable():
    sctx = our_server_context()
    cctx = our_client_context(version=TLS13)
    client, server = bio_pair(sctx, cctx)
    tls13_handshake_holding_tickets(client, server)
    assert client.session_reused() is False

    # no ticket has reached the client yet
    early = client.get_session()
    assert isinstance(early, SSL.Session)
    assert early.is_resumable() is False

    # the server's post-handshake bytes (its NewSessionTickets) plus some
    # application data arrive; nobody calls recv()
    server.sendall(b"application data")
    client.bio_write(drain(server))
    session = client.get_session()
    assert session.is_resumable() is True
    assert isinstance(session.id, bytes)
    assert isinstance(session.ticket_lifetime_hint, int)
    assert session.ticket_lifetime_hint > 0
    # processing the tickets did not eat the application data behind them
    assert client.recv(100) == b"application data"

    client2, server2 = bio_pair(sctx, cctx)
    client2.set_session(session)
    bio_handshake(client2, server2)
    assert client2.session_reused() is True
    assert server2.session_reused() is True


@pytest.mark.parametrize(
    "version,tickets",
    [
        pytest.param(TLS12, True, id="tls12-ticket"),
        pytest.param(TLS12, False, id="tls12-session-id"),
        pytest.param(TLS13, True, id="tls13-ticket"),
    ],
)
def test_session_resumption_ours_to_ours(version, tickets):
    sctx = our_server_context()
    if not tickets:
        sctx.set_options(SSL.OP_NO_TICKET)
    cctx = our_client_context(version=version)
    client, server = bio_pair(sctx, cctx)
    bio_handshake(client, server)
    assert client.session_reused() is False and server.session_reused() is False
    session = client.get_session()
    assert session.is_resumable() is True
    assert isinstance(session.id, bytes) and 0 < len(session.id) <= 32
    if tickets:
        assert session.ticket_lifetime_hint > 0
    else:
        # no ticket: the session ID the server chose (and cached) is the key
        assert session.ticket_lifetime_hint == 0
        assert session.id == server.get_session().id

    client2, server2 = bio_pair(sctx, cctx)
    client2.set_session(session)
    bio_handshake(client2, server2)
    assert client2.session_reused() is True
    assert server2.session_reused() is True

    # a connection that offers no session gets a new one
    client3, server3 = bio_pair(sctx, cctx)
    bio_handshake(client3, server3)
    assert client3.session_reused() is False


def _start_s_server_www(tmp_path, *extra, naccept=1):
    """``openssl s_server -www`` with chain().server (and its intermediate)."""
    leaf = tmp_path / "s_server.leaf.pem"
    leaf.write_bytes(chain().server.pem)
    intermediate = tmp_path / "s_server.intermediate.pem"
    intermediate.write_bytes(chain().intermediate.pem)
    key = tmp_path / "s_server.key.pem"
    key.write_bytes(key_pem(chain().server.key))
    return OpenSSLServer(
        "-cert", str(leaf), "-cert_chain", str(intermediate), "-key", str(key),
        "-www", *extra, naccept=naccept,
    )


def _http_get(conn) -> bytes:
    conn.sendall(b"GET / HTTP/1.0\r\n\r\n")
    chunks = []
    while True:
        try:
            chunk = conn.recv(65536)
        except (SSL.ZeroReturnError, SSL.SysCallError):
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


@needs_openssl
def test_tls13_session_from_s_server_resumable_before_any_recv(tmp_path):
    """Over a real socket: once s_server's tickets have arrived, get_session()
    picks them up without a recv() and without blocking."""
    server = _start_s_server_www(tmp_path, "-tls1_3", naccept=2)
    try:
        cctx = our_client_context(version=TLS13)
        conn, sock = connect_ours(cctx, server.port)
        try:
            conn.do_handshake()
            assert conn.session_reused() is False
            # wait for s_server's NewSessionTicket records to reach our socket
            readable, _, _ = select.select([sock], [], [], IO_TIMEOUT)
            assert readable, "s_server sent no session ticket"
            time.sleep(0.1)
            started = time.monotonic()
            session = conn.get_session()
            assert time.monotonic() - started < 1.0, "get_session() blocked"
            assert session is not None
            assert session.is_resumable() is True, (
                "TLS 1.3 ticket already received on the socket was not processed"
            )
            page = _http_get(conn)
            assert b"New, TLSv1.3" in page
        finally:
            sock.close()

        conn2, sock2 = connect_ours(cctx, server.port)
        try:
            conn2.set_session(session)
            conn2.do_handshake()
            assert conn2.session_reused() is True
            assert b"Reused, TLSv1.3" in _http_get(conn2)
        finally:
            sock2.close()
        server.finish()
    finally:
        server.stop()


@needs_openssl
@pytest.mark.parametrize("version", VERSIONS)
def test_session_from_s_server_resumes_after_exchange(tmp_path, version):
    name = {TLS12: "TLSv1.2", TLS13: "TLSv1.3"}[version]
    flag = {TLS12: "-tls1_2", TLS13: "-tls1_3"}[version]
    server = _start_s_server_www(tmp_path, flag, naccept=2)
    try:
        cctx = our_client_context(version=version)
        conn, sock = connect_ours(cctx, server.port)
        try:
            conn.do_handshake()
            page = _http_get(conn)
            session = conn.get_session()
        finally:
            sock.close()
        assert ("New, %s" % name).encode() in page
        assert conn.session_reused() is False
        assert session.is_resumable() is True
        assert session.ticket_lifetime_hint > 0

        conn2, sock2 = connect_ours(cctx, server.port)
        try:
            conn2.set_session(session)
            conn2.do_handshake()
            reused = conn2.session_reused()
            page2 = _http_get(conn2)
        finally:
            sock2.close()
        assert reused is True
        assert ("Reused, %s" % name).encode() in page2
        server.finish()
    finally:
        server.stop()


# ===========================================================================
# 4. sendall on a non-blocking socket: bytes_sent


def _nonblocking_client_to_python(tmp_path):
    """Our client on a non-blocking socket with small kernel buffers, handshaken
    with a Python ssl server socket (returned, with a timeout, unread)."""
    csock, ssock = tcp_pair()
    csock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 16384)
    ssock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16384)
    pctx = py_server_context(tmp_path)
    peer = Background(lambda: pctx.wrap_socket(ssock, server_side=True))
    csock.setblocking(False)
    conn = SSL.Connection(our_client_context(), csock)
    conn.set_connect_state()
    conn.set_tlsext_host_name(b"localhost")
    try:
        retry(conn.do_handshake, conn)
        tls = peer.join()
    except BaseException:
        csock.close()
        ssock.close()
        raise
    tls.settimeout(IO_TIMEOUT)
    return conn, csock, tls


def _wait_writable(sock, deadline):
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise TimeoutError("peer too slow")
    select.select([], [sock], [], min(remaining, 0.2))


def _check_prefix_then_resume(conn, csock, tls, data, sent, resume):
    """The peer receives exactly data[:sent] and nothing more until we resume;
    resume(offset) -> bytes accepted (raising Want*Error with bytes_sent)."""
    assert isinstance(sent, int)
    assert 0 < sent < len(data)
    assert recv_exactly_py(tls, sent) == data[:sent]
    tls.settimeout(0.3)
    with pytest.raises((TimeoutError, socket.timeout, ssl.SSLWantReadError)):
        tls.recv(65536)
    tls.settimeout(IO_TIMEOUT)

    reader = Background(recv_exactly_py, tls, len(data) - sent)
    offset = sent
    deadline = time.monotonic() + 3 * IO_TIMEOUT
    while offset < len(data):
        try:
            offset += resume(offset)
        except (SSL.WantWriteError, SSL.WantReadError) as exc:
            assert isinstance(exc.bytes_sent, int) and exc.bytes_sent >= 0
            offset += exc.bytes_sent
            _wait_writable(csock, deadline)
    assert offset == len(data)
    assert reader.join(3 * IO_TIMEOUT) == data[sent:]


def test_sendall_want_write_reports_bytes_sent(tmp_path):
    conn, csock, tls = _nonblocking_client_to_python(tmp_path)
    try:
        data = os.urandom(1 << 20)
        with pytest.raises((SSL.WantWriteError, SSL.WantReadError)) as info:
            conn.sendall(data)
        sent = info.value.bytes_sent
        view = memoryview(data)
        _check_prefix_then_resume(
            conn, csock, tls, data, sent, lambda offset: conn.sendall(view[offset:])
        )
    finally:
        tls.close()
        csock.close()


# ===========================================================================
# 5. key-exchange groups

GROUP_NAMES = {
    "X25519": {"x25519"},
    "X448": {"x448"},
    "P-256": {"secp256r1", "prime256v1", "p-256"},
    "P-384": {"secp384r1", "p-384"},
    "P-521": {"secp521r1", "p-521"},
}


def _is_group(reported, name):
    return reported is not None and reported.lower() in GROUP_NAMES[name]


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(
    "groups", [["X25519", "P-384"], "X25519:P-384", ("P-521", "P-384")],
    ids=["list", "str", "tuple"],
)
def test_set_groups_client_against_python_server(tmp_path, version, groups):
    pctx = py_server_context(tmp_path, version=version)
    pctx.set_ecdh_curve("secp384r1")  # the only group this server accepts
    with PyTLSServer(pctx, lambda tls: tls.version()) as server:
        cctx = our_client_context(version=version)
        cctx.set_groups(groups)
        conn, sock = connect_ours(cctx, server.port)
        try:
            assert conn.get_group_name() is None  # no session yet
            conn.do_handshake()
            group = conn.get_group_name()
        finally:
            sock.close()
        server.join()
    assert _is_group(group, "P-384"), group


@pytest.mark.parametrize("version", VERSIONS)
def test_set_groups_client_without_common_group_fails_with_python_server(tmp_path, version):
    pctx = py_server_context(tmp_path, version=version)
    pctx.set_ecdh_curve("secp384r1")
    # TLS 1.2 only needs a group for (EC)DHE: Debian's Python keeps OpenSSL's
    # default list, with static-RSA suites that would complete this handshake.
    pctx.set_ciphers("ECDHE")
    tls12_suites = [c["name"] for c in pctx.get_ciphers() if c["protocol"] == "TLSv1.2"]
    assert tls12_suites and all("ECDHE" in name for name in tls12_suites), tls12_suites
    with PyTLSServer(pctx, lambda tls: tls.version()) as server:
        cctx = our_client_context(version=version)
        cctx.set_groups(["X25519", "P-256"])
        conn, sock = connect_ours(cctx, server.port)
        try:
            with pytest.raises(SSL.Error) as info:
                conn.do_handshake()
        finally:
            sock.close()
        (result,) = server.join()
    assert not isinstance(info.value, (SSL.WantReadError, SSL.WantWriteError))
    assert isinstance(result, (ssl.SSLError, OSError))


@pytest.mark.parametrize(
    "groups,expected", [("X25519:P-256", "X25519"), ("P-256:X25519", "P-256")]
)
def test_set_groups_order_is_the_client_preference(tmp_path, groups, expected):
    pctx = py_server_context(tmp_path, version=TLS13)
    with PyTLSServer(pctx, lambda tls: tls.version()) as server:
        cctx = our_client_context(version=TLS13)
        cctx.set_groups(groups)
        conn, sock = connect_ours(cctx, server.port)
        try:
            conn.do_handshake()
            group = conn.get_group_name()
        finally:
            sock.close()
        server.join()
    assert _is_group(group, expected), group


@pytest.mark.parametrize("version", VERSIONS)
def test_set_groups_server_against_python_client(version):
    sctx = our_server_context(version=version)
    sctx.set_groups(["P-384"])
    lsock = loopback_listener()
    try:
        peer = py_client(py_client_context(version=version), lsock.getsockname()[1])
        conn, raw = accept_ours(lsock, sctx)
        try:
            conn.do_handshake()
            group = conn.get_group_name()
            peer.join()
        finally:
            raw.close()
    finally:
        lsock.close()
    assert _is_group(group, "P-384"), group


@needs_openssl
@pytest.mark.parametrize("version", VERSIONS)
def test_set_groups_against_s_server(tmp_path, version):
    flag = {TLS12: "-tls1_2", TLS13: "-tls1_3"}[version]
    server = _start_s_server_www(tmp_path, flag, "-groups", "P-521:X448")
    try:
        cctx = our_client_context(version=version)
        # OpenSSL's default client list would settle on X448 here
        cctx.set_groups(["X25519", "P-521"])
        conn, sock = connect_ours(cctx, server.port)
        try:
            conn.do_handshake()
            group = conn.get_group_name()
            page = _http_get(conn)
        finally:
            sock.close()
        assert page.startswith(b"HTTP/1.0 200 ok")
        server.finish()
    finally:
        server.stop()
    assert _is_group(group, "P-521"), group


@needs_openssl
def test_set_groups_without_common_group_fails_against_s_server(tmp_path):
    server = _start_s_server_www(tmp_path, "-tls1_3", "-groups", "X25519")
    try:
        cctx = our_client_context(version=TLS13)
        cctx.set_groups("P-256:P-384")
        conn, sock = connect_ours(cctx, server.port)
        try:
            with pytest.raises(SSL.Error) as info:
                conn.do_handshake()
        finally:
            sock.close()
    finally:
        server.stop()
    assert not isinstance(info.value, (SSL.WantReadError, SSL.WantWriteError))


@pytest.mark.parametrize("bad", ["nonsense", ["X25519", "nonsense"], "X25519:bogus-group"])
def test_set_groups_unknown_name_is_value_error(bad):
    ctx = SSL.Context(SSL.TLS_METHOD)
    with pytest.raises(ValueError) as info:
        ctx.set_groups(bad)
    unknown = "nonsense" if "nonsense" in str(bad) else "bogus-group"
    assert unknown in str(info.value)


def test_set_groups_hybrid_group_missing_from_library_is_value_error():
    """X25519MLKEM768 arrived with OpenSSL 3.5; older libraries must say so
    with a ValueError naming the group."""
    version = SSL.OpenSSL_version(SSL.OPENSSL_VERSION)
    if isinstance(version, bytes):
        version = version.decode()
    parts = version.split()[1].split(".")
    if (int(parts[0]), int(parts[1])) >= (3, 5):
        pytest.skip("this OpenSSL provides X25519MLKEM768: %s" % version)
    ctx = SSL.Context(SSL.TLS_METHOD)
    with pytest.raises(ValueError) as info:
        ctx.set_groups(["X25519MLKEM768", "X25519"])
    assert "X25519MLKEM768" in str(info.value)


@pytest.mark.parametrize("empty", [[], "", ()])
def test_set_groups_empty_is_value_error(empty):
    ctx = SSL.Context(SSL.TLS_METHOD)
    with pytest.raises(ValueError):
        ctx.set_groups(empty)


def test_set_groups_requires_str_names():
    ctx = SSL.Context(SSL.TLS_METHOD)
    with pytest.raises(TypeError):
        ctx.set_groups([b"X25519"])


# ===========================================================================
# 6. certificates and keys from memory


def _client_verifies_python_server(tmp_path, load):
    """Our client whose trust comes from *load(ctx)* against a Python server
    that sends chain().server + intermediate; returns None or the SSL.Error."""
    pctx = py_server_context(tmp_path)
    with PyTLSServer(pctx, lambda tls: tls.version()) as server:
        cctx = SSL.Context(SSL.TLS_METHOD)
        cctx.set_verify(SSL.VERIFY_PEER)
        load(cctx)
        conn, sock = connect_ours(cctx, server.port)
        try:
            conn.do_handshake()
            error = None
        except SSL.Error as exc:
            error = exc
        finally:
            sock.close()
        server.join()
    return error


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(lambda: chain().root.pem, id="pem-one-cert"),
        pytest.param(
            lambda: cert_pem(other_chain().root.cert, other_chain().intermediate.cert,
                             chain().root.cert, other_chain().server.cert),
            id="pem-bundle-root-third",
        ),
        pytest.param(lambda: chain().root.der, id="der-one-cert"),
    ],
)
def test_load_verify_data_trusts_python_server(tmp_path, data):
    assert _client_verifies_python_server(
        tmp_path, lambda ctx: ctx.load_verify_data(data())
    ) is None


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(lambda: None, id="nothing-loaded"),
        pytest.param(lambda: other_chain().root.pem, id="other-root-pem"),
        pytest.param(lambda: other_chain().root.der, id="other-root-der"),
    ],
)
def test_load_verify_data_without_the_root_fails(tmp_path, data):
    def load(ctx):
        if data() is not None:
            ctx.load_verify_data(data())

    error = _client_verifies_python_server(tmp_path, load)
    assert isinstance(error, SSL.Error)
    assert any("certificate verify failed" in r for r in error_reasons(error)), error.args


def test_load_verify_data_rejects_garbage():
    ctx = SSL.Context(SSL.TLS_METHOD)
    with pytest.raises(SSL.Error):
        ctx.load_verify_data(b"this is neither PEM nor DER")
    with pytest.raises(TypeError):
        ctx.load_verify_data(chain().root.pem.decode("ascii"))


def _python_client_against_our_server(sctx, *, hostname="localhost"):
    """A verifying Python ssl client (trusting only chain().root) against our
    server; returns (server_error, client_result_or_exception)."""
    lsock = loopback_listener()
    try:
        def client_side(tls):
            tls.sendall(b"ping\n")
            return read_line(tls.recv), tls.getpeercert(binary_form=True)

        peer = py_client(py_client_context(), lsock.getsockname()[1], client_side,
                         server_hostname=hostname)
        conn, raw = accept_ours(lsock, sctx)
        server_error = None
        try:
            conn.do_handshake()
            line = read_line_ours(conn)
            conn.sendall(line.upper())
        except SSL.Error as exc:
            server_error = exc
        finally:
            try:
                client_result = peer.join()
            except Exception as exc:  # noqa: BLE001 - returned to the test
                client_result = exc
            raw.close()
    finally:
        lsock.close()
    return server_error, client_result


def test_use_certificate_chain_data_sends_intermediate():
    sctx = SSL.Context(SSL.TLS_METHOD)
    sctx.use_certificate_chain_data(chain_pem(chain().server))
    sctx.use_privatekey_data(key_pem(chain().server.key))
    server_error, result = _python_client_against_our_server(sctx)
    assert server_error is None
    assert result == (b"PING\n", cert_der(chain().server.cert))


def test_use_certificate_chain_data_leaf_only_is_not_enough():
    """Control: without the intermediate the root-only client cannot verify."""
    sctx = SSL.Context(SSL.TLS_METHOD)
    sctx.use_certificate_chain_data(chain().server.pem)
    sctx.use_privatekey_data(key_pem(chain().server.key))
    server_error, result = _python_client_against_our_server(sctx)
    assert isinstance(result, ssl.SSLCertVerificationError)
    assert isinstance(server_error, SSL.Error)


def test_use_certificate_chain_data_peer_chain_over_memory_bio():
    sctx = SSL.Context(SSL.TLS_METHOD)
    sctx.use_certificate_chain_data(chain_pem(chain().server))
    sctx.use_privatekey_data(key_pem(chain().server.key))
    client, server = bio_pair(sctx, our_client_context())
    bio_handshake(client, server)
    sent = [c.to_cryptography() for c in client.get_peer_cert_chain()]
    assert sent[:2] == [chain().server.cert, chain().intermediate.cert]


def test_use_certificate_chain_data_rejects_garbage():
    ctx = SSL.Context(SSL.TLS_METHOD)
    with pytest.raises(SSL.Error):
        ctx.use_certificate_chain_data(b"-----BEGIN CERTIFICATE-----\nnope\n")
    with pytest.raises(TypeError):
        ctx.use_certificate_chain_data(chain_pem(chain().server).decode("ascii"))


PASSWORD = b"correct horse battery staple"


def _encrypted_pem(key, password=PASSWORD, traditional=False) -> bytes:
    fmt = (serialization.PrivateFormat.TraditionalOpenSSL if traditional
           else serialization.PrivateFormat.PKCS8)
    return key.private_bytes(
        serialization.Encoding.PEM, fmt, serialization.BestAvailableEncryption(password)
    )


KEY_FORMS = ["pem", "der", "encrypted-pem-bytes", "encrypted-pem-callable",
             "encrypted-traditional-pem-bytes"]


@pytest.mark.parametrize("form", KEY_FORMS)
def test_use_privatekey_data_forms_serve_python_client(form):
    key = chain().server.key
    calls = []

    def passphrase(*args):
        calls.append(args)
        return PASSWORD

    sctx = SSL.Context(SSL.TLS_METHOD)
    sctx.use_certificate_chain_data(chain_pem(chain().server))
    if form == "pem":
        sctx.use_privatekey_data(key_pem(key))
    elif form == "der":
        sctx.use_privatekey_data(key_der(key))
    elif form == "encrypted-pem-bytes":
        sctx.use_privatekey_data(_encrypted_pem(key), PASSWORD)
    elif form == "encrypted-pem-callable":
        sctx.use_privatekey_data(_encrypted_pem(key), passphrase=passphrase)
        assert calls, "passphrase callable never called"
    else:
        sctx.use_privatekey_data(_encrypted_pem(key, traditional=True), PASSWORD)
    sctx.check_privatekey()

    server_error, result = _python_client_against_our_server(sctx)
    assert server_error is None
    assert result == (b"PING\n", cert_der(chain().server.cert))


@pytest.mark.parametrize(
    "passphrase",
    [b"wrong passphrase", lambda *args: b"wrong passphrase"],
    ids=["bytes", "callable"],
)
def test_use_privatekey_data_wrong_passphrase_is_ssl_error(passphrase):
    ctx = SSL.Context(SSL.TLS_METHOD)
    with pytest.raises(SSL.Error):
        ctx.use_privatekey_data(_encrypted_pem(chain().server.key), passphrase)


def test_use_privatekey_data_encrypted_without_passphrase_is_ssl_error():
    ctx = SSL.Context(SSL.TLS_METHOD)
    with pytest.raises(SSL.Error):
        ctx.use_privatekey_data(_encrypted_pem(chain().server.key))


class _PassphraseProblem(Exception):
    pass


def test_use_privatekey_data_passphrase_callable_exception_propagates():
    raised = []

    def passphrase(*args):
        exc = _PassphraseProblem("no passphrase for you")
        raised.append(exc)
        raise exc

    ctx = SSL.Context(SSL.TLS_METHOD)
    with pytest.raises(_PassphraseProblem) as info:
        ctx.use_privatekey_data(_encrypted_pem(chain().server.key), passphrase)
    assert raised and info.value is raised[0]


def test_use_privatekey_data_mismatched_key_is_detected():
    """Like SSL_CTX_use_PrivateKey, loading a key that does not match the
    certificate may be accepted, but check_privatekey() then fails."""
    ctx = SSL.Context(SSL.TLS_METHOD)
    ctx.use_certificate_chain_data(chain_pem(chain().server))
    try:
        ctx.use_privatekey_data(key_pem(rsa_key(61)))  # RSA, like the cert's key
    except SSL.Error:
        return
    with pytest.raises(SSL.Error):
        ctx.check_privatekey()


def test_use_privatekey_data_rejects_garbage_and_str():
    ctx = SSL.Context(SSL.TLS_METHOD)
    with pytest.raises(SSL.Error):
        ctx.use_privatekey_data(b"\x30\x03\x02\x01\x00")
    with pytest.raises(TypeError):
        ctx.use_privatekey_data(key_pem(chain().server.key).decode("ascii"))


# ===========================================================================
# 7a. ClientHello callback

TLS_AES_128_GCM_SHA256 = 0x1301
ECDHE_RSA_AES128_GCM_SHA256 = 0xC02F
EMPTY_RENEGOTIATION_INFO_SCSV = 0x00FF
EXT_SERVER_NAME = 0
EXT_ALPN = 16
EXT_SUPPORTED_VERSIONS = 43
EXT_KEY_SHARE = 51


def _serve_once_with_python_client(sctx, cctx, *, hostname="localhost",
                                   exchange=True):
    """Our server (over a socket, in this thread) against one Python ssl client.
    Returns (server_exception_or_None, client_result_or_exception)."""
    lsock = loopback_listener()
    try:
        def client_side(tls):
            if exchange:
                tls.sendall(b"ping\n")
                line = read_line(tls.recv)
            else:
                line = None
            return line, tls.getpeercert(binary_form=True), tls.selected_alpn_protocol()

        peer = py_client(cctx, lsock.getsockname()[1], client_side,
                         server_hostname=hostname)
        conn, raw = accept_ours(lsock, sctx)
        server_error = None
        try:
            conn.do_handshake()
            if exchange:
                conn.sendall(read_line_ours(conn).upper())
        except Exception as exc:  # noqa: BLE001 - returned to the test
            server_error = exc
        finally:
            try:
                client_result = peer.join()
            except Exception as exc:  # noqa: BLE001 - returned to the test
                client_result = exc
            raw.close()
    finally:
        lsock.close()
    return server_error, client_result


def test_client_hello_callback_sees_python_tls13_hello():
    hellos = []

    def callback(conn, hello):
        assert isinstance(conn, SSL.Connection)
        hellos.append(hello)
        return True

    sctx = our_server_context()
    sctx.set_alpn_select_callback(lambda conn, protos: b"http/1.1")
    sctx.set_client_hello_callback(callback)
    cctx = py_client_context()
    cctx.set_alpn_protocols(["h2", "http/1.1"])
    server_error, result = _serve_once_with_python_client(sctx, cctx)
    assert server_error is None
    assert result[0] == b"PING\n" and result[2] == "http/1.1"

    (hello,) = hellos
    assert hello.legacy_version == 0x0303
    assert isinstance(hello.supported_versions, list)
    assert 0x0304 in hello.supported_versions and 0x0303 in hello.supported_versions
    assert hello.supported_versions[0] == 0x0304
    assert all(isinstance(s, int) for s in hello.cipher_suites)
    assert TLS_AES_128_GCM_SHA256 in hello.cipher_suites
    assert all(isinstance(e, int) for e in hello.extensions)
    for ext in (EXT_SERVER_NAME, EXT_ALPN, EXT_SUPPORTED_VERSIONS, EXT_KEY_SHARE):
        assert ext in hello.extensions
    assert hello.server_name == "localhost"
    assert hello.alpn_protocols == [b"h2", b"http/1.1"]


def test_client_hello_callback_sees_python_tls12_hello():
    hellos = []
    sctx = our_server_context()
    sctx.set_client_hello_callback(lambda conn, hello: hellos.append(hello) or True)
    cctx = py_client_context(version=TLS12)
    cctx.set_ciphers("ECDHE-RSA-AES128-GCM-SHA256")
    cctx.check_hostname = False
    server_error, result = _serve_once_with_python_client(sctx, cctx, hostname=None)
    assert server_error is None
    assert result[0] == b"PING\n"

    (hello,) = hellos
    assert hello.legacy_version == 0x0303
    assert hello.supported_versions == []
    assert EXT_SUPPORTED_VERSIONS not in hello.extensions
    assert EXT_SERVER_NAME not in hello.extensions
    assert hello.cipher_suites[0] == ECDHE_RSA_AES128_GCM_SHA256
    assert set(hello.cipher_suites) - {EMPTY_RENEGOTIATION_INFO_SCSV} == {
        ECDHE_RSA_AES128_GCM_SHA256
    }
    assert hello.server_name is None
    assert hello.alpn_protocols == []


def test_client_hello_callback_returning_false_aborts():
    calls = []
    sctx = our_server_context()
    sctx.set_client_hello_callback(lambda conn, hello: calls.append(hello) or False)
    server_error, result = _serve_once_with_python_client(sctx, py_client_context())
    assert len(calls) == 1
    assert isinstance(server_error, SSL.Error)
    assert not isinstance(server_error, (SSL.WantReadError, SSL.WantWriteError))
    assert isinstance(result, ssl.SSLError)


class _HelloProblem(Exception):
    pass


def test_client_hello_callback_exception_reraised_from_do_handshake():
    raised = []

    def callback(conn, hello):
        exc = _HelloProblem("refusing %s" % hello.server_name)
        raised.append(exc)
        raise exc

    sctx = our_server_context()
    sctx.set_client_hello_callback(callback)
    server_error, result = _serve_once_with_python_client(sctx, py_client_context())
    assert isinstance(server_error, _HelloProblem)
    assert server_error is raised[0]
    assert str(server_error) == "refusing localhost"
    assert isinstance(result, (ssl.SSLError, OSError))


@pytest.mark.parametrize("name", ["a.example.test", "b.example.test"])
def test_client_hello_callback_set_context_chooses_certificate(name):
    leaf_a = server_leaf("a.example.test", cn="a")
    leaf_b = server_leaf("b.example.test", cn="b")
    ctx_a = our_server_context(leaf_a)
    ctx_b = our_server_context(leaf_b)
    seen = []

    def callback(conn, hello):
        seen.append(hello.server_name)
        if hello.server_name == "b.example.test":
            conn.set_context(ctx_b)
        return True

    ctx_a.set_client_hello_callback(callback)
    server_error, result = _serve_once_with_python_client(
        ctx_a, py_client_context(), hostname=name
    )
    assert server_error is None, server_error
    assert seen == [name]
    expected = leaf_b if name == "b.example.test" else leaf_a
    assert result[1] == cert_der(expected.cert)


@needs_openssl
@pytest.mark.parametrize(
    "args,server_name,alpn",
    [
        (["-servername", "foo.example", "-alpn", "h2,http/1.1"], "foo.example",
         [b"h2", b"http/1.1"]),
        (["-noservername"], None, []),
    ],
    ids=["sni-alpn", "no-sni"],
)
def test_client_hello_callback_with_s_client(args, server_name, alpn):
    hellos = []
    sctx = our_server_context()
    sctx.set_client_hello_callback(lambda conn, hello: hellos.append(hello) or True)
    lsock = loopback_listener()
    port = lsock.getsockname()[1]

    def serve():
        conn, raw = accept_ours(lsock, sctx)
        try:
            conn.do_handshake()
            line = read_line_ours(conn)
            conn.sendall(line.upper())
            return line
        finally:
            raw.close()

    try:
        server = Background(serve)
        result = run_s_client(
            "-connect", "127.0.0.1:%d" % port, "-ign_eof", *args,
            stdin=b"hello\n", timeout=3 * IO_TIMEOUT,
        )
        assert server.join() == b"hello\n"
    finally:
        lsock.close()
    assert b"HELLO" in result.stdout
    (hello,) = hellos
    assert hello.server_name == server_name
    assert hello.alpn_protocols == alpn
    assert hello.legacy_version == 0x0303
    assert 0x0304 in hello.supported_versions
    assert (EXT_SERVER_NAME in hello.extensions) == (server_name is not None)
    assert (EXT_ALPN in hello.extensions) == bool(alpn)


# ===========================================================================
# 7b. PSK

PSK = bytes.fromhex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff")
IDENTITY = "extras-client"
HINT = "extras-hint"


def _psk_contexts(version, *, client_key=PSK, server_key=PSK, log=None):
    log = log if log is not None else {}
    sctx = SSL.Context(SSL.TLS_METHOD)
    cctx = SSL.Context(SSL.TLS_METHOD)
    for ctx in (sctx, cctx):
        ctx.set_min_proto_version(version)
        ctx.set_max_proto_version(version)
        if version == TLS12:
            ctx.set_cipher_list(b"PSK")

    def server_cb(identity):
        log.setdefault("identity", []).append(identity)
        return server_key

    def client_cb(hint):
        log.setdefault("hint", []).append(hint)
        return IDENTITY, client_key

    sctx.set_psk_server_callback(server_cb, identity_hint=HINT)
    cctx.set_psk_client_callback(client_cb)
    return sctx, cctx, log


@pytest.mark.parametrize("version", VERSIONS)
def test_psk_ours_to_ours(version):
    sctx, cctx, log = _psk_contexts(version)
    client, server = bio_pair(sctx, cctx, host=None)
    bio_handshake(client, server)
    assert client.get_peer_certificate() is None  # no certificates at all
    assert log["identity"] == [IDENTITY]
    if version == TLS12:
        assert "PSK" in client.get_cipher_name()
        assert log["hint"] == [HINT]
    else:
        assert client.get_protocol_version_name() == "TLSv1.3"
        assert client.get_cipher_name().endswith("SHA256")
        assert log["hint"] == [None]  # TLS 1.3 has no identity hint
    client.sendall(b"over psk")
    transfer(client, server)
    assert server.recv(100) == b"over psk"


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("problem", ["wrong-key", "server-refuses"])
def test_psk_ours_to_ours_failures(version, problem):
    if problem == "wrong-key":
        sctx, cctx, _ = _psk_contexts(version, client_key=PSK[::-1])
    else:
        sctx, cctx, _ = _psk_contexts(version, server_key=b"")
    client, server = bio_pair(sctx, cctx, host=None)
    side, error = bio_drive_to_failure(client, server)
    assert isinstance(error, SSL.Error)
    assert not isinstance(error, (SSL.WantReadError, SSL.WantWriteError))


def _psk_client_context(version, key=PSK, log=None):
    cctx = SSL.Context(SSL.TLS_METHOD)
    cctx.set_min_proto_version(version)
    cctx.set_max_proto_version(version)
    if version == TLS12:
        cctx.set_cipher_list(b"PSK")

    def client_cb(hint):
        if log is not None:
            log.append(hint)
        return IDENTITY, key

    cctx.set_psk_client_callback(client_cb)
    return cctx


def _s_server_psk(version):
    args = ["-psk", PSK.hex(), "-psk_identity", IDENTITY, "-nocert", "-www"]
    if version == TLS12:
        args += ["-tls1_2", "-cipher", "PSK", "-psk_hint", HINT]
    else:
        args += ["-tls1_3"]
    return OpenSSLServer(*args)


@needs_openssl
@pytest.mark.parametrize("version", VERSIONS)
def test_psk_our_client_with_s_server(version):
    hints = []
    server = _s_server_psk(version)
    try:
        conn, sock = connect_ours(_psk_client_context(version, log=hints), server.port,
                                  host=None)
        try:
            conn.do_handshake()
            reused = conn.session_reused()
            page = _http_get(conn)
        finally:
            sock.close()
        server.finish()
    finally:
        server.stop()
    assert conn.get_peer_certificate() is None
    cipher = conn.get_cipher_name()
    if version == TLS12:
        assert ("New, TLSv1.2, Cipher is %s" % cipher).encode() in page
        assert hints == [HINT]
        assert "PSK" in cipher
    else:
        # an external PSK handshake counts as a resumption in TLS 1.3, for
        # s_server's status page as for SSL_session_reused()
        assert ("Reused, TLSv1.3, Cipher is %s" % cipher).encode() in page
        assert reused is True
        assert cipher.endswith("SHA256")


@needs_openssl
@pytest.mark.parametrize("version", VERSIONS)
def test_psk_our_client_wrong_key_fails_with_s_server(version):
    server = _s_server_psk(version)
    try:
        conn, sock = connect_ours(_psk_client_context(version, key=PSK[::-1]),
                                  server.port, host=None)
        try:
            with pytest.raises(SSL.Error) as info:
                conn.do_handshake()
                _http_get(conn)
        finally:
            sock.close()
    finally:
        server.stop()
    assert not isinstance(info.value, (SSL.WantReadError, SSL.WantWriteError))


@needs_openssl
@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("key_ok", [True, False], ids=["right-key", "wrong-key"])
def test_psk_our_server_with_s_client(version, key_ok):
    sctx, _, log = _psk_contexts(version)
    lsock = loopback_listener()
    port = lsock.getsockname()[1]

    def serve():
        conn, raw = accept_ours(lsock, sctx)
        try:
            conn.do_handshake()
            line = read_line_ours(conn)
            conn.sendall(line.upper())
            return line, conn.get_cipher_name(), conn.get_protocol_version_name()
        finally:
            raw.close()

    key = PSK if key_ok else PSK[::-1]
    args = ["-connect", "127.0.0.1:%d" % port, "-psk", key.hex(),
            "-psk_identity", IDENTITY, "-ign_eof"]
    args += ["-tls1_2", "-cipher", "PSK"] if version == TLS12 else ["-tls1_3"]
    try:
        server = Background(serve)
        result = run_s_client(*args, stdin=b"hello psk\n", timeout=3 * IO_TIMEOUT)
        if key_ok:
            line, cipher, proto = server.join()
        else:
            with pytest.raises(SSL.Error):
                server.join()
    finally:
        lsock.close()
    assert log["identity"] == [IDENTITY]
    if key_ok:
        assert line == b"hello psk\n"
        assert b"HELLO PSK" in result.stdout, result.stdout + result.stderr
        assert proto == {TLS12: "TLSv1.2", TLS13: "TLSv1.3"}[version]
    else:
        assert b"HELLO PSK" not in result.stdout


# ===========================================================================
# 8. kernel TLS: OP_ENABLE_KTLS, sendfile, uses_ktls_send

KTLS_AVAILABLE = os.path.exists("/sys/module/tls")


def test_op_enable_ktls_is_an_int_option():
    assert isinstance(SSL.OP_ENABLE_KTLS, int)
    assert SSL.OP_ENABLE_KTLS == 1 << 3  # SSL_OP_ENABLE_KTLS in OpenSSL 3
    ctx = SSL.Context(SSL.TLS_METHOD)
    assert ctx.set_options(SSL.OP_ENABLE_KTLS) & SSL.OP_ENABLE_KTLS


@pytest.fixture
def payload_file(tmp_path):
    data = os.urandom(300_000)
    path = tmp_path / "payload.bin"
    path.write_bytes(data)
    with open(path, "rb") as f:
        yield f, data


def _read_all_bio(server, client, n):
    transfer(client, server)
    out = b""
    while len(out) < n:
        out += server.recv(n - len(out))
    return out


@pytest.mark.parametrize(
    "offset,count,start,stop",
    [
        (0, None, 0, None),
        (1000, 5000, 1000, 6000),
        (299_000, None, 299_000, None),
        (299_000, 5000, 299_000, None),  # count past EOF: stops at EOF
        (0, 0, 0, 0),
        (300_000, None, 300_000, None),  # offset at EOF: nothing
    ],
)
def test_sendfile_over_memory_bio_falls_back(payload_file, offset, count, start, stop):
    """Kernel TLS needs a socket: over memory BIOs sendfile() always takes the
    read-and-write path."""
    f, data = payload_file
    client, server = bio_pair(our_server_context(), our_client_context())
    bio_handshake(client, server)
    expected = data[start:stop]
    kwargs = {} if count is None else {"count": count}
    sent = client.sendfile(f, offset, **kwargs) if offset else client.sendfile(f, **kwargs)
    assert sent == len(expected)
    assert client.uses_ktls_send() is False
    if expected:
        assert _read_all_bio(server, client, len(expected)) == expected
    transfer(client, server)
    with pytest.raises(SSL.WantReadError):
        server.recv(1)  # nothing beyond what was asked for


def test_sendfile_keywords_over_memory_bio(payload_file):
    f, data = payload_file
    client, server = bio_pair(our_server_context(), our_client_context())
    bio_handshake(client, server)
    assert client.sendfile(file=f, offset=10, count=20) == 20
    assert _read_all_bio(server, client, 20) == data[10:30]


def _sendfile_to_python_server(tmp_path, f, data, *, options=0):
    pctx = py_server_context(tmp_path)

    def handler(tls):
        got = recv_exactly_py(tls, len(data))
        tls.sendall(b"ok\n")
        return got

    with PyTLSServer(pctx, handler) as server:
        cctx = our_client_context()
        if options:
            cctx.set_options(options)
        conn, sock = connect_ours(cctx, server.port)
        try:
            conn.do_handshake()
            sent = conn.sendfile(f)
            ktls = conn.uses_ktls_send()
            assert read_line_ours(conn) == b"ok\n"
        finally:
            sock.close()
        (received,) = server.join()
    return sent, ktls, received


def test_sendfile_to_python_server_without_ktls(tmp_path, payload_file):
    """Without OP_ENABLE_KTLS OpenSSL never hands the keys to the kernel."""
    f, data = payload_file
    sent, ktls, received = _sendfile_to_python_server(tmp_path, f, data)
    assert sent == len(data)
    assert ktls is False
    assert received == data


def test_sendfile_with_op_enable_ktls_falls_back_to_python_server(tmp_path, payload_file):
    """OP_ENABLE_KTLS asks OpenSSL for kernel TLS; on these machines the kernel
    has no ``tls`` module, so OpenSSL keeps encrypting in user space and
    sendfile() must fall back to reading and writing through SSL_write.

    The kernel TLS path itself (uses_ktls_send() True, SSL_sendfile) is NOT
    tested here: it needs a kernel with the ``tls`` module loaded and an
    OpenSSL built with kTLS support."""
    f, data = payload_file
    sent, ktls, received = _sendfile_to_python_server(
        tmp_path, f, data, options=SSL.OP_ENABLE_KTLS
    )
    assert sent == len(data)
    assert received == data
    if not KTLS_AVAILABLE:
        assert ktls is False


def test_sendfile_nonblocking_want_write_reports_bytes_sent(tmp_path):
    conn, csock, tls = _nonblocking_client_to_python(tmp_path)
    try:
        data = os.urandom(1 << 20)
        path = tmp_path / "big.bin"
        path.write_bytes(data)
        with open(path, "rb") as f:
            with pytest.raises((SSL.WantWriteError, SSL.WantReadError)) as info:
                conn.sendfile(f)
            assert conn.uses_ktls_send() is False
            _check_prefix_then_resume(
                conn, csock, tls, data, info.value.bytes_sent,
                lambda offset: conn.sendfile(f, offset),
            )
    finally:
        tls.close()
        csock.close()


def _certificate_with_undecodable_extension():
    """A self-signed certificate whose subjectAltName holds an INTEGER where
    GeneralNames belong: it parses, but OpenSSL cannot decode the extension."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtensionOID, NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "broken san")])
    now = datetime.datetime.now(datetime.timezone.utc)
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(7)
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.UnrecognizedExtension(ExtensionOID.SUBJECT_ALTERNATIVE_NAME, b"\x02\x01\x05"), critical=False)
        .sign(key, hashes.SHA256())
    )


@pytest.mark.ours
def test_a_certificate_with_an_undecodable_extension_leaves_no_error_queued():
    """X509_STORE_add_cert succeeds on such a certificate but queues "invalid
    certificate" (found by the Swift fuzzer); the next caller must find the
    queue empty."""
    from robustness_helpers import error_queue_clear, error_queue_peek

    from OpenSSL import crypto

    certificate = _certificate_with_undecodable_extension()
    error_queue_clear()
    ctx = SSL.Context(SSL.TLS_METHOD)
    ctx.load_verify_data(certificate.public_bytes(serialization.Encoding.PEM))
    assert error_queue_peek() == 0
    ctx.load_verify_data(certificate.public_bytes(serialization.Encoding.DER))
    assert error_queue_peek() == 0
    store = crypto.X509Store()
    store.add_cert(crypto.X509.from_cryptography(certificate))
    assert error_queue_peek() == 0
    ctx.use_certificate_chain_data(certificate.public_bytes(serialization.Encoding.PEM))
    assert error_queue_peek() == 0
    ctx.use_certificate(certificate)
    assert error_queue_peek() == 0
