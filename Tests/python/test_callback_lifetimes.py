"""Who keeps callbacks (and the data handed along with them) alive, and for
how long: held strongly once set, released when replaced or when their
Context/Connection goes away, collectable when they refer back to their own
Context or Connection, and never leaked by handshakes."""

from __future__ import annotations

import os
import sys
import weakref

import pytest

sys.path.insert(0, os.path.dirname(__file__))

from OpenSSL import SSL  # noqa: E402

import callback_helpers as H  # noqa: E402
from callback_helpers import (  # noqa: E402
    CallbackError,
    Recorder,
    client_context,
    collect,
    connection_pair,
    handshake,
    server_context,
)


def _pair(sctx, cctx, host=b"localhost"):
    return connection_pair(sctx, cctx, host=host)


def _alive(ref) -> bool:
    collect()
    return ref() is not None


# ---------------------------------------------------------------------------
# one entry per Context callback setter: where it goes, what the callback
# returns, and what a handshake needs for it to fire


class Setter:
    def __init__(self, name, side, install, result=None, prepare=None, fires=True):
        self.name = name
        self.side = side  # which Context it goes on: "client" or "server"
        self.install = install  # install(ctx, callback)
        self.result = result
        self.prepare = prepare  # prepare(client, server) before the handshake
        self.fires = fires  # fires in a plain TLS handshake

    def __repr__(self):
        return self.name


def _request_ocsp(client, server):
    client.request_ocsp()


def _offer_alpn(client, server):
    client.set_alpn_protos([b"h2"])


SETTERS = [
    Setter("verify", "client", lambda ctx, cb: ctx.set_verify(SSL.VERIFY_PEER, cb), True),
    Setter("info", "client", lambda ctx, cb: ctx.set_info_callback(cb)),
    Setter("keylog", "client", lambda ctx, cb: ctx.set_keylog_callback(cb)),
    Setter("servername", "server", lambda ctx, cb: ctx.set_tlsext_servername_callback(cb)),
    Setter("alpn", "server", lambda ctx, cb: ctx.set_alpn_select_callback(cb), b"h2", _offer_alpn),
    Setter("ocsp_server", "server", lambda ctx, cb: ctx.set_ocsp_server_callback(cb), b"", _request_ocsp),
    Setter("ocsp_client", "client", lambda ctx, cb: ctx.set_ocsp_client_callback(cb), True, _request_ocsp),
    Setter("passwd", "server", lambda ctx, cb: H.set_passwd_cb(ctx, cb), b"pw", fires=False),
    Setter("cookie_generate", "server", lambda ctx, cb: ctx.set_cookie_generate_callback(cb), b"c", fires=False),
    Setter("cookie_verify", "server", lambda ctx, cb: ctx.set_cookie_verify_callback(cb), True, fires=False),
]
SETTER_PARAMS = [pytest.param(s, id=s.name) for s in SETTERS]

NPN_SETTERS = [
    Setter("npn_advertise", "server", lambda ctx, cb: ctx.set_npn_advertise_callback(cb), [b"h2"], fires=False),
    Setter("npn_select", "client", lambda ctx, cb: ctx.set_npn_select_callback(cb), b"h2", fires=False),
]
NPN_PARAMS = [pytest.param(s, id=s.name, marks=pytest.mark.ours) for s in NPN_SETTERS]
ALL_SETTER_PARAMS = SETTER_PARAMS + NPN_PARAMS


def _contexts(pki):
    return server_context(pki.server_ec), client_context(pki)


def _install(setter, sctx, cctx, callback):
    setter.install(sctx if setter.side == "server" else cctx, callback)


def _handshake_firing(setter, sctx, cctx):
    client, server = _pair(sctx, cctx)
    if setter.prepare:
        setter.prepare(client, server)
    handshake(client, server)
    return client, server


@pytest.mark.parametrize("setter", ALL_SETTER_PARAMS)
def test_context_holds_callback_strongly(pki, setter):
    sctx, cctx = _contexts(pki)
    callback = Recorder(result=setter.result)
    ref = weakref.ref(callback)
    _install(setter, sctx, cctx, callback)
    del callback
    assert _alive(ref)
    if setter.fires:
        client, server = _handshake_firing(setter, sctx, cctx)
        assert ref().calls and ref().calls[0][0] in (client, server)


@pytest.mark.parametrize("setter", ALL_SETTER_PARAMS)
def test_replaced_callback_is_released(pki, setter):
    sctx, cctx = _contexts(pki)
    first, second = Recorder(result=setter.result), Recorder(result=setter.result)
    first_ref, second_ref = weakref.ref(first), weakref.ref(second)
    _install(setter, sctx, cctx, first)
    _install(setter, sctx, cctx, second)
    del first, second
    assert not _alive(first_ref)
    assert _alive(second_ref)
    if setter.fires:
        _handshake_firing(setter, sctx, cctx)
        assert second_ref().calls


