"""Setting up what run.py measures: the OpenSSL builds, the implementations on
each, their virtualenvs, the C programs and the certificates."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import time
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = HERE / "out"
VENVS = REPO / ".venv-bench"
WORKER = str(HERE / "workloads.py")
PYOPENSSL = "pyOpenSSL==26.4.0"
BUILD_LOCK: str | None = None  # run.py --build-lock: held while building ours


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def sh(*command, **kwargs) -> None:
    subprocess.run([str(c) for c in command], check=True, **kwargs)


@contextmanager
def build_lock():
    """The lock other builders on a shared machine take (flock(1) and flock(2) agree)."""
    if BUILD_LOCK is None:
        yield
        return
    with open(BUILD_LOCK, "a") as lock:
        log(f"waiting for {BUILD_LOCK}")
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


class Impl:
    """One column: a command that runs workloads.py's protocol, and the
    column whose time it is divided by (the raw C program on its OpenSSL)."""

    def __init__(self, name: str, command: list[str], python: str | None = None,
                 floor: str = "raw C", env: dict[str, str] | None = None, linkage: str = "system"):
        self.name, self.command, self.python, self.floor = name, command, python, floor
        self.linkage = linkage  # how it gets its OpenSSL: system (shared), static, wheel
        self.env = env or {}
        self.info: dict = {}

    def run(self, certs: str, *args: str) -> dict:
        args = list(args)
        if self.python is None and args[0] == "bench":  # the C program has no yardstick
            args[2] = ",".join(w for w in args[2].split(",") if w != "baseline")
        done = subprocess.run(self.command + [certs, *args], capture_output=True, text=True,
                              env=dict(os.environ, **self.env))
        if done.returncode != 0:
            sys.exit(f"{self.name} failed:\n{done.stderr}")
        result = json.loads(done.stdout)
        self.info.update(openssl=result["openssl"], module=result["module"])
        return result


@dataclass
class OpenSSLBuild:
    """Compiler and linker flags for one OpenSSL; `suffix` tells its files apart."""
    cflags: list[str]
    libs: list[str]
    suffix: str = ""
    series: str = ""
    prefix: Path | None = None

    @property
    def static(self) -> bool:
        return self.prefix is not None


def system_openssl() -> OpenSSLBuild:
    """The system OpenSSL, found by pkg-config: the one `pip install .` links."""
    def flags(kind: str) -> list[str]:
        return subprocess.run(["pkg-config", kind, "openssl"], check=True, capture_output=True,
                              text=True).stdout.split()
    return OpenSSLBuild(flags("--cflags"), flags("--libs"))


def static_openssl(series: str, prefix: str | None = None) -> OpenSSLBuild:
    """A static OpenSSL from scripts/build-openssl (built once, then cached)."""
    if prefix is None:
        log(f"scripts/build-openssl {series} (cached after the first build)")
        done = subprocess.run([str(REPO / "scripts" / "build-openssl"), series],
                              stdout=subprocess.PIPE, text=True)
        if done.returncode != 0 or not done.stdout.strip():
            sys.exit(f"scripts/build-openssl {series} failed (its output is above); "
                     f"--openssl35-prefix or --system-only skip it")
        prefix = done.stdout.strip().splitlines()[-1]
    root = Path(prefix).resolve()
    lib = next((root / d for d in ("lib64", "lib") if (root / d / "libssl.a").exists()), None)
    if lib is None:
        sys.exit(f"{root} has no lib64/libssl.a or lib/libssl.a")
    return OpenSSLBuild([f"-I{root / 'include'}"],
                        [str(lib / "libssl.a"), str(lib / "libcrypto.a"), "-lpthread", "-ldl"],
                        suffix=f"-openssl{series.replace('.', '')}", series=series, prefix=root)


def venv_python(name: str, install: list[str], always: bool, env: dict[str, str] | None = None) -> str:
    venv = VENVS / name
    python = venv / "bin" / "python"
    if not python.exists():
        log(f"creating {venv}")
        sh(sys.executable, "-m", "venv", venv)
        always = True
    if always:
        log(f"installing {' '.join(install)} into {venv}"
            + "".join(f" with {k}={v}" for k, v in (env or {}).items()))
        began = time.monotonic()
        try:
            with build_lock() if install == ["."] else nullcontext():
                sh(python, "-m", "pip", "install", "-q", *install, cwd=REPO, env=dict(os.environ, **(env or {})))
        except subprocess.CalledProcessError:
            sys.exit(f"run.py: installing {' '.join(install)} into {venv} failed (pip's output is above)")
        log(f"installed in {time.monotonic() - began:.0f} s")
    return str(python)


def build_raw_c(openssl: OpenSSLBuild | None = None) -> str:
    openssl = openssl or system_openssl()
    OUT.mkdir(exist_ok=True)
    binary = OUT / f"raw_openssl{openssl.suffix}"
    sh("cc", "-O2", "-Wall", *openssl.cflags, "-o", binary, HERE / "raw_openssl.c", *openssl.libs)
    if openssl.static:
        check_self_contained(binary, exported=None)
    return str(binary)


def build_minimal_binding(python: str, openssl: OpenSSLBuild | None = None) -> dict[str, str]:
    """minimal_binding.c as the module minimal_ssl for `python`; returns the
    environment that makes workloads.py import this build of it."""
    openssl = openssl or system_openssl()
    target = OUT / f"minimal{openssl.suffix}"
    target.mkdir(parents=True, exist_ok=True)
    query = "import sysconfig as s; print(s.get_paths()['include'], s.get_config_var('EXT_SUFFIX'))"
    include, suffix = subprocess.run([python, "-c", query], check=True, capture_output=True,
                                     text=True).stdout.split()
    module = target / f"minimal_ssl{suffix}"
    link = []
    if openssl.static:
        # It shares the process with Python's ssl and the system libssl:
        # exporting only its entry point binds every OpenSSL call to its own copy.
        exports = target / "exports.map"
        exports.write_text("{\n  global: PyInit_minimal_ssl;\n  local: *;\n};\n")
        link = [f"-Wl,--version-script={exports}"]
    sh("cc", "-O2", "-Wall", "-shared", "-fPIC", f"-I{include}", *openssl.cflags, "-o", module,
       HERE / "minimal_binding.c", *openssl.libs, *link)
    if openssl.static:
        check_self_contained(module, exported={"PyInit_minimal_ssl"})
    return {"MINIMAL_SSL_DIR": str(target)}


def dynamic_symbols(path: Path, which: str) -> set[str]:
    out = subprocess.run(["nm", "-D", which, str(path)], check=True, capture_output=True, text=True).stdout
    return {line.split()[-1].split("@")[0] for line in out.splitlines() if line.strip()}


OPENSSL_PREFIXES = ("SSL_", "TLS_", "OPENSSL_", "OSSL_", "EVP_", "BIO_", "ERR_", "X509", "CRYPTO_", "PEM_")


def check_self_contained(path: Path, exported: set[str] | None) -> None:
    """A statically linked build needs no libssl, and `nm -D` shows no OpenSSL symbol,
    defined or undefined (an extension: nothing defined but `exported`)."""
    needed = subprocess.run(["readelf", "-d", str(path)], check=True, capture_output=True,
                            text=True).stdout
    defined = dynamic_symbols(path, "--defined-only") - {"", "_init", "_fini"}
    undefined = dynamic_symbols(path, "--undefined-only")
    leaks = sorted(s for s in defined | undefined if s.startswith(OPENSSL_PREFIXES))
    if exported is not None:
        leaks += sorted(defined - exported)
    if "libssl" in needed or "libcrypto" in needed or leaks:
        sys.exit(f"{path} is not self-contained: it needs libssl or its dynamic symbols show {leaks[:8]}")
    log(f"{path.name}: static OpenSSL; nm -D: defines {sorted(defined)[:4]}, no OpenSSL symbol")


def make_certificates(directory: str) -> None:
    """A P-256 CA, and an ECDSA P-256 and an RSA-2048 server certificate from it."""
    def openssl(*args, stdin=None):
        return subprocess.run(["openssl", *args], cwd=directory, check=True, input=stdin,
                              capture_output=True).stdout

    Path(directory, "leaf.cnf").write_text(
        "basicConstraints=CA:FALSE\nsubjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n")
    openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "ca.key")
    openssl("req", "-x509", "-new", "-key", "ca.key", "-subj", "/CN=benchmark CA", "-days", "2",
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-out", "ca.pem")
    openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "ec.key")
    openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "rsa.key")
    for kind in ("ec", "rsa"):
        request = openssl("req", "-new", "-key", f"{kind}.key", "-subj", "/CN=localhost")
        openssl("x509", "-req", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-extfile", "leaf.cnf", "-out", f"{kind}.pem", stdin=request)


def implementations(ours_python: str, pyopenssl_python: str | None,
                    static: OpenSSLBuild | None, ours_static_python: str | None) -> list[Impl]:
    """The columns, system build first; on `static`, raw C is the floor of its own column group."""
    minimal_env = build_minimal_binding(ours_python)
    impls = [
        Impl("raw C", [build_raw_c()]),
        Impl("ours", [ours_python, WORKER, "--impl", "pyopenssl-api"], ours_python),
        Impl("minimal C binding", [ours_python, WORKER, "--impl", "minimal"], ours_python, env=minimal_env),
        Impl("Python ssl", [ours_python, WORKER, "--impl", "ssl"], ours_python),
    ]
    floor = f"raw C {static.series}" if static and ours_static_python else "raw C"
    if pyopenssl_python:  # its OpenSSL (4.x) has no raw C column: the nearest release's is its floor
        impls.append(Impl("pyOpenSSL", [pyopenssl_python, WORKER, "--impl", "pyopenssl-api"], pyopenssl_python,
                          floor=floor, linkage="cryptography's wheel"))
    if static and ours_static_python:
        python, series = ours_static_python, static.series
        minimal_env = build_minimal_binding(python, static)
        impls += [
            Impl(floor, [build_raw_c(static)], floor=floor, linkage="static"),
            Impl(f"ours {series}", [python, WORKER, "--impl", "pyopenssl-api"], python, floor=floor,
                 linkage="static"),
            Impl(f"minimal C binding {series}", [python, WORKER, "--impl", "minimal"], python,
                 floor=floor, env=minimal_env, linkage="static"),
        ]
    return impls
