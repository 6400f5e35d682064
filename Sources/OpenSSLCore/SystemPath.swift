/// A file-system path as the bytes the operating system sees, so paths that are
/// not valid UTF-8 survive the trip to OpenSSL.
public struct SystemPath: Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The path's bytes, without a terminating NUL.
    public let bytes: [UInt8]

    public init(_ string: String) { bytes = Array(string.utf8) }
    public init(bytes: [UInt8]) { self.bytes = bytes }
    public init(stringLiteral value: String) { self.init(value) }

    public var description: String { String(decoding: bytes, as: UTF8.self) }

    /// Whether the path holds a NUL byte, which C would silently cut it at.
    public var containsNUL: Bool { bytes.contains(0) }

    func withCString<R>(_ body: (UnsafePointer<CChar>) throws -> R) rethrows -> R {
        try (bytes.map { CChar(bitPattern: $0) } + [0]).withUnsafeBufferPointer { try body($0.baseAddress!) }
    }

    /// Runs `body` with C strings for two optional paths (NULL for nil), the
    /// shape of OpenSSL's "CA file and/or CA directory" functions.
    static func withCStrings<R>(_ first: SystemPath?, _ second: SystemPath?,
                                _ body: (UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> R) -> R {
        func withOptional<T>(_ path: SystemPath?, _ inner: (UnsafePointer<CChar>?) -> T) -> T {
            guard let path else { return inner(nil) }
            return path.withCString { inner($0) }
        }
        return withOptional(first) { a in withOptional(second) { b in body(a, b) } }
    }
}
