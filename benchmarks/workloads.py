"""The benchmark worker: one implementation, one process, JSON on stdout.

run.py starts it in the virtualenv of the implementation under test:

    python workloads.py --impl pyopenssl-api|minimal|ssl CERTDIR bench BUDGET W1,W2,...
    python workloads.py --impl ... CERTDIR fixed WORKLOAD ITERATIONS   (callgrind)
    python workloads.py --impl ... CERTDIR memory PAIRS

``pyopenssl-api`` drives whichever ``OpenSSL.SSL`` the interpreter imports (ours
or pyOpenSSL from PyPI: the same code, since ours is a drop-in replacement);
``minimal`` drives the same code through minimal_binding.c (the floor: the
least any binding must do); ``ssl`` drives Python's own ``ssl`` module with
MemoryBIO/SSLObject.
raw_openssl.c does the same work with raw OpenSSL; keep the three in step.
"""

from __future__ import annotations

import gc
import json
import os
import sys
import time

BIO_CHUNK = 65536
BULK_SIZE = 16384
PING_SIZE = 64
TLS12_CIPHER = "ECDHE-ECDSA-AES128-GCM-SHA256"
UNROLL = 10  # tiny calls are repeated this many times per loop iteration


class PyOpenSSLAPI:
    """Workloads through pyOpenSSL's API (Connection with memory BIOs)."""

    def __init__(self, certs: str) -> None:
        from cryptography.hazmat.primitives.asymmetric import ec

        SSL = self.SSL = self.load_module()
        self.module = SSL.__file__
        self.openssl = SSL.OpenSSL_version(SSL.OPENSSL_VERSION).decode()
        p256 = ec.SECP256R1()

        def context(cert: str | None = None, tls12: bool = False):
            ctx = SSL.Context(SSL.TLS_METHOD)
            ctx.set_tmp_ecdh(p256)  # pins the key-exchange group to P-256
            if cert:
                ctx.use_certificate_chain_file(os.path.join(certs, cert + ".pem"))
                ctx.use_privatekey_file(os.path.join(certs, cert + ".key"))
            else:
                ctx.set_verify(SSL.VERIFY_PEER)
                ctx.load_verify_locations(os.path.join(certs, "ca.pem"))
            if tls12:
                ctx.set_max_proto_version(SSL.TLS1_2_VERSION)
                ctx.set_cipher_list(TLS12_CIPHER.encode())
            return ctx

        self.client13, self.client12 = context(), context(tls12=True)
        self.server_ec, self.server_rsa = context("ec"), context("rsa")

    @staticmethod
    def load_module():
        from OpenSSL import SSL

        return SSL

    # -- plumbing --

    def move(self, src, dst) -> None:
        while True:
            try:
                data = src.bio_read(BIO_CHUNK)
            except self.SSL.WantReadError:
                return
            dst.bio_write(data)
            if len(data) < BIO_CHUNK:
                return

    def step(self, conn) -> bool:
        try:
            conn.do_handshake()
        except self.SSL.WantReadError:
            return False
        return True

    def pair(self, client_ctx, server_ctx, session=None):
        SSL, move, step = self.SSL, self.move, self.step
        client = SSL.Connection(client_ctx, None)
        client.set_connect_state()
        if session is not None:
            client.set_session(session)
        server = SSL.Connection(server_ctx, None)
        server.set_accept_state()
        client_done = server_done = False
        for _ in range(20):
            if not client_done:
                client_done = step(client)
            move(client, server)
            if not server_done:
                server_done = step(server)
            move(server, client)
            if client_done and server_done:
                return client, server
        raise RuntimeError("handshake made no progress")

    def close_client(self, client) -> None:
        # A client freed without close_notify would spoil its session.
        client.shutdown()

    def idle(self, client) -> None:
        """Lets the client take in what the server sent (TLS 1.3 tickets)."""
        try:
            client.recv(1)
        except self.SSL.WantReadError:
            pass

    def describe(self, client) -> str:
        if hasattr(client, "session_reused"):  # ours has it; pyOpenSSL does not
            reused = client.session_reused()
        else:
            from OpenSSL._util import lib
            reused = lib.SSL_session_reused(client._ssl)
        return " ".join([
            client.get_protocol_version_name(), client.get_cipher_name(),
            client.get_group_name() or "?"] + (["resumed"] if reused else []))

    def setup_live(self):
        self.session12 = self.first_session()
        self.live = self.pair(self.client13, self.server_ec)

    def first_session(self):
        client, _ = self.pair(self.client12, self.server_ec)
        session = client.get_session()
        self.close_client(client)
        return session

    # -- workloads: each returns run(n) doing n operations --

    def w_resume12(self):
        pair, client_ctx, server_ctx, session = self.pair, self.client12, self.server_ec, self.session12

        def run(n):
            for _ in range(n):
                client, _server = pair(client_ctx, server_ctx, session)
                client.shutdown()
        return run

    def w_pingpong(self):
        client, server = self.live
        message = b"p" * PING_SIZE

        def run(n):
            for _ in range(n):
                client.send(message)
                server.bio_write(client.bio_read(BIO_CHUNK))  # one record, always there
                data = server.recv(PING_SIZE)
                server.send(data)
                client.bio_write(server.bio_read(BIO_CHUNK))
                client.recv(PING_SIZE)
        return run

    def w_bulk(self):
        client, server = self.live
        payload = b"x" * BULK_SIZE
        buffer = bytearray(BULK_SIZE)

        def run(n):
            for _ in range(n):
                client.send(payload)
                server.bio_write(client.bio_read(BIO_CHUNK))
                got = 0
                while got < BULK_SIZE:
                    got += server.recv_into(buffer)
        return run

    def w_pending(self):
        c = self.live[0]

        def run(n):
            for _ in range(n):
                c.pending(); c.pending(); c.pending(); c.pending(); c.pending()  # noqa: E702
                c.pending(); c.pending(); c.pending(); c.pending(); c.pending()  # noqa: E702
        return run

    def w_verify_mode(self):
        ctx = self.client13

        def run(n):
            for _ in range(n):
                ctx.get_verify_mode(); ctx.get_verify_mode(); ctx.get_verify_mode()  # noqa: E702
                ctx.get_verify_mode(); ctx.get_verify_mode(); ctx.get_verify_mode()  # noqa: E702
                ctx.get_verify_mode(); ctx.get_verify_mode(); ctx.get_verify_mode()  # noqa: E702
                ctx.get_verify_mode()
        return run

    def w_create(self):
        Connection, ctx = self.SSL.Connection, self.client13

        def run(n):
            for _ in range(n):
                conn = Connection(ctx, None)
                conn.set_connect_state()
        return run


