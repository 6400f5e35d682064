@preconcurrency import CPython
import OpenSSLCore

/// The Swift state behind one `OpenSSL.SSL.Context`.
final class ContextState: ObjectState {
    let context: TLSContext
    /// Set once a Connection is made from this context: from then on the
    /// context is shared with OpenSSL's handshakes and refuses changes.
    var used = false
    let appData = PyReference()
    /// Python callbacks and their data, by name ("verify", "info", ...).
    let slots = PythonSlots()
    /// What the passphrase callback raised while a key was being loaded.
    let passphraseProblem = PendingException()

    init(context: TLSContext) {
        self.context = context
    }

    deinit {
        // Connections can keep the core context alive after this state is
        // gone; its passphrase callback refers to this state.
        context.setPassphraseCallback(nil)
    }

    override func traverse(_ visit: visitproc, _ arg: UnsafeMutableRawPointer?) -> Int32 {
        var result = appData.visit(visit, arg)
        if result == 0 { result = slots.visit(visit, arg) }
        if result == 0 { result = passphraseProblem.visit(visit, arg) }
        return result
    }

    override func clearReferences() {
        appData.clear()
        slots.clear()
        passphraseProblem.clear()
    }

    /// pyOpenSSL 26's rule: a context that made a Connection is frozen.
    func requireNotUsed() throws(PythonException) {
        if used {
            throw valueError("Context has already been used to create a Connection, it cannot be mutated again")
        }
    }
}
