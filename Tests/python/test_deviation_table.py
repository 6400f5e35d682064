"""pyOpenSSL's side of each row of README's deviation table.

README.md ("Compatibility with pyOpenSSL 26.4") lists where we deliberately
differ from pyOpenSSL 26.4. The pyOpenSSL cell of each row is a claim about
pyOpenSSL: the tests marked ``pyopenssl_side(area)`` here and in the other
test_deviation_table_*.py files check it against the real thing (reference
run only), so the table cannot drift.
Our side of each row is tested elsewhere (tests marked ``deviation``).
The coverage check below runs in both environments.
"""

from __future__ import annotations

import importlib
import os
import pty
import select
import socket
import sys
import time
import warnings

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

import robustness_helpers as R
import test_bad_input as bad_input
from conftest import connection_pair, handshake, server_context
from deviation_table_helpers import (
    ROW_TEST_MODULES, areas_with_tests, assert_crashed, readme_deviation_areas)
from OpenSSL import SSL, crypto

side = pytest.mark.pyopenssl_side


def test_every_readme_row_has_a_pyopenssl_side_test():
    areas = readme_deviation_areas()
    assert len(areas) >= 20, "README's deviation table was not found: %r" % areas
    covered = areas_with_tests(importlib.import_module(name) for name in ROW_TEST_MODULES)
    missing = [area for area in areas if area not in covered]
    assert not missing, "README deviation rows without a pyopenssl_side test: %r" % missing


def test_the_readme_parser_reads_each_row_of_the_first_table(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# x\n\n## Compatibility with pyOpenSSL 26.4\n\nText.\n\n"
                      "| Area | pyOpenSSL 26.4 | Here | Why |\n|---|---|---|---|\n"
                      "| `a()` \\| `b()` | x | y | z |\n| Second  row | x | y | |\n\n"
                      "| Area | Other |\n|---|---|\n| Not a deviation | x |\n")
    assert readme_deviation_areas(readme) == ["`a()` \\| `b()`", "Second row"]


@side("Older documented names")
def test_older_names_are_gone():
    for name in ("SSLv2_METHOD", "SSLv3_METHOD", "ContextType", "ConnectionType", "FILETYPE_ASN1"):
        assert not hasattr(SSL, name), name
    assert not hasattr(SSL.Context, "set_npn_advertise_callback")
    assert not hasattr(SSL.Context, "set_npn_select_callback")
    assert not hasattr(SSL.Connection, "get_next_proto_negotiated")


@side("`crypto.X509().set_serial_number(-5)`")
def test_negative_serial_number_crashes(pki):
    assert_crashed(pki, "x509 = crypto.X509()\nsay('reached')\nx509.set_serial_number(-5)\nsay('survived')\n")


@side("`Connection.get_cleartext_mtu()` on a TLS (not DTLS) connection")
def test_cleartext_mtu_is_0_before_the_handshake_and_crashes_after(pki):
    assert_crashed(pki, """
        client, server = conftest.connection_pair(sctx, cctx)
        assert client.get_cleartext_mtu() == 0
        conftest.handshake(client, server)
        say("reached")
        client.get_cleartext_mtu()
        say("survived")
    """)


@side("`want_read()` / `want_write()`")
def test_want_read_and_want_write_return_ints():
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    conn.set_connect_state()
    with pytest.raises(SSL.WantReadError):
        conn.do_handshake()
    assert (type(conn.want_read()), conn.want_read()) == (int, 1)
    assert (type(conn.want_write()), conn.want_write()) == (int, 0)


@side("`type(conn)` of a Connection made over a socket")
def test_a_socket_connection_is_exactly_connection():
    a, b = socket.socketpair()
    with a, b:
        conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), a)
        assert type(conn) is SSL.Connection
        assert "__getattr__" in vars(SSL.Connection)  # the socket fallback
        assert conn.getsockname() == a.getsockname()


ENCRYPTED_KEY_CHILD = """
import sys, warnings
warnings.simplefilter("ignore")
from OpenSSL import crypto
crypto.load_privatekey(crypto.FILETYPE_PEM, open(sys.argv[1], "rb").read())
print("loaded")
"""


@side("Encrypted key loaded with no passphrase")
def test_encrypted_key_without_passphrase_prompts_on_the_terminal(tmp_path):
    path = tmp_path / "key.pem"
    path.write_bytes(ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"secret")))
    pid, fd = pty.fork()  # the child gets the pty as its controlling terminal
    if pid == 0:
        os.execv(sys.executable, [sys.executable, "-c", ENCRYPTED_KEY_CHILD, str(path)])
    output, answered, deadline = b"", False, time.monotonic() + 20
    try:
        while time.monotonic() < deadline:
            if not select.select([fd], [], [], 0.5)[0]:
                continue
            try:
                chunk = os.read(fd, 1024)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            output += chunk
            if b"pass phrase" in output and not answered:
                os.write(fd, b"secret\n")  # typed at OpenSSL's prompt
                answered = True
    finally:
        os.close(fd)
        _, status = os.waitpid(pid, 0)
    assert b"Enter PEM pass phrase:" in output, output
    assert b"loaded" in output and os.waitstatus_to_exitcode(status) == 0, output


