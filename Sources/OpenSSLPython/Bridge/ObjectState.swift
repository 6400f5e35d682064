@preconcurrency import CPython

/// The Swift side of one Python object of ours. Subclasses hold the core
/// object and every Python reference the object keeps (so `tp_traverse` and
/// `tp_clear` can see them); Swift closures handed to the core never hold one.
class ObjectState {
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
    @exclusivity(unchecked) private(set) var object: PyObjectPointer?

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

/// Runs `body` while this thread owns `object`. A second thread gets a
/// RuntimeError instead of racing inside OpenSSL; the owning thread may
/// re-enter (a callback calling back into its own object).
@inline(__always)
func guarded<R>(_ object: PyObjectPointer, _ name: StaticString, _ body: () throws(PythonException) -> R) throws(PythonException) -> R {
    if shim_guard_enter(object, PyThread_get_thread_ident()) != 0 { throw usedByAnotherThread(name) }
    defer { shim_guard_exit(object) }
    return try body()
}

/// For a getter: a call that keeps the GIL and runs no Python code until it
/// is done with the state (no callbacks, no arguments to convert). No other
/// thread can enter meanwhile, so instead of taking the guard it only checks
/// that no thread is inside already (one that released the GIL there), and
/// it borrows the state without retaining it. Half the cost of `guarded`
/// on calls this small.
@inline(__always)
func withStateForGetter<S: ObjectState>(_ object: PyObjectPointer?, _ type: S.Type, _ name: StaticString,
                                        _ body: (S) throws(PythonException) -> PyObjectPointer) -> PyObjectPointer? {
    guard let object, let raw = shim_get_state(object) else { return notInitialised() }
    if shim_guard_held_elsewhere(object) != 0 {
        usedByAnotherThread(name)
        return nil
    }
    return withBorrowedState(raw, S.self, body)
}

/// Runs `body` on the state at `raw` without retaining it (the object keeps
/// it alive for the call) and turns a thrown `PythonException` into NULL.
@inline(__always)
func withBorrowedState<S: ObjectState>(_ raw: UnsafeMutableRawPointer, _ type: S.Type,
                                       _ body: (S) throws(PythonException) -> PyObjectPointer) -> PyObjectPointer? {
    Unmanaged<S>.fromOpaque(raw)._withUnsafeGuaranteedRef { state in
        do { return try body(state) } catch { return nil }
    }
}

private let notInitialisedMessage = "object is not initialised (its __init__ was not called)"

@inline(never)
func notInitialised() -> PyObjectPointer? {
    raise(PyExc_ValueError, notInitialisedMessage)
    return nil
}

@discardableResult @inline(never)
func usedByAnotherThread(_ name: StaticString) -> PythonException {
    raise(PyExc_RuntimeError, "\(name) object is being used by another thread")
}

/// The state of `object` (the caller knows its type), or nil when
/// `__init__` never ran. Not retained: the object keeps it alive.
@inline(__always)
func existingState<S: ObjectState>(of object: PyObjectPointer?, _ type: S.Type) -> S? {
    guard let object, let raw = shim_get_state(object) else { return nil }
    return unsafeDowncast(Unmanaged<ObjectState>.fromOpaque(raw).takeUnretainedValue(), to: S.self)
}

/// The state of `object`, or a clear error when `__init__` never ran.
@inline(__always)
func state<S: ObjectState>(of object: PyObjectPointer?, _ type: S.Type) throws(PythonException) -> S {
    guard let found = existingState(of: object, type) else {
        throw valueError(notInitialisedMessage)
    }
    return found
}

/// Installs a new state on `object`, releasing any previous one.
func setState(of object: PyObjectPointer, _ newState: ObjectState) {
    let old = shim_get_state(object)
    shim_set_state(object, Unmanaged<ObjectState>.passRetained(newState).toOpaque())
    if let old { Unmanaged<ObjectState>.fromOpaque(old).release() }
}
