"""Fuzz target: random sequences of API calls with random arguments.

Each input is a script read by a FuzzedDataProvider (``_fdp``): up to 64 steps,
each one of

  call      a public method (from ``dir()`` of the type) of a Context, a
            Connection or an OpenSSL object an earlier call returned, with 0-4
            random positional arguments and sometimes a keyword argument
  pump      drive two memory-BIO Connections against each other
  new       a Context / a Connection (memory BIO or a non-blocking socket) /
            an uninitialised instance (``Type.__new__(Type)``) / a subclass
  drop      forget an object, maybe ``gc.collect()``
  misc      repr / copy / pickle / attributes / weakrefs on an object

Arguments: None, bools, ints (small, huge, negative, OpenSSL constants), floats,
bytes, str (incl. lone surrogates and NULs), bytearray, memoryviews (read-only,
released, strided, cast), lists/tuples, callables (returning odd values,
raising, re-entering the API, collecting garbage, wrong arity), objects with
hostile ``__index__`` / ``__fspath__`` / ``fileno``, crypto and cryptography
objects, and results of earlier calls.

Only Python exceptions are allowed (see ``ALLOWED``); anything else is a finding.
"""

if __name__ == "__main__":
    import _driver

    _driver.main("fuzz_api_sequences")

import copy  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
import gc  # noqa: E402
import pickle  # noqa: E402
import socket  # noqa: E402
import weakref  # noqa: E402

from _common import (  # noqa: E402
    CA,
    CERTS,
    KEYS,
    PATHS,
    PKI,
    SSL,
    CallbackError,
    Finding,
    callback_scope,
    check_error_queue,
    crypto,
    feedback,
    outcome,
    unexpected,
)
from _fdp import FuzzedDataProvider  # noqa: E402

MAX_STEPS = 64
TRACE = os.environ.get("FUZZ_TRACE") == "1"  # print every call (for replaying a finding)

# Exceptions a call may raise. AttributeError and OSError only where the call
# is about a socket or a file (pyOpenSSL delegates those to the socket).
ALLOWED = (
    SSL.Error,
    crypto.Error,
    TypeError,
    ValueError,
    OverflowError,
    NotImplementedError,
    BufferError,
    CallbackError,
)
SOCKET_METHODS = {"connect", "connect_ex", "accept", "makefile", "sendfile", "sock_shutdown"}
FILE_METHODS = {"load_verify_locations", "use_certificate_file", "use_privatekey_file", "use_certificate_chain_file", "load_client_ca", "load_tmp_dh", "set_default_verify_paths", "sendfile"}


def _ints(module):
    return sorted({v for k, v in vars(module).items() if k.isupper() and isinstance(v, int) and not isinstance(v, bool)})


SSL_CONSTANTS = _ints(SSL)
INTERESTING_INTS = [0, 1, -1, 2, 255, 256, 65535, 65536, 2**31 - 1, 2**31, -(2**31), 2**32, 2**63 - 1, 2**63, -(2**63), 2**64, 10**30, -(10**30)]
INTERESTING_BYTES = [
    b"",
    b"\x00",
    b"h2",
    b"http/1.1",
    b"\x02h2\x08http/1.1",
    b"fuzz.example",
    b"localhost",
    b"a\x00b",
    b"ALL:@SECLEVEL=0",
    b"DEFAULT",
    b"TLS_AES_128_GCM_SHA256",
    b"P-256:X25519",
    b"SRTP_AES128_CM_SHA1_80",
    b"\xff" * 300,
    b"A" * 70000,
    b"EXPORTER-fuzz",
    b"secret",
    PKI["server-ec.pem"],
    PKI["server-ec.key"],
    PKI["ca.pem"],
]
INTERESTING_STR = [
    "",
    "fuzz.example",
    "localhost",
    "a\x00b",
    "\udcff",
    "é",
    "ALL:@SECLEVEL=0",
    "DEFAULT",
    "secp256r1",
    "prime256v1",
    "TLS_AES_256_GCM_SHA384",
    "P-256:X25519",
    "127.0.0.1",
    "::1",
    "x" * 5000,
]
PATH_VALUES = sorted(PATHS.values()) + [PATHS["ca.pem"].encode(), "/nonexistent/fuzz", b"/nonexistent/fuzz", ""]
KW_NAMES = ["cafile", "capath", "callback", "data", "bufsiz", "flags", "nbytes", "offset", "count", "host", "buf", "context", "session", "mode", "label", "olen", "filetype", "certfile", "keyfile", "x", "protos"]


