@preconcurrency import CPython
import OpenSSLCore

// Python callbacks behind the core's Swift closures. A closure never holds a
// Python object: it finds the callable on the (unretained) bridge state at
// call time, so the GC sees every reference and replacing a callback is enough.

/// Calls `callable(*arguments)` (stealing the arguments); nil when it raised.
func callPython(_ callable: PyObjectPointer, _ arguments: [PyObjectPointer]) -> PyObjectPointer? {
    guard let tuple = try? pyTuple(arguments) else { return nil }
    defer { Py_DecRef(tuple) }
    return PyObject_CallObject(callable, tuple)
}

/// The bridge state of the Connection a core callback fired for.
@inline(__always)
func connectionState(of connection: TLSConnection) -> ConnectionState? {
    // Every TLSConnection of the bridge is owned by a ConnectionState.
    connection.owner.map { unsafeDowncast($0, to: ConnectionState.self) }
}

func requireCallable(_ callback: PyObjectPointer, _ message: String = "callback must be callable") throws(PythonException) {
    if shim_Callable_Check(callback) == 0 { throw typeError(message) }
}

// MARK: Info callbacks (void: an exception is kept and raised by the driving call)

private func infoClosure(reference: @escaping (ConnectionState) -> PyObjectPointer?) -> InfoCallback {
    return { connection, whereFlags, returnCode in
        withGIL {
            guard let state = connectionState(of: connection), let callback = reference(state) else { return }
            guard let whereObject = try? pyInt(whereFlags), let codeObject = try? pyInt(returnCode) else {
                state.stashCurrentException()
                return
            }
            if let result = callPython(callback, [shim_NewRef(state.pythonObject), whereObject, codeObject]) {
                Py_DecRef(result)
            } else {
                state.stashCurrentException()
            }
        }
    }
}

func installContextInfoCallback(_ context: ContextState, callback: PyObjectPointer) throws(PythonException) {
    if callback == pyNone {
        context.slots.set(.info, nil)
        context.context.setInfoCallback(nil)
        return
    }
    try requireCallable(callback)
    context.slots.set(.info, callback)
    context.context.setInfoCallback(infoClosure { $0.contextState?.slots.get(.info) })
}

func installConnectionInfoCallback(_ state: ConnectionState, callback: PyObjectPointer) throws(PythonException) {
    if callback == pyNone {
        state.slots.set(.info, nil)
        state.connection.setInfoCallback(nil)
        return
    }
    try requireCallable(callback)
    state.slots.set(.info, callback)
    state.connection.setInfoCallback(infoClosure { $0.slot(.info) })
}

// MARK: Verify callbacks

/// The core verify callback: calls the Python callable found by `callable`
/// with (connection, X509, errnum, depth, ok); a truthy answer accepts the
/// certificate, an exception fails the handshake and is raised by its driver.
private func verifyClosure(callable: @escaping (ConnectionState) -> PyObjectPointer?) -> VerifyCallback {
    return { connection, step in
        withGIL {
            guard let state = connectionState(of: connection), let callback = callable(state) else {
                return step.preverified
            }
            do {
                let certificate = try step.certificate.map { (c) throws(PythonException) in try makeX509(c) } ?? returnNone()
                return try callForTruth(callback, [shim_NewRef(state.pythonObject), certificate,
                                                   try pyInt(Int(step.errorCode)), try pyInt(Int(step.depth)),
                                                   try pyInt(step.preverified ? 1 : 0)])
            } catch {
                state.stashCurrentException()
                return false
            }
        }
    }
}

func installContextVerify(_ context: ContextState, mode: VerifyMode, callback: PyObjectPointer?) throws(PythonException) {
    guard let callback else {
        context.slots.set(.verify, nil)
        context.context.setVerify(mode: mode, callback: nil)
        return
    }
    try requireCallable(callback)
    context.slots.set(.verify, callback)
    context.context.setVerify(mode: mode, callback: verifyClosure { $0.slot(.contextVerify) })
}

func installConnectionVerify(_ state: ConnectionState, mode: VerifyMode, callback: PyObjectPointer?) throws(PythonException) {
    guard let callback else {
        state.slots.set(.verify, nil)
        state.connection.setVerify(mode: mode, callback: nil)
        return
    }
    try requireCallable(callback)
    state.slots.set(.verify, callback)
    state.connection.setVerify(mode: mode, callback: verifyClosure { $0.slot(.verify) })
}
