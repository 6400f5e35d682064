// libFuzzer target: the Swift core's certificate and key loaders on arbitrary
// bytes; the Swift twin of fuzz/fuzz_crypto_loaders.py, with the same header
// layout (so that target's corpus seeds this one):
//
//   byte 0  loader (mod 3): Certificate, PrivateKey, PrivateKey.publicKey
//   byte 1  encoding (mod 4): 0 PEM, 1 DER, 2 the multi-object paths
//           (Certificate.all(inPEM:), TLSContext.loadVerifyData /
//           useCertificateChain(pem:); keys: both PEM and DER), 3 PEM if
//           containsPEMMarker says so, else DER
//   byte 2  passphrase (private keys, mod 12): none, bytes "secret", a
//           callback answering "secret", one answering only for reading,
//           one answering nil, one answering exactly the maximum length,
//           bytes "secret", bytes "wrong", a callback answering 4 KiB,
//           empty bytes, "sec\0ret", 1100 bytes (over OpenSSL's limit)
//   byte 3  API (mod 4): 0 the [UInt8] initialisers, 1 the
//           UnsafeRawBufferPointer ones straight on libFuzzer's buffer (an
//           exact-size allocation: AddressSanitizer sees any over-read),
//           2 [UInt8] plus the TLSContext paths, 3 raw plus
//           DistinguishedName(der:) and CertificateStore.addRevocationList;
//           bit 4 (16): "deep": reload every encoding (a dump that does
//           not load back is a finding), check keys, copy, modify, re-sign
//
// Whatever loads is dumped in every encoding, inspected (names, serial,
// times, extension count, fingerprints, signature algorithm, public key) and
// verified against the test CA; "deep" inputs (below) also reload every dump
// (one that does not load back is a finding), copy, modify and re-sign.
import FuzzSupport
import OpenSSLCore

let secret: [UInt8] = Array("secret".utf8)

func passphrase(_ slot: Int) -> Passphrase {
    switch slot {
    case 0: return .none
    case 1, 6: return .bytes(secret)
    case 2: return .callback { _, _ in secret }
    case 3: return .callback { _, writing in writing ? nil : secret }
    case 4: return .callback { _, _ in nil }
    case 5: return .callback { maximum, _ in [UInt8](repeating: 0x73, count: maximum) }
    case 7: return .bytes(Array("wrong".utf8))
    case 8: return .callback { _, _ in [UInt8](repeating: 0x41, count: 4096) }
    case 9: return .bytes([])
    case 10: return .bytes(Array("sec\0ret".utf8))
    default: return .bytes([UInt8](repeating: 0x78, count: 1100))
    }
}

final class Harness {
    let pki: TestPKI
    /// Trusts the test CA; verifies whatever loads.
    let caStore: CertificateStore
    /// For the TLSContext paths (replaced on every input, nothing accumulates).
    let context: TLSContext

    init() throws {
        pki = try TestPKI()
        caStore = try CertificateStore()
        try caStore.add(pki.ca)
        context = try TLSContext(method: .tls)
    }
}

nonisolated(unsafe) var harness: Harness!

// MARK: - Exercising what loaded

let attributeIDs: [Int32] = ["CN", "O", "OU", "C", "L", "ST", "emailAddress", "serialNumber"].compactMap {
    DistinguishedName.attributeID($0)
}

