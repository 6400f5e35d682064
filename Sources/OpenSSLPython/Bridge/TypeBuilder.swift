@preconcurrency import CPython

typealias FastCallKeywords = @convention(c) (
    PyObjectPointer?, UnsafePointer<PyObjectPointer?>?, Py_ssize_t, PyObjectPointer?
) -> PyObjectPointer?
typealias InitFunction = @convention(c) (PyObjectPointer?, PyObjectPointer?, PyObjectPointer?) -> Int32

func cString(_ string: StaticString) -> UnsafePointer<CChar> {
    UnsafeRawPointer(string.utf8Start).assumingMemoryBound(to: CChar.self)
}

/// Entries of a method table.
enum MethodDef {
    static func noArgs(_ name: StaticString, _ function: PyCFunction, doc: StaticString? = nil) -> PyMethodDef {
        PyMethodDef(ml_name: cString(name), ml_meth: function, ml_flags: shim_METH_NOARGS(), ml_doc: doc.map(cString))
    }

    static func oneArg(_ name: StaticString, _ function: PyCFunction, doc: StaticString? = nil) -> PyMethodDef {
        PyMethodDef(ml_name: cString(name), ml_meth: function, ml_flags: shim_METH_O(), ml_doc: doc.map(cString))
    }

    static func keywords(_ name: StaticString, _ function: FastCallKeywords, doc: StaticString? = nil) -> PyMethodDef {
        PyMethodDef(ml_name: cString(name), ml_meth: unsafeBitCast(function, to: PyCFunction.self),
                    ml_flags: shim_METH_FASTCALL_KEYWORDS(), ml_doc: doc.map(cString))
    }

    static func classKeywords(_ name: StaticString, _ function: FastCallKeywords, doc: StaticString? = nil) -> PyMethodDef {
        PyMethodDef(ml_name: cString(name), ml_meth: unsafeBitCast(function, to: PyCFunction.self),
                    ml_flags: shim_METH_FASTCALL_KEYWORDS() | shim_METH_CLASS(), ml_doc: doc.map(cString))
    }
}

/// Copies `items` (plus a zeroed sentinel) to memory that lives as long as the process.
func permanentTable<T>(_ items: [T], sentinel: T) -> UnsafeMutablePointer<T> {
    let table = UnsafeMutablePointer<T>.allocate(capacity: items.count + 1)
    table.initialize(from: items + [sentinel], count: items.count + 1)
    return table
}

private let genericNew: @convention(c) (OpaquePointer?, PyObjectPointer?, PyObjectPointer?) -> PyObjectPointer? = { type, _, _ in
    guard let object = PyType_GenericAlloc(type, 0) else { return nil }
    // An (empty) instance dict from the start: CPython 3.11 only specialises
    // method lookups on objects with a dict slot once the dict exists, and
    // that halves the interpreter's share of a small call like pending().
    guard let dict = PyDict_New() else {
        Py_DecRef(object)
        return nil
    }
    shim_dict_slot(object)!.pointee = dict
    return object
}

private let genericDealloc: @convention(c) (PyObjectPointer?) -> Void = { object in
    guard let object else { return }
    let type = shim_TYPE(object)
    PyObject_GC_UnTrack(object)
    if shim_weakrefs(object) != nil { PyObject_ClearWeakRefs(object) }
    let dictSlot = shim_dict_slot(object)!
    if let dict = dictSlot.pointee {
        dictSlot.pointee = nil
        Py_DecRef(dict)
    }
    if let raw = shim_get_state(object) {
        shim_set_state(object, nil)
        Unmanaged<ObjectState>.fromOpaque(raw).release()
    }
    let free = unsafeBitCast(PyType_GetSlot(type, Py_tp_free), to: freefunc.self)
    free(object)
    Py_DecRef(typeObject(type!))
}

private let genericTraverse: @convention(c) (PyObjectPointer?, visitproc?, UnsafeMutableRawPointer?) -> Int32 = { object, visit, arg in
    guard let object, let visit else { return 0 }
    var result = visit(typeObject(shim_TYPE(object)), arg)
    if result != 0 { return result }
    result = shim_visit(visit, shim_dict_slot(object)!.pointee, arg)
    if result != 0 { return result }
    if let raw = shim_get_state(object) {
        return Unmanaged<ObjectState>.fromOpaque(raw).takeUnretainedValue().traverse(visit, arg)
    }
    return 0
}

