@_implementationOnly import COpenSSL

/// What a verify callback is told about one certificate in the peer's chain.
public struct VerificationStep {
    /// Whether OpenSSL's own checks accepted this certificate.
    public var preverified: Bool
    /// OpenSSL's verification result for it (`X509_V_OK` is 0).
    public var errorCode: Int32
    /// Its depth in the chain; 0 is the peer's own certificate.
    public var depth: Int32
    /// The certificate under examination.
    public var certificate: Certificate?
}

/// A verify callback: return true to accept the certificate whatever
/// OpenSSL decided, false to fail the handshake.
public typealias VerifyCallback = (TLSConnection, VerificationStep) -> Bool
/// An info callback: (connection, where, ret) as `SSL_CTX_set_info_callback` reports them.
public typealias InfoCallback = (TLSConnection, Int, Int) -> Void

/// A key-log callback: one NSS key log line (no newline) per secret.
public typealias KeylogCallback = (TLSConnection, [UInt8]) -> Void
/// A server-name callback, run on a server when the ClientHello arrives;
/// return false to abort the handshake.
public typealias ServerNameCallback = (TLSConnection) -> Bool

/// What a server's ALPN callback decided.
public enum ALPNSelection {
    /// Use this protocol.
    case selected([UInt8])
    /// Go on without ALPN.
    case noOverlap
    /// Abort the handshake.
    case abort
}
/// An ALPN selection callback: sees the client's protocols, preferred first.
public typealias ALPNSelectCallback = (TLSConnection, [[UInt8]]) -> ALPNSelection

/// What a server's OCSP callback decided.
public enum OCSPStaple {
    /// Staple this DER OCSP response.
    case response([UInt8])
    /// Send no response.
    case none
    /// Abort the handshake.
    case abort
}
public typealias OCSPServerCallback = (TLSConnection) -> OCSPStaple
/// A client's OCSP callback: sees the stapled response (empty if none);
/// true accepts, false rejects, nil is an internal error.
public typealias OCSPClientCallback = (TLSConnection, [UInt8]) -> Bool?

/// DTLS cookie callbacks: make a cookie (nil fails), check one.
public typealias CookieGenerateCallback = (TLSConnection) -> [UInt8]?
public typealias CookieVerifyCallback = (TLSConnection, [UInt8]) -> Bool

/// NPN callbacks: a server advertises protocols (nil: none); a client picks one (nil fails).
public typealias NPNAdvertiseCallback = (TLSConnection) -> [[UInt8]]?
public typealias NPNSelectCallback = (TLSConnection, [[UInt8]]) -> [UInt8]?

/// Callbacks installed on a context.
final class ContextCallbacks {
    var verify: VerifyCallback?
    var info: InfoCallback?
    var passphrase: ((Int, Bool) -> [UInt8]?)?
    var keylog: KeylogCallback?
    var serverName: ServerNameCallback?
    var alpnSelect: ALPNSelectCallback?
    var ocspServer: OCSPServerCallback?
    var ocspClient: OCSPClientCallback?
    var cookieGenerate: CookieGenerateCallback?
    var cookieVerify: CookieVerifyCallback?
    var npnAdvertise: NPNAdvertiseCallback?
    var npnSelect: NPNSelectCallback?
    var clientHello: ClientHelloCallback?
    var pskClient: PSKClientCallback?
    var pskServer: PSKServerCallback?
}


extension TLSContext {
    /// Sets the verification mode and a callback that sees every certificate
    /// of the peer's chain. Passing nil removes the callback.
    public func setVerify(mode: VerifyMode, callback: VerifyCallback?) {
        callbacks.verify = callback
        SSL_CTX_set_verify(pointer, mode.rawValue, callback == nil ? nil : contextVerifyThunk)
    }

    /// Calls `callback` as the handshake moves through its states and alerts.
    public func setInfoCallback(_ callback: InfoCallback?) {
        callbacks.info = callback
        SSL_CTX_set_info_callback(pointer, callback == nil ? nil : infoThunk)
    }
}

extension TLSConnection {
    /// Like `TLSContext.setVerify(mode:callback:)`, for this connection only.
    public func setVerify(mode: VerifyMode, callback: VerifyCallback?) {
        verifyCallback = callback
        SSL_set_verify(ssl, mode.rawValue, callback == nil ? nil : connectionVerifyThunk)
    }

    /// Like `TLSContext.setInfoCallback(_:)`, for this connection only.
    public func setInfoCallback(_ callback: InfoCallback?) {
        infoCallback = callback
        SSL_set_info_callback(ssl, callback == nil ? nil : infoThunk)
    }
}

// MARK: - C thunks (non-capturing: state comes back through ex_data)

private func connection(of store: OpaquePointer?) -> TLSConnection? {
    guard let store,
          let ssl = X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx())
    else { return nil }
    return TLSConnection.from(OpaquePointer(ssl))
}

private func runVerify(_ callback: VerifyCallback?, _ preverified: Int32, _ store: OpaquePointer?) -> Int32 {
    guard let store, let connection = connection(of: store), let callback else { return preverified }
    var certificate: Certificate?
    if let x509 = X509_STORE_CTX_get_current_cert(store) {
        certificate = Certificate(retaining: x509)
    }
    let step = VerificationStep(
        preverified: preverified == 1,
        errorCode: X509_STORE_CTX_get_error(store),
        depth: X509_STORE_CTX_get_error_depth(store),
        certificate: certificate)
    if callback(connection, step) {
        X509_STORE_CTX_set_error(store, X509_V_OK)
        return 1
    }
    return 0
}

let contextVerifyThunk: @convention(c) (Int32, OpaquePointer?) -> Int32 = { preverified, store in
    runVerify(connection(of: store)?.inheritedVerifyCallback, preverified, store)
}

let connectionVerifyThunk: @convention(c) (Int32, OpaquePointer?) -> Int32 = { preverified, store in
    guard let connection = connection(of: store) else { return preverified }
    return runVerify(connection.verifyCallback ?? connection.inheritedVerifyCallback, preverified, store)
}

let infoThunk: @convention(c) (OpaquePointer?, Int32, Int32) -> Void = { ssl, whereFlags, ret in
    guard let connection = TLSConnection.from(ssl) else { return }
    if let callback = connection.infoCallback ?? connection.context.callbacks.info {
        callback(connection, Int(whereFlags), Int(ret))
    }
}
