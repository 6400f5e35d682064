"""pyOpenSSL's side of README deviation rows about errors and names (see
test_deviation_table.py for how these tests are tied to the rows)."""

from __future__ import annotations

import sys
import warnings

import pytest

from conftest import client_context, connection_pair, handshake, server_context
from OpenSSL import SSL, crypto
from test_module_names import IMPORTED_FOR_OWN_USE

side = pytest.mark.pyopenssl_side


@side("An OpenSSL failure that queues no reason (`PKey.generate_key(TYPE_DSA, 511)`, ...)")
def test_dsa_below_512_bits_raises_an_empty_error():
    key = crypto.PKey()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        with pytest.raises(crypto.Error) as info:
            key.generate_key(crypto.TYPE_DSA, 511)
    assert info.value.args == ([],)


@side("Names pyOpenSSL's modules import for their own use (`SSL.os`, `SSL.sys`, `SSL.typing`, "
      "`SSL.x509`, `SSL.ec`, `crypto.datetime`, `crypto.rsa`, `crypto.utils`, typing helpers such "
      "as `SSL.Any`)")
@pytest.mark.parametrize("module", [SSL, crypto], ids=["SSL", "crypto"])
def test_modules_carry_their_own_imports(module):
    names = IMPORTED_FOR_OWN_USE[module.__name__.rsplit(".", 1)[1]]
    assert all(hasattr(module, name) for name in names)
    assert module.sys is sys and module.x509.__name__ == "cryptography.x509"


@side("Exception in a callback")
def test_sni_base_exception_is_printed_and_the_handshake_goes_on(pki, monkeypatch):
    printed = []
    monkeypatch.setattr(sys, "unraisablehook", lambda info: printed.append(info.exc_value))
    interrupt = KeyboardInterrupt("from the servername callback")

    def interrupted(conn):
        raise interrupt

    sctx = server_context(pki.server_ec)
    sctx.set_tlsext_servername_callback(interrupted)
    client, server = connection_pair(sctx, client_context(pki), host=b"localhost")
    handshake(client, server)  # completes
    assert printed == [interrupt]
