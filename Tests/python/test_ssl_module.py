"""Module-level surface of OpenSSL.SSL: constants, version strings, exception
classes and the general properties of the Context and Connection types."""

from __future__ import annotations

import gc
import sys
import weakref

import pytest
from robustness_helpers import run_child

from OpenSSL import SSL

# Every integer constant pyOpenSSL 26.4 exports from OpenSSL.SSL.
INT_CONSTANTS = [
    "DTLS_CLIENT_METHOD",
    "DTLS_METHOD",
    "DTLS_SERVER_METHOD",
    "MODE_RELEASE_BUFFERS",
    "OPENSSL_BUILT_ON",
    "OPENSSL_CFLAGS",
    "OPENSSL_DIR",
    "OPENSSL_PLATFORM",
    "OPENSSL_VERSION",
    "OPENSSL_VERSION_NUMBER",
    "OP_ALL",
    "OP_CIPHER_SERVER_PREFERENCE",
    "OP_DONT_INSERT_EMPTY_FRAGMENTS",
    "OP_EPHEMERAL_RSA",
    "OP_IGNORE_UNEXPECTED_EOF",
    "OP_LEGACY_SERVER_CONNECT",
    "OP_MICROSOFT_BIG_SSLV3_BUFFER",
    "OP_MICROSOFT_SESS_ID_BUG",
    "OP_MSIE_SSLV2_RSA_PADDING",
    "OP_NETSCAPE_CA_DN_BUG",
    "OP_NETSCAPE_CHALLENGE_BUG",
    "OP_NETSCAPE_DEMO_CIPHER_CHANGE_BUG",
    "OP_NETSCAPE_REUSE_CIPHER_CHANGE_BUG",
    "OP_NO_COMPRESSION",
    "OP_NO_QUERY_MTU",
    "OP_NO_RENEGOTIATION",
    "OP_NO_SSLv2",
    "OP_NO_SSLv3",
    "OP_NO_TICKET",
    "OP_NO_TLSv1",
    "OP_NO_TLSv1_1",
    "OP_NO_TLSv1_2",
    "OP_NO_TLSv1_3",
    "OP_PKCS1_CHECK_1",
    "OP_PKCS1_CHECK_2",
    "OP_SINGLE_DH_USE",
    "OP_SINGLE_ECDH_USE",
    "OP_SSLEAY_080_CLIENT_DH_BUG",
    "OP_SSLREF2_REUSE_CERT_TYPE_BUG",
    "OP_TLS_BLOCK_PADDING_BUG",
    "OP_TLS_D5_BUG",
    "OP_TLS_ROLLBACK_BUG",
    "RECEIVED_SHUTDOWN",
    "SENT_SHUTDOWN",
    "SESS_CACHE_BOTH",
    "SESS_CACHE_CLIENT",
    "SESS_CACHE_NO_AUTO_CLEAR",
    "SESS_CACHE_NO_INTERNAL",
    "SESS_CACHE_NO_INTERNAL_LOOKUP",
    "SESS_CACHE_NO_INTERNAL_STORE",
    "SESS_CACHE_OFF",
    "SESS_CACHE_SERVER",
    "SSL3_VERSION",
    "SSLEAY_BUILT_ON",
    "SSLEAY_CFLAGS",
    "SSLEAY_DIR",
    "SSLEAY_PLATFORM",
    "SSLEAY_VERSION",
    "SSL_CB_ACCEPT_EXIT",
    "SSL_CB_ACCEPT_LOOP",
    "SSL_CB_ALERT",
    "SSL_CB_CONNECT_EXIT",
    "SSL_CB_CONNECT_LOOP",
    "SSL_CB_EXIT",
    "SSL_CB_HANDSHAKE_DONE",
    "SSL_CB_HANDSHAKE_START",
    "SSL_CB_LOOP",
    "SSL_CB_READ",
    "SSL_CB_READ_ALERT",
    "SSL_CB_WRITE",
    "SSL_CB_WRITE_ALERT",
    "SSL_ST_ACCEPT",
    "SSL_ST_CONNECT",
    "SSL_ST_MASK",
    "SSLv23_METHOD",
    "TLS1_1_VERSION",
    "TLS1_2_VERSION",
    "TLS1_3_VERSION",
    "TLS1_VERSION",
    "TLS_CLIENT_METHOD",
    "TLS_METHOD",
    "TLS_SERVER_METHOD",
    "TLSv1_1_METHOD",
    "TLSv1_2_METHOD",
    "TLSv1_METHOD",
    "VERIFY_CLIENT_ONCE",
    "VERIFY_FAIL_IF_NO_PEER_CERT",
    "VERIFY_NONE",
    "VERIFY_PEER",
    "FILETYPE_PEM",
]

