"""Callbacks against independent TLS peers on 127.0.0.1: Python's ``ssl``
module and the ``openssl`` command-line tool.

Each test starts its peer and stops it afterwards; every wait has a timeout.
Our side runs both as ``Connection(ctx, sock)`` (callbacks then fire from
inside blocking OpenSSL calls) and as a memory-BIO Connection pumped over
the socket."""

from __future__ import annotations

import os
import re
import select
import shutil
import socket
import ssl
import subprocess
import sys
import time

import pytest

sys.path.insert(0, os.path.dirname(__file__))

from OpenSSL import SSL  # noqa: E402

import callback_helpers as H  # noqa: E402
from callback_helpers import IO_TIMEOUT, Recorder, client_context, server_context  # noqa: E402
from conftest import TRANSPORTS, Background, listener, make_endpoint  # noqa: E402

OPENSSL = shutil.which("openssl")
needs_openssl = pytest.mark.skipif(OPENSSL is None, reason="no openssl binary")

VERSION_PARAMS = [pytest.param(v, id=i) for i, v, _ in H.VERSIONS]
PY_VERSION = {
    SSL.TLS1_2_VERSION: ssl.TLSVersion.TLSv1_2,
    SSL.TLS1_3_VERSION: ssl.TLSVersion.TLSv1_3,
}
CLI_VERSION = {SSL.TLS1_2_VERSION: "-tls1_2", SSL.TLS1_3_VERSION: "-tls1_3"}
VERSION_NAME = {v: n for _, v, n in H.VERSIONS}


def _connect(port):
    return socket.create_connection(("127.0.0.1", port), timeout=IO_TIMEOUT)


def _read_line(recv):
    data = b""
    while not data.endswith(b"\n"):
        chunk = recv(4096)
        if not chunk:
            raise EOFError(data)
        data += chunk
    return data


def _serve_one(lsock, transport, sctx):
    """Accept one client with our Connection; echo one line upper-cased and
    close with close_notify. Returns what the connection negotiated."""
    raw, _ = lsock.accept()
    ours = make_endpoint(transport, sctx, raw)
    try:
        ours.conn.set_accept_state()
        ours.handshake()
        info = {
            "conn": ours.conn,
            "version": ours.conn.get_protocol_version_name(),
            "servername": ours.conn.get_servername(),
            "alpn": ours.conn.get_alpn_proto_negotiated(),
            "client_random": ours.conn.client_random(),
        }
        line = _read_line(ours.recv)
        info["received"] = line
        ours.sendall(line.upper())
        ours.shutdown()
        return info
    finally:
        ours.close()


class OurServer:
    """_serve_one in a background thread on an ephemeral port."""

    def __init__(self, transport, sctx):
        self.lsock = listener()
        self.port = self.lsock.getsockname()[1]
        self.thread = Background(_serve_one, self.lsock, transport, sctx)

    def join(self):
        try:
            return self.thread.join()
        finally:
            self.lsock.close()

    def close(self):
        self.lsock.close()


