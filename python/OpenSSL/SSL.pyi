# Type stubs for OpenSSL.SSL (implemented in the Swift extension module).
#
# Methods the extension defines with METH_O take their one argument by
# position only, which the "/" markers below reflect; methods that take
# keywords use the keyword names the extension accepts.

import socket
from collections.abc import Callable, Sequence
from typing import Any, Literal, NoReturn, TypeVar, overload

from _typeshed import StrOrBytesPath
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from typing_extensions import Buffer, TypeAlias, deprecated, disjoint_base

from OpenSSL.crypto import X509, PKey, X509Name, X509Store, _EllipticCurve, _PassphraseCallableT, _PrivateKey

__all__ = [
    "DTLS_CLIENT_METHOD",
    "DTLS_METHOD",
    "DTLS_SERVER_METHOD",
    "MODE_RELEASE_BUFFERS",
    "NO_OVERLAPPING_PROTOCOLS",
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
    "OP_MICROSOFT_BIG_SSLV3_BUFFER",
    "OP_MICROSOFT_SESS_ID_BUG",
    "OP_MSIE_SSLV2_RSA_PADDING",
    "OP_NETSCAPE_CA_DN_BUG",
    "OP_NETSCAPE_CHALLENGE_BUG",
    "OP_NETSCAPE_DEMO_CIPHER_CHANGE_BUG",
    "OP_NETSCAPE_REUSE_CIPHER_CHANGE_BUG",
    "OP_NO_COMPRESSION",
    "OP_NO_QUERY_MTU",
    "OP_NO_TICKET",
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
    "TLS1_1_VERSION",
    "TLS1_2_VERSION",
    "TLS1_3_VERSION",
    "TLS1_VERSION",
    "TLS_CLIENT_METHOD",
    "TLS_METHOD",
    "TLS_SERVER_METHOD",
    "VERIFY_CLIENT_ONCE",
    "VERIFY_FAIL_IF_NO_PEER_CERT",
    "VERIFY_NONE",
    "VERIFY_PEER",
    "Connection",
    "Context",
    "Error",
    "OP_NO_SSLv2",
    "OP_NO_SSLv3",
    "OP_NO_TLSv1",
    "OP_NO_TLSv1_1",
    "OP_NO_TLSv1_2",
    "OP_NO_TLSv1_3",
    "SSLeay_version",
    "SSLv23_METHOD",
    "Session",
    "SysCallError",
    "TLSv1_1_METHOD",
    "TLSv1_2_METHOD",
    "TLSv1_METHOD",
    "WantReadError",
    "WantWriteError",
    "WantX509LookupError",
    "X509VerificationCodes",
    "ZeroReturnError",
    "OP_COOKIE_EXCHANGE",
    "OP_NO_RENEGOTIATION",
    "OP_IGNORE_UNEXPECTED_EOF",
    "OP_LEGACY_SERVER_CONNECT",
]

_T = TypeVar("_T")

# ---- version information -------------------------------------------------

OPENSSL_VERSION_NUMBER: int
OPENSSL_VERSION: int
OPENSSL_CFLAGS: int
OPENSSL_PLATFORM: int
OPENSSL_DIR: int
OPENSSL_BUILT_ON: int
SSLEAY_VERSION: int
SSLEAY_CFLAGS: int
SSLEAY_PLATFORM: int
SSLEAY_DIR: int
SSLEAY_BUILT_ON: int

def OpenSSL_version(type: int, /) -> bytes: ...
def SSLeay_version(type: int, /) -> bytes: ...

# ---- methods and protocol versions -----------------------------------------

SSLv2_METHOD: int
SSLv3_METHOD: int
SSLv23_METHOD: int
TLSv1_METHOD: int
TLSv1_1_METHOD: int
TLSv1_2_METHOD: int
TLS_METHOD: int
TLS_SERVER_METHOD: int
TLS_CLIENT_METHOD: int
DTLS_METHOD: int
DTLS_SERVER_METHOD: int
DTLS_CLIENT_METHOD: int

SSL3_VERSION: int
TLS1_VERSION: int
TLS1_1_VERSION: int
TLS1_2_VERSION: int
TLS1_3_VERSION: int

