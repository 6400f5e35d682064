"""Every OpenSSL.SSL callback, each fired inside a real handshake between two
memory-BIO Connections: what it is called with, when, and what its return
value does. pyOpenSSL 26.4's behaviour unless a test is marked ``ours``."""

from __future__ import annotations

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))

from OpenSSL import SSL, crypto  # noqa: E402

import callback_helpers as H  # noqa: E402
from callback_helpers import (  # noqa: E402
    Recorder,
    client_context,
    connection_pair,
    handshake,
    server_context,
    transfer,
)
from handshake_failures import assert_failure, fail_handshake, reasons  # noqa: E402

VERSION_PARAMS = [pytest.param(v, id=i) for i, v, _ in H.VERSIONS]
VERSION_NAME = {v: n for _, v, n in H.VERSIONS}


def _pair(sctx, cctx, host=b"localhost"):
    return connection_pair(sctx, cctx, host=host)


# ---------------------------------------------------------------------------
# Context.set_verify


class VerifyLog:
    """A verify callback that records ``(conn, cert, errnum, depth, ok)`` and
    returns ``ok`` unless told to return something else."""

    def __init__(self, result="ok"):
        self.result = result
        self.calls = []

    def __call__(self, conn, cert, errnum, depth, ok):
        self.calls.append((conn, cert, errnum, depth, ok))
        return ok if self.result == "ok" else self.result

    @property
    def depths(self):
        return [call[3] for call in self.calls]


@pytest.mark.parametrize("version", VERSION_PARAMS)
def test_verify_callback_arguments_for_each_depth(pki, server_identity, version):
    log = VerifyLog()
    cctx = client_context(pki, version=version)
    cctx.set_verify(SSL.VERIFY_PEER, log)
    client, server = _pair(server_context(server_identity, version=version), cctx)
    handshake(client, server)

    assert client.get_protocol_version_name() == VERSION_NAME[version]
    # the chain is walked from the root (depth 1) down to the leaf (depth 0)
    assert log.depths == [1, 0]
    for conn, cert, errnum, depth, ok in log.calls:
        assert conn is client
        assert isinstance(cert, crypto.X509)
        assert isinstance(errnum, int) and isinstance(depth, int)
        assert isinstance(ok, int)
        assert errnum == SSL.X509VerificationCodes.OK == 0
        assert ok == 1
    assert log.calls[0][1].to_cryptography() == pki.ca_cert
    assert log.calls[1][1].to_cryptography() == server_identity.cert
    H.exchange_data(client, server)


@pytest.mark.parametrize("version", VERSION_PARAMS)
def test_verify_callback_true_accepts_untrusted_chain(pki, version):
    log = VerifyLog(result=True)
    cctx = client_context(pki, version=version)
    cctx.set_verify(SSL.VERIFY_PEER, log)
    client, server = _pair(server_context(pki.untrusted_server, version=version), cctx)
    handshake(client, server)

    # OpenSSL reported the problem (ok == 0, errnum set) and the callback
    # overrode it, so verification went on down to the leaf
    conn, cert, errnum, depth, ok = log.calls[0]
    assert (depth, ok) == (1, 0)
    assert errnum == SSL.X509VerificationCodes.ERR_SELF_SIGNED_CERT_IN_CHAIN
    assert log.depths[-1] == 0
    assert H.peer_cert(client) == pki.untrusted_server.cert
    H.exchange_data(client, server)


@pytest.mark.parametrize("version", VERSION_PARAMS)
def test_verify_callback_false_rejects_trusted_chain(pki, version):
    log = VerifyLog(result=False)
    cctx = client_context(pki, version=version)
    cctx.set_verify(SSL.VERIFY_PEER, log)
    client, server = _pair(server_context(pki.server_ec, version=version), cctx)
    side, exc = H.drive_to_failure(client, server)

    assert side == "client"
    assert isinstance(exc, SSL.Error) and not isinstance(exc, SSL.WantReadError)
    assert reasons(exc) == ["certificate verify failed"]
    # the first rejection stops verification
    assert log.depths == [1]
    assert log.calls[0][4] == 1  # OpenSSL itself was happy with the chain
    # the server learns about it from the client's alert
    assert isinstance(H.step(server), SSL.Error)


@pytest.mark.parametrize(
    "result,accepted",
    [
        (True, True),
        (1, True),
        ("yes", True),
        ([0], True),
        (False, False),
        (0, False),
        ("", False),
        (None, False),  # a callback that forgot to return rejects
    ],
)
def test_verify_callback_return_value_truthiness(pki, result, accepted):
    cctx = client_context(pki)
    cctx.set_verify(SSL.VERIFY_PEER, VerifyLog(result=result))
    # a truthy result must override a failure, a falsy one a success
    identity = pki.untrusted_server if accepted else pki.server_ec
    client, server = _pair(server_context(identity), cctx)
    if accepted:
        handshake(client, server)
        assert H.peer_cert(client) == identity.cert
    else:
        side, exc = H.drive_to_failure(client, server)
        assert side == "client" and isinstance(exc, SSL.Error)
        assert reasons(exc) == ["certificate verify failed"]


def test_verify_callback_returning_ok_keeps_default_verification(pki):
    log = VerifyLog()
    cctx = client_context(pki)
    cctx.set_verify(SSL.VERIFY_PEER, log)
    client, server = _pair(server_context(pki.untrusted_server), cctx)
    side, exc = H.drive_to_failure(client, server)
    assert side == "client" and isinstance(exc, SSL.Error)
    assert reasons(exc) == ["certificate verify failed"]
    assert [(c[2], c[3], c[4]) for c in log.calls] == [
        (SSL.X509VerificationCodes.ERR_SELF_SIGNED_CERT_IN_CHAIN, 1, 0)
    ]


def test_verify_none_still_calls_callback_but_ignores_result(pki):
    # with VERIFY_NONE a client still runs verification (and the callback),
    # but a failure does not stop the handshake
    log = VerifyLog(result=False)
    cctx = SSL.Context(SSL.TLS_METHOD)
    cctx.set_verify(SSL.VERIFY_NONE, log)
    client, server = _pair(server_context(pki.untrusted_server), cctx)
    handshake(client, server)
    assert log.calls and log.calls[0][0] is client
    assert H.peer_cert(client) == pki.untrusted_server.cert