def _constant_pool():
    pool = [CA, CERTS["server-ec"], KEYS["server-ec"], KEYS["server-rsa"], CERTS["client-ec"]]
    pool.append(CA.get_subject())
    pool.append(crypto.X509Store())
    pool.append(crypto.X509())
    pool.append(crypto.PKey())
    try:
        pool.append(CA.to_cryptography())
        pool.append(KEYS["server-ec"].to_cryptography_key())
    except Exception:
        pass
    return pool


CRYPTO_OBJECTS = _constant_pool()


# ---------------------------------------------------------------------------
# hostile objects


class EvilIndex:
    def __index__(self):
        raise CallbackError("__index__")

    def __int__(self):
        raise CallbackError("__int__")


class HugeIndex:
    def __index__(self):
        return 2**70


class NegIndex:
    def __index__(self):
        return -1


class IntSub(int):
    pass


class StrSub(str):
    pass


class BytesSub(bytes):
    pass


class EvilBytes:
    def __bytes__(self):
        raise CallbackError("__bytes__")

    def __len__(self):
        raise CallbackError("__len__")

    def __iter__(self):
        raise CallbackError("__iter__")


class EvilEq:
    def __eq__(self, other):
        raise CallbackError("__eq__")

    def __hash__(self):
        raise CallbackError("__hash__")

    def __str__(self):
        raise CallbackError("__str__")

    def __repr__(self):
        raise CallbackError("__repr__")

    def __bool__(self):
        raise CallbackError("__bool__")


class FsPath:
    def __init__(self, value):
        self.value = value

    def __fspath__(self):
        if isinstance(self.value, Exception):
            raise self.value
        return self.value


class Fileno:
    """fileno() returns only values that cannot touch the fuzzer's own files."""

    def __init__(self, value):
        self.value = value

    def fileno(self):
        if isinstance(self.value, Exception):
            raise self.value
        return self.value


def _gen():
    yield b"h2"


def weird_objects():
    return [
        object(),
        EvilIndex(),
        HugeIndex(),
        NegIndex(),
        IntSub(5),
        StrSub("fuzz.example"),
        BytesSub(b"h2"),
        EvilBytes(),
        EvilEq(),
        FsPath(PATHS["server-ec.pem"]),
        FsPath(CallbackError("__fspath__")),
        FsPath(42),
        FsPath(b"/nonexistent"),
        Fileno(-1),
        Fileno(2**31 - 1),
        Fileno(2**64),
        Fileno(CallbackError("fileno")),
        Fileno("3"),
        SSL.Context,
        SSL.Connection,
        ValueError("x"),
        _gen(),
        iter([b"h2"]),
        {b"h2": 1},
        set(),
        frozenset([b"h2"]),
    ]


# ---------------------------------------------------------------------------
# the world: pools of objects for one input


class World:
    def __init__(self):
        server = SSL.Context(SSL.TLS_METHOD)
        server.use_certificate(CERTS["server-ec"])
        server.use_privatekey(KEYS["server-ec"])
        client = SSL.Context(SSL.TLS_METHOD)
        self.contexts = [server, client]
        # The client/server Connection pair is made on first use, so that a
        # script can configure the contexts first (pyOpenSSL refuses to mutate
        # a Context once it has made a Connection).
        self._conns = None
        self.memory = []  # the Connections over memory BIOs
        self.results = []  # OpenSSL objects returned by calls
        self.values = []  # any other values returned by calls
        self.sockets = []
        self.depth = 0
        self.uninit = []  # objects whose __init__ never ran (T.__new__(T), copies)

    @property
    def conns(self):
        if self._conns is None:
            server, client = self.contexts[0], self.contexts[1]
            self._conns = []
            for ctx, connect in ((client, True), (server, False)):
                conn = safe("world.Connection", SSL.Connection, ctx, None)
                if conn is not None:
                    safe("world.state", conn.set_connect_state if connect else conn.set_accept_state)
                    self._conns.append(conn)
                    self.memory.append(conn)
        return self._conns

    def objects(self):
        return self.contexts + (self._conns or []) + self.results

    def socket_end(self, fdp):
        if not self.sockets or (len(self.sockets) < 4 and fdp.ConsumeBool()):
            a, b = socket.socketpair()
            a.setblocking(False)
            b.setblocking(False)
            self.sockets += [a, b]
        return fdp.PickValueInList(self.sockets)

    def close(self):
        for sock in self.sockets:
            sock.close()


