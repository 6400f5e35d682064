"""Fuzz target: arbitrary bytes fed (bio_write) into memory-BIO Connections.

Input = 4 header bytes + payload:

  byte 0  mode (mod 7)
          0 SERVER_RAW      a fresh TLS server reads the payload (ClientHello...)
          1 CLIENT_MID      a TLS client that sent its ClientHello reads the payload
          2 CLIENT_POST     after a real handshake, the client reads the payload
          3 SERVER_POST     after a real handshake, the server reads the payload
          4 SCRIPTED_POST   after a real handshake the payload is a script of peer
                            operations (send, deliver n bytes, flip a byte,
                            renegotiate, shutdown, inject raw bytes, ...)
          5 DTLS_SERVER     a fresh DTLS server (optionally DTLSv1_listen) reads it
          6 DTLS_CLIENT     a DTLS client that sent its ClientHello reads it
  byte 1  flags: 1 TLS1.2 max, 2 RSA server key (else ECDSA P-256), 4 SNI,
          8 ALPN, 16 client certificate requested/sent (DTLS server: cookie
          exchange), 32 recv_into instead of recv, 64 legacy (TLS 1.0+,
          SECLEVEL=0), 128 resume a saved session (DTLS server: DTLSv1_listen)
  byte 2  chunk size for bio_write (0: the whole payload at once)
  byte 3  extras: 1 send application data, 2 shutdown() at the end,
          4 bio_shutdown() (EOF) at the end, 8 renegotiate, 16 callbacks call
          getters, 32 callbacks raise, 64 info callback, 128 one-byte reads

Allowed outcomes: return, SSL.Error (and subclasses), ValueError, TypeError and
the target's own CallbackError (when its callbacks raise). Anything else, or a
dead process, is a finding.
"""

if __name__ == "__main__":
    import _driver

    _driver.main("fuzz_bytes_into_connection")

import gc  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402

from _common import (  # noqa: E402
    SERVER_NAME,
    SSL,
    CallbackError,
    Finding,
    bio_drain,
    check_error_queue,
    callback_scope,
    client_context,
    crypto,
    feedback,
    handshake_pair,
    outcome,
    server_context,
    unexpected,
)
from _fdp import FuzzedDataProvider  # noqa: E402

SERVER_RAW, CLIENT_MID, CLIENT_POST, SERVER_POST, SCRIPTED_POST, DTLS_SERVER, DTLS_CLIENT = range(7)
MODES = 7
TRACE = os.environ.get("FUZZ_TRACE") == "1"  # print every call and its outcome

F_TLS12, F_RSA, F_SNI, F_ALPN, F_CLIENT_AUTH, F_RECV_INTO, F_LEGACY, F_RESUME = (1 << i for i in range(8))
X_SEND, X_SHUTDOWN, X_EOF, X_RENEG, X_INTROSPECT, X_RAISE, X_INFO, X_SMALL_READS = (1 << i for i in range(8))

ALPN_PROTOS = [b"h2", b"http/1.1"]


class State:
    """What the (shared, cached) contexts' callbacks should do for this input."""

    extras = 0
    raised = False


STATE = State()


ALLOWED = (SSL.Error, crypto.Error, ValueError, TypeError)


def allowed():
    return ALLOWED + (CallbackError,) if STATE.extras & X_RAISE else ALLOWED


def call(where, fn, *args):
    """Run fn; return (result, None) or (None, allowed exception)."""
    try:
        result = fn(*args)
    except Finding:
        raise
    except allowed() as exc:
        if TRACE:
            print(f"{where}: {outcome(exc)}", file=sys.stderr, flush=True)
        feedback(where, outcome(exc))
        check_error_queue(where)
        return None, exc
    except BaseException as exc:
        unexpected(where, exc)
    if TRACE:
        print(f"{where}: ok {repr(result)[:80]}", file=sys.stderr, flush=True)
    feedback(where, "ok")
    check_error_queue(where)
    return result, None


def maybe_raise(where):
    if STATE.extras & X_RAISE and not STATE.raised:
        STATE.raised = True
        raise CallbackError(where)


# ---------------------------------------------------------------------------
# getters: every one of them must be safe in any connection state

GETTERS = [
    ("get_state_string", ()),
    ("get_peer_certificate", ()),
    ("get_peer_cert_chain", ()),
    ("get_verified_chain", ()),
    ("get_cipher_name", ()),
    ("get_cipher_bits", ()),
    ("get_cipher_version", ()),
    ("get_protocol_version_name", ()),
    ("get_protocol_version", ()),
    ("get_servername", ()),
    ("get_alpn_proto_negotiated", ()),
    ("get_session", ()),
    ("get_finished", ()),
    ("get_peer_finished", ()),
    ("client_random", ()),
    ("server_random", ()),
    ("master_key", ()),
    ("get_client_ca_list", ()),
    ("get_shutdown", ()),
    ("pending", ()),
    ("want_read", ()),
    ("want_write", ()),
    ("session_reused", ()),
    ("get_certificate", ()),
    ("get_cipher_list", ()),
    ("get_group_name", ()),
    ("renegotiate_pending", ()),
    ("total_renegotiations", ()),
    ("get_selected_srtp_profile", ()),
    ("export_keying_material", (b"EXPORTER-fuzz", 32)),
    ("export_keying_material", (b"EXPORTER-fuzz", 16, b"context")),
]