func exerciseName(_ name: DistinguishedName, _ place: StaticString) {
    let components = name.components
    feedback(place, components.count)
    for component in components.prefix(8) {
        var hash = OutcomeHash()
        component.name.withUnsafeBytes { hash.add($0) }
        fuzz_feedback(hash.value)
    }
    for id in attributeIDs { blackHole(name.value(of: id)) }
    blackHole(name.oneLine)
    blackHole(name.hashValue32)
    blackHole(name.isStale)
    let der = name.derBytes
    if !der.isEmpty {
        // A name parsed from DER keeps those bytes, and OpenSSL's own parser
        // rejects some it accepted once: an empty name with a long-form
        // length ("30 81 00") at the very end of the input needs one byte
        // more than it uses. Only a non-empty name must load back.
        if let again = try? DistinguishedName(der: der) {
            if again.compare(name) != 0 { finding("\(place): reloaded DistinguishedName compares unequal") }
            if again.derBytes != der { finding("\(place): DistinguishedName DER round trip changed the bytes") }
        } else if !components.isEmpty {
            finding("\(place): DistinguishedName.derBytes do not load back")
        } else {
            feedback(place, -1)
        }
    }
    if let copy = try? DistinguishedName(copying: name) {
        if copy.compare(name) != 0 { finding("\(place): DistinguishedName(copying:) compares unequal") }
        if deep {
            // modify the copy with the name's own (fuzzed) values
            for (index, component) in components.prefix(2).enumerated() {
                let result = Result { () throws(OpenSSLError) in try copy.setValue(component.value, for: attributeIDs[index]) }
                feedback(place, 10 + index, outcomeCode(result))
            }
            copy.removeValue(for: attributeIDs[2])
            blackHole(copy.oneLine)
            blackHole(copy.derBytes)
            blackHole(copy.compare(name))
        }
    }
    checkErrorQueue("name")
}

/// Set by header byte 3 (bit 4): reload every encoding (certificates, public
/// and private keys, encrypted too), run the key check, verify against a
/// store trusting the certificate itself, copy, modify and re-sign it.
/// OpenSSL 3.0's decoders are slow (a PEM private key takes several ms under
/// ASan, a certificate about one), so only inputs that ask for it pay for it.
nonisolated(unsafe) var deep = false

func exerciseKey(_ key: PrivateKey, loadedAsPrivate: Bool, _ place: StaticString) {
    feedback(place, Int(key.typeID), key.bits, key.isPublicOnly ? 1 : 0, key.isEmpty ? 1 : 0)
    checkErrorQueue("key")
    let publicPEM = try? key.publicPEMBytes()
    let publicDER = try? key.publicDERBytes()
    feedback(place, 0, publicPEM == nil ? 0 : 1, publicDER == nil ? 0 : 1)
    if deep, let pem = publicPEM {
        guard let again = try? PrivateKey.publicKey(pem: pem) else { finding("\(place): publicPEMBytes do not load back") }
        if again.typeID != key.typeID { finding("\(place): public PEM round trip changed the key type") }
    }
    if deep, let der = publicDER {
        guard let again = try? PrivateKey.publicKey(der: der) else { finding("\(place): publicDERBytes do not load back") }
        if again.typeID != key.typeID { finding("\(place): public DER round trip changed the key type") }
        if (try? again.publicDERBytes()) != der { finding("\(place): public DER round trip changed the bytes") }
    }
    checkErrorQueue("public key")
    guard loadedAsPrivate, !key.isPublicOnly else { return }
    blackHole(try? key.textDump())
    let pem = try? key.pemBytes()
    let der = try? key.derBytes()
    let pkcs8 = try? key.pkcs8DERBytes()
    feedback(place, 1, pem == nil ? 0 : 1, der == nil ? 0 : 1, pkcs8 == nil ? 0 : 1)
    if (try? key.pemBytes(cipher: "no-such-cipher", passphrase: .bytes(secret))) != nil {
        finding("\(place): pemBytes accepted an unknown cipher")
    }
    checkErrorQueue("private key")
    guard deep else { return }
    // EVP_PKEY_check on big DSA/DH parameters is slow (a timeout, not a bug)
    if key.bits <= 4096 {
        let result = Result { () throws(OpenSSLError) in try key.checkConsistency() }
        feedback(place, 2, outcomeCode(result))
    }
    if let pem {
        let again = Result { () throws(OpenSSLError) in try PrivateKey(pem: pem) }
        feedback(place, 3, outcomeCode(again))
        if case .success(let reloaded) = again, reloaded.typeID != key.typeID {
            finding("\(place): private PEM round trip changed the key type")
        }
        if let encrypted = try? key.pemBytes(cipher: "aes-128-cbc", passphrase: .bytes(secret)) {
            let decrypted = Result { () throws(OpenSSLError) in try PrivateKey(pem: encrypted, passphrase: .bytes(secret)) }
            feedback(place, 4, outcomeCode(decrypted))
            if case .success = again, case .failure(let error) = decrypted {
                finding("\(place): encrypted PEM does not load back with its passphrase: \(error)")
            }
        }
    }
    if let der { feedback(place, 5, outcomeCode(Result { () throws(OpenSSLError) in try PrivateKey(der: der) })) }
    if let pkcs8 { feedback(place, 6, outcomeCode(Result { () throws(OpenSSLError) in try PrivateKey(der: pkcs8) })) }
    checkErrorQueue("private key reload")
}

