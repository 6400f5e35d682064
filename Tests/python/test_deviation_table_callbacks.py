"""pyOpenSSL's side of README's deviation-table rows about callbacks
(reference run only; see deviation_table_helpers.py)."""

from __future__ import annotations

import sys
import warnings

import pytest

from conftest import client_context, connection_pair, handshake, pump, server_context
from deviation_table_helpers import assert_crashed, assert_crashed_or_broken, assert_finished
from OpenSSL import SSL

side = pytest.mark.pyopenssl_side

STATE_MACHINE_AREA = (
    "From a callback, a call that runs or resets the same Connection's state machine (`do_handshake`, "
    "`recv`, `send`, `sendall`, `renegotiate`, `DTLSv1_listen`, `DTLSv1_handle_timeout`, `set_accept_state`, "
    "`set_connect_state`, `set_session`, `connect`)")


class VerifyFailed(Exception):
    pass


class OCSPFailed(Exception):
    pass


def raises(exception):
    def callback(*args):
        raise exception("from a callback")
    return callback


@pytest.fixture
def unraisable(monkeypatch):
    """What would have been printed as 'Exception ignored ...'."""
    seen = []
    monkeypatch.setattr(sys, "unraisablehook", lambda info: seen.append(info.exc_value))
    return seen


@side("Exception in a callback")
def test_context_callback_exceptions_wait_for_the_next_call_of_any_connection(pki):
    """Both callbacks raise during one handshake: that call raises the
    first; the second stays on the Context and comes out of another
    Connection's next call."""
    sctx, cctx = server_context(pki.server_ec), client_context(pki)
    cctx.set_verify(SSL.VERIFY_NONE, raises(VerifyFailed))  # VERIFY_NONE: the handshake goes on
    sctx.set_ocsp_server_callback(lambda conn, data: b"")
    cctx.set_ocsp_client_callback(raises(OCSPFailed))
    client, server = connection_pair(sctx, cctx)
    client.request_ocsp()
    with pytest.raises(VerifyFailed):
        handshake(client, server)
    other = SSL.Connection(cctx, None)
    other.set_connect_state()
    with pytest.raises(OCSPFailed):
        other.do_handshake()
    with pytest.raises(SSL.WantReadError):
        other.do_handshake()


@side("Exception in a callback")
def test_connection_verify_callback_exception_is_lost(pki):
    client, server = connection_pair(server_context(pki.server_ec), client_context(pki))
    client.set_verify(SSL.VERIFY_PEER, raises(VerifyFailed))
    with pytest.raises(SSL.Error) as raised:
        handshake(client, server)
    assert not isinstance(raised.value, VerifyFailed)


@side("Exception in a callback")
def test_sni_callback_exception_goes_to_excepthook(pki, monkeypatch):
    hooked = []
    monkeypatch.setattr(sys, "excepthook", lambda kind, value, tb: hooked.append(value))
    sctx = server_context(pki.server_ec)
    sctx.set_tlsext_servername_callback(raises(VerifyFailed))
    client, server = connection_pair(sctx, client_context(pki), host=b"localhost")
    with pytest.raises(SSL.Error):
        handshake(client, server)
    assert [type(value) for value in hooked] == [VerifyFailed]


@side("Exception in a callback")
@pytest.mark.parametrize("setter", ["set_info_callback", "set_keylog_callback"])
def test_info_and_keylog_exceptions_are_only_printed(pki, unraisable, setter):
    sctx = server_context(pki.server_ec)
    getattr(sctx, setter)(raises(VerifyFailed))
    client, server = connection_pair(sctx, client_context(pki))
    handshake(client, server)  # completes
    assert unraisable and all(isinstance(exc, VerifyFailed) for exc in unraisable)


@side("Exception in a void callback (info, keylog) during a call that still moved data")
def test_recv_returns_the_data_and_the_exception_is_printed(pki, unraisable):
    client, server = connection_pair(server_context(pki.server_ec), client_context(pki))
    handshake(client, server)  # the server's session tickets are still on their way
    calls = []

    def info(conn, where, ret):
        calls.append(where)
        raise VerifyFailed("from a callback")

    client.set_info_callback(info)
    server.send(b"hello")
    pump(client, server)
    assert client.recv(100) == b"hello"
    assert calls and len(unraisable) == len(calls)


@side("Replacing a Connection's info callback from inside it")
def test_replacing_the_running_info_callback_crashes(pki):
    assert_crashed(pki, """
        def info(conn, where, ret):
            say("reached")
            conn.set_info_callback(lambda *args: None)
        client, server = conftest.connection_pair(sctx, cctx)
        client.set_info_callback(info)
        conftest.handshake(client, server)
        say("survived")
    """)


REENTER = """
calls = []
def info(conn, where, ret):
    if where & SSL.SSL_CB_LOOP and not calls:
        calls.append(where)
        say("reached")
        try:
            CALL
        except Exception as exc:
            say("inner " + type(exc).__name__)
(sctx if SIDE == "server" else cctx).set_info_callback(info)
client, server = conftest.connection_pair(sctx, cctx)
conftest.handshake(client, server)
say("survived")
"""


