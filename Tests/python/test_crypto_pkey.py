"""OpenSSL.crypto.PKey, key loading/dumping with passphrases, elliptic curve
objects and OpenSSL.rand.

Encodes pyOpenSSL 26.4's behaviour; run against the reference with
PYOPENSSL_REFERENCE=1."""

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import subprocess
import warnings

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa, x25519

from OpenSSL import crypto

from certs_for_tests import (
    dsa_key,
    ec_key,
    ed448_key,
    ed25519_key,
    key_der,
    key_pem,
    public_der,
    public_pem,
    rsa_key,
)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

TYPE_ED25519 = 1087
TYPE_ED448 = 1088

# (label, private key factory, type(), bits(), cryptography private class,
#  cryptography public class)
KEYS = [
    ("rsa", lambda: rsa_key(1), crypto.TYPE_RSA, 2048, rsa.RSAPrivateKey, rsa.RSAPublicKey),
    ("dsa", lambda: dsa_key(), crypto.TYPE_DSA, 2048, dsa.DSAPrivateKey, dsa.DSAPublicKey),
    ("p256", lambda: ec_key(1), crypto.TYPE_EC, 256,
     ec.EllipticCurvePrivateKey, ec.EllipticCurvePublicKey),
    ("ed25519", ed25519_key, TYPE_ED25519, 256,
     ed25519.Ed25519PrivateKey, ed25519.Ed25519PublicKey),
    ("ed448", ed448_key, TYPE_ED448, 456, ed448.Ed448PrivateKey, ed448.Ed448PublicKey),
]
KEY_IDS = [k[0] for k in KEYS]


