@preconcurrency import CPython
import OpenSSLCore

/// The Swift state behind one `OpenSSL.crypto.X509Store`.
final class StoreState: ObjectState {
    let store: CertificateStore
    init(_ store: CertificateStore) { self.store = store }
}

/// `OpenSSL.crypto.X509Store`: trusted certificates, CRLs, flags and time.
enum X509StoreType {
    nonisolated(unsafe) static var type: OpaquePointer!

    static func register(in module: PyObjectPointer) throws(PythonException) {
        guard let made = makeType(name: "OpenSSL.crypto.X509Store",
                                  doc: "X509Store(): trusted certificates and CRLs to verify against.",
                                  methods: storeMethods, initializer: initialize)
        else { throw PythonException() }
        type = made
        if PyModule_AddObjectRef(module, "X509Store", typeObject(made)) < 0 { throw PythonException() }

        var flags: [(String, PyObjectPointer)] = []
        for (name, value) in CertificateStore.flagNames { flags.append((name, try pyUnsigned(UInt64(value)))) }
        let flagsClass = try makePlainClass("X509StoreFlags", module: "OpenSSL.crypto", attributes: flags,
                                            doc: "Verification flags (X509_V_FLAG_*) for X509Store.set_flags.")
        if PyModule_AddObject(module, "X509StoreFlags", flagsClass) < 0 { throw PythonException() }
    }

    private static let initialize: InitFunction = { object, args, kwargs in
        pythonStatusCall { () throws(PythonException) in
            if (args.map { PyTuple_Size($0) } ?? 0) > 0 || (kwargs.map { PyDict_Size($0) } ?? 0) > 0 {
                throw typeError("X509Store() takes no arguments")
            }
            let store = try cryptoCall { () throws(OpenSSLError) in try CertificateStore() }
            setState(of: object!, StoreState(store))
        }
    }
}

private let sigLoadLocations = Signature("load_locations", ["cafile", "capath"], required: 1)

let storeMethods: [PyMethodDef] = [
    MethodDef.keywords("add_cert", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "add_cert", "cert") { object, value in
        withState(object, StoreState.self) { state throws(PythonException) in
            guard isInstance(value!, of: X509Type.type) else { throw typeError("cert must be an X509 instance") }
            let certificate = try OpenSSLPython.state(of: value, CertificateState.self).certificate
            try cryptoCall { () throws(OpenSSLError) in try state.store.add(certificate) }
            return returnNone()
        }
    } }, doc: "add_cert(cert: X509): trust a certificate."),

    MethodDef.keywords("add_crl", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "add_crl", "crl") { object, value in
        withState(object, StoreState.self) { state throws(PythonException) in
            let der = try CryptoSupport.call("crl_der", [shim_NewRef(value!)])
            defer { Py_DecRef(der) }
            let bytes = swiftBytes(der)
            try cryptoCall { () throws(OpenSSLError) in try state.store.addRevocationList(der: bytes) }
            return returnNone()
        }
    } }, doc: "add_crl(crl: cryptography.x509.CertificateRevocationList): add a CRL (used with the CRL_CHECK flags)."),

    MethodDef.keywords("set_flags", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "set_flags", "flags") { object, value in
        withState(object, StoreState.self) { state throws(PythonException) in
            let flags = try unsignedArgument(value!, "flags")
            try cryptoCall { () throws(OpenSSLError) in try state.store.setFlags(UInt(flags)) }
            return returnNone()
        }
    } }, doc: "set_flags(flags): add X509StoreFlags bits."),

    MethodDef.keywords("set_time", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "set_time", "vfy_time") { object, value in
        withState(object, StoreState.self) { state throws(PythonException) in
            let seconds = try CryptoSupport.call("timestamp", [shim_NewRef(value!)])
            defer { Py_DecRef(seconds) }
            let time = try intArgument(seconds, "vfy_time")
            try cryptoCall { () throws(OpenSSLError) in try state.store.setVerificationTime(time) }
            return returnNone()
        }
    } }, doc: "set_time(vfy_time: datetime): verify as of this time instead of now."),

    MethodDef.keywords("load_locations", { object, args, nargs, kwnames in
        withState(object, StoreState.self) { state throws(PythonException) in
            let parsed = try Arguments(args, nargs, kwnames, sigLoadLocations)
            let file = try parsed.optional(0).map { (o) throws(PythonException) in SystemPath(bytes: try pathArgument(o)) }
            let directory = try parsed.optional(1).map { (o) throws(PythonException) in SystemPath(bytes: try pathArgument(o)) }
            try cryptoCall { () throws(OpenSSLError) in try state.store.loadLocations(file: file, directory: directory) }
            return returnNone()
        }
    }, doc: "load_locations(cafile, capath=None): trust PEM certificates from a file and/or a hashed directory."),
]

/// The Swift state behind one `OpenSSL.crypto.X509StoreContext`.
final class StoreContextState: ObjectState {
    let store: PyReference
    let certificate: PyReference
    let chain: [Certificate]

