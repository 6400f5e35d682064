"""Python exceptions raised inside callbacks.

pyOpenSSL 26.4 is inconsistent here (see the notes in
reference/pyopenssl-behaviour.md, item 3):

* exceptions from the Context's verify, ALPN and OCSP callbacks, the
  passphrase callback and the DTLS cookie callbacks are re-raised from the
  call that drove the callback;
* an exception from a ``Connection.set_verify`` callback is lost: the
  handshake just fails with ``SSL.Error``;
* an exception from the servername callback goes to ``sys.excepthook`` and
  the handshake fails with ``SSL.Error`` (we follow this one: servers catch
  ``SSL.Error`` per connection);
* info and keylog callbacks are not guarded at all: cffi prints the
  exception and the handshake carries on as if nothing happened.

Apart from the servername callback, we raise every callback's exception from
the call that drove it, with the
OpenSSL error queue left clean. Where the callback can report failure the
operation fails; info and keylog callbacks cannot, so the handshake goes on
and the exception is raised when the driving call returns. Unmarked tests
cover what both implementations do; ``deviation`` tests cover ours.
"""

from __future__ import annotations

import os
import sys
import threading
import traceback

import pytest

sys.path.insert(0, os.path.dirname(__file__))

from OpenSSL import SSL  # noqa: E402

import callback_helpers as H  # noqa: E402
from callback_helpers import (  # noqa: E402
    CallbackError,
    Raiser,
    Recorder,
    client_context,
    connection_pair,
    drain,
    handshake,
    server_context,
    transfer,
)

VERSION_PARAMS = [pytest.param(v, id=i) for i, v, _ in H.VERSIONS]

# pyOpenSSL lets cffi report info/keylog callback exceptions as "unraisable".
quiet_unraisable = pytest.mark.filterwarnings(
    "ignore::pytest.PytestUnraisableExceptionWarning"
)


def _pair(sctx, cctx, host=b"localhost"):
    return connection_pair(sctx, cctx, host=host)


def _raised_in_callback(exc) -> bool:
    """The traceback still reaches into the callback that raised."""
    return any(frame.name == "__call__" for frame in traceback.extract_tb(exc.__traceback__))


class RaiseOnce:
    """Raise a CallbackError the first time ``when(*args)`` is true; otherwise
    behave like *fallback* (or return None)."""

    def __init__(self, when=lambda *args: True, fallback=None):
        self.when = when
        self.fallback = fallback
        self.raised = []
        self.calls = 0

    def __call__(self, *args):
        self.calls += 1
        if not self.raised and self.when(*args):
            exc = CallbackError("raised once inside a callback")
            self.raised.append(exc)
            raise exc
        if self.fallback is not None:
            return self.fallback(*args)
        return None


def _assert_surfaced(side, exc, expected_side, raiser):
    assert side == expected_side
    assert raiser.raised, "the callback was never called"
    assert exc is raiser.raised[0]
    assert _raised_in_callback(exc)


# ---------------------------------------------------------------------------
# Context.set_verify: pyOpenSSL and we agree


@pytest.mark.parametrize("version", VERSION_PARAMS)
def test_context_verify_callback_exception_surfaces(pki, version):
    raiser = Raiser()
    cctx = client_context(pki, version=version)
    cctx.set_verify(SSL.VERIFY_PEER, raiser)
    client, server = _pair(server_context(pki.server_ec, version=version), cctx)
    side, exc = H.drive_to_failure(client, server)

    _assert_surfaced(side, exc, "client", raiser)
    assert len(raiser.raised) == 1  # verification stopped at the exception
    assert isinstance(H.step(server), SSL.Error)  # the peer got an alert
    H.assert_failed_for_good(client, exc)
    H.assert_fresh_handshake_works(pki)


