"""Real libraries that use pyOpenSSL, run unchanged on the module under test:
urllib3's pyOpenSSL backend (``urllib3.contrib.pyopenssl``), requests on top of
it, trustme, service_identity and Twisted's TLS.

A developer's environment without these libraries skips this file. In CI
(``CI`` set to true), in a tox env (``TOX_ENV_NAME``; tox.ini installs them)
and in the wheel test (``SWIFT_PYOPENSSL_WHEEL_TEST=1``) a missing one is a
broken environment: collecting the file fails instead. Servers listen on
127.0.0.1 only, are started by the test that uses them and stopped
afterwards; every wait has a timeout.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import socket
import subprocess
import sys
import warnings

sys.path.insert(0, os.path.dirname(__file__))

import pytest


def libraries_are_required() -> bool:
    return (
        os.environ.get("CI", "").lower() in ("1", "true", "yes")
        or "TOX_ENV_NAME" in os.environ
        or os.environ.get("SWIFT_PYOPENSSL_WHEEL_TEST") == "1"
    )


def library(name: str):
    """Import *name*; if it is missing, skip this file, or fail collecting
    it where the libraries are required."""
    if not libraries_are_required():
        return pytest.importorskip(name)
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        pytest.fail(f"{name} is required here (CI, tox or wheel test) but cannot be imported: {exc}",
                    pytrace=False)


# Once a library is there, importing its pyOpenSSL-facing module must work (a
# failure there is a failure of ours, not a reason to skip): plain imports.
urllib3 = library("urllib3")
requests = library("requests")
trustme = library("trustme")
service_identity = library("service_identity")
library("twisted")

import OpenSSL  # noqa: E402
import service_identity.pyopenssl  # noqa: E402
import twisted.internet.ssl  # noqa: E402, F401
import urllib3.contrib.pyopenssl as pyopenssl_contrib  # noqa: E402
from cryptography import x509  # noqa: E402
from cryptography.hazmat.primitives import serialization  # noqa: E402
from OpenSSL import SSL  # noqa: E402

from conftest import (  # noqa: E402
    IO_TIMEOUT,
    Background,
    connection_pair,
    handshake,
    listener,
    recv_exactly,
    SocketEndpoint,
)
from handshake_failures import assert_failure, fail_handshake  # noqa: E402
from third_party_helpers import (  # noqa: E402
    HTTPSServer,
    body_of_size,
    run_twisted,
    write_encrypted_key,
)

TIMEOUT = urllib3.Timeout(connect=IO_TIMEOUT, read=IO_TIMEOUT)


def _peer_cert(conn: SSL.Connection):
    """The peer certificate as pyOpenSSL's X509 (get_peer_certificate() without
    as_cryptography, the form these libraries use)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return conn.get_peer_certificate()


# ---------------------------------------------------------------------------
# fixtures


@pytest.fixture
def injected():
    """urllib3 with its pyOpenSSL backend injected; undone afterwards."""
    pyopenssl_contrib.inject_into_urllib3()
    try:
        yield pyopenssl_contrib
    finally:
        pyopenssl_contrib.extract_from_urllib3()


@pytest.fixture
def wrap_spy(injected, monkeypatch):
    """Record what PyOpenSSLContext.wrap_socket returned, to prove that a
    request went through pyOpenSSL (and so through the module under test)."""
    wrapped = []
    original = pyopenssl_contrib.PyOpenSSLContext.wrap_socket

    def spy(self, *args, **kwargs):
        sock = original(self, *args, **kwargs)
        wrapped.append(sock)
        return sock

    monkeypatch.setattr(pyopenssl_contrib.PyOpenSSLContext, "wrap_socket", spy)
    return wrapped


@pytest.fixture
def https_server(pki):
    with HTTPSServer(pki.server_rsa.chain_pem, pki.server_rsa.key_pem, alpn=["http/1.1"]) as server:
        yield server


@pytest.fixture
def untrusted_server(pki):
    with HTTPSServer(pki.untrusted_server.chain_pem, pki.untrusted_server.key_pem) as server:
        yield server


@pytest.fixture
def mtls_server(pki):
    with HTTPSServer(
        pki.server_rsa.chain_pem, pki.server_rsa.key_pem, client_ca=pki.ca_pem
    ) as server:
        yield server


