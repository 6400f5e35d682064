"""OpenSSL.crypto.X509: loading and dumping, getters, the deprecated builder
API, cryptography interop, the empty X509() object and malformed input.

Encodes pyOpenSSL 26.4's behaviour; run against the reference with
PYOPENSSL_REFERENCE=1."""

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import datetime
import gc
import hashlib
import re
import shutil
import subprocess
import warnings

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes

from OpenSSL import crypto

from certs_for_tests import (
    UTC,
    cert_der,
    cert_pem,
    chain,
    ec_cert,
    ec_key,
    ed25519_key,
    expired_cert,
    key_pem,
    make_cert,
    make_name,
    rsa_key,
    simple_cert,
)

# Deprecated getters (get_subject, get_issuer, ...) are used freely below;
# the tests that are about the warnings use pytest.deprecated_call, which
# records regardless of this filter.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

OPENSSL_CLI = shutil.which("openssl")
needs_cli = pytest.mark.skipif(OPENSSL_CLI is None, reason="no openssl binary")


def _load(data=None, filetype=crypto.FILETYPE_PEM):
    return crypto.load_certificate(filetype, simple_cert().pem if data is None else data)


def _cli(args, data):
    return subprocess.run(
        [OPENSSL_CLI, *args], input=data, capture_output=True, check=True, timeout=10
    ).stdout


# ---------------------------------------------------------------------------
# module constants


def test_filetype_constants():
    assert crypto.FILETYPE_PEM == 1
    assert crypto.FILETYPE_ASN1 == 2
    assert crypto.FILETYPE_TEXT == 2**16 - 1


def test_error_is_plain_exception():
    assert issubclass(crypto.Error, Exception)
    assert crypto.Error.__mro__[1] is Exception


# ---------------------------------------------------------------------------
# load / dump


def test_load_pem_and_dump_pem_roundtrip():
    pem = simple_cert().pem
    cert = crypto.load_certificate(crypto.FILETYPE_PEM, pem)
    assert isinstance(cert, crypto.X509)
    assert crypto.dump_certificate(crypto.FILETYPE_PEM, cert) == pem


def test_load_der_and_dump_der_roundtrip():
    der = simple_cert().der
    cert = crypto.load_certificate(crypto.FILETYPE_ASN1, der)
    assert crypto.dump_certificate(crypto.FILETYPE_ASN1, cert) == der


def test_pem_and_der_dumps_agree():
    cert = _load()
    pem = crypto.dump_certificate(crypto.FILETYPE_PEM, cert)
    der = crypto.dump_certificate(crypto.FILETYPE_ASN1, cert)
    assert x509.load_pem_x509_certificate(pem) == x509.load_der_x509_certificate(der)
    assert pem.startswith(b"-----BEGIN CERTIFICATE-----\n")
    assert pem.endswith(b"-----END CERTIFICATE-----\n")


def test_load_accepts_ascii_str():
    cert = crypto.load_certificate(crypto.FILETYPE_PEM, simple_cert().pem.decode())
    assert cert.get_serial_number() == 0x1234ABCD


def test_load_first_of_several_pem_certificates():
    data = cert_pem(ec_cert().cert, simple_cert().cert)
    assert crypto.load_certificate(crypto.FILETYPE_PEM, data).get_serial_number() == 7


def test_load_pem_ignores_surrounding_text():
    data = b"some preamble\n" + simple_cert().pem + b"trailing junk"
    assert _load(data).get_serial_number() == 0x1234ABCD


def test_load_der_ignores_trailing_bytes():
    data = simple_cert().der + b"junk"
    cert = crypto.load_certificate(crypto.FILETYPE_ASN1, data)
    assert cert.get_serial_number() == 0x1234ABCD


