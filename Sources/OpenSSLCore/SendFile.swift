@_implementationOnly import COpenSSL

extension TLSConnection {
    /// Whether the kernel encrypts what this connection sends (kernel TLS).
    public var usesKernelTLSSend: Bool {
        guard let wbio = SSL_get_wbio(ssl) else { return false }
        return shim_BIO_get_ktls_send(wbio) != 0
    }

    /// Sends `count` bytes (to end of file when nil) of the open file `fd`
    /// from `offset`: with `SSL_sendfile` when kernel TLS is active, otherwise
    /// by reading and writing through OpenSSL. Returns the bytes sent and,
    /// if it stopped early, why.
    public func sendFile(fd: Int32, offset: Int, count: Int?) -> (sent: Int, error: TLSIOError?) {
        var sent = 0
        var position = offset
        if usesKernelTLSSend {
            while count.map({ sent < $0 }) ?? true {
                let chunk = min(count.map { $0 - sent } ?? (1 << 30), 1 << 30)
                ERR_clear_error()
                shim_errno_set(0)
                let rc = SSL_sendfile(ssl, fd, off_t(position), chunk, 0)
                let savedErrno = shim_errno_get()
                if rc <= 0 {
                    if rc == 0 { return (sent, nil) }  // end of file
                    return (sent, classifyFailure(Int32(truncatingIfNeeded: rc), savedErrno))
                }
                sent += rc
                position += rc
            }
            return (sent, nil)
        }
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while count.map({ sent < $0 }) ?? true {
            let want = min(buffer.count, count.map { $0 - sent } ?? buffer.count)
            let got = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, want, off_t(position)) }
            if got < 0 { return (sent, .system(errno: shim_errno_get())) }
            if got == 0 { break }  // end of file
            var written = 0
            while written < got {
                let result = buffer.withUnsafeBytes { write(UnsafeRawBufferPointer(rebasing: $0[written..<got])) }
                switch result {
                case .success(let n): written += n
                case .failure(let error): return (sent + written, error)
                }
            }
            sent += got
            position += got
        }
        return (sent, nil)
    }
}
