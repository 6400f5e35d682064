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
    var passphraseCallback = PyReference()
    var passphraseUserdata = PyReference()
    /// What the passphrase callback raised while a key was being loaded.
    var passphraseProblem = PendingException()

    init(context: TLSContext) {
        self.context = context
    }

    override func traverse(_ visit: visitproc, _ arg: UnsafeMutableRawPointer?) -> Int32 {
        var result = appData.visit(visit, arg)
        if result == 0 { result = verifyCallback.visit(visit, arg) }
        if result == 0 { result = infoCallback.visit(visit, arg) }
        if result == 0 { result = passphraseCallback.visit(visit, arg) }
        if result == 0 { result = passphraseUserdata.visit(visit, arg) }
        if result == 0 { result = passphraseProblem.visit(visit, arg) }
        return result
    }

    override func clearReferences() {
        appData.clear()
        verifyCallback.clear()
        infoCallback.clear()
        passphraseCallback.clear()
        passphraseUserdata.clear()
        passphraseProblem.clear()
    }

    /// pyOpenSSL 26's rule: a context that made a Connection is frozen.
    func requireNotUsed() throws(PythonException) {
        if used {
            throw valueError("Context has already been used to create a Connection, it cannot be mutated again")
        }
    }
}