@pytest.mark.parametrize("version", VERSION_PARAMS)
def test_server_verify_callback_sees_client_certificate(pki, version):
    log = VerifyLog()
    sctx = server_context(pki.server_ec, version=version)
    sctx.set_verify(SSL.VERIFY_PEER | SSL.VERIFY_FAIL_IF_NO_PEER_CERT, log)
    sctx.load_verify_locations(str(pki.ca_pem))
    cctx = client_context(pki, version=version)
    cctx.use_certificate_chain_file(str(pki.client.chain_pem))
    cctx.use_privatekey_file(str(pki.client.key_pem))
    client, server = _pair(sctx, cctx)
    handshake(client, server)

    assert log.depths == [1, 0]
    assert all(call[0] is server for call in log.calls)
    assert log.calls[-1][1].to_cryptography() == pki.client.cert
    assert H.peer_cert(server) == pki.client.cert


def test_server_verify_callback_rejects_client_certificate(pki):
    sctx = server_context(pki.server_ec, version=SSL.TLS1_2_VERSION)
    sctx.set_verify(SSL.VERIFY_PEER, VerifyLog(result=False))
    sctx.load_verify_locations(str(pki.ca_pem))
    cctx = client_context(pki, version=SSL.TLS1_2_VERSION)
    cctx.use_certificate_chain_file(str(pki.client.chain_pem))
    cctx.use_privatekey_file(str(pki.client.key_pem))
    client, server = _pair(sctx, cctx)
    side, exc = H.drive_to_failure(client, server)
    assert side == "server" and isinstance(exc, SSL.Error)
    assert reasons(exc) == ["certificate verify failed"]


def test_server_verify_callback_not_called_without_client_certificate(pki):
    log = VerifyLog(result=False)
    sctx = server_context(pki.server_ec)
    sctx.set_verify(SSL.VERIFY_PEER, log)
    sctx.load_verify_locations(str(pki.ca_pem))
    client, server = _pair(sctx, client_context(pki))
    handshake(client, server)
    assert log.calls == []
    assert server.get_peer_certificate() is None


def test_verify_callback_cert_outlives_connection(pki):
    log = VerifyLog()
    cctx = client_context(pki)
    cctx.set_verify(SSL.VERIFY_PEER, log)
    client, server = _pair(server_context(pki.server_rsa), cctx)
    handshake(client, server)
    certs = [call[1] for call in log.calls]
    log.calls.clear()
    del client, server, cctx
    H.collect()
    assert [c.to_cryptography() for c in certs] == [pki.ca_cert, pki.server_rsa.cert]


@pytest.mark.parametrize("bad", [1, "callback", object()])
def test_set_verify_callback_must_be_callable(bad):
    with pytest.raises(TypeError):
        SSL.Context(SSL.TLS_METHOD).set_verify(SSL.VERIFY_PEER, bad)
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    with pytest.raises(TypeError):
        conn.set_verify(SSL.VERIFY_PEER, bad)


def test_set_verify_none_callback_uses_default_verification(pki):
    cctx = client_context(pki)
    cctx.set_verify(SSL.VERIFY_PEER, None)
    client, server = _pair(server_context(pki.untrusted_server), cctx)
    side, exc = H.drive_to_failure(client, server)
    assert side == "client" and isinstance(exc, SSL.Error)
    assert reasons(exc) == ["certificate verify failed"]


# ---------------------------------------------------------------------------
# Connection.set_verify


@pytest.mark.parametrize("version", VERSION_PARAMS)
def test_connection_set_verify_callback(pki, version):
    log = VerifyLog(result=True)
    cctx = client_context(pki, version=version, verify=False)
    client, server = _pair(server_context(pki.untrusted_server, version=version), cctx)
    client.set_verify(SSL.VERIFY_PEER, log)
    assert client.get_verify_mode() == SSL.VERIFY_PEER
    assert cctx.get_verify_mode() == SSL.VERIFY_NONE
    handshake(client, server)
    assert log.calls and all(call[0] is client for call in log.calls)
    assert log.depths[-1] == 0
    H.exchange_data(client, server)


def test_connection_set_verify_callback_rejects(pki):
    log = VerifyLog(result=False)
    client, server = _pair(server_context(pki.server_ec), client_context(pki))
    client.set_verify(SSL.VERIFY_PEER, log)
    side, exc = H.drive_to_failure(client, server)
    assert side == "client" and isinstance(exc, SSL.Error)
    assert reasons(exc) == ["certificate verify failed"]
    assert log.depths == [1]


def test_connection_set_verify_overrides_context_callback(pki):
    from_context, from_connection = VerifyLog(), VerifyLog()
    cctx = client_context(pki)
    cctx.set_verify(SSL.VERIFY_PEER, from_context)
    sctx = server_context(pki.server_ec)
    overridden, server_a = _pair(sctx, cctx)
    overridden.set_verify(SSL.VERIFY_PEER, from_connection)
    plain, server_b = _pair(sctx, cctx)
    handshake(overridden, server_a)
    handshake(plain, server_b)
    assert [c[0] for c in from_connection.calls] == [overridden, overridden]
    assert [c[0] for c in from_context.calls] == [plain, plain]


def test_connection_set_verify_without_callback_keeps_context_callback(pki):
    # SSL_set_verify with a NULL callback changes only the mode
    log = VerifyLog(result=True)
    cctx = client_context(pki)
    cctx.set_verify(SSL.VERIFY_PEER, log)
    client, server = _pair(server_context(pki.untrusted_server), cctx)
    client.set_verify(SSL.VERIFY_PEER | SSL.VERIFY_CLIENT_ONCE)
    assert client.get_verify_mode() == SSL.VERIFY_PEER | SSL.VERIFY_CLIENT_ONCE
    handshake(client, server)
    assert log.calls and log.calls[0][0] is client


def test_connection_set_verify_replaced(pki):
    first, second = VerifyLog(result=False), VerifyLog(result=True)
    client, server = _pair(server_context(pki.untrusted_server), client_context(pki))
    client.set_verify(SSL.VERIFY_PEER, first)
    client.set_verify(SSL.VERIFY_PEER, second)
    handshake(client, server)
    assert first.calls == []
    assert second.calls


# ---------------------------------------------------------------------------
# info callbacks


