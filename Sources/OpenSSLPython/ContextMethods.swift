@preconcurrency import CPython
import OpenSSLCore

private let sigLoadVerify = Signature("load_verify_locations", ["cafile", "capath"], required: 1)
private let sigCertFile = Signature("use_certificate_file", ["certfile", "filetype"], required: 1)
private let sigKeyFile = Signature("use_privatekey_file", ["keyfile", "filetype"], required: 1)
private let sigSetVerify = Signature("set_verify", ["mode", "callback"], required: 1)

let contextMethods: [PyMethodDef] = [
    MethodDef.keywords("set_options", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "set_options", "options") { object, value in
        mutatingContext(object) { context throws(PythonException) in
            let options = try unsignedArgument(value!, "options")
            return try pyUnsigned(context.context.setOptions(TLSOptions(rawValue: options)).rawValue)
        }
    } }, doc: "set_options(options) -> int: add SSL_OP_* bits; returns the options now in force."),

    MethodDef.keywords("set_mode", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "set_mode", "mode") { object, value in
        mutatingContext(object) { context throws(PythonException) in
            let mode = try intArgument(value!, "mode")
            return try pyInt(context.context.setModes(TLSModes(rawValue: mode)).rawValue)
        }
    } }, doc: "set_mode(mode) -> int: add SSL_MODE_* bits; returns the modes now in force."),

    MethodDef.keywords("clear_mode", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "clear_mode", "mode_to_clear") { object, value in
        mutatingContext(object) { context throws(PythonException) in
            let mode = try intArgument(value!, "mode_to_clear")
            return try pyInt(context.context.clearModes(TLSModes(rawValue: mode)).rawValue)
        }
    } }, doc: "clear_mode(mode_to_clear) -> int: remove SSL_MODE_* bits; returns the modes now in force."),

    MethodDef.keywords("set_min_proto_version", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "set_min_proto_version", "version") { object, value in
        mutatingContext(object) { context throws(PythonException) in
            let version = try int32Argument(value!, "version")
            try sslCall { () throws(OpenSSLError) in try context.context.setMinimumProtocolVersion(TLSProtocolVersion(rawValue: version)) }
            return returnNone()
        }
    } }, doc: "set_min_proto_version(version): the lowest protocol version to negotiate (0: the library's lowest)."),

    MethodDef.keywords("set_max_proto_version", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "set_max_proto_version", "version") { object, value in
        mutatingContext(object) { context throws(PythonException) in
            let version = try int32Argument(value!, "version")
            try sslCall { () throws(OpenSSLError) in try context.context.setMaximumProtocolVersion(TLSProtocolVersion(rawValue: version)) }
            return returnNone()
        }
    } }, doc: "set_max_proto_version(version): the highest protocol version to negotiate (0: the library's highest)."),

    MethodDef.keywords("set_cipher_list", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "set_cipher_list", "cipher_list") { object, value in
        mutatingContext(object) { context throws(PythonException) in
            let list = try bytesOrTextArgument(value!, label: "cipher_list", typeMessage: "cipher_list must be a byte string.")
            let text = try cText(list, "cipher_list")
            try sslCall { () throws(OpenSSLError) in try context.context.setCipherList(text) }
            return returnNone()
        }
    } }, doc: "set_cipher_list(cipher_list: bytes): the TLS 1.2-and-below ciphers, in OpenSSL's cipher string syntax."),

    MethodDef.keywords("set_tls13_ciphersuites", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "set_tls13_ciphersuites", "ciphersuites") { object, value in
        mutatingContext(object) { context throws(PythonException) in
            let suites = try bytesArgument(value!, "ciphersuites must be a byte string.")
            let text = try cText(suites, "ciphersuites")
            try sslCall { () throws(OpenSSLError) in try context.context.setTLS13CipherSuites(text) }
            return returnNone()
        }
    } }, doc: "set_tls13_ciphersuites(ciphersuites: bytes): the TLS 1.3 cipher suites, colon-separated."),

    MethodDef.keywords("use_certificate_file", { object, args, nargs, kwnames in
        mutatingContext(object) { context throws(PythonException) in
            let parsed = try Arguments(args, nargs, kwnames, sigCertFile)
            let path = SystemPath(bytes: try pathArgument(parsed[0]!))
            guard let encoding = try fileEncodingArgument(parsed[1]) else { throw badFileTypeError() }
            let result = withoutGIL { Result { () throws(OpenSSLError) in try context.context.useCertificateFile(path, encoding: encoding) } }
            try sslCall { () throws(OpenSSLError) in try result.get() }
            return returnNone()
        }
    }, doc: "use_certificate_file(certfile, filetype=FILETYPE_PEM): load this side's certificate from a file."),

    MethodDef.keywords("use_certificate_chain_file", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "use_certificate_chain_file", "certfile") { object, value in
        mutatingContext(object) { context throws(PythonException) in
            let path = SystemPath(bytes: try pathArgument(value!))
            let result = withoutGIL { Result { () throws(OpenSSLError) in try context.context.useCertificateChainFile(path) } }
            try sslCall { () throws(OpenSSLError) in try result.get() }
            return returnNone()
        }
    } }, doc: "use_certificate_chain_file(certfile): load a PEM certificate followed by its chain."),

    MethodDef.keywords("use_privatekey_file", { object, args, nargs, kwnames in
        mutatingContext(object) { context throws(PythonException) in
            let parsed = try Arguments(args, nargs, kwnames, sigKeyFile)
            let path = SystemPath(bytes: try pathArgument(parsed[0]!))
            guard let encoding = try fileEncodingArgument(parsed[1]) else { throw badFileTypeError() }
            let result = withoutGIL { Result { () throws(OpenSSLError) in try context.context.usePrivateKeyFile(path, encoding: encoding) } }
            if case .failure = result { try context.passphraseProblem.raiseIfSet() }
            try sslCall { () throws(OpenSSLError) in try result.get() }
            return returnNone()
        }
    }, doc: "use_privatekey_file(keyfile, filetype=FILETYPE_PEM): load this side's private key from a file."),

    MethodDef.noArgs("check_privatekey", { object, _ in
        withContext(object) { context throws(PythonException) in
            try sslCall { () throws(OpenSSLError) in try context.context.checkPrivateKey() }
            return returnNone()
        }
    }, doc: "check_privatekey(): raise Error unless the private key matches the certificate."),

    MethodDef.keywords("load_verify_locations", { object, args, nargs, kwnames in
        mutatingContext(object) { context throws(PythonException) in
            let parsed = try Arguments(args, nargs, kwnames, sigLoadVerify)
            let file = try parsed.optional(0).map { (o) throws(PythonException) in SystemPath(bytes: try pathArgument(o)) }
            let directory = try parsed.optional(1).map { (o) throws(PythonException) in SystemPath(bytes: try pathArgument(o)) }
            let result = withoutGIL { Result { () throws(OpenSSLError) in try context.context.loadVerifyLocations(file: file, directory: directory) } }
            try sslCall { () throws(OpenSSLError) in try result.get() }
            return returnNone()
        }
    }, doc: "load_verify_locations(cafile, capath=None): trust the PEM certificates in a file and/or a hashed directory."),

    MethodDef.noArgs("set_default_verify_paths", { object, _ in
        mutatingContext(object) { context throws(PythonException) in
            let result = withoutGIL { Result { () throws(OpenSSLError) in try context.context.setDefaultVerifyPaths() } }
            try sslCall { () throws(OpenSSLError) in try result.get() }
            return returnNone()
        }
    }, doc: "set_default_verify_paths(): trust the system's CA certificates (SSL_CERT_FILE / SSL_CERT_DIR override them)."),

    MethodDef.keywords("set_verify", { object, args, nargs, kwnames in
        mutatingContext(object) { context throws(PythonException) in
            let parsed = try Arguments(args, nargs, kwnames, sigSetVerify)
            guard shim_Long_Check(parsed[0]!) != 0 else { throw typeError("mode must be an integer") }
            let mode = VerifyMode(rawValue: try int32Argument(parsed[0]!, "mode"))
            try installContextVerify(context, mode: mode, callback: parsed.optional(1))
            return returnNone()
        }
    }, doc: "set_verify(mode, callback=None): VERIFY_* bits, and an optional callback(conn, cert, errnum, depth, ok) -> bool."),

    MethodDef.keywords("set_verify_depth", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "set_verify_depth", "depth") { object, value in
        mutatingContext(object) { context throws(PythonException) in
            guard shim_Long_Check(value!) != 0 else { throw typeError("depth must be an integer") }
            context.context.setVerifyDepth(try int32Argument(value!, "depth"))
            return returnNone()
        }
    } }, doc: "set_verify_depth(depth): the longest certificate chain to accept."),

    MethodDef.noArgs("get_verify_mode", { object, _ in
        withStateForGetter(object, ContextState.self, "Context") { context throws(PythonException) in try pyInt(Int(context.context.verifyMode.rawValue)) }
    }, doc: "get_verify_mode() -> int: the VERIFY_* bits in force."),

    MethodDef.noArgs("get_verify_depth", { object, _ in
        withStateForGetter(object, ContextState.self, "Context") { context throws(PythonException) in try pyInt(Int(context.context.verifyDepth)) }
    }, doc: "get_verify_depth() -> int: the longest certificate chain accepted."),

    MethodDef.keywords("set_timeout", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "set_timeout", "timeout") { object, value in
        mutatingContext(object) { context throws(PythonException) in
            guard shim_Long_Check(value!) != 0 else { throw typeError("timeout must be an integer") }
            return try pyInt(context.context.setSessionTimeout(try intArgument(value!, "timeout")))
        }
    } }, doc: "set_timeout(timeout) -> int: the session lifetime in seconds; returns the previous one."),

    MethodDef.noArgs("get_timeout", { object, _ in
        withContext(object) { context throws(PythonException) in try pyInt(context.context.sessionTimeout) }
    }, doc: "get_timeout() -> int: the session lifetime in seconds (300 by default)."),

    MethodDef.keywords("set_app_data", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "set_app_data", "data") { object, value in
        mutatingContext(object) { context throws(PythonException) in
            context.appData.set(value)
            return returnNone()
        }
    } }, doc: "set_app_data(data): keep any object with this context."),

    MethodDef.noArgs("get_app_data", { object, _ in
        withContext(object) { context throws(PythonException) in context.appData.newReferenceOrNone() }
    }, doc: "get_app_data(): the object given to set_app_data(), or None."),

    MethodDef.keywords("set_alpn_protos", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "set_alpn_protos", "protos") { object, value in
        mutatingContext(object) { context throws(PythonException) in
            let protocols = try alpnListArgument(value!)
            try sslCall { () throws(OpenSSLError) in try context.context.setALPNProtocols(protocols) }
            return returnNone()
        }
    } }, doc: "set_alpn_protos(protos: list[bytes]): the protocols a client offers through ALPN, preferred first."),

    MethodDef.keywords("set_session_id", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "set_session_id", "buf") { object, value in
        mutatingContext(object) { context throws(PythonException) in
            let id = try bytesOrTextArgument(value!, label: "buf", typeMessage: "buf must be a byte string")
            try sslCall { () throws(OpenSSLError) in try context.context.setSessionIDContext(id) }
            return returnNone()
        }
    } }, doc: "set_session_id(buf: bytes): the session id context, which scopes session resumption on a server."),

    MethodDef.keywords("set_session_cache_mode", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "set_session_cache_mode", "mode") { object, value in
        mutatingContext(object) { context throws(PythonException) in
            guard shim_Long_Check(value!) != 0 else { throw typeError("mode must be an integer") }
            let mode = SessionCacheMode(rawValue: try intArgument(value!, "mode"))
            return try pyInt(context.context.setSessionCacheMode(mode).rawValue)
        }
    } }, doc: "set_session_cache_mode(mode) -> int: SESS_CACHE_* bits; returns the previous mode."),

    MethodDef.noArgs("get_session_cache_mode", { object, _ in
        withContext(object) { context throws(PythonException) in try pyInt(context.context.sessionCacheMode.rawValue) }
    }, doc: "get_session_cache_mode() -> int: the SESS_CACHE_* bits in force."),

    MethodDef.keywords("set_info_callback", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "set_info_callback", "callback") { object, value in
        mutatingContext(object) { context throws(PythonException) in
            try installContextInfoCallback(context, callback: value!)
            return returnNone()
        }
    } }, doc: "set_info_callback(callback): callback(conn, where, ret) as the handshake changes state."),
]

