"""The package as built: what the sdist holds, and what the installed
extension links against and exports. The last two need the release wheel
(tox's `py` env sets SWIFT_PYOPENSSL_WHEEL_TEST=1); a development build links
the Swift runtime dynamically."""

import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

import OpenSSL.SSL

pytestmark = pytest.mark.ours

ROOT = Path(__file__).resolve().parents[2]
wheel_only = pytest.mark.skipif(os.environ.get("SWIFT_PYOPENSSL_WHEEL_TEST") != "1",
                                reason="needs the installed release wheel")


def _backend():
    sys.path.insert(0, str(ROOT / "build_backend"))
    try:
        import swift_build_backend
    finally:
        sys.path.pop(0)
    return swift_build_backend


def test_sdist_holds_everything_the_build_reads(tmp_path):
    name = _backend().build_sdist(str(tmp_path))
    with tarfile.open(tmp_path / name) as archive:
        members = {member.split("/", 1)[1] for member in archive.getnames() if "/" in member}
    needed = {"Package.swift", "pyproject.toml", "PKG-INFO", "LICENSE", "build_backend/swift_build_backend.py",
              "build_backend/exports.map", "python/OpenSSL/__init__.py", "python/OpenSSL/version.py"}
    for folder in ("Sources", "python/OpenSSL"):
        needed |= {path.relative_to(ROOT).as_posix() for path in (ROOT / folder).rglob("*")
                   if path.is_file() and "__pycache__" not in path.parts
                   and subprocess.run(["git", "ls-files", "--error-unmatch", str(path)], cwd=ROOT,
                                      capture_output=True).returncode == 0}
    assert needed <= members, sorted(needed - members)
    assert not any(part.endswith(".so") or part.startswith(".build") for member in members
                   for part in member.split("/"))


def _needed_libraries():
    output = subprocess.run(["ldd", OpenSSL.SSL.__file__], capture_output=True, text=True, check=True).stdout
    return {line.split()[0] for line in output.splitlines() if line.strip()}


@wheel_only
def test_extension_links_only_openssl_and_the_c_runtime():
    libraries = _needed_libraries()
    links_openssl = {any(name.startswith(f"{lib}.so") for name in libraries) for lib in ("libssl", "libcrypto")}
    # A static build (OPENSSL_DIR with archives) holds OpenSSL itself.
    assert links_openssl == {not OpenSSL.SSL._openssl_static}, libraries
    assert not [name for name in libraries if "swift" in name.lower() or "Foundation" in name], libraries


def test_a_static_build_takes_no_openssl_symbol_from_the_process():
    # Python's ssl loads the system's libssl.so.3 first; a static build must
    # still run on its own copy, a shared one on that library.
    child = subprocess.run([sys.executable, "-c", (
        "import ssl, OpenSSL.SSL as S\n"
        "print(int(S._openssl_static)); print(S.SSLeay_version(S.SSLEAY_VERSION).decode()); "
        "print(ssl.OPENSSL_VERSION)")], capture_output=True, text=True, check=True)
    static, ours, pythons = child.stdout.splitlines()
    undefined = subprocess.run(["nm", "-D", "--undefined-only", OpenSSL.SSL.__file__],
                               capture_output=True, text=True, check=True).stdout.split()
    openssl_imports = [name for name in undefined if name.startswith(("SSL_", "ERR_", "EVP_", "X509_"))]
    if static == "1":
        assert openssl_imports == [], openssl_imports[:10]
        assert not any(name.startswith(("libssl.so", "libcrypto.so")) for name in _needed_libraries())
    else:
        assert openssl_imports and ours.split()[1][:3] == pythons.split()[1][:3], (ours, pythons)


@wheel_only
def test_extension_exports_only_its_entry_point():
    output = subprocess.run(["nm", "-D", "--defined-only", OpenSSL.SSL.__file__],
                            capture_output=True, text=True, check=True).stdout
    exported = {line.split()[-1] for line in output.splitlines() if line.split() and line.split()[1] in "TDBRVW"}
    assert exported == {"PyInit_SSL"}, sorted(exported)[:20]