class InfoLog:
    def __init__(self):
        self.events = []
        self.conns = []

    def __call__(self, conn, where, ret):
        self.conns.append(conn)
        self.events.append((where, ret))

    def index(self, flag):
        return next(i for i, (where, _) in enumerate(self.events) if where & flag)


@pytest.mark.parametrize("version", VERSION_PARAMS)
def test_context_info_callback_both_sides(pki, version):
    client_log, server_log = InfoLog(), InfoLog()
    sctx = server_context(pki.server_ec, version=version)
    sctx.set_info_callback(server_log)
    cctx = client_context(pki, version=version)
    cctx.set_info_callback(client_log)
    client, server = _pair(sctx, cctx)
    handshake(client, server)

    for log, conn, role_loop, role_exit, other_loop in (
        (client_log, client, SSL.SSL_CB_CONNECT_LOOP, SSL.SSL_CB_CONNECT_EXIT,
         SSL.SSL_CB_ACCEPT_LOOP),
        (server_log, server, SSL.SSL_CB_ACCEPT_LOOP, SSL.SSL_CB_ACCEPT_EXIT,
         SSL.SSL_CB_CONNECT_LOOP),
    ):
        assert all(c is conn for c in log.conns)
        assert all(isinstance(w, int) and isinstance(r, int) for w, r in log.events)
        assert log.events[0] == (SSL.SSL_CB_HANDSHAKE_START, 1)
        assert log.index(SSL.SSL_CB_HANDSHAKE_DONE) > 0
        loops = [(w, r) for w, r in log.events if w & SSL.SSL_CB_LOOP]
        assert loops and all(w == role_loop and r == 1 for w, r in loops)
        assert not [w for w, _ in log.events if w & other_loop == other_loop]
        # the handshake ends with an exit from the state machine
        assert (role_exit, 1) in log.events


def test_connection_info_callback_overrides_context_callback(pki):
    from_context, from_connection = InfoLog(), InfoLog()
    cctx = client_context(pki)
    cctx.set_info_callback(from_context)
    sctx = server_context(pki.server_ec)
    overridden, server_a = _pair(sctx, cctx)
    overridden.set_info_callback(from_connection)
    plain, server_b = _pair(sctx, cctx)
    handshake(overridden, server_a)
    handshake(plain, server_b)
    assert from_connection.conns and set(map(id, from_connection.conns)) == {id(overridden)}
    assert from_context.conns and set(map(id, from_context.conns)) == {id(plain)}
    assert from_connection.events[0] == (SSL.SSL_CB_HANDSHAKE_START, 1)


def test_connection_info_callback_without_context_callback(pki):
    log = InfoLog()
    client, server = _pair(server_context(pki.server_ec), client_context(pki))
    server.set_info_callback(log)
    handshake(client, server)
    assert all(c is server for c in log.conns)
    assert log.index(SSL.SSL_CB_HANDSHAKE_START) < log.index(SSL.SSL_CB_HANDSHAKE_DONE)


def test_connection_info_callback_replaced(pki):
    first, second = InfoLog(), InfoLog()
    client, server = _pair(server_context(pki.server_ec), client_context(pki))
    client.set_info_callback(first)
    client.set_info_callback(second)
    handshake(client, server)
    assert first.events == []
    assert second.events


@pytest.mark.parametrize("version", VERSION_PARAMS)
def test_info_callback_sees_close_notify(pki, version):
    client_log, server_log = InfoLog(), InfoLog()
    client, server = _pair(
        server_context(pki.server_ec, version=version), client_context(pki, version=version)
    )
    client.set_info_callback(client_log)
    server.set_info_callback(server_log)
    handshake(client, server)
    H.exchange_data(client, server)
    del client_log.events[:], server_log.events[:]

    assert client.shutdown() is False
    transfer(client, server)
    with pytest.raises(SSL.ZeroReturnError):
        server.recv(100)
    close_notify = (H.ALERT_WARNING, H.ALERT_CLOSE_NOTIFY)
    assert H.alert_events(client_log.events, SSL.SSL_CB_WRITE_ALERT) == [close_notify]
    assert H.alert_events(server_log.events, SSL.SSL_CB_READ_ALERT) == [close_notify]


def test_info_callback_sees_fatal_alert(pki):
    client_log, server_log = InfoLog(), InfoLog()
    client, server = _pair(server_context(pki.untrusted_server), client_context(pki))
    client.set_info_callback(client_log)
    server.set_info_callback(server_log)
    side, exc = H.drive_to_failure(client, server)
    assert side == "client"
    assert reasons(exc) == ["certificate verify failed"]
    H.step(server)
    sent = H.alert_events(client_log.events, SSL.SSL_CB_WRITE_ALERT)
    received = H.alert_events(server_log.events, SSL.SSL_CB_READ_ALERT)
    assert len(sent) == 1 and sent[0][0] == H.ALERT_FATAL
    assert received == sent


# ---------------------------------------------------------------------------
# keylog


@pytest.mark.parametrize("version", VERSION_PARAMS)
def test_keylog_callback_lines(pki, version):
    client_lines, server_lines = [], []
    client_conns, server_conns = [], []
    sctx = server_context(pki.server_ec, version=version)
    sctx.set_keylog_callback(
        lambda conn, line: (server_conns.append(conn), server_lines.append(line))
    )
    cctx = client_context(pki, version=version)
    cctx.set_keylog_callback(
        lambda conn, line: (client_conns.append(conn), client_lines.append(line))
    )
    client, server = _pair(sctx, cctx)
    handshake(client, server)

    assert all(c is client for c in client_conns)
    assert all(c is server for c in server_conns)
    random_hex = client.client_random().hex().encode()
    for lines in (client_lines, server_lines):
        for line in lines:
            assert type(line) is bytes
            assert b"\n" not in line and b"\r" not in line and b"\x00" not in line
            label, client_random, secret = line.split(b" ")
            assert client_random == random_hex
            assert secret and bytes.fromhex(secret.decode())
    # both ends log the very same secrets
    assert sorted(client_lines) == sorted(server_lines)
    labels = {line.split(b" ")[0] for line in client_lines}
    if version == SSL.TLS1_2_VERSION:
        master_hex = client.master_key().hex().encode()
        assert client_lines == [b"CLIENT_RANDOM " + random_hex + b" " + master_hex]
    else:
        assert labels == H.TLS13_KEYLOG_LABELS
        assert len(client_lines) == len(labels)


