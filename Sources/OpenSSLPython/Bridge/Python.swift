@preconcurrency import CPython

/// A borrowed or owned `PyObject *`, as Swift sees it.
typealias PyObjectPointer = UnsafeMutablePointer<PyObject>

/// Thrown after a Python exception has been set: the C entry point returns
/// NULL (or -1) and Python raises it.
struct PythonException: Error {}

@inline(__always) var pyNone: PyObjectPointer { shim_None() }

/// A new reference to None, for methods that return nothing.
@inline(__always) func returnNone() -> PyObjectPointer { shim_NewRef(shim_None()) }

@inline(__always) func pyBool(_ value: Bool) -> PyObjectPointer {
    shim_NewRef(value ? shim_True() : shim_False())
}

@inline(__always) func pyInt(_ value: Int) throws(PythonException) -> PyObjectPointer {
    guard let object = PyLong_FromSsize_t(value) else { throw PythonException() }
    return object
}

@inline(__always) func pyUnsigned(_ value: UInt64) throws(PythonException) -> PyObjectPointer {
    guard let object = PyLong_FromUnsignedLongLong(value) else { throw PythonException() }
    return object
}

func pyString(_ value: String) throws(PythonException) -> PyObjectPointer {
    var copy = value
    let object = copy.withUTF8 { utf8 in
        utf8.withMemoryRebound(to: CChar.self) { PyUnicode_FromStringAndSize($0.baseAddress, utf8.count) }
    }
    guard let object else { throw PythonException() }
    return object
}

func pyBytes<C: Collection<UInt8>>(_ value: C) throws(PythonException) -> PyObjectPointer {
    let object: PyObjectPointer? = value.withContiguousStorageIfAvailable { buffer in
        buffer.withMemoryRebound(to: CChar.self) { PyBytes_FromStringAndSize($0.baseAddress, buffer.count) }
    } ?? Array(value).withUnsafeBufferPointer { buffer in
        buffer.withMemoryRebound(to: CChar.self) { PyBytes_FromStringAndSize($0.baseAddress, buffer.count) }
    }
    guard let object else { throw PythonException() }
    return object
}

func pyBytes(_ value: String) throws(PythonException) -> PyObjectPointer {
    try pyBytes(Array(value.utf8))
}

/// Builds a tuple, stealing the references it is given.
func pyTuple(_ items: [PyObjectPointer]) throws(PythonException) -> PyObjectPointer {
    guard let tuple = PyTuple_New(items.count) else {
        items.forEach { Py_DecRef($0) }
        throw PythonException()
    }
    for (index, item) in items.enumerated() { PyTuple_SetItem(tuple, index, item) }
    return tuple
}

/// Builds a list, stealing the references it is given.
func pyList(_ items: [PyObjectPointer]) throws(PythonException) -> PyObjectPointer {
    guard let list = PyList_New(items.count) else {
        items.forEach { Py_DecRef($0) }
        throw PythonException()
    }
    for (index, item) in items.enumerated() { PyList_SetItem(list, index, item) }
    return list
}

/// The Swift string for a Python `str` (borrowed).
func swiftString(_ object: PyObjectPointer) throws(PythonException) -> String {
    var size: Py_ssize_t = 0
    guard let utf8 = PyUnicode_AsUTF8AndSize(object, &size) else { throw PythonException() }
    return utf8.withMemoryRebound(to: UInt8.self, capacity: size) {
        String(decoding: UnsafeBufferPointer(start: $0, count: size), as: UTF8.self)
    }
}

/// The bytes of a Python `bytes` object (borrowed), copied.
func swiftBytes(_ object: PyObjectPointer) -> [UInt8] {
    let size = PyBytes_Size(object)
    guard let data = PyBytes_AsString(object), size > 0 else { return [] }
    return data.withMemoryRebound(to: UInt8.self, capacity: size) {
        Array(UnsafeBufferPointer(start: $0, count: size))
    }
}

/// Arguments copied into Swift (names, cipher strings, keys and certificates
/// given as data) may be at most this large. A Swift allocation that fails
/// ends the process, so anything bigger is refused with MemoryError first;
/// no legitimate argument of these kinds comes near it.
let largestCopiedArgument = 64 << 20

func requireCopyable(_ size: Int) throws(PythonException) {
    if size > largestCopiedArgument {
        throw raise(PyExc_MemoryError, "argument of \(size) bytes is too large (at most \(largestCopiedArgument) bytes)")
    }
}

/// The object's type name, for error messages.
func typeName(of object: PyObjectPointer) -> String {
    guard let name = PyObject_GetAttrString(UnsafeMutableRawPointer(shim_TYPE(object)).assumingMemoryBound(to: PyObject.self), "__name__") else {
        PyErr_Clear()
        return "object"
    }
    defer { Py_DecRef(name) }
    return (try? swiftString(name)) ?? "object"
}

@inline(__always) func isInstance(_ object: PyObjectPointer, of type: OpaquePointer) -> Bool {
    PyType_IsSubtype(shim_TYPE(object), type) != 0
}

@inline(__always) func typeObject(_ type: OpaquePointer) -> PyObjectPointer {
    UnsafeMutableRawPointer(type).assumingMemoryBound(to: PyObject.self)
}
