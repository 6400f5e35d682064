@preconcurrency import CPython
import OpenSSLCore

private let sigSend = Signature("send", ["buf", "flags"], required: 1)
private let sigSendAll = Signature("sendall", ["buf", "flags"], required: 1)
private let sigRecv = Signature("recv", ["bufsiz", "flags"], required: 1)
private let sigRecvInto = Signature("recv_into", ["buffer", "nbytes", "flags"], required: 1)

/// `socket.MSG_PEEK` (the same value on Linux and the BSDs).
private let messagePeek = 2
/// The largest single SSL_write: its length is a C int.
private let maximumWrite = Int(Int32.max)
/// The largest single `recv`: SSL_read returns at most one record, and a
/// record holds at most 16 KiB, so a larger request would only waste memory.
private let maximumRead = 16 * 1024

let connectionMethods: [PyMethodDef] = [
    MethodDef.noArgs("set_accept_state", { object, _ in
        withStateMachine(object, "set_accept_state", drivesIO: false) { state in
            state.connection.setAcceptState()
            return returnNone()
        }
    }, doc: "set_accept_state(): act as the server."),

    MethodDef.noArgs("set_connect_state", { object, _ in
        withStateMachine(object, "set_connect_state", drivesIO: false) { state in
            state.connection.setConnectState()
            return returnNone()
        }
    }, doc: "set_connect_state(): act as the client."),

    MethodDef.noArgs("do_handshake", { object, _ in
        withStateMachine(object, "do_handshake") { state throws(PythonException) in
            // A handshake step is real crypto: without the GIL even over memory BIOs.
            let result = try state.io(bulk: .max) { state.connection.doHandshake() }
            try state.check(result)
            return returnNone()
        }
    }, doc: "do_handshake(): run or continue the handshake; WantReadError/WantWriteError ask to call again."),

    MethodDef.keywords("send", { object, args, nargs, kwnames in
        withStateMachine(object, "send") { state throws(PythonException) in
            let parsed = try Arguments(args, nargs, kwnames, sigSend)
            try checkSendLength(parsed[0]!)
            return try withSendBuffer(parsed[0]!, state) { state, buffer throws(PythonException) in
                if buffer.count > maximumWrite { throw valueError("Cannot send more than 2**31-1 bytes at once.") }
                let result = try state.io(bulk: buffer.count) { state.connection.write(UnsafeRawBufferPointer(buffer)) }
                return try pyInt(try state.checkTransfer(result))
            }
        }
    }, doc: "send(buf, flags=0) -> int: encrypt and send bytes; returns how many were taken. flags is ignored."),

    MethodDef.keywords("sendall", { object, args, nargs, kwnames in
        withStateMachine(object, "sendall") { state throws(PythonException) in
            let parsed = try Arguments(args, nargs, kwnames, sigSendAll)
            return try withSendBuffer(parsed[0]!, state) { state, buffer throws(PythonException) in
                var sent = 0
                while sent < buffer.count {
                    let chunk = UnsafeRawBufferPointer(rebasing: buffer[sent..<min(buffer.count, sent + maximumWrite)])
                    do {
                        sent += try state.checkTransfer(try state.io(bulk: chunk.count) { state.connection.write(chunk) })
                    } catch { throw attachBytesSent(sent) }
                }
                return try pyInt(sent)
            }
        }
    }, doc: "sendall(buf, flags=0) -> int: send every byte, calling send() as often as needed."),

    MethodDef.keywords("recv", { object, args, nargs, kwnames in
        withStateMachine(object, "recv") { state throws(PythonException) in
            let parsed = try Arguments(args, nargs, kwnames, sigRecv)
            let size = try sizeArgument(parsed[0]!, "bufsiz")
            let peek = try flagsArgument(parsed.optional(1)) & messagePeek != 0
            let buffer = state.scratchBuffer(min(size, maximumRead))
            let count: Int
            if let kept = state.readPushback(into: buffer, peek: peek) {
                count = kept
            } else {
                let result = try state.io { state.connection.read(into: buffer, peek: peek) }
                count = try state.checkRead(result, buffer)
            }
            guard let bytes = PyBytes_FromStringAndSize(buffer.baseAddress?.assumingMemoryBound(to: CChar.self), count) else {
                throw PythonException()
            }
            return bytes
        }
    }, doc: "recv(bufsiz, flags=None) -> bytes: receive and decrypt up to bufsiz bytes; flags may be MSG_PEEK."),

    MethodDef.keywords("recv_into", { object, args, nargs, kwnames in
        withStateMachine(object, "recv_into") { state throws(PythonException) in
            let parsed = try Arguments(args, nargs, kwnames, sigRecvInto)
            let peek = try flagsArgument(parsed.optional(2)) & messagePeek != 0
            return try withBuffer(parsed[0]!, writable: true) { whole throws(PythonException) in
                let limit = try parsed.optional(1).map { (o) throws(PythonException) in try limitArgument(o, bufferSize: whole.count) }
                let buffer = UnsafeMutableRawBufferPointer(rebasing: whole[0..<(limit ?? whole.count)])
                if let kept = state.readPushback(into: buffer, peek: peek) { return try pyInt(kept) }
                let result = try state.io { state.connection.read(into: buffer, peek: peek) }
                return try pyInt(try state.checkRead(result, buffer))
            }
        }
    }, doc: "recv_into(buffer, nbytes=None, flags=None) -> int: receive straight into a writable buffer."),

    MethodDef.noArgs("pending", { object, _ in
        withStateForGetter(object, ConnectionState.self, "Connection") { state throws(PythonException) in
            try pyInt(state.connection.pendingBytes + state.pushback.count)
        }
    }, doc: "pending() -> int: decrypted bytes ready to be read without touching the transport."),

    MethodDef.keywords("bio_read", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "bio_read", "bufsiz") { object, value in
        withConnection(object) { state throws(PythonException) in
            try state.requireMemoryTransport()
            if shim_Long_CheckExact(value!) == 0, shim_Long_Check(value!) == 0 { throw typeError("bufsiz must be an integer") }
            let size = try sizeArgument(value!, "bufsiz")
            // Straight into a bytes object of the exact size waiting (a memory
            // BIO hands over all it holds, so the size is right).
            var bytes: PyObjectPointer?
            let direct = state.connection.readFromNetworkOutput(limit: size) { count in
                bytes = PyBytes_FromStringAndSize(nil, count)
                return bytes.flatMap { PyBytes_AsString($0) }.map { UnsafeMutableRawPointer($0) }
            }
            if let direct, let bytes {
                do throws(PythonException) {
                    guard try state.check(direct) == PyBytes_Size(bytes) else { throw valueError("memory BIO returned fewer bytes than pending") }
                } catch {
                    Py_DecRef(bytes)
                    throw error
                }
                return bytes
            }
            if bytes == nil, PyErr_Occurred() != nil { throw PythonException() }
            return try bioReadWithNothingWaiting(state, size)
        }
    } }, doc: "bio_read(bufsiz) -> bytes: take bytes the connection wants sent to the peer (memory BIO only)."),

    MethodDef.keywords("bio_write", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "bio_write", "buf") { object, value in
        withConnection(object) { state throws(PythonException) in
            try state.requireMemoryTransport()
            return try withSendBuffer(value!, state) { state, buffer throws(PythonException) in
                // BIO_write takes a C int length.
                if buffer.count > Int(Int32.max) { throw raise(PyExc_OverflowError, "integer \(buffer.count) does not fit '32-bit int'") }
                return try pyInt(try state.check(state.connection.writeToNetworkInput(UnsafeRawBufferPointer(buffer))))
            }
        }
    } }, doc: "bio_write(buf) -> int: hand the connection bytes received from the peer (memory BIO only)."),

    MethodDef.noArgs("bio_shutdown", { object, _ in
        withConnection(object) { state throws(PythonException) in
            try state.requireMemoryTransport()
            state.connection.shutdownNetworkInput()
            return returnNone()
        }
    }, doc: "bio_shutdown(): tell the connection that the peer's bytes have ended."),

    MethodDef.noArgs("shutdown", { object, _ in
        withIO(object) { state throws(PythonException) in
            let result = try state.io { state.connection.shutdown() }
            return pyBool(try state.check(result))
        }
    }, doc: "shutdown() -> bool: send close_notify; True once the peer's close_notify has arrived too."),

    MethodDef.noArgs("get_shutdown", { object, _ in
        withStateForGetter(object, ConnectionState.self, "Connection") { state throws(PythonException) in try pyInt(Int(state.connection.shutdownState.rawValue)) }
    }, doc: "get_shutdown() -> int: SENT_SHUTDOWN and RECEIVED_SHUTDOWN bits."),

    MethodDef.keywords("set_shutdown", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "set_shutdown", "state") { object, value in
        withConnection(object) { state throws(PythonException) in
            guard shim_Long_Check(value!) != 0 else { throw typeError("state must be an integer") }
            state.connection.shutdownState = ShutdownState(rawValue: try int32Argument(value!, "state"))
            return returnNone()
        }
    } }, doc: "set_shutdown(state): set the SENT_SHUTDOWN / RECEIVED_SHUTDOWN bits."),

    MethodDef.noArgs("want_read", { object, _ in
        withStateForGetter(object, ConnectionState.self, "Connection") { state in pyBool(state.connection.wantsRead) }
    }, doc: "want_read() -> bool: whether the connection is waiting for bytes from the peer."),

    MethodDef.noArgs("want_write", { object, _ in
        withStateForGetter(object, ConnectionState.self, "Connection") { state in pyBool(state.connection.wantsWrite) }
    }, doc: "want_write() -> bool: whether the connection has bytes waiting to be sent."),
]

