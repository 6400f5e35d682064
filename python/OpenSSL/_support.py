"""Pieces of ``OpenSSL.crypto`` that are plain Python classes, and the bridge to
``cryptography`` objects. The extension module imports this when it creates
``OpenSSL.crypto``; ``cryptography`` itself is imported only when a function
here is called with or for one of its objects."""

from __future__ import annotations

import sys

# No typing import: it would double the time `import OpenSSL.SSL` takes.


class X509StoreContextError(Exception):
    """Verification of a certificate chain failed.

    ``errors`` is ``[code, depth, message]`` as OpenSSL reported them and
    ``certificate`` the :class:`X509` that failed.
    """

    def __init__(self, message: str, errors: list[Any], certificate: Any) -> None:
        super().__init__(message)
        self.errors = errors
        self.certificate = certificate


class _EllipticCurve:
    """A named elliptic curve OpenSSL implements (compare and hash by name)."""

    def __init__(self, nid: int, name: str) -> None:
        self._nid = nid
        self.name = name

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _EllipticCurve):
            return NotImplemented
        return self._nid == other._nid

    def __ne__(self, other: object) -> bool:
        if not isinstance(other, _EllipticCurve):
            return NotImplemented
        return self._nid != other._nid

    def __hash__(self) -> int:
        return hash(self._nid)

    def __repr__(self) -> str:
        return f"<Curve {self.name!r}>"


for _cls in (X509StoreContextError, _EllipticCurve):  # ClientHello is set below
    _cls.__module__ = "OpenSSL.crypto"


class _Placeholder:
    """Stands in ``OpenSSL.SSL`` for an object that is slow to import, until
    first used: every attribute is forwarded to ``_target()``. The module
    needs no ``__getattr__`` this way (CPython would not specialise lookups
    on it)."""

    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        object.__setattr__(self, "_name", name)

    def _target(self) -> Any:
        raise NotImplementedError

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self._target(), attribute)

    def __setattr__(self, attribute: str, value: Any) -> None:
        setattr(self._target(), attribute, value)

    def __delattr__(self, attribute: str) -> None:
        delattr(self._target(), attribute)

    def __dir__(self) -> list[str]:
        return dir(self._target())

    def __repr__(self) -> str:
        return repr(self._target())


class _LazyBinding(_Placeholder):
    """``OpenSSL.SSL._lib`` or ``_ffi``. Using it imports ``OpenSSL._util``
    (milliseconds), which puts the real object in the module in its place."""

    def _target(self) -> Any:
        from OpenSSL import _util

        return getattr(_util, object.__getattribute__(self, "_name"))


class _LazyModule(_Placeholder):
    """``OpenSSL.SSL.socket``, pyOpenSSL's name for the ``socket`` module,
    when the program has not imported it yet: importing it at ``import
    OpenSSL.SSL`` would double that import's time. First use imports it and
    puts the module itself in ``OpenSSL.SSL``."""

    def _target(self) -> Any:
        name = object.__getattribute__(self, "_name")
        module = __import__(name)
        ssl_module = sys.modules.get("OpenSSL.SSL")
        if ssl_module is not None and ssl_module.__dict__.get(name) is self:
            setattr(ssl_module, name, module)
        return module


def add_pyopenssl_imports(ssl_module: Any) -> None:
    """Names pyOpenSSL's ``OpenSSL.SSL`` has because it imports them, and
    which code imports from it (``from OpenSSL.SSL import X509``)."""
    import errno

    crypto = sys.modules["OpenSSL.crypto"]
    for name in ("X509", "PKey", "X509Name", "X509Store"):
        setattr(ssl_module, name, getattr(crypto, name))
    ssl_module.errorcode = errno.errorcode
    ssl_module.socket = sys.modules.get("socket") or _LazyModule("socket")


def passphrase_callable_type():
    """crypto.PassphraseCallableT, built on first use (typing is slow to import)."""
    from typing import Callable, Union

    return Union[bytes, Callable[..., bytes]]


# ---- cryptography interop (imported lazily) ----

