"""Helpers for the robustness tests (bad input, threads, leaks).

These tests run code that may crash the interpreter (a segfault in the
reference pyOpenSSL, a Swift trap in ours), so most of the work happens in a
child interpreter: a crash there fails one test instead of the whole run.
The child gets the test PKI as file paths (``pki_paths``) and rebuilds its
contexts with ``conftest``'s helpers (``load_pki``).

Import from a test module with::

    import os, sys
    sys.path.insert(0, os.path.dirname(__file__))
    import robustness_helpers
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from types import SimpleNamespace

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

REFERENCE = os.environ.get("PYOPENSSL_REFERENCE") == "1"


# ---------------------------------------------------------------------------
# the test PKI, handed to a child interpreter as paths


def pki_paths(pki) -> dict:
    """The files of conftest's ``pki`` fixture, as a JSON-able dict."""

    def identity(ident):
        return {
            "cert_pem": str(ident.cert_pem),
            "cert_der": str(ident.cert_der),
            "key_pem": str(ident.key_pem),
            "key_der": str(ident.key_der),
            "chain_pem": str(ident.chain_pem),
        }

    return {
        "directory": str(pki.directory),
        "ca_pem": str(pki.ca_pem),
        "ca_der": str(pki.ca_der),
        "capath": str(pki.capath),
        "untrusted_ca_pem": str(pki.untrusted_ca_pem),
        "server_rsa": identity(pki.server_rsa),
        "server_ec": identity(pki.server_ec),
        "client": identity(pki.client),
        "untrusted_server": identity(pki.untrusted_server),
    }


def load_pki(paths: dict) -> SimpleNamespace:
    """The inverse of ``pki_paths``: an object conftest's ``server_context``
    and ``client_context`` accept (they only read the paths)."""
    ns = SimpleNamespace(**paths)
    for key in ("server_rsa", "server_ec", "client", "untrusted_server"):
        setattr(ns, key, SimpleNamespace(**paths[key]))
    return ns


# ---------------------------------------------------------------------------
# OpenSSL's per-thread error queue


_libcrypto = None


def libcrypto():
    """The libcrypto of the module under test: for ours the shared one, found
    among this process's mappings (ctypes, the few functions the tests call
    typed), or the module's own copy in a static build; for the reference
    the cffi binding of its bundled copy."""
    global _libcrypto
    if _libcrypto is not None:
        return _libcrypto
    from OpenSSL import SSL  # noqa: F401 - loads the library first

    if REFERENCE:
        from OpenSSL._util import lib

        _libcrypto = lib
        return _libcrypto
    if getattr(SSL, "_openssl_static", False):
        _libcrypto = _functions_of_the_module_itself()
        return _libcrypto
    path = None
    with open("/proc/self/maps") as maps:
        for line in maps:
            fields = line.split()
            if len(fields) >= 6 and os.path.basename(fields[-1]).startswith("libcrypto.so"):
                path = fields[-1]
                break
    if path is None:
        raise RuntimeError("no libcrypto mapped into this process")
    lib = ctypes.CDLL(path)
    lib.ERR_peek_error.restype = ctypes.c_ulong
    lib.ERR_peek_error.argtypes = []
    lib.ERR_clear_error.restype = None
    lib.ERR_clear_error.argtypes = []
    lib.BIO_new_file.restype = ctypes.c_void_p
    lib.BIO_new_file.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
    _libcrypto = lib
    return _libcrypto


def _functions_of_the_module_itself():
    """A static build holds its own OpenSSL, whose symbols are not exported:
    the module hands out the addresses of the few functions tests call."""
    from types import SimpleNamespace

    from OpenSSL import SSL

    addresses = SSL._openssl_function_addresses()
    kinds = {
        "ERR_peek_error": ctypes.CFUNCTYPE(ctypes.c_ulong),
        "ERR_clear_error": ctypes.CFUNCTYPE(None),
        "BIO_new_file": ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p),
        "BIO_free": ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p),
    }
    return SimpleNamespace(**{name: kind(addresses[name]) for name, kind in kinds.items()})


def error_queue_peek() -> int:
    """The oldest code in this thread's OpenSSL error queue (0: empty)."""
    return int(libcrypto().ERR_peek_error())


def error_queue_clear() -> None:
    libcrypto().ERR_clear_error()


# ---------------------------------------------------------------------------
# proofs that a call left nothing behind


def bogus_cipher_error():
    """``args[0]`` of the Error that ``set_cipher_list(b"bogus")`` raises."""
    from OpenSSL import SSL

    try:
        SSL.Context(SSL.TLS_METHOD).set_cipher_list(b"bogus")
    except SSL.Error as exc:
        return exc.args[0]
    raise AssertionError("set_cipher_list(b'bogus') did not raise")


