@preconcurrency import CPython

/// A Python exception caught where it cannot be raised (inside a callback
/// from OpenSSL), kept until the call that drove the callback returns.
/// The first one wins; later ones are dropped. A class for the reason
/// `PyReference` is one.
final class PendingException {
    private let type = PyReference()
    private let value = PyReference()
    private let traceback = PyReference()

    var isSet: Bool { type.object != nil }

    /// Takes the exception currently set in the interpreter.
    func takeCurrent() {
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
        type.adopt(fetchedType)
        value.adopt(fetchedValue)
        traceback.adopt(fetchedTraceback)
    }

    /// Raises the kept exception (if any) and forgets it.
    func raiseIfSet() throws(PythonException) {
        guard let kept = type.object else { return }
        Py_IncRef(kept)
        let keptValue = value.object, keptTraceback = traceback.object
        keptValue.map { Py_IncRef($0) }
        keptTraceback.map { Py_IncRef($0) }
        clear()
        PyErr_Restore(kept, keptValue, keptTraceback)
        throw PythonException()
    }

    func clear() {
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