def _assert_pyopenssl_socket(sock) -> None:
    assert isinstance(sock, pyopenssl_contrib.WrappedSocket), type(sock)
    assert isinstance(sock.connection, SSL.Connection), type(sock.connection)


# ---------------------------------------------------------------------------
# importing


def test_imports_are_warning_free():
    # Test suites of these libraries (and their users) often turn warnings
    # into errors: importing them on top of OpenSSL must not warn.
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    code = (
        "import OpenSSL, OpenSSL.SSL, OpenSSL.crypto, OpenSSL._util, OpenSSL.debug\n"
        "import urllib3.contrib.pyopenssl, requests, trustme\n"
        "import service_identity.pyopenssl, twisted.internet.ssl\n"
        "print(OpenSSL.SSL.__file__)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-W", "error", "-c", code],
        capture_output=True,
        timeout=60,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout.decode().strip() == SSL.__file__


# ---------------------------------------------------------------------------
# urllib3.contrib.pyopenssl


def test_inject_replaces_and_extract_restores_sslcontext():
    original = urllib3.util.ssl_.SSLContext
    pyopenssl_contrib.inject_into_urllib3()
    try:
        assert urllib3.util.ssl_.SSLContext is pyopenssl_contrib.PyOpenSSLContext
        assert urllib3.util.SSLContext is pyopenssl_contrib.PyOpenSSLContext
        assert urllib3.util.ssl_.IS_PYOPENSSL is True
    finally:
        pyopenssl_contrib.extract_from_urllib3()
    assert urllib3.util.ssl_.SSLContext is original
    assert urllib3.util.ssl_.IS_PYOPENSSL is False


def test_urllib3_dependency_check_passes():
    # inject_into_urllib3() probes X509()._x509; it must not raise ImportError.
    pyopenssl_contrib._validate_dependencies_met()


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1"])
def test_urllib3_connection_verified_get(injected, https_server, pki, host):
    conn = urllib3.connection.HTTPSConnection(
        host,
        https_server.port,
        ca_certs=str(pki.ca_pem),
        cert_reqs="CERT_REQUIRED",
        timeout=IO_TIMEOUT,
    )
    try:
        conn.connect()
        _assert_pyopenssl_socket(conn.sock)
        assert conn.is_verified
        assert conn.sock.version() in ("TLSv1.2", "TLSv1.3")
        assert conn.sock.selected_alpn_protocol() == "http/1.1"
        peer = conn.sock.getpeercert()
        assert ("DNS", "localhost") in peer["subjectAltName"]
        assert ("IP Address", "127.0.0.1") in peer["subjectAltName"]
        assert peer["subject"] == ((("commonName", "localhost"),),)
        der = conn.sock.getpeercert(binary_form=True)
        assert der == pki.server_rsa.cert.public_bytes(serialization.Encoding.DER)
        conn.request("GET", "/direct")
        response = conn.getresponse()
        assert response.status == 200
        assert response.data == b"hello /direct"
    finally:
        conn.close()
    assert https_server.requests == [("GET", "/direct", "")]


def test_urllib3_poolmanager_verified_gets(wrap_spy, https_server, pki):
    with urllib3.PoolManager(
        ca_certs=str(pki.ca_pem), cert_reqs="CERT_REQUIRED", timeout=TIMEOUT, retries=False
    ) as http:
        for path in ("/one", "/two"):
            response = http.request("GET", https_server.url("localhost", path))
            assert response.status == 200
            assert response.data == b"hello " + path.encode()
    assert wrap_spy, "urllib3 did not go through PyOpenSSLContext.wrap_socket"
    for sock in wrap_spy:
        _assert_pyopenssl_socket(sock)


def test_urllib3_large_response_and_upload(wrap_spy, https_server, pki):
    size = 1024 * 1024 + 17
    payload = body_of_size(300 * 1024 + 5)  # more than urllib3's 16 KiB write blocks
    with urllib3.PoolManager(
        ca_certs=str(pki.ca_pem), cert_reqs="CERT_REQUIRED", timeout=TIMEOUT, retries=False
    ) as http:
        response = http.request("GET", https_server.url("localhost", f"/size/{size}"))
        assert response.status == 200
        assert response.data == body_of_size(size)

        response = http.request("POST", https_server.url("localhost", "/upload"), body=payload)
        assert response.status == 200
        assert response.data == b"%d %s" % (
            len(payload),
            hashlib.sha256(payload).hexdigest().encode(),
        )
    assert wrap_spy


