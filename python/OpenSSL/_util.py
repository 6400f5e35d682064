"""Stand-in for pyOpenSSL's private ``OpenSSL._util`` module.

pyOpenSSL's ``_util`` hands out cryptography's cffi binding: ``lib`` (OpenSSL's C
functions, macros and constants) and ``ffi`` (the cffi FFI object). Code outside
pyOpenSSL reaches for them now and then, mostly to read a constant or a feature
flag (Twisted imports ``lib`` at module level and only calls into it on
OpenSSL 1.0.2; older mitmproxy and friends test ``lib.Cryptography_HAS_ALPN``).

This package is implemented in Swift and exposes no C functions and no raw
pointers. Here ``lib`` answers only integer (and version-text) constants; every
other name raises :class:`UnavailableBindingError`, a subclass of
``AttributeError``, so ``hasattr(lib, name)`` and ``getattr(lib, name, default)``
behave as they do for a symbol missing from a cffi library. ``ffi`` offers only
``ffi.string`` on the byte-string constants of ``lib``.

Where a constant has a public counterpart in ``OpenSSL.SSL`` or ``OpenSSL.crypto``
(``lib.SSL_OP_NO_COMPRESSION`` and ``SSL.OP_NO_COMPRESSION``), its value is taken
from there, so the two always agree. The rest are OpenSSL's header values, which
have not changed between OpenSSL 1.1.1 and 4.0.
"""

from __future__ import annotations

from typing import Any, NoReturn

from OpenSSL import SSL, crypto

__all__ = ["UnavailableBindingError", "ffi", "lib"]


class UnavailableBindingError(AttributeError):
    """A name of OpenSSL's C API (via cffi) that this implementation does not offer.

    Subclasses ``AttributeError`` so that ``hasattr()`` answers False."""


_EXPLANATION = (
    "this pyOpenSSL is implemented in Swift and does not expose OpenSSL's C API or "
    "raw pointers; only integer constants are available here. Use the public "
    "OpenSSL.SSL / OpenSSL.crypto API (or cryptography) instead"
)


