"""``python -m OpenSSL``: info, connect, serve, demo and argument errors.

Every command runs in a subprocess of this interpreter that imports the same
``OpenSSL`` package as the test run. Peers are Python's ``ssl`` module,
``openssl s_server`` and the CLI's own ``serve``; all on 127.0.0.1, all with
timeouts, all stopped at the end of their test.
"""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

import OpenSSL
from OpenSSL import version as package_version
from OpenSSL import SSL

pytestmark = pytest.mark.ours

RUN_TIMEOUT = 30
STARTUP_TIMEOUT = 15


def _env() -> dict:
    """The current environment, with this run's OpenSSL package first on PYTHONPATH."""
    env = dict(os.environ)
    package_parent = str(Path(OpenSSL.__file__).resolve().parent.parent)
    paths = [package_parent] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
    return env


def cli(*args, cwd, timeout=RUN_TIMEOUT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "OpenSSL", *map(str, args)],
        capture_output=True, text=True, env=_env(), cwd=cwd, timeout=timeout,
    )


def no_traceback(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    assert "Traceback" not in result.stdout, result.stdout


class LineReader:
    """Collects a subprocess's stdout lines in a thread (so its pipe never fills)."""

    def __init__(self, stream):
        self.lines: list[str] = []
        self._queue: queue.Queue = queue.Queue()
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream) -> None:
        for line in stream:
            self.lines.append(line)
            self._queue.put(line)
        self._queue.put(None)

    def wait_for(self, pattern: str, timeout: float = STARTUP_TIMEOUT) -> re.Match:
        deadline = time.monotonic() + timeout
        for line in self.lines:
            match = re.search(pattern, line)
            if match:
                return match
        while True:
            try:
                line = self._queue.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                line = None
            if line is None or time.monotonic() > deadline:
                raise AssertionError(f"no line matching {pattern!r} in {self.lines!r}")
            match = re.search(pattern, line)
            if match:
                return match


@contextmanager
def process(args, *, cwd, env=None):
    """Popen with stdin kept open and stdout read by a LineReader; killed at the end."""
    proc = subprocess.Popen(
        args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, cwd=cwd, env=env,
    )
    try:
        yield proc, LineReader(proc.stdout)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=RUN_TIMEOUT)
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            stream.close()


# ---------------------------------------------------------------------------
# peers


class PythonTLSServer:
    """Python's ssl module serving on 127.0.0.1: completes handshakes, reads until the client leaves."""

    def __init__(self, cert_chain: Path, key: Path, alpn=("h2", "http/1.1")):
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(str(cert_chain), str(key))
        self.context.set_alpn_protocols(list(alpn))
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.2)
        self.port = self.listener.getsockname()[1]
        self.handshakes = 0
        self.stopping = threading.Event()
        self.threads: list[threading.Thread] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while not self.stopping.is_set():
            try:
                sock, _ = self.listener.accept()
            except (TimeoutError, OSError):
                continue
            thread = threading.Thread(target=self._handle, args=(sock,), daemon=True)
            self.threads.append(thread)
            thread.start()

    def _handle(self, sock: socket.socket) -> None:
        sock.settimeout(5)
        try:
            with self.context.wrap_socket(sock, server_side=True) as tls:
                self.handshakes += 1
                while tls.recv(4096):
                    pass
        except (OSError, ssl.SSLError):
            pass  # the client hung up or refused our certificate
        finally:
            sock.close()

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=5)
        self.listener.close()
        for thread in self.threads:
            thread.join(timeout=6)


@pytest.fixture
def python_server(pki):
    servers = []

    def start(identity=None, **kwargs) -> PythonTLSServer:
        identity = identity or pki.server_rsa
        server = PythonTLSServer(identity.chain_pem, identity.key_pem, **kwargs)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ---------------------------------------------------------------------------
# info


def test_info_text(tmp_path):
    result = cli("info", cwd=tmp_path)
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert package_version.__version__ in out
    assert SSL.OpenSSL_version(SSL.OPENSSL_VERSION).decode() in out
    assert f"0x{SSL.OPENSSL_VERSION_NUMBER:08x}" in out
    assert SSL.__file__ in out
    for label in ("OPENSSL_DIR:", "CFLAGS:", "PLATFORM:", "BUILT_ON:", "Python:", "NPN:", "TLS versions:"):
        assert label in out
    assert "TLSv1.2" in out and "TLSv1.3" in out


