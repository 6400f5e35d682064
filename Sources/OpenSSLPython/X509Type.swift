@preconcurrency import CPython
import OpenSSLCore

/// `OpenSSL.crypto.X509`: an X.509 certificate.
enum X509Type {
    nonisolated(unsafe) static var type: OpaquePointer!

    static func register(in module: PyObjectPointer) throws(PythonException) {
        guard let made = makeType(name: "OpenSSL.crypto.X509", doc: "X509(): an X.509 certificate.",
                                  methods: x509Methods, getters: x509Getters, initializer: initialize)
        else { throw PythonException() }
        type = made
        if PyModule_AddObjectRef(module, "X509", typeObject(made)) < 0 { throw PythonException() }
    }

    private static let initialize: InitFunction = { object, args, kwargs in
        pythonStatusCall { () throws(PythonException) in
            if (args.map { PyTuple_Size($0) } ?? 0) > 0 || (kwargs.map { PyDict_Size($0) } ?? 0) > 0 {
                throw typeError("X509() takes no arguments")
            }
            let certificate = try cryptoCall { () throws(OpenSSLError) in try Certificate() }
            setState(of: object!, CertificateState(certificate))
        }
    }

    /// `_x509`: present (and not None) as in pyOpenSSL, which some libraries
    /// probe for; it hands out no pointer, only the object itself.
    nonisolated(unsafe) private static let x509Getters = [
        PyGetSetDef(name: cString("_x509"), get: { object, _ in
            withState(object, CertificateState.self) { _ in shim_NewRef(object!) }
        }, set: nil, doc: nil, closure: nil),
    ]
}

private func deprecatedBuilder(_ method: String) throws(PythonException) {
    try warnDeprecated("X509.\(method) is deprecated. You should use cryptography's CertificateBuilder instead.")
}

private func integerValue(_ object: PyObjectPointer, _ message: String) throws(PythonException) -> Int {
    guard shim_Long_Check(object) != 0 else { throw typeError(message) }
    let value = PyLong_AsSsize_t(object)
    if value == -1, PyErr_Occurred() != nil { throw PythonException() }
    return value
}

/// Reads a name field, wrapping it (a live view) in an `X509Name`.
private func nameResult(_ name: DistinguishedName) throws(PythonException) -> PyObjectPointer {
    try makeInstance(of: X509NameType.type, state: NameState(name))
}

private func timeResult(_ text: [UInt8]?) throws(PythonException) -> PyObjectPointer {
    guard let text else { return returnNone() }
    return try pyBytes(text)
}

private func setTime(_ object: PyObjectPointer?, _ value: PyObjectPointer?, method: String,
                     _ setter: (Certificate, [UInt8]) -> Bool) -> PyObjectPointer? {
    withState(object, CertificateState.self) { state throws(PythonException) in
        try deprecatedBuilder(method)
        let text = try bytesArgument(value!, "when must be a byte string")
        if !setter(state.certificate, text) { throw valueError("Invalid string") }
        return returnNone()
    }
}

private let sigSign = Signature("sign", ["pkey", "digest"], required: 2)
private let sigFromCryptography = Signature("from_cryptography", ["crypto_cert"], required: 1)

