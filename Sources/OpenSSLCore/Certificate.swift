@_implementationOnly import COpenSSL

/// An X.509 certificate. Wraps `X509` (reference counted by OpenSSL).
/// Reading one from several threads is safe; the builder setters are not,
/// so finish building before sharing it.
public final class Certificate: @unchecked Sendable {
    let pointer: OpaquePointer

    /// Takes over one reference the caller owns.
    init(takingOwnership pointer: OpaquePointer) {
        self.pointer = pointer
    }

    /// Adds a reference of its own to a certificate someone else owns.
    init(retaining pointer: OpaquePointer) {
        X509_up_ref(pointer)
        self.pointer = pointer
    }

    deinit {
        X509_free(pointer)
    }

    /// An empty certificate, to be filled in with the setters and `sign`.
    public convenience init() throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        self.init(takingOwnership: try check(X509_new()))
    }

    /// Parses one PEM certificate (the first, if there are several).
    public convenience init(pem: [UInt8]) throws(OpenSSLError) {
        let result = pem.withUnsafeBytes { raw in Result { () throws(OpenSSLError) in try Certificate(pem: raw) } }
        self.init(retaining: try result.get().pointer)
    }

    /// Parses one DER certificate.
    public convenience init(der: [UInt8]) throws(OpenSSLError) {
        let result = der.withUnsafeBytes { raw in Result { () throws(OpenSSLError) in try Certificate(der: raw) } }
        self.init(retaining: try result.get().pointer)
    }

    /// Parses one PEM certificate from memory the caller keeps valid meanwhile.
    public convenience init(pem: UnsafeRawBufferPointer) throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        let x509 = try withMemoryBIO(pem) { bio in PEM_read_bio_X509(bio, nil, refusePassphrase, nil) }
        self.init(takingOwnership: try check(x509))
    }

    /// Parses one DER certificate from memory the caller keeps valid meanwhile.
    public convenience init(der: UnsafeRawBufferPointer) throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        let x509 = try withMemoryBIO(der) { bio in d2i_X509_bio(bio, nil) }
        self.init(takingOwnership: try check(x509))
    }

    /// An independent copy.
    public func copy() throws(OpenSSLError) -> Certificate {
        OpenSSLError.clearQueue()
        return Certificate(takingOwnership: try check(X509_dup(pointer)))
    }

    // MARK: Encodings

    /// The DER encoding.
    public var derBytes: [UInt8] {
        collectFromMemoryBIO { bio in i2d_X509_bio(bio, pointer) }
    }

    /// The PEM encoding.
    public var pemBytes: [UInt8] {
        collectFromMemoryBIO { bio in PEM_write_bio_X509(bio, pointer) }
    }

    /// A human-readable dump, as `openssl x509 -text` prints it.
    public var textDump: [UInt8] {
        let text = collectFromMemoryBIO { bio in X509_print_ex(bio, pointer, 0, 0) }
        // Extensions that do not decode are printed raw, leaving their
        // decoding errors queued even though printing succeeded.
        if !text.isEmpty { OpenSSLError.clearQueue() }
        return text
    }

    // MARK: Fields

    /// The zero-based version field (2 means X.509 v3).
    public var version: Int { X509_get_version(pointer) }

    public func setVersion(_ version: Int) throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        try check(X509_set_version(pointer, version))
    }

    /// The serial number as a hexadecimal string (uppercase, no prefix; "-" if negative).
    public var serialNumberHex: String {
        guard let serial = X509_get_serialNumber(pointer),
              let bignum = ASN1_INTEGER_to_BN(serial, nil) else { return "0" }
        defer { BN_free(bignum) }
        guard let hex = BN_bn2hex(bignum) else { return "0" }
        defer { shim_OPENSSL_free(hex) }
        return String(cString: hex)
    }

    /// Sets the serial number from a hexadecimal string.
    public func setSerialNumber(hex: String) throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        var bignum: OpaquePointer?
        guard BN_hex2bn(&bignum, hex) != 0, let bignum else { throw OpenSSLError.drainQueue() }
        defer { BN_free(bignum) }
        guard let integer = BN_to_ASN1_INTEGER(bignum, nil) else { throw OpenSSLError.drainQueue() }
        defer { ASN1_INTEGER_free(integer) }
        try check(X509_set_serialNumber(pointer, integer))
    }

    /// The subject name, read and written in place.
    public var subject: DistinguishedName { DistinguishedName(certificate: self, field: .subject) }
    /// The issuer name, read and written in place.
    public var issuer: DistinguishedName { DistinguishedName(certificate: self, field: .issuer) }

    /// How many times the subject / issuer were replaced: a view made before
    /// a replacement is stale (`DistinguishedName.isStale`).
    private(set) var subjectGeneration = 0
    private(set) var issuerGeneration = 0

    public func setSubject(_ name: DistinguishedName) throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        try name.withPointer { (raw) throws(OpenSSLError) in try check(X509_set_subject_name(pointer, raw)) }
        subjectGeneration += 1
    }

    public func setIssuer(_ name: DistinguishedName) throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        try name.withPointer { (raw) throws(OpenSSLError) in try check(X509_set_issuer_name(pointer, raw)) }
        issuerGeneration += 1
    }

    /// The start of the validity period as ASN.1 GeneralizedTime text
    /// ("20260101000000Z"), or nil when unset.
    public var notBefore: [UInt8]? { ASN1Time.generalizedText(shim_X509_getm_notBefore(pointer)) }
    /// The end of the validity period, likewise.
    public var notAfter: [UInt8]? { ASN1Time.generalizedText(shim_X509_getm_notAfter(pointer)) }

    /// Sets the start of the validity period from ASN.1 time text; false if
    /// the text is not a valid time.
    public func setNotBefore(_ text: [UInt8]) -> Bool { ASN1Time.set(shim_X509_getm_notBefore(pointer), text) }
    public func setNotAfter(_ text: [UInt8]) -> Bool { ASN1Time.set(shim_X509_getm_notAfter(pointer), text) }

    /// Moves the start of the validity period to now plus `seconds`.
    public func adjustNotBefore(secondsFromNow seconds: Int) { shim_X509_gmtime_adj(shim_X509_getm_notBefore(pointer), seconds) }
    /// Moves the end of the validity period to now plus `seconds`.
    public func adjustNotAfter(secondsFromNow seconds: Int) { shim_X509_gmtime_adj(shim_X509_getm_notAfter(pointer), seconds) }

    /// Whether the end of the validity period has passed.
    public var hasExpired: Bool? {
        guard let time = shim_X509_getm_notAfter(pointer), shim_ASN1_STRING_length(time) > 0 else { return nil }
        return shim_X509_cmp_current_time(time) < 0
    }

    /// The public key.
    public func publicKey() throws(OpenSSLError) -> PrivateKey {
        OpenSSLError.clearQueue()
        return PrivateKey(takingOwnership: try check(X509_get_pubkey(pointer)), publicOnly: true)
    }

    public func setPublicKey(_ key: PrivateKey) throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        try check(X509_set_pubkey(pointer, key.pointer))
    }

    /// Signs the certificate with `key` using the digest named `digest` ("sha256").
    public func sign(with key: PrivateKey, digest: String) throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        guard let md = EVP_get_digestbyname(digest) else { throw OpenSSLError(reason: "No such digest method") }
        try check(X509_sign(pointer, key.pointer, md))
    }

    /// The long name of the signature algorithm ("sha256WithRSAEncryption"),
    /// or nil when OpenSSL does not know it.
    public var signatureAlgorithm: String? {
        guard let algorithm = X509_get0_tbs_sigalg(pointer) else { return nil }
        var object: OpaquePointer?
        X509_ALGOR_get0(&object, nil, nil, algorithm)
        let nid = OBJ_obj2nid(object)
        guard nid != NID_undef, let name = OBJ_nid2ln(nid) else { return nil }
        return String(cString: name)
    }

    /// The digest of the DER encoding with the named algorithm, or nil for an unknown name.
    public func fingerprint(_ digestName: String) throws(OpenSSLError) -> [UInt8]? {
        guard let md = EVP_get_digestbyname(digestName) else { return nil }
        OpenSSLError.clearQueue()
        var buffer = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        try check(X509_digest(pointer, md, &buffer, &length))
        return Array(buffer[0..<Int(length)])
    }

    /// The DER encoding; an error for a certificate too incomplete to encode.
    public func encodedDER() throws(OpenSSLError) -> [UInt8] {
        OpenSSLError.clearQueue()
        let der = derBytes
        if der.isEmpty { throw OpenSSLError.drainQueue() }
        return der
    }

    /// Whether OpenSSL knows a message digest by this name ("sha256").
    public static func isKnownDigest(_ name: String) -> Bool { EVP_get_digestbyname(name) != nil }

    /// OpenSSL's hash of the subject name (what `c_rehash` names files by).
    public var subjectNameHash: UInt { X509_subject_name_hash(pointer) }

    public var extensionCount: Int { Int(X509_get_ext_count(pointer)) }

    /// Adds an X.509v3 extension in OpenSSL's configuration syntax, e.g.
    /// ("basicConstraints", "critical,CA:TRUE") or ("subjectAltName",
    /// "DNS:localhost,IP:127.0.0.1"). `issuer` is needed for extensions
    /// that refer to it (authorityKeyIdentifier); nil means self-issued.
    public func addExtension(_ name: String, value: String, issuer: Certificate? = nil) throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        var context = X509V3_CTX()
        X509V3_set_ctx(&context, (issuer ?? self).pointer, pointer, nil, nil, 0)
        let made = try check(X509V3_EXT_nconf(nil, &context, name, value))
        defer { X509_EXTENSION_free(made) }
        try check(X509_add_ext(pointer, made, -1))
    }

    /// The subject as a one-line string ("/C=US/O=Example/CN=example.com").
    public var subjectOneLine: String { subject.oneLine }
    /// The issuer as a one-line string.
    public var issuerOneLine: String { issuer.oneLine }
}

/// ASN.1 time helpers (through the shim's untyped pointers: see shim.h).
enum ASN1Time {
    static func generalizedText(_ time: UnsafeMutableRawPointer?) -> [UInt8]? {
        guard let time, shim_ASN1_STRING_length(time) > 0 else { return nil }
        if shim_ASN1_STRING_type(time) == V_ASN1_GENERALIZEDTIME {
            return bytes(of: time)
        }
        guard let generalized = shim_ASN1_TIME_to_generalizedtime(time) else {
            ERR_clear_error()
            return nil
        }
        defer { shim_ASN1_GENERALIZEDTIME_free(generalized) }
        return bytes(of: generalized)
    }

    static func set(_ time: UnsafeMutableRawPointer?, _ text: [UInt8]) -> Bool {
        guard let time, !text.contains(0) else { return false }
        let string = String(decoding: text, as: UTF8.self)
        let ok = shim_ASN1_TIME_set_string(time, string) == 1
        if !ok { ERR_clear_error() }
        return ok
    }

    private static func bytes(of string: UnsafeMutableRawPointer) -> [UInt8] {
        let length = Int(shim_ASN1_STRING_length(string))
        guard let data = shim_ASN1_STRING_get0_data(string), length > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: length))
    }
}
