"""README's deviation table and the tests that prove pyOpenSSL's side of it.

Every row of the table in README.md's "Compatibility with pyOpenSSL 26.4"
section has at least one test marked ``pyopenssl_side(area)``, where *area*
is the row's Area cell exactly as written in README.md. Those tests assert
what pyOpenSSL 26.4 itself does and run only in the reference environment
(``PYOPENSSL_REFERENCE=1``); ``test_deviation_table.py`` checks, in both
environments, that no row lacks one.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import robustness_helpers as R

README = Path(__file__).resolve().parents[2] / "README.md"
SECTION = "## Compatibility with pyOpenSSL 26.4"
TABLE_HEADER = "| Area |"

# The modules holding the row tests (imported by the coverage check).
ROW_TEST_MODULES = (
    "test_deviation_table",
    "test_deviation_table_arguments",
    "test_deviation_table_callbacks",
    "test_deviation_table_threads",
    "test_deviation_table_errors",
    "test_signals",
)

# A cell boundary: a pipe that Markdown has not escaped.
_CELL_SPLIT = re.compile(r"(?<!\\)\|")


def _normalise(text: str) -> str:
    return " ".join(text.split())


def readme_deviation_areas(readme: Path = README) -> list[str]:
    """The Area cell of every row of the first table in the section."""
    text = readme.read_text(encoding="utf-8")
    lines = text[text.index(SECTION):].splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(TABLE_HEADER))
    areas = []
    for line in lines[start + 2:]:  # skip the header and its |---| line
        if not line.startswith("|"):
            break
        areas.append(_normalise(_CELL_SPLIT.split(line)[1]))
    return areas


def areas_with_tests(modules) -> dict[str, list[str]]:
    """{area: [test names]} for the pyopenssl_side tests in *modules*."""
    found: dict[str, list[str]] = {}
    for module in modules:
        for name, obj in vars(module).items():
            if not name.startswith("test_"):
                continue
            for mark in getattr(obj, "pytestmark", []):
                if mark.name == "pyopenssl_side" and mark.args:
                    found.setdefault(_normalise(mark.args[0]), []).append(
                        "%s.%s" % (module.__name__, name))
    return found


# ---------------------------------------------------------------------------
# pyOpenSSL's crashes and process-wide effects, in a child interpreter

CHILD_PRELUDE = """
import json, sys, threading, time, warnings
warnings.simplefilter("ignore")
import robustness_helpers as R
import conftest
from OpenSSL import SSL, crypto
pki = R.load_pki(json.load(sys.stdin))
sctx = conftest.server_context(pki.server_ec)
cctx = conftest.client_context(pki)

def say(*words):
    print(*words, flush=True)
"""


def run_snippet(pki, code: str, timeout: float = 60.0):
    """Runs *code* after CHILD_PRELUDE (``pki``, a server and a client
    Context, ``say``) in a fresh interpreter; returns (returncode, stdout
    lines, CompletedProcess)."""
    result = R.run_child(CHILD_PRELUDE + textwrap.dedent(code), input_data=R.pki_paths(pki),
                         timeout=timeout)
    return result.returncode, result.stdout.decode(errors="replace").splitlines(), result


def assert_crashed(pki, code: str, reached: str = "reached"):
    """*code* must print *reached* (so it got as far as the call) and then
    die by a signal: SIGSEGV, SIGABRT, SIGILL..."""
    returncode, lines, result = run_snippet(pki, code)
    assert reached in lines, R.child_failure(result, "the snippet did not get to the call")
    assert "survived" not in lines
    assert returncode is not None and returncode < 0, R.child_failure(result, "expected a crash")
    return R.describe_exit(returncode)


def assert_crashed_or_broken(pki, code: str, reason: str = "internal error"):
    """Like assert_crashed, for a use of freed memory: whether it crashes
    depends on the heap (Debian's own Python 3.11.2 often survives it), so
    the run may instead end with an SSL.Error naming *reason*; never with
    'survived'."""
    returncode, lines, result = run_snippet(pki, code)
    assert "reached" in lines, R.child_failure(result, "the snippet did not get to the call")
    assert "survived" not in lines
    broken = returncode == 1 and reason in result.stderr.decode(errors="replace")
    assert broken or (returncode is not None and returncode < 0), R.child_failure(
        result, f"expected a crash or an Error naming {reason!r}")


def assert_finished(pki, code: str) -> list[str]:
    """*code* must run to its end (exit status 0); returns what it printed."""
    returncode, lines, result = run_snippet(pki, textwrap.dedent(code) + "\nsay('end')\n")
    assert returncode == 0 and lines[-1:] == ["end"], R.child_failure(result, "the snippet failed")
    return lines