@pytest.mark.parametrize("driver", ["recv", "send"])
def test_context_verify_callback_exception_from_implicit_handshake(pki, driver):
    # a handshake driven by recv/send raises the exception from recv/send
    raiser = Raiser()
    cctx = client_context(pki)
    cctx.set_verify(SSL.VERIFY_PEER, raiser)
    client, server = _pair(server_context(pki.server_ec), cctx)
    call = (lambda: client.recv(100)) if driver == "recv" else (lambda: client.send(b"x"))
    for _ in range(10):
        try:
            call()
        except SSL.WantReadError:
            pass
        except CallbackError as exc:
            assert exc is raiser.raised[0]
            break
        H.step(server)
        transfer(client, server)
        transfer(server, client)
    else:
        raise AssertionError("the callback's exception never surfaced")
    H.assert_fresh_handshake_works(pki)


def test_server_verify_callback_exception_surfaces(pki):
    raiser = Raiser()
    sctx = server_context(pki.server_ec, version=SSL.TLS1_2_VERSION)
    sctx.set_verify(SSL.VERIFY_PEER, raiser)
    sctx.load_verify_locations(str(pki.ca_pem))
    cctx = client_context(pki, version=SSL.TLS1_2_VERSION)
    cctx.use_certificate_chain_file(str(pki.client.chain_pem))
    cctx.use_privatekey_file(str(pki.client.key_pem))
    client, server = _pair(sctx, cctx)
    side, exc = H.drive_to_failure(client, server)
    _assert_surfaced(side, exc, "server", raiser)
    assert isinstance(H.step(client), SSL.Error)
    H.assert_fresh_handshake_works(pki)


# ---------------------------------------------------------------------------
# Connection.set_verify


def test_connection_verify_callback_exception_fails_handshake(pki):
    # common ground: the handshake fails on the client (pyOpenSSL raises a
    # plain SSL.Error, we raise the callback's exception, see below)
    client, server = _pair(server_context(pki.server_ec), client_context(pki))
    client.set_verify(SSL.VERIFY_PEER, Raiser())
    side, exc = H.drive_to_failure(client, server)
    assert side == "client"
    assert isinstance(exc, (SSL.Error, CallbackError))
    assert not isinstance(exc, SSL.WantReadError)
    assert isinstance(H.step(server), SSL.Error)
    H.assert_fresh_handshake_works(pki)


@pytest.mark.deviation
@pytest.mark.parametrize("version", VERSION_PARAMS)
def test_connection_verify_callback_exception_surfaces(pki, version):
    # pyOpenSSL only checks the Context's verify helper, so this exception is
    # lost and the caller sees SSL.Error; we raise it like the Context's.
    raiser = Raiser()
    client, server = _pair(
        server_context(pki.server_ec, version=version), client_context(pki, version=version)
    )
    client.set_verify(SSL.VERIFY_PEER, raiser)
    side, exc = H.drive_to_failure(client, server)
    _assert_surfaced(side, exc, "client", raiser)
    assert isinstance(H.step(server), SSL.Error)
    H.assert_failed_for_good(client, exc)
    H.assert_fresh_handshake_works(pki)


# ---------------------------------------------------------------------------
# servername


def test_servername_callback_exception_fails_handshake(pki, monkeypatch):
    # common ground: the server's handshake fails and the client gets an
    # alert (pyOpenSSL also hands the exception to sys.excepthook)
    monkeypatch.setattr(sys, "excepthook", lambda *args: None)
    sctx = server_context(pki.server_ec)
    sctx.set_tlsext_servername_callback(Raiser())
    client, server = _pair(sctx, client_context(pki))
    side, exc = H.drive_to_failure(client, server)
    assert side == "server"
    assert isinstance(exc, (SSL.Error, CallbackError))
    assert not isinstance(exc, SSL.WantReadError)
    assert isinstance(H.step(client), SSL.Error)
    H.assert_fresh_handshake_works(pki)


def _hook_into(monkeypatch):
    hooked = []
    monkeypatch.setattr(sys, "excepthook", lambda *args: hooked.append(args))
    return hooked


