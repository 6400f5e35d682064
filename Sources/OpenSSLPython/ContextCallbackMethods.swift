@preconcurrency import CPython
import OpenSSLCore

// Handshake callbacks installed on a Context. Each core closure looks the
// Python callable up by name on the Connection's current Context when it
// fires, calls it with the GIL, and keeps any exception on that Connection
// for the call that drove the handshake.

/// Runs `body` with the Connection's state and the named callable of its
/// current Context; `fallback` when either is gone.
func withContextCallback<R>(_ connection: TLSConnection, _ name: Slot, fallback: R,
                                    _ body: (ConnectionState, PyObjectPointer) throws(PythonException) -> R) -> R {
    withGIL {
        guard let state = connectionState(of: connection),
              let callback = state.contextState?.slots.get(name) else { return fallback }
        do {
            return try body(state, callback)
        } catch {
            state.stashCurrentException()
            return fallback
        }
    }
}

/// A list of bytes objects, for callbacks that receive protocol lists.
private func protocolList(_ protocols: [[UInt8]]) throws(PythonException) -> PyObjectPointer {
    var items: [PyObjectPointer] = []
    for name in protocols { items.append(try pyBytes(name)) }
    return try pyList(items)
}

func callOrThrow(_ callable: PyObjectPointer, _ arguments: [PyObjectPointer]) throws(PythonException) -> PyObjectPointer {
    guard let result = callPython(callable, arguments) else { throw PythonException() }
    return result
}

/// Calls `callable(*arguments)` (stealing them) and returns whether the result is truthy.
func callForTruth(_ callable: PyObjectPointer, _ arguments: [PyObjectPointer]) throws(PythonException) -> Bool {
    let result = try callOrThrow(callable, arguments)
    defer { Py_DecRef(result) }
    let truth = PyObject_IsTrue(result)
    if truth < 0 { throw PythonException() }
    return truth == 1
}

private let sigOCSP = Signature("set_ocsp_callback", ["callback", "data"], required: 1)

/// Stores a callable (None clears it) and reports whether one is set now.
private func storeCallback(_ context: ContextState, _ name: Slot, _ value: PyObjectPointer?) throws(PythonException) -> Bool {
    guard let value, value != pyNone else {
        context.slots.set(name, nil)
        return false
    }
    try requireCallable(value)
    context.slots.set(name, value)
    return true
}

