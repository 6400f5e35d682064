@preconcurrency import CPython

/// The argument names of one method, built once. A class: as a struct, the
/// optimiser rebuilt the whole value (array and all) at every call.
final class Signature: Sendable {
    let function: String
    let names: [StaticString]
    let required: Int
    /// `names.count`, kept apart so the common call never touches the array.
    let count: Int

    init(_ function: String, _ names: [StaticString], required: Int) {
        self.function = function
        self.names = names
        self.required = required
        count = names.count
    }
}

/// Up to four arguments of a METH_FASTCALL | METH_KEYWORDS call, by position,
/// borrowed from the caller. Parsing allocates nothing.
struct Arguments {
    private var slots: (PyObjectPointer?, PyObjectPointer?, PyObjectPointer?, PyObjectPointer?) = (nil, nil, nil, nil)

    subscript(index: Int) -> PyObjectPointer? {
        get {
            switch index {
            case 0: return slots.0
            case 1: return slots.1
            case 2: return slots.2
            case 3: return slots.3
            default: return nil
            }
        }
        set {
            switch index {
            case 0: slots.0 = newValue
            case 1: slots.1 = newValue
            case 2: slots.2 = newValue
            case 3: slots.3 = newValue
            default: break
            }
        }
    }

    /// The argument at `index`, treating an explicit None as absent.
    func optional(_ index: Int) -> PyObjectPointer? {
        guard let value = self[index], value != pyNone else { return nil }
        return value
    }

    @inline(__always)
    init(_ args: UnsafePointer<PyObjectPointer?>?, _ nargs: Int, _ kwnames: PyObjectPointer?,
         _ signature: Signature) throws(PythonException) {
        // The common call: positional arguments only, the required ones given.
        if kwnames == nil, let args, nargs >= signature.required, nargs <= 2, nargs <= signature.count {
            if nargs > 0 { slots.0 = args[0] }
            if nargs > 1 { slots.1 = args[1] }
            return
        }
        try parseInGeneral(args, nargs, kwnames, signature)
    }

    /// Keywords, more than two arguments, and every error (out of line).
    @inline(never)
    private mutating func parseInGeneral(_ args: UnsafePointer<PyObjectPointer?>?, _ nargs: Int, _ kwnames: PyObjectPointer?,
                                         _ signature: Signature) throws(PythonException) {
        let names = signature.names
        if nargs > names.count {
            throw typeError("\(signature.function)() takes at most \(names.count) argument\(names.count == 1 ? "" : "s") (\(nargs) given)")
        }
        for index in 0..<nargs { self[index] = args?[index] }
        if let kwnames {
            let keywordCount = PyTuple_Size(kwnames)
            for k in 0..<keywordCount {
                guard let key = PyTuple_GetItem(kwnames, k) else { throw PythonException() }
                guard let position = names.firstIndex(where: { PyUnicode_CompareWithASCIIString(key, UnsafeRawPointer($0.utf8Start).assumingMemoryBound(to: CChar.self)) == 0 }) else {
                    let name = (try? swiftString(key)) ?? "?"
                    throw typeError("\(signature.function)() got an unexpected keyword argument '\(name)'")
                }
                if self[position] != nil {
                    throw typeError("\(signature.function)() got multiple values for argument '\(names[position])'")
                }
                self[position] = args?[nargs + k]
            }
        }
        for index in 0..<signature.required where self[index] == nil {
            throw typeError("\(signature.function)() missing required argument '\(names[index])' (pos \(index + 1))")
        }
    }
}

/// Integer conversions with Python's error messages.
func intArgument(_ object: PyObjectPointer, _ name: String) throws(PythonException) -> Int {
    guard shim_Long_Check(object) != 0 else {
        throw typeError("\(name) must be an integer, not \(typeName(of: object))")
    }
    let value = PyLong_AsSsize_t(object)
    if value == -1, PyErr_Occurred() != nil { throw PythonException() }
    return value
}

/// An integer argument that must fit a C `int`.
func int32Argument(_ object: PyObjectPointer, _ name: String) throws(PythonException) -> Int32 {
    let value = try intArgument(object, name)
    guard let narrowed = Int32(exactly: value) else {
        throw raise(PyExc_OverflowError, "\(name) does not fit in a C int")
    }
    return narrowed
}

// Integer arguments follow the C types pyOpenSSL hands them to (through
// cffi): a value the C type cannot hold is an OverflowError, never a silent
// wrap-around.

/// An unsigned 64-bit argument (`SSL_OP_*` options, store flags): negative
/// or too large is an OverflowError.
func unsignedArgument(_ object: PyObjectPointer, _ name: String) throws(PythonException) -> UInt64 {
    guard shim_Long_Check(object) != 0 else {
        throw typeError("\(name) must be an integer, not \(typeName(of: object))")
    }
    let value = PyLong_AsUnsignedLongLong(object)
    if value == UInt64.max, PyErr_Occurred() != nil { throw PythonException() }
    return value
}