def pick(fdp, items):
    return fdp.PickValueInList(items) if items else None


# ---------------------------------------------------------------------------
# arguments

N_ARG_KINDS = 19


def make_callable(fdp, world):
    kind = fdp.ConsumeIntInRange(0, 15)
    feedback("callable", kind)
    if kind == 0:
        return lambda *a, **k: None
    if kind == 1:
        return lambda *a, **k: True
    if kind == 2:
        return lambda *a, **k: False
    if kind == 3:
        return lambda *a, **k: 0
    if kind == 4:
        return lambda *a, **k: b"h2"
    if kind == 5:
        return lambda *a, **k: b""

    if kind == 6:

        def raiser(*a, **k):
            raise CallbackError("callback")

        return raiser
    if kind == 7:
        value = make_arg(fdp, world)
        return lambda *a, **k: value
    if kind == 8:
        return lambda: None
    if kind == 9:
        # re-enter the API from inside the callback; the object and method are
        # resolved when the callback runs, among the objects that exist then
        obj_index = fdp.ConsumeIntInRange(0, 15)
        name_index = fdp.ConsumeIntInRange(0, 255)
        args = [make_arg(fdp, world) for _ in range(fdp.ConsumeIntInRange(0, 2))]

        def reenter(*a, **k):
            objects = world.objects()
            target = objects[obj_index % len(objects)] if objects else None
            names = method_names(target) if target is not None else []
            if names and world.depth < 2:
                world.depth += 1
                try:
                    with callback_scope():
                        invoke(world, target, names[name_index % len(names)], args, {}, "reenter")
                finally:
                    world.depth -= 1
            return True

        return reenter
    if kind == 10:
        return lambda *a, **k: "h2"
    if kind == 11:
        return lambda *a, **k: [b"h2"]
    if kind == 12:
        return lambda *a, **k: b"A" * 70000
    if kind == 13:
        return lambda *a, **k: 2**64

    if kind == 14:

        def collector(*a, **k):
            gc.collect()
            return True

        return collector

    def forget(*a, **k):
        # drop the world's references to everything while OpenSSL is mid-call
        world.contexts.clear()
        world.conns.clear()
        world.memory.clear()
        world.results.clear()
        gc.collect()
        return True

    return forget