def test_urllib3_streamed_read(wrap_spy, https_server, pki):
    size = 200_000
    with urllib3.PoolManager(
        ca_certs=str(pki.ca_pem), cert_reqs="CERT_REQUIRED", timeout=TIMEOUT, retries=False
    ) as http:
        response = http.request(
            "GET", https_server.url("localhost", f"/size/{size}"), preload_content=False
        )
        try:
            chunks = list(response.stream(4096))
        finally:
            response.release_conn()
    assert b"".join(chunks) == body_of_size(size)
    assert wrap_spy


@pytest.mark.parametrize("close_notify", [False, True], ids=["ragged-eof", "close-notify"])
def test_urllib3_body_until_eof(wrap_spy, https_server, pki, close_notify):
    # No Content-Length: urllib3 reads until EOF. Without close_notify it relies
    # on SysCallError(-1, "Unexpected EOF"); with it, on ZeroReturnError and
    # get_shutdown() == RECEIVED_SHUTDOWN.
    size = 100_000
    path = f"/noclen-notify/{size}" if close_notify else f"/noclen/{size}"
    with urllib3.PoolManager(
        ca_certs=str(pki.ca_pem), cert_reqs="CERT_REQUIRED", timeout=TIMEOUT, retries=False
    ) as http:
        response = http.request("GET", https_server.url("localhost", path))
    assert response.status == 200
    assert response.data == body_of_size(size)
    assert wrap_spy


def test_urllib3_read_timeout(wrap_spy, https_server, pki):
    # WrappedSocket turns WantReadError on a socket with a timeout into a wait
    # and, when it expires, a timeout.
    with urllib3.PoolManager(
        ca_certs=str(pki.ca_pem),
        cert_reqs="CERT_REQUIRED",
        timeout=urllib3.Timeout(connect=IO_TIMEOUT, read=0.3),
        retries=False,
    ) as http:
        with pytest.raises(urllib3.exceptions.ReadTimeoutError):
            http.request("GET", https_server.url("localhost", "/slow"))
    assert wrap_spy


def test_urllib3_concurrent_requests(wrap_spy, https_server, pki):
    # Several threads handshaking and reading at once through one pool.
    # (Each connection gets its own PyOpenSSLContext: pyOpenSSL 26.4 refuses
    # to let urllib3 reconfigure a Context that already made a Connection, so
    # a shared ssl_context= does not work with this backend.)
    import concurrent.futures

    size = 50_000
    with urllib3.PoolManager(
        ca_certs=str(pki.ca_pem),
        cert_reqs="CERT_REQUIRED",
        maxsize=8,
        timeout=TIMEOUT,
        retries=False,
    ) as http:

        def fetch(i):
            response = http.request("GET", https_server.url("localhost", f"/size/{size + i}"))
            return response.status, response.data == body_of_size(size + i)

        with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
            results = list(pool.map(fetch, range(30), timeout=4 * IO_TIMEOUT))
    assert results == [(200, True)] * 30
    assert len(wrap_spy) >= 2


def test_urllib3_hostname_mismatch_fails(injected, https_server, pki):
    with urllib3.PoolManager(
        ca_certs=str(pki.ca_pem),
        cert_reqs="CERT_REQUIRED",
        assert_hostname="not-this-host.example",
        timeout=TIMEOUT,
        retries=False,
    ) as http:
        with pytest.raises((urllib3.exceptions.SSLError, urllib3.exceptions.MaxRetryError)) as info:
            http.request("GET", https_server.url("localhost", "/mismatch"))
    assert "not-this-host.example" in str(info.value)
    assert https_server.requests == []


