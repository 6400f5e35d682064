// System OpenSSL 3 for Swift: the headers, plus inline wrappers for what Swift
// cannot import (function-like macros and 64-bit option constants).
#ifndef SWIFT_PYOPENSSL_COPENSSL_SHIM_H
#define SWIFT_PYOPENSSL_COPENSSL_SHIM_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE  /* dladdr */
#endif

#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/x509_vfy.h>
#include <openssl/pem.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/crypto.h>
#include <openssl/ocsp.h>
#include <openssl/dh.h>
#include <openssl/ec.h>
#include <openssl/rsa.h>
#include <openssl/dsa.h>
#include <openssl/bn.h>
#include <openssl/asn1.h>
#include <openssl/objects.h>
#include <openssl/opensslv.h>
#include <openssl/core_names.h>
#include <openssl/decoder.h>
#include <openssl/encoder.h>
#include <openssl/tls1.h>
#include <openssl/srtp.h>
#include <errno.h>
#include <dlfcn.h>
#include <unistd.h>
#include <poll.h>
#include <fcntl.h>
#include <sys/time.h>
#include <stdint.h>

#if OPENSSL_VERSION_MAJOR < 3
#error "swift-pyopenssl needs OpenSSL 3"
#endif

// ---- build-time facts ----
static inline unsigned long shim_OPENSSL_VERSION_NUMBER(void) { return OPENSSL_VERSION_NUMBER; }
static inline const char *shim_OPENSSL_VERSION_TEXT(void) { return OPENSSL_VERSION_TEXT; }

// ---- option bits (SSL_OP_BIT casts are not importable) ----
#define SHIM_OPTION(name) static inline uint64_t shim_##name(void) { return (uint64_t)(name); }
SHIM_OPTION(SSL_OP_ALL)
SHIM_OPTION(SSL_OP_CIPHER_SERVER_PREFERENCE)
SHIM_OPTION(SSL_OP_COOKIE_EXCHANGE)
SHIM_OPTION(SSL_OP_DONT_INSERT_EMPTY_FRAGMENTS)
SHIM_OPTION(SSL_OP_EPHEMERAL_RSA)
SHIM_OPTION(SSL_OP_IGNORE_UNEXPECTED_EOF)
SHIM_OPTION(SSL_OP_LEGACY_SERVER_CONNECT)
SHIM_OPTION(SSL_OP_MICROSOFT_BIG_SSLV3_BUFFER)
SHIM_OPTION(SSL_OP_MICROSOFT_SESS_ID_BUG)
SHIM_OPTION(SSL_OP_MSIE_SSLV2_RSA_PADDING)
SHIM_OPTION(SSL_OP_NETSCAPE_CA_DN_BUG)
SHIM_OPTION(SSL_OP_NETSCAPE_CHALLENGE_BUG)
SHIM_OPTION(SSL_OP_NETSCAPE_DEMO_CIPHER_CHANGE_BUG)
SHIM_OPTION(SSL_OP_NETSCAPE_REUSE_CIPHER_CHANGE_BUG)
SHIM_OPTION(SSL_OP_NO_COMPRESSION)
SHIM_OPTION(SSL_OP_NO_QUERY_MTU)
SHIM_OPTION(SSL_OP_NO_RENEGOTIATION)
SHIM_OPTION(SSL_OP_NO_SSLv2)
SHIM_OPTION(SSL_OP_NO_SSLv3)
SHIM_OPTION(SSL_OP_NO_TICKET)
SHIM_OPTION(SSL_OP_NO_TLSv1)
SHIM_OPTION(SSL_OP_NO_TLSv1_1)
SHIM_OPTION(SSL_OP_NO_TLSv1_2)
SHIM_OPTION(SSL_OP_NO_TLSv1_3)
SHIM_OPTION(SSL_OP_PKCS1_CHECK_1)
SHIM_OPTION(SSL_OP_PKCS1_CHECK_2)
SHIM_OPTION(SSL_OP_SINGLE_DH_USE)
SHIM_OPTION(SSL_OP_SINGLE_ECDH_USE)
SHIM_OPTION(SSL_OP_SSLEAY_080_CLIENT_DH_BUG)
SHIM_OPTION(SSL_OP_SSLREF2_REUSE_CERT_TYPE_BUG)
SHIM_OPTION(SSL_OP_TLS_BLOCK_PADDING_BUG)
SHIM_OPTION(SSL_OP_TLS_D5_BUG)
SHIM_OPTION(SSL_OP_TLS_ROLLBACK_BUG)
SHIM_OPTION(SSL_OP_ENABLE_KTLS)
SHIM_OPTION(SSL_OP_NO_ANTI_REPLAY)
SHIM_OPTION(SSL_OP_ALLOW_UNSAFE_LEGACY_RENEGOTIATION)
SHIM_OPTION(SSL_OP_ENABLE_MIDDLEBOX_COMPAT)
SHIM_OPTION(SSL_OP_PRIORITIZE_CHACHA)
SHIM_OPTION(SSL_OP_NO_ENCRYPT_THEN_MAC)
SHIM_OPTION(SSL_OP_ALLOW_CLIENT_RENEGOTIATION)
#undef SHIM_OPTION

