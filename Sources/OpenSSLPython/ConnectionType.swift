@preconcurrency import CPython
import OpenSSLCore

/// `OpenSSL.SSL.Connection`: one TLS/DTLS connection over a socket or memory BIOs.
enum ConnectionType {
    nonisolated(unsafe) static var type: OpaquePointer!
    /// What a Connection made over a socket becomes: a subclass (also named
    /// `Connection`) whose attribute lookup falls back to the socket, as
    /// pyOpenSSL's `__getattr__` does. `Connection` itself keeps CPython's
    /// plain lookup, which lets the interpreter call methods without making
    /// a bound-method object each time: a fifth of a small call's cost.
    nonisolated(unsafe) static var socketType: OpaquePointer!

    static func register(in module: PyObjectPointer) throws(PythonException) {
        let doc: StaticString = "Connection(context, socket=None): a TLS/DTLS connection over a socket, or over memory BIOs when socket is None."
        guard let made = makeType(
            name: "OpenSSL.SSL.Connection", doc: doc,
            methods: connectionMethods + connectionSettingsMethods + connectionCertificateMethods + connectionSessionMethods + connectionExtrasMethods
                + [delegatingGetattr],
            initializer: initialize)
        else { throw PythonException() }
        type = made
        // `read` and `write` are the same methods as `recv` and `send`.
        let typeDict = typeObject(made)
        for (alias, original) in [("read", "recv"), ("write", "send")] {
            guard let method = PyObject_GetAttrString(typeDict, original) else { throw PythonException() }
            defer { Py_DecRef(method) }
            if PyObject_SetAttrString(typeDict, alias, method) < 0 { throw PythonException() }
        }
        guard let socketMade = makeType(
            name: "OpenSSL.SSL.Connection", doc: doc, methods: [], initializer: nil,
            extraSlots: [PyType_Slot(slot: Py_tp_getattro, pfunc: unsafeBitCast(getAttribute, to: UnsafeMutableRawPointer.self))],
            base: made)
        else { throw PythonException() }
        socketType = socketMade
        if PyModule_AddObjectRef(module, "Connection", typeDict) < 0 { throw PythonException() }
        if PyModule_AddObjectRef(module, "ConnectionType", typeDict) < 0 { throw PythonException() }
    }

    /// Puts a Connection of ours (not of a Python subclass) on the type that
    /// matches its transport.
    private static func chooseType(_ object: PyObjectPointer, hasSocket: Bool) {
        let current = shim_TYPE(object)
        guard current == type || current == socketType else { return }
        let wanted: OpaquePointer = hasSocket ? socketType : type
        if current != wanted { shim_set_type(object, wanted) }
    }

    /// Subclasses defined in Python get the socket fallback through this
    /// (CPython calls `__getattr__` when the normal lookup fails).
    private static let delegatingGetattr = MethodDef.oneArg("__getattr__", { object, name in
        pythonCall { () throws(PythonException) in
            guard let object, let name else { throw PythonException() }
            if let socket = existingState(of: object, ConnectionState.self)?.socketObject {
                guard let found = PyObject_GetAttr(socket, name) else { throw PythonException() }
                return found
            }
            throw missingAttribute(object, try swiftString(name))
        }
    }, doc: "Attributes a Connection lacks come from its socket.")

    private static let initialize: InitFunction = { object, args, kwargs in
        pythonStatusCall { () throws(PythonException) in
            guard let object else { throw PythonException() }
            let (contextObject, socket) = try initArguments(args, kwargs)
            guard isInstance(contextObject, of: ContextType.type) else {
                throw typeError("context must be a Context instance")
            }
            let contextState = try state(of: contextObject, ContextState.self)
            if shim_guard_depth(object) > 0 {
                throw raise(PyExc_RuntimeError, "Connection cannot be re-initialised while in use")
            }
            // pyOpenSSL marks the context used before it looks at the socket.
            contextState.used = true
            let transport: TLSConnection.Transport
            if let socket { transport = .fileDescriptor(try fileDescriptor(of: socket)) } else { transport = .memory }
            // Not sslCall: SSL_new and the BIO setup queue errors only when
            // they fail, so the queue needs no second look after success.
            let connection: TLSConnection
            do throws(OpenSSLError) { connection = try TLSConnection(context: contextState.context, transport: transport) } catch { throw raiseSSLError(error) }
            let connectionState = ConnectionState(connection: connection, pythonObject: object, context: contextObject, socket: socket)
            // The verify callback stays the one of this Context, as in OpenSSL
            // (and pyOpenSSL), even after set_context().
            if let verify = contextState.slots.get(.verify) { connectionState.slots.set(.contextVerify, verify) }
            connection.owner = connectionState
            setState(of: object, connectionState)
            chooseType(object, hasSocket: socket != nil)
        }
    }