class MinimalBinding(PyOpenSSLAPI):
    """The same code through minimal_binding.c, which run.py builds into out/minimal
    (out/minimal-openssl35 on the static 3.5 build: MINIMAL_SSL_DIR says which)."""

    @staticmethod
    def load_module():
        default = os.path.join(os.path.dirname(os.path.abspath(__file__)), "out", "minimal")
        sys.path.insert(0, os.environ.get("MINIMAL_SSL_DIR", default))  # one build per OpenSSL
        import minimal_ssl

        return minimal_ssl


class StdlibSSL(PyOpenSSLAPI):
    """The same workloads through Python's ssl module (SSLObject + MemoryBIO).

    A "connection" here is an (SSLObject, incoming MemoryBIO, outgoing MemoryBIO) triple.
    """

    def __init__(self, certs: str) -> None:
        import ssl

        self.ssl = ssl
        self.module = ssl.__file__
        self.openssl = ssl.OPENSSL_VERSION

        def context(cert: str | None = None, tls12: bool = False):
            if cert:
                ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
                ctx.load_cert_chain(os.path.join(certs, cert + ".pem"), os.path.join(certs, cert + ".key"))
            else:
                ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
                ctx.check_hostname = False  # the others do no hostname check either
                ctx.verify_mode = ssl.CERT_REQUIRED
                ctx.load_verify_locations(os.path.join(certs, "ca.pem"))
            ctx.set_ecdh_curve("prime256v1")
            if tls12:
                ctx.maximum_version = ssl.TLSVersion.TLSv1_2
                ctx.set_ciphers(TLS12_CIPHER)
            return ctx

        self.client13, self.client12 = context(), context(tls12=True)
        self.server_ec, self.server_rsa = context("ec"), context("rsa")

    def move(self, src, dst) -> None:
        data = src[2].read()
        if data:
            dst[1].write(data)

    def step(self, conn) -> bool:
        try:
            conn[0].do_handshake()
        except self.ssl.SSLWantReadError:
            return False
        return True

    def connection(self, ctx, server_side: bool, session=None):
        incoming, outgoing = self.ssl.MemoryBIO(), self.ssl.MemoryBIO()
        return ctx.wrap_bio(incoming, outgoing, server_side=server_side, session=session), incoming, outgoing

    def pair(self, client_ctx, server_ctx, session=None):
        move, step = self.move, self.step
        client = self.connection(client_ctx, False, session)
        server = self.connection(server_ctx, True)
        client_done = server_done = False
        for _ in range(20):
            if not client_done:
                client_done = step(client)
            move(client, server)
            if not server_done:
                server_done = step(server)
            move(server, client)
            if client_done and server_done:
                return client, server
        raise RuntimeError("handshake made no progress")

    def close_client(self, client) -> None:
        try:
            client[0].unwrap()
        except self.ssl.SSLWantReadError:
            pass  # close_notify sent; the peer's is not awaited

    def idle(self, client) -> None:
        try:
            client[0].read(1)
        except self.ssl.SSLWantReadError:
            pass

    def describe(self, client) -> str:
        sslobj = client[0]
        # Python's ssl cannot tell the group; set_ecdh_curve pins it.
        return " ".join([sslobj.version(), sslobj.cipher()[0], "(group not exposed)"]
                        + (["resumed"] if sslobj.session_reused else []))

    def first_session(self):
        client, _ = self.pair(self.client12, self.server_ec)
        session = client[0].session
        self.close_client(client)
        return session

    def w_resume12(self):
        pair, client_ctx, server_ctx, session = self.pair, self.client12, self.server_ec, self.session12
        close, want_read = self.close_client, self.ssl.SSLWantReadError

        def run(n):
            for _ in range(n):
                client, _server = pair(client_ctx, server_ctx, session)
                try:
                    client[0].unwrap()
                except want_read:
                    pass
        return run

    def w_pingpong(self):
        (client, c_in, c_out), (server, s_in, s_out) = self.live
        message = b"p" * PING_SIZE

        def run(n):
            for _ in range(n):
                client.write(message)
                s_in.write(c_out.read())
                data = server.read(PING_SIZE)
                server.write(data)
                c_in.write(s_out.read())
                client.read(PING_SIZE)
        return run

    def w_bulk(self):
        (client, c_in, c_out), (server, s_in, s_out) = self.live
        payload = b"x" * BULK_SIZE
        buffer = bytearray(BULK_SIZE)

        def run(n):
            for _ in range(n):
                client.write(payload)
                s_in.write(c_out.read())
                got = 0
                while got < BULK_SIZE:
                    got += server.read(BULK_SIZE, buffer)
        return run

    def w_pending(self):
        c = self.live[0][0]

        def run(n):
            for _ in range(n):
                c.pending(); c.pending(); c.pending(); c.pending(); c.pending()  # noqa: E702
                c.pending(); c.pending(); c.pending(); c.pending(); c.pending()  # noqa: E702
        return run

    def w_verify_mode(self):
        ctx = self.client13  # the property returns an ssl.VerifyMode enum

        def run(n):
            for _ in range(n):
                ctx.verify_mode; ctx.verify_mode; ctx.verify_mode; ctx.verify_mode  # noqa: E702,B018
                ctx.verify_mode; ctx.verify_mode; ctx.verify_mode; ctx.verify_mode  # noqa: E702,B018
                ctx.verify_mode; ctx.verify_mode  # noqa: E702,B018
        return run

    def w_create(self):
        ctx, MemoryBIO = self.client13, self.ssl.MemoryBIO

        def run(n):
            for _ in range(n):
                ctx.wrap_bio(MemoryBIO(), MemoryBIO(), server_side=False)
        return run


