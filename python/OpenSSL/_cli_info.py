"""``python -m OpenSSL info``: versions and build details, as text or ``--json``."""

from __future__ import annotations

import argparse
import json
import platform
import sys

from OpenSSL import SSL

# (label, constant name) for every TLS version the module has a constant for
_VERSIONS = (
    ("SSLv3", "SSL3_VERSION"),
    ("TLSv1", "TLS1_VERSION"),
    ("TLSv1.1", "TLS1_1_VERSION"),
    ("TLSv1.2", "TLS1_2_VERSION"),
    ("TLSv1.3", "TLS1_3_VERSION"),
)


def add_parser(commands) -> None:
    info = commands.add_parser(
        "info", help="versions and build details",
        description="Show this package's version, the OpenSSL it runs on and was built against, "
        "OpenSSL's build strings, the Python version, the extension file, NPN availability "
        "and the TLS versions this build negotiates (tested by handshakes with itself).")
    info.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    info.set_defaults(main=main)


def _free_threaded() -> bool:
    import sysconfig

    return bool(sysconfig.get_config_var("Py_GIL_DISABLED"))


def dotted_version(number: int) -> str:
    """OPENSSL_VERSION_NUMBER as text: 0x30000130 -> '3.0.19', 0x1010117f -> '1.1.1w'."""
    major = number >> 28
    if major >= 3:  # 0xMNN00PP0
        return f"{major}.{(number >> 20) & 0xFF}.{(number >> 4) & 0xFF}"
    minor, fix, patch = (number >> 20) & 0xFF, (number >> 12) & 0xFF, (number >> 4) & 0xFF
    return f"{major}.{minor}.{fix}" + (chr(ord("a") + patch - 1) if patch else "")


def _npn_available() -> bool:
    context = SSL.Context(SSL.TLS_METHOD)
    if not hasattr(context, "set_npn_advertise_callback"):
        return False
    try:
        context.set_npn_advertise_callback(lambda connection: [b"http/1.1"])
    except NotImplementedError:
        return False
    return True


def _handshake(version: int | None, cipher_list: bytes | None, server: SSL.Context,
               seen: dict | None = None) -> bool:
    """A client pinned to *version* (None: defaults) against *server*, over
    memory BIOs; *seen* gets the negotiated group."""
    try:
        context = SSL.Context(SSL.TLS_CLIENT_METHOD)
        if version is not None:
            context.set_min_proto_version(version)
            context.set_max_proto_version(version)
        if cipher_list is not None:
            context.set_cipher_list(cipher_list)
            server.set_cipher_list(cipher_list)
        client, peer = SSL.Connection(context, None), SSL.Connection(server, None)
        client.set_connect_state()
        peer.set_accept_state()
        for _ in range(10):
            done = 0
            for side in (client, peer):
                try:
                    side.do_handshake()
                    done += 1
                except SSL.WantReadError:
                    pass
            for source, sink in ((client, peer), (peer, client)):
                try:
                    sink.bio_write(source.bio_read(1 << 20))
                except SSL.WantReadError:
                    pass
            if done == 2:
                if seen is not None:
                    seen["group"] = client.get_group_name()
                return version is None or client.get_protocol_version() == version
    except (SSL.Error, ValueError):
        return False
    return False


def tls_versions(seen: dict | None = None) -> dict[str, str]:
    """Each TLS version: 'yes', 'needs @SECLEVEL=0' or 'no', by handshaking
    with ourselves over memory BIOs under the default configuration; *seen*
    gets the group a handshake with every default picks."""
    import tempfile
    from pathlib import Path

    from OpenSSL._cli_certs import make_certificates

    with tempfile.TemporaryDirectory(prefix="swift-pyopenssl-info-") as scratch:
        _, cert, key = make_certificates(Path(scratch), label="swift-pyopenssl info")

        def server() -> SSL.Context:
            context = SSL.Context(SSL.TLS_SERVER_METHOD)
            context.use_certificate_chain_file(str(cert))
            context.use_privatekey_file(str(key))
            return context

        result = {}
        if seen is not None:
            _handshake(None, None, server(), seen)
        for label, name in _VERSIONS:
            version = getattr(SSL, name, None)
            if version is None:
                continue
            if _handshake(version, None, server()):
                result[label] = "yes"
            elif _handshake(version, b"DEFAULT:@SECLEVEL=0", server()):
                result[label] = "needs @SECLEVEL=0"
            else:
                result[label] = "no"
    return result


