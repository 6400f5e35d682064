@preconcurrency import CPython
import OpenSSLCore

private let sigExport = Signature("export_keying_material", ["label", "olen", "context"], required: 2)

private func optionalBytes(_ bytes: [UInt8]?) throws(PythonException) -> PyObjectPointer {
    guard let bytes else { return returnNone() }
    return try pyBytes(bytes)
}

/// Calls a method of the connection's socket with the given arguments (borrowed).
private func callSocket(_ state: ConnectionState, _ name: String, _ arguments: [PyObjectPointer]) throws(PythonException) -> PyObjectPointer {
    guard let socket = state.socketObject else {
        throw raise(PyExc_AttributeError, "'NoneType' object has no attribute '\(name)'")
    }
    guard let method = PyObject_GetAttrString(socket, name) else { throw PythonException() }
    defer { Py_DecRef(method) }
    guard let result = callPython(method, arguments.map { shim_NewRef($0) }) else { throw PythonException() }
    return result
}

/// Connection methods for sessions, handshake details, DTLS and the socket.
let connectionSessionMethods: [PyMethodDef] = [
    MethodDef.noArgs("get_session", { object, _ in
        withConnection(object) { state throws(PythonException) in
            state.connection.processPendingRecords()
            guard let session = state.connection.session else { return returnNone() }
            return try makeInstance(of: SessionType.type, state: SessionState(session, context: state.contextObject))
        }
    }, doc: "get_session() -> Session | None: the current session (TLS 1.3 tickets already received are processed first)."),

    MethodDef.keywords("set_session", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "set_session", "session") { object, value in
        withStateMachine(object, "set_session", drivesIO: false) { state throws(PythonException) in
            guard isInstance(value!, of: SessionType.type) else { throw typeError("session must be a Session instance") }
            guard let session = existingState(of: value, SessionState.self), session.context.object == state.contextObject else {
                throw valueError("session must have been created by a Connection using the same Context as this one")
            }
            try sslCall { () throws(OpenSSLError) in try state.connection.setSession(session.session) }
            return returnNone()
        }
    } }, doc: "set_session(session): offer a session from a Connection on the same Context for resumption."),

    MethodDef.noArgs("session_reused", { object, _ in
        withConnection(object) { state in pyBool(state.connection.sessionReused) }
    }, doc: "session_reused() -> bool: whether the handshake resumed a session."),

    MethodDef.noArgs("get_finished", { object, _ in
        withConnection(object) { state throws(PythonException) in try optionalBytes(state.connection.finishedMessage) }
    }, doc: "get_finished() -> bytes | None: the last Finished message sent."),

    MethodDef.noArgs("get_peer_finished", { object, _ in
        withConnection(object) { state throws(PythonException) in try optionalBytes(state.connection.peerFinishedMessage) }
    }, doc: "get_peer_finished() -> bytes | None: the last Finished message received."),

    MethodDef.noArgs("client_random", { object, _ in
        withConnection(object) { state throws(PythonException) in try optionalBytes(state.connection.clientRandom) }
    }, doc: "client_random() -> bytes | None"),

    MethodDef.noArgs("server_random", { object, _ in
        withConnection(object) { state throws(PythonException) in try optionalBytes(state.connection.serverRandom) }
    }, doc: "server_random() -> bytes | None"),

    MethodDef.noArgs("master_key", { object, _ in
        withConnection(object) { state throws(PythonException) in
            // A TLS 1.3 client has no secret until a ticket arrives: an error, as in pyOpenSSL.
            if let key = state.connection.masterKey, key.isEmpty { throw raiseSSLError(OpenSSLError.drainQueue()) }
            return try optionalBytes(state.connection.masterKey)
        }
    }, doc: "master_key() -> bytes | None: the session's master secret."),

    MethodDef.keywords("export_keying_material", { object, args, nargs, kwnames in
        withConnection(object) { state throws(PythonException) in
            let parsed = try Arguments(args, nargs, kwnames, sigExport)
            let label = try bytesArgument(parsed[0]!, "label must be bytes")
            guard shim_Long_Check(parsed[1]!) != 0 else { throw typeError("olen must be an integer") }
            let length = try intArgument(parsed[1]!, "olen")
            if length < 0 { throw valueError("negative length") }

            let context = try parsed.optional(2).map { (o) throws(PythonException) in try bytesArgument(o, "context must be bytes") }
            // Written straight into the result, which Python allocates (a
            // failed allocation is a MemoryError, not a crash).
            guard let material = PyBytes_FromStringAndSize(nil, length) else { throw PythonException() }
            do throws(PythonException) {
                let output = UnsafeMutableRawBufferPointer(start: PyBytes_AsString(material), count: length)
                try sslCall { () throws(OpenSSLError) in
                    try state.connection.exportKeyingMaterial(label: label, context: context, into: output)
                }
            } catch {
                Py_DecRef(material)
                throw error
            }
            return material
        }
    }, doc: "export_keying_material(label, olen, context=None) -> bytes (RFC 5705)."),

    MethodDef.noArgs("get_group_name", { object, _ in
        withConnection(object) { state throws(PythonException) in
            guard let name = state.connection.groupName else { return returnNone() }
            return try pyString(name)
        }
    }, doc: "get_group_name() -> str | None: the key-exchange group, or None before a session."),

    MethodDef.noArgs("renegotiate", { object, _ in
        withStateMachine(object, "renegotiate") { state throws(PythonException) in
            if state.connection.renegotiationPending { return pyBool(false) }
            try sslCall { () throws(OpenSSLError) in try state.connection.renegotiate() }
            return pyBool(true)
        }
    }, doc: "renegotiate() -> bool: start a renegotiation (TLS 1.2 and below); False if one is pending."),

    MethodDef.noArgs("renegotiate_pending", { object, _ in
        withConnection(object) { state in pyBool(state.connection.renegotiationPending) }
    }, doc: "renegotiate_pending() -> bool"),

    MethodDef.noArgs("total_renegotiations", { object, _ in
        withConnection(object) { state throws(PythonException) in try pyInt(state.connection.totalRenegotiations) }
    }, doc: "total_renegotiations() -> int"),

    MethodDef.keywords("set_options", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "set_options", "options") { object, value in
        withConnection(object) { state throws(PythonException) in
            let options = try unsignedArgument(value!, "options")
            return try pyUnsigned(state.connection.setOptions(TLSOptions(rawValue: options)).rawValue)
        }
    } }, doc: "set_options(options) -> int: add SSL_OP_* bits for this connection; returns the options in force."),

    MethodDef.keywords("set_tlsext_use_srtp", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "set_tlsext_use_srtp", "profiles") { object, value in
        withConnection(object) { state throws(PythonException) in
            let profiles = try bytesArgument(value!, "profiles must be a byte string.")
            let text = try cText(profiles, "profiles")
            try sslCall { () throws(OpenSSLError) in try state.connection.setSRTPProfiles(text) }
            return returnNone()
        }
    } }, doc: "set_tlsext_use_srtp(profiles: bytes): offer SRTP protection profiles."),

    MethodDef.noArgs("get_selected_srtp_profile", { object, _ in
        withConnection(object) { state throws(PythonException) in try pyBytes(state.connection.selectedSRTPProfile ?? "") }
    }, doc: "get_selected_srtp_profile() -> bytes: the SRTP profile chosen, or b''."),

    MethodDef.noArgs("request_ocsp", { object, _ in
        withConnection(object) { state throws(PythonException) in
            try sslCall { () throws(OpenSSLError) in try state.connection.requestOCSPStapling() }
            return returnNone()
        }
    }, doc: "request_ocsp(): ask the server to staple an OCSP response."),

    MethodDef.keywords("set_ciphertext_mtu", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "set_ciphertext_mtu", "mtu") { object, value in
        withConnection(object) { state throws(PythonException) in
            guard shim_Long_Check(value!) != 0 else { throw typeError("mtu must be an integer") }
            let mtu = try intArgument(value!, "mtu")
            // pyOpenSSL ignores whether OpenSSL took the value; so do we.
            _ = try? state.connection.setMTU(mtu)
            return returnNone()
        }
    } }, doc: "set_ciphertext_mtu(mtu): the largest DTLS datagram payload."),

    MethodDef.noArgs("get_cleartext_mtu", { object, _ in
        withConnection(object) { state throws(PythonException) in try pyInt(state.connection.cleartextMTU) }
    }, doc: "get_cleartext_mtu() -> int: how much data fits one DTLS datagram."),

    MethodDef.noArgs("DTLSv1_listen", { object, _ in
        withStateMachine(object, "DTLSv1_listen") { state throws(PythonException) in
            let result = try state.io { state.connection.dtlsListen() }
            try state.check(result)
            return returnNone()
        }
    }, doc: "DTLSv1_listen(): wait for a ClientHello with a valid cookie (WantReadError until one arrived)."),

    MethodDef.noArgs("DTLSv1_get_timeout", { object, _ in
        withConnection(object) { state throws(PythonException) in
            guard let seconds = state.connection.dtlsTimeout else { return returnNone() }
            guard let value = PyFloat_FromDouble(seconds) else { throw PythonException() }
            return value
        }
    }, doc: "DTLSv1_get_timeout() -> float | None: seconds until DTLSv1_handle_timeout() is due."),

    MethodDef.noArgs("DTLSv1_handle_timeout", { object, _ in
        withStateMachine(object, "DTLSv1_handle_timeout") { state throws(PythonException) in
            let result = try state.io { state.connection.dtlsHandleTimeout() }
            return pyBool(try state.check(result))
        }
    }, doc: "DTLSv1_handle_timeout() -> bool: retransmit if the timer expired."),

    MethodDef.keywords("connect", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "connect", "addr") { object, address in
        withStateMachine(object, "connect", drivesIO: false) { state throws(PythonException) in
            state.connection.setConnectState()
            return try callSocket(state, "connect", [address!])
        }
    } }, doc: "connect(addr): connect the socket and act as the client."),

    MethodDef.keywords("connect_ex", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "connect_ex", "addr") { object, address in
        withStateMachine(object, "connect_ex", drivesIO: false) { state throws(PythonException) in
            guard state.socketObject != nil else { throw raise(PyExc_AttributeError, "'NoneType' object has no attribute 'connect_ex'") }
            state.connection.setConnectState()
            return try callSocket(state, "connect_ex", [address!])
        }
    } }, doc: "connect_ex(addr) -> int: like connect(), returning an error code instead of raising."),

    MethodDef.noArgs("accept", { object, _ in
        withConnection(object) { state throws(PythonException) in
            let accepted = try callSocket(state, "accept", [])
            defer { Py_DecRef(accepted) }
            guard let client = PyTuple_GetItem(accepted, 0), let address = PyTuple_GetItem(accepted, 1),
                  let context = state.contextObject else { throw PythonException() }
            let arguments = try pyTuple([shim_NewRef(context), shim_NewRef(client)])
            defer { Py_DecRef(arguments) }
            guard let connection = PyObject_Call(typeObject(ConnectionType.type), arguments, nil) else { throw PythonException() }
            try OpenSSLPython.state(of: connection, ConnectionState.self).connection.setAcceptState()
            return try pyTuple([connection, shim_NewRef(address)])
        }
    }, doc: "accept() -> (Connection, address): accept on the socket; the new Connection acts as the server."),
]
