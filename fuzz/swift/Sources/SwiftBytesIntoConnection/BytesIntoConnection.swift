// libFuzzer target: arbitrary bytes fed into memory-transport TLSConnections
// of the Swift core (OpenSSLCore), the Swift twin of
// fuzz/fuzz_bytes_into_connection.py, with the same input format (so that
// target's corpus seeds this one):
//
//   byte 0  mode (mod 7)
//           0 SERVER_RAW     a fresh TLS server reads the payload (ClientHello...)
//           1 CLIENT_MID     a TLS client that sent its ClientHello reads the payload
//           2 CLIENT_POST    after a real handshake, the client reads the payload
//           3 SERVER_POST    after a real handshake, the server reads the payload
//           4 SCRIPTED_POST  after a real handshake the payload is a script of peer
//                            operations (send, deliver n bytes, flip a byte,
//                            renegotiate / request a client certificate,
//                            shutdown, inject raw bytes, ...)
//           5 DTLS_SERVER    a fresh DTLS server (optionally dtlsListen) reads it
//           6 DTLS_CLIENT    a DTLS client that sent its ClientHello reads it
//   byte 1  flags: 1 TLS 1.2 max, 2 RSA server key (else ECDSA P-256), 4 SNI
//           (+ hostname check + OCSP stapling request), 8 ALPN (+ NPN),
//           16 client certificate requested/sent, post-handshake auth
//           (DTLS server: cookie exchange), 32 the other API (peek first,
//           readFromNetworkOutput(limit:destination:), per-connection
//           verify callback / ALPN / options / MTU / SRTP), 64 legacy
//           (TLS 1.0+, SECLEVEL=0, PSK client, NPN instead of ALPN),
//           128 resume a saved session
//           (DTLS server with 16: dtlsListen)
//   byte 2  chunk size for writeToNetworkInput (0: the whole payload at once)
//   byte 3  extras: 1 write application data, 2 shutdown() at the end,
//           4 shutdownNetworkInput() (EOF) at the end, 8 renegotiate,
//           16 callbacks call the getters, 32 one callback fails (verify,
//           ALPN, SNI, client hello, cookie, NPN, OCSP), 64 info callback,
//           128 one-byte reads
//
// Every server context also has a client-hello callback, a PSK server
// callback, an OCSP callback and a keylog callback, so that the Swift code
// parsing what a peer sent (ClientHello, ALPN/NPN lists, PSK identities)
// sees fuzzed bytes. Outcomes of OpenSSL calls (error codes, states, alerts)
// are fed back through libFuzzer's extra counters, since OpenSSL itself is
// not instrumented.
//
// FUZZ_WRITE_SEEDS=<dir> writes seed inputs recorded from real handshakes
// between these contexts into <dir> and exits.
import FuzzSupport
import OpenSSLCore

// MARK: - Input format

let serverRaw = 0, clientMid = 1, clientPost = 2, serverPost = 3, scriptedPost = 4, dtlsServer = 5, dtlsClient = 6
let modeCount = 7

enum Flag {
    static let tls12 = 1, rsa = 2, sni = 4, alpn = 8, clientAuth = 16, otherIO = 32, legacy = 64, resume = 128
    static let serverKeyMask = tls12 | rsa | sni | alpn | clientAuth | legacy
    static let clientKeyMask = tls12 | sni | alpn | clientAuth | legacy
}

enum Extra {
    static let send = 1, shutdown = 2, eof = 4, renegotiate = 8, introspect = 16, fail = 32, info = 64, smallReads = 128
}

let alpnProtocols: [[UInt8]] = [Array("h2".utf8), Array("http/1.1".utf8)]
let pskIdentity = "fuzz-client"
let pskKey: [UInt8] = Array(0..<32)
let cookie: [UInt8] = Array("fuzz-cookie".utf8)
let ocspResponse: [UInt8] = Array("not really an OCSP response".utf8)
let exporterLabel: [UInt8] = Array("EXPORTER-fuzz".utf8)

// MARK: - State shared by all inputs