# OpenSSL header values for names that have no public counterpart in OpenSSL.SSL
# or OpenSSL.crypto (and fallbacks for those that do). Identical in OpenSSL 3.0
# and 4.0 headers.
_HEADER_CONSTANTS: dict[str, int] = {
    # SSL_get_error() results
    "SSL_ERROR_NONE": 0,
    "SSL_ERROR_SSL": 1,
    "SSL_ERROR_WANT_READ": 2,
    "SSL_ERROR_WANT_WRITE": 3,
    "SSL_ERROR_WANT_X509_LOOKUP": 4,
    "SSL_ERROR_SYSCALL": 5,
    "SSL_ERROR_ZERO_RETURN": 6,
    # modes, verify flags, TLS extensions
    "SSL_MODE_ENABLE_PARTIAL_WRITE": 0x1,
    "SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER": 0x2,
    "SSL_MODE_AUTO_RETRY": 0x4,
    "SSL_MODE_RELEASE_BUFFERS": 0x10,
    "SSL_VERIFY_NONE": 0x0,
    "SSL_VERIFY_PEER": 0x1,
    "SSL_VERIFY_FAIL_IF_NO_PEER_CERT": 0x2,
    "SSL_VERIFY_CLIENT_ONCE": 0x4,
    "SSL_VERIFY_POST_HANDSHAKE": 0x8,
    "SSL_TLSEXT_ERR_OK": 0,
    "SSL_TLSEXT_ERR_ALERT_FATAL": 2,
    "SSL_TLSEXT_ERR_NOACK": 3,
    "TLSEXT_NAMETYPE_host_name": 0,
    "TLSEXT_STATUSTYPE_ocsp": 1,
    "TLS_ST_BEFORE": 0,
    "TLS_ST_OK": 1,
    "SSL_FILETYPE_PEM": 1,
    "SSL_FILETYPE_ASN1": 2,
    "SSL_RECEIVED_SHUTDOWN": 2,
    "SSL_SENT_SHUTDOWN": 1,
    "SSL_R_UNEXPECTED_EOF_WHILE_READING": 294,
    "DTLS1_COOKIE_LENGTH": 255,
    # protocol versions
    "SSL3_VERSION": 0x0300,
    "TLS1_VERSION": 0x0301,
    "TLS1_1_VERSION": 0x0302,
    "TLS1_2_VERSION": 0x0303,
    "TLS1_3_VERSION": 0x0304,
    # options
    "SSL_OP_ALL": 0x80000850,
    "SSL_OP_CIPHER_SERVER_PREFERENCE": 0x400000,
    "SSL_OP_COOKIE_EXCHANGE": 0x2000,
    "SSL_OP_DONT_INSERT_EMPTY_FRAGMENTS": 0x800,
    "SSL_OP_ENABLE_KTLS": 0x8,
    "SSL_OP_IGNORE_UNEXPECTED_EOF": 0x80,
    "SSL_OP_LEGACY_SERVER_CONNECT": 0x4,
    "SSL_OP_NO_COMPRESSION": 0x20000,
    "SSL_OP_NO_QUERY_MTU": 0x1000,
    "SSL_OP_NO_RENEGOTIATION": 0x40000000,
    "SSL_OP_NO_SSLv2": 0x0,
    "SSL_OP_NO_SSLv3": 0x2000000,
    "SSL_OP_NO_TICKET": 0x4000,
    "SSL_OP_NO_TLSv1": 0x4000000,
    "SSL_OP_NO_TLSv1_1": 0x10000000,
    "SSL_OP_NO_TLSv1_2": 0x8000000,
    "SSL_OP_NO_TLSv1_3": 0x20000000,
    "SSL_OP_TLS_ROLLBACK_BUG": 0x800000,
    # options that are no-ops (0) in every OpenSSL since 1.1.0
    "SSL_OP_EPHEMERAL_RSA": 0,
    "SSL_OP_MICROSOFT_BIG_SSLV3_BUFFER": 0,
    "SSL_OP_MICROSOFT_SESS_ID_BUG": 0,
    "SSL_OP_MSIE_SSLV2_RSA_PADDING": 0,
    "SSL_OP_NETSCAPE_CA_DN_BUG": 0,
    "SSL_OP_NETSCAPE_CHALLENGE_BUG": 0,
    "SSL_OP_NETSCAPE_DEMO_CIPHER_CHANGE_BUG": 0,
    "SSL_OP_NETSCAPE_REUSE_CIPHER_CHANGE_BUG": 0,
    "SSL_OP_PKCS1_CHECK_1": 0,
    "SSL_OP_PKCS1_CHECK_2": 0,
    "SSL_OP_SINGLE_DH_USE": 0,
    "SSL_OP_SINGLE_ECDH_USE": 0,
    "SSL_OP_SSLEAY_080_CLIENT_DH_BUG": 0,
    "SSL_OP_SSLREF2_REUSE_CERT_TYPE_BUG": 0,
    "SSL_OP_TLS_BLOCK_PADDING_BUG": 0,
    "SSL_OP_TLS_D5_BUG": 0,
    # session cache modes
    "SSL_SESS_CACHE_OFF": 0x0,
    "SSL_SESS_CACHE_CLIENT": 0x1,
    "SSL_SESS_CACHE_SERVER": 0x2,
    "SSL_SESS_CACHE_BOTH": 0x3,
    "SSL_SESS_CACHE_NO_AUTO_CLEAR": 0x80,
    "SSL_SESS_CACHE_NO_INTERNAL_LOOKUP": 0x100,
    "SSL_SESS_CACHE_NO_INTERNAL_STORE": 0x200,
    "SSL_SESS_CACHE_NO_INTERNAL": 0x300,
    # info callback
    "SSL_ST_CONNECT": 0x1000,
    "SSL_ST_ACCEPT": 0x2000,
    "SSL_ST_MASK": 0x0FFF,
    "SSL_CB_LOOP": 0x01,
    "SSL_CB_EXIT": 0x02,
    "SSL_CB_READ": 0x04,
    "SSL_CB_WRITE": 0x08,
    "SSL_CB_HANDSHAKE_START": 0x10,
    "SSL_CB_HANDSHAKE_DONE": 0x20,
    "SSL_CB_ALERT": 0x4000,
    "SSL_CB_READ_ALERT": 0x4004,
    "SSL_CB_WRITE_ALERT": 0x4008,
    "SSL_CB_ACCEPT_LOOP": 0x2001,
    "SSL_CB_ACCEPT_EXIT": 0x2002,
    "SSL_CB_CONNECT_LOOP": 0x1001,
    "SSL_CB_CONNECT_EXIT": 0x1002,
    # OpenSSL_version() selectors
    "OPENSSL_VERSION": 0,
    "OPENSSL_CFLAGS": 1,
    "OPENSSL_BUILT_ON": 2,
    "OPENSSL_PLATFORM": 3,
    "OPENSSL_DIR": 4,
    # X509_check_host() flags
    "X509_CHECK_FLAG_ALWAYS_CHECK_SUBJECT": 0x1,
    "X509_CHECK_FLAG_NO_WILDCARDS": 0x2,
    "X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS": 0x4,
    "X509_CHECK_FLAG_MULTI_LABEL_WILDCARDS": 0x8,
    "X509_CHECK_FLAG_SINGLE_LABEL_SUBDOMAINS": 0x10,
    "X509_CHECK_FLAG_NEVER_CHECK_SUBJECT": 0x20,
    # X509 purposes
    "X509_PURPOSE_SSL_CLIENT": 1,
    "X509_PURPOSE_SSL_SERVER": 2,
    "X509_PURPOSE_NS_SSL_SERVER": 3,
    "X509_PURPOSE_SMIME_SIGN": 4,
    "X509_PURPOSE_SMIME_ENCRYPT": 5,
    "X509_PURPOSE_CRL_SIGN": 6,
    "X509_PURPOSE_ANY": 7,
    "X509_PURPOSE_OCSP_HELPER": 8,
    "X509_PURPOSE_TIMESTAMP_SIGN": 9,
    # X509_STORE flags
    "X509_V_FLAG_CRL_CHECK": 0x4,
    "X509_V_FLAG_CRL_CHECK_ALL": 0x8,
    "X509_V_FLAG_IGNORE_CRITICAL": 0x10,
    "X509_V_FLAG_X509_STRICT": 0x20,
    "X509_V_FLAG_ALLOW_PROXY_CERTS": 0x40,
    "X509_V_FLAG_POLICY_CHECK": 0x80,
    "X509_V_FLAG_EXPLICIT_POLICY": 0x100,
    "X509_V_FLAG_INHIBIT_MAP": 0x400,
    "X509_V_FLAG_CHECK_SS_SIGNATURE": 0x4000,
    "X509_V_FLAG_PARTIAL_CHAIN": 0x80000,
    # verification results
    "X509_V_OK": 0,
    "X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT": 2,
    "X509_V_ERR_UNABLE_TO_GET_CRL": 3,
    "X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE": 4,
    "X509_V_ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE": 5,
    "X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY": 6,
    "X509_V_ERR_CERT_SIGNATURE_FAILURE": 7,
    "X509_V_ERR_CRL_SIGNATURE_FAILURE": 8,
    "X509_V_ERR_CERT_NOT_YET_VALID": 9,
    "X509_V_ERR_CERT_HAS_EXPIRED": 10,
    "X509_V_ERR_CRL_NOT_YET_VALID": 11,
    "X509_V_ERR_CRL_HAS_EXPIRED": 12,
    "X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD": 13,
    "X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD": 14,
    "X509_V_ERR_ERROR_IN_CRL_LAST_UPDATE_FIELD": 15,
    "X509_V_ERR_ERROR_IN_CRL_NEXT_UPDATE_FIELD": 16,
    "X509_V_ERR_OUT_OF_MEM": 17,
    "X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT": 18,
    "X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN": 19,
    "X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY": 20,
    "X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE": 21,
    "X509_V_ERR_CERT_CHAIN_TOO_LONG": 22,
    "X509_V_ERR_CERT_REVOKED": 23,
    "X509_V_ERR_PATH_LENGTH_EXCEEDED": 25,
    "X509_V_ERR_INVALID_PURPOSE": 26,
    "X509_V_ERR_CERT_UNTRUSTED": 27,
    "X509_V_ERR_CERT_REJECTED": 28,
    "X509_V_ERR_SUBJECT_ISSUER_MISMATCH": 29,
    "X509_V_ERR_AKID_SKID_MISMATCH": 30,
    "X509_V_ERR_AKID_ISSUER_SERIAL_MISMATCH": 31,
    "X509_V_ERR_KEYUSAGE_NO_CERTSIGN": 32,
    "X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER": 33,
    "X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION": 34,
    "X509_V_ERR_KEYUSAGE_NO_CRL_SIGN": 35,
    "X509_V_ERR_UNHANDLED_CRITICAL_CRL_EXTENSION": 36,
    "X509_V_ERR_INVALID_NON_CA": 37,
    "X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED": 38,
    "X509_V_ERR_KEYUSAGE_NO_DIGITAL_SIGNATURE": 39,
    "X509_V_ERR_PROXY_CERTIFICATES_NOT_ALLOWED": 40,
    "X509_V_ERR_INVALID_EXTENSION": 41,
    "X509_V_ERR_INVALID_POLICY_EXTENSION": 42,
    "X509_V_ERR_NO_EXPLICIT_POLICY": 43,
    "X509_V_ERR_DIFFERENT_CRL_SCOPE": 44,
    "X509_V_ERR_UNSUPPORTED_EXTENSION_FEATURE": 45,
    "X509_V_ERR_UNNESTED_RESOURCE": 46,
    "X509_V_ERR_PERMITTED_VIOLATION": 47,
    "X509_V_ERR_EXCLUDED_VIOLATION": 48,
    "X509_V_ERR_SUBTREE_MINMAX": 49,
    "X509_V_ERR_APPLICATION_VERIFICATION": 50,
    "X509_V_ERR_UNSUPPORTED_CONSTRAINT_TYPE": 51,
    "X509_V_ERR_UNSUPPORTED_CONSTRAINT_SYNTAX": 52,
    "X509_V_ERR_UNSUPPORTED_NAME_SYNTAX": 53,
    "X509_V_ERR_CRL_PATH_VALIDATION_ERROR": 54,
    "X509_V_ERR_HOSTNAME_MISMATCH": 62,
    "X509_V_ERR_EMAIL_MISMATCH": 63,
    "X509_V_ERR_IP_ADDRESS_MISMATCH": 64,
    "X509_V_ERR_INVALID_CA": 79,
    # key types (NIDs), ASN.1 and miscellany
    "EVP_PKEY_RSA": 6,
    "EVP_PKEY_DSA": 116,
    "EVP_PKEY_DH": 28,
    "EVP_PKEY_EC": 408,
    "EVP_MAX_MD_SIZE": 64,
    "NID_undef": 0,
    "MBSTRING_UTF8": 0x1000,
    "RSA_F4": 0x10001,
    "V_ASN1_GENERALIZEDTIME": 24,
}


