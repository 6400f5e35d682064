@_implementationOnly import COpenSSL

/// Why a connection operation did not complete, classified the way callers
/// must react to it. `wantRead`/`wantWrite` are not failures: retry the same
/// call once the transport is ready.
public enum TLSIOError: Error, Equatable {
    /// More bytes must arrive from the peer first.
    case wantRead
    /// Buffered bytes must be sent to the peer first.
    case wantWrite
    /// A certificate callback asked to be called again.
    case wantX509Lookup
    /// The peer closed the TLS session cleanly (close_notify).
    case zeroReturn
    /// The transport ended without a close_notify.
    case unexpectedEOF
    /// The transport failed with this `errno`.
    case system(errno: Int32)
    /// OpenSSL failed; the queue it left behind.
    case ssl(OpenSSLError)

    /// Classifies a failed `SSL_*` call from `SSL_get_error`, the `errno`
    /// captured right after the call, and the error queue (which it empties).
    static func classify(ssl: OpaquePointer, result: Int32, savedErrno: Int32) -> TLSIOError? {
        switch SSL_get_error(ssl, result) {
        case SSL_ERROR_NONE:
            return nil
        case SSL_ERROR_WANT_READ:
            return .wantRead
        case SSL_ERROR_WANT_WRITE:
            return .wantWrite
        case SSL_ERROR_WANT_X509_LOOKUP:
            return .wantX509Lookup
        case SSL_ERROR_ZERO_RETURN:
            return .zeroReturn
        case SSL_ERROR_SYSCALL:
            if ERR_peek_error() == 0 || savedErrno != 0 {
                ERR_clear_error()
                if result < 0 && savedErrno != 0 { return .system(errno: savedErrno) }
                return .unexpectedEOF
            }
            return .ssl(OpenSSLError.drainQueue())
        case SSL_ERROR_SSL:
            let first = ERR_peek_error()
            if first != 0 && shim_ERR_GET_LIB(first) == ERR_LIB_SSL
                && shim_ERR_GET_REASON(first) == shim_SSL_R_UNEXPECTED_EOF_WHILE_READING() {
                ERR_clear_error()
                return .unexpectedEOF
            }
            return .ssl(OpenSSLError.drainQueue())
        default:
            return .ssl(OpenSSLError.drainQueue())
        }
    }
}
