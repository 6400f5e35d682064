@preconcurrency import CPython
import OpenSSLCore

// `OpenSSL.crypto`, created by the `OpenSSL.SSL` extension's exec step and
// placed in `sys.modules`, so both modules share one set of types.

enum CryptoExceptions {
    nonisolated(unsafe) static var error: PyObjectPointer!
}

nonisolated(unsafe) private var cryptoDefinition: UnsafeMutablePointer<PyModuleDef> = {
    let definition = UnsafeMutablePointer<PyModuleDef>.allocate(capacity: 1)
    definition.initialize(to: PyModuleDef(
        m_base: shim_ModuleDef_HEAD_INIT(),
        m_name: cString("OpenSSL.crypto"),
        m_doc: cString("Certificates, keys and trust stores (a pyOpenSSL-compatible API implemented in Swift)."),
        m_size: -1,
        m_methods: permanentTable(cryptoFunctions, sentinel: PyMethodDef()),
        m_slots: nil,
        m_traverse: nil, m_clear: nil, m_free: nil))
    return definition
}()

/// Makes `OpenSSL.crypto` and registers it in `sys.modules`.
func registerCryptoModule(origin sslModule: PyObjectPointer) throws(PythonException) {
    guard let module = shim_Module_Create(cryptoDefinition) else { throw PythonException() }
    defer { Py_DecRef(module) }
    if let file = PyObject_GetAttrString(sslModule, "__file__") {
        _ = PyObject_SetAttrString(module, "__file__", file)
        Py_DecRef(file)
    } else {
        PyErr_Clear()
    }
    CryptoExceptions.error = try makeException("OpenSSL.crypto.Error", base: PyExc_Exception,
        doc: "An error from OpenSSL's crypto library; args[0] lists the queued (library, function, reason) tuples.")
    if PyModule_AddObjectRef(module, "Error", CryptoExceptions.error) < 0 { throw PythonException() }
    let integers: [(String, Int)] = [
        ("FILETYPE_PEM", FileType.pem), ("FILETYPE_ASN1", FileType.asn1), ("FILETYPE_TEXT", FileType.text),
        ("TYPE_RSA", Int(PrivateKey.KeyType.rsa)), ("TYPE_DSA", Int(PrivateKey.KeyType.dsa)),
        ("TYPE_DH", Int(PrivateKey.KeyType.dh)), ("TYPE_EC", Int(PrivateKey.KeyType.ec)),
    ]
    for (name, value) in integers {
        if PyModule_AddIntConstant(module, name, value) < 0 { throw PythonException() }
    }
    try CryptoSupport.load()
    try X509Type.register(in: module)
    try PKeyType.register(in: module)
    try X509NameType.register(in: module)
    try X509StoreType.register(in: module)
    try X509StoreContextType.register(in: module)
    try setModuleAll(module, cryptoModuleAll)
    if PyModule_AddObjectRef(sslModule, "ClientHello", CryptoSupport.clientHello) < 0 { throw PythonException() }
    guard let modules = PyImport_GetModuleDict() else { throw PythonException() }
    if PyDict_SetItemString(modules, "OpenSSL.crypto", module) < 0 { throw PythonException() }
}