final class Harness {
    let pki: TestPKI
    var serverContexts: [Int: TLSContext] = [:]
    var clientContexts: [Int: TLSContext] = [:]
    /// The cache key of each server context, for the SNI callback's switch.
    var serverKeys: [ObjectIdentifier: Int] = [:]
    var sessions: [Int: TLSSession] = [:]
    /// For draining and reading (no allocation per call).
    let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)

    // per input
    var extras = 0
    var failed = false
    var flags = 0

    init() throws { pki = try TestPKI() }

    func serverContext(_ flags: Int, dtls: Bool) -> TLSContext {
        let key = (flags & Flag.serverKeyMask) | (dtls ? 0x100 : 0)
        if let context = serverContexts[key] { return context }
        let context = try! TLSContext(method: dtls ? .dtls : .tls)
        let rsa = flags & Flag.rsa != 0
        try! context.useCertificate(rsa ? pki.serverRSA : pki.serverEC)
        try! context.usePrivateKey(rsa ? pki.serverRSAKey : pki.serverECKey)
        try! context.checkPrivateKey()
        context.setSessionCacheMode(.off)
        try! context.setSessionIDContext(Array("fuzz".utf8))
        if dtls {
            try! context.setSRTPProfiles("SRTP_AES128_CM_SHA1_80:SRTP_AEAD_AES_128_GCM")
            if flags & Flag.clientAuth != 0 {
                context.setOptions(.cookieExchange)
                context.setCookieGenerateCallback(cookieGenerateCallback)
                context.setCookieVerifyCallback(cookieVerifyCallback)
            }
        } else {
            if flags & Flag.legacy != 0 {
                try! context.setCipherList("ALL:@SECLEVEL=0")
                try! context.setMinimumProtocolVersion(.tls1)
            }
            if flags & Flag.tls12 != 0 { try! context.setMaximumProtocolVersion(.tls1_2) }
            try! context.setPSKServerCallback(pskServerCallback, identityHint: "fuzz-hint")
            if flags & Flag.clientAuth != 0 {
                try! context.certificateStore!.add(pki.ca)
                try! context.addClientCA(pki.ca)
                context.setVerify(mode: .peer, callback: verifyCallback)
            }
        }
        if flags & Flag.alpn != 0 {
            context.setALPNSelectCallback(alpnSelectCallback)
            if LibraryInfo.hasNPN { context.setNPNAdvertiseCallback(npnAdvertiseCallback) }
        }
        if flags & Flag.sni != 0 { context.setServerNameCallback(serverNameCallback) }
        context.setClientHelloCallback(clientHelloCallback)
        context.setKeylogCallback(keylogCallback)
        try! context.setOCSPServerCallback(ocspServerCallback)
        serverContexts[key] = context
        serverKeys[ObjectIdentifier(context)] = key
        return context
    }

    func clientContext(_ flags: Int, dtls: Bool) -> TLSContext {
        let key = (flags & Flag.clientKeyMask) | (dtls ? 0x100 : 0)
        if let context = clientContexts[key] { return context }
        let context = try! TLSContext(method: dtls ? .dtls : .tls)
        if dtls {
            try! context.setSRTPProfiles("SRTP_AES128_CM_SHA1_80:SRTP_AEAD_AES_128_GCM")
        } else {
            if flags & Flag.legacy != 0 {
                try! context.setCipherList("ALL:@SECLEVEL=0")
                try! context.setMinimumProtocolVersion(.tls1)
                context.setPSKClientCallback(pskClientCallback)
            }
            if flags & Flag.tls12 != 0 { try! context.setMaximumProtocolVersion(.tls1_2) }
        }
        if flags & Flag.clientAuth != 0 {
            try! context.useCertificate(pki.client)
            try! context.usePrivateKey(pki.clientKey)
            context.setPostHandshakeAuthentication(true)
        }
        try! context.certificateStore!.add(pki.ca)
        context.setVerify(mode: .peer, callback: verifyCallback)
        if flags & Flag.alpn != 0 {
            // A server that selected ALPN ignores NPN: legacy clients offer NPN only
            if flags & Flag.legacy != 0 && LibraryInfo.hasNPN {
                context.setNPNSelectCallback(npnSelectCallback)
            } else {
                try! context.setALPNProtocols(alpnProtocols)
            }
        }
        if flags & Flag.sni != 0 { try! context.setOCSPClientCallback(ocspClientCallback) }
        // sessions are kept by the harness: OpenSSL's client cache would grow with every input
        context.setSessionCacheMode([.client, .noInternalStore])
        context.setKeylogCallback(keylogCallback)
        clientContexts[key] = context
        return context
    }

    func sessionKey(_ flags: Int) -> Int { flags & Flag.clientKeyMask }

    func newServer(_ flags: Int, dtls: Bool) -> TLSConnection {
        let connection = try! TLSConnection(context: serverContext(flags, dtls: dtls))
        connection.setAcceptState()
        if flags & Flag.otherIO != 0 {
            // the per-connection variants of the context settings
            connection.setOptions(.cipherServerPreference)
            if flags & Flag.clientAuth != 0 && !dtls {
                connection.setVerify(mode: [.peer, .clientOnce], callback: verifyCallback)
            }
            if dtls {
                try! connection.setMTU(1200)
                try! connection.setSRTPProfiles("SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80")
            }
        }
        if extras & Extra.info != 0 { connection.setInfoCallback(infoCallback) }
        return connection
    }

    func newClient(_ flags: Int, dtls: Bool) -> TLSConnection {
        let connection = try! TLSConnection(context: clientContext(flags, dtls: dtls))
        connection.setConnectState()
        if flags & Flag.sni != 0 {
            try! connection.setServerName(TestPKI.serverName)
            try! connection.setVerifyHostname(TestPKI.serverName)
            try! connection.requestOCSPStapling()
        }
        if flags & Flag.otherIO != 0 {
            connection.setVerify(mode: .peer, callback: verifyCallback)
            if flags & Flag.alpn != 0 { try! connection.setALPNProtocols([Array("http/1.1".utf8), Array("h2".utf8)]) }
            if dtls { try! connection.setMTU(1400) }
        }
        if flags & Flag.resume != 0, !dtls, let session = sessions[sessionKey(flags)] {
            let result = Result { () throws(OpenSSLError) in try connection.setSession(session) }
            feedback("set_session", outcomeCode(result))
            checkErrorQueue("setSession")
        }
        if extras & Extra.info != 0 { connection.setInfoCallback(infoCallback) }
        return connection
    }

    /// True once per input when extras ask a callback to fail.
    func failOnce() -> Bool {
        guard extras & Extra.fail != 0, !failed else { return false }
        failed = true
        return true
    }
}