def _public_counterpart(name: str) -> Any:
    """The value of the public OpenSSL.SSL / OpenSSL.crypto constant that *name*
    (a C macro name) corresponds to, or None when there is none."""
    candidates: list[tuple[Any, str]] = [(SSL, name)]
    if name.startswith("SSL_"):
        candidates += [(SSL, name[4:]), (crypto, name[4:])]
    if name.startswith("X509_V_FLAG_"):
        candidates.append((getattr(crypto, "X509StoreFlags", None), name[12:]))
    elif name.startswith("X509_V_"):
        candidates.append((getattr(SSL, "X509VerificationCodes", None), name[7:]))
    if name.startswith("EVP_PKEY_"):
        candidates.append((crypto, "TYPE_" + name[9:]))
    for namespace, attr in candidates:
        if namespace is None:
            continue
        try:
            value = getattr(namespace, attr)
        except AttributeError:
            continue
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return None


def _version_text_from_number(number: int) -> str:
    """OpenSSL's version number as OpenSSL spells it ("OpenSSL 3.0.19")."""
    major = (number >> 28) & 0xF
    if major >= 3:
        # 0xMNN00PP0: major, minor, patch
        minor = (number >> 20) & 0xFF
        patch = (number >> 4) & 0xFF
        return "OpenSSL %d.%d.%d" % (major, minor, patch)
    # 0xMNNFFPPS: major, minor, fix, patch letter, status
    minor = (number >> 20) & 0xFF
    fix = (number >> 12) & 0xFF
    letter = (number >> 4) & 0xFF
    suffix = chr(ord("a") + letter - 1) if letter else ""
    return "OpenSSL %d.%d.%d%s" % (major, minor, fix, suffix)


