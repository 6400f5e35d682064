@preconcurrency import CPython

/// The Swift side of one Python object of ours. Subclasses hold the core
/// object and every Python reference the object keeps (so `tp_traverse` and
/// `tp_clear` can see them); Swift closures handed to the core never hold one.
class ObjectState {
    /// The thread inside a call on this object, and how deeply (re-entry from
    /// a callback on the same thread is allowed; another thread is refused).
    final var ownerThread: UInt = 0
    final var depth: Int = 0

    /// Visits every Python object this state holds a reference to.
    func traverse(_ visit: visitproc, _ arg: UnsafeMutableRawPointer?) -> Int32 { 0 }

    /// Drops every Python reference (breaking reference cycles).
    func clearReferences() {}
}

/// Holds one strong Python reference, released when replaced or destroyed.
/// A class, not a struct: a mutating method on a stored struct would hold
/// Swift's exclusive access for its whole body, and releasing the old object
/// can run Python code (a finaliser, the GC) that reads this state again
/// (`tp_traverse`) — a runtime trap. Only touched with the GIL held.
final class PyReference {
    private(set) var object: PyObjectPointer?

    init(_ object: PyObjectPointer? = nil) {
        if let object { Py_IncRef(object) }
        self.object = object
    }

    /// Replaces the held object (retaining the new one, releasing the old).
    func set(_ newValue: PyObjectPointer?) {
        if let newValue { Py_IncRef(newValue) }
        adopt(newValue)
    }

    /// Replaces the held object with one whose reference the caller gives away.
    func adopt(_ newValue: PyObjectPointer?) {
        let old = object
        object = newValue
        if let old { Py_DecRef(old) }
    }

    func clear() { adopt(nil) }

    deinit {
        if let object { Py_DecRef(object) }
    }

    func visit(_ visit: visitproc, _ arg: UnsafeMutableRawPointer?) -> Int32 {
        shim_visit(visit, object, arg)
    }

    /// A new reference to the held object, or to None.
    func newReferenceOrNone() -> PyObjectPointer {
        shim_NewRef(object ?? pyNone)
    }
}

extension ObjectState {
    /// Runs `body` while this thread owns the object. A second thread gets a
    /// RuntimeError instead of racing inside OpenSSL; the owning thread may
    /// re-enter (a callback calling back into its own object). The GIL is
    /// held whenever this runs, so the check needs no atomics.
    @inline(__always)
    final func guarded<R>(_ name: StaticString, _ body: () throws(PythonException) -> R) throws(PythonException) -> R {
        let me = PyThread_get_thread_ident()
        if ownerThread != me {
            if ownerThread != 0 {
                throw raise(PyExc_RuntimeError, "\(name) object is being used by another thread")
            }
            ownerThread = me
        }
        depth += 1
        defer {
            depth -= 1
            if depth == 0 { ownerThread = 0 }
        }
        return try body()
    }
}

/// The state of `object`, or a clear error when `__init__` never ran.
@inline(__always)
func state<S: ObjectState>(of object: PyObjectPointer?, _ type: S.Type) throws(PythonException) -> S {
    guard let object, let raw = shim_get_state(object) else {
        throw valueError("object is not initialised (its __init__ was not called)")
    }
    return unsafeDowncast(Unmanaged<ObjectState>.fromOpaque(raw).takeUnretainedValue(), to: S.self)
}

/// Installs a new state on `object`, releasing any previous one.
func setState(of object: PyObjectPointer, _ newState: ObjectState) {
    let old = shim_get_state(object)
    shim_set_state(object, Unmanaged<ObjectState>.passRetained(newState).toOpaque())
    if let old { Unmanaged<ObjectState>.fromOpaque(old).release() }
}