nonisolated(unsafe) var harness: Harness!

// MARK: - Callbacks (capture nothing; per-input state lives in `harness`)

func verifyCallback(_ connection: TLSConnection, _ step: VerificationStep) -> Bool {
    inCallback {
        feedback("verify", Int(step.errorCode), Int(step.depth), step.preverified ? 1 : 0, connection.isServer ? 1 : 0)
        if harness.extras & Extra.introspect != 0 {
            if let certificate = step.certificate { inspectCertificate(certificate) }
            introspect(connection, "verify", full: false)
        }
        return !harness.failOnce()
    }
}

func alpnSelectCallback(_ connection: TLSConnection, _ offered: [[UInt8]]) -> ALPNSelection {
    inCallback {
        feedback("alpn", offered.count, offered.first?.count ?? -1)
        if harness.extras & Extra.introspect != 0 { introspect(connection, "alpn", full: false) }
        if harness.failOnce() { return .abort }
        for name in alpnProtocols where offered.contains(name) { return .selected(name) }
        return .noOverlap
    }
}

func serverNameCallback(_ connection: TLSConnection) -> Bool {
    inCallback {
        let name = connection.serverName
        feedback("sni", name?.count ?? -1, name == Array(TestPKI.serverName.utf8) ? 1 : 0)
        if harness.extras & Extra.introspect != 0 { introspect(connection, "sni", full: false) }
        if harness.failOnce() { return false }
        // switch the certificate (RSA <-> ECDSA), as SNI servers do
        if let key = harness.serverKeys[ObjectIdentifier(connection.context)] {
            let other = harness.serverContext((key & 0xFF) ^ Flag.rsa, dtls: key & 0x100 != 0)
            let result = Result { () throws(OpenSSLError) in try connection.setContext(other) }
            feedback("sni.setContext", outcomeCode(result))
        }
        return true
    }
}

func clientHelloCallback(_ connection: TLSConnection, _ hello: ClientHello) -> Bool {
    inCallback {
        feedback("hello", hello.legacyVersion, hello.cipherSuites.count, hello.extensions.count)
        for version in hello.supportedVersions.prefix(8) { feedback("hello.version", version) }
        for type in hello.extensions.prefix(32) { feedback("hello.extension", type) }
        feedback("hello.sni", hello.serverName?.utf8.count ?? -1, hello.alpnProtocols.count)
        blackHole(hello)
        if harness.extras & Extra.introspect != 0 { introspect(connection, "hello", full: false) }
        return !harness.failOnce()
    }
}

func infoCallback(_ connection: TLSConnection, _ whereFlags: Int, _ ret: Int) {
    inCallback {
        feedback("info", whereFlags, ret)
        if harness.extras & Extra.introspect != 0 {
            feedback("info.state", text: connection.stateDescription)
            blackHole(connection.protocolVersionName)
            blackHole(connection.cipherName)
            blackHole(connection.pendingBytes)
            blackHole(connection.isHandshakeDone)
            blackHole(connection.peerCertificate?.subjectOneLine)
            blackHole(connection.session?.id)
        }
    }
}

func keylogCallback(_ connection: TLSConnection, _ line: [UInt8]) {
    inCallback {
        // the label (CLIENT_RANDOM, CLIENT_HANDSHAKE_TRAFFIC_SECRET, ...) tells the path
        var hash = OutcomeHash()
        line.prefix(while: { $0 != 0x20 }).withUnsafeBytes { hash.add($0) }
        fuzz_feedback(hash.value)
    }
}

func pskServerCallback(_ connection: TLSConnection, _ identity: String?) -> [UInt8] {
    inCallback {
        feedback("psk.server", identity?.utf8.count ?? -1, identity == pskIdentity ? 1 : 0)
        return identity == pskIdentity ? pskKey : []
    }
}

func pskClientCallback(_ connection: TLSConnection, _ hint: String?) -> (identity: [UInt8], key: [UInt8]) {
    inCallback {
        feedback("psk.client", hint?.utf8.count ?? -1)
        return (Array(pskIdentity.utf8), pskKey)
    }
}

func ocspServerCallback(_ connection: TLSConnection) -> OCSPStaple {
    inCallback {
        feedback("ocsp.server")
        return harness.failOnce() ? .abort : .response(ocspResponse)
    }
}

func ocspClientCallback(_ connection: TLSConnection, _ response: [UInt8]) -> Bool? {
    inCallback {
        feedback("ocsp.client", response.count, response == ocspResponse ? 1 : 0)
        return harness.failOnce() ? false : true
    }
}

func cookieGenerateCallback(_ connection: TLSConnection) -> [UInt8]? {
    inCallback {
        feedback("cookie.generate")
        return harness.failOnce() ? nil : cookie
    }
}

func cookieVerifyCallback(_ connection: TLSConnection, _ offered: [UInt8]) -> Bool {
    inCallback {
        feedback("cookie.verify", offered.count, offered == cookie ? 1 : 0)
        return offered == cookie
    }
}