def test_urllib3_hostname_mismatch_fails_with_retries(injected, https_server, pki):
    with urllib3.PoolManager(
        ca_certs=str(pki.ca_pem),
        cert_reqs="CERT_REQUIRED",
        assert_hostname="not-this-host.example",
        timeout=TIMEOUT,
        retries=urllib3.Retry(total=1, backoff_factor=0),
    ) as http:
        with pytest.raises(urllib3.exceptions.MaxRetryError) as info:
            http.request("GET", https_server.url("localhost", "/mismatch"))
    assert isinstance(info.value.reason, urllib3.exceptions.SSLError)


def test_urllib3_untrusted_server_fails(injected, untrusted_server, pki):
    with urllib3.PoolManager(
        ca_certs=str(pki.ca_pem), cert_reqs="CERT_REQUIRED", timeout=TIMEOUT, retries=False
    ) as http:
        with pytest.raises((urllib3.exceptions.SSLError, urllib3.exceptions.MaxRetryError)) as info:
            http.request("GET", untrusted_server.url("localhost", "/"))
    # urllib3's pyOpenSSL backend wraps the SSL.Error raised by do_handshake.
    assert "bad handshake" in str(info.value)
    assert untrusted_server.requests == []


def test_urllib3_cert_none_accepts_untrusted_server(injected, untrusted_server):
    with urllib3.PoolManager(cert_reqs="CERT_NONE", timeout=TIMEOUT, retries=False) as http:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", urllib3.exceptions.InsecureRequestWarning)
            response = http.request("GET", untrusted_server.url("localhost", "/insecure"))
    assert response.status == 200
    assert response.data == b"hello /insecure"


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain-key", "encrypted-key"])
def test_urllib3_client_certificate(wrap_spy, mtls_server, pki, tmp_path, encrypted):
    key_file = pki.client.key_pem
    password = None
    if encrypted:
        password = "client key password"
        key_file = write_encrypted_key(tmp_path / "client.key.pem", pki.client.key, password.encode())
    with urllib3.PoolManager(
        ca_certs=str(pki.ca_pem),
        cert_reqs="CERT_REQUIRED",
        cert_file=str(pki.client.chain_pem),
        key_file=str(key_file),
        key_password=password,
        timeout=TIMEOUT,
        retries=False,
    ) as http:
        response = http.request("GET", mtls_server.url("localhost", "/mtls"))
    assert response.status == 200
    assert response.headers["X-Client-CN"] == "pyopenssl compat client"
    assert wrap_spy


def test_urllib3_tls_version_bounds(wrap_spy, https_server, pki):
    import ssl

    with urllib3.PoolManager(
        ca_certs=str(pki.ca_pem),
        cert_reqs="CERT_REQUIRED",
        ssl_minimum_version=ssl.TLSVersion.TLSv1_2,
        ssl_maximum_version=ssl.TLSVersion.TLSv1_2,
        timeout=TIMEOUT,
        retries=False,
    ) as http:
        response = http.request("GET", https_server.url("localhost", "/tls12"))
        assert response.data == b"hello /tls12"
    assert wrap_spy
    assert [sock.version() for sock in wrap_spy] == ["TLSv1.2"]


# ---------------------------------------------------------------------------
# requests (on urllib3's pyOpenSSL backend)


def test_requests_verified_get(wrap_spy, https_server, pki):
    with requests.Session() as session:
        response = session.get(
            https_server.url("localhost", "/requests"), verify=str(pki.ca_pem), timeout=IO_TIMEOUT
        )
        assert response.status_code == 200
        assert response.content == b"hello /requests"
        response = session.post(
            https_server.url("localhost", "/post"),
            data=b"x" * 70000,
            verify=str(pki.ca_pem),
            timeout=IO_TIMEOUT,
        )
        assert response.content == b"70000 " + hashlib.sha256(b"x" * 70000).hexdigest().encode()
    assert wrap_spy
    for sock in wrap_spy:
        _assert_pyopenssl_socket(sock)


def test_requests_get_function(wrap_spy, https_server, pki):
    response = requests.get(
        https_server.url("127.0.0.1", "/plain-get"), verify=str(pki.ca_pem), timeout=IO_TIMEOUT
    )
    assert response.ok
    assert response.content == b"hello /plain-get"
    assert wrap_spy


def test_requests_untrusted_server_fails(injected, untrusted_server, pki):
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(
            untrusted_server.url("localhost", "/"), verify=str(pki.ca_pem), timeout=IO_TIMEOUT
        )
    assert untrusted_server.requests == []


