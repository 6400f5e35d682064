@_implementationOnly import COpenSSL

/// A PSK client callback: given the server's identity hint, the identity to
/// send and the key (an empty key refuses).
public typealias PSKClientCallback = (TLSConnection, String?) -> (identity: [UInt8], key: [UInt8])
/// A PSK server callback: given the client's identity, the key (empty refuses).
public typealias PSKServerCallback = (TLSConnection, String?) -> [UInt8]

extension TLSContext {
    /// Offers a pre-shared key (TLS 1.2 PSK suites, and TLS 1.3 PSK).
    public func setPSKClientCallback(_ callback: PSKClientCallback?) {
        callbacks.pskClient = callback
        SSL_CTX_set_psk_client_callback(pointer, callback == nil ? nil : pskClientThunk)
    }

    /// Accepts pre-shared keys, optionally sending an identity hint (TLS 1.2).
    public func setPSKServerCallback(_ callback: PSKServerCallback?, identityHint: String?) throws(OpenSSLError) {
        callbacks.pskServer = callback
        SSL_CTX_set_psk_server_callback(pointer, callback == nil ? nil : pskServerThunk)
        OpenSSLError.clearQueue()
        try check(SSL_CTX_use_psk_identity_hint(pointer, identityHint))
    }
}

let pskClientThunk: @convention(c) (
    OpaquePointer?, UnsafePointer<CChar>?, UnsafeMutablePointer<CChar>?, UInt32, UnsafeMutablePointer<UInt8>?, UInt32
) -> UInt32 = { ssl, hint, identity, maxIdentity, psk, maxPSK in
    guard let identity, let psk, let connection = TLSConnection.from(ssl),
          let callback = connection.context.callbacks.pskClient else { return 0 }
    let answer = callback(connection, hint.map { String(cString: $0) })
    // The identity goes out NUL-terminated; both must fit OpenSSL's buffers.
    guard !answer.key.isEmpty, answer.key.count <= Int(maxPSK), answer.identity.count < Int(maxIdentity),
          !answer.identity.contains(0) else { return 0 }
    answer.identity.withUnsafeBytes { bytes in
        if !bytes.isEmpty { UnsafeMutableRawPointer(identity).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count) }
    }
    identity[answer.identity.count] = 0
    answer.key.withUnsafeBufferPointer { psk.update(from: $0.baseAddress!, count: $0.count) }
    return UInt32(answer.key.count)
}

let pskServerThunk: @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, UnsafeMutablePointer<UInt8>?, UInt32) -> UInt32 = { ssl, identity, psk, maxPSK in
    guard let psk, let connection = TLSConnection.from(ssl),
          let callback = connection.context.callbacks.pskServer else { return 0 }
    let key = callback(connection, identity.map { String(cString: $0) })
    guard !key.isEmpty, key.count <= Int(maxPSK) else { return 0 }
    key.withUnsafeBufferPointer { psk.update(from: $0.baseAddress!, count: $0.count) }
    return UInt32(key.count)
}
