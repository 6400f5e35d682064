"""``python -m OpenSSL.debug``: the environment report pyOpenSSL prints for bug reports.

The lines and their labels are pyOpenSSL's. pyOpenSSL runs on cryptography's
OpenSSL, so its two "cryptography's ... OpenSSL" lines name the OpenSSL that
``OpenSSL.SSL`` uses; here that is the system OpenSSL this package was built
against (from ``OpenSSL.SSL.OPENSSL_VERSION_NUMBER``) and the one loaded at run
time (``OpenSSL.SSL.SSLeay_version``). cffi is not used by this implementation.
"""

from __future__ import annotations

import ssl
import sys

import OpenSSL.SSL
from OpenSSL import version
from OpenSSL._util import _version_text_from_number

__all__ = ["environment_info"]

LABELS = (
    "pyOpenSSL",
    "cryptography",
    "cffi",
    "cryptography's compiled against OpenSSL",
    "cryptography's linked OpenSSL",
    "Python's OpenSSL",
    "Python executable",
    "Python version",
    "Platform",
    "sys.path",
)


def _cryptography_version() -> str:
    try:
        import cryptography
    except ImportError:
        return "not installed"
    return str(getattr(cryptography, "__version__", "unknown"))


def _linked_openssl() -> str:
    text = OpenSSL.SSL.SSLeay_version(OpenSSL.SSL.SSLEAY_VERSION)
    if isinstance(text, bytes):
        return text.decode("ascii", "replace")
    return str(text)


def _compiled_openssl() -> str:
    number = OpenSSL.SSL.OPENSSL_VERSION_NUMBER
    return "%s (0x%08x)" % (_version_text_from_number(number), number)


def _values() -> tuple[str, ...]:
    return (
        version.__version__,
        _cryptography_version(),
        "not used",
        _compiled_openssl(),
        _linked_openssl(),
        getattr(ssl, "OPENSSL_VERSION", "n/a"),
        sys.executable,
        sys.version,
        sys.platform,
        str(sys.path),
    )


def environment_info() -> str:
    """The report, one ``label: value`` line per field, in pyOpenSSL's order."""
    return "\n".join(f"{label}: {value}" for label, value in zip(LABELS, _values()))


# pyOpenSSL computes the report at import time under this name.
_env_info = environment_info()


if __name__ == "__main__":
    print(_env_info)