@pytest.mark.parametrize("filetype", [crypto.FILETYPE_TEXT, 0, 3, 99])
def test_load_rejects_other_filetypes(filetype):
    with pytest.raises(ValueError) as info:
        crypto.load_certificate(filetype, simple_cert().pem)
    assert info.value.args == ("type argument must be FILETYPE_PEM or FILETYPE_ASN1",)


@pytest.mark.parametrize("filetype", [0, 3, 99])
def test_dump_rejects_unknown_filetype(filetype):
    with pytest.raises(ValueError) as info:
        crypto.dump_certificate(filetype, _load())
    assert info.value.args == (
        "type argument must be FILETYPE_PEM, FILETYPE_ASN1, or FILETYPE_TEXT",
    )


def test_dump_text_is_bytes_starting_with_certificate():
    text = crypto.dump_certificate(crypto.FILETYPE_TEXT, _load())
    assert isinstance(text, bytes)
    assert text.startswith(b"Certificate:\n    Data:\n")
    assert b"Serial Number: 305441741 (0x1234abcd)" in text
    assert b"Signature Algorithm: sha256WithRSAEncryption" in text
    assert b"DNS:example.com" in text


_TEXT_LABELS = (
    "Version:",
    "Serial Number:",
    "Signature Algorithm:",
    "Issuer:",
    "Not Before:",
    "Not After :",
    "Subject:",
    "Public Key Algorithm:",
    "Public-Key:",
    "Exponent:",
    "ASN1 OID:",
    "X509v3 Basic Constraints:",
    "X509v3 Subject Key Identifier:",
    "X509v3 Authority Key Identifier:",
    "X509v3 Subject Alternative Name:",
    "X509v3 Key Usage:",
)


def _key_lines(text: str) -> dict:
    """First occurrence of each interesting line, whitespace and the
    `a = b` / `a=b` naming style normalised."""
    found = {}
    lines = [line.strip() for line in text.splitlines()]
    for i, line in enumerate(lines):
        for label in _TEXT_LABELS:
            if line.startswith(label) and label not in found:
                value = line[len(label):].strip()
                if label == "Serial Number:" and not value:
                    # long serials are printed as hex on the next line
                    value = lines[i + 1]
                if label.startswith("X509v3"):
                    # the value is on the following line
                    value = value + "|" + (lines[i + 1] if i + 1 < len(lines) else "")
                if label == "Public-Key:":
                    # "(256 bit)" on OpenSSL 3.0, "(256 bit field, 128 bit
                    # security level)" for EC keys on newer versions
                    value = re.match(r"\(\d+ bit", value).group(0)
                found[label] = re.sub(r"\s*=\s*", "=", value)
    return found


@needs_cli
@pytest.mark.parametrize(
    "make", [simple_cert, ec_cert, lambda: chain().server], ids=["rsa", "ec", "issued"]
)
def test_dump_text_matches_openssl_x509_text(make):
    issued = make()
    ours = crypto.dump_certificate(
        crypto.FILETYPE_TEXT, crypto.load_certificate(crypto.FILETYPE_PEM, issued.pem)
    ).decode()
    theirs = _cli(["x509", "-text", "-noout"], issued.pem).decode()
    ours_lines, their_lines = _key_lines(ours), _key_lines(theirs)
    for label in ("Version:", "Signature Algorithm:", "Issuer:", "Subject:",
                  "Not Before:", "Not After :", "Public Key Algorithm:", "Public-Key:"):
        assert label in their_lines
    assert ours_lines == their_lines


# ---------------------------------------------------------------------------
# getters


def test_get_version_v3():
    assert _load().get_version() == 2


def test_get_serial_number():
    assert _load().get_serial_number() == 0x1234ABCD
    issued = chain().server
    cert = crypto.load_certificate(crypto.FILETYPE_PEM, issued.pem)
    assert cert.get_serial_number() == issued.cert.serial_number


def test_get_serial_number_large():
    serial = (1 << 158) + 12345
    cert = crypto.X509.from_cryptography(make_cert("big.example", ec_key(1), serial=serial))
    assert cert.get_serial_number() == serial


