"""OpenSSL.crypto.X509Store, X509StoreContext, X509StoreFlags and
X509StoreContextError: chain building, trust, time, CRLs, locations.

Encodes pyOpenSSL 26.4's behaviour; run against the reference with
PYOPENSSL_REFERENCE=1."""

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import datetime
import shutil
import subprocess

import pytest

from OpenSSL import crypto

from certs_for_tests import (
    UTC,
    cert_pem,
    chain,
    expired_cert,
    make_crl,
    other_chain,
    simple_cert,
)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

# X509_V_ERR_* codes (stable OpenSSL ABI numbers)
ERR_UNABLE_TO_GET_ISSUER_CERT = 2
ERR_UNABLE_TO_GET_CRL = 3
ERR_CERT_NOT_YET_VALID = 9
ERR_CERT_HAS_EXPIRED = 10
ERR_DEPTH_ZERO_SELF_SIGNED_CERT = 18
ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY = 20
ERR_CERT_REVOKED = 23


def X(cert):
    return crypto.X509.from_cryptography(cert)


@pytest.fixture
def pki():
    c = chain()
    return {
        "root": X(c.root.cert),
        "intermediate": X(c.intermediate.cert),
        "server": X(c.server.cert),
        "client": X(c.client.cert),
        "chain": c,
    }


def _store(*certs, flags=None):
    store = crypto.X509Store()
    for cert in certs:
        store.add_cert(cert)
    if flags is not None:
        store.set_flags(flags)
    return store


def _subject(x509_cert):
    return x509_cert.to_cryptography().subject


def _check_error(exc, code, depth=None, subject=None):
    assert isinstance(exc, crypto.X509StoreContextError)
    assert isinstance(exc.errors, list)
    assert len(exc.errors) == 3
    err_code, err_depth, message = exc.errors
    assert err_code == code
    if depth is not None:
        assert err_depth == depth
    assert isinstance(message, str) and message
    assert exc.args == (message,)
    assert str(exc) == message
    assert isinstance(exc.certificate, crypto.X509)
    if subject is not None:
        assert _subject(exc.certificate) == subject


# ---------------------------------------------------------------------------
# flags and the exception class


def test_store_flags_values():
    flags = crypto.X509StoreFlags
    assert flags.CRL_CHECK == 0x4
    assert flags.CRL_CHECK_ALL == 0x8
    assert flags.IGNORE_CRITICAL == 0x10
    assert flags.X509_STRICT == 0x20
    assert flags.ALLOW_PROXY_CERTS == 0x40
    assert flags.POLICY_CHECK == 0x80
    assert flags.EXPLICIT_POLICY == 0x100
    assert flags.INHIBIT_MAP == 0x400
    assert flags.CHECK_SS_SIGNATURE == 0x4000
    assert flags.PARTIAL_CHAIN == 0x80000


def test_store_context_error_class(pki):
    assert issubclass(crypto.X509StoreContextError, Exception)
    assert not issubclass(crypto.X509StoreContextError, crypto.Error)
    exc = crypto.X509StoreContextError("boom", [1, 2, "boom"], pki["server"])
    assert exc.args == ("boom",)
    assert str(exc) == "boom"
    assert exc.errors == [1, 2, "boom"]
    assert exc.certificate is pki["server"]


# ---------------------------------------------------------------------------
# success


def test_verify_with_intermediate_in_chain(pki):
    ctx = crypto.X509StoreContext(_store(pki["root"]), pki["server"], [pki["intermediate"]])
    assert ctx.verify_certificate() is None


def test_verify_with_intermediate_in_store(pki):
    ctx = crypto.X509StoreContext(_store(pki["root"], pki["intermediate"]), pki["server"])
    assert ctx.verify_certificate() is None
    client = crypto.X509StoreContext(_store(pki["root"], pki["intermediate"]), pki["client"])
    assert client.verify_certificate() is None


def test_verify_trusted_root_itself(pki):
    assert crypto.X509StoreContext(_store(pki["root"]), pki["root"]).verify_certificate() is None


def test_chain_may_be_a_tuple(pki):
    ctx = crypto.X509StoreContext(_store(pki["root"]), pki["server"], (pki["intermediate"],))
    ctx.verify_certificate()


def test_verify_can_be_repeated(pki):
    ctx = crypto.X509StoreContext(_store(pki["root"]), pki["server"], [pki["intermediate"]])
    ctx.verify_certificate()
    ctx.verify_certificate()
    assert len(ctx.get_verified_chain()) == 3


