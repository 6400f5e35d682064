@_implementationOnly import COpenSSL

/// A key pair, or a public key alone. Wraps `EVP_PKEY`.
public final class PrivateKey {
    let pointer: OpaquePointer
    /// Whether only the public half is present (loaded as a public key or
    /// taken from a certificate).
    public let isPublicOnly: Bool

    init(takingOwnership pointer: OpaquePointer, publicOnly: Bool = false) {
        self.pointer = pointer
        self.isPublicOnly = publicOnly
    }

    init(retaining pointer: OpaquePointer, publicOnly: Bool = false) {
        EVP_PKEY_up_ref(pointer)
        self.pointer = pointer
        self.isPublicOnly = publicOnly
    }

    deinit {
        EVP_PKEY_free(pointer)
    }

    /// An empty key of no type (what `PKey()` is before `generate_key`).
    public static func empty() throws(OpenSSLError) -> PrivateKey {
        OpenSSLError.clearQueue()
        return PrivateKey(takingOwnership: try check(EVP_PKEY_new()))
    }

    // MARK: Key types

    /// OpenSSL's key type numbers (`EVP_PKEY_*`).
    public enum KeyType {
        public static let rsa = EVP_PKEY_RSA
        public static let dsa = EVP_PKEY_DSA
        public static let dh = EVP_PKEY_DH
        public static let ec = EVP_PKEY_EC
        public static let ed25519 = EVP_PKEY_ED25519
        public static let ed448 = EVP_PKEY_ED448
    }

    /// The key type (`EVP_PKEY_RSA`, ...); 0 for an empty key.
    public var typeID: Int32 { EVP_PKEY_get_id(pointer) }

    /// The key size in bits; 0 for an empty key.
    public var bits: Int { isEmpty ? 0 : Int(EVP_PKEY_get_bits(pointer)) }  // 4.0 queues an error for an empty key

    /// Whether this is an empty key with no type yet.
    public var isEmpty: Bool { EVP_PKEY_get_id(pointer) == EVP_PKEY_NONE }

    // MARK: Generation

