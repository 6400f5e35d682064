"""Helpers shared by the callback compatibility tests (``test_callback*.py``).

The tests drive two ``Connection(ctx, None)`` objects against each other over
their memory BIOs, so every callback fires inside a real handshake without any
socket. Import this module with::

    import os, sys
    sys.path.insert(0, os.path.dirname(__file__))
    import callback_helpers as H
"""

from __future__ import annotations

import datetime
import functools
import gc
import os
import sys
import threading
import time
import warnings

sys.path.insert(0, os.path.dirname(__file__))

from cryptography import x509  # noqa: E402
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402
from cryptography.x509 import ocsp  # noqa: E402
from cryptography.x509.oid import NameOID  # noqa: E402

from OpenSSL import SSL  # noqa: E402

from conftest import (  # noqa: E402,F401
    IO_TIMEOUT,
    REFERENCE,
    client_context,
    connection_pair,
    drain,
    handshake,
    pump,
    server_context,
    transfer,
)

VERSIONS = [
    ("tls12", SSL.TLS1_2_VERSION, "TLSv1.2"),
    ("tls13", SSL.TLS1_3_VERSION, "TLSv1.3"),
]

# TLS alert levels and descriptions (RFC 8446 section 6), as they appear in the
# ``ret`` argument of an info callback for SSL_CB_*_ALERT: (level << 8) | desc.
ALERT_WARNING = 1
ALERT_FATAL = 2
ALERT_CLOSE_NOTIFY = 0
ALERT_UNRECOGNIZED_NAME = 112

# The labels of the NSS key log format that OpenSSL writes.
TLS13_KEYLOG_LABELS = {
    b"CLIENT_HANDSHAKE_TRAFFIC_SECRET",
    b"SERVER_HANDSHAKE_TRAFFIC_SECRET",
    b"CLIENT_TRAFFIC_SECRET_0",
    b"SERVER_TRAFFIC_SECRET_0",
    b"EXPORTER_SECRET",
}


class CallbackError(Exception):
    """What the test callbacks raise: nothing in OpenSSL raises it."""


class Recorder:
    """A callable *object* (so tests can hold a weak reference to it) that
    records every call's arguments and returns *result*."""

    def __init__(self, result=None):
        self.result = result
        self.calls = []
        self.threads = []

    def __call__(self, *args):
        self.calls.append(args)
        self.threads.append(threading.get_ident())
        return self.result


class Raiser:
    """A callable object that raises a fresh CallbackError on every call and
    keeps the exceptions it raised, so tests can check identity. Setting
    ``active`` to False makes it return None instead."""

    def __init__(self, message="raised inside a callback"):
        self.message = message
        self.raised = []
        self.active = True

    def __call__(self, *args):
        if not self.active:
            return None
        exc = CallbackError(self.message)
        self.raised.append(exc)
        raise exc


def collect():
    """Run the cyclic garbage collector until nothing more is freed."""
    for _ in range(5):
        if not gc.collect():
            break


# ---------------------------------------------------------------------------
# handshake drivers


def step(conn):
    """Call do_handshake once. Returns None when the handshake is complete,
    "want" on WantReadError, otherwise the exception it raised."""
    try:
        conn.do_handshake()
    except SSL.WantReadError:
        return "want"
    except Exception as exc:  # noqa: BLE001 - returned to the test
        return exc
    return None


def drive_to_failure(client, server, rounds=50):
    """Drive both handshakes until one side raises something other than
    WantReadError; return ``(side, exception)`` with side "client"/"server".
    Records in flight are still delivered to the other side afterwards, so
    the peer can see the alert. Fails the test if both sides complete."""
    pending = {"client": client, "server": server}
    for _ in range(rounds):
        for side in list(pending):
            outcome = step(pending[side])
            if outcome is None:
                del pending[side]
            elif outcome != "want":
                transfer(client, server)
                transfer(server, client)
                return side, outcome
        moved = transfer(client, server) + transfer(server, client)
        if not pending and not moved:
            raise AssertionError("the handshake completed; it should have failed")
    raise AssertionError("the handshake neither completed nor failed")


def drive_tolerating(client, server, tolerated, rounds=50):
    """Drive both handshakes to completion, treating exceptions of the type
    *tolerated* like WantReadError. Returns the list of ``(side, exception)``
    for the tolerated exceptions that were raised, in order."""
    raised = []
    pending = {"client": client, "server": server}
    for _ in range(rounds):
        for side in list(pending):
            try:
                pending[side].do_handshake()
            except SSL.WantReadError:
                pass
            except tolerated as exc:
                raised.append((side, exc))
            else:
                del pending[side]
        moved = transfer(client, server) + transfer(server, client)
        if not pending and not moved:
            return raised
    raise AssertionError("handshake did not complete")


