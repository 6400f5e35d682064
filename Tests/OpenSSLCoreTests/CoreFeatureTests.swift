import OpenSSLCore
import Testing

@Suite struct CoreFeatureTests {
    @Test func tls13SessionResumes() throws {
        let serverCtx = try serverContext(certificate: Fixtures.ecCertificate, key: Fixtures.ecKey)
        let clientCtx = try verifyingClientContext()
        let first = try TLSConnection(context: clientCtx)
        let firstServer = try TLSConnection(context: serverCtx)
        first.setConnectState()
        firstServer.setAcceptState()
        try handshake(first, firstServer)
        shuttle(from: firstServer, to: first)   // the tickets come after the handshake
        first.processPendingRecords()
        let session = try #require(first.session)
        #expect(session.isResumable)

        let second = try TLSConnection(context: clientCtx)
        let secondServer = try TLSConnection(context: serverCtx)
        second.setConnectState()
        secondServer.setAcceptState()
        try second.setSession(session)
        try handshake(second, secondServer)
        #expect(second.sessionReused)
        #expect(!first.sessionReused)
    }

    @Test func alpnAndServerNameCallbacks() throws {
        let serverCtx = try serverContext(certificate: Fixtures.rsaCertificate, key: Fixtures.rsaKey)
        nonisolated(unsafe) var seenName: [UInt8]?
        serverCtx.setServerNameCallback { connection in
            seenName = connection.serverName
            return true
        }
        serverCtx.setALPNSelectCallback { _, offered in
            offered.contains(Array("http/1.1".utf8)) ? .selected(Array("http/1.1".utf8)) : .noOverlap
        }
        let clientCtx = try verifyingClientContext()
        try clientCtx.setALPNProtocols([Array("h2".utf8), Array("http/1.1".utf8)])
        let client = try TLSConnection(context: clientCtx)
        let server = try TLSConnection(context: serverCtx)
        client.setConnectState()
        server.setAcceptState()
        try client.setServerName("localhost")
        try handshake(client, server)
        #expect(seenName == Array("localhost".utf8))
        #expect(client.negotiatedALPN == Array("http/1.1".utf8))
    }

    @Test func hostnameVerification() throws {
        let serverCtx = try serverContext(certificate: Fixtures.ecCertificate, key: Fixtures.ecKey)
        for (name, shouldPass) in [("localhost", true), ("example.com", false)] {
            let client = try TLSConnection(context: verifyingClientContext())
            let server = try TLSConnection(context: serverCtx)
            client.setConnectState()
            server.setAcceptState()
            try client.setVerifyHostname(name)
            if shouldPass {
                try handshake(client, server)
            } else {
                #expect(throws: TLSIOError.self) { try handshake(client, server) }
                #expect(VerificationCodes.message(for: Int32(client.verifyResult)).contains("hostname"))
            }
        }
    }

    @Test func certificateStoreVerifiesTheChain() throws {
        let store = try CertificateStore()
        let leaf = try Certificate(pem: Fixtures.rsaCertificate)
        #expect(throws: VerificationFailure.self) { try store.verify(leaf) }
        try store.add(Certificate(pem: Fixtures.caCertificate))
        let chain = try store.verify(leaf)
        #expect(chain.count == 2)
        #expect(chain[0].subjectOneLine.contains("CN=localhost"))
        #expect(leaf.issuer.compare(chain[1].subject) == 0)
    }

    @Test func builtCertificateRoundTrips() throws {
        let key = try PrivateKey.generateEC(curve: "prime256v1")
        let name = try DistinguishedName()
        try name.setValue(Array("core test".utf8), for: #require(DistinguishedName.attributeID("CN")))
        let certificate = try Certificate()
        try certificate.setVersion(2)
        try certificate.setSerialNumber(hex: "2A")
        try certificate.setSubject(name)
        try certificate.setIssuer(name)
        certificate.adjustNotBefore(secondsFromNow: 0)
        certificate.adjustNotAfter(secondsFromNow: 60)
        try certificate.setPublicKey(key)
        try certificate.addExtension("basicConstraints", value: "critical,CA:TRUE")
        try certificate.sign(with: key, digest: "sha256")

        let reparsed = try Certificate(der: certificate.derBytes)
        #expect(reparsed.serialNumberHex == "2A")
        #expect(reparsed.subject.value(of: try #require(DistinguishedName.attributeID("CN"))) == "core test")
        #expect(reparsed.extensionCount == 1)
        #expect(reparsed.hasExpired == false)
        #expect(try reparsed.fingerprint("sha256")?.count == 32)
        #expect(try PrivateKey(pem: key.pemBytes()).bits == 256)
    }

    @Test func encryptedKeyNeedsItsPassphrase() throws {
        let key = try PrivateKey.generateRSA(bits: 2048)
        let pem = try key.pemBytes(cipher: "aes-256-cbc", passphrase: .bytes(Array("secret".utf8)))
        #expect(throws: OpenSSLError.self) { try PrivateKey(pem: pem) }
        #expect(throws: OpenSSLError.self) { try PrivateKey(pem: pem, passphrase: .bytes(Array("wrong".utf8))) }
        let loaded = try PrivateKey(pem: pem, passphrase: .callback { _, _ in Array("secret".utf8) })
        #expect(loaded.bits == 2048)
    }

    @Test func errorsCarryOpenSSLsQueue() throws {
        do {
            _ = try Certificate(pem: Array("not a certificate".utf8))
            Issue.record("expected an error")
        } catch {
            #expect(!error.entries.isEmpty)
            #expect(error.entries.allSatisfy { !$0.reason.isEmpty })
        }
        // The next call starts clean and succeeds.
        #expect(try Certificate(pem: Fixtures.caCertificate).subjectOneLine.contains("Test Root CA"))
    }
}
