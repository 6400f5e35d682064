@preconcurrency import CPython
import OpenSSLCore

/// `OpenSSL.SSL.Error` and its subclasses, made once at import.
enum SSLExceptions {
    nonisolated(unsafe) static var error: PyObjectPointer!
    nonisolated(unsafe) static var wantRead: PyObjectPointer!
    nonisolated(unsafe) static var wantWrite: PyObjectPointer!
    nonisolated(unsafe) static var wantX509Lookup: PyObjectPointer!
    nonisolated(unsafe) static var zeroReturn: PyObjectPointer!
    nonisolated(unsafe) static var sysCall: PyObjectPointer!

    static func register(in module: PyObjectPointer) throws(PythonException) {
        error = try makeException("OpenSSL.SSL.Error", base: PyExc_Exception,
            doc: "An error from OpenSSL; args[0] lists the queued (library, function, reason) tuples.")
        wantRead = try makeException("OpenSSL.SSL.WantReadError", base: error,
            doc: "The operation needs more bytes from the peer; call it again once they arrived.")
        wantWrite = try makeException("OpenSSL.SSL.WantWriteError", base: error,
            doc: "The operation needs to send buffered bytes first; call it again once the transport can take them.")
        wantX509Lookup = try makeException("OpenSSL.SSL.WantX509LookupError", base: error,
            doc: "A certificate callback asked to be called again.")
        zeroReturn = try makeException("OpenSSL.SSL.ZeroReturnError", base: error,
            doc: "The peer closed the TLS session cleanly (close_notify).")
        sysCall = try makeException("OpenSSL.SSL.SysCallError", base: error,
            doc: "The transport failed; args are (errno, name), or (-1, 'Unexpected EOF') for a close without close_notify.")
        for (name, type) in [("Error", error), ("WantReadError", wantRead), ("WantWriteError", wantWrite),
                             ("WantX509LookupError", wantX509Lookup), ("ZeroReturnError", zeroReturn),
                             ("SysCallError", sysCall)] {
            if PyModule_AddObjectRef(module, name, type) < 0 { throw PythonException() }
        }
    }
}

/// Makes an exception class with a docstring.
func makeException(_ qualifiedName: String, base: PyObjectPointer?, doc: String) throws(PythonException) -> PyObjectPointer {
    guard let type = PyErr_NewExceptionWithDoc(qualifiedName, doc, base, nil) else { throw PythonException() }
    return type
}

/// Raises `type(list_of_(lib, func, reason))`, the form pyOpenSSL's errors
/// take. Never with an empty list: a failure OpenSSL gave no reason for says so.
func raiseOpenSSLError(_ error: OpenSSLError, as type: PyObjectPointer) -> PythonException {
    let entries = error.entries.isEmpty ? OpenSSLError(reason: "OpenSSL failed without giving a reason").entries : error.entries
    do {
        var tuples: [PyObjectPointer] = []
        for entry in entries {
            tuples.append(try pyTuple([try pyString(entry.library), try pyString(entry.function), try pyString(entry.reason)]))
        }
        let list = try pyList(tuples)
        PyErr_SetObject(type, list)
        Py_DecRef(list)
    } catch {}
    return PythonException()
}

/// Raises `OpenSSL.SSL.Error` for a failure of OpenSSL's.
func raiseSSLError(_ error: OpenSSLError) -> PythonException {
    raiseOpenSSLError(error, as: SSLExceptions.error)
}

/// Raises the exception pyOpenSSL raises for each way an I/O call can stop.
func raiseIOError(_ error: TLSIOError) -> PythonException {
    switch error {
    case .wantRead: PyErr_SetNone(SSLExceptions.wantRead)
    case .wantWrite: PyErr_SetNone(SSLExceptions.wantWrite)
    case .wantX509Lookup: PyErr_SetNone(SSLExceptions.wantX509Lookup)
    case .zeroReturn: PyErr_SetNone(SSLExceptions.zeroReturn)
    case .unexpectedEOF:
        if let args = try? pyTuple([try pyInt(-1), try pyString("Unexpected EOF")]) {
            PyErr_SetObject(SSLExceptions.sysCall, args)
            Py_DecRef(args)
        }
    case .system(let code):
        if let args = try? pyTuple([try pyInt(Int(code)), errnoName(code)]) {
            PyErr_SetObject(SSLExceptions.sysCall, args)
            Py_DecRef(args)
        }
    case .ssl(let queue):
        return raiseSSLError(queue)
    }
    return PythonException()
}

/// `errno.errorcode.get(code)` (a new reference; None for unknown codes).
private func errnoName(_ code: Int32) -> PyObjectPointer {
    guard let module = PyImport_ImportModule("errno") else { PyErr_Clear(); return returnNone() }
    defer { Py_DecRef(module) }
    guard let table = PyObject_GetAttrString(module, "errorcode") else { PyErr_Clear(); return returnNone() }
    defer { Py_DecRef(table) }
    guard let key = try? pyInt(Int(code)) else { PyErr_Clear(); return returnNone() }
    defer { Py_DecRef(key) }
    guard let name = PyDict_GetItem(table, key) else { return returnNone() }
    return shim_NewRef(name)
}