@pytest.mark.parametrize("version", VERSION_PARAMS)
def test_servername_callback_exception_goes_to_excepthook(pki, version, monkeypatch):
    # pyOpenSSL's rule for this callback (followed here): sys.excepthook gets
    # the exception once, with its traceback, and the handshake fails with
    # SSL.Error on the server; the client gets the unrecognized_name alert.
    hooked = _hook_into(monkeypatch)
    raiser = Raiser()
    sctx = server_context(pki.server_ec, version=version)
    sctx.set_tlsext_servername_callback(raiser)
    client, server = _pair(sctx, client_context(pki, version=version))
    side, exc = H.drive_to_failure(client, server)
    assert side == "server" and type(exc) is SSL.Error, exc
    assert [value for _, value, _ in hooked] == raiser.raised
    (kind, value, tb), = hooked
    assert kind is CallbackError and value.__traceback__ is tb
    assert any(frame.name == "__call__" for frame in traceback.extract_tb(tb))
    client_error = H.step(client)
    assert isinstance(client_error, SSL.Error)
    assert "unrecognized name" in str(client_error), client_error
    H.assert_fresh_handshake_works(pki)


def test_servername_callback_exception_after_set_context(pki, monkeypatch):
    # the exception still goes to the hook after the callback switched contexts
    hooked = _hook_into(monkeypatch)
    other = server_context(pki.server_rsa)
    raised = []

    def switch_then_raise(conn):
        conn.set_context(other)
        raised.append(CallbackError("after set_context"))
        raise raised[-1]

    sctx = server_context(pki.server_ec)
    sctx.set_tlsext_servername_callback(switch_then_raise)
    client, server = _pair(sctx, client_context(pki))
    side, exc = H.drive_to_failure(client, server)
    assert side == "server" and type(exc) is SSL.Error
    assert [value for _, value, _ in hooked] == raised
    H.assert_fresh_handshake_works(pki)


@pytest.mark.deviation
def test_servername_callback_keyboard_interrupt_is_raised(pki, monkeypatch):
    # Only Exception goes to the hook. pyOpenSSL's wrapper lets a
    # BaseException escape into cffi, which prints it and lets the handshake
    # go on; here it is raised from the server's driving call.
    hooked = _hook_into(monkeypatch)
    interrupt = KeyboardInterrupt("from the servername callback")

    def interrupted(conn):
        raise interrupt

    sctx = server_context(pki.server_ec)
    sctx.set_tlsext_servername_callback(interrupted)
    client, server = _pair(sctx, client_context(pki))
    assert H.step(client) == "want"  # the ClientHello
    H.transfer(client, server)
    with pytest.raises(KeyboardInterrupt) as info:
        server.do_handshake()
    assert info.value is interrupt and hooked == []


# ---------------------------------------------------------------------------
# ALPN: pyOpenSSL and we agree


@pytest.mark.parametrize("version", VERSION_PARAMS)
def test_alpn_callback_exception_surfaces(pki, version):
    raiser = Raiser()
    sctx = server_context(pki.server_ec, version=version)
    sctx.set_alpn_select_callback(raiser)
    cctx = client_context(pki, version=version)
    cctx.set_alpn_protos([b"h2"])
    client, server = _pair(sctx, cctx)
    side, exc = H.drive_to_failure(client, server)
    _assert_surfaced(side, exc, "server", raiser)
    assert isinstance(H.step(client), SSL.Error)
    H.assert_failed_for_good(server, exc)
    H.assert_fresh_handshake_works(pki)


@pytest.mark.parametrize(
    "result", ["h2", None, 1, bytearray(b"h2"), memoryview(b"h2"), [b"h2"], True],
    ids=["str", "None", "int", "bytearray", "memoryview", "list", "True"],
)
def test_alpn_callback_non_bytes_is_type_error(pki, result):
    sctx = server_context(pki.server_ec)
    sctx.set_alpn_select_callback(Recorder(result=result))
    cctx = client_context(pki)
    cctx.set_alpn_protos([b"h2"])
    client, server = _pair(sctx, cctx)
    side, exc = H.drive_to_failure(client, server)
    assert side == "server"
    assert type(exc) is TypeError
    assert isinstance(H.step(client), SSL.Error)
    H.assert_fresh_handshake_works(pki)


