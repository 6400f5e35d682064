@_implementationOnly import COpenSSL

/// OpenSSL's random number generator.
public enum RandomGenerator {
    /// Mixes `bytes` into the generator's state, crediting `entropy` bytes.
    public static func add(_ bytes: [UInt8], entropy: Double) {
        RAND_add(bytes, Int32(clamping: bytes.count), entropy)
    }

    /// Whether the generator has been seeded with enough entropy.
    public static var isSeeded: Bool { RAND_status() == 1 }

    /// Cryptographically secure random bytes.
    public static func bytes(_ count: Int) throws(OpenSSLError) -> [UInt8] {
        OpenSSLError.clearQueue()
        var output = [UInt8](repeating: 0, count: count)
        try check(RAND_bytes(&output, Int32(clamping: count)))
        return output
    }
}
