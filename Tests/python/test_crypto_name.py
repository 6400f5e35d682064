"""OpenSSL.crypto.X509Name: attribute access, comparison, hashing, DER,
components, repr and the (deprecated) copy constructor.

Encodes pyOpenSSL 26.4's behaviour; run against the reference with
PYOPENSSL_REFERENCE=1."""

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import warnings

import pytest
from cryptography import x509

from OpenSSL import crypto

from certs_for_tests import ec_key, make_cert, make_name, simple_cert

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

X509NAME_WARNING = (
    "X509Name support in pyOpenSSL is deprecated. You should use the APIs in cryptography."
)


def _name_of(name: x509.Name) -> crypto.X509Name:
    """An independent X509Name holding *name* (via a throwaway certificate)."""
    cert = crypto.X509.from_cryptography(make_cert(name, ec_key(1)))
    return crypto.X509Name(cert.get_subject())


def _example():
    return _name_of(make_name(C="US", O="Example", CN="example.com"))


# ---------------------------------------------------------------------------
# construction


def test_copy_constructor_warns():
    source = _example()
    with pytest.warns(DeprecationWarning) as record:
        crypto.X509Name(source)
    assert [str(w.message) for w in record] == [X509NAME_WARNING]
    assert record[0].filename == __file__


def test_copy_constructor_makes_an_independent_copy():
    original = _example()
    copy = crypto.X509Name(original)
    assert copy == original
    assert copy is not original
    copy.CN = "copy.example"
    assert original.CN == "example.com"
    assert copy.CN == "copy.example"
    assert copy != original


def test_copy_of_a_certificate_subject_is_detached():
    cert = crypto.load_certificate(crypto.FILETYPE_PEM, simple_cert().pem)
    copy = crypto.X509Name(cert.get_subject())
    copy.O = "Other"
    assert cert.get_subject().O == "Example"


def test_constructor_requires_a_name():
    with pytest.raises(TypeError):
        crypto.X509Name()


@pytest.mark.parametrize("bad", [None, "CN=x", make_name("x")], ids=["none", "str", "cryptography"])
def test_constructor_rejects_non_x509name(bad):
    with pytest.raises(AttributeError):
        crypto.X509Name(bad)


def test_isinstance_of_certificate_names():
    cert = crypto.load_certificate(crypto.FILETYPE_PEM, simple_cert().pem)
    assert isinstance(cert.get_subject(), crypto.X509Name)
    assert type(cert.get_subject()) is crypto.X509Name


def test_getting_names_from_certificates_does_not_warn_about_x509name():
    cert = crypto.load_certificate(crypto.FILETYPE_PEM, simple_cert().pem)
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        cert.get_subject()
    # only the get_subject deprecation, not the X509Name class one
    assert [str(w.message) for w in record] == [
        "X509.get_subject is deprecated. You should use cryptography's X.509 APIs instead."
    ]


# ---------------------------------------------------------------------------
# attribute access


@pytest.mark.parametrize(
    "short, long, value",
    [
        ("C", "countryName", "US"),
        ("O", "organizationName", "Example"),
        ("CN", "commonName", "example.com"),
    ],
)
def test_get_by_short_and_long_name(short, long, value):
    name = _example()
    assert getattr(name, short) == value
    assert getattr(name, long) == value


@pytest.mark.parametrize(
    "attr", ["ST", "stateOrProvinceName", "L", "localityName", "OU",
             "organizationalUnitName", "emailAddress", "serialNumber", "UID"]
)
def test_missing_known_attribute_is_none(attr):
    assert getattr(_example(), attr) is None


@pytest.mark.parametrize(
    "attr, value, short",
    [
        ("C", "DE", b"C"),
        ("countryName", "FR", b"C"),
        ("ST", "Bavaria", b"ST"),
        ("stateOrProvinceName", "Texas", b"ST"),
        ("L", "Munich", b"L"),
        ("localityName", "Austin", b"L"),
        ("O", "Org", b"O"),
        ("organizationName", "Org Inc", b"O"),
        ("OU", "Unit", b"OU"),
        ("organizationalUnitName", "Unit 2", b"OU"),
        ("CN", "cn.example", b"CN"),
        ("commonName", "cn2.example", b"CN"),
        ("emailAddress", "someone@example.com", b"emailAddress"),
        ("serialNumber", "12345", b"serialNumber"),
        ("UID", "uid-1", b"UID"),
        ("givenName", "Jane", b"GN"),
        ("SN", "Doe", b"SN"),
        ("DC", "example", b"DC"),
        ("2.5.4.3", "by-oid.example", b"CN"),
    ],
)
def test_set_and_get(attr, value, short):
    name = _example()
    setattr(name, attr, value)
    assert getattr(name, attr) == value
    components = dict(name.get_components())
    assert components[short] == value.encode()


