import COpenSSL

/// An X.509 certificate. Wraps `X509` (reference counted by OpenSSL).
public final class Certificate {
    let pointer: OpaquePointer

    /// Takes over one reference the caller owns.
    init(takingOwnership pointer: OpaquePointer) {
        self.pointer = pointer
    }

    /// Adds a reference of its own to a certificate someone else owns.
    init(retaining pointer: OpaquePointer) {
        X509_up_ref(pointer)
        self.pointer = pointer
    }

    deinit {
        X509_free(pointer)
    }

    /// Parses one PEM certificate (the first, if there are several).
    public convenience init(pem: [UInt8]) throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        let x509 = try withMemoryBIO(pem) { bio in PEM_read_bio_X509(bio, nil, nil, nil) }
        self.init(takingOwnership: try check(x509))
    }

    /// Parses one DER certificate.
    public convenience init(der: [UInt8]) throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        let x509 = try withMemoryBIO(der) { bio in d2i_X509_bio(bio, nil) }
        self.init(takingOwnership: try check(x509))
    }

    /// The DER encoding.
    public var derBytes: [UInt8] {
        let length = i2d_X509(pointer, nil)
        guard length > 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: Int(length))
        bytes.withUnsafeMutableBufferPointer { buffer in
            var cursor: UnsafeMutablePointer<UInt8>? = buffer.baseAddress
            _ = i2d_X509(pointer, &cursor)
        }
        return bytes
    }

    /// The PEM encoding.
    public var pemBytes: [UInt8] {
        collectFromMemoryBIO { bio in PEM_write_bio_X509(bio, pointer) }
    }

    /// The subject as a one-line string ("/C=US/O=Example/CN=example.com").
    public var subjectOneLine: String { Certificate.oneLine(X509_get_subject_name(pointer)) }
    /// The issuer as a one-line string.
    public var issuerOneLine: String { Certificate.oneLine(X509_get_issuer_name(pointer)) }

    static func oneLine(_ name: OpaquePointer?) -> String {
        guard let name, let text = X509_NAME_oneline(name, nil, 0) else { return "" }
        defer { shim_OPENSSL_free(text) }
        return String(cString: text)
    }
}