def test_keylog_callback_on_one_side_only(pki):
    lines = []
    sctx = server_context(pki.server_ec)
    sctx.set_keylog_callback(lambda conn, line: lines.append(line))
    client, server = _pair(sctx, client_context(pki))
    handshake(client, server)
    assert {line.split(b" ")[0] for line in lines} == H.TLS13_KEYLOG_LABELS
    H.exchange_data(client, server)


# ---------------------------------------------------------------------------
# passphrase


@pytest.mark.parametrize("traditional", [False, True], ids=["pkcs8", "traditional"])
def test_passwd_cb_with_userdata(pki, tmp_path, traditional):
    keyfile = H.encrypted_key_file(
        tmp_path / "key.pem", pki.server_ec.key, b"s3cret pass", traditional
    )
    userdata = {"what": "userdata"}
    calls = []

    def passphrase(maxlen, verify, data):
        calls.append((maxlen, verify, data))
        return b"s3cret pass"

    sctx = SSL.Context(SSL.TLS_METHOD)
    H.set_passwd_cb(sctx, passphrase, userdata)
    sctx.use_certificate_chain_file(str(pki.server_ec.chain_pem))
    sctx.use_privatekey_file(str(keyfile))
    sctx.check_privatekey()

    assert len(calls) == 1
    maxlen, verify, data = calls[0]
    assert isinstance(maxlen, int) and maxlen >= len(b"s3cret pass")
    assert not verify  # loading a key never asks to confirm the passphrase
    assert data is userdata

    client, server = _pair(sctx, client_context(pki))
    handshake(client, server)
    assert H.peer_cert(client) == pki.server_ec.cert


def test_passwd_cb_userdata_defaults_to_none(pki, tmp_path):
    keyfile = H.encrypted_key_file(tmp_path / "key.pem", pki.server_ec.key, b"pw")
    rec = Recorder(result=b"pw")
    ctx = SSL.Context(SSL.TLS_METHOD)
    H.set_passwd_cb(ctx, rec)
    ctx.use_privatekey_file(str(keyfile))
    assert len(rec.calls) == 1 and rec.calls[0][2] is None


def test_passwd_cb_is_deprecated():
    with pytest.warns(DeprecationWarning):
        SSL.Context(SSL.TLS_METHOD).set_passwd_cb(lambda *args: b"pw")


def test_passwd_cb_wrong_passphrase(pki, tmp_path):
    keyfile = H.encrypted_key_file(tmp_path / "key.pem", pki.server_ec.key, b"right")
    for wrong in (b"wrong", b""):
        ctx = SSL.Context(SSL.TLS_METHOD)
        H.set_passwd_cb(ctx, lambda *args: wrong)
        with pytest.raises(SSL.Error):
            ctx.use_privatekey_file(str(keyfile))
    H.assert_fresh_handshake_works(pki)


def test_passwd_cb_not_called_for_unencrypted_key(pki):
    rec = Recorder(result=b"unused")
    ctx = SSL.Context(SSL.TLS_METHOD)
    H.set_passwd_cb(ctx, rec)
    ctx.use_certificate_file(str(pki.server_ec.cert_pem))
    ctx.use_privatekey_file(str(pki.server_ec.key_pem))
    ctx.check_privatekey()
    assert rec.calls == []


def test_passwd_cb_replaced(pki, tmp_path):
    keyfile = H.encrypted_key_file(tmp_path / "key.pem", pki.server_ec.key, b"second")
    first, second = Recorder(result=b"first"), Recorder(result=b"second")
    ctx = SSL.Context(SSL.TLS_METHOD)
    H.set_passwd_cb(ctx, first, "one")
    H.set_passwd_cb(ctx, second, "two")
    ctx.use_privatekey_file(str(keyfile))
    assert first.calls == []
    assert [c[2] for c in second.calls] == ["two"]


def test_passwd_cb_must_be_callable():
    with pytest.raises(TypeError):
        H.set_passwd_cb(SSL.Context(SSL.TLS_METHOD), b"not callable")


# ---------------------------------------------------------------------------
# server name indication


@pytest.mark.parametrize("version", VERSION_PARAMS)
def test_servername_callback_switches_context(pki, version):
    first = server_context(pki.server_rsa, version=version)
    second = server_context(pki.server_ec, version=version)
    seen = []

    def on_servername(conn):
        seen.append((conn, conn.get_servername(), conn.get_context()))
        conn.set_context(second)
        seen.append((conn, conn.get_servername(), conn.get_context()))

    first.set_tlsext_servername_callback(on_servername)
    client, server = _pair(first, client_context(pki, version=version))
    handshake(client, server)

    assert seen == [
        (server, b"localhost", first),
        (server, b"localhost", second),
    ]
    assert seen[0][2] is first and seen[1][2] is second
    # the client was served the certificate of the context switched to
    assert H.peer_cert(client) == pki.server_ec.cert
    assert server.get_context() is second
    assert server.get_servername() == b"localhost"
    assert client.get_protocol_version_name() == VERSION_NAME[version]
    H.exchange_data(client, server)


def test_servername_callback_without_servername(pki):
    rec = Recorder()
    names = []
    sctx = server_context(pki.server_ec)
    sctx.set_tlsext_servername_callback(
        lambda conn: (rec(conn), names.append(conn.get_servername()))
    )
    client, server = _pair(sctx, client_context(pki), host=None)
    handshake(client, server)
    # OpenSSL calls it for every ClientHello, with or without the extension
    assert [c[0] for c in rec.calls] == [server]
    assert names == [None]


@pytest.mark.parametrize("result", [None, False, 0, 3, "ignored"])
def test_servername_callback_return_value_ignored(pki, result):
    sctx = server_context(pki.server_ec)
    sctx.set_tlsext_servername_callback(Recorder(result=result))
    client, server = _pair(sctx, client_context(pki), host=b"any.example")
    handshake(client, server)
    assert server.get_servername() == b"any.example"


