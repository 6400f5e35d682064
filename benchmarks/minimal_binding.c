/* The least a CPython binding of OpenSSL must do, for the benchmarks' "floor"
 * column: the subset of pyOpenSSL's API that workloads.py drives, written by
 * hand in C with the cheapest calling conventions and nothing else: no thread
 * guard, no error-queue hygiene, no callbacks, no GIL release, next to no
 * argument checking. It is not a usable module; it answers one question: how
 * close to raw C can *any* binding driven by the same Python code get? What
 * separates it from raw C is the interpreter running the workload; what
 * separates ours from it is our bridge.
 *
 * run.py compiles it against the system OpenSSL (the one raw C and ours use). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

static PyObject *Error, *WantReadError;

/* ---- Session ---- */

typedef struct {
    PyObject_HEAD
    SSL_SESSION *session;
} SessionObject;

static void session_dealloc(SessionObject *self)
{
    SSL_SESSION_free(self->session);
    Py_TYPE(self)->tp_free(self);
}

static PyTypeObject SessionType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "minimal_ssl.Session",
    .tp_basicsize = sizeof(SessionObject),
    .tp_dealloc = (destructor)session_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
};

/* ---- errors ---- */

static PyObject *raise_error(void)
{
    unsigned long code = ERR_get_error();
    ERR_clear_error();
    PyErr_Format(Error, "OpenSSL error %lu", code);
    return NULL;
}

/* The exception for an SSL call that returned `result` <= 0. */
static PyObject *raise_ssl(SSL *ssl, int result)
{
    int kind = SSL_get_error(ssl, result);
    if (kind == SSL_ERROR_WANT_READ) {
        PyErr_SetNone(WantReadError);
        return NULL;
    }
    return raise_error();
}

/* ---- Context ---- */

typedef struct {
    PyObject_HEAD
    SSL_CTX *ctx;
} ContextObject;

static PyObject *context_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    ContextObject *self = (ContextObject *)type->tp_alloc(type, 0);
    if (self == NULL)
        return NULL;
    self->ctx = SSL_CTX_new(TLS_method());
    if (self->ctx == NULL) {
        Py_DECREF(self);
        return raise_error();
    }
    return (PyObject *)self;
}

static void context_dealloc(ContextObject *self)
{
    SSL_CTX_free(self->ctx);
    Py_TYPE(self)->tp_free(self);
}

static PyObject *ok_or_error(int ok)
{
    if (!ok)
        return raise_error();
    Py_RETURN_NONE;
}

static PyObject *context_set_tmp_ecdh(ContextObject *self, PyObject *curve)
{
    /* The workloads pass P-256; pin it as the one group. */
    int groups[] = {NID_X9_62_prime256v1};
    return ok_or_error(SSL_CTX_set1_groups(self->ctx, groups, 1));
}

static PyObject *context_use_certificate_chain_file(ContextObject *self, PyObject *path)
{
    PyObject *bytes = PyUnicode_EncodeFSDefault(path);
    if (bytes == NULL)
        return NULL;
    int ok = SSL_CTX_use_certificate_chain_file(self->ctx, PyBytes_AS_STRING(bytes));
    Py_DECREF(bytes);
    return ok_or_error(ok);
}

static PyObject *context_use_privatekey_file(ContextObject *self, PyObject *path)
{
    PyObject *bytes = PyUnicode_EncodeFSDefault(path);
    if (bytes == NULL)
        return NULL;
    int ok = SSL_CTX_use_PrivateKey_file(self->ctx, PyBytes_AS_STRING(bytes), SSL_FILETYPE_PEM);
    Py_DECREF(bytes);
    return ok_or_error(ok);
}

static PyObject *context_load_verify_locations(ContextObject *self, PyObject *path)
{
    PyObject *bytes = PyUnicode_EncodeFSDefault(path);
    if (bytes == NULL)
        return NULL;
    int ok = SSL_CTX_load_verify_locations(self->ctx, PyBytes_AS_STRING(bytes), NULL);
    Py_DECREF(bytes);
    return ok_or_error(ok);
}

static PyObject *context_set_verify(ContextObject *self, PyObject *mode)
{
    SSL_CTX_set_verify(self->ctx, (int)PyLong_AsLong(mode), NULL);
    Py_RETURN_NONE;
}

