"""OpenSSL.SSL.Connection over memory BIOs (Connection(ctx, None)): handshakes,
data transfer, clean shutdown, connection state and argument checking."""

from __future__ import annotations

import socket

import pytest

from OpenSSL import SSL

from conftest import (
    client_context,
    connection_pair,
    drain,
    handshake,
    pump,
    server_context,
    transfer,
)

VERSIONS = [
    pytest.param(SSL.TLS1_2_VERSION, "TLSv1.2", id="tls12"),
    pytest.param(SSL.TLS1_3_VERSION, "TLSv1.3", id="tls13"),
]


def _recv_available(conn):
    """All plaintext that can be read without more input (one record per recv)."""
    chunks = []
    while True:
        try:
            chunks.append(conn.recv(65536))
        except SSL.WantReadError:
            return b"".join(chunks)


def _error_reasons(exc):
    (errors,) = exc.args
    assert isinstance(errors, list)
    for entry in errors:
        assert isinstance(entry, tuple) and len(entry) == 3
        assert all(isinstance(part, str) for part in entry)
    return [entry[2] for entry in errors]


# ---------------------------------------------------------------------------
# construction


def test_connection_requires_a_context():
    with pytest.raises(TypeError):
        SSL.Connection(object(), None)
    with pytest.raises(TypeError):
        SSL.Connection(None)
    with pytest.raises(TypeError):
        SSL.Connection()


def test_connection_socket_defaults_to_none():
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD))
    # a memory-BIO connection: the BIO calls work
    with pytest.raises(SSL.WantReadError):
        conn.bio_read(10)


def test_get_context():
    ctx = SSL.Context(SSL.TLS_METHOD)
    conn = SSL.Connection(ctx, None)
    assert conn.get_context() is ctx


def test_app_data():
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    assert conn.get_app_data() is None
    marker = object()
    assert conn.set_app_data(marker) is None
    assert conn.get_app_data() is marker


def test_connection_app_data_independent_of_context():
    ctx = SSL.Context(SSL.TLS_METHOD)
    ctx.set_app_data("context data")
    conn = SSL.Connection(ctx, None)
    conn.set_app_data("connection data")
    assert ctx.get_app_data() == "context data"
    assert conn.get_app_data() == "connection data"


def test_missing_attribute_without_socket():
    class Named(SSL.Connection):
        pass

    conn = Named(SSL.Context(SSL.TLS_METHOD), None)
    with pytest.raises(AttributeError) as info:
        conn.no_such_thing
    assert "Named" in str(info.value)
    assert "no_such_thing" in str(info.value)
    with pytest.raises(AttributeError):
        conn.fileno()


def test_makefile_not_implemented():
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    with pytest.raises(NotImplementedError):
        conn.makefile()
    with pytest.raises(NotImplementedError):
        conn.makefile("rb", 0)


def test_state_string_is_bytes():
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    state = conn.get_state_string()
    assert isinstance(state, bytes)
    assert state


def test_handshake_without_role_is_error():
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    with pytest.raises(SSL.Error) as info:
        conn.do_handshake()
    assert type(info.value) is SSL.Error
    _error_reasons(info.value)


# ---------------------------------------------------------------------------
# handshakes


@pytest.mark.parametrize("version,name", VERSIONS)
def test_handshake(pki, server_identity, version, name):
    sctx = server_context(server_identity, version=version)
    cctx = client_context(pki, version=version)
    client, server = connection_pair(sctx, cctx, host=b"localhost")

    for conn in (client, server):
        assert conn.get_cipher_name() is None
        assert conn.get_cipher_bits() is None
        assert conn.get_cipher_version() is None

    assert handshake(client, server) is None

    for conn in (client, server):
        assert conn.get_protocol_version_name() == name
        assert conn.get_protocol_version() == version
        cipher = conn.get_cipher_name()
        assert isinstance(cipher, str)
        bits = conn.get_cipher_bits()
        assert type(bits) is int and bits in (128, 256)
        assert conn.get_cipher_version() == name
        assert not conn.want_read()
        assert not conn.want_write()
        assert conn.pending() == 0
        assert conn.get_shutdown() == 0

    assert client.get_cipher_name() == server.get_cipher_name()
    cipher = client.get_cipher_name()
    if version == SSL.TLS1_3_VERSION:
        assert cipher.startswith("TLS_")
    elif server_identity is pki.server_ec:
        assert "ECDSA" in cipher
    else:
        assert "RSA" in cipher and "ECDSA" not in cipher

    peer = client.get_peer_certificate(as_cryptography=True)
    assert peer == server_identity.cert