def test_short_and_long_names_are_the_same_entry():
    name = _example()
    name.commonName = "long.example"
    assert name.CN == "long.example"
    name.CN = "short.example"
    assert name.commonName == "short.example"
    assert [k for k, v in name.get_components()].count(b"CN") == 1


def test_set_replaces_existing_entry_and_moves_it_to_the_end():
    name = _example()
    name.C = "DE"
    assert name.get_components() == [(b"O", b"Example"), (b"CN", b"example.com"), (b"C", b"DE")]
    assert repr(name) == "<X509Name object '/O=Example/CN=example.com/C=DE'>"


def test_new_entries_are_appended_in_order():
    name = crypto.X509Name(crypto.X509().get_subject())
    name.CN = "first"
    name.O = "second"
    name.emailAddress = "third@example.com"
    assert name.get_components() == [
        (b"CN", b"first"), (b"O", b"second"), (b"emailAddress", b"third@example.com"),
    ]


def test_set_bytes_value():
    name = _example()
    name.OU = b"Bytes Unit"
    assert name.OU == "Bytes Unit"
    assert dict(name.get_components())[b"OU"] == b"Bytes Unit"


def test_set_non_ascii_value():
    name = _example()
    name.L = "Z\u00fcrich"
    assert name.L == "Z\u00fcrich"
    assert dict(name.get_components())[b"L"] == "Z\u00fcrich".encode()
    assert repr(name) == "<X509Name object '/C=US/O=Example/CN=example.com/L=Z\\xC3\\xBCrich'>"


def test_value_with_embedded_nul():
    name = _example()
    name.OU = "a\x00b"
    assert name.OU == "a\x00b"
    assert dict(name.get_components())[b"OU"] == b"a\x00b"


@pytest.mark.parametrize("attr", ["bogus", "notAnAttribute", "cn_", "x"])
def test_get_unknown_attribute_is_attribute_error(attr):
    with pytest.raises(AttributeError) as info:
        getattr(_example(), attr)
    assert info.value.args == ("No such attribute",)


@pytest.mark.parametrize("attr", ["bogus", "notAnAttribute"])
def test_set_unknown_attribute_is_attribute_error(attr):
    name = _example()
    with pytest.raises(AttributeError) as info:
        setattr(name, attr, "value")
    assert info.value.args == ("No such attribute",)
    assert name.get_components() == _example().get_components()


def test_unknown_attribute_leaves_no_error_behind():
    name = _example()
    with pytest.raises(AttributeError):
        name.bogus
    with pytest.raises(AttributeError):
        name.bogus = "x"
    # a following operation that reads the OpenSSL error queue still works
    cert = crypto.load_certificate(crypto.FILETYPE_PEM, simple_cert().pem)
    assert cert.get_serial_number() == 0x1234ABCD
    name.CN = "fine.example"
    assert name.CN == "fine.example"


@pytest.mark.parametrize("value", [5, None, 1.5, ["x"]], ids=["int", "none", "float", "list"])
def test_set_non_text_value_is_type_error(value):
    name = _example()
    with pytest.raises(TypeError):
        name.O = value


def test_set_non_text_value_removes_the_old_entry():
    # pyOpenSSL deletes the existing entry before it looks at the value
    name = _example()
    with pytest.raises(TypeError):
        name.CN = 5
    assert name.CN is None
    assert name.get_components() == [(b"C", b"US"), (b"O", b"Example")]


@pytest.mark.parametrize(
    "attr, value",
    [("C", "USA"), ("C", "U"), ("CN", "x" * 65), ("OU", "")],
    ids=["country-too-long", "country-too-short", "cn-too-long", "empty-ou"],
)
def test_value_violating_size_limits_is_crypto_error(attr, value):
    name = _example()
    with pytest.raises(crypto.Error) as info:
        setattr(name, attr, value)
    assert isinstance(info.value.args[0], list)
    # the name keeps working afterwards
    name.L = "Berlin"
    assert name.L == "Berlin"


def test_failed_set_drops_previous_value():
    name = _example()
    with pytest.raises(crypto.Error):
        name.C = "USA"
    assert name.C is None
    assert name.get_components() == [(b"O", b"Example"), (b"CN", b"example.com")]


