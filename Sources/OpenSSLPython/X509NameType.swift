@preconcurrency import CPython
import OpenSSLCore

/// `OpenSSL.crypto.X509Name`: a distinguished name with attribute access
/// (`name.CN`, `name.commonName`, ...).
enum X509NameType {
    nonisolated(unsafe) static var type: OpaquePointer!

    static func register(in module: PyObjectPointer) throws(PythonException) {
        let slots = [
            PyType_Slot(slot: Py_tp_getattro, pfunc: unsafeBitCast(getAttribute, to: UnsafeMutableRawPointer.self)),
            PyType_Slot(slot: Py_tp_setattro, pfunc: unsafeBitCast(setAttribute, to: UnsafeMutableRawPointer.self)),
            PyType_Slot(slot: Py_tp_richcompare, pfunc: unsafeBitCast(compare, to: UnsafeMutableRawPointer.self)),
            PyType_Slot(slot: Py_tp_repr, pfunc: unsafeBitCast(represent, to: UnsafeMutableRawPointer.self)),
        ]
        guard let made = makeType(name: "OpenSSL.crypto.X509Name",
                                  doc: "X509Name(name): a copy of an X.509 distinguished name. Deprecated.",
                                  methods: nameMethods, initializer: initialize, extraSlots: slots)
        else { throw PythonException() }
        type = made
        if PyModule_AddObjectRef(module, "X509Name", typeObject(made)) < 0 { throw PythonException() }
    }

    private static let initialize: InitFunction = { object, args, kwargs in
        pythonStatusCall { () throws(PythonException) in
            try warnDeprecated("X509Name support in pyOpenSSL is deprecated. You should use the APIs in cryptography.")
            let original = try singleInitArgument(args, kwargs, name: "name", function: "X509Name")
            guard isInstance(original, of: type) else { throw missingAttribute(original, "_name") }
            let source = try state(of: original, NameState.self).name
            let copy = try cryptoCall { () throws(OpenSSLError) in try DistinguishedName(copying: source) }
            setState(of: object!, NameState(copy))
        }
    }

    private static func attributeID(_ name: PyObjectPointer) throws(PythonException) -> Int32 {
        guard let nid = DistinguishedName.attributeID(try swiftString(name)) else {
            throw raise(PyExc_AttributeError, "No such attribute")
        }
        return nid
    }

    private static let getAttribute: @convention(c) (PyObjectPointer?, PyObjectPointer?) -> PyObjectPointer? = { object, name in
        if let found = PyObject_GenericGetAttr(object, name) { return found }
        guard PyErr_ExceptionMatches(PyExc_AttributeError) != 0 else { return nil }
        PyErr_Clear()
        return withState(object, NameState.self) { state throws(PythonException) in
            guard let value = try state.name.value(of: try attributeID(name!)) else { return returnNone() }
            return try pyString(value)
        }
    }

    private static let setAttribute: @convention(c) (PyObjectPointer?, PyObjectPointer?, PyObjectPointer?) -> Int32 = { object, name, value in
        guard let name, let value, shim_Unicode_Check(name) != 0 else { return PyObject_GenericSetAttr(object, name, value) }
        if PyUnicode_Tailmatch(name, leadingUnderscore, 0, 1, -1) == 1 { return PyObject_GenericSetAttr(object, name, value) }
        return pythonStatusCall { () throws(PythonException) in
            let state = try OpenSSLPython.state(of: object, NameState.self)
            if shim_Unicode_CheckExact(name) == 0 {
                throw typeError("attribute name must be string, not '\(typeName(of: value))'")
            }
            let nid = try attributeID(name)
            // Like pyOpenSSL, the old entry goes before the new value is checked.
            let target = try state.name
            target.removeValue(for: nid)
            let bytes: [UInt8]
            if shim_Unicode_Check(value) != 0 {
                bytes = Array(try swiftString(value).utf8)
            } else if shim_Bytes_Check(value) != 0 {
                try requireCopyable(PyBytes_Size(value))
                bytes = swiftBytes(value)
            } else {
                throw typeError("initializer for ctype 'unsigned char *' must be a bytes or list or tuple, not \(typeName(of: value))")
            }
            try cryptoCall { () throws(OpenSSLError) in try target.setValue(bytes, for: nid) }
        }
    }

    nonisolated(unsafe) private static let leadingUnderscore: PyObjectPointer = PyUnicode_InternFromString("_")

    private static let compare: @convention(c) (PyObjectPointer?, PyObjectPointer?, Int32) -> PyObjectPointer? = { left, right, op in
        guard let left, let right, isInstance(left, of: type), isInstance(right, of: type) else {
            return shim_NewRef(shim_NotImplemented())
        }
        return pythonCall { () throws(PythonException) in
            let order = try state(of: left, NameState.self).name.compare(try state(of: right, NameState.self).name)
            let result: Bool
            switch op {
            case Py_LT: result = order < 0
            case Py_LE: result = order <= 0
            case Py_EQ: result = order == 0
            case Py_NE: result = order != 0
            case Py_GT: result = order > 0
            default: result = order >= 0
            }
            return pyBool(result)
        }
    }

    private static let represent: @convention(c) (PyObjectPointer?) -> PyObjectPointer? = { object in
        withState(object, NameState.self) { state throws(PythonException) in
            try pyString("<X509Name object '\(try state.name.oneLine)'>")
        }
    }
}

let nameMethods: [PyMethodDef] = [
    MethodDef.noArgs("hash", { object, _ in
        withState(object, NameState.self) { state throws(PythonException) in try pyUnsigned(UInt64(try state.name.hashValue32)) }
    }, doc: "hash() -> int: OpenSSL's X509_NAME_hash of this name."),

    MethodDef.noArgs("der", { object, _ in
        withState(object, NameState.self) { state throws(PythonException) in try pyBytes(try state.name.derBytes) }
    }, doc: "der() -> bytes: the DER encoding."),

    MethodDef.noArgs("get_components", { object, _ in
        withState(object, NameState.self) { state throws(PythonException) in
            var items: [PyObjectPointer] = []
            for component in try state.name.components {
                items.append(try pyTuple([try pyBytes(component.name), try pyBytes(component.value)]))
            }
            return try pyList(items)
        }
    }, doc: "get_components() -> list[tuple[bytes, bytes]]: (short name, value) pairs in order."),
]