def test_info_json(tmp_path):
    result = cli("info", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    details = json.loads(result.stdout)
    assert details["version"] == package_version.__version__
    assert details["extension"] == SSL.__file__  # the subprocess imported this run's build
    assert details["openssl_runtime"] == SSL.OpenSSL_version(SSL.OPENSSL_VERSION).decode()
    number = SSL.OPENSSL_VERSION_NUMBER
    assert details["openssl_built_against"]["number"] == f"0x{number:08x}"
    assert details["openssl_built_against"]["version"].startswith(f"{number >> 28}.")
    assert details["openssl_dir"] == SSL.OpenSSL_version(SSL.OPENSSL_DIR).decode()
    assert isinstance(details["npn"], bool)
    assert details["tls_versions"]["TLSv1.2"] == "yes"
    assert details["tls_versions"]["TLSv1.3"] == "yes"
    assert details["python"].endswith(".".join(map(str, sys.version_info[:3])))


def test_info_linkage_key_exchange_and_wheel(tmp_path):
    details = json.loads(cli("info", "--json", cwd=tmp_path).stdout)
    static = SSL._openssl_static
    assert details["openssl_linkage"] == ("static" if static else "shared")
    # The group two Connections with every default agree on: the hybrid
    # post-quantum one from OpenSSL 3.5 on.
    modern = SSL.OPENSSL_VERSION_NUMBER >= 0x30500000
    assert details["post_quantum_groups"] is modern
    assert details["key_exchange_default"] == ("X25519MLKEM768" if modern else "x25519")
    assert details["python_abi"].startswith(sys.implementation.cache_tag)
    if os.environ.get("SWIFT_PYOPENSSL_WHEEL_TEST") == "1":
        assert details["wheel_tag"].startswith("cp311-abi3-"), details["wheel_tag"]
    text = cli("info", cwd=tmp_path).stdout
    assert ("inside the extension (static)" if static else "a shared library") in text
    assert "wheel tag:" in text and "key exchange:" in text


def test_dotted_version():
    from OpenSSL._cli_info import dotted_version

    assert dotted_version(0x30000130) == "3.0.19"
    assert dotted_version(0x30500010) == "3.5.1"
    assert dotted_version(0x1010117F) == "1.1.1w"


# ---------------------------------------------------------------------------
# connect


def test_connect_python_server_verified(tmp_path, pki, python_server):
    server = python_server()
    result = cli("connect", f"localhost:{server.port}", "--cafile", pki.ca_pem,
                 "--alpn", "h2,http/1.1", "--timeout", 5, cwd=tmp_path)
    no_traceback(result)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "SNI localhost" in out
    assert "0 subject: CN=localhost" in out
    assert "issuer:  CN=pyopenssl compat test ca" in out
    assert "verification:  ok" in out
    assert re.search(r"^protocol: +TLSv1\.3$", out, re.M)
    assert re.search(r"^cipher: +TLS_", out, re.M)
    assert re.search(r"^ALPN: +h2$", out, re.M)
    assert re.search(r"^resumed: +yes$", out, re.M)
    assert server.handshakes >= 1


def test_connect_ip_address_without_sni(tmp_path, pki, python_server):
    server = python_server(pki.server_ec, alpn=("http/1.1",))
    result = cli("connect", f"127.0.0.1:{server.port}", "--cafile", pki.ca_pem, "--alpn", "h2,http/1.1", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no SNI" in result.stdout
    assert "certificate valid for 127.0.0.1" in result.stdout
    assert re.search(r"^ALPN: +http/1\.1$", result.stdout, re.M)


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")
@pytest.mark.parametrize("version", ["-tls1_3", "-tls1_2"])
def test_connect_openssl_s_server_resumes(tmp_path, pki, version):
    identity = pki.server_ec
    command = ["openssl", "s_server", "-accept", "127.0.0.1:0", version, "-alpn", "h2",
               "-cert", str(identity.cert_pem), "-key", str(identity.key_pem)]
    with process(command, cwd=tmp_path) as (proc, lines):
        port = lines.wait_for(r"ACCEPT 127\.0\.0\.1:(\d+)").group(1)
        result = cli("connect", f"localhost:{port}", "--cafile", pki.ca_pem, "--alpn", "h2", "--timeout", 5,
                     cwd=tmp_path)
        proc.terminate()
    no_traceback(result)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "verification:  ok" in result.stdout
    expected = "TLSv1.3" if version == "-tls1_3" else "TLSv1.2"
    assert re.search(rf"^protocol: +{re.escape(expected)}$", result.stdout, re.M)
    assert re.search(r"^ALPN: +h2$", result.stdout, re.M)
    assert re.search(r"^resumed: +yes$", result.stdout, re.M), result.stdout


def test_connect_untrusted_server_fails(tmp_path, pki, python_server):
    server = python_server(pki.untrusted_server)
    result = cli("connect", f"localhost:{server.port}", "--cafile", pki.ca_pem, "--timeout", 5, cwd=tmp_path)
    no_traceback(result)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "verification:  failed" in result.stdout
    assert "issuer:  CN=untrusted test ca" in result.stdout  # the chain is shown anyway
    assert len(result.stderr.strip().splitlines()) == 1
    assert "verification failed" in result.stderr


def test_connect_hostname_mismatch_fails(tmp_path, pki, python_server):
    server = python_server()
    result = cli("connect", f"127.0.0.1:{server.port}", "--servername", "www.example.com",
                 "--cafile", pki.ca_pem, cwd=tmp_path)
    no_traceback(result)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "SNI www.example.com" in result.stdout
    assert "hostname mismatch" in result.stdout
    assert "hostname mismatch" in result.stderr


def test_connect_insecure_untrusted_server(tmp_path, pki, python_server):
    server = python_server(pki.untrusted_server)
    result = cli("connect", f"localhost:{server.port}", "--insecure", "--timeout", 5, cwd=tmp_path)
    no_traceback(result)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "not verified" in result.stdout
    assert "0 subject: CN=localhost" in result.stdout


def test_connect_closed_port(tmp_path):
    result = cli("connect", f"127.0.0.1:{closed_port()}", "--timeout", 5, cwd=tmp_path)
    no_traceback(result)
    assert result.returncode == 3
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert "refused" in result.stderr.lower()


def test_connect_silent_server_times_out(tmp_path):
    with socket.create_server(("127.0.0.1", 0)) as silent:  # accepts (backlog), never answers
        port = silent.getsockname()[1]
        started = time.monotonic()
        result = cli("connect", f"127.0.0.1:{port}", "--timeout", 0.5, cwd=tmp_path)
    no_traceback(result)
    assert result.returncode == 3
    assert "timed out" in result.stderr
    assert time.monotonic() - started < RUN_TIMEOUT / 2


def test_connect_plain_tcp_peer_that_hangs_up(tmp_path):
    with socket.create_server(("127.0.0.1", 0)) as rude:
        rude.settimeout(10)
        port = rude.getsockname()[1]

        def hang_up():
            try:
                sock, _ = rude.accept()
                sock.close()
            except OSError:
                pass

        thread = threading.Thread(target=hang_up, daemon=True)
        thread.start()
        result = cli("connect", f"127.0.0.1:{port}", "--timeout", 5, cwd=tmp_path)
        thread.join(timeout=10)
    no_traceback(result)
    assert result.returncode == 3, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


# ---------------------------------------------------------------------------
# serve


def _serve(tmp_path, *args):
    return process([sys.executable, "-m", "OpenSSL", "serve", *map(str, args)], cwd=tmp_path, env=_env())


def test_serve_once_echoes_to_python_client(tmp_path):
    with _serve(tmp_path, "--once", "--alpn", "h2") as (proc, lines):
        ca = lines.wait_for(r"CA certificate: (\S+)").group(1)
        port = int(lines.wait_for(r"^listening on 127\.0\.0\.1:(\d+)$").group(1))
        client = ssl.create_default_context(cafile=ca)
        client.set_alpn_protocols(["http/1.1", "h2"])
        message = bytes(range(256)) * 300
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            with client.wrap_socket(sock, server_hostname="localhost") as tls:
                assert tls.selected_alpn_protocol() == "h2"
                tls.sendall(message)
                echoed = b""
                while len(echoed) < len(message):
                    chunk = tls.recv(65536)
                    assert chunk, "server closed early"
                    echoed += chunk
                assert echoed == message
                tls.unwrap()
        assert proc.wait(timeout=RUN_TIMEOUT) == 0
        assert not Path(ca).exists()  # the run's CA is removed on exit
    assert any(f"echoing {len(message)} bytes" in line for line in lines.lines), lines.lines


def test_serve_with_cert_and_our_connect_then_sigterm(tmp_path, pki):
    identity = pki.server_ec
    args = ["--cert", identity.chain_pem, "--key", identity.key_pem, "--alpn", "h2,http/1.1"]
    with _serve(tmp_path, *args) as (proc, lines):
        port = int(lines.wait_for(r"^listening on 127\.0\.0\.1:(\d+)$").group(1))
        assert not any("CA certificate" in line for line in lines.lines)
        result = cli("connect", f"localhost:{port}", "--cafile", pki.ca_pem, "--alpn", "http/1.1", "--timeout", 5,
                     cwd=tmp_path)
        no_traceback(result)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "verification:  ok" in result.stdout
        assert re.search(r"^ALPN: +http/1\.1$", result.stdout, re.M)
        assert re.search(r"^resumed: +yes$", result.stdout, re.M), result.stdout
        lines.wait_for(r"connected, TLSv1\.3 .*ALPN http/1\.1")
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=RUN_TIMEOUT) == 0
        assert "Traceback" not in proc.stderr.read()


def test_serve_ctrl_c_with_open_connection(tmp_path):
    # faulthandler in the server: if it does not stop, SIGABRT makes it print
    # every thread's stack, and the failure shows its signal masks
    env = dict(_env(), PYTHONFAULTHANDLER="1", SWIFT_BACKTRACE="enable=no")
    args = [sys.executable, "-m", "OpenSSL", "serve"]
    # A test run started in the background (`cmd &`, nohup) ignores SIGINT,
    # and an ignored signal stays ignored across exec, so the server would
    # never see Ctrl-C. exec resets a handled signal to the default instead:
    # with a handler here while it starts, the server starts as from a shell.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with process(args, cwd=tmp_path, env=env) as (proc, lines):
            signal.signal(signal.SIGINT, previous)
            ca = lines.wait_for(r"CA certificate: (\S+)").group(1)
            port = int(lines.wait_for(r"^listening on 127\.0\.0\.1:(\d+)$").group(1))
            client = ssl.create_default_context(cafile=ca)
            with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
                with client.wrap_socket(sock, server_hostname="localhost") as tls:
                    tls.sendall(b"ping")
                    assert tls.recv(16) == b"ping"
                    proc.send_signal(signal.SIGINT)
                    try:
                        status = proc.wait(timeout=RUN_TIMEOUT)
                    except subprocess.TimeoutExpired:
                        with open(f"/proc/{proc.pid}/status") as status_file:
                            masks = [line.strip() for line in status_file if line.startswith(("SigBlk", "SigIgn", "SigCgt"))]
                        proc.send_signal(signal.SIGABRT)
                        proc.wait(timeout=RUN_TIMEOUT)
                        pytest.fail(f"the server did not stop on SIGINT ({masks}):\n" + proc.stderr.read()[-8000:])
                    assert status == 0
            assert "Traceback" not in proc.stderr.read()
    finally:
        signal.signal(signal.SIGINT, previous)


def test_serve_bad_key_file(tmp_path, pki):
    result = cli("serve", "--cert", pki.server_ec.chain_pem, "--key", pki.server_ec.chain_pem, cwd=tmp_path)
    no_traceback(result)
    assert result.returncode == 2
    assert "--cert/--key" in result.stderr


# ---------------------------------------------------------------------------
# demo, help, bad arguments


def test_demo(tmp_path):
    result = cli("demo", "--message", "ping", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "echoed:    b'ping'" in result.stdout


@pytest.mark.parametrize(
    "command, expected",
    [
        ([], ["info", "connect", "serve", "demo"]),
        (["info"], ["--json"]),
        (["connect"], ["HOST:PORT", "--servername", "--cafile", "--alpn", "--insecure", "--timeout", "exit codes"]),
        (["serve"], ["--host", "--port", "--cert", "--key", "--alpn", "--once"]),
        (["demo"], ["--message"]),
    ],
)
def test_help(tmp_path, command, expected):
    result = cli(*command, "--help", cwd=tmp_path)
    assert result.returncode == 0
    for text in expected:
        assert text in result.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        ([], "usage"),
        (["nosuchcommand"], "invalid choice"),
        (["connect"], "HOST:PORT"),
        (["connect", "localhost"], "port is required"),
        (["connect", "localhost:"], "port is required"),
        (["connect", "localhost:https"], "bad port"),
        (["connect", "localhost:0"], "bad port"),
        (["connect", "localhost:70000"], "bad port"),
        (["connect", "::1:443"], "brackets"),
        (["connect", "localhost:443", "--timeout", "0"], "bad timeout"),
        (["connect", "localhost:443", "--alpn", "h2,,x"], "bad ALPN"),
        (["connect", "localhost:443", "--cafile", "/nonexistent/ca.pem"], "--cafile"),
        (["connect", "localhost:443", "--bogus"], "unrecognized arguments"),
        (["info", "extra"], "unrecognized arguments"),
        (["serve", "--port", "-1"], "--port"),
        (["serve", "--port", "65536"], "bad port"),
        (["serve", "--cert", "server.pem"], "--cert and --key go together"),
    ],
)
def test_bad_arguments_exit_2(tmp_path, args, message):
    result = cli(*args, cwd=tmp_path)
    no_traceback(result)
    assert result.returncode == 2, result.stdout + result.stderr
    assert message in result.stderr
    assert result.stdout == ""