func exerciseCertificate(_ certificate: Certificate) {
    let der = certificate.derBytes
    blackHole(certificate.pemBytes)
    blackHole(certificate.textDump)
    feedback("cert", der.isEmpty ? 0 : 1, certificate.version, certificate.extensionCount)
    checkErrorQueue("dump")
    let encoded = Result { () throws(OpenSSLError) in try certificate.encodedDER() }
    if case .success(let bytes) = encoded, bytes != der { finding("encodedDER differs from derBytes") }
    if deep, !der.isEmpty {
        guard let again = try? Certificate(der: der) else { finding("Certificate.derBytes do not load back") }
        if again.derBytes != der { finding("Certificate DER round trip changed the bytes") }
        let pem = certificate.pemBytes
        guard let fromPEM = try? Certificate(pem: pem) else { finding("Certificate.pemBytes do not load back") }
        if fromPEM.derBytes != der { finding("Certificate PEM round trip changed the DER") }
    }
    blackHole(certificate.serialNumberHex)
    exerciseName(certificate.subject, "subject")
    exerciseName(certificate.issuer, "issuer")
    blackHole(certificate.subjectOneLine)
    blackHole(certificate.issuerOneLine)
    blackHole(certificate.subjectNameHash)
    feedback("cert.times", certificate.notBefore?.count ?? -1, certificate.notAfter?.count ?? -1,
             certificate.hasExpired.map { $0 ? 1 : 0 } ?? -1)
    feedback("cert.sigalg", text: certificate.signatureAlgorithm ?? "-")
    for digest in ["sha256", "sha1", "md5"] {
        if let value = try? certificate.fingerprint(digest), value.isEmpty { finding("empty \(digest) fingerprint") }
    }
    if (try? certificate.fingerprint("no-such-digest")) != nil { finding("fingerprint with an unknown digest") }
    checkErrorQueue("getters")
    let publicKey = Result { () throws(OpenSSLError) in try certificate.publicKey() }
    feedback("cert.publicKey", outcomeCode(publicKey))
    if case .success(let key) = publicKey {
        if !key.isPublicOnly { finding("a certificate's public key is not public-only") }
        exerciseKey(key, loadedAsPrivate: false, "cert.publicKey")
    }

    // verification: against the test CA, and (deep) against a store trusting the certificate itself
    let verified = Result { () throws(VerificationFailure) in try harness.caStore.verify(certificate, untrusted: [certificate]) }
    if case .failure(let failure) = verified {
        feedback("verify.ca", Int(failure.code), Int(failure.depth))
        blackHole(failure.message)
        blackHole(failure.certificate?.subjectOneLine)
    }
    guard deep else { return }
    if let store = try? CertificateStore() {
        let added = Result { () throws(OpenSSLError) in try store.add(certificate) }
        feedback("store.add", outcomeCode(added))
        try? store.setFlags(CertificateStore.flagNames[Int(certificate.subjectNameHash % UInt(CertificateStore.flagNames.count))].value)
        try? store.setVerificationTime(1_800_000_000)
        switch Result(catching: { () throws(VerificationFailure) in try store.verify(certificate) }) {
        case .success(let chain):
            feedback("verify.self", 0, chain.count)
            if chain.isEmpty { finding("verification succeeded with an empty chain") }
        case .failure(let failure):
            feedback("verify.self", Int(failure.code), Int(failure.depth))
        }
    }
    checkErrorQueue("verify")

    // a copy, modified and re-signed
    guard let copy = try? certificate.copy() else { return }
    if copy.derBytes != der { finding("copy() changed the DER") }
    let subject = copy.subject
    try? copy.setSerialNumber(hex: certificate.serialNumberHex)
    feedback("cert.setVersion", outcomeCode(Result { () throws(OpenSSLError) in try copy.setVersion(2 - certificate.version) }))
    try? copy.setSubject(certificate.issuer)
    try? copy.setIssuer(harness.pki.ca.subject)
    if !subject.isStale { finding("a subject view is not stale after setSubject") }
    blackHole(subject.oneLine)
    if let notBefore = certificate.notBefore { feedback("cert.setNotBefore", copy.setNotBefore(notBefore) ? 1 : 0) }
    if let notAfter = certificate.notAfter { feedback("cert.setNotAfter", copy.setNotAfter(notAfter) ? 1 : 0) }
    try? copy.setPublicKey(harness.pki.clientKey)
    let added = Result { () throws(OpenSSLError) in
        try copy.addExtension("subjectKeyIdentifier", value: "hash")
        try copy.addExtension("authorityKeyIdentifier", value: "keyid:always", issuer: harness.pki.ca)
    }
    feedback("cert.addExtension", outcomeCode(added))
    let signed = Result { () throws(OpenSSLError) in try copy.sign(with: harness.pki.caKey, digest: "sha256") }
    feedback("cert.sign", outcomeCode(signed))
    if case .success = signed {
        let resigned = copy.derBytes
        feedback("cert.resigned", resigned.isEmpty ? 0 : 1, outcomeCode(Result { () throws(OpenSSLError) in try Certificate(der: resigned) }))
        if case .failure(let failure) = Result(catching: { () throws(VerificationFailure) in try harness.caStore.verify(copy) }) {
            feedback("verify.resigned", Int(failure.code))
        }
    }
    checkErrorQueue("modify")
}