def test_default_negotiates_tls13(make_pair):
    client, server = make_pair()
    assert client.get_protocol_version_name() == "TLSv1.3"
    assert server.get_protocol_version() == SSL.TLS1_3_VERSION


def test_handshake_driven_by_io(pki):
    # No explicit do_handshake: send/recv complete the handshake themselves.
    client, server = connection_pair(
        server_context(pki.server_ec), client_context(pki), host=b"localhost"
    )
    with pytest.raises(SSL.WantReadError):
        client.send(b"early")
    data = None
    for _ in range(10):
        transfer(client, server)
        try:
            data = server.recv(100)
        except SSL.WantReadError:
            pass
        else:
            break
        transfer(server, client)
        try:
            client.send(b"early")
        except SSL.WantReadError:
            pass
    assert data == b"early"


def test_want_read_during_handshake(pki):
    client = SSL.Connection(client_context(pki), None)
    client.set_connect_state()
    assert not client.want_read()
    with pytest.raises(SSL.WantReadError) as info:
        client.do_handshake()
    assert info.value.args == ()
    assert client.want_read()
    assert not client.want_write()
    hello = drain(client)
    assert hello[:1] == b"\x16"  # a TLS handshake record
    assert hello[1:3] == b"\x03\x01"


@pytest.mark.parametrize("version,name", VERSIONS)
def test_untrusted_server_fails_verification(pki, version, name):
    sctx = server_context(pki.untrusted_server, version=version)
    cctx = client_context(pki, version=version)
    client, server = connection_pair(sctx, cctx, host=b"localhost")

    with pytest.raises(SSL.Error) as info:
        for _ in range(5):
            try:
                client.do_handshake()
            except SSL.WantReadError:
                pass
            transfer(client, server)
            try:
                server.do_handshake()
            except SSL.WantReadError:
                pass
            transfer(server, client)
    assert type(info.value) is SSL.Error
    reasons = _error_reasons(info.value)
    assert any("certificate verify failed" in r for r in reasons), reasons

    # the client told the server why; the server's handshake fails too
    transfer(client, server)
    with pytest.raises(SSL.Error) as server_info:
        server.do_handshake()
    assert not isinstance(server_info.value, SSL.WantReadError)


def test_untrusted_server_accepted_without_verification(pki):
    cctx = client_context(pki, verify=False)
    client, server = connection_pair(
        server_context(pki.untrusted_server), cctx, host=b"localhost"
    )
    handshake(client, server)
    assert client.get_protocol_version_name() == "TLSv1.3"


# ---------------------------------------------------------------------------
# SNI and ALPN


def test_server_name_indication(pki):
    client, server = connection_pair(
        server_context(pki.server_rsa), client_context(pki), host=b"localhost"
    )
    assert server.get_servername() is None
    assert client.get_servername() == b"localhost"
    handshake(client, server)
    assert server.get_servername() == b"localhost"
    assert isinstance(server.get_servername(), bytes)


def test_no_server_name(pki):
    client, server = connection_pair(
        server_context(pki.server_rsa), client_context(pki)
    )
    handshake(client, server)
    assert server.get_servername() is None
    assert client.get_servername() is None


def test_set_tlsext_host_name_requires_bytes():
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    with pytest.raises(TypeError):
        conn.set_tlsext_host_name("localhost")
    with pytest.raises(TypeError):
        conn.set_tlsext_host_name(bytearray(b"localhost"))
    with pytest.raises(TypeError):
        conn.set_tlsext_host_name(None)


def test_set_tlsext_host_name_rejects_nul():
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    with pytest.raises(TypeError):
        conn.set_tlsext_host_name(b"local\x00host")
    assert conn.get_servername() is None


def test_alpn_offered_but_server_has_no_callback(pki):
    cctx = client_context(pki)
    cctx.set_alpn_protos([b"h2", b"http/1.1"])
    client, server = connection_pair(
        server_context(pki.server_ec), cctx, host=b"localhost"
    )
    assert client.get_alpn_proto_negotiated() == b""
    handshake(client, server)
    assert client.get_alpn_proto_negotiated() == b""
    assert server.get_alpn_proto_negotiated() == b""


