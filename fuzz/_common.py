"""Helpers shared by the fuzz targets: test PKI, contexts, memory-BIO plumbing,
the allowed-exception check and the outcome feedback for atheris.

Everything here runs under atheris' instrumentation when fuzzing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import datetime
import os
import sys
import tempfile
import warnings
import zlib

warnings.simplefilter("ignore")  # DeprecationWarnings are not findings

from OpenSSL import SSL, crypto  # noqa: E402

FUZZ_DIR = os.path.dirname(os.path.abspath(__file__))
KEYS_DIR = os.path.join(FUZZ_DIR, "keys")
SERVER_NAME = b"fuzz.example"


class Finding(AssertionError):
    """Raised for anything that is not an allowed Python exception."""


class CallbackError(Exception):
    """Raised on purpose by the targets' own callbacks; must propagate unchanged."""


def unexpected(where: str, exc: BaseException):
    raise Finding(f"{where}: unexpected {type(exc).__name__}: {exc!r}") from exc


# ---------------------------------------------------------------------------
# OpenSSL error-queue check (DESIGN.md: a call never leaves the queue dirty).
# FUZZ_CHECK_ERR_QUEUE=1 makes a non-empty queue after a call a finding.

_CHECK_ERR_QUEUE = os.environ.get("FUZZ_CHECK_ERR_QUEUE") == "1"
_libcrypto = None
if _CHECK_ERR_QUEUE:
    _libcrypto = ctypes.CDLL(ctypes.util.find_library("crypto") or "libcrypto.so.3")
    _libcrypto.ERR_peek_error.restype = ctypes.c_ulong
    _libcrypto.ERR_clear_error.restype = None
    _libcrypto.ERR_error_string_n.argtypes = [ctypes.c_ulong, ctypes.c_char_p, ctypes.c_size_t]


class _CallbackScope:
    """Marks code running inside an OpenSSL callback, where OpenSSL's own error
    queue legitimately holds entries (an info callback fires while an alert
    for an error already queued is sent): no queue checks there."""

    depth = 0

    def __enter__(self):
        _CallbackScope.depth += 1

    def __exit__(self, *exc):
        _CallbackScope.depth -= 1


callback_scope = _CallbackScope


def check_error_queue(where: str) -> None:
    if _libcrypto is None or _CallbackScope.depth:
        return
    code = _libcrypto.ERR_peek_error()
    if code:
        buf = ctypes.create_string_buffer(256)
        _libcrypto.ERR_error_string_n(code, buf, 256)
        _libcrypto.ERR_clear_error()
        raise Finding(f"{where}: OpenSSL error queue left dirty: {buf.value.decode()}")


# ---------------------------------------------------------------------------
# feedback: atheris sees no coverage inside the Swift extension, so outcomes
# (exception type, OpenSSL reason, handshake state) are hashed into one of many
# small instrumented functions; reaching a new bucket is new coverage.

_NBUCKETS = 4096


def _make_buckets():
    src = "".join(f"def _b{i}(x):\n    if x:\n        return {i}\n    return -1\n" for i in range(_NBUCKETS))
    namespace: dict = {}
    exec(compile(src, "<fuzz-feedback>", "exec"), namespace)
    funcs = [namespace[f"_b{i}"] for i in range(_NBUCKETS)]
    atheris = sys.modules.get("atheris")
    if atheris is not None and os.environ.get("FUZZ_DRIVER") != "random":
        funcs = [atheris.instrument_func(f) for f in funcs]
    return funcs


_BUCKETS = _make_buckets()


def feedback(*parts) -> None:
    key = "\x1f".join(map(str, parts)).encode("utf-8", "backslashreplace")
    _BUCKETS[zlib.crc32(key) % _NBUCKETS](True)


def outcome(exc: BaseException | None) -> str:
    """A short description of an outcome: the exception type and OpenSSL reason."""
    if exc is None:
        return "ok"
    name = type(exc).__name__
    if isinstance(exc, (SSL.Error, crypto.Error)) and exc.args:
        first = exc.args[0]
        if isinstance(first, list) and first and isinstance(first[0], tuple):
            return name + ":" + str(first[0][-1])
        return name + ":" + str(first)[:60]
    return name


# ---------------------------------------------------------------------------
# test PKI: loaded from fuzz/keys/ (written by make_corpus.py, so the recorded
# handshakes in the corpus carry the same certificates), else generated.


def _generate_pki():
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.x509.oid import NameOID

    start = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
    end = datetime.datetime(2044, 1, 1, tzinfo=datetime.timezone.utc)

    def name(cn):
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(name("fuzz CA"))
        .issuer_name(name("fuzz CA"))
        .public_key(ca_key.public_key())
        .serial_number(1)
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )

    def leaf(cn, key, serial):
        import ipaddress

        return (
            x509.CertificateBuilder()
            .subject_name(name(cn))
            .issuer_name(ca.subject)
            .public_key(key.public_key())
            .serial_number(serial)
            .not_valid_before(start)
            .not_valid_after(end)
            .add_extension(
                x509.SubjectAlternativeName(
                    [x509.DNSName(cn), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
                ),
                critical=False,
            )
            .sign(ca_key, hashes.SHA256())
        )

    keys = {
        "server-ec": ec.generate_private_key(ec.SECP256R1()),
        "server-rsa": rsa.generate_private_key(public_exponent=65537, key_size=2048),
        "client-ec": ec.generate_private_key(ec.SECP256R1()),
    }
    out = {"ca.pem": ca.public_bytes(serialization.Encoding.PEM)}
    for serial, (stem, key) in enumerate(sorted(keys.items()), start=2):
        cn = "fuzz.example" if stem.startswith("server") else "fuzz client"
        out[stem + ".pem"] = leaf(cn, key, serial).public_bytes(serialization.Encoding.PEM)
        out[stem + ".key"] = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    return out


def load_pki() -> dict:
    names = ["ca.pem", "server-ec.pem", "server-ec.key", "server-rsa.pem", "server-rsa.key", "client-ec.pem", "client-ec.key"]
    if all(os.path.exists(os.path.join(KEYS_DIR, n)) for n in names):
        out = {}
        for n in names:
            with open(os.path.join(KEYS_DIR, n), "rb") as f:
                out[n] = f.read()
        return out
    return _generate_pki()


PKI = load_pki()


def _encrypted(pem: bytes) -> bytes:
    from cryptography.hazmat.primitives import serialization

    key = serialization.load_pem_private_key(pem, None)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.BestAvailableEncryption(b"secret"),
    )