def memory_handshake(sctx, cctx, payload: bytes = b"ping") -> None:
    """A fresh memory-BIO handshake plus one round trip each way; raises if
    anything goes wrong (stale errors would surface as SSL.Error here)."""
    import conftest

    client, server = conftest.connection_pair(sctx, cctx, host=b"localhost")
    conftest.handshake(client, server)
    client.sendall(payload)
    conftest.pump(client, server)
    got = server.recv(len(payload) + 10)
    if got != payload:
        raise AssertionError("server received %r" % (got,))
    server.sendall(payload[::-1])
    conftest.pump(client, server)
    got = client.recv(len(payload) + 10)
    if got != payload[::-1]:
        raise AssertionError("client received %r" % (got,))


# ---------------------------------------------------------------------------
# Connections over a connected socket pair


def socket_connection_pair(sctx, cctx, *, family=None, timeout=5.0):
    """A handshaken (client, server, client_sock, server_sock) over a socket
    pair (AF_UNIX by default), OpenSSL reading and writing the descriptors.
    Both sockets are blocking with a kernel timeout, so nothing hangs."""
    import conftest
    from OpenSSL import SSL

    if family == socket.AF_INET:
        lsock = conftest.listener()
        csock = socket.create_connection(lsock.getsockname(), timeout=timeout)
        ssock, _ = lsock.accept()
        lsock.close()
    else:
        csock, ssock = socket.socketpair()
    for sock in (csock, ssock):
        sock.settimeout(None)
        conftest.arm_socket_watchdog(sock, timeout)
    client = SSL.Connection(cctx, csock)
    client.set_connect_state()
    client.set_tlsext_host_name(b"localhost")
    server = SSL.Connection(sctx, ssock)
    server.set_accept_state()
    # Blocking sockets: the two handshakes must run at once.
    errors = []

    def serve():
        try:
            server.do_handshake()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    import threading

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    client.do_handshake()
    thread.join(timeout)
    if thread.is_alive():
        raise TimeoutError("server handshake did not finish")
    if errors:
        raise errors[0]
    return client, server, csock, ssock


# ---------------------------------------------------------------------------
# child interpreters


def describe_exit(returncode: int) -> str:
    if returncode < 0:
        try:
            return "killed by %s" % signal.Signals(-returncode).name
        except ValueError:
            return "killed by signal %d" % -returncode
    return "exit status %d" % returncode


def child_env(extra: dict | None = None) -> dict:
    env = dict(os.environ)
    # The child imports conftest and these helpers from here.
    env["PYTHONPATH"] = os.pathsep.join(
        [p for p in [env.get("PYTHONPATH", ""), HERE] if p]
    )
    env.setdefault("PYTHONFAULTHANDLER", "1")
    if extra:
        env.update(extra)
    return env