def test_get_verified_chain(pki):
    ctx = crypto.X509StoreContext(_store(pki["root"]), pki["server"], [pki["intermediate"]])
    verified = ctx.get_verified_chain()
    assert isinstance(verified, list)
    assert all(isinstance(cert, crypto.X509) for cert in verified)
    c = pki["chain"]
    assert [cert.to_cryptography() for cert in verified] == [
        c.server.cert, c.intermediate.cert, c.root.cert,
    ]


def test_get_verified_chain_of_root(pki):
    verified = crypto.X509StoreContext(_store(pki["root"]), pki["root"]).get_verified_chain()
    assert [cert.to_cryptography() for cert in verified] == [pki["chain"].root.cert]


def test_add_cert_twice_is_fine(pki):
    store = crypto.X509Store()
    store.add_cert(pki["root"])
    assert store.add_cert(pki["root"]) is None
    crypto.X509StoreContext(store, pki["server"], [pki["intermediate"]]).verify_certificate()


def test_store_outlives_added_certificate_object(pki):
    import gc

    store = crypto.X509Store()
    store.add_cert(X(pki["chain"].root.cert))
    gc.collect()
    crypto.X509StoreContext(store, pki["server"], [pki["intermediate"]]).verify_certificate()


# ---------------------------------------------------------------------------
# failures


def test_missing_intermediate(pki):
    ctx = crypto.X509StoreContext(_store(pki["root"]), pki["server"])
    with pytest.raises(crypto.X509StoreContextError) as info:
        ctx.verify_certificate()
    _check_error(info.value, ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, 0,
                 pki["chain"].server.cert.subject)


def test_empty_chain_list_is_no_chain(pki):
    ctx = crypto.X509StoreContext(_store(pki["root"]), pki["server"], [])
    with pytest.raises(crypto.X509StoreContextError) as info:
        ctx.verify_certificate()
    _check_error(info.value, ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, 0)


def test_get_verified_chain_raises_the_same_error(pki):
    ctx = crypto.X509StoreContext(_store(pki["root"]), pki["server"])
    with pytest.raises(crypto.X509StoreContextError) as info:
        ctx.get_verified_chain()
    _check_error(info.value, ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, 0)


def test_empty_store(pki):
    ctx = crypto.X509StoreContext(crypto.X509Store(), pki["server"], [pki["intermediate"]])
    with pytest.raises(crypto.X509StoreContextError) as info:
        ctx.verify_certificate()
    _check_error(info.value, ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, 1,
                 pki["chain"].intermediate.cert.subject)


def test_wrong_issuer_untrusted_root(pki):
    o = other_chain()
    ctx = crypto.X509StoreContext(
        _store(pki["root"]), X(o.server.cert), [X(o.intermediate.cert)]
    )
    with pytest.raises(crypto.X509StoreContextError) as info:
        ctx.verify_certificate()
    _check_error(info.value, ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, 1,
                 o.intermediate.cert.subject)


def test_untrusted_self_signed_root(pki):
    o = other_chain()
    ctx = crypto.X509StoreContext(_store(pki["root"]), X(o.root.cert))
    with pytest.raises(crypto.X509StoreContextError) as info:
        ctx.verify_certificate()
    _check_error(info.value, ERR_DEPTH_ZERO_SELF_SIGNED_CERT, 0, o.root.cert.subject)


def test_untrusted_self_signed_leaf(pki):
    ctx = crypto.X509StoreContext(_store(pki["root"]), X(simple_cert().cert))
    with pytest.raises(crypto.X509StoreContextError) as info:
        ctx.verify_certificate()
    _check_error(info.value, ERR_DEPTH_ZERO_SELF_SIGNED_CERT, 0, simple_cert().cert.subject)


def test_chain_with_unrelated_intermediate(pki):
    o = other_chain()
    ctx = crypto.X509StoreContext(_store(pki["root"]), pki["server"], [X(o.intermediate.cert)])
    with pytest.raises(crypto.X509StoreContextError) as info:
        ctx.verify_certificate()
    _check_error(info.value, ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, 0)


def test_expired_certificate(pki):
    ctx = crypto.X509StoreContext(
        _store(pki["root"]), X(expired_cert().cert), [pki["intermediate"]]
    )
    with pytest.raises(crypto.X509StoreContextError) as info:
        ctx.verify_certificate()
    _check_error(info.value, ERR_CERT_HAS_EXPIRED, 0, expired_cert().cert.subject)