def test_servername_switched_context_supplies_later_callbacks(pki):
    # after set_context the new context's ALPN and info callbacks are used
    first = server_context(pki.server_rsa)
    second = server_context(pki.server_ec)
    first_alpn, second_alpn = Recorder(result=b"http/1.1"), Recorder(result=b"h2")
    first.set_alpn_select_callback(first_alpn)
    second.set_alpn_select_callback(second_alpn)
    second_info = InfoLog()
    second.set_info_callback(second_info)
    first.set_tlsext_servername_callback(lambda conn: conn.set_context(second))
    cctx = client_context(pki)
    cctx.set_alpn_protos([b"h2", b"http/1.1"])
    client, server = _pair(first, cctx)
    handshake(client, server)
    assert first_alpn.calls == []
    assert [c[0] for c in second_alpn.calls] == [server]
    assert client.get_alpn_proto_negotiated() == b"h2"
    assert any(w & SSL.SSL_CB_HANDSHAKE_DONE for w, _ in second_info.events)


# ---------------------------------------------------------------------------
# ALPN


@pytest.mark.parametrize("version", VERSION_PARAMS)
def test_alpn_select_callback(pki, version):
    rec = Recorder(result=b"http/1.1")
    sctx = server_context(pki.server_ec, version=version)
    sctx.set_alpn_select_callback(rec)
    cctx = client_context(pki, version=version)
    cctx.set_alpn_protos([b"h2", b"http/1.1", b"x" * 200])
    client, server = _pair(sctx, cctx)
    handshake(client, server)

    assert len(rec.calls) == 1
    conn, offered = rec.calls[0]
    assert conn is server
    assert type(offered) is list
    assert offered == [b"h2", b"http/1.1", b"x" * 200]
    assert client.get_alpn_proto_negotiated() == b"http/1.1"
    assert server.get_alpn_proto_negotiated() == b"http/1.1"


def test_alpn_offered_on_connection(pki):
    rec = Recorder(result=b"spdy/2")
    sctx = server_context(pki.server_ec)
    sctx.set_alpn_select_callback(rec)
    client, server = _pair(sctx, client_context(pki))
    client.set_alpn_protos([b"spdy/2"])
    handshake(client, server)
    assert rec.calls[0][1] == [b"spdy/2"]
    assert client.get_alpn_proto_negotiated() == b"spdy/2"


@pytest.mark.parametrize("version", VERSION_PARAMS)
def test_alpn_no_overlapping_protocols(pki, version):
    sctx = server_context(pki.server_ec, version=version)
    sctx.set_alpn_select_callback(Recorder(result=SSL.NO_OVERLAPPING_PROTOCOLS))
    cctx = client_context(pki, version=version)
    cctx.set_alpn_protos([b"h2"])
    client, server = _pair(sctx, cctx)
    handshake(client, server)
    assert client.get_alpn_proto_negotiated() == b""
    assert server.get_alpn_proto_negotiated() == b""
    H.exchange_data(client, server)


@pytest.mark.parametrize("version", VERSION_PARAMS)
def test_alpn_empty_bytes_aborts_handshake(pki, version):
    sctx = server_context(pki.server_ec, version=version)
    sctx.set_alpn_select_callback(Recorder(result=b""))
    cctx = client_context(pki, version=version)
    cctx.set_alpn_protos([b"h2"])
    client, server = _pair(sctx, cctx)
    failure = fail_handshake(client, server)
    # pyOpenSSL 26.4 passes b"" to OpenSSL as the selection, whose copy of it
    # fails ("internal error"); ours refuses it as no protocol chosen (see
    # the deviation test below). Either way only the server gives up.
    assert_failure(failure, "server", ("internal error", "no application protocol"))
    assert isinstance(failure.peer_error, SSL.Error)
    H.assert_fresh_handshake_works(pki)


@pytest.mark.deviation
@pytest.mark.parametrize("version", VERSION_PARAMS)
def test_alpn_empty_bytes_is_no_application_protocol(pki, version):
    sctx = server_context(pki.server_ec, version=version)
    sctx.set_alpn_select_callback(Recorder(result=b""))
    cctx = client_context(pki, version=version)
    cctx.set_alpn_protos([b"h2"])
    client, server = _pair(sctx, cctx)
    assert_failure(fail_handshake(client, server), "server", "no application protocol",
                   peer_reason="tlsv1 alert no application protocol")


def test_alpn_callback_not_called_when_client_offers_nothing(pki):
    rec = Recorder(result=b"h2")
    sctx = server_context(pki.server_ec)
    sctx.set_alpn_select_callback(rec)
    client, server = _pair(sctx, client_context(pki))
    handshake(client, server)
    assert rec.calls == []
    assert server.get_alpn_proto_negotiated() == b""


# ---------------------------------------------------------------------------
# OCSP stapling


def _ocsp_contexts(pki, version, server_cb, client_cb, server_data=None, client_data=None):
    sctx = server_context(pki.server_rsa, version=version)
    sctx.set_ocsp_server_callback(server_cb, server_data)
    cctx = client_context(pki, version=version)
    cctx.set_ocsp_client_callback(client_cb, client_data)
    return sctx, cctx


@pytest.mark.parametrize("version", VERSION_PARAMS)
def test_ocsp_stapling(pki, version):
    staple = H.ocsp_response_der(pki.server_rsa.cert, pki.ca_cert)
    server_data, client_data = object(), ["client", "data"]
    server_cb, client_cb = Recorder(result=staple), Recorder(result=True)
    sctx, cctx = _ocsp_contexts(pki, version, server_cb, client_cb, server_data, client_data)
    client, server = _pair(sctx, cctx)
    client.request_ocsp()
    handshake(client, server)

    assert len(server_cb.calls) == 1
    conn, data = server_cb.calls[0]
    assert conn is server and data is server_data
    assert len(client_cb.calls) == 1
    conn, received, data = client_cb.calls[0]
    assert conn is client and data is client_data
    assert type(received) is bytes
    assert received == staple
    H.exchange_data(client, server)


@pytest.mark.parametrize("version", VERSION_PARAMS)
def test_ocsp_server_empty_bytes_client_sees_empty(pki, version):
    client_cb = Recorder(result=True)
    sctx, cctx = _ocsp_contexts(pki, version, Recorder(result=b""), client_cb)
    client, server = _pair(sctx, cctx)
    client.request_ocsp()
    handshake(client, server)
    assert [(c[0], c[1], c[2]) for c in client_cb.calls] == [(client, b"", None)]


