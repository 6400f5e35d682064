@_implementationOnly import COpenSSL

/// Facts about the OpenSSL this library was built against and the one loaded.
public enum LibraryInfo {
    /// Selectors for `versionText(_:)` (`OPENSSL_VERSION`, `OPENSSL_CFLAGS`, ...).
    public enum Item: Int32, Sendable, CaseIterable {
        case version = 0, cflags = 1, builtOn = 2, platform = 3, directory = 4
    }

    /// `OPENSSL_VERSION_NUMBER` of the headers used at build time.
    public static var buildVersionNumber: UInt { UInt(shim_OPENSSL_VERSION_NUMBER()) }
    /// `OPENSSL_VERSION_TEXT` of the headers used at build time.
    public static var buildVersionText: String { String(cString: shim_OPENSSL_VERSION_TEXT()) }
    /// The version number of the library loaded at run time.
    public static var runtimeVersionNumber: UInt { UInt(OpenSSL_version_num()) }

    /// Text describing the loaded library, as `OpenSSL_version(3)` returns it.
    public static func versionText(_ item: Item) -> String {
        String(cString: OpenSSL_version(item.rawValue))
    }

    /// Text for a raw selector; OpenSSL answers "not available" for unknown ones.
    public static func versionText(rawItem: Int32) -> String {
        String(cString: OpenSSL_version(rawItem))
    }

    /// Whether the loaded OpenSSL has the major and minor version built against:
    /// a different one in the same process means mismatched structures and macros.
    public static var runtimeMatchesBuild: Bool {
        isCompatible(built: buildVersionNumber, loaded: runtimeVersionNumber)
    }

    /// Whether two `OPENSSL_VERSION_NUMBER`s (0xMNN00PP0) share major and
    /// minor version: patch releases keep structures and macros the same.
    public static func isCompatible(built: UInt, loaded: UInt) -> Bool {
        (built >> 20) == (loaded >> 20)
    }

    /// Whether this OpenSSL still has Next Protocol Negotiation.
    public static var hasNPN: Bool { shim_NPN_available() != 0 }
}