def _dump_privatekey():
    """crypto.dump_privatekey (the attribute access itself warns)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return crypto.dump_privatekey


def _rsa_pkey():
    return crypto.PKey.from_cryptography_key(rsa_key(1))


# ---------------------------------------------------------------------------
# constants


def test_type_constants():
    assert crypto.TYPE_RSA == 6
    assert crypto.TYPE_DSA == 116
    assert crypto.TYPE_DH == 28
    assert crypto.TYPE_EC == 408


# ---------------------------------------------------------------------------
# generate_key / type / bits / check


def test_generate_rsa_key():
    pkey = crypto.PKey()
    with pytest.deprecated_call(match="PKey.generate_key is deprecated"):
        pkey.generate_key(crypto.TYPE_RSA, 2048)
    assert pkey.type() == crypto.TYPE_RSA
    assert pkey.bits() == 2048
    key = pkey.to_cryptography_key()
    assert isinstance(key, rsa.RSAPrivateKey)
    assert key.private_numbers().public_numbers.e == 65537
    with pytest.deprecated_call(match="PKey.check is deprecated"):
        assert pkey.check() is True


def test_generate_dsa_key():
    pkey = crypto.PKey()
    pkey.generate_key(crypto.TYPE_DSA, 2048)
    assert pkey.type() == crypto.TYPE_DSA
    assert pkey.bits() == 2048
    assert isinstance(pkey.to_cryptography_key(), dsa.DSAPrivateKey)


def test_generate_key_warning_text():
    with pytest.warns(DeprecationWarning) as record:
        crypto.PKey().generate_key(crypto.TYPE_RSA, 1024)
    assert [str(w.message) for w in record] == [
        "PKey.generate_key is deprecated. You should use the key generation "
        "APIs in cryptography instead."
    ]
    assert record[0].filename == __file__


def test_check_warning_text():
    pkey = _rsa_pkey()
    with pytest.warns(DeprecationWarning) as record:
        pkey.check()
    assert [str(w.message) for w in record] == [
        "PKey.check is deprecated. You should use the APIs in cryptography instead."
    ]


def test_generate_key_replaces_an_existing_key():
    pkey = crypto.PKey()
    pkey.generate_key(crypto.TYPE_RSA, 1024)
    first = pkey.to_cryptography_key().private_numbers()
    pkey.generate_key(crypto.TYPE_RSA, 1024)
    assert pkey.bits() == 1024
    assert pkey.to_cryptography_key().private_numbers() != first


@pytest.mark.parametrize("key_type", [crypto.TYPE_EC, crypto.TYPE_DH, 12345, 0])
def test_generate_key_unknown_type_is_error(key_type):
    with pytest.raises(crypto.Error) as info:
        crypto.PKey().generate_key(key_type, 256)
    assert info.value.args == ("No such key type",)


@pytest.mark.parametrize("bits", [0, -1, -2048])
def test_generate_rsa_nonpositive_bits_is_value_error(bits):
    with pytest.raises(ValueError) as info:
        crypto.PKey().generate_key(crypto.TYPE_RSA, bits)
    assert info.value.args == ("Invalid number of bits",)


def test_generate_rsa_too_small_is_error():
    with pytest.raises(crypto.Error):
        crypto.PKey().generate_key(crypto.TYPE_RSA, 100)
    assert _rsa_pkey().bits() == 2048


def test_generate_key_type_errors():
    with pytest.raises(TypeError) as info:
        crypto.PKey().generate_key("rsa", 2048)
    assert info.value.args == ("type must be an integer",)
    with pytest.raises(TypeError) as info:
        crypto.PKey().generate_key(crypto.TYPE_RSA, "2048")
    assert info.value.args == ("bits must be an integer",)
    with pytest.raises(TypeError):
        crypto.PKey().generate_key(crypto.TYPE_RSA, 2048.0)


def test_empty_pkey():
    pkey = crypto.PKey()
    assert pkey.type() == 0
    assert pkey.bits() == 0
    with pytest.raises(crypto.Error):
        pkey.to_cryptography_key()
    assert _rsa_pkey().bits() == 2048


@pytest.mark.parametrize("label, make, key_type, bits, priv_cls, pub_cls", KEYS, ids=KEY_IDS)
def test_type_and_bits(label, make, key_type, bits, priv_cls, pub_cls):
    pkey = crypto.PKey.from_cryptography_key(make())
    assert pkey.type() == key_type
    assert pkey.bits() == bits
    public = crypto.PKey.from_cryptography_key(make().public_key())
    assert public.type() == key_type
    assert public.bits() == bits


def test_ec_bits_follow_the_curve():
    for curve, bits in [(ec.SECP384R1(), 384), (ec.SECP521R1(), 521)]:
        pkey = crypto.PKey.from_cryptography_key(ec.generate_private_key(curve))
        assert pkey.type() == crypto.TYPE_EC
        assert pkey.bits() == bits


@pytest.mark.parametrize("label, make", [(k[0], k[1]) for k in KEYS if k[0] != "rsa"],
                         ids=[k for k in KEY_IDS if k != "rsa"])
def test_check_only_supports_rsa(label, make):
    pkey = crypto.PKey.from_cryptography_key(make())
    with pytest.raises(TypeError) as info:
        pkey.check()
    assert info.value.args == ("Only RSA keys can currently be checked.",)


def test_check_public_only_key():
    pkey = crypto.PKey.from_cryptography_key(rsa_key(1).public_key())
    with pytest.raises(TypeError) as info:
        pkey.check()
    assert info.value.args == ("public key only",)


def test_check_valid_rsa_key():
    assert _rsa_pkey().check() is True


def test_check_inconsistent_rsa_key_is_error():
    # a well-formed RSAPrivateKey whose d does not belong to n/e
    good = rsa_key(1).private_numbers()
    other = rsa_key(2).private_numbers()
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateNumbers

    numbers = RSAPrivateNumbers(
        p=good.p, q=good.q, d=other.d, dmp1=good.dmp1, dmq1=good.dmq1,
        iqmp=good.iqmp, public_numbers=good.public_numbers,
    )
    # cryptography refuses to build such a key, so encode it by hand as PKCS#1
    der = _pkcs1_der(numbers)
    pkey = crypto.load_privatekey(crypto.FILETYPE_ASN1, der)
    with pytest.raises(crypto.Error):
        pkey.check()
    assert _rsa_pkey().check() is True


def _der_int(value: int) -> bytes:
    body = value.to_bytes((value.bit_length() + 8) // 8 or 1, "big")
    return b"\x02" + _der_len(len(body)) + body


def _der_len(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(raw)]) + raw


def _pkcs1_der(numbers) -> bytes:
    pub = numbers.public_numbers
    body = b"".join(
        _der_int(v)
        for v in (0, pub.n, pub.e, numbers.d, numbers.p, numbers.q,
                  numbers.dmp1, numbers.dmq1, numbers.iqmp)
    )
    return b"\x30" + _der_len(len(body)) + body


# ---------------------------------------------------------------------------
# cryptography interop


@pytest.mark.parametrize("label, make, key_type, bits, priv_cls, pub_cls", KEYS, ids=KEY_IDS)
def test_private_key_roundtrip(label, make, key_type, bits, priv_cls, pub_cls):
    key = make()
    pkey = crypto.PKey.from_cryptography_key(key)
    assert isinstance(pkey, crypto.PKey)
    back = pkey.to_cryptography_key()
    assert isinstance(back, priv_cls)
    assert key_der(back) == key_der(key)


@pytest.mark.parametrize("label, make, key_type, bits, priv_cls, pub_cls", KEYS, ids=KEY_IDS)
def test_public_key_roundtrip(label, make, key_type, bits, priv_cls, pub_cls):
    key = make().public_key()
    pkey = crypto.PKey.from_cryptography_key(key)
    back = pkey.to_cryptography_key()
    assert isinstance(back, pub_cls)
    assert public_der(back) == public_der(key)


@pytest.mark.parametrize(
    "bad",
    [None, b"key", "key", 5, x25519.X25519PrivateKey.generate()],
    ids=["none", "bytes", "str", "int", "x25519"],
)
def test_from_cryptography_key_rejects_unsupported(bad):
    with pytest.raises(TypeError) as info:
        crypto.PKey.from_cryptography_key(bad)
    assert info.value.args == ("Unsupported key type",)


def test_from_cryptography_key_rejects_pkey():
    with pytest.raises(TypeError):
        crypto.PKey.from_cryptography_key(_rsa_pkey())


def test_interop_does_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pkey = crypto.PKey.from_cryptography_key(rsa_key(1))
        pkey.to_cryptography_key()
        pkey.type()
        pkey.bits()
        crypto.load_privatekey(crypto.FILETYPE_PEM, key_pem(rsa_key(1)))
        crypto.load_publickey(crypto.FILETYPE_PEM, public_pem(rsa_key(1)))
        crypto.dump_publickey(crypto.FILETYPE_PEM, pkey)


def test_interop_with_dsa_key_adds_no_warning_of_its_own():
    # cryptography 51 deprecates DSA and warns when its DSA classes are named;
    # converting a DSA key works and no warning comes from this package.
    key = dsa_key()
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        pkey = crypto.PKey.from_cryptography_key(key)
        public = crypto.PKey.from_cryptography_key(key.public_key())
    assert pkey.type() == crypto.TYPE_DSA and public.type() == crypto.TYPE_DSA
    package = os.path.dirname(crypto.__file__)
    assert [w for w in record if w.filename.startswith(package)] == []


@pytest.mark.ours
def test_key_conversion_without_dsa_in_cryptography(monkeypatch):
    # A cryptography that has dropped DSA: other keys still convert, and an
    # unsupported key is still a TypeError (not an ImportError/AttributeError).
    import cryptography.hazmat.primitives.asymmetric as asymmetric

    from OpenSSL import _support

    monkeypatch.setitem(sys.modules, "cryptography.hazmat.primitives.asymmetric.dsa", None)
    monkeypatch.delattr(asymmetric, "dsa")
    monkeypatch.setattr(_support, "_dsa_types", None)
    assert crypto.PKey.from_cryptography_key(rsa_key(1)).type() == crypto.TYPE_RSA
    with pytest.raises(TypeError) as info:
        crypto.PKey.from_cryptography_key(x25519.X25519PrivateKey.generate())
    assert info.value.args == ("Unsupported key type",)


# ---------------------------------------------------------------------------
# dump_privatekey / load_privatekey


def test_dump_privatekey_attribute_access_warns():
    with pytest.warns(DeprecationWarning) as record:
        crypto.dump_privatekey
    assert [str(w.message) for w in record] == [
        "dump_privatekey is deprecated. You should use the APIs in cryptography."
    ]
    assert record[0].filename == __file__


def test_dump_privatekey_is_callable():
    assert callable(_dump_privatekey())


@pytest.mark.parametrize("label, make", [(k[0], k[1]) for k in KEYS], ids=KEY_IDS)
def test_dump_pem_is_pkcs8(label, make):
    key = make()
    pem = _dump_privatekey()(crypto.FILETYPE_PEM, crypto.PKey.from_cryptography_key(key))
    assert pem.startswith(b"-----BEGIN PRIVATE KEY-----\n")
    assert pem == key_pem(key)


@pytest.mark.parametrize("label, make", [(k[0], k[1]) for k in KEYS], ids=KEY_IDS)
def test_dump_der_loads_back(label, make):
    key = make()
    der = _dump_privatekey()(crypto.FILETYPE_ASN1, crypto.PKey.from_cryptography_key(key))
    loaded = serialization.load_der_private_key(der, password=None)
    assert key_der(loaded) == key_der(key)


def test_dump_der_rsa_is_pkcs1():
    key = rsa_key(1)
    der = _dump_privatekey()(crypto.FILETYPE_ASN1, _rsa_pkey())
    assert der == key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )


def test_dump_text_rsa():
    text = _dump_privatekey()(crypto.FILETYPE_TEXT, _rsa_pkey())
    assert isinstance(text, bytes)
    assert b"2048 bit" in text
    assert b"modulus" in text.lower()


def test_dump_text_non_rsa_is_type_error():
    pkey = crypto.PKey.from_cryptography_key(ec_key(1))
    with pytest.raises(TypeError) as info:
        _dump_privatekey()(crypto.FILETYPE_TEXT, pkey)
    assert info.value.args == ("Only RSA keys are supported for FILETYPE_TEXT",)


@pytest.mark.parametrize("label, make", [(k[0], k[1]) for k in KEYS], ids=KEY_IDS)
@pytest.mark.parametrize("filetype", [crypto.FILETYPE_PEM, crypto.FILETYPE_ASN1],
                         ids=["pem", "der"])
def test_load_privatekey(label, make, filetype):
    key = make()
    data = key_pem(key) if filetype == crypto.FILETYPE_PEM else key_der(key)
    pkey = crypto.load_privatekey(filetype, data)
    assert isinstance(pkey, crypto.PKey)
    assert key_der(pkey.to_cryptography_key()) == key_der(key)


def test_load_privatekey_traditional_formats():
    key = rsa_key(1)
    pem = key_pem(key, fmt=serialization.PrivateFormat.TraditionalOpenSSL)
    assert pem.startswith(b"-----BEGIN RSA PRIVATE KEY-----")
    assert crypto.load_privatekey(crypto.FILETYPE_PEM, pem).bits() == 2048
    der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    assert crypto.load_privatekey(crypto.FILETYPE_ASN1, der).bits() == 2048
    ec_pem = key_pem(ec_key(1), fmt=serialization.PrivateFormat.TraditionalOpenSSL)
    assert crypto.load_privatekey(crypto.FILETYPE_PEM, ec_pem).type() == crypto.TYPE_EC


def test_load_privatekey_accepts_ascii_str():
    pkey = crypto.load_privatekey(crypto.FILETYPE_PEM, key_pem(rsa_key(1)).decode())
    assert pkey.bits() == 2048


@pytest.mark.parametrize("filetype", [crypto.FILETYPE_TEXT, 0, 99])
def test_load_privatekey_bad_filetype(filetype):
    with pytest.raises(ValueError) as info:
        crypto.load_privatekey(filetype, key_pem(rsa_key(1)))
    assert info.value.args == ("type argument must be FILETYPE_PEM or FILETYPE_ASN1",)


@pytest.mark.parametrize("filetype", [0, 99])
def test_dump_privatekey_bad_filetype(filetype):
    with pytest.raises(ValueError) as info:
        _dump_privatekey()(filetype, _rsa_pkey())
    assert info.value.args == (
        "type argument must be FILETYPE_PEM, FILETYPE_ASN1, or FILETYPE_TEXT",
    )


@pytest.mark.parametrize("bad", [None, "key", rsa_key(1)], ids=["none", "str", "cryptography"])
def test_dump_privatekey_requires_pkey(bad):
    with pytest.raises(TypeError) as info:
        _dump_privatekey()(crypto.FILETYPE_PEM, bad)
    assert info.value.args == ("pkey must be a PKey",)


def test_dump_privatekey_of_public_key_is_error():
    pkey = crypto.PKey.from_cryptography_key(rsa_key(1).public_key())
    with pytest.raises(crypto.Error):
        _dump_privatekey()(crypto.FILETYPE_PEM, pkey)
    assert _dump_privatekey()(crypto.FILETYPE_PEM, _rsa_pkey())


def test_dump_privatekey_of_empty_pkey_is_error():
    with pytest.raises(crypto.Error):
        _dump_privatekey()(crypto.FILETYPE_PEM, crypto.PKey())


def test_load_privatekey_public_pem_is_error():
    with pytest.raises(crypto.Error):
        crypto.load_privatekey(crypto.FILETYPE_PEM, public_pem(rsa_key(1)))


# -- encryption -------------------------------------------------------------


@pytest.mark.parametrize("cipher", ["aes-256-cbc", "aes-128-cbc", "des-ede3-cbc", "AES-256-CBC"])
def test_encrypted_pem_roundtrip(cipher):
    pkey = _rsa_pkey()
    pem = _dump_privatekey()(crypto.FILETYPE_PEM, pkey, cipher, b"secret")
    assert pem.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----\n")
    loaded = crypto.load_privatekey(crypto.FILETYPE_PEM, pem, b"secret")
    assert key_der(loaded.to_cryptography_key()) == key_der(rsa_key(1))
    # cryptography agrees on the encryption
    other = serialization.load_pem_private_key(pem, password=b"secret")
    assert key_der(other) == key_der(rsa_key(1))


def test_encrypted_pem_ec_key():
    pkey = crypto.PKey.from_cryptography_key(ec_key(1))
    pem = _dump_privatekey()(crypto.FILETYPE_PEM, pkey, "aes-256-cbc", b"pw")
    assert crypto.load_privatekey(crypto.FILETYPE_PEM, pem, b"pw").type() == crypto.TYPE_EC


def test_load_key_encrypted_by_cryptography():
    key = rsa_key(1)
    for fmt in (serialization.PrivateFormat.PKCS8, serialization.PrivateFormat.TraditionalOpenSSL):
        pem = key_pem(key, b"hunter2", fmt=fmt)
        pkey = crypto.load_privatekey(crypto.FILETYPE_PEM, pem, b"hunter2")
        assert key_der(pkey.to_cryptography_key()) == key_der(key)


def test_passphrase_callable_on_dump_and_load():
    calls = []

    def cb(*args):
        calls.append(args)
        return b"callback-pw"

    pem = _dump_privatekey()(crypto.FILETYPE_PEM, _rsa_pkey(), "aes-256-cbc", cb)
    assert len(calls) >= 1
    # one positional argument: the "writing" flag, true when encrypting
    assert all(len(args) == 1 and args[0] for args in calls)
    calls.clear()
    pkey = crypto.load_privatekey(crypto.FILETYPE_PEM, pem, cb)
    assert pkey.bits() == 2048
    assert len(calls) >= 1
    assert all(len(args) == 1 and not args[0] for args in calls)
    assert serialization.load_pem_private_key(pem, b"callback-pw")


def test_passphrase_without_cipher_is_ignored():
    pem = _dump_privatekey()(crypto.FILETYPE_PEM, _rsa_pkey(), None, b"unused")
    assert pem == key_pem(rsa_key(1))


def test_passphrase_given_for_unencrypted_key_is_ignored():
    pem = key_pem(rsa_key(1))
    assert crypto.load_privatekey(crypto.FILETYPE_PEM, pem, b"whatever").bits() == 2048

    def explode(*args):
        raise RuntimeError("must not be called")

    assert crypto.load_privatekey(crypto.FILETYPE_PEM, pem, explode).bits() == 2048


def test_cipher_without_passphrase_is_type_error():
    with pytest.raises(TypeError) as info:
        _dump_privatekey()(crypto.FILETYPE_PEM, _rsa_pkey(), "aes-256-cbc")
    assert info.value.args == (
        "if a value is given for cipher one must also be given for passphrase",
    )


def test_unknown_cipher_is_value_error():
    with pytest.raises(ValueError) as info:
        _dump_privatekey()(crypto.FILETYPE_PEM, _rsa_pkey(), "no-such-cipher", b"pw")
    assert info.value.args == ("Invalid cipher name",)


def test_encryption_only_for_pem():
    with pytest.raises(ValueError) as info:
        _dump_privatekey()(crypto.FILETYPE_ASN1, _rsa_pkey(), "aes-256-cbc", b"pw")
    assert info.value.args == ("only FILETYPE_PEM key format supports encryption",)
    with pytest.raises(ValueError) as info:
        crypto.load_privatekey(crypto.FILETYPE_ASN1, key_der(rsa_key(1)), b"pw")
    assert info.value.args == ("only FILETYPE_PEM key format supports encryption",)


@pytest.fixture(scope="module")
def encrypted_pem():
    return key_pem(rsa_key(1), b"right-pw")


def _valid_load_still_works(encrypted):
    assert crypto.load_privatekey(crypto.FILETYPE_PEM, encrypted, b"right-pw").bits() == 2048
    assert crypto.load_privatekey(crypto.FILETYPE_PEM, key_pem(ec_key(1))).type() == crypto.TYPE_EC


@pytest.mark.parametrize("wrong", [b"wrong-pw", b"", b"right-p", b"right-pw!"])
def test_wrong_passphrase_is_crypto_error(encrypted_pem, wrong):
    with pytest.raises(crypto.Error) as info:
        crypto.load_privatekey(crypto.FILETYPE_PEM, encrypted_pem, wrong)
    assert isinstance(info.value.args[0], list)
    _valid_load_still_works(encrypted_pem)


def test_wrong_passphrase_from_callable_is_crypto_error(encrypted_pem):
    with pytest.raises(crypto.Error):
        crypto.load_privatekey(crypto.FILETYPE_PEM, encrypted_pem, lambda flag: b"nope")
    _valid_load_still_works(encrypted_pem)


@pytest.mark.parametrize("result", ["right-pw", None, 5, bytearray(b"right-pw")],
                         ids=["str", "none", "int", "bytearray"])
def test_passphrase_callable_returning_non_bytes(encrypted_pem, result):
    with pytest.raises(ValueError) as info:
        crypto.load_privatekey(crypto.FILETYPE_PEM, encrypted_pem, lambda flag: result)
    assert info.value.args == ("Bytes expected",)
    _valid_load_still_works(encrypted_pem)


def test_passphrase_callable_returning_non_bytes_on_dump():
    with pytest.raises(ValueError) as info:
        _dump_privatekey()(crypto.FILETYPE_PEM, _rsa_pkey(), "aes-256-cbc", lambda flag: "pw")
    assert info.value.args == ("Bytes expected",)


def test_passphrase_callable_exception_propagates(encrypted_pem):
    class Boom(Exception):
        pass

    def cb(flag):
        raise Boom("no passphrase today")

    with pytest.raises(Boom):
        crypto.load_privatekey(crypto.FILETYPE_PEM, encrypted_pem, cb)
    _valid_load_still_works(encrypted_pem)
    with pytest.raises(Boom):
        _dump_privatekey()(crypto.FILETYPE_PEM, _rsa_pkey(), "aes-256-cbc", cb)
    _valid_load_still_works(encrypted_pem)


def test_passphrase_too_long(encrypted_pem):
    with pytest.raises(ValueError) as info:
        crypto.load_privatekey(crypto.FILETYPE_PEM, encrypted_pem, b"x" * 5000)
    assert info.value.args == ("passphrase returned by callback is too long",)
    with pytest.raises(ValueError) as info:
        crypto.load_privatekey(crypto.FILETYPE_PEM, encrypted_pem, lambda flag: b"x" * 5000)
    assert info.value.args == ("passphrase returned by callback is too long",)
    _valid_load_still_works(encrypted_pem)


@pytest.mark.parametrize("bad", ["right-pw", 5, bytearray(b"right-pw")],
                         ids=["str", "int", "bytearray"])
def test_passphrase_of_wrong_type_is_type_error(encrypted_pem, bad):
    with pytest.raises(TypeError) as info:
        crypto.load_privatekey(crypto.FILETYPE_PEM, encrypted_pem, bad)
    assert info.value.args == ("Last argument must be a byte string or a callable.",)
    with pytest.raises(TypeError) as info:
        _dump_privatekey()(crypto.FILETYPE_PEM, _rsa_pkey(), "aes-256-cbc", bad)
    assert info.value.args == ("Last argument must be a byte string or a callable.",)
    _valid_load_still_works(encrypted_pem)


# ---------------------------------------------------------------------------
# public keys


@pytest.mark.parametrize("label, make", [(k[0], k[1]) for k in KEYS], ids=KEY_IDS)
def test_load_publickey_pem_and_der(label, make):
    key = make()
    for filetype, data in ((crypto.FILETYPE_PEM, public_pem(key)),
                           (crypto.FILETYPE_ASN1, public_der(key))):
        pkey = crypto.load_publickey(filetype, data)
        assert isinstance(pkey, crypto.PKey)
        assert public_der(pkey.to_cryptography_key()) == public_der(key)


def test_loaded_public_key_is_public_only():
    pkey = crypto.load_publickey(crypto.FILETYPE_PEM, public_pem(rsa_key(1)))
    assert isinstance(pkey.to_cryptography_key(), rsa.RSAPublicKey)
    with pytest.raises(TypeError) as info:
        pkey.check()
    assert info.value.args == ("public key only",)


def test_load_publickey_accepts_ascii_str():
    pkey = crypto.load_publickey(crypto.FILETYPE_PEM, public_pem(rsa_key(1)).decode())
    assert pkey.bits() == 2048


@pytest.mark.parametrize("label, make", [(k[0], k[1]) for k in KEYS], ids=KEY_IDS)
def test_dump_publickey(label, make):
    key = make()
    for source in (key, key.public_key()):
        pkey = crypto.PKey.from_cryptography_key(source)
        assert crypto.dump_publickey(crypto.FILETYPE_PEM, pkey) == public_pem(key)
        assert crypto.dump_publickey(crypto.FILETYPE_ASN1, pkey) == public_der(key)


@pytest.mark.parametrize("filetype", [crypto.FILETYPE_TEXT, 0, 99])
def test_publickey_bad_filetype(filetype):
    pkey = _rsa_pkey()
    with pytest.raises(ValueError) as info:
        crypto.dump_publickey(filetype, pkey)
    assert info.value.args == ("type argument must be FILETYPE_PEM or FILETYPE_ASN1",)
    with pytest.raises(ValueError) as info:
        crypto.load_publickey(filetype, public_pem(rsa_key(1)))
    assert info.value.args == ("type argument must be FILETYPE_PEM or FILETYPE_ASN1",)


def test_dump_publickey_non_pkey_is_attribute_error():
    with pytest.raises(AttributeError):
        crypto.dump_publickey(crypto.FILETYPE_PEM, rsa_key(1))


def test_dump_publickey_empty_pkey_is_error():
    with pytest.raises(crypto.Error):
        crypto.dump_publickey(crypto.FILETYPE_PEM, crypto.PKey())
    assert crypto.dump_publickey(crypto.FILETYPE_PEM, _rsa_pkey()) == public_pem(rsa_key(1))


def test_load_publickey_private_pem_is_error():
    with pytest.raises(crypto.Error):
        crypto.load_publickey(crypto.FILETYPE_PEM, key_pem(rsa_key(1)))


# ---------------------------------------------------------------------------
# malformed key input


MALFORMED_PRIVATE = [
    ("truncated-pem", crypto.FILETYPE_PEM, lambda: key_pem(rsa_key(1))[:100]),
    ("empty-pem", crypto.FILETYPE_PEM, lambda: b""),
    ("empty-der", crypto.FILETYPE_ASN1, lambda: b""),
    ("garbage-der", crypto.FILETYPE_ASN1, lambda: b"garbage"),
    ("truncated-der", crypto.FILETYPE_ASN1, lambda: key_der(rsa_key(1))[:64]),
    ("none-der", crypto.FILETYPE_ASN1, lambda: None),
    ("cert-pem", crypto.FILETYPE_PEM, lambda: b"-----BEGIN CERTIFICATE-----\nMII=\n"
                                              b"-----END CERTIFICATE-----\n"),
]


@pytest.mark.parametrize("label, filetype, data", MALFORMED_PRIVATE,
                         ids=[m[0] for m in MALFORMED_PRIVATE])
def test_malformed_private_key_is_crypto_error(label, filetype, data):
    with pytest.raises(crypto.Error):
        crypto.load_privatekey(filetype, data())
    assert crypto.load_privatekey(crypto.FILETYPE_PEM, key_pem(rsa_key(1))).bits() == 2048
    assert crypto.load_privatekey(crypto.FILETYPE_ASN1, key_der(ec_key(1))).bits() == 256


MALFORMED_PUBLIC = [
    ("truncated-pem", crypto.FILETYPE_PEM, lambda: public_pem(rsa_key(1))[:80]),
    ("empty-pem", crypto.FILETYPE_PEM, lambda: b""),
    ("garbage-pem", crypto.FILETYPE_PEM, lambda: b"garbage"),
    ("empty-der", crypto.FILETYPE_ASN1, lambda: b""),
    ("garbage-der", crypto.FILETYPE_ASN1, lambda: b"\x30\x03\x02\x01\x01"),
    ("none-der", crypto.FILETYPE_ASN1, lambda: None),
]


@pytest.mark.parametrize("label, filetype, data", MALFORMED_PUBLIC,
                         ids=[m[0] for m in MALFORMED_PUBLIC])
def test_malformed_public_key_is_crypto_error(label, filetype, data):
    with pytest.raises(crypto.Error):
        crypto.load_publickey(filetype, data())
    assert crypto.load_publickey(crypto.FILETYPE_PEM, public_pem(rsa_key(1))).bits() == 2048


@pytest.mark.parametrize("bad", [5, bytearray(b"x"), memoryview(b"x")],
                         ids=["int", "bytearray", "memoryview"])
def test_key_loaders_wrong_buffer_type_is_type_error(bad):
    with pytest.raises(TypeError):
        crypto.load_privatekey(crypto.FILETYPE_PEM, bad)
    with pytest.raises(TypeError):
        crypto.load_publickey(crypto.FILETYPE_PEM, bad)
    assert crypto.load_privatekey(crypto.FILETYPE_PEM, key_pem(rsa_key(1))).bits() == 2048


def test_key_loaders_non_ascii_str():
    with pytest.raises(UnicodeEncodeError):
        crypto.load_privatekey(crypto.FILETYPE_PEM, "\u00e9")
    with pytest.raises(UnicodeEncodeError):
        crypto.load_publickey(crypto.FILETYPE_PEM, "\u00e9")


# ---------------------------------------------------------------------------
# elliptic curves


def test_get_elliptic_curves_warns():
    with pytest.warns(DeprecationWarning) as record:
        crypto.get_elliptic_curves()
    assert [str(w.message) for w in record] == [
        "get_elliptic_curves is deprecated. You should use the APIs in cryptography instead."
    ]


def test_get_elliptic_curve_warns():
    with pytest.warns(DeprecationWarning) as record:
        crypto.get_elliptic_curve("prime256v1")
    messages = [str(w.message) for w in record]
    assert messages[0] == (
        "get_elliptic_curve is deprecated. You should use the APIs in cryptography instead."
    )
    assert record[0].filename == __file__


def test_get_elliptic_curves_is_a_set_of_named_curves():
    curves = crypto.get_elliptic_curves()
    assert isinstance(curves, set)
    names = {curve.name for curve in curves}
    assert all(isinstance(name, str) for name in names)
    assert {"prime256v1", "secp384r1", "secp521r1"} <= names
    assert len(names) == len(curves)


def test_get_elliptic_curve_by_short_name():
    curve = crypto.get_elliptic_curve("prime256v1")
    assert curve.name == "prime256v1"
    assert repr(curve) == "<Curve 'prime256v1'>"


@pytest.mark.parametrize("name", ["secp256r1", "P-256", "nope", ""])
def test_get_elliptic_curve_unknown_name(name):
    with pytest.raises(ValueError) as info:
        crypto.get_elliptic_curve(name)
    assert info.value.args == ("unknown curve name", name)


def test_curves_hashable_and_comparable():
    a = crypto.get_elliptic_curve("prime256v1")
    b = crypto.get_elliptic_curve("prime256v1")
    c = crypto.get_elliptic_curve("secp384r1")
    assert a == b
    assert not (a != b)
    assert hash(a) == hash(b)
    assert a != c
    assert not (a == c)
    assert a in crypto.get_elliptic_curves()
    assert {a: 1}[b] == 1
    assert len({a, b, c}) == 2
    assert a != "prime256v1"
    assert not (a == "prime256v1")


def test_get_elliptic_curves_is_stable():
    assert crypto.get_elliptic_curves() == crypto.get_elliptic_curves()


# ---------------------------------------------------------------------------
# OpenSSL.rand


def _subprocess_env():
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    return env


def test_rand_import_warns():
    code = (
        "import warnings\n"
        "with warnings.catch_warnings(record=True) as w:\n"
        "    warnings.simplefilter('always')\n"
        "    import OpenSSL.rand\n"
        "print([(c.category.__name__, str(c.message)) for c in w])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
        env=_subprocess_env(), check=True,
    ).stdout
    assert (
        "('DeprecationWarning', 'OpenSSL.rand is deprecated - you should use "
        "os.urandom instead')" in out
    )


@pytest.fixture(scope="module")
def rand():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from OpenSSL import rand as module
    return module


def test_rand_add(rand):
    assert rand.add(b"some entropy", 12) is None
    assert rand.add(b"", 0) is None
    assert rand.add(os.urandom(64), 64) is None


def test_rand_add_type_errors(rand):
    with pytest.raises(TypeError) as info:
        rand.add("text", 4)
    assert info.value.args == ("buffer must be a byte string",)
    with pytest.raises(TypeError) as info:
        rand.add(bytearray(b"x"), 1)
    assert info.value.args == ("buffer must be a byte string",)
    with pytest.raises(TypeError) as info:
        rand.add(b"x", "1")
    assert info.value.args == ("entropy must be an integer",)
    with pytest.raises(TypeError) as info:
        rand.add(b"x", 1.5)
    assert info.value.args == ("entropy must be an integer",)


def test_rand_status(rand):
    status = rand.status()
    assert type(status) is int
    assert status == 1


def test_rand_public_names(rand):
    assert callable(rand.add)
    assert callable(rand.status)