func npnAdvertiseCallback(_ connection: TLSConnection) -> [[UInt8]]? {
    inCallback {
        feedback("npn.advertise")
        return alpnProtocols
    }
}

func npnSelectCallback(_ connection: TLSConnection, _ offered: [[UInt8]]) -> [UInt8]? {
    inCallback {
        feedback("npn.select", offered.count, offered.first?.count ?? -1)
        if harness.failOnce() { return nil }
        for name in alpnProtocols where offered.contains(name) { return name }
        return offered.first ?? alpnProtocols[1]
    }
}

// MARK: - Getters: every one must be safe in any state

func inspectCertificate(_ certificate: Certificate) {
    blackHole(certificate.subject.components.count)
    blackHole(certificate.issuerOneLine)
    blackHole(certificate.serialNumberHex)
    blackHole(certificate.extensionCount)
    blackHole((try? certificate.publicKey())?.bits)
}

/// Every getter; `full` adds the costly ones (exporters, the cipher list),
/// which callbacks skip.
func introspect(_ connection: TLSConnection, _ place: StaticString, full: Bool = true) {
    feedback(place, text: connection.stateDescription)
    if let chain = connection.peerCertificateChain {
        feedback(place, 1, chain.count)
        for certificate in chain.prefix(4) { inspectCertificate(certificate) }
    }
    blackHole(connection.peerCertificate?.derBytes.count)
    blackHole(connection.verifiedChain?.count)
    blackHole(connection.localCertificate?.subjectOneLine)
    feedback(place, text: connection.cipherName ?? "-", connection.cipherBits ?? -1)
    blackHole(connection.cipherVersion)
    feedback(place, text: connection.protocolVersionName, Int(connection.protocolVersion.rawValue))
    blackHole(connection.serverName)
    blackHole(connection.negotiatedALPN)
    blackHole(connection.negotiatedNPN)
    if let session = connection.session {
        feedback(place, 2, session.isResumable ? 1 : 0, Int(session.protocolVersion.rawValue))
        blackHole(session.id)
        blackHole(session.masterKey)
        blackHole(session.ticketLifetimeHint)
    }
    blackHole(connection.finishedMessage)
    blackHole(connection.peerFinishedMessage)
    blackHole(connection.clientRandom)
    blackHole(connection.serverRandom)
    blackHole(connection.masterKey)
    for name in connection.clientCANames.prefix(4) { blackHole(name.oneLine) }
    feedback(place, 3, Int(connection.shutdownState.rawValue), connection.pendingBytes,
             connection.wantsRead ? 1 : 0, connection.wantsWrite ? 1 : 0, connection.sessionReused ? 1 : 0)
    blackHole(connection.groupName)
    blackHole(connection.renegotiationPending)
    blackHole(connection.totalRenegotiations)
    blackHole(connection.selectedSRTPProfile)
    feedback(place, 4, connection.verifyResult, connection.isHandshakeDone ? 1 : 0, Int(connection.verifyMode.rawValue))
    blackHole(connection.cleartextMTU)
    blackHole(connection.dtlsTimeout)
    blackHole(connection.networkOutputPending)
    guard full else { return checkErrorQueue("introspect") }
    blackHole(connection.cipherList.count)
    let exported = Result { () throws(OpenSSLError) in try connection.exportKeyingMaterial(label: exporterLabel, length: 32, context: nil) }
    if case .success(let bytes) = exported, bytes.count != 32 { finding("exportKeyingMaterial returned \(bytes.count) bytes, not 32") }
    feedback(place, 5, outcomeCode(exported))
    blackHole(try? connection.exportKeyingMaterial(label: exporterLabel, length: 16, context: Array("context".utf8)))
    let empty = UnsafeMutableRawBufferPointer(start: harness.scratch.baseAddress, count: 0)
    blackHole(try? connection.exportKeyingMaterial(label: [], context: [], into: empty))
    checkErrorQueue("introspect")
}

// MARK: - Driving

/// Hands every byte `connection` wants sent to `body`; the other API with Flag.otherIO.
func drainOutput(_ connection: TLSConnection, _ body: (UnsafeRawBufferPointer) -> Void) {
    let scratch = harness.scratch
    for _ in 0..<1024 {
        let result: Result<Int, TLSIOError>
        if harness.flags & Flag.otherIO != 0,
           let direct = connection.readFromNetworkOutput(limit: scratch.count, destination: { count in
               count <= scratch.count ? scratch.baseAddress : nil
           }) {
            result = direct
        } else {
            result = connection.readFromNetworkOutput(into: scratch)
        }
        checkErrorQueue("readFromNetworkOutput")
        guard case .success(let count) = result else {
            if case .failure(let error) = result, error != .wantRead {
                feedback("drain", outcomeCode(error))
            }
            return
        }
        if count <= 0 || count > scratch.count { finding("readFromNetworkOutput returned \(count) for \(scratch.count) bytes") }
        body(UnsafeRawBufferPointer(rebasing: scratch[0..<count]))
    }
    finding("readFromNetworkOutput never ran dry")
}