# Values fixed by pyOpenSSL itself (the method numbers), by the TLS wire
# format (protocol versions) or by OpenSSL's stable ABI.
FIXED_VALUES = {
    # pyOpenSSL's own method numbering
    "SSLv23_METHOD": 3,
    "TLSv1_METHOD": 4,
    "TLSv1_1_METHOD": 5,
    "TLSv1_2_METHOD": 6,
    "TLS_METHOD": 7,
    "TLS_SERVER_METHOD": 8,
    "TLS_CLIENT_METHOD": 9,
    "DTLS_METHOD": 10,
    "DTLS_SERVER_METHOD": 11,
    "DTLS_CLIENT_METHOD": 12,
    # protocol version numbers as they appear on the wire
    "SSL3_VERSION": 0x0300,
    "TLS1_VERSION": 0x0301,
    "TLS1_1_VERSION": 0x0302,
    "TLS1_2_VERSION": 0x0303,
    "TLS1_3_VERSION": 0x0304,
    # verification modes
    "VERIFY_NONE": 0,
    "VERIFY_PEER": 1,
    "VERIFY_FAIL_IF_NO_PEER_CERT": 2,
    "VERIFY_CLIENT_ONCE": 4,
    # shutdown state bits
    "SENT_SHUTDOWN": 1,
    "RECEIVED_SHUTDOWN": 2,
    # OpenSSL_version() selectors
    "OPENSSL_VERSION": 0,
    "OPENSSL_CFLAGS": 1,
    "OPENSSL_BUILT_ON": 2,
    "OPENSSL_PLATFORM": 3,
    "OPENSSL_DIR": 4,
    "SSLEAY_VERSION": 0,
    "SSLEAY_CFLAGS": 1,
    "SSLEAY_BUILT_ON": 2,
    "SSLEAY_PLATFORM": 3,
    "SSLEAY_DIR": 4,
    # session cache modes
    "SESS_CACHE_OFF": 0x0,
    "SESS_CACHE_CLIENT": 0x1,
    "SESS_CACHE_SERVER": 0x2,
    "SESS_CACHE_BOTH": 0x3,
    "SESS_CACHE_NO_AUTO_CLEAR": 0x80,
    "SESS_CACHE_NO_INTERNAL_LOOKUP": 0x100,
    "SESS_CACHE_NO_INTERNAL_STORE": 0x200,
    "SESS_CACHE_NO_INTERNAL": 0x300,
    # info callback "where" bits and handshake state masks
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
    "SSL_CB_CONNECT_LOOP": 0x1001,
    "SSL_CB_CONNECT_EXIT": 0x1002,
    "SSL_CB_ACCEPT_LOOP": 0x2001,
    "SSL_CB_ACCEPT_EXIT": 0x2002,
    # protocol-disabling options (stable since OpenSSL 1.1)
    "OP_NO_SSLv2": 0,
    "OP_NO_SSLv3": 0x02000000,
    "OP_NO_TLSv1": 0x04000000,
    "OP_NO_TLSv1_2": 0x08000000,
    "OP_NO_TLSv1_1": 0x10000000,
    "OP_NO_TLSv1_3": 0x20000000,
    "OP_NO_TICKET": 0x4000,
    "OP_NO_COMPRESSION": 0x20000,
    "OP_CIPHER_SERVER_PREFERENCE": 0x400000,
    "OP_NO_RENEGOTIATION": 0x40000000,
    "MODE_RELEASE_BUFFERS": 0x10,
    "FILETYPE_PEM": 1,
}

