"""Package metadata. The major version is the pyOpenSSL API level implemented
(clients such as urllib3 branch on it); the rest counts our own releases."""

__all__ = [
    "__author__",
    "__copyright__",
    "__email__",
    "__license__",
    "__summary__",
    "__title__",
    "__uri__",
    "__version__",
]

__version__ = "26.4.0.post1"

__title__ = "pyOpenSSL"
__uri__ = "https://github.com/pyca/pyopenssl"
__summary__ = "pyOpenSSL's API implemented in Swift on the system OpenSSL 3"
__author__ = "The swift-pyopenssl developers"
__email__ = "swift-pyopenssl@example.invalid"
__license__ = "Apache License, Version 2.0"
__copyright__ = f"Copyright 2026 {__author__}"
