@_implementationOnly import COpenSSL

/// The contents of OpenSSL's per-thread error queue at the moment an operation
/// failed, oldest entry first.
public struct OpenSSLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One queued error: the library, the function (always empty under
    /// OpenSSL 3) and the reason, as OpenSSL names them.
    public struct Entry: Sendable, Equatable {
        public var library: String
        public var function: String
        public var reason: String
        /// The packed OpenSSL error code.
        public var code: UInt

        public init(library: String, function: String, reason: String, code: UInt = 0) {
            self.library = library
            self.function = function
            self.reason = reason
            self.code = code
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry]) {
        self.entries = entries
    }

    /// An error made by this library rather than by OpenSSL.
    public init(reason: String) {
        self.entries = [Entry(library: "", function: "", reason: reason)]
    }

    public var description: String {
        entries.map { "\($0.library): \($0.reason)" }.joined(separator: "; ")
    }

    /// Empties the calling thread's error queue into a value.
    public static func drainQueue() -> OpenSSLError {
        var entries: [Entry] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            entries.append(Entry(
                library: string(ERR_lib_error_string(code)),
                function: "",  // OpenSSL 3 no longer records function names
                reason: string(ERR_reason_error_string(code)),
                code: code))
        }
        return OpenSSLError(entries: entries)
    }

    /// The queue as a value, or `reason` in our words when OpenSSL failed
    /// without queueing one: an error never comes out empty.
    public static func drainQueue(orReason reason: @autoclosure () -> String) -> OpenSSLError {
        let error = drainQueue()
        return error.entries.isEmpty ? OpenSSLError(reason: reason()) : error
    }

    /// Drops whatever someone else left in the queue, so a failure reports
    /// only its own errors; also used after a success, which can leave
    /// harmless errors behind. Peeking first: clearing an empty queue still
    /// walks all its slots, the largest single cost of a small read or write.
    @inline(__always)
    public static func clearQueue() {
        if ERR_peek_error() != 0 { ERR_clear_error() }
    }

    private static func string(_ pointer: UnsafePointer<CChar>?) -> String {
        guard let pointer else { return "" }
        return String(cString: pointer)
    }
}

/// Runs an OpenSSL call that reports failure by returning `<= 0` (or NULL),
/// turning the failure into a thrown `OpenSSLError` and leaving the queue empty.
@inline(__always)
func check(_ result: Int32) throws(OpenSSLError) {
    if result <= 0 { throw OpenSSLError.drainQueue() }
}

@inline(__always)
func check<T>(_ result: T?) throws(OpenSSLError) -> T {
    guard let result else { throw OpenSSLError.drainQueue() }
    return result
}
