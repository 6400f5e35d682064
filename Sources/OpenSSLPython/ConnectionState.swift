@preconcurrency import CPython
import OpenSSLCore

/// The Swift state behind one `OpenSSL.SSL.Connection`.
final class ConnectionState: ObjectState {
    let connection: TLSConnection
    /// The Python object this state belongs to (not retained: it owns us).
    /// Callbacks hand exactly this object to Python.
    let pythonObject: PyObjectPointer

    // Owned Python references, stored here rather than in `PyReference`
    // objects of their own (one allocation per Connection instead of six):
    // plain class fields, read and written whole, never held across a call
    // that can run Python code.
    /// The `Context` object (`get_context()`; `set_context()` replaces it).
    @exclusivity(unchecked) private(set) var contextObject: PyObjectPointer?
    /// The socket, or nil for memory BIOs.
    @exclusivity(unchecked) private(set) var socketObject: PyObjectPointer?
    @exclusivity(unchecked) private(set) var appDataObject: PyObjectPointer?

    /// Python callbacks set on this connection only; made on first use.
    @exclusivity(unchecked) private var slotStorage: PythonSlots?
    /// The first exception a Python callback raised during the current call; made on first use.
    @exclusivity(unchecked) private var pendingStorage: PendingException?

    /// Where `recv` decrypts before copying into a new bytes object.
    @exclusivity(unchecked) private var scratch = UnsafeMutableRawBufferPointer(start: nil, count: 0)

    init(connection: TLSConnection, pythonObject: PyObjectPointer, context: PyObjectPointer, socket: PyObjectPointer?) {
        self.connection = connection
        self.pythonObject = pythonObject
        Py_IncRef(context)
        contextObject = context
        if let socket { Py_IncRef(socket) }
        socketObject = socket
        super.init()
    }

    deinit {
        // The connection may outlive this state for a moment (ivars are
        // released after deinit): callbacks must not find us any more.
        connection.owner = nil
        scratch.deallocate()
        clearReferences()
    }

    var slots: PythonSlots {
        if let slotStorage { return slotStorage }
        let made = PythonSlots()
        slotStorage = made
        return made
    }

    /// A callback set on this connection, or nil.
    func slot(_ slot: Slot) -> PyObjectPointer? { slotStorage?.get(slot) }

    private var pending: PendingException {
        if let pendingStorage { return pendingStorage }
        let made = PendingException()
        pendingStorage = made
        return made
    }

    /// Whether a callback's exception is waiting to be raised.
    @inline(__always)
    var hasPendingException: Bool { pendingStorage?.isSet ?? false }

    func setContextObject(_ value: PyObjectPointer) {
        Py_IncRef(value)
        let old = contextObject
        contextObject = value
        if let old { Py_DecRef(old) }
    }

    func setAppData(_ value: PyObjectPointer?) {
        if let value { Py_IncRef(value) }
        let old = appDataObject
        appDataObject = value
        if let old { Py_DecRef(old) }
    }

    override func traverse(_ visit: visitproc, _ arg: UnsafeMutableRawPointer?) -> Int32 {
        var result = shim_visit(visit, contextObject, arg)
        if result == 0 { result = shim_visit(visit, socketObject, arg) }
        if result == 0 { result = shim_visit(visit, appDataObject, arg) }
        if result == 0, let slotStorage { result = slotStorage.visit(visit, arg) }
        if result == 0, let pendingStorage { result = pendingStorage.visit(visit, arg) }
        return result
    }

    override func clearReferences() {
        // Fields first, releases after: a release can run Python code that
        // looks at this state again.
        let old = (contextObject, socketObject, appDataObject)
        (contextObject, socketObject, appDataObject) = (nil, nil, nil)
        old.0.map { Py_DecRef($0) }
        old.1.map { Py_DecRef($0) }
        old.2.map { Py_DecRef($0) }
        slotStorage?.clear()
        pendingStorage?.clear()
    }