# ---------------------------------------------------------------------------
# Python's ssl module as the peer


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("version", VERSION_PARAMS)
def test_python_client_sni_and_alpn_with_our_callbacks(pki, transport, version):
    second = server_context(pki.server_rsa, version=version)
    alpn = Recorder(result=b"http/1.1")
    second.set_alpn_select_callback(alpn)
    names = []

    def on_servername(conn):
        names.append((conn, conn.get_servername()))
        conn.set_context(second)

    sctx = server_context(pki.server_ec, version=version)
    sctx.set_tlsext_servername_callback(on_servername)
    server = OurServer(transport, sctx)
    try:
        pctx = ssl.create_default_context(cafile=str(pki.ca_pem))
        pctx.minimum_version = pctx.maximum_version = PY_VERSION[version]
        pctx.set_alpn_protocols(["h2", "http/1.1"])
        with _connect(server.port) as raw:
            with pctx.wrap_socket(raw, server_hostname="localhost") as tls:
                selected = tls.selected_alpn_protocol()
                peer_der = tls.getpeercert(binary_form=True)
                tls.sendall(b"hello ours\n")
                reply = _read_line(tls.recv)
                tls.unwrap()
        info = server.join()
    finally:
        server.close()

    assert reply == b"HELLO OURS\n"
    assert names == [(info["conn"], b"localhost")]
    assert [(c[0], c[1]) for c in alpn.calls] == [(info["conn"], [b"h2", b"http/1.1"])]
    assert selected == "http/1.1" and info["alpn"] == b"http/1.1"
    # the certificate of the context the callback switched to
    assert peer_der == pki.server_rsa.cert_der.read_bytes()
    assert info["version"] == VERSION_NAME[version]


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_python_client_alpn_without_overlap(pki, transport):
    sctx = server_context(pki.server_ec)
    sctx.set_alpn_select_callback(Recorder(result=SSL.NO_OVERLAPPING_PROTOCOLS))
    server = OurServer(transport, sctx)
    try:
        pctx = ssl.create_default_context(cafile=str(pki.ca_pem))
        pctx.set_alpn_protocols(["h2"])
        with _connect(server.port) as raw:
            with pctx.wrap_socket(raw, server_hostname="localhost") as tls:
                selected = tls.selected_alpn_protocol()
                tls.sendall(b"no alpn\n")
                _read_line(tls.recv)
                tls.unwrap()
        info = server.join()
    finally:
        server.close()
    assert selected is None and info["alpn"] == b""


def _python_server(lsock, pctx):
    raw, _ = lsock.accept()
    raw.settimeout(IO_TIMEOUT)
    with pctx.wrap_socket(raw, server_side=True) as tls:
        info = {"alpn": tls.selected_alpn_protocol(), "version": tls.version()}
        line = _read_line(tls.recv)
        tls.sendall(line.upper())
        tls.unwrap()
    return info


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("version", VERSION_PARAMS)
def test_our_client_sni_to_python_server_with_sni_callback(pki, transport, version):
    def python_context(identity):
        pctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        pctx.load_cert_chain(str(identity.chain_pem), str(identity.key_pem))
        pctx.minimum_version = pctx.maximum_version = PY_VERSION[version]
        pctx.set_alpn_protocols(["h2"])
        return pctx

    other = python_context(pki.server_rsa)
    asked = []

    def sni_callback(sslobj, server_name, initial):
        asked.append(server_name)
        sslobj.context = other
        return None

    pctx = python_context(pki.server_ec)
    pctx.sni_callback = sni_callback
    lsock = listener()
    peer = Background(_python_server, lsock, pctx)
    try:
        verified = []
        info = Recorder()
        cctx = client_context(pki, version=version)
        cctx.set_verify(
            SSL.VERIFY_PEER,
            lambda conn, cert, errnum, depth, ok: verified.append((conn, depth, cert)) or ok,
        )
        cctx.set_info_callback(info)
        cctx.set_alpn_protos([b"h2"])
        ours = make_endpoint(transport, cctx, _connect(lsock.getsockname()[1]))
        try:
            ours.conn.set_connect_state()
            ours.conn.set_tlsext_host_name(b"sni.example")
            ours.handshake()
            ours.sendall(b"hello python\n")
            reply = _read_line(ours.recv)
            ours.shutdown()
            conn = ours.conn
        finally:
            ours.close()
        result = peer.join()
    finally:
        lsock.close()

    assert asked == ["sni.example"]
    assert reply == b"HELLO PYTHON\n"
    assert [(c, d) for c, d, _ in verified] == [(conn, 1), (conn, 0)]
    assert verified[-1][2].to_cryptography() == pki.server_rsa.cert
    assert all(call[0] is conn for call in info.calls)
    assert (SSL.SSL_CB_HANDSHAKE_DONE, 1) in [call[1:] for call in info.calls]
    assert conn.get_alpn_proto_negotiated() == b"h2" and result["alpn"] == "h2"
    assert result["version"] == VERSION_NAME[version]


# ---------------------------------------------------------------------------
# openssl s_client against our server


