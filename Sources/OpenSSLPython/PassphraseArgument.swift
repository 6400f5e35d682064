@preconcurrency import CPython
import OpenSSLCore

/// A passphrase given to `load_privatekey`/`dump_privatekey` (bytes or a
/// callable taking the read/write flag), as the core's `Passphrase`. A
/// problem inside the callable is kept and raised after the OpenSSL call.
final class PassphraseArgument {
    private let object: PyObjectPointer?
    private let problem = PendingException()

    init(_ object: PyObjectPointer?, fileType: Int) throws(PythonException) {
        self.object = object
        guard let object else { return }
        if fileType != FileType.pem { throw valueError("only FILETYPE_PEM key format supports encryption") }
        if shim_Bytes_Check(object) == 0 && shim_Callable_Check(object) == 0 {
            throw typeError("Last argument must be a byte string or a callable.")
        }
    }

    var source: Passphrase {
        guard object != nil else { return .none }
        return .callback { [self] maximumLength, writing in answer(maximumLength: maximumLength, writing: writing) }
    }

    private func answer(maximumLength: Int, writing: Bool) -> [UInt8]? {
        guard let object else { return nil }
        do {
            var result: PyObjectPointer
            if shim_Bytes_Check(object) != 0 {
                result = shim_NewRef(object)
            } else {
                guard let called = callPython(object, [pyBool(writing)]) else { throw PythonException() }
                result = called
            }
            defer { Py_DecRef(result) }
            guard shim_Bytes_Check(result) != 0 else { throw valueError("Bytes expected") }
            let bytes = swiftBytes(result)
            if bytes.count > maximumLength { throw valueError("passphrase returned by callback is too long") }
            return bytes
        } catch {
            keepProblem()
            return nil
        }
    }

    private func keepProblem() { problem.takeCurrent() }

    /// Raises what the callable raised, if anything (the OpenSSL failure it
    /// caused is dropped in its favour).
    func raiseIfProblem() throws(PythonException) {
        guard problem.isSet else { return }
        _ = OpenSSLError.drainQueue()
        try problem.raiseIfSet()
    }
}
