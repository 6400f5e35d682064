"""Which OpenSSL the extension is built against, in the ecosystem's spelling
(rust-openssl, cryptography): OPENSSL_DIR=<prefix> picks an OpenSSL
installed there; OPENSSL_STATIC=1 links its static libraries, and so does
OPENSSL_DIR alone when the prefix has no shared ones. Without OPENSSL_DIR,
pkg-config finds the system's (or PKG_CONFIG_PATH's) OpenSSL, linked as a
shared library."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

LIBRARIES = ("libssl", "libcrypto")


@dataclass
class OpenSSLSelection:
    prefix: Path | None = None
    static: bool = False
    pkg_config_path: str = ""  # prepended to PKG_CONFIG_PATH
    label: str = "system"  # names the build's scratch directory

    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.pkg_config_path:
            env["PKG_CONFIG_PATH"] = os.pathsep.join(
                part for part in (self.pkg_config_path, env.get("PKG_CONFIG_PATH", "")) if part)
        return env


def _library_dir(prefix: Path) -> Path:
    for name in ("lib64", "lib"):
        if (prefix / name / "pkgconfig" / "openssl.pc").exists():
            return prefix / name
    raise RuntimeError(f"OPENSSL_DIR={prefix}: no lib64/pkgconfig/openssl.pc or lib/pkgconfig/openssl.pc")


def _version(prefix: Path) -> str:
    header = (prefix / "include" / "openssl" / "opensslv.h").read_text()
    found = re.search(r'#\s*define\s+OPENSSL_FULL_VERSION_STR\s+"([^"]+)"', header)
    return found.group(1) if found else "unknown"


def _static_view(library_dir: Path, view: Path) -> Path:
    """A pkg-config directory whose libraries are the archives only, so the
    linker cannot pick the prefix's shared libraries instead."""
    lib = view / "lib"
    (lib / "pkgconfig").mkdir(parents=True, exist_ok=True)
    for name in LIBRARIES:
        link = lib / f"{name}.a"
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(library_dir / f"{name}.a")
    for pc in (library_dir / "pkgconfig").glob("*.pc"):
        text = re.sub(r"^libdir=.*$", f"libdir={lib}", pc.read_text(), flags=re.M)
        (lib / "pkgconfig" / pc.name).write_text(text)
    return lib / "pkgconfig"


def select_openssl(scratch_root: Path) -> OpenSSLSelection:
    """The selection the environment asks for; scratch_root/<label> holds
    the static view, when one is needed (the build itself goes to the
    backend's scratch directory named after the label)."""
    directory = os.environ.get("OPENSSL_DIR")
    if not directory:
        return OpenSSLSelection()
    prefix = Path(directory).resolve()
    library_dir = _library_dir(prefix)
    has_shared = any(library_dir.glob("libssl.so*"))
    static = os.environ.get("OPENSSL_STATIC") == "1" or not has_shared
    if static and not all((library_dir / f"{name}.a").exists() for name in LIBRARIES):
        raise RuntimeError(f"OPENSSL_DIR={prefix}: static linking asked for, but {library_dir} "
                           "has no libssl.a and libcrypto.a")
    digest = hashlib.sha256(str(prefix).encode()).hexdigest()[:8]
    label = f"openssl-{_version(prefix)}-{'static' if static else 'shared'}-{digest}"
    pkg_config = library_dir / "pkgconfig"
    if static and has_shared:
        pkg_config = _static_view(library_dir, scratch_root / label / "openssl-archives")
    return OpenSSLSelection(prefix=prefix, static=static, pkg_config_path=str(pkg_config), label=label)
