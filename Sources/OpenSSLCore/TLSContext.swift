@_implementationOnly import COpenSSL

/// Settings shared by the connections made from it: protocol versions,
/// certificates and keys, trust, verification and callbacks. Wraps `SSL_CTX`.
///
/// A context is not safe to change from several threads at once; once
/// connections exist, change it only from the thread that drives them.
public final class TLSContext {
    let pointer: OpaquePointer
    /// The method this context was made with.
    public let method: TLSMethod

    /// Callbacks, reached from OpenSSL's C callbacks through ex_data.
    let callbacks = ContextCallbacks()

    /// Makes a context. OpenSSL's defaults stand, plus partial writes and
    /// moving write buffers (what non-blocking callers expect of `write`).
    public init(method: TLSMethod) throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        guard let ctx = SSL_CTX_new(method.openSSLMethod) else { throw OpenSSLError.drainQueue() }
        pointer = ctx
        self.method = method
        _ = shim_SSL_CTX_set_mode(ctx, Int(SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER))
        // Until a passphrase callback is set, encrypted keys fail to load
        // instead of OpenSSL prompting on the terminal.
        SSL_CTX_set_default_passwd_cb(ctx, refusePassphrase)
    }

    deinit {
        // OpenSSL may keep this SSL_CTX alive (a connection moved to another
        // context still holds it as its session context): leave nothing in it
        // that points back at this object.
        SSL_CTX_set_default_passwd_cb(pointer, refusePassphrase)
        SSL_CTX_set_default_passwd_cb_userdata(pointer, nil)
        SSL_CTX_free(pointer)
    }

    // MARK: Protocol versions, options, modes

    /// Sets the lowest version to negotiate; `.any` means the library's lowest.
    public func setMinimumProtocolVersion(_ version: TLSProtocolVersion) throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        try check(shim_SSL_CTX_set_min_proto_version(pointer, version.rawValue))
    }

    /// Sets the highest version to negotiate; `.any` means the library's highest.
    public func setMaximumProtocolVersion(_ version: TLSProtocolVersion) throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        try check(shim_SSL_CTX_set_max_proto_version(pointer, version.rawValue))
    }

    public var minimumProtocolVersion: TLSProtocolVersion {
        TLSProtocolVersion(rawValue: shim_SSL_CTX_get_min_proto_version(pointer))
    }

    public var maximumProtocolVersion: TLSProtocolVersion {
        TLSProtocolVersion(rawValue: shim_SSL_CTX_get_max_proto_version(pointer))
    }

    /// Adds option bits and returns the options now in force.
    @discardableResult
    public func setOptions(_ options: TLSOptions) -> TLSOptions {
        TLSOptions(rawValue: SSL_CTX_set_options(pointer, options.rawValue))
    }

    /// Removes option bits and returns the options now in force.
    @discardableResult
    public func clearOptions(_ options: TLSOptions) -> TLSOptions {
        TLSOptions(rawValue: SSL_CTX_clear_options(pointer, options.rawValue))
    }

    public var options: TLSOptions { TLSOptions(rawValue: SSL_CTX_get_options(pointer)) }

    /// Adds mode bits and returns the modes now in force.
    @discardableResult
    public func setModes(_ modes: TLSModes) -> TLSModes {
        TLSModes(rawValue: shim_SSL_CTX_set_mode(pointer, modes.rawValue))
    }

    /// Removes mode bits and returns the modes now in force.
    @discardableResult
    public func clearModes(_ modes: TLSModes) -> TLSModes {
        TLSModes(rawValue: shim_SSL_CTX_clear_mode(pointer, modes.rawValue))
    }

    public var modes: TLSModes { TLSModes(rawValue: shim_SSL_CTX_get_mode(pointer)) }

    // MARK: Ciphers

    /// Sets the TLS 1.2-and-below cipher list (OpenSSL cipher string syntax);
    /// a string that selects no cipher is an error.
    public func setCipherList(_ ciphers: String) throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        try check(SSL_CTX_set_cipher_list(pointer, ciphers))
    }

    /// Sets the TLS 1.3 cipher suites (colon-separated names).
    public func setTLS13CipherSuites(_ suites: String) throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        try check(SSL_CTX_set_ciphersuites(pointer, suites))
    }

    /// Sets the key-exchange groups, by name ("X25519:P-256").
    public func setGroups(_ groups: String) throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        try check(shim_SSL_CTX_set1_groups_list(pointer, groups))
    }

    // MARK: Certificates and keys from files

    public func useCertificateFile(_ path: SystemPath, encoding: FileEncoding = .pem) throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        let rc = path.withCString { SSL_CTX_use_certificate_file(pointer, $0, encoding.sslFiletype) }
        try check(rc)
    }

    /// Loads a PEM file holding the certificate followed by its chain.
    public func useCertificateChainFile(_ path: SystemPath) throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        let rc = path.withCString { SSL_CTX_use_certificate_chain_file(pointer, $0) }
        try check(rc)
    }

    public func usePrivateKeyFile(_ path: SystemPath, encoding: FileEncoding = .pem) throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        let rc = path.withCString { SSL_CTX_use_PrivateKey_file(pointer, $0, encoding.sslFiletype) }
        try check(rc)
    }

    /// Checks that the private key matches the certificate.
    public func checkPrivateKey() throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        try check(SSL_CTX_check_private_key(pointer))
    }

    // MARK: Trust and verification

    /// Adds trusted certificates from a PEM file and/or a hashed directory.
    public func loadVerifyLocations(file: SystemPath?, directory: SystemPath?) throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        // Both nil fails, as OpenSSL decides.
        try check(SystemPath.withCStrings(file, directory) { SSL_CTX_load_verify_locations(pointer, $0, $1) })
    }

    /// Trusts the system's default CA locations; `SSL_CERT_FILE` and
    /// `SSL_CERT_DIR` override them, as everywhere in OpenSSL.
    public func setDefaultVerifyPaths() throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        try check(SSL_CTX_set_default_verify_paths(pointer))
    }

    /// The default CA file and directory OpenSSL was built with, and the
    /// environment variables that override them.
    public static var defaultVerifyPaths: (file: String, directory: String, fileEnvironment: String, directoryEnvironment: String) {
        (String(cString: X509_get_default_cert_file()), String(cString: X509_get_default_cert_dir()),
         String(cString: X509_get_default_cert_file_env()), String(cString: X509_get_default_cert_dir_env()))
    }

    /// Sets the verification mode, keeping any verify callback installed.
    public func setVerifyMode(_ mode: VerifyMode) {
        SSL_CTX_set_verify(pointer, mode.rawValue, callbacks.verify == nil ? nil : contextVerifyThunk)
    }

    public var verifyMode: VerifyMode { VerifyMode(rawValue: SSL_CTX_get_verify_mode(pointer)) }

    public func setVerifyDepth(_ depth: Int32) {
        SSL_CTX_set_verify_depth(pointer, depth)
    }

    public var verifyDepth: Int32 { SSL_CTX_get_verify_depth(pointer) }

    // MARK: Sessions

    /// Sets the session lifetime in seconds and returns the previous one.
    @discardableResult
    public func setSessionTimeout(_ seconds: Int) -> Int {
        Int(SSL_CTX_set_timeout(pointer, seconds))
    }

    public var sessionTimeout: Int { Int(SSL_CTX_get_timeout(pointer)) }

    /// Sets the session-id context servers use to scope resumption.
    public func setSessionIDContext(_ id: [UInt8]) throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        try check(SSL_CTX_set_session_id_context(pointer, id, UInt32(id.count)))
    }

    /// Sets the session cache mode and returns the previous one.
    @discardableResult
    public func setSessionCacheMode(_ mode: SessionCacheMode) -> SessionCacheMode {
        SessionCacheMode(rawValue: shim_SSL_CTX_set_session_cache_mode(pointer, mode.rawValue))
    }

    public var sessionCacheMode: SessionCacheMode {
        SessionCacheMode(rawValue: shim_SSL_CTX_get_session_cache_mode(pointer))
    }

    // MARK: ALPN

    /// Sets the protocols a client offers, most preferred first.
    public func setALPNProtocols(_ protocols: [[UInt8]]) throws(OpenSSLError) {
        let wire = try ALPN.wireFormat(protocols)
        OpenSSLError.clearQueue()
        // Unlike most of OpenSSL, this returns 0 on success.
        if SSL_CTX_set_alpn_protos(pointer, wire, UInt32(wire.count)) != 0 {
            throw OpenSSLError.drainQueue()
        }
    }
}
