@preconcurrency import CPython
import OpenSSLCore

// Connection methods beyond pyOpenSSL 26.4: what its users asked for.

private let sigSendFile = Signature("sendfile", ["file", "offset", "count"], required: 1)

/// The descriptor of a file object (or an int).
private func fileDescriptorArgument(_ object: PyObjectPointer) throws(PythonException) -> Int32 {
    let fd = PyObject_AsFileDescriptor(object)
    if fd < 0 { throw PythonException() }
    return fd
}

let connectionExtrasMethods: [PyMethodDef] = [
    MethodDef.keywords("set_verify_hostname", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "set_verify_hostname", "hostname") { object, value in
        withConnection(object) { state throws(PythonException) in
            guard shim_Unicode_Check(value!) != 0 else { throw typeError("hostname must be a str") }
            let hostname = try swiftString(value!)
            if hostname.isEmpty || hostname.contains("\0") { throw valueError("hostname must be a non-empty name without NUL") }
            // A DNS name has at most 253 characters. OpenSSL 4.0 also checks the
            // syntax (labels of 1-63 characters, ...); 3.x takes any text.
            func refused() -> PythonException {
                valueError("not a valid host name: '\(hostname.prefix(80))\(hostname.count > 80 ? "..." : "")'")
            }
            if hostname.utf8.count > 253 { throw refused() }
            do { try state.connection.setVerifyHostname(hostname) } catch { throw refused() }
            return returnNone()
        }
    } }, doc: "set_verify_hostname(hostname: str): certificate verification also checks the peer's certificate names this host."),

    MethodDef.keywords("set_verify_ip", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "set_verify_ip", "address") { object, value in
        withConnection(object) { state throws(PythonException) in
            guard shim_Unicode_Check(value!) != 0 else { throw typeError("address must be a str") }
            let address = try swiftString(value!)
            do { try state.connection.setVerifyIPAddress(address) } catch {
                throw valueError("not an IPv4 or IPv6 address: '\(address)'")
            }
            return returnNone()
        }
    } }, doc: "set_verify_ip(address: str): certificate verification also checks the peer's certificate names this IP address."),

    MethodDef.noArgs("verify_client_post_handshake", { object, _ in
        withConnection(object) { state throws(PythonException) in
            try sslCall { () throws(OpenSSLError) in try state.connection.requestClientCertificate() }
            return returnNone()
        }
    }, doc: "verify_client_post_handshake(): ask a TLS 1.3 client for its certificate now (sent with the next I/O)."),

    MethodDef.noArgs("uses_ktls_send", { object, _ in
        withConnection(object) { state in pyBool(state.connection.usesKernelTLSSend) }
    }, doc: "uses_ktls_send() -> bool: whether the kernel encrypts this connection's writes (kernel TLS)."),

    MethodDef.keywords("sendfile", { object, args, nargs, kwnames in
        withStateMachine(object, "sendfile") { state throws(PythonException) in
            let parsed = try Arguments(args, nargs, kwnames, sigSendFile)
            let fd = try fileDescriptorArgument(parsed[0]!)
            let offset = try parsed.optional(1).map { (o) throws(PythonException) in try intArgument(o, "offset") } ?? 0
            let count = try parsed.optional(2).map { (o) throws(PythonException) in try intArgument(o, "count") }
            if offset < 0 || (count ?? 0) < 0 { throw valueError("offset and count must not be negative") }
            var sent = 0
            var error: TLSIOError?
            while true {
                let step = state.ioStep { state.connection.sendFile(fd: fd, offset: offset + sent, count: count.map { $0 - sent }) }
                sent += step.sent
                error = step.error
                // A signal cut it short: what `io` does for the other calls.
                guard !state.connection.isMemoryTransport, error == .wantRead || error == .wantWrite else { break }
                do { if try !state.retryAfterSignal() { break } } catch { throw attachBytesSent(sent) }
            }
            if let error {
                do { _ = try state.check(Result<Int, TLSIOError>.failure(error)) as Int } catch { throw attachBytesSent(sent) }
            }
            if sent == 0 { _ = try state.check(Result<Int, TLSIOError>.success(0)) }
            return try pyInt(sent)
        }
    }, doc: "sendfile(file, offset=0, count=None) -> int: send a file's bytes, with kernel TLS when active; a Want error carries bytes_sent."),
]