static PyObject *context_get_verify_mode(ContextObject *self, PyObject *unused)
{
    return PyLong_FromLong(SSL_CTX_get_verify_mode(self->ctx));
}

static PyObject *context_set_max_proto_version(ContextObject *self, PyObject *version)
{
    return ok_or_error(SSL_CTX_set_max_proto_version(self->ctx, (int)PyLong_AsLong(version)));
}

static PyObject *context_set_cipher_list(ContextObject *self, PyObject *ciphers)
{
    return ok_or_error(SSL_CTX_set_cipher_list(self->ctx, PyBytes_AsString(ciphers)));
}

static PyMethodDef context_methods[] = {
    {"set_tmp_ecdh", (PyCFunction)context_set_tmp_ecdh, METH_O, NULL},
    {"use_certificate_chain_file", (PyCFunction)context_use_certificate_chain_file, METH_O, NULL},
    {"use_privatekey_file", (PyCFunction)context_use_privatekey_file, METH_O, NULL},
    {"load_verify_locations", (PyCFunction)context_load_verify_locations, METH_O, NULL},
    {"set_verify", (PyCFunction)context_set_verify, METH_O, NULL},
    {"get_verify_mode", (PyCFunction)context_get_verify_mode, METH_NOARGS, NULL},
    {"set_max_proto_version", (PyCFunction)context_set_max_proto_version, METH_O, NULL},
    {"set_cipher_list", (PyCFunction)context_set_cipher_list, METH_O, NULL},
    {NULL},
};

static PyTypeObject ContextType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "minimal_ssl.Context",
    .tp_basicsize = sizeof(ContextObject),
    .tp_dealloc = (destructor)context_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_methods = context_methods,
    .tp_new = context_new,
};

/* ---- Connection (memory BIOs only) ---- */

typedef struct {
    PyObject_HEAD
    SSL *ssl;
    BIO *network_in, *network_out; /* owned by ssl */
} ConnectionObject;

static PyObject *connection_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    PyObject *context, *sock;
    if (!PyArg_UnpackTuple(args, "Connection", 2, 2, &context, &sock))
        return NULL;
    if (!PyObject_TypeCheck(context, &ContextType)) {
        PyErr_SetString(PyExc_TypeError, "a Context is needed");
        return NULL;
    }
    ConnectionObject *self = (ConnectionObject *)type->tp_alloc(type, 0);
    if (self == NULL)
        return NULL;
    self->ssl = SSL_new(((ContextObject *)context)->ctx);
    self->network_in = BIO_new(BIO_s_mem());
    self->network_out = BIO_new(BIO_s_mem());
    if (self->ssl == NULL || self->network_in == NULL || self->network_out == NULL) {
        BIO_free(self->network_in);
        BIO_free(self->network_out);
        Py_DECREF(self);
        return raise_error();
    }
    SSL_set_bio(self->ssl, self->network_in, self->network_out);
    return (PyObject *)self;
}

static void connection_dealloc(ConnectionObject *self)
{
    SSL_free(self->ssl);
    Py_TYPE(self)->tp_free(self);
}

static PyObject *connection_set_connect_state(ConnectionObject *self, PyObject *unused)
{
    SSL_set_connect_state(self->ssl);
    Py_RETURN_NONE;
}

static PyObject *connection_set_accept_state(ConnectionObject *self, PyObject *unused)
{
    SSL_set_accept_state(self->ssl);
    Py_RETURN_NONE;
}

static PyObject *connection_set_session(ConnectionObject *self, PyObject *session)
{
    if (!PyObject_TypeCheck(session, &SessionType)) {
        PyErr_SetString(PyExc_TypeError, "a Session is needed");
        return NULL;
    }
    return ok_or_error(SSL_set_session(self->ssl, ((SessionObject *)session)->session));
}

static PyObject *connection_get_session(ConnectionObject *self, PyObject *unused)
{
    SSL_SESSION *session = SSL_get1_session(self->ssl);
    if (session == NULL)
        Py_RETURN_NONE;
    SessionObject *result = PyObject_New(SessionObject, &SessionType);
    if (result == NULL) {
        SSL_SESSION_free(session);
        return NULL;
    }
    result->session = session;
    return (PyObject *)result;
}

