"""An encrypted key loaded with no passphrase and no callback fails with
`Error`; it never prompts on the terminal. pyOpenSSL lets OpenSSL prompt
("Enter PEM pass phrase:") and read the controlling terminal, so a server
started from a shell hangs at start-up; this is a deviation.

The loads run in a child process on a pseudo-terminal with the right
passphrase already typed: if anything read the terminal, the key would load.
"""

import os
import pty
import select
import sys
import time

import base64
import hashlib

import pytest
from cryptography.hazmat.primitives import padding, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

pytestmark = pytest.mark.deviation

PASSPHRASE = b"typed-at-the-terminal"

# Each load prints one line: LOADED, or RAISED <module>.<type>.
CHILD = r"""
import sys
from OpenSSL import SSL, crypto

key_path, chain_path, cert_path = sys.argv[1:4]
pem = open(key_path, "rb").read()

def attempt(name, load):
    try:
        load()
        print(name, "LOADED", flush=True)
    except Exception as error:
        print(name, "RAISED", type(error).__module__ + "." + type(error).__name__, flush=True)

ctx = SSL.Context(SSL.TLS_METHOD)
attempt("use_privatekey_file", lambda: ctx.use_privatekey_file(key_path))
attempt("use_certificate_chain_file", lambda: ctx.use_certificate_chain_file(chain_path))
attempt("load_privatekey", lambda: crypto.load_privatekey(crypto.FILETYPE_PEM, pem))
attempt("load_certificate", lambda: crypto.load_certificate(
    crypto.FILETYPE_PEM, open(cert_path, "rb").read()))
if hasattr(ctx, "use_privatekey_data"):
    attempt("use_privatekey_data", lambda: ctx.use_privatekey_data(pem))
# What was typed is still waiting: nothing read it.
print("UNREAD", sys.stdin.readline().strip(), flush=True)
"""


def _encrypted_key(tmp_path, key_format):
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(serialization.Encoding.PEM, key_format,
                            serialization.BestAvailableEncryption(PASSPHRASE))
    path = tmp_path / "key.pem"
    path.write_bytes(pem)
    return path


def _encrypted_certificate_pem(der: bytes) -> bytes:
    """A certificate in PEM with the legacy encryption headers (RFC 1421):
    OpenSSL asks for a passphrase before it can read it."""
    iv = os.urandom(16)
    key = hashlib.md5(PASSPHRASE + iv[:8]).digest()  # EVP_BytesToKey, one round
    padder = padding.PKCS7(128).padder()
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    body = encryptor.update(padder.update(der) + padder.finalize()) + encryptor.finalize()
    lines = [base64.b64encode(body[i:i + 48]) for i in range(0, len(body), 48)]
    return b"\n".join([b"-----BEGIN CERTIFICATE-----", b"Proc-Type: 4,ENCRYPTED",
                        b"DEK-Info: AES-128-CBC," + iv.hex().upper().encode(), b"",
                        *lines, b"-----END CERTIFICATE-----", b""])


def _run_on_terminal(argv, typed: bytes, timeout=15.0) -> str:
    pid, master = pty.fork()
    if pid == 0:  # the child: its stdin, stdout and controlling terminal are the pty
        try:
            os.execv(sys.executable, [sys.executable, *argv])
        finally:
            os._exit(127)
    os.write(master, typed)
    output = b""
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(master, 4096)
                except OSError:  # EIO: the child closed the terminal
                    break
                if not chunk:
                    break
                output += chunk
            elif os.waitpid(pid, os.WNOHANG) != (0, 0):
                pid = 0
                break
        else:
            pytest.fail(f"the child was still waiting after {timeout} s: {output!r}")
    finally:
        if pid:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
        os.close(master)
    return output.decode(errors="replace")


@pytest.mark.parametrize("key_format", [serialization.PrivateFormat.PKCS8,
                                        serialization.PrivateFormat.TraditionalOpenSSL],
                         ids=["pkcs8", "traditional"])
def test_encrypted_key_without_passphrase_raises_and_never_reads_the_terminal(
        tmp_path, pki, key_format):
    key_path = _encrypted_key(tmp_path, key_format)
    chain_path = tmp_path / "chain.pem"
    chain_path.write_bytes(pki.server_ec.chain_pem.read_bytes() + key_path.read_bytes())
    cert_path = tmp_path / "encrypted-cert.pem"
    cert_path.write_bytes(_encrypted_certificate_pem(pki.server_ec.cert_der.read_bytes()))
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    output = _run_on_terminal([str(script), str(key_path), str(chain_path), str(cert_path)],
                              PASSPHRASE + b"\n")
    assert "pass phrase" not in output.lower(), output
    lines = [line.strip() for line in output.splitlines()]
    assert "use_privatekey_file RAISED OpenSSL.SSL.Error" in lines, output
    assert "use_certificate_chain_file LOADED" in lines, output  # it reads certificates only
    assert "load_privatekey RAISED OpenSSL.crypto.Error" in lines, output
    assert "load_certificate RAISED OpenSSL.crypto.Error" in lines, output
    assert "use_privatekey_data RAISED OpenSSL.SSL.Error" in lines, output
    assert f"UNREAD {PASSPHRASE.decode()}" in lines, output
