@preconcurrency import CPython
import OpenSSLCore

/// pyOpenSSL's numbers for the `Context(method)` argument (its own, not OpenSSL's).
enum MethodNumber {
    static let sslv2 = 1, sslv3 = 2, sslv23 = 3, tlsv1 = 4, tlsv1_1 = 5, tlsv1_2 = 6
    static let tls = 7, tlsServer = 8, tlsClient = 9, dtls = 10, dtlsServer = 11, dtlsClient = 12
}

/// File types shared by `OpenSSL.SSL` and `OpenSSL.crypto`.
enum FileType {
    static let pem = 1, asn1 = 2, text = (1 << 16) - 1
}

/// The integer constants of `OpenSSL.SSL`, by Python name.
func sslIntegerConstants() -> [(String, Int64)] {
    var table: [(String, Int64)] = [
        ("SSLv2_METHOD", 1), ("SSLv3_METHOD", 2), ("SSLv23_METHOD", 3), ("TLSv1_METHOD", 4),
        ("TLSv1_1_METHOD", 5), ("TLSv1_2_METHOD", 6), ("TLS_METHOD", 7), ("TLS_SERVER_METHOD", 8),
        ("TLS_CLIENT_METHOD", 9), ("DTLS_METHOD", 10), ("DTLS_SERVER_METHOD", 11), ("DTLS_CLIENT_METHOD", 12),
        ("FILETYPE_PEM", Int64(FileType.pem)), ("FILETYPE_ASN1", Int64(FileType.asn1)),
        ("SSL3_VERSION", Int64(TLSProtocolVersion.ssl3.rawValue)),
        ("TLS1_VERSION", Int64(TLSProtocolVersion.tls1.rawValue)),
        ("TLS1_1_VERSION", Int64(TLSProtocolVersion.tls1_1.rawValue)),
        ("TLS1_2_VERSION", Int64(TLSProtocolVersion.tls1_2.rawValue)),
        ("TLS1_3_VERSION", Int64(TLSProtocolVersion.tls1_3.rawValue)),
        ("VERIFY_NONE", 0),
        ("VERIFY_PEER", Int64(VerifyMode.peer.rawValue)),
        ("VERIFY_FAIL_IF_NO_PEER_CERT", Int64(VerifyMode.failIfNoPeerCertificate.rawValue)),
        ("VERIFY_CLIENT_ONCE", Int64(VerifyMode.clientOnce.rawValue)),
        ("VERIFY_POST_HANDSHAKE", Int64(VerifyMode.postHandshake.rawValue)),
        ("OPENSSL_VERSION_NUMBER", Int64(LibraryInfo.buildVersionNumber)),
        ("MODE_RELEASE_BUFFERS", Int64(TLSModes.releaseBuffers.rawValue)),
        ("SENT_SHUTDOWN", Int64(ShutdownState.sent.rawValue)),
        ("RECEIVED_SHUTDOWN", Int64(ShutdownState.received.rawValue)),
        ("SESS_CACHE_OFF", Int64(SessionCacheMode.off.rawValue)),
        ("SESS_CACHE_CLIENT", Int64(SessionCacheMode.client.rawValue)),
        ("SESS_CACHE_SERVER", Int64(SessionCacheMode.server.rawValue)),
        ("SESS_CACHE_BOTH", Int64(SessionCacheMode.both.rawValue)),
        ("SESS_CACHE_NO_AUTO_CLEAR", Int64(SessionCacheMode.noAutoClear.rawValue)),
        ("SESS_CACHE_NO_INTERNAL_LOOKUP", Int64(SessionCacheMode.noInternalLookup.rawValue)),
        ("SESS_CACHE_NO_INTERNAL_STORE", Int64(SessionCacheMode.noInternalStore.rawValue)),
        ("SESS_CACHE_NO_INTERNAL", Int64(SessionCacheMode.noInternal.rawValue)),
        ("SSL_CB_LOOP", Int64(InfoCallbackWhere.loop)),
        ("SSL_CB_EXIT", Int64(InfoCallbackWhere.exit)),
        ("SSL_CB_READ", Int64(InfoCallbackWhere.read)),
        ("SSL_CB_WRITE", Int64(InfoCallbackWhere.write)),
        ("SSL_CB_ALERT", Int64(InfoCallbackWhere.alert)),
        ("SSL_CB_READ_ALERT", Int64(InfoCallbackWhere.readAlert)),
        ("SSL_CB_WRITE_ALERT", Int64(InfoCallbackWhere.writeAlert)),
        ("SSL_CB_ACCEPT_LOOP", Int64(InfoCallbackWhere.acceptLoop)),
        ("SSL_CB_ACCEPT_EXIT", Int64(InfoCallbackWhere.acceptExit)),
        ("SSL_CB_CONNECT_LOOP", Int64(InfoCallbackWhere.connectLoop)),
        ("SSL_CB_CONNECT_EXIT", Int64(InfoCallbackWhere.connectExit)),
        ("SSL_CB_HANDSHAKE_START", Int64(InfoCallbackWhere.handshakeStart)),
        ("SSL_CB_HANDSHAKE_DONE", Int64(InfoCallbackWhere.handshakeDone)),
        ("SSL_ST_CONNECT", Int64(InfoCallbackWhere.stateConnect)),
        ("SSL_ST_ACCEPT", Int64(InfoCallbackWhere.stateAccept)),
        ("SSL_ST_MASK", Int64(InfoCallbackWhere.stateMask)),
    ]
    for item in LibraryInfo.Item.allCases {
        let suffix: String
        switch item {
        case .version: suffix = "VERSION"
        case .cflags: suffix = "CFLAGS"
        case .builtOn: suffix = "BUILT_ON"
        case .platform: suffix = "PLATFORM"
        case .directory: suffix = "DIR"
        }
        table.append(("SSLEAY_" + suffix, Int64(item.rawValue)))
        table.append(("OPENSSL_" + suffix, Int64(item.rawValue)))
    }
    let options: [(String, TLSOptions)] = [
        ("OP_ALL", .all), ("OP_CIPHER_SERVER_PREFERENCE", .cipherServerPreference),
        ("OP_COOKIE_EXCHANGE", .cookieExchange), ("OP_DONT_INSERT_EMPTY_FRAGMENTS", .dontInsertEmptyFragments),
        ("OP_IGNORE_UNEXPECTED_EOF", .ignoreUnexpectedEOF), ("OP_LEGACY_SERVER_CONNECT", .legacyServerConnect),
        ("OP_NO_COMPRESSION", .noCompression), ("OP_NO_QUERY_MTU", .noQueryMTU),
        ("OP_NO_RENEGOTIATION", .noRenegotiation), ("OP_NO_SSLv2", .noSSLv2), ("OP_NO_SSLv3", .noSSLv3),
        ("OP_NO_TICKET", .noTicket), ("OP_NO_TLSv1", .noTLSv1), ("OP_NO_TLSv1_1", .noTLSv1_1),
        ("OP_NO_TLSv1_2", .noTLSv1_2), ("OP_NO_TLSv1_3", .noTLSv1_3), ("OP_TLS_ROLLBACK_BUG", .tlsRollbackBug),
        ("OP_ENABLE_KTLS", .enableKTLS),
    ]
    for (name, option) in options { table.append((name, Int64(bitPattern: option.rawValue))) }
    for (name, value) in TLSOptions.legacyNoOps { table.append(("OP_" + name, Int64(bitPattern: value))) }
    return table
}

