"""pyOpenSSL's API (``OpenSSL.SSL`` and ``OpenSSL.crypto``), implemented in Swift on OpenSSL 3."""

from OpenSSL import SSL, crypto
from OpenSSL.version import (
    __author__,
    __copyright__,
    __email__,
    __license__,
    __summary__,
    __title__,
    __uri__,
    __version__,
)

__all__ = [
    "SSL",
    "__author__",
    "__copyright__",
    "__email__",
    "__license__",
    "__summary__",
    "__title__",
    "__uri__",
    "__version__",
    "crypto",
]
