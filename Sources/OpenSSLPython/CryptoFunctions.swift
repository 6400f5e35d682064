@preconcurrency import CPython
import OpenSSLCore

private let sigLoadCertificate = Signature("load_certificate", ["type", "buffer"], required: 2)
private let sigDumpCertificate = Signature("dump_certificate", ["type", "cert"], required: 2)
private let sigLoadPrivateKey = Signature("load_privatekey", ["type", "buffer", "passphrase"], required: 2)
private let sigDumpPrivateKey = Signature("dump_privatekey", ["type", "pkey", "cipher", "passphrase"], required: 2)
private let sigLoadPublicKey = Signature("load_publickey", ["type", "buffer"], required: 2)
private let sigDumpPublicKey = Signature("dump_publickey", ["type", "pkey"], required: 2)
private let sigRandAdd = Signature("add", ["buffer", "entropy"], required: 2)

/// Runs `body` over the bytes to parse, borrowed (never copied: the input
/// may be large): bytes, str (ASCII) as pyOpenSSL allows, or None as empty.
private func withParseBuffer<R>(_ object: PyObjectPointer,
                                _ body: (UnsafeRawBufferPointer) throws(PythonException) -> R) throws(PythonException) -> R {
    if object == pyNone { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
    var owned: PyObjectPointer?
    if shim_Unicode_Check(object) != 0 {
        guard let encoded = PyUnicode_AsASCIIString(object) else { throw PythonException() }
        owned = encoded
    } else if shim_Bytes_Check(object) == 0 {
        throw typeError("buffer must be bytes, not \(typeName(of: object))")
    }
    defer { owned.map { Py_DecRef($0) } }
    let bytes = owned ?? object
    return try body(UnsafeRawBufferPointer(start: PyBytes_AsString(bytes), count: PyBytes_Size(bytes)))
}

private func fileTypeArgument(_ object: PyObjectPointer) throws(PythonException) -> Int {
    guard shim_Long_Check(object) != 0 else { return -1 }
    let value = PyLong_AsLong(object)
    if value == -1, PyErr_Occurred() != nil { PyErr_Clear() }
    return value
}

private let pemOrASN1Only = "type argument must be FILETYPE_PEM or FILETYPE_ASN1"
private let pemASN1OrText = "type argument must be FILETYPE_PEM, FILETYPE_ASN1, or FILETYPE_TEXT"

let cryptoFunctions: [PyMethodDef] = [
    MethodDef.keywords("load_certificate", { _, args, nargs, kwnames in
        pythonCall { () throws(PythonException) in
            let parsed = try Arguments(args, nargs, kwnames, sigLoadCertificate)
            let certificate = try withParseBuffer(parsed[1]!) { (buffer) throws(PythonException) -> Certificate in
                switch try fileTypeArgument(parsed[0]!) {
                case FileType.pem: return try cryptoCall { () throws(OpenSSLError) in try Certificate(pem: buffer) }
                case FileType.asn1: return try cryptoCall { () throws(OpenSSLError) in try Certificate(der: buffer) }
                default: throw valueError(pemOrASN1Only)
                }
            }
            return try makeX509(certificate)
        }
    }, doc: "load_certificate(type, buffer) -> X509: parse a PEM or DER certificate."),

    MethodDef.keywords("dump_certificate", { _, args, nargs, kwnames in
        pythonCall { () throws(PythonException) in
            let parsed = try Arguments(args, nargs, kwnames, sigDumpCertificate)
            guard isInstance(parsed[1]!, of: X509Type.type) else { throw missingAttribute(parsed[1]!, "_x509") }
            let certificate = try state(of: parsed[1], CertificateState.self).certificate
            let encoded: [UInt8]
            switch try fileTypeArgument(parsed[0]!) {
            case FileType.pem: encoded = certificate.pemBytes
            case FileType.asn1: encoded = certificate.derBytes
            case FileType.text: encoded = certificate.textDump
            default: throw valueError(pemASN1OrText)
            }
            // An incomplete certificate cannot be encoded: OpenSSL's error.
            if encoded.isEmpty { throw raiseOpenSSLError(OpenSSLError.drainQueue(), as: CryptoExceptions.error) }
            return try pyBytes(encoded)
        }
    }, doc: "dump_certificate(type, cert) -> bytes: PEM, DER, or text like `openssl x509 -text`."),

    MethodDef.keywords("load_privatekey", { _, args, nargs, kwnames in
        pythonCall { () throws(PythonException) in
            let parsed = try Arguments(args, nargs, kwnames, sigLoadPrivateKey)
            let key = try withParseBuffer(parsed[1]!) { (buffer) throws(PythonException) -> PrivateKey in
                let fileType = try fileTypeArgument(parsed[0]!)
                let passphrase = try PassphraseArgument(parsed.optional(2), fileType: fileType)
                switch fileType {
                case FileType.pem:
                    let result = Result { () throws(OpenSSLError) in try PrivateKey(pem: buffer, passphrase: passphrase.source) }
                    try passphrase.raiseIfProblem()
                    return try cryptoCall { () throws(OpenSSLError) in try result.get() }
                case FileType.asn1:
                    return try cryptoCall { () throws(OpenSSLError) in try PrivateKey(der: buffer) }
                default:
                    throw valueError(pemOrASN1Only)
                }
            }
            return try makeInstance(of: PKeyType.type, state: KeyState(key))
        }
    }, doc: "load_privatekey(type, buffer, passphrase=None) -> PKey; passphrase is bytes or a callable."),

    MethodDef.keywords("_dump_privatekey", { _, args, nargs, kwnames in
        pythonCall { () throws(PythonException) in
            let parsed = try Arguments(args, nargs, kwnames, sigDumpPrivateKey)
            guard isInstance(parsed[1]!, of: PKeyType.type) else { throw typeError("pkey must be a PKey") }
            let key = try state(of: parsed[1], KeyState.self).key
            var cipher: String?
            if let cipherObject = parsed.optional(2) {
                if parsed.optional(3) == nil {
                    throw typeError("if a value is given for cipher one must also be given for passphrase")
                }
                cipher = try swiftString(cipherObject)
                guard PrivateKey.isKnownCipher(cipher!) else { throw valueError("Invalid cipher name") }
            }
            let fileType = try fileTypeArgument(parsed[0]!)
            let passphrase = try PassphraseArgument(parsed.optional(3), fileType: fileType)
            switch fileType {
            case FileType.pem:
                let result = Result { () throws(OpenSSLError) in try key.pemBytes(cipher: cipher, passphrase: passphrase.source) }
                try passphrase.raiseIfProblem()
                return try pyBytes(try cryptoCall { () throws(OpenSSLError) in try result.get() })
            case FileType.asn1:
                return try pyBytes(try cryptoCall { () throws(OpenSSLError) in try key.derBytes() })
            case FileType.text:
                if key.typeID != PrivateKey.KeyType.rsa { throw typeError("Only RSA keys are supported for FILETYPE_TEXT") }
                return try pyBytes(try cryptoCall { () throws(OpenSSLError) in try key.textDump() })
            default:
                throw valueError(pemASN1OrText)
            }
        }
    }, doc: "dump_privatekey(type, pkey, cipher=None, passphrase=None) -> bytes. Deprecated."),

    MethodDef.keywords("load_publickey", { _, args, nargs, kwnames in
        pythonCall { () throws(PythonException) in
            let parsed = try Arguments(args, nargs, kwnames, sigLoadPublicKey)
            let key = try withParseBuffer(parsed[1]!) { (buffer) throws(PythonException) -> PrivateKey in
                switch try fileTypeArgument(parsed[0]!) {
                case FileType.pem: return try cryptoCall { () throws(OpenSSLError) in try PrivateKey.publicKey(pem: buffer) }
                case FileType.asn1: return try cryptoCall { () throws(OpenSSLError) in try PrivateKey.publicKey(der: buffer) }
                default: throw valueError(pemOrASN1Only)
                }
            }
            return try makeInstance(of: PKeyType.type, state: KeyState(key))
        }
    }, doc: "load_publickey(type, buffer) -> PKey: parse a PEM or DER public key."),

    MethodDef.keywords("dump_publickey", { _, args, nargs, kwnames in
        pythonCall { () throws(PythonException) in
            let parsed = try Arguments(args, nargs, kwnames, sigDumpPublicKey)
            guard isInstance(parsed[1]!, of: PKeyType.type) else { throw missingAttribute(parsed[1]!, "_pkey") }
            let key = try state(of: parsed[1], KeyState.self).key
            switch try fileTypeArgument(parsed[0]!) {
            case FileType.pem: return try pyBytes(try cryptoCall { () throws(OpenSSLError) in try key.publicPEMBytes() })
            case FileType.asn1: return try pyBytes(try cryptoCall { () throws(OpenSSLError) in try key.publicDERBytes() })
            default: throw valueError(pemOrASN1Only)
            }
        }
    }, doc: "dump_publickey(type, pkey) -> bytes: the public key as PEM or DER."),

    MethodDef.noArgs("get_elliptic_curves", { _, _ in
        pythonCall { () throws(PythonException) in
            try warnDeprecated("get_elliptic_curves is deprecated. You should use the APIs in cryptography instead.")
            return try ellipticCurveSet()
        }
    }, doc: "get_elliptic_curves() -> set: the named curves OpenSSL implements. Deprecated."),

    MethodDef.keywords("get_elliptic_curve", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "get_elliptic_curve", "name") { _, name in
        pythonCall { () throws(PythonException) in
            try warnDeprecated("get_elliptic_curve is deprecated. You should use the APIs in cryptography instead.")
            // Compared by value, as pyOpenSSL does: anything but a known name is a ValueError.
            let wanted = shim_Unicode_Check(name!) != 0 ? try swiftString(name!) : nil
            let curves = try ellipticCurveSet()
            defer { Py_DecRef(curves) }
            guard let iterator = PyObject_GetIter(curves) else { throw PythonException() }
            defer { Py_DecRef(iterator) }
            while let curve = PyIter_Next(iterator) {
                if let curveName = PyObject_GetAttrString(curve, "name") {
                    defer { Py_DecRef(curveName) }
                    if wanted != nil, (try? swiftString(curveName)) == wanted { return curve }
                }
                Py_DecRef(curve)
            }
            if PyErr_Occurred() != nil { throw PythonException() }
            let args = try pyTuple([try pyString("unknown curve name"), shim_NewRef(name!)])
            PyErr_SetObject(PyExc_ValueError, args)
            Py_DecRef(args)
            throw PythonException()
        }
    } }, doc: "get_elliptic_curve(name): one named curve. Deprecated."),

    MethodDef.keywords("_rand_add", { _, args, nargs, kwnames in
        pythonCall { () throws(PythonException) in
            let parsed = try Arguments(args, nargs, kwnames, sigRandAdd)
            let buffer = try bytesArgument(parsed[0]!, "buffer must be a byte string")
            guard shim_Long_Check(parsed[1]!) != 0 else { throw typeError("entropy must be an integer") }
            RandomGenerator.add(buffer, entropy: PyFloat_AsDouble(parsed[1]!))
            return returnNone()
        }
    }, doc: "_rand_add(buffer, entropy): mix bytes into OpenSSL's random generator."),

    MethodDef.noArgs("_rand_status", { _, _ in
        pythonCall { () throws(PythonException) in try pyInt(RandomGenerator.isSeeded ? 1 : 0) }
    }, doc: "_rand_status() -> int: 1 if the random generator is seeded."),

    MethodDef.oneArg("__getattr__", { module, name in
        pythonCall { () throws(PythonException) in
            // dump_privatekey warns on access, as pyOpenSSL's module does.
            if PyUnicode_CompareWithASCIIString(name, "dump_privatekey") == 0 {
                try warnDeprecated("dump_privatekey is deprecated. You should use the APIs in cryptography.")
                guard let function = PyObject_GetAttrString(module, "_dump_privatekey") else { throw PythonException() }
                return function
            }
            if PyUnicode_CompareWithASCIIString(name, "PassphraseCallableT") == 0 {
                return try CryptoSupport.call("passphrase_callable_type", [])
            }
            guard let value = privateBindingAttribute(name!) else { throw PythonException() }
            return value
        }
    }, doc: nil),

    // dir() lists what __getattr__ serves, as pyOpenSSL's module lists them.
    MethodDef.noArgs("__dir__", { module, _ in
        pythonCall { () throws(PythonException) in
            guard let names = PyObject_GetAttrString(module, "__dict__").map({ dict in
                defer { Py_DecRef(dict) }
                return PySequence_List(dict)
            }) ?? nil else { throw PythonException() }
            for extra in ["dump_privatekey", "PassphraseCallableT"] {
                let name = try pyString(extra)
                defer { Py_DecRef(name) }
                if PyList_Append(names, name) < 0 { Py_DecRef(names); throw PythonException() }
            }
            return names
        }
    }, doc: nil),
]

