@_implementationOnly import COpenSSL

/// An X.500 distinguished name ("/C=US/O=Example/CN=example.com"). Either owns
/// its `X509_NAME` or is a live view of a certificate's subject or issuer
/// (looked up on every access, so replacing the certificate's name never
/// leaves a view pointing at freed memory).
public final class DistinguishedName {
    enum Field { case subject, issuer }

    private enum Storage {
        case owned(OpaquePointer)
        case view(Certificate, Field, generation: Int)
    }

    private let storage: Storage

    init(certificate: Certificate, field: Field) {
        let generation = field == .subject ? certificate.subjectGeneration : certificate.issuerGeneration
        storage = .view(certificate, field, generation: generation)
    }

    /// Whether this is a view of a certificate name that has since been
    /// replaced (it then shows the replacement).
    public var isStale: Bool {
        guard case .view(let certificate, let field, let generation) = storage else { return false }
        return generation != (field == .subject ? certificate.subjectGeneration : certificate.issuerGeneration)
    }

    init(takingOwnership pointer: OpaquePointer) {
        storage = .owned(pointer)
    }

    /// An independent copy of `other`.
    public convenience init(copying other: DistinguishedName) throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        let copy = other.withPointer { X509_NAME_dup($0) }
        self.init(takingOwnership: try check(copy))
    }

    /// An empty name.
    public convenience init() throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        self.init(takingOwnership: try check(X509_NAME_new()))
    }

    /// Parses a DER-encoded name.
    public convenience init(der: [UInt8]) throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        let name: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_X509_NAME(nil, &cursor, buffer.count)
        }
        self.init(takingOwnership: try check(name))
    }

    deinit {
        if case .owned(let pointer) = storage { X509_NAME_free(pointer) }
    }

    func withPointer<R, E: Error>(_ body: (OpaquePointer) throws(E) -> R) throws(E) -> R {
        switch storage {
        case .owned(let pointer):
            return try body(pointer)
        case .view(let certificate, let field, _):
            let pointer = field == .subject ? X509_get_subject_name(certificate.pointer) : X509_get_issuer_name(certificate.pointer)
            return try body(pointer!)
        }
    }

    /// The NID for an attribute name ("CN", "commonName", "2.5.4.3"), or nil.
    public static func attributeID(_ name: String) -> Int32? {
        let nid = OBJ_txt2nid(name)
        if nid == NID_undef {
            ERR_clear_error()
            return nil
        }
        return nid
    }

    /// The first value of an attribute, as text; nil when absent.
    public func value(of nid: Int32) -> String? {
        withPointer { name in
            let index = X509_NAME_get_index_by_NID(name, nid, -1)
            guard index >= 0, let entry = X509_NAME_get_entry(name, index),
                  let data = X509_NAME_ENTRY_get_data(entry) else { return nil }
            var utf8: UnsafeMutablePointer<UInt8>?
            let length = ASN1_STRING_to_UTF8(&utf8, data)
            guard length >= 0, let utf8 else {
                ERR_clear_error()
                return nil
            }
            defer { shim_OPENSSL_free(utf8) }
            return String(decoding: UnsafeBufferPointer(start: utf8, count: Int(length)), as: UTF8.self)
        }
    }

    /// Replaces the first value of an attribute (or adds it).
    public func setValue(_ value: [UInt8], for nid: Int32) throws(OpenSSLError) {
        OpenSSLError.clearQueue()
        removeValue(for: nid)
        try withPointer { (name) throws(OpenSSLError) in
            let added = value.withUnsafeBufferPointer {
                X509_NAME_add_entry_by_NID(name, nid, MBSTRING_UTF8, $0.baseAddress, Int32(clamping: $0.count), -1, 0)
            }
            try check(added)
        }
    }

    /// `X509_NAME_cmp`: negative, zero or positive.
    public func compare(_ other: DistinguishedName) -> Int32 {
        withPointer { mine in other.withPointer { theirs in X509_NAME_cmp(mine, theirs) } }
    }

    /// `X509_NAME_hash` (the SHA-1 based hash `c_rehash` uses).
    public var hashValue32: UInt { withPointer { X509_NAME_hash_ex($0, nil, nil, nil) } }

    public var derBytes: [UInt8] {
        withPointer { name in
            var output: UnsafeMutablePointer<UInt8>?
            let length = i2d_X509_NAME(name, &output)
            guard length >= 0, let output else { return [] }
            defer { shim_OPENSSL_free(output) }
            return Array(UnsafeBufferPointer(start: output, count: Int(length)))
        }
    }

    /// The (short name, raw value) of each entry, in order.
    public var components: [(name: [UInt8], value: [UInt8])] {
        withPointer { name in
            var result: [(name: [UInt8], value: [UInt8])] = []
            for index in 0..<X509_NAME_entry_count(name) {
                guard let entry = X509_NAME_get_entry(name, index) else { continue }
                let nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(entry))
                let shortName = OBJ_nid2sn(nid).map { Array(UnsafeRawBufferPointer(start: $0, count: strlen($0))) } ?? []
                var value: [UInt8] = []
                if let data = X509_NAME_ENTRY_get_data(entry), let bytes = ASN1_STRING_get0_data(data) {
                    value = Array(UnsafeBufferPointer(start: bytes, count: Int(ASN1_STRING_length(data))))
                }
                result.append((shortName, value))
            }
            return result
        }
    }

    /// OpenSSL's one-line form ("/C=US/O=Example/CN=example.com"), at most 511 characters.
    public var oneLine: String {
        withPointer { name in
            var buffer = [CChar](repeating: 0, count: 512)
            guard X509_NAME_oneline(name, &buffer, 512) != nil else { return "" }
            return String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }
}

extension DistinguishedName {
    /// Removes the first entry of an attribute, if present.
    public func removeValue(for nid: Int32) {
        withPointer { name in
            let index = X509_NAME_get_index_by_NID(name, nid, -1)
            if index >= 0 { X509_NAME_ENTRY_free(X509_NAME_delete_entry(name, index)) }
        }
    }
}
