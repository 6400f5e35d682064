"""Context.set_verify_depth is enforced, not only stored.

OpenSSL's depth is the number of intermediate CAs allowed between the leaf
and the trust anchor. Chains with one and with two intermediates are sent
in real handshakes between two Connections, in both directions (a client
checking the server, a server checking the client): a depth equal to the
number of intermediates passes, one less fails with X509 error 22
(certificate chain too long), seen by the verify callback, and the
verifying side's handshake fails with "certificate verify failed".
"""

from __future__ import annotations

import functools
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import pytest  # noqa: E402

from OpenSSL import SSL, crypto  # noqa: E402

from certs_for_tests import ec_key, make_cert  # noqa: E402
from conftest import connection_pair, handshake  # noqa: E402
from handshake_failures import assert_failure, fail_handshake  # noqa: E402

TOO_LONG = SSL.X509VerificationCodes.ERR_CERT_CHAIN_TOO_LONG
VERSIONS = [pytest.param(SSL.TLS1_2_VERSION, id="tls12"), pytest.param(SSL.TLS1_3_VERSION, id="tls13")]


@functools.lru_cache(maxsize=None)
def pki_with(intermediates: int):
    """(root, [intermediates, nearest the leaf first], server leaf, client leaf),
    each an (x509 certificate, key) pair."""
    slot = 60 + 10 * intermediates
    root_key = ec_key(slot)
    root = make_cert(f"depth root {intermediates}", root_key, ca=True)
    issuer, issuer_key = root, root_key
    chain = []
    for level in range(intermediates):
        key = ec_key(slot + 1 + level)
        cert = make_cert(f"depth intermediate {intermediates}.{level}", key, ca=True,
                         issuer_cert=issuer, issuer_key=issuer_key)
        chain.insert(0, (cert, key))
        issuer, issuer_key = cert, key
    leaves = []
    for index, role in enumerate(("server", "client")):
        key = ec_key(slot + 8 + index)
        cert = make_cert("localhost", key, issuer_cert=issuer, issuer_key=issuer_key,
                         san=["localhost"], server=role == "server", client=role == "client")
        leaves.append((cert, key))
    return (root, root_key), chain, leaves[0], leaves[1]


def present(ctx, leaf, chain):
    ctx.use_certificate(leaf[0])
    ctx.use_privatekey(leaf[1])
    for cert, _ in chain:
        ctx.add_extra_chain_cert(cert)


class Verifier:
    """A verify callback that keeps OpenSSL's verdict and records it."""

    def __init__(self):
        self.calls = []

    def __call__(self, conn, cert, errnum, depth, ok):
        self.calls.append((errnum, depth, ok))
        return ok


def pair(intermediates, depth, checker, version):
    """Handshake parties where *checker* ("client"/"server") verifies the
    other side's chain with verify depth *depth*."""
    (root, _), chain, server_leaf, client_leaf = pki_with(intermediates)
    sctx = SSL.Context(SSL.TLS_METHOD)
    cctx = SSL.Context(SSL.TLS_METHOD)
    for ctx in (sctx, cctx):
        ctx.set_min_proto_version(version)
        ctx.set_max_proto_version(version)
    present(sctx, server_leaf, chain)
    verifier = Verifier()
    if checker == "client":
        verifying = cctx
    else:
        present(cctx, client_leaf, chain)
        verifying = sctx
    verifying.set_verify(SSL.VERIFY_PEER | SSL.VERIFY_FAIL_IF_NO_PEER_CERT, verifier)
    verifying.get_cert_store().add_cert(crypto.X509.from_cryptography(root))
    verifying.set_verify_depth(depth)
    assert verifying.get_verify_depth() == depth
    client, server = connection_pair(sctx, cctx, host=b"localhost")
    return client, server, verifier


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("checker", ["client", "server"])
@pytest.mark.parametrize("intermediates", [1, 2])
def test_depth_equal_to_the_intermediates_passes(intermediates, checker, version):
    client, server, verifier = pair(intermediates, intermediates, checker, version)
    handshake(client, server)
    verified = (client if checker == "client" else server).get_verified_chain()
    assert len(verified) == intermediates + 2  # leaf, intermediates, root
    # every certificate checked once, from the root down, all fine
    assert verifier.calls == [(0, depth, 1) for depth in range(intermediates + 1, -1, -1)]


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("checker", ["client", "server"])
@pytest.mark.parametrize("intermediates", [1, 2])
def test_depth_one_short_fails_as_chain_too_long(intermediates, checker, version):
    client, server, verifier = pair(intermediates, intermediates - 1, checker, version)
    failure = fail_handshake(client, server)
    assert_failure(failure, checker, "certificate verify failed")
    # OpenSSL stops building the chain past the allowed depth and reports
    # that, once, at the first certificate too deep; the callback keeps the
    # verdict, so verification ends there.
    assert verifier.calls == [(TOO_LONG, intermediates, 0)]