let x509Methods: [PyMethodDef] = [
    MethodDef.noArgs("to_cryptography", { object, _ in
        withState(object, CertificateState.self) { state throws(PythonException) in
            let der = try cryptoCall { () throws(OpenSSLError) in try state.certificate.encodedDER() }
            return try CryptoSupport.call("load_certificate_der", [try pyBytes(der)])
        }
    }, doc: "to_cryptography() -> cryptography.x509.Certificate"),

    MethodDef.classKeywords("from_cryptography", { cls, args, nargs, kwnames in
        pythonCall { () throws(PythonException) in
            let parsed = try Arguments(args, nargs, kwnames, sigFromCryptography)
            let der = try CryptoSupport.call("certificate_der", [shim_NewRef(parsed[0]!)])
            defer { Py_DecRef(der) }
            let certificate = try cryptoCall { () throws(OpenSSLError) in try Certificate(der: swiftBytes(der)) }
            return try makeInstance(of: OpaquePointer(cls!), state: CertificateState(certificate))
        }
    }, doc: "from_cryptography(crypto_cert) -> X509"),

    MethodDef.keywords("set_version", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "set_version", "version") { object, value in
        withState(object, CertificateState.self) { state throws(PythonException) in
            try deprecatedBuilder("set_version")
            let version = try integerValue(value!, "version must be an integer")
            try cryptoCall { () throws(OpenSSLError) in try state.certificate.setVersion(version) }
            return returnNone()
        }
    } }, doc: "set_version(version): the zero-based version (2 is X.509 v3). Deprecated."),

    MethodDef.noArgs("get_version", { object, _ in
        withState(object, CertificateState.self) { state throws(PythonException) in try pyInt(state.certificate.version) }
    }, doc: "get_version() -> int: the zero-based version."),

    MethodDef.noArgs("get_pubkey", { object, _ in
        withState(object, CertificateState.self) { state throws(PythonException) in
            let key = try cryptoCall { () throws(OpenSSLError) in try state.certificate.publicKey() }
            return try makeInstance(of: PKeyType.type, state: KeyState(key))
        }
    }, doc: "get_pubkey() -> PKey: the certificate's public key."),

    MethodDef.keywords("set_pubkey", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "set_pubkey", "pkey") { object, value in
        withState(object, CertificateState.self) { state throws(PythonException) in
            try deprecatedBuilder("set_pubkey")
            guard isInstance(value!, of: PKeyType.type) else { throw typeError("pkey must be a PKey instance") }
            let key = try OpenSSLPython.state(of: value, KeyState.self).key
            try cryptoCall { () throws(OpenSSLError) in try state.certificate.setPublicKey(key) }
            return returnNone()
        }
    } }, doc: "set_pubkey(pkey). Deprecated."),

    MethodDef.keywords("sign", { object, args, nargs, kwnames in
        withState(object, CertificateState.self) { state throws(PythonException) in
            try deprecatedBuilder("sign")
            let parsed = try Arguments(args, nargs, kwnames, sigSign)
            guard isInstance(parsed[0]!, of: PKeyType.type) else { throw typeError("pkey must be a PKey instance") }
            let keyState = try OpenSSLPython.state(of: parsed[0], KeyState.self)
            if keyState.key.isPublicOnly { throw valueError("Key only has public part") }
            if !keyState.initialized { throw valueError("Key is uninitialized") }
            guard shim_Unicode_Check(parsed[1]!) != 0 else { throw missingAttribute(parsed[1]!, "encode") }
            let digest = try swiftString(parsed[1]!)
            guard Certificate.isKnownDigest(digest) else { throw valueError("No such digest method") }
            try cryptoCall { () throws(OpenSSLError) in try state.certificate.sign(with: keyState.key, digest: digest) }
            return returnNone()
        }
    }, doc: "sign(pkey, digest): sign with a private key and a digest name ('sha256'). Deprecated."),

    MethodDef.noArgs("get_signature_algorithm", { object, _ in
        withState(object, CertificateState.self) { state throws(PythonException) in
            guard let name = state.certificate.signatureAlgorithm else { throw valueError("Undefined signature algorithm") }
            return try pyBytes(name)
        }
    }, doc: "get_signature_algorithm() -> bytes, e.g. b'sha256WithRSAEncryption'."),

    MethodDef.keywords("digest", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "digest", "digest_name") { object, value in
        withState(object, CertificateState.self) { state throws(PythonException) in
            guard shim_Unicode_Check(value!) != 0 else { throw missingAttribute(value!, "encode") }
            let name = try swiftString(value!)
            guard let digest = try cryptoCall({ () throws(OpenSSLError) in try state.certificate.fingerprint(name) }) else {
                throw valueError("No such digest method")
            }
            let hex = digest.map { byte -> String in
                let text = String(byte, radix: 16, uppercase: true)
                return text.count == 1 ? "0" + text : text
            }
            return try pyBytes(hex.joined(separator: ":"))
        }
    } }, doc: "digest(digest_name) -> bytes: the fingerprint as b'AB:CD:...'."),

    MethodDef.noArgs("subject_name_hash", { object, _ in
        withState(object, CertificateState.self) { state throws(PythonException) in
            try pyUnsigned(UInt64(state.certificate.subjectNameHash))
        }
    }, doc: "subject_name_hash() -> int: OpenSSL's hash of the subject."),

    MethodDef.keywords("set_serial_number", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "set_serial_number", "serial") { object, value in
        withState(object, CertificateState.self) { state throws(PythonException) in
            try deprecatedBuilder("set_serial_number")
            guard shim_Long_Check(value!) != 0 else { throw typeError("serial must be an integer") }
            guard let hexObject = PyNumber_ToBase(value!, 16) else { throw PythonException() }
            defer { Py_DecRef(hexObject) }
            var hex = try swiftString(hexObject)
            let negative = hex.hasPrefix("-")
            hex = String(hex.drop(while: { $0 == "-" }).dropFirst(2))
            let text = (negative ? "-" : "") + hex
            try cryptoCall { () throws(OpenSSLError) in try state.certificate.setSerialNumber(hex: text) }
            return returnNone()
        }
    } }, doc: "set_serial_number(serial). Deprecated."),

    MethodDef.noArgs("get_serial_number", { object, _ in
        withState(object, CertificateState.self) { state throws(PythonException) in
            guard let number = PyLong_FromString(state.certificate.serialNumberHex, nil, 16) else { throw PythonException() }
            return number
        }
    }, doc: "get_serial_number() -> int"),

    MethodDef.keywords("gmtime_adj_notAfter", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "gmtime_adj_notAfter", "amount") { object, value in
        withState(object, CertificateState.self) { state throws(PythonException) in
            try deprecatedBuilder("gmtime_adj_notAfter")
            state.certificate.adjustNotAfter(secondsFromNow: try integerValue(value!, "amount must be an integer"))
            return returnNone()
        }
    } }, doc: "gmtime_adj_notAfter(amount): end of validity = now + amount seconds. Deprecated."),

    MethodDef.keywords("gmtime_adj_notBefore", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "gmtime_adj_notBefore", "amount") { object, value in
        withState(object, CertificateState.self) { state throws(PythonException) in
            try deprecatedBuilder("gmtime_adj_notBefore")
            state.certificate.adjustNotBefore(secondsFromNow: try integerValue(value!, "amount must be an integer"))
            return returnNone()
        }
    } }, doc: "gmtime_adj_notBefore(amount): start of validity = now + amount seconds. Deprecated."),

    MethodDef.noArgs("has_expired", { object, _ in
        withState(object, CertificateState.self) { state throws(PythonException) in
            guard let expired = state.certificate.hasExpired else { throw valueError("Unable to determine notAfter") }
            return pyBool(expired)
        }
    }, doc: "has_expired() -> bool"),

    MethodDef.noArgs("get_notBefore", { object, _ in
        withState(object, CertificateState.self) { state throws(PythonException) in try timeResult(state.certificate.notBefore) }
    }, doc: "get_notBefore() -> bytes | None: start of validity as b'YYYYMMDDhhmmssZ'."),

    MethodDef.noArgs("get_notAfter", { object, _ in
        withState(object, CertificateState.self) { state throws(PythonException) in try timeResult(state.certificate.notAfter) }
    }, doc: "get_notAfter() -> bytes | None: end of validity as b'YYYYMMDDhhmmssZ'."),

    MethodDef.keywords("set_notBefore", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "set_notBefore", "when") { object, value in
        setTime(object, value, method: "set_notBefore") { $0.setNotBefore($1) }
    } }, doc: "set_notBefore(when: bytes). Deprecated."),

    MethodDef.keywords("set_notAfter", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "set_notAfter", "when") { object, value in
        setTime(object, value, method: "set_notAfter") { $0.setNotAfter($1) }
    } }, doc: "set_notAfter(when: bytes). Deprecated."),

    MethodDef.noArgs("get_issuer", { object, _ in
        withState(object, CertificateState.self) { state throws(PythonException) in
            try warnDeprecated("X509.get_issuer is deprecated. You should use cryptography's X.509 APIs instead.")
            return try nameResult(state.certificate.issuer)
        }
    }, doc: "get_issuer() -> X509Name: a live view of the issuer. Deprecated."),

    MethodDef.keywords("set_issuer", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "set_issuer", "issuer") { object, value in
        withState(object, CertificateState.self) { state throws(PythonException) in
            try deprecatedBuilder("set_issuer")
            guard isInstance(value!, of: X509NameType.type) else { throw typeError("name must be an X509Name") }
            let name = try OpenSSLPython.state(of: value, NameState.self).name
            try cryptoCall { () throws(OpenSSLError) in try state.certificate.setIssuer(name) }
            return returnNone()
        }
    } }, doc: "set_issuer(issuer: X509Name). Deprecated."),

    MethodDef.noArgs("get_subject", { object, _ in
        withState(object, CertificateState.self) { state throws(PythonException) in
            try warnDeprecated("X509.get_subject is deprecated. You should use cryptography's X.509 APIs instead.")
            return try nameResult(state.certificate.subject)
        }
    }, doc: "get_subject() -> X509Name: a live view of the subject. Deprecated."),

    MethodDef.keywords("set_subject", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "set_subject", "subject") { object, value in
        withState(object, CertificateState.self) { state throws(PythonException) in
            try deprecatedBuilder("set_subject")
            guard isInstance(value!, of: X509NameType.type) else { throw typeError("name must be an X509Name") }
            let name = try OpenSSLPython.state(of: value, NameState.self).name
            try cryptoCall { () throws(OpenSSLError) in try state.certificate.setSubject(name) }
            return returnNone()
        }
    } }, doc: "set_subject(subject: X509Name). Deprecated."),

    MethodDef.noArgs("get_extension_count", { object, _ in
        withState(object, CertificateState.self) { state throws(PythonException) in try pyInt(state.certificate.extensionCount) }
    }, doc: "get_extension_count() -> int"),
]