FILETYPE_PEM: int
FILETYPE_ASN1: int

# ---- options, modes, verification and session-cache flags ------------------

MODE_RELEASE_BUFFERS: int

OP_SINGLE_DH_USE: int
OP_SINGLE_ECDH_USE: int
OP_EPHEMERAL_RSA: int
OP_MICROSOFT_SESS_ID_BUG: int
OP_NETSCAPE_CHALLENGE_BUG: int
OP_NETSCAPE_REUSE_CIPHER_CHANGE_BUG: int
OP_MICROSOFT_BIG_SSLV3_BUFFER: int
OP_MSIE_SSLV2_RSA_PADDING: int
OP_SSLEAY_080_CLIENT_DH_BUG: int
OP_TLS_D5_BUG: int
OP_TLS_BLOCK_PADDING_BUG: int
OP_DONT_INSERT_EMPTY_FRAGMENTS: int
OP_CIPHER_SERVER_PREFERENCE: int
OP_TLS_ROLLBACK_BUG: int
OP_PKCS1_CHECK_1: int
OP_PKCS1_CHECK_2: int
OP_NETSCAPE_CA_DN_BUG: int
OP_NETSCAPE_DEMO_CIPHER_CHANGE_BUG: int
OP_NO_COMPRESSION: int
OP_NO_QUERY_MTU: int
OP_COOKIE_EXCHANGE: int
OP_NO_TICKET: int
OP_NO_RENEGOTIATION: int
OP_IGNORE_UNEXPECTED_EOF: int
OP_LEGACY_SERVER_CONNECT: int
OP_ENABLE_KTLS: int
OP_NO_SSLv2: int
OP_NO_SSLv3: int
OP_NO_TLSv1: int
OP_NO_TLSv1_1: int
OP_NO_TLSv1_2: int
OP_NO_TLSv1_3: int
OP_SSLREF2_REUSE_CERT_TYPE_BUG: int
OP_ALL: int

VERIFY_PEER: int
VERIFY_FAIL_IF_NO_PEER_CERT: int
VERIFY_CLIENT_ONCE: int
VERIFY_POST_HANDSHAKE: int
VERIFY_NONE: int

SESS_CACHE_OFF: int
SESS_CACHE_CLIENT: int
SESS_CACHE_SERVER: int
SESS_CACHE_BOTH: int
SESS_CACHE_NO_AUTO_CLEAR: int
SESS_CACHE_NO_INTERNAL_LOOKUP: int
SESS_CACHE_NO_INTERNAL_STORE: int
SESS_CACHE_NO_INTERNAL: int

SENT_SHUTDOWN: int
RECEIVED_SHUTDOWN: int

SSL_ST_CONNECT: int
SSL_ST_ACCEPT: int
SSL_ST_MASK: int

SSL_CB_LOOP: int
SSL_CB_EXIT: int
SSL_CB_READ: int
SSL_CB_WRITE: int
SSL_CB_ALERT: int
SSL_CB_READ_ALERT: int
SSL_CB_WRITE_ALERT: int
SSL_CB_ACCEPT_LOOP: int
SSL_CB_ACCEPT_EXIT: int
SSL_CB_CONNECT_LOOP: int
SSL_CB_CONNECT_EXIT: int
SSL_CB_HANDSHAKE_START: int
SSL_CB_HANDSHAKE_DONE: int

class _NoOverlappingProtocols: ...

NO_OVERLAPPING_PROTOCOLS: _NoOverlappingProtocols

# ---- callback types ------------------------------------------------------