# ---------------------------------------------------------------------------
# OCSP: pyOpenSSL and we agree


def _ocsp_pair(pki, server_cb, client_cb, version=None):
    sctx = server_context(pki.server_rsa, version=version)
    sctx.set_ocsp_server_callback(server_cb)
    cctx = client_context(pki, version=version)
    cctx.set_ocsp_client_callback(client_cb)
    client, server = _pair(sctx, cctx)
    client.request_ocsp()
    return client, server


@pytest.mark.parametrize("version", VERSION_PARAMS)
def test_ocsp_server_callback_exception_surfaces(pki, version):
    raiser = Raiser()
    client, server = _ocsp_pair(pki, raiser, Recorder(result=True), version)
    side, exc = H.drive_to_failure(client, server)
    _assert_surfaced(side, exc, "server", raiser)
    assert isinstance(H.step(client), SSL.Error)
    H.assert_fresh_handshake_works(pki)


@pytest.mark.parametrize(
    "result", ["staple", None, bytearray(b"\x30\x03\x0a\x01\x06"), 0],
    ids=["str", "None", "bytearray", "int"],
)
def test_ocsp_server_callback_non_bytes_is_type_error(pki, result):
    client, server = _ocsp_pair(pki, Recorder(result=result), Recorder(result=True))
    side, exc = H.drive_to_failure(client, server)
    assert side == "server"
    assert type(exc) is TypeError
    H.assert_fresh_handshake_works(pki)


@pytest.mark.parametrize("version", VERSION_PARAMS)
def test_ocsp_client_callback_exception_surfaces(pki, version):
    raiser = Raiser()
    staple = H.ocsp_response_der(pki.server_rsa.cert, pki.ca_cert)
    client, server = _ocsp_pair(pki, Recorder(result=staple), raiser, version)
    side, exc = H.drive_to_failure(client, server)
    _assert_surfaced(side, exc, "client", raiser)
    H.assert_failed_for_good(client, exc)
    H.assert_fresh_handshake_works(pki)


# ---------------------------------------------------------------------------
# passphrase: pyOpenSSL and we agree


def test_passwd_cb_exception_surfaces(pki, tmp_path):
    keyfile = H.encrypted_key_file(tmp_path / "key.pem", pki.server_ec.key, b"pw")
    raiser = Raiser()
    ctx = SSL.Context(SSL.TLS_METHOD)
    H.set_passwd_cb(ctx, raiser)
    with pytest.raises(CallbackError) as info:
        ctx.use_privatekey_file(str(keyfile))
    assert info.value is raiser.raised[0]
    assert _raised_in_callback(info.value)
    H.assert_fresh_handshake_works(pki)


@pytest.mark.parametrize(
    "result", ["pw", None, 1, bytearray(b"pw")], ids=["str", "None", "int", "bytearray"]
)
def test_passwd_cb_non_bytes_is_value_error(pki, tmp_path, result):
    keyfile = H.encrypted_key_file(tmp_path / "key.pem", pki.server_ec.key, b"pw")
    ctx = SSL.Context(SSL.TLS_METHOD)
    H.set_passwd_cb(ctx, Recorder(result=result))
    with pytest.raises(ValueError):
        ctx.use_privatekey_file(str(keyfile))
    H.assert_fresh_handshake_works(pki)


def test_passwd_cb_exception_does_not_stick_to_context(pki, tmp_path):
    keyfile = H.encrypted_key_file(tmp_path / "key.pem", pki.server_ec.key, b"pw")
    calls = []

    def first_fails(maxlen, verify, data):
        calls.append(maxlen)
        if len(calls) == 1:
            raise CallbackError("first attempt")
        return b"pw"

    ctx = SSL.Context(SSL.TLS_METHOD)
    H.set_passwd_cb(ctx, first_fails)
    with pytest.raises(CallbackError):
        ctx.use_privatekey_file(str(keyfile))
    ctx.use_privatekey_file(str(keyfile))
    ctx.use_certificate_file(str(pki.server_ec.cert_pem))
    ctx.check_privatekey()