func discardOutput(_ connection: TLSConnection) { drainOutput(connection) { _ in } }

func collectOutput(_ connection: TLSConnection, into output: inout [UInt8]) {
    drainOutput(connection) { output.append(contentsOf: $0) }
}

func deliver(_ bytes: UnsafeRawBufferPointer, to connection: TLSConnection, _ place: StaticString) {
    let result = connection.writeToNetworkInput(bytes)
    checkErrorQueue("writeToNetworkInput")
    if case .success(let count) = result, count != bytes.count { feedback(place, -1, count) }
    feedback(place, outcomeCode(result))
}

func readSome(_ connection: TLSConnection, _ place: StaticString) {
    let small = harness.extras & Extra.smallReads != 0
    let size = small ? 1 : 16384
    let buffer = UnsafeMutableRawBufferPointer(rebasing: harness.scratch[0..<size])
    for index in 0..<(small ? 64 : 8) {
        let peek = harness.flags & Flag.otherIO != 0 && index == 0
        let result = connection.read(into: buffer, peek: peek)
        checkErrorQueue("read")
        feedback(place, outcomeCode(result), peek ? 1 : 0)
        switch result {
        case .success(let count):
            if count < 0 || count > size { finding("read returned \(count) for a \(size)-byte buffer") }
        case .failure:
            return
        }
    }
}

/// Advances the connection; returns whether it is still handshaking.
func step(_ connection: TLSConnection, handshaking: Bool, _ place: StaticString) -> Bool {
    if handshaking {
        let result = connection.doHandshake()
        checkErrorQueue("doHandshake")
        feedback(place, 100, outcomeCode(result))
        if case .failure = result { return true }
        feedback(place, 101)
    }
    readSome(connection, place)
    return false
}

func feed(_ connection: TLSConnection, _ payload: UnsafeRawBufferPointer, chunk: Int, handshaking: Bool,
          _ place: StaticString) -> Bool {
    var handshaking = handshaking
    var offset = 0
    repeat {
        let end = chunk == 0 ? payload.count : min(payload.count, offset + chunk)
        deliver(UnsafeRawBufferPointer(rebasing: payload[offset..<end]), to: connection, place)
        handshaking = step(connection, handshaking: handshaking, place)
        discardOutput(connection)
        offset = end
    } while offset < payload.count
    return handshaking
}

func write(_ connection: TLSConnection, _ bytes: [UInt8], _ place: StaticString) {
    let result = bytes.withUnsafeBytes { connection.write($0) }
    checkErrorQueue("write")
    if case .success(let count) = result, count <= 0 || count > bytes.count {
        finding("write returned \(count) for \(bytes.count) bytes")
    }
    feedback(place, 200, outcomeCode(result))
}

func finish(_ connection: TLSConnection, handshaking: Bool, dtls: Bool, _ place: StaticString) {
    let extras = harness.extras
    if extras & Extra.send != 0 {
        write(connection, Array("application data from the fuzzer".utf8), place)
        write(connection, [UInt8](repeating: 0x78, count: 300), place)
    }
    if extras & Extra.renegotiate != 0 {
        let result = Result { () throws(OpenSSLError) in try connection.renegotiate() }
        checkErrorQueue("renegotiate")
        feedback(place, 300, outcomeCode(result))
        _ = step(connection, handshaking: true, place)
    }
    if extras & Extra.shutdown != 0 {
        let result = connection.shutdown()
        checkErrorQueue("shutdown")
        feedback(place, 301, outcomeCode(result))
    }
    if extras & Extra.eof != 0 {
        connection.shutdownNetworkInput()
        _ = step(connection, handshaking: handshaking, place)
    }
    if dtls {
        blackHole(connection.dtlsTimeout)
        let result = connection.dtlsHandleTimeout()
        checkErrorQueue("dtlsHandleTimeout")
        feedback(place, 302, outcomeCode(result))
        blackHole(connection.cleartextMTU)
    }
    introspect(connection, place)
    discardOutput(connection)
    let one = UnsafeMutableRawBufferPointer(rebasing: harness.scratch[0..<1])
    let last = connection.readFromNetworkOutput(into: one)
    if case .success(let count) = last, count != 1 { finding("readFromNetworkOutput returned \(count) for 1 byte") }
    checkErrorQueue("readFromNetworkOutput")
}

func runRaw(_ mode: Int, chunk: Int, _ payload: UnsafeRawBufferPointer) {
    let flags = harness.flags
    let dtls = mode == dtlsServer || mode == dtlsClient
    var payload = payload
    let connection: TLSConnection
    if mode == serverRaw || mode == dtlsServer {
        connection = harness.newServer(flags, dtls: dtls)
        if dtls && flags & Flag.resume != 0 && flags & Flag.clientAuth != 0 {
            // dtlsListen needs the cookie callbacks (Flag.clientAuth installs them)
            deliver(payload, to: connection, "listen")
            let result = connection.dtlsListen()
            checkErrorQueue("dtlsListen")
            feedback("listen", outcomeCode(result))
            discardOutput(connection)
            payload = UnsafeRawBufferPointer(rebasing: payload[payload.count...])
        }
    } else {
        connection = harness.newClient(flags, dtls: dtls)
        let result = connection.doHandshake()
        checkErrorQueue("doHandshake")
        feedback("client.hello", outcomeCode(result))
        discardOutput(connection)
    }
    let place: StaticString = mode == serverRaw || mode == dtlsServer ? "server" : "client"
    let handshaking = feed(connection, payload, chunk: chunk, handshaking: true, place)
    finish(connection, handshaking: handshaking, dtls: dtls, place)
}

