@preconcurrency import CPython
import OpenSSLCore

// Context methods beyond pyOpenSSL 26.4: what its users asked for.

private let sigKeyData = Signature("use_privatekey_data", ["data", "passphrase"], required: 1)
private let sigPSKServer = Signature("set_psk_server_callback", ["callback", "identity_hint"], required: 1)

/// Group names from a str ("X25519:P-256") or a sequence of str.
private func groupNames(_ object: PyObjectPointer) throws(PythonException) -> [String] {
    if shim_Unicode_Check(object) != 0 {
        return try swiftString(object).split(separator: ":").map(String.init)
    }
    guard let sequence = PySequence_Fast(object, "groups must be a str or a sequence of str") else { throw PythonException() }
    defer { Py_DecRef(sequence) }
    var names: [String] = []
    for index in 0..<PySequence_Size(sequence) {
        guard let item = PySequence_GetItem(sequence, index) else { throw PythonException() }
        defer { Py_DecRef(item) }
        guard shim_Unicode_Check(item) != 0 else { throw typeError("groups must be a str or a sequence of str") }
        names.append(try swiftString(item))
    }
    return names
}

let contextExtrasMethods: [PyMethodDef] = [
    MethodDef.keywords("set_post_handshake_auth", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "set_post_handshake_auth", "enabled") { object, value in
        mutatingContext(object) { context throws(PythonException) in
            let enabled = PyObject_IsTrue(value!)
            if enabled < 0 { throw PythonException() }
            context.context.setPostHandshakeAuthentication(enabled == 1)
            return returnNone()
        }
    } }, doc: "set_post_handshake_auth(enabled: bool): a TLS 1.3 client offers post-handshake client authentication."),

    MethodDef.keywords("set_groups", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "set_groups", "groups") { object, value in
        mutatingContext(object) { context throws(PythonException) in
            let names = try groupNames(value!)
            if names.isEmpty || names.contains(where: \.isEmpty) { throw valueError("at least one group name must be given") }
            // Try each name alone first, to say which one OpenSSL does not know.
            for name in names {
                do { try context.context.setGroups(name) } catch {
                    throw valueError("unknown key-exchange group '\(name)' (not provided by \(LibraryInfo.versionText(.version)))")
                }
            }
            try sslCall { () throws(OpenSSLError) in try context.context.setGroups(names.joined(separator: ":")) }
            return returnNone()
        }
    } }, doc: "set_groups(groups): key-exchange groups in preference order, e.g. ['X25519', 'P-256'] or 'X25519:P-256'."),

    MethodDef.keywords("load_verify_data", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "load_verify_data", "data") { object, value in
        mutatingContext(object) { context throws(PythonException) in
            let data = try bytesArgument(value!, "data must be bytes")
            try sslCall { () throws(OpenSSLError) in try context.context.loadVerifyData(data) }
            return returnNone()
        }
    } }, doc: "load_verify_data(data: bytes): trust the CA certificates in PEM (one or many) or DER data."),

    MethodDef.keywords("use_certificate_chain_data", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "use_certificate_chain_data", "pem") { object, value in
        mutatingContext(object) { context throws(PythonException) in
            let pem = try bytesArgument(value!, "pem must be bytes")
            try sslCall { () throws(OpenSSLError) in try context.context.useCertificateChain(pem: pem) }
            return returnNone()
        }
    } }, doc: "use_certificate_chain_data(pem: bytes): this side's certificate followed by its chain, from PEM data."),

    MethodDef.keywords("use_privatekey_data", { object, args, nargs, kwnames in
        mutatingContext(object) { context throws(PythonException) in
            let parsed = try Arguments(args, nargs, kwnames, sigKeyData)
            let data = try bytesArgument(parsed[0]!, "data must be bytes")
            let pem = containsPEMMarker(data)
            let passphrase = try PassphraseArgument(parsed.optional(1), fileType: pem ? FileType.pem : FileType.asn1)
            let result = Result { () throws(OpenSSLError) in
                pem ? try PrivateKey(pem: data, passphrase: passphrase.source) : try PrivateKey(der: data)
            }
            try passphrase.raiseIfProblem()
            let key = try sslCall { () throws(OpenSSLError) in try result.get() }
            try sslCall { () throws(OpenSSLError) in try context.context.usePrivateKey(key) }
            return returnNone()
        }
    }, doc: "use_privatekey_data(data: bytes, passphrase=None): this side's private key from PEM or DER data."),

    MethodDef.keywords("set_client_hello_callback", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "set_client_hello_callback", "callback") { object, value in
        mutatingContext(object) { context throws(PythonException) in
            if value == pyNone {
                context.slots.set(.clientHello, nil)
                context.context.setClientHelloCallback(nil)
                return returnNone()
            }
            try requireCallable(value!)
            context.slots.set(.clientHello, value)
            context.context.setClientHelloCallback { connection, hello in
                withContextCallback(connection, .clientHello, fallback: false) { state, callback throws(PythonException) in
                    let result = try callOrThrow(callback, [shim_NewRef(state.pythonObject)!, try clientHelloObject(hello)])
                    defer { Py_DecRef(result) }
                    return result != shim_False()
                }
            }
            return returnNone()
        }
    } }, doc: "set_client_hello_callback(callback): callback(conn, hello) inspects the ClientHello; returning False aborts."),

    MethodDef.keywords("set_psk_client_callback", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "set_psk_client_callback", "callback") { object, value in
        mutatingContext(object) { context throws(PythonException) in
            if value == pyNone {
                context.slots.set(.pskClient, nil)
                context.context.setPSKClientCallback(nil)
                return returnNone()
            }
            try requireCallable(value!)
            context.slots.set(.pskClient, value)
            context.context.setPSKClientCallback { connection, hint in
                withContextCallback(connection, .pskClient, fallback: (identity: [], key: [])) { _, callback throws(PythonException) in
                    let hintObject = try hint.map { (h) throws(PythonException) in try pyString(h) } ?? returnNone()
                    let result = try callOrThrow(callback, [hintObject])
                    defer { Py_DecRef(result) }
                    guard shim_Tuple_Check(result) != 0, PyTuple_Size(result) == 2,
                          let identity = PyTuple_GetItem(result, 0), let key = PyTuple_GetItem(result, 1) else {
                        throw typeError("PSK client callback must return (identity: str | None, psk: bytes)")
                    }
                    let identityBytes = identity == pyNone ? [] : Array(try textArgument(
                        identity, "the PSK client callback's identity must be str or None").utf8)
                    return (identity: identityBytes, key: try bytesArgument(key, "psk must be bytes"))
                }
            }
            return returnNone()
        }
    } }, doc: "set_psk_client_callback(callback): callback(hint: str | None) -> (identity: str | None, psk: bytes)."),

    MethodDef.keywords("set_psk_server_callback", { object, args, nargs, kwnames in
        mutatingContext(object) { context throws(PythonException) in
            let parsed = try Arguments(args, nargs, kwnames, sigPSKServer)
            let hint = try parsed.optional(1).map { (h) throws(PythonException) -> String in
                let text = try textArgument(h, "set_psk_server_callback() argument 'identity_hint' must be str or None")
                if text.contains("\0") { throw valueError("identity_hint must not contain NUL characters") }
                return text
            }
            if parsed[0] == pyNone {
                context.slots.set(.pskServer, nil)
                try sslCall { () throws(OpenSSLError) in try context.context.setPSKServerCallback(nil, identityHint: hint) }
                return returnNone()
            }
            try requireCallable(parsed[0]!)
            context.slots.set(.pskServer, parsed[0])
            try sslCall { () throws(OpenSSLError) in
                try context.context.setPSKServerCallback({ connection, identity in
                    withContextCallback(connection, .pskServer, fallback: []) { _, callback throws(PythonException) in
                        let identityObject = try identity.map { (i) throws(PythonException) in try pyString(i) } ?? returnNone()
                        let result = try callOrThrow(callback, [identityObject])
                        defer { Py_DecRef(result) }
                        return try bytesArgument(result, "PSK server callback must return bytes")
                    }
                }, identityHint: hint)
            }
            return returnNone()
        }
    }, doc: "set_psk_server_callback(callback, identity_hint=None): callback(identity: str | None) -> psk bytes (b'' refuses)."),
]

/// A `ClientHello` Python object for a core one.
private func clientHelloObject(_ hello: ClientHello) throws(PythonException) -> PyObjectPointer {
    func ints(_ values: [Int]) throws(PythonException) -> PyObjectPointer {
        var items: [PyObjectPointer] = []
        for value in values { items.append(try pyInt(value)) }
        return try pyList(items)
    }
    var protocols: [PyObjectPointer] = []
    for name in hello.alpnProtocols { protocols.append(try pyBytes(name)) }
    let serverName = try hello.serverName.map { (n) throws(PythonException) in try pyString(n) } ?? returnNone()
    return try callOrThrow(CryptoSupport.clientHello, [
        try pyInt(hello.legacyVersion), try ints(hello.supportedVersions), try ints(hello.cipherSuites),
        try ints(hello.extensions), serverName, try pyList(protocols),
    ])
}
