@preconcurrency import CPython

/// Runs `body` with the GIL released, so other Python threads run while
/// OpenSSL blocks or computes. `body` must not touch Python objects.
@inline(__always)
func withoutGIL<R>(_ body: () -> R) -> R {
    let saved = PyEval_SaveThread()
    defer { PyEval_RestoreThread(saved) }
    return body()
}

/// Runs `body` holding the GIL, from any thread (OpenSSL callbacks).
@inline(__always)
func withGIL<R>(_ body: () -> R) -> R {
    let gil = PyGILState_Ensure()
    defer { PyGILState_Release(gil) }
    return body()
}