func shuttle(from source: TLSConnection, to destination: TLSConnection, record: ((UnsafeRawBufferPointer) -> Void)? = nil) {
    drainOutput(source) { bytes in
        record?(bytes)
        deliver(bytes, to: destination, "shuttle")
    }
}

/// Drives a client/server pair until both finished their handshakes.
func handshakePair(_ client: TLSConnection, _ server: TLSConnection,
                   record: ((Bool, UnsafeRawBufferPointer) -> Void)? = nil) -> Bool {
    var done = (client: false, server: false)
    for _ in 0..<20 {
        if !done.client, case .success = client.doHandshake() { done.client = true }
        checkErrorQueue("doHandshake")
        shuttle(from: client, to: server) { record?(true, $0) }
        if !done.server, case .success = server.doHandshake() { done.server = true }
        checkErrorQueue("doHandshake")
        shuttle(from: server, to: client) { record?(false, $0) }
        if done.client && done.server { return true }
    }
    return false
}

func connectedPair() -> (client: TLSConnection, server: TLSConnection)? {
    let flags = harness.flags
    let client = harness.newClient(flags, dtls: false)
    let server = harness.newServer(flags, dtls: false)
    guard handshakePair(client, server) else {
        // only when a callback failed on purpose
        feedback("pair", 0)
        return nil
    }
    client.processPendingRecords()  // TLS 1.3 tickets
    if let session = client.session { harness.sessions[harness.sessionKey(flags)] = session }
    feedback("pair", 1, client.sessionReused ? 1 : 0)
    return (client, server)
}

func runPost(_ mode: Int, chunk: Int, _ payload: UnsafeRawBufferPointer) {
    guard let (client, server) = connectedPair() else { return }
    let connection = mode == clientPost ? client : server
    let place: StaticString = mode == clientPost ? "client-post" : "server-post"
    let handshaking = feed(connection, payload, chunk: chunk, handshaking: false, place)
    finish(connection, handshaking: handshaking, dtls: false, place)
}

/// Up to 64 operations, decoded like fuzz_bytes_into_connection.py's scripts.
func runScript(_ payload: UnsafeRawBufferPointer) {
    guard let (client, server) = connectedPair() else { return }
    let connections = [client, server]
    var pending: [[UInt8]] = [[], []]  // sent by each side, not yet delivered
    var input = FuzzedDataProvider(payload)
    for _ in 0..<64 {
        if input.remainingBytes == 0 { break }
        let op = input.consumeInt(in: 0...11)
        let side = input.consumeInt(in: 0...1)
        let connection = connections[side], peer = connections[1 - side]
        feedback("op", op, side)
        switch op {
        case 0:  // write application data
            let count = input.consumeInt(in: 0...20000)
            if count > 0 { write(connection, [UInt8](repeating: 0xA5, count: count), "op.write") }
            else {
                let result = connection.write(UnsafeRawBufferPointer(start: harness.scratch.baseAddress, count: 0))
                feedback("op.write0", outcomeCode(result))
            }
        case 1:  // collect what the connection has written
            collectOutput(connection, into: &pending[side])
        case 2:  // deliver n bytes (0: all) of its output to the peer
            collectOutput(connection, into: &pending[side])
            var count = input.consumeInt(in: 0...0xFFFF)
            if count == 0 || count > pending[side].count { count = pending[side].count }
            if count > 0 {
                pending[side].withUnsafeBytes { deliver(UnsafeRawBufferPointer(rebasing: $0[0..<count]), to: peer, "op.deliver") }
                pending[side].removeFirst(count)
            }
        case 3:  // corrupt one byte of the undelivered output
            collectOutput(connection, into: &pending[side])
            let position = input.consumeInt(in: 0...0xFFFF)
            let mask = input.consumeInt(in: 1...255)
            if !pending[side].isEmpty { pending[side][position % pending[side].count] ^= UInt8(mask) }
        case 4:  // read into a buffer of n bytes
            let count = input.consumeInt(in: 0...20000)
            let buffer = UnsafeMutableRawBufferPointer(rebasing: harness.scratch[0..<count])
            let result = connection.read(into: buffer)
            checkErrorQueue("read")
            if case .success(let got) = result, got <= 0 || got > count { finding("read returned \(got) for \(count) bytes") }
            feedback("op.read", outcomeCode(result))
        case 5:  // peek into a buffer, then read what the peek saw
            let size = input.consumeInt(in: 0...4096)
            let limit = input.consumeInt(in: 0...4096)
            let count = limit == 0 ? size : min(size, limit)
            let buffer = UnsafeMutableRawBufferPointer(rebasing: harness.scratch[0..<count])
            let peeked = connection.read(into: buffer, peek: true)
            checkErrorQueue("peek")
            feedback("op.peek", outcomeCode(peeked))
            if case .success(let got) = peeked {
                if got <= 0 || got > count { finding("peek returned \(got) for \(count) bytes") }
                let again = UnsafeMutableRawBufferPointer(rebasing: harness.scratch[count..<(count + got)])
                let read = connection.read(into: again)
                guard case .success(let gotAgain) = read, gotAgain == got,
                      again.elementsEqual(UnsafeMutableRawBufferPointer(rebasing: harness.scratch[0..<got]))
                else { finding("read after a \(got)-byte peek gave \(read)") }
            }
        case 6:  // renegotiate (TLS 1.2) or ask for a client certificate (TLS 1.3), drive it
            let result = Result { () throws(OpenSSLError) in try connection.renegotiate() }
            feedback("op.renegotiate", outcomeCode(result))
            if case .failure = result, connection.isServer {
                let request = Result { () throws(OpenSSLError) in try connection.requestClientCertificate() }
                feedback("op.pha", outcomeCode(request))
            }
            checkErrorQueue("renegotiate")
            let handshake = connection.doHandshake()
            checkErrorQueue("doHandshake")
            feedback("op.handshake", outcomeCode(handshake))
        case 7:
            let result = connection.shutdown()
            checkErrorQueue("shutdown")
            feedback("op.shutdown", outcomeCode(result))
        case 8:  // inject raw bytes
            deliver(input.consumeLengthPrefixedBytes(max: 4096), to: connection, "op.inject")
        case 9:
            connection.shutdownNetworkInput()
        case 10:  // drop the undelivered output
            pending[side].removeAll()
        default:
            introspect(connection, "op.introspect")
            connection.processPendingRecords()
            checkErrorQueue("processPendingRecords")
        }
    }
    for side in 0..<2 {
        collectOutput(connections[side], into: &pending[side])
        if !pending[side].isEmpty {
            pending[side].withUnsafeBytes { deliver($0, to: connections[1 - side], "final.deliver") }
        }
    }
    readSome(client, "c.final")
    introspect(client, "c.final")
    readSome(server, "s.final")
    introspect(server, "s.final")
}

