@_implementationOnly import COpenSSL

extension TLSConnection {
    /// This side's certificate, if one is configured.
    public var localCertificate: Certificate? {
        SSL_get_certificate(ssl).map { Certificate(retaining: $0) }
    }

    /// The peer's certificate, once the handshake has received it.
    public var peerCertificate: Certificate? {
        SSL_get1_peer_certificate(ssl).map { Certificate(takingOwnership: $0) }
    }

    /// The chain the peer sent (on a server, without the client's own
    /// certificate, as OpenSSL reports it); nil before it arrived.
    public var peerCertificateChain: [Certificate]? {
        guard let stack = SSL_get_peer_cert_chain(ssl) else { return nil }
        return certificates(in: stack)
    }

    /// The chain OpenSSL verified, leaf first; nil when none was verified.
    public var verifiedChain: [Certificate]? {
        guard let stack = SSL_get0_verified_chain(ssl) else { return nil }
        return certificates(in: stack)
    }

    /// The CA names a server sends (on a server) or received (on a client).
    public var clientCANames: [DistinguishedName] {
        guard let stack = SSL_get_client_CA_list(ssl) else { return [] }
        var names: [DistinguishedName] = []
        for index in 0..<shim_sk_X509_NAME_num(stack) {
            if let name = shim_sk_X509_NAME_value(stack, index), let copy = X509_NAME_dup(name) {
                names.append(DistinguishedName(takingOwnership: copy))
            }
        }
        return names
    }

    /// Uses `certificate` for this connection only.
    public func useCertificate(_ certificate: Certificate) throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        try check(SSL_use_certificate(ssl, certificate.pointer))
    }

    /// Uses `key` for this connection only.
    public func usePrivateKey(_ key: PrivateKey) throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        try check(SSL_use_PrivateKey(ssl, key.pointer))
    }
}

extension TLSContext {
    /// Adds a CA whose name a server sends when it asks for a client certificate.
    public func addClientCA(_ certificate: Certificate) throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        try check(SSL_CTX_add_client_CA(pointer, certificate.pointer))
    }

    /// Replaces the CA names a server sends when it asks for a client certificate.
    public func setClientCANames(_ names: [DistinguishedName]) throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        guard let stack = shim_sk_X509_NAME_new_null() else { throw OpenSSLError.drainQueue() }
        for name in names {
            guard let copy = name.withPointer({ X509_NAME_dup($0) }) else {
                shim_sk_X509_NAME_pop_free(stack)
                throw OpenSSLError.drainQueue()
            }
            if shim_sk_X509_NAME_push(stack, copy) <= 0 {
                X509_NAME_free(copy)
                shim_sk_X509_NAME_pop_free(stack)
                throw OpenSSLError.drainQueue()
            }
        }
        SSL_CTX_set_client_CA_list(pointer, stack)  // takes the stack
    }

    /// Sends the subject names of the certificates in a PEM file as the client CA list.
    public func loadClientCAFile(_ path: SystemPath) throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        let stack = try check(path.withCString { SSL_load_client_CA_file($0) })
        SSL_CTX_set_client_CA_list(pointer, stack)
    }

    /// Asks `callback` for the passphrase of encrypted keys this context loads.
    public func setPassphraseCallback(_ callback: ((_ maximumLength: Int, _ forWriting: Bool) -> [UInt8]?)?) {
        callbacks.passphrase = callback
        if callback == nil {
            SSL_CTX_set_default_passwd_cb(pointer, refusePassphrase)
            SSL_CTX_set_default_passwd_cb_userdata(pointer, nil)
        } else {
            SSL_CTX_set_default_passwd_cb(pointer, contextPassphraseThunk)
            SSL_CTX_set_default_passwd_cb_userdata(pointer, Unmanaged.passUnretained(self).toOpaque())
        }
    }
}

let contextPassphraseThunk: @convention(c) (UnsafeMutablePointer<CChar>?, Int32, Int32, UnsafeMutableRawPointer?) -> Int32 = { buffer, size, writing, userdata in
    guard let buffer, let userdata, size > 0 else { return 0 }
    let context = Unmanaged<TLSContext>.fromOpaque(userdata).takeUnretainedValue()
    guard let answer = context.callbacks.passphrase?(Int(size), writing != 0) else { return 0 }
    let count = min(answer.count, Int(size))
    answer.withUnsafeBufferPointer { source in
        if count > 0 { UnsafeMutableRawPointer(buffer).copyMemory(from: source.baseAddress!, byteCount: count) }
    }
    return Int32(count)
}