def test_only_intermediate_trusted_without_partial_chain(pki):
    ctx = crypto.X509StoreContext(_store(pki["intermediate"]), pki["server"])
    with pytest.raises(crypto.X509StoreContextError) as info:
        ctx.verify_certificate()
    _check_error(info.value, ERR_UNABLE_TO_GET_ISSUER_CERT, 1,
                 pki["chain"].intermediate.cert.subject)


def test_partial_chain_flag_trusts_the_intermediate(pki):
    store = _store(pki["intermediate"], flags=crypto.X509StoreFlags.PARTIAL_CHAIN)
    ctx = crypto.X509StoreContext(store, pki["server"])
    assert ctx.verify_certificate() is None
    verified = ctx.get_verified_chain()
    assert [cert.to_cryptography() for cert in verified] == [
        pki["chain"].server.cert, pki["chain"].intermediate.cert,
    ]


def test_partial_chain_does_not_trust_strangers(pki):
    store = _store(pki["intermediate"], flags=crypto.X509StoreFlags.PARTIAL_CHAIN)
    o = other_chain()
    ctx = crypto.X509StoreContext(store, X(o.server.cert), [X(o.intermediate.cert)])
    with pytest.raises(crypto.X509StoreContextError):
        ctx.verify_certificate()


def test_error_certificate_is_a_copy(pki):
    ctx = crypto.X509StoreContext(_store(pki["root"]), pki["server"])
    with pytest.raises(crypto.X509StoreContextError) as info:
        ctx.verify_certificate()
    cert = info.value.certificate
    assert cert is not pki["server"]
    assert crypto.dump_certificate(crypto.FILETYPE_ASN1, cert) == pki["chain"].server.der


def test_failure_then_success_on_same_context(pki):
    ctx = crypto.X509StoreContext(crypto.X509Store(), pki["server"], [pki["intermediate"]])
    with pytest.raises(crypto.X509StoreContextError):
        ctx.verify_certificate()
    ctx.set_store(_store(pki["root"]))
    assert ctx.verify_certificate() is None


# ---------------------------------------------------------------------------
# set_store


def test_set_store_switches_trust(pki):
    ctx = crypto.X509StoreContext(_store(pki["root"]), pki["server"], [pki["intermediate"]])
    ctx.verify_certificate()
    assert ctx.set_store(_store(X(other_chain().root.cert))) is None
    with pytest.raises(crypto.X509StoreContextError):
        ctx.verify_certificate()


# ---------------------------------------------------------------------------
# time


def test_set_time_makes_expired_certificate_valid(pki):
    store = _store(pki["root"])
    store.set_time(datetime.datetime(2020, 6, 1))
    ctx = crypto.X509StoreContext(store, X(expired_cert().cert), [pki["intermediate"]])
    assert ctx.verify_certificate() is None


def test_set_time_accepts_aware_datetime(pki):
    store = _store(pki["root"])
    store.set_time(datetime.datetime(2020, 6, 1, 12, 0, tzinfo=UTC))
    crypto.X509StoreContext(store, X(expired_cert().cert), [pki["intermediate"]]).verify_certificate()


def test_set_time_in_the_future_expires_valid_chain(pki):
    store = _store(pki["root"])
    store.set_time(datetime.datetime(2100, 1, 1))
    ctx = crypto.X509StoreContext(store, pki["server"], [pki["intermediate"]])
    with pytest.raises(crypto.X509StoreContextError) as info:
        ctx.verify_certificate()
    _check_error(info.value, ERR_CERT_HAS_EXPIRED)


def test_set_time_before_validity_is_not_yet_valid(pki):
    store = _store(pki["root"])
    store.set_time(datetime.datetime(2010, 1, 1))
    ctx = crypto.X509StoreContext(store, pki["server"], [pki["intermediate"]])
    with pytest.raises(crypto.X509StoreContextError) as info:
        ctx.verify_certificate()
    _check_error(info.value, ERR_CERT_NOT_YET_VALID)


def test_set_time_leaf_not_yet_valid(pki):
    # the intermediate and root are valid in 2019-12, the expired leaf is not
    store = _store(pki["root"])
    store.set_time(datetime.datetime(2019, 12, 1))
    ctx = crypto.X509StoreContext(store, X(expired_cert().cert), [pki["intermediate"]])
    with pytest.raises(crypto.X509StoreContextError) as info:
        ctx.verify_certificate()
    _check_error(info.value, ERR_CERT_NOT_YET_VALID, 0, expired_cert().cert.subject)


