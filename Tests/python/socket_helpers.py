"""Plumbing for the tests that run ``OpenSSL.SSL.Connection`` over real sockets
(TCP and UDP on 127.0.0.1 / ::1) and against the ``openssl`` command-line tool.

Everything here has a deadline: sockets carry timeouts (or a kernel-level
watchdog when they must stay blocking), loops give up after ``IO_TIMEOUT``
seconds and subprocesses are killed when a test ends.  Only the standard library,
pytest and the module under test are used.
"""

from __future__ import annotations

import os
import re
import select
import shutil
import socket
import struct
import subprocess
import threading
import time

import pytest

from OpenSSL import SSL

# Upper bound for anything that waits on a peer.  Tests are expected to finish
# far quicker; this only turns a hang into a failure.
IO_TIMEOUT = 5.0

OPENSSL = shutil.which("openssl")
needs_openssl = pytest.mark.skipif(OPENSSL is None, reason="no openssl binary")

LOOPBACK = {socket.AF_INET: "127.0.0.1", socket.AF_INET6: "::1"}


def _ipv6_works() -> bool:
    if not socket.has_ipv6:
        return False
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


IPV6 = _ipv6_works()

FAMILIES = [
    pytest.param(socket.AF_INET, id="ipv4"),
    pytest.param(
        socket.AF_INET6,
        id="ipv6",
        marks=pytest.mark.skipif(not IPV6, reason="no IPv6 loopback"),
    ),
]

# How the socket handed to Connection(ctx, sock) is configured.
MODES = ["blocking", "timeout", "nonblocking"]


# ---------------------------------------------------------------------------
# raw sockets


def arm_watchdog(sock: socket.socket, seconds: float = IO_TIMEOUT) -> None:
    """Leave *sock* blocking for Python, but make the kernel abandon a read or
    write after *seconds* so that a stuck OpenSSL call fails instead of hanging."""
    sec = int(seconds)
    usec = int((seconds - sec) * 1_000_000)
    timeval = struct.pack("ll", sec, usec)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, timeval)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, timeval)


def set_mode(sock: socket.socket, mode: str) -> None:
    """Configure *sock* as "blocking" (with a kernel watchdog), "timeout"
    (a Python-level timeout, which makes the fd non-blocking) or "nonblocking"."""
    if mode == "blocking":
        sock.settimeout(None)
        arm_watchdog(sock)
    elif mode == "timeout":
        sock.settimeout(IO_TIMEOUT)
    elif mode == "nonblocking":
        sock.setblocking(False)
    else:
        raise ValueError(mode)


def tcp_listener(family: int = socket.AF_INET, backlog: int = 4) -> socket.socket:
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((LOOPBACK[family], 0))
    sock.listen(backlog)
    sock.settimeout(IO_TIMEOUT)
    return sock


def tcp_pair(family: int = socket.AF_INET):
    """Two connected TCP sockets on the loopback: (client side, server side).
    Both carry a Python timeout of IO_TIMEOUT."""
    with tcp_listener(family) as lsock:
        client = socket.socket(family, socket.SOCK_STREAM)
        client.settimeout(IO_TIMEOUT)
        client.connect(lsock.getsockname()[:2])
        server, _ = lsock.accept()
    server.settimeout(IO_TIMEOUT)
    return client, server


def free_port(kind: int = socket.SOCK_STREAM) -> int:
    """A port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, kind) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Tracker:
    """Closes every socket / stops every process registered with it."""

    def __init__(self):
        self.sockets = []
        self.processes = []

    def add(self, *objs):
        self.sockets.extend(objs)
        return objs[0] if len(objs) == 1 else objs

    def close(self):
        for sock in self.sockets:
            try:
                sock.close()
            except Exception:  # noqa: BLE001 - best effort cleanup
                pass
        for proc in self.processes:
            proc.stop()


@pytest.fixture
def tracker():
    """Register sockets and servers here; they are closed when the test ends."""
    t = Tracker()
    yield t
    t.close()


# ---------------------------------------------------------------------------
# driving non-blocking Connections


def _fd_of(conn: SSL.Connection):
    """The descriptor to wait on, or None when the Connection's "socket" has no
    fileno() (e.g. it was built from a bare int descriptor)."""
    try:
        return conn.fileno()
    except AttributeError:
        return None


def _select(read, write, timeout: float) -> None:
    read = [fd for fd in read if fd is not None]
    write = [fd for fd in write if fd is not None]
    if read or write:
        select.select(read, write, [], timeout)
    else:
        time.sleep(min(timeout, 0.01))


def retry(call, conn: SSL.Connection, deadline: float | None = None):
    """Call *call()* until it stops raising Want{Read,Write}Error, waiting on
    *conn*'s socket in between.  For Connections over non-blocking sockets."""
    deadline = deadline or time.monotonic() + IO_TIMEOUT
    while True:
        try:
            return call()
        except SSL.WantReadError:
            wait_readable(conn, deadline)
        except SSL.WantWriteError:
            wait_writable(conn, deadline)