def test_alpn_on_connection(pki):
    client, server = connection_pair(
        server_context(pki.server_ec), client_context(pki), host=b"localhost"
    )
    assert client.set_alpn_protos([b"http/1.1"]) is None
    with pytest.raises(ValueError):
        client.set_alpn_protos([])
    handshake(client, server)
    assert client.get_alpn_proto_negotiated() == b""


# ---------------------------------------------------------------------------
# data transfer


@pytest.mark.parametrize("version,name", VERSIONS)
def test_data_both_ways(make_pair, version, name):
    client, server = make_pair(version=version)

    assert client.send(b"hello server") == 12
    transfer(client, server)
    assert server.recv(100) == b"hello server"

    assert server.send(b"hello client") == 12
    transfer(server, client)
    assert client.recv(100) == b"hello client"


def test_write_and_read_aliases(make_pair):
    client, server = make_pair()
    assert client.write(b"via write") == 9
    transfer(client, server)
    assert server.read(100) == b"via write"


def test_recv_returns_at_most_bufsiz(make_pair):
    client, server = make_pair()
    client.send(b"hello world")
    transfer(client, server)
    assert server.recv(5) == b"hello"
    assert server.pending() == 6
    assert server.recv(100) == b" world"
    assert server.pending() == 0
    with pytest.raises(SSL.WantReadError):
        server.recv(100)


def test_recv_msg_peek(make_pair):
    client, server = make_pair()
    client.send(b"peekaboo")
    transfer(client, server)
    assert server.recv(4, socket.MSG_PEEK) == b"peek"
    assert server.recv(100, socket.MSG_PEEK) == b"peekaboo"
    assert server.recv(100) == b"peekaboo"
    with pytest.raises(SSL.WantReadError):
        server.recv(100, socket.MSG_PEEK)


def test_recv_into(make_pair):
    client, server = make_pair()
    client.send(b"0123456789")
    transfer(client, server)
    buf = bytearray(4)
    assert server.recv_into(buf) == 4
    assert buf == b"0123"
    buf = bytearray(10)
    assert server.recv_into(buf, 3) == 3
    assert buf[:3] == b"456"
    # nbytes larger than the buffer is clamped to the buffer
    small = bytearray(2)
    assert server.recv_into(small, 100) == 2
    assert small == b"78"
    view = memoryview(bytearray(10))
    assert server.recv_into(view) == 1
    assert bytes(view[:1]) == b"9"


def test_recv_into_peek(make_pair):
    client, server = make_pair()
    client.send(b"abc")
    transfer(client, server)
    buf = bytearray(3)
    assert server.recv_into(buf, flags=socket.MSG_PEEK) == 3
    assert buf == b"abc"
    assert server.recv(3) == b"abc"


@pytest.mark.parametrize("kind", [bytes, bytearray, memoryview])
def test_send_buffer_types(make_pair, kind):
    client, server = make_pair()
    assert client.send(kind(b"buffer")) == 6
    assert client.sendall(kind(b"more")) == 4
    transfer(client, server)
    assert _recv_available(server) == b"buffermore"


def test_send_str_warns_and_works(make_pair):
    client, server = make_pair()
    with pytest.warns(DeprecationWarning) as record:
        assert client.send("text") == 4
    assert "buf" in str(record[0].message)
    assert record[0].filename == __file__
    with pytest.warns(DeprecationWarning):
        assert client.sendall("\u00e9") == 2  # sent as UTF-8
    transfer(client, server)
    assert _recv_available(server) == b"text\xc3\xa9"


def test_bio_write_str_warns(pki):
    conn = SSL.Connection(server_context(pki.server_rsa), None)
    with pytest.warns(DeprecationWarning):
        assert conn.bio_write("abc") == 3


def test_send_partial_write(make_pair):
    client, server = make_pair()
    payload = bytes(range(256)) * 400  # 102400 bytes
    sent = client.send(payload)
    assert 0 < sent <= len(payload)
    transfer(client, server)
    assert _recv_available(server) == payload[:sent]


def test_sendall_large(make_pair):
    client, server = make_pair()
    payload = bytes(range(256)) * 4096  # 1 MiB
    assert client.sendall(payload) == len(payload)
    transfer(client, server)
    assert _recv_available(server) == payload


