"""run.py's tables: samples in, Markdown out, and the README's generated sections."""

from __future__ import annotations

import os
import re
import statistics
import sysconfig
from pathlib import Path

from implementations import Impl, log

README = Path(__file__).resolve().parent / "README.md"
RESULTS = ("<!-- results: begin -->", "<!-- results: end -->")
CALLGRIND = ("<!-- callgrind: begin -->", "<!-- callgrind: end -->")

# (key, label, unit): unit says how a seconds-per-op figure is shown.
ROWS = [
    ("hs13_ecdsa", "Full handshake, TLS 1.3, ECDSA P-256", "ops"),
    ("hs13_rsa", "Full handshake, TLS 1.3, RSA-2048", "ops"),
    ("hs12_ecdsa", "Full handshake, TLS 1.2 ECDHE-ECDSA-AES128-GCM", "ops"),
    ("resume12", "Session resumption, TLS 1.2 (ticket)", "ops"),
    ("pingpong", "64-byte ping-pong round trip", "ops"),
    ("bulk", "16 KiB bulk transfer", "mib"),
    ("create", "Connection creation", "ops"),
    ("pending", "`Connection.pending()`", "ns"),
    ("verify_mode", "`Context.get_verify_mode()`", "ns"),
    ("baseline", "`(5).bit_length()` (yardstick)", "ns"),
    ("memory", "Memory per idle handshaken pair", "kib"),
    ("import", "`import OpenSSL.SSL` (Python ssl: `import ssl`)", "ms"),
]
WORKLOADS = [key for key, _, _ in ROWS if key not in ("memory", "import")]
LABELS = {key: label for key, label, _ in ROWS}

# Issue 20's targets for the static build against raw C on the same build.
FLOOR_TARGETS = {"hs13_ecdsa": 1.03, "hs13_rsa": 1.03, "hs12_ecdsa": 1.03, "resume12": 1.15,
                 "pingpong": 1.3, "bulk": 1.03, "create": 1.5, "memory": 1.05}
NEAR_MINIMAL = 1.05  # ... or within 5% of the minimal C binding on the same build
IMPORT_TARGET = 0.1  # import time against pyOpenSSL's


def shown(key: str, unit: str, value: float) -> float:
    """A raw sample (seconds per op, bytes, seconds) in the unit the table shows."""
    return {"ops": lambda v: 1 / v, "mib": lambda v: 16384 / 2**20 / v, "ns": lambda v: v * 1e9,
            "kib": lambda v: v / 1024, "ms": lambda v: v * 1e3}[unit](value)


UNIT_TEXT = {"ops": "/s", "mib": " MiB/s", "ns": " ns", "kib": " KiB", "ms": " ms"}


def fmt(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}" if value >= 1 else f"{value:.2g}"


def short_version(text: str) -> str:
    found = re.search(r"\d+\.\d+\.\d+\S*", text)
    return found.group(0) if found else text


def ratio(samples: dict, name: str, base: str, key: str) -> tuple[float, float] | None:
    """(best ÷ best, median ÷ median) of a row's samples; samples are costs (lower is better)."""
    mine, theirs = samples.get(name, {}).get(key), samples.get(base, {}).get(key)
    if not mine or not theirs:
        return None
    return min(mine) / min(theirs), statistics.median(mine) / statistics.median(theirs)


def tables(impls: list[Impl], samples: dict, rounds_text: str) -> str:
    names = [impl.name for impl in impls]
    header = "| | " + " | ".join(names) + " |\n|---|" + "---|" * len(names) + "\n"
    openssl_row = "| OpenSSL | " + " | ".join(
        f"{short_version(impl.info.get('openssl', '?'))} ({impl.linkage})" for impl in impls) + " |\n"
    floor_row = "| ÷ | " + " | ".join(impl.floor for impl in impls) + " |\n"
    absolute, ratios = [], []
    for key, label, unit in ROWS:
        cells, ratio_cells = [], []
        for impl in impls:
            values = samples[impl.name].get(key)
            if not values:
                cells.append("—")
                ratio_cells.append("—")
                continue
            low, high = sorted(shown(key, unit, v) for v in (min(values), max(values)))
            mid = shown(key, unit, statistics.median(values))
            cells.append(f"{fmt(mid)}{UNIT_TEXT[unit]} [{fmt(low)}–{fmt(high)}]")
            if key == "import":
                reference = statistics.median(samples["Python ssl"]["import"])
                ratio_cells.append("1" if impl.name == "Python ssl"
                                   else f"{statistics.median(values) / reference:.2f}× ssl")
            else:
                both = ratio(samples, impl.name, impl.floor, key)
                ratio_cells.append(f"{both[0]:.2f} ({both[1]:.2f})" if both else "—")
        absolute.append(f"| {label} | " + " | ".join(cells) + " |")
        if key != "baseline":
            ratios.append(f"| {label} | " + " | ".join(ratio_cells) + " |")
        if key in ("pending", "verify_mode"):
            yard = [f"{min(samples[n][key]) / min(samples[n]['baseline']):.1f}× bit_length"
                    if samples[n].get("baseline") else "—" for n in names]
            ratios.append("| ↳ same, ÷ `(5).bit_length()` | " + " | ".join(yard) + " |")
    versions = "; ".join(f"{impl.name}: {impl.info.get('openssl', '?')}" for impl in impls)
    return (
        f"Time per operation relative to raw C on the same OpenSSL (the row ÷ names the column "
        f"divided by): best of {rounds_text} against best, "
        "and in parentheses median against median (>1 is slower; memory: bytes per pair relative to "
        "raw C; import: median relative to `import ssl`'s):\n\n"
        + header + openssl_row + floor_row + "\n".join(ratios) + "\n\n"
        "Measured values, median [min–max]:\n\n" + header + openssl_row + "\n".join(absolute) + "\n\n"
        f"`OpenSSL_version(OPENSSL_VERSION)` of each: {versions}. pyOpenSSL runs the OpenSSL its "
        "cryptography wheel bundles, for which there is no raw C column: its ratios are against "
        "the nearest release measured, so they mix wrapper and library differences.\n"
    )