static PyObject *connection_do_handshake(ConnectionObject *self, PyObject *unused)
{
    int result = SSL_do_handshake(self->ssl);
    if (result <= 0)
        return raise_ssl(self->ssl, result);
    Py_RETURN_NONE;
}

static PyObject *connection_shutdown(ConnectionObject *self, PyObject *unused)
{
    int result = SSL_shutdown(self->ssl);
    if (result < 0)
        return raise_ssl(self->ssl, result);
    return PyBool_FromLong(result);
}

static PyObject *connection_bio_read(ConnectionObject *self, PyObject *size_object)
{
    Py_ssize_t size = PyLong_AsSsize_t(size_object);
    if (size < 0)
        return size == -1 && PyErr_Occurred() ? NULL : raise_error();
    /* A large request with little waiting: read into a buffer of what is there. */
    size_t waiting = BIO_ctrl_pending(self->network_out);
    if (waiting == 0) {
        PyErr_SetNone(WantReadError);
        return NULL;
    }
    if ((size_t)size > waiting)
        size = (Py_ssize_t)waiting;
    PyObject *bytes = PyBytes_FromStringAndSize(NULL, size);
    if (bytes == NULL)
        return NULL;
    int got = BIO_read(self->network_out, PyBytes_AS_STRING(bytes), (int)size);
    if (got <= 0) {
        Py_DECREF(bytes);
        return raise_error();
    }
    if (got < size && _PyBytes_Resize(&bytes, got) < 0)
        return NULL;
    return bytes;
}

static PyObject *connection_bio_write(ConnectionObject *self, PyObject *data)
{
    char *buffer;
    Py_ssize_t size;
    if (PyBytes_AsStringAndSize(data, &buffer, &size) < 0)
        return NULL;
    int wrote = BIO_write(self->network_in, buffer, (int)size);
    if (wrote < 0)
        return raise_error();
    return PyLong_FromLong(wrote);
}

static PyObject *connection_send(ConnectionObject *self, PyObject *data)
{
    char *buffer;
    Py_ssize_t size;
    if (PyBytes_AsStringAndSize(data, &buffer, &size) < 0)
        return NULL;
    int wrote = SSL_write(self->ssl, buffer, (int)size);
    if (wrote <= 0)
        return raise_ssl(self->ssl, wrote);
    return PyLong_FromLong(wrote);
}

static PyObject *connection_recv(ConnectionObject *self, PyObject *size_object)
{
    Py_ssize_t size = PyLong_AsSsize_t(size_object);
    if (size < 0)
        return size == -1 && PyErr_Occurred() ? NULL : raise_error();
    PyObject *bytes = PyBytes_FromStringAndSize(NULL, size);
    if (bytes == NULL)
        return NULL;
    int got = SSL_read(self->ssl, PyBytes_AS_STRING(bytes), (int)size);
    if (got <= 0) {
        Py_DECREF(bytes);
        return raise_ssl(self->ssl, got);
    }
    if (got < size && _PyBytes_Resize(&bytes, got) < 0)
        return NULL;
    return bytes;
}

static PyObject *connection_recv_into(ConnectionObject *self, PyObject *target)
{
    Py_buffer view;
    if (PyObject_GetBuffer(target, &view, PyBUF_WRITABLE) < 0)
        return NULL;
    int got = SSL_read(self->ssl, view.buf, (int)view.len);
    PyBuffer_Release(&view);
    if (got <= 0)
        return raise_ssl(self->ssl, got);
    return PyLong_FromLong(got);
}

static PyObject *connection_pending(ConnectionObject *self, PyObject *unused)
{
    return PyLong_FromLong(SSL_pending(self->ssl));
}

static PyObject *connection_session_reused(ConnectionObject *self, PyObject *unused)
{
    return PyBool_FromLong(SSL_session_reused(self->ssl));
}

static PyObject *connection_get_protocol_version_name(ConnectionObject *self, PyObject *unused)
{
    return PyUnicode_FromString(SSL_get_version(self->ssl));
}

