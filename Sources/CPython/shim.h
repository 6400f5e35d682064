// CPython for Swift, under the stable ABI (3.11+). The limit must be defined
// here, before <Python.h>: SwiftPM does not pass a C target's defines to Swift.
#ifndef SWIFT_PYOPENSSL_CPYTHON_SHIM_H
#define SWIFT_PYOPENSSL_CPYTHON_SHIM_H

#define PY_SSIZE_T_CLEAN
#define Py_LIMITED_API 0x030B0000
#include <Python.h>
#include <structmember.h>
#include <stddef.h>

// Every object this module defines: the object header, a retained pointer to
// its Swift state, a per-instance __dict__ and a weak reference list.
// The thread guard lives here rather than in Swift state so that checking it
// costs two plain loads (Swift class properties carry dynamic exclusivity
// checks).
typedef struct {
    PyObject ob_base;
    void *state;
    PyObject *dict;
    PyObject *weakrefs;
    unsigned long owner_thread;
    Py_ssize_t depth;
} SwiftPyObject;

static inline Py_ssize_t shim_dict_offset(void) { return offsetof(SwiftPyObject, dict); }
static inline Py_ssize_t shim_weakrefs_offset(void) { return offsetof(SwiftPyObject, weakrefs); }
static inline Py_ssize_t shim_object_size(void) { return sizeof(SwiftPyObject); }

static inline void *shim_get_state(PyObject *o) { return ((SwiftPyObject *)o)->state; }
static inline void shim_set_state(PyObject *o, void *s) { ((SwiftPyObject *)o)->state = s; }
static inline PyObject **shim_dict_slot(PyObject *o) { return &((SwiftPyObject *)o)->dict; }
static inline PyObject *shim_weakrefs(PyObject *o) { return ((SwiftPyObject *)o)->weakrefs; }

// Enters the object for the calling thread: 0 if allowed (free, or already
// this thread's: re-entry from a callback), -1 if another thread is inside.
// Called with the GIL held, which makes the check-and-set atomic.
static inline int shim_guard_enter(PyObject *o, unsigned long me) {
    SwiftPyObject *s = (SwiftPyObject *)o;
    if (s->owner_thread != me) {
        if (s->owner_thread != 0) return -1;
        s->owner_thread = me;
    }
    s->depth += 1;
    return 0;
}
// Whether another thread is inside the object (it released the GIL there).
// Enough for a call that keeps the GIL and runs no Python code while it uses
// the object: no thread can enter meanwhile, so it need not take the guard.
static inline int shim_guard_held_elsewhere(PyObject *o) {
    SwiftPyObject *s = (SwiftPyObject *)o;
    return s->owner_thread != 0 && s->owner_thread != PyThread_get_thread_ident();
}
static inline void shim_guard_exit(PyObject *o) {
    SwiftPyObject *s = (SwiftPyObject *)o;
    if (--s->depth == 0) s->owner_thread = 0;
}
static inline Py_ssize_t shim_guard_depth(PyObject *o) { return ((SwiftPyObject *)o)->depth; }
// Enters the object for a call that must not nest inside another call on
// it: 0 if entered, -1 if another thread is inside, -2 if the calling thread
// already is (a callback, or an argument's __index__, calling back in).
static inline int shim_guard_enter_outermost(PyObject *o, unsigned long me) {
    SwiftPyObject *s = (SwiftPyObject *)o;
    if (s->owner_thread != 0) return s->owner_thread == me ? -2 : -1;
    s->owner_thread = me;
    s->depth = 1;
    return 0;
}

// Singletons and type checks that are macros under the limited API.
static inline PyObject *shim_None(void) { return Py_None; }
static inline PyObject *shim_True(void) { return Py_True; }
static inline PyObject *shim_False(void) { return Py_False; }
static inline PyObject *shim_TypeType(void) { return (PyObject *)&PyType_Type; }
static inline PyObject *shim_NotImplemented(void) { return Py_NotImplemented; }
static inline PyObject *shim_NewRef(PyObject *o) { Py_INCREF(o); return o; }
static inline void shim_INCREF(PyObject *o) { Py_INCREF(o); }
static inline void shim_DECREF(PyObject *o) { Py_DECREF(o); }
static inline void shim_XDECREF(PyObject *o) { Py_XDECREF(o); }
static inline PyTypeObject *shim_TYPE(PyObject *o) { return Py_TYPE(o); }
/* Moves an instance to another of our heap types with the same layout (the
   instance holds a reference to its heap type). */
static inline void shim_set_type(PyObject *o, PyTypeObject *t) {
    PyTypeObject *old = o->ob_type;
    Py_INCREF((PyObject *)t);
    o->ob_type = t;
    Py_DECREF((PyObject *)old);
}
static inline int shim_IS_TYPE(PyObject *o, PyTypeObject *t) { return Py_IS_TYPE(o, t); }
static inline int shim_Long_Check(PyObject *o) { return PyLong_Check(o); }
static inline int shim_Bytes_Check(PyObject *o) { return PyBytes_Check(o); }
// The exact types: a pointer compare, where the subclass checks call a
// libpython function under the limited API (PyType_GetFlags).
static inline int shim_Long_CheckExact(PyObject *o) { return PyLong_CheckExact(o); }
static inline int shim_Bytes_CheckExact(PyObject *o) { return PyBytes_CheckExact(o); }
static inline int shim_ByteArray_CheckExact(PyObject *o) { return PyByteArray_CheckExact(o); }
static inline int shim_MemoryView_CheckExact(PyObject *o) { return Py_IS_TYPE(o, &PyMemoryView_Type); }
static inline int shim_Unicode_Check(PyObject *o) { return PyUnicode_Check(o); }
static inline int shim_Unicode_CheckExact(PyObject *o) { return PyUnicode_CheckExact(o); }
static inline int shim_Bool_Check(PyObject *o) { return PyBool_Check(o); }
static inline int shim_List_Check(PyObject *o) { return PyList_Check(o); }
static inline int shim_Tuple_Check(PyObject *o) { return PyTuple_Check(o); }
static inline int shim_Float_Check(PyObject *o) { return PyFloat_Check(o); }
static inline int shim_Callable_Check(PyObject *o) { return PyCallable_Check(o); }
static inline int shim_Type_Check(PyObject *o) { return PyType_Check(o); }
static inline int shim_visit(visitproc visit, PyObject *o, void *arg) { return o ? visit(o, arg) : 0; }

// Flags that Swift sees as macros of the wrong width.
static inline unsigned int shim_TPFLAGS_DEFAULT_BASE_GC(void) {
    return (unsigned int)(Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC);
}
static inline int shim_METH_FASTCALL_KEYWORDS(void) { return METH_FASTCALL | METH_KEYWORDS; }
static inline int shim_METH_FASTCALL(void) { return METH_FASTCALL; }
static inline int shim_METH_NOARGS(void) { return METH_NOARGS; }
static inline int shim_METH_O(void) { return METH_O; }
static inline int shim_METH_CLASS(void) { return METH_CLASS; }
static inline int shim_METH_STATIC(void) { return METH_STATIC; }
static inline int shim_METH_VARARGS_KEYWORDS(void) { return METH_VARARGS | METH_KEYWORDS; }

static inline PyModuleDef_Base shim_ModuleDef_HEAD_INIT(void) {
    PyModuleDef_Base base = PyModuleDef_HEAD_INIT;
    return base;
}
static inline PyObject *shim_Module_Create(PyModuleDef *def) { return PyModule_Create(def); }

#endif