// MARK: - Loading

func load(_ loader: Int, _ encoding: Int, _ slot: Int, _ api: Int, _ payload: UnsafeRawBufferPointer) {
    let array = api == 1 || api == 3 ? nil : Array(payload)
    let pem: Bool
    switch encoding {
    case 0: pem = true
    case 1: pem = false
    case 2: pem = true
    default: pem = containsPEMMarker(array ?? Array(payload))
    }
    switch loader {
    case 0:
        var loaded: [Certificate] = []
        let result = Result { () throws(OpenSSLError) -> Certificate in
            switch (pem, array) {
            case (true, let bytes?): return try Certificate(pem: bytes)
            case (false, let bytes?): return try Certificate(der: bytes)
            case (true, nil): return try Certificate(pem: payload)
            case (false, nil): return try Certificate(der: payload)
            }
        }
        feedback("load.cert", encoding, api, outcomeCode(result))
        checkErrorQueue("Certificate(pem:/der:)")
        if case .success(let certificate) = result { loaded.append(certificate) }
        if encoding == 2 {
            let all = Result { () throws(OpenSSLError) in try Certificate.all(inPEM: array ?? Array(payload)) }
            feedback("load.all", outcomeCode(all))
            checkErrorQueue("Certificate.all")
            if case .success(let certificates) = all {
                if certificates.isEmpty { finding("Certificate.all returned no certificate without throwing") }
                loaded += certificates.dropFirst().prefix(3)
            }
        }
        if api == 2, let bytes = array {
            feedback("context.loadVerifyData", outcomeCode(Result { () throws(OpenSSLError) in try harness.context.loadVerifyData(bytes) }))
            checkErrorQueue("loadVerifyData")
            if encoding == 2 {
                let chain = Result { () throws(OpenSSLError) in try harness.context.useCertificateChain(pem: bytes) }
                feedback("context.useCertificateChain", outcomeCode(chain))
                checkErrorQueue("useCertificateChain")
            }
        }
        for certificate in loaded { exerciseCertificate(certificate) }
        if api == 2, let certificate = loaded.first {
            try? harness.context.useCertificate(certificate)
            try? harness.context.addClientCA(certificate)
            checkErrorQueue("useCertificate")
        }
    case 1:
        let source = passphrase(slot)
        var attempts: [(Bool, Result<PrivateKey, OpenSSLError>)] = []
        for usePEM in encoding == 2 ? [true, false] : [pem] {
            let result = Result { () throws(OpenSSLError) -> PrivateKey in
                switch (usePEM, array) {
                case (true, let bytes?): return try PrivateKey(pem: bytes, passphrase: source)
                case (false, let bytes?): return try PrivateKey(der: bytes)
                case (true, nil): return try PrivateKey(pem: payload, passphrase: source)
                case (false, nil): return try PrivateKey(der: payload)
                }
            }
            feedback("load.key", usePEM ? 1 : 0, slot, api, outcomeCode(result))
            checkErrorQueue("PrivateKey(pem:/der:)")
            attempts.append((usePEM, result))
        }
        for (_, result) in attempts {
            guard case .success(let key) = result else { continue }
            exerciseKey(key, loadedAsPrivate: true, "key")
            if api == 2 {
                let used = Result { () throws(OpenSSLError) in try harness.context.usePrivateKey(key) }
                feedback("context.usePrivateKey", outcomeCode(used))
                if case .success = used {
                    feedback("context.check", outcomeCode(Result { () throws(OpenSSLError) in try harness.context.checkPrivateKey() }))
                }
                checkErrorQueue("usePrivateKey")
            }
        }
    default:
        for usePEM in encoding == 2 ? [true, false] : [pem] {
            let result = Result { () throws(OpenSSLError) -> PrivateKey in
                switch (usePEM, array) {
                case (true, let bytes?): return try PrivateKey.publicKey(pem: bytes)
                case (false, let bytes?): return try PrivateKey.publicKey(der: bytes)
                case (true, nil): return try PrivateKey.publicKey(pem: payload)
                case (false, nil): return try PrivateKey.publicKey(der: payload)
                }
            }
            feedback("load.public", usePEM ? 1 : 0, api, outcomeCode(result))
            checkErrorQueue("PrivateKey.publicKey")
            if case .success(let key) = result {
                if !key.isPublicOnly { finding("a loaded public key is not public-only") }
                exerciseKey(key, loadedAsPrivate: false, "public")
            }
        }
    }
    if api == 3 {
        if let name = try? DistinguishedName(der: Array(payload)) { exerciseName(name, "name") }
        checkErrorQueue("DistinguishedName(der:)")
        if let store = try? CertificateStore() {
            feedback("crl", outcomeCode(Result { () throws(OpenSSLError) in try store.addRevocationList(der: Array(payload)) }))
            checkErrorQueue("addRevocationList")
        }
    }
}