// ---- SSL_CTX macros ----
static inline long shim_SSL_CTX_set_mode(SSL_CTX *c, long m) { return SSL_CTX_set_mode(c, m); }
static inline long shim_SSL_CTX_clear_mode(SSL_CTX *c, long m) { return SSL_CTX_clear_mode(c, m); }
static inline long shim_SSL_CTX_get_mode(SSL_CTX *c) { return SSL_CTX_get_mode(c); }
static inline int shim_SSL_CTX_set_min_proto_version(SSL_CTX *c, int v) { return (int)SSL_CTX_set_min_proto_version(c, v); }
static inline int shim_SSL_CTX_set_max_proto_version(SSL_CTX *c, int v) { return (int)SSL_CTX_set_max_proto_version(c, v); }
static inline int shim_SSL_CTX_get_min_proto_version(SSL_CTX *c) { return (int)SSL_CTX_get_min_proto_version(c); }
static inline int shim_SSL_CTX_get_max_proto_version(SSL_CTX *c) { return (int)SSL_CTX_get_max_proto_version(c); }
static inline long shim_SSL_CTX_set_session_cache_mode(SSL_CTX *c, long m) { return SSL_CTX_set_session_cache_mode(c, m); }
static inline long shim_SSL_CTX_get_session_cache_mode(SSL_CTX *c) { return SSL_CTX_get_session_cache_mode(c); }
static inline long shim_SSL_CTX_add_extra_chain_cert(SSL_CTX *c, X509 *x) { return SSL_CTX_add_extra_chain_cert(c, x); }
static inline long shim_SSL_CTX_set_tmp_dh(SSL_CTX *c, DH *dh) { return SSL_CTX_set_tmp_dh(c, dh); }
static inline int shim_SSL_CTX_set1_groups_list(SSL_CTX *c, const char *s) { return (int)SSL_CTX_set1_groups_list(c, s); }
static inline int shim_SSL_CTX_set1_groups(SSL_CTX *c, int *g, size_t n) { return (int)SSL_CTX_set1_groups(c, g, n); }
static inline long shim_SSL_CTX_set_read_ahead(SSL_CTX *c, long m) { return SSL_CTX_set_read_ahead(c, m); }
static inline long shim_SSL_CTX_set_tlsext_servername_callback(SSL_CTX *c, int (*cb)(SSL *, int *, void *)) {
    return SSL_CTX_set_tlsext_servername_callback(c, cb);
}
static inline long shim_SSL_CTX_set_tlsext_status_cb(SSL_CTX *c, int (*cb)(SSL *, void *)) {
    return SSL_CTX_set_tlsext_status_cb(c, cb);
}
static inline long shim_SSL_CTX_set_tlsext_status_arg(SSL_CTX *c, void *arg) { return SSL_CTX_set_tlsext_status_arg(c, arg); }
static inline int shim_SSL_CTX_add1_chain_cert(SSL_CTX *c, X509 *x) { return (int)SSL_CTX_add1_chain_cert(c, x); }
static inline int shim_SSL_CTX_clear_chain_certs(SSL_CTX *c) { return (int)SSL_CTX_clear_chain_certs(c); }
static inline int shim_SSL_CTX_set_dh_auto(SSL_CTX *c, int on) { return (int)SSL_CTX_set_dh_auto(c, on); }
static inline int shim_SSL_CTX_set1_sigalgs_list(SSL_CTX *c, const char *s) { return (int)SSL_CTX_set1_sigalgs_list(c, s); }

