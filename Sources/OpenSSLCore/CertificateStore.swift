@_implementationOnly import COpenSSL

/// A set of trusted certificates and CRLs, with verification flags and time.
/// Wraps `X509_STORE` (reference counted; a context's store is shared with it).
public final class CertificateStore {
    let pointer: OpaquePointer

    public init() throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        pointer = try check(X509_STORE_new())
    }

    init(retaining pointer: OpaquePointer) {
        X509_STORE_up_ref(pointer)
        self.pointer = pointer
    }

    deinit {
        X509_STORE_free(pointer)
    }

    /// Trusts `certificate`. Adding one the store already holds is not an error.
    public func add(_ certificate: Certificate) throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        try check(X509_STORE_add_cert(pointer, certificate.pointer))
        // Success can leave an error queued (see TLSContext.loadVerifyData).
        OpenSSLError.clearQueue()
    }

    /// Adds a certificate revocation list given in DER.
    public func addRevocationList(der: [UInt8]) throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        let crl = try check(try withMemoryBIO(der) { bio in d2i_X509_CRL_bio(bio, nil) })
        defer { X509_CRL_free(crl) }
        try check(X509_STORE_add_crl(pointer, crl))
    }

    /// Adds `X509_V_FLAG_*` bits.
    public func setFlags(_ flags: UInt) throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        try check(X509_STORE_set_flags(pointer, flags))
    }

    /// Verifies as of this moment (seconds since 1970) instead of now.
    public func setVerificationTime(_ secondsSinceEpoch: Int) throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        guard let parameters = X509_VERIFY_PARAM_new() else { throw OpenSSLError.drainQueue() }
        defer { X509_VERIFY_PARAM_free(parameters) }
        X509_VERIFY_PARAM_set_time(parameters, secondsSinceEpoch)
        try check(X509_STORE_set1_param(pointer, parameters))
    }

    /// Trusts the PEM certificates (and CRLs) in a file and/or a hashed directory.
    public func loadLocations(file: SystemPath?, directory: SystemPath?) throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        try check(SystemPath.withCStrings(file, directory) { X509_STORE_load_locations(pointer, $0, $1) })
    }

    /// Verification flags (`X509_V_FLAG_*`), by their pyOpenSSL names.
    public static let flagNames: [(name: String, value: UInt)] = [
        ("CRL_CHECK", UInt(X509_V_FLAG_CRL_CHECK)), ("CRL_CHECK_ALL", UInt(X509_V_FLAG_CRL_CHECK_ALL)),
        ("IGNORE_CRITICAL", UInt(X509_V_FLAG_IGNORE_CRITICAL)), ("X509_STRICT", UInt(X509_V_FLAG_X509_STRICT)),
        ("ALLOW_PROXY_CERTS", UInt(X509_V_FLAG_ALLOW_PROXY_CERTS)), ("POLICY_CHECK", UInt(X509_V_FLAG_POLICY_CHECK)),
        ("EXPLICIT_POLICY", UInt(X509_V_FLAG_EXPLICIT_POLICY)), ("INHIBIT_MAP", UInt(X509_V_FLAG_INHIBIT_MAP)),
        ("CHECK_SS_SIGNATURE", UInt(X509_V_FLAG_CHECK_SS_SIGNATURE)), ("PARTIAL_CHAIN", UInt(X509_V_FLAG_PARTIAL_CHAIN)),
    ]
}

/// Why a chain did not verify.
public struct VerificationFailure: Error {
    /// `X509_V_ERR_*`.
    public var code: Int32
    /// Depth in the chain of the certificate that failed (0 is the leaf).
    public var depth: Int32
    /// OpenSSL's text for `code`.
    public var message: String
    /// The certificate that failed.
    public var certificate: Certificate?
}

extension CertificateStore {
    /// Verifies `certificate` against this store, with `untrusted` as
    /// intermediates; returns the verified chain, leaf first.
    public func verify(_ certificate: Certificate, untrusted: [Certificate] = []) throws(VerificationFailure) -> [Certificate] {
        ERR_clear_error()
        guard let context = X509_STORE_CTX_new() else {
            throw VerificationFailure(code: X509_V_ERR_OUT_OF_MEM, depth: 0, message: "out of memory", certificate: nil)
        }
        defer { X509_STORE_CTX_free(context) }
        var stack: OpaquePointer?
        if !untrusted.isEmpty {
            stack = shim_sk_X509_new_null()
            for item in untrusted {
                X509_up_ref(item.pointer)
                _ = shim_sk_X509_push(stack, item.pointer)
            }
        }
        defer { if let stack { shim_sk_X509_pop_free(stack) } }
        guard X509_STORE_CTX_init(context, pointer, certificate.pointer, stack) == 1 else {
            ERR_clear_error()
            throw VerificationFailure(code: X509_V_ERR_UNSPECIFIED, depth: 0, message: "could not set up verification", certificate: nil)
        }
        if X509_verify_cert(context) <= 0 {
            let code = X509_STORE_CTX_get_error(context)
            let failed = X509_STORE_CTX_get_current_cert(context).flatMap { X509_dup($0) }.map { Certificate(takingOwnership: $0) }
            ERR_clear_error()
            throw VerificationFailure(code: code, depth: X509_STORE_CTX_get_error_depth(context),
                                      message: VerificationCodes.message(for: code), certificate: failed)
        }
        return certificates(in: X509_STORE_CTX_get0_chain(context))
    }
}

/// Copies of the certificates in an OpenSSL stack (which keeps its own).
func certificates(in stack: OpaquePointer?) -> [Certificate] {
    guard let stack else { return [] }
    var result: [Certificate] = []
    for index in 0..<shim_sk_X509_num(stack) {
        if let x509 = shim_sk_X509_value(stack, index) { result.append(Certificate(retaining: x509)) }
    }
    return result
}

extension TLSContext {
    /// The context's trust store (shared: adding to it affects the context).
    public var certificateStore: CertificateStore? {
        SSL_CTX_get_cert_store(pointer).map { CertificateStore(retaining: $0) }
    }
}
