#!/usr/bin/env python3
"""Does releasing the GIL pay? Total throughput of one and of two threads.

    .venv-bench/ours/bin/python benchmarks/gil.py      # after run.py has built ours

Each thread drives its own client/server pair over memory BIOs: full TLS 1.3
handshakes, or a buffer of a given size sent with send() calls (one record
each), moved across and read back with recv_into. With two threads on a machine with two cores, a call that
releases the GIL can run beside the other thread's Python; the thread must
then wait for the GIL to come back (CPython hands it over at most every
switch interval, 5 ms). Compare builds that release at different sizes
(`bulkWithoutGIL` in Sources/OpenSSLPython/ConnectionType.swift) with it.
"""

from __future__ import annotations

import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import implementations  # noqa: E402
import workloads  # noqa: E402

SECONDS = 2.0


def handshakes(impl):
    impl.pair(impl.client13, impl.server_ec)
    return 1


def sends(size: int):
    def make(impl):
        client, server = impl.pair(impl.client13, impl.server_ec)
        payload, buffer = memoryview(b"x" * size), bytearray(16384)

        def once(_impl):
            # send() takes one record (16 KiB) per call, as in pyOpenSSL
            # (partial writes): the loop hands it the rest each time.
            sent = 0
            while sent < size:
                sent += client.send(payload[sent:])
            server.bio_write(client.bio_read(2 * size + 65536))
            got = 0
            while got < size:
                got += server.recv_into(buffer)
            return size
        return once
    return make


def throughput(impl, make, threads: int) -> float:
    """Units (handshakes, bytes) per second, all threads together."""
    totals = [0] * threads

    def worker(index: int) -> None:
        step = make(impl) if make is not handshakes else handshakes
        end = time.perf_counter() + SECONDS
        while time.perf_counter() < end:
            totals[index] += step(impl)

    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return sum(totals) / SECONDS


def main() -> None:
    from OpenSSL import SSL

    with tempfile.TemporaryDirectory(prefix="bench-certs-") as certs:
        implementations.make_certificates(certs)
        impl = workloads.PyOpenSSLAPI(certs)
        print(f"{SSL.__file__}; 2 threads against 1, each thread on its own connection pair\n")
        print("| workload | 1 thread | 2 threads | 2 ÷ 1 |\n|---|---|---|---|")
        rows = [("TLS 1.3 handshakes", handshakes, 1, "/s")]
        rows += [(f"{size // 1024} KiB buffers sent", sends(size), 2**20, " MiB/s") for size in (16384, 65536, 1048576)]
        for label, make, scale, unit in rows:
            one, two = (throughput(impl, make, n) / scale for n in (1, 2))
            print(f"| {label} | {one:,.0f}{unit} | {two:,.0f}{unit} | {two / one:.2f} |")


if __name__ == "__main__":
    main()
