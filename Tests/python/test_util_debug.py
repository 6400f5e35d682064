"""``OpenSSL._util`` (the private cffi binding that libraries reach into) and
``OpenSSL.debug`` (``python -m OpenSSL.debug``).

Unmarked tests hold for pyOpenSSL 26.4 too (the constants and flags agree with
the public API; debug prints the same labels). Tests marked ``ours`` check that
our ``_util`` hands out constants only: no C functions, no pointers, and
``hasattr`` answers False for everything else.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import OpenSSL
from OpenSSL import SSL, crypto
from OpenSSL import _util

lib = _util.lib
ffi = _util.ffi

DEBUG_LABELS = [
    "pyOpenSSL",
    "cryptography",
    "cffi",
    "cryptography's compiled against OpenSSL",
    "cryptography's linked OpenSSL",
    "Python's OpenSSL",
    "Python executable",
    "Python version",
    "Platform",
    "sys.path",
]


def _public_pairs():
    """(lib name, public value) for every public integer constant that has a
    C macro counterpart."""
    pairs = []
    for name in dir(SSL):
        value = getattr(SSL, name)
        if not isinstance(value, int) or isinstance(value, bool):
            continue
        if name.startswith(("OP_", "VERIFY_", "SESS_CACHE_", "MODE_")) or name in (
            "RECEIVED_SHUTDOWN",
            "SENT_SHUTDOWN",
            "FILETYPE_PEM",
        ):
            pairs.append(("SSL_" + name, value))
        elif name.startswith(("SSL_CB_", "SSL_ST_", "TLS1_", "SSL3_")) or name in (
            "OPENSSL_VERSION_NUMBER",
            "OPENSSL_VERSION",
            "OPENSSL_CFLAGS",
            "OPENSSL_BUILT_ON",
            "OPENSSL_PLATFORM",
            "OPENSSL_DIR",
        ):
            pairs.append((name, value))
    codes = SSL.X509VerificationCodes
    for name in dir(codes):
        if not name.startswith("_"):
            pairs.append(("X509_V_" + name, getattr(codes, name)))
    flags = crypto.X509StoreFlags
    for name in dir(flags):
        if not name.startswith("_"):
            pairs.append(("X509_V_FLAG_" + name, getattr(flags, name)))
    for kind in ("RSA", "DSA", "DH", "EC"):
        pairs.append(("EVP_PKEY_" + kind, getattr(crypto, "TYPE_" + kind)))
    pairs.append(("SSL_FILETYPE_ASN1", crypto.FILETYPE_ASN1))
    return pairs


PUBLIC_PAIRS = _public_pairs()


# ---------------------------------------------------------------------------
# _util: behaviour shared with pyOpenSSL 26.4


def test_pairs_found():
    names = {name for name, _ in PUBLIC_PAIRS}
    assert {"SSL_OP_NO_COMPRESSION", "SSL_VERIFY_PEER", "X509_V_OK", "TLS1_3_VERSION"} <= names
    assert len(PUBLIC_PAIRS) > 140


@pytest.mark.parametrize("name,value", PUBLIC_PAIRS, ids=[n for n, _ in PUBLIC_PAIRS])
def test_lib_constant_matches_public_api(name, value):
    assert getattr(lib, name) == value


def test_lib_constants_libraries_read():
    # Constants read through _util.lib by pyOpenSSL-using code.
    assert lib.SSL_OP_NO_COMPRESSION == SSL.OP_NO_COMPRESSION
    assert lib.SSL_OP_NO_TICKET == SSL.OP_NO_TICKET
    assert lib.SSL_OP_ALL == SSL.OP_ALL
    assert lib.SSL_VERIFY_PEER == SSL.VERIFY_PEER
    assert lib.SSL_MODE_RELEASE_BUFFERS == SSL.MODE_RELEASE_BUFFERS
    assert lib.OPENSSL_VERSION_NUMBER == SSL.OPENSSL_VERSION_NUMBER
    assert lib.X509_V_OK == 0
    assert lib.TLSEXT_NAMETYPE_host_name == 0
    assert lib.SSL_ERROR_WANT_READ == 2
    assert lib.SSL_TLSEXT_ERR_OK == 0
    assert lib.SSL_TLSEXT_ERR_NOACK == 3


@pytest.mark.parametrize(
    "flag,method_owner,method",
    [
        ("Cryptography_HAS_KEYLOG", "Context", "set_keylog_callback"),
        ("Cryptography_HAS_SSL_COOKIE", "Context", "set_cookie_generate_callback"),
        ("Cryptography_HAS_SSL_GET0_GROUP_NAME", "Connection", "get_group_name"),
        ("Cryptography_HAS_NEXTPROTONEG", "Context", "set_npn_advertise_callback"),
    ],
)
def test_feature_flags_agree_with_api(flag, method_owner, method):
    # pyOpenSSL reads these as getattr(_lib, flag, 0) to gate its methods.
    value = getattr(lib, flag, 0)
    assert value in (0, 1)
    assert bool(value) == hasattr(getattr(SSL, method_owner), method)


def test_flags_pyopenssl_reads_exist():
    for flag in (
        "Cryptography_HAS_KEYLOG",
        "Cryptography_HAS_SSL_GET0_GROUP_NAME",
        "Cryptography_HAS_SSL_COOKIE",
        "Cryptography_HAS_UNEXPECTED_EOF_WHILE_READING",
        "Cryptography_HAS_SSL_OP_IGNORE_UNEXPECTED_EOF",
        "Cryptography_HAS_VERIFIED_CHAIN",
        "Cryptography_HAS_TLSv1_3_FUNCTIONS",
    ):
        assert getattr(lib, flag) in (0, 1), flag
    assert lib.Cryptography_HAS_UNEXPECTED_EOF_WHILE_READING == 1
    assert lib.Cryptography_HAS_VERIFIED_CHAIN == 1


def test_ffi_string_of_version_text():
    text = ffi.string(lib.OPENSSL_VERSION_TEXT)
    assert isinstance(text, bytes)
    assert text.startswith(b"OpenSSL ")


def test_twisted_style_import():
    # twisted.internet._sslverify: "from OpenSSL._util import lib as pyOpenSSLlib"
    from OpenSSL._util import lib as imported

    assert imported is lib
    assert hasattr(imported, "SSL_OP_NO_COMPRESSION")


# ---------------------------------------------------------------------------
# _util: ours hands out constants only


@pytest.mark.ours
@pytest.mark.parametrize(
    "name",
    [
        "SSL_CTX_new",
        "SSL_CTX_set_ecdh_auto",  # Twisted's OpenSSL 1.0.2 path
        "SSL_get_server_tmp_key",
        "ERR_get_error",
        "ENGINE_by_id",
        "X509_new",
        "NETSCAPE_SPKI_new",
        "Cryptography_HAS_SOMETHING_MADE_UP",
        "not_a_name",
    ],
)
def test_unknown_lib_names_are_absent(name):
    assert not hasattr(lib, name)
    assert getattr(lib, name, "fallback") == "fallback"
    with pytest.raises(AttributeError) as info:
        getattr(lib, name)
    assert isinstance(info.value, _util.UnavailableBindingError)
    assert name in str(info.value)
    assert "OpenSSL.SSL" in str(info.value)  # points at the public API


@pytest.mark.ours
@pytest.mark.parametrize("name", ["NULL", "new", "cast", "gc", "buffer", "from_buffer", "new_allocator"])
def test_ffi_offers_no_pointers(name):
    assert not hasattr(ffi, name)
    with pytest.raises(_util.UnavailableBindingError):
        getattr(ffi, name)


@pytest.mark.ours
def test_ffi_string_refuses_other_objects():
    with pytest.raises(TypeError):
        ffi.string(object())
    with pytest.raises(TypeError):
        ffi.string("text")
    assert ffi.string(b"abcdef", 3) == b"abc"


@pytest.mark.ours
def test_lib_values_are_plain_constants():
    names = dir(lib)
    assert len(names) > 200
    for name in names:
        value = getattr(lib, name)
        assert type(value) in (int, bytes), (name, type(value))


@pytest.mark.ours
def test_lib_is_read_only():
    with pytest.raises(AttributeError):
        lib.SSL_OP_NO_COMPRESSION = 0
    with pytest.raises(AttributeError):
        lib.SSL_CTX_new = lambda *a: None
    with pytest.raises(AttributeError):
        del lib.SSL_OP_ALL
    with pytest.raises(AttributeError):
        ffi.NULL = 0
    assert lib.SSL_OP_NO_COMPRESSION == SSL.OP_NO_COMPRESSION


@pytest.mark.ours
def test_header_table_agrees_with_public_api():
    # The values written into _util agree with what OpenSSL.SSL reports, so a
    # constant without a public counterpart can be trusted as well.
    table = _util._HEADER_CONSTANTS
    checked = 0
    for name, value in PUBLIC_PAIRS:
        if name in table:
            assert table[name] == value, name
            checked += 1
    assert checked > 140


@pytest.mark.ours
def test_alpn_flag_for_older_callers():
    # Older callers test lib.Cryptography_HAS_ALPN before set_alpn_protos.
    assert lib.Cryptography_HAS_ALPN == 1
    assert hasattr(SSL.Context, "set_alpn_protos")


@pytest.mark.ours
def test_compiled_version_text():
    text = ffi.string(lib.OPENSSL_VERSION_TEXT).decode()
    assert text.startswith(_util._version_text_from_number(SSL.OPENSSL_VERSION_NUMBER))


@pytest.mark.ours
@pytest.mark.parametrize(
    "number,text",
    [
        (0x30000130, "OpenSSL 3.0.19"),
        (0x30500010, "OpenSSL 3.5.1"),
        (0x40000030, "OpenSSL 4.0.3"),
        (0x1010117F, "OpenSSL 1.1.1w"),
        (0x1000215F, "OpenSSL 1.0.2u"),
        (0x1010100F, "OpenSSL 1.1.1"),
    ],
)
def test_version_text_from_number(number, text):
    assert _util._version_text_from_number(number) == text


@pytest.mark.ours
def test_repr_says_what_it_is():
    assert "no C functions" in repr(lib)
    assert "no cffi" in repr(ffi)


# ---------------------------------------------------------------------------
# OpenSSL.debug


def _run_debug() -> str:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    proc = subprocess.run(
        [sys.executable, "-m", "OpenSSL.debug"],
        capture_output=True,
        timeout=60,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stdout.decode()


def test_debug_prints_pyopenssl_labels():
    lines = _run_debug().splitlines()
    assert [line.split(": ", 1)[0] for line in lines] == DEBUG_LABELS
    fields = dict(line.split(": ", 1) for line in lines)
    assert fields["pyOpenSSL"] == OpenSSL.__version__
    linked = SSL.SSLeay_version(SSL.SSLEAY_VERSION).decode("ascii")
    assert fields["cryptography's linked OpenSSL"] == linked
    assert fields["Python executable"] == sys.executable
    assert fields["Platform"] == sys.platform


def test_debug_env_info_attribute():
    from OpenSSL import debug

    assert debug._env_info.splitlines()[0] == "pyOpenSSL: " + OpenSSL.__version__


@pytest.mark.ours
def test_debug_reports_our_openssl():
    fields = dict(line.split(": ", 1) for line in _run_debug().splitlines())
    assert fields["cffi"] == "not used"
    compiled = fields["cryptography's compiled against OpenSSL"]
    assert compiled.startswith(_util._version_text_from_number(SSL.OPENSSL_VERSION_NUMBER))
    assert "0x%08x" % SSL.OPENSSL_VERSION_NUMBER in compiled
    from OpenSSL import debug

    assert debug.environment_info().splitlines() == debug._env_info.splitlines()