def test_private_attributes_bypass_name_lookup():
    name = _example()
    name._scratch = 42
    assert name._scratch == 42
    assert name.get_components() == _example().get_components()
    with pytest.raises(AttributeError):
        name._not_set


# ---------------------------------------------------------------------------
# comparison and hashing


def test_equality():
    assert _example() == _example()
    assert not (_example() != _example())
    other = _name_of(make_name(C="US", O="Example", CN="other.example"))
    assert _example() != other
    assert not (_example() == other)


def test_equality_is_case_and_space_insensitive():
    # X509_NAME_cmp compares the canonical encodings
    assert _name_of(make_name("Example.COM")) == _name_of(make_name("example.com"))
    assert _name_of(make_name("a  b")) == _name_of(make_name("a b"))
    assert _name_of(make_name("a b")) != _name_of(make_name("ab"))


def test_comparison_with_other_types():
    name = _example()
    assert (name == "example.com") is False
    assert (name != "example.com") is True
    assert (name == None) is False  # noqa: E711
    with pytest.raises(TypeError):
        name < "x"
    with pytest.raises(TypeError):
        name > 5
    with pytest.raises(TypeError):
        name <= None


def test_ordering():
    a = _name_of(make_name("a"))
    b = _name_of(make_name("b"))
    assert a < b
    assert a <= b
    assert b > a
    assert b >= a
    assert not (b < a)
    assert a <= _name_of(make_name("a"))
    assert a >= _name_of(make_name("a"))
    assert not (a < _name_of(make_name("a")))


def test_ordering_compares_encoding_length_first():
    # a shorter canonical encoding sorts first, whatever its content
    short = _name_of(make_name("zz"))
    longer = _name_of(make_name("aaa"))
    assert short < longer
    assert sorted([longer, short]) == [short, longer]


def test_ordering_is_consistent():
    names = [
        _name_of(make_name(n))
        for n in ("delta", "alpha", "charlie", "bravo", "al", "alphabet")
    ]
    for x in names:
        for y in names:
            assert (x < y) + (y < x) + (x == y) == 1


def test_builtin_hash_is_unsupported():
    with pytest.raises(TypeError):
        hash(_example())


def test_hash_method():
    name = _example()
    value = name.hash()
    assert isinstance(value, int)
    assert 0 <= value < 2**32
    assert value == _example().hash()
    cert = crypto.load_certificate(crypto.FILETYPE_PEM, simple_cert().pem)
    assert value == cert.subject_name_hash()
    assert _name_of(make_name("Example.COM")).hash() == _name_of(make_name("example.com")).hash()
    assert _name_of(make_name("one")).hash() != _name_of(make_name("two")).hash()


# ---------------------------------------------------------------------------
# der, components, repr


def test_der_matches_cryptography():
    expected = make_name(C="US", O="Example", CN="example.com").public_bytes()
    assert _example().der() == expected
    assert x509.Name.from_bytes(_example().der()) == make_name(C="US", O="Example", CN="example.com")


def test_der_follows_modifications():
    name = _example()
    name.CN = "modified.example"
    assert x509.Name.from_bytes(name.der()).rfc4514_string() == "CN=modified.example,O=Example,C=US"


def test_der_of_empty_name():
    name = crypto.X509Name(crypto.X509().get_subject())
    assert name.der() == b"0\x00"
    assert name.get_components() == []


def test_get_components():
    components = _example().get_components()
    assert components == [(b"C", b"US"), (b"O", b"Example"), (b"CN", b"example.com")]
    for key, value in components:
        assert type(key) is bytes
        assert type(value) is bytes


def test_get_components_uses_short_names():
    name = crypto.X509Name(crypto.X509().get_subject())
    name.organizationalUnitName = "Unit"
    name.stateOrProvinceName = "State"
    name.localityName = "Town"
    assert name.get_components() == [(b"OU", b"Unit"), (b"ST", b"State"), (b"L", b"Town")]


def test_repr():
    assert repr(_example()) == "<X509Name object '/C=US/O=Example/CN=example.com'>"


def test_repr_with_email_and_empty():
    name = crypto.X509Name(crypto.X509().get_subject())
    assert repr(name) == "<X509Name object ''>"
    name.CN = "mail"
    name.emailAddress = "a@b.example"
    assert repr(name) == "<X509Name object '/CN=mail/emailAddress=a@b.example'>"


def test_str_is_repr():
    assert str(_example()) == repr(_example())
