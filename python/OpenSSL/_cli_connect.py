"""``python -m OpenSSL connect HOST:PORT``: a TLS client that reports what it saw.

Connect over TLS and show the peer's chain, the verification result, protocol,
cipher, ALPN and whether the server resumes the session. Like openssl s_client,
the handshake runs to the end even when the peer's certificate does not verify,
so the chain can be printed; nothing is sent to the peer either way. A second
connection offers the first one's session to show whether the server resumes it.
"""

from __future__ import annotations

import argparse
import ipaddress
import select
import socket
import sys
import time

from OpenSSL import SSL

EXIT_OK, EXIT_VERIFY, EXIT_USAGE, EXIT_NETWORK = 0, 1, 2, 3

# X509_V_ERR_* codes a verify callback sees most often, with OpenSSL's wording.
_VERIFY_ERRORS = {
    2: "unable to get issuer certificate",
    7: "certificate signature failure",
    9: "certificate is not yet valid",
    10: "certificate has expired",
    18: "self-signed certificate",
    19: "self-signed certificate in certificate chain",
    20: "unable to get local issuer certificate",
    21: "unable to verify the first certificate",
    23: "certificate revoked",
    24: "invalid CA certificate",
    26: "unsupported certificate purpose",
    62: "hostname mismatch",
    64: "IP address mismatch",
}


class NetworkError(Exception):
    """Resolving, connecting, a timeout or the peer dropping the connection: exit 3."""


class HandshakeError(Exception):
    """The TLS handshake failed (an alert, no shared protocol, ...): exit 1."""


# ---------------------------------------------------------------------------
# arguments


def host_port(text: str) -> tuple[str, int]:
    """'example.com:443', '127.0.0.1:443' or '[::1]:443'."""
    host, colon, port = text.rpartition(":")
    if not colon or not host or not port:
        raise argparse.ArgumentTypeError(f"expected HOST:PORT, got {text!r} (the port is required)")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    elif ":" in host:
        raise argparse.ArgumentTypeError(f"write IPv6 addresses in brackets: [{host}]:{port}")
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise argparse.ArgumentTypeError(f"bad port {port!r}: expected a number from 1 to 65535")
    return host, int(port)


def alpn_list(text: str) -> list[bytes]:
    protocols = [p.strip().encode() for p in text.split(",")]
    if not all(0 < len(p) < 256 for p in protocols):
        raise argparse.ArgumentTypeError(f"bad ALPN list {text!r}: expected names like h2,http/1.1")
    return protocols


def positive_seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = 0.0
    if not seconds > 0:
        raise argparse.ArgumentTypeError(f"bad timeout {text!r}: expected a positive number of seconds")
    return seconds


def server_name(text: str) -> bytes:
    try:
        return text.encode("idna")
    except UnicodeError:
        raise argparse.ArgumentTypeError(f"bad server name {text!r}") from None


def add_parser(commands) -> None:
    connect = commands.add_parser(
        "connect", help="connect to HOST:PORT and report chain, verification and resumption",
        description=__doc__.split("\n\n")[1].replace("\n", " "),
        epilog="exit codes: 0 verified (or --insecure), 1 verification or handshake failed, "
        "2 bad arguments, 3 network error (DNS, refused, timeout, connection dropped)")
    add = connect.add_argument
    add("target", type=host_port, metavar="HOST:PORT", help="where to connect ([::1]:443 for IPv6)")
    add("--servername", type=server_name, metavar="NAME",
        help="SNI name and the name the certificate must match (default: HOST unless it is an IP address)")
    add("--cafile", metavar="PATH", help="trusted CA certificates (PEM); default: the system's")
    add("--alpn", type=alpn_list, metavar="PROTO[,PROTO...]", help="ALPN protocols to offer, e.g. h2,http/1.1")
    add("--insecure", action="store_true", help="do not verify the peer (the chain is still printed)")
    add("--timeout", type=positive_seconds, default=10.0, metavar="SECONDS",
        help="limit for connecting plus the handshake, per connection (default: %(default)s)")
    connect.set_defaults(main=main)