/// `_lib` and `_ffi`, which code written against pyOpenSSL's internals
/// reaches for: the constants-only stand-ins of `OpenSSL._util`, imported on
/// first use so `import OpenSSL.SSL` stays fast. `OpenSSL.crypto` finds them
/// through its module `__getattr__` (it has one anyway, as pyOpenSSL's has);
/// `OpenSSL.SSL` holds placeholders instead (`addPrivateBindingPlaceholders`).
private func privateBindingAttribute(_ name: PyObjectPointer) -> PyObjectPointer? {
    pythonCall { () throws(PythonException) in
        for (attribute, source) in [("_lib", "lib"), ("_ffi", "ffi")] where PyUnicode_CompareWithASCIIString(name, attribute) == 0 {
            guard let util = PyImport_ImportModule("OpenSSL._util") else { throw PythonException() }
            defer { Py_DecRef(util) }
            guard let value = PyObject_GetAttrString(util, source) else { throw PythonException() }
            return value
        }
        throw raise(PyExc_AttributeError, "module 'OpenSSL.crypto' has no attribute '\((try? swiftString(name)) ?? "?")'")
    }
}

nonisolated(unsafe) private var curveCache: PyObjectPointer?

/// A new reference to the (cached) frozen set of curve objects.
private func ellipticCurveSet() throws(PythonException) -> PyObjectPointer {
    if let curveCache { return shim_NewRef(curveCache) }
    var curves: [PyObjectPointer] = []
    for (nid, name) in EllipticCurves.all {
        guard let curve = callPython(CryptoSupport.ellipticCurve, [try pyInt(Int(nid)), try pyString(name)]) else {
            curves.forEach { Py_DecRef($0) }
            throw PythonException()
        }
        curves.append(curve)
    }
    let list = try pyList(curves)
    defer { Py_DecRef(list) }
    guard let set = PySet_New(list) else { throw PythonException() }
    curveCache = set
    return shim_NewRef(set)
}