def wait_readable(conn, deadline: float) -> None:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise TimeoutError("peer too slow")
    _select([_fd_of(conn)], [], min(remaining, 0.2))


def wait_writable(conn, deadline: float) -> None:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise TimeoutError("peer too slow")
    _select([], [_fd_of(conn)], min(remaining, 0.2))


def handshake_nonblocking(*conns: SSL.Connection, timeout: float = IO_TIMEOUT):
    """Complete the handshake of every connection in one thread.  Their sockets
    must be non-blocking at the OS level (no timeout=None sockets)."""
    pending = list(conns)
    deadline = time.monotonic() + timeout
    while pending:
        if time.monotonic() > deadline:
            raise TimeoutError("handshake did not complete")
        waiting = []
        for conn in list(pending):
            try:
                conn.do_handshake()
            except (SSL.WantReadError, SSL.WantWriteError):
                waiting.append(conn)
            else:
                pending.remove(conn)
        if waiting:
            _select([_fd_of(c) for c in waiting], [], 0.05)


def handshake_threaded(client: SSL.Connection, server: SSL.Connection):
    """Complete a handshake between two Connections over blocking sockets,
    the server side in a helper thread."""
    peer = Background(server.do_handshake)
    client.do_handshake()
    peer.join()


def handshake_sockets(client, server, mode: str) -> None:
    if mode == "blocking":
        handshake_threaded(client, server)
    else:
        handshake_nonblocking(client, server)


def recv_exactly(conn: SSL.Connection, n: int, deadline: float | None = None) -> bytes:
    """Read exactly *n* plaintext bytes, whatever the socket's mode."""
    deadline = deadline or time.monotonic() + IO_TIMEOUT
    out = b""
    while len(out) < n:
        out += retry(lambda: conn.recv(n - len(out)), conn, deadline)
    return out


def send_all(conn: SSL.Connection, data: bytes, deadline: float | None = None) -> int:
    """Write all of *data* with send(), whatever the socket's mode."""
    deadline = deadline or time.monotonic() + IO_TIMEOUT
    view = memoryview(data)
    sent = 0
    while sent < len(data):
        chunk = view[sent:]
        sent += retry(lambda: conn.send(chunk), conn, deadline)
    return sent


def socket_connections(sctx, cctx, family=socket.AF_INET, mode="nonblocking",
                       *, handshake=True, tracker=None, host=b"localhost"):
    """A client and a server Connection over a loopback TCP pair.

    Returns (client_conn, server_conn, client_sock, server_sock)."""
    csock, ssock = tcp_pair(family)
    if tracker is not None:
        tracker.add(csock, ssock)
    set_mode(csock, mode)
    set_mode(ssock, mode)
    client = SSL.Connection(cctx, csock)
    client.set_connect_state()
    if host is not None:
        client.set_tlsext_host_name(host)
    server = SSL.Connection(sctx, ssock)
    server.set_accept_state()
    if handshake:
        handshake_sockets(client, server, mode)
    return client, server, csock, ssock


class Background:
    """Run *target* in a daemon thread; join() re-raises what it raised."""

    def __init__(self, target, *args):
        self.result = None
        self.error = None

        def run():
            try:
                self.result = target(*args)
            except BaseException as exc:  # noqa: BLE001 - handed to join()
                self.error = exc

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()

    def alive(self) -> bool:
        return self.thread.is_alive()

    def join(self, timeout=2 * IO_TIMEOUT):
        self.thread.join(timeout)
        if self.thread.is_alive():
            raise TimeoutError("background thread did not finish")
        if self.error is not None:
            raise self.error
        return self.result


# ---------------------------------------------------------------------------
# memory-BIO DTLS plumbing


def bio_datagrams(conn: SSL.Connection) -> list:
    """Everything queued in *conn*'s outgoing memory BIO, one bio_read per
    element (the test treats each element as one datagram)."""
    out = []
    while True:
        try:
            chunk = conn.bio_read(65536)
        except SSL.WantReadError:
            return out
        if not chunk:
            return out
        out.append(chunk)