// MARK: - Entry points

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzz_mirror_input(data, size)
    let input = UnsafeRawBufferPointer(start: data, count: size)
    var header: [Int] = [0, 0, 0, 0]
    for index in 0..<min(4, size) { header[index] = Int(input[index]) }
    let payload = UnsafeRawBufferPointer(rebasing: input[min(4, size)...])
    let mode = header[0] % modeCount
    harness.flags = header[1]
    harness.extras = header[3]
    harness.failed = false
    feedback("mode", mode, header[1] & (Flag.tls12 | Flag.rsa | Flag.legacy))
    switch mode {
    case serverRaw, clientMid, dtlsServer, dtlsClient: runRaw(mode, chunk: header[2], payload)
    case clientPost, serverPost: runPost(mode, chunk: header[2], payload)
    default: runScript(payload)
    }
    return 0
}

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutableRawPointer?, _ argv: UnsafeMutableRawPointer?) -> CInt {
    fuzz_support_init()
    harness = try! Harness()
    if let directory = environment("FUZZ_WRITE_SEEDS") {
        writeSeeds(makeSeeds(), to: directory)
        fuzz_exit(0)
    }
    return 0
}

// MARK: - Seeds: bytes of real handshakes between these contexts

/// Runs a handshake for `flags` and returns (client-to-server, server-to-client) bytes.
func recordHandshake(_ flags: Int, dtls: Bool) -> (toServer: [UInt8], toClient: [UInt8], pair: (TLSConnection, TLSConnection)?) {
    harness.flags = flags & ~Flag.otherIO
    harness.extras = 0
    let client = harness.newClient(flags, dtls: dtls)
    let server = harness.newServer(flags, dtls: dtls)
    var toServer: [UInt8] = [], toClient: [UInt8] = []
    let ok = handshakePair(client, server) { toServerSide, bytes in
        if toServerSide { toServer += bytes } else { toClient += bytes }
    }
    if ok && !dtls {
        client.processPendingRecords()
        if let session = client.session { harness.sessions[harness.sessionKey(flags)] = session }
    }
    return (toServer, toClient, ok ? (client, server) : nil)
}

