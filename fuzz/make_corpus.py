"""Write the seed corpora under fuzz/corpus/<target>/ (and the PKI in fuzz/keys/).

    PYTHONPATH=<built package> python fuzz/make_corpus.py [--regen-keys]

* bytes_into_connection: the bytes of real handshakes recorded over memory BIOs
  (TLS 1.3 and 1.2, ECDSA and RSA, SNI, ALPN, client certificates, resumption
  with tickets, HelloRetryRequest, TLS 1.0/1.1 with legacy ciphers, static RSA
  key exchange, DTLS with and without cookies, application data, close_notify),
  each prefixed by the target's 4-byte header for the matching mode and flags;
  plus op scripts for the SCRIPTED_POST mode.
* api_sequences: scripts encoded with _fdp.ByteWriter that decode to sensible
  call sequences (a full handshake, callbacks, sessions, uninitialised objects).
* crypto_loaders: real certificates and keys (RSA, EC, Ed25519, Ed448, DSA) in
  PEM and DER, PKCS#8 and traditional, encrypted with "secret", public keys.

Each directory is wiped and rewritten; file names are content hashes, so
re-running gives a stable, reviewable diff. The total stays well under 2 MB.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import os
import shutil
import sys

FUZZ_DIR = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, FUZZ_DIR)
CORPUS = os.path.join(FUZZ_DIR, "corpus")
KEYS_DIR = os.path.join(FUZZ_DIR, "keys")
LIMIT = 2 * 1024 * 1024


def write_keys(regen: bool) -> None:
    import _common

    if regen or not os.path.exists(os.path.join(KEYS_DIR, "ca.pem")):
        pki = _common._generate_pki() if regen else _common.PKI
        os.makedirs(KEYS_DIR, exist_ok=True)
        for name, data in pki.items():
            with open(os.path.join(KEYS_DIR, name), "wb") as f:
                f.write(data)
        if regen:
            print("keys regenerated: run make_corpus.py again so the handshakes use them")
            sys.exit(0)


class Corpus:
    def __init__(self, target: str):
        self.dir = os.path.join(CORPUS, target)
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir)
        self.count = 0
        self.size = 0

    def add(self, data: bytes, label: str = "") -> None:
        name = (label + "-" if label else "") + hashlib.sha1(data).hexdigest()[:16]
        path = os.path.join(self.dir, name)
        if not os.path.exists(path):
            with open(path, "wb") as f:
                f.write(data)
            self.count += 1
            self.size += len(data)


# ---------------------------------------------------------------------------
# bytes_into_connection


def bytes_corpus() -> Corpus:
    import fuzz_bytes_into_connection as T
    from _common import SSL, bio_drain, client_context, handshake_pair, server_context

    out = Corpus("bytes_into_connection")

    def session(flags, *, client=None, server=None, dtls=False, session=None):
        """A recorded handshake + application data + close_notify."""
        if client is None:
            client = T.new_client(flags, 0, dtls)
        if server is None:
            server = T.new_server(flags, 0, dtls)
        if session is not None:
            client.set_session(session)
        hs = []
        assert handshake_pair(client, server, record=hs), f"handshake failed for flags {flags}"
        post = []
        if not dtls:
            server.send(b"hello from the server")
            client.send(b"hello from the client")
            for conn, tag in ((client, "c2s"), (server, "s2c")):
                data = bio_drain(conn)
                if data:
                    post.append((tag, data))
            for tag, data in post:
                (server if tag == "c2s" else client).bio_write(data)
            client.recv(1024)
            server.recv(1024)
            client.shutdown()
            server.shutdown()
            for conn, tag in ((client, "c2s"), (server, "s2c")):
                data = bio_drain(conn)
                if data:
                    post.append((tag, data))
        return hs, post, client.get_session() if not dtls else None

    def join(flights, tag):
        return b"".join(d for t, d in flights if t == tag)

    def emit(label, flags, hs, post, dtls=False):
        h = lambda mode, chunk=0, extras=0: bytes([mode, flags, chunk, extras])  # noqa: E731
        c2s_hs, s2c_hs = join(hs, "c2s"), join(hs, "s2c")
        c2s_post, s2c_post = join(post, "c2s"), join(post, "s2c")
        first_c2s = next(d for t, d in hs if t == "c2s")
        if dtls:
            out.add(h(T.DTLS_SERVER) + c2s_hs, label + "-dtls-server")
            out.add(h(T.DTLS_SERVER, 0, T.X_INTROSPECT | T.X_INFO) + first_c2s, label + "-dtls-hello")
            out.add(h(T.DTLS_CLIENT, 0, T.X_INTROSPECT) + s2c_hs, label + "-dtls-client")
            return
        out.add(h(T.SERVER_RAW) + c2s_hs, label + "-server")
        out.add(h(T.SERVER_RAW, 0, T.X_INTROSPECT | T.X_INFO) + first_c2s, label + "-hello")
        out.add(h(T.SERVER_RAW, 5, T.X_EOF | T.X_SEND) + c2s_hs + c2s_post, label + "-server-all")
        out.add(h(T.CLIENT_MID, 0, T.X_INTROSPECT) + s2c_hs, label + "-client-mid")
        out.add(h(T.CLIENT_MID, 5, T.X_INFO | T.X_EOF) + s2c_hs, label + "-client-mid-chunked")
        tickets = [d for t, d in hs if t == "s2c"][-1:] if not flags & T.F_TLS12 else []
        out.add(h(T.CLIENT_POST, 0, T.X_SEND | T.X_SHUTDOWN) + b"".join(tickets) + s2c_post, label + "-client-post")
        out.add(h(T.SERVER_POST, 0, T.X_SHUTDOWN | T.X_EOF) + c2s_post, label + "-server-post")

    F = T
    configs = [
        ("tls13-ec", 0),
        ("tls13-rsa", F.F_RSA),
        ("tls12-ec", F.F_TLS12),
        ("tls12-rsa", F.F_TLS12 | F.F_RSA),
        ("tls13-sni-alpn", F.F_SNI | F.F_ALPN),
        ("tls12-sni-alpn-rsa", F.F_SNI | F.F_ALPN | F.F_TLS12 | F.F_RSA),
        ("tls13-clientauth", F.F_CLIENT_AUTH),
        ("tls12-clientauth", F.F_CLIENT_AUTH | F.F_TLS12),
        ("tls12-legacy", F.F_LEGACY | F.F_TLS12),
        ("tls13-everything", F.F_SNI | F.F_ALPN | F.F_CLIENT_AUTH | F.F_RECV_INTO),
    ]
    for label, flags in configs:
        hs, post, sess = session(flags)
        emit(label, flags, hs, post)
        # resumption with the session (ticket) just obtained
        rflags = flags | F.F_RESUME
        hs, post, _ = session(rflags, session=sess)
        emit(label + "-resumed", rflags, hs, post)

    # TLS 1.0 / 1.1 with legacy ciphers, and static RSA key exchange (TLS 1.2)
    for label, version, ciphers in (
        ("tls10", SSL.TLS1_VERSION, b"ALL:@SECLEVEL=0"),
        ("tls11", SSL.TLS1_1_VERSION, b"ALL:@SECLEVEL=0"),
        ("tls12-rsakx", SSL.TLS1_2_VERSION, b"AES128-SHA:@SECLEVEL=0"),
        ("tls12-cbc", SSL.TLS1_2_VERSION, b"ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA:@SECLEVEL=0"),
    ):
        flags = F.F_LEGACY | F.F_TLS12 | (F.F_RSA if "rsakx" in label else 0)
        cctx = client_context(legacy=True)
        cctx.set_max_proto_version(version)
        cctx.set_cipher_list(ciphers)
        client = SSL.Connection(cctx)
        client.set_connect_state()
        hs, post, _ = session(flags, client=client)
        emit(label, flags, hs, post)

    # HelloRetryRequest: the server only accepts X25519, the client shares P-256
    sctx = server_context()
    sctx.set_groups("X25519")
    cctx = client_context()
    cctx.set_groups("P-256:X25519")
    server = SSL.Connection(sctx)
    server.set_accept_state()
    client = SSL.Connection(cctx)
    client.set_connect_state()
    hs, post, _ = session(0, client=client, server=server)
    emit("tls13-hrr", 0, hs, post)

    # DTLS, without and with cookie exchange
    for label, flags in (("dtls", 0), ("dtls-cookie", F.F_CLIENT_AUTH)):
        hs, post, _ = session(flags, dtls=True)
        emit(label, flags, hs, post, dtls=True)
        if flags & F.F_CLIENT_AUTH:
            first = next(d for t, d in hs if t == "c2s")
            out.add(bytes([T.DTLS_SERVER, flags | F.F_RESUME, 0, 0]) + first, label + "-listen")

    # SCRIPTED_POST op scripts
    from _fdp import ByteWriter

    def script(flags, ops):
        w = ByteWriter()
        for op in ops:
            name, side, *args = op
            code = {
                "send": 0, "collect": 1, "deliver": 2, "corrupt": 3, "recv": 4, "recv_into": 5,
                "reneg": 6, "shutdown": 7, "inject": 8, "eof": 9, "drop": 10, "introspect": 11,
            }[name]
            w.IntInRange(code, 0, 11).IntInRange(side, 0, 1)
            if name == "send":
                w.IntInRange(args[0], 0, 20000)
            elif name == "deliver":
                w.IntInRange(args[0], 0, 0xFFFF)
            elif name == "corrupt":
                w.IntInRange(args[0], 0, 0xFFFF).IntInRange(args[1], 1, 255)
            elif name == "recv":
                w.IntInRange(args[0], 0, 20000)
            elif name == "recv_into":
                w.IntInRange(args[0], 0, 4096).IntInRange(args[1], 0, 4096)
            elif name == "inject":
                w.LengthPrefixedBytes(args[0], 4096)
        out.add(bytes([T.SCRIPTED_POST, flags, 0, 0]) + w.getvalue(), "script")

    C, S = 0, 1
    for flags in (0, F.F_TLS12, F.F_TLS12 | F.F_RSA, F.F_ALPN | F.F_SNI):
        script(flags, [("send", S, 100), ("deliver", S, 0), ("recv", C, 100), ("send", C, 50), ("deliver", C, 0), ("recv", S, 50), ("shutdown", S), ("deliver", S, 0), ("recv", C, 10), ("introspect", C)])
        script(flags, [("send", S, 3000), ("deliver", S, 5), ("recv", C, 10), ("deliver", S, 1), ("recv", C, 10), ("deliver", S, 0), ("recv_into", C, 4096, 0), ("recv_into", C, 100, 50)])
        script(flags, [("send", S, 100), ("corrupt", S, 10, 1), ("deliver", S, 0), ("recv", C, 100), ("introspect", C)])
        script(flags, [("send", C, 16385), ("deliver", C, 0), ("recv", S, 20000), ("recv", S, 20000), ("eof", S), ("recv", S, 1)])
        script(flags, [("shutdown", C), ("deliver", C, 0), ("recv", S, 1), ("shutdown", S), ("deliver", S, 0), ("recv", C, 1), ("send", C, 5)])
        script(flags, [("inject", C, b"\x17\x03\x03\x00\x05hello"), ("recv", C, 100), ("inject", S, b"\x15\x03\x03\x00\x02\x01\x00"), ("recv", S, 10)])
    # renegotiation (TLS 1.2 only)
    script(F.F_TLS12, [("reneg", C), ("deliver", C, 0), ("recv", S, 10), ("deliver", S, 0), ("recv", C, 10), ("deliver", C, 0), ("recv", S, 10), ("deliver", S, 0), ("recv", C, 10), ("introspect", C)])
    script(F.F_TLS12, [("reneg", S), ("deliver", S, 0), ("recv", C, 10), ("deliver", C, 0), ("recv", S, 10), ("deliver", S, 0), ("recv", C, 10)])
    return out


# ---------------------------------------------------------------------------
# api_sequences


def api_corpus() -> Corpus:
    import fuzz_api_sequences as T
    from _fdp import ByteWriter
    from _common import PATHS, SSL, crypto

    out = Corpus("api_sequences")
    ctx_names = T.method_names(SSL.Context(SSL.TLS_METHOD))
    conn_names = T.method_names(SSL.Connection(SSL.Context(SSL.TLS_METHOD)))
    CLIENT, SERVER = 0, 1  # world.conns = [client, server]
    SCTX, CCTX = 0, 1  # world.contexts = [server ctx, client ctx]

    class Seed:
        def __init__(self):
            self.w = ByteWriter()

        def arg(self, spec):
            kind, *rest = spec
            w = self.w
            kinds = {"none": 0, "int": 1, "bigint": 2, "const": 3, "bytes": 4, "ibytes": 5, "str": 6, "istr": 7,
                     "bytearray": 8, "memoryview": 9, "list": 10, "callable": 11, "weird": 12, "obj": 13,
                     "crypto": 14, "bool": 15, "float": 16, "path": 17, "value": 18}
            w.IntInRange(kinds[kind], 0, T.N_ARG_KINDS - 1)
            if kind == "int":
                w.IntInRange(rest[0], -3, 300)
            elif kind == "bigint":
                w.Pick(rest[0], T.INTERESTING_INTS)
            elif kind == "const":
                w.Pick(rest[0], T.SSL_CONSTANTS)
            elif kind in ("bytes", "bytearray"):
                w.LengthPrefixedBytes(rest[0], 300)
            elif kind == "ibytes":
                w.Pick(rest[0], T.INTERESTING_BYTES)
            elif kind == "str":
                w.Unicode(rest[0], 64)
            elif kind == "istr":
                w.Pick(rest[0], T.INTERESTING_STR)
            elif kind == "memoryview":
                w.IntInRange(rest[0], 0, 6).LengthPrefixedBytes(rest[1], 64)
            elif kind == "list":
                w.IntInRange(len(rest[0]), 0, 3)
                for item in rest[0]:
                    self.arg(item)
                w.Bool(rest[1] if len(rest) > 1 else False)
            elif kind == "callable":
                w.IntInRange(rest[0], 0, 15)
                if rest[0] == 7:
                    self.arg(rest[1])
                elif rest[0] == 9:
                    # re-enter: index in world.objects() when the callback runs, method, args
                    obj_index, name, names, args = rest[1:]
                    w.IntInRange(obj_index, 0, 15)
                    w.IntInRange(names.index(name), 0, 255)
                    w.IntInRange(len(args), 0, 2)
                    for a in args:
                        self.arg(a)
            elif kind == "weird":
                w.IntInRange(rest[0], 0, len(T.weird_objects()) - 1)
            elif kind == "obj":
                w.IntInRange(rest[0], 0, rest[1] - 1)
            elif kind == "crypto":
                w.IntInRange(rest[0], 0, len(T.CRYPTO_OBJECTS) - 1)
            elif kind == "bool":
                w.Bool(rest[0])
            elif kind == "float":
                w.IntInRange(rest[0], 0, 5)
            elif kind == "path":
                w.Pick(rest[0], T.PATH_VALUES)
            elif kind == "value":
                w.IntInRange(rest[0], 0, rest[1] - 1)
            return self

        def call(self, pool, index, size, name, *args):
            op = {"conn": 0, "ctx": 5, "result": 8}[pool]
            names = {"conn": conn_names, "ctx": ctx_names}.get(pool)
            self.w.IntInRange(op, 0, 15).IntInRange(index, 0, size - 1)
            if names is None:
                raise ValueError("result calls need explicit method lists")
            self.w.Pick(name, names).IntInRange(len(args), 0, 4)
            for a in args:
                self.arg(a)
            self.w.IntInRange(1, 0, 7)  # no keyword argument
            return self

        def pump(self, a=CLIENT, b=SERVER, rounds=6, nconns=2):
            self.w.IntInRange(9, 0, 15).IntInRange(a, 0, nconns - 1).IntInRange(b, 0, nconns - 1).IntInRange(rounds, 1, 6)
            return self

        def new_uninit(self, cls_index):
            self.w.IntInRange(11, 0, 15).IntInRange(3, 0, 5).IntInRange(cls_index, 0, 6)
            return self

        def misc(self, obj_index, nobjs, kind, getter=None, getters=None):
            self.w.IntInRange(14, 0, 15).IntInRange(obj_index, 0, nobjs - 1).IntInRange(kind, 0, 7)
            if kind == 7:
                self.w.Pick(getter, getters)
            return self

        def done(self, label):
            out.add(self.w.getvalue(), label)

    # 1. a plain handshake, data, shutdown, then getters
    s = Seed()
    s.call("conn", CLIENT, 2, "set_tlsext_host_name", ("ibytes", b"fuzz.example"))
    s.pump()
    s.call("conn", CLIENT, 2, "send", ("ibytes", b"http/1.1"))
    s.pump()
    s.call("conn", SERVER, 2, "recv", ("int", 100))
    for getter in ("get_peer_certificate", "get_peer_cert_chain", "get_session", "get_cipher_name", "get_protocol_version_name", "get_finished", "get_servername", "client_random", "master_key"):
        s.call("conn", CLIENT, 2, getter)
    s.call("conn", CLIENT, 2, "export_keying_material", ("ibytes", b"EXPORTER-fuzz"), ("int", 32))
    s.call("conn", CLIENT, 2, "shutdown")
    s.pump()
    s.done("handshake")

    # 2. ALPN and SNI callbacks on the server context, verify on the client
    s = Seed()
    s.call("ctx", CCTX, 2, "set_alpn_protos", ("list", [("ibytes", b"h2"), ("ibytes", b"http/1.1")]))
    s.call("ctx", SCTX, 2, "set_alpn_select_callback", ("callable", 4))
    s.call("ctx", SCTX, 2, "set_tlsext_servername_callback", ("callable", 14))
    s.call("ctx", CCTX, 2, "set_verify", ("const", SSL.VERIFY_PEER), ("callable", 1))
    s.call("conn", CLIENT, 2, "set_tlsext_host_name", ("ibytes", b"fuzz.example"))
    s.pump()
    s.call("conn", CLIENT, 2, "get_alpn_proto_negotiated")
    s.done("callbacks")

    # 3. callbacks that raise, and info callbacks that re-enter the API
    for cb in (6, 8, 10, 12, 13, 15):
        s = Seed()
        s.call("ctx", SCTX, 2, "set_info_callback", ("callable", cb))
        s.call("ctx", CCTX, 2, "set_verify", ("const", SSL.VERIFY_PEER), ("callable", cb))
        s.pump()
        s.done(f"callback-{cb}")
    s = Seed()
    s.call("ctx", SCTX, 2, "set_info_callback", ("callable", 9, 3, "get_state_string", conn_names, []))
    s.pump()
    s.done("reenter")

    # 4. file loaders, passphrase callback, verify locations
    s = Seed()
    s.call("ctx", SCTX, 2, "set_passwd_cb", ("callable", 7, ("ibytes", b"secret")))
    s.call("ctx", SCTX, 2, "use_privatekey_file", ("path", PATHS["server-ec-enc.key"]))
    s.call("ctx", SCTX, 2, "use_certificate_chain_file", ("path", PATHS["server-ec.pem"]))
    s.call("ctx", CCTX, 2, "load_verify_locations", ("path", PATHS["ca.pem"]))
    s.call("ctx", SCTX, 2, "check_privatekey")
    s.pump()
    s.done("files")

    # 5. odd buffers into the data path
    s = Seed()
    s.pump()
    s.call("conn", CLIENT, 2, "send", ("memoryview", 3, b"strided buffer!!"))
    s.call("conn", CLIENT, 2, "sendall", ("memoryview", 2, b"released"))
    s.call("conn", CLIENT, 2, "send", ("memoryview", 4, b"cast to int!"))
    s.call("conn", CLIENT, 2, "send", ("bytearray", b"a bytearray"))
    s.pump()
    s.call("conn", SERVER, 2, "recv_into", ("bytearray", b"0123456789"), ("bigint", 2**31))
    s.call("conn", SERVER, 2, "recv_into", ("memoryview", 0, b"read-only"))
    s.call("conn", SERVER, 2, "recv", ("bigint", -1))
    s.call("conn", SERVER, 2, "bio_write", ("str", "text, not bytes"))
    s.done("buffers")

    # 6. uninitialised objects and copies
    classes = [SSL.Context, SSL.Connection, SSL.Session, crypto.X509, crypto.PKey, crypto.X509Store, crypto.X509Name]
    for cls_index, cls in enumerate(classes):
        getters = [n for n in T.method_names(cls.__new__(cls)) if n.startswith("get_")]
        # where the new object sits in world.objects(): [server ctx, client ctx,
        # (client, server connections: made on first use), results...]
        index, nobjs = (4, 5) if cls is SSL.Connection else (2, 3)
        s = Seed()
        s.new_uninit(cls_index)
        s.misc(index, nobjs, 0)  # repr
        s.misc(index, nobjs, 1)  # copy (appends the copy to the results)
        for getter in getters[:4]:
            s.misc(index, nobjs + 1, 7, getter, getters)
        s.done(f"uninit-{cls_index}")

    # 7. sessions: handshake, get_session, a second pair resumes
    s = Seed()
    s.pump()
    s.call("conn", CLIENT, 2, "get_session")
    s.w.IntInRange(11, 0, 15).IntInRange(1, 0, 5).IntInRange(1, 0, 7).IntInRange(CCTX, 0, 1).Bool(True).Bool(True)
    s.call("conn", 2, 3, "set_session", ("obj", 5, 6))
    s.pump(2, SERVER, 6, 3)
    s.call("conn", 2, 3, "session_reused")
    s.done("session")

    # 8. protocol limits, ciphers, groups
    s = Seed()
    s.call("ctx", SCTX, 2, "set_min_proto_version", ("const", SSL.TLS1_2_VERSION))
    s.call("ctx", CCTX, 2, "set_max_proto_version", ("const", SSL.TLS1_2_VERSION))
    s.call("ctx", CCTX, 2, "set_cipher_list", ("istr", "ALL:@SECLEVEL=0"))
    s.call("ctx", SCTX, 2, "set_groups", ("istr", "P-256:X25519"))
    s.call("ctx", SCTX, 2, "set_tlsext_use_srtp", ("ibytes", b"SRTP_AES128_CM_SHA1_80"))
    s.pump()
    s.call("conn", CLIENT, 2, "renegotiate")
    s.pump()
    s.call("conn", CLIENT, 2, "total_renegotiations")
    s.done("versions")

    # 9. a few random scripts
    rng = __import__("random").Random(7)
    for i in range(24):
        out.add(bytes(rng.randrange(256) for _ in range(rng.randrange(16, 400))), "random")
    return out


# ---------------------------------------------------------------------------
# crypto_loaders


def loaders_corpus() -> Corpus:
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    from _common import PKI

    out = Corpus("crypto_loaders")
    CERT, PRIV, PUB = 0, 1, 2
    PEM, DER, TEXT = 0, 1, 2

    def add(loader, filetype, data, label, passphrase=0, kind=0):
        out.add(bytes([loader, filetype, passphrase, kind]) + data, label)

    start = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
    keys = {
        "rsa1024": rsa.generate_private_key(65537, 1024),
        "p256": ec.generate_private_key(ec.SECP256R1()),
        "p384": ec.generate_private_key(ec.SECP384R1()),
        "k256": ec.generate_private_key(ec.SECP256K1()),
        "ed25519": ed25519.Ed25519PrivateKey.generate(),
        "ed448": ed448.Ed448PrivateKey.generate(),
        "dsa1024": dsa.generate_private_key(1024),
    }
    ca_key = keys["p256"]
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "corpus CA"), x509.NameAttribute(NameOID.ORGANIZATION_NAME, "fuzz")])

    def cert(key, subject, *, extensions=(), sign_key=None, issuer=None, algorithm=hashes.SHA256()):
        b = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(issuer or ca_name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(start + datetime.timedelta(days=3650))
        )
        for ext, critical in extensions:
            b = b.add_extension(ext, critical=critical)
        signer = sign_key or ca_key
        alg = None if isinstance(signer, (ed25519.Ed25519PrivateKey, ed448.Ed448PrivateKey)) else algorithm
        return b.sign(signer, alg)

    rich = [
        (x509.BasicConstraints(ca=False, path_length=None), True),
        (x509.KeyUsage(True, False, True, False, False, False, False, False, False), True),
        (x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]), False),
        (x509.SubjectAlternativeName([x509.DNSName("fuzz.example"), x509.DNSName("*.fuzz.example"), x509.IPAddress(ipaddress.ip_address("::1")), x509.RFC822Name("a@fuzz.example"), x509.UniformResourceIdentifier("https://fuzz.example/")]), False),
        (x509.AuthorityInformationAccess([x509.AccessDescription(x509.oid.AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier("http://ocsp.fuzz.example"))]), False),
        (x509.CRLDistributionPoints([x509.DistributionPoint([x509.UniformResourceIdentifier("http://crl.fuzz.example")], None, None, None)]), False),
        (x509.CertificatePolicies([x509.PolicyInformation(x509.ObjectIdentifier("2.23.140.1.2.1"), ["https://cps.fuzz.example"])]), False),
        (x509.SubjectKeyIdentifier.from_public_key(keys["rsa1024"].public_key()), False),
        (x509.NameConstraints(permitted_subtrees=[x509.DNSName("fuzz.example")], excluded_subtrees=None), True),
    ]
    unicode_name = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, "ünïcødé ☃ 名前"),
        x509.NameAttribute(NameOID.COUNTRY_NAME, "DE"),
        x509.NameAttribute(NameOID.EMAIL_ADDRESS, "x@fuzz.example"),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "a, b + c"),
    ])
    certs = {
        "rich-rsa": cert(keys["rsa1024"], x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "fuzz.example")]), extensions=rich),
        "unicode-p384": cert(keys["p384"], unicode_name),
        "ed25519": cert(keys["ed25519"], ca_name, sign_key=keys["ed25519"], issuer=ca_name),
        "ed448": cert(keys["ed448"], ca_name, sign_key=keys["ed448"], issuer=ca_name),
        "dsa": cert(keys["dsa1024"], ca_name, sign_key=keys["dsa1024"], issuer=ca_name),
        "k256-sha512": cert(keys["k256"], ca_name, algorithm=hashes.SHA512()),
        "selfsigned-ca": cert(ca_key, ca_name, sign_key=ca_key, extensions=[(x509.BasicConstraints(ca=True, path_length=0), True)]),
    }
    for label, c in certs.items():
        pem = c.public_bytes(serialization.Encoding.PEM)
        der = c.public_bytes(serialization.Encoding.DER)
        add(CERT, PEM, pem, "cert-" + label)
        add(CERT, DER, der, "cert-der-" + label)
    for name in ("ca.pem", "server-ec.pem", "server-rsa.pem"):
        add(CERT, PEM, PKI[name], "cert-pki-" + name.split(".")[0], kind=1)
    # PEM oddities: a chain, leading text, bytearray/memoryview buffers, TEXT type
    pem = certs["rich-rsa"].public_bytes(serialization.Encoding.PEM)
    add(CERT, PEM, pem + PKI["ca.pem"], "cert-chain", kind=2)
    add(CERT, PEM, b"Certificate:\n    some text\n" + pem, "cert-leading-text", kind=3)
    add(CERT, PEM, pem.replace(b"CERTIFICATE", b"TRUSTED CERTIFICATE"), "cert-trusted")
    add(CERT, TEXT, pem, "cert-text")

    enc = serialization.BestAvailableEncryption(b"secret")
    none = serialization.NoEncryption()
    P8, TRAD = serialization.PrivateFormat.PKCS8, serialization.PrivateFormat.TraditionalOpenSSL
    for label, key in keys.items():
        traditional = not label.startswith("ed")
        add(PRIV, PEM, key.private_bytes(serialization.Encoding.PEM, P8, none), "key-p8-" + label)
        add(PRIV, DER, key.private_bytes(serialization.Encoding.DER, P8, none), "key-p8-der-" + label)
        add(PRIV, PEM, key.private_bytes(serialization.Encoding.PEM, P8, enc), "key-p8-enc-" + label, passphrase=1)
        add(PRIV, PEM, key.private_bytes(serialization.Encoding.PEM, P8, enc), "key-p8-enc-cb-" + label, passphrase=2)
        if label in ("rsa1024", "p256"):
            add(PRIV, DER, key.private_bytes(serialization.Encoding.DER, P8, enc), "key-p8-der-enc-" + label, passphrase=1)
            add(PRIV, PEM, key.private_bytes(serialization.Encoding.PEM, P8, enc), "key-p8-enc-wrong-" + label, passphrase=7)
            add(PRIV, PEM, key.private_bytes(serialization.Encoding.PEM, P8, enc), "key-p8-enc-raise-" + label, passphrase=4)
        if traditional:
            add(PRIV, PEM, key.private_bytes(serialization.Encoding.PEM, TRAD, none), "key-trad-" + label)
            add(PRIV, DER, key.private_bytes(serialization.Encoding.DER, TRAD, none), "key-trad-der-" + label)
            add(PRIV, PEM, key.private_bytes(serialization.Encoding.PEM, TRAD, enc), "key-trad-enc-" + label, passphrase=2)
        pub = key.public_key()
        add(PUB, PEM, pub.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo), "pub-" + label)
        add(PUB, DER, pub.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo), "pub-der-" + label)
    rsa_pub = keys["rsa1024"].public_key()
    add(PUB, PEM, rsa_pub.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.PKCS1), "pub-pkcs1-rsa")
    add(PUB, DER, rsa_pub.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.PKCS1), "pub-pkcs1-der-rsa")
    for name in ("server-ec.key", "server-rsa.key"):
        add(PRIV, PEM, PKI[name], "key-pki-" + name.split(".")[0], kind=1)
    add(PRIV, PEM, PKI["server-ec-enc.key"], "key-pki-enc", passphrase=2)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regen-keys", action="store_true", help="replace fuzz/keys/ first")
    args = parser.parse_args()
    write_keys(args.regen_keys)
    total = 0
    for build in (bytes_corpus, api_corpus, loaders_corpus):
        corpus = build()
        total += corpus.size
        print(f"{os.path.relpath(corpus.dir, FUZZ_DIR)}: {corpus.count} files, {corpus.size} bytes")
    print(f"total {total} bytes")
    if total > LIMIT:
        print(f"corpus larger than {LIMIT} bytes: trim it before committing", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
