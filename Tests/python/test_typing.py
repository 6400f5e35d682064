"""The type stubs shipped with the package (``OpenSSL/SSL.pyi``,
``OpenSSL/crypto.pyi`` and ``py.typed``).

* ``mypy.stubtest`` compares the stubs with the extension module the test run
  imports; the only tolerated differences are in
  ``Tests/typing/stubtest-allowlist.txt``, each with its reason.
* ``Tests/typing/sample_usage.py``, a typical program, type-checks with
  ``mypy --strict`` against the same stubs, and runs.

mypy is run on the package the test run imports (``OpenSSL.__file__``), so this
checks the installed wheel under tox and a development tree under PYTHONPATH.
Skipped when mypy (1.18 or later) is not installed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import OpenSSL

pytestmark = pytest.mark.ours

mypy_version = pytest.importorskip("mypy.version").__version__
# The stubs use typing_extensions.disjoint_base (PEP 800), which mypy's bundled
# typeshed has from 1.18 on; stubtest checks it from then on too.
if tuple(int(part) for part in mypy_version.split("+")[0].split(".")[:2]) < (1, 18):
    pytest.skip(f"mypy {mypy_version} is older than 1.18", allow_module_level=True)

TYPING_DIR = Path(__file__).resolve().parent.parent / "typing"
ALLOWLIST = TYPING_DIR / "stubtest-allowlist.txt"
SAMPLE = TYPING_DIR / "sample_usage.py"
PACKAGE_DIR = Path(OpenSSL.__file__).resolve().parent
TIMEOUT = 120


def _run(arguments: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``python *arguments`` in *cwd* with the package under test first on
    the path (mypy finds the stubs through it, stubtest imports it)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(PACKAGE_DIR.parent)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])
    )
    env.pop("MYPYPATH", None)
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


def _empty_config(directory: Path) -> str:
    """An empty mypy config, so no user or project config changes the checks."""
    config = directory / "mypy.ini"
    config.write_text("[mypy]\n")
    return str(config)


def _report(result: subprocess.CompletedProcess[str]) -> str:
    return (
        f"{' '.join(result.args)} exited with {result.returncode}\n"
        f"--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}"
    )


def test_package_ships_stubs():
    missing = [name for name in ("SSL.pyi", "crypto.pyi", "py.typed") if not (PACKAGE_DIR / name).is_file()]
    assert not missing, f"{PACKAGE_DIR} (the package under test) lacks {missing}"


def test_stubtest(tmp_path):
    test_package_ships_stubs()
    result = _run(
        [
            "-m", "mypy.stubtest",
            "--mypy-config-file", _empty_config(tmp_path),
            "--allowlist", str(ALLOWLIST),
            "OpenSSL.SSL", "OpenSSL.crypto",
        ],
        tmp_path,
    )
    assert result.returncode == 0, _report(result)


def test_sample_usage_type_checks_strict(tmp_path):
    test_package_ships_stubs()
    result = _run(
        [
            "-m", "mypy", "--strict",
            "--config-file", _empty_config(tmp_path),
            "--cache-dir", str(tmp_path / "mypy-cache"),
            str(SAMPLE),
        ],
        tmp_path,
    )
    assert result.returncode == 0, _report(result)


def test_sample_usage_runs(tmp_path):
    result = _run([str(SAMPLE)], tmp_path)
    assert result.returncode == 0, _report(result)
    assert result.stdout.rstrip().endswith("ok"), _report(result)
