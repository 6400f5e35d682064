@preconcurrency import CPython
import OpenSSLCore

/// The Swift state behind one `OpenSSL.crypto.X509`.
final class CertificateState: ObjectState {
    var certificate: Certificate
    init(_ certificate: Certificate) { self.certificate = certificate }
}

/// The Swift state behind one `OpenSSL.crypto.PKey`.
final class KeyState: ObjectState {
    var key: PrivateKey
    /// False for `PKey()` until `generate_key` (pyOpenSSL refuses to sign with such a key).
    var initialized: Bool
    init(_ key: PrivateKey, initialized: Bool = true) {
        self.key = key
        self.initialized = initialized
    }
}

/// The Swift state behind one `OpenSSL.crypto.X509Name`.
final class NameState: ObjectState {
    private let storedName: DistinguishedName
    init(_ name: DistinguishedName) { storedName = name }

    /// The name; pyOpenSSL breaks names taken from a certificate whose
    /// subject/issuer was replaced since, and so do we (AttributeError).
    var name: DistinguishedName {
        get throws(PythonException) {
            if storedName.isStale { throw raise(PyExc_AttributeError, "'X509Name' object has no attribute '_name'") }
            return storedName
        }
    }
}