_VerifyCallback: TypeAlias = Callable[[Connection, X509, int, int, int], bool]
_PassphraseCallback: TypeAlias = Callable[[int, bool, _T | None], bytes]
_InfoCallback: TypeAlias = Callable[[Connection, int, int], None]
_KeylogCallback: TypeAlias = Callable[[Connection, bytes], None]
_ServernameCallback: TypeAlias = Callable[[Connection], None]
_ALPNSelectCallback: TypeAlias = Callable[[Connection, list[bytes]], bytes | _NoOverlappingProtocols]
_NPNAdvertiseCallback: TypeAlias = Callable[[Connection], list[bytes]]
_NPNSelectCallback: TypeAlias = Callable[[Connection, list[bytes]], bytes]
_OCSPServerCallback: TypeAlias = Callable[[Connection, _T | None], bytes]
_OCSPClientCallback: TypeAlias = Callable[[Connection, bytes, _T | None], bool]
_CookieGenerateCallback: TypeAlias = Callable[[Connection], bytes]
_CookieVerifyCallback: TypeAlias = Callable[[Connection, bytes], bool]
_ClientHelloCallback: TypeAlias = Callable[[Connection, ClientHello], bool | None]
_PSKClientCallback: TypeAlias = Callable[[str | None], tuple[str | None, bytes]]
_PSKServerCallback: TypeAlias = Callable[[str | None], bytes]

# ---- exceptions ------------------------------------------------------------

class Error(Exception): ...
class WantReadError(Error): ...
class WantWriteError(Error): ...
class WantX509LookupError(Error): ...
class ZeroReturnError(Error): ...
class SysCallError(Error): ...

# ---- X.509 verification result codes ----------------------------------------

class X509VerificationCodes:
    OK: int
    ERR_UNABLE_TO_GET_ISSUER_CERT: int
    ERR_UNABLE_TO_GET_CRL: int
    ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE: int
    ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE: int
    ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY: int
    ERR_CERT_SIGNATURE_FAILURE: int
    ERR_CRL_SIGNATURE_FAILURE: int
    ERR_CERT_NOT_YET_VALID: int
    ERR_CERT_HAS_EXPIRED: int
    ERR_CRL_NOT_YET_VALID: int
    ERR_CRL_HAS_EXPIRED: int
    ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD: int
    ERR_ERROR_IN_CERT_NOT_AFTER_FIELD: int
    ERR_ERROR_IN_CRL_LAST_UPDATE_FIELD: int
    ERR_ERROR_IN_CRL_NEXT_UPDATE_FIELD: int
    ERR_OUT_OF_MEM: int
    ERR_DEPTH_ZERO_SELF_SIGNED_CERT: int
    ERR_SELF_SIGNED_CERT_IN_CHAIN: int
    ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY: int
    ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE: int
    ERR_CERT_CHAIN_TOO_LONG: int
    ERR_CERT_REVOKED: int
    ERR_INVALID_CA: int
    ERR_PATH_LENGTH_EXCEEDED: int
    ERR_INVALID_PURPOSE: int
    ERR_CERT_UNTRUSTED: int
    ERR_CERT_REJECTED: int
    ERR_SUBJECT_ISSUER_MISMATCH: int
    ERR_AKID_SKID_MISMATCH: int
    ERR_AKID_ISSUER_SERIAL_MISMATCH: int
    ERR_KEYUSAGE_NO_CERTSIGN: int
    ERR_UNABLE_TO_GET_CRL_ISSUER: int
    ERR_UNHANDLED_CRITICAL_EXTENSION: int
    ERR_KEYUSAGE_NO_CRL_SIGN: int
    ERR_UNHANDLED_CRITICAL_CRL_EXTENSION: int
    ERR_INVALID_NON_CA: int
    ERR_PROXY_PATH_LENGTH_EXCEEDED: int
    ERR_KEYUSAGE_NO_DIGITAL_SIGNATURE: int
    ERR_PROXY_CERTIFICATES_NOT_ALLOWED: int
    ERR_INVALID_EXTENSION: int
    ERR_INVALID_POLICY_EXTENSION: int
    ERR_NO_EXPLICIT_POLICY: int
    ERR_DIFFERENT_CRL_SCOPE: int
    ERR_UNSUPPORTED_EXTENSION_FEATURE: int
    ERR_UNNESTED_RESOURCE: int
    ERR_PERMITTED_VIOLATION: int
    ERR_EXCLUDED_VIOLATION: int
    ERR_SUBTREE_MINMAX: int
    ERR_APPLICATION_VERIFICATION: int
    ERR_UNSUPPORTED_CONSTRAINT_TYPE: int
    ERR_UNSUPPORTED_CONSTRAINT_SYNTAX: int
    ERR_UNSUPPORTED_NAME_SYNTAX: int
    ERR_CRL_PATH_VALIDATION_ERROR: int
    ERR_HOSTNAME_MISMATCH: int
    ERR_EMAIL_MISMATCH: int
    ERR_IP_ADDRESS_MISMATCH: int