def _post_quantum_groups() -> bool:
    try:
        SSL.Context(SSL.TLS_METHOD).set_groups("X25519MLKEM768")
    except ValueError:
        return False
    return True


def _wheel_tag() -> str:
    """The tag of the installed distribution's wheel ('' when not installed from one)."""
    from importlib import metadata

    try:
        wheel = metadata.distribution("pyOpenSSL").read_text("WHEEL") or ""
    except metadata.PackageNotFoundError:
        return ""
    return ", ".join(line.split(":", 1)[1].strip() for line in wheel.splitlines() if line.startswith("Tag:"))


def collect() -> dict:
    from OpenSSL import version

    def openssl(name: str) -> str:
        return SSL.OpenSSL_version(getattr(SSL, name)).decode("utf-8", "replace")

    number = SSL.OPENSSL_VERSION_NUMBER
    seen: dict = {}
    versions = tls_versions(seen)
    return {
        "package": version.__title__,
        "version": version.__version__,
        "openssl_runtime": openssl("OPENSSL_VERSION"),
        "openssl_built_against": {"number": f"0x{number:08x}", "version": dotted_version(number)},
        "openssl_dir": openssl("OPENSSL_DIR"),
        "openssl_cflags": openssl("OPENSSL_CFLAGS"),
        "openssl_platform": openssl("OPENSSL_PLATFORM"),
        "openssl_built_on": openssl("OPENSSL_BUILT_ON"),
        "openssl_linkage": "static" if getattr(SSL, "_openssl_static", False) else "shared",
        "key_exchange_default": seen.get("group"),
        "post_quantum_groups": _post_quantum_groups(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "python_executable": sys.executable,
        "python_abi": f"{sys.implementation.cache_tag}{' free-threaded' if _free_threaded() else ''}",
        "wheel_tag": _wheel_tag(),
        "extension": SSL.__file__,
        "npn": _npn_available(),
        "tls_versions": versions,
    }


def _text(details: dict) -> str:
    built = details["openssl_built_against"]
    offered = [v for v, state in details["tls_versions"].items() if state == "yes"]
    legacy = [v for v, state in details["tls_versions"].items() if state == "needs @SECLEVEL=0"]
    versions = ", ".join(offered) or "(none)"
    if legacy:
        versions += f" ({', '.join(legacy)} only with @SECLEVEL=0 in the cipher list)"
    linkage = ("inside the extension (static)" if details["openssl_linkage"] == "static"
               else "a shared library")
    pq = "available (X25519MLKEM768, ML-KEM)" if details["post_quantum_groups"] else "not in this OpenSSL"
    rows = [
        ("package", f"{details['package']} {details['version']} (OpenSSL.SSL in Swift)"),
        ("OpenSSL", f"{details['openssl_runtime']} (loaded at run time)"),
        ("built against", f"{built['number']} ({built['version']})"),
        ("linked as", linkage),
        ("key exchange", f"{details['key_exchange_default']} by default; post-quantum groups {pq}"),
        ("OPENSSL_DIR", details["openssl_dir"]),
        ("CFLAGS", details["openssl_cflags"]),
        ("PLATFORM", details["openssl_platform"]),
        ("BUILT_ON", details["openssl_built_on"]),
        ("Python", f"{details['python']}, {details['python_abi']} ({details['python_executable']})"),
        ("extension", details["extension"]),
        ("wheel tag", details["wheel_tag"] or "(not installed from a wheel)"),
        ("NPN", "available" if details["npn"] else "not available"),
        ("TLS versions", versions),
    ]
    return "\n".join(f"{label + ':':15}{value}" for label, value in rows)


def main(arguments: argparse.Namespace) -> int:
    details = collect()
    print(json.dumps(details, indent=2) if arguments.json else _text(details))
    return 0