static PyObject *connection_get_cipher_name(ConnectionObject *self, PyObject *unused)
{
    return PyUnicode_FromString(SSL_CIPHER_get_name(SSL_get_current_cipher(self->ssl)));
}

static PyObject *connection_get_group_name(ConnectionObject *self, PyObject *unused)
{
    int nid = SSL_get_negotiated_group(self->ssl);
    if (nid <= 0)
        Py_RETURN_NONE;
    return PyUnicode_FromString(OBJ_nid2sn(nid));
}

static PyMethodDef connection_methods[] = {
    {"set_connect_state", (PyCFunction)connection_set_connect_state, METH_NOARGS, NULL},
    {"set_accept_state", (PyCFunction)connection_set_accept_state, METH_NOARGS, NULL},
    {"set_session", (PyCFunction)connection_set_session, METH_O, NULL},
    {"get_session", (PyCFunction)connection_get_session, METH_NOARGS, NULL},
    {"do_handshake", (PyCFunction)connection_do_handshake, METH_NOARGS, NULL},
    {"shutdown", (PyCFunction)connection_shutdown, METH_NOARGS, NULL},
    {"bio_read", (PyCFunction)connection_bio_read, METH_O, NULL},
    {"bio_write", (PyCFunction)connection_bio_write, METH_O, NULL},
    {"send", (PyCFunction)connection_send, METH_O, NULL},
    {"recv", (PyCFunction)connection_recv, METH_O, NULL},
    {"recv_into", (PyCFunction)connection_recv_into, METH_O, NULL},
    {"pending", (PyCFunction)connection_pending, METH_NOARGS, NULL},
    {"session_reused", (PyCFunction)connection_session_reused, METH_NOARGS, NULL},
    {"get_protocol_version_name", (PyCFunction)connection_get_protocol_version_name, METH_NOARGS, NULL},
    {"get_cipher_name", (PyCFunction)connection_get_cipher_name, METH_NOARGS, NULL},
    {"get_group_name", (PyCFunction)connection_get_group_name, METH_NOARGS, NULL},
    {NULL},
};

static PyTypeObject ConnectionType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "minimal_ssl.Connection",
    .tp_basicsize = sizeof(ConnectionObject),
    .tp_dealloc = (destructor)connection_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_methods = connection_methods,
    .tp_new = connection_new,
};

/* ---- module ---- */

static PyObject *openssl_version(PyObject *module, PyObject *which)
{
    return PyBytes_FromString(OpenSSL_version((int)PyLong_AsLong(which)));
}

static PyMethodDef module_methods[] = {
    {"OpenSSL_version", openssl_version, METH_O, NULL},
    {NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT, "minimal_ssl", NULL, -1, module_methods,
};

PyMODINIT_FUNC PyInit_minimal_ssl(void)
{
    if (PyType_Ready(&SessionType) < 0 || PyType_Ready(&ContextType) < 0 || PyType_Ready(&ConnectionType) < 0)
        return NULL;
    PyObject *module = PyModule_Create(&module_def);
    if (module == NULL)
        return NULL;
    Error = PyErr_NewException("minimal_ssl.Error", NULL, NULL);
    WantReadError = PyErr_NewException("minimal_ssl.WantReadError", Error, NULL);
    if (Error == NULL || WantReadError == NULL
        || PyModule_AddObjectRef(module, "Error", Error) < 0
        || PyModule_AddObjectRef(module, "WantReadError", WantReadError) < 0
        || PyModule_AddObjectRef(module, "Context", (PyObject *)&ContextType) < 0
        || PyModule_AddObjectRef(module, "Connection", (PyObject *)&ConnectionType) < 0
        || PyModule_AddObjectRef(module, "Session", (PyObject *)&SessionType) < 0
        || PyModule_AddIntConstant(module, "TLS_METHOD", 6) < 0
        || PyModule_AddIntConstant(module, "VERIFY_PEER", SSL_VERIFY_PEER) < 0
        || PyModule_AddIntConstant(module, "TLS1_2_VERSION", TLS1_2_VERSION) < 0
        || PyModule_AddIntConstant(module, "OPENSSL_VERSION", OPENSSL_VERSION) < 0) {
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