    /// A new RSA key (public exponent 65537).
    public static func generateRSA(bits: Int) throws(OpenSSLError) -> PrivateKey {
        try generate(algorithm: "RSA") { ctx in EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, Int32(clamping: bits)) }
    }

    /// A new DSA key with fresh domain parameters, made as OpenSSL's classic
    /// `DSA_generate_parameters_ex` makes them: below 2048 bits, FIPS 186-2
    /// parameters with a 160-bit q (FIPS 186-4 refuses sizes such as 512).
    public static func generateDSA(bits: Int) throws(OpenSSLError) -> PrivateKey {
        OpenSSLError.clearQueue()
        let unexplained = "DSA parameters of \(bits) bits could not be made (512 bits or more are needed)"
        let classic = bits < 2048  // FIPS 186-2, as DSA_generate_parameters_ex
        guard let paramContext = EVP_PKEY_CTX_new_from_name(nil, "DSA", nil) else { throw OpenSSLError.drainQueue() }
        defer { EVP_PKEY_CTX_free(paramContext) }
        var parameters: OpaquePointer?
        guard EVP_PKEY_paramgen_init(paramContext) == 1,
              EVP_PKEY_CTX_set_dsa_paramgen_bits(paramContext, Int32(clamping: bits)) == 1,
              !classic || (EVP_PKEY_CTX_set_dsa_paramgen_type(paramContext, "fips186_2") == 1
                               && EVP_PKEY_CTX_set_dsa_paramgen_q_bits(paramContext, 160) == 1),
              EVP_PKEY_paramgen(paramContext, &parameters) == 1, let parameters
        else { throw OpenSSLError.drainQueue(orReason: unexplained) }
        defer { EVP_PKEY_free(parameters) }
        guard let keyContext = EVP_PKEY_CTX_new(parameters, nil) else { throw OpenSSLError.drainQueue() }
        defer { EVP_PKEY_CTX_free(keyContext) }
        var key: OpaquePointer?
        // The key's generation checks the parameters by the rules of the same FIPS 186 version.
        guard EVP_PKEY_keygen_init(keyContext) == 1,
              !classic || EVP_PKEY_CTX_set_dsa_paramgen_type(keyContext, "fips186_2") == 1,
              EVP_PKEY_keygen(keyContext, &key) == 1, let key else {
            throw OpenSSLError.drainQueue(orReason: unexplained)
        }
        return PrivateKey(takingOwnership: key)
    }

    /// A new EC key on a named curve ("prime256v1", "secp384r1", ...).
    public static func generateEC(curve: String) throws(OpenSSLError) -> PrivateKey {
        let nid = OBJ_sn2nid(curve)
        guard nid != NID_undef else { throw OpenSSLError(reason: "unknown curve name") }
        return try generate(algorithm: "EC") { ctx in EVP_PKEY_CTX_set_ec_paramgen_curve_nid(ctx, nid) }
    }

    private static func generate(algorithm: String, configure: (OpaquePointer) -> Int32) throws(OpenSSLError) -> PrivateKey {
        OpenSSLError.clearQueue()
        guard let context = EVP_PKEY_CTX_new_from_name(nil, algorithm, nil) else { throw OpenSSLError.drainQueue() }
        defer { EVP_PKEY_CTX_free(context) }
        var key: OpaquePointer?
        guard EVP_PKEY_keygen_init(context) == 1, configure(context) > 0,
              EVP_PKEY_keygen(context, &key) == 1, let key
        else { throw OpenSSLError.drainQueue() }
        return PrivateKey(takingOwnership: key)
    }

    /// Checks an RSA private key's consistency (`RSA_check_key`).
    public func checkConsistency() throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        guard let context = EVP_PKEY_CTX_new(pointer, nil) else { throw OpenSSLError.drainQueue() }
        defer { EVP_PKEY_CTX_free(context) }
        try check(EVP_PKEY_check(context))
    }

    // MARK: Loading

    /// Parses a PEM private key (PKCS#8, or the traditional RSA/EC/DSA forms).
    public convenience init(pem: [UInt8], passphrase: Passphrase = .none) throws(OpenSSLError) {
        let result = pem.withUnsafeBytes { raw in Result { () throws(OpenSSLError) in try PrivateKey(pem: raw, passphrase: passphrase) } }
        let key = try result.get()
        self.init(retaining: key.pointer, publicOnly: key.isPublicOnly)
    }

    /// Parses a PEM private key from memory the caller keeps valid meanwhile.
    public convenience init(pem: UnsafeRawBufferPointer, passphrase: Passphrase = .none) throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        let key: OpaquePointer? = try withMemoryBIO(pem) { bio in
            passphrase.withCallback { callback, userdata in PEM_read_bio_PrivateKey(bio, nil, callback, userdata) }
        }
        self.init(takingOwnership: try check(key))
    }

    /// Parses a DER private key (PKCS#8 or traditional).
    public convenience init(der: [UInt8]) throws(OpenSSLError) {
        let result = der.withUnsafeBytes { raw in Result { () throws(OpenSSLError) in try PrivateKey(der: raw) } }
        let key = try result.get()
        self.init(retaining: key.pointer, publicOnly: key.isPublicOnly)
    }

    /// Parses a DER private key from memory the caller keeps valid meanwhile.
    public convenience init(der: UnsafeRawBufferPointer) throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        let key = try withMemoryBIO(der) { bio in d2i_PrivateKey_bio(bio, nil) }
        self.init(takingOwnership: try check(key))
    }

    /// Parses a PEM public key (SubjectPublicKeyInfo).
    public static func publicKey(pem: [UInt8]) throws(OpenSSLError) -> PrivateKey {
        let result = pem.withUnsafeBytes { raw in Result { () throws(OpenSSLError) in try publicKey(pem: raw) } }
        return try result.get()
    }

    /// Parses a DER public key (SubjectPublicKeyInfo).
    public static func publicKey(der: [UInt8]) throws(OpenSSLError) -> PrivateKey {
        let result = der.withUnsafeBytes { raw in Result { () throws(OpenSSLError) in try publicKey(der: raw) } }
        return try result.get()
    }

    /// Parses a PEM public key from memory the caller keeps valid meanwhile.
    public static func publicKey(pem: UnsafeRawBufferPointer) throws(OpenSSLError) -> PrivateKey {
        OpenSSLError.clearQueue()
        let key = try withMemoryBIO(pem) { bio in PEM_read_bio_PUBKEY(bio, nil, refusePassphrase, nil) }
        return PrivateKey(takingOwnership: try check(key), publicOnly: true)
    }

    /// Parses a DER public key from memory the caller keeps valid meanwhile.
    public static func publicKey(der: UnsafeRawBufferPointer) throws(OpenSSLError) -> PrivateKey {
        OpenSSLError.clearQueue()
        let key = try withMemoryBIO(der) { bio in d2i_PUBKEY_bio(bio, nil) }
        return PrivateKey(takingOwnership: try check(key), publicOnly: true)
    }

    // MARK: Encoding

    /// Whether OpenSSL knows a cipher by this name ("aes-256-cbc").
    public static func isKnownCipher(_ name: String) -> Bool { EVP_get_cipherbyname(name) != nil }

    /// The private key as PEM, encrypted with `cipher` under `passphrase` when a cipher is given.
    public func pemBytes(cipher: String? = nil, passphrase: Passphrase = .none) throws(OpenSSLError) -> [UInt8] {
        OpenSSLError.clearQueue()
        let evpCipher = cipher.flatMap { EVP_get_cipherbyname($0) }
        if cipher != nil && evpCipher == nil { throw OpenSSLError(reason: "Invalid cipher name") }
        let output = passphrase.withCallback { callback, userdata in
            collectFromMemoryBIO { bio in
                PEM_write_bio_PrivateKey(bio, pointer, evpCipher, nil, 0, evpCipher == nil ? nil : callback, userdata)
            }
        }
        if output.isEmpty { throw OpenSSLError.drainQueue() }
        return output
    }

    /// The private key as DER (the traditional form for RSA/DSA/EC, PKCS#8 otherwise).
    public func derBytes() throws(OpenSSLError) -> [UInt8] {
        OpenSSLError.clearQueue()
        let output = collectFromMemoryBIO { bio in i2d_PrivateKey_bio(bio, pointer) }
        if output.isEmpty { throw OpenSSLError.drainQueue() }
        return output
    }

    /// The private key as PKCS#8 DER, unencrypted.
    public func pkcs8DERBytes() throws(OpenSSLError) -> [UInt8] {
        OpenSSLError.clearQueue()
        let output = collectFromMemoryBIO { bio in i2d_PKCS8PrivateKey_bio(bio, pointer, nil, nil, 0, nil, nil) }
        if output.isEmpty { throw OpenSSLError.drainQueue() }
        return output
    }

    /// A human-readable dump of the private key.
    public func textDump() throws(OpenSSLError) -> [UInt8] {
        OpenSSLError.clearQueue()
        let output = collectFromMemoryBIO { bio in EVP_PKEY_print_private(bio, pointer, 0, nil) }
        if output.isEmpty { throw OpenSSLError.drainQueue() }
        return output
    }

    /// The public half as PEM (SubjectPublicKeyInfo).
    public func publicPEMBytes() throws(OpenSSLError) -> [UInt8] {
        OpenSSLError.clearQueue()
        let output = collectFromMemoryBIO { bio in PEM_write_bio_PUBKEY(bio, pointer) }
        if output.isEmpty { throw OpenSSLError.drainQueue() }
        return output
    }

    /// The public half as DER (SubjectPublicKeyInfo).
    public func publicDERBytes() throws(OpenSSLError) -> [UInt8] {
        OpenSSLError.clearQueue()
        let output = collectFromMemoryBIO { bio in i2d_PUBKEY_bio(bio, pointer) }
        if output.isEmpty { throw OpenSSLError.drainQueue() }
        return output
    }
}