def _s_client(port, pki, version, *extra, data=b"hello from s_client\n"):
    return subprocess.run(
        [
            OPENSSL, "s_client",
            "-connect", "127.0.0.1:%d" % port,
            "-CAfile", str(pki.ca_pem),
            "-servername", "localhost",
            "-verify_return_error",
            "-ign_eof",
            CLI_VERSION[version],
            *extra,
        ],
        input=data,
        capture_output=True,
        timeout=3 * IO_TIMEOUT,
    )


def _run_s_client_against(transport, sctx, pki, version, *extra):
    server = OurServer(transport, sctx)
    try:
        result = _s_client(server.port, pki, version, *extra)
        info = server.join()
    finally:
        server.close()
    out = result.stdout.decode("latin-1")
    assert "HELLO FROM S_CLIENT" in out, out + result.stderr.decode("latin-1")
    return out, info


@needs_openssl
@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("version", VERSION_PARAMS)
def test_s_client_status_with_our_ocsp_callback(pki, transport, version):
    staple = H.ocsp_response_der(pki.server_rsa.cert, pki.ca_cert)
    data = {"staple": staple}
    callback = Recorder(result=staple)
    sctx = server_context(pki.server_rsa, version=version)
    sctx.set_ocsp_server_callback(callback, data)
    out, info = _run_s_client_against(transport, sctx, pki, version, "-status")

    assert [(c[0], c[1]) for c in callback.calls] == [(info["conn"], data)]
    # s_client 3.x prints "OCSP response:", 4.0 "OCSP responses: number of responses: 1"
    assert "OCSP response:" in out or "OCSP responses: number of responses: 1" in out, out
    assert "no response sent" not in out and "no responses sent" not in out
    assert re.search(r"OCSP Response Status: successful", out), out
    assert "Cert Status: good" in out


@needs_openssl
@pytest.mark.parametrize("transport", TRANSPORTS)
def test_s_client_status_with_empty_staple(pki, transport):
    callback = Recorder(result=b"")
    sctx = server_context(pki.server_rsa)
    sctx.set_ocsp_server_callback(callback)
    out, info = _run_s_client_against(transport, sctx, pki, SSL.TLS1_3_VERSION, "-status")
    assert len(callback.calls) == 1
    # s_client 3.x: "OCSP response: no response sent"; 4.0: "OCSP responses: no responses sent"
    assert "OCSP response: no response sent" in out or "OCSP responses: no responses sent" in out, out


@needs_openssl
@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("version", VERSION_PARAMS)
def test_s_client_keylog_matches_our_keylog_callback(pki, tmp_path, transport, version):
    ours = []
    sctx = server_context(pki.server_ec, version=version)
    sctx.set_keylog_callback(lambda conn, line: ours.append(line))
    keylog = tmp_path / "s_client.keylog"
    out, info = _run_s_client_against(
        transport, sctx, pki, version, "-keylogfile", str(keylog)
    )
    theirs = [
        line
        for line in keylog.read_bytes().splitlines()
        if line.strip() and not line.startswith(b"#")
    ]
    assert ours and sorted(ours) == sorted(theirs)
    random_hex = info["client_random"].hex().encode()
    assert all(line.split(b" ")[1] == random_hex for line in ours)
    labels = {line.split(b" ")[0] for line in ours}
    if version == SSL.TLS1_2_VERSION:
        assert labels == {b"CLIENT_RANDOM"}
    else:
        assert labels == H.TLS13_KEYLOG_LABELS


@needs_openssl
@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("version", VERSION_PARAMS)
def test_s_client_alpn_with_our_select_callback(pki, transport, version):
    callback = Recorder(result=b"http/1.1")
    sctx = server_context(pki.server_ec, version=version)
    sctx.set_alpn_select_callback(callback)
    out, info = _run_s_client_against(
        transport, sctx, pki, version, "-alpn", "h2,http/1.1"
    )
    assert [c[1] for c in callback.calls] == [[b"h2", b"http/1.1"]]
    assert "ALPN protocol: http/1.1" in out
    assert info["alpn"] == b"http/1.1"