@side(STATE_MACHINE_AREA)
@pytest.mark.parametrize("side_name, call", [
    ("client", "conn.set_accept_state()"), ("client", "conn.DTLSv1_listen()"), ("server", "conn.DTLSv1_listen()")])
def test_resetting_the_running_connection_crashes(pki, side_name, call):
    assert_crashed_or_broken(pki, REENTER.replace("CALL", call).replace("SIDE", repr(side_name)))


@side(STATE_MACHINE_AREA)
@pytest.mark.parametrize("call", ["conn.do_handshake()", "conn.recv(10)"])
def test_running_the_state_machine_again_is_let_through(pki, call):
    """No refusal: the nested call runs OpenSSL's state machine (and here
    happens to want more data); the handshake then completes."""
    lines = assert_finished(pki, REENTER.replace("CALL", call).replace("SIDE", repr("client")))
    assert lines[:3] == ["reached", "inner WantReadError", "survived"]


@side("Verify callback after `set_context()`")
def test_verify_callback_of_the_first_context_runs(pki):
    seen = []
    first, second = client_context(pki), client_context(pki)
    first.set_verify(SSL.VERIFY_PEER, lambda conn, cert, errno, depth, ok: seen.append("first") or ok)
    second.set_verify(SSL.VERIFY_PEER, lambda conn, cert, errno, depth, ok: seen.append("second") or ok)
    client, server = connection_pair(server_context(pki.server_ec), first)
    client.set_context(second)
    handshake(client, server)
    assert seen and set(seen) == {"first"}


NOT_CALLABLE_AREA = "A callback argument that is not callable"


@side(NOT_CALLABLE_AREA)
def test_set_verify_and_set_passwd_cb_refuse_a_non_callable():
    ctx = SSL.Context(SSL.TLS_METHOD)
    with pytest.raises(TypeError):
        ctx.set_verify(SSL.VERIFY_PEER, 1)
    with warnings.catch_warnings(), pytest.raises(TypeError):
        warnings.simplefilter("ignore")  # set_passwd_cb is deprecated
        ctx.set_passwd_cb(1)
    with pytest.raises(TypeError):
        SSL.Connection(ctx, None).set_verify(SSL.VERIFY_PEER, 1)


def _alpn(sctx, cctx):
    sctx.set_alpn_select_callback(1)
    cctx.set_alpn_protos([b"h2"])


def _ocsp_client(sctx, cctx):
    sctx.set_ocsp_server_callback(lambda conn, data: b"staple")
    cctx.set_ocsp_client_callback(1)


@side(NOT_CALLABLE_AREA)
@pytest.mark.parametrize("accept, outcome", [
    (lambda sctx, cctx: sctx.set_info_callback(1), "printed"),
    (lambda sctx, cctx: sctx.set_keylog_callback(1), "printed"),
    (_alpn, TypeError),
    (lambda sctx, cctx: sctx.set_ocsp_server_callback(1), TypeError),
    (_ocsp_client, TypeError),
    (lambda sctx, cctx: sctx.set_tlsext_servername_callback(1), SSL.Error),
], ids=["info", "keylog", "alpn", "ocsp-server", "ocsp-client", "servername"])
def test_other_setters_accept_a_non_callable_until_the_handshake(pki, unraisable, monkeypatch, accept, outcome):
    monkeypatch.setattr(sys, "excepthook", lambda *args: None)  # the SNI wrapper prints there
    sctx, cctx = server_context(pki.server_ec), client_context(pki)
    accept(sctx, cctx)
    client, server = connection_pair(sctx, cctx, host=b"localhost")
    client.request_ocsp()
    if outcome == "printed":
        handshake(client, server)
        assert unraisable and all(isinstance(exc, TypeError) for exc in unraisable)
    else:
        with pytest.raises(outcome):
            handshake(client, server)


@side(NOT_CALLABLE_AREA)
def test_cookie_callbacks_and_connection_info_callback_accept_a_non_callable():
    ctx = SSL.Context(SSL.DTLS_METHOD)
    ctx.set_cookie_generate_callback(1)
    ctx.set_cookie_verify_callback(1)
    SSL.Connection(ctx, None).set_info_callback(1)


@side("ALPN select callback returning `b\"\"`")
def test_alpn_empty_selection_is_an_internal_error(pki):
    from handshake_failures import assert_failure, fail_handshake

    sctx = server_context(pki.server_ec)
    sctx.set_alpn_select_callback(lambda conn, offered: b"")
    cctx = client_context(pki)
    cctx.set_alpn_protos([b"h2"])
    client, server = connection_pair(sctx, cctx, host=b"localhost")
    failure = fail_handshake(client, server)
    assert_failure(failure, "server", "internal error", peer_reason="tlsv1 alert internal error")