# X509_V_* codes as OpenSSL's x509_vfy.h defines them.
VERIFICATION_CODES = {
    "OK": 0,
    "ERR_UNABLE_TO_GET_ISSUER_CERT": 2,
    "ERR_UNABLE_TO_GET_CRL": 3,
    "ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE": 4,
    "ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE": 5,
    "ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY": 6,
    "ERR_CERT_SIGNATURE_FAILURE": 7,
    "ERR_CRL_SIGNATURE_FAILURE": 8,
    "ERR_CERT_NOT_YET_VALID": 9,
    "ERR_CERT_HAS_EXPIRED": 10,
    "ERR_CRL_NOT_YET_VALID": 11,
    "ERR_CRL_HAS_EXPIRED": 12,
    "ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD": 13,
    "ERR_ERROR_IN_CERT_NOT_AFTER_FIELD": 14,
    "ERR_ERROR_IN_CRL_LAST_UPDATE_FIELD": 15,
    "ERR_ERROR_IN_CRL_NEXT_UPDATE_FIELD": 16,
    "ERR_OUT_OF_MEM": 17,
    "ERR_DEPTH_ZERO_SELF_SIGNED_CERT": 18,
    "ERR_SELF_SIGNED_CERT_IN_CHAIN": 19,
    "ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY": 20,
    "ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE": 21,
    "ERR_CERT_CHAIN_TOO_LONG": 22,
    "ERR_CERT_REVOKED": 23,
    "ERR_PATH_LENGTH_EXCEEDED": 25,
    "ERR_INVALID_PURPOSE": 26,
    "ERR_CERT_UNTRUSTED": 27,
    "ERR_CERT_REJECTED": 28,
    "ERR_SUBJECT_ISSUER_MISMATCH": 29,
    "ERR_AKID_SKID_MISMATCH": 30,
    "ERR_AKID_ISSUER_SERIAL_MISMATCH": 31,
    "ERR_KEYUSAGE_NO_CERTSIGN": 32,
    "ERR_UNABLE_TO_GET_CRL_ISSUER": 33,
    "ERR_UNHANDLED_CRITICAL_EXTENSION": 34,
    "ERR_KEYUSAGE_NO_CRL_SIGN": 35,
    "ERR_UNHANDLED_CRITICAL_CRL_EXTENSION": 36,
    "ERR_INVALID_NON_CA": 37,
    "ERR_PROXY_PATH_LENGTH_EXCEEDED": 38,
    "ERR_KEYUSAGE_NO_DIGITAL_SIGNATURE": 39,
    "ERR_PROXY_CERTIFICATES_NOT_ALLOWED": 40,
    "ERR_INVALID_EXTENSION": 41,
    "ERR_INVALID_POLICY_EXTENSION": 42,
    "ERR_NO_EXPLICIT_POLICY": 43,
    "ERR_DIFFERENT_CRL_SCOPE": 44,
    "ERR_UNSUPPORTED_EXTENSION_FEATURE": 45,
    "ERR_UNNESTED_RESOURCE": 46,
    "ERR_PERMITTED_VIOLATION": 47,
    "ERR_EXCLUDED_VIOLATION": 48,
    "ERR_SUBTREE_MINMAX": 49,
    "ERR_APPLICATION_VERIFICATION": 50,
    "ERR_UNSUPPORTED_CONSTRAINT_TYPE": 51,
    "ERR_UNSUPPORTED_CONSTRAINT_SYNTAX": 52,
    "ERR_UNSUPPORTED_NAME_SYNTAX": 53,
    "ERR_CRL_PATH_VALIDATION_ERROR": 54,
    "ERR_HOSTNAME_MISMATCH": 62,
    "ERR_EMAIL_MISMATCH": 63,
    "ERR_IP_ADDRESS_MISMATCH": 64,
    "ERR_INVALID_CA": 79,
}