# ---- ClientHello -------------------------------------------------------------

class ClientHello:
    # What a client offered, as passed to a set_client_hello_callback callback.
    # Only for typing: the class is not an attribute of OpenSSL.SSL at runtime.
    legacy_version: int
    supported_versions: list[int]
    cipher_suites: list[int]
    extensions: list[int]
    server_name: str | None
    alpn_protocols: list[bytes]
    def __init__(
        self,
        legacy_version: int,
        supported_versions: list[int],
        cipher_suites: list[int],
        extensions: list[int],
        server_name: str | None,
        alpn_protocols: list[bytes],
    ) -> None: ...

# ---- Session -----------------------------------------------------------------

@disjoint_base
class Session:
    @property
    def id(self) -> bytes: ...
    @property
    def ticket_lifetime_hint(self) -> int: ...
    def is_resumable(self) -> bool: ...

# ---- Context -----------------------------------------------------------------

@disjoint_base
class Context:
    def __init__(self, method: int) -> None: ...
    def set_min_proto_version(self, version: int, /) -> None: ...
    def set_max_proto_version(self, version: int, /) -> None: ...
    def load_verify_locations(self, cafile: StrOrBytesPath | None, capath: StrOrBytesPath | None = None) -> None: ...
    def load_verify_data(self, data: bytes, /) -> None: ...
    @deprecated(
        "Context.set_passwd_cb is deprecated. You should decrypt and load your private key "
        "yourself, with cryptography's key loading APIs, and then use Context.use_privatekey instead."
    )
    def set_passwd_cb(self, callback: _PassphraseCallback[_T], userdata: _T | None = None) -> None: ...
    def set_default_verify_paths(self) -> None: ...
    def use_certificate_chain_file(self, certfile: StrOrBytesPath, /) -> None: ...
    def use_certificate_chain_data(self, pem: bytes, /) -> None: ...
    def use_certificate_file(self, certfile: StrOrBytesPath, filetype: int = 1) -> None: ...
    def use_certificate(self, cert: X509 | x509.Certificate, /) -> None: ...
    def add_extra_chain_cert(self, certobj: X509 | x509.Certificate, /) -> None: ...
    def use_privatekey_file(self, keyfile: StrOrBytesPath, filetype: int = 1) -> None: ...
    def use_privatekey(self, pkey: _PrivateKey | PKey, /) -> None: ...
    def use_privatekey_data(self, data: bytes, passphrase: _PassphraseCallableT | None = None) -> None: ...
    def check_privatekey(self) -> None: ...
    def load_client_ca(self, cafile: bytes, /) -> None: ...
    def set_session_id(self, buf: bytes, /) -> None: ...
    def set_session_cache_mode(self, mode: int, /) -> int: ...
    def get_session_cache_mode(self) -> int: ...
    def set_verify(self, mode: int, callback: _VerifyCallback | None = None) -> None: ...
    def set_verify_depth(self, depth: int, /) -> None: ...
    def get_verify_mode(self) -> int: ...
    def get_verify_depth(self) -> int: ...
    def set_post_handshake_auth(self, enabled: bool, /) -> None: ...
    def load_tmp_dh(self, dhfile: StrOrBytesPath, /) -> None: ...
    def set_tmp_ecdh(self, curve: _EllipticCurve | ec.EllipticCurve, /) -> None: ...
    def set_groups(self, groups: str | Sequence[str], /) -> None: ...
    def set_cipher_list(self, cipher_list: bytes, /) -> None: ...
    def set_tls13_ciphersuites(self, ciphersuites: bytes, /) -> None: ...
    @deprecated("Context.set_client_ca_list is deprecated. X509Name support in pyOpenSSL is deprecated.")
    def set_client_ca_list(self, certificate_authorities: Sequence[X509Name], /) -> None: ...
    def add_client_ca(self, certificate_authority: X509 | x509.Certificate, /) -> None: ...
    def set_timeout(self, timeout: int, /) -> int: ...
    def get_timeout(self) -> int: ...
    def set_info_callback(self, callback: _InfoCallback | None, /) -> None: ...
    def set_keylog_callback(self, callback: _KeylogCallback | None, /) -> None: ...
    def get_app_data(self) -> Any: ...
    def set_app_data(self, data: Any, /) -> None: ...
    def get_cert_store(self) -> X509Store | None: ...
    def set_options(self, options: int, /) -> int: ...
    def set_mode(self, mode: int, /) -> int: ...
    def clear_mode(self, mode_to_clear: int, /) -> int: ...
    def set_tlsext_servername_callback(self, callback: _ServernameCallback | None, /) -> None: ...
    def set_tlsext_use_srtp(self, profiles: bytes, /) -> None: ...
    def set_alpn_protos(self, protos: Sequence[bytes], /) -> None: ...
    def set_alpn_select_callback(self, callback: _ALPNSelectCallback | None, /) -> None: ...
    def set_npn_advertise_callback(self, callback: _NPNAdvertiseCallback | None, /) -> None: ...
    def set_npn_select_callback(self, callback: _NPNSelectCallback | None, /) -> None: ...
    def set_ocsp_server_callback(self, callback: _OCSPServerCallback[_T], data: _T | None = None) -> None: ...
    def set_ocsp_client_callback(self, callback: _OCSPClientCallback[_T], data: _T | None = None) -> None: ...
    def set_cookie_generate_callback(self, callback: _CookieGenerateCallback | None, /) -> None: ...
    def set_cookie_verify_callback(self, callback: _CookieVerifyCallback | None, /) -> None: ...
    def set_client_hello_callback(self, callback: _ClientHelloCallback | None, /) -> None: ...
    def set_psk_client_callback(self, callback: _PSKClientCallback | None, /) -> None: ...
    def set_psk_server_callback(self, callback: _PSKServerCallback | None, identity_hint: str | None = None) -> None: ...

