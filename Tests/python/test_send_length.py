"""Connection.send (and its alias write) refuses more than 2**31-1 bytes by
Python's len(buf) before anything else, as pyOpenSSL does: a buffer whose
__len__ claims that much is refused even on a Connection that could not send
at all (no role set: OpenSSL would say 'uninitialized')."""

import pytest

from OpenSSL import SSL

LIMIT_MESSAGE = r"^Cannot send more than 2\*\*31-1 bytes at once\.$"


class ClaimsToBeHuge(bytes):
    def __len__(self):
        return 2**31


class ClaimsTheLimit(bytearray):
    def __len__(self):
        return 2**31 - 1


def _connection_without_role():
    return SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)


@pytest.mark.parametrize("method", ["send", "write"])
def test_len_over_the_limit_is_a_value_error_first(method):
    conn = _connection_without_role()
    with pytest.raises(ValueError, match=LIMIT_MESSAGE):
        getattr(conn, method)(ClaimsToBeHuge(b"x"))


@pytest.mark.parametrize("buf", [ClaimsTheLimit(b"x"), b"x", bytearray(b"x"), memoryview(b"x")],
                         ids=["len-at-the-limit", "bytes", "bytearray", "memoryview"])
def test_within_the_limit_it_reaches_openssl(buf):
    conn = _connection_without_role()
    with pytest.raises(SSL.Error) as info:
        conn.send(buf)
    assert "uninitialized" in str(info.value)

