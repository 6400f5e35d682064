@preconcurrency import CPython
import OpenSSLCore

/// The Swift state behind one `OpenSSL.SSL.Connection`.
final class ConnectionState: ObjectState {
    let connection: TLSConnection
    /// The Python object this state belongs to (not retained: it owns us).
    /// Callbacks hand exactly this object to Python.
    let pythonObject: PyObjectPointer
    var context: PyReference
    var socket = PyReference()
    var appData = PyReference()
    var verifyCallback = PyReference()
    var infoCallback = PyReference()

    /// The first exception a Python callback raised during the current call,
    /// re-raised when that call returns (a fetched type/value/traceback).
    private var pendingType = PyReference()
    private var pendingValue = PyReference()
    private var pendingTraceback = PyReference()

    /// Where `recv` decrypts before copying into a new bytes object.
    private var scratch = UnsafeMutableRawBufferPointer(start: nil, count: 0)

    init(connection: TLSConnection, pythonObject: PyObjectPointer, context: PyObjectPointer, socket: PyObjectPointer?) {
        self.connection = connection
        self.pythonObject = pythonObject
        self.context = PyReference(context)
        self.socket = PyReference(socket)
        super.init()
    }

    deinit {
        clearReferences()
        scratch.deallocate()
    }

    override func traverse(_ visit: visitproc, _ arg: UnsafeMutableRawPointer?) -> Int32 {
        for reference in [context, socket, appData, verifyCallback, infoCallback, pendingType, pendingValue, pendingTraceback] {
            let result = reference.visit(visit, arg)
            if result != 0 { return result }
        }
        return 0
    }

    override func clearReferences() {
        context.clear()
        socket.clear()
        appData.clear()
        verifyCallback.clear()
        infoCallback.clear()
        pendingType.clear()
        pendingValue.clear()
        pendingTraceback.clear()
    }

    var contextState: ContextState? {
        guard let object = context.object, let raw = shim_get_state(object) else { return nil }
        return unsafeDowncast(Unmanaged<ObjectState>.fromOpaque(raw).takeUnretainedValue(), to: ContextState.self)
    }

    // MARK: Exceptions from callbacks

    /// Takes the exception a callback just raised and keeps it (the first one
    /// wins) for the call that drove the callback to raise.
    func stashCurrentException() {
        var type: PyObjectPointer?, value: PyObjectPointer?, traceback: PyObjectPointer?
        PyErr_Fetch(&type, &value, &traceback)
        guard type != nil else { return }
        if pendingType.object == nil {
            PyErr_NormalizeException(&type, &value, &traceback)
            if let value, let traceback { PyException_SetTraceback(value, traceback) }
            pendingType = PyReference(type, retain: false)
            pendingValue = PyReference(value, retain: false)
            pendingTraceback = PyReference(traceback, retain: false)
        } else {
            Py_DecRef(type!)
            value.map { Py_DecRef($0) }
            traceback.map { Py_DecRef($0) }
        }
    }

    var hasPendingException: Bool { pendingType.object != nil }

    /// Raises the stashed callback exception, if any.
    func raisePendingException() throws(PythonException) {
        guard let type = pendingType.object else { return }
        let value = pendingValue.object, traceback = pendingTraceback.object
        value.map { Py_IncRef($0) }
        traceback.map { Py_IncRef($0) }
        Py_IncRef(type)
        pendingType.clear()
        pendingValue.clear()
        pendingTraceback.clear()
        PyErr_Restore(type, value, traceback)
        throw PythonException()
    }

    /// The outcome of an I/O call: a callback's exception first, then the
    /// operation's own failure.
    @inline(__always)
    func check<T>(_ result: Result<T, TLSIOError>) throws(PythonException) -> T {
        if hasPendingException { try raisePendingException() }
        switch result {
        case .success(let value): return value
        case .failure(let error): throw raiseIOError(error)
        }
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