// ---- SSL macros ----
static inline long shim_SSL_set_mode(SSL *s, long m) { return SSL_set_mode(s, m); }
static inline long shim_SSL_get_mode(SSL *s) { return SSL_get_mode(s); }
static inline long shim_SSL_set_tlsext_host_name(SSL *s, const char *name) { return SSL_set_tlsext_host_name(s, name); }
static inline long shim_SSL_num_renegotiations(SSL *s) { return SSL_num_renegotiations(s); }
static inline long shim_SSL_total_renegotiations(SSL *s) { return SSL_total_renegotiations(s); }
static inline int shim_SSL_get_negotiated_group(SSL *s) { return (int)SSL_get_negotiated_group(s); }
static inline long shim_SSL_set_tlsext_status_type(SSL *s, int t) { return SSL_set_tlsext_status_type(s, t); }
static inline long shim_SSL_get_tlsext_status_ocsp_resp(SSL *s, const unsigned char **p) { return SSL_get_tlsext_status_ocsp_resp(s, p); }
static inline long shim_SSL_set_tlsext_status_ocsp_resp(SSL *s, unsigned char *p, long n) { return SSL_set_tlsext_status_ocsp_resp(s, p, n); }
static inline long shim_SSL_set_mtu(SSL *s, long mtu) { return SSL_set_mtu(s, mtu); }
static inline long shim_DTLS_set_link_mtu(SSL *s, long mtu) { return DTLS_set_link_mtu(s, mtu); }
static inline long shim_DTLSv1_get_timeout(SSL *s, struct timeval *tv) { return DTLSv1_get_timeout(s, tv); }
static inline long shim_DTLSv1_handle_timeout(SSL *s) { return DTLSv1_handle_timeout(s); }
static inline int shim_SSL_set1_groups_list(SSL *s, const char *g) { return (int)SSL_set1_groups_list(s, g); }
static inline long shim_SSL_get_peer_tmp_key(SSL *s, EVP_PKEY **k) { return SSL_get_peer_tmp_key(s, k); }

static inline long shim_SSL_set_post_handshake_auth_ctx(SSL_CTX *c, int on) { SSL_CTX_set_post_handshake_auth(c, on); return 1; }
static inline int shim_BIO_get_ktls_send(BIO *b) { return (int)BIO_get_ktls_send(b); }

// ---- BIO macros ----
static inline long shim_BIO_set_mem_eof_return(BIO *b, long v) { return BIO_set_mem_eof_return(b, v); }
static inline size_t shim_BIO_ctrl_pending(BIO *b) { return BIO_ctrl_pending(b); }
static inline long shim_BIO_get_mem_data(BIO *b, char **p) { return BIO_get_mem_data(b, p); }

// ---- error queue ----
static inline int shim_ERR_GET_LIB(unsigned long e) { return ERR_GET_LIB(e); }
static inline int shim_ERR_GET_REASON(unsigned long e) { return ERR_GET_REASON(e); }
static inline int shim_errno_get(void) { return errno; }
static inline void shim_errno_set(int v) { errno = v; }