def test_requests_client_certificate(wrap_spy, mtls_server, pki):
    response = requests.get(
        mtls_server.url("localhost", "/mtls"),
        verify=str(pki.ca_pem),
        cert=(str(pki.client.chain_pem), str(pki.client.key_pem)),
        timeout=IO_TIMEOUT,
    )
    assert response.status_code == 200
    assert response.headers["X-Client-CN"] == "pyopenssl compat client"
    assert wrap_spy


def test_requests_help_reports_pyopenssl(injected):
    from requests import help as requests_help

    info = requests_help.info()
    assert info["using_pyopenssl"] is True
    assert info["pyOpenSSL"]["version"] == OpenSSL.__version__
    assert info["pyOpenSSL"]["openssl_version"] == "%x" % SSL.OPENSSL_VERSION_NUMBER


# ---------------------------------------------------------------------------
# trustme


@pytest.fixture(scope="module")
def trust_ca():
    return trustme.CA()


def _trustme_pair(ca, leaf, *, host=b"localhost"):
    server_ctx = SSL.Context(SSL.TLS_METHOD)
    leaf.configure_cert(server_ctx)
    client_ctx = SSL.Context(SSL.TLS_METHOD)
    ca.configure_trust(client_ctx)
    client_ctx.set_verify(SSL.VERIFY_PEER)
    return connection_pair(server_ctx, client_ctx, host=host)


def test_trustme_memory_bio_handshake_verifies(trust_ca):
    leaf = trust_ca.issue_cert("localhost")
    client, server = _trustme_pair(trust_ca, leaf)
    handshake(client, server)
    peer = _peer_cert(client).to_cryptography()
    assert peer == x509.load_pem_x509_certificate(leaf.cert_chain_pems[0].bytes())
    client.sendall(b"ping")
    server.bio_write(client.bio_read(65536))
    assert server.recv(100) == b"ping"


def test_trustme_intermediate_chain(trust_ca):
    child = trust_ca.create_child_ca()
    leaf = child.issue_cert("localhost")
    assert len(leaf.cert_chain_pems) == 2  # leaf + intermediate (add_extra_chain_cert)
    client, server = _trustme_pair(trust_ca, leaf)
    handshake(client, server)
    chain = client.get_peer_cert_chain(as_cryptography=True)
    assert [c.subject for c in chain] == [
        x509.load_pem_x509_certificate(p.bytes()).subject for p in leaf.cert_chain_pems
    ]
    verified = client.get_verified_chain(as_cryptography=True)
    assert len(verified) == 3  # leaf, intermediate, root


def test_trustme_other_ca_is_rejected(trust_ca):
    other = trustme.CA()
    leaf = other.issue_cert("localhost")
    client, server = _trustme_pair(trust_ca, leaf)
    assert_failure(fail_handshake(client, server), "client", "certificate verify failed",
                   peer_reason="tlsv1 alert unknown ca")


def test_trustme_client_certificate(trust_ca):
    server_leaf = trust_ca.issue_cert("localhost")
    client_leaf = trust_ca.issue_cert("client@example.org")
    server_ctx = SSL.Context(SSL.TLS_METHOD)
    server_leaf.configure_cert(server_ctx)
    trust_ca.configure_trust(server_ctx)
    server_ctx.set_verify(SSL.VERIFY_PEER | SSL.VERIFY_FAIL_IF_NO_PEER_CERT)
    client_ctx = SSL.Context(SSL.TLS_METHOD)
    client_leaf.configure_cert(client_ctx)
    trust_ca.configure_trust(client_ctx)
    client_ctx.set_verify(SSL.VERIFY_PEER)
    client, server = connection_pair(server_ctx, client_ctx, host=b"localhost")
    handshake(client, server)
    client.sendall(b"who am i")
    server.bio_write(client.bio_read(65536))
    assert server.recv(100) == b"who am i"
    peer = _peer_cert(server).to_cryptography()
    emails = peer.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert emails.get_values_for_type(x509.RFC822Name) == ["client@example.org"]