# ---------------------------------------------------------------------------
# DTLS cookies: pyOpenSSL and we agree (DTLSv1_listen raises)


def _dtls_contexts(pki):
    sctx = SSL.Context(SSL.DTLS_METHOD)
    sctx.use_certificate_chain_file(str(pki.server_ec.chain_pem))
    sctx.use_privatekey_file(str(pki.server_ec.key_pem))
    sctx.set_options(SSL.OP_NO_QUERY_MTU)
    cctx = SSL.Context(SSL.DTLS_METHOD)
    cctx.set_options(SSL.OP_NO_QUERY_MTU)
    return sctx, cctx


def _listen_until_raise(sctx, cctx, rounds=10):
    server = SSL.Connection(sctx, None)
    server.set_accept_state()
    server.set_ciphertext_mtu(1500)
    client = SSL.Connection(cctx, None)
    client.set_connect_state()
    client.set_ciphertext_mtu(1500)
    for _ in range(rounds):
        H.step(client)
        data = drain(client)
        if data:
            server.bio_write(data)
        try:
            server.DTLSv1_listen()
        except SSL.WantReadError:
            pass
        except Exception as exc:  # noqa: BLE001 - returned to the test
            return exc
        data = drain(server)
        if data:
            client.bio_write(data)
    raise AssertionError("DTLSv1_listen never raised")


def test_cookie_generate_exception_surfaces_from_listen(pki):
    raiser = Raiser()
    sctx, cctx = _dtls_contexts(pki)
    sctx.set_cookie_generate_callback(raiser)
    sctx.set_cookie_verify_callback(Recorder(result=True))
    exc = _listen_until_raise(sctx, cctx)
    assert exc is raiser.raised[0]
    H.assert_fresh_handshake_works(pki)


def test_cookie_verify_exception_surfaces_from_listen(pki):
    raiser = Raiser()
    sctx, cctx = _dtls_contexts(pki)
    sctx.set_cookie_generate_callback(Recorder(result=b"cookie"))
    sctx.set_cookie_verify_callback(raiser)
    exc = _listen_until_raise(sctx, cctx)
    assert exc is raiser.raised[0]
    H.assert_fresh_handshake_works(pki)


def test_cookie_too_long_is_value_error(pki):
    sctx, cctx = _dtls_contexts(pki)
    sctx.set_cookie_generate_callback(Recorder(result=b"c" * 256))
    sctx.set_cookie_verify_callback(Recorder(result=True))
    exc = _listen_until_raise(sctx, cctx)
    assert type(exc) is ValueError
    H.assert_fresh_handshake_works(pki)


# ---------------------------------------------------------------------------
# info and keylog callbacks cannot fail the handshake


def _install(kind, side, sctx, cctx, callback):
    ctx = sctx if side == "server" else cctx
    if kind == "info":
        ctx.set_info_callback(callback)
    else:
        ctx.set_keylog_callback(callback)


@quiet_unraisable
@pytest.mark.parametrize("kind", ["info", "keylog"])
@pytest.mark.parametrize("side", ["client", "server"])
def test_void_callback_exception_does_not_break_handshake(pki, kind, side):
    # common ground: pyOpenSSL ignores the exception, we raise it from the
    # driving call; either way the handshake completes and data flows
    raiser = Raiser()
    sctx, cctx = server_context(pki.server_ec), client_context(pki)
    _install(kind, side, sctx, cctx, raiser)
    client, server = _pair(sctx, cctx)
    H.drive_tolerating(client, server, CallbackError)
    assert raiser.raised
    assert client.get_protocol_version_name() == "TLSv1.3"
    # (what happens to data read alongside a raising callback: see below)
    raiser.active = False
    H.exchange_data(client, server)
    H.assert_fresh_handshake_works(pki)


