"""The public names of `OpenSSL.SSL` and `OpenSSL.crypto` against pyOpenSSL
26.4's (the lists below are what `dir()` shows there). Everything pyOpenSSL's
modules offer is here too, except the names they import for their own use
only (typing helpers, standard-library and cryptography modules), which the
README lists as not provided. In the reference env the lists are checked to be
exactly pyOpenSSL's, so they cannot drift."""

import sys
import warnings

import pytest

from OpenSSL import SSL, crypto

from conftest import REFERENCE

PYOPENSSL_SSL = set("""
Connection Context DTLS_CLIENT_METHOD DTLS_METHOD DTLS_SERVER_METHOD Error FILETYPE_PEM
MODE_RELEASE_BUFFERS NO_OVERLAPPING_PROTOCOLS OPENSSL_BUILT_ON OPENSSL_CFLAGS OPENSSL_DIR
OPENSSL_PLATFORM OPENSSL_VERSION OPENSSL_VERSION_NUMBER OP_ALL OP_CIPHER_SERVER_PREFERENCE
OP_COOKIE_EXCHANGE OP_DONT_INSERT_EMPTY_FRAGMENTS OP_EPHEMERAL_RSA OP_IGNORE_UNEXPECTED_EOF
OP_LEGACY_SERVER_CONNECT OP_MICROSOFT_BIG_SSLV3_BUFFER OP_MICROSOFT_SESS_ID_BUG
OP_MSIE_SSLV2_RSA_PADDING OP_NETSCAPE_CA_DN_BUG OP_NETSCAPE_CHALLENGE_BUG
OP_NETSCAPE_DEMO_CIPHER_CHANGE_BUG OP_NETSCAPE_REUSE_CIPHER_CHANGE_BUG OP_NO_COMPRESSION
OP_NO_QUERY_MTU OP_NO_RENEGOTIATION OP_NO_SSLv2 OP_NO_SSLv3 OP_NO_TICKET OP_NO_TLSv1
OP_NO_TLSv1_1 OP_NO_TLSv1_2 OP_NO_TLSv1_3 OP_PKCS1_CHECK_1 OP_PKCS1_CHECK_2 OP_SINGLE_DH_USE
OP_SINGLE_ECDH_USE OP_SSLEAY_080_CLIENT_DH_BUG OP_SSLREF2_REUSE_CERT_TYPE_BUG
OP_TLS_BLOCK_PADDING_BUG OP_TLS_D5_BUG OP_TLS_ROLLBACK_BUG OpenSSL_version PKey
RECEIVED_SHUTDOWN SENT_SHUTDOWN SESS_CACHE_BOTH SESS_CACHE_CLIENT SESS_CACHE_NO_AUTO_CLEAR
SESS_CACHE_NO_INTERNAL SESS_CACHE_NO_INTERNAL_LOOKUP SESS_CACHE_NO_INTERNAL_STORE SESS_CACHE_OFF
SESS_CACHE_SERVER SSL3_VERSION SSLEAY_BUILT_ON SSLEAY_CFLAGS SSLEAY_DIR SSLEAY_PLATFORM
SSLEAY_VERSION SSL_CB_ACCEPT_EXIT SSL_CB_ACCEPT_LOOP SSL_CB_ALERT SSL_CB_CONNECT_EXIT
SSL_CB_CONNECT_LOOP SSL_CB_EXIT SSL_CB_HANDSHAKE_DONE SSL_CB_HANDSHAKE_START SSL_CB_LOOP
SSL_CB_READ SSL_CB_READ_ALERT SSL_CB_WRITE SSL_CB_WRITE_ALERT SSL_ST_ACCEPT SSL_ST_CONNECT
SSL_ST_MASK SSLeay_version SSLv23_METHOD Session SysCallError TLS1_1_VERSION TLS1_2_VERSION
TLS1_3_VERSION TLS1_VERSION TLS_CLIENT_METHOD TLS_METHOD TLS_SERVER_METHOD TLSv1_1_METHOD
TLSv1_2_METHOD TLSv1_METHOD VERIFY_CLIENT_ONCE VERIFY_FAIL_IF_NO_PEER_CERT VERIFY_NONE
VERIFY_PEER WantReadError WantWriteError WantX509LookupError X509 X509Name X509Store
X509VerificationCodes ZeroReturnError errorcode socket
""".split())

PYOPENSSL_CRYPTO = set("""
Error FILETYPE_ASN1 FILETYPE_PEM FILETYPE_TEXT PKey PassphraseCallableT TYPE_DH TYPE_DSA TYPE_EC
TYPE_RSA X509 X509Name X509Store X509StoreContext X509StoreContextError X509StoreFlags
dump_certificate dump_privatekey dump_publickey get_elliptic_curve get_elliptic_curves
load_certificate load_privatekey load_publickey
""".split())

# What pyOpenSSL's modules import for their own use (README: not provided).
IMPORTED_FOR_OWN_USE = {
    "SSL": set("Any Callable F Optional Sequence TypeVar WeakValueDictionary annotations chain "
               "count deprecated ec os partial platform sys typing warnings wraps x509".split()),
    "crypto": set("Any Callable Sequence StrOrBytesPath Union annotations b16encode calendar "
                  "datetime deprecated dsa ec ed25519 ed448 functools partial rsa sys typing "
                  "utils x509".split()),
}


def _public(module):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return {name for name in dir(module) if not name.startswith("_")}


@pytest.mark.parametrize("module,expected", [(SSL, PYOPENSSL_SSL), (crypto, PYOPENSSL_CRYPTO)],
                         ids=["SSL", "crypto"])
def test_every_public_name_of_pyopenssl_is_here(module, expected):
    names = _public(module)
    assert expected <= names, sorted(expected - names)
    if REFERENCE:
        short = module.__name__.rsplit(".", 1)[1]
        assert names == expected | IMPORTED_FOR_OWN_USE[short], sorted(
            names ^ (expected | IMPORTED_FOR_OWN_USE[short]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        for name in expected:
            assert getattr(module, name) is not None, name


def test_names_ssl_takes_from_crypto_and_the_standard_library():
    import errno

    from OpenSSL.SSL import PKey, X509, X509Name, X509Store, errorcode, socket  # noqa: F401

    assert (X509, PKey, X509Name, X509Store) == (crypto.X509, crypto.PKey, crypto.X509Name,
                                                 crypto.X509Store)
    assert errorcode is errno.errorcode
    assert socket.socket is sys.modules["socket"].socket
    assert socket.AF_INET == sys.modules["socket"].AF_INET


@pytest.mark.ours
def test_ssl_socket_costs_no_import_until_used():
    from robustness_helpers import child_failure, run_child

    result = run_child("""
        import sys
        import OpenSSL.SSL as SSL
        assert "socket" not in sys.modules, "import OpenSSL.SSL imported socket"
        assert SSL.socket.AF_INET == 2
        assert SSL.socket is sys.modules["socket"]
        print("OK")
    """)
    assert result.returncode == 0 and result.stdout.strip() == b"OK", child_failure(result, "socket")
