"""Plumbing for test_third_party.py: a local HTTPS server built on Python's own
``ssl`` and ``http.server``, key-file helpers, and the Twisted child process.

Everything listens on 127.0.0.1 only, every socket has a timeout, and every
server or child process is stopped by the test that started it.
"""

from __future__ import annotations

import hashlib
import json
import os
import ssl
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography.hazmat.primitives import serialization

IO_TIMEOUT = 5.0

# How long GET /slow takes to answer.
SLOW_SECONDS = 1.5

# A child process (Twisted) gets this long before it is killed.
CHILD_TIMEOUT = 45.0


# ---------------------------------------------------------------------------
# HTTPS server (Python's ssl module, not the module under test)


def body_of_size(size: int) -> bytes:
    """Deterministic, non-repeating-looking payload of *size* bytes."""
    block = hashlib.sha256(b"third-party").digest() * 64  # 2 KiB
    return (block * (size // len(block) + 1))[:size]


class _Handler(BaseHTTPRequestHandler):
    """GET /size/N -> N bytes; GET /noclen/N -> N bytes without Content-Length,
    then the connection closes without a TLS close_notify ("ragged EOF");
    GET /noclen-notify/N -> the same but with close_notify; GET /slow -> the
    answer after SLOW_SECONDS; GET anything else -> b"hello <path>";
    POST -> "<length> <sha256 of the body>". The client certificate's common
    name (if any) comes back in X-Client-CN."""

    server_version = "third-party-test"

    def log_message(self, format, *args):  # noqa: A002 - BaseHTTPRequestHandler API
        pass

    def _client_cn(self) -> str:
        peer = self.connection.getpeercert()
        if not peer:
            return ""
        for rdn in peer.get("subject", ()):
            for key, value in rdn:
                if key == "commonName":
                    return value
        return ""

    def _reply(self, body: bytes) -> None:
        self.server.record(self.command, self.path, self._client_cn())
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Client-CN", self._client_cn())
        self.end_headers()
        self.wfile.write(body)

    def _reply_until_close(self, body: bytes, close_notify: bool) -> None:
        self.server.record(self.command, self.path, self._client_cn())
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()
        if close_notify:
            try:
                self.connection.unwrap()
            except (OSError, ValueError):
                pass

    def do_GET(self):  # noqa: N802 - BaseHTTPRequestHandler API
        if self.path.startswith("/size/"):
            self._reply(body_of_size(int(self.path[len("/size/") :])))
        elif self.path.startswith("/noclen/"):
            self._reply_until_close(body_of_size(int(self.path[len("/noclen/") :])), False)
        elif self.path.startswith("/noclen-notify/"):
            size = int(self.path[len("/noclen-notify/") :])
            self._reply_until_close(body_of_size(size), True)
        elif self.path == "/slow":
            time.sleep(SLOW_SECONDS)
            self._reply(b"finally")
        else:
            self._reply(b"hello " + self.path.encode("ascii"))

    def do_POST(self):  # noqa: N802 - BaseHTTPRequestHandler API
        length = int(self.headers.get("Content-Length", "0"))
        data = b""
        while len(data) < length:
            chunk = self.rfile.read(length - len(data))
            if not chunk:
                break
            data += chunk
        self._reply(b"%d %s" % (len(data), hashlib.sha256(data).hexdigest().encode()))


class _TLSHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, tls_context: ssl.SSLContext):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.tls_context = tls_context
        self.requests: list[tuple[str, str, str]] = []
        self.handshake_errors: list[BaseException] = []
        self._lock = threading.Lock()

    def record(self, command: str, path: str, client_cn: str) -> None:
        with self._lock:
            self.requests.append((command, path, client_cn))

    def finish_request(self, request, client_address):
        # The TLS handshake runs in the per-connection thread, with a timeout,
        # so a client that fails verification cannot stall the accept loop.
        request.settimeout(IO_TIMEOUT)
        try:
            tls = self.tls_context.wrap_socket(request, server_side=True)
        except (OSError, ValueError) as exc:
            with self._lock:
                self.handshake_errors.append(exc)
            return
        try:
            self.RequestHandlerClass(tls, client_address, self)
        except OSError:
            pass
        finally:
            tls.close()


class HTTPSServer:
    """A threaded HTTPS server on 127.0.0.1 using Python's ``ssl``.

    Use as a context manager; ``url(host, path)`` builds request URLs."""

    def __init__(
        self,
        chain_pem: Path,
        key_pem: Path,
        *,
        client_ca: Path | None = None,
        alpn: list[str] | None = None,
    ):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(str(chain_pem), str(key_pem))
        if client_ca is not None:
            ctx.verify_mode = ssl.CERT_REQUIRED
            ctx.load_verify_locations(str(client_ca))
        if alpn:
            ctx.set_alpn_protocols(alpn)
        self._server = _TLSHTTPServer(ctx)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def requests(self) -> list[tuple[str, str, str]]:
        return list(self._server.requests)

    @property
    def handshake_errors(self) -> list[BaseException]:
        return list(self._server.handshake_errors)

    def url(self, host: str = "localhost", path: str = "/") -> str:
        return f"https://{host}:{self.port}{path}"

    def __enter__(self) -> HTTPSServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(IO_TIMEOUT)


# ---------------------------------------------------------------------------
# keys


def write_encrypted_key(path: Path, key, password: bytes) -> Path:
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(password),
        )
    )
    return path