@pytest.mark.deviation
@pytest.mark.parametrize("kind", ["info", "keylog"])
@pytest.mark.parametrize("side", ["client", "server"])
@pytest.mark.parametrize("version", VERSION_PARAMS)
def test_void_callback_exception_raised_from_driving_call(pki, kind, side, version):
    # pyOpenSSL lets cffi print the exception and returns normally; we raise
    # it from the call that fired the callback, after the handshake step.
    once = RaiseOnce()
    sctx = server_context(pki.server_ec, version=version)
    cctx = client_context(pki, version=version)
    _install(kind, side, sctx, cctx, once)
    client, server = _pair(sctx, cctx)
    raised = H.drive_tolerating(client, server, CallbackError)

    assert [(s, e) for s, e in raised] == [(side, once.raised[0])]
    assert _raised_in_callback(raised[0][1])
    if kind == "info":
        assert once.calls > 1  # the callback went on firing after it raised
    H.exchange_data(client, server)
    H.assert_fresh_handshake_works(pki)


@pytest.mark.deviation
def test_info_exception_replaces_want_read_and_handshake_goes_on(pki):
    # the client's first do_handshake would raise WantReadError; the
    # callback's exception wins, yet the ClientHello has been written
    once = RaiseOnce(when=lambda conn, where, ret: where & SSL.SSL_CB_HANDSHAKE_START)
    cctx = client_context(pki)
    cctx.set_info_callback(once)
    client, server = _pair(server_context(pki.server_ec), cctx)
    with pytest.raises(CallbackError) as info:
        client.do_handshake()
    assert info.value is once.raised[0]
    hello = drain(client)
    assert hello[:1] == b"\x16"  # a handshake record
    server.bio_write(hello)
    handshake(client, server)
    H.exchange_data(client, server)


@pytest.mark.deviation
def test_info_exception_raised_by_completing_call(pki):
    # raised by the call that finished the handshake; the handshake stays done
    once = RaiseOnce(when=lambda conn, where, ret: where & SSL.SSL_CB_HANDSHAKE_DONE)
    cctx = client_context(pki, version=SSL.TLS1_2_VERSION)
    cctx.set_info_callback(once)
    client, server = _pair(server_context(pki.server_ec), cctx)
    raised = H.drive_tolerating(client, server, CallbackError)
    assert raised == [("client", once.raised[0])]
    client.do_handshake()  # already complete: returns normally
    assert client.get_protocol_version_name() == "TLSv1.2"
    H.exchange_data(client, server)


@pytest.mark.deviation
def test_info_exception_raised_from_shutdown(pki):
    once = RaiseOnce(when=lambda conn, where, ret: where & SSL.SSL_CB_ALERT)
    client, server = _pair(server_context(pki.server_ec), client_context(pki))
    handshake(client, server)
    client.set_info_callback(once)
    with pytest.raises(CallbackError) as info:
        client.shutdown()
    assert info.value is once.raised[0]
    # close_notify went out all the same
    transfer(client, server)
    with pytest.raises(SSL.ZeroReturnError):
        server.recv(100)


@pytest.mark.deviation
def test_info_exception_during_recv_keeps_application_data(pki):
    # a TLS 1.3 client processes the server's session tickets inside recv,
    # firing the info callback; raising its exception must not lose the
    # application data that recv read along with them
    once = RaiseOnce()
    client, server = _pair(server_context(pki.server_ec), client_context(pki))
    handshake(client, server)
    client.set_info_callback(once)
    server.send(b"do not lose me")
    transfer(server, client)
    received, raised = b"", []
    for _ in range(3):
        try:
            received += client.recv(100)
            break
        except CallbackError as exc:
            raised.append(exc)
        except SSL.WantReadError:
            break
    assert raised == once.raised
    assert received == b"do not lose me"


# ---------------------------------------------------------------------------
# exceptions stay with the Connection whose callback raised them


