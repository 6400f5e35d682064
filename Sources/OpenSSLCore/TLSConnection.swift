@_implementationOnly import COpenSSL

/// One TLS or DTLS connection, over a pair of memory buffers (the caller moves
/// the bytes) or over a socket's file descriptor. Wraps `SSL`.
///
/// Operations that can stop half-way return `Result` values: `.wantRead` and
/// `.wantWrite` mean "call again when the transport is ready", not failure.
/// A connection must be driven by one thread at a time.
public final class TLSConnection {
    /// How the connection reaches its peer.
    public enum Transport: Sendable {
        /// Two memory buffers: feed received bytes with `writeToNetworkInput`,
        /// collect bytes to send with `readFromNetworkOutput`.
        case memory
        /// A connected socket (or any descriptor) that OpenSSL reads and writes.
        case fileDescriptor(Int32)
    }

    let ssl: OpaquePointer
    /// Network bytes flowing in (memory transport only).
    @usableFromInline let networkInput: OpaquePointer?
    /// Network bytes flowing out (memory transport only).
    let networkOutput: OpaquePointer?

    /// The context whose settings this connection uses; `setContext` changes it.
    @exclusivity(unchecked) public private(set) var context: TLSContext
    public let transport: Transport

    /// Per-connection callbacks that override the context's (stored here, not
    /// in an object of their own: one allocation less per connection).
    @exclusivity(unchecked) var verifyCallback: VerifyCallback?
    /// The verify callback of the context this connection was made from.
    /// OpenSSL copies the verify callback into the connection when it is
    /// made, so moving to another context (SNI) keeps it.
    @exclusivity(unchecked) var inheritedVerifyCallback: VerifyCallback?
    @exclusivity(unchecked) var infoCallback: InfoCallback?

    /// Whether a hostname or IP address check was asked for, so a failed
    /// verification can name its reason.
    @exclusivity(unchecked) public internal(set) var verifiesIdentity = false

    /// Whether the last call that failed stopped because a signal interrupted
    /// its system call (EINTR). OpenSSL's socket BIO reports that as "retry",
    /// so even on a blocking socket the call comes back `.wantRead` or
    /// `.wantWrite`: the caller should handle the signal and make the same
    /// call again (PEP 475 for Python). Set on failures only, so read it
    /// right after one.
    @exclusivity(unchecked) public private(set) var interruptedBySignal = false

    /// An object of the caller's, reachable from callbacks. Not retained and
    /// not a weak reference (those make every retain of the owner slow): the
    /// owner must outlive the connection or set this to nil first.
    public var owner: AnyObject? {
        get { ownerStorage }
        set { ownerStorage = newValue }
    }
    // Stored apart and reached through the accessors above: another module
    // accessing a stored property directly applies its own (dynamic)
    // exclusivity checks, ignoring `@exclusivity(unchecked)`.
    @exclusivity(unchecked) private unowned(unsafe) var ownerStorage: AnyObject?

    /// Bytes a callback hands OpenSSL by pointer (an ALPN or NPN choice),
    /// kept alive until the next such callback or the connection's end.
    @exclusivity(unchecked) private var callbackBytes = UnsafeMutableBufferPointer<UInt8>(start: nil, count: 0)