EXCEPTIONS = [
    "Error",
    "WantReadError",
    "WantWriteError",
    "WantX509LookupError",
    "ZeroReturnError",
    "SysCallError",
]


# ---------------------------------------------------------------------------
# constants


@pytest.mark.parametrize("name", INT_CONSTANTS)
def test_integer_constant_exists(name):
    value = getattr(SSL, name)
    assert type(value) is int


@pytest.mark.parametrize("name,value", sorted(FIXED_VALUES.items()))
def test_constant_value(name, value):
    assert getattr(SSL, name) == value


def test_op_cookie_exchange_is_int_or_none():
    assert SSL.OP_COOKIE_EXCHANGE is None or type(SSL.OP_COOKIE_EXCHANGE) is int


def test_method_constants_are_distinct():
    methods = [
        SSL.SSLv23_METHOD,
        SSL.TLSv1_METHOD,
        SSL.TLSv1_1_METHOD,
        SSL.TLSv1_2_METHOD,
        SSL.TLS_METHOD,
        SSL.TLS_SERVER_METHOD,
        SSL.TLS_CLIENT_METHOD,
        SSL.DTLS_METHOD,
        SSL.DTLS_SERVER_METHOD,
        SSL.DTLS_CLIENT_METHOD,
    ]
    assert len(set(methods)) == len(methods)


def test_options_are_nonnegative_bitmasks():
    for name in INT_CONSTANTS:
        if name.startswith("OP_"):
            assert getattr(SSL, name) >= 0, name
    # OP_ALL is a union of workaround bits and contains none of the
    # protocol-disabling bits.
    no_proto = (
        SSL.OP_NO_SSLv3
        | SSL.OP_NO_TLSv1
        | SSL.OP_NO_TLSv1_1
        | SSL.OP_NO_TLSv1_2
        | SSL.OP_NO_TLSv1_3
    )
    assert SSL.OP_ALL & no_proto == 0


def test_public_names_in_all():
    for name in INT_CONSTANTS + EXCEPTIONS:
        if name == "FILETYPE_PEM":
            continue
        assert name in SSL.__all__, name
    for name in [
        "Context",
        "Connection",
        "Session",
        "SSLeay_version",
        "X509VerificationCodes",
    ]:
        assert name in SSL.__all__, name


def test_no_overlapping_protocols_sentinel():
    sentinel = SSL.NO_OVERLAPPING_PROTOCOLS
    assert sentinel is SSL.NO_OVERLAPPING_PROTOCOLS
    assert sentinel is not None
    assert not isinstance(sentinel, (int, bytes, str))


@pytest.mark.parametrize("name,value", sorted(VERIFICATION_CODES.items()))
def test_x509_verification_code(name, value):
    assert getattr(SSL.X509VerificationCodes, name) == value
    assert type(getattr(SSL.X509VerificationCodes, name)) is int


def test_x509_verification_codes_complete():
    public = {n for n in vars(SSL.X509VerificationCodes) if not n.startswith("_")}
    assert set(VERIFICATION_CODES) <= public


# ---------------------------------------------------------------------------
# version information


@pytest.mark.parametrize(
    "selector",
    ["OPENSSL_VERSION", "OPENSSL_CFLAGS", "OPENSSL_BUILT_ON", "OPENSSL_PLATFORM", "OPENSSL_DIR"],
)
def test_openssl_version_returns_bytes(selector):
    value = SSL.OpenSSL_version(getattr(SSL, selector))
    assert isinstance(value, bytes)
    assert value
    assert SSL.SSLeay_version(getattr(SSL, selector)) == value