def introspect(conn, where):
    for name, args in GETTERS:
        method = getattr(conn, name, None)
        if method is None:
            continue
        result, _ = call(where + "." + name, method, *args)
        if name == "get_peer_cert_chain" and result:
            for cert in result:
                call(where + ".chain.subject", lambda c: c.get_subject().get_components(), cert)
                call(where + ".chain.pubkey", lambda c: c.get_pubkey().bits(), cert)
        elif name == "get_session" and result is not None:
            feedback(where, "session")
        elif name == "get_state_string" and result is not None:
            feedback(where, "state", result)


# ---------------------------------------------------------------------------
# callbacks installed on the cached contexts


def in_callback(fn):
    def wrapper(*args):
        with callback_scope():
            return fn(*args)

    return wrapper


@in_callback
def verify_cb(conn, cert, errno, depth, ok):
    feedback("verify", errno, depth, ok)
    if STATE.extras & X_INTROSPECT:
        call("verify.subject", lambda: cert.get_subject().get_components())
        call("verify.issuer", lambda: cert.get_issuer().CN)
        call("verify.serial", cert.get_serial_number)
        call("verify.ext", cert.get_extension_count)
        introspect(conn, "verify")
    maybe_raise("verify")
    return True


@in_callback
def alpn_select_cb(conn, protos):
    feedback("alpn", len(protos), *protos[:4])
    if STATE.extras & X_INTROSPECT:
        introspect(conn, "alpn")
    maybe_raise("alpn")
    for proto in ALPN_PROTOS:
        if proto in protos:
            return proto
    return SSL.NO_OVERLAPPING_PROTOCOLS


@in_callback
def sni_cb(conn):
    name = conn.get_servername()
    feedback("sni", name)
    if STATE.extras & X_INTROSPECT:
        introspect(conn, "sni")
    maybe_raise("sni")
    # switch the certificate (RSA <-> ECDSA), as real SNI servers do; the other
    # context has the same verification settings (see FINDINGS.md: ours uses
    # the new context's verify callback, pyOpenSSL keeps the original one)
    current = conn.get_context()
    flags = getattr(current, "_fuzz_flags", None)
    if flags is not None:
        call("sni.set_context", conn.set_context, get_server_context(flags ^ F_RSA, current._fuzz_dtls))


@in_callback
def info_cb(conn, where, ret):
    feedback("info", where, ret)
    if STATE.extras & X_INTROSPECT:
        call("info.state", conn.get_state_string)
        call("info.version", conn.get_protocol_version_name)
    maybe_raise("info")


SERVER_CONTEXTS: dict = {}
CLIENT_CONTEXTS: dict = {}
SESSIONS: dict = {}


def get_server_context(flags, dtls=False):
    key = (flags & (F_TLS12 | F_RSA | F_SNI | F_ALPN | F_CLIENT_AUTH | F_LEGACY), dtls)
    ctx = SERVER_CONTEXTS.get(key)
    if ctx is None:
        ctx = server_context(
            rsa=bool(flags & F_RSA),
            tls12=bool(flags & F_TLS12),
            legacy=bool(flags & F_LEGACY),
            client_auth=bool(flags & F_CLIENT_AUTH) and not dtls,
            dtls=dtls,
            alpn=alpn_select_cb if flags & F_ALPN else None,
            sni=sni_cb if flags & F_SNI else None,
        )
        if flags & F_CLIENT_AUTH and not dtls:
            ctx.set_verify(SSL.VERIFY_PEER, verify_cb)
        if dtls and flags & F_CLIENT_AUTH:
            ctx.set_options(SSL.OP_COOKIE_EXCHANGE)
            ctx.set_cookie_generate_callback(lambda conn: b"fuzz-cookie")
            ctx.set_cookie_verify_callback(lambda conn, cookie: cookie == b"fuzz-cookie")
        ctx._fuzz_flags = key[0]
        ctx._fuzz_dtls = dtls
        SERVER_CONTEXTS[key] = ctx
    return ctx


