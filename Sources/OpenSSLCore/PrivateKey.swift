import COpenSSL

/// A public/private key pair, or a public key alone. Wraps `EVP_PKEY`.
public final class PrivateKey {
    let pointer: OpaquePointer

    init(takingOwnership pointer: OpaquePointer) {
        self.pointer = pointer
    }

    init(retaining pointer: OpaquePointer) {
        EVP_PKEY_up_ref(pointer)
        self.pointer = pointer
    }

    deinit {
        EVP_PKEY_free(pointer)
    }

    /// Parses a PEM private key (PKCS#8, or the traditional RSA/EC/DSA forms),
    /// decrypting it with `passphrase` when it is encrypted.
    public convenience init(pem: [UInt8], passphrase: [UInt8]? = nil) throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        let key: OpaquePointer? = try withMemoryBIO(pem) { bio in
            guard let passphrase else {
                // An empty passphrase: an encrypted key fails instead of prompting on the terminal.
                return PEM_read_bio_PrivateKey(bio, nil, emptyPassphraseCallback, nil)
            }
            var copy = passphrase.map { CChar(bitPattern: $0) } + [0]
            return copy.withUnsafeMutableBufferPointer { buffer in
                PEM_read_bio_PrivateKey(bio, nil, nil, buffer.baseAddress)
            }
        }
        self.init(takingOwnership: try check(key))
    }

    /// Parses a DER private key (PKCS#8 or traditional).
    public convenience init(der: [UInt8]) throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        let key = try withMemoryBIO(der) { bio in d2i_PrivateKey_bio(bio, nil) }
        self.init(takingOwnership: try check(key))
    }

    /// The key size in bits.
    public var bits: Int { Int(EVP_PKEY_get_bits(pointer)) }
}

let emptyPassphraseCallback: @convention(c) (UnsafeMutablePointer<CChar>?, Int32, Int32, UnsafeMutableRawPointer?) -> Int32 = { _, _, _, _ in 0 }
