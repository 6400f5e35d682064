"""``python -m OpenSSL demo``: a verified TLS handshake and an echo over 127.0.0.1."""

from __future__ import annotations

import datetime
import socket
import tempfile
import threading
from pathlib import Path

from OpenSSL import SSL


def _make_certificates(directory: Path) -> tuple[Path, Path, Path]:
    """A throwaway CA and a server certificate for localhost / 127.0.0.1."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "swift-pyopenssl demo CA")])
    ca = (
        x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
        .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "swift-pyopenssl demo"),
        x509.NameAttribute(NameOID.COMMON_NAME, "localhost"),
    ])
    cert = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(ca_name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([
            x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    ca_path, cert_path, key_path = directory / "ca.pem", directory / "server.pem", directory / "server.key"
    ca_path.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return ca_path, cert_path, key_path


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
        ca, cert, key = _make_certificates(Path(scratch))

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
                peer = client.get_peer_certificate() if hasattr(client, "get_peer_certificate") else None
                if peer is not None:
                    print(f"peer:      {peer.get_subject()}")
                print(f"verified:  yes (VERIFY_PEER against the demo CA)")
                print(f"sent:      {message!r}")
                print(f"echoed:    {echoed!r}")
        finally:
            server_thread.join(timeout=10)
            listener.close()
        if errors:
            raise errors[0]
        return 0 if echoed == message else 1