def test_trustme_loopback_handshake(trust_ca):
    leaf = trust_ca.issue_cert("localhost", "127.0.0.1")
    server_ctx = SSL.Context(SSL.TLS_METHOD)
    leaf.configure_cert(server_ctx)
    client_ctx = SSL.Context(SSL.TLS_METHOD)
    trust_ca.configure_trust(client_ctx)
    client_ctx.set_verify(SSL.VERIFY_PEER)

    with listener() as lsock:
        port = lsock.getsockname()[1]

        def serve():
            raw, _ = lsock.accept()
            end = SocketEndpoint(server_ctx, raw)
            end.conn.set_accept_state()
            try:
                end.handshake()
                data = recv_exactly(end, 5)
                end.sendall(data.upper())
                end.shutdown()
            finally:
                end.close()

        worker = Background(serve)
        raw = socket.create_connection(("127.0.0.1", port), timeout=IO_TIMEOUT)
        client = SocketEndpoint(client_ctx, raw)
        client.conn.set_connect_state()
        client.conn.set_tlsext_host_name(b"localhost")
        try:
            client.handshake()
            client.sendall(b"hello")
            assert recv_exactly(client, 5) == b"HELLO"
        finally:
            client.close()
        worker.join()


def test_trustme_configures_python_ssl_and_ours_together(trust_ca):
    """Our client verifies a server configured by trustme on Python's ssl."""
    import ssl

    leaf = trust_ca.issue_cert("localhost")
    py_server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    leaf.configure_cert(py_server_ctx)
    client_ctx = SSL.Context(SSL.TLS_METHOD)
    trust_ca.configure_trust(client_ctx)
    client_ctx.set_verify(SSL.VERIFY_PEER)

    with listener() as lsock:
        port = lsock.getsockname()[1]

        def serve():
            raw, _ = lsock.accept()
            raw.settimeout(IO_TIMEOUT)
            with py_server_ctx.wrap_socket(raw, server_side=True) as tls:
                tls.sendall(tls.recv(100)[::-1])

        worker = Background(serve)
        raw = socket.create_connection(("127.0.0.1", port), timeout=IO_TIMEOUT)
        client = SocketEndpoint(client_ctx, raw)
        client.conn.set_connect_state()
        client.conn.set_tlsext_host_name(b"localhost")
        try:
            client.handshake()
            client.sendall(b"abc")
            assert recv_exactly(client, 3) == b"cba"
        finally:
            client.close()
        worker.join()


# ---------------------------------------------------------------------------
# service_identity


def _handshaken_client(pki, identity):
    server_ctx = SSL.Context(SSL.TLS_METHOD)
    server_ctx.use_certificate_chain_file(str(identity.chain_pem))
    server_ctx.use_privatekey_file(str(identity.key_pem))
    client_ctx = SSL.Context(SSL.TLS_METHOD)
    client_ctx.load_verify_locations(str(pki.ca_pem))
    client_ctx.set_verify(SSL.VERIFY_PEER)
    client, server = connection_pair(server_ctx, client_ctx, host=b"localhost")
    handshake(client, server)
    return client


def test_service_identity_verify_hostname(pki):
    client = _handshaken_client(pki, pki.server_rsa)
    service_identity.pyopenssl.verify_hostname(client, "localhost")


def test_service_identity_wrong_hostname(pki):
    client = _handshaken_client(pki, pki.server_ec)
    with pytest.raises(service_identity.VerificationError):
        service_identity.pyopenssl.verify_hostname(client, "example.com")


def test_service_identity_ip_address(pki):
    client = _handshaken_client(pki, pki.server_rsa)
    service_identity.pyopenssl.verify_ip_address(client, "127.0.0.1")
    with pytest.raises(service_identity.VerificationError):
        service_identity.pyopenssl.verify_ip_address(client, "127.0.0.2")


def test_service_identity_extract_patterns(pki):
    client = _handshaken_client(pki, pki.server_rsa)
    patterns = service_identity.pyopenssl.extract_patterns(_peer_cert(client))
    kinds = sorted(type(p).__name__ for p in patterns)
    assert kinds == ["DNSPattern", "IPAddressPattern"]