    var contextState: ContextState? { existingState(of: contextObject, ContextState.self) }

    // MARK: Exceptions from callbacks

    /// Keeps the exception a callback just raised for the call that drove it.
    func stashCurrentException() { pending.takeCurrent() }

    /// The outcome of an I/O call: a callback's exception first, then the
    /// operation's own failure.
    @inline(__always)
    func check<T>(_ result: Result<T, TLSIOError>) throws(PythonException) -> T {
        if hasPendingException { try raisePending() }
        switch result {
        case .success(let value): return value
        case .failure(let error): throw raise(error)
        }
    }

    // The two failures above, out of line: `check` is inlined into every
    // I/O method, and cold code there costs instruction-cache lines.

    @inline(never)
    private func raisePending() throws(PythonException) {
        _ = OpenSSLError.drainQueue()
        try pending.raiseIfSet()
    }

    @inline(never)
    private func raise(_ error: TLSIOError) -> PythonException {
        if case .ssl(var queue) = error, connection.verifiesIdentity && connection.verifyResult != 0 {
            // OpenSSL only says "certificate verify failed": add why.
            queue.entries.append(.init(library: "X509 certificate verification", function: "",
                                       reason: VerificationCodes.message(for: Int32(connection.verifyResult))))
            return raiseIOError(.ssl(queue))
        }
        return raiseIOError(error)
    }

    /// Decrypted bytes a read took from OpenSSL but could not return because
    /// a callback raised during it; the next read returns them first.
    @exclusivity(unchecked) private(set) var pushback: [UInt8] = []

    /// The outcome of a read into `buffer`. If a callback raised during a
    /// read that got bytes, the exception is raised now and the bytes are
    /// kept for the next read: the caller sees the exception, loses nothing.
    @inline(__always)
    func checkRead(_ result: Result<Int, TLSIOError>, _ buffer: UnsafeMutableRawBufferPointer) throws(PythonException) -> Int {
        if hasPendingException, case .success(let count) = result, count > 0 {
            keepForNextRead(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
        return try check(result)
    }

    @inline(never)
    private func keepForNextRead(_ bytes: UnsafeRawBufferPointer) {
        pushback = Array(bytes)
    }

    /// Serves a read from bytes kept back by `checkRead`, if there are any.
    @inline(__always)
    func readPushback(into buffer: UnsafeMutableRawBufferPointer, peek: Bool) -> Int? {
        pushback.isEmpty ? nil : takePushback(into: buffer, peek: peek)
    }

    @inline(never)
    private func takePushback(into buffer: UnsafeMutableRawBufferPointer, peek: Bool) -> Int {
        let count = min(buffer.count, pushback.count)
        pushback.withUnsafeBytes { buffer.baseAddress?.copyMemory(from: $0.baseAddress!, byteCount: count) }
        if !peek { pushback.removeFirst(count) }
        return count
    }

    /// The outcome of a write. If a callback raised during a write that was
    /// still taken, the count is returned and the exception waits for the
    /// next I/O call (`raiseDeferredException`): nothing is sent twice.
    @inline(__always)
    func checkTransfer(_ result: Result<Int, TLSIOError>) throws(PythonException) -> Int {
        if hasPendingException, case .success(let count) = result, count > 0 { return count }
        return try check(result)
    }

    /// Raises what a callback raised during an earlier call that returned data.
    @inline(__always)
    func raiseDeferredException() throws(PythonException) {
        if hasPendingException { try pending.raiseIfSet() }
    }

    // MARK: Scratch buffer

    /// A buffer of at least `size` bytes (capped by the caller), reused across calls.
    func scratchBuffer(_ size: Int) -> UnsafeMutableRawBufferPointer {
        if scratch.count < size {
            scratch.deallocate()
            scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        }
        return UnsafeMutableRawBufferPointer(rebasing: scratch[0..<size])
    }
}
