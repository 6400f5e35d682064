@preconcurrency import CPython
import OpenSSLCore

/// `OpenSSL.crypto.PKey`: a key pair or a public key.
enum PKeyType {
    nonisolated(unsafe) static var type: OpaquePointer!

    static func register(in module: PyObjectPointer) throws(PythonException) {
        guard let made = makeType(name: "OpenSSL.crypto.PKey", doc: "PKey(): an RSA, DSA, EC, Ed25519 or Ed448 key.",
                                  methods: pkeyMethods, initializer: initialize)
        else { throw PythonException() }
        type = made
        if PyModule_AddObjectRef(module, "PKey", typeObject(made)) < 0 { throw PythonException() }
    }

    private static let initialize: InitFunction = { object, args, kwargs in
        pythonStatusCall { () throws(PythonException) in
            if (args.map { PyTuple_Size($0) } ?? 0) > 0 || (kwargs.map { PyDict_Size($0) } ?? 0) > 0 {
                throw typeError("PKey() takes no arguments")
            }
            let key = try cryptoCall { () throws(OpenSSLError) in try PrivateKey.empty() }
            setState(of: object!, KeyState(key, initialized: false))
        }
    }
}

private let sigGenerate = Signature("generate_key", ["type", "bits"], required: 2)
private let sigFromKey = Signature("from_cryptography_key", ["crypto_key"], required: 1)

let pkeyMethods: [PyMethodDef] = [
    MethodDef.noArgs("to_cryptography_key", { object, _ in
        withState(object, KeyState.self) { state throws(PythonException) in
            let key = state.key
            if key.isPublicOnly {
                let der = try cryptoCall { () throws(OpenSSLError) in try key.publicDERBytes() }
                return try CryptoSupport.call("load_public_key_der", [try pyBytes(der)])
            }
            let der = try cryptoCall { () throws(OpenSSLError) in try key.pkcs8DERBytes() }
            return try CryptoSupport.call("load_private_key_der", [try pyBytes(der)])
        }
    }, doc: "to_cryptography_key(): the key as a cryptography key object."),

    MethodDef.classKeywords("from_cryptography_key", { cls, args, nargs, kwnames in
        pythonCall { () throws(PythonException) in
            let parsed = try Arguments(args, nargs, kwnames, sigFromKey)
            let key = try cryptographyKeyArgument(parsed[0]!)
            return try makeInstance(of: OpaquePointer(cls!), state: KeyState(key))
        }
    }, doc: "from_cryptography_key(crypto_key) -> PKey"),

    MethodDef.keywords("generate_key", { object, args, nargs, kwnames in
        withState(object, KeyState.self) { state throws(PythonException) in
            try warnDeprecated("PKey.generate_key is deprecated. You should use the key generation APIs in cryptography instead.")
            let parsed = try Arguments(args, nargs, kwnames, sigGenerate)
            guard shim_Long_Check(parsed[0]!) != 0 else { throw typeError("type must be an integer") }
            guard shim_Long_Check(parsed[1]!) != 0 else { throw typeError("bits must be an integer") }
            var overflow: Int32 = 0
            let keyType = PyLong_AsLongAndOverflow(parsed[0]!, &overflow)
            if overflow != 0 { throw raise(CryptoExceptions.error, "No such key type") }
            let bits = Int(try int32Argument(parsed[1]!, "bits"))
            let result: Result<PrivateKey, OpenSSLError>
            switch Int32(truncatingIfNeeded: keyType) {
            case PrivateKey.KeyType.rsa where keyType == Int(PrivateKey.KeyType.rsa):
                if bits <= 0 { throw valueError("Invalid number of bits") }
                result = withoutGIL { Result { () throws(OpenSSLError) in try PrivateKey.generateRSA(bits: bits) } }
            case PrivateKey.KeyType.dsa where keyType == Int(PrivateKey.KeyType.dsa):
                result = withoutGIL { Result { () throws(OpenSSLError) in try PrivateKey.generateDSA(bits: bits) } }
            default:
                throw raise(CryptoExceptions.error, "No such key type")
            }
            state.key = try cryptoCall { () throws(OpenSSLError) in try result.get() }
            state.initialized = true
            return returnNone()
        }
    }, doc: "generate_key(type, bits): make a new TYPE_RSA or TYPE_DSA key in place. Deprecated."),

    MethodDef.noArgs("check", { object, _ in
        withState(object, KeyState.self) { state throws(PythonException) in
            try warnDeprecated("PKey.check is deprecated. You should use the APIs in cryptography instead.")
            if state.key.isPublicOnly { throw typeError("public key only") }
            if state.key.typeID != PrivateKey.KeyType.rsa { throw typeError("Only RSA keys can currently be checked.") }
            try cryptoCall { () throws(OpenSSLError) in try state.key.checkConsistency() }
            return pyBool(true)
        }
    }, doc: "check() -> bool: True if an RSA private key is consistent (raises Error if not). Deprecated."),

    MethodDef.noArgs("type", { object, _ in
        withState(object, KeyState.self) { state throws(PythonException) in try pyInt(Int(state.key.typeID)) }
    }, doc: "type() -> int: TYPE_RSA, TYPE_DSA, TYPE_EC, ..."),

    MethodDef.noArgs("bits", { object, _ in
        withState(object, KeyState.self) { state throws(PythonException) in try pyInt(state.key.bits) }
    }, doc: "bits() -> int: the key size."),
]