/// Sets `bytes_sent` on the exception being raised, so a caller of
/// `sendall` on a non-blocking socket knows where to resume.
func attachBytesSent(_ sent: Int) -> PythonException {
    var type: PyObjectPointer?, value: PyObjectPointer?, traceback: PyObjectPointer?
    PyErr_Fetch(&type, &value, &traceback)
    PyErr_NormalizeException(&type, &value, &traceback)
    if let value, let count = try? pyInt(sent) {
        if PyObject_SetAttrString(value, "bytes_sent", count) < 0 { PyErr_Clear() }
        Py_DecRef(count)
    }
    PyErr_Restore(type, value, traceback)
    return PythonException()
}

/// `bio_read` with nothing waiting (or bufsiz 0): OpenSSL's own answer, as
/// pyOpenSSL gets it (out of line: the usual call finds bytes waiting).
@inline(never)
private func bioReadWithNothingWaiting(_ state: ConnectionState, _ size: Int) throws(PythonException) -> PyObjectPointer {
    let buffer = UnsafeMutableRawBufferPointer(rebasing: state.scratchBuffer(16)[0..<min(size, 16)])
    let count = try state.check(state.connection.readFromNetworkOutput(into: buffer))
    guard let bytes = PyBytes_FromStringAndSize(buffer.baseAddress?.assumingMemoryBound(to: CChar.self), count) else {
        throw PythonException()
    }
    return bytes
}