def certificate_der(certificate: Any) -> bytes:
    """DER of a cryptography certificate; TypeError for anything else."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    if not isinstance(certificate, x509.Certificate):
        raise TypeError("Must be a certificate")
    return certificate.public_bytes(Encoding.DER)


def load_certificate_der(der: bytes) -> Any:
    from cryptography.x509 import load_der_x509_certificate

    return load_der_x509_certificate(der)


def private_key_der(key: Any) -> tuple[bytes, bool]:
    """(DER, is_public) of a cryptography key; TypeError for unsupported types."""
    from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
    from cryptography.hazmat.primitives.serialization import (
        Encoding, NoEncryption, PrivateFormat, PublicFormat)

    public_types = (ec.EllipticCurvePublicKey, ed25519.Ed25519PublicKey,
                    ed448.Ed448PublicKey, rsa.RSAPublicKey)
    private_types = (ec.EllipticCurvePrivateKey, ed25519.Ed25519PrivateKey,
                     ed448.Ed448PrivateKey, rsa.RSAPrivateKey)
    if not isinstance(key, public_types + private_types):
        dsa_public, dsa_private = _dsa_key_types()
        public_types += dsa_public
        private_types += dsa_private
    if isinstance(key, public_types):
        return key.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo), True
    if isinstance(key, private_types):
        return key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption()), False
    raise TypeError("Unsupported key type")


_dsa_types: tuple[tuple[type, ...], tuple[type, ...]] | None = None


def _dsa_key_types() -> tuple[tuple[type, ...], tuple[type, ...]]:
    """((DSAPublicKey,), (DSAPrivateKey,)) from cryptography, or empty tuples
    once a release drops DSA. From cryptography 51 on, merely naming these
    classes warns that DSA is deprecated; that warning is for code that
    chooses DSA, not for every key that passes through here, so it is
    silenced for this one lookup and the classes are kept."""
    global _dsa_types
    if _dsa_types is None:
        import warnings

        try:
            from cryptography.hazmat.primitives.asymmetric import dsa
            from cryptography.utils import CryptographyDeprecationWarning

            with warnings.catch_warnings():
                warnings.simplefilter("ignore", CryptographyDeprecationWarning)
                _dsa_types = ((dsa.DSAPublicKey,), (dsa.DSAPrivateKey,))
        except (ImportError, AttributeError):
            _dsa_types = ((), ())
    return _dsa_types


def load_private_key_der(der: bytes) -> Any:
    from cryptography.hazmat.primitives.serialization import load_der_private_key

    return load_der_private_key(der, password=None)


def load_public_key_der(der: bytes) -> Any:
    from cryptography.hazmat.primitives.serialization import load_der_public_key

    return load_der_public_key(der)


def crl_der(crl: Any) -> bytes:
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    if not isinstance(crl, x509.CertificateRevocationList):
        raise TypeError("CRL must be of type cryptography.x509.CertificateRevocationList")
    return crl.public_bytes(Encoding.DER)


def load_name_der(der: bytes) -> Any:
    from cryptography import x509

    return x509.Name.from_bytes(der)


def timestamp(value: Any) -> int:
    """Seconds since the epoch for a datetime (naive ones are taken as UTC)."""
    import calendar

    return calendar.timegm(value.timetuple())


class ClientHello:
    """What a client offered in its ClientHello (see Context.set_client_hello_callback)."""

    __slots__ = ("legacy_version", "supported_versions", "cipher_suites", "extensions",
                 "server_name", "alpn_protocols")

    def __init__(self, legacy_version, supported_versions, cipher_suites, extensions,
                 server_name, alpn_protocols):
        self.legacy_version = legacy_version
        self.supported_versions = supported_versions
        self.cipher_suites = cipher_suites
        self.extensions = extensions
        self.server_name = server_name
        self.alpn_protocols = alpn_protocols

    def __repr__(self) -> str:
        return (f"<ClientHello server_name={self.server_name!r} "
                f"supported_versions={[hex(v) for v in self.supported_versions]} "
                f"alpn_protocols={self.alpn_protocols!r}>")


ClientHello.__module__ = "OpenSSL.SSL"
