@preconcurrency import CPython
import OpenSSLCore

/// `OpenSSL._support`: the plain-Python classes of `OpenSSL.crypto`
/// and the lazy bridge to `cryptography` objects.
enum CryptoSupport {
    nonisolated(unsafe) static var module: PyObjectPointer!
    nonisolated(unsafe) static var storeContextError: PyObjectPointer!
    nonisolated(unsafe) static var ellipticCurve: PyObjectPointer!
    nonisolated(unsafe) static var clientHello: PyObjectPointer!

    static func load() throws(PythonException) {
        guard let imported = PyImport_ImportModule("OpenSSL._support") else { throw PythonException() }
        module = imported
        guard let error = PyObject_GetAttrString(imported, "X509StoreContextError"),
              let curve = PyObject_GetAttrString(imported, "_EllipticCurve"),
              let hello = PyObject_GetAttrString(imported, "ClientHello") else { throw PythonException() }
        storeContextError = error
        ellipticCurve = curve
        clientHello = hello
    }

    /// Calls a function of the support module, stealing `arguments`.
    static func call(_ name: String, _ arguments: [PyObjectPointer]) throws(PythonException) -> PyObjectPointer {
        guard let function = PyObject_GetAttrString(module, name) else {
            arguments.forEach { Py_DecRef($0) }
            throw PythonException()
        }
        defer { Py_DecRef(function) }
        guard let result = callPython(function, arguments) else { throw PythonException() }
        return result
    }
}

/// The DeprecationWarning pyOpenSSL gives for its own certificate objects
/// where cryptography's are preferred.
let x509ObjectDeprecation = "Passing pyOpenSSL X509 objects is deprecated. You should use a cryptography.x509.Certificate instead."
let pkeyObjectDeprecation = "Passing pyOpenSSL PKey objects is deprecated. You should use a cryptography private key instead."

/// An `X509`, or a `cryptography` certificate (converted through DER).
/// With `warnForX509`, an `X509` draws pyOpenSSL's DeprecationWarning.
func certificateArgument(_ object: PyObjectPointer, warnForX509: Bool) throws(PythonException) -> Certificate {
    if isInstance(object, of: X509Type.type) {
        if warnForX509 { try warnDeprecated(x509ObjectDeprecation) }
        return try state(of: object, CertificateState.self).certificate
    }
    let der = try CryptoSupport.call("certificate_der", [shim_NewRef(object)])
    defer { Py_DecRef(der) }
    return try cryptoCall { () throws(OpenSSLError) in try Certificate(der: swiftBytes(der)) }
}

/// A `PKey`, or a `cryptography` key (converted through DER).
func keyArgument(_ object: PyObjectPointer, warnForPKey: Bool) throws(PythonException) -> PrivateKey {
    if isInstance(object, of: PKeyType.type) {
        if warnForPKey { try warnDeprecated(pkeyObjectDeprecation) }
        return try state(of: object, KeyState.self).key
    }
    return try cryptographyKeyArgument(object)
}

/// A `cryptography` key, converted through DER (TypeError for anything else).
func cryptographyKeyArgument(_ object: PyObjectPointer) throws(PythonException) -> PrivateKey {
    let pair = try CryptoSupport.call("private_key_der", [shim_NewRef(object)])
    defer { Py_DecRef(pair) }
    guard let der = PyTuple_GetItem(pair, 0), let isPublic = PyTuple_GetItem(pair, 1) else { throw PythonException() }
    let bytes = swiftBytes(der)
    return try cryptoCall { () throws(OpenSSLError) in
        PyObject_IsTrue(isPublic) == 1 ? try PrivateKey.publicKey(der: bytes) : try PrivateKey(der: bytes)
    }
}

/// A new Python `X509` for a core certificate.
func makeX509(_ certificate: Certificate) throws(PythonException) -> PyObjectPointer {
    try makeInstance(of: X509Type.type, state: CertificateState(certificate))
}

/// `X509` or, with `asCryptography`, cryptography's certificate.
func makeCertificateResult(_ certificate: Certificate, asCryptography: Bool) throws(PythonException) -> PyObjectPointer {
    if asCryptography {
        return try CryptoSupport.call("load_certificate_der", [try pyBytes(certificate.derBytes)])
    }
    return try makeX509(certificate)
}

/// Runs a core call that throws `OpenSSLError`, raising `crypto.Error` for it.
@inline(__always)
func cryptoCall<R>(_ body: () throws(OpenSSLError) -> R) throws(PythonException) -> R {
    do {
        let result = try body()
        OpenSSLError.clearQueue()  // as in sslCall
        return result
    } catch { throw raiseOpenSSLError(error, as: CryptoExceptions.error) }
}

/// Runs a method body on an object's state (for types without a thread guard:
/// their methods never release the GIL while touching the object).
@inline(__always)
func withState<S: ObjectState>(_ object: PyObjectPointer?, _ type: S.Type,
                               _ body: (S) throws(PythonException) -> PyObjectPointer) -> PyObjectPointer? {
    // Retained for the call: these objects have no thread guard, and user
    // code the call runs (a __fspath__, an iterator) could re-run __init__.
    pythonCall { () throws(PythonException) in try body(try state(of: object, S.self)) }
}

/// A keyword-only boolean flag such as `as_cryptography`, passed with METH_FASTCALL | METH_KEYWORDS.
func keywordFlag(_ args: UnsafePointer<PyObjectPointer?>?, _ nargs: Int, _ kwnames: PyObjectPointer?,
                 name: String, function: String) throws(PythonException) -> Bool {
    if nargs > 0 { throw typeError("\(function)() takes 0 positional arguments but \(nargs) were given") }
    guard let kwnames else { return false }
    var flag = false
    for index in 0..<PyTuple_Size(kwnames) {
        guard let key = PyTuple_GetItem(kwnames, index) else { throw PythonException() }
        guard PyUnicode_CompareWithASCIIString(key, name) == 0 else {
            throw typeError("\(function)() got an unexpected keyword argument '\((try? swiftString(key)) ?? "?")'")
        }
        let truth = PyObject_IsTrue(args![nargs + index]!)
        if truth < 0 { throw PythonException() }
        flag = truth == 1
    }
    return flag
}