/// Where a passphrase for an encrypted key comes from.
public enum Passphrase {
    /// None: an encrypted key fails to load instead of prompting on a terminal.
    case none
    /// These bytes.
    case bytes([UInt8])
    /// Asked for when needed, with the longest passphrase OpenSSL accepts and
    /// whether it is for writing (encrypting) a key. Return nil to fail;
    /// longer answers are cut to the maximum.
    case callback((_ maximumLength: Int, _ forWriting: Bool) -> [UInt8]?)

    final class Box {
        let source: Passphrase
        init(_ source: Passphrase) { self.source = source }
    }

    /// Runs `body` with a `pem_password_cb` and its userdata for this source.
    func withCallback<R>(_ body: (PassphraseThunk, UnsafeMutableRawPointer?) -> R) -> R {
        let box = Box(self)
        return withExtendedLifetime(box) {
            body(passphraseThunk, Unmanaged.passUnretained(box).toOpaque())
        }
    }
}

typealias PassphraseThunk = @convention(c) (UnsafeMutablePointer<CChar>?, Int32, Int32, UnsafeMutableRawPointer?) -> Int32

/// The `pem_password_cb` for reads that have no passphrase: it fails. A NULL
/// callback would make OpenSSL prompt on the terminal.
let refusePassphrase: PassphraseThunk = { _, _, _, _ in -1 }

let passphraseThunk: PassphraseThunk = { buffer, size, writing, userdata in
    guard let buffer, let userdata, size > 0 else { return 0 }
    let box = Unmanaged<Passphrase.Box>.fromOpaque(userdata).takeUnretainedValue()
    let answer: [UInt8]?
    switch box.source {
    case .none: answer = nil
    case .bytes(let bytes): answer = bytes.count <= Int(size) ? bytes : nil
    case .callback(let callback): answer = callback(Int(size), writing != 0)
    }
    guard let answer else { return -1 }
    let count = min(answer.count, Int(size))
    answer.withUnsafeBufferPointer { source in
        if count > 0 { UnsafeMutableRawPointer(buffer).copyMemory(from: source.baseAddress!, byteCount: count) }
    }
    return Int32(count)
}
