"""``python -m OpenSSL serve``: a TLS echo server, one thread per connection.

Without --cert/--key it makes a CA and a server certificate for this run (for
localhost, 127.0.0.1, ::1 and --host) and prints the CA file's path so that a
client can trust it; the files are deleted when the server stops. Ctrl-C or
SIGTERM stops it (exit 0).
"""

from __future__ import annotations

import argparse
import shutil
import signal
import socket
import sys
import tempfile
import threading
from pathlib import Path

from OpenSSL import SSL
from OpenSSL._cli_connect import alpn_list, describe_error


def _port(text: str) -> int:
    if not text.isdigit() or not 0 <= int(text) < 65536:
        raise argparse.ArgumentTypeError(f"bad port {text!r}: expected a number from 0 to 65535")
    return int(text)


def add_parser(commands) -> None:
    serve = commands.add_parser(
        "serve", help="a TLS echo server (fresh self-signed CA unless --cert/--key)",
        description=__doc__.split("\n\n")[1].replace("\n", " "),
        epilog="exit codes: 0 stopped by Ctrl-C/SIGTERM or --once served its connection, "
        "1 the --once connection failed, 2 bad arguments or unusable --cert/--key, 3 cannot listen")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    serve.add_argument("--port", type=_port, default=0,
                       help="port to listen on; 0 picks a free one (default: %(default)s)")
    serve.add_argument("--cert", metavar="PEM", help="certificate chain file (leaf first); needs --key")
    serve.add_argument("--key", metavar="PEM", help="private key file for --cert")
    serve.add_argument("--alpn", type=alpn_list, metavar="PROTO[,PROTO...]",
                       help="ALPN protocols to accept, most preferred first")
    serve.add_argument("--once", action="store_true", help="serve one connection, then exit")
    serve.set_defaults(main=main, parser=serve)


_print_lock = threading.Lock()


def say(text: str) -> None:
    with _print_lock:
        print(text, flush=True)


def _make_context(cert: str, key: str, alpn: list[bytes] | None) -> SSL.Context:
    context = SSL.Context(SSL.TLS_SERVER_METHOD)
    context.use_certificate_chain_file(cert)
    context.use_privatekey_file(key)
    context.check_privatekey()
    if alpn:
        def choose(connection, offered):
            return next((p for p in alpn if p in offered), SSL.NO_OVERLAPPING_PROTOCOLS)

        context.set_alpn_select_callback(choose)
    return context


class EchoServer:
    """Accepts connections and echoes each one in its own thread."""

    def __init__(self, context: SSL.Context):
        self.context = context
        self.lock = threading.Lock()
        self.open: dict[threading.Thread, socket.socket] = {}

    def serve(self, listener: socket.socket, once: bool) -> bool:
        """Accept until interrupted; with *once*, return whether the first connection went well."""
        # accept() wakes up twice a second: Python runs signal handlers only
        # in this thread, and a stop signal the kernel hands to a connection
        # thread would otherwise wait here until the next client arrives.
        listener.settimeout(0.5)
        while True:
            try:
                sock, address = listener.accept()
            except TimeoutError:
                continue
            result: list[bool] = []
            thread = threading.Thread(target=lambda: result.append(self.echo(sock, address)), daemon=True)
            with self.lock:
                self.open[thread] = sock
            thread.start()
            if once:
                thread.join()
                return bool(result and result[0])

    def echo(self, sock: socket.socket, address) -> bool:
        peer = f"{address[0]}:{address[1]}"
        try:
            sock.settimeout(None)
            conn = SSL.Connection(self.context, sock)
            conn.set_accept_state()
            conn.do_handshake()
            alpn = conn.get_alpn_proto_negotiated().decode("ascii", "replace") or "(none)"
            say(f"{peer}: connected, {conn.get_protocol_version_name()} {conn.get_cipher_name()}, ALPN {alpn}")
            echoed, ending = 0, "closed"
            while True:
                try:
                    data = conn.recv(65536)
                except SSL.ZeroReturnError:
                    break
                except SSL.SysCallError:
                    ending = "closed without close_notify"
                    break
                conn.sendall(data)
                echoed += len(data)
            try:
                conn.shutdown()
            except SSL.Error:
                pass
            say(f"{peer}: {ending} after echoing {echoed} bytes")
            return True
        except (SSL.Error, OSError) as error:
            say(f"{peer}: failed: {describe_error(error)}")
            return False
        finally:
            with self.lock:
                self.open.pop(threading.current_thread(), None)
                sock.close()

    def stop(self) -> None:
        """Wake every connection thread (their reads see EOF) and wait for them briefly."""
        with self.lock:
            threads = list(self.open.items())
            for _, sock in threads:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        for thread, _ in threads:
            thread.join(timeout=2)


def _stop_on_sigterm(signum, frame):
    raise KeyboardInterrupt


def main(arguments: argparse.Namespace) -> int:
    if (arguments.cert is None) != (arguments.key is None):
        arguments.parser.error("--cert and --key go together")
    scratch = None
    try:
        if arguments.cert is None:
            scratch = Path(tempfile.mkdtemp(prefix="swift-pyopenssl-serve-"))
            names = ["localhost", "127.0.0.1", "::1"]
            if arguments.host not in ("", "0.0.0.0", "::"):
                names.append(arguments.host)
            from OpenSSL._cli_certs import make_certificates

            ca, arguments.cert, arguments.key = make_certificates(scratch, names, label="swift-pyopenssl serve")
            say(f"CA certificate: {ca} (made for this run; trust it with --cafile)")
        try:
            context = _make_context(str(arguments.cert), str(arguments.key), arguments.alpn)
        except SSL.Error as error:
            print(f"error: cannot use --cert/--key: {describe_error(error)}", file=sys.stderr)
            return 2
        family = socket.AF_INET6 if ":" in arguments.host else socket.AF_INET
        try:
            listener = socket.create_server((arguments.host, arguments.port), family=family)
        except OSError as error:
            reason = error.strerror or error
            print(f"error: cannot listen on {arguments.host}:{arguments.port}: {reason}", file=sys.stderr)
            return 3
        host, port = listener.getsockname()[:2]
        say(f"listening on {f'[{host}]' if ':' in host else host}:{port}")
        previous = signal.signal(signal.SIGTERM, _stop_on_sigterm)
        server = EchoServer(context)
        ok = True
        try:
            ok = server.serve(listener, arguments.once)
        except KeyboardInterrupt:
            say("stopping")
        finally:
            signal.signal(signal.SIGTERM, previous)
            listener.close()
            server.stop()
        return 0 if ok else 1
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
