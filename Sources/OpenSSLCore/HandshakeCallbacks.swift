@_implementationOnly import COpenSSL

// Context callbacks beyond verify/info. Each C thunk finds its connection
// through ex_data and the Swift closure on that connection's current context.

extension TLSContext {
    /// Receives the secrets of every handshake as NSS key log lines. Only
    /// what the caller asked for: nothing is logged without this callback.
    public func setKeylogCallback(_ callback: KeylogCallback?) {
        callbacks.keylog = callback
        SSL_CTX_set_keylog_callback(pointer, callback == nil ? nil : keylogThunk)
    }

    /// Runs `callback` on a server when a ClientHello arrives (SNI); it may
    /// switch the connection to another context.
    public func setServerNameCallback(_ callback: ServerNameCallback?) {
        callbacks.serverName = callback
        _ = shim_SSL_CTX_set_tlsext_servername_callback(pointer, callback == nil ? nil : serverNameThunk)
    }

    /// Lets a server choose among the client's ALPN protocols.
    public func setALPNSelectCallback(_ callback: ALPNSelectCallback?) {
        callbacks.alpnSelect = callback
        SSL_CTX_set_alpn_select_cb(pointer, callback == nil ? nil : alpnSelectThunk, nil)
    }

    /// Staples an OCSP response (server side).
    public func setOCSPServerCallback(_ callback: @escaping OCSPServerCallback) throws(OpenSSLError) {
        callbacks.ocspServer = callback
        callbacks.ocspClient = nil
        OpenSSLError.clearQueue()
        if shim_SSL_CTX_set_tlsext_status_cb(pointer, ocspThunk) != 1 { throw OpenSSLError.drainQueue() }
    }

    /// Checks a stapled OCSP response (client side; the client must ask for one).
    public func setOCSPClientCallback(_ callback: @escaping OCSPClientCallback) throws(OpenSSLError) {
        callbacks.ocspClient = callback
        callbacks.ocspServer = nil
        OpenSSLError.clearQueue()
        if shim_SSL_CTX_set_tlsext_status_cb(pointer, ocspThunk) != 1 { throw OpenSSLError.drainQueue() }
    }

    /// Makes DTLS cookies for `DTLSv1_listen`.
    public func setCookieGenerateCallback(_ callback: CookieGenerateCallback?) {
        callbacks.cookieGenerate = callback
        SSL_CTX_set_cookie_generate_cb(pointer, callback == nil ? nil : cookieGenerateThunk)
    }

    /// Checks DTLS cookies for `DTLSv1_listen`.
    public func setCookieVerifyCallback(_ callback: CookieVerifyCallback?) {
        callbacks.cookieVerify = callback
        SSL_CTX_set_cookie_verify_cb(pointer, callback == nil ? nil : cookieVerifyThunk)
    }

    /// Advertises protocols through NPN (TLS 1.2 and below; servers).
    public func setNPNAdvertiseCallback(_ callback: NPNAdvertiseCallback?) {
        callbacks.npnAdvertise = callback
        SSL_CTX_set_next_protos_advertised_cb(pointer, callback == nil ? nil : npnAdvertiseThunk, nil)
    }

    /// Picks one of the server's NPN protocols (TLS 1.2 and below; clients).
    public func setNPNSelectCallback(_ callback: NPNSelectCallback?) {
        callbacks.npnSelect = callback
        SSL_CTX_set_next_proto_select_cb(pointer, callback == nil ? nil : npnSelectThunk, nil)
    }
}

/// Callbacks of the context the connection uses now (SNI may have switched it).
private func contextCallbacks(_ ssl: OpaquePointer?) -> (TLSConnection, ContextCallbacks)? {
    guard let connection = TLSConnection.from(ssl) else { return nil }
    return (connection, connection.context.callbacks)
}

let keylogThunk: @convention(c) (OpaquePointer?, UnsafePointer<CChar>?) -> Void = { ssl, line in
    guard let line, let (connection, callbacks) = contextCallbacks(ssl), let callback = callbacks.keylog else { return }
    callback(connection, Array(UnsafeRawBufferPointer(start: line, count: strlen(line))))
}

let serverNameThunk: @convention(c) (OpaquePointer?, UnsafeMutablePointer<Int32>?, UnsafeMutableRawPointer?) -> Int32 = { ssl, _, _ in
    // The callback is fetched before it runs: switching the connection to
    // another context inside it does not affect this call.
    guard let (connection, callbacks) = contextCallbacks(ssl), let callback = callbacks.serverName else {
        return SSL_TLSEXT_ERR_OK
    }
    // On failure OpenSSL's default alert for this callback stands (unrecognized_name).
    return callback(connection) ? SSL_TLSEXT_ERR_OK : SSL_TLSEXT_ERR_ALERT_FATAL
}