let contextCallbackMethods: [PyMethodDef] = [
    MethodDef.keywords("set_keylog_callback", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "set_keylog_callback", "callback") { object, value in
        mutatingContext(object) { context throws(PythonException) in
            guard try storeCallback(context, .keylog, value) else {
                context.context.setKeylogCallback(nil)
                return returnNone()
            }
            context.context.setKeylogCallback { connection, line in
                withContextCallback(connection, .keylog, fallback: ()) { state, callback throws(PythonException) in
                    Py_DecRef(try callOrThrow(callback, [shim_NewRef(state.pythonObject), try pyBytes(line)]))
                }
            }
            return returnNone()
        }
    } }, doc: "set_keylog_callback(callback): callback(conn, line: bytes) gets NSS key log lines (no newline)."),

    MethodDef.keywords("set_tlsext_servername_callback", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "set_tlsext_servername_callback", "callback") { object, value in
        mutatingContext(object) { context throws(PythonException) in
            guard try storeCallback(context, .servername, value) else {
                context.context.setServerNameCallback(nil)
                return returnNone()
            }
            context.context.setServerNameCallback { connection in
                withContextCallback(connection, .servername, fallback: false) { state, callback throws(PythonException) in
                    guard let result = callPython(callback, [shim_NewRef(state.pythonObject)]) else {
                        // pyOpenSSL's rule for this callback: the exception goes
                        // to sys.excepthook and the handshake fails with SSL.Error.
                        try reportToExceptHook()
                        return false
                    }
                    Py_DecRef(result)
                    return true
                }
            }
            return returnNone()
        }
    } }, doc: "set_tlsext_servername_callback(callback): callback(conn) when a client's SNI arrives; it may call conn.set_context()."),

    MethodDef.keywords("set_alpn_select_callback", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "set_alpn_select_callback", "callback") { object, value in
        mutatingContext(object) { context throws(PythonException) in
            guard try storeCallback(context, .alpnSelect, value) else {
                context.context.setALPNSelectCallback(nil)
                return returnNone()
            }
            context.context.setALPNSelectCallback { connection, offered in
                withContextCallback(connection, .alpnSelect, fallback: .abort) { state, callback throws(PythonException) in
                    let result = try callOrThrow(callback, [shim_NewRef(state.pythonObject), try protocolList(offered)])
                    defer { Py_DecRef(result) }
                    if result == NoOverlappingProtocols.sentinel { return .noOverlap }
                    guard shim_Bytes_Check(result) != 0 else {
                        throw typeError("ALPN callback must return a bytestring or the special NO_OVERLAPPING_PROTOCOLS sentinel value.")
                    }
                    let chosen = swiftBytes(result)
                    return chosen.isEmpty ? .abort : .selected(chosen)
                }
            }
            return returnNone()
        }
    } }, doc: "set_alpn_select_callback(callback): callback(conn, offered: list[bytes]) returns the protocol, b'' to abort, or NO_OVERLAPPING_PROTOCOLS."),

    MethodDef.keywords("set_ocsp_server_callback", { object, args, nargs, kwnames in
        mutatingContext(object) { context throws(PythonException) in
            let parsed = try Arguments(args, nargs, kwnames, sigOCSP)
            try requireCallable(parsed[0]!)
            context.slots.set(.ocsp, parsed[0])
            context.slots.set(.ocspData, parsed[1])
            try sslCall { () throws(OpenSSLError) in
                try context.context.setOCSPServerCallback { connection in
                    withContextCallback(connection, .ocsp, fallback: .abort) { state, callback throws(PythonException) in
                        let data: PyObjectPointer = shim_NewRef(state.contextState?.slots.get(.ocspData) ?? pyNone)!
                        let result = try callOrThrow(callback, [shim_NewRef(state.pythonObject), data])
                        defer { Py_DecRef(result) }
                        guard shim_Bytes_Check(result) != 0 else { throw typeError("OCSP callback must return a bytestring.") }
                        let response = swiftBytes(result)
                        return response.isEmpty ? .none : .response(response)
                    }
                }
            }
            return returnNone()
        }
    }, doc: "set_ocsp_server_callback(callback, data=None): callback(conn, data) returns a DER OCSP response to staple, or b''."),

    MethodDef.keywords("set_ocsp_client_callback", { object, args, nargs, kwnames in
        mutatingContext(object) { context throws(PythonException) in
            let parsed = try Arguments(args, nargs, kwnames, sigOCSP)
            try requireCallable(parsed[0]!)
            context.slots.set(.ocsp, parsed[0])
            context.slots.set(.ocspData, parsed[1])
            try sslCall { () throws(OpenSSLError) in
                try context.context.setOCSPClientCallback { connection, response in
                    withContextCallback(connection, .ocsp, fallback: nil) { state, callback throws(PythonException) in
                        let data: PyObjectPointer = shim_NewRef(state.contextState?.slots.get(.ocspData) ?? pyNone)!
                        return try callForTruth(callback, [shim_NewRef(state.pythonObject), try pyBytes(response), data])
                    }
                }
            }
            return returnNone()
        }
    }, doc: "set_ocsp_client_callback(callback, data=None): callback(conn, ocsp_bytes, data) returns whether the staple is acceptable."),

    MethodDef.keywords("set_cookie_generate_callback", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "set_cookie_generate_callback", "callback") { object, value in
        mutatingContext(object) { context throws(PythonException) in
            guard try storeCallback(context, .cookieGenerate, value) else {
                context.context.setCookieGenerateCallback(nil)
                return returnNone()
            }
            context.context.setCookieGenerateCallback { connection in
                withContextCallback(connection, .cookieGenerate, fallback: nil) { state, callback throws(PythonException) in
                    let result = try callOrThrow(callback, [shim_NewRef(state.pythonObject)])
                    defer { Py_DecRef(result) }
                    let cookie = try bytesArgument(result, "cookie must be bytes")
                    if cookie.count > 255 { throw valueError("Cookie too long (got \(cookie.count) bytes, max 255)") }
                    return cookie
                }
            }
            return returnNone()
        }
    } }, doc: "set_cookie_generate_callback(callback): callback(conn) -> bytes makes a DTLS cookie."),

    MethodDef.keywords("set_cookie_verify_callback", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "set_cookie_verify_callback", "callback") { object, value in
        mutatingContext(object) { context throws(PythonException) in
            guard try storeCallback(context, .cookieVerify, value) else {
                context.context.setCookieVerifyCallback(nil)
                return returnNone()
            }
            context.context.setCookieVerifyCallback { connection, cookie in
                withContextCallback(connection, .cookieVerify, fallback: false) { state, callback throws(PythonException) in
                    try callForTruth(callback, [shim_NewRef(state.pythonObject), try pyBytes(cookie)])
                }
            }
            return returnNone()
        }
    } }, doc: "set_cookie_verify_callback(callback): callback(conn, cookie) -> bool checks a DTLS cookie."),

    MethodDef.keywords("set_npn_advertise_callback", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "set_npn_advertise_callback", "callback") { object, value in
        mutatingContext(object) { context throws(PythonException) in
            try requireNPN()
            guard try storeCallback(context, .npnAdvertise, value) else {
                context.context.setNPNAdvertiseCallback(nil)
                return returnNone()
            }
            context.context.setNPNAdvertiseCallback { connection in
                withContextCallback(connection, .npnAdvertise, fallback: nil) { state, callback throws(PythonException) in
                    let result = try callOrThrow(callback, [shim_NewRef(state.pythonObject)])
                    defer { Py_DecRef(result) }
                    guard shim_List_Check(result) != 0 || shim_Tuple_Check(result) != 0 else {
                        throw typeError("NPN advertise callback must return a list of bytes")
                    }
                    return try alpnListArgument(result)
                }
            }
            return returnNone()
        }
    } }, doc: "set_npn_advertise_callback(callback): callback(conn) -> list[bytes] a server advertises through NPN (TLS 1.2 and below)."),

    MethodDef.keywords("set_npn_select_callback", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "set_npn_select_callback", "callback") { object, value in
        mutatingContext(object) { context throws(PythonException) in
            try requireNPN()
            guard try storeCallback(context, .npnSelect, value) else {
                context.context.setNPNSelectCallback(nil)
                return returnNone()
            }
            context.context.setNPNSelectCallback { connection, offered in
                withContextCallback(connection, .npnSelect, fallback: nil) { state, callback throws(PythonException) in
                    let result = try callOrThrow(callback, [shim_NewRef(state.pythonObject), try protocolList(offered)])
                    defer { Py_DecRef(result) }
                    return try bytesArgument(result, "NPN select callback must return a bytestring.")
                }
            }
            return returnNone()
        }
    } }, doc: "set_npn_select_callback(callback): callback(conn, offered: list[bytes]) -> bytes picks the NPN protocol (TLS 1.2 and below)."),

    MethodDef.keywords("set_tlsext_use_srtp", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "set_tlsext_use_srtp", "profiles") { object, value in
        mutatingContext(object) { context throws(PythonException) in
            let profiles = try bytesArgument(value!, "profiles must be a byte string.")
            let text = try cText(profiles, "profiles")
            try sslCall { () throws(OpenSSLError) in try context.context.setSRTPProfiles(text) }
            return returnNone()
        }
    } }, doc: "set_tlsext_use_srtp(profiles: bytes): offer SRTP protection profiles."),
]

private func requireNPN() throws(PythonException) {
    if !LibraryInfo.hasNPN { throw raise(PyExc_NotImplementedError, "NPN not available") }
}
