"""pyOpenSSL's side of README's deviation-table rows about arguments: NUL
bytes, huge sizes, memory, and errors left in OpenSSL's queue (reference run
only; see deviation_table_helpers.py)."""

from __future__ import annotations

import warnings

import pytest

import robustness_helpers as R
import test_bad_input as bad_input
from deviation_table_helpers import assert_finished
from OpenSSL import SSL, crypto

side = pytest.mark.pyopenssl_side

NUL_AREA = "A NUL byte inside `set_cipher_list`, `set_tls13_ciphersuites`, `set_tlsext_use_srtp` arguments"


@side(NUL_AREA)
@pytest.mark.parametrize("setter, valid", [
    ("set_cipher_list", b"AES128-SHA"),
    ("set_tls13_ciphersuites", b"TLS_AES_128_GCM_SHA256"),
    ("set_tlsext_use_srtp", b"SRTP_AES128_CM_SHA1_80"),
])
def test_a_nul_byte_cuts_the_argument(setter, valid):
    getattr(SSL.Context(SSL.TLS_METHOD), setter)(valid + b"\x00junk")  # OpenSSL sees `valid`
    with pytest.raises(SSL.Error):
        getattr(SSL.Context(SSL.TLS_METHOD), setter)(b"junk\x00" + valid)


@side(NUL_AREA)
def test_the_cipher_list_after_a_nul_is_ignored():
    def ciphers(cipher_list):
        ctx = SSL.Context(SSL.TLS_METHOD)
        ctx.set_cipher_list(cipher_list)
        return SSL.Connection(ctx, None).get_cipher_list()

    assert ciphers(b"AES128-SHA\x00:AES256-SHA") == ciphers(b"AES128-SHA") != ciphers(b"AES128-SHA:AES256-SHA")


@side("`recv(bufsiz)` with a huge `bufsiz`")
def test_recv_allocates_bufsiz_first(pki):
    lines = assert_finished(pki, """
        import resource
        client, server = conftest.connection_pair(sctx, cctx)
        conftest.handshake(client, server)
        server.send(b"hello")
        conftest.pump(client, server)
        with open("/proc/self/status") as status:
            used = next(int(l.split()[1]) * 1024 for l in status if l.startswith("VmSize:"))
        resource.setrlimit(resource.RLIMIT_AS, (used + (256 << 20), resource.getrlimit(resource.RLIMIT_AS)[1]))
        try:
            client.recv(1 << 30)  # 5 bytes waiting; 1 GiB is more than the cap
        except MemoryError:
            say("MemoryError")
        say(repr(client.recv(16384)))
    """)
    assert lines[:2] == ["MemoryError", "b'hello'"]


@side('`set_tlsext_host_name(b"")` or a name over 255 bytes; `add_extra_chain_cert(X509())`')
@pytest.mark.parametrize("call", [
    lambda: SSL.Connection(SSL.Context(SSL.TLS_METHOD), None).set_tlsext_host_name(b""),
    lambda: SSL.Connection(SSL.Context(SSL.TLS_METHOD), None).set_tlsext_host_name(b"a" * 256),
    lambda: SSL.Context(SSL.TLS_METHOD).add_extra_chain_cert(crypto.X509()),
], ids=["empty name", "256-byte name", "empty X509"])
def test_refusals_return_and_leave_an_error_queued(call):
    R.error_queue_clear()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pyOpenSSL X509 objects are deprecated
        assert call() is None
    assert R.error_queue_peek() != 0
    R.error_queue_clear()


@side("An error some other code left in the thread's OpenSSL error queue, then a failing `recv`/`send`/`shutdown`")
def test_a_failing_recv_also_reports_what_others_left(make_pair):
    def failing_recv_errors(leave_one):
        client, server = make_pair()
        R.error_queue_clear()
        if leave_one:
            SSL.Connection(SSL.Context(SSL.TLS_METHOD), None).set_tlsext_host_name(b"")
            assert R.error_queue_peek() != 0
        server.bio_write(b"\x17\x03\x03\x00\x05garbage-record")
        with pytest.raises(SSL.Error) as raised:
            server.recv(100)
        return raised.value.args[0]

    own = failing_recv_errors(False)
    with_leftover = failing_recv_errors(True)
    assert with_leftover[1:] == own and len(with_leftover) == len(own) + 1


@side("`recv(2**62)` / `bio_read(2**62)`")
def test_huge_reads_raise_memory_error(make_pair):
    client, _ = make_pair()
    with pytest.raises(MemoryError):
        client.recv(2**62)
    with pytest.raises(MemoryError):
        client.bio_read(2**62)


@side("Argument copies over 64 MiB (names, cipher strings, PEM data given to `load_verify_data` and friends)")
def test_arguments_over_64_mib_reach_openssl():
    big = b"A" * ((64 << 20) + 1)
    with pytest.raises(SSL.Error):  # OpenSSL's "no cipher match", not MemoryError
        SSL.Context(SSL.TLS_METHOD).set_cipher_list(big)
    SSL.Connection(SSL.Context(SSL.TLS_METHOD), None).set_tlsext_host_name(big)
    R.error_queue_clear()


@side("Memory pressure (a 256 MiB input with 128 MiB to spare)")
@pytest.mark.parametrize("call", ["crypto.load_certificate(crypto.FILETYPE_PEM, big)", "ctx.set_cipher_list(big)"])
def test_memory_pressure_gives_a_clean_exception(pki, call):
    result = R.run_child(bad_input.MEMORY_PRESSURE_CHILD, input_data={"paths": R.pki_paths(pki), "call": call})
    assert result.returncode == 0, R.child_failure(result, call)
    assert R.last_json_line(result.stdout)["outcome"] in ("MemoryError", "SSL.Error", "crypto.Error")


