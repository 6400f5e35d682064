@_implementationOnly import COpenSSL

extension TLSConnection {
    /// Checks, as part of certificate verification, that the peer's
    /// certificate is valid for `hostname` (DNS names in subjectAltName;
    /// no partial wildcards). Needs `VerifyMode.peer`.
    public func setVerifyHostname(_ hostname: String) throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        try check(SSL_set1_host(ssl, hostname))
        SSL_set_hostflags(ssl, UInt32(X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS))
        verifiesIdentity = true
    }

    /// Checks that the peer's certificate is valid for this IP address
    /// (IPv4 or IPv6 text). Throws for text that is not an address.
    public func setVerifyIPAddress(_ address: String) throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        guard let parameters = SSL_get0_param(ssl) else { throw OpenSSLError.drainQueue() }
        if X509_VERIFY_PARAM_set1_ip_asc(parameters, address) != 1 {
            _ = OpenSSLError.drainQueue()
            throw OpenSSLError(reason: "not an IP address: \(address)")
        }
        verifiesIdentity = true
    }

    /// Sends a CertificateRequest to a TLS 1.3 client that offered
    /// post-handshake authentication; the next I/O call carries it.
    public func requestClientCertificate() throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        try check(SSL_verify_client_post_handshake(ssl))
    }
}

extension TLSContext {
    /// Lets a TLS 1.3 client offer post-handshake authentication.
    public func setPostHandshakeAuthentication(_ enabled: Bool) {
        _ = shim_SSL_set_post_handshake_auth_ctx(pointer, enabled ? 1 : 0)
    }
}