def run_child(code: str, *, input_data=None, timeout: float = 60.0, env=None,
              args=()) -> subprocess.CompletedProcess:
    """Runs *code* in a fresh interpreter (this one's executable) and returns
    the CompletedProcess; a timeout kills the child and is reported as
    returncode None with what it wrote so far."""
    cmd = [sys.executable, "-X", "faulthandler", "-W", "ignore", "-c",
           textwrap.dedent(code), *args]
    proc = subprocess.Popen(
        cmd,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=child_env(env),
        cwd=HERE,
    )
    data = json.dumps(input_data).encode() if input_data is not None else b""
    try:
        out, err = proc.communicate(data, timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        return subprocess.CompletedProcess(cmd, None, out, err)
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def child_failure(result: subprocess.CompletedProcess, what: str) -> str:
    """A readable account of a child that did not finish cleanly."""
    status = "timed out" if result.returncode is None else describe_exit(result.returncode)
    return "%s: child %s\n--- stdout ---\n%s\n--- stderr (tail) ---\n%s" % (
        what,
        status,
        result.stdout.decode(errors="replace")[-3000:],
        result.stderr.decode(errors="replace")[-6000:],
    )


def last_json_line(output: bytes, prefix: str = "RESULT ") -> dict:
    """The JSON object on the last line of *output* starting with *prefix*."""
    found = None
    for line in output.decode(errors="replace").splitlines():
        if line.startswith(prefix):
            found = json.loads(line[len(prefix):])
    if found is None:
        raise AssertionError("child printed no %r line" % prefix)
    return found


# ---------------------------------------------------------------------------
# memory figures


def rss_bytes() -> int:
    """Resident set size of this process, from /proc/self/statm."""
    with open("/proc/self/statm") as statm:
        resident_pages = int(statm.read().split()[1])
    return resident_pages * os.sysconf("SC_PAGE_SIZE")


def monotonic() -> float:
    return time.monotonic()


# ---------------------------------------------------------------------------
# the bad-input case runner
#
# A case is a snippet of Python run (with ``exec``) against a namespace of
# fresh, lazily made fixtures. The runner reports what it raised and then
# proves OpenSSL's error queue is empty: the queue itself is peeked, then
# ``set_cipher_list(b"bogus")`` must raise exactly the error it raises in a
# fresh process and a fresh memory-BIO handshake must succeed.

# ffdhe2048 (RFC 7919), for load_tmp_dh.
FFDHE2048_PEM = b"""-----BEGIN DH PARAMETERS-----
MIIBCAKCAQEA//////////+t+FRYortKmq/cViAnPTzx2LnFg84tNpWp4TZBFGQz
+8yTnc4kmz75fS/jY2MMddj2gbICrsRhetPfHtXV/WVhJDP1H18GbtCFY2VVPe0a
87VXE15/V8k1mE8McODmi3fipona8+/och3xWKE2rec1MKzKT0g6eXq8CrGCsyT7
YdEIqUuyyOP7uWrat2DX9GgdT0Kj3jlN9K5W7edjcrsZCwenyO4KbXCeAvzhzffi
7MA0BM0oNC9hkXL+nOmFg/+OTxIy7vKBg8P+OxtMb61zO7X8vC7CIAXFjvGDfRaD
ssbzSibBsu/6iGtCOGEoXJf//////////wIBAg==
-----END DH PARAMETERS-----
"""


class Unboolable:
    """An argument whose truth value cannot be taken."""

    def __bool__(self):
        raise ArithmeticError("no truth value")


class FakeCurve:
    """Looks like a cryptography curve, names one OpenSSL does not know."""

    name = "no-such-curve"
    key_size = 256


class BadInputFixtures(dict):
    """The names a case may use, each made on first use (so a case pays only
    for what it touches) and torn down by ``close``."""

    def __init__(self, pki, files):
        super().__init__()
        self.pki = pki
        self.files = files
        self.to_close = []

    def __missing__(self, name):
        maker = getattr(self, "make_" + name, None)
        if maker is None:
            raise KeyError(name)
        value = maker()
        self[name] = value
        return value

    def close(self):
        for item in reversed(self.to_close):
            try:
                item.close()
            except Exception:  # noqa: BLE001 - teardown of a broken fixture
                pass
        self.to_close.clear()
        self.clear()

    # -- paths and bytes
    def make_CA_PEM(self):
        return self.pki.ca_pem

    def make_CERT_PEM(self):
        return self.pki.server_ec.cert_pem

    def make_CHAIN_PEM(self):
        return self.pki.server_ec.chain_pem

    def make_KEY_PEM(self):
        return self.pki.server_ec.key_pem

    def make_DH_PEM(self):
        return self.files["dh_pem"]

    def _read(self, path):
        with open(path, "rb") as f:
            return f.read()

    def make_CA_PEM_BYTES(self):
        return self._read(self.pki.ca_pem)

    def make_CERT_PEM_BYTES(self):
        return self._read(self.pki.server_ec.cert_pem)

    def make_CHAIN_PEM_BYTES(self):
        return self._read(self.pki.server_ec.chain_pem)

    def make_KEY_PEM_BYTES(self):
        return self._read(self.pki.server_ec.key_pem)

    def make_PUB_PEM_BYTES(self):
        from cryptography.hazmat.primitives import serialization

        return self["key"].public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    # -- odd arguments
    def make_huge_buffer(self):
        """2**31 + 1 bytes that cost no memory until touched."""
        import mmap

        buffer = mmap.mmap(-1, 2**31 + 1)
        self.to_close.append(buffer)
        return buffer

    def make_bad_bool(self):
        return Unboolable()

    def make_FakeCurve(self):
        return FakeCurve

    # -- SSL objects
    def make_ctx(self):
        from OpenSSL import SSL

        return SSL.Context(SSL.TLS_METHOD)

    def make_sctx(self):
        import conftest

        return conftest.server_context(self.pki.server_ec)

    def make_cctx(self):
        import conftest

        return conftest.client_context(self.pki)

    def make_conn(self):
        from OpenSSL import SSL

        return SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)

    def make_dtls(self):
        from OpenSSL import SSL

        return SSL.Connection(SSL.Context(SSL.DTLS_METHOD), None)

    def _pair(self):
        import conftest

        client, server = conftest.connection_pair(self["sctx"], self["cctx"], host=b"localhost")
        conftest.handshake(client, server)
        return client, server

    def make_client(self):
        client, server = self._pair()
        self["server"] = server
        return client

    def make_server(self):
        self["client"]
        return self["server"]

    def make_shut(self):
        """A handshaken client after a full close_notify exchange."""
        import conftest

        client, server = self._pair()
        client.shutdown()
        conftest.pump(client, server)
        server.shutdown()
        conftest.pump(client, server)
        self["shut_server"] = server
        return client

    def make_sclosed(self):
        """A handshaken client over a socket that has since been closed."""
        client, server, csock, ssock = socket_connection_pair(self["sctx"], self["cctx"])
        csock.close()
        self.to_close.append(ssock)
        self["sclosed_server"] = server
        return client

    def make_sconn(self):
        """A Connection over an unconnected TCP socket."""
        from OpenSSL import SSL

        sock = socket.socket()
        self.to_close.append(sock)
        return SSL.Connection(SSL.Context(SSL.TLS_METHOD), sock)

    def make_session(self):
        return self["client"].get_session()

    def make_other_session(self):
        import conftest

        client, server = conftest.connection_pair(
            conftest.server_context(self.pki.server_ec), conftest.client_context(self.pki),
            host=b"localhost",
        )
        conftest.handshake(client, server)
        return client.get_session()

    # -- crypto objects
    def make_cert(self):
        from cryptography import x509

        return x509.load_pem_x509_certificate(self["CERT_PEM_BYTES"])

    def make_key(self):
        from cryptography.hazmat.primitives import serialization

        return serialization.load_pem_private_key(self["KEY_PEM_BYTES"], None)

    def make_x509(self):
        from OpenSSL import crypto

        return crypto.X509.from_cryptography(self["cert"])

    def make_pkey(self):
        from OpenSSL import crypto

        return crypto.PKey.from_cryptography_key(self["key"])

    def make_pubkey(self):
        return self["x509"].get_pubkey()

    def make_name(self):
        return self["x509"].get_subject()

    def make_store(self):
        from OpenSSL import crypto

        return crypto.X509Store()

    def make_storectx(self):
        from cryptography import x509
        from OpenSSL import crypto

        store = crypto.X509Store()
        store.add_cert(crypto.X509.from_cryptography(
            x509.load_pem_x509_certificate(self._read(self.pki.ca_pem))))
        return crypto.X509StoreContext(store, self["x509"])

    def make_crl(self):
        import datetime as dt

        from cryptography import x509
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import ec as ec_

        issuer_key = ec_.generate_private_key(ec_.SECP256R1())
        now = dt.datetime.now(dt.timezone.utc)
        return (
            x509.CertificateRevocationListBuilder()
            .issuer_name(self["cert"].issuer)
            .last_update(now)
            .next_update(now + dt.timedelta(days=1))
            .sign(issuer_key, hashes.SHA256())
        )