def exchange_data(client, server):
    """Application data flows both ways over a completed handshake."""
    assert client.send(b"ping from client") == 16
    pump(client, server)
    assert server.recv(100) == b"ping from client"
    assert server.send(b"pong from server") == 16
    pump(client, server)
    assert client.recv(100) == b"pong from server"


def assert_fresh_handshake_works(pki):
    """The next, unrelated use of OpenSSL in this thread behaves normally.

    A stale entry left in this thread's OpenSSL error queue makes
    SSL_get_error report a failure, so the first do_handshake of a new client
    would raise Error instead of WantReadError."""
    sctx = server_context(pki.server_ec)
    cctx = client_context(pki)
    client, server = connection_pair(sctx, cctx, host=b"localhost")
    try:
        client.do_handshake()
    except SSL.WantReadError:
        pass
    else:  # pragma: no cover - a client cannot finish without its peer
        raise AssertionError("do_handshake finished without a peer")
    handshake(client, server)
    exchange_data(client, server)


def assert_failed_for_good(conn, callback_exc):
    """After a failed handshake, further calls raise an SSL.Error (which one
    depends on the OpenSSL version), never the callback's exception again."""
    with_raises = step(conn)
    assert isinstance(with_raises, SSL.Error), with_raises
    assert with_raises is not callback_exc
    assert not isinstance(with_raises, CallbackError)


# ---------------------------------------------------------------------------
# certificates and keys


def peer_cert(conn):
    """The peer's leaf as a ``cryptography`` certificate."""
    cert = conn.get_peer_certificate()
    assert cert is not None
    return cert.to_cryptography()


def encrypted_key_file(path, key, password: bytes, traditional=False):
    """Write *key* as a passphrase-protected PEM file; return the path."""
    fmt = (
        serialization.PrivateFormat.TraditionalOpenSSL
        if traditional
        else serialization.PrivateFormat.PKCS8
    )
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            fmt,
            serialization.BestAvailableEncryption(password),
        )
    )
    return path


def set_passwd_cb(ctx, callback, *userdata):
    """Context.set_passwd_cb without its DeprecationWarning (tested once on
    its own in test_callbacks.py)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        ctx.set_passwd_cb(callback, *userdata)


@functools.lru_cache(maxsize=None)
def _responder():
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "test ocsp responder")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    return key, cert


def ocsp_response_der(cert, issuer) -> bytes:
    """A well-formed, signed DER OCSPResponse saying *cert* is good.

    OpenSSL 4.0 (the reference run) parses a stapled response on the server
    side and silently drops one that is not a DER OCSPResponse, so the tests
    staple real responses."""
    key, responder = _responder()
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (
        ocsp.OCSPResponseBuilder()
        .add_response(
            cert=cert,
            issuer=issuer,
            algorithm=hashes.SHA1(),
            cert_status=ocsp.OCSPCertStatus.GOOD,
            this_update=now - datetime.timedelta(minutes=1),
            next_update=now + datetime.timedelta(days=1),
            revocation_time=None,
            revocation_reason=None,
        )
        .responder_id(ocsp.OCSPResponderEncoding.HASH, responder)
    )
    return builder.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def ocsp_unsuccessful_der() -> bytes:
    """The smallest well-formed OCSPResponse: status tryLater, no body."""
    return ocsp.OCSPResponseBuilder.build_unsuccessful(
        ocsp.OCSPResponseStatus.TRY_LATER
    ).public_bytes(serialization.Encoding.DER)


# ---------------------------------------------------------------------------
# info callback values


def alert_events(events, kind):
    """``(level, description)`` of the alerts in recorded info callback
    events ``(where, ret)``; *kind* is SSL.SSL_CB_READ_ALERT or
    SSL.SSL_CB_WRITE_ALERT."""
    return [
        (ret >> 8, ret & 0xFF) for where, ret in events if where & kind == kind
    ]


# ---------------------------------------------------------------------------
# threads


def run_threads(target, count, timeout=30.0):
    """Run ``target(index)`` in *count* daemon threads started together;
    return their results in order. Re-raises the first exception; fails
    (rather than hangs) if a thread is still running after *timeout*."""
    results = [None] * count
    errors = [None] * count
    start = threading.Barrier(count, timeout=timeout)

    def run(index):
        try:
            start.wait()
            results[index] = target(index)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors[index] = exc

    threads = [
        threading.Thread(target=run, args=(i,), daemon=True) for i in range(count)
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    stuck = [i for i, thread in enumerate(threads) if thread.is_alive()]
    if stuck:
        raise AssertionError("threads %r did not finish (deadlock?)" % stuck)
    for exc in errors:
        if exc is not None:
            raise exc
    return results