# ---------------------------------------------------------------------------
# Twisted, in a child process that runs the reactor and prints one JSON line

TWISTED_CHILD = r'''
import json, sys

scenario, ca_path, chain_path, key_path, client_chain_path, client_key_path = sys.argv[1:7]

import OpenSSL.SSL
from twisted.internet import defer, endpoints, protocol, reactor, ssl, task

def read(path):
    with open(path, "rb") as f:
        return f.read()

result = {"scenario": scenario, "openssl_module": OpenSSL.SSL.__file__}

ca = ssl.Certificate.loadPEM(read(ca_path))
server_identity = ssl.PrivateCertificate.loadPEM(read(key_path) + read(chain_path))
client_identity = ssl.PrivateCertificate.loadPEM(read(client_key_path) + read(client_chain_path))


class Echo(protocol.Protocol):
    def dataReceived(self, data):
        self.transport.write(data)


class Client(protocol.Protocol):
    def __init__(self, message):
        self.message = message
        self.received = b""
        self.done = defer.Deferred()

    def connectionMade(self):
        self.transport.write(self.message)

    def dataReceived(self, data):
        self.received += data
        if len(self.received) >= len(self.message):
            transport = self.transport
            result["negotiated_protocol"] = (
                transport.negotiatedProtocol.decode()
                if getattr(transport, "negotiatedProtocol", None) else None
            )
            result["protocol_version"] = transport.getHandle().get_protocol_version_name()
            peer = transport.getPeerCertificate()
            result["peer_subject_cn"] = (
                peer.get_subject().CN if peer is not None else None
            )
            transport.loseConnection()

    def connectionLost(self, reason):
        if self.received == self.message:
            self.done.callback(self.received)
        else:
            self.done.errback(reason)


def server_options():
    if scenario == "alpn":
        return ssl.CertificateOptions(
            privateKey=server_identity.privateKey.original,
            certificate=server_identity.original,
            acceptableProtocols=[b"http/1.1"],
        )
    if scenario in ("mutual", "mutual-no-client-cert"):
        return ssl.CertificateOptions(
            privateKey=server_identity.privateKey.original,
            certificate=server_identity.original,
            trustRoot=ca,
        )
    if scenario == "default-factory":
        return ssl.DefaultOpenSSLContextFactory(key_path, chain_path)
    return server_identity.options()


def client_options():
    hostname = "wrong.example" if scenario == "wrong-hostname" else "localhost"
    kwargs = {"trustRoot": ca}
    if scenario == "untrusted":
        kwargs = {"trustRoot": ssl.Certificate.loadPEM(read(sys.argv[7]))}
    if scenario == "alpn":
        kwargs["acceptableProtocols"] = [b"h2", b"http/1.1"]
    if scenario == "mutual":
        kwargs["clientCertificate"] = client_identity
    if scenario == "tls12":
        kwargs["extraCertificateOptions"] = {
            "lowerMaximumSecurityTo": ssl.TLSVersion.TLSv1_2,
        }
    return ssl.optionsForClientTLS(hostname, **kwargs)


class Collector(protocol.Protocol):
    """Reads until the connection goes away; reports how it went away."""

    def __init__(self):
        self.received = b""
        self.done = defer.Deferred()

    def dataReceived(self, data):
        self.received += data

    def connectionLost(self, reason):
        # (a Failure handed to callback() would turn into an errback)
        self.done.callback(reason.type.__name__)


def start_python_tls_server(close_notify):
    """A one-shot server on Python's ssl: sends 3000 bytes, then closes with or
    without a TLS close_notify."""
    import socket, ssl as pyssl, threading

    ctx = pyssl.SSLContext(pyssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(chain_path, key_path)
    lsock = socket.socket()
    lsock.bind(("127.0.0.1", 0))
    lsock.listen(1)
    lsock.settimeout(10)

    def run():
        try:
            raw, _ = lsock.accept()
            raw.settimeout(10)
            tls = ctx.wrap_socket(raw, server_side=True)
            tls.sendall(b"bye" * 1000)
            if close_notify:
                try:
                    tls.unwrap()
                except (OSError, ValueError):
                    pass
            tls.close()
        finally:
            lsock.close()

    threading.Thread(target=run, daemon=True).start()
    return lsock.getsockname()[1]


@defer.inlineCallbacks
def close_scenario(reactor):
    port_number = start_python_tls_server(scenario == "clean-close")
    client = Collector()
    endpoint = endpoints.SSL4ClientEndpoint(
        reactor, "127.0.0.1", port_number, ssl.optionsForClientTLS("localhost", trustRoot=ca),
        timeout=5,
    )
    yield endpoints.connectProtocol(endpoint, client)
    timeout = reactor.callLater(20, client.done.cancel)
    reason = yield client.done
    if timeout.active():
        timeout.cancel()
    result["outcome"] = "closed"
    result["reason"] = reason
    result["received"] = len(client.received)
    print(json.dumps(result), flush=True)


@defer.inlineCallbacks
def main(reactor):
    if scenario in ("ragged-eof", "clean-close"):
        yield close_scenario(reactor)
        return
    server_factory = protocol.Factory.forProtocol(Echo)
    port = reactor.listenSSL(0, server_factory, server_options(), interface="127.0.0.1")
    try:
        message = b"hello twisted " * 20000
        client = Client(message)
        endpoint = endpoints.SSL4ClientEndpoint(
            reactor, "127.0.0.1", port.getHost().port, client_options(), timeout=5
        )
        yield endpoints.connectProtocol(endpoint, client)
        timeout = reactor.callLater(20, client.done.cancel)
        try:
            received = yield client.done
        except Exception as exc:
            result["outcome"] = "failed"
            result["error"] = "%s: %s" % (type(exc).__name__, exc)
        else:
            result["outcome"] = "echoed"
            result["echo_ok"] = received == message
            result["echo_len"] = len(received)
        finally:
            if timeout.active():
                timeout.cancel()
    finally:
        yield port.stopListening()
    print(json.dumps(result), flush=True)


task.react(main)
'''