def exception_name(exc: BaseException) -> str:
    """``TypeError``, ``SSL.Error``, ``crypto.Error``, ``socket.gaierror``..."""
    cls = type(exc)
    module = cls.__module__
    if module == "builtins":
        return cls.__qualname__
    if module.startswith("OpenSSL."):
        module = module[len("OpenSSL."):]
    return "%s.%s" % (module, cls.__qualname__)


def _emit(kind: str, payload) -> None:
    sys.stdout.write("%s %s\n" % (kind, json.dumps(payload)))
    sys.stdout.flush()


def case_worker_main() -> None:
    """Child side: reads {"paths", "cases": [[id, code], ...]} on stdin and
    prints one START and one RESULT line per case."""
    import datetime
    import faulthandler
    import warnings

    warnings.simplefilter("ignore")
    from cryptography.hazmat.primitives.asymmetric import ec
    from OpenSSL import SSL, crypto

    job = json.load(sys.stdin)
    pki = load_pki(job["paths"])
    dh_pem = os.path.join(job["paths"]["directory"], "ffdhe2048.pem")
    if not os.path.exists(dh_pem):
        with open(dh_pem + ".tmp%d" % os.getpid(), "wb") as f:
            f.write(FFDHE2048_PEM)
        os.replace(dh_pem + ".tmp%d" % os.getpid(), dh_pem)
    files = {"dh_pem": dh_pem}

    import conftest

    probe_sctx = conftest.server_context(pki.server_ec)
    probe_cctx = conftest.client_context(pki)
    error_queue_clear()
    baseline = bogus_cipher_error()
    memory_handshake(probe_sctx, probe_cctx)

    unraisable = []

    def hook(info):
        unraisable.append("%s: %s" % (exception_name(info.exc_value), info.exc_value)
                          if info.exc_value is not None else repr(info))

    sys.unraisablehook = hook
    base_globals = {
        "__builtins__": __builtins__, "SSL": SSL, "crypto": crypto, "socket": socket,
        "datetime": datetime, "ec": ec, "pump": conftest.pump, "handshake": conftest.handshake,
        "connection_pair": conftest.connection_pair,
    }
    for case_id, code in job["cases"]:
        _emit("START", case_id)
        faulthandler.dump_traceback_later(job.get("case_timeout", 20), exit=True)
        result = {"id": case_id}
        started_at = time.perf_counter()
        fixtures = BadInputFixtures(pki, files)
        queue_before = error_queue_peek()
        try:
            exec(compile(code, "<case %s>" % case_id, "exec"), dict(base_globals), fixtures)
        except BaseException as exc:  # noqa: BLE001 - that is the point
            result["outcome"] = exception_name(exc)
            result["message"] = str(exc)[:300]
        else:
            result["outcome"] = "ok"
        del unraisable[:]
        try:
            fixtures.close()
            import gc

            gc.collect(1)  # the young generations hold what the case made
        except BaseException as exc:  # noqa: BLE001
            result["teardown"] = "%s: %s" % (exception_name(exc), exc)
        result["unraisable"] = list(unraisable)
        result["queue_before"] = queue_before
        result["queue_after"] = error_queue_peek()
        error_queue_clear()
        try:
            bogus = bogus_cipher_error()
            result["bogus_ok"] = bogus == baseline
            if bogus != baseline:
                result["bogus"] = repr(bogus)[:300]
        except BaseException as exc:  # noqa: BLE001
            result["bogus_ok"] = False
            result["bogus"] = "%s: %s" % (exception_name(exc), exc)
        try:
            memory_handshake(probe_sctx, probe_cctx)
            result["handshake_ok"] = True
        except BaseException as exc:  # noqa: BLE001
            result["handshake_ok"] = False
            result["handshake"] = "%s: %s" % (exception_name(exc), exc)
        faulthandler.cancel_dump_traceback_later()
        result["seconds"] = round(time.perf_counter() - started_at, 4)
        _emit("RESULT", result)
    _emit("DONE", len(job["cases"]))