@pytest.mark.deviation
def test_void_callback_exception_not_seen_by_other_connection(pki):
    # two clients share one Context; only the first one's callback raises
    def when(conn, where, ret):
        return conn.get_app_data() == "raise"

    once = RaiseOnce(when=when)
    cctx = client_context(pki)
    cctx.set_info_callback(once)
    sctx = server_context(pki.server_ec)
    noisy, noisy_server = _pair(sctx, cctx)
    noisy.set_app_data("raise")
    quiet, quiet_server = _pair(sctx, cctx)
    quiet.set_app_data("quiet")

    with pytest.raises(CallbackError):
        noisy.do_handshake()
    assert H.drive_tolerating(quiet, quiet_server, CallbackError) == []
    assert H.drive_tolerating(noisy, noisy_server, CallbackError) == []


@pytest.mark.deviation
def test_exceptions_never_cross_threads(pki):
    # pyOpenSSL keeps verify exceptions in one list on the shared Context and
    # pops the oldest after each call, so with an unlucky interleaving one
    # thread is handed another thread's exception (a narrow race: the
    # reference usually passes this). Ours live on the Connection that fired
    # them, so every thread always gets exactly its own.
    sctx = server_context(pki.server_ec)

    def verify(conn, cert, errnum, depth, ok):
        state = conn.get_app_data()
        if state["raise"]:
            exc = CallbackError(state["name"])
            state["raised"].append(exc)
            raise exc
        return ok

    cctx = client_context(pki)
    cctx.set_verify(SSL.VERIFY_PEER, verify)

    def work(index):
        for round_ in range(15):
            state = {"name": "%d/%d" % (index, round_), "raise": round_ % 2 == 0, "raised": []}
            client, server = _pair(sctx, cctx)
            client.set_app_data(state)
            if state["raise"]:
                side, exc = H.drive_to_failure(client, server)
                assert side == "client"
                assert exc is state["raised"][0], (exc, state)
            else:
                handshake(client, server)
        return threading.get_ident()

    H.run_threads(work, 4)
    H.assert_fresh_handshake_works(pki)


# ---------------------------------------------------------------------------
# NPN (ours only: pyOpenSSL 26 dropped it)


def _npn_pair(pki, advertise, select):
    sctx = server_context(pki.server_ec, version=SSL.TLS1_2_VERSION)
    sctx.set_npn_advertise_callback(advertise)
    cctx = client_context(pki, version=SSL.TLS1_2_VERSION)
    cctx.set_npn_select_callback(select)
    return _pair(sctx, cctx)


@pytest.mark.ours
def test_npn_advertise_exception_surfaces(pki):
    raiser = Raiser()
    client, server = _npn_pair(pki, raiser, Recorder(result=b"http/1.1"))
    side, exc = H.drive_to_failure(client, server)
    _assert_surfaced(side, exc, "server", raiser)
    H.assert_fresh_handshake_works(pki)


@pytest.mark.ours
def test_npn_select_exception_surfaces(pki):
    raiser = Raiser()
    client, server = _npn_pair(pki, Recorder(result=[b"http/1.1"]), raiser)
    side, exc = H.drive_to_failure(client, server)
    _assert_surfaced(side, exc, "client", raiser)
    assert isinstance(H.step(server), SSL.Error)
    H.assert_failed_for_good(client, exc)
    H.assert_fresh_handshake_works(pki)


@pytest.mark.ours
@pytest.mark.parametrize("result", ["http/1.1", None, [b"http/1.1"]], ids=["str", "None", "list"])
def test_npn_select_non_bytes_is_type_error(pki, result):
    client, server = _npn_pair(pki, Recorder(result=[b"http/1.1"]), Recorder(result=result))
    side, exc = H.drive_to_failure(client, server)
    assert side == "client" and type(exc) is TypeError
    H.assert_fresh_handshake_works(pki)


@pytest.mark.ours
@pytest.mark.parametrize("result", [["http/1.1"], None, b"http/1.1"], ids=["strs", "None", "bytes"])
def test_npn_advertise_non_list_of_bytes_is_type_error(pki, result):
    client, server = _npn_pair(pki, Recorder(result=result), Recorder(result=b"x"))
    side, exc = H.drive_to_failure(client, server)
    assert side == "server" and type(exc) is TypeError
    H.assert_fresh_handshake_works(pki)