    private static func initArguments(_ args: PyObjectPointer?, _ kwargs: PyObjectPointer?) throws(PythonException) -> (PyObjectPointer, PyObjectPointer?) {
        let positional = args.map { PyTuple_Size($0) } ?? 0
        var context: PyObjectPointer? = positional > 0 ? PyTuple_GetItem(args, 0) : nil
        var socket: PyObjectPointer? = positional > 1 ? PyTuple_GetItem(args, 1) : nil
        if positional > 2 { throw typeError("Connection() takes at most 2 arguments (\(positional) given)") }
        if let kwargs {
            var position: Py_ssize_t = 0
            var key: PyObjectPointer?, value: PyObjectPointer?
            while PyDict_Next(kwargs, &position, &key, &value) != 0 {
                if PyUnicode_CompareWithASCIIString(key, "context") == 0, context == nil { context = value }
                else if PyUnicode_CompareWithASCIIString(key, "socket") == 0, socket == nil { socket = value }
                else { throw typeError("Connection() got an unexpected or repeated keyword argument") }
            }
        }
        guard let context else { throw typeError("Connection() missing required argument 'context' (pos 1)") }
        if socket == pyNone { socket = nil }
        return (context, socket)
    }

    /// The descriptor of a socket, or of anything with `fileno()`, or an int.
    private static func fileDescriptor(of socket: PyObjectPointer) throws(PythonException) -> Int32 {
        var number: PyObjectPointer
        if shim_Long_Check(socket) != 0 {
            number = shim_NewRef(socket)
        } else {
            guard let method = PyObject_GetAttrString(socket, "fileno") else {
                PyErr_Clear()
                throw typeError("argument must be an int, or have a fileno() method.")
            }
            defer { Py_DecRef(method) }
            guard let result = PyObject_CallObject(method, nil) else { throw PythonException() }
            number = result
        }
        defer { Py_DecRef(number) }
        guard shim_Long_Check(number) != 0 else { throw typeError("fileno() returned a non-integer") }
        let fd = try int32Argument(number, "file descriptor")
        if fd < 0 { throw valueError("file descriptor cannot be a negative integer (\(fd))") }
        return fd
    }

    /// Attributes a Connection lacks come from its socket, as in pyOpenSSL
    /// (`fileno`, `settimeout`, `close`, ...).
    private static let getAttribute: @convention(c) (PyObjectPointer?, PyObjectPointer?) -> PyObjectPointer? = { object, name in
        if let found = PyObject_GenericGetAttr(object, name) { return found }
        guard PyErr_ExceptionMatches(PyExc_AttributeError) != 0,
              let socket = existingState(of: object, ConnectionState.self)?.socketObject else { return nil }
        PyErr_Clear()
        return PyObject_GetAttr(socket, name)
    }
}

// MARK: - Calling into a Connection

/// Runs a method body on the connection's state, holding its thread guard.
@inline(__always)
func withConnection(_ object: PyObjectPointer?, _ body: (ConnectionState) throws(PythonException) -> PyObjectPointer) -> PyObjectPointer? {
    enterConnection(object, stateMachine: nil, body)
}

/// The same for calls that drive OpenSSL (handshake, I/O): an exception a
/// callback raised during an earlier, successful transfer is raised first.
@inline(__always)
func withIO(_ object: PyObjectPointer?, _ body: (ConnectionState) throws(PythonException) -> PyObjectPointer) -> PyObjectPointer? {
    enterConnection(object, stateMachine: nil) { state throws(PythonException) in
        try state.raiseDeferredException()
        return try body(state)
    }
}

/// `withIO` (or, with `drivesIO: false`, `withConnection`) for calls that run
/// or reset OpenSSL's state machine (handshake, reads, writes, DTLS listen and
/// timeouts, role and session changes). OpenSSL cannot take them while the
/// same connection is already inside one (from one of its own callbacks):
/// `DTLSv1_listen` or `set_accept_state` there free the state the running
/// handshake is using. `shutdown()` stays allowed (Twisted calls it from the
/// info callback when host name checks fail).
@inline(__always)
func withStateMachine(_ object: PyObjectPointer?, _ name: StaticString, drivesIO: Bool = true,
                      _ body: (ConnectionState) throws(PythonException) -> PyObjectPointer) -> PyObjectPointer? {
    enterConnection(object, stateMachine: name) { state throws(PythonException) in
        if drivesIO { try state.raiseDeferredException() }
        return try body(state)
    }
}