def test_ocsp_small_response_passes_through(pki):
    staple = H.ocsp_unsuccessful_der()
    client_cb = Recorder(result=True)
    sctx, cctx = _ocsp_contexts(pki, None, Recorder(result=staple), client_cb)
    client, server = _pair(sctx, cctx)
    client.request_ocsp()
    handshake(client, server)
    assert client_cb.calls[0][1] == staple


@pytest.mark.parametrize("version", VERSION_PARAMS)
@pytest.mark.parametrize("result", [False, 0, None, ""])
def test_ocsp_client_false_fails_handshake(pki, version, result):
    staple = H.ocsp_response_der(pki.server_rsa.cert, pki.ca_cert)
    client_cb = Recorder(result=result)
    sctx, cctx = _ocsp_contexts(pki, version, Recorder(result=staple), client_cb)
    client, server = _pair(sctx, cctx)
    client.request_ocsp()
    failure = fail_handshake(client, server)
    # the client's refusal, sent as a bad_certificate_status_response alert
    assert_failure(failure, "client", "invalid status response",
                   peer_reason="tlsv1 bad certificate status response")
    assert [(c[0], c[1]) for c in client_cb.calls] == [(client, staple)]
    H.assert_fresh_handshake_works(pki)


@pytest.mark.parametrize("result", [True, 1, "yes", [None]])
def test_ocsp_client_truthy_accepts(pki, result):
    client_cb = Recorder(result=result)
    sctx, cctx = _ocsp_contexts(pki, None, Recorder(result=b""), client_cb)
    client, server = _pair(sctx, cctx)
    client.request_ocsp()
    handshake(client, server)
    # the callback was asked, and its truthy answer let the handshake finish
    assert [(c[0], c[1], c[2]) for c in client_cb.calls] == [(client, b"", None)]
    H.exchange_data(client, server)


def test_ocsp_callbacks_not_called_without_request(pki):
    server_cb, client_cb = Recorder(result=b"unused"), Recorder(result=False)
    sctx, cctx = _ocsp_contexts(pki, None, server_cb, client_cb)
    client, server = _pair(sctx, cctx)
    handshake(client, server)
    assert server_cb.calls == [] and client_cb.calls == []


def test_ocsp_request_without_client_callback(pki):
    staple = H.ocsp_response_der(pki.server_rsa.cert, pki.ca_cert)
    server_cb = Recorder(result=staple)
    sctx = server_context(pki.server_rsa)
    sctx.set_ocsp_server_callback(server_cb)
    client, server = _pair(sctx, client_context(pki))
    client.request_ocsp()
    handshake(client, server)
    assert [c[0] for c in server_cb.calls] == [server]
    assert server_cb.calls[0][1] is None


# ---------------------------------------------------------------------------
# DTLS cookies


def _dtls_contexts(pki):
    sctx = SSL.Context(SSL.DTLS_METHOD)
    sctx.use_certificate_chain_file(str(pki.server_ec.chain_pem))
    sctx.use_privatekey_file(str(pki.server_ec.key_pem))
    sctx.set_options(SSL.OP_NO_QUERY_MTU)
    cctx = SSL.Context(SSL.DTLS_METHOD)
    cctx.set_options(SSL.OP_NO_QUERY_MTU)
    cctx.set_verify(SSL.VERIFY_PEER)
    cctx.load_verify_locations(str(pki.ca_pem))
    return sctx, cctx


def _dtls_pair(sctx, cctx):
    server = SSL.Connection(sctx, None)
    server.set_accept_state()
    client = SSL.Connection(cctx, None)
    client.set_connect_state()
    # a memory BIO has no MTU for OpenSSL to query
    client.set_ciphertext_mtu(1500)
    server.set_ciphertext_mtu(1500)
    return client, server


def _datagrams(source, dest):
    moved = 0
    while True:
        try:
            datagram = source.bio_read(65536)
        except SSL.WantReadError:
            return moved
        dest.bio_write(datagram)
        moved += 1


def dtls_listen_and_handshake(client, server, rounds=30):
    """Client handshake against DTLSv1_listen, then the server's handshake."""
    listened = False
    done = set()
    for _ in range(rounds):
        if "client" not in done and H.step(client) is None:
            done.add("client")
        _datagrams(client, server)
        if not listened:
            try:
                server.DTLSv1_listen()
            except SSL.WantReadError:
                pass
            else:
                listened = True
        elif "server" not in done and H.step(server) is None:
            done.add("server")
        _datagrams(server, client)
        if done == {"client", "server"}:
            return
    raise AssertionError("DTLS handshake did not complete: %r" % done)


def test_dtls_cookie_callbacks(pki):
    generated, verified = [], []

    def generate(conn):
        generated.append(conn)
        return b"cookie:%d" % len(generated)

    def verify(conn, cookie):
        verified.append((conn, cookie))
        return cookie == b"cookie:1"

    sctx, cctx = _dtls_contexts(pki)
    sctx.set_cookie_generate_callback(generate)
    sctx.set_cookie_verify_callback(verify)
    client, server = _dtls_pair(sctx, cctx)
    dtls_listen_and_handshake(client, server)

    assert generated == [server]
    assert verified and all(conn is server for conn, _ in verified)
    assert {cookie for _, cookie in verified} == {b"cookie:1"}
    assert type(verified[0][1]) is bytes
    client.send(b"over dtls")
    _datagrams(client, server)
    assert server.recv(100) == b"over dtls"


# ---------------------------------------------------------------------------
# NPN: dropped from pyOpenSSL (it is still in the documented API we cover)


def _npn_contexts(pki, version, advertise, select):
    sctx = server_context(pki.server_ec, version=version)
    sctx.set_npn_advertise_callback(advertise)
    cctx = client_context(pki, version=version)
    cctx.set_npn_select_callback(select)
    return sctx, cctx


@pytest.mark.ours
def test_npn_negotiation_tls12(pki):
    advertise = Recorder(result=[b"spdy/2", b"http/1.1"])
    select = Recorder(result=b"http/1.1")
    sctx, cctx = _npn_contexts(pki, SSL.TLS1_2_VERSION, advertise, select)
    client, server = _pair(sctx, cctx)
    assert client.get_next_proto_negotiated() == b""
    handshake(client, server)

    assert [c[0] for c in advertise.calls] == [server]
    assert len(select.calls) == 1
    conn, offered = select.calls[0]
    assert conn is client
    assert offered == [b"spdy/2", b"http/1.1"]
    assert client.get_next_proto_negotiated() == b"http/1.1"
    assert server.get_next_proto_negotiated() == b"http/1.1"
    H.exchange_data(client, server)