def test_validity_times_are_generalized_time_bytes():
    cert = _load()
    assert cert.get_notBefore() == b"20260101000000Z"
    assert cert.get_notAfter() == b"20460101123045Z"


def test_validity_times_utc_and_generalized_encodings():
    # 1999 is encoded as UTCTime, 2051 as GeneralizedTime; both come back in
    # the four-digit-year form.
    cert = crypto.X509.from_cryptography(
        make_cert(
            "times.example",
            ec_key(1),
            not_before=datetime.datetime(1999, 12, 31, 23, 59, 58, tzinfo=UTC),
            not_after=datetime.datetime(2051, 2, 3, 4, 5, 6, tzinfo=UTC),
        )
    )
    assert cert.get_notBefore() == b"19991231235958Z"
    assert cert.get_notAfter() == b"20510203040506Z"


def test_has_expired():
    assert _load().has_expired() is False
    assert crypto.X509.from_cryptography(expired_cert().cert).has_expired() is True


def test_get_subject_and_issuer_are_x509names():
    cert = _load()
    subject = cert.get_subject()
    issuer = cert.get_issuer()
    assert isinstance(subject, crypto.X509Name)
    assert isinstance(issuer, crypto.X509Name)
    assert subject.CN == "example.com"
    assert subject.O == "Example"
    assert subject.C == "US"
    assert subject == issuer


def test_issued_certificate_subject_and_issuer_differ():
    c = chain()
    cert = crypto.X509.from_cryptography(c.server.cert)
    assert cert.get_subject().CN == "localhost"
    assert cert.get_issuer().CN == "compat intermediate CA"
    assert cert.get_subject() != cert.get_issuer()
    assert cert.get_issuer().der() == c.intermediate.cert.subject.public_bytes()


def test_subject_name_outlives_certificate_object():
    name = _load().get_subject()
    gc.collect()
    assert name.CN == "example.com"
    assert name.get_components() == [(b"C", b"US"), (b"O", b"Example"), (b"CN", b"example.com")]


def test_get_subject_is_a_live_view():
    cert = _load()
    cert.get_subject().CN = "changed.example"
    assert cert.get_subject().CN == "changed.example"


def test_get_pubkey_rsa():
    cert = _load()
    pkey = cert.get_pubkey()
    assert isinstance(pkey, crypto.PKey)
    assert pkey.type() == crypto.TYPE_RSA
    assert pkey.bits() == 2048
    assert (
        pkey.to_cryptography_key().public_numbers()
        == simple_cert().key.public_key().public_numbers()
    )


def test_get_pubkey_ec():
    pkey = crypto.X509.from_cryptography(ec_cert().cert).get_pubkey()
    assert pkey.type() == crypto.TYPE_EC == 408
    assert pkey.bits() == 256


def test_get_pubkey_is_public_only():
    pkey = _load().get_pubkey()
    with pytest.raises(TypeError) as info:
        pkey.check()
    assert info.value.args == ("public key only",)


@pytest.mark.parametrize(
    "name, algorithm",
    [("sha256", hashes.SHA256()), ("sha1", hashes.SHA1()), ("md5", hashes.MD5()),
     ("sha512", hashes.SHA512()), ("SHA256", hashes.SHA256())],
)
def test_digest_matches_cryptography_fingerprint(name, algorithm):
    issued = simple_cert()
    expected = b":".join(
        b"%02X" % byte for byte in issued.cert.fingerprint(algorithm)
    )
    assert _load().digest(name) == expected


def test_digest_format():
    digest = _load().digest("sha256")
    assert isinstance(digest, bytes)
    assert re.fullmatch(rb"([0-9A-F]{2}:){31}[0-9A-F]{2}", digest)
    assert digest == b":".join(
        b"%02X" % b for b in hashlib.sha256(simple_cert().der).digest()
    )