/// The one way into a Connection's state: finds it (not retained: the object
/// keeps it alive for the call), takes the thread guard (refusing re-entry
/// for the state-machine call `stateMachine` names), runs `body`, and turns a
/// thrown `PythonException` into CPython's NULL. The failures are out of line
/// (`refuseEntry`), which keeps the hot path of every method short.
@inline(__always)
private func enterConnection(_ object: PyObjectPointer?, stateMachine name: StaticString?,
                             _ body: (ConnectionState) throws(PythonException) -> PyObjectPointer) -> PyObjectPointer? {
    guard let object, let raw = shim_get_state(object) else { return refuseEntry(nil, name) }
    let me = PyThread_get_thread_ident()
    let entered = name == nil ? shim_guard_enter(object, me) : shim_guard_enter_outermost(object, me)
    if entered != 0 { return refuseEntry(entered, name) }
    defer { shim_guard_exit(object) }
    return withBorrowedState(raw, ConnectionState.self, body)
}

/// Raises why a call could not enter its Connection (`status` from the guard,
/// nil when `__init__` never ran).
@inline(never)
private func refuseEntry(_ status: Int32?, _ name: StaticString?) -> PyObjectPointer? {
    switch status {
    case nil:
        return notInitialised()
    case -2:
        PyErr_SetString(PyExc_RuntimeError, "Connection.\(name ?? "?")() cannot be called while the same Connection is inside an OpenSSL call (from one of its callbacks)")
    default:
        usedByAnotherThread("Connection")
    }
    return nil
}

/// A memory-BIO write releases the GIL when at least this many bytes (four
/// full records) remain to be sent; one SSL_write encrypts one record (partial
/// writes are on, as in pyOpenSSL). Measured with benchmarks/gil.py (two
/// threads, two cores, each on its own pair): for large buffers sent record
/// by record, releasing raises the threads' combined throughput 1.2×, as one
/// thread's encryption overlaps the other's Python work; for 16–64 KiB
/// buffers releasing gains nothing with two threads (the hand-overs eat the
/// overlap) and costs a lone thread ~1%, so those keep the GIL, as do
/// smaller writes, where the release would be a large part of the call.
let bulkWithoutGIL = 64 * 1024

extension ConnectionState {
    /// Runs one OpenSSL I/O call, without the GIL when it can block on a
    /// socket, or (memory BIOs) when `bulk` bytes or more remain to be sent.
    @inline(__always)
    func ioStep<T>(bulk: Int = 0, _ body: () -> T) -> T {
        (connection.isMemoryTransport && bulk < bulkWithoutGIL) ? body() : withoutGIL(body)
    }

    /// `ioStep`, and on a socket PEP 475's rule for signals: a call that a
    /// signal cut short runs the handlers, then raises what one raised or
    /// makes the call again. The check costs nothing unless the call failed.
    @inline(__always)
    func io<T>(bulk: Int = 0, _ body: () -> Result<T, TLSIOError>) throws(PythonException) -> Result<T, TLSIOError> {
        if connection.isMemoryTransport { return ioStep(bulk: bulk, body) }
        while true {
            let result = withoutGIL(body)
            switch result {
            case .failure(.wantRead), .failure(.wantWrite):
                if try !retryAfterSignal() { return result }
            default:
                return result
            }
        }
    }

    /// After a socket call came back wanting to read or write: runs pending
    /// signal handlers (throwing what one raised) and tells whether to make
    /// the call again. OpenSSL's socket BIO reports a read or write that a
    /// signal interrupted (EINTR) as "retry", so a blocking socket's call
    /// would otherwise raise a WantReadError/WantWriteError that means
    /// nothing. The handlers also run when no system call was interrupted:
    /// a signal that lands after Python's last check but before the call
    /// blocks is only seen when the call ends (by the socket's SO_RCVTIMEO,
    /// say), and its exception still belongs to this call.
    @inline(never)
    func retryAfterSignal() throws(PythonException) -> Bool {
        // A callback's exception is this call's outcome; handlers run after.
        if hasPendingException { return false }
        if PyErr_CheckSignals() != 0 { throw PythonException() }
        return connection.interruptedBySignal
    }

    /// The memory-BIO methods refuse socket connections.
    func requireMemoryTransport() throws(PythonException) {
        if !connection.isMemoryTransport { throw typeError("Connection sock was not None") }
    }
}
