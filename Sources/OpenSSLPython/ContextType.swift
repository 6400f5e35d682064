@preconcurrency import CPython
import OpenSSLCore

/// `OpenSSL.SSL.Context`: settings shared by the connections made from it.
enum ContextType {
    nonisolated(unsafe) static var type: OpaquePointer!

    static func register(in module: PyObjectPointer) throws(PythonException) {
        guard let made = makeType(
            name: "OpenSSL.SSL.Context",
            doc: "Context(method): TLS or DTLS settings (versions, certificates, trust, callbacks) for Connections.",
            methods: contextMethods + contextCertificateMethods + contextCallbackMethods + contextExtrasMethods,
            initializer: initialize)
        else { throw PythonException() }
        type = made
        if PyModule_AddObjectRef(module, "Context", typeObject(made)) < 0 { throw PythonException() }
        if PyModule_AddObjectRef(module, "ContextType", typeObject(made)) < 0 { throw PythonException() }
    }

    private static let initialize: InitFunction = { object, args, kwargs in
        pythonStatusCall { () throws(PythonException) in
            guard let object else { throw PythonException() }
            let method = try singleInitArgument(args, kwargs, name: "method", function: "Context")
            guard shim_Long_Check(method) != 0 else { throw typeError("method must be an integer") }
            let number = PyLong_AsLong(method)
            if number == -1, PyErr_Occurred() != nil { PyErr_Clear() }
            let (core, pinned) = try coreMethod(number)
            let context: TLSContext
            do throws(OpenSSLError) {
                context = try TLSContext(method: core)
                if let pinned {
                    try context.setMinimumProtocolVersion(pinned)
                    try context.setMaximumProtocolVersion(pinned)
                }
            } catch {
                throw raiseSSLError(error)
            }
            setState(of: object, ContextState(context: context))
        }
    }

    /// Maps pyOpenSSL's method numbers to a method and, for the old
    /// version-specific ones, the one protocol version they allow.
    private static func coreMethod(_ number: Int) throws(PythonException) -> (TLSMethod, TLSProtocolVersion?) {
        switch number {
        case MethodNumber.sslv2:
            throw valueError("SSLv2_METHOD is not supported: SSL 2.0 is insecure and OpenSSL no longer implements it")
        case MethodNumber.sslv3:
            throw valueError("SSLv3_METHOD is not supported: SSL 3.0 is insecure and OpenSSL no longer implements it")
        case MethodNumber.sslv23, MethodNumber.tls: return (.tls, nil)
        case MethodNumber.tlsv1: return (.tls, .tls1)
        case MethodNumber.tlsv1_1: return (.tls, .tls1_1)
        case MethodNumber.tlsv1_2: return (.tls, .tls1_2)
        case MethodNumber.tlsServer: return (.tlsServer, nil)
        case MethodNumber.tlsClient: return (.tlsClient, nil)
        case MethodNumber.dtls: return (.dtls, nil)
        case MethodNumber.dtlsServer: return (.dtlsServer, nil)
        case MethodNumber.dtlsClient: return (.dtlsClient, nil)
        default: throw valueError("No such protocol")
        }
    }
}

/// The one argument of an `__init__(x)` called with a tuple and a dict.
func singleInitArgument(_ args: PyObjectPointer?, _ kwargs: PyObjectPointer?, name: String, function: String) throws(PythonException) -> PyObjectPointer {
    let positional = args.map { PyTuple_Size($0) } ?? 0
    let keywords = kwargs.map { PyDict_Size($0) } ?? 0
    if positional == 1 && keywords == 0, let value = PyTuple_GetItem(args, 0) { return value }
    if positional == 0 && keywords == 1, let kwargs, let value = PyDict_GetItemString(kwargs, name) { return value }
    throw typeError("\(function)() takes exactly one argument '\(name)'")
}

// MARK: - Calling into a Context

/// Runs a method body on the context's state, holding its thread guard.
@inline(__always)
func withContext(_ object: PyObjectPointer?, _ body: (ContextState) throws(PythonException) -> PyObjectPointer) -> PyObjectPointer? {
    pythonCall { () throws(PythonException) in
        // Retained for the call: user code it runs (a __fspath__, an
        // iterator) may re-run __init__, which pyOpenSSL allows.
        let context = try state(of: object, ContextState.self)
        return try guarded(object!, "Context") { () throws(PythonException) in try body(context) }
    }
}

/// The same for setters, which a used (frozen) context refuses.
@inline(__always)
func mutatingContext(_ object: PyObjectPointer?, _ body: (ContextState) throws(PythonException) -> PyObjectPointer) -> PyObjectPointer? {
    withContext(object) { context throws(PythonException) in
        try context.requireNotUsed()
        return try body(context)
    }
}

/// Runs a core call that throws `OpenSSLError`, raising `SSL.Error` for it.
@inline(__always)
func sslCall<R>(_ body: () throws(OpenSSLError) -> R) throws(PythonException) -> R {
    do {
        let result = try body()
        // OpenSSL can report success and still leave errors queued (fuzzing
        // found several): whatever Python calls next must find the queue empty.
        OpenSSLError.clearQueue()
        return result
    } catch { throw raiseSSLError(error) }
}

/// A `filetype` argument: FILETYPE_PEM or FILETYPE_ASN1.
func fileEncodingArgument(_ object: PyObjectPointer?) throws(PythonException) -> FileEncoding? {
    guard let object else { return .pem }
    guard shim_Long_Check(object) != 0 else { throw typeError("filetype must be an integer") }
    switch Int(try int32Argument(object, "filetype")) {
    case FileType.pem: return .pem
    case FileType.asn1: return .der
    default: return nil
    }
}

/// The error OpenSSL gives for a file type it does not know.
func badFileTypeError() -> PythonException {
    raiseSSLError(OpenSSLError(entries: [.init(library: "SSL routines", function: "", reason: "bad ssl filetype")]))
}