# ---------------------------------------------------------------------------
# one connection


def _wait(sock: socket.socket, want_write: bool, deadline: float) -> None:
    remaining = max(deadline - time.monotonic(), 0)
    readers, writers = ([], [sock]) if want_write else ([sock], [])
    readable, writable, _ = select.select(readers, writers, [], remaining)
    if not (readable or writable):
        raise TimeoutError


def _drive(conn: SSL.Connection, sock: socket.socket, operation, deadline: float):
    """Run *operation* on the non-blocking socket, waiting as OpenSSL asks."""
    while True:
        try:
            return operation()
        except SSL.WantReadError:
            _wait(sock, False, deadline)
        except SSL.WantWriteError:
            _wait(sock, True, deadline)


def describe_error(error: Exception) -> str:
    """SSL.Error's [(lib, func, reason), ...] as 'reason; reason'; other errors as text."""
    details = error.args[0] if error.args else None
    if isinstance(details, list):
        reasons = [str(entry[-1]) for entry in details if entry[-1]]
        if reasons:
            return "; ".join(dict.fromkeys(reasons))
    return str(error) or type(error).__name__


def _open(arguments, context: SSL.Context, session=None) -> tuple[SSL.Connection, socket.socket]:
    host, port = arguments.target
    deadline = time.monotonic() + arguments.timeout
    try:
        sock = socket.create_connection((host, port), timeout=arguments.timeout)
    except socket.gaierror as error:
        raise NetworkError(f"cannot resolve {host}: {error.strerror}") from None
    except TimeoutError:
        raise NetworkError(f"connecting to {host}:{port} timed out after {arguments.timeout:g}s") from None
    except OSError as error:
        raise NetworkError(f"cannot connect to {host}:{port}: {error.strerror or error}") from None
    sock.setblocking(False)
    conn = SSL.Connection(context, sock)
    conn.set_connect_state()
    if arguments.sni:
        conn.set_tlsext_host_name(arguments.sni)
    if not arguments.insecure:
        check_identity(conn, verification_name(arguments))
    if session is not None:
        conn.set_session(session)
    try:
        _drive(conn, sock, conn.do_handshake, deadline)
    except BaseException as error:
        sock.close()
        if isinstance(error, TimeoutError):
            raise NetworkError(f"TLS handshake with {host}:{port} timed out after {arguments.timeout:g}s") from None
        if isinstance(error, SSL.SysCallError):
            reason = error.args[1] if len(error.args) > 1 else error
            raise NetworkError(f"connection to {host}:{port} dropped during the TLS handshake: {reason}") from None
        if isinstance(error, SSL.Error):
            raise HandshakeError(f"TLS handshake with {host}:{port} failed: {describe_error(error)}") from None
        raise
    return conn, sock


def _collect_tickets(conn: SSL.Connection, sock: socket.socket, wait: float) -> None:
    """TLS 1.3 servers send session tickets after the handshake. Read (no data
    is expected) until *wait* seconds pass or the records stop coming."""
    deadline = time.monotonic() + wait
    while select.select([sock], [], [], max(deadline - time.monotonic(), 0))[0]:
        try:
            conn.recv(65536)  # application data, if any, is not ours to show
        except SSL.WantReadError:
            deadline = min(deadline, time.monotonic() + 0.1)  # a ticket: a second one may follow
        except SSL.Error:  # the peer closed: whatever arrived before is processed
            return


def _close(conn: SSL.Connection, sock: socket.socket) -> None:
    try:
        conn.shutdown()
    except SSL.Error:
        pass
    sock.close()


# ---------------------------------------------------------------------------
# verification


def verification_name(arguments) -> str:
    """The name the certificate must be valid for: the SNI name, else the host."""
    return arguments.sni.decode("idna") if arguments.sni else arguments.target[0]


def check_identity(conn: SSL.Connection, name: str) -> None:
    """Has OpenSSL check, during verification, that the peer's certificate is
    valid for *name* (an IP address or a DNS name)."""
    try:
        ipaddress.ip_address(name)
    except ValueError:
        conn.set_verify_hostname(name)
    else:
        conn.set_verify_ip(name)


