"""Shared by the test_setter_effects_*.py files."""

from __future__ import annotations

from OpenSSL import SSL

from conftest import connection_pair, handshake


def connect(sctx, cctx):
    """A memory-BIO pair over *sctx*/*cctx* (SNI localhost), handshaken."""
    client, server = connection_pair(sctx, cctx, host=b"localhost")
    handshake(client, server)
    return client, server


class Counter:
    """A callback that records its calls' arguments and returns *result*."""

    def __init__(self, result=None):
        self.calls, self.result = [], result

    def __call__(self, *args):
        self.calls.append(args)
        return self.result


def new_context():
    return SSL.Context(SSL.TLS_METHOD)
