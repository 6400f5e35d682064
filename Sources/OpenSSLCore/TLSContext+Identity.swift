@_implementationOnly import COpenSSL

extension TLSContext {
    /// Uses `certificate` as this side's certificate.
    public func useCertificate(_ certificate: Certificate) throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        try check(SSL_CTX_use_certificate(pointer, certificate.pointer))
    }

    /// Uses `key` as this side's private key.
    public func usePrivateKey(_ key: PrivateKey) throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        try check(SSL_CTX_use_PrivateKey(pointer, key.pointer))
    }

    /// Sends `certificate` after this side's own, as part of its chain.
    public func addExtraChainCertificate(_ certificate: Certificate) throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        X509_up_ref(certificate.pointer)  // the context takes this reference
        if shim_SSL_CTX_add_extra_chain_cert(pointer, certificate.pointer) != 1 {
            X509_free(certificate.pointer)
            throw OpenSSLError.drainQueue()
        }
    }

    /// Uses PEM data holding this side's certificate followed by its chain.
    public func useCertificateChain(pem: [UInt8]) throws(OpenSSLError) {
        let certificates = try Certificate.all(inPEM: pem)
        guard let leaf = certificates.first else {
            throw OpenSSLError(entries: [.init(library: "PEM routines", function: "", reason: "no start line")])
        }
        OpenSSLError.clearQueue()
        try check(SSL_CTX_use_certificate(pointer, leaf.pointer))
        _ = shim_SSL_CTX_clear_chain_certs(pointer)
        for certificate in certificates.dropFirst() {
            try check(shim_SSL_CTX_add1_chain_cert(pointer, certificate.pointer))
        }
        // Success can leave an error queued (see loadVerifyData).
        OpenSSLError.clearQueue()
    }

    /// Trusts the CA certificates in `data`: PEM holding one or many, or one DER certificate.
    public func loadVerifyData(_ data: [UInt8]) throws(OpenSSLError) {
        let certificates: [Certificate]
        if containsPEMMarker(data) {
            certificates = try Certificate.all(inPEM: data)
        } else {
            certificates = [try Certificate(der: data)]
        }
        guard let store = SSL_CTX_get_cert_store(pointer) else { throw OpenSSLError.drainQueue() }
        OpenSSLError.clearQueue()
        for certificate in certificates {
            if X509_STORE_add_cert(store, certificate.pointer) != 1 {
                // Adding a certificate the store already holds is not a failure.
                let error = OpenSSLError.drainQueue()
                if !error.entries.allSatisfy({ $0.reason.contains("already in hash table") }) { throw error }
            }
        }
        // X509_STORE_add_cert can succeed and still queue an error: it caches
        // the certificate's extensions, and one whose extensions do not
        // decode raises "invalid certificate" on the way (found by fuzzing).
        OpenSSLError.clearQueue()
    }
}

extension Certificate {
    /// Every certificate in PEM data, in order; an error if there is none.
    public static func all(inPEM pem: [UInt8]) throws(OpenSSLError) -> [Certificate] {
        OpenSSLError.clearQueue()
        let certificates: [Certificate] = try withMemoryBIO(pem) { bio in
            var found: [Certificate] = []
            while let x509 = PEM_read_bio_X509(bio, nil, refusePassphrase, nil) {
                found.append(Certificate(takingOwnership: x509))
            }
            return found
        }
        // Reading stops with "no start line" at the end of the data: not an error once something was read.
        let leftover = OpenSSLError.drainQueue()
        if certificates.isEmpty {
            throw leftover.entries.isEmpty ? OpenSSLError(reason: "no certificate found") : leftover
        }
        return certificates
    }
}

/// Whether `data` holds a PEM armour line ("-----BEGIN"); otherwise it is
/// taken for DER.
public func containsPEMMarker(_ data: [UInt8]) -> Bool {
    let marker = Array("-----BEGIN".utf8)
    guard data.count >= marker.count else { return false }
    for start in 0...(data.count - marker.count) where data[start] == marker[0] {
        if data[start..<(start + marker.count)].elementsEqual(marker) { return true }
    }
    return false
}