/// A non-negative size argument (`bufsiz`, `nbytes`).
@inline(__always)
private func sizeArgument(_ object: PyObjectPointer, _ name: StaticString) throws(PythonException) -> Int {
    if shim_Long_CheckExact(object) != 0 {
        let value = PyLong_AsSsize_t(object)
        if value >= 0 { return value }
        if PyErr_Occurred() != nil { throw PythonException() }  // too large
    }
    return try sizeArgumentInGeneral(object, name)
}

/// int subclasses, and every error (out of line).
@inline(never)
private func sizeArgumentInGeneral(_ object: PyObjectPointer, _ name: StaticString) throws(PythonException) -> Int {
    guard shim_Long_Check(object) != 0 else { throw typeError("\(name) must be an integer, not \(typeName(of: object))") }
    let value = PyLong_AsSsize_t(object)
    if value == -1, PyErr_Occurred() != nil { throw PythonException() }
    if value < 0 { throw valueError("negative array length") }
    return value
}

/// `flags` for recv: pyOpenSSL only tests the MSG_PEEK bit, so any int does.
private func flagsArgument(_ object: PyObjectPointer?) throws(PythonException) -> Int {
    guard let object else { return 0 }
    return Int(truncatingIfNeeded: try bitsArgument(object, "flags"))
}