/// Any integer, reduced modulo 2**64 (flags pyOpenSSL only tests bits of in Python).
func bitsArgument(_ object: PyObjectPointer, _ name: String) throws(PythonException) -> UInt64 {
    guard shim_Long_Check(object) != 0 else {
        throw typeError("\(name) must be an integer, not \(typeName(of: object))")
    }
    let value = PyLong_AsUnsignedLongLongMask(object)
    if value == UInt64.max, PyErr_Occurred() != nil { throw PythonException() }
    return value
}

/// `bytes` only: the rule for names and labels that pyOpenSSL never accepted as str.
func bytesArgument(_ object: PyObjectPointer, _ message: String) throws(PythonException) -> [UInt8] {
    guard shim_Bytes_Check(object) != 0 else { throw typeError(message) }
    try requireCopyable(PyBytes_Size(object))
    return swiftBytes(object)
}

/// `str` only, as text. `what` names the argument the way CPython's own
/// messages do ("f() argument 'x' must be str"); the message ends with the
/// type that was given.
func textArgument(_ object: PyObjectPointer, _ what: String) throws(PythonException) -> String {
    guard shim_Unicode_Check(object) != 0 else { throw typeError("\(what), not \(typeName(of: object))") }
    return try swiftString(object)
}

/// `bytes`, or `str` with a DeprecationWarning naming the parameter (then UTF-8).
func bytesOrTextArgument(_ object: PyObjectPointer, label: String, typeMessage: String) throws(PythonException) -> [UInt8] {
    if shim_Unicode_Check(object) != 0 {
        try warnDeprecated("str for \(label) is no longer accepted, use bytes")
        try requireCopyable(PyUnicode_GetLength(object) * 4)
        return Array(try swiftString(object).utf8)
    }
    return try bytesArgument(object, typeMessage)
}

/// A path given as str, bytes or os.PathLike, as the bytes the OS sees.
func pathArgument(_ object: PyObjectPointer) throws(PythonException) -> [UInt8] {
    guard let path = PyOS_FSPath(object) else { throw PythonException() }
    defer { Py_DecRef(path) }
    if shim_Bytes_Check(path) != 0 {
        try requireCopyable(PyBytes_Size(path))
        return swiftBytes(path)
    }
    guard let encoded = PyUnicode_EncodeFSDefault(path) else { throw PythonException() }
    defer { Py_DecRef(encoded) }
    return swiftBytes(encoded)
}

/// A contiguous read-only view of any buffer-protocol object, released after `body`.
func withBuffer<R>(_ object: PyObjectPointer, writable: Bool = false,
                   _ body: (UnsafeMutableRawBufferPointer) throws(PythonException) -> R) throws(PythonException) -> R {
    var view = Py_buffer()
    let flags = writable ? PyBUF_WRITABLE : PyBUF_SIMPLE
    if PyObject_GetBuffer(object, &view, flags) != 0 {
        if writable, PyErr_ExceptionMatches(PyExc_BufferError) != 0 {
            PyErr_Clear()
            throw typeError("a writable bytes-like object is required, not '\(typeName(of: object))'")
        }
        throw PythonException()
    }
    defer { PyBuffer_Release(&view) }
    return try body(UnsafeMutableRawBufferPointer(start: view.buf, count: view.len))
}

/// Parses the one argument of a method (positional, or by its name as a
/// keyword, as Python functions allow) and runs `body` with it.
@inline(__always)
func oneArgument(_ object: PyObjectPointer?, _ args: UnsafePointer<PyObjectPointer?>?, _ nargs: Int,
                 _ kwnames: PyObjectPointer?, _ function: StaticString, _ parameter: StaticString,
                 _ body: (PyObjectPointer?, PyObjectPointer?) -> PyObjectPointer?) -> PyObjectPointer? {
    if nargs == 1 && kwnames == nil { return body(object, args?[0]) }
    guard let value = oneArgumentByKeyword(args, nargs, kwnames, function, parameter) else { return nil }
    return body(object, value)
}

/// The argument given by name, or nil with a TypeError set (out of line).
@inline(never)
private func oneArgumentByKeyword(_ args: UnsafePointer<PyObjectPointer?>?, _ nargs: Int, _ kwnames: PyObjectPointer?,
                                  _ function: StaticString, _ parameter: StaticString) -> PyObjectPointer? {
    let keywordCount = kwnames.map { PyTuple_Size($0) } ?? 0
    if nargs + keywordCount != 1 {
        PyErr_SetString(PyExc_TypeError, "\(function)() takes exactly one argument (\(nargs + keywordCount) given)")
        return nil
    }
    guard let key = PyTuple_GetItem(kwnames, 0) else { return nil }
    if PyUnicode_CompareWithASCIIString(key, UnsafeRawPointer(parameter.utf8Start).assumingMemoryBound(to: CChar.self)) != 0 {
        PyErr_SetString(PyExc_TypeError, "\(function)() got an unexpected keyword argument '\((try? swiftString(key)) ?? "?")'")
        return nil
    }
    return args?[0]
}
