"""pyOpenSSL's side of README's deviation-table rows about threads (reference
run only; see deviation_table_helpers.py). pyOpenSSL has no guard: a second
thread's call runs while the first is still inside OpenSSL. Each case runs
in a child interpreter, since that is undefined behaviour."""

from __future__ import annotations

import pytest

from deviation_table_helpers import assert_finished

side = pytest.mark.pyopenssl_side

TWO_THREADS_AREA = "Two threads in one Connection or Context at once"

CONNECTION_WHILE_IN_HANDSHAKE = """
inside, release = threading.Event(), threading.Event()
def verify(conn, cert, errno, depth, ok):
    inside.set()
    release.wait(10)
    return ok
cctx.set_verify(SSL.VERIFY_PEER, verify)
client, server = conftest.connection_pair(sctx, cctx)
handshaking = threading.Thread(target=conftest.handshake, args=(client, server), daemon=True)
handshaking.start()
inside.wait(10)
say("second thread", client.get_state_string().decode(), client.pending(), client.want_read())
release.set()
handshaking.join(10)
say("handshake done", client.get_protocol_version_name())
"""


@side(TWO_THREADS_AREA)
def test_a_second_thread_enters_a_connection_inside_its_handshake(pki):
    lines = assert_finished(pki, CONNECTION_WHILE_IN_HANDSHAKE)
    assert lines[0].startswith("second thread ") and lines[1].startswith("handshake done TLSv1")


CONTEXT_WHILE_LOADING_A_KEY = """
import os, tempfile
from cryptography.hazmat.primitives import serialization
inside, release = threading.Event(), threading.Event()
def passphrase(size, verify, userdata):
    inside.set()
    release.wait(10)
    return b"secret"
with open(pki.server_ec.key_pem, "rb") as f:
    key = serialization.load_pem_private_key(f.read(), None)
path = os.path.join(tempfile.mkdtemp(), "key.pem")
with open(path, "wb") as f:
    f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                              serialization.BestAvailableEncryption(b"secret")))
ctx = SSL.Context(SSL.TLS_METHOD)
ctx.set_passwd_cb(passphrase)
loading = threading.Thread(target=ctx.use_privatekey_file, args=(path,), daemon=True)
loading.start()
inside.wait(10)
ctx.set_verify_depth(3)
say("second thread", ctx.get_verify_depth())
release.set()
loading.join(10)
"""


@side(TWO_THREADS_AREA)
def test_a_second_thread_enters_a_context_inside_a_key_load(pki):
    assert assert_finished(pki, CONTEXT_WHILE_LOADING_A_KEY)[0] == "second thread 3"


BLOCKED_READER = """
client, server, csock, ssock = R.socket_connection_pair(sctx, cctx, timeout=10.0)
got = {}
reader = threading.Thread(target=lambda: got.setdefault("data", client.recv(1024)), daemon=True)
reader.start()
time.sleep(0.3)
say("reader blocked", reader.is_alive())
"""


@side("`Connection.__init__` called again while another thread is inside")
def test_reinit_while_another_thread_reads_goes_through(pki):
    lines = assert_finished(pki, BLOCKED_READER + """
client.__init__(cctx, csock)
say("re-initialised")
server.sendall(b"payload")
reader.join(10)
say("reader got", got.get("data"))
""")
    assert lines == ["reader blocked True", "re-initialised", "reader got b'payload'", "end"]


@side("`send()` from a second thread while the first is blocked in `recv()` on the same Connection")
def test_send_runs_while_another_thread_is_blocked_in_recv(pki):
    lines = assert_finished(pki, BLOCKED_READER + """
say("sent", client.send(b"ping"))
say("server got", server.recv(100))
server.sendall(b"pong")
reader.join(10)
say("reader got", got.get("data"))
""")
    assert lines == ["reader blocked True", "sent 4", "server got b'ping'", "reader got b'pong'", "end"]