/// Adds the constants, `X509VerificationCodes`, `NO_OVERLAPPING_PROTOCOLS`.
func addSSLConstants(to module: PyObjectPointer) throws(PythonException) {
    for (name, value) in sslIntegerConstants() {
        guard let number = PyLong_FromLongLong(value) else { throw PythonException() }
        if PyModule_AddObject(module, name, number) < 0 {
            Py_DecRef(number)
            throw PythonException()
        }
    }
    var codes: [(String, PyObjectPointer)] = []
    for (name, code) in VerificationCodes.all { codes.append((name, try pyInt(Int(code)))) }
    let codesClass = try makePlainClass("X509VerificationCodes", module: "OpenSSL.SSL", attributes: codes,
        doc: "X.509 verification results (X509_V_*), as passed to verify callbacks.")
    if PyModule_AddObject(module, "X509VerificationCodes", codesClass) < 0 { throw PythonException() }

    let sentinelClass = try makePlainClass("_NoOverlappingProtocols", module: "OpenSSL.SSL", attributes: [], doc: nil)
    defer { Py_DecRef(sentinelClass) }
    guard let sentinel = PyObject_CallObject(sentinelClass, nil) else { throw PythonException() }
    NoOverlappingProtocols.sentinel = sentinel
    if PyModule_AddObjectRef(module, "NO_OVERLAPPING_PROTOCOLS", sentinel) < 0 { throw PythonException() }
}

enum NoOverlappingProtocols {
    nonisolated(unsafe) static var sentinel: PyObjectPointer!
}

/// `type(name, (object,), attributes)`, stealing the attribute values.
func makePlainClass(_ name: String, module: String, attributes: [(String, PyObjectPointer)], doc: String?) throws(PythonException) -> PyObjectPointer {
    guard let namespace = PyDict_New() else { throw PythonException() }
    defer { Py_DecRef(namespace) }
    var items = attributes
    items.append(("__module__", try pyString(module)))
    if let doc { items.append(("__doc__", try pyString(doc))) }
    for (key, value) in items {
        let status = PyDict_SetItemString(namespace, key, value)
        Py_DecRef(value)
        if status < 0 { throw PythonException() }
    }
    let typeCallable = shim_TypeType()
    let args = try pyTuple([try pyString(name), try pyTuple([]), shim_NewRef(namespace)])
    defer { Py_DecRef(args) }
    guard let cls = PyObject_CallObject(typeCallable, args) else { throw PythonException() }
    return cls
}
