"""A small PEP 517 build backend: builds the Swift extension with SwiftPM and
packs it, with the pure-Python files of python/OpenSSL, into an abi3 wheel.

The extension is built in release mode with the Swift standard library linked
statically, against the include directory of the interpreter running the
build, into a fixed in-tree scratch directory (so rebuilds are incremental).
Environment: SWIFT (the swift driver), SWIFT_BUILD_FLAGS (extra flags),
PKG_CONFIG_PATH (where SwiftPM finds openssl.pc), SWIFT_PYOPENSSL_DEBUG=1
(debug build, for sanitizers and debuggers), OPENSSL_DIR and OPENSSL_STATIC
(another OpenSSL, see openssl_selection.py).
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import shlex
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

from openssl_selection import OpenSSLSelection, select_openssl

ROOT = Path(__file__).resolve().parent.parent
NAME = "pyOpenSSL"
DIST_NAME = "pyOpenSSL"
SCRATCH = ROOT / ".build-python"  # builds against another OpenSSL: .build-python-<label>
SDIST_INCLUDE = [
    "Package.swift", "Sources", "python", "build_backend", "pyproject.toml",
    "README.md", "LICENSE", "tox.ini", "Tests", "benchmarks", ".ci", "scripts",
    "Examples", "docs", "fuzz",
]


def _version() -> str:
    namespace: dict[str, str] = {}
    exec((ROOT / "python" / "OpenSSL" / "version.py").read_text(), namespace)
    return namespace["__version__"]


def _metadata() -> str:
    readme = (ROOT / "README.md").read_text() if (ROOT / "README.md").exists() else ""
    return "\n".join([
        "Metadata-Version: 2.1",
        f"Name: {DIST_NAME}",
        f"Version: {_version()}",
        "Summary: pyOpenSSL's API implemented in Swift on the system OpenSSL 3",
        "License: Apache-2.0",
        "Requires-Python: >=3.11",
        "Requires-Dist: cryptography>=49.0.0",
        "Description-Content-Type: text/markdown",
        "",
        readme,
    ])


def _wheel_tag() -> str:
    platform = sysconfig.get_platform().replace("-", "_").replace(".", "_")
    return f"cp311-abi3-{platform}"


def scratch_path(openssl: OpenSSLSelection) -> Path:
    return SCRATCH if openssl.prefix is None else SCRATCH.with_name(f"{SCRATCH.name}-{openssl.label}")


def swift_build_command(debug: bool, openssl: OpenSSLSelection | None = None) -> list[str]:
    """The SwiftPM command that builds the extension."""
    swift = os.environ.get("SWIFT", "swift")
    include = sysconfig.get_paths()["include"]
    command = [
        swift, "build",
        "--package-path", str(ROOT),
        "--scratch-path", str(scratch_path(openssl or OpenSSLSelection())),
        # No $ORIGIN in the RUNPATH: a libssl.so.3 dropped next to the
        # extension must not be loaded.
        "--disable-local-rpath",
        "--product", "OpenSSLPython",
        "-c", "debug" if debug else "release",
        "-Xswiftc", "-static-stdlib",
        "-Xcc", f"-I{include}",
        # Export only the module's entry point: nothing of ours (or of the
        # static Swift runtime) can clash with another extension's symbols.
        "-Xlinker", f"--version-script={ROOT / 'build_backend' / 'exports.map'}",
    ]
    if not debug:
        # A debug build is for debuggers and sanitizers: it keeps its symbols.
        command += ["-Xlinker", "--strip-all"]
    return command + shlex.split(os.environ.get("SWIFT_BUILD_FLAGS", ""))


def build_extension() -> Path:
    """Runs SwiftPM and returns the built shared library."""
    openssl = select_openssl(SCRATCH.parent / ".build-openssl-views")
    command = swift_build_command(os.environ.get("SWIFT_PYOPENSSL_DEBUG") == "1", openssl)
    environment = openssl.environment()
    print("swift-pyopenssl:", f"OpenSSL: {openssl.prefix or 'pkg-config'}"
          f"{' (static)' if openssl.static else ''};", " ".join(command), file=sys.stderr, flush=True)
    subprocess.run(command, check=True, cwd=ROOT, env=environment)
    binary_dir = subprocess.run(command + ["--show-bin-path"], check=True, cwd=ROOT, env=environment,
                                capture_output=True, text=True).stdout.strip().splitlines()[-1]
    library = Path(binary_dir) / "libOpenSSLPython.so"
    if not library.exists():
        raise RuntimeError(f"SwiftPM did not produce {library}")
    return library


def _record_line(path: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{path},sha256={digest},{len(data)}"


def _write_wheel(directory: str, files: dict[str, bytes]) -> str:
    version = _version()
    tag = _wheel_tag()
    dist_info = f"{DIST_NAME}-{version}.dist-info"
    files = dict(files)
    files[f"{dist_info}/METADATA"] = _metadata().encode()
    files[f"{dist_info}/WHEEL"] = (
        "Wheel-Version: 1.0\nGenerator: swift_build_backend\nRoot-Is-Purelib: false\n"
        f"Tag: {tag}\n"
    ).encode()
    files[f"{dist_info}/top_level.txt"] = b"OpenSSL\n"
    record = [_record_line(path, data) for path, data in files.items()]
    record.append(f"{dist_info}/RECORD,,")
    files[f"{dist_info}/RECORD"] = ("\n".join(record) + "\n").encode()
    name = f"{DIST_NAME}-{version}-{tag}.whl"
    with zipfile.ZipFile(Path(directory) / name, "w", zipfile.ZIP_DEFLATED) as wheel:
        for path, data in files.items():
            wheel.writestr(path, data)
    return name


def _python_files() -> dict[str, bytes]:
    files = {}
    package = ROOT / "python" / "OpenSSL"
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".so":
            files[f"OpenSSL/{path.relative_to(package).as_posix()}"] = path.read_bytes()
    return files


# ---- PEP 517 hooks ----

def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    dist_info = Path(metadata_directory) / f"{DIST_NAME}-{_version()}.dist-info"
    dist_info.mkdir(parents=True, exist_ok=True)
    (dist_info / "METADATA").write_text(_metadata())
    return dist_info.name


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    library = build_extension()
    files = _python_files()
    files["OpenSSL/SSL.abi3.so"] = library.read_bytes()
    return _write_wheel(wheel_directory, files)


def _sdist_files() -> list[str]:
    """The files of the source tree: what git tracks, when this is a checkout
    (an sdist then holds exactly the committed sources); otherwise the
    project's folders without build output."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, check=True,
                                capture_output=True).stdout.decode().split("\0")
        return sorted(name for name in listed if name and (ROOT / name).is_file())
    except (OSError, subprocess.CalledProcessError):
        pass
    files = []
    for entry in SDIST_INCLUDE:
        path = ROOT / entry
        candidates = [path] if path.is_file() else sorted(path.rglob("*")) if path.exists() else []
        for candidate in candidates:
            relative = candidate.relative_to(ROOT)
            if candidate.is_file() and not _is_build_output(relative):
                files.append(relative.as_posix())
    return files


def _is_build_output(relative: Path) -> bool:
    return any(part in ("__pycache__", "out") or part.startswith((".build", ".venv", ".tox"))
               or part.endswith(".so") for part in relative.parts)


def build_sdist(sdist_directory, config_settings=None):
    base = f"{DIST_NAME}-{_version()}"
    name = f"{base}.tar.gz"
    with tarfile.open(Path(sdist_directory) / name, "w:gz") as archive:
        for relative in _sdist_files():
            archive.add(ROOT / relative, arcname=f"{base}/{relative}", recursive=False)
        pkg_info = _metadata().encode()
        info = tarfile.TarInfo(f"{base}/PKG-INFO")
        info.size = len(pkg_info)
        archive.addfile(info, io.BytesIO(pkg_info))
    return name