def _compiled_version_text() -> bytes:
    """The OpenSSL_VERSION_TEXT of the headers OpenSSL.SSL was built against.

    Only the build-time version number is recorded; when the OpenSSL found at run
    time is that same version, its full text (with the release date) is used."""
    compiled = _version_text_from_number(SSL.OPENSSL_VERSION_NUMBER)
    try:
        linked = SSL.SSLeay_version(SSL.SSLEAY_VERSION)
    except Exception:  # noqa: BLE001 - the number alone is good enough
        linked = b""
    if isinstance(linked, bytes) and linked.split(b" ")[:2] == compiled.encode().split(b" "):
        return linked
    return compiled.encode("ascii")


def _feature_flags() -> dict[str, int]:
    """cryptography's ``Cryptography_HAS_*`` flags, answered for this package.

    A flag that pyOpenSSL uses to gate one of its own methods is 1 exactly when
    that method is available here; the others describe the OpenSSL that
    OpenSSL.SSL runs on (3.0 or later), never a C function callable here."""
    context, connection = SSL.Context, SSL.Connection
    openssl_3_2 = SSL.OPENSSL_VERSION_NUMBER >= 0x30200000
    flags = {
        # gates of pyOpenSSL methods
        "Cryptography_HAS_KEYLOG": hasattr(context, "set_keylog_callback"),
        "Cryptography_HAS_SSL_COOKIE": hasattr(context, "set_cookie_generate_callback"),
        "Cryptography_HAS_SSL_GET0_GROUP_NAME": hasattr(connection, "get_group_name"),
        "Cryptography_HAS_NEXTPROTONEG": hasattr(context, "set_npn_advertise_callback"),
        "Cryptography_HAS_ALPN": hasattr(context, "set_alpn_protos"),
        "Cryptography_HAS_VERIFIED_CHAIN": hasattr(connection, "get_verified_chain"),
        "Cryptography_HAS_SRTP": hasattr(context, "set_tlsext_use_srtp"),
        "Cryptography_HAS_PSK": hasattr(context, "set_psk_server_callback"),
        "Cryptography_HAS_SSL_OP_IGNORE_UNEXPECTED_EOF": hasattr(
            SSL, "OP_IGNORE_UNEXPECTED_EOF"
        ),
        "Cryptography_HAS_TLSv1_3_FUNCTIONS": hasattr(SSL, "TLS1_3_VERSION"),
        # properties of OpenSSL 3.x
        "Cryptography_HAS_CUSTOM_EXT": True,
        "Cryptography_HAS_DTLS_GET_DATA_MTU": True,
        "Cryptography_HAS_EVP_PKEY_DHX": True,
        "Cryptography_HAS_GET_EXTMS_SUPPORT": True,
        "Cryptography_HAS_PRIME_CHECKS": True,
        "Cryptography_HAS_PSK_TLSv1_3": True,
        "Cryptography_HAS_SET_CERT_CB": True,
        "Cryptography_HAS_SIGALGS": True,
        "Cryptography_HAS_SSL_VERIFY_CLIENT_POST_HANDSHAKE": True,
        "Cryptography_HAS_TLS_ST": True,
        "Cryptography_HAS_TLSv1_3_HS_FUNCTIONS": True,
        "Cryptography_HAS_UNEXPECTED_EOF_WHILE_READING": True,
        "Cryptography_HAS_IMPLICIT_RSA_REJECTION": openssl_3_2,
        "Cryptography_HAS_SSL_ST": False,
        "Cryptography_HAS_ENGINE": False,
    }
    return {name: int(bool(value)) for name, value in flags.items()}