@pytest.mark.ours
def test_npn_does_not_disturb_tls13(pki):
    advertise = Recorder(result=[b"http/1.1"])
    select = Recorder(result=b"http/1.1")
    sctx, cctx = _npn_contexts(pki, None, advertise, select)
    client, server = _pair(sctx, cctx)
    handshake(client, server)
    assert client.get_protocol_version_name() == "TLSv1.3"
    assert advertise.calls == [] and select.calls == []
    assert client.get_next_proto_negotiated() == b""
    assert server.get_next_proto_negotiated() == b""
    H.exchange_data(client, server)


@pytest.mark.ours
def test_npn_alongside_alpn_tls13(pki):
    sctx, cctx = _npn_contexts(pki, None, Recorder(result=[b"h2"]), Recorder(result=b"h2"))
    sctx.set_alpn_select_callback(Recorder(result=b"h2"))
    cctx.set_alpn_protos([b"h2"])
    client, server = _pair(sctx, cctx)
    handshake(client, server)
    assert client.get_alpn_proto_negotiated() == b"h2"
    assert client.get_next_proto_negotiated() == b""


# ---------------------------------------------------------------------------
# every callback receives the very Connection object the user holds


class TracedConnection(SSL.Connection):
    pass


def test_callbacks_receive_the_users_connection_subclass(pki, tmp_path):
    seen = []

    def note(name, *rest):
        def callback(conn, *args):
            seen.append((name, conn, conn.role))
            return rest[0] if rest else None

        return callback

    staple = H.ocsp_response_der(pki.server_rsa.cert, pki.ca_cert)
    sctx = server_context(pki.server_rsa)
    sctx.set_info_callback(note("server info"))
    sctx.set_keylog_callback(note("server keylog"))
    sctx.set_tlsext_servername_callback(note("servername"))
    sctx.set_alpn_select_callback(note("alpn", b"h2"))
    sctx.set_ocsp_server_callback(note("ocsp server", staple))
    sctx.set_verify(SSL.VERIFY_PEER, note("server verify", True))
    cctx = client_context(pki)
    cctx.set_verify(SSL.VERIFY_PEER, note("client verify", True))
    cctx.set_info_callback(note("client info"))
    cctx.set_keylog_callback(note("client keylog"))
    cctx.set_ocsp_client_callback(note("ocsp client", True))
    cctx.set_alpn_protos([b"h2"])
    cctx.use_certificate_chain_file(str(pki.client.chain_pem))
    cctx.use_privatekey_file(str(pki.client.key_pem))

    server = TracedConnection(sctx, None)
    server.role = "server"
    server.set_accept_state()
    client = TracedConnection(cctx, None)
    client.role = "client"
    client.set_connect_state()
    client.set_tlsext_host_name(b"localhost")
    client.request_ocsp()
    handshake(client, server)

    names = {name for name, _, _ in seen}
    assert names == {
        "server info", "server keylog", "servername", "alpn", "ocsp server",
        "server verify", "client verify", "client info", "client keylog",
        "ocsp client",
    }
    for name, conn, role in seen:
        expected = client if name.startswith(("client", "ocsp client")) else server
        assert conn is expected, name
        assert type(conn) is TracedConnection
        assert role == expected.role


# ---------------------------------------------------------------------------
# callbacks that call back into their own Connection and Context, in one
# thread or in several at once


def _reentrant_setup(pki, problems):
    """Contexts whose callbacks all use their Connection/Context; failed
    checks are appended to *problems* (info/keylog exceptions would be
    swallowed by pyOpenSSL)."""

    def checked(fn):
        def callback(*args):
            try:
                return fn(*args)
            except Exception as exc:  # noqa: BLE001 - reported by the test
                problems.append((fn.__name__, repr(exc)))
                raise

        callback.__name__ = fn.__name__
        return callback

    staple = H.ocsp_response_der(pki.server_rsa.cert, pki.ca_cert)
    second = server_context(pki.server_rsa)
    first = server_context(pki.server_ec)
    cctx = client_context(pki)

    @checked
    def client_info(conn, where, ret):
        if where & SSL.SSL_CB_HANDSHAKE_START and conn.get_servername() is None:
            conn.set_tlsext_host_name(b"reentry.example")
        assert type(conn.get_state_string()) is bytes
        assert conn.get_context() is cctx
        assert conn.get_app_data()["role"] == "client"
        assert conn.get_servername() == b"reentry.example"
        assert conn.get_cipher_name() is None or type(conn.get_cipher_name()) is str
        random = conn.client_random()
        assert random is None or len(random) == 32

    @checked
    def client_verify(conn, cert, errnum, depth, ok):
        assert conn.get_servername() == b"reentry.example"
        assert conn.get_context() is cctx
        assert conn.get_verify_mode() == SSL.VERIFY_PEER
        conn.get_app_data()["verified"].append(depth)
        return ok

    @checked
    def client_keylog(conn, line):
        assert line.split(b" ")[1] == conn.client_random().hex().encode()

    @checked
    def client_ocsp(conn, ocsp_bytes, data):
        assert data is cctx
        assert conn.get_context() is data
        assert H.peer_cert(conn) == pki.server_rsa.cert
        return ocsp_bytes == staple

    @checked
    def servername(conn):
        assert conn.get_servername() == b"reentry.example"
        assert conn.get_context() is first
        conn.set_context(second)
        assert conn.get_context() is second
        conn.get_app_data()["switched"] = True

    @checked
    def alpn(conn, offered):
        assert conn.get_context() is second
        assert conn.get_app_data()["switched"] is True
        assert conn.get_servername() == b"reentry.example"
        return offered[-1]

    @checked
    def server_ocsp(conn, data):
        assert conn.get_context() is second
        assert conn.get_servername() == b"reentry.example"
        return staple

    @checked
    def server_info(conn, where, ret):
        assert conn.get_context() in (first, second)
        assert conn.get_app_data()["role"] == "server"
        assert type(conn.get_state_string()) is bytes

    cctx.set_info_callback(client_info)
    cctx.set_verify(SSL.VERIFY_PEER, client_verify)
    cctx.set_keylog_callback(client_keylog)
    cctx.set_ocsp_client_callback(client_ocsp, cctx)
    cctx.set_alpn_protos([b"h2", b"http/1.1"])
    first.set_tlsext_servername_callback(servername)
    first.set_info_callback(server_info)
    second.set_info_callback(server_info)
    second.set_alpn_select_callback(alpn)
    second.set_ocsp_server_callback(server_ocsp)
    return first, cctx


