@_implementationOnly import COpenSSL

/// Runs `body` with a read-only memory BIO over `bytes`.
func withMemoryBIO<R>(_ bytes: [UInt8], _ body: (OpaquePointer) -> R) throws(OpenSSLError) -> R {
    let result: R? = bytes.withUnsafeBytes { raw in
        guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(clamping: raw.count)) else { return nil }
        defer { BIO_free(bio) }
        return body(bio)
    }
    guard let result else { throw OpenSSLError.drainQueue() }
    return result
}

/// Runs `body` with an empty writable memory BIO and returns what it wrote
/// (empty if `body` reports failure).
func collectFromMemoryBIO(_ body: (OpaquePointer) -> Int32) -> [UInt8] {
    guard let bio = BIO_new(BIO_s_mem()) else { return [] }
    defer { BIO_free(bio) }
    guard body(bio) > 0 else { return [] }
    var data: UnsafeMutablePointer<CChar>?
    let length = shim_BIO_get_mem_data(bio, &data)
    guard let data, length > 0 else { return [] }
    return Array(UnsafeRawBufferPointer(start: data, count: length))
}