def _build_constants() -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, header_value in _HEADER_CONSTANTS.items():
        live = _public_counterpart(name)
        values[name] = header_value if live is None else live
    values["OPENSSL_VERSION_NUMBER"] = SSL.OPENSSL_VERSION_NUMBER
    values["OPENSSL_VERSION_TEXT"] = _compiled_version_text()
    values.update(_feature_flags())
    return values


class _ConstantNamespace:
    """Read-only bag of constants; every other name raises UnavailableBindingError."""

    __slots__ = ("_label", "_values")

    def __init__(self, label: str, values: dict[str, Any]) -> None:
        object.__setattr__(self, "_label", label)
        object.__setattr__(self, "_values", dict(values))

    def __getattr__(self, name: str) -> Any:
        values = object.__getattribute__(self, "_values")
        try:
            return values[name]
        except KeyError:
            pass
        label = object.__getattribute__(self, "_label")
        raise UnavailableBindingError(f"{label}.{name} is not available: {_EXPLANATION}")

    def __setattr__(self, name: str, value: Any) -> NoReturn:
        label = object.__getattribute__(self, "_label")
        raise UnavailableBindingError(f"{label} is read-only: {_EXPLANATION}")

    def __delattr__(self, name: str) -> NoReturn:
        self.__setattr__(name, None)

    def __dir__(self) -> list[str]:
        return sorted(object.__getattribute__(self, "_values"))

    def __repr__(self) -> str:
        label = object.__getattribute__(self, "_label")
        count = len(object.__getattribute__(self, "_values"))
        return f"<{label}: {count} OpenSSL constants, no C functions>"