def test_debug_build_keeps_its_symbols_and_release_strips_them():
    backend = _backend()
    assert "--strip-all" not in backend.swift_build_command(debug=True)
    release = backend.swift_build_command(debug=False)
    assert release[release.index("--strip-all") - 1] == "-Xlinker"


@wheel_only
def test_release_extension_has_no_symbol_table():
    sections = subprocess.run(["readelf", "-S", "-W", OpenSSL.SSL.__file__],
                              capture_output=True, text=True, check=True).stdout
    assert ".dynsym" in sections
    assert ".symtab" not in sections


def test_a_libssl_next_to_the_extension_is_never_loaded(tmp_path):
    # No $ORIGIN in the extension's RUNPATH: a library dropped beside it (here
    # a file that is not a library at all) must not be what the loader finds.
    package = tmp_path / "OpenSSL"
    shutil.copytree(Path(OpenSSL.SSL.__file__).parent, package,
                    ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("libssl.so.3", "libcrypto.so.3"):
        (package / name).write_bytes(b"not a shared library\n")
    dynamic = subprocess.run(["readelf", "-d", str(package / Path(OpenSSL.SSL.__file__).name)],
                             capture_output=True, text=True, check=True).stdout
    # (A development build without -static-stdlib keeps a RUNPATH to the
    # toolchain's Swift runtime; never one relative to the extension.)
    assert "$ORIGIN" not in dynamic, dynamic
    child = subprocess.run([sys.executable, "-c", "import OpenSSL.SSL as S; print(S.__file__)"],
                           env={**os.environ, "PYTHONPATH": str(tmp_path)},
                           capture_output=True, text=True, cwd=tmp_path)
    assert child.returncode == 0, child.stderr
    assert child.stdout.strip().startswith(str(package))


# The self-contained wheel (scripts/build-wheel, repaired by auditwheel), as
# tox's openssl35 env installs it: that env alone sets the variable below, and
# runs with no Swift toolchain on PATH.
manylinux_only = pytest.mark.skipif(os.environ.get("SWIFT_PYOPENSSL_MANYLINUX_TEST") != "1",
                                    reason="needs the manylinux wheel of scripts/build-wheel (tox env openssl35)")

# What the manylinux policies let a wheel take from the system, as ldd names
# them; anything else would have to be grafted into the wheel.
SYSTEM_LIBRARIES = {"linux-vdso.so.1", "libc.so.6", "libm.so.6", "libgcc_s.so.1", "libstdc++.so.6",
                    "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1"}


@manylinux_only
def test_manylinux_wheel_runs_without_a_swift_toolchain():
    assert shutil.which("swift") is None, shutil.which("swift")
    assert shutil.which("swiftc") is None, shutil.which("swiftc")


@manylinux_only
def test_manylinux_wheel_is_tagged_abi3_manylinux():
    from importlib.metadata import distribution

    dist = distribution("pyOpenSSL")
    assert Path(dist.locate_file("OpenSSL/SSL.abi3.so")) == Path(OpenSSL.SSL.__file__)
    tags = [line.split(":", 1)[1].strip() for line in dist.read_text("WHEEL").splitlines()
            if line.startswith("Tag:")]
    machine = os.uname().machine
    assert tags and all(re.fullmatch(rf"cp311-abi3-manylinux_\d+_\d+_{machine}", tag) for tag in tags), tags
    # Nothing grafted: auditwheel would have put it under pyOpenSSL.libs/.
    assert not [line for line in dist.read_text("RECORD").splitlines() if ".libs/" in line]


@manylinux_only
def test_manylinux_wheel_needs_only_the_system_c_and_cxx_runtime():
    libraries = {Path(name).name for name in _needed_libraries()}
    assert libraries <= SYSTEM_LIBRARIES, sorted(libraries - SYSTEM_LIBRARIES)
    assert OpenSSL.SSL._openssl_static


@manylinux_only
def test_manylinux_wheel_holds_the_openssl_of_its_build():
    # The env's openssl tool is the one the wheel was linked with.
    tool = subprocess.run(["openssl", "version"], capture_output=True, text=True, check=True).stdout.split()
    ours = OpenSSL.SSL.SSLeay_version(OpenSSL.SSL.SSLEAY_VERSION).decode().split()
    assert ours[:2] == tool[:2], (ours, tool)