def test_digest_unknown_name():
    with pytest.raises(ValueError) as info:
        _load().digest("no-such-digest")
    assert info.value.args == ("No such digest method",)


def test_subject_name_hash_equals_name_hash():
    cert = _load()
    assert isinstance(cert.subject_name_hash(), int)
    assert cert.subject_name_hash() == cert.get_subject().hash()


@needs_cli
@pytest.mark.parametrize("make", [simple_cert, ec_cert, lambda: chain().root],
                         ids=["rsa", "ec", "root"])
def test_subject_name_hash_matches_openssl_subject_hash(make):
    issued = make()
    hex_hash = _cli(["x509", "-subject_hash", "-noout"], issued.pem).strip()
    cert = crypto.load_certificate(crypto.FILETYPE_PEM, issued.pem)
    # `openssl x509 -subject_hash` prints X509_subject_name_hash as %08lx;
    # pyOpenSSL returns the same unsigned value as an int.
    assert cert.subject_name_hash() == int(hex_hash, 16)
    assert 0 <= cert.subject_name_hash() < 2**32


def test_get_signature_algorithm():
    assert _load().get_signature_algorithm() == b"sha256WithRSAEncryption"
    ec = crypto.X509.from_cryptography(ec_cert().cert)
    assert ec.get_signature_algorithm() == b"ecdsa-with-SHA256"


def test_get_signature_algorithm_ed25519():
    cert = crypto.X509.from_cryptography(make_cert("ed.example", ed25519_key()))
    assert cert.get_signature_algorithm() == b"ED25519"


def test_get_extension_count():
    # BasicConstraints, SubjectKeyIdentifier, SubjectAlternativeName
    assert _load().get_extension_count() == 3
    # + KeyUsage for a CA
    assert crypto.X509.from_cryptography(chain().root.cert).get_extension_count() == 3
    # BasicConstraints, SKI, AKI, SAN, EKU
    assert crypto.X509.from_cryptography(chain().server.cert).get_extension_count() == 5


def test_x509_objects_compare_by_identity():
    a = _load()
    b = _load()
    assert a == a
    assert a != b
    hash(a)


# ---------------------------------------------------------------------------
# cryptography interop


def test_to_cryptography():
    cert = _load()
    converted = cert.to_cryptography()
    assert isinstance(converted, x509.Certificate)
    assert converted == simple_cert().cert


def test_from_cryptography():
    original = chain().server.cert
    cert = crypto.X509.from_cryptography(original)
    assert isinstance(cert, crypto.X509)
    assert crypto.dump_certificate(crypto.FILETYPE_ASN1, cert) == cert_der(original)
    assert cert.to_cryptography() == original


@pytest.mark.parametrize("bad", [None, b"not a cert", "x", 5])
def test_from_cryptography_rejects_non_certificates(bad):
    with pytest.raises(TypeError) as info:
        crypto.X509.from_cryptography(bad)
    assert info.value.args == ("Must be a certificate",)


def test_from_cryptography_rejects_pyopenssl_x509():
    with pytest.raises(TypeError):
        crypto.X509.from_cryptography(_load())


# ---------------------------------------------------------------------------
# deprecated builder API


DEPRECATED_SETTERS = [
    ("set_version", (2,), "X509.set_version is deprecated"),
    ("set_serial_number", (5,), "X509.set_serial_number is deprecated"),
    ("set_notBefore", (b"20250101000000Z",), "X509.set_notBefore is deprecated"),
    ("set_notAfter", (b"20300101000000Z",), "X509.set_notAfter is deprecated"),
    ("gmtime_adj_notBefore", (0,), "X509.gmtime_adj_notBefore is deprecated"),
    ("gmtime_adj_notAfter", (60,), "X509.gmtime_adj_notAfter is deprecated"),
]