private let genericClear: @convention(c) (PyObjectPointer?) -> Int32 = { object in
    guard let object else { return 0 }
    let dictSlot = shim_dict_slot(object)!
    if let dict = dictSlot.pointee {
        dictSlot.pointee = nil
        Py_DecRef(dict)
    }
    if let raw = shim_get_state(object) {
        Unmanaged<ObjectState>.fromOpaque(raw).takeUnretainedValue().clearReferences()
    }
    return 0
}

/// Makes a heap type whose instances carry an `ObjectState`, a `__dict__` and
/// weak references, take part in the cyclic GC, and can be subclassed.
/// `name` is "module.Class"; the type's C name then becomes just "Class", as
/// a Python class's is, so messages read "'Class' object has no attribute".
/// With `base`, the type is a subclass of that one of ours (same layout).
/// `getters` are its attributes beside `__dict__`, which every type has.
func makeType(name: StaticString, doc: StaticString? = nil, methods: [PyMethodDef],
              getters: [PyGetSetDef] = [], initializer: InitFunction?, extraSlots: [PyType_Slot] = [],
              base: OpaquePointer? = nil) -> OpaquePointer? {
    // A type made from a spec gets no `__dict__` descriptor of its own, so
    // vars() and obj.__dict__ would fail although instances have a dict.
    let dictGetter = PyGetSetDef(name: cString("__dict__"), get: PyObject_GenericGetDict,
                                 set: PyObject_GenericSetDict, doc: nil, closure: nil)
    let getterTable = permanentTable(base == nil ? [dictGetter] + getters : getters, sentinel: PyGetSetDef())
    let members = permanentTable([
        PyMemberDef(name: cString("__dictoffset__"), type: T_PYSSIZET, offset: shim_dict_offset(), flags: READONLY, doc: nil),
        PyMemberDef(name: cString("__weaklistoffset__"), type: T_PYSSIZET, offset: shim_weakrefs_offset(), flags: READONLY, doc: nil),
    ], sentinel: PyMemberDef())
    let methodTable = permanentTable(methods, sentinel: PyMethodDef())

    var slots: [PyType_Slot] = [
        PyType_Slot(slot: Py_tp_new, pfunc: unsafeBitCast(genericNew, to: UnsafeMutableRawPointer.self)),
        PyType_Slot(slot: Py_tp_dealloc, pfunc: unsafeBitCast(genericDealloc, to: UnsafeMutableRawPointer.self)),
        PyType_Slot(slot: Py_tp_traverse, pfunc: unsafeBitCast(genericTraverse, to: UnsafeMutableRawPointer.self)),
        PyType_Slot(slot: Py_tp_clear, pfunc: unsafeBitCast(genericClear, to: UnsafeMutableRawPointer.self)),
        PyType_Slot(slot: Py_tp_members, pfunc: UnsafeMutableRawPointer(members)),
        PyType_Slot(slot: Py_tp_methods, pfunc: UnsafeMutableRawPointer(methodTable)),
        PyType_Slot(slot: Py_tp_getset, pfunc: UnsafeMutableRawPointer(getterTable)),
    ]
    if let initializer {
        slots.append(PyType_Slot(slot: Py_tp_init, pfunc: unsafeBitCast(initializer, to: UnsafeMutableRawPointer.self)))
    }
    if let doc {
        slots.append(PyType_Slot(slot: Py_tp_doc, pfunc: UnsafeMutableRawPointer(mutating: cString(doc))))
    }
    slots += extraSlots
    let slotTable = permanentTable(slots, sentinel: PyType_Slot(slot: 0, pfunc: nil))

    let flags = shim_TPFLAGS_DEFAULT_BASE_GC()
    let spec = UnsafeMutablePointer<PyType_Spec>.allocate(capacity: 1)
    spec.initialize(to: PyType_Spec(name: cString(name), basicsize: Int32(shim_object_size()),
                                    itemsize: 0, flags: flags, slots: slotTable))
    let made = base.map { PyType_FromSpecWithBases(spec, typeObject($0)) } ?? PyType_FromSpec(spec)
    guard let type = made, let shortName = PyObject_GetAttrString(type, "__name__") else { return nil }
    defer { Py_DecRef(shortName) }
    // Setting __name__ (to the same short name) also makes it the C name.
    if PyObject_SetAttrString(type, "__name__", shortName) < 0 { return nil }
    return OpaquePointer(type)
}

/// Makes an instance of one of our types without running `__init__`, with the given state.
func makeInstance(of type: OpaquePointer, state: ObjectState) throws(PythonException) -> PyObjectPointer {
    guard let object = PyType_GenericAlloc(type, 0) else { throw PythonException() }
    setState(of: object, state)
    return object
}
