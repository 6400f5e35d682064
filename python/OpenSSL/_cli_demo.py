"""``python -m OpenSSL demo``: a verified TLS handshake and an echo over 127.0.0.1."""

from __future__ import annotations

import argparse
import socket
import tempfile
import threading
from pathlib import Path

from OpenSSL import SSL
from OpenSSL._cli_certs import make_certificates


def add_parser(commands) -> None:
    demo = commands.add_parser(
        "demo", help="a verified TLS handshake and echo on 127.0.0.1",
        description="Run a TLS server and client from this module on 127.0.0.1, with a CA and "
        "server certificate made fresh for the run, and echo one message.")
    demo.add_argument("--message", default="hello over TLS", help="what the client sends (default: %(default)r)")
    demo.add_argument("--tls12", action="store_true", help="pin TLS 1.2 instead of negotiating TLS 1.3")
    demo.set_defaults(main=main)


def main(arguments: argparse.Namespace) -> int:
    return run(arguments.message.encode(), tls12=arguments.tls12)


def _serve_once(listener: socket.socket, context: SSL.Context, errors: list[BaseException]) -> None:
    try:
        sock, _ = listener.accept()
        with sock:
            sock.settimeout(None)
            server = SSL.Connection(context, sock)
            server.set_accept_state()
            server.do_handshake()
            data = server.recv(65536)
            server.sendall(data)
            server.shutdown()
    except BaseException as error:  # reported by the client side
        errors.append(error)


def run(message: bytes, *, tls12: bool = False) -> int:
    with tempfile.TemporaryDirectory(prefix="swift-pyopenssl-demo-") as scratch:
        ca, cert, key = make_certificates(Path(scratch))

        server_context = SSL.Context(SSL.TLS_SERVER_METHOD)
        server_context.use_certificate_chain_file(str(cert))
        server_context.use_privatekey_file(str(key))
        server_context.check_privatekey()
        if tls12:
            server_context.set_max_proto_version(SSL.TLS1_2_VERSION)
        if hasattr(server_context, "set_alpn_select_callback"):
            server_context.set_alpn_select_callback(
                lambda connection, offered: b"http/1.1" if b"http/1.1" in offered else SSL.NO_OVERLAPPING_PROTOCOLS)

        client_context = SSL.Context(SSL.TLS_CLIENT_METHOD)
        client_context.set_verify(SSL.VERIFY_PEER)
        client_context.load_verify_locations(str(ca))
        client_context.set_alpn_protos([b"h2", b"http/1.1"])

        listener = socket.create_server(("127.0.0.1", 0))
        errors: list[BaseException] = []
        server_thread = threading.Thread(target=_serve_once, args=(listener, server_context, errors))
        server_thread.start()
        try:
            sock = socket.create_connection(listener.getsockname(), timeout=10)
            sock.settimeout(None)
            with sock:
                client = SSL.Connection(client_context, sock)
                client.set_connect_state()
                client.set_tlsext_host_name(b"localhost")
                client.do_handshake()
                client.sendall(message)
                echoed = client.recv(65536)
                host, port = listener.getsockname()
                print(f"server:    {host}:{port} (this module, in a thread)")
                print(f"protocol:  {client.get_protocol_version_name()}")
                print(f"cipher:    {client.get_cipher_name()} ({client.get_cipher_bits()} bits)")
                print(f"ALPN:      {client.get_alpn_proto_negotiated().decode() or '(none)'}")
                peer = client.get_peer_certificate(as_cryptography=True)
                if peer is not None:
                    print(f"peer:      {peer.subject.rfc4514_string()}")
                print(f"verified:  yes (VERIFY_PEER against the demo CA)")
                print(f"sent:      {message!r}")
                print(f"echoed:    {echoed!r}")
        finally:
            server_thread.join(timeout=10)
            listener.close()
        if errors:
            raise errors[0]
        return 0 if echoed == message else 1