_WORKER_CODE = """
import robustness_helpers
robustness_helpers.case_worker_main()
"""


def run_cases(paths: dict, cases, *, timeout: float = 120.0, case_timeout: float = 20.0):
    """Parent side: runs ``[(id, code), ...]`` in child interpreters and
    returns {id: result}. A child that dies takes only the case it was running
    with it (reported as outcome "crash"/"hang" with the child's stderr); the
    rest run in a new child."""
    results = {}
    pending = list(cases)
    deadline = time.monotonic() + timeout
    while pending:
        remaining = max(5.0, deadline - time.monotonic())
        child = run_child(
            _WORKER_CODE,
            input_data={"paths": paths, "cases": pending, "case_timeout": case_timeout},
            timeout=remaining,
        )
        started = None
        for line in child.stdout.decode(errors="replace").splitlines():
            if line.startswith("START "):
                started = json.loads(line[6:])
            elif line.startswith("RESULT "):
                result = json.loads(line[7:])
                results[result["id"]] = result
                started = None
        done = [case for case in pending if case[0] in results]
        pending = [case for case in pending if case[0] not in results]
        if not pending:
            break
        if started is None and not done:
            # Died before its first case (an import error, say): every
            # remaining case would fail the same way, so stop here.
            message = "the worker died before its first case (%s)\n%s" % (
                "timed out" if child.returncode is None else describe_exit(child.returncode),
                child.stderr.decode(errors="replace")[-4000:])
            for case_id, _ in pending:
                results[case_id] = {"id": case_id, "outcome": "crash", "message": message}
            pending = []
            break
        if started is None:
            # Died between two cases: blame the next one.
            started = pending[0][0]
        if child.returncode is None:
            outcome = "hang"
        elif child.returncode == 1 and b"Timeout (" in child.stderr:
            outcome = "hang"
        else:
            outcome = "crash"
        results[started] = {
            "id": started,
            "outcome": outcome,
            "message": "%s\n%s" % (
                "timed out" if child.returncode is None else describe_exit(child.returncode),
                child.stderr.decode(errors="replace")[-4000:],
            ),
        }
        pending = [case for case in pending if case[0] != started]
        if not done and outcome == "hang" and child.returncode is None:
            break  # out of time: report the rest as not run
    for case_id, _ in pending:
        results.setdefault(case_id, {"id": case_id, "outcome": "not run"})
    return results
