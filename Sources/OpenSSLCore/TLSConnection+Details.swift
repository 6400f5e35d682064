@_implementationOnly import COpenSSL

extension TLSConnection {
    // MARK: Handshake details

    /// The Finished message this side sent, or nil before one was.
    public var finishedMessage: [UInt8]? { finished { SSL_get_finished(ssl, $0, $1) } }
    /// The Finished message the peer sent, or nil before one arrived.
    public var peerFinishedMessage: [UInt8]? { finished { SSL_get_peer_finished(ssl, $0, $1) } }

    private func finished(_ read: (UnsafeMutableRawPointer?, Int) -> Int) -> [UInt8]? {
        let length = read(nil, 0)
        guard length > 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: length)
        _ = buffer.withUnsafeMutableBytes { read($0.baseAddress, length) }
        return buffer
    }

    /// The client's random value, or nil without a session.
    public var clientRandom: [UInt8]? {
        guard SSL_get_session(ssl) != nil else { return nil }
        let length = SSL_get_client_random(ssl, nil, 0)
        var buffer = [UInt8](repeating: 0, count: length)
        _ = SSL_get_client_random(ssl, &buffer, length)
        return buffer
    }

    /// The server's random value, or nil without a session.
    public var serverRandom: [UInt8]? {
        guard SSL_get_session(ssl) != nil else { return nil }
        let length = SSL_get_server_random(ssl, nil, 0)
        var buffer = [UInt8](repeating: 0, count: length)
        _ = SSL_get_server_random(ssl, &buffer, length)
        return buffer
    }

    /// The session's master secret, or nil without a session.
    public var masterKey: [UInt8]? {
        guard let session = SSL_get_session(ssl) else { return nil }
        let length = SSL_SESSION_get_master_key(session, nil, 0)
        var buffer = [UInt8](repeating: 0, count: length)
        _ = SSL_SESSION_get_master_key(session, &buffer, length)
        return buffer
    }

    /// Keying material exported per RFC 5705 / RFC 8446.
    public func exportKeyingMaterial(label: [UInt8], length: Int, context: [UInt8]?) throws(OpenSSLError) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: length)
        let result = output.withUnsafeMutableBytes { raw in
            Result { () throws(OpenSSLError) in try exportKeyingMaterial(label: label, context: context, into: raw) }
        }
        try result.get()
        return output
    }

    /// Exports keying material into `output` (its whole length).
    public func exportKeyingMaterial(label: [UInt8], context: [UInt8]?, into output: UnsafeMutableRawBufferPointer) throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        let target = output.baseAddress?.assumingMemoryBound(to: UInt8.self)
        let labelText = label.map { CChar(bitPattern: $0) }
        let rc: Int32 = labelText.withUnsafeBufferPointer { labelPointer in
            if let context {
                return SSL_export_keying_material(ssl, target, output.count, labelPointer.baseAddress, label.count, context, context.count, 1)
            }
            return SSL_export_keying_material(ssl, target, output.count, labelPointer.baseAddress, label.count, nil, 0, 0)
        }
        try check(rc)
    }

    /// The key-exchange group in use ("X25519", "prime256v1"), or nil.
    public var groupName: String? {
        guard SSL_get_session(ssl) != nil else { return nil }
        let group = shim_SSL_get_negotiated_group(ssl)
        guard group > 0, let name = SSL_group_to_name(ssl, group) else { return nil }
        return String(cString: name)
    }

    /// The NPN protocol selected, or empty.
    public var negotiatedNPN: [UInt8] {
        var data: UnsafePointer<UInt8>?
        var length: UInt32 = 0
        SSL_get0_next_proto_negotiated(ssl, &data, &length)
        guard let data, length > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: Int(length)))
    }

    // MARK: Renegotiation (TLS 1.2 and below)

    /// Asks for a renegotiation on the next handshake call.
    public func renegotiate() throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        try check(SSL_renegotiate(ssl))
    }

    public var renegotiationPending: Bool { SSL_renegotiate_pending(ssl) == 1 }
    public var totalRenegotiations: Int { shim_SSL_total_renegotiations(ssl) }

    // MARK: Options for this connection

    @discardableResult
    public func setOptions(_ options: TLSOptions) -> TLSOptions {
        TLSOptions(rawValue: SSL_set_options(ssl, options.rawValue))
    }

    // MARK: SRTP, OCSP, MTU

    /// Offers SRTP protection profiles ("SRTP_AES128_CM_SHA1_80:...").
    public func setSRTPProfiles(_ profiles: String) throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        // Returns 0 on success, unlike most of OpenSSL.
        if SSL_set_tlsext_use_srtp(ssl, profiles) != 0 { throw OpenSSLError.drainQueue() }
    }

    /// The SRTP profile selected, or nil.
    public var selectedSRTPProfile: String? {
        guard let profile = SSL_get_selected_srtp_profile(ssl), let name = profile.pointee.name else { return nil }
        return String(cString: name)
    }

    /// Asks the server to staple an OCSP response (clients).
    public func requestOCSPStapling() throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        if shim_SSL_set_tlsext_status_type(ssl, TLSEXT_STATUSTYPE_ocsp) != 1 { throw OpenSSLError.drainQueue() }
    }

    /// Sets the DTLS path MTU.
    public func setMTU(_ mtu: Int) throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        if shim_SSL_set_mtu(ssl, mtu) == 0 { throw OpenSSLError.drainQueue() }
    }

    /// How much application data fits one DTLS datagram (0 for TLS).
    public var cleartextMTU: Int {
        // OpenSSL 3.0 dereferences DTLS-only state here: never ask for TLS.
        guard SSL_is_dtls(ssl) == 1 else { return 0 }
        return Int(DTLS_get_data_mtu(ssl))
    }

    // MARK: DTLS

    /// Waits (statelessly) for a ClientHello with a valid cookie on a DTLS
    /// server; `.success` once one arrived.
    public func dtlsListen() -> Result<Void, TLSIOError> {
        guard let address = BIO_ADDR_new() else { return .failure(.ssl(OpenSSLError.drainQueue())) }
        defer { BIO_ADDR_free(address) }
        ERR_clear_error()
        shim_errno_set(0)
        let rc = DTLSv1_listen(ssl, address)
        let savedErrno = shim_errno_get()
        if rc >= 1 { return .success(()) }
        if rc == 0 {
            // No valid ClientHello yet; whatever it rejected is not an error.
            ERR_clear_error()
            return .failure(.wantRead)
        }
        return .failure(classifyFailure(rc, savedErrno) ?? .ssl(OpenSSLError.drainQueue()))
    }

    /// Seconds until the DTLS retransmission timer fires, or nil if it is not running.
    public var dtlsTimeout: Double? {
        var time = timeval()
        guard shim_DTLSv1_get_timeout(ssl, &time) == 1 else { return nil }
        return Double(time.tv_sec) + Double(time.tv_usec) / 1_000_000
    }

    /// Retransmits if the DTLS timer expired; true if it did.
    public func dtlsHandleTimeout() -> Result<Bool, TLSIOError> {
        ERR_clear_error()
        shim_errno_set(0)
        let rc = Int32(truncatingIfNeeded: shim_DTLSv1_handle_timeout(ssl))
        let savedErrno = shim_errno_get()
        if rc >= 0 { return .success(rc == 1) }
        return .failure(classifyFailure(rc, savedErrno) ?? .ssl(OpenSSLError.drainQueue()))
    }
}

extension TLSContext {
    /// Offers SRTP protection profiles for connections made from this context.
    public func setSRTPProfiles(_ profiles: String) throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        if SSL_CTX_set_tlsext_use_srtp(pointer, profiles) != 0 { throw OpenSSLError.drainQueue() }
    }
}
