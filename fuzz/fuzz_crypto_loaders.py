"""Fuzz target: OpenSSL.crypto's loaders on arbitrary bytes.

Input = 4 header bytes + payload:

  byte 0  loader (mod 3): load_certificate, load_privatekey, load_publickey
  byte 1  file type (mod 4): FILETYPE_PEM, FILETYPE_ASN1, FILETYPE_TEXT, or a
          random int made of the next header byte
  byte 2  passphrase (load_privatekey only, mod 12): none, b"secret",
          callable -> b"secret", callable -> "secret" (str), callable raising,
          callable -> None, "secret" (str), wrong b"wrong", callable -> 4 KiB,
          callable -> int, b"sec\\0ret", callable with the wrong arity
  byte 3  buffer type (mod 4): bytes, str (latin-1), bytearray, memoryview

Whatever loads is then exercised: dumps in every format, names, extensions,
digests, public keys, checks, cryptography conversions and a verification.

Allowed: crypto.Error, ValueError, TypeError, the passphrase callback's own
CallbackError, and cryptography's UnsupportedAlgorithm / InvalidVersion from the
conversions.
"""

if __name__ == "__main__":
    import _driver

    _driver.main("fuzz_crypto_loaders")

from _common import CallbackError, Finding, check_error_queue, crypto, feedback, outcome, unexpected  # noqa: E402

try:
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.x509 import InvalidVersion
except ImportError:  # pragma: no cover
    UnsupportedAlgorithm = InvalidVersion = ValueError

# cryptography's own exceptions come from to_cryptography(): pyOpenSSL's
# conversions raise the same ones (e.g. InvalidVersion for an X.509 version 122
# that OpenSSL accepts).
ALLOWED = (crypto.Error, ValueError, TypeError, CallbackError, UnsupportedAlgorithm, InvalidVersion)

LOADERS = ["load_certificate", "load_privatekey", "load_publickey"]
FILETYPES = [crypto.FILETYPE_PEM, crypto.FILETYPE_ASN1, getattr(crypto, "FILETYPE_TEXT", 2**16 - 1)]


def _raiser(*args):
    raise CallbackError("passphrase")


PASSPHRASES = [
    None,
    b"secret",
    lambda *a: b"secret",
    lambda *a: "secret",
    _raiser,
    lambda *a: None,
    "secret",
    b"wrong",
    lambda *a: b"A" * 4096,
    lambda *a: 7,
    b"sec\x00ret",
    lambda: b"secret",
]


def call(where, fn, *args):
    try:
        result = fn(*args)
    except Finding:
        raise
    except ALLOWED as exc:
        feedback(where, outcome(exc))
        check_error_queue(where)
        return None
    except BaseException as exc:
        unexpected(where, exc)
    feedback(where, "ok")
    check_error_queue(where)
    return result


def exercise_name(name, where):
    if name is None:
        return
    components = call(where + ".components", name.get_components)
    if components:
        feedback(where, "components", len(components), *(k for k, _ in components[:6]))
    for attr in ("CN", "O", "OU", "C", "emailAddress", "commonName"):
        call(where + "." + attr, getattr, name, attr)
    call(where + ".der", name.der)
    call(where + ".hash", name.hash)
    call(where + ".repr", repr, name)
    call(where + ".str", str, name)


def exercise_pkey(key, where, private):
    call(where + ".bits", key.bits)
    kind = call(where + ".type", key.type)
    feedback(where, "type", kind)
    if private:
        call(where + ".check", key.check)
    for filetype in (crypto.FILETYPE_PEM, crypto.FILETYPE_ASN1):
        dumped = call(where + ".dump_publickey", crypto.dump_publickey, filetype, key)
        if dumped is not None:
            again = call(where + ".reload_publickey", crypto.load_publickey, filetype, dumped)
            if again is None:
                raise Finding(f"{where}: dump_publickey output does not load back")
    dump_private = getattr(crypto, "dump_privatekey", None) or getattr(crypto, "_dump_privatekey", None)
    if private and dump_private is not None:
        call(where + ".dump_privatekey", dump_private, crypto.FILETYPE_PEM, key)
    call(where + ".to_cryptography", key.to_cryptography_key)


def exercise_cert(cert):
    where = "cert"
    for filetype in (crypto.FILETYPE_PEM, crypto.FILETYPE_ASN1, getattr(crypto, "FILETYPE_TEXT", None)):
        if filetype is not None:
            call(where + ".dump", crypto.dump_certificate, filetype, cert)
    exercise_name(call(where + ".subject", cert.get_subject), "subject")
    exercise_name(call(where + ".issuer", cert.get_issuer), "issuer")
    for getter in (
        "get_serial_number",
        "get_version",
        "get_notBefore",
        "get_notAfter",
        "has_expired",
        "get_signature_algorithm",
        "subject_name_hash",
        "get_extension_count",
    ):
        method = getattr(cert, getter, None)
        if method is not None:
            result = call(where + "." + getter, method)
            if getter == "get_signature_algorithm":
                feedback(where, "sigalg", result)
    for digest in ("sha256", "sha1", "md5", "nonexistent"):
        call(where + ".digest", cert.digest, digest)
    count = call(where + ".count", cert.get_extension_count) or 0
    get_extension = getattr(cert, "get_extension", None)
    if get_extension is not None:
        for index in list(range(min(count, 16))) + [count, -1]:
            ext = call(where + ".get_extension", get_extension, index)
            if ext is not None:
                call("ext.name", ext.get_short_name)
                call("ext.data", ext.get_data)
                call("ext.critical", ext.get_critical)
                call("ext.str", str, ext)
    pubkey = call(where + ".pubkey", cert.get_pubkey)
    if pubkey is not None:
        exercise_pkey(pubkey, "cert.pubkey", private=False)
    call(where + ".to_cryptography", cert.to_cryptography)
    store = crypto.X509Store()
    call(where + ".store.add_cert", store.add_cert, cert)
    ctx = call(where + ".store_ctx", crypto.X509StoreContext, store, cert)
    if ctx is not None:
        try:
            ctx.verify_certificate()
            feedback(where, "verified")
        except crypto.X509StoreContextError as exc:
            feedback(where, "verify-error", exc.errors if hasattr(exc, "errors") else exc.args[:1])
        except Finding:
            raise
        except ALLOWED as exc:
            feedback(where, "verify", outcome(exc))
        except BaseException as exc:
            unexpected("verify_certificate", exc)


def TestOneInput(data: bytes) -> None:
    header = data[:5].ljust(5, b"\0")
    payload = data[4:]
    loader = LOADERS[header[0] % 3]
    slot = header[1] % 4
    filetype = FILETYPES[slot] if slot < 3 else header[4] - 128
    passphrase = PASSPHRASES[header[2] % len(PASSPHRASES)]
    kind = header[3] % 4
    if kind == 1:
        buffer = payload.decode("latin-1")
    elif kind == 2:
        buffer = bytearray(payload)
    elif kind == 3:
        buffer = memoryview(payload)
    else:
        buffer = payload
    args = (filetype, buffer)
    if loader == "load_privatekey" and passphrase is not None:
        args = (filetype, buffer, passphrase)
    loaded = call(loader, getattr(crypto, loader), *args)
    feedback(loader, slot, kind, loaded is not None)
    if loaded is None:
        return
    if loader == "load_certificate":
        exercise_cert(loaded)
    else:
        exercise_pkey(loaded, loader, private=loader == "load_privatekey")
