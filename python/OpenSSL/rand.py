"""OpenSSL's random number generator: ``add`` and ``status``, as in pyOpenSSL."""

from __future__ import annotations

import warnings

from OpenSSL.crypto import _rand_add, _rand_status

__all__ = ["add", "status"]

warnings.warn(
    "OpenSSL.rand is deprecated - you should use os.urandom instead",
    DeprecationWarning,
    stacklevel=3,
)


def add(buffer: bytes, entropy: int) -> None:
    """Mix *buffer* into the generator's state, crediting *entropy* bytes of randomness."""
    if not isinstance(buffer, bytes):
        raise TypeError("buffer must be a byte string")
    if not isinstance(entropy, int):
        raise TypeError("entropy must be an integer")
    _rand_add(buffer, entropy)


def status() -> int:
    """1 if the generator has been seeded with enough data, 0 otherwise."""
    return _rand_status()
