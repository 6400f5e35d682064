@_implementationOnly import COpenSSL

/// The protocol family a context speaks and which side(s) it may play.
public enum TLSMethod: Sendable, CaseIterable {
    case tls, tlsClient, tlsServer
    case dtls, dtlsClient, dtlsServer

    public var isDatagram: Bool {
        switch self {
        case .dtls, .dtlsClient, .dtlsServer: return true
        default: return false
        }
    }

    var openSSLMethod: OpaquePointer? {
        switch self {
        case .tls: return TLS_method()
        case .tlsClient: return TLS_client_method()
        case .tlsServer: return TLS_server_method()
        case .dtls: return DTLS_method()
        case .dtlsClient: return DTLS_client_method()
        case .dtlsServer: return DTLS_server_method()
        }
    }
}

/// A protocol version number as it appears on the wire (`0x0303` is TLS 1.2);
/// zero means "whatever the library supports".
public struct TLSProtocolVersion: RawRepresentable, Hashable, Sendable {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let any = TLSProtocolVersion(rawValue: 0)
    public static let ssl3 = TLSProtocolVersion(rawValue: SSL3_VERSION)
    public static let tls1 = TLSProtocolVersion(rawValue: TLS1_VERSION)
    public static let tls1_1 = TLSProtocolVersion(rawValue: TLS1_1_VERSION)
    public static let tls1_2 = TLSProtocolVersion(rawValue: TLS1_2_VERSION)
    public static let tls1_3 = TLSProtocolVersion(rawValue: TLS1_3_VERSION)
    public static let dtls1 = TLSProtocolVersion(rawValue: DTLS1_VERSION)
    public static let dtls1_2 = TLSProtocolVersion(rawValue: DTLS1_2_VERSION)
}

/// `SSL_OP_*` bits.
public struct TLSOptions: OptionSet, Hashable, Sendable {
    public var rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    public static let all = TLSOptions(rawValue: shim_SSL_OP_ALL())
    public static let cipherServerPreference = TLSOptions(rawValue: shim_SSL_OP_CIPHER_SERVER_PREFERENCE())
    public static let cookieExchange = TLSOptions(rawValue: shim_SSL_OP_COOKIE_EXCHANGE())
    public static let dontInsertEmptyFragments = TLSOptions(rawValue: shim_SSL_OP_DONT_INSERT_EMPTY_FRAGMENTS())
    public static let ignoreUnexpectedEOF = TLSOptions(rawValue: shim_SSL_OP_IGNORE_UNEXPECTED_EOF())
    public static let legacyServerConnect = TLSOptions(rawValue: shim_SSL_OP_LEGACY_SERVER_CONNECT())
    public static let noCompression = TLSOptions(rawValue: shim_SSL_OP_NO_COMPRESSION())
    public static let noQueryMTU = TLSOptions(rawValue: shim_SSL_OP_NO_QUERY_MTU())
    public static let noRenegotiation = TLSOptions(rawValue: shim_SSL_OP_NO_RENEGOTIATION())
    public static let noSSLv2 = TLSOptions(rawValue: shim_SSL_OP_NO_SSLv2())
    public static let noSSLv3 = TLSOptions(rawValue: shim_SSL_OP_NO_SSLv3())
    public static let noTicket = TLSOptions(rawValue: shim_SSL_OP_NO_TICKET())
    public static let noTLSv1 = TLSOptions(rawValue: shim_SSL_OP_NO_TLSv1())
    public static let noTLSv1_1 = TLSOptions(rawValue: shim_SSL_OP_NO_TLSv1_1())
    public static let noTLSv1_2 = TLSOptions(rawValue: shim_SSL_OP_NO_TLSv1_2())
    public static let noTLSv1_3 = TLSOptions(rawValue: shim_SSL_OP_NO_TLSv1_3())
    public static let tlsRollbackBug = TLSOptions(rawValue: shim_SSL_OP_TLS_ROLLBACK_BUG())
    public static let enableKTLS = TLSOptions(rawValue: shim_SSL_OP_ENABLE_KTLS())
    public static let noAntiReplay = TLSOptions(rawValue: shim_SSL_OP_NO_ANTI_REPLAY())
    public static let allowUnsafeLegacyRenegotiation = TLSOptions(rawValue: shim_SSL_OP_ALLOW_UNSAFE_LEGACY_RENEGOTIATION())
    public static let enableMiddleboxCompat = TLSOptions(rawValue: shim_SSL_OP_ENABLE_MIDDLEBOX_COMPAT())
    public static let prioritizeChaCha = TLSOptions(rawValue: shim_SSL_OP_PRIORITIZE_CHACHA())
    public static let noEncryptThenMAC = TLSOptions(rawValue: shim_SSL_OP_NO_ENCRYPT_THEN_MAC())
    public static let allowClientRenegotiation = TLSOptions(rawValue: shim_SSL_OP_ALLOW_CLIENT_RENEGOTIATION())