/// `nbytes` for recv_into: min(nbytes, len(buffer)), so a huge value means the whole buffer.
private func limitArgument(_ object: PyObjectPointer, bufferSize: Int) throws(PythonException) -> Int {
    guard shim_Long_Check(object) != 0 else { throw typeError("nbytes must be an integer, not \(typeName(of: object))") }
    var overflow: Int32 = 0
    let value = PyLong_AsLongLongAndOverflow(object, &overflow)
    if overflow > 0 { return bufferSize }
    if overflow < 0 || value < 0 { throw valueError("negative array length") }
    if value == -1, PyErr_Occurred() != nil { throw PythonException() }
    return min(Int(value), bufferSize)
}

/// pyOpenSSL refuses more than 2**31-1 bytes by Python's `len(buf)` before
/// anything else, so a buffer whose `__len__` claims more is refused even
/// on a Connection that could not send. bytes, bytearray and memoryview have
/// no such `__len__`: their real size is checked where it is sent.
@inline(__always)
private func checkSendLength(_ object: PyObjectPointer) throws(PythonException) {
    if shim_Bytes_CheckExact(object) == 0 { try checkOtherSendLength(object) }
}

@inline(never)
private func checkOtherSendLength(_ object: PyObjectPointer) throws(PythonException) {
    if shim_ByteArray_CheckExact(object) != 0 || shim_MemoryView_CheckExact(object) != 0 { return }
    // str is checked by its UTF-8 size; a non-buffer gets its TypeError later.
    if shim_Unicode_Check(object) != 0 || PyObject_CheckBuffer(object) == 0 { return }
    let length = PyObject_Size(object)
    if length < 0 { throw PythonException() }
    if length > maximumWrite { throw valueError("Cannot send more than 2**31-1 bytes at once.") }
}

/// The bytes to send: any buffer, or str (deprecated, sent as UTF-8).
/// `state` is handed to `body` rather than captured by it: a capturing
/// closure costs an atomic retain and release of the state per call.
@inline(__always)
private func withSendBuffer(_ object: PyObjectPointer, _ state: ConnectionState,
                            _ body: (ConnectionState, UnsafeMutableRawBufferPointer) throws(PythonException) -> PyObjectPointer) throws(PythonException) -> PyObjectPointer {
    // bytes, the usual case, without the buffer protocol's round trip
    // (bytes are immutable, so the storage stays put while we use it).
    if shim_Bytes_CheckExact(object) != 0, let storage = PyBytes_AsString(object) {
        return try body(state, UnsafeMutableRawBufferPointer(start: storage, count: PyBytes_Size(object)))
    }
    return try withOtherSendBuffer(object) { buffer throws(PythonException) in try body(state, buffer) }
}

/// The rest of `withSendBuffer`, out of line: bytes subclasses, str, and
/// other buffers.
@inline(never)
private func withOtherSendBuffer(_ object: PyObjectPointer, _ body: (UnsafeMutableRawBufferPointer) throws(PythonException) -> PyObjectPointer) throws(PythonException) -> PyObjectPointer {
    if shim_Bytes_Check(object) != 0, let storage = PyBytes_AsString(object) {
        return try body(UnsafeMutableRawBufferPointer(start: storage, count: PyBytes_Size(object)))
    }
    if shim_Unicode_Check(object) != 0 {
        try warnDeprecated("str for buf is no longer accepted, use bytes")
        try requireCopyable(PyUnicode_GetLength(object) * 4)
        var bytes = Array(try swiftString(object).utf8)
        let result = bytes.withUnsafeMutableBytes { raw in Result { () throws(PythonException) in try body(raw) } }
        return try result.get()
    }
    return try withBuffer(object, body)
}