def _reentrant_handshake(sctx, cctx):
    client, server = _pair(sctx, cctx, host=None)
    client.set_app_data({"role": "client", "verified": []})
    server.set_app_data({"role": "server", "switched": False})
    client.request_ocsp()
    handshake(client, server)
    assert client.get_app_data()["verified"] == [1, 0]
    assert server.get_app_data()["switched"] is True
    assert server.get_servername() == b"reentry.example"
    assert client.get_alpn_proto_negotiated() == b"http/1.1"
    H.exchange_data(client, server)


def test_callbacks_reenter_their_connection_and_context(pki):
    problems = []
    sctx, cctx = _reentrant_setup(pki, problems)
    _reentrant_handshake(sctx, cctx)
    assert problems == []


def test_reentrant_callbacks_in_threads(pki):
    problems = []
    sctx, cctx = _reentrant_setup(pki, problems)

    def work(index):
        for _ in range(10):
            _reentrant_handshake(sctx, cctx)

    H.run_threads(work, 4)
    assert problems == []


def test_parallel_handshakes_fire_callbacks_for_their_own_connections(pki):
    import threading

    mismatches, counts = [], {}
    lock = threading.Lock()

    def note(kind, conn):
        if conn.get_app_data() != threading.get_ident():
            mismatches.append((kind, conn.get_app_data(), threading.get_ident()))
        with lock:
            counts[kind] = counts.get(kind, 0) + 1

    def verify(conn, cert, errnum, depth, ok):
        note("verify", conn)
        return ok

    sctx = server_context(pki.server_ec)
    sctx.set_info_callback(lambda conn, where, ret: note("server info", conn))
    cctx = client_context(pki)
    cctx.set_verify(SSL.VERIFY_PEER, verify)
    cctx.set_info_callback(lambda conn, where, ret: note("client info", conn))
    rounds, threads = 15, 6

    def work(index):
        for _ in range(rounds):
            client, server = _pair(sctx, cctx)
            client.set_app_data(threading.get_ident())
            server.set_app_data(threading.get_ident())
            handshake(client, server)
            H.exchange_data(client, server)

    H.run_threads(work, threads)
    assert mismatches == []
    assert counts["verify"] == 2 * rounds * threads
    assert counts["client info"] > rounds * threads
    assert counts["server info"] > rounds * threads


@pytest.mark.parametrize("shared", [True, False], ids=["shared-context", "own-context"])
def test_callbacks_run_in_several_threads_at_once(pki, shared):
    # every thread waits inside its verify callback until all of them are
    # inside one: a lock held around callbacks would break the barrier
    import threading

    count = 4
    barrier = threading.Barrier(count, timeout=H.IO_TIMEOUT)
    sctx = server_context(pki.server_ec)

    def verify(conn, cert, errnum, depth, ok):
        if depth == 0:
            barrier.wait()
        return ok

    def make_client_context():
        ctx = client_context(pki)
        ctx.set_verify(SSL.VERIFY_PEER, verify)
        return ctx

    common = make_client_context()

    def work(index):
        client, server = _pair(sctx, common if shared else make_client_context())
        handshake(client, server)
        H.exchange_data(client, server)
        return client.get_protocol_version_name()

    assert H.run_threads(work, count, timeout=3 * H.IO_TIMEOUT) == ["TLSv1.3"] * count
    assert not barrier.broken


def test_socket_handshakes_in_threads_fire_callbacks(pki):
    # Connection(ctx, sock): callbacks fire from inside blocking OpenSSL calls
    import socket
    import threading

    from conftest import arm_socket_watchdog

    seen = []

    def verify(conn, cert, errnum, depth, ok):
        seen.append(("verify", conn))
        return ok

    second = server_context(pki.server_rsa)
    second.set_alpn_select_callback(lambda conn, offered: seen.append(("alpn", conn)) or offered[0])
    sctx = server_context(pki.server_ec)
    sctx.set_tlsext_servername_callback(
        lambda conn: (seen.append(("servername", conn)), conn.set_context(second))
    )
    cctx = client_context(pki)
    cctx.set_verify(SSL.VERIFY_PEER, verify)
    cctx.set_info_callback(lambda conn, where, ret: seen.append(("info", conn)))
    cctx.set_alpn_protos([b"h2"])
    pairs = 4
    sockets = [socket.socketpair() for _ in range(pairs)]
    conns = []
    for a, b in sockets:
        for sock in (a, b):
            sock.settimeout(None)
            arm_socket_watchdog(sock)
        client = SSL.Connection(cctx, a)
        client.set_connect_state()
        client.set_tlsext_host_name(b"localhost")
        server = SSL.Connection(sctx, b)
        server.set_accept_state()
        conns += [client, server]

    def work(index):
        conn = conns[index]
        conn.do_handshake()
        if index % 2 == 0:
            conn.sendall(b"hello %d" % index)
            return conn.recv(100)
        data = conn.recv(100)
        conn.sendall(data.upper())
        return data

    try:
        results = H.run_threads(work, 2 * pairs)
    finally:
        for a, b in sockets:
            a.close()
            b.close()
    for index in range(pairs):
        assert results[2 * index] == b"HELLO %d" % (2 * index)
        client, server = conns[2 * index], conns[2 * index + 1]
        assert client.get_alpn_proto_negotiated() == b"h2"
        assert server.get_context() is second
        assert H.peer_cert(client) == pki.server_rsa.cert
    kinds = {}
    for kind, conn in seen:
        kinds.setdefault(kind, set()).add(id(conn))
    clients = {id(c) for c in conns[0::2]}
    servers = {id(c) for c in conns[1::2]}
    assert kinds == {"verify": clients, "info": clients, "alpn": servers, "servername": servers}