@pytest.mark.parametrize("method, args, message", DEPRECATED_SETTERS,
                         ids=[m[0] for m in DEPRECATED_SETTERS])
def test_builder_setters_warn(method, args, message):
    cert = crypto.X509()
    with pytest.deprecated_call(match=re.escape(message)):
        getattr(cert, method)(*args)


def test_builder_warning_text_exact():
    cert = crypto.X509()
    with pytest.warns(DeprecationWarning) as record:
        cert.set_version(2)
    assert [str(w.message) for w in record] == [
        "X509.set_version is deprecated. You should use "
        "cryptography's CertificateBuilder instead."
    ]
    assert record[0].filename == __file__


def test_name_getters_warn():
    cert = _load()
    with pytest.warns(DeprecationWarning) as record:
        cert.get_subject()
    assert [str(w.message) for w in record] == [
        "X509.get_subject is deprecated. You should use cryptography's X.509 APIs instead."
    ]
    with pytest.warns(DeprecationWarning) as record:
        cert.get_issuer()
    assert [str(w.message) for w in record] == [
        "X509.get_issuer is deprecated. You should use cryptography's X.509 APIs instead."
    ]


def test_name_setters_pubkey_and_sign_warn():
    pkey = crypto.PKey.from_cryptography_key(rsa_key(2))
    cert = crypto.X509()
    name = cert.get_subject()
    with pytest.deprecated_call(match="X509.set_subject is deprecated"):
        cert.set_subject(name)
    with pytest.deprecated_call(match="X509.set_issuer is deprecated"):
        cert.set_issuer(cert.get_subject())
    with pytest.deprecated_call(match="X509.set_pubkey is deprecated"):
        cert.set_pubkey(pkey)
    with pytest.deprecated_call(match="X509.sign is deprecated"):
        cert.sign(pkey, "sha256")


def test_non_deprecated_getters_do_not_warn():
    cert = _load()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cert.get_version()
        cert.get_serial_number()
        cert.get_notBefore()
        cert.get_notAfter()
        cert.has_expired()
        cert.get_pubkey()
        cert.digest("sha256")
        cert.subject_name_hash()
        cert.get_signature_algorithm()
        cert.get_extension_count()
        cert.to_cryptography()
        crypto.X509.from_cryptography(simple_cert().cert)
        crypto.dump_certificate(crypto.FILETYPE_PEM, cert)
        crypto.load_certificate(crypto.FILETYPE_PEM, simple_cert().pem)


def _build(key, digest="sha256", serial=0xC0FFEE):
    pkey = crypto.PKey.from_cryptography_key(key)
    cert = crypto.X509()
    cert.set_version(2)
    cert.set_serial_number(serial)
    subject = cert.get_subject()
    subject.C = "US"
    subject.O = "Builder"
    subject.CN = "built.example"
    cert.set_issuer(cert.get_subject())
    cert.gmtime_adj_notBefore(-60)
    cert.gmtime_adj_notAfter(24 * 3600)
    cert.set_pubkey(pkey)
    cert.sign(pkey, digest)
    return cert


def test_builder_produces_self_signed_certificate_rsa():
    key = rsa_key(2)
    cert = _build(key)
    built = x509.load_der_x509_certificate(crypto.dump_certificate(crypto.FILETYPE_ASN1, cert))
    built.verify_directly_issued_by(built)
    assert built.version == x509.Version.v3
    assert built.serial_number == 0xC0FFEE
    assert built.subject == make_name(C="US", O="Builder", CN="built.example")
    assert built.issuer == built.subject
    assert built.public_key().public_numbers() == key.public_key().public_numbers()
    assert isinstance(built.signature_hash_algorithm, hashes.SHA256)
    now = datetime.datetime.now(UTC)
    assert built.not_valid_before_utc <= now <= built.not_valid_after_utc
    assert built.not_valid_after_utc - built.not_valid_before_utc == datetime.timedelta(
        seconds=24 * 3600 + 60
    )
    assert cert.get_signature_algorithm() == b"sha256WithRSAEncryption"
    assert cert.has_expired() is False


