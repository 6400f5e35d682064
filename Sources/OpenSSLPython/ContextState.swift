@preconcurrency import CPython
import OpenSSLCore

/// The Swift state behind one `OpenSSL.SSL.Context`.
final class ContextState: ObjectState {
    let context: TLSContext
    /// Set once a Connection is made from this context: from then on the
    /// context is shared with OpenSSL's handshakes and refuses changes.
    var used = false
    var appData = PyReference()
    var verifyCallback = PyReference()
    var infoCallback = PyReference()

    init(context: TLSContext) {
        self.context = context
    }

    deinit {
        clearReferences()
    }

    override func traverse(_ visit: visitproc, _ arg: UnsafeMutableRawPointer?) -> Int32 {
        for reference in [appData, verifyCallback, infoCallback] {
            let result = reference.visit(visit, arg)
            if result != 0 { return result }
        }
        return 0
    }

    override func clearReferences() {
        appData.clear()
        verifyCallback.clear()
        infoCallback.clear()
    }

    /// pyOpenSSL 26's rule: a context that made a Connection is frozen.
    func requireNotUsed() throws(PythonException) {
        if used {
            throw valueError("Context has already been used to create a Connection, it cannot be mutated again")
        }
    }
}
