@_implementationOnly import COpenSSL

/// What a client offered in its ClientHello, as a server's client-hello
/// callback sees it (before SNI, ALPN or certificates are processed).
public struct ClientHello: Sendable {
    /// The legacy_version field (0x0303 for TLS 1.2 and 1.3 clients).
    public var legacyVersion: Int
    /// The supported_versions extension, in the client's order (empty if absent).
    public var supportedVersions: [Int]
    /// Cipher suite code points, in the client's order.
    public var cipherSuites: [Int]
    /// Extension type numbers, in the order they were sent.
    public var extensions: [Int]
    /// The host name from the server_name extension, if any.
    public var serverName: String?
    /// The ALPN protocols offered, in order (empty if none).
    public var alpnProtocols: [[UInt8]]

    init(ssl: OpaquePointer) {
        legacyVersion = Int(SSL_client_hello_get0_legacy_version(ssl))

        var ciphers: UnsafePointer<UInt8>?
        let cipherBytes = SSL_client_hello_get0_ciphers(ssl, &ciphers)
        cipherSuites = ciphers.map { pointer in
            stride(from: 0, to: cipherBytes - 1, by: 2).map { Int(pointer[$0]) << 8 | Int(pointer[$0 + 1]) }
        } ?? []

        var present: UnsafeMutablePointer<Int32>?
        var presentCount = 0
        if SSL_client_hello_get1_extensions_present(ssl, &present, &presentCount) == 1, let present {
            extensions = (0..<presentCount).map { Int(present[$0]) }
            shim_OPENSSL_free(present)
        } else {
            extensions = []
        }

        func extensionData(_ type: UInt32) -> [UInt8]? {
            var data: UnsafePointer<UInt8>?
            var length = 0
            guard SSL_client_hello_get0_ext(ssl, type, &data, &length) == 1, let data else { return nil }
            return Array(UnsafeBufferPointer(start: data, count: length))
        }

        supportedVersions = []
        if let data = extensionData(UInt32(TLSEXT_TYPE_supported_versions)), let length = data.first {
            let end = min(Int(length) + 1, data.count)
            supportedVersions = stride(from: 1, to: end - 1, by: 2).map { Int(data[$0]) << 8 | Int(data[$0 + 1]) }
        }

        serverName = nil
        if let data = extensionData(UInt32(TLSEXT_TYPE_server_name)), data.count >= 5 {
            var index = 2
            while index + 3 <= data.count {
                let kind = data[index]
                let length = Int(data[index + 1]) << 8 | Int(data[index + 2])
                index += 3
                guard index + length <= data.count else { break }
                if kind == 0 {
                    serverName = String(decoding: data[index..<(index + length)], as: UTF8.self)
                    break
                }
                index += length
            }
        }

        alpnProtocols = []
        if let data = extensionData(UInt32(TLSEXT_TYPE_application_layer_protocol_negotiation)), data.count >= 2 {
            alpnProtocols = data.dropFirst(2).withUnsafeBytes { ALPN.parse($0) }
        }
    }
}

/// A client-hello callback: return false to abort the handshake.
public typealias ClientHelloCallback = (TLSConnection, ClientHello) -> Bool

extension TLSContext {
    /// Inspects each ClientHello before the server picks certificates or
    /// parameters (it may switch the connection's context).
    public func setClientHelloCallback(_ callback: ClientHelloCallback?) {
        callbacks.clientHello = callback
        SSL_CTX_set_client_hello_cb(pointer, callback == nil ? nil : clientHelloThunk, nil)
    }
}

let clientHelloThunk: @convention(c) (OpaquePointer?, UnsafeMutablePointer<Int32>?, UnsafeMutableRawPointer?) -> Int32 = { ssl, alert, _ in
    guard let ssl, let connection = TLSConnection.from(ssl),
          let callback = connection.context.callbacks.clientHello else { return SSL_CLIENT_HELLO_SUCCESS }
    if callback(connection, ClientHello(ssl: ssl)) { return SSL_CLIENT_HELLO_SUCCESS }
    alert?.pointee = SSL_AD_HANDSHAKE_FAILURE
    return SSL_CLIENT_HELLO_ERROR
}
