@_implementationOnly import COpenSSL

/// The memory transport: the caller carries the network bytes between the
/// connection's two memory BIOs and its peer.
extension TLSConnection {
    /// Hands bytes received from the peer to the connection.
    public func writeToNetworkInput(_ buffer: UnsafeRawBufferPointer) -> Result<Int, TLSIOError> {
        guard let bio = networkInput else { return .failure(.ssl(OpenSSLError(reason: "not a memory transport"))) }
        // No error-queue check around memory-BIO calls: they push errors only
        // when an allocation fails (a read of an empty buffer just sets the
        // retry flag), and skipping the two peeks per call is measurable on
        // small records.
        let rc = BIO_write(bio, buffer.baseAddress, Int32(clamping: buffer.count))
        if rc > 0 { return .success(Int(rc)) }
        return .failure(bioFailure(bio))
    }

    /// Takes up to `buffer.count` bytes the connection wants sent to the peer;
    /// `.wantRead` when there are none.
    public func readFromNetworkOutput(into buffer: UnsafeMutableRawBufferPointer) -> Result<Int, TLSIOError> {
        guard let bio = networkOutput else { return .failure(.ssl(OpenSSLError(reason: "not a memory transport"))) }
        let rc = BIO_read(bio, buffer.baseAddress, Int32(clamping: buffer.count))
        if rc > 0 { return .success(Int(rc)) }
        return .failure(bioFailure(bio))
    }

    /// Takes up to `limit` bytes the connection wants sent to the peer into
    /// the buffer `destination` returns for the exact count waiting (one
    /// copy, straight into the caller's object). nil when nothing is waiting
    /// or `destination` declined; then `readFromNetworkOutput(into:)` gives
    /// OpenSSL's own answer.
    public func readFromNetworkOutput(limit: Int, destination: (Int) -> UnsafeMutableRawPointer?) -> Result<Int, TLSIOError>? {
        guard let bio = networkOutput else { return .failure(.ssl(OpenSSLError(reason: "not a memory transport"))) }
        let count = min(Int(shim_BIO_ctrl_pending(bio)), limit, Int(Int32.max))
        guard count > 0, let target = destination(count) else { return nil }
        let rc = BIO_read(bio, target, Int32(count))
        if rc > 0 { return .success(Int(rc)) }
        return .failure(bioFailure(bio))
    }

    /// Bytes waiting in the outgoing memory buffer.
    public var networkOutputPending: Int {
        guard let bio = networkOutput else { return 0 }
        return Int(shim_BIO_ctrl_pending(bio))
    }

    /// Marks the end of the peer's bytes: reads past what was written now see EOF.
    public func shutdownNetworkInput() {
        guard let bio = networkInput else { return }
        _ = shim_BIO_set_mem_eof_return(bio, 0)
    }

    private func bioFailure(_ bio: OpaquePointer) -> TLSIOError {
        if BIO_test_flags(bio, BIO_FLAGS_SHOULD_RETRY) != 0 {
            if BIO_test_flags(bio, BIO_FLAGS_READ) != 0 { return .wantRead }
            if BIO_test_flags(bio, BIO_FLAGS_WRITE) != 0 { return .wantWrite }
        }
        return .ssl(OpenSSLError.drainQueue())
    }
}
