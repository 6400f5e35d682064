@preconcurrency import CPython

/// Sets a Python exception and returns the marker to throw.
@discardableResult
func raise(_ type: PyObjectPointer?, _ message: String) -> PythonException {
    PyErr_SetString(type, message)
    return PythonException()
}

func typeError(_ message: String) -> PythonException { raise(PyExc_TypeError, message) }

/// The AttributeError pyOpenSSL's Python code raises when handed the wrong
/// type of object (it reaches for a private attribute the object lacks).
func missingAttribute(_ object: PyObjectPointer, _ attribute: String) -> PythonException {
    raise(PyExc_AttributeError, "'\(typeName(of: object))' object has no attribute '\(attribute)'")
}
func valueError(_ message: String) -> PythonException { raise(PyExc_ValueError, message) }

/// Emits a DeprecationWarning pointing at the caller's line; throws if the
/// warning was turned into an error.
func warnDeprecated(_ message: String) throws(PythonException) {
    if PyErr_WarnEx(PyExc_DeprecationWarning, message, 1) < 0 { throw PythonException() }
}

/// Runs `body` and converts a thrown `PythonException` into the NULL return
/// CPython expects.
@inline(__always)
func pythonCall(_ body: () throws(PythonException) -> PyObjectPointer) -> PyObjectPointer? {
    do { return try body() } catch { return nil }
}

/// The same for slots that return an int status (0 on success, -1 on error).
@inline(__always)
func pythonStatusCall(_ body: () throws(PythonException) -> Void) -> Int32 {
    do { try body(); return 0 } catch { return -1 }
}