# ---------------------------------------------------------------------------
# the openssl command-line tool


class OpenSSLServer:
    """``openssl s_server`` on an ephemeral port of 127.0.0.1.

    ``-accept 127.0.0.1:0`` lets the tool pick the port, which it prints as
    ``ACCEPT 127.0.0.1:<port>``; we parse that."""

    def __init__(self, *args: str, naccept: int = 1):
        self.proc = subprocess.Popen(
            [OPENSSL, "s_server", "-accept", "127.0.0.1:0",
             "-naccept", str(naccept), *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self.output = b""
        self.port = self._wait_for_port()

    def _wait_for_port(self) -> int:
        fd = self.proc.stdout.fileno()
        deadline = time.monotonic() + IO_TIMEOUT
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if ready:
                chunk = os.read(fd, 4096)
                if not chunk:
                    break
                self.output += chunk
                match = re.search(rb"ACCEPT [^\n]*:(\d+)\s*\n", self.output)
                if match:
                    return int(match.group(1))
            elif self.proc.poll() is not None:
                break
        self.stop()
        raise RuntimeError("s_server did not start: %r" % (self.output,))

    def read_until(self, needle: bytes, timeout: float = IO_TIMEOUT) -> bytes:
        """Collect stdout until *needle* shows up (or raise TimeoutError)."""
        fd = self.proc.stdout.fileno()
        deadline = time.monotonic() + timeout
        while needle not in self.output:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("%r not in %r" % (needle, self.output))
            ready, _, _ = select.select([fd], [], [], min(remaining, 0.05))
            if ready:
                chunk = os.read(fd, 4096)
                if not chunk:
                    raise EOFError(self.output)
                self.output += chunk
        return self.output

    def finish(self, timeout: float = IO_TIMEOUT) -> str:
        out, err = self.proc.communicate(timeout=timeout)
        self.output += out
        return self.output.decode("latin-1") + err.decode("latin-1")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        try:
            self.proc.communicate(timeout=IO_TIMEOUT)
        except (ValueError, subprocess.TimeoutExpired):
            pass


def run_s_client(*args: str, stdin: bytes = b"", timeout: float = IO_TIMEOUT):
    """Run ``openssl s_client`` to completion; returns CompletedProcess."""
    return subprocess.run(
        [OPENSSL, "s_client", *args],
        input=stdin,
        capture_output=True,
        timeout=timeout,
    )


class UDPPump:
    """Carries a memory-BIO DTLS Connection over a connected UDP socket.

    Every bio_read() result goes out as one datagram, every datagram received
    is handed to bio_write() on its own, and DTLS retransmission timers are
    serviced with DTLSv1_get_timeout()/DTLSv1_handle_timeout()."""

    def __init__(self, conn: SSL.Connection, peer, family=socket.AF_INET, sock=None):
        """*sock*: an existing UDP socket to use instead of a new one."""
        self.conn = conn
        self.sock = sock if sock is not None else socket.socket(family, socket.SOCK_DGRAM)
        self.sock.connect(peer)
        self.sock.settimeout(0.05)
        self.sent = 0
        self.received = 0

    def flush(self) -> None:
        for datagram in bio_datagrams(self.conn):
            self.sock.send(datagram)
            self.sent += 1

    def feed(self, wait: float = 0.05) -> bool:
        """Hand over whatever datagrams arrive within *wait* seconds."""
        got = False
        self.sock.settimeout(wait)
        while True:
            try:
                datagram = self.sock.recv(65536)
            except (socket.timeout, BlockingIOError):
                break
            self.conn.bio_write(datagram)
            self.received += 1
            got = True
            self.sock.settimeout(0.0)
        return got

    def service_timer(self) -> None:
        timeout = self.conn.DTLSv1_get_timeout()
        if timeout is not None and timeout <= 0:
            self.conn.DTLSv1_handle_timeout()

    def run(self, operation, timeout: float = IO_TIMEOUT):
        """Call *operation()* until it stops raising WantReadError."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                result = operation()
            except SSL.WantReadError:
                self.flush()
                if time.monotonic() > deadline:
                    raise TimeoutError("DTLS peer too slow")
                if not self.feed():
                    self.service_timer()
            else:
                self.flush()
                return result

    def close(self) -> None:
        self.sock.close()
