import OpenSSLCore
import Testing

/// Moves bytes between two memory-transport connections until both finish
/// the handshake (or a side fails).
func handshake(_ client: TLSConnection, _ server: TLSConnection) throws {
    var finished: [Bool] = [false, false]
    for _ in 0..<20 where finished != [true, true] {
        for (index, side) in [client, server].enumerated() {
            switch side.doHandshake() {
            case .success: finished[index] = true
            case .failure(.wantRead), .failure(.wantWrite): break
            case .failure(let error): throw error
            }
        }
        shuttle(from: client, to: server)
        shuttle(from: server, to: client)
    }
    #expect(finished == [true, true])
}

/// Copies everything `source` wants sent into `destination`'s input.
func shuttle(from source: TLSConnection, to destination: TLSConnection) {
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let result = buffer.withUnsafeMutableBytes { source.readFromNetworkOutput(into: $0) }
        guard case .success(let count) = result else { return }
        _ = buffer.withUnsafeBytes { destination.writeToNetworkInput(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
    }
}

func serverContext(certificate: [UInt8], key: [UInt8]) throws -> TLSContext {
    let context = try TLSContext(method: .tlsServer)
    try context.useCertificateChain(pem: certificate)
    try context.usePrivateKey(PrivateKey(pem: key))
    try context.checkPrivateKey()
    return context
}

func verifyingClientContext(trusting ca: [UInt8] = Fixtures.caCertificate) throws -> TLSContext {
    let context = try TLSContext(method: .tlsClient)
    try context.loadVerifyData(ca)
    context.setVerifyMode(.peer)
    return context
}

func write(_ connection: TLSConnection, _ text: String) -> Result<Int, TLSIOError> {
    Array(text.utf8).withUnsafeBytes { connection.write($0) }
}

func readString(_ connection: TLSConnection) -> Result<String, TLSIOError> {
    var buffer = [UInt8](repeating: 0, count: 4096)
    return buffer.withUnsafeMutableBytes { raw in
        connection.read(into: raw).map { String(decoding: raw[0..<$0], as: UTF8.self) }
    }
}

@Suite struct HandshakeTests {
    @Test(arguments: [TLSProtocolVersion.tls1_2, .tls1_3], [true, false])
    func verifiedHandshakeAndData(version: TLSProtocolVersion, rsa: Bool) throws {
        let serverCtx = try serverContext(certificate: rsa ? Fixtures.rsaCertificate : Fixtures.ecCertificate,
                                          key: rsa ? Fixtures.rsaKey : Fixtures.ecKey)
        try serverCtx.setMaximumProtocolVersion(version)
        let clientCtx = try verifyingClientContext()
        try clientCtx.setALPNProtocols([Array("h2".utf8)])
        let client = try TLSConnection(context: clientCtx)
        let server = try TLSConnection(context: serverCtx)
        client.setConnectState()
        server.setAcceptState()
        try client.setServerName("localhost")
        try handshake(client, server)

        #expect(client.protocolVersion == version)
        #expect(server.serverName == Array("localhost".utf8))
        #expect(client.verifyResult == 0)
        #expect(client.cipherName != nil)
        #expect(client.negotiatedALPN.isEmpty)  // the server has no ALPN callback

        #expect(try write(client, "ping").get() == 4)
        shuttle(from: client, to: server)
        #expect(try readString(server).get() == "ping")
        #expect(try write(server, "pong").get() == 4)
        shuttle(from: server, to: client)
        #expect(try readString(client).get() == "pong")

        // A clean close: close_notify reaches the peer as zeroReturn.
        #expect(try client.shutdown().get() == false)
        shuttle(from: client, to: server)
        #expect(readString(server) == .failure(.zeroReturn))
        #expect(try server.shutdown().get() == true)
        #expect(server.shutdownState == [.sent, .received])
    }

    @Test func untrustedServerFailsVerification() throws {
        let serverCtx = try serverContext(certificate: Fixtures.ecCertificate, key: Fixtures.ecKey)
        let client = try TLSConnection(context: verifyingClientContext(trusting: Fixtures.untrustedCA))
        let server = try TLSConnection(context: serverCtx)
        client.setConnectState()
        server.setAcceptState()
        #expect(throws: TLSIOError.self) { try handshake(client, server) }
        #expect(client.verifyResult != 0)
    }

    @Test func readBeforeDataWantsRead() throws {
        let client = try TLSConnection(context: TLSContext(method: .tls))
        client.setConnectState()
        guard case .failure(.wantRead) = client.doHandshake() else {
            Issue.record("a client with nothing received must want to read")
            return
        }
        #expect(client.networkOutputPending > 0)  // the ClientHello waits to be sent
        #expect(client.cipherName == nil)
    }

    @Test func badCipherListIsAnOpenSSLError() throws {
        let context = try TLSContext(method: .tls)
        #expect(throws: OpenSSLError.self) { try context.setCipherList("no-such-cipher") }
    }

    @Test func missingFileIsAnOpenSSLError() throws {
        let context = try TLSContext(method: .tls)
        do {
            try context.useCertificateFile("/nonexistent/cert.pem")
            Issue.record("expected an error")
        } catch {
            #expect(!error.entries.isEmpty)
        }
    }

    @Test func verifyCallbackSeesTheChainAndCanOverride() throws {
        let serverCtx = try serverContext(certificate: Fixtures.ecCertificate, key: Fixtures.ecKey)
        let clientCtx = try verifyingClientContext(trusting: Fixtures.untrustedCA)
        nonisolated(unsafe) var depths: [Int32] = []
        clientCtx.setVerify(mode: .peer) { _, step in
            depths.append(step.depth)
            return true  // accept whatever OpenSSL decided
        }
        let client = try TLSConnection(context: clientCtx)
        let server = try TLSConnection(context: serverCtx)
        client.setConnectState()
        server.setAcceptState()
        try handshake(client, server)
        #expect(depths.contains(0))
    }

    @Test func libraryVersionMatches() {
        #expect(LibraryInfo.runtimeMatchesBuild)
        #expect(LibraryInfo.versionText(.version).hasPrefix("OpenSSL 3"))
        // The import-time check: patch releases may differ, minor ones not.
        #expect(LibraryInfo.isCompatible(built: 0x3000_0130, loaded: 0x3000_0100))
        #expect(!LibraryInfo.isCompatible(built: 0x3000_0130, loaded: 0x3020_0010))
        #expect(!LibraryInfo.isCompatible(built: 0x3000_0130, loaded: 0x4000_0030))
    }
}