def get_client_context(flags, dtls=False):
    key = (flags & (F_TLS12 | F_ALPN | F_CLIENT_AUTH | F_LEGACY), dtls)
    ctx = CLIENT_CONTEXTS.get(key)
    if ctx is None:
        ctx = client_context(
            tls12=bool(flags & F_TLS12),
            legacy=bool(flags & F_LEGACY),
            client_cert=bool(flags & F_CLIENT_AUTH),
            dtls=dtls,
            alpn=ALPN_PROTOS if flags & F_ALPN else None,
            verify=verify_cb,
        )
        CLIENT_CONTEXTS[key] = ctx
    return ctx


def new_server(flags, extras, dtls=False):
    conn = SSL.Connection(get_server_context(flags, dtls))
    conn.set_accept_state()
    if extras & X_INFO:
        conn.set_info_callback(info_cb)
    return conn


def new_client(flags, extras, dtls=False):
    conn = SSL.Connection(get_client_context(flags, dtls))
    conn.set_connect_state()
    if flags & F_SNI:
        conn.set_tlsext_host_name(SERVER_NAME)
    if flags & F_RESUME:
        session = SESSIONS.get((flags & (F_TLS12 | F_ALPN | F_CLIENT_AUTH | F_LEGACY), dtls))
        if session is not None:
            call("set_session", conn.set_session, session)
    if extras & X_INFO:
        conn.set_info_callback(info_cb)
    return conn


# ---------------------------------------------------------------------------
# driving


def read_some(conn, flags, extras, where):
    size = 1 if extras & X_SMALL_READS else 16384
    for _ in range(8 if not extras & X_SMALL_READS else 64):
        if flags & F_RECV_INTO:
            buf = bytearray(size)
            n, exc = call(where + ".recv_into", conn.recv_into, buf)
            if exc is None and n is not None and not 0 <= n <= size:
                raise Finding(f"recv_into returned {n} for a {size}-byte buffer")
        else:
            data, exc = call(where + ".recv", conn.recv, size)
            if exc is None and data is not None and len(data) > size:
                raise Finding(f"recv({size}) returned {len(data)} bytes")
        if exc is not None:
            return


def step(conn, handshaking, flags, extras, where):
    """Advance the connection; returns whether it is still handshaking."""
    if handshaking:
        _, exc = call(where + ".do_handshake", conn.do_handshake)
        if exc is None:
            feedback(where, "handshake-done")
            handshaking = False
        else:
            return True
    read_some(conn, flags, extras, where)
    return handshaking


def chunks(payload, size):
    if size == 0:
        yield payload
        return
    for i in range(0, len(payload), size):
        yield payload[i : i + size]


def feed(conn, payload, chunk, handshaking, flags, extras, where):
    for piece in chunks(payload, chunk):
        written, exc = call(where + ".bio_write", conn.bio_write, piece)
        if exc is None and written != len(piece):
            feedback(where, "short-bio-write")
        handshaking = step(conn, handshaking, flags, extras, where)
        bio_drain(conn)
    return handshaking


def finish(conn, handshaking, flags, extras, where, dtls=False):
    if extras & X_SEND:
        call(where + ".send", conn.send, b"application data from the fuzzer")
        call(where + ".sendall", conn.sendall, memoryview(b"x" * 300))
    if extras & X_RENEG:
        call(where + ".renegotiate", conn.renegotiate)
        step(conn, True, flags, extras, where + ".reneg")
    if extras & X_SHUTDOWN:
        call(where + ".shutdown", conn.shutdown)
    if extras & X_EOF:
        call(where + ".bio_shutdown", conn.bio_shutdown)
        step(conn, handshaking, flags, extras, where + ".eof")
    if dtls:
        call(where + ".dtls_timeout", conn.DTLSv1_get_timeout)
        call(where + ".dtls_handle", conn.DTLSv1_handle_timeout)
    introspect(conn, where + ".final")
    bio_drain(conn)
    call(where + ".bio_read_closed", conn.bio_read, 1)


def run_raw(mode, flags, chunk, extras, payload):
    dtls = mode in (DTLS_SERVER, DTLS_CLIENT)
    if mode in (SERVER_RAW, DTLS_SERVER):
        conn = new_server(flags, extras, dtls)
        where = "server"
        if dtls and flags & F_RESUME and flags & F_CLIENT_AUTH:
            # DTLSv1_listen needs cookie callbacks (F_CLIENT_AUTH sets them up)
            call("listen.bio_write", conn.bio_write, payload)
            call("listen", conn.DTLSv1_listen)
            bio_drain(conn)
            payload = b""
    else:
        conn = new_client(flags, extras, dtls)
        where = "client"
        call(where + ".hello", conn.do_handshake)
        bio_drain(conn)
    handshaking = feed(conn, payload, chunk, True, flags, extras, where)
    finish(conn, handshaking, flags, extras, where, dtls)