# ---------------------------------------------------------------------------
# the command


def _make_context(arguments, failures: list) -> SSL.Context:
    context = SSL.Context(SSL.TLS_CLIENT_METHOD)
    if arguments.insecure:
        context.set_verify(SSL.VERIFY_NONE)
    else:
        def remember(conn, cert, errno, depth, ok):
            if not ok:
                failures.append((depth, errno))
            return True  # finish the handshake anyway; the verdict comes after it

        context.set_verify(SSL.VERIFY_PEER, remember)
        if arguments.cafile:
            try:
                context.load_verify_locations(arguments.cafile)
            except SSL.Error as error:
                reason = describe_error(error)
                raise argparse.ArgumentTypeError(f"cannot load --cafile {arguments.cafile}: {reason}") from None
        else:
            context.set_default_verify_paths()
    if arguments.alpn:
        context.set_alpn_protos(arguments.alpn)
    return context


def _verdict(arguments, conn: SSL.Connection, failures: list) -> str | None:
    """None when verified, else the reason."""
    if failures:
        depth, errno = failures[0]
        return f"depth {depth}: {_VERIFY_ERRORS.get(errno, f'X509 verify error {errno}')}"
    if conn.get_peer_certificate() is None:
        return "the server sent no certificate"
    return None


def _report(arguments, conn: SSL.Connection, problem: str | None) -> None:
    host, port = arguments.target
    sni = f"SNI {arguments.sni.decode('idna')}" if arguments.sni else "no SNI"
    shown = f"[{host}]" if ":" in host else host
    print(f"connected:     {shown}:{port} ({sni})")
    chain = conn.get_peer_cert_chain(as_cryptography=True) or []
    print("chain:" if chain else "chain:         (no certificates)")
    for depth, cert in enumerate(chain):
        print(f"  {depth} subject: {cert.subject.rfc4514_string()}")
        print(f"    issuer:  {cert.issuer.rfc4514_string()}")
    if arguments.insecure:
        print("verification:  not verified (--insecure)")
    elif problem is None:
        print(f"verification:  ok (trusted chain, certificate valid for {verification_name(arguments)})")
    else:
        print(f"verification:  failed: {problem}")
    print(f"protocol:      {conn.get_protocol_version_name()}")
    print(f"cipher:        {conn.get_cipher_name()} ({conn.get_cipher_bits()} bits)")
    if arguments.alpn:
        print(f"ALPN:          {conn.get_alpn_proto_negotiated().decode('ascii', 'replace') or '(none negotiated)'}")
    else:
        print("ALPN:          (not offered)")


def _resumption(arguments, context: SSL.Context, session) -> str:
    if session is None:
        return "no (the server sent no session to resume)"
    try:
        conn, sock = _open(arguments, context, session)
    except (NetworkError, HandshakeError) as error:
        return f"no (second connection failed: {error})"
    try:
        return "yes" if conn.session_reused() else "no (the server did not resume the session)"
    finally:
        _close(conn, sock)


def _default_sni(host: str) -> bytes | None:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return server_name(host)
    return None  # SNI carries names only


def main(arguments: argparse.Namespace) -> int:
    failures: list = []
    try:
        arguments.sni = arguments.servername or _default_sni(arguments.target[0])
        context = _make_context(arguments, failures)
        conn, sock = _open(arguments, context)
    except argparse.ArgumentTypeError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except NetworkError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_NETWORK
    except HandshakeError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_VERIFY
    except KeyboardInterrupt:
        return 130
    try:
        problem = None if arguments.insecure else _verdict(arguments, conn, failures)
        _report(arguments, conn, problem)
        if conn.get_protocol_version_name() == "TLSv1.3":
            _collect_tickets(conn, sock, min(1.0, arguments.timeout))
        session = conn.get_session()
    finally:
        _close(conn, sock)
    print(f"resumed:       {_resumption(arguments, context, session)}")
    if problem is not None:
        print(f"error: certificate verification failed: {problem}", file=sys.stderr)
        return EXIT_VERIFY
    return EXIT_OK
