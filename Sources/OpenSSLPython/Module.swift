@preconcurrency import CPython
import OpenSSLCore

// `OpenSSL.SSL`: the extension module's entry point. Its exec step also
// registers `OpenSSL.crypto`, so both modules share one set of type objects.

private let moduleFunctions: [PyMethodDef] = [
    MethodDef.keywords("SSLeay_version", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "SSLeay_version", "type") { _, item in versionText(item) } },
                     doc: "SSLeay_version(type) -> bytes: a version or build string of the OpenSSL in use."),
    MethodDef.keywords("OpenSSL_version", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "OpenSSL_version", "type") { _, item in versionText(item) } },
                     doc: "OpenSSL_version(type) -> bytes: a version or build string of the OpenSSL in use."),
    MethodDef.noArgs("_openssl_function_addresses", { _, _ in
        pythonCall { () throws(PythonException) in
            guard let table = PyDict_New() else { throw PythonException() }
            for (name, address) in LibraryInfo.functionAddresses {
                guard let value = PyLong_FromSize_t(Int(bitPattern: address)) else { Py_DecRef(table); throw PythonException() }
                defer { Py_DecRef(value) }
                if PyDict_SetItemString(table, name, value) < 0 { Py_DecRef(table); throw PythonException() }
            }
            return table
        }
    }, doc: "_openssl_function_addresses() -> dict: name -> address of a few functions of the OpenSSL in use (private)."),
]

private func versionText(_ item: PyObjectPointer?) -> PyObjectPointer? {
    pythonCall { () throws(PythonException) in
        guard let item else { throw typeError("type must be an integer") }
        let selector = try int32Argument(item, "type")
        return try pyBytes(LibraryInfo.versionText(rawItem: selector))
    }
}

private let execSSL: @convention(c) (PyObjectPointer?) -> Int32 = { module in
    guard let module else { return -1 }
    return pythonStatusCall { () throws(PythonException) in
        guard LibraryInfo.runtimeMatchesBuild else {
            throw raise(PyExc_ImportError, """
                OpenSSL.SSL was built against \(LibraryInfo.buildVersionText) but \
                \(LibraryInfo.versionText(.version)) is loaded in this process; \
                rebuild it against the OpenSSL that Python loads
                """)
        }
        try SSLExceptions.register(in: module)
        try addSSLConstants(to: module)
        try ContextType.register(in: module)
        try ConnectionType.register(in: module)
        try SessionType.register(in: module)
        try setModuleAll(module, sslModuleAll)
        try registerCryptoModule(origin: module)
        try addPrivateBindingPlaceholders(to: module)
        // Whether OpenSSL is inside this module (a static build); private, for `python -m OpenSSL info`.
        if PyModule_AddObject(module, "_openssl_static", pyBool(LibraryInfo.isLinkedStatically)) < 0 {
            throw PythonException()
        }
        Py_DecRef(try CryptoSupport.call("add_pyopenssl_imports", [shim_NewRef(module)]))
    }
}

/// `_lib` and `_ffi` as `OpenSSL._support._LazyBinding` placeholders, which
/// `OpenSSL._util` replaces with the real objects when it is imported. Not a
/// module `__getattr__`: CPython does not specialise attribute lookups on a
/// module that has one, and every `SSL.WantReadError` in a loop would pay.
private func addPrivateBindingPlaceholders(to module: PyObjectPointer) throws(PythonException) {
    for name in ["lib", "ffi"] {
        let placeholder = try CryptoSupport.call("_LazyBinding", [try pyString(name)])
        defer { Py_DecRef(placeholder) }
        if PyModule_AddObjectRef(module, "_" + name, placeholder) < 0 { throw PythonException() }
    }
}

nonisolated(unsafe) private var moduleSlots: UnsafeMutablePointer<PyModuleDef_Slot> = permanentTable(
    [PyModuleDef_Slot(slot: Py_mod_exec, value: unsafeBitCast(execSSL, to: UnsafeMutableRawPointer.self))],
    sentinel: PyModuleDef_Slot(slot: 0, value: nil))

nonisolated(unsafe) private var moduleDefinition: UnsafeMutablePointer<PyModuleDef> = {
    let definition = UnsafeMutablePointer<PyModuleDef>.allocate(capacity: 1)
    definition.initialize(to: PyModuleDef(
        m_base: shim_ModuleDef_HEAD_INIT(),
        m_name: cString("OpenSSL.SSL"),
        m_doc: cString("TLS and DTLS connections over OpenSSL (a pyOpenSSL-compatible API implemented in Swift)."),
        m_size: 0,
        m_methods: permanentTable(moduleFunctions, sentinel: PyMethodDef()),
        m_slots: moduleSlots,
        m_traverse: nil, m_clear: nil, m_free: nil))
    return definition
}()

@_cdecl("PyInit_SSL")
public func PyInit_SSL() -> UnsafeMutablePointer<PyObject>? {
    PyModuleDef_Init(moduleDefinition)
}