def test_set_time_requires_datetime():
    with pytest.raises(AttributeError):
        crypto.X509Store().set_time("2020-01-01")


# ---------------------------------------------------------------------------
# CRLs


@pytest.fixture
def crl_store(pki):
    c = pki["chain"]
    crl = make_crl(c.intermediate.cert, c.intermediate.key, [c.server.cert.serial_number])
    store = _store(pki["root"], pki["intermediate"])
    assert store.add_crl(crl) is None
    return store


def test_crl_ignored_without_flag(pki, crl_store):
    crypto.X509StoreContext(crl_store, pki["server"]).verify_certificate()


def test_revoked_certificate_fails_with_crl_check(pki, crl_store):
    crl_store.set_flags(crypto.X509StoreFlags.CRL_CHECK)
    ctx = crypto.X509StoreContext(crl_store, pki["server"])
    with pytest.raises(crypto.X509StoreContextError) as info:
        ctx.verify_certificate()
    _check_error(info.value, ERR_CERT_REVOKED, 0, pki["chain"].server.cert.subject)


def test_unrevoked_certificate_passes_crl_check(pki, crl_store):
    crl_store.set_flags(crypto.X509StoreFlags.CRL_CHECK)
    crypto.X509StoreContext(crl_store, pki["client"]).verify_certificate()


def test_crl_check_all_needs_crls_for_every_level(pki, crl_store):
    crl_store.set_flags(crypto.X509StoreFlags.CRL_CHECK | crypto.X509StoreFlags.CRL_CHECK_ALL)
    ctx = crypto.X509StoreContext(crl_store, pki["client"])
    with pytest.raises(crypto.X509StoreContextError) as info:
        ctx.verify_certificate()
    _check_error(info.value, ERR_UNABLE_TO_GET_CRL, 1)
    c = pki["chain"]
    crl_store.add_crl(make_crl(c.root.cert, c.root.key))
    crypto.X509StoreContext(crl_store, pki["client"]).verify_certificate()


def test_crl_check_without_crl(pki):
    store = _store(pki["root"], flags=crypto.X509StoreFlags.CRL_CHECK)
    ctx = crypto.X509StoreContext(store, pki["server"], [pki["intermediate"]])
    with pytest.raises(crypto.X509StoreContextError) as info:
        ctx.verify_certificate()
    _check_error(info.value, ERR_UNABLE_TO_GET_CRL, 0)


def test_empty_crl_passes(pki):
    c = pki["chain"]
    store = _store(pki["root"], pki["intermediate"], flags=crypto.X509StoreFlags.CRL_CHECK)
    store.add_crl(make_crl(c.intermediate.cert, c.intermediate.key))
    crypto.X509StoreContext(store, pki["server"]).verify_certificate()


@pytest.mark.parametrize("bad", [None, b"crl", "crl"], ids=["none", "bytes", "str"])
def test_add_crl_requires_cryptography_crl(bad):
    with pytest.raises(TypeError) as info:
        crypto.X509Store().add_crl(bad)
    assert info.value.args == (
        "CRL must be of type cryptography.x509.CertificateRevocationList",
    )


# ---------------------------------------------------------------------------
# argument checking


def test_add_cert_requires_x509(pki):
    store = crypto.X509Store()
    for bad in (None, pki["chain"].root.cert, pki["chain"].root.pem):
        with pytest.raises(TypeError):
            store.add_cert(bad)


def test_set_flags_requires_int():
    with pytest.raises(TypeError):
        crypto.X509Store().set_flags("PARTIAL_CHAIN")
    assert crypto.X509Store().set_flags(0) is None


def test_chain_elements_must_be_x509(pki):
    with pytest.raises(TypeError) as info:
        crypto.X509StoreContext(_store(pki["root"]), pki["server"], [pki["chain"].intermediate.cert])
    assert info.value.args == ("One of the elements is not an X509 instance",)


def test_non_x509_certificate_fails_on_verify(pki):
    # the constructor accepts anything; using it fails
    ctx = crypto.X509StoreContext(_store(pki["root"]), pki["chain"].server.cert)
    with pytest.raises(AttributeError):
        ctx.verify_certificate()


# ---------------------------------------------------------------------------
# load_locations


@pytest.fixture
def ca_files(tmp_path):
    c = chain()
    cafile = tmp_path / "ca.pem"
    cafile.write_bytes(cert_pem(c.root.cert))
    capath = tmp_path / "capath"
    capath.mkdir()
    # the file name is the OpenSSL subject hash of the CA
    hash_value = X(c.root.cert).subject_name_hash()
    (capath / ("%08x.0" % hash_value)).write_bytes(cert_pem(c.root.cert))
    return cafile, capath