def test_service_identity_certificate_without_san(pki):
    # The client identity has no subjectAltName: service_identity refuses it.
    server_ctx = SSL.Context(SSL.TLS_METHOD)
    server_ctx.use_certificate_chain_file(str(pki.client.chain_pem))
    server_ctx.use_privatekey_file(str(pki.client.key_pem))
    client_ctx = SSL.Context(SSL.TLS_METHOD)
    client, server = connection_pair(server_ctx, client_ctx, host=b"localhost")
    handshake(client, server)
    with pytest.raises(service_identity.CertificateError):
        service_identity.pyopenssl.verify_hostname(client, "localhost")


def test_service_identity_with_trustme(trust_ca):
    leaf = trust_ca.issue_cert("www.example.org", "*.example.net")
    client, server = _trustme_pair(trust_ca, leaf, host=b"www.example.org")
    handshake(client, server)
    service_identity.pyopenssl.verify_hostname(client, "www.example.org")
    service_identity.pyopenssl.verify_hostname(client, "foo.example.net")
    with pytest.raises(service_identity.VerificationError):
        service_identity.pyopenssl.verify_hostname(client, "foo.bar.example.net")


# ---------------------------------------------------------------------------
# Twisted (reactor in a child process)


def _twisted(tmp_path, pki, scenario):
    return run_twisted(
        tmp_path,
        scenario,
        ca_pem=pki.ca_pem,
        chain_pem=pki.server_rsa.chain_pem,
        key_pem=pki.server_rsa.key_pem,
        client_chain_pem=pki.client.chain_pem,
        client_key_pem=pki.client.key_pem,
        untrusted_ca_pem=pki.untrusted_ca_pem,
    )


def test_twisted_tls_echo(tmp_path, pki):
    result = _twisted(tmp_path, pki, "echo")
    assert result["openssl_module"] == SSL.__file__
    assert result["outcome"] == "echoed", result
    assert result["echo_ok"] is True
    assert result["peer_subject_cn"] == "localhost"
    assert result["protocol_version"] == "TLSv1.3"


def test_twisted_tls12_maximum(tmp_path, pki):
    result = _twisted(tmp_path, pki, "tls12")
    assert result["outcome"] == "echoed", result
    assert result["protocol_version"] == "TLSv1.2"


def test_twisted_default_context_factory(tmp_path, pki):
    # DefaultOpenSSLContextFactory: SSLv23_METHOD plus use_*_file on the server.
    result = _twisted(tmp_path, pki, "default-factory")
    assert result["outcome"] == "echoed", result
    assert result["echo_ok"] is True


def test_twisted_alpn(tmp_path, pki):
    result = _twisted(tmp_path, pki, "alpn")
    assert result["outcome"] == "echoed", result
    assert result["negotiated_protocol"] == "http/1.1"


def test_twisted_client_certificate(tmp_path, pki):
    result = _twisted(tmp_path, pki, "mutual")
    assert result["outcome"] == "echoed", result
    assert result["echo_ok"] is True


def test_twisted_missing_client_certificate_rejected(tmp_path, pki):
    result = _twisted(tmp_path, pki, "mutual-no-client-cert")
    assert result["outcome"] == "failed", result
    assert result["error"].startswith("Error: "), result  # OpenSSL.SSL.Error


def test_twisted_wrong_hostname_rejected(tmp_path, pki):
    result = _twisted(tmp_path, pki, "wrong-hostname")
    assert result["outcome"] == "failed", result
    # Twisted checks the name with service_identity after the handshake.
    assert result["error"].startswith("VerificationError"), result


def test_twisted_untrusted_root_rejected(tmp_path, pki):
    result = _twisted(tmp_path, pki, "untrusted")
    assert result["outcome"] == "failed", result
    assert result["error"].startswith("Error: "), result  # OpenSSL.SSL.Error


@pytest.mark.parametrize(
    "scenario,reason",
    [("ragged-eof", "ConnectionLost"), ("clean-close", "ConnectionDone")],
)
def test_twisted_peer_close(tmp_path, pki, scenario, reason):
    # A peer that closes without close_notify must surface as ConnectionLost
    # (Twisted reads the SSL.Error / SysCallError to decide), a clean TLS
    # shutdown as ConnectionDone.
    result = _twisted(tmp_path, pki, scenario)
    assert result["outcome"] == "closed", result
    assert result["received"] == 3000
    assert result["reason"] == reason, result