def run_twisted(
    tmp_path: Path,
    scenario: str,
    *,
    ca_pem: Path,
    chain_pem: Path,
    key_pem: Path,
    client_chain_pem: Path,
    client_key_pem: Path,
    untrusted_ca_pem: Path | None = None,
) -> dict:
    """Run one Twisted TLS echo scenario in a child process; return its JSON result."""
    script = tmp_path / "twisted_child.py"
    script.write_text(TWISTED_CHILD)
    args = [
        sys.executable,
        str(script),
        scenario,
        str(ca_pem),
        str(chain_pem),
        str(key_pem),
        str(client_chain_pem),
        str(client_key_pem),
    ]
    if untrusted_ca_pem is not None:
        args.append(str(untrusted_ca_pem))
    env = dict(os.environ)
    # The child must import the same OpenSSL package as this process.
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    proc = subprocess.run(
        args,
        capture_output=True,
        timeout=CHILD_TIMEOUT,
        env=env,
        cwd=str(tmp_path),
        stdin=subprocess.DEVNULL,
    )
    lines = [line for line in proc.stdout.decode().splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise AssertionError(
            "twisted child failed (exit %s)\nstdout:\n%s\nstderr:\n%s"
            % (proc.returncode, proc.stdout.decode(), proc.stderr.decode())
        )
    return json.loads(lines[-1])