def test_builder_produces_self_signed_certificate_ec():
    cert = _build(ec_key(2), digest="sha384")
    built = cert.to_cryptography()
    built.verify_directly_issued_by(built)
    assert cert.get_signature_algorithm() == b"ecdsa-with-SHA384"


def test_builder_signing_with_issuer_key():
    c = chain()
    leaf_key = ec_key(3)
    cert = crypto.X509()
    cert.set_version(2)
    cert.set_serial_number(99)
    cert.get_subject().CN = "leaf-built.example"
    cert.set_issuer(crypto.X509.from_cryptography(c.intermediate.cert).get_subject())
    cert.gmtime_adj_notBefore(0)
    cert.gmtime_adj_notAfter(3600)
    cert.set_pubkey(crypto.PKey.from_cryptography_key(leaf_key))
    cert.sign(crypto.PKey.from_cryptography_key(c.intermediate.key), "sha256")
    cert.to_cryptography().verify_directly_issued_by(c.intermediate.cert)


def test_builder_version_1():
    cert = _build(ec_key(2))
    cert.set_version(0)
    key = crypto.PKey.from_cryptography_key(ec_key(2))
    cert.sign(key, "sha256")
    assert cert.get_version() == 0
    assert cert.to_cryptography().version == x509.Version.v1


def test_set_serial_number_roundtrip():
    cert = crypto.X509()
    for serial in (0, 1, 0x7F, 0x80, 2**64, 2**100 + 5):
        cert.set_serial_number(serial)
        assert cert.get_serial_number() == serial


def test_set_validity_roundtrip():
    cert = crypto.X509()
    cert.set_notBefore(b"20250101000000Z")
    cert.set_notAfter(b"20300615123456Z")
    assert cert.get_notBefore() == b"20250101000000Z"
    assert cert.get_notAfter() == b"20300615123456Z"


def test_set_validity_two_digit_year_comes_back_four_digit():
    cert = crypto.X509()
    cert.set_notBefore(b"250101000000Z")
    assert cert.get_notBefore() == b"20250101000000Z"


def test_gmtime_adj_sets_relative_to_now():
    cert = crypto.X509()
    cert.gmtime_adj_notBefore(0)
    cert.gmtime_adj_notAfter(3600)
    fmt = "%Y%m%d%H%M%SZ"
    before = datetime.datetime.strptime(cert.get_notBefore().decode(), fmt).replace(tzinfo=UTC)
    after = datetime.datetime.strptime(cert.get_notAfter().decode(), fmt).replace(tzinfo=UTC)
    now = datetime.datetime.now(UTC)
    assert abs((now - before).total_seconds()) < 30
    assert after - before == datetime.timedelta(hours=1)


def test_gmtime_adj_into_the_past_expires():
    cert = crypto.X509()
    cert.gmtime_adj_notAfter(-3600)
    assert cert.has_expired() is True
    cert.gmtime_adj_notAfter(3600)
    assert cert.has_expired() is False


@pytest.mark.parametrize("bad", [b"garbage", b"", b"2025010100Z", b"20251301000000Z"])
def test_set_time_invalid_string_is_value_error(bad):
    cert = crypto.X509()
    with pytest.raises(ValueError) as info:
        cert.set_notBefore(bad)
    assert info.value.args == ("Invalid string",)
    with pytest.raises(ValueError):
        cert.set_notAfter(bad)


@pytest.mark.parametrize("method", ["set_notBefore", "set_notAfter"])
def test_set_time_requires_bytes(method):
    with pytest.raises(TypeError) as info:
        getattr(crypto.X509(), method)("20250101000000Z")
    assert info.value.args == ("when must be a byte string",)


