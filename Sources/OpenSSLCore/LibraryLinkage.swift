@_implementationOnly import COpenSSL

/// Stands for code of this library in address look-ups.
private let markerOfThisLibrary: @convention(c) () -> Void = {}

extension LibraryInfo {
    /// Whether OpenSSL is linked into the same binary as this library (a
    /// static build) rather than loaded as a shared library.
    public static var isLinkedStatically: Bool {
        let openSSL: @convention(c) (Int32) -> UnsafePointer<CChar>? = OpenSSL_version
        guard let openSSLFile = objectFile(of: unsafeBitCast(openSSL, to: UnsafeRawPointer.self)),
              let ownFile = objectFile(of: unsafeBitCast(markerOfThisLibrary, to: UnsafeRawPointer.self))
        else { return false }
        return openSSLFile == ownFile
    }

    /// The addresses of a few OpenSSL functions of the very copy this library
    /// runs on, for code that must reach it directly (tests looking at the
    /// error queue of a static build, where no shared libcrypto holds it).
    package static var functionAddresses: [(name: String, address: UInt)] {
        let peek: @convention(c) () -> UInt = ERR_peek_error
        let clear: @convention(c) () -> Void = ERR_clear_error
        let newFile: @convention(c) (UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> OpaquePointer? = BIO_new_file
        let free: @convention(c) (OpaquePointer?) -> Int32 = BIO_free
        return [("ERR_peek_error", unsafeBitCast(peek, to: UInt.self)),
                ("ERR_clear_error", unsafeBitCast(clear, to: UInt.self)),
                ("BIO_new_file", unsafeBitCast(newFile, to: UInt.self)),
                ("BIO_free", unsafeBitCast(free, to: UInt.self))]
    }

    private static func objectFile(of address: UnsafeRawPointer) -> String? {
        shim_object_file_of(address).map { String(cString: $0) }
    }
}