/// Text for OpenSSL from bytes, refusing NUL (C would silently cut the string there).
func cText(_ bytes: [UInt8], _ name: String) throws(PythonException) -> String {
    if bytes.contains(0) { throw valueError("\(name) must not contain NUL bytes") }
    return String(decoding: bytes, as: UTF8.self)
}

/// A list of protocol names (bytes), as `set_alpn_protos` takes it.
func alpnListArgument(_ object: PyObjectPointer) throws(PythonException) -> [[UInt8]] {
    let truth = PyObject_IsTrue(object)
    if truth < 0 { throw PythonException() }
    if truth == 0 { throw valueError("at least one protocol must be specified") }
    guard let sequence = PySequence_Fast(object, "protos must be a list of bytes") else { throw PythonException() }
    defer { Py_DecRef(sequence) }
    let count = PySequence_Size(sequence)
    if count < 0 { throw PythonException() }
    if count == 0 { throw valueError("at least one protocol must be specified") }
    var protocols: [[UInt8]] = []
    for index in 0..<count {
        guard let item = PySequence_GetItem(sequence, index) else { throw PythonException() }
        defer { Py_DecRef(item) }
        let name = try bytesArgument(item, "expected a bytes-like object, \(typeName(of: item)) found")
        if name.count > 255 { throw valueError("bytes must be in range(0, 256)") }
        protocols.append(name)
    }
    return protocols
}