// MARK: - Entry points

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzz_mirror_input(data, size)
    let input = UnsafeRawBufferPointer(start: data, count: size)
    var header: [Int] = [0, 0, 0, 0]
    for index in 0..<min(4, size) { header[index] = Int(input[index]) }
    let payload = UnsafeRawBufferPointer(rebasing: input[min(4, size)...])
    deep = header[3] & 0x10 != 0
    load(header[0] % 3, header[1] % 4, header[2] % 12, header[3] % 4, payload)
    return 0
}

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutableRawPointer?, _ argv: UnsafeMutableRawPointer?) -> CInt {
    fuzz_support_init()
    harness = try! Harness()
    if let directory = environment("FUZZ_WRITE_SEEDS") {
        writeSeeds(try! makeSeeds(), to: directory)
        fuzz_exit(0)
    }
    return 0
}

// MARK: - Seeds: certificates and keys made with the core API

func makeSeeds() throws -> [(name: String, bytes: [UInt8])] {
    var seeds: [(name: String, bytes: [UInt8])] = []
    func add(_ name: String, _ header: [Int], _ payload: [UInt8]) {
        seeds.append((name, header.map { UInt8($0) } + payload))
    }
    let pki = harness.pki
    // a certificate with many extensions and a non-ASCII name
    let richName = try DistinguishedName()
    for (attribute, value) in [("C", "DE"), ("ST", "Bayern"), ("L", "München"), ("O", "Prüf GmbH"), ("OU", "fuzz"),
                               ("CN", "rich.example"), ("emailAddress", "fuzz@example.org")] {
        try richName.setValue(Array(value.utf8), for: DistinguishedName.attributeID(attribute)!)
    }
    let richKey = try PrivateKey.generateEC(curve: "secp384r1")
    let rich = try TestPKI.certificate(
        subject: richName, issuer: pki.ca.subject, key: richKey, signer: pki.caKey, serial: "7FFFFFFFFFFFFFFFFFFF01",
        extensions: [("basicConstraints", "critical,CA:FALSE"),
                     ("keyUsage", "critical,digitalSignature,keyEncipherment"),
                     ("extendedKeyUsage", "serverAuth,clientAuth,codeSigning"),
                     ("subjectAltName", "DNS:rich.example,DNS:*.rich.example,IP:10.0.0.1,IP:::1,email:a@b.example,URI:https://rich.example/"),
                     ("subjectKeyIdentifier", "hash"),
                     ("authorityKeyIdentifier", "keyid:always"),
                     ("crlDistributionPoints", "URI:http://crl.example/ca.crl"),
                     ("authorityInfoAccess", "OCSP;URI:http://ocsp.example/,caIssuers;URI:http://ca.example/ca.der"),
                     ("nsComment", "fuzz seed")],
        issuerCertificate: pki.ca)
    let rsa1024 = try PrivateKey.generateRSA(bits: 1024)
    let dsa = try PrivateKey.generateDSA(bits: 1024)
    let secp256k1 = try PrivateKey.generateEC(curve: "secp256k1")
    let selfSigned = try TestPKI.certificate(subject: try TestPKI.name("self signed"), issuer: try TestPKI.name("self signed"),
                                             key: rsa1024, signer: rsa1024, serial: "00",
                                             extensions: [("basicConstraints", "critical,CA:TRUE,pathlen:0")])
    let dsaCertificate = try TestPKI.certificate(subject: try TestPKI.name("dsa"), issuer: pki.ca.subject, key: dsa,
                                                 signer: pki.caKey, serial: "05", extensions: [], issuerCertificate: pki.ca)
    let certificates: [(String, Certificate)] = [("ca", pki.ca), ("server-ec", pki.serverEC), ("server-rsa", pki.serverRSA),
                                                 ("client", pki.client), ("rich", rich), ("selfsigned-rsa1024", selfSigned),
                                                 ("dsa", dsaCertificate)]
    for (name, certificate) in certificates {
        add("cert-pem-\(name)", [0, 0, 0, 1], certificate.pemBytes)
        add("cert-der-\(name)", [0, 1, 0, 1 | 0x10], certificate.derBytes)
    }
    add("cert-chain", [0, 2, 0, 2], pki.serverEC.pemBytes + pki.ca.pemBytes + rich.pemBytes)
    add("cert-text-then-pem", [0, 3, 0, 0], rich.textDump + rich.pemBytes)
    add("cert-name-der", [0, 1, 0, 3], rich.subject.derBytes)

    let keys: [(String, PrivateKey)] = [("p256", pki.serverECKey), ("p384", richKey), ("k256", secp256k1),
                                        ("rsa2048", pki.serverRSAKey), ("rsa1024", rsa1024), ("dsa1024", dsa)]
    for (name, key) in keys {
        add("key-pem-\(name)", [1, 0, 0, 1 | 0x10], try key.pemBytes())
        add("key-der-\(name)", [1, 1, 0, 1], try key.derBytes())
        add("key-p8der-\(name)", [1, 1, 0, 0], try key.pkcs8DERBytes())
        add("key-enc-\(name)", [1, 0, 1, 1], try key.pemBytes(cipher: "aes-256-cbc", passphrase: .bytes(secret)))
        add("key-enc-callback-\(name)", [1, 3, 2, 2], try key.pemBytes(cipher: "des-ede3-cbc", passphrase: .bytes(secret)))
        add("pub-pem-\(name)", [2, 0, 0, 1], try key.publicPEMBytes())
        add("pub-der-\(name)", [2, 1, 0, 3 | 0x10], try key.publicDERBytes())
    }
    return seeds
}