@needs_openssl
@pytest.mark.parametrize("transport", TRANSPORTS)
def test_s_client_certificate_seen_by_our_verify_callback(pki, transport):
    seen = []

    def verify(conn, cert, errnum, depth, ok):
        seen.append((conn, depth, cert.to_cryptography(), ok))
        return ok

    sctx = server_context(pki.server_ec)
    sctx.set_verify(SSL.VERIFY_PEER | SSL.VERIFY_FAIL_IF_NO_PEER_CERT, verify)
    sctx.load_verify_locations(str(pki.ca_pem))
    out, info = _run_s_client_against(
        transport, sctx, pki, SSL.TLS1_3_VERSION,
        "-cert", str(pki.client.chain_pem), "-key", str(pki.client.key_pem),
    )
    assert [(c, d, ok) for c, d, _, ok in seen] == [(info["conn"], 1, 1), (info["conn"], 0, 1)]
    assert seen[-1][2] == pki.client.cert


# ---------------------------------------------------------------------------
# NPN with the openssl tool (ours only: pyOpenSSL 26 dropped NPN)


class SServer:
    """``openssl s_server`` on an ephemeral port of 127.0.0.1, one client.

    Its stdin stays open until finish(): s_server ends the connection as soon
    as it reads EOF there."""

    def __init__(self, *args):
        self.proc = subprocess.Popen(
            [OPENSSL, "s_server", "-accept", "127.0.0.1:0", "-naccept", "1", *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self.output = b""
        self.port = self._wait_for_port()

    def _wait_for_port(self):
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
        raise RuntimeError("s_server did not start: %r" % self.output)

    def finish(self):
        try:
            out, err = self.proc.communicate(timeout=IO_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.stop()
            raise
        return (self.output + out + err).decode("latin-1")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.communicate(timeout=IO_TIMEOUT)


@pytest.fixture
def s_server():
    started = []

    def start(*args):
        server = SServer(*args)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@needs_openssl
@pytest.mark.ours
@pytest.mark.parametrize("transport", TRANSPORTS)
def test_our_npn_select_callback_with_s_server(pki, s_server, transport):
    server = s_server(
        "-cert", str(pki.server_ec.chain_pem),
        "-key", str(pki.server_ec.key_pem),
        "-tls1_2",
        "-nextprotoneg", "spdy/2,http/1.1",
    )
    select_cb = Recorder(result=b"http/1.1")
    cctx = client_context(pki, version=SSL.TLS1_2_VERSION)
    cctx.set_npn_select_callback(select_cb)
    ours = make_endpoint(transport, cctx, _connect(server.port))
    try:
        ours.conn.set_connect_state()
        ours.conn.set_tlsext_host_name(b"localhost")
        ours.handshake()
        ours.sendall(b"hello over npn\n")
        ours.shutdown()
        conn = ours.conn
    finally:
        ours.close()
    out = server.finish()

    assert [(c[0], c[1]) for c in select_cb.calls] == [(conn, [b"spdy/2", b"http/1.1"])]
    assert conn.get_next_proto_negotiated() == b"http/1.1"
    assert "NEXTPROTO is http/1.1" in out, out


@needs_openssl
@pytest.mark.ours
@pytest.mark.parametrize("transport", TRANSPORTS)
def test_s_client_nextprotoneg_with_our_advertise_callback(pki, transport):
    advertise = Recorder(result=[b"spdy/2", b"http/1.1"])
    sctx = server_context(pki.server_ec, version=SSL.TLS1_2_VERSION)
    sctx.set_npn_advertise_callback(advertise)
    out, info = _run_s_client_against(
        transport, sctx, pki, SSL.TLS1_2_VERSION, "-nextprotoneg", "http/1.1"
    )
    assert [c[0] for c in advertise.calls] == [info["conn"]]
    assert "Next protocol: (1) http/1.1" in out
    assert info["conn"].get_next_proto_negotiated() == b"http/1.1"