@pytest.mark.parametrize("setter", ALL_SETTER_PARAMS)
def test_callback_released_with_context(pki, setter):
    sctx, cctx = _contexts(pki)
    callback = Recorder(result=setter.result)
    ref = weakref.ref(callback)
    _install(setter, sctx, cctx, callback)
    del callback
    if setter.fires:
        client, server = _handshake_firing(setter, sctx, cctx)
        del client, server
    del sctx, cctx
    assert not _alive(ref)


@pytest.mark.parametrize("setter", [s for s in SETTER_PARAMS if s.values[0].fires])
def test_connection_keeps_context_callbacks_alive(pki, setter):
    sctx, cctx = _contexts(pki)
    callback = Recorder(result=setter.result)
    ref = weakref.ref(callback)
    _install(setter, sctx, cctx, callback)
    client, server = _pair(sctx, cctx)
    if setter.prepare:
        setter.prepare(client, server)
    del callback, sctx, cctx
    assert _alive(ref)
    handshake(client, server)
    assert ref().calls
    H.exchange_data(client, server)
    del client, server
    assert not _alive(ref)


@pytest.mark.parametrize("setter", ALL_SETTER_PARAMS)
def test_refused_replacement_on_used_context_keeps_old_callback(pki, setter):
    # a Context that made a Connection is frozen: the new callback is refused
    # (and not kept), the old one stays in force
    sctx, cctx = _contexts(pki)
    old, new = Recorder(result=setter.result), Recorder(result=setter.result)
    new_ref = weakref.ref(new)
    _install(setter, sctx, cctx, old)
    _pair(sctx, cctx)
    with pytest.raises(ValueError):
        _install(setter, sctx, cctx, new)
    del new
    assert not _alive(new_ref)
    if setter.fires:
        _handshake_firing(setter, sctx, cctx)
        assert old.calls


def test_ocsp_data_held_until_replaced_or_context_dies(pki):
    class Data:
        pass

    ctx = SSL.Context(SSL.TLS_METHOD)
    first, second = Data(), Data()
    first_ref, second_ref = weakref.ref(first), weakref.ref(second)
    ctx.set_ocsp_server_callback(Recorder(result=b""), first)
    del first
    assert _alive(first_ref)
    ctx.set_ocsp_client_callback(Recorder(result=True), second)
    del second
    assert not _alive(first_ref)
    assert _alive(second_ref)
    del ctx
    assert not _alive(second_ref)


def test_ocsp_data_reaches_callback_after_user_dropped_it(pki):
    class Data:
        pass

    staple = H.ocsp_response_der(pki.server_rsa.cert, pki.ca_cert)
    sctx = server_context(pki.server_rsa)
    data = Data()
    data.staple = staple
    sctx.set_ocsp_server_callback(lambda conn, d: d.staple, data)
    got = []
    cctx = client_context(pki)
    cctx.set_ocsp_client_callback(lambda conn, ocsp_bytes, d: got.append(ocsp_bytes) or True)
    del data
    collect()
    client, server = _pair(sctx, cctx)
    client.request_ocsp()
    handshake(client, server)
    assert got == [staple]


def test_passwd_userdata_held_until_replaced_or_context_dies(pki, tmp_path):
    class Data:
        pass

    keyfile = H.encrypted_key_file(tmp_path / "key.pem", pki.server_ec.key, b"pw")
    ctx = SSL.Context(SSL.TLS_METHOD)
    first, second = Data(), Data()
    first_ref, second_ref = weakref.ref(first), weakref.ref(second)
    seen = []
    H.set_passwd_cb(ctx, lambda n, v, d: seen.append(d) or b"pw", first)
    del first
    assert _alive(first_ref)
    H.set_passwd_cb(ctx, lambda n, v, d: seen.append(d) or b"pw", second)
    del second
    assert not _alive(first_ref)
    ctx.use_privatekey_file(str(keyfile))
    assert seen == [second_ref()]
    del seen[:], ctx
    assert not _alive(second_ref)


# ---------------------------------------------------------------------------
# Connection callbacks


CONNECTION_SETTERS = {
    "verify": lambda conn, cb: conn.set_verify(SSL.VERIFY_PEER, cb),
    "info": lambda conn, cb: conn.set_info_callback(cb),
}