def verdict(both: tuple[float, float], limit: float, strict: bool = False) -> str:
    """Whether best ÷ best and median ÷ median are both within `limit` (below it, if strict)."""
    best, median = (value < limit if strict else value <= limit for value in both)
    if best == median:
        return "yes" if best else "no"
    return f"best {'yes' if best else 'no'}, median {'yes' if median else 'no'}"


def target_table(samples: dict, ours: str, floor: str, minimal: str) -> str:
    """Issue 20's targets for `ours` (the static build): against pyOpenSSL, and
    against raw C (or the minimal C binding) on the same OpenSSL."""
    def cell(both):
        return f"{both[0]:.2f} ({both[1]:.2f})" if both else "—"

    lines = [f"Targets of issue 20 for `{ours}`: best ÷ best (median ÷ median); "
             "a target counts as met when both are within it:", "",
             f"| Row | {ours} ÷ pyOpenSSL | faster than pyOpenSSL? | {ours} ÷ {floor} [target] "
             f"| {minimal} ÷ {floor} | {ours} ÷ {minimal} | floor target met? |",
             "|---|---|---|---|---|---|---|"]
    for key, limit in FLOOR_TARGETS.items():
        vs_pyopenssl = ratio(samples, ours, "pyOpenSSL", key)
        # Faster (memory: no higher) means a ratio of at most 1.
        faster = verdict(vs_pyopenssl, 1.0, strict=key != "memory") if vs_pyopenssl else "—"
        vs_floor, vs_minimal = ratio(samples, ours, floor, key), ratio(samples, ours, minimal, key)
        met = verdict(vs_floor, limit) if vs_floor else "—"
        if met not in ("yes", "—") and vs_minimal and verdict(vs_minimal, NEAR_MINIMAL) == "yes":
            met = f"within {NEAR_MINIMAL - 1:.0%} of the minimal binding"
        lines.append(f"| {LABELS[key]} | {cell(vs_pyopenssl)} | {faster} | {cell(vs_floor)} [≤ {limit}] "
                     f"| {cell(ratio(samples, minimal, floor, key))} | {cell(vs_minimal)} | {met} |")
    # Import: medians (each sample is a fresh interpreter); the target is a tenth of pyOpenSSL's.
    vs_pyopenssl = ratio(samples, ours, "pyOpenSSL", "import")
    if vs_pyopenssl:
        lines.append(f"| `import OpenSSL.SSL` | {cell(vs_pyopenssl)} | ≤ {IMPORT_TARGET}: "
                     f"{verdict(vs_pyopenssl, IMPORT_TARGET)} | — | — | — | — |")
    return "\n".join(lines) + "\n"


def checks_text(impls: list[Impl]) -> str:
    lines = ["Negotiated (client side, checked once per worker):", ""]
    for impl in impls:
        checks = impl.info.get("checks", {})
        lines.append(f"- {impl.name}: " + "; ".join(f"{k}: {v}" for k, v in checks.items()))
    return "\n".join(lines) + "\n"


def write_readme(markers: tuple[str, str], section: str) -> None:
    """Replaces the text between the two markers; the rest is hand-written."""
    begin, end = markers
    text = README.read_text() if README.exists() else "# Benchmarks\n"
    if begin not in text or end not in text:
        text += f"\n{begin}\n{end}\n"
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    README.write_text(f"{head}{begin}\n{section}{end}{tail}")
    log(f"wrote a generated section of {README}")


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} CPUs, Python {sysconfig.get_python_version()}"