# the same key, encrypted with the passphrase b"secret" (for passphrase callbacks)
PKI["server-ec-enc.key"] = _encrypted(PKI["server-ec.key"])

# The same material on disk, for the *_file / load_verify_locations APIs: one
# directory per user, shared by concurrent runs (libFuzzer exits without running
# atexit handlers, so per-process directories would pile up).
TMPDIR = os.path.join(tempfile.gettempdir(), f"fuzz-openssl-{os.getuid()}")
os.makedirs(TMPDIR, exist_ok=True)
PATHS = {}


def _put(name: str, data: bytes) -> None:
    path = os.path.join(TMPDIR, name)
    PATHS[name] = path
    try:
        with open(path, "rb") as f:
            if f.read() == data:
                return
    except OSError:
        pass
    tmp = f"{path}.{os.getpid()}"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


for _name, _data in PKI.items():
    _put(_name, _data)
_put("garbage", b"-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n")
_put("empty", b"")

CA = crypto.load_certificate(crypto.FILETYPE_PEM, PKI["ca.pem"])
CERTS = {stem: crypto.load_certificate(crypto.FILETYPE_PEM, PKI[stem + ".pem"]) for stem in ("server-ec", "server-rsa", "client-ec")}
KEYS = {stem: crypto.load_privatekey(crypto.FILETYPE_PEM, PKI[stem + ".key"]) for stem in ("server-ec", "server-rsa", "client-ec")}


def server_context(*, rsa=False, tls12=False, legacy=False, client_auth=False, dtls=False, alpn=None, sni=None):
    ctx = SSL.Context(SSL.DTLS_METHOD if dtls else SSL.TLS_METHOD)
    stem = "server-rsa" if rsa else "server-ec"
    ctx.use_certificate(CERTS[stem])
    ctx.use_privatekey(KEYS[stem])
    ctx.set_session_cache_mode(SSL.SESS_CACHE_OFF)
    ctx.set_session_id(b"fuzz")  # resumption with client certificates needs it
    if not dtls:
        if legacy:
            ctx.set_cipher_list(b"ALL:@SECLEVEL=0")
            ctx.set_min_proto_version(SSL.TLS1_VERSION)
        if tls12:
            ctx.set_max_proto_version(SSL.TLS1_2_VERSION)
    if client_auth:
        ctx.get_cert_store().add_cert(CA)
        ctx.set_verify(SSL.VERIFY_PEER, lambda conn, cert, errno, depth, ok: ok)
    if alpn is not None:
        ctx.set_alpn_select_callback(alpn)
    if sni is not None:
        ctx.set_tlsext_servername_callback(sni)
    return ctx


def client_context(*, tls12=False, legacy=False, client_cert=False, dtls=False, alpn=None, verify=None):
    ctx = SSL.Context(SSL.DTLS_METHOD if dtls else SSL.TLS_METHOD)
    if not dtls:
        if legacy:
            ctx.set_cipher_list(b"ALL:@SECLEVEL=0")
            ctx.set_min_proto_version(SSL.TLS1_VERSION)
        if tls12:
            ctx.set_max_proto_version(SSL.TLS1_2_VERSION)
    if client_cert:
        ctx.use_certificate(CERTS["client-ec"])
        ctx.use_privatekey(KEYS["client-ec"])
    ctx.get_cert_store().add_cert(CA)
    if verify is not None:
        ctx.set_verify(SSL.VERIFY_PEER, verify)
    if alpn:
        ctx.set_alpn_protos(alpn)
    ctx.set_session_cache_mode(SSL.SESS_CACHE_CLIENT)
    return ctx


def bio_drain(conn) -> bytes:
    out = []
    while True:
        try:
            chunk = conn.bio_read(65536)
        except SSL.WantReadError:
            break
        if not chunk:
            break
        out.append(chunk)
    return b"".join(out)


def handshake_pair(client, server, *, rounds=20, record=None) -> bool:
    """Drive a client/server pair over memory BIOs; True once both finished.
    ``record`` (a list) receives ("c2s"|"s2c", bytes) for every flight."""
    done = [False, False]
    for _ in range(rounds):
        for i, (conn, peer, tag) in enumerate(((client, server, "c2s"), (server, client, "s2c"))):
            if not done[i]:
                try:
                    conn.do_handshake()
                    done[i] = True
                except SSL.WantReadError:
                    pass
            data = bio_drain(conn)
            if data:
                if record is not None:
                    record.append((tag, data))
                peer.bio_write(data)
        if all(done):
            # one more pass so that post-handshake messages (tickets) are read
            return True
    return False