    /// Option names kept for source compatibility; OpenSSL 3 defines them as 0.
    public static let legacyNoOps: [(name: String, value: UInt64)] = [
        ("EPHEMERAL_RSA", shim_SSL_OP_EPHEMERAL_RSA()),
        ("MICROSOFT_BIG_SSLV3_BUFFER", shim_SSL_OP_MICROSOFT_BIG_SSLV3_BUFFER()),
        ("MICROSOFT_SESS_ID_BUG", shim_SSL_OP_MICROSOFT_SESS_ID_BUG()),
        ("MSIE_SSLV2_RSA_PADDING", shim_SSL_OP_MSIE_SSLV2_RSA_PADDING()),
        ("NETSCAPE_CA_DN_BUG", shim_SSL_OP_NETSCAPE_CA_DN_BUG()),
        ("NETSCAPE_CHALLENGE_BUG", shim_SSL_OP_NETSCAPE_CHALLENGE_BUG()),
        ("NETSCAPE_DEMO_CIPHER_CHANGE_BUG", shim_SSL_OP_NETSCAPE_DEMO_CIPHER_CHANGE_BUG()),
        ("NETSCAPE_REUSE_CIPHER_CHANGE_BUG", shim_SSL_OP_NETSCAPE_REUSE_CIPHER_CHANGE_BUG()),
        ("PKCS1_CHECK_1", shim_SSL_OP_PKCS1_CHECK_1()),
        ("PKCS1_CHECK_2", shim_SSL_OP_PKCS1_CHECK_2()),
        ("SINGLE_DH_USE", shim_SSL_OP_SINGLE_DH_USE()),
        ("SINGLE_ECDH_USE", shim_SSL_OP_SINGLE_ECDH_USE()),
        ("SSLEAY_080_CLIENT_DH_BUG", shim_SSL_OP_SSLEAY_080_CLIENT_DH_BUG()),
        ("SSLREF2_REUSE_CERT_TYPE_BUG", shim_SSL_OP_SSLREF2_REUSE_CERT_TYPE_BUG()),
        ("TLS_BLOCK_PADDING_BUG", shim_SSL_OP_TLS_BLOCK_PADDING_BUG()),
        ("TLS_D5_BUG", shim_SSL_OP_TLS_D5_BUG()),
    ]
}

/// `SSL_MODE_*` bits.
public struct TLSModes: OptionSet, Hashable, Sendable {
    public var rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let enablePartialWrite = TLSModes(rawValue: Int(SSL_MODE_ENABLE_PARTIAL_WRITE))
    public static let acceptMovingWriteBuffer = TLSModes(rawValue: Int(SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER))
    public static let autoRetry = TLSModes(rawValue: Int(SSL_MODE_AUTO_RETRY))
    public static let releaseBuffers = TLSModes(rawValue: Int(SSL_MODE_RELEASE_BUFFERS))
}

/// `SSL_VERIFY_*` bits.
public struct VerifyMode: OptionSet, Hashable, Sendable {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let none: VerifyMode = []
    public static let peer = VerifyMode(rawValue: SSL_VERIFY_PEER)
    public static let failIfNoPeerCertificate = VerifyMode(rawValue: SSL_VERIFY_FAIL_IF_NO_PEER_CERT)
    public static let clientOnce = VerifyMode(rawValue: SSL_VERIFY_CLIENT_ONCE)
    public static let postHandshake = VerifyMode(rawValue: SSL_VERIFY_POST_HANDSHAKE)
}

/// `SSL_SESS_CACHE_*` bits.
public struct SessionCacheMode: OptionSet, Hashable, Sendable {
    public var rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let off: SessionCacheMode = []
    public static let client = SessionCacheMode(rawValue: Int(SSL_SESS_CACHE_CLIENT))
    public static let server = SessionCacheMode(rawValue: Int(SSL_SESS_CACHE_SERVER))
    public static let both: SessionCacheMode = [.client, .server]
    public static let noAutoClear = SessionCacheMode(rawValue: Int(SSL_SESS_CACHE_NO_AUTO_CLEAR))
    public static let noInternalLookup = SessionCacheMode(rawValue: Int(SSL_SESS_CACHE_NO_INTERNAL_LOOKUP))
    public static let noInternalStore = SessionCacheMode(rawValue: Int(SSL_SESS_CACHE_NO_INTERNAL_STORE))
    public static let noInternal: SessionCacheMode = [.noInternalLookup, .noInternalStore]
}

/// `SSL_SENT_SHUTDOWN` / `SSL_RECEIVED_SHUTDOWN`.
public struct ShutdownState: OptionSet, Hashable, Sendable {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let sent = ShutdownState(rawValue: SSL_SENT_SHUTDOWN)
    public static let received = ShutdownState(rawValue: SSL_RECEIVED_SHUTDOWN)
}

/// File encodings OpenSSL reads certificates and keys from.
public enum FileEncoding: Sendable {
    case pem, der

    var sslFiletype: Int32 { self == .pem ? SSL_FILETYPE_PEM : SSL_FILETYPE_ASN1 }
}

/// Info-callback and state constants (`SSL_CB_*`, `SSL_ST_*`).
public enum InfoCallbackWhere {
    public static let loop = Int(SSL_CB_LOOP)
    public static let exit = Int(SSL_CB_EXIT)
    public static let read = Int(SSL_CB_READ)
    public static let write = Int(SSL_CB_WRITE)
    public static let alert = Int(SSL_CB_ALERT)
    public static let readAlert = Int(SSL_CB_READ_ALERT)
    public static let writeAlert = Int(SSL_CB_WRITE_ALERT)
    public static let acceptLoop = Int(SSL_CB_ACCEPT_LOOP)
    public static let acceptExit = Int(SSL_CB_ACCEPT_EXIT)
    public static let connectLoop = Int(SSL_CB_CONNECT_LOOP)
    public static let connectExit = Int(SSL_CB_CONNECT_EXIT)
    public static let handshakeStart = Int(SSL_CB_HANDSHAKE_START)
    public static let handshakeDone = Int(SSL_CB_HANDSHAKE_DONE)
    public static let stateConnect = Int(SSL_ST_CONNECT)
    public static let stateAccept = Int(SSL_ST_ACCEPT)
    public static let stateMask = Int(SSL_ST_MASK)
}