// ---- stacks (the typed stack helpers are macros/inline generics) ----
static inline int shim_sk_X509_num(const STACK_OF(X509) *s) { return sk_X509_num(s); }
static inline X509 *shim_sk_X509_value(const STACK_OF(X509) *s, int i) { return sk_X509_value(s, i); }
static inline STACK_OF(X509) *shim_sk_X509_new_null(void) { return sk_X509_new_null(); }
static inline int shim_sk_X509_push(STACK_OF(X509) *s, X509 *x) { return sk_X509_push(s, x); }
static inline void shim_sk_X509_pop_free(STACK_OF(X509) *s) { sk_X509_pop_free(s, X509_free); }
static inline void shim_sk_X509_free(STACK_OF(X509) *s) { sk_X509_free(s); }
static inline int shim_sk_X509_NAME_num(const STACK_OF(X509_NAME) *s) { return sk_X509_NAME_num(s); }
static inline X509_NAME *shim_sk_X509_NAME_value(const STACK_OF(X509_NAME) *s, int i) { return sk_X509_NAME_value(s, i); }
static inline STACK_OF(X509_NAME) *shim_sk_X509_NAME_new_null(void) { return sk_X509_NAME_new_null(); }
static inline int shim_sk_X509_NAME_push(STACK_OF(X509_NAME) *s, X509_NAME *x) { return sk_X509_NAME_push(s, x); }
static inline void shim_sk_X509_NAME_pop_free(STACK_OF(X509_NAME) *s) { sk_X509_NAME_pop_free(s, X509_NAME_free); }
static inline int shim_sk_SSL_CIPHER_num(const STACK_OF(SSL_CIPHER) *s) { return sk_SSL_CIPHER_num(s); }
static inline const SSL_CIPHER *shim_sk_SSL_CIPHER_value(const STACK_OF(SSL_CIPHER) *s, int i) { return sk_SSL_CIPHER_value(s, i); }
static inline int shim_sk_X509_OBJECT_num(const STACK_OF(X509_OBJECT) *s) { return sk_X509_OBJECT_num(s); }
static inline X509_OBJECT *shim_sk_X509_OBJECT_value(const STACK_OF(X509_OBJECT) *s, int i) { return sk_X509_OBJECT_value(s, i); }

// ---- sockets ----
// Whether bytes can be read from fd right now (never waits).
static inline int shim_fd_readable_now(int fd) {
    struct pollfd p = { fd, POLLIN, 0 };
    return poll(&p, 1, 0) > 0 && (p.revents & POLLIN) != 0;
}
// Sets or clears O_NONBLOCK; returns whether it was set before, or -1.
static inline int shim_fd_set_nonblocking(int fd, int on) {
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0) return -1;
    int was = (flags & O_NONBLOCK) != 0;
    if (fcntl(fd, F_SETFL, on ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK)) < 0) return -1;
    return was;
}

// ---- misc ----
static inline void shim_OPENSSL_free(void *p) { OPENSSL_free(p); }
static inline void *shim_OPENSSL_malloc(size_t n) { return OPENSSL_malloc(n); }
static inline int shim_SSL_R_UNEXPECTED_EOF_WHILE_READING(void) { return SSL_R_UNEXPECTED_EOF_WHILE_READING; }
static inline int shim_NPN_available(void) {
#ifndef OPENSSL_NO_NEXTPROTONEG
    return 1;
#else
    return 0;
#endif
}

// Certificate validity times. ASN1_TIME and ASN1_STRING are structs up to
// OpenSSL 3.x and opaque from 4.0, which Swift imports as different pointer
// types; these take and return untyped pointers so one Swift source builds
// against both.
static inline void *shim_X509_getm_notBefore(X509 *x) { return X509_getm_notBefore(x); }
static inline void *shim_X509_getm_notAfter(X509 *x) { return X509_getm_notAfter(x); }
static inline int shim_ASN1_STRING_length(const void *s) { return ASN1_STRING_length((const ASN1_STRING *)s); }
static inline int shim_ASN1_STRING_type(const void *s) { return ASN1_STRING_type((const ASN1_STRING *)s); }
static inline const unsigned char *shim_ASN1_STRING_get0_data(const void *s) {
    return ASN1_STRING_get0_data((const ASN1_STRING *)s);
}
static inline void *shim_ASN1_TIME_to_generalizedtime(const void *t) {
    return ASN1_TIME_to_generalizedtime((const ASN1_TIME *)t, NULL);
}
static inline void shim_ASN1_GENERALIZEDTIME_free(void *t) { ASN1_GENERALIZEDTIME_free((ASN1_GENERALIZEDTIME *)t); }
static inline int shim_ASN1_TIME_set_string(void *t, const char *text) { return ASN1_TIME_set_string((ASN1_TIME *)t, text); }
static inline void shim_X509_gmtime_adj(void *t, long seconds) { X509_gmtime_adj((ASN1_TIME *)t, seconds); }
static inline int shim_X509_cmp_current_time(const void *t) { return X509_cmp_current_time((const ASN1_TIME *)t); }

// The file of the loaded object (library or executable) holding an address.
static inline const char *shim_object_file_of(const void *address) {
    Dl_info info;
    return dladdr(address, &info) != 0 ? info.dli_fname : NULL;
}

#endif
