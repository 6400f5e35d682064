@preconcurrency import CPython
import OpenSSLCore

// Connection methods that read or change its settings and its objects
// (context, cipher, server name, ALPN, app data, verification, info
// callback, socket); the I/O and state-machine methods are in
// ConnectionMethods.swift.

private let sigSetVerify = Signature("set_verify", ["mode", "callback"], required: 1)

let connectionSettingsMethods: [PyMethodDef] = [
    MethodDef.noArgs("get_context", { object, _ in
        withState(object, ConnectionState.self) { state in shim_NewRef(state.contextObject ?? pyNone) }
    }, doc: "get_context() -> Context: the context in use."),

    MethodDef.keywords("set_context", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "set_context", "context") { object, value in
        withConnection(object) { state throws(PythonException) in
            guard isInstance(value!, of: ContextType.type) else { throw typeError("context must be a Context instance") }
            let contextState = try OpenSSLPython.state(of: value, ContextState.self)
            try sslCall { () throws(OpenSSLError) in try state.connection.setContext(contextState.context) }
            contextState.used = true
            state.setContextObject(value!)
            return returnNone()
        }
    } }, doc: "set_context(context): switch to another context (from a servername callback, before the certificate is sent)."),

    MethodDef.noArgs("get_cipher_name", { object, _ in
        withConnection(object) { state throws(PythonException) in
            guard let name = state.connection.cipherName else { return returnNone() }
            return try pyString(name)
        }
    }, doc: "get_cipher_name() -> str | None: the negotiated cipher."),

    MethodDef.noArgs("get_cipher_bits", { object, _ in
        withConnection(object) { state throws(PythonException) in
            guard let bits = state.connection.cipherBits else { return returnNone() }
            return try pyInt(bits)
        }
    }, doc: "get_cipher_bits() -> int | None: the negotiated cipher's secret bits."),

    MethodDef.noArgs("get_cipher_version", { object, _ in
        withConnection(object) { state throws(PythonException) in
            guard let version = state.connection.cipherVersion else { return returnNone() }
            return try pyString(version)
        }
    }, doc: "get_cipher_version() -> str | None: the protocol version the negotiated cipher belongs to."),

    MethodDef.noArgs("get_protocol_version_name", { object, _ in
        withConnection(object) { state throws(PythonException) in try pyString(state.connection.protocolVersionName) }
    }, doc: "get_protocol_version_name() -> str: the protocol version, e.g. 'TLSv1.3'."),

    MethodDef.noArgs("get_protocol_version", { object, _ in
        withConnection(object) { state throws(PythonException) in try pyInt(Int(state.connection.protocolVersion.rawValue)) }
    }, doc: "get_protocol_version() -> int: the protocol version number, e.g. 0x0304 for TLS 1.3."),

    MethodDef.noArgs("get_cipher_list", { object, _ in
        withConnection(object) { state throws(PythonException) in
            var names: [PyObjectPointer] = []
            for name in state.connection.cipherList { names.append(try pyString(name)) }
            return try pyList(names)
        }
    }, doc: "get_cipher_list() -> list[str]: the cipher suites this connection would use."),

    MethodDef.noArgs("get_state_string", { object, _ in
        withConnection(object) { state throws(PythonException) in try pyBytes(state.connection.stateDescription) }
    }, doc: "get_state_string() -> bytes: OpenSSL's description of the handshake state."),

    MethodDef.keywords("set_tlsext_host_name", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "set_tlsext_host_name", "name") { object, value in
        withConnection(object) { state throws(PythonException) in
            let name = try bytesArgument(value!, "name must be a byte string")
            if name.contains(0) { throw typeError("name must not contain NUL byte") }
            try sslCall { () throws(OpenSSLError) in try state.connection.setServerName(String(decoding: name, as: UTF8.self)) }
            return returnNone()
        }
    } }, doc: "set_tlsext_host_name(name: bytes): the server name to send (SNI)."),

    MethodDef.noArgs("get_servername", { object, _ in
        withConnection(object) { state throws(PythonException) in
            guard let name = state.connection.serverName else { return returnNone() }
            return try pyBytes(name)
        }
    }, doc: "get_servername() -> bytes | None: the server name the client sent (SNI)."),

    MethodDef.keywords("set_alpn_protos", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "set_alpn_protos", "protos") { object, value in
        withConnection(object) { state throws(PythonException) in
            let protocols = try alpnListArgument(value!)
            try sslCall { () throws(OpenSSLError) in try state.connection.setALPNProtocols(protocols) }
            return returnNone()
        }
    } }, doc: "set_alpn_protos(protos: list[bytes]): the protocols this client offers through ALPN."),

    MethodDef.noArgs("get_alpn_proto_negotiated", { object, _ in
        withConnection(object) { state throws(PythonException) in try pyBytes(state.connection.negotiatedALPN) }
    }, doc: "get_alpn_proto_negotiated() -> bytes: the protocol ALPN selected, or b''."),

    MethodDef.noArgs("get_next_proto_negotiated", { object, _ in
        withConnection(object) { state throws(PythonException) in
            if !LibraryInfo.hasNPN { throw raise(PyExc_NotImplementedError, "NPN not available") }
            return try pyBytes(state.connection.negotiatedNPN)
        }
    }, doc: "get_next_proto_negotiated() -> bytes: the protocol NPN selected, or b''."),

    MethodDef.keywords("set_app_data", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "set_app_data", "data") { object, value in
        withState(object, ConnectionState.self) { state in
            state.setAppData(value)
            return returnNone()
        }
    } }, doc: "set_app_data(data): keep any object with this connection."),

    MethodDef.noArgs("get_app_data", { object, _ in
        withState(object, ConnectionState.self) { state in shim_NewRef(state.appDataObject ?? pyNone) }
    }, doc: "get_app_data(): the object given to set_app_data(), or None."),

    MethodDef.keywords("set_verify", { object, args, nargs, kwnames in
        withConnection(object) { state throws(PythonException) in
            let parsed = try Arguments(args, nargs, kwnames, sigSetVerify)
            guard shim_Long_Check(parsed[0]!) != 0 else { throw typeError("mode must be an integer") }
            let mode = VerifyMode(rawValue: try int32Argument(parsed[0]!, "mode"))
            try installConnectionVerify(state, mode: mode, callback: parsed.optional(1))
            return returnNone()
        }
    }, doc: "set_verify(mode, callback=None): like Context.set_verify, for this connection only."),

    MethodDef.noArgs("get_verify_mode", { object, _ in
        withConnection(object) { state throws(PythonException) in try pyInt(Int(state.connection.verifyMode.rawValue)) }
    }, doc: "get_verify_mode() -> int: the VERIFY_* bits in force for this connection."),

    MethodDef.keywords("set_info_callback", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "set_info_callback", "callback") { object, value in
        withConnection(object) { state throws(PythonException) in
            try installConnectionInfoCallback(state, callback: value!)
            return returnNone()
        }
    } }, doc: "set_info_callback(callback): like Context.set_info_callback, for this connection only."),

    MethodDef.keywords("makefile", { _, _, _, _ in
        PyErr_SetString(PyExc_NotImplementedError, "Cannot make file object of OpenSSL.SSL.Connection")
        return nil
    }, doc: "makefile(): not supported: a TLS connection has no dup() semantics."),

    MethodDef.keywords("sock_shutdown", { object, args, nargs, kwnames in
        withState(object, ConnectionState.self) { state throws(PythonException) in
            // Touches only the socket, so another thread may call it while one
            // is blocked in recv(): the way to wake that thread.
            guard let socket = state.socketObject else { throw missingAttribute(pyNone, "shutdown") }
            guard let method = PyObject_GetAttrString(socket, "shutdown") else { throw PythonException() }
            defer { Py_DecRef(method) }
            var positional: [PyObjectPointer] = []
            for index in 0..<nargs { positional.append(shim_NewRef(args![index]!)) }
            let tuple = try pyTuple(positional)
            defer { Py_DecRef(tuple) }
            guard let result = PyObject_Call(method, tuple, nil) else { throw PythonException() }
            return result
        }
    }, doc: "sock_shutdown(how): shut the underlying socket down (shutdown() is the TLS close)."),
]
