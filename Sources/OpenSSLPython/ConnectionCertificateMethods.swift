@preconcurrency import CPython
import OpenSSLCore

/// `[X509]` or cryptography certificates, or None.
private func certificateListResult(_ certificates: [Certificate]?, asCryptography: Bool) throws(PythonException) -> PyObjectPointer {
    guard let certificates else { return returnNone() }
    var items: [PyObjectPointer] = []
    for certificate in certificates {
        items.append(try makeCertificateResult(certificate, asCryptography: asCryptography))
    }
    return try pyList(items)
}

/// Connection methods that take or return certificates, keys and names.
let connectionCertificateMethods: [PyMethodDef] = [
    MethodDef.keywords("use_certificate", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "use_certificate", "cert") { object, value in
        withConnection(object) { state throws(PythonException) in
            let certificate = try certificateArgument(value!, warnForX509: true)
            try sslCall { () throws(OpenSSLError) in try state.connection.useCertificate(certificate) }
            return returnNone()
        }
    } }, doc: "use_certificate(cert): this connection's certificate."),

    MethodDef.keywords("use_privatekey", { o_, a_, n_, k_ in oneArgument(o_, a_, n_, k_, "use_privatekey", "pkey") { object, value in
        withConnection(object) { state throws(PythonException) in
            let key = try keyArgument(value!, warnForPKey: true)
            try sslCall { () throws(OpenSSLError) in try state.connection.usePrivateKey(key) }
            return returnNone()
        }
    } }, doc: "use_privatekey(pkey): this connection's private key."),

    MethodDef.keywords("get_certificate", { object, args, nargs, kwnames in
        withConnection(object) { state throws(PythonException) in
            let asCryptography = try keywordFlag(args, nargs, kwnames, name: "as_cryptography", function: "get_certificate")
            guard let certificate = state.connection.localCertificate else { return returnNone() }
            return try makeCertificateResult(certificate, asCryptography: asCryptography)
        }
    }, doc: "get_certificate(*, as_cryptography=False): this side's certificate, or None."),

    MethodDef.keywords("get_peer_certificate", { object, args, nargs, kwnames in
        withConnection(object) { state throws(PythonException) in
            let asCryptography = try keywordFlag(args, nargs, kwnames, name: "as_cryptography", function: "get_peer_certificate")
            guard let certificate = state.connection.peerCertificate else { return returnNone() }
            return try makeCertificateResult(certificate, asCryptography: asCryptography)
        }
    }, doc: "get_peer_certificate(*, as_cryptography=False): the peer's certificate, or None."),

    MethodDef.keywords("get_peer_cert_chain", { object, args, nargs, kwnames in
        withConnection(object) { state throws(PythonException) in
            let asCryptography = try keywordFlag(args, nargs, kwnames, name: "as_cryptography", function: "get_peer_cert_chain")
            return try certificateListResult(state.connection.peerCertificateChain, asCryptography: asCryptography)
        }
    }, doc: "get_peer_cert_chain(*, as_cryptography=False): the chain the peer sent, or None."),

    MethodDef.keywords("get_verified_chain", { object, args, nargs, kwnames in
        withConnection(object) { state throws(PythonException) in
            let asCryptography = try keywordFlag(args, nargs, kwnames, name: "as_cryptography", function: "get_verified_chain")
            return try certificateListResult(state.connection.verifiedChain, asCryptography: asCryptography)
        }
    }, doc: "get_verified_chain(*, as_cryptography=False): the verified chain, leaf first, or None."),

    MethodDef.keywords("get_client_ca_list", { object, args, nargs, kwnames in
        withConnection(object) { state throws(PythonException) in
            let asCryptography = try keywordFlag(args, nargs, kwnames, name: "as_cryptography", function: "get_client_ca_list")
            var items: [PyObjectPointer] = []
            for name in state.connection.clientCANames {
                if asCryptography {
                    items.append(try CryptoSupport.call("load_name_der", [try pyBytes(name.derBytes)]))
                } else {
                    items.append(try makeInstance(of: X509NameType.type, state: NameState(name)))
                }
            }
            return try pyList(items)
        }
    }, doc: "get_client_ca_list(*, as_cryptography=False): CA names the server sends or the client received."),
]