func makeSeeds() -> [(name: String, bytes: [UInt8])] {
    var seeds: [(name: String, bytes: [UInt8])] = []
    func add(_ name: String, _ header: [Int], _ payload: [UInt8]) {
        seeds.append((name, header.map { UInt8($0) } + payload))
    }
    let tlsFlags = [0, Flag.tls12, Flag.rsa, Flag.tls12 | Flag.rsa, Flag.sni | Flag.alpn, Flag.tls12 | Flag.sni | Flag.alpn,
                    Flag.clientAuth, Flag.tls12 | Flag.clientAuth, Flag.legacy, Flag.legacy | Flag.tls12,
                    Flag.legacy | Flag.tls12 | Flag.rsa, Flag.sni | Flag.alpn | Flag.clientAuth | Flag.rsa,
                    Flag.legacy | Flag.tls12 | Flag.alpn, Flag.otherIO | Flag.clientAuth | Flag.alpn]
    for flags in tlsFlags {
        for resume in [0, Flag.resume] where resume == 0 || flags & Flag.clientAuth == 0 {
            let all = flags | resume
            let (toServer, toClient, pair) = recordHandshake(all, dtls: false)
            add("server-raw", [serverRaw, all, 0, 0], toServer)
            add("client-mid", [clientMid, all, 0, Extra.introspect], toClient)
            guard resume == 0, let (client, server) = pair else { continue }
            // application data and close_notify, in both directions
            harness.flags = all
            var clientOut: [UInt8] = [], serverOut: [UInt8] = []
            write(client, Array("GET / HTTP/1.1\r\n\r\n".utf8), "seed")
            write(server, Array("HTTP/1.1 200 OK\r\n\r\n".utf8), "seed")
            _ = client.shutdown()
            _ = server.shutdown()
            collectOutput(client, into: &clientOut)
            collectOutput(server, into: &serverOut)
            add("server-post", [serverPost, all, 0, Extra.send], clientOut)
            add("client-post", [clientPost, all, 0, Extra.shutdown], serverOut)
        }
    }
    // scripts: exchange data, renegotiate / post-handshake auth, corrupt, inject, shut down
    func script(_ flags: Int, _ extras: Int, _ build: (inout ByteWriter) -> Void) {
        var writer = ByteWriter()
        build(&writer)
        add("script", [scriptedPost, flags, 0, extras], writer.bytes)
    }
    func op(_ writer: inout ByteWriter, _ code: Int, _ side: Int, _ arguments: [(Int, ClosedRange<Int>)] = []) {
        writer.int(code, in: 0...11)
        writer.int(side, in: 0...1)
        for (value, range) in arguments { writer.int(value, in: range) }
    }
    for flags in [0, Flag.tls12, Flag.clientAuth, Flag.tls12 | Flag.clientAuth, Flag.legacy | Flag.tls12] {
        script(flags, 0) { w in
            op(&w, 0, 0, [(100, 0...20000)]); op(&w, 2, 0, [(0, 0...0xFFFF)]); op(&w, 4, 1, [(16384, 0...20000)])
            op(&w, 0, 1, [(5000, 0...20000)]); op(&w, 2, 1, [(0, 0...0xFFFF)]); op(&w, 5, 0, [(4096, 0...4096), (0, 0...4096)])
            op(&w, 11, 0); op(&w, 7, 0); op(&w, 2, 0, [(0, 0...0xFFFF)]); op(&w, 4, 1, [(100, 0...20000)])
            op(&w, 7, 1); op(&w, 2, 1, [(0, 0...0xFFFF)]); op(&w, 4, 0, [(100, 0...20000)]); op(&w, 11, 1)
        }
        script(flags, Extra.introspect) { w in
            op(&w, 6, 1); op(&w, 2, 1, [(0, 0...0xFFFF)]); op(&w, 4, 0, [(1, 0...20000)]); op(&w, 2, 0, [(0, 0...0xFFFF)])
            op(&w, 4, 1, [(1, 0...20000)]); op(&w, 2, 1, [(0, 0...0xFFFF)]); op(&w, 4, 0, [(1, 0...20000)])
            op(&w, 2, 0, [(0, 0...0xFFFF)]); op(&w, 0, 1, [(10, 0...20000)]); op(&w, 2, 1, [(0, 0...0xFFFF)])
            op(&w, 4, 0, [(100, 0...20000)]); op(&w, 11, 0); op(&w, 11, 1)
        }
        script(flags, 0) { w in
            op(&w, 0, 0, [(1000, 0...20000)]); op(&w, 3, 0, [(40, 0...0xFFFF), (1, 1...255)]); op(&w, 2, 0, [(0, 0...0xFFFF)])
            op(&w, 4, 1, [(2000, 0...20000)]); op(&w, 11, 1)
        }
        script(flags, 0) { w in
            op(&w, 0, 0, [(3000, 0...20000)]); op(&w, 2, 0, [(7, 0...0xFFFF)]); op(&w, 4, 1, [(10, 0...20000)])
            op(&w, 8, 1); w.lengthPrefixed([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x0A], max: 4096)
            op(&w, 2, 0, [(0, 0...0xFFFF)]); op(&w, 4, 1, [(100, 0...20000)]); op(&w, 9, 0); op(&w, 4, 0, [(10, 0...20000)])
            op(&w, 10, 1); op(&w, 11, 0)
        }
    }
    // DTLS, with and without cookie exchange / dtlsListen
    for flags in [0, Flag.rsa, Flag.clientAuth, Flag.clientAuth | Flag.resume, Flag.alpn | Flag.sni, Flag.otherIO] {
        let (toServer, toClient, _) = recordHandshake(flags, dtls: true)
        add("dtls-server", [dtlsServer, flags, 0, 0], toServer)
        add("dtls-client", [dtlsClient, flags, 0, Extra.introspect], toClient)
    }
    // a few chunked and small-read variants
    let (toServer, toClient, _) = recordHandshake(Flag.tls12, dtls: false)
    add("server-raw-chunked", [serverRaw, Flag.tls12, 5, Extra.smallReads], toServer)
    add("client-mid-chunked", [clientMid, Flag.tls12 | Flag.otherIO, 64, Extra.info | Extra.introspect], toClient)
    return seeds
}
