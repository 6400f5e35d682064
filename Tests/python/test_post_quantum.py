"""Post-quantum key exchange on an OpenSSL that has it (3.5 and later: the
tox envs openssl35/openssl40, and pyOpenSSL's bundled 4.x): X25519MLKEM768 is
the default, set_groups takes the ML-KEM groups, and the openssl tool of the
same build agrees on the wire. On OpenSSL 3.0 these tests skip with a reason.
"""

import subprocess

import pytest

from OpenSSL import SSL

from extras_helpers import accept_ours, connect_ours
from socket_helpers import OPENSSL, OpenSSLServer, run_s_client

ML_KEM_LIBRARY = SSL.OPENSSL_VERSION_NUMBER >= 0x30500000
needs_ml_kem = pytest.mark.skipif(
    not ML_KEM_LIBRARY, reason="ML-KEM groups arrived with OpenSSL 3.5; this is %s"
    % SSL.OpenSSL_version(SSL.OPENSSL_VERSION).decode())
HYBRID = "X25519MLKEM768"
ML_KEM_GROUPS = ["X25519MLKEM768", "SecP256r1MLKEM768", "SecP384r1MLKEM1024",
                 "MLKEM512", "MLKEM768", "MLKEM1024"]


def _tool_has_ml_kem() -> bool:
    if OPENSSL is None:
        return False
    listed = subprocess.run([OPENSSL, "list", "-kem-algorithms"], capture_output=True, text=True)
    return listed.returncode == 0 and "ML-KEM" in listed.stdout


needs_ml_kem_tool = pytest.mark.skipif(
    not _tool_has_ml_kem(), reason="the openssl tool on PATH has no ML-KEM (it is 3.0 or missing)")


@needs_ml_kem
def test_two_connections_negotiate_the_hybrid_by_default(make_pair):
    client, server = make_pair(version=SSL.TLS1_3_VERSION)
    assert client.get_group_name() == HYBRID
    assert server.get_group_name() == HYBRID
    client.sendall(b"post-quantum")
    from conftest import transfer

    transfer(client, server)
    assert server.recv(100) == b"post-quantum"


@pytest.mark.ours
@needs_ml_kem
@pytest.mark.parametrize("group", ML_KEM_GROUPS)
def test_set_groups_takes_each_ml_kem_group(pki, group):
    from conftest import client_context, connection_pair, handshake, server_context

    sctx, cctx = server_context(pki.server_ec), client_context(pki)
    cctx.set_groups([group])
    sctx.set_groups([group, "X25519"])
    client, server = connection_pair(sctx, cctx, host=b"localhost")
    handshake(client, server)
    assert client.get_group_name() == server.get_group_name() == group


@pytest.mark.ours
@pytest.mark.skipif(ML_KEM_LIBRARY, reason="this OpenSSL has the ML-KEM groups")
@pytest.mark.parametrize("group", ML_KEM_GROUPS)
def test_without_ml_kem_set_groups_names_the_missing_group(group):
    with pytest.raises(ValueError, match=group):
        SSL.Context(SSL.TLS_METHOD).set_groups(group)


@needs_ml_kem
@needs_ml_kem_tool
def test_our_client_and_s_server_agree_on_the_hybrid(tmp_path, pki):
    from conftest import client_context

    server = OpenSSLServer("-cert", str(pki.server_ec.chain_pem), "-key", str(pki.server_ec.key_pem),
                           "-groups", HYBRID, "-tls1_3", "-www")
    try:
        conn, sock = connect_ours(client_context(pki), server.port)
        conn.do_handshake()
        assert conn.get_group_name() == HYBRID
        conn.sendall(b"GET / HTTP/1.0\r\n\r\n")
        page = b""
        while True:
            try:
                chunk = conn.recv(4096)
            except (SSL.ZeroReturnError, SSL.SysCallError):
                break
            if not chunk:
                break
            page += chunk
        sock.close()
    finally:
        server.stop()
    assert HYBRID.encode() in page  # s_server -www reports the shared group


@needs_ml_kem
@needs_ml_kem_tool
def test_s_client_and_our_server_agree_on_the_hybrid(pki):
    import socket
    import threading

    from conftest import server_context

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    seen = {}

    def serve():
        conn, raw = accept_ours(listener, server_context(pki.server_ec))
        conn.do_handshake()
        seen["group"] = conn.get_group_name()
        conn.sendall(b"hello over ML-KEM\n")
        conn.shutdown()
        raw.close()

    thread = threading.Thread(target=serve)
    thread.start()
    try:
        result = run_s_client("-connect", "127.0.0.1:%d" % listener.getsockname()[1],
                              "-groups", HYBRID, "-tls1_3", "-CAfile", str(pki.ca_pem), "-ign_eof",
                              "-servername", "localhost", "-verify_return_error", timeout=10)
    finally:
        thread.join(10)
        listener.close()
    output = result.stdout.decode(errors="replace")
    assert seen.get("group") == HYBRID
    assert "Negotiated TLS1.3 group: " + HYBRID in output or "Server Temp Key: " + HYBRID in output, output
    assert "hello over ML-KEM" in output