def test_pending_counts_buffered_plaintext(make_pair):
    client, server = make_pair()
    assert server.pending() == 0
    client.send(b"x" * 1000)
    transfer(client, server)
    assert server.recv(1) == b"x"
    assert server.pending() == 999


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda c: c.send(123), id="send-int"),
        pytest.param(lambda c: c.send(None), id="send-none"),
        pytest.param(lambda c: c.sendall(None), id="sendall-none"),
        pytest.param(lambda c: c.sendall(1.5), id="sendall-float"),
        pytest.param(lambda c: c.write(object()), id="write-object"),
        pytest.param(lambda c: c.recv("10"), id="recv-str"),
        pytest.param(lambda c: c.recv(None), id="recv-none"),
        pytest.param(lambda c: c.read(1.5), id="read-float"),
        pytest.param(lambda c: c.recv_into(b"immutable"), id="recv_into-bytes"),
        pytest.param(lambda c: c.bio_read("10"), id="bio_read-str"),
        pytest.param(lambda c: c.bio_read(None), id="bio_read-none"),
        pytest.param(lambda c: c.bio_write(123), id="bio_write-int"),
        pytest.param(lambda c: c.bio_write(None), id="bio_write-none"),
        pytest.param(lambda c: c.set_shutdown("sent"), id="set_shutdown-str"),
    ],
)
def test_wrong_argument_types(make_pair, call):
    client, server = make_pair()
    client.send(b"data")
    transfer(client, server)
    with pytest.raises(TypeError):
        call(server)


# ---------------------------------------------------------------------------
# memory BIOs


def test_bio_read_empty_is_want_read():
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    with pytest.raises(SSL.WantReadError) as info:
        conn.bio_read(1024)
    assert info.value.args == ()


def test_bio_read_respects_size(pki):
    client = SSL.Connection(client_context(pki), None)
    client.set_connect_state()
    with pytest.raises(SSL.WantReadError):
        client.do_handshake()
    first = client.bio_read(5)
    assert len(first) == 5
    rest = drain(client)
    assert len(rest) > 0
    assert (first + rest)[:1] == b"\x16"


def test_bio_write_returns_count(pki):
    server = SSL.Connection(server_context(pki.server_rsa), None)
    assert server.bio_write(b"\x16\x03\x01") == 3


def test_garbage_input_is_error(pki):
    server = SSL.Connection(server_context(pki.server_rsa), None)
    server.set_accept_state()
    server.bio_write(b"GET / HTTP/1.1\r\nHost: example\r\n\r\n")
    with pytest.raises(SSL.Error) as info:
        server.do_handshake()
    assert not isinstance(info.value, (SSL.WantReadError, SSL.WantWriteError))


@pytest.mark.parametrize("version,name", VERSIONS)
def test_bio_shutdown_then_recv(make_pair, version, name):
    client, server = make_pair(version=version)
    assert server.bio_shutdown() is None
    with pytest.raises(SSL.SysCallError) as info:
        server.recv(100)
    assert info.value.args == (-1, "Unexpected EOF")


def test_bio_shutdown_during_handshake(pki):
    client, server = connection_pair(
        server_context(pki.server_rsa), client_context(pki), host=b"localhost"
    )
    with pytest.raises(SSL.WantReadError):
        client.do_handshake()
    client.bio_shutdown()
    with pytest.raises(SSL.Error) as info:
        client.do_handshake()
    assert not isinstance(info.value, SSL.WantReadError)


# ---------------------------------------------------------------------------
# shutdown


@pytest.mark.parametrize("version,name", VERSIONS)
def test_clean_shutdown(make_pair, version, name):
    client, server = make_pair(version=version)

    assert client.shutdown() is False
    assert client.get_shutdown() == SSL.SENT_SHUTDOWN
    transfer(client, server)

    with pytest.raises(SSL.ZeroReturnError) as info:
        server.recv(100)
    assert info.value.args == ()
    assert server.get_shutdown() == SSL.RECEIVED_SHUTDOWN

    assert server.shutdown() is True
    assert server.get_shutdown() == SSL.SENT_SHUTDOWN | SSL.RECEIVED_SHUTDOWN
    transfer(server, client)

    assert client.shutdown() is True
    assert client.get_shutdown() == SSL.SENT_SHUTDOWN | SSL.RECEIVED_SHUTDOWN


def test_zero_return_repeats(make_pair):
    client, server = make_pair()
    client.shutdown()
    transfer(client, server)
    with pytest.raises(SSL.ZeroReturnError):
        server.recv(10)
    with pytest.raises(SSL.ZeroReturnError):
        server.recv(10)


