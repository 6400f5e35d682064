/// The length-prefixed wire format ALPN (and NPN) lists use.
enum ALPN {
    static func wireFormat(_ protocols: [[UInt8]]) throws(OpenSSLError) -> [UInt8] {
        var wire: [UInt8] = []
        for name in protocols {
            guard !name.isEmpty, name.count <= 255 else {
                throw OpenSSLError(reason: "each protocol name must be 1 to 255 bytes long")
            }
            wire.append(UInt8(name.count))
            wire.append(contentsOf: name)
        }
        return wire
    }

    /// Splits a wire-format list; a truncated entry ends the list.
    static func parse(_ wire: UnsafeRawBufferPointer) -> [[UInt8]] {
        var result: [[UInt8]] = []
        var index = 0
        while index < wire.count {
            let length = Int(wire[index])
            index += 1
            guard index + length <= wire.count else { break }
            result.append(Array(wire[index..<(index + length)]))
            index += length
        }
        return result
    }
}
