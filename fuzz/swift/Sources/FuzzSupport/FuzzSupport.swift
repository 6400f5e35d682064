// Shared by the libFuzzer harnesses: a front-to-back FuzzedDataProvider (the
// same encoding as fuzz/_fdp.py, so the atheris corpora seed these targets
// too), outcome feedback into libFuzzer's extra counters, findings, and the
// input mirror run.py uses when a process dies without writing its input.
@_exported import CFuzzSupport
import OpenSSLCore

// MARK: - Input

/// Reads an input strictly front to back, like `fuzz/_fdp.py`'s
/// `FuzzedDataProvider`: past the end every read yields zeros (the smallest value).
public struct FuzzedDataProvider {
    public let data: UnsafeRawBufferPointer
    public private(set) var position = 0

    public init(_ data: UnsafeRawBufferPointer) { self.data = data }

    public var remainingBytes: Int { data.count - position }

    /// Up to `count` bytes (fewer at the end), as a view of the input.
    public mutating func consumeBytes(_ count: Int) -> UnsafeRawBufferPointer {
        let end = position + min(max(0, count), remainingBytes)
        defer { position = end }
        return UnsafeRawBufferPointer(rebasing: data[position..<end])
    }

    public mutating func consumeRemainingBytes() -> UnsafeRawBufferPointer { consumeBytes(remainingBytes) }

    /// `lo` plus a big-endian number of just enough bytes for the span, modulo the span.
    public mutating func consumeInt(in range: ClosedRange<Int>) -> Int {
        let span = UInt64(range.upperBound - range.lowerBound)
        if span == 0 { return range.lowerBound }
        let width = (64 - span.leadingZeroBitCount + 7) / 8
        var value: UInt64 = 0
        for index in 0..<width {
            let byte: UInt8 = position + index < data.count ? data[position + index] : 0
            value = value << 8 | UInt64(byte)
        }
        position = min(data.count, position + width)
        let reduced = span == UInt64.max ? value : value % (span + 1)
        return range.lowerBound + Int(reduced)
    }

    public mutating func consumeBool() -> Bool { consumeInt(in: 0...1) == 1 }

    public mutating func consumeLengthPrefixedBytes(max: Int) -> UnsafeRawBufferPointer {
        consumeBytes(consumeInt(in: 0...max))
    }
}

// MARK: - Feedback

/// FNV-1a, so that an outcome lands in the same counter in every process.
public struct OutcomeHash {
    public private(set) var value: UInt32 = 0x811C_9DC5

    public init() {}

    public mutating func add(byte: UInt8) {
        value = (value ^ UInt32(byte)) &* 0x0100_0193
    }

    public mutating func add(_ bytes: UnsafeRawBufferPointer) {
        for byte in bytes { add(byte: byte) }
        add(byte: 0x1F)
    }

