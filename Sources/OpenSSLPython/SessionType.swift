@preconcurrency import CPython
import OpenSSLCore

/// The Swift state behind one `OpenSSL.SSL.Session`.
final class SessionState: ObjectState {
    let session: TLSSession
    /// The Context of the Connection it came from (resumption needs the same one).
    let context: PyReference

    init(_ session: TLSSession, context: PyObjectPointer?) {
        self.session = session
        self.context = PyReference(context)
    }

    override func traverse(_ visit: visitproc, _ arg: UnsafeMutableRawPointer?) -> Int32 {
        context.visit(visit, arg)
    }

    override func clearReferences() { context.clear() }
}

/// `OpenSSL.SSL.Session`: a TLS session a later Connection can resume.
enum SessionType {
    nonisolated(unsafe) static var type: OpaquePointer!

    static func register(in module: PyObjectPointer) throws(PythonException) {
        guard let made = makeType(name: "OpenSSL.SSL.Session",
                                  doc: "A TLS session, from Connection.get_session(), for Connection.set_session().",
                                  methods: sessionMethods, getters: sessionGetters, initializer: rejectArguments)
        else { throw PythonException() }
        type = made
        if PyModule_AddObjectRef(module, "Session", typeObject(made)) < 0 { throw PythonException() }
    }

    private static let rejectArguments: InitFunction = { _, args, kwargs in
        if (args.map { PyTuple_Size($0) } ?? 0) > 0 || (kwargs.map { PyDict_Size($0) } ?? 0) > 0 {
            PyErr_SetString(PyExc_TypeError, "Session() takes no arguments")
            return -1
        }
        return 0
    }

    nonisolated(unsafe) private static let sessionGetters = [
        PyGetSetDef(name: cString("id"), get: { object, _ in
            withState(object, SessionState.self) { state throws(PythonException) in try pyBytes(state.session.id) }
        }, set: nil, doc: cString("The session ID (bytes)."), closure: nil),
        PyGetSetDef(name: cString("ticket_lifetime_hint"), get: { object, _ in
            withState(object, SessionState.self) { state throws(PythonException) in try pyInt(state.session.ticketLifetimeHint) }
        }, set: nil, doc: cString("The lifetime hint of the session ticket, in seconds (0 if none)."), closure: nil),
    ]
}

let sessionMethods: [PyMethodDef] = [
    MethodDef.noArgs("is_resumable", { object, _ in
        withState(object, SessionState.self) { state in pyBool(state.session.isResumable) }
    }, doc: "is_resumable() -> bool: whether a connection could resume this session."),
]