ContextType = Context

# ---- Connection --------------------------------------------------------------

@disjoint_base
class Connection:
    def __init__(self, context: Context, socket: socket.socket | None = None) -> None: ...
    # Attributes the class lacks are looked up on the socket (fileno(), ...).
    def __getattr__(self, name: str, /) -> Any: ...
    def get_context(self) -> Context: ...
    def set_context(self, context: Context, /) -> None: ...
    def set_options(self, options: int, /) -> int: ...
    def get_servername(self) -> bytes | None: ...
    def set_verify(self, mode: int, callback: _VerifyCallback | None = None) -> None: ...
    def get_verify_mode(self) -> int: ...
    def set_verify_hostname(self, hostname: str, /) -> None: ...
    def set_verify_ip(self, address: str, /) -> None: ...
    def verify_client_post_handshake(self) -> None: ...
    def use_certificate(self, cert: X509 | x509.Certificate, /) -> None: ...
    def use_privatekey(self, pkey: _PrivateKey | PKey, /) -> None: ...
    def set_ciphertext_mtu(self, mtu: int, /) -> None: ...
    def get_cleartext_mtu(self) -> int: ...
    def set_tlsext_host_name(self, name: bytes, /) -> None: ...
    def set_tlsext_use_srtp(self, profiles: bytes, /) -> None: ...
    def pending(self) -> int: ...
    def send(self, buf: Buffer, flags: int = 0) -> int: ...
    def write(self, buf: Buffer, flags: int = 0) -> int: ...
    def sendall(self, buf: Buffer, flags: int = 0) -> int: ...
    def sendfile(self, file: Any, offset: int = 0, count: int | None = None) -> int: ...
    def uses_ktls_send(self) -> bool: ...
    def recv(self, bufsiz: int, flags: int | None = None) -> bytes: ...
    def read(self, bufsiz: int, flags: int | None = None) -> bytes: ...
    def recv_into(self, buffer: Buffer, nbytes: int | None = None, flags: int | None = None) -> int: ...
    def bio_read(self, bufsiz: int, /) -> bytes: ...
    def bio_write(self, buf: Buffer, /) -> int: ...
    def renegotiate(self) -> bool: ...
    def do_handshake(self) -> None: ...
    def renegotiate_pending(self) -> bool: ...
    def total_renegotiations(self) -> int: ...
    def connect(self, addr: Any, /) -> None: ...
    def connect_ex(self, addr: Any, /) -> int: ...
    def accept(self) -> tuple[Connection, Any]: ...
    def DTLSv1_listen(self) -> None: ...
    def DTLSv1_get_timeout(self) -> float | None: ...
    def DTLSv1_handle_timeout(self) -> bool: ...
    def bio_shutdown(self) -> None: ...
    def shutdown(self) -> bool: ...
    def get_cipher_list(self) -> list[str]: ...
    @overload
    def get_client_ca_list(self, *, as_cryptography: Literal[True]) -> list[x509.Name]: ...
    @overload
    def get_client_ca_list(self, *, as_cryptography: Literal[False] = False) -> list[X509Name]: ...
    @overload
    def get_client_ca_list(self, *, as_cryptography: bool) -> list[X509Name] | list[x509.Name]: ...
    def makefile(self, *args: Any, **kwargs: Any) -> NoReturn: ...
    def get_app_data(self) -> Any: ...
    def set_app_data(self, data: Any, /) -> None: ...
    def get_shutdown(self) -> int: ...
    def set_shutdown(self, state: int, /) -> None: ...
    def get_state_string(self) -> bytes: ...
    def server_random(self) -> bytes | None: ...
    def client_random(self) -> bytes | None: ...
    def master_key(self) -> bytes | None: ...
    def export_keying_material(self, label: bytes, olen: int, context: bytes | None = None) -> bytes: ...
    def sock_shutdown(self, *args: Any, **kwargs: Any) -> None: ...
    @overload
    def get_certificate(self, *, as_cryptography: Literal[True]) -> x509.Certificate | None: ...
    @overload
    def get_certificate(self, *, as_cryptography: Literal[False] = False) -> X509 | None: ...
    @overload
    def get_certificate(self, *, as_cryptography: bool) -> X509 | x509.Certificate | None: ...
    @overload
    def get_peer_certificate(self, *, as_cryptography: Literal[True]) -> x509.Certificate | None: ...
    @overload
    def get_peer_certificate(self, *, as_cryptography: Literal[False] = False) -> X509 | None: ...
    @overload
    def get_peer_certificate(self, *, as_cryptography: bool) -> X509 | x509.Certificate | None: ...
    @overload
    def get_peer_cert_chain(self, *, as_cryptography: Literal[True]) -> list[x509.Certificate] | None: ...
    @overload
    def get_peer_cert_chain(self, *, as_cryptography: Literal[False] = False) -> list[X509] | None: ...
    @overload
    def get_peer_cert_chain(self, *, as_cryptography: bool) -> list[X509] | list[x509.Certificate] | None: ...
    @overload
    def get_verified_chain(self, *, as_cryptography: Literal[True]) -> list[x509.Certificate] | None: ...
    @overload
    def get_verified_chain(self, *, as_cryptography: Literal[False] = False) -> list[X509] | None: ...
    @overload
    def get_verified_chain(self, *, as_cryptography: bool) -> list[X509] | list[x509.Certificate] | None: ...
    def want_read(self) -> bool: ...
    def want_write(self) -> bool: ...
    def set_accept_state(self) -> None: ...
    def set_connect_state(self) -> None: ...
    def get_session(self) -> Session | None: ...
    def set_session(self, session: Session, /) -> None: ...
    def session_reused(self) -> bool: ...
    def get_finished(self) -> bytes | None: ...
    def get_peer_finished(self) -> bytes | None: ...
    def get_cipher_name(self) -> str | None: ...
    def get_cipher_bits(self) -> int | None: ...
    def get_cipher_version(self) -> str | None: ...
    def get_protocol_version_name(self) -> str: ...
    def get_protocol_version(self) -> int: ...
    def set_alpn_protos(self, protos: Sequence[bytes], /) -> None: ...
    def get_alpn_proto_negotiated(self) -> bytes: ...
    def get_next_proto_negotiated(self) -> bytes: ...
    def get_selected_srtp_profile(self) -> bytes: ...
    def get_group_name(self) -> str | None: ...
    def request_ocsp(self) -> None: ...
    def set_info_callback(self, callback: _InfoCallback | None, /) -> None: ...

ConnectionType = Connection