def test_ssleay_version_starts_with_openssl():
    version = SSL.SSLeay_version(SSL.SSLEAY_VERSION)
    assert isinstance(version, bytes)
    assert version.startswith(b"OpenSSL ")


def test_version_string_matches_version_number():
    number = SSL.OPENSSL_VERSION_NUMBER
    major = number >> 28
    minor = (number >> 20) & 0xFF
    assert major >= 3
    prefix = b"OpenSSL %d.%d." % (major, minor)
    assert SSL.OpenSSL_version(SSL.OPENSSL_VERSION).startswith(prefix)


def test_openssl_version_unknown_selector():
    assert SSL.OpenSSL_version(9999) == b"not available"


def test_openssl_version_type_error():
    with pytest.raises(TypeError):
        SSL.OpenSSL_version("version")


def test_platform_and_dir_strings():
    assert SSL.OpenSSL_version(SSL.OPENSSL_PLATFORM).startswith(b"platform: ")
    assert SSL.OpenSSL_version(SSL.OPENSSL_DIR).startswith(b"OPENSSLDIR: ")
    assert SSL.OpenSSL_version(SSL.OPENSSL_BUILT_ON).startswith(b"built on: ")


# ---------------------------------------------------------------------------
# exceptions


def test_error_is_exception():
    assert issubclass(SSL.Error, Exception)
    assert SSL.Error.__bases__ == (Exception,)


@pytest.mark.parametrize("name", [n for n in EXCEPTIONS if n != "Error"])
def test_error_subclasses(name):
    cls = getattr(SSL, name)
    assert issubclass(cls, SSL.Error)
    assert cls.__bases__ == (SSL.Error,)


@pytest.mark.parametrize("name", EXCEPTIONS)
def test_exceptions_raise_and_keep_args(name):
    cls = getattr(SSL, name)
    with pytest.raises(SSL.Error) as info:
        raise cls("first", 2)
    assert type(info.value) is cls
    assert info.value.args == ("first", 2)


def test_syscallerror_args_shape():
    err = SSL.SysCallError(-1, "Unexpected EOF")
    assert err.args == (-1, "Unexpected EOF")


def test_exceptions_are_distinct():
    classes = [getattr(SSL, n) for n in EXCEPTIONS]
    assert len(set(classes)) == len(classes)
    assert not issubclass(SSL.WantReadError, SSL.WantWriteError)
    assert not issubclass(SSL.ZeroReturnError, SSL.SysCallError)


@pytest.mark.parametrize(
    "name",
    EXCEPTIONS + ["Context", "Connection", "Session", "X509VerificationCodes"],
)
def test_module_name(name):
    assert getattr(SSL, name).__module__ == "OpenSSL.SSL"


def test_type_names():
    assert SSL.Context.__name__ == "Context"
    assert SSL.Connection.__name__ == "Connection"
    assert SSL.Error.__name__ == "Error"
    assert SSL.Context.__qualname__ == "Context"


# ---------------------------------------------------------------------------
# Context / Connection as Python types


class _Ctx(SSL.Context):
    def __init__(self, method, label, *, flag=False):
        super().__init__(method)
        self.label = label
        self.flag = flag


class _Conn(SSL.Connection):
    def __init__(self, context, sock, label):
        super().__init__(context, sock)
        self.label = label


def test_context_subclass_with_extra_arguments():
    ctx = _Ctx(SSL.TLS_METHOD, "extra", flag=True)
    assert isinstance(ctx, SSL.Context)
    assert ctx.label == "extra"
    assert ctx.flag is True
    # the subclass is still a working Context
    ctx.set_timeout(42)
    assert ctx.get_timeout() == 42


def test_connection_subclass_with_extra_arguments():
    ctx = _Ctx(SSL.TLS_METHOD, "ctx")
    conn = _Conn(ctx, None, "conn")
    assert isinstance(conn, SSL.Connection)
    assert conn.label == "conn"
    assert conn.get_context() is ctx


