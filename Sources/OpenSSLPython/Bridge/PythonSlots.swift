@preconcurrency import CPython

/// Named Python references an object keeps (callbacks and their data), in
/// one dict so `tp_traverse`/`tp_clear` see them all and replacing one
/// releases the old. A class for the reason `PyReference` is one. Only
/// touched with the GIL held.
final class PythonSlots {
    @exclusivity(unchecked) private var dictionary: PyObjectPointer?

    /// The object under `name` (borrowed), or nil.
    func get(_ name: String) -> PyObjectPointer? {
        guard let dictionary else { return nil }
        return PyDict_GetItemString(dictionary, name)
    }

    /// Stores `value` under `name`; nil or None removes it.
    func set(_ name: String, _ value: PyObjectPointer?) throws(PythonException) {
        if dictionary == nil {
            guard let made = PyDict_New() else { throw PythonException() }
            dictionary = made
        }
        let dictionary = dictionary!
        if let value, value != pyNone {
            if PyDict_SetItemString(dictionary, name, value) < 0 { throw PythonException() }
        } else if PyDict_GetItemString(dictionary, name) != nil {
            if PyDict_DelItemString(dictionary, name) < 0 { throw PythonException() }
        }
    }

    func visit(_ visit: visitproc, _ arg: UnsafeMutableRawPointer?) -> Int32 {
        shim_visit(visit, dictionary, arg)
    }

    func clear() {
        let old = dictionary
        dictionary = nil
        old.map { Py_DecRef($0) }
    }

    deinit { clear() }
}