class _NoFFI:
    """Stand-in for cffi's FFI object: only ``string()`` on lib's byte constants."""

    __slots__ = ()

    @staticmethod
    def string(value: Any, maxlen: int = -1) -> bytes:
        """Return *value* unchanged when it is bytes (the form this ``lib`` gives
        its text constants, such as ``OPENSSL_VERSION_TEXT``)."""
        if not isinstance(value, bytes):
            raise TypeError(
                "OpenSSL._util.ffi.string() accepts only the bytes constants of "
                f"OpenSSL._util.lib, not {type(value).__name__}: {_EXPLANATION}"
            )
        return value if maxlen < 0 else value[:maxlen]

    def __getattr__(self, name: str) -> Any:
        raise UnavailableBindingError(f"OpenSSL._util.ffi.{name} is not available: {_EXPLANATION}")

    def __setattr__(self, name: str, value: Any) -> NoReturn:
        raise UnavailableBindingError(f"OpenSSL._util.ffi is read-only: {_EXPLANATION}")

    def __dir__(self) -> list[str]:
        return ["string"]

    def __repr__(self) -> str:
        return "<OpenSSL._util.ffi: no cffi; only string() on lib's text constants>"


lib: Any = _ConstantNamespace("OpenSSL._util.lib", _build_constants())
ffi: Any = _NoFFI()

# OpenSSL.SSL holds placeholders for these until now (OpenSSL._support._LazyBinding).
SSL._lib = lib
SSL._ffi = ffi
