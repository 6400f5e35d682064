@preconcurrency import CPython

/// A Python exception caught where it cannot be raised (inside a callback
/// from OpenSSL), kept until the call that drove the callback returns.
/// The first one wins; later ones are dropped.
struct PendingException: ~Copyable {
    private var type = PyReference()
    private var value = PyReference()
    private var traceback = PyReference()

    var isSet: Bool { type.object != nil }

    /// Takes the exception currently set in the interpreter.
    mutating func takeCurrent() {
        var fetchedType: PyObjectPointer?, fetchedValue: PyObjectPointer?, fetchedTraceback: PyObjectPointer?
        PyErr_Fetch(&fetchedType, &fetchedValue, &fetchedTraceback)
        guard fetchedType != nil else { return }
        if isSet {
            fetchedType.map { Py_DecRef($0) }
            fetchedValue.map { Py_DecRef($0) }
            fetchedTraceback.map { Py_DecRef($0) }
            return
        }
        PyErr_NormalizeException(&fetchedType, &fetchedValue, &fetchedTraceback)
        if let fetchedValue, let fetchedTraceback { PyException_SetTraceback(fetchedValue, fetchedTraceback) }
        type = PyReference(fetchedType, retain: false)
        value = PyReference(fetchedValue, retain: false)
        traceback = PyReference(fetchedTraceback, retain: false)
    }

    /// Raises the kept exception (if any) and forgets it.
    mutating func raiseIfSet() throws(PythonException) {
        guard let kept = type.object else { return }
        Py_IncRef(kept)
        let keptValue = value.object, keptTraceback = traceback.object
        keptValue.map { Py_IncRef($0) }
        keptTraceback.map { Py_IncRef($0) }
        clear()
        PyErr_Restore(kept, keptValue, keptTraceback)
        throw PythonException()
    }

    mutating func clear() {
        type.clear()
        value.clear()
        traceback.clear()
    }

    func visit(_ visit: visitproc, _ arg: UnsafeMutableRawPointer?) -> Int32 {
        var result = type.visit(visit, arg)
        if result == 0 { result = value.visit(visit, arg) }
        if result == 0 { result = traceback.visit(visit, arg) }
        return result
    }
}