def test_context_subclass_without_own_init():
    class Plain(SSL.Context):
        pass

    ctx = Plain(SSL.TLS_CLIENT_METHOD)
    assert type(ctx) is Plain
    conn = SSL.Connection(ctx, None)
    assert conn.get_context() is ctx


def test_context_accepts_arbitrary_attributes():
    ctx = SSL.Context(SSL.TLS_METHOD)
    ctx.anything = [1, 2, 3]
    assert ctx.anything == [1, 2, 3]
    del ctx.anything
    with pytest.raises(AttributeError):
        ctx.anything


def test_connection_accepts_arbitrary_attributes():
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    conn.anything = {"a": 1}
    assert conn.anything == {"a": 1}


def test_context_weakref():
    ctx = SSL.Context(SSL.TLS_METHOD)
    ref = weakref.ref(ctx)
    assert ref() is ctx
    del ctx
    gc.collect()
    assert ref() is None


def test_connection_weakref():
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    ref = weakref.ref(conn)
    assert ref() is conn
    del conn
    gc.collect()
    assert ref() is None


def test_weak_value_dictionary():
    store = weakref.WeakValueDictionary()
    ctx = SSL.Context(SSL.TLS_METHOD)
    store["ctx"] = ctx
    assert store["ctx"] is ctx


# ---------------------------------------------------------------------------
# our additions beyond pyOpenSSL 26.4


@pytest.mark.ours
def test_our_extension_module_is_loaded():
    assert SSL.__file__.endswith(".abi3.so")


@pytest.mark.ours
def test_filetype_asn1_exported():
    assert SSL.FILETYPE_ASN1 == 2
    assert SSL.FILETYPE_PEM == 1


@pytest.mark.ours
def test_legacy_type_aliases():
    assert SSL.ContextType is SSL.Context
    assert SSL.ConnectionType is SSL.Connection


@pytest.mark.ours
@pytest.mark.parametrize("name,value", [("SSLv2_METHOD", 1), ("SSLv3_METHOD", 2)])
def test_legacy_methods_refuse_to_build_a_context(name, value):
    # pyOpenSSL's historical numbering, below SSLv23_METHOD (3)
    method = getattr(SSL, name)
    assert method == value
    with pytest.raises((ValueError, SSL.Error)):
        SSL.Context(method)


# ---------------------------------------------------------------------------
# the module object itself


@pytest.mark.skipif(sys.version_info < (3, 11), reason="specialising interpreter: 3.11+")
def test_module_attribute_lookups_are_specialised():
    # CPython specialises `SSL.WantReadError` (LOAD_ATTR_MODULE) only on a
    # plain module without a module-level __getattr__; otherwise each lookup
    # in a hot loop takes the slow generic path.
    import dis

    def lookups():
        return SSL.WantReadError, SSL.Connection

    for _ in range(1000):
        lookups()
    names = [i.opname for i in dis.get_instructions(lookups, adaptive=True)]
    assert "LOAD_ATTR_MODULE" in names, names


def test_private_bindings_before_and_after_first_use():
    # _lib and _ffi answer before OpenSSL._util is imported, and are its very
    # objects afterwards (pyOpenSSL's SSL module imports them from there).
    code = (
        "from OpenSSL import SSL\n"
        "first = SSL._lib.SSL_OP_NO_COMPRESSION\n"
        "assert first == SSL.OP_NO_COMPRESSION, first\n"
        "assert SSL._ffi.string(SSL._lib.OPENSSL_VERSION_TEXT)\n"
        "from OpenSSL import _util\n"
        "assert SSL._lib is _util.lib and SSL._ffi is _util.ffi\n"
        "print('ok')\n"
    )
    done = run_child(code)
    assert done.stdout == b"ok\n", done.stderr