def test_builder_type_errors():
    cert = crypto.X509()
    with pytest.raises(TypeError) as info:
        cert.set_version("2")
    assert info.value.args == ("version must be an integer",)
    with pytest.raises(TypeError) as info:
        cert.set_serial_number("1")
    assert info.value.args == ("serial must be an integer",)
    with pytest.raises(TypeError) as info:
        cert.gmtime_adj_notBefore("1")
    assert info.value.args == ("amount must be an integer",)
    with pytest.raises(TypeError) as info:
        cert.gmtime_adj_notAfter(1.5)
    assert info.value.args == ("amount must be an integer",)
    with pytest.raises(TypeError) as info:
        cert.set_pubkey(rsa_key(2))
    assert info.value.args == ("pkey must be a PKey instance",)
    with pytest.raises(TypeError) as info:
        cert.set_subject("CN=x")
    assert info.value.args == ("name must be an X509Name",)
    with pytest.raises(TypeError) as info:
        cert.set_issuer(make_name("x"))
    assert info.value.args == ("name must be an X509Name",)


def test_sign_argument_errors():
    cert = crypto.X509()
    pkey = crypto.PKey.from_cryptography_key(rsa_key(2))
    with pytest.raises(TypeError) as info:
        cert.sign(rsa_key(2), "sha256")
    assert info.value.args == ("pkey must be a PKey instance",)
    with pytest.raises(ValueError) as info:
        cert.sign(_load().get_pubkey(), "sha256")
    assert info.value.args == ("Key only has public part",)
    with pytest.raises(ValueError) as info:
        cert.sign(crypto.PKey(), "sha256")
    assert info.value.args == ("Key is uninitialized",)
    with pytest.raises(ValueError) as info:
        cert.sign(pkey, "no-such-digest")
    assert info.value.args == ("No such digest method",)


def test_set_subject_invalidates_earlier_subject_names():
    cert = _load()
    old_subject = cert.get_subject()
    old_issuer = cert.get_issuer()
    replacement = crypto.X509Name(old_subject)
    replacement.CN = "replaced.example"
    cert.set_subject(replacement)
    assert cert.get_subject().CN == "replaced.example"
    with pytest.raises(AttributeError):
        old_subject.CN
    # the issuer name is untouched
    assert old_issuer.CN == "example.com"
    cert.set_issuer(replacement)
    with pytest.raises(AttributeError):
        old_issuer.CN
    # the name that was passed in stays usable
    assert replacement.CN == "replaced.example"


def test_set_subject_copies_the_name():
    cert = crypto.X509()
    name = crypto.X509Name(_load().get_subject())
    cert.set_subject(name)
    name.CN = "after.example"
    assert cert.get_subject().CN == "example.com"


# ---------------------------------------------------------------------------
# the empty X509()


def test_empty_x509_getters():
    cert = crypto.X509()
    assert cert.get_version() == 0
    assert cert.get_serial_number() == 0
    assert cert.get_notBefore() is None
    assert cert.get_notAfter() is None
    assert cert.get_extension_count() == 0
    assert cert.get_subject().get_components() == []
    assert cert.get_issuer().get_components() == []
    assert repr(cert.get_subject()) == "<X509Name object ''>"
    assert cert.get_subject().der() == b"0\x00"


def test_empty_x509_has_expired_is_value_error():
    with pytest.raises(ValueError) as info:
        crypto.X509().has_expired()
    assert info.value.args == ("Unable to determine notAfter",)


def test_empty_x509_signature_algorithm_is_value_error():
    with pytest.raises(ValueError) as info:
        crypto.X509().get_signature_algorithm()
    assert info.value.args == ("Undefined signature algorithm",)


def test_empty_x509_get_pubkey_is_error():
    with pytest.raises(crypto.Error):
        crypto.X509().get_pubkey()
    assert _load().get_serial_number() == 0x1234ABCD