    public mutating func add(_ text: StaticString) {
        add(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    public mutating func add(_ text: String) {
        var copy = text
        copy.withUTF8 { add(UnsafeRawBufferPointer($0)) }
    }

    public mutating func add(_ number: Int) {
        var rest = UInt64(bitPattern: Int64(number))
        for _ in 0..<8 {
            add(byte: UInt8(truncatingIfNeeded: rest))
            rest >>= 8
        }
        add(byte: 0x1E)
    }
}

/// Counts this outcome in one of libFuzzer's extra counters (4096 slots).
public func feedback(_ tag: StaticString, _ numbers: Int...) {
    var hash = OutcomeHash()
    hash.add(tag)
    for number in numbers { hash.add(number) }
    fuzz_feedback(hash.value)
}

public func feedback(_ tag: StaticString, text: String, _ numbers: Int...) {
    var hash = OutcomeHash()
    hash.add(tag)
    hash.add(text)
    for number in numbers { hash.add(number) }
    fuzz_feedback(hash.value)
}

/// A number that tells outcomes of an I/O call apart: the case, and for
/// OpenSSL failures the packed code (library + reason) of the first entry.
public func outcomeCode(_ error: TLSIOError) -> Int {
    switch error {
    case .wantRead: return 1
    case .wantWrite: return 2
    case .wantX509Lookup: return 3
    case .zeroReturn: return 4
    case .unexpectedEOF: return 5
    case .system(let errno): return 0x100 | Int(errno)
    case .ssl(let error): return outcomeCode(error)
    }
}

public func outcomeCode(_ error: OpenSSLError) -> Int {
    guard let first = error.entries.first else { return 6 }
    return first.code == 0 ? 7 : Int(truncatingIfNeeded: first.code)
}

public func outcomeCode<T>(_ result: Result<T, TLSIOError>) -> Int {
    switch result {
    case .success: return 0
    case .failure(let error): return outcomeCode(error)
    }
}

public func outcomeCode<T>(_ result: Result<T, OpenSSLError>) -> Int {
    switch result {
    case .success: return 0
    case .failure(let error): return outcomeCode(error)
    }
}

// MARK: - Checks

/// Keeps a value alive so the optimizer cannot drop the work that made it.
@_optimize(none)
public func blackHole<T>(_ value: T) {}

/// A broken invariant: print it and trap, which libFuzzer reports as a crash
/// ("deadly signal") and saves the input for.
public func finding(_ message: String) -> Never {
    fuzz_print("\n=== finding: \(message) ===\n")
    fatalError(message)
}

/// How deep inside OpenSSL callbacks the harness is: there OpenSSL's own
/// error queue may legitimately hold entries (an alert being sent for an
/// error already queued), so no queue checks.
public nonisolated(unsafe) var callbackDepth = 0

/// Runs `body` as callback code (no error-queue checks inside).
@inline(__always)
public func inCallback<R>(_ body: () -> R) -> R {
    callbackDepth += 1
    defer { callbackDepth -= 1 }
    return body()
}

/// With FUZZ_CHECK_ERR_QUEUE=1: a public call that returns while OpenSSL's
/// error queue holds entries is a finding (the library promises a clean queue).
@inline(__always)
public func checkErrorQueue(_ place: StaticString) {
    guard fuzz_check_err_queue() != 0, callbackDepth == 0 else { return }
    checkErrorQueueSlow(place)
}

@inline(never)
func checkErrorQueueSlow(_ place: StaticString) {
    var buffer = [CChar](repeating: 0, count: 256)
    if fuzz_take_err_queue(&buffer, buffer.count) != 0 {
        let text = String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        finding("\(place): OpenSSL error queue left dirty: \(text)")
    }
}

// MARK: - Environment and seeds

public func environment(_ name: String) -> String? {
    guard let value = fuzz_getenv(name) else { return nil }
    return String(cString: value)
}

/// Writes seed inputs into `directory` as `<prefix>-<FNV hash>` files.
public func writeSeeds(_ seeds: [(name: String, bytes: [UInt8])], to directory: String) {
    var written = 0
    for (name, bytes) in seeds {
        var hash = OutcomeHash()
        bytes.withUnsafeBytes { hash.add($0) }
        let hex = String(hash.value, radix: 16)
        let path = directory + "/" + name + "-" + String(repeating: "0", count: 8 - hex.count) + hex
        if bytes.withUnsafeBufferPointer({ fuzz_write_file(path, $0.baseAddress, $0.count) }) == 0 {
            written += 1
        } else {
            fuzz_print("cannot write \(path)\n")
        }
    }
    fuzz_print("wrote \(written) seed inputs to \(directory)\n")
}

// MARK: - Test PKI

/// A CA and leaf certificates made with the core API at startup (as
/// Examples/VerifiedHandshake does): ECDSA P-256 CA, ECDSA P-256 and RSA-2048
/// server certificates for "fuzz.example", an ECDSA client certificate.
public final class TestPKI {
    public static let serverName = "fuzz.example"

    public let caKey: PrivateKey
    public let ca: Certificate
    public let serverECKey: PrivateKey
    public let serverEC: Certificate
    public let serverRSAKey: PrivateKey
    public let serverRSA: Certificate
    public let clientKey: PrivateKey
    public let client: Certificate

    public init() throws {
        caKey = try PrivateKey.generateEC(curve: "prime256v1")
        let caName = try TestPKI.name("fuzz CA")
        ca = try TestPKI.certificate(subject: caName, issuer: caName, key: caKey, signer: caKey, serial: "01",
                                     extensions: [("basicConstraints", "critical,CA:TRUE"),
                                                  ("keyUsage", "critical,keyCertSign,cRLSign"),
                                                  ("subjectKeyIdentifier", "hash")])
        let san = "DNS:\(TestPKI.serverName),IP:127.0.0.1"
        serverECKey = try PrivateKey.generateEC(curve: "prime256v1")
        serverEC = try TestPKI.certificate(subject: try TestPKI.name(TestPKI.serverName), issuer: caName, key: serverECKey,
                                           signer: caKey, serial: "02", extensions: [("subjectAltName", san)], issuerCertificate: ca)
        serverRSAKey = try PrivateKey.generateRSA(bits: 2048)
        serverRSA = try TestPKI.certificate(subject: try TestPKI.name(TestPKI.serverName), issuer: caName, key: serverRSAKey,
                                            signer: caKey, serial: "03", extensions: [("subjectAltName", san)], issuerCertificate: ca)
        clientKey = try PrivateKey.generateEC(curve: "prime256v1")
        client = try TestPKI.certificate(subject: try TestPKI.name("fuzz client"), issuer: caName, key: clientKey,
                                         signer: caKey, serial: "04",
                                         extensions: [("extendedKeyUsage", "clientAuth")], issuerCertificate: ca)
    }

    public static func name(_ commonName: String) throws -> DistinguishedName {
        let name = try DistinguishedName()
        try name.setValue(Array("swift-pyopenssl fuzz".utf8), for: DistinguishedName.attributeID("O")!)
        try name.setValue(Array(commonName.utf8), for: DistinguishedName.attributeID("CN")!)
        return name
    }

    public static func certificate(subject: DistinguishedName, issuer: DistinguishedName, key: PrivateKey, signer: PrivateKey,
                                   serial: String, extensions: [(String, String)],
                                   issuerCertificate: Certificate? = nil) throws -> Certificate {
        let certificate = try Certificate()
        try certificate.setVersion(2)
        try certificate.setSerialNumber(hex: serial)
        try certificate.setSubject(subject)
        try certificate.setIssuer(issuer)
        certificate.adjustNotBefore(secondsFromNow: -3600)
        certificate.adjustNotAfter(secondsFromNow: 20 * 365 * 86400)
        try certificate.setPublicKey(key)
        for (name, value) in extensions { try certificate.addExtension(name, value: value, issuer: issuerCertificate) }
        try certificate.sign(with: signer, digest: "sha256")
        return certificate
    }
}

// MARK: - Writing inputs

/// Builds an input that `FuzzedDataProvider` decodes to the given values
/// (the inverse of its encoding; used to write seed inputs).
public struct ByteWriter {
    public private(set) var bytes: [UInt8] = []

    public init(_ prefix: [UInt8] = []) { bytes = prefix }

    public mutating func int(_ value: Int, in range: ClosedRange<Int>) {
        precondition(range.contains(value))
        let span = UInt64(range.upperBound - range.lowerBound)
        guard span > 0 else { return }
        let width = (64 - span.leadingZeroBitCount + 7) / 8
        let offset = UInt64(value - range.lowerBound)
        for index in stride(from: width - 1, through: 0, by: -1) {
            bytes.append(UInt8(truncatingIfNeeded: offset >> (8 * UInt64(index))))
        }
    }

    public mutating func raw(_ data: [UInt8]) { bytes += data }

    public mutating func lengthPrefixed(_ data: [UInt8], max: Int) {
        int(data.count, in: 0...max)
        bytes += data
    }
}