@side("`OpenSSL._util.lib` / `ffi`, `SSL._lib`, `crypto._lib`")
def test_lib_and_ffi_are_cryptographys_cffi_binding():
    from cryptography.hazmat.bindings.openssl.binding import Binding
    from OpenSSL import _util

    assert SSL._lib is crypto._lib is _util.lib is Binding.lib
    assert (type(_util.ffi).__module__, type(_util.ffi).__name__) == ("_cffi_backend", "FFI")
    assert callable(SSL._lib.SSL_CTX_new)


@side("`X509()._x509`")
def test_x509_holds_a_cffi_pointer():
    from OpenSSL._util import ffi

    assert ffi.typeof(crypto.X509()._x509).cname == "X509 *"


@side("DeprecationWarnings")
def test_some_deprecation_warnings_point_into_ssl_py(pki):
    x509 = crypto.X509.from_cryptography(pki.server_ec.cert)
    for call in (lambda ctx: ctx.use_certificate(x509), lambda ctx: ctx.set_cipher_list("HIGH")):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            call(SSL.Context(SSL.TLS_METHOD))
        files = [w.filename for w in caught if issubclass(w.category, DeprecationWarning)]
        assert files and all(f.endswith(os.path.join("OpenSSL", "SSL.py")) for f in files), files


@side("OpenSSL")
def test_it_runs_on_its_bundled_openssl_4():
    assert SSL.OpenSSL_version(SSL.OPENSSL_VERSION).startswith(b"OpenSSL 4.")
    assert SSL.SSLeay_version(SSL.SSLEAY_VERSION).startswith(b"OpenSSL 4.")


@side("`set_default_verify_paths()`")
def test_set_default_verify_paths_falls_back_to_its_own_list(pki, monkeypatch):
    from OpenSSL._util import ffi, lib

    # The bundled OpenSSL's compiled-in paths, which trigger the fallback.
    assert ffi.string(lib.X509_get_default_cert_file()) == SSL._CRYPTOGRAPHY_MANYLINUX_CA_FILE
    assert ffi.string(lib.X509_get_default_cert_dir()) == SSL._CRYPTOGRAPHY_MANYLINUX_CA_DIR
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    monkeypatch.setattr(SSL, "_CERTIFICATE_PATH_LOCATIONS", [])
    for fallback, verifies in (([str(pki.ca_pem)], True), ([], False)):
        monkeypatch.setattr(SSL, "_CERTIFICATE_FILE_LOCATIONS", fallback)
        cctx = SSL.Context(SSL.TLS_METHOD)
        cctx.set_verify(SSL.VERIFY_PEER)
        cctx.set_default_verify_paths()
        client, server = connection_pair(server_context(pki.server_ec), cctx)
        if verifies:
            handshake(client, server)
        else:
            with pytest.raises(SSL.Error):
                handshake(client, server)


BAD_INPUT_AREA = "Bad input on methods pyOpenSSL has (the rows marked *deviation* in `docs/bad-input.md`)"


@side(BAD_INPUT_AREA)
def test_every_bad_input_deviation_row_fails_on_pyopenssl(pki):
    rows = [(case_id, row) for case_id, row in zip(bad_input.IDS, bad_input.TABLE)
            if row[4] == bad_input.DEVIATION]
    assert len(rows) > 200
    results = R.run_cases(R.pki_paths(pki), [(case_id, row[2]) for case_id, row in rows], timeout=240.0)
    # A read of freed memory need not crash (it depends on the heap: Debian's
    # own Python 3.11.2 often survives it), so such rows may pass here.
    passing = [case_id for case_id, row in rows if bad_input.row_failure(row, results[case_id]) is None
               and "reads freed memory" not in row[5]]
    assert not passing, "marked deviation, yet pyOpenSSL passes: %s" % ", ".join(passing)
    for method, label, call, applies, _ in bad_input.MEMORY_PRESSURE:
        if applies == bad_input.DEVIATION:
            result = R.run_child(bad_input.MEMORY_PRESSURE_CHILD,
                                 input_data={"paths": R.pki_paths(pki), "call": call})
            outcome = R.last_json_line(result.stdout)["outcome"]
            assert outcome not in bad_input.MEMORY_PRESSURE_OUTCOMES, (method, label, outcome)