let alpnSelectThunk: @convention(c) (
    OpaquePointer?, UnsafeMutablePointer<UnsafePointer<UInt8>?>?, UnsafeMutablePointer<UInt8>?,
    UnsafePointer<UInt8>?, UInt32, UnsafeMutableRawPointer?
) -> Int32 = { ssl, out, outLength, input, inputLength, _ in
    guard let (connection, callbacks) = contextCallbacks(ssl), let callback = callbacks.alpnSelect else {
        return SSL_TLSEXT_ERR_NOACK
    }
    let offered = ALPN.parse(UnsafeRawBufferPointer(start: input, count: Int(inputLength)))
    switch callback(connection, offered) {
    case .selected(let name) where !name.isEmpty && name.count <= 255:
        // OpenSSL copies the selection as soon as this returns.
        let storage = connection.keepCallbackBytes(name)
        out?.pointee = UnsafePointer(storage.baseAddress)
        outLength?.pointee = UInt8(name.count)
        return SSL_TLSEXT_ERR_OK
    case .noOverlap:
        return SSL_TLSEXT_ERR_NOACK
    default:
        return SSL_TLSEXT_ERR_ALERT_FATAL
    }
}

let ocspThunk: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?) -> Int32 = { ssl, _ in
    guard let ssl, let (connection, callbacks) = contextCallbacks(ssl) else { return SSL_TLSEXT_ERR_NOACK }
    if let server = callbacks.ocspServer {
        switch server(connection) {
        case .response(let der) where !der.isEmpty:
            // OpenSSL takes ownership of an OPENSSL_malloc'd copy.
            guard let copy = shim_OPENSSL_malloc(der.count) else { return SSL_TLSEXT_ERR_ALERT_FATAL }
            der.withUnsafeBytes { copy.copyMemory(from: $0.baseAddress!, byteCount: der.count) }
            _ = shim_SSL_set_tlsext_status_ocsp_resp(ssl, copy.assumingMemoryBound(to: UInt8.self), der.count)
            return SSL_TLSEXT_ERR_OK
        case .response, .none:
            return SSL_TLSEXT_ERR_NOACK
        case .abort:
            return SSL_TLSEXT_ERR_ALERT_FATAL
        }
    }
    if let client = callbacks.ocspClient {
        var data: UnsafePointer<UInt8>?
        let length = shim_SSL_get_tlsext_status_ocsp_resp(ssl, &data)
        let response = (length > 0 && data != nil) ? Array(UnsafeBufferPointer(start: data, count: length)) : []
        switch client(connection, response) {
        case .some(true): return 1
        case .some(false): return 0
        case .none: return -1
        }
    }
    return SSL_TLSEXT_ERR_NOACK
}

let cookieGenerateThunk: @convention(c) (OpaquePointer?, UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<UInt32>?) -> Int32 = { ssl, cookie, length in
    guard let cookie, let length, let (connection, callbacks) = contextCallbacks(ssl),
          let bytes = callbacks.cookieGenerate?(connection), bytes.count <= Int(DTLS1_COOKIE_LENGTH)
    else { return 0 }
    bytes.withUnsafeBufferPointer { source in
        if !source.isEmpty { cookie.update(from: source.baseAddress!, count: source.count) }
    }
    length.pointee = UInt32(bytes.count)
    return 1
}

let cookieVerifyThunk: @convention(c) (OpaquePointer?, UnsafePointer<UInt8>?, UInt32) -> Int32 = { ssl, cookie, length in
    guard let (connection, callbacks) = contextCallbacks(ssl), let callback = callbacks.cookieVerify else { return 0 }
    let bytes = cookie.map { Array(UnsafeBufferPointer(start: $0, count: Int(length))) } ?? []
    return callback(connection, bytes) ? 1 : 0
}

let npnAdvertiseThunk: @convention(c) (
    OpaquePointer?, UnsafeMutablePointer<UnsafePointer<UInt8>?>?, UnsafeMutablePointer<UInt32>?, UnsafeMutableRawPointer?
) -> Int32 = { ssl, out, outLength, _ in
    guard let (connection, callbacks) = contextCallbacks(ssl),
          let protocols = callbacks.npnAdvertise?(connection),
          let wire = try? ALPN.wireFormat(protocols)
    else { return SSL_TLSEXT_ERR_NOACK }
    let storage = connection.keepCallbackBytes(wire)
    out?.pointee = UnsafePointer(storage.baseAddress)
    outLength?.pointee = UInt32(wire.count)
    return SSL_TLSEXT_ERR_OK
}

let npnSelectThunk: @convention(c) (
    OpaquePointer?, UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>?, UnsafeMutablePointer<UInt8>?,
    UnsafePointer<UInt8>?, UInt32, UnsafeMutableRawPointer?
) -> Int32 = { ssl, out, outLength, input, inputLength, _ in
    guard let (connection, callbacks) = contextCallbacks(ssl) else { return SSL_TLSEXT_ERR_ALERT_FATAL }
    let offered = ALPN.parse(UnsafeRawBufferPointer(start: input, count: Int(inputLength)))
    guard let chosen = callbacks.npnSelect?(connection, offered), !chosen.isEmpty, chosen.count <= 255 else {
        return SSL_TLSEXT_ERR_ALERT_FATAL
    }
    let storage = connection.keepCallbackBytes(chosen)
    out?.pointee = storage.baseAddress
    outLength?.pointee = UInt8(chosen.count)
    return SSL_TLSEXT_ERR_OK
}