def connected_pair(flags, extras):
    client = new_client(flags, extras)
    server = new_server(flags, extras)
    ok = handshake_pair(client, server)
    if not ok:
        # only possible when a callback raised on purpose (X_RAISE)
        feedback("pair", "no-handshake")
        return None
    session = client.get_session()
    if session is not None:
        SESSIONS[(flags & (F_TLS12 | F_ALPN | F_CLIENT_AUTH | F_LEGACY), False)] = session
    return client, server


def run_post(mode, flags, chunk, extras, payload):
    try:
        pair = connected_pair(flags, extras)
    except Finding:
        raise
    except allowed() as exc:
        feedback("pair", outcome(exc))
        return
    if pair is None:
        return
    client, server = pair
    conn, where = (client, "client-post") if mode == CLIENT_POST else (server, "server-post")
    handshaking = feed(conn, payload, chunk, False, flags, extras, where)
    finish(conn, handshaking, flags, extras, where)


def run_script(flags, extras, payload):
    try:
        pair = connected_pair(flags, extras)
    except Finding:
        raise
    except allowed() as exc:
        feedback("pair", outcome(exc))
        return
    if pair is None:
        return
    client, server = pair
    conns = [client, server]
    pending = [bytearray(), bytearray()]  # bytes each side has sent, not yet delivered
    fdp = FuzzedDataProvider(payload)
    for _ in range(64):
        if fdp.remaining_bytes() == 0:
            break
        op = fdp.ConsumeIntInRange(0, 11)
        side = fdp.ConsumeIntInRange(0, 1)
        conn, peer = conns[side], conns[1 - side]
        tag = ("c", "s")[side] + str(op)
        if op == 0:  # send application data
            n = fdp.ConsumeIntInRange(0, 20000)
            call(tag + ".send", conn.send, b"\xa5" * n)
        elif op == 1:  # collect what conn has written
            pending[side] += bio_drain(conn)
        elif op == 2:  # deliver n bytes (0: all) of conn's output to the peer
            pending[side] += bio_drain(conn)
            n = fdp.ConsumeIntInRange(0, 0xFFFF) or len(pending[side])
            piece = bytes(pending[side][:n])
            del pending[side][:n]
            if piece:
                call(tag + ".deliver", peer.bio_write, piece)
        elif op == 3:  # corrupt one byte of the undelivered output
            pending[side] += bio_drain(conn)
            pos = fdp.ConsumeIntInRange(0, 0xFFFF)
            xor = fdp.ConsumeIntInRange(1, 255)
            if pending[side]:
                pending[side][pos % len(pending[side])] ^= xor
        elif op == 4:  # read
            n = fdp.ConsumeIntInRange(0, 20000)
            call(tag + ".recv", conn.recv, n)
        elif op == 5:  # recv_into a buffer, maybe with nbytes
            size = fdp.ConsumeIntInRange(0, 4096)
            nbytes = fdp.ConsumeIntInRange(0, 4096)
            buf = bytearray(size)
            n, exc = call(tag + ".recv_into", conn.recv_into, buf, nbytes or None)
            if exc is None and n is not None and not 0 <= n <= size:
                raise Finding(f"recv_into returned {n} for a {size}-byte buffer")
        elif op == 6:  # renegotiate (TLS 1.2) and drive the handshake
            call(tag + ".renegotiate", conn.renegotiate)
            call(tag + ".do_handshake", conn.do_handshake)
        elif op == 7:
            call(tag + ".shutdown", conn.shutdown)
        elif op == 8:  # inject raw bytes
            data = fdp.ConsumeLengthPrefixedBytes(4096)
            call(tag + ".inject", conn.bio_write, data)
        elif op == 9:
            call(tag + ".bio_shutdown", conn.bio_shutdown)
        elif op == 10:  # drop the undelivered output
            pending[side] = bytearray()
        else:
            introspect(conn, tag)
    for side in (0, 1):
        pending[side] += bio_drain(conns[side])
        if pending[side]:
            call("final.deliver", conns[1 - side].bio_write, bytes(pending[side]))
    for i, conn in enumerate(conns):
        read_some(conn, flags, extras, ("c", "s")[i] + ".final")
        introspect(conn, ("c", "s")[i] + ".final")


def TestOneInput(data: bytes) -> None:
    header = data[:4].ljust(4, b"\0")
    payload = data[4:]
    mode, flags, chunk, extras = header[0] % MODES, header[1], header[2], header[3]
    STATE.extras = extras
    STATE.raised = False
    feedback("mode", mode, flags & (F_TLS12 | F_RSA | F_LEGACY))
    if mode in (SERVER_RAW, CLIENT_MID, DTLS_SERVER, DTLS_CLIENT):
        run_raw(mode, flags, chunk, extras, payload)
    elif mode in (CLIENT_POST, SERVER_POST):
        run_post(mode, flags, chunk, extras, payload)
    else:
        run_script(flags, extras, payload)
    if extras & X_RAISE and extras & X_INFO:
        gc.collect()
