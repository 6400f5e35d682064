@preconcurrency import CPython

/// A Python exception caught where it cannot be raised (inside a callback
/// from OpenSSL), kept until the call that drove the callback returns.
/// The first one wins; later ones are dropped. A class for the reason
/// `PyReference` is one.
final class PendingException {
    // Owned references (or nil); unchecked because releasing them can run
    // Python code, and nothing here holds an access across that.
    @exclusivity(unchecked) private var type: PyObjectPointer?
    @exclusivity(unchecked) private var value: PyObjectPointer?
    @exclusivity(unchecked) private var traceback: PyObjectPointer?

    var isSet: Bool { type != nil }

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
        (type, value, traceback) = (fetchedType, fetchedValue, fetchedTraceback)
    }

    /// Raises the kept exception (if any) and forgets it.
    func raiseIfSet() throws(PythonException) {
        guard let kept = type else { return }
        let keptValue = value, keptTraceback = traceback
        (type, value, traceback) = (nil, nil, nil)
        PyErr_Restore(kept, keptValue, keptTraceback)  // hands our references over
        throw PythonException()
    }

    func clear() {
        let old = (type, value, traceback)
        (type, value, traceback) = (nil, nil, nil)
        old.0.map { Py_DecRef($0) }
        old.1.map { Py_DecRef($0) }
        old.2.map { Py_DecRef($0) }
    }

    deinit { clear() }

    func visit(_ visit: visitproc, _ arg: UnsafeMutableRawPointer?) -> Int32 {
        var result = shim_visit(visit, type, arg)
        if result == 0 { result = shim_visit(visit, value, arg) }
        if result == 0 { result = shim_visit(visit, traceback, arg) }
        return result
    }
}

/// Hands the exception currently set to `sys.excepthook`, as pyOpenSSL does
/// for its servername callback, and clears it. Only for an `Exception`: a
/// `BaseException` such as KeyboardInterrupt stays set and is thrown, and so
/// is anything the hook itself raises, for the caller to keep and re-raise.
func reportToExceptHook() throws(PythonException) {
    guard PyErr_ExceptionMatches(PyExc_Exception) != 0 else { throw PythonException() }
    var type: PyObjectPointer?, value: PyObjectPointer?, traceback: PyObjectPointer?
    PyErr_Fetch(&type, &value, &traceback)
    PyErr_NormalizeException(&type, &value, &traceback)
    guard let type, let value else { return }
    let tracebackObject = traceback ?? returnNone()
    PyException_SetTraceback(value, tracebackObject)
    guard let hook = PySys_GetObject("excepthook") else {  // borrowed
        PyErr_Restore(type, value, tracebackObject)
        throw PythonException()
    }
    guard let result = callPython(hook, [type, value, tracebackObject]) else { throw PythonException() }
    Py_DecRef(result)
}
