"""Context.set_tmp_ecdh takes every curve crypto.get_elliptic_curves() lists:
a curve TLS can use becomes the only ECDHE group; one it cannot (binary
curves, SM2, ...) changes nothing, as OpenSSL's SSL_CTX_set_tmp_ecdh treats it.
Neither raises nor leaves an error queued."""

import warnings

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from OpenSSL import SSL, crypto

from conftest import client_context, connection_pair, handshake, server_context
from robustness_helpers import error_queue_clear, error_queue_peek


def _curves():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return sorted(crypto.get_elliptic_curves(), key=lambda curve: curve.name)


def _set_tmp_ecdh(ctx, curve):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return ctx.set_tmp_ecdh(curve)


def test_every_listed_curve_is_accepted_and_leaves_the_queue_empty():
    curves = _curves()
    assert len(curves) > 20
    error_queue_clear()
    for curve in curves:
        ctx = SSL.Context(SSL.TLS_METHOD)
        assert _set_tmp_ecdh(ctx, curve) is None, curve.name
        assert error_queue_peek() == 0, curve.name


def _tls12_handshake(pki, curve):
    sctx = server_context(pki.server_ec, version=SSL.TLS1_2_VERSION)
    _set_tmp_ecdh(sctx, curve)
    client, server = connection_pair(sctx, client_context(pki, version=SSL.TLS1_2_VERSION),
                                     host=b"localhost")
    handshake(client, server)
    return client.get_group_name()


@pytest.mark.parametrize("name,group", [("secp384r1", "secp384r1"), ("secp521r1", "secp521r1")])
def test_a_tls_curve_becomes_the_only_group(pki, name, group):
    (curve,) = [c for c in _curves() if c.name == name]
    assert _tls12_handshake(pki, curve) == group
    assert _tls12_handshake(pki, ec.SECP384R1()) == "secp384r1"  # cryptography's curves too


@pytest.mark.parametrize("name", ["SM2", "c2pnb163v1", "brainpoolP160r1", "secp112r1"])
def test_a_curve_tls_cannot_use_leaves_the_defaults(pki, name):
    matches = [c for c in _curves() if c.name == name]
    if not matches:
        pytest.skip(f"this OpenSSL does not list {name}")
    group = _tls12_handshake(pki, matches[0])
    assert group in ("x25519", "X25519", "secp256r1", "prime256v1"), group
