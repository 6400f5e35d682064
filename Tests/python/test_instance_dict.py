"""Instances expose their `__dict__`: vars(), debuggers and libraries that
stash attributes on a Context or Connection read it, as on pyOpenSSL."""

import socket
import warnings

import pytest

from OpenSSL import SSL, crypto


def _connection_over_socket():
    sock = socket.socket()
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), sock)
    return conn, sock


def _x509_name():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return crypto.X509().get_subject()


def _store_context():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return crypto.X509StoreContext(crypto.X509Store(), crypto.X509())


MAKERS = {
    "Context": lambda: SSL.Context(SSL.TLS_METHOD),
    "Connection": lambda: SSL.Connection(SSL.Context(SSL.TLS_METHOD)),
    "X509": crypto.X509,
    "PKey": crypto.PKey,
    "X509Name": _x509_name,
    "X509Store": crypto.X509Store,
    "X509StoreContext": _store_context,
}


@pytest.mark.parametrize("name", sorted(MAKERS))
def test_vars_is_the_instance_dict(name):
    obj = MAKERS[name]()
    assert isinstance(vars(obj), dict)
    assert vars(obj) is obj.__dict__
    if name == "X509Name":  # its attributes are the name's fields only
        return
    obj.stashed_by_a_library = 42
    assert vars(obj)["stashed_by_a_library"] == 42
    del obj.stashed_by_a_library
    assert "stashed_by_a_library" not in vars(obj)


def test_vars_of_a_connection_over_a_socket_and_of_a_session(make_pair):
    conn, sock = _connection_over_socket()
    try:
        conn.stashed = "value"
        assert vars(conn) is conn.__dict__ and vars(conn)["stashed"] == "value"
    finally:
        sock.close()
    client, _ = make_pair()
    session = client.get_session()
    session.stashed = 1
    assert vars(session)["stashed"] == 1


def test_dict_of_a_subclass_instance():
    class AppContext(SSL.Context):
        pass

    ctx = AppContext(SSL.TLS_METHOD)
    ctx.role = "server"
    assert vars(ctx)["role"] == "server" and ctx.__dict__ is vars(ctx)


def test_assigning_dict_replaces_the_attributes():
    ctx = SSL.Context(SSL.TLS_METHOD)
    ctx.__dict__ = {"role": "client"}
    assert ctx.role == "client"
    with pytest.raises(TypeError):
        ctx.__dict__ = ["not", "a", "dict"]
