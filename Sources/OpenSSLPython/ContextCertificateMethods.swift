@preconcurrency import CPython
import OpenSSLCore

private let sigPasswd = Signature("set_passwd_cb", ["callback", "userdata"], required: 1)

/// Context methods that take certificates, keys and trust material.
let contextCertificateMethods: [PyMethodDef] = [
    MethodDef.keywords("use_certificate", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "use_certificate", "cert") { object, value in
        mutatingContext(object) { context throws(PythonException) in
            let certificate = try certificateArgument(value!, warnForX509: true)
            try sslCall { () throws(OpenSSLError) in try context.context.useCertificate(certificate) }
            return returnNone()
        }
    } }, doc: "use_certificate(cert): this side's certificate (cryptography Certificate, or X509)."),

    MethodDef.keywords("use_privatekey", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "use_privatekey", "pkey") { object, value in
        mutatingContext(object) { context throws(PythonException) in
            let key = try keyArgument(value!, warnForPKey: true)
            let result = Result { () throws(OpenSSLError) in try context.context.usePrivateKey(key) }
            if case .failure = result { try context.passphraseProblem.raiseIfSet() }
            try sslCall { () throws(OpenSSLError) in try result.get() }
            return returnNone()
        }
    } }, doc: "use_privatekey(pkey): this side's private key (cryptography key, or PKey)."),

    MethodDef.keywords("add_extra_chain_cert", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "add_extra_chain_cert", "certobj") { object, value in
        mutatingContext(object) { context throws(PythonException) in
            let certificate = try certificateArgument(value!, warnForX509: true)
            let copy = try sslCall { () throws(OpenSSLError) in try certificate.copy() }
            try sslCall { () throws(OpenSSLError) in try context.context.addExtraChainCertificate(copy) }
            return returnNone()
        }
    } }, doc: "add_extra_chain_cert(certobj): send this certificate after ours, as part of the chain."),

    MethodDef.keywords("add_client_ca", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "add_client_ca", "certificate_authority") { object, value in
        mutatingContext(object) { context throws(PythonException) in
            let certificate = try certificateArgument(value!, warnForX509: true)
            try sslCall { () throws(OpenSSLError) in try context.context.addClientCA(certificate) }
            return returnNone()
        }
    } }, doc: "add_client_ca(certificate_authority): name this CA when asking for a client certificate."),

    MethodDef.keywords("set_client_ca_list", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "set_client_ca_list", "certificate_authorities") { object, value in
        mutatingContext(object) { context throws(PythonException) in
            try warnDeprecated("Context.set_client_ca_list is deprecated. X509Name support in pyOpenSSL is deprecated.")
            guard let iterator = PyObject_GetIter(value!) else { throw PythonException() }
            defer { Py_DecRef(iterator) }
            var names: [DistinguishedName] = []
            while let item = PyIter_Next(iterator) {
                defer { Py_DecRef(item) }
                guard isInstance(item, of: X509NameType.type) else {
                    throw typeError("client CAs must be X509Name objects, not \(typeName(of: item)) objects")
                }
                names.append(try state(of: item, NameState.self).name)
            }
            if PyErr_Occurred() != nil { throw PythonException() }
            try sslCall { () throws(OpenSSLError) in try context.context.setClientCANames(names) }
            return returnNone()
        }
    } }, doc: "set_client_ca_list(certificate_authorities): the CA names to send when asking for a client certificate. Deprecated."),

    MethodDef.keywords("load_client_ca", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "load_client_ca", "cafile") { object, value in
        mutatingContext(object) { context throws(PythonException) in
            let path = try bytesOrTextArgument(value!, label: "cafile", typeMessage: "cafile must be a byte string")
            try sslCall { () throws(OpenSSLError) in try context.context.loadClientCAFile(SystemPath(bytes: path)) }
            return returnNone()
        }
    } }, doc: "load_client_ca(cafile): send the subjects of the certificates in a PEM file as the client CA list."),

    MethodDef.noArgs("get_cert_store", { object, _ in
        withContext(object) { context throws(PythonException) in
            guard let store = context.context.certificateStore else { return returnNone() }
            return try makeInstance(of: X509StoreType.type, state: StoreState(store))
        }
    }, doc: "get_cert_store() -> X509Store: the context's trust store (shared with it)."),

    MethodDef.keywords("set_tmp_ecdh", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "set_tmp_ecdh", "curve") { object, value in
        mutatingContext(object) { context throws(PythonException) in
            let nid: Int32
            if PyObject_IsInstance(value!, CryptoSupport.ellipticCurve) == 1 {
                try warnDeprecated("Passing pyOpenSSL elliptic curves to set_tmp_ecdh is deprecated. You should use cryptography's elliptic curve types instead.")
                guard let nidObject = PyObject_GetAttrString(value!, "_nid") else { throw PythonException() }
                defer { Py_DecRef(nidObject) }
                nid = try int32Argument(nidObject, "curve")
            } else {
                guard let nameObject = PyObject_GetAttrString(value!, "name") else { throw PythonException() }
                defer { Py_DecRef(nameObject) }
                guard let found = EllipticCurves.nid(forName: try swiftString(nameObject)) else {
                    throw raiseSSLError(OpenSSLError(entries: [.init(library: "", function: "", reason: "unknown curve name")]))
                }
                nid = found
            }
            _ = try sslCall { () throws(OpenSSLError) in try context.context.setECDHCurve(nid: nid) }
            return returnNone()
        }
    } }, doc: "set_tmp_ecdh(curve): use one elliptic curve (a cryptography curve) for ECDHE."),

    MethodDef.keywords("load_tmp_dh", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "load_tmp_dh", "dhfile") { object, value in
        mutatingContext(object) { context throws(PythonException) in
            let path = SystemPath(bytes: try pathArgument(value!))
            try sslCall { () throws(OpenSSLError) in try context.context.loadDHParameters(path) }
            return returnNone()
        }
    } }, doc: "load_tmp_dh(dhfile): Diffie-Hellman parameters (PEM file) for DHE key exchange."),

    MethodDef.keywords("set_passwd_cb", { object, args, nargs, kwnames in
        pythonCall { () throws(PythonException) in
            try warnDeprecated("Context.set_passwd_cb is deprecated. You should decrypt and load your private key yourself, with cryptography's key loading APIs, and then use Context.use_privatekey instead.")
            guard let result = mutatingContext(object, { context throws(PythonException) in
                let parsed = try Arguments(args, nargs, kwnames, sigPasswd)
                try requireCallable(parsed[0]!)
                context.slots.set(.passphrase, parsed[0])
                context.slots.set(.passphraseUserdata, parsed[1])
                context.context.setPassphraseCallback(passphraseClosure(context))
                return returnNone()
            }) else { throw PythonException() }
            return result
        }
    }, doc: "set_passwd_cb(callback, userdata=None): callback(maxlen, verify, userdata) -> bytes gives key passphrases. Deprecated."),
]

/// The core passphrase callback for a context: calls the Python callable
/// with (maximum length, verify flag, userdata); longer answers are cut.
private func passphraseClosure(_ context: ContextState) -> (Int, Bool) -> [UInt8]? {
    // Unretained: the state clears this callback before it goes away.
    return { [unowned(unsafe) context] maximumLength, writing in
        withGIL {
            guard let callback = context.slots.get(.passphrase) else { return nil }
            do {
                guard let result = callPython(callback, [try pyInt(maximumLength), pyBool(writing),
                                                         shim_NewRef(context.slots.get(.passphraseUserdata) ?? pyNone)]) else {
                    throw PythonException()
                }
                defer { Py_DecRef(result) }
                guard shim_Bytes_Check(result) != 0 else { throw valueError("Bytes expected") }
                return Array(swiftBytes(result).prefix(maximumLength))
            } catch {
                context.passphraseProblem.takeCurrent()
                return nil
            }
        }
    }
}