def test_data_before_close_notify_is_delivered(make_pair):
    client, server = make_pair()
    client.send(b"last words")
    client.shutdown()
    transfer(client, server)
    assert server.recv(100) == b"last words"
    with pytest.raises(SSL.ZeroReturnError):
        server.recv(100)


def test_second_shutdown_waits_for_peer(make_pair):
    client, server = make_pair()
    assert client.shutdown() is False
    # nothing has arrived from the peer yet: a memory BIO says "want read"
    with pytest.raises(SSL.WantReadError):
        client.shutdown()
    assert client.get_shutdown() == SSL.SENT_SHUTDOWN


def test_shutdown_answered_without_recv(make_pair):
    client, server = make_pair()
    client.shutdown()
    transfer(client, server)
    # the server has not read the close_notify yet; its shutdown sends its own
    assert server.shutdown() is False
    transfer(server, client)
    assert client.shutdown() is True
    assert client.get_shutdown() == SSL.SENT_SHUTDOWN | SSL.RECEIVED_SHUTDOWN


def test_set_shutdown(make_pair):
    client, _ = make_pair()
    assert client.get_shutdown() == 0
    assert client.set_shutdown(SSL.SENT_SHUTDOWN) is None
    assert client.get_shutdown() == SSL.SENT_SHUTDOWN
    client.set_shutdown(SSL.SENT_SHUTDOWN | SSL.RECEIVED_SHUTDOWN)
    assert client.get_shutdown() == SSL.SENT_SHUTDOWN | SSL.RECEIVED_SHUTDOWN
    with pytest.raises(TypeError):
        client.set_shutdown(None)


def test_get_shutdown_fresh_connection():
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    assert conn.get_shutdown() == 0


def test_many_connections_from_one_context_pair(pki):
    sctx = server_context(pki.server_ec)
    cctx = client_context(pki)
    for i in range(3):
        client, server = connection_pair(sctx, cctx, host=b"localhost")
        handshake(client, server)
        client.send(b"round %d" % i)
        pump(client, server)
        assert server.recv(100) == b"round %d" % i


# ---------------------------------------------------------------------------
# the GIL over memory BIOs (the measurements behind the rule: benchmarks/gil.py)


def _ticks_during(call):
    """Runs call() while another thread ticks every 0.5 ms; returns (what
    call returned or raised, how many ticks fell inside the call). A call
    that holds the GIL throughout lets no tick in: the ticker needs the GIL
    to read the clock."""
    import threading
    import time

    ticks, stop = [], threading.Event()

    def tick():
        while not stop.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.0005)

    ticker = threading.Thread(target=tick, daemon=True)
    ticker.start()
    time.sleep(0.01)
    start = time.perf_counter()
    try:
        outcome = call()
    except Exception as exc:  # noqa: BLE001 - handed back to the test
        outcome = exc
    end = time.perf_counter()
    stop.set()
    ticker.join(5)
    return outcome, sum(1 for t in ticks if start < t < end)


def test_a_large_memory_bio_sendall_lets_other_threads_run(make_pair):
    """sendall of 32 MiB over memory BIOs releases the GIL around each record
    while 64 KiB or more remain: another thread keeps running meanwhile."""
    client, _server = make_pair()
    sent, inside = _ticks_during(lambda: client.sendall(b"x" * (32 * 1024 * 1024)))
    assert sent == 32 * 1024 * 1024
    assert inside >= 3, inside


def test_memory_bio_handshake_steps_let_other_threads_run(pki):
    """Handshake steps release the GIL over memory BIOs too (with two threads
    on two cores that doubles the handshakes per second)."""
    sctx = server_context(pki.server_rsa)
    cctx = client_context(pki)
    # A build that keeps the GIL gives 0 ticks every time; a loaded machine
    # (other processes on both cores) can starve the ticker for a round, so
    # up to three rounds of ten handshakes.
    totals = []
    for _ in range(3):
        inside_total = 0
        for _ in range(10):
            client, server = connection_pair(sctx, cctx)
            with pytest.raises(SSL.WantReadError):
                client.do_handshake()
            server.bio_write(client.bio_read(65536))
            # the server's first step signs with RSA-2048, the longest step
            outcome, inside = _ticks_during(server.do_handshake)
            assert isinstance(outcome, SSL.WantReadError), outcome
            inside_total += inside
        totals.append(inside_total)
        if inside_total >= 5:
            break
    assert totals[-1] >= 5, totals