@pytest.mark.parametrize("filetype", [crypto.FILETYPE_PEM, crypto.FILETYPE_ASN1])
def test_empty_x509_cannot_be_serialised(filetype):
    with pytest.raises(crypto.Error):
        crypto.dump_certificate(filetype, crypto.X509())
    with pytest.raises(crypto.Error):
        crypto.X509().to_cryptography()
    with pytest.raises(crypto.Error):
        crypto.X509().digest("sha256")
    assert crypto.dump_certificate(filetype, _load())


def test_empty_x509_subject_name_hash_is_int():
    cert = crypto.X509()
    assert cert.subject_name_hash() == cert.get_subject().hash()


# ---------------------------------------------------------------------------
# malformed input


def _still_works():
    cert = crypto.load_certificate(crypto.FILETYPE_PEM, simple_cert().pem)
    assert cert.get_serial_number() == 0x1234ABCD
    der = crypto.load_certificate(crypto.FILETYPE_ASN1, simple_cert().der)
    assert der.digest("sha256") == cert.digest("sha256")


MALFORMED = [
    ("truncated-pem", crypto.FILETYPE_PEM, lambda: simple_cert().pem[:200]),
    ("pem-without-end", crypto.FILETYPE_PEM, lambda: simple_cert().pem[:-30]),
    ("empty-pem", crypto.FILETYPE_PEM, lambda: b""),
    ("empty-der", crypto.FILETYPE_ASN1, lambda: b""),
    ("garbage-der", crypto.FILETYPE_ASN1, lambda: b"\x30\x82\x01\x00garbage"),
    ("truncated-der", crypto.FILETYPE_ASN1, lambda: simple_cert().der[:100]),
    ("der-as-pem", crypto.FILETYPE_PEM, lambda: simple_cert().der),
    ("pem-as-der", crypto.FILETYPE_ASN1, lambda: simple_cert().pem),
    ("key-as-cert", crypto.FILETYPE_PEM, lambda: key_pem(rsa_key(1))),
    ("nul-prefixed", crypto.FILETYPE_PEM, lambda: b"\x00" + simple_cert().pem),
    ("text", crypto.FILETYPE_PEM, lambda: b"hello world"),
    ("none-pem", crypto.FILETYPE_PEM, lambda: None),
]


@pytest.mark.parametrize("label, filetype, data", MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_certificate_is_crypto_error(label, filetype, data):
    with pytest.raises(crypto.Error) as info:
        crypto.load_certificate(filetype, data())
    assert len(info.value.args) == 1
    assert isinstance(info.value.args[0], list)
    for entry in info.value.args[0]:
        assert isinstance(entry, tuple) and len(entry) == 3
        assert all(isinstance(part, str) for part in entry)
    _still_works()


@pytest.mark.parametrize("bad", [5, 1.5, bytearray(b"x"), memoryview(b"x"), object()])
def test_load_certificate_wrong_buffer_type_is_type_error(bad):
    with pytest.raises(TypeError):
        crypto.load_certificate(crypto.FILETYPE_PEM, bad)
    _still_works()


def test_load_certificate_non_ascii_str():
    with pytest.raises(UnicodeEncodeError):
        crypto.load_certificate(crypto.FILETYPE_PEM, "\u00e9")
    _still_works()


@pytest.mark.parametrize("bad", [None, b"cert", "cert"])
def test_dump_certificate_non_x509_is_attribute_error(bad):
    with pytest.raises(AttributeError):
        crypto.dump_certificate(crypto.FILETYPE_PEM, bad)
    _still_works()


def test_dump_certificate_cryptography_object_is_attribute_error():
    with pytest.raises(AttributeError):
        crypto.dump_certificate(crypto.FILETYPE_PEM, simple_cert().cert)


@pytest.mark.parametrize("bad", [b"sha256", 5])
def test_digest_name_must_be_str(bad):
    with pytest.raises(AttributeError):
        _load().digest(bad)
    _still_works()