def make_memoryview(fdp):
    kind = fdp.ConsumeIntInRange(0, 6)
    data = fdp.ConsumeLengthPrefixedBytes(64)
    if kind == 0:
        return memoryview(data)
    if kind == 1:
        return memoryview(bytearray(data))
    if kind == 2:
        view = memoryview(bytearray(data))
        view.release()
        return view
    if kind == 3:
        return memoryview(bytearray(data + b"\0" * 8))[::2]
    if kind == 4:
        buf = bytearray(data.ljust(8, b"\0")[: len(data) // 4 * 4 or 4])
        return memoryview(buf).cast("i")
    if kind == 5:
        return memoryview(bytearray(data.ljust(4, b"\0")[:4])).cast("B", shape=[2, 2])
    return memoryview(bytearray(data))[1:]


def make_arg(fdp, world, depth=0):
    kind = fdp.ConsumeIntInRange(0, N_ARG_KINDS - 1)
    if kind == 0:
        return None
    if kind == 1:
        return fdp.ConsumeIntInRange(-3, 300)
    if kind == 2:
        return fdp.PickValueInList(INTERESTING_INTS)
    if kind == 3:
        return fdp.PickValueInList(SSL_CONSTANTS)
    if kind == 4:
        return fdp.ConsumeLengthPrefixedBytes(300)
    if kind == 5:
        return fdp.PickValueInList(INTERESTING_BYTES)
    if kind == 6:
        return fdp.ConsumeUnicode(64)
    if kind == 7:
        return fdp.PickValueInList(INTERESTING_STR)
    if kind == 8:
        return bytearray(fdp.ConsumeLengthPrefixedBytes(300))
    if kind == 9:
        return make_memoryview(fdp)
    if kind == 10:
        if depth > 1:
            return []
        items = [make_arg(fdp, world, depth + 1) for _ in range(fdp.ConsumeIntInRange(0, 3))]
        return tuple(items) if fdp.ConsumeBool() else items
    if kind == 11:
        return make_callable(fdp, world)
    if kind == 12:
        return fdp.PickValueInList(weird_objects())
    if kind == 13:
        return pick(fdp, world.objects())
    if kind == 14:
        return fdp.PickValueInList(CRYPTO_OBJECTS)
    if kind == 15:
        return fdp.ConsumeBool()
    if kind == 16:
        return fdp.PickValueInList([0.0, 0.5, -1.5, 1e300, float("inf"), float("nan")])
    if kind == 17:
        return fdp.PickValueInList(PATH_VALUES)
    return pick(fdp, world.values)


# ---------------------------------------------------------------------------
# calls

_NAMES: dict = {}


def method_names(obj):
    cls = type(obj)
    names = _NAMES.get(cls)
    if names is None:
        names = sorted(n for n in dir(cls) if not n.startswith("_") and callable(getattr(cls, n, None)))
        _NAMES[cls] = names
    return names


def is_openssl_object(value) -> bool:
    return type(value).__module__.startswith("OpenSSL") and not isinstance(value, type)


def invoke(world, target, name, args, kwargs, where="call"):
    tname = type(target).__name__
    if TRACE:
        print(f"{where}: {tname}.{name}{describe(args, kwargs)}", file=sys.stderr, flush=True)
    try:
        method = getattr(target, name)
        result = method(*args, **kwargs)
    except Finding:
        raise
    except ALLOWED as exc:
        if TRACE:
            print(f"    -> {type(exc).__name__}: {repr_safe(exc)[:200]}", file=sys.stderr, flush=True)
        feedback(where, tname, name, len(args), outcome(exc))
        check_error_queue(f"{tname}.{name}")
        return
    except (AttributeError, OSError) as exc:
        if (
            name in SOCKET_METHODS
            or (isinstance(exc, OSError) and name in FILE_METHODS)
            or duck_typing_error(exc, args, kwargs)
            or uninitialised_error(exc, target, *args, *kwargs.values())
        ):
            feedback(where, tname, name, len(args), outcome(exc))
            return
        unexpected(f"{tname}.{name}{describe(args, kwargs)}", exc)
    except BaseException as exc:
        if uninitialised_error(exc, target, *args, *kwargs.values()) or refused_reentry(exc):
            feedback(where, tname, name, len(args), outcome(exc))
            check_error_queue(f"{tname}.{name}")
            return
        unexpected(f"{tname}.{name}{describe(args, kwargs)}", exc)
    feedback(where, tname, name, len(args), "ok", type(result).__name__)
    if TRACE:
        print(f"    -> {repr_safe(result)[:200]}", file=sys.stderr, flush=True)
    check_error_queue(f"{tname}.{name}")
    if isinstance(result, SSL.Context):
        world.contexts.append(result)
    elif isinstance(result, SSL.Connection):
        world.conns.append(result)
    elif is_openssl_object(result):
        world.results.append(result)
    elif result is not None and len(world.values) < 32:
        world.values.append(result)
        if isinstance(result, (list, tuple)):
            world.results.extend(x for x in result[:4] if is_openssl_object(x))


_WORLD = [None]


def refused_reentry(exc) -> bool:
    """Ours refuses calls that would run or reset a Connection's state
    machine while that Connection is inside OpenSSL (from one of its
    callbacks): OpenSSL would free state the running call uses (finding F5;
    pyOpenSSL lets them through and can crash)."""
    return isinstance(exc, RuntimeError) and "while the same Connection is inside an OpenSSL call" in str(exc)


def uninitialised_error(exc, *objects):
    """pyOpenSSL's objects raise AttributeError (or, for a Connection, recurse
    in __getattr__ until RecursionError) when their __init__ never ran; ours
    raise ValueError. Only for those objects, neither is a finding."""
    world = _WORLD[0]
    if not isinstance(exc, (AttributeError, RecursionError)) or world is None:
        return False
    return any(obj is u for obj in objects for u in world.uninit)


def duck_typing_error(exc, args, kwargs):
    """An AttributeError about an argument we passed (``x.timetuple()`` on a
    non-datetime, as pyOpenSSL's own Python code raises) is the caller's type
    error, not a finding."""
    if not isinstance(exc, AttributeError):
        return False
    obj = getattr(exc, "obj", None)
    values = list(args) + list(kwargs.values())
    for value in list(values):
        if isinstance(value, (list, tuple)):
            values.extend(value)
        # a Connection over a socket looks attributes it lacks up on the
        # socket (pyOpenSSL's __getattr__): the socket's AttributeError
        if isinstance(value, SSL.Connection) and _WORLD[0] is not None:
            values.extend(_WORLD[0].sockets)
    if any(obj is value for value in values):
        return True
    # raised from C without .obj set: match the message's type name
    text = str(exc)
    return any(text.startswith(f"'{type(value).__name__}' object has no attribute") for value in values)


def describe(args, kwargs):
    def short(value):
        text = repr_safe(value)
        return text if len(text) <= 60 else text[:57] + "..."

    parts = [short(a) for a in args] + [f"{k}={short(v)}" for k, v in kwargs.items()]
    return "(" + ", ".join(parts) + ")"


def repr_safe(value):
    try:
        return repr(value)
    except BaseException:
        return f"<{type(value).__name__}>"


def step_call(fdp, world, objects):
    target = pick(fdp, objects)
    if target is None:
        return
    name = pick(fdp, method_names(target))
    if name is None:  # a type without public methods (pyOpenSSL's Session)
        return
    args = [make_arg(fdp, world) for _ in range(fdp.ConsumeIntInRange(0, 4))]
    kwargs = {}
    if fdp.ConsumeIntInRange(0, 7) == 0:
        kwargs[fdp.PickValueInList(KW_NAMES)] = make_arg(fdp, world)
    invoke(world, target, name, args, kwargs)


def safe(where, fn, *args):
    try:
        return fn(*args)
    except Finding:
        raise
    except ALLOWED as exc:
        feedback(where, outcome(exc))
        check_error_queue(where)
    except BaseException as exc:
        if uninitialised_error(exc, getattr(fn, "__self__", None), *args):
            feedback(where, outcome(exc))
            return None
        unexpected(where, exc)
    return None


def step_pump(fdp, world):
    memory = [c for c in world.conns if any(c is m for m in world.memory)]
    if len(memory) < 2:
        return
    a = fdp.PickValueInList(memory)
    b = fdp.PickValueInList(memory)
    for _ in range(fdp.ConsumeIntInRange(1, 6)):
        for x, y in ((a, b), (b, a)):
            safe("pump.handshake", x.do_handshake)
            data = safe("pump.bio_read", x.bio_read, 65536)
            if data:
                safe("pump.bio_write", y.bio_write, data)
            safe("pump.recv", x.recv, 4096)


class SubContext(SSL.Context):
    def set_cipher_list(self, cipher_list):
        return super().set_cipher_list(cipher_list)


class SubConnection(SSL.Connection):
    def recv(self, bufsiz, flags=None):
        return super().recv(bufsiz, flags)


def step_new(fdp, world):
    kind = fdp.ConsumeIntInRange(0, 5)
    if kind == 0:
        method = fdp.PickValueInList(SSL_CONSTANTS) if fdp.ConsumeBool() else make_arg(fdp, world)
        ctx = safe("new.Context", SSL.Context, method)
        if ctx is not None:
            world.contexts.append(ctx)
    elif kind in (1, 2):
        ctx = pick(fdp, world.contexts) if fdp.ConsumeIntInRange(0, 7) else make_arg(fdp, world)
        if kind == 1:
            sock = None
        else:
            sock = fdp.PickValueInList(
                [world.socket_end(fdp), Fileno(-1), Fileno(2**31 - 1), Fileno(CallbackError("fileno")), Fileno("x"), -1, 2**31 - 1, 2**64, object(), "socket"]
            )
        conn = safe("new.Connection", SSL.Connection, ctx, sock)
        if conn is not None:
            if sock is None:
                world.memory.append(conn)
            if fdp.ConsumeBool():
                safe("new.state", conn.set_connect_state if fdp.ConsumeBool() else conn.set_accept_state)
            world.conns.append(conn)
    elif kind == 3:
        # an instance whose __init__ never ran
        cls = fdp.PickValueInList([SSL.Context, SSL.Connection, SSL.Session, crypto.X509, crypto.PKey, crypto.X509Store, crypto.X509Name])
        obj = safe("new.__new__", cls.__new__, cls)
        if obj is not None:
            world.uninit.append(obj)
            (world.contexts if cls is SSL.Context else world.conns if cls is SSL.Connection else world.results).append(obj)
    elif kind == 4:
        ctx = safe("new.SubContext", SubContext, SSL.TLS_METHOD)
        if ctx is not None:
            world.contexts.append(ctx)
    else:
        ctx = pick(fdp, world.contexts)
        conn = safe("new.SubConnection", SubConnection, ctx, None)
        if conn is not None:
            world.conns.append(conn)
            world.memory.append(conn)


def step_drop(fdp, world):
    pools = [p for p in (world.contexts, world.conns, world.results) if p]
    if pools:
        pool = fdp.PickValueInList(pools)
        del pool[fdp.ConsumeIntInRange(0, len(pool) - 1)]
    if fdp.ConsumeBool():
        gc.collect()


def copy_safe(where, fn, target):
    """copy/deepcopy: pyOpenSSL's Connection recurses in __getattr__ on the
    copy it makes (RecursionError); a Python-level failure, not a finding."""
    try:
        return safe(where, fn, target)
    except Finding as finding:
        if isinstance(finding.__cause__, RecursionError):
            feedback(where, "RecursionError")
            return None
        raise


def step_misc(fdp, world):
    target = pick(fdp, world.objects())
    if target is None:
        return
    kind = fdp.ConsumeIntInRange(0, 7)
    if kind == 0:
        safe("misc.repr", repr, target)
    elif kind == 1:
        copied = copy_safe("misc.copy", copy.copy, target)
        if copied is not None and is_openssl_object(copied):
            world.uninit.append(copied)  # made without __init__
            world.results.append(copied)
    elif kind == 2:
        copy_safe("misc.deepcopy", copy.deepcopy, target)
    elif kind == 3:
        try:
            pickle.dumps(target)
        except (TypeError, pickle.PicklingError, AttributeError) as exc:
            feedback("misc.pickle", outcome(exc))
        except Finding:
            raise
        except BaseException as exc:
            unexpected("misc.pickle", exc)
    elif kind == 4:
        value = make_arg(fdp, world)

        def attribute():
            target.fuzz_attribute = value
            _ = target.fuzz_attribute
            del target.fuzz_attribute

        try:
            attribute()
        except Finding:
            raise
        except (AttributeError,) + ALLOWED as exc:
            feedback("misc.attr", outcome(exc))
        except BaseException as exc:
            unexpected("misc.attr", exc)
    elif kind == 5:
        ref = weakref.ref(target)
        feedback("misc.weakref", ref() is target)
    elif kind == 6:
        safe("misc.hash", hash, target)
        safe("misc.eq", lambda: target == make_arg(fdp, world))
    else:
        # a getter that must work on any object of the type, in any state
        names = [n for n in method_names(target) if n.startswith("get_")]
        if names:
            invoke(world, target, fdp.PickValueInList(names), [], {}, "misc.getter")


def TestOneInput(data: bytes) -> None:
    fdp = FuzzedDataProvider(data)
    world = World()
    _WORLD[0] = world
    try:
        for _ in range(MAX_STEPS):
            if fdp.remaining_bytes() == 0:
                break
            op = fdp.ConsumeIntInRange(0, 15)
            if op <= 4:
                step_call(fdp, world, world.conns)
            elif op <= 7:
                step_call(fdp, world, world.contexts)
            elif op == 8:
                step_call(fdp, world, world.results)
            elif op <= 10:
                step_pump(fdp, world)
            elif op <= 12:
                step_new(fdp, world)
            elif op == 13:
                step_drop(fdp, world)
            else:
                step_misc(fdp, world)
    finally:
        _WORLD[0] = None
        world.close()