# -- workloads common to both APIs --

def full_handshakes(impl, client_ctx, server_ctx):
    pair = impl.pair

    def run(n):
        for _ in range(n):
            pair(client_ctx, server_ctx)
    return run


def baseline(_impl):
    """A trivial built-in method call: the yardstick for the tiny calls."""
    x = 5

    def run(n):
        for _ in range(n):
            x.bit_length(); x.bit_length(); x.bit_length(); x.bit_length(); x.bit_length()  # noqa: E702
            x.bit_length(); x.bit_length(); x.bit_length(); x.bit_length(); x.bit_length()  # noqa: E702
    return run


# name -> (make run(n) from the implementation, operations per n)
WORKLOADS = {
    "hs13_ecdsa": (lambda i: full_handshakes(i, i.client13, i.server_ec), 1),
    "hs13_rsa": (lambda i: full_handshakes(i, i.client13, i.server_rsa), 1),
    "hs12_ecdsa": (lambda i: full_handshakes(i, i.client12, i.server_ec), 1),
    "resume12": (lambda i: i.w_resume12(), 1),
    "pingpong": (lambda i: i.w_pingpong(), 1),
    "bulk": (lambda i: i.w_bulk(), 1),
    "pending": (lambda i: i.w_pending(), UNROLL),
    "verify_mode": (lambda i: i.w_verify_mode(), UNROLL),
    "baseline": (baseline, UNROLL),
    "create": (lambda i: i.w_create(), 1),
}