@pytest.mark.parametrize("name", sorted(CONNECTION_SETTERS))
def test_connection_callback_held_replaced_and_released(pki, name):
    install = CONNECTION_SETTERS[name]
    client, server = _pair(*_contexts(pki))
    first, second = Recorder(result=True), Recorder(result=True)
    first_ref, second_ref = weakref.ref(first), weakref.ref(second)
    install(client, first)
    del first
    assert _alive(first_ref)
    install(client, second)
    del second
    assert not _alive(first_ref)
    assert _alive(second_ref)
    handshake(client, server)
    assert second_ref().calls and second_ref().calls[0][0] is client
    del client
    assert not _alive(second_ref)


def test_verify_callback_replaced_from_inside_itself(pki):
    class ReplaceMe:
        calls = 0

        def __call__(self, conn, cert, errnum, depth, ok):
            type(self).calls += 1
            conn.set_verify(SSL.VERIFY_PEER, lambda *args: args[4])
            collect()
            self.after = "still usable"
            return ok

    client, server = _pair(*_contexts(pki))
    callback = ReplaceMe()
    ref = weakref.ref(callback)
    client.set_verify(SSL.VERIFY_PEER, callback)
    del callback
    handshake(client, server)
    assert ReplaceMe.calls >= 1
    assert not _alive(ref)


@pytest.mark.deviation
def test_info_callback_replaced_from_inside_itself(pki):
    # pyOpenSSL 26.4 frees the running cffi callback here and the
    # interpreter crashes (SIGSEGV/SIGILL); the running callback must stay
    # alive until it returns.
    class ReplaceMe:
        calls = 0

        def __call__(self, conn, where, ret):
            type(self).calls += 1
            if type(self).calls == 1:
                conn.set_info_callback(lambda *args: None)
                collect()
                self.after = "still usable"

    client, server = _pair(*_contexts(pki))
    callback = ReplaceMe()
    ref = weakref.ref(callback)
    client.set_info_callback(callback)
    del callback
    handshake(client, server)
    assert ReplaceMe.calls == 1
    assert not _alive(ref)


def test_set_context_keeps_new_context_callbacks_alive(pki):
    second = server_context(pki.server_rsa)
    info = Recorder()
    info_ref = weakref.ref(info)
    second.set_info_callback(info)
    second_ref = weakref.ref(second)
    first = server_context(pki.server_ec)
    first.set_tlsext_servername_callback(lambda conn: conn.set_context(second_ref()))
    client, server = _pair(first, client_context(pki))
    del info
    holder = [second]
    del second
    handshake(client, server)
    del holder
    assert _alive(second_ref) and server.get_context() is second_ref()
    assert _alive(info_ref)
    H.exchange_data(client, server)
    assert H.peer_cert(client) == pki.server_rsa.cert
    del client, server, first
    assert not _alive(second_ref)
    assert not _alive(info_ref)


# ---------------------------------------------------------------------------
# reference cycles through callbacks are collected


@pytest.mark.parametrize("setter", ALL_SETTER_PARAMS)
def test_context_callback_cycle_is_collected(pki, setter):
    sctx, cctx = _contexts(pki)
    ctx = sctx if setter.side == "server" else cctx

    def callback(*args, ctx=ctx):
        ctx.get_app_data()  # the callback refers to its own Context
        return setter.result

    _install(setter, sctx, cctx, callback)
    ctx_ref, cb_ref = weakref.ref(ctx), weakref.ref(callback)
    if setter.fires:
        client, server = _handshake_firing(setter, sctx, cctx)
        del client, server
    del sctx, cctx, ctx, callback
    assert not _alive(ctx_ref)
    assert not _alive(cb_ref)


@pytest.mark.parametrize("kind", ["ocsp_server", "ocsp_client", "passwd"])
def test_context_as_its_own_callback_data_is_collected(kind):
    ctx = SSL.Context(SSL.TLS_METHOD)
    if kind == "ocsp_server":
        ctx.set_ocsp_server_callback(lambda conn, data: b"", ctx)
    elif kind == "ocsp_client":
        ctx.set_ocsp_client_callback(lambda conn, ocsp_bytes, data: True, ctx)
    else:
        H.set_passwd_cb(ctx, lambda *args: b"", ctx)
    ref = weakref.ref(ctx)
    del ctx
    assert not _alive(ref)


@pytest.mark.parametrize("name", sorted(CONNECTION_SETTERS))
@pytest.mark.parametrize("after_handshake", [False, True], ids=["fresh", "used"])
def test_connection_callback_cycle_is_collected(pki, name, after_handshake):
    client, server = _pair(*_contexts(pki))

    def callback(*args):
        client.get_app_data()  # the callback refers to its own Connection
        return True

    CONNECTION_SETTERS[name](client, callback)
    if after_handshake:
        handshake(client, server)
    conn_ref, cb_ref = weakref.ref(client), weakref.ref(callback)
    del client, server, callback
    assert not _alive(conn_ref)
    assert not _alive(cb_ref)


