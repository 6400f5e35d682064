@preconcurrency import CPython

/// The Python callables (and their data) an object can keep, one slot each.
enum Slot: Int, CaseIterable {
    case verify, contextVerify, info, keylog, servername, alpnSelect, ocsp, ocspData
    case cookieGenerate, cookieVerify, npnAdvertise, npnSelect, clientHello
    case pskClient, pskServer, passphrase, passphraseUserdata
}

/// Named Python references an object keeps (callbacks and their data), in
/// one fixed table so `tp_traverse`/`tp_clear` see them all and replacing one
/// releases the old. The table is allocated on the first store: most objects
/// never keep any. A class for the reason `PyReference` is one. Only touched
/// with the GIL held.
final class PythonSlots {
    @exclusivity(unchecked) private var table: UnsafeMutablePointer<PyObjectPointer?>?

    /// The object in `slot` (borrowed), or nil.
    @inline(__always)
    func get(_ slot: Slot) -> PyObjectPointer? {
        table?[slot.rawValue]
    }

    /// Stores `value` in `slot`; nil or None empties it.
    func set(_ slot: Slot, _ value: PyObjectPointer?) {
        let value = value == pyNone ? nil : value
        guard let table = table ?? (value == nil ? nil : allocateTable()) else { return }
        if let value { Py_IncRef(value) }
        let old = table[slot.rawValue]
        table[slot.rawValue] = value
        // Releasing the old object can run Python code: the table is consistent by now.
        if let old { Py_DecRef(old) }
    }

    private func allocateTable() -> UnsafeMutablePointer<PyObjectPointer?> {
        let made = UnsafeMutablePointer<PyObjectPointer?>.allocate(capacity: Slot.allCases.count)
        made.initialize(repeating: nil, count: Slot.allCases.count)
        table = made
        return made
    }

    func visit(_ visit: visitproc, _ arg: UnsafeMutableRawPointer?) -> Int32 {
        guard let table else { return 0 }
        for index in 0..<Slot.allCases.count {
            let result = shim_visit(visit, table[index], arg)
            if result != 0 { return result }
        }
        return 0
    }

    func clear() {
        guard let table else { return }
        for index in 0..<Slot.allCases.count {
            let old = table[index]
            table[index] = nil
            if let old { Py_DecRef(old) }
        }
    }

    deinit {
        clear()
        table?.deallocate()
    }
}