    init(store: PyObjectPointer, certificate: PyObjectPointer, chain: [Certificate]) {
        self.store = PyReference(store)
        self.certificate = PyReference(certificate)
        self.chain = chain
    }

    override func traverse(_ visit: visitproc, _ arg: UnsafeMutableRawPointer?) -> Int32 {
        let result = store.visit(visit, arg)
        return result != 0 ? result : certificate.visit(visit, arg)
    }

    override func clearReferences() {
        store.clear()
        certificate.clear()
    }

    /// Verifies, raising `X509StoreContextError` on failure.
    func verify() throws(PythonException) -> [Certificate] {
        guard let storeObject = store.object, let certificateObject = certificate.object else {
            throw valueError("X509StoreContext was cleared")
        }
        guard isInstance(storeObject, of: X509StoreType.type) else { throw missingAttribute(storeObject, "_store") }
        guard isInstance(certificateObject, of: X509Type.type) else { throw missingAttribute(certificateObject, "_x509") }
        let store = try state(of: storeObject, StoreState.self).store
        let leaf = try state(of: certificateObject, CertificateState.self).certificate
        do {
            return try store.verify(leaf, untrusted: chain)
        } catch {
            let message = try pyString(error.message)
            defer { Py_DecRef(message) }
            let errors = try pyList([try pyInt(Int(error.code)), try pyInt(Int(error.depth)), shim_NewRef(message)])
            let failed = try error.certificate.map { (c) throws(PythonException) in try makeX509(c) } ?? returnNone()
            guard let exception = callPython(CryptoSupport.storeContextError, [shim_NewRef(message), errors, failed]) else {
                throw PythonException()
            }
            PyErr_SetObject(CryptoSupport.storeContextError, exception)
            Py_DecRef(exception)
            throw PythonException()
        }
    }
}

/// `OpenSSL.crypto.X509StoreContext`: one verification of a certificate against a store.
enum X509StoreContextType {
    nonisolated(unsafe) static var type: OpaquePointer!

    static func register(in module: PyObjectPointer) throws(PythonException) {
        guard let made = makeType(name: "OpenSSL.crypto.X509StoreContext",
                                  doc: "X509StoreContext(store, certificate, chain=None): verify certificate against store.",
                                  methods: storeContextMethods, initializer: initialize)
        else { throw PythonException() }
        type = made
        if PyModule_AddObjectRef(module, "X509StoreContext", typeObject(made)) < 0 { throw PythonException() }
        if PyModule_AddObjectRef(module, "X509StoreContextError", CryptoSupport.storeContextError) < 0 { throw PythonException() }
    }

    private static let initialize: InitFunction = { object, args, kwargs in
        pythonStatusCall { () throws(PythonException) in
            let positional = args.map { PyTuple_Size($0) } ?? 0
            var items: [PyObjectPointer?] = (0..<3).map { index in index < positional ? PyTuple_GetItem(args, index) : nil }
            if positional > 3 { throw typeError("X509StoreContext() takes at most 3 arguments") }
            if let kwargs {
                for (index, key) in ["store", "certificate", "chain"].enumerated() {
                    if let value = PyDict_GetItemString(kwargs, key) { items[index] = value }
                }
            }
            guard let store = items[0], let certificate = items[1] else {
                throw typeError("X509StoreContext() needs a store and a certificate")
            }
            // Like pyOpenSSL, the store and certificate are checked when used.
            var chain: [Certificate] = []
            if let list = items[2], list != pyNone {
                guard let sequence = PySequence_Fast(list, "chain must be a sequence of X509") else { throw PythonException() }
                defer { Py_DecRef(sequence) }
                for index in 0..<PySequence_Size(sequence) {
                    guard let item = PySequence_GetItem(sequence, index) else { throw PythonException() }
                    defer { Py_DecRef(item) }
                    guard isInstance(item, of: X509Type.type) else {
                        throw typeError("One of the elements is not an X509 instance")
                    }
                    chain.append(try state(of: item, CertificateState.self).certificate)
                }
            }
            setState(of: object!, StoreContextState(store: store, certificate: certificate, chain: chain))
        }
    }
}

let storeContextMethods: [PyMethodDef] = [
    MethodDef.keywords("set_store", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "set_store", "store") { object, value in
        withState(object, StoreContextState.self) { state throws(PythonException) in
            state.store.set(value)
            return returnNone()
        }
    } }, doc: "set_store(store): verify against another store from now on."),

    MethodDef.noArgs("verify_certificate", { object, _ in
        withState(object, StoreContextState.self) { state throws(PythonException) in
            _ = try state.verify()
            return returnNone()
        }
    }, doc: "verify_certificate(): raise X509StoreContextError unless the certificate verifies."),

    MethodDef.noArgs("get_verified_chain", { object, _ in
        withState(object, StoreContextState.self) { state throws(PythonException) in
            var items: [PyObjectPointer] = []
            for certificate in try state.verify() { items.append(try makeX509(certificate)) }
            return try pyList(items)
        }
    }, doc: "get_verified_chain() -> list[X509]: verify, and return the chain leaf first."),
]
