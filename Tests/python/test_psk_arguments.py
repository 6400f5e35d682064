"""PSK arguments of the wrong type: a TypeError that names the argument, with
the rules of Python 3.13's `ssl` (identity hint and identity are str or None;
bytes are refused there too)."""

import pytest

from OpenSSL import SSL

from extras_helpers import bio_drive_to_failure, bio_handshake, bio_pair

pytestmark = pytest.mark.ours

PSK = bytes(range(32))


def _tls12_psk_context():
    ctx = SSL.Context(SSL.TLS_METHOD)
    ctx.set_max_proto_version(SSL.TLS1_2_VERSION)
    ctx.set_cipher_list(b"PSK")
    return ctx


@pytest.mark.parametrize("hint", [b"hint", bytearray(b"hint"), 7])
def test_identity_hint_must_be_str(hint):
    ctx = SSL.Context(SSL.TLS_METHOD)
    with pytest.raises(TypeError) as info:
        ctx.set_psk_server_callback(lambda identity: PSK, identity_hint=hint)
    message = str(info.value)
    assert "identity_hint" in message and "str or None" in message
    assert type(hint).__name__ in message


@pytest.mark.parametrize("hint", ["a hint", None])
def test_identity_hint_str_or_none_reaches_the_client(hint):
    sctx, cctx = _tls12_psk_context(), _tls12_psk_context()
    seen = []
    sctx.set_psk_server_callback(lambda identity: PSK, identity_hint=hint)
    cctx.set_psk_client_callback(lambda received: seen.append(received) or ("id", PSK))
    client, server = bio_pair(sctx, cctx, host=None)
    bio_handshake(client, server)
    assert seen == [hint]


def test_client_identity_as_bytes_is_a_type_error_from_the_handshake():
    sctx, cctx = _tls12_psk_context(), _tls12_psk_context()
    sctx.set_psk_server_callback(lambda identity: PSK)
    cctx.set_psk_client_callback(lambda hint: (b"id", PSK))
    client, server = bio_pair(sctx, cctx, host=None)
    side, error = bio_drive_to_failure(client, server)
    assert side == "client"
    assert isinstance(error, TypeError)
    assert "identity must be str or None, not bytes" in str(error)
