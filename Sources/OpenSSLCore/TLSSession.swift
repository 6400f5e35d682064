@_implementationOnly import COpenSSL

/// A TLS session that a later connection can resume. Wraps `SSL_SESSION`.
public final class TLSSession {
    let pointer: OpaquePointer

    init(takingOwnership pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        SSL_SESSION_free(pointer)
    }

    /// The session ID (empty for TLS 1.3 ticket-only sessions on some servers).
    public var id: [UInt8] {
        var length: UInt32 = 0
        guard let bytes = SSL_SESSION_get_id(pointer, &length), length > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: bytes, count: Int(length)))
    }

    /// Whether a connection could resume this session.
    public var isResumable: Bool { SSL_SESSION_is_resumable(pointer) == 1 }

    /// The lifetime hint of the session ticket, in seconds (0 if none).
    public var ticketLifetimeHint: Int { Int(SSL_SESSION_get_ticket_lifetime_hint(pointer)) }

    /// The protocol version the session was made with.
    public var protocolVersion: TLSProtocolVersion { TLSProtocolVersion(rawValue: SSL_SESSION_get_protocol_version(pointer)) }

    /// The session's master secret.
    public var masterKey: [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 256)
        let length = SSL_SESSION_get_master_key(pointer, &buffer, buffer.count)
        return Array(buffer[0..<length])
    }
}

extension TLSConnection {
    /// The current session, or nil before a handshake.
    public var session: TLSSession? {
        SSL_get1_session(ssl).map { TLSSession(takingOwnership: $0) }
    }

    /// Offers `session` for resumption in the next handshake (clients).
    public func setSession(_ session: TLSSession) throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        try check(SSL_set_session(ssl, session.pointer))
    }

    /// Whether the last handshake resumed a session.
    public var sessionReused: Bool { SSL_session_reused(ssl) == 1 }

    /// Processes records that have already arrived, without waiting for more
    /// (a TLS 1.3 client's session tickets come after the handshake).
    /// Application data stays unread.
    public func processPendingRecords() {
        guard isHandshakeDone, SSL_get_shutdown(ssl) == 0 else { return }
        var byte: UInt8 = 0
        var readBytes = 0
        switch transport {
        case .memory:
            // A memory transport runs dry (WANT_READ) once its bytes are used.
            ERR_clear_error()
            _ = SSL_peek_ex(ssl, &byte, 1, &readBytes)
        case .fileDescriptor(let fd):
            // Only what the socket already holds, and never wait for more.
            guard shim_fd_readable_now(fd) != 0 else { return }
            let wasNonBlocking = shim_fd_set_nonblocking(fd, 1)
            guard wasNonBlocking >= 0 else { return }
            ERR_clear_error()
            _ = SSL_peek_ex(ssl, &byte, 1, &readBytes)
            if wasNonBlocking == 0 { _ = shim_fd_set_nonblocking(fd, 0) }
        }
        ERR_clear_error()
    }
}