SLICES = 3  # a round's figure is the best of this many slices of its budget


def measure(run, ops_per_call: int, budget: float) -> float:
    """Seconds per operation: warm up, then the best of SLICES timed slices,
    each running growing batches for budget / SLICES seconds."""
    run(3)
    clock = time.perf_counter
    best = float("inf")
    for _ in range(SLICES):
        done, batch, elapsed = 0, 1, 0.0
        start = clock()
        while elapsed < budget / SLICES:
            run(batch)
            done += batch
            elapsed = clock() - start
            batch = min(done, int((budget / SLICES - elapsed) / (elapsed / done)) + 1)
        best = min(best, elapsed / (done * ops_per_call))
    return best


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGESIZE")


def main(argv: list[str]) -> None:
    if len(argv) < 5 or argv[0] != "--impl":
        sys.exit(__doc__)
    impl_name, certs, mode, args = argv[1], argv[2], argv[3], argv[4:]
    impl = {"ssl": StdlibSSL, "minimal": MinimalBinding}.get(impl_name, PyOpenSSLAPI)(certs)
    impl.setup_live()
    out = {"impl": impl_name, "openssl": impl.openssl, "module": impl.module}
    if mode == "bench":
        budget, names = float(args[0]), args[1].split(",")
        out["results"] = {}
        for name in names:
            make, ops = WORKLOADS[name]
            out["results"][name] = measure(make(impl), ops, budget)
        checks = [("hs13_ecdsa", impl.client13, impl.server_ec, None),
                  ("hs13_rsa", impl.client13, impl.server_rsa, None),
                  ("hs12_ecdsa", impl.client12, impl.server_ec, None),
                  ("resume12", impl.client12, impl.server_ec, impl.session12)]
        out["checks"] = {}
        for name, client_ctx, server_ctx, session in checks:
            client, _ = impl.pair(client_ctx, server_ctx, session)
            impl.close_client(client)
            out["checks"][name] = impl.describe(client)
    elif mode == "fixed":  # exactly ITERATIONS operations, untimed
        make, ops = WORKLOADS[args[0]]
        make(impl)(int(args[1]) // ops)
    elif mode == "memory":
        count = int(args[0])
        pairs = []
        gc.collect()
        before = rss_bytes()
        for _ in range(count):
            client, server = impl.pair(impl.client13, impl.server_ec)
            impl.idle(client)
            pairs.append((client, server))
        gc.collect()
        out["bytes_per_pair"] = (rss_bytes() - before) / count
    else:
        sys.exit(__doc__)
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])