def test_context_callback_holding_its_connection_is_collected(pki):
    sctx, cctx = _contexts(pki)
    connections = []
    cctx.set_info_callback(lambda conn, where, ret: connections.append(conn))
    client, server = _pair(sctx, cctx)
    handshake(client, server)
    # cctx -> callback -> list -> client -> cctx
    refs = [weakref.ref(o) for o in (cctx, client, sctx, server)]
    del sctx, cctx, client, server, connections
    assert not any(_alive(ref) for ref in refs)


def test_app_data_cycles_are_collected(pki):
    sctx, cctx = _contexts(pki)
    cctx.set_app_data(cctx)
    client, server = _pair(sctx, cctx)
    client.set_app_data(client)
    handshake(client, server)
    refs = [weakref.ref(cctx), weakref.ref(client)]
    del sctx, cctx, client, server
    assert not any(_alive(ref) for ref in refs)


# ---------------------------------------------------------------------------
# no leaks


class Counting:
    """A callback that keeps nothing: counts calls and returns *result*."""

    def __init__(self, result=None):
        self.result = result
        self.count = 0

    def __call__(self, *args):
        self.count += 1
        return self.result


def test_callback_refcounts_unchanged_after_2000_handshakes(pki):
    staple = H.ocsp_response_der(pki.server_ec.cert, pki.ca_cert)
    verify, info, conn_info, keylog = Counting(True), Counting(), Counting(), Counting()
    servername, alpn = Counting(), Counting(b"h2")
    ocsp_server, ocsp_client = Counting(staple), Counting(True)
    server_data, client_data = object(), object()
    conn_verify = Counting(True)

    sctx = server_context(pki.server_ec, version=SSL.TLS1_2_VERSION)
    sctx.set_tlsext_servername_callback(servername)
    sctx.set_alpn_select_callback(alpn)
    sctx.set_ocsp_server_callback(ocsp_server, server_data)
    sctx.set_keylog_callback(keylog)
    cctx = client_context(pki, version=SSL.TLS1_2_VERSION)
    cctx.set_verify(SSL.VERIFY_PEER, verify)
    cctx.set_info_callback(info)
    cctx.set_ocsp_client_callback(ocsp_client, client_data)
    cctx.set_alpn_protos([b"h2"])

    watched = [
        verify, info, conn_info, keylog, servername, alpn, ocsp_server,
        ocsp_client, server_data, client_data, conn_verify, staple,
    ]

    def run(rounds):
        last = None
        for _ in range(rounds):
            client, server = _pair(sctx, cctx)
            client.request_ocsp()
            server.set_info_callback(conn_info)
            if last is None:
                client.set_verify(SSL.VERIFY_PEER, conn_verify)
            handshake(client, server)
            last = weakref.ref(client)
        return last

    run(5)  # warm up any caches
    collect()
    before = [sys.getrefcount(obj) for obj in watched]
    last = run(2000)
    collect()
    after = [sys.getrefcount(obj) for obj in watched]
    assert last() is None
    assert after == before
    assert verify.count >= 2 * 1999 and keylog.count == 2005 and alpn.count == 2005
    assert ocsp_client.count == 2005 and servername.count == 2005


def test_raising_callbacks_do_not_leak(pki):
    class RaiseAndForget:
        def __call__(self, *args):
            raise CallbackError("forget me")

    raiser = RaiseAndForget()
    cctx = client_context(pki)
    cctx.set_verify(SSL.VERIFY_PEER, raiser)
    sctx = server_context(pki.server_ec)
    sctx.set_alpn_select_callback(raiser)

    def run(rounds):
        for i in range(rounds):
            client, server = _pair(sctx, cctx)
            if i % 2:
                client.set_alpn_protos([b"h2"])
            side, exc = H.drive_to_failure(client, server)
            assert isinstance(exc, CallbackError)
            del exc

    run(5)
    collect()
    before = sys.getrefcount(raiser)
    run(300)
    collect()
    assert sys.getrefcount(raiser) == before


def test_connections_freed_without_gc_after_callbacks_fired(pki):
    # no hidden reference cycle keeps a Connection alive after its callbacks
    # ran: plain reference counting frees it
    import gc

    sctx, cctx = _contexts(pki)
    cctx.set_verify(SSL.VERIFY_PEER, Counting(True))
    cctx.set_info_callback(Counting())
    sctx.set_tlsext_servername_callback(Counting())
    client, server = _pair(sctx, cctx)
    handshake(client, server)
    refs = [weakref.ref(client), weakref.ref(server)]
    gc.disable()
    try:
        del client, server
        assert [ref() for ref in refs] == [None, None]
    finally:
        gc.enable()