    func keepCallbackBytes(_ bytes: [UInt8]) -> UnsafeMutableBufferPointer<UInt8> {
        callbackBytes.deallocate()
        callbackBytes = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(bytes.count, 1))
        _ = callbackBytes.initialize(from: bytes)
        return callbackBytes
    }

    public init(context: TLSContext, transport: Transport = .memory) throws(OpenSSLError) {
        // No clearing first: these calls fail only when memory runs out, and
        // then the error lists whatever the queue holds, as pyOpenSSL's does
        // (it is emptied either way).
        guard let ssl = SSL_new(context.pointer) else { throw OpenSSLError.drainQueue() }
        switch transport {
        case .memory:
            guard let input = BIO_new(BIO_s_mem()), let output = BIO_new(BIO_s_mem()) else {
                SSL_free(ssl)
                throw OpenSSLError.drainQueue()
            }
            SSL_set_bio(ssl, input, output)
            networkInput = input
            networkOutput = output
        case .fileDescriptor(let fd):
            guard SSL_set_fd(ssl, fd) == 1 else {
                SSL_free(ssl)
                throw OpenSSLError.drainQueue()
            }
            networkInput = nil
            networkOutput = nil
        }
        self.ssl = ssl
        self.context = context
        self.transport = transport
        inheritedVerifyCallback = context.callbacks.verify
        // Records that carry no application data must not surface as WantRead.
        _ = shim_SSL_set_mode(ssl, Int(SSL_MODE_AUTO_RETRY))
        SSL_set_ex_data(ssl, ExDataIndex.connection, Unmanaged.passUnretained(self).toOpaque())
    }

    deinit {
        SSL_free(ssl)
        callbackBytes.deallocate()
    }

    static func from(_ ssl: OpaquePointer?) -> TLSConnection? {
        guard let ssl, let raw = SSL_get_ex_data(ssl, ExDataIndex.connection) else { return nil }
        return Unmanaged<TLSConnection>.fromOpaque(raw).takeUnretainedValue()
    }

    /// Inlinable: the Python bridge asks on every I/O call.
    @inlinable public var isMemoryTransport: Bool { networkInput != nil }

    /// Moves the connection to another context's certificates and settings;
    /// meant for a server's SNI callback, before the certificate is sent.
    public func setContext(_ newContext: TLSContext) throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        guard SSL_set_SSL_CTX(ssl, newContext.pointer) != nil else { throw OpenSSLError.drainQueue() }
        context = newContext
    }

    // MARK: Roles and handshake

    public func setAcceptState() { SSL_set_accept_state(ssl) }
    public func setConnectState() { SSL_set_connect_state(ssl) }
    public var isServer: Bool { SSL_is_server(ssl) == 1 }

    /// Runs (or continues) the handshake.
    public func doHandshake() -> Result<Void, TLSIOError> {
        let (rc, savedErrno) = call { SSL_do_handshake(ssl) }
        if rc == 1 { return .success(()) }
        return fail(rc, savedErrno).map { _ in () }
    }

    public var isHandshakeDone: Bool { SSL_is_init_finished(ssl) == 1 }

    // MARK: Application data

    /// Encrypts and queues bytes; returns how many were taken (partial writes
    /// are enabled). Buffers over `Int32.max` bytes are written in part.
    public func write(_ buffer: UnsafeRawBufferPointer) -> Result<Int, TLSIOError> {
        let length = Int32(clamping: buffer.count)
        let (rc, savedErrno) = call(clearAfterSuccess: false) { SSL_write(ssl, buffer.baseAddress, length) }
        if rc > 0 { return .success(Int(rc)) }
        return fail(rc, savedErrno)
    }

    /// Decrypts up to `buffer.count` bytes into `buffer`; with `peek`, leaves
    /// them to be read again.
    public func read(into buffer: UnsafeMutableRawBufferPointer, peek: Bool = false) -> Result<Int, TLSIOError> {
        let length = Int32(clamping: buffer.count)
        let (rc, savedErrno) = call(clearAfterSuccess: false) {
            peek ? SSL_peek(ssl, buffer.baseAddress, length) : SSL_read(ssl, buffer.baseAddress, length)
        }
        if rc > 0 { return .success(Int(rc)) }
        return fail(rc, savedErrno)
    }

    /// Bytes already decrypted and waiting to be read.
    @inline(__always)
    public var pendingBytes: Int { Int(SSL_pending(ssl)) }

    // MARK: Closing

    /// Sends close_notify (once) and reports whether the peer's has arrived.
    public func shutdown() -> Result<Bool, TLSIOError> {
        let (rc, savedErrno) = call { SSL_shutdown(ssl) }
        if rc == 1 { return .success(true) }
        if rc == 0 {
            OpenSSLError.clearQueue()
            return .success(false)
        }
        return fail(rc, savedErrno).map { _ in false }
    }

    public var shutdownState: ShutdownState {
        get { ShutdownState(rawValue: SSL_get_shutdown(ssl)) }
        set { SSL_set_shutdown(ssl, newValue.rawValue) }
    }

    // MARK: State

    public var wantsRead: Bool { SSL_want(ssl) == SSL_READING }
    public var wantsWrite: Bool { SSL_want(ssl) == SSL_WRITING }

    /// OpenSSL's description of the handshake state ("SSL negotiation finished successfully").
    public var stateDescription: String { String(cString: SSL_state_string_long(ssl)) }

    // MARK: Negotiated parameters

    private var currentCipher: OpaquePointer? { SSL_get_current_cipher(ssl) }

    /// The negotiated cipher suite's name, or nil before a handshake.
    public var cipherName: String? {
        currentCipher.map { String(cString: SSL_CIPHER_get_name($0)) }
    }

    /// The negotiated cipher's secret bits, or nil before a handshake.
    public var cipherBits: Int? {
        currentCipher.map { Int(SSL_CIPHER_get_bits($0, nil)) }
    }

    /// The protocol version the negotiated cipher belongs to ("TLSv1.2").
    public var cipherVersion: String? {
        currentCipher.map { String(cString: SSL_CIPHER_get_version($0)) }
    }

    /// The protocol version in use ("TLSv1.3"), or what would be offered.
    public var protocolVersionName: String { String(cString: SSL_get_version(ssl)) }
    public var protocolVersion: TLSProtocolVersion { TLSProtocolVersion(rawValue: SSL_version(ssl)) }

    /// Names of the cipher suites this connection would offer or accept.
    public var cipherList: [String] {
        var names: [String] = []
        var index: Int32 = 0
        while let name = SSL_get_cipher_list(ssl, index) {
            names.append(String(cString: name))
            index += 1
        }
        return names
    }

    // MARK: Server name and ALPN

    /// Sets the server name a client sends (SNI).
    public func setServerName(_ name: String) throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        if shim_SSL_set_tlsext_host_name(ssl, name) != 1 { throw OpenSSLError.drainQueue() }
    }

    /// The server name sent by the client (on a server) or set (on a client), as bytes.
    public var serverName: [UInt8]? {
        guard let name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name) else { return nil }
        return Array(UnsafeRawBufferPointer(start: name, count: strlen(name)))
    }

    public func setALPNProtocols(_ protocols: [[UInt8]]) throws(OpenSSLError) {
        let wire = try ALPN.wireFormat(protocols)
        OpenSSLError.clearQueue()
        if SSL_set_alpn_protos(ssl, wire, UInt32(wire.count)) != 0 { throw OpenSSLError.drainQueue() }
    }

    /// The protocol ALPN selected; empty when none was.
    public var negotiatedALPN: [UInt8] {
        var data: UnsafePointer<UInt8>?
        var length: UInt32 = 0
        SSL_get0_alpn_selected(ssl, &data, &length)
        guard let data, length > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: Int(length)))
    }

    // MARK: Verification

    /// Overrides the context's verification mode for this connection only.
    public func setVerifyMode(_ mode: VerifyMode) {
        SSL_set_verify(ssl, mode.rawValue, verifyCallback == nil ? nil : connectionVerifyThunk)
    }

    public var verifyMode: VerifyMode { VerifyMode(rawValue: SSL_get_verify_mode(ssl)) }

    /// The result of verifying the peer's certificate (`X509_V_OK` is 0).
    public var verifyResult: Int { SSL_get_verify_result(ssl) }

    // MARK: Calling OpenSSL

    /// Runs one `SSL_*` I/O call with a clean error queue and `errno`, and
    /// captures `errno` before anything else can change it.
    @inline(__always)
    private func call(clearAfterSuccess: Bool = true, _ body: () -> Int32) -> (Int32, Int32) {
        OpenSSLError.clearQueue()
        shim_errno_set(0)
        let rc = body()
        let savedErrno = shim_errno_get()
        // A call can succeed and still leave errors behind (a shutdown that
        // read the peer's alert): the next caller must find the queue empty.
        if clearAfterSuccess && rc > 0 { OpenSSLError.clearQueue() }
        return (rc, savedErrno)
    }

    private func fail(_ rc: Int32, _ savedErrno: Int32) -> Result<Int, TLSIOError> {
        if let error = classifyFailure(rc, savedErrno) { return .failure(error) }
        return .success(Int(max(rc, 0)))
    }

    /// `TLSIOError.classify`, noting whether a signal cut the call short.
    func classifyFailure(_ rc: Int32, _ savedErrno: Int32) -> TLSIOError? {
        interruptedBySignal = savedErrno == EINTR
        return TLSIOError.classify(ssl: ssl, result: rc, savedErrno: savedErrno)
    }
}
