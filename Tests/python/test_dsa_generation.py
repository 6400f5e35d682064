"""DSA keys made by the deprecated PKey.generate_key at every size pyOpenSSL
accepts (512 bits and up, rounded up to a multiple of 64 below 2048, as
OpenSSL's classic generator does), usable for signing."""

import datetime
import warnings

import pytest
from cryptography.hazmat.primitives import hashes

from OpenSSL import SSL, crypto

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning",
                                        "ignore::cryptography.utils.CryptographyDeprecationWarning")


def _generate(key_type, bits, key=None):
    key = key or crypto.PKey()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        key.generate_key(key_type, bits)
    return key


def _self_signed(key):
    cert = crypto.X509()
    cert.get_subject().CN = "dsa"
    cert.set_issuer(cert.get_subject())
    cert.set_pubkey(key)
    cert.set_serial_number(1)
    cert.gmtime_adj_notBefore(0)
    cert.gmtime_adj_notAfter(3600)
    cert.sign(key, "sha256")
    return cert.to_cryptography()


@pytest.mark.parametrize("asked,made", [(512, 512), (513, 576), (576, 576), (640, 640),
                                        (1000, 1024), (1024, 1024), (1025, 1088), (2048, 2048)])
def test_dsa_key_of_each_size_signs(asked, made):
    key = _generate(crypto.TYPE_DSA, asked)
    assert key.type() == crypto.TYPE_DSA
    assert key.bits() == made
    with pytest.raises(TypeError):  # check() is for RSA keys only, on pyOpenSSL too
        key.check()
    cert = _self_signed(key)
    cert.public_key().verify(cert.signature, cert.tbs_certificate_bytes, hashes.SHA256())
    assert cert.public_key().key_size == made
    assert cert.not_valid_after_utc > datetime.datetime.now(datetime.timezone.utc)


def test_generate_key_again_replaces_the_key():
    key = _generate(crypto.TYPE_RSA, 2048)
    assert (key.type(), key.bits()) == (crypto.TYPE_RSA, 2048)
    _generate(crypto.TYPE_DSA, 576, key)
    assert (key.type(), key.bits()) == (crypto.TYPE_DSA, 576)
    _generate(crypto.TYPE_RSA, 1024, key)
    assert (key.type(), key.bits()) == (crypto.TYPE_RSA, 1024)


@pytest.mark.parametrize("bits", [0, 1, 511])
def test_dsa_below_512_bits_is_an_error(bits):
    with pytest.raises(crypto.Error):
        _generate(crypto.TYPE_DSA, bits)


@pytest.mark.deviation
@pytest.mark.parametrize("bits", [0, 511])
def test_dsa_below_512_bits_says_why(bits):
    # pyOpenSSL raises Error([]): OpenSSL 3.0 (and 4.0's legacy call) queue
    # no reason for these sizes; 3.5 says 'provider keymgmt failure'. Ours
    # always carries one, in our words where OpenSSL gave none.
    with pytest.raises(crypto.Error) as info:
        _generate(crypto.TYPE_DSA, bits)
    (entries,) = info.value.args
    assert entries and all(reason for _, _, reason in entries), entries
    if SSL.OpenSSL_version(SSL.OPENSSL_VERSION).startswith(b"OpenSSL 3.0"):
        assert "512 bits or more" in entries[0][2]
