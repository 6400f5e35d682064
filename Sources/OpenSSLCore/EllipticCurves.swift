@_implementationOnly import COpenSSL

/// The named elliptic curves this OpenSSL implements.
public enum EllipticCurves {
    /// (NID, short name) of every built-in curve.
    public static var all: [(nid: Int32, name: String)] {
        let count = EC_get_builtin_curves(nil, 0)
        var curves = [EC_builtin_curve](repeating: EC_builtin_curve(), count: count)
        _ = EC_get_builtin_curves(&curves, count)
        return curves.compactMap { curve in
            OBJ_nid2sn(curve.nid).map { (curve.nid, String(cString: $0)) }
        }
    }
}

extension TLSContext {
    /// Restricts ECDHE key exchange to one curve, given by NID. A curve TLS
    /// has no group for (binary curves, SM2, ...) changes nothing and returns
    /// false, as OpenSSL's own `SSL_CTX_set_tmp_ecdh` treats it.
    @discardableResult
    public func setECDHCurve(nid: Int32) throws(OpenSSLError) -> Bool {
        OpenSSLError.clearQueue()
        var groups = [nid]
        if shim_SSL_CTX_set1_groups(pointer, &groups, 1) == 1 { return true }
        // Such a curve fails without queueing a reason; anything else is an error.
        let error = OpenSSLError.drainQueue()
        if error.entries.isEmpty { return false }
        throw error
    }

    /// Loads Diffie-Hellman parameters from a PEM file for DHE key exchange.
    public func loadDHParameters(_ path: SystemPath) throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        let bio = try check(path.withCString { BIO_new_file($0, "r") })
        defer { BIO_free(bio) }
        let parameters = try check(PEM_read_bio_Parameters(bio, nil))
        // On success the context owns the parameters.
        if SSL_CTX_set0_tmp_dh_pkey(pointer, parameters) != 1 {
            EVP_PKEY_free(parameters)
            throw OpenSSLError.drainQueue()
        }
    }
}

extension EllipticCurves {
    /// The NID for a curve name ("prime256v1", or cryptography's "secp256r1"), or nil.
    public static func nid(forName name: String) -> Int32? {
        let aliases = ["secp192r1": "prime192v1", "secp256r1": "prime256v1"]
        let nid = OBJ_txt2nid(aliases[name] ?? name)
        if nid == NID_undef {
            ERR_clear_error()
            return nil
        }
        return nid
    }
}