@pytest.mark.parametrize("kind", ["str", "bytes", "pathlike"])
def test_load_locations_cafile(pki, ca_files, kind):
    cafile, _ = ca_files
    path = {"str": str(cafile), "bytes": str(cafile).encode(), "pathlike": cafile}[kind]
    store = crypto.X509Store()
    assert store.load_locations(path) is None
    crypto.X509StoreContext(store, pki["server"], [pki["intermediate"]]).verify_certificate()


@pytest.mark.parametrize("kind", ["str", "bytes", "pathlike"])
def test_load_locations_capath(pki, ca_files, kind):
    _, capath = ca_files
    path = {"str": str(capath), "bytes": str(capath).encode(), "pathlike": capath}[kind]
    store = crypto.X509Store()
    assert store.load_locations(None, path) is None
    crypto.X509StoreContext(store, pki["server"], [pki["intermediate"]]).verify_certificate()


@pytest.mark.skipif(shutil.which("openssl") is None, reason="no openssl binary")
def test_capath_hash_name_matches_openssl(ca_files):
    _, capath = ca_files
    out = subprocess.run(
        ["openssl", "x509", "-subject_hash", "-noout"],
        input=chain().root.pem, capture_output=True, check=True, timeout=10,
    ).stdout.strip().decode()
    assert (capath / f"{out}.0").exists()


def test_load_locations_with_both(pki, ca_files):
    cafile, capath = ca_files
    store = crypto.X509Store()
    store.load_locations(cafile, capath)
    crypto.X509StoreContext(store, pki["server"], [pki["intermediate"]]).verify_certificate()


def test_load_locations_file_with_intermediate_and_crl(pki, tmp_path):
    c = pki["chain"]
    bundle = tmp_path / "bundle.pem"
    bundle.write_bytes(cert_pem(c.root.cert, c.intermediate.cert))
    crl_file = tmp_path / "crl.pem"
    from cryptography.hazmat.primitives.serialization import Encoding

    crl_file.write_bytes(
        make_crl(c.intermediate.cert, c.intermediate.key, [c.server.cert.serial_number])
        .public_bytes(Encoding.PEM)
    )
    store = crypto.X509Store()
    store.load_locations(bundle)
    crypto.X509StoreContext(store, pki["server"]).verify_certificate()
    store.load_locations(crl_file)
    store.set_flags(crypto.X509StoreFlags.CRL_CHECK)
    with pytest.raises(crypto.X509StoreContextError) as info:
        crypto.X509StoreContext(store, pki["server"]).verify_certificate()
    _check_error(info.value, ERR_CERT_REVOKED, 0)


def test_load_locations_none_none_is_error(pki):
    with pytest.raises(crypto.Error):
        crypto.X509Store().load_locations(None)
    with pytest.raises(crypto.Error):
        crypto.X509Store().load_locations(None, None)
    crypto.X509StoreContext(_store(pki["root"]), pki["server"], [pki["intermediate"]]).verify_certificate()


def test_load_locations_missing_file_is_error(pki, tmp_path):
    with pytest.raises(crypto.Error):
        crypto.X509Store().load_locations(tmp_path / "missing.pem")
    crypto.X509StoreContext(_store(pki["root"]), pki["server"], [pki["intermediate"]]).verify_certificate()


@pytest.mark.parametrize("content", [b"", b"not a pem file", None], ids=["empty", "junk", "der"])
def test_load_locations_file_without_certificates_is_error(pki, tmp_path, content):
    path = tmp_path / "bad.pem"
    path.write_bytes(pki["chain"].root.der if content is None else content)
    with pytest.raises(crypto.Error):
        crypto.X509Store().load_locations(path)
    crypto.X509StoreContext(_store(pki["root"]), pki["server"], [pki["intermediate"]]).verify_certificate()


def test_load_locations_missing_directory_is_lazy(pki, tmp_path):
    store = crypto.X509Store()
    assert store.load_locations(None, tmp_path / "no-such-dir") is None
    with pytest.raises(crypto.X509StoreContextError) as info:
        crypto.X509StoreContext(store, pki["server"], [pki["intermediate"]]).verify_certificate()
    _check_error(info.value, ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY)


@pytest.mark.parametrize("bad", [5, 1.5, object()])
def test_load_locations_wrong_type(bad):
    with pytest.raises(TypeError):
        crypto.X509Store().load_locations(bad)
