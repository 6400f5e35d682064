@_implementationOnly import COpenSSL

/// Runs `body` with a read-only memory BIO over `bytes` (not copied).
func withMemoryBIO<R>(_ bytes: UnsafeRawBufferPointer, _ body: (OpaquePointer) -> R) throws(OpenSSLError) -> R {
    // A non-null pointer even for no bytes: OpenSSL reads NULL as "use strlen".
    guard let base = bytes.baseAddress else {
        return try withUnsafeBytes(of: UInt8(0)) { empty throws(OpenSSLError) in
            try withMemoryBIO(UnsafeRawBufferPointer(rebasing: empty[0..<0]), body)
        }
    }
    guard let bio = BIO_new_mem_buf(base, Int32(clamping: bytes.count)) else { throw OpenSSLError.drainQueue() }
    defer { BIO_free(bio) }
    return body(bio)
}

func withMemoryBIO<R>(_ bytes: [UInt8], _ body: (OpaquePointer) -> R) throws(OpenSSLError) -> R {
    let result = bytes.withUnsafeBytes { raw in Result { () throws(OpenSSLError) in try withMemoryBIO(raw, body) } }
    return try result.get()
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
