"""Bad input: every public method refuses it cleanly and leaves OpenSSL clean.

``TABLE`` lists, for every public method of Context, Connection, Session,
X509, PKey, X509Name, X509Store, X509StoreContext and the module functions,
the bad inputs tried and the outcome expected: the exception type the call
must raise ("returns": it must return normally). ``docs/bad-input.md`` is
generated from it::

    python Tests/python/test_bad_input.py --markdown > docs/bad-input.md

and ``test_doc_matches_table`` keeps the two equal.

Every row runs in a child interpreter (one child for all rows; a child that
crashes takes only its current row with it and the rest continue in a new
one), against fresh fixtures (``robustness_helpers.BadInputFixtures``). A row
passes when the call raised exactly the expected type (no crash, no hang, no
SystemError, no exception swallowed as "unraisable") and OpenSSL was left
clean: the thread's error queue is empty afterwards, and then
``Context.set_cipher_list(b"bogus")`` raises an Error whose ``args[0]`` is
exactly its own entry and a fresh memory-BIO handshake with a round trip
succeeds.

How the expected outcome was chosen:

* pyOpenSSL 26.4's exception type, wherever it raises a clean one (also an
  AttributeError it raises for a wrong argument type: code catches those);
* for objects whose ``__init__`` never ran, ValueError ("object is not
  initialised"): pyOpenSSL raises AttributeError or RecursionError there by
  accident of its implementation (rows marked ``deviation``);
* where pyOpenSSL crashes, recurses, or leaves an error in OpenSSL's queue,
  ours must do better (rows marked ``deviation``, the note says what
  pyOpenSSL does);
* deliberate differences (ours refuses something pyOpenSSL accepts and then
  fails on later, or refuses earlier) are marked ``deviation`` with a note;
* methods pyOpenSSL does not have are marked ``ours``.

Rows marked ``ours`` or ``deviation`` are skipped when the suite runs against
pyOpenSSL (``PYOPENSSL_REFERENCE=1``). The labels are checked there instead:
every ``deviation`` row fails on pyOpenSSL
(``test_deviation_table.py``) and every ``ours`` row names a method pyOpenSSL
lacks (``test_ours_rows_are_methods_pyopenssl_lacks`` below).
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

OURS = "ours"  # a method pyOpenSSL 26.4 does not have
DEVIATION = "deviation"  # a method it has, where ours deliberately differs
MARKS = {OURS: "ours", DEVIATION: "deviation", "": "both"}

# (method, bad input, call, expected, applies to ("" both, OURS, DEVIATION), note)
TABLE = [
    ('Context.add_client_ca', 'uninitialised object (cls.__new__(cls))', 'SSL.Context.__new__(SSL.Context).add_client_ca(cert)', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('Context.add_client_ca', 'certificate_authority: None', 'ctx.add_client_ca(None)', 'TypeError', "", ''),
    ('Context.add_client_ca', 'certificate_authority: int', 'ctx.add_client_ca(1)', 'TypeError', "", ''),
    ('Context.add_client_ca', 'certificate_authority: bytes', "ctx.add_client_ca(b'not a cert')", 'TypeError', "", ''),
    ('Context.add_client_ca', 'certificate_authority: uninitialised X509', 'ctx.add_client_ca(crypto.X509.__new__(crypto.X509))', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('Context.add_client_ca', 'certificate_authority: empty X509()', 'ctx.add_client_ca(crypto.X509())', 'returns', "", ''),
    ('Context.add_client_ca', 'too many arguments', 'ctx.add_client_ca(cert, None, None, None, None, None)', 'TypeError', "", ''),
    ('Context.add_extra_chain_cert', 'uninitialised object (cls.__new__(cls))', 'SSL.Context.__new__(SSL.Context).add_extra_chain_cert(cert)', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('Context.add_extra_chain_cert', 'certobj: None', 'ctx.add_extra_chain_cert(None)', 'TypeError', "", ''),
    ('Context.add_extra_chain_cert', 'certobj: int', 'ctx.add_extra_chain_cert(1)', 'TypeError', "", ''),
    ('Context.add_extra_chain_cert', 'certobj: bytes', "ctx.add_extra_chain_cert(b'not a cert')", 'TypeError', "", ''),
    ('Context.add_extra_chain_cert', 'certobj: uninitialised X509', 'ctx.add_extra_chain_cert(crypto.X509.__new__(crypto.X509))', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('Context.add_extra_chain_cert', 'certobj: empty X509()', 'ctx.add_extra_chain_cert(crypto.X509())', 'SSL.Error', DEVIATION, "pyOpenSSL returns normally but leaves an error in OpenSSL's queue"),
    ('Context.add_extra_chain_cert', 'too many arguments', 'ctx.add_extra_chain_cert(cert, None, None, None, None, None)', 'TypeError', "", ''),
    ('Context.check_privatekey', 'uninitialised object (cls.__new__(cls))', 'SSL.Context.__new__(SSL.Context).check_privatekey()', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('Context.check_privatekey', 'too many arguments', 'ctx.check_privatekey(None, None, None, None, None)', 'TypeError', "", ''),
    ('Context.clear_mode', 'uninitialised object (cls.__new__(cls))', 'SSL.Context.__new__(SSL.Context).clear_mode(SSL.MODE_RELEASE_BUFFERS)', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('Context.clear_mode', 'mode_to_clear: None', 'ctx.clear_mode(None)', 'TypeError', "", ''),
    ('Context.clear_mode', 'mode_to_clear: str', "ctx.clear_mode('1')", 'TypeError', "", ''),
    ('Context.clear_mode', 'mode_to_clear: float', 'ctx.clear_mode(1.5)', 'TypeError', "", ''),
    ('Context.clear_mode', 'mode_to_clear: -1', 'ctx.clear_mode(-1)', 'returns', "", ''),
    ('Context.clear_mode', 'mode_to_clear: 2**63', 'ctx.clear_mode(2**63)', 'OverflowError', "", ''),
    ('Context.clear_mode', 'mode_to_clear: 2**64', 'ctx.clear_mode(2**64)', 'OverflowError', "", ''),
    ('Context.clear_mode', 'too many arguments', 'ctx.clear_mode(SSL.MODE_RELEASE_BUFFERS, None, None, None, None, None)', 'TypeError', "", ''),
    ('Context.get_app_data', 'uninitialised object (cls.__new__(cls))', 'SSL.Context.__new__(SSL.Context).get_app_data()', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('Context.get_app_data', 'too many arguments', 'ctx.get_app_data(None, None, None, None, None)', 'TypeError', "", ''),
    ('Context.get_cert_store', 'uninitialised object (cls.__new__(cls))', 'SSL.Context.__new__(SSL.Context).get_cert_store()', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('Context.get_cert_store', 'too many arguments', 'ctx.get_cert_store(None, None, None, None, None)', 'TypeError', "", ''),
    ('Context.get_session_cache_mode', 'uninitialised object (cls.__new__(cls))', 'SSL.Context.__new__(SSL.Context).get_session_cache_mode()', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('Context.get_session_cache_mode', 'too many arguments', 'ctx.get_session_cache_mode(None, None, None, None, None)', 'TypeError', "", ''),
    ('Context.get_timeout', 'uninitialised object (cls.__new__(cls))', 'SSL.Context.__new__(SSL.Context).get_timeout()', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('Context.get_timeout', 'too many arguments', 'ctx.get_timeout(None, None, None, None, None)', 'TypeError', "", ''),
    ('Context.get_verify_depth', 'uninitialised object (cls.__new__(cls))', 'SSL.Context.__new__(SSL.Context).get_verify_depth()', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('Context.get_verify_depth', 'too many arguments', 'ctx.get_verify_depth(None, None, None, None, None)', 'TypeError', "", ''),
    ('Context.get_verify_mode', 'uninitialised object (cls.__new__(cls))', 'SSL.Context.__new__(SSL.Context).get_verify_mode()', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('Context.get_verify_mode', 'too many arguments', 'ctx.get_verify_mode(None, None, None, None, None)', 'TypeError', "", ''),
    ('Context.load_client_ca', 'uninitialised object (cls.__new__(cls))', 'SSL.Context.__new__(SSL.Context).load_client_ca(CA_PEM.encode())', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('Context.load_client_ca', 'cafile: None', 'ctx.load_client_ca(None)', 'TypeError', "", ''),
    ('Context.load_client_ca', 'cafile: int', 'ctx.load_client_ca(1)', 'TypeError', "", ''),
    ('Context.load_client_ca', 'cafile: str', "ctx.load_client_ca('text')", 'SSL.Error', "", ''),
    ('Context.load_client_ca', 'cafile: empty', "ctx.load_client_ca(b'')", 'SSL.Error', "", ''),
    ('Context.load_client_ca', 'cafile: oversized 70000 bytes', "ctx.load_client_ca(b'A' * 70000)", 'SSL.Error', "", ''),
    ('Context.load_client_ca', 'cafile: NUL inside', "ctx.load_client_ca(b'a\\x00b')", 'SSL.Error', "", ''),
    ('Context.load_client_ca', 'too many arguments', 'ctx.load_client_ca(CA_PEM.encode(), None, None, None, None, None)', 'TypeError', "", ''),
    ('Context.load_tmp_dh', 'uninitialised object (cls.__new__(cls))', 'SSL.Context.__new__(SSL.Context).load_tmp_dh(DH_PEM)', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('Context.load_tmp_dh', 'dhfile: None', 'ctx.load_tmp_dh(None)', 'TypeError', "", ''),
    ('Context.load_tmp_dh', 'dhfile: int', 'ctx.load_tmp_dh(1)', 'TypeError', "", ''),
    ('Context.load_tmp_dh', 'dhfile: empty', "ctx.load_tmp_dh('')", 'SSL.Error', "", ''),
    ('Context.load_tmp_dh', 'dhfile: missing file', "ctx.load_tmp_dh('/nonexistent/x.pem')", 'SSL.Error', "", ''),
    ('Context.load_tmp_dh', 'dhfile: NUL inside', "ctx.load_tmp_dh('bad\\x00path')", 'SSL.Error', "", ''),
    ('Context.load_tmp_dh', 'dhfile: 5000-char name', "ctx.load_tmp_dh('a' * 5000)", 'SSL.Error', "", ''),
    ('Context.load_tmp_dh', 'too many arguments', 'ctx.load_tmp_dh(DH_PEM, None, None, None, None, None)', 'TypeError', "", ''),
    ('Context.load_verify_data', 'uninitialised object (cls.__new__(cls))', 'SSL.Context.__new__(SSL.Context).load_verify_data(CA_PEM_BYTES)', 'ValueError', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.load_verify_data', 'data: None', 'ctx.load_verify_data(None)', 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.load_verify_data', 'data: int', 'ctx.load_verify_data(1)', 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.load_verify_data', 'data: str', "ctx.load_verify_data('text')", 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.load_verify_data', 'data: empty', "ctx.load_verify_data(b'')", 'SSL.Error', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.load_verify_data', 'data: oversized 70000 bytes', "ctx.load_verify_data(b'A' * 70000)", 'SSL.Error', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.load_verify_data', 'data: NUL inside', "ctx.load_verify_data(b'a\\x00b')", 'SSL.Error', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.load_verify_data', 'too many arguments', 'ctx.load_verify_data(CA_PEM_BYTES, None, None, None, None, None)', 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.load_verify_locations', 'uninitialised object (cls.__new__(cls))', 'SSL.Context.__new__(SSL.Context).load_verify_locations(CA_PEM, None)', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('Context.load_verify_locations', 'cafile: None', 'ctx.load_verify_locations(None, None)', 'SSL.Error', "", ''),
    ('Context.load_verify_locations', 'cafile: int', 'ctx.load_verify_locations(1, None)', 'TypeError', "", ''),
    ('Context.load_verify_locations', 'cafile: empty', "ctx.load_verify_locations('', None)", 'SSL.Error', "", ''),
    ('Context.load_verify_locations', 'cafile: missing file', "ctx.load_verify_locations('/nonexistent/x.pem', None)", 'SSL.Error', "", ''),
    ('Context.load_verify_locations', 'cafile: NUL inside', "ctx.load_verify_locations('bad\\x00path', None)", 'SSL.Error', "", ''),
    ('Context.load_verify_locations', 'cafile: 5000-char name', "ctx.load_verify_locations('a' * 5000, None)", 'SSL.Error', "", ''),
    ('Context.load_verify_locations', 'capath: int', 'ctx.load_verify_locations(CA_PEM, 1)', 'TypeError', "", ''),
    ('Context.load_verify_locations', 'capath: empty', "ctx.load_verify_locations(CA_PEM, '')", 'SSL.Error', "", ''),
    ('Context.load_verify_locations', 'capath: missing file', "ctx.load_verify_locations(CA_PEM, '/nonexistent/x.pem')", 'returns', "", ''),
    ('Context.load_verify_locations', 'capath: NUL inside', "ctx.load_verify_locations(CA_PEM, 'bad\\x00path')", 'returns', "", ''),
    ('Context.load_verify_locations', 'capath: 5000-char name', "ctx.load_verify_locations(CA_PEM, 'a' * 5000)", 'returns', "", ''),
    ('Context.load_verify_locations', 'too many arguments', 'ctx.load_verify_locations(CA_PEM, None, None, None, None, None, None)', 'TypeError', "", ''),
    ('Context.set_alpn_protos', 'uninitialised object (cls.__new__(cls))', "SSL.Context.__new__(SSL.Context).set_alpn_protos([b'h2'])", 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('Context.set_alpn_protos', 'protos: None', 'ctx.set_alpn_protos(None)', 'ValueError', "", ''),
    ('Context.set_alpn_protos', 'protos: int', 'ctx.set_alpn_protos(1)', 'TypeError', "", ''),
    ('Context.set_alpn_protos', 'protos: empty list', 'ctx.set_alpn_protos([])', 'ValueError', "", ''),
    ('Context.set_alpn_protos', 'protos: empty name', "ctx.set_alpn_protos([b''])", 'SSL.Error', "", ''),
    ('Context.set_alpn_protos', 'protos: 256-byte name', "ctx.set_alpn_protos([b'a' * 256])", 'ValueError', "", ''),
    ('Context.set_alpn_protos', 'protos: str item', "ctx.set_alpn_protos(['h2'])", 'TypeError', "", ''),
    ('Context.set_alpn_protos', 'protos: bytes, not list', "ctx.set_alpn_protos(b'h2')", 'TypeError', "", ''),
    ('Context.set_alpn_protos', 'too many arguments', "ctx.set_alpn_protos([b'h2'], None, None, None, None, None)", 'TypeError', "", ''),
    ('Context.set_alpn_select_callback', 'uninitialised object (cls.__new__(cls))', 'SSL.Context.__new__(SSL.Context).set_alpn_select_callback(lambda c, p: p[0])', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('Context.set_alpn_select_callback', 'callback: int', 'ctx.set_alpn_select_callback(1)', 'TypeError', DEVIATION, 'pyOpenSSL accepts a non-callable and fails later, in the handshake'),
    ('Context.set_alpn_select_callback', 'callback: str', "ctx.set_alpn_select_callback('not callable')", 'TypeError', DEVIATION, 'pyOpenSSL accepts a non-callable and fails later, in the handshake'),
    ('Context.set_alpn_select_callback', 'too many arguments', 'ctx.set_alpn_select_callback(lambda c, p: p[0], None, None, None, None, None)', 'TypeError', "", ''),
    ('Context.set_app_data', 'uninitialised object (cls.__new__(cls))', 'SSL.Context.__new__(SSL.Context).set_app_data(object())', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('Context.set_app_data', 'too many arguments', 'ctx.set_app_data(object(), None, None, None, None, None)', 'TypeError', "", ''),
    ('Context.set_cipher_list', 'uninitialised object (cls.__new__(cls))', "SSL.Context.__new__(SSL.Context).set_cipher_list(b'HIGH')", 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('Context.set_cipher_list', 'cipher_list: None', 'ctx.set_cipher_list(None)', 'TypeError', "", ''),
    ('Context.set_cipher_list', 'cipher_list: int', 'ctx.set_cipher_list(1)', 'TypeError', "", ''),
    ('Context.set_cipher_list', 'cipher_list: str', "ctx.set_cipher_list('text')", 'SSL.Error', "", ''),
    ('Context.set_cipher_list', 'cipher_list: empty', "ctx.set_cipher_list(b'')", 'SSL.Error', "", ''),
    ('Context.set_cipher_list', 'cipher_list: oversized 70000 bytes', "ctx.set_cipher_list(b'A' * 70000)", 'SSL.Error', "", ''),
    ('Context.set_cipher_list', 'cipher_list: NUL inside', "ctx.set_cipher_list(b'a\\x00b')", 'ValueError', DEVIATION, 'pyOpenSSL cuts the string at the NUL and reports what OpenSSL makes of the rest (SSL.Error)'),
    ('Context.set_cipher_list', 'too many arguments', "ctx.set_cipher_list(b'HIGH', None, None, None, None, None)", 'TypeError', "", ''),
    ('Context.set_client_ca_list', 'uninitialised object (cls.__new__(cls))', 'SSL.Context.__new__(SSL.Context).set_client_ca_list([name])', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('Context.set_client_ca_list', 'certificate_authorities: None', 'ctx.set_client_ca_list(None)', 'TypeError', "", ''),
    ('Context.set_client_ca_list', 'certificate_authorities: int', 'ctx.set_client_ca_list(1)', 'TypeError', "", ''),
    ('Context.set_client_ca_list', 'certificate_authorities: list of int', 'ctx.set_client_ca_list([1])', 'TypeError', "", ''),
    ('Context.set_client_ca_list', 'certificate_authorities: list of uninitialised X509Name', 'ctx.set_client_ca_list([crypto.X509Name.__new__(crypto.X509Name)])', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('Context.set_client_ca_list', 'too many arguments', 'ctx.set_client_ca_list([name], None, None, None, None, None)', 'TypeError', "", ''),
    ('Context.set_client_hello_callback', 'uninitialised object (cls.__new__(cls))', 'SSL.Context.__new__(SSL.Context).set_client_hello_callback(lambda c, h: True)', 'ValueError', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.set_client_hello_callback', 'callback: int', 'ctx.set_client_hello_callback(1)', 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.set_client_hello_callback', 'callback: str', "ctx.set_client_hello_callback('not callable')", 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.set_client_hello_callback', 'too many arguments', 'ctx.set_client_hello_callback(lambda c, h: True, None, None, None, None, None)', 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.set_cookie_generate_callback', 'uninitialised object (cls.__new__(cls))', "SSL.Context.__new__(SSL.Context).set_cookie_generate_callback(lambda c: b'cookie')", 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('Context.set_cookie_generate_callback', 'callback: int', 'ctx.set_cookie_generate_callback(1)', 'TypeError', DEVIATION, 'pyOpenSSL accepts a non-callable and fails later, in the handshake'),
    ('Context.set_cookie_generate_callback', 'callback: str', "ctx.set_cookie_generate_callback('not callable')", 'TypeError', DEVIATION, 'pyOpenSSL accepts a non-callable and fails later, in the handshake'),
    ('Context.set_cookie_generate_callback', 'too many arguments', "ctx.set_cookie_generate_callback(lambda c: b'cookie', None, None, None, None, None)", 'TypeError', "", ''),
    ('Context.set_cookie_verify_callback', 'uninitialised object (cls.__new__(cls))', 'SSL.Context.__new__(SSL.Context).set_cookie_verify_callback(lambda c, k: True)', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('Context.set_cookie_verify_callback', 'callback: int', 'ctx.set_cookie_verify_callback(1)', 'TypeError', DEVIATION, 'pyOpenSSL accepts a non-callable and fails later, in the handshake'),
    ('Context.set_cookie_verify_callback', 'callback: str', "ctx.set_cookie_verify_callback('not callable')", 'TypeError', DEVIATION, 'pyOpenSSL accepts a non-callable and fails later, in the handshake'),
    ('Context.set_cookie_verify_callback', 'too many arguments', 'ctx.set_cookie_verify_callback(lambda c, k: True, None, None, None, None, None)', 'TypeError', "", ''),
    ('Context.set_default_verify_paths', 'uninitialised object (cls.__new__(cls))', 'SSL.Context.__new__(SSL.Context).set_default_verify_paths()', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('Context.set_default_verify_paths', 'too many arguments', 'ctx.set_default_verify_paths(None, None, None, None, None)', 'TypeError', "", ''),
    ('Context.set_groups', 'uninitialised object (cls.__new__(cls))', "SSL.Context.__new__(SSL.Context).set_groups('P-256')", 'ValueError', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.set_groups', 'groups: None', 'ctx.set_groups(None)', 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.set_groups', 'groups: int', 'ctx.set_groups(1)', 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.set_groups', 'groups: empty str', "ctx.set_groups('')", 'ValueError', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.set_groups', 'groups: unknown', "ctx.set_groups('NoSuchGroup')", 'ValueError', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.set_groups', 'groups: list of int', 'ctx.set_groups([1])', 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.set_groups', 'groups: empty list', 'ctx.set_groups([])', 'ValueError', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.set_groups', 'too many arguments', "ctx.set_groups('P-256', None, None, None, None, None)", 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.set_info_callback', 'uninitialised object (cls.__new__(cls))', 'SSL.Context.__new__(SSL.Context).set_info_callback(lambda c, w, r: None)', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('Context.set_info_callback', 'callback: int', 'ctx.set_info_callback(1)', 'TypeError', DEVIATION, 'pyOpenSSL accepts a non-callable; in the handshake cffi prints the TypeError and the handshake goes on'),
    ('Context.set_info_callback', 'callback: str', "ctx.set_info_callback('not callable')", 'TypeError', DEVIATION, 'pyOpenSSL accepts a non-callable; in the handshake cffi prints the TypeError and the handshake goes on'),
    ('Context.set_info_callback', 'too many arguments', 'ctx.set_info_callback(lambda c, w, r: None, None, None, None, None, None)', 'TypeError', "", ''),
    ('Context.set_keylog_callback', 'uninitialised object (cls.__new__(cls))', 'SSL.Context.__new__(SSL.Context).set_keylog_callback(lambda c, l: None)', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('Context.set_keylog_callback', 'callback: int', 'ctx.set_keylog_callback(1)', 'TypeError', DEVIATION, 'pyOpenSSL accepts a non-callable; in the handshake cffi prints the TypeError and the handshake goes on'),
    ('Context.set_keylog_callback', 'callback: str', "ctx.set_keylog_callback('not callable')", 'TypeError', DEVIATION, 'pyOpenSSL accepts a non-callable; in the handshake cffi prints the TypeError and the handshake goes on'),
    ('Context.set_keylog_callback', 'too many arguments', 'ctx.set_keylog_callback(lambda c, l: None, None, None, None, None, None)', 'TypeError', "", ''),
    ('Context.set_max_proto_version', 'uninitialised object (cls.__new__(cls))', 'SSL.Context.__new__(SSL.Context).set_max_proto_version(SSL.TLS1_3_VERSION)', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('Context.set_max_proto_version', 'version: None', 'ctx.set_max_proto_version(None)', 'TypeError', "", ''),
    ('Context.set_max_proto_version', 'version: str', "ctx.set_max_proto_version('1')", 'TypeError', "", ''),
    ('Context.set_max_proto_version', 'version: float', 'ctx.set_max_proto_version(1.5)', 'TypeError', "", ''),
    ('Context.set_max_proto_version', 'version: -1', 'ctx.set_max_proto_version(-1)', 'SSL.Error', "", ''),
    ('Context.set_max_proto_version', 'version: 2**63', 'ctx.set_max_proto_version(2**63)', 'OverflowError', "", ''),
    ('Context.set_max_proto_version', 'version: 2**64', 'ctx.set_max_proto_version(2**64)', 'OverflowError', "", ''),
    ('Context.set_max_proto_version', 'too many arguments', 'ctx.set_max_proto_version(SSL.TLS1_3_VERSION, None, None, None, None, None)', 'TypeError', "", ''),
    ('Context.set_min_proto_version', 'uninitialised object (cls.__new__(cls))', 'SSL.Context.__new__(SSL.Context).set_min_proto_version(SSL.TLS1_2_VERSION)', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('Context.set_min_proto_version', 'version: None', 'ctx.set_min_proto_version(None)', 'TypeError', "", ''),
    ('Context.set_min_proto_version', 'version: str', "ctx.set_min_proto_version('1')", 'TypeError', "", ''),
    ('Context.set_min_proto_version', 'version: float', 'ctx.set_min_proto_version(1.5)', 'TypeError', "", ''),
    ('Context.set_min_proto_version', 'version: -1', 'ctx.set_min_proto_version(-1)', 'SSL.Error', "", ''),
    ('Context.set_min_proto_version', 'version: 2**63', 'ctx.set_min_proto_version(2**63)', 'OverflowError', "", ''),
    ('Context.set_min_proto_version', 'version: 2**64', 'ctx.set_min_proto_version(2**64)', 'OverflowError', "", ''),
    ('Context.set_min_proto_version', 'too many arguments', 'ctx.set_min_proto_version(SSL.TLS1_2_VERSION, None, None, None, None, None)', 'TypeError', "", ''),
    ('Context.set_mode', 'uninitialised object (cls.__new__(cls))', 'SSL.Context.__new__(SSL.Context).set_mode(SSL.MODE_RELEASE_BUFFERS)', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('Context.set_mode', 'mode: None', 'ctx.set_mode(None)', 'TypeError', "", ''),
    ('Context.set_mode', 'mode: str', "ctx.set_mode('1')", 'TypeError', "", ''),
    ('Context.set_mode', 'mode: float', 'ctx.set_mode(1.5)', 'TypeError', "", ''),
    ('Context.set_mode', 'mode: -1', 'ctx.set_mode(-1)', 'returns', "", ''),
    ('Context.set_mode', 'mode: 2**63', 'ctx.set_mode(2**63)', 'OverflowError', "", ''),
    ('Context.set_mode', 'mode: 2**64', 'ctx.set_mode(2**64)', 'OverflowError', "", ''),
    ('Context.set_mode', 'too many arguments', 'ctx.set_mode(SSL.MODE_RELEASE_BUFFERS, None, None, None, None, None)', 'TypeError', "", ''),
    ('Context.set_npn_advertise_callback', 'uninitialised object (cls.__new__(cls))', "SSL.Context.__new__(SSL.Context).set_npn_advertise_callback(lambda c: [b'h2'])", 'ValueError', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.set_npn_advertise_callback', 'callback: int', 'ctx.set_npn_advertise_callback(1)', 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.set_npn_advertise_callback', 'callback: str', "ctx.set_npn_advertise_callback('not callable')", 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.set_npn_advertise_callback', 'too many arguments', "ctx.set_npn_advertise_callback(lambda c: [b'h2'], None, None, None, None, None)", 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.set_npn_select_callback', 'uninitialised object (cls.__new__(cls))', 'SSL.Context.__new__(SSL.Context).set_npn_select_callback(lambda c, p: p[0])', 'ValueError', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.set_npn_select_callback', 'callback: int', 'ctx.set_npn_select_callback(1)', 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.set_npn_select_callback', 'callback: str', "ctx.set_npn_select_callback('not callable')", 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.set_npn_select_callback', 'too many arguments', 'ctx.set_npn_select_callback(lambda c, p: p[0], None, None, None, None, None)', 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.set_ocsp_client_callback', 'uninitialised object (cls.__new__(cls))', 'SSL.Context.__new__(SSL.Context).set_ocsp_client_callback(lambda c, o, d: True, None)', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('Context.set_ocsp_client_callback', 'callback: int', 'ctx.set_ocsp_client_callback(1, None)', 'TypeError', DEVIATION, 'pyOpenSSL accepts a non-callable and fails later, in the handshake'),
    ('Context.set_ocsp_client_callback', 'callback: str', "ctx.set_ocsp_client_callback('not callable', None)", 'TypeError', DEVIATION, 'pyOpenSSL accepts a non-callable and fails later, in the handshake'),
    ('Context.set_ocsp_client_callback', 'too many arguments', 'ctx.set_ocsp_client_callback(lambda c, o, d: True, None, None, None, None, None, None)', 'TypeError', "", ''),
    ('Context.set_ocsp_server_callback', 'uninitialised object (cls.__new__(cls))', "SSL.Context.__new__(SSL.Context).set_ocsp_server_callback(lambda c, d: b'', None)", 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('Context.set_ocsp_server_callback', 'callback: int', 'ctx.set_ocsp_server_callback(1, None)', 'TypeError', DEVIATION, 'pyOpenSSL accepts a non-callable and fails later, in the handshake'),
    ('Context.set_ocsp_server_callback', 'callback: str', "ctx.set_ocsp_server_callback('not callable', None)", 'TypeError', DEVIATION, 'pyOpenSSL accepts a non-callable and fails later, in the handshake'),
    ('Context.set_ocsp_server_callback', 'too many arguments', "ctx.set_ocsp_server_callback(lambda c, d: b'', None, None, None, None, None, None)", 'TypeError', "", ''),
    ('Context.set_options', 'uninitialised object (cls.__new__(cls))', 'SSL.Context.__new__(SSL.Context).set_options(SSL.OP_NO_TICKET)', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('Context.set_options', 'options: None', 'ctx.set_options(None)', 'TypeError', "", ''),
    ('Context.set_options', 'options: str', "ctx.set_options('1')", 'TypeError', "", ''),
    ('Context.set_options', 'options: float', 'ctx.set_options(1.5)', 'TypeError', "", ''),
    ('Context.set_options', 'options: -1', 'ctx.set_options(-1)', 'OverflowError', "", ''),
    ('Context.set_options', 'options: 2**63', 'ctx.set_options(2**63)', 'returns', "", ''),
    ('Context.set_options', 'options: 2**64', 'ctx.set_options(2**64)', 'OverflowError', "", ''),
    ('Context.set_options', 'too many arguments', 'ctx.set_options(SSL.OP_NO_TICKET, None, None, None, None, None)', 'TypeError', "", ''),
    ('Context.set_passwd_cb', 'uninitialised object (cls.__new__(cls))', "SSL.Context.__new__(SSL.Context).set_passwd_cb(lambda n, v, u: b'secret', None)", 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('Context.set_passwd_cb', 'callback: int', 'ctx.set_passwd_cb(1, None)', 'TypeError', "", ''),
    ('Context.set_passwd_cb', 'callback: str', "ctx.set_passwd_cb('not callable', None)", 'TypeError', "", ''),
    ('Context.set_passwd_cb', 'too many arguments', "ctx.set_passwd_cb(lambda n, v, u: b'secret', None, None, None, None, None, None)", 'TypeError', "", ''),
    ('Context.set_post_handshake_auth', 'uninitialised object (cls.__new__(cls))', 'SSL.Context.__new__(SSL.Context).set_post_handshake_auth(True)', 'ValueError', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.set_post_handshake_auth', 'enabled: __bool__ raises', 'ctx.set_post_handshake_auth(bad_bool)', 'ArithmeticError', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.set_post_handshake_auth', 'too many arguments', 'ctx.set_post_handshake_auth(True, None, None, None, None, None)', 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.set_psk_client_callback', 'uninitialised object (cls.__new__(cls))', "SSL.Context.__new__(SSL.Context).set_psk_client_callback(lambda h: ('id', b'k' * 16))", 'ValueError', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.set_psk_client_callback', 'callback: int', 'ctx.set_psk_client_callback(1)', 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.set_psk_client_callback', 'callback: str', "ctx.set_psk_client_callback('not callable')", 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.set_psk_client_callback', 'too many arguments', "ctx.set_psk_client_callback(lambda h: ('id', b'k' * 16), None, None, None, None, None)", 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.set_psk_server_callback', 'uninitialised object (cls.__new__(cls))', "SSL.Context.__new__(SSL.Context).set_psk_server_callback(lambda i: b'k' * 16, None)", 'ValueError', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.set_psk_server_callback', 'callback: int', 'ctx.set_psk_server_callback(1, None)', 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.set_psk_server_callback', 'callback: str', "ctx.set_psk_server_callback('not callable', None)", 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.set_psk_server_callback', 'identity_hint: int', "ctx.set_psk_server_callback(lambda i: b'k' * 16, 1)", 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.set_psk_server_callback', 'identity_hint: bytes', "ctx.set_psk_server_callback(lambda i: b'k' * 16, b'sha256')", 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.set_psk_server_callback', 'identity_hint: empty', "ctx.set_psk_server_callback(lambda i: b'k' * 16, '')", 'returns', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.set_psk_server_callback', 'identity_hint: unknown', "ctx.set_psk_server_callback(lambda i: b'k' * 16, 'no-such')", 'returns', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.set_psk_server_callback', 'identity_hint: NUL inside', "ctx.set_psk_server_callback(lambda i: b'k' * 16, 'sha\\x00256')", 'ValueError', OURS, 'not in pyOpenSSL 26.4; C would cut the hint at the NUL'),
    ('Context.set_psk_server_callback', 'too many arguments', "ctx.set_psk_server_callback(lambda i: b'k' * 16, None, None, None, None, None, None)", 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.set_session_cache_mode', 'uninitialised object (cls.__new__(cls))', 'SSL.Context.__new__(SSL.Context).set_session_cache_mode(SSL.SESS_CACHE_CLIENT)', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('Context.set_session_cache_mode', 'mode: None', 'ctx.set_session_cache_mode(None)', 'TypeError', "", ''),
    ('Context.set_session_cache_mode', 'mode: str', "ctx.set_session_cache_mode('1')", 'TypeError', "", ''),
    ('Context.set_session_cache_mode', 'mode: float', 'ctx.set_session_cache_mode(1.5)', 'TypeError', "", ''),
    ('Context.set_session_cache_mode', 'mode: -1', 'ctx.set_session_cache_mode(-1)', 'returns', "", ''),
    ('Context.set_session_cache_mode', 'mode: 2**63', 'ctx.set_session_cache_mode(2**63)', 'OverflowError', "", ''),
    ('Context.set_session_cache_mode', 'mode: 2**64', 'ctx.set_session_cache_mode(2**64)', 'OverflowError', "", ''),
    ('Context.set_session_cache_mode', 'too many arguments', 'ctx.set_session_cache_mode(SSL.SESS_CACHE_CLIENT, None, None, None, None, None)', 'TypeError', "", ''),
    ('Context.set_session_id', 'uninitialised object (cls.__new__(cls))', "SSL.Context.__new__(SSL.Context).set_session_id(b'sid')", 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('Context.set_session_id', 'buf: None', 'ctx.set_session_id(None)', 'TypeError', "", ''),
    ('Context.set_session_id', 'buf: int', 'ctx.set_session_id(1)', 'TypeError', "", ''),
    ('Context.set_session_id', 'buf: str', "ctx.set_session_id('text')", 'returns', "", ''),
    ('Context.set_session_id', 'buf: empty', "ctx.set_session_id(b'')", 'returns', "", ''),
    ('Context.set_session_id', 'buf: oversized 70000 bytes', "ctx.set_session_id(b'A' * 70000)", 'SSL.Error', "", ''),
    ('Context.set_session_id', 'buf: NUL inside', "ctx.set_session_id(b'a\\x00b')", 'returns', "", ''),
    ('Context.set_session_id', 'too many arguments', "ctx.set_session_id(b'sid', None, None, None, None, None)", 'TypeError', "", ''),
    ('Context.set_timeout', 'uninitialised object (cls.__new__(cls))', 'SSL.Context.__new__(SSL.Context).set_timeout(300)', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('Context.set_timeout', 'timeout: None', 'ctx.set_timeout(None)', 'TypeError', "", ''),
    ('Context.set_timeout', 'timeout: str', "ctx.set_timeout('1')", 'TypeError', "", ''),
    ('Context.set_timeout', 'timeout: float', 'ctx.set_timeout(1.5)', 'TypeError', "", ''),
    ('Context.set_timeout', 'timeout: -1', 'ctx.set_timeout(-1)', 'returns', "", ''),
    ('Context.set_timeout', 'timeout: 2**63', 'ctx.set_timeout(2**63)', 'OverflowError', "", ''),
    ('Context.set_timeout', 'timeout: 2**64', 'ctx.set_timeout(2**64)', 'OverflowError', "", ''),
    ('Context.set_timeout', 'too many arguments', 'ctx.set_timeout(300, None, None, None, None, None)', 'TypeError', "", ''),
    ('Context.set_tls13_ciphersuites', 'uninitialised object (cls.__new__(cls))', "SSL.Context.__new__(SSL.Context).set_tls13_ciphersuites(b'TLS_AES_128_GCM_SHA256')", 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('Context.set_tls13_ciphersuites', 'ciphersuites: None', 'ctx.set_tls13_ciphersuites(None)', 'TypeError', "", ''),
    ('Context.set_tls13_ciphersuites', 'ciphersuites: int', 'ctx.set_tls13_ciphersuites(1)', 'TypeError', "", ''),
    ('Context.set_tls13_ciphersuites', 'ciphersuites: str', "ctx.set_tls13_ciphersuites('text')", 'TypeError', "", ''),
    ('Context.set_tls13_ciphersuites', 'ciphersuites: empty', "ctx.set_tls13_ciphersuites(b'')", 'returns', "", ''),
    ('Context.set_tls13_ciphersuites', 'ciphersuites: oversized 70000 bytes', "ctx.set_tls13_ciphersuites(b'A' * 70000)", 'SSL.Error', "", ''),
    ('Context.set_tls13_ciphersuites', 'ciphersuites: NUL inside', "ctx.set_tls13_ciphersuites(b'a\\x00b')", 'ValueError', DEVIATION, 'pyOpenSSL cuts the string at the NUL and reports what OpenSSL makes of the rest (SSL.Error)'),
    ('Context.set_tls13_ciphersuites', 'too many arguments', "ctx.set_tls13_ciphersuites(b'TLS_AES_128_GCM_SHA256', None, None, None, None, None)", 'TypeError', "", ''),
    ('Context.set_tlsext_servername_callback', 'uninitialised object (cls.__new__(cls))', 'SSL.Context.__new__(SSL.Context).set_tlsext_servername_callback(lambda c: None)', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('Context.set_tlsext_servername_callback', 'callback: int', 'ctx.set_tlsext_servername_callback(1)', 'TypeError', DEVIATION, 'pyOpenSSL accepts a non-callable and fails later, in the handshake'),
    ('Context.set_tlsext_servername_callback', 'callback: str', "ctx.set_tlsext_servername_callback('not callable')", 'TypeError', DEVIATION, 'pyOpenSSL accepts a non-callable and fails later, in the handshake'),
    ('Context.set_tlsext_servername_callback', 'too many arguments', 'ctx.set_tlsext_servername_callback(lambda c: None, None, None, None, None, None)', 'TypeError', "", ''),
    ('Context.set_tlsext_use_srtp', 'uninitialised object (cls.__new__(cls))', "SSL.Context.__new__(SSL.Context).set_tlsext_use_srtp(b'SRTP_AES128_CM_SHA1_80')", 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('Context.set_tlsext_use_srtp', 'profiles: None', 'ctx.set_tlsext_use_srtp(None)', 'TypeError', "", ''),
    ('Context.set_tlsext_use_srtp', 'profiles: int', 'ctx.set_tlsext_use_srtp(1)', 'TypeError', "", ''),
    ('Context.set_tlsext_use_srtp', 'profiles: str', "ctx.set_tlsext_use_srtp('text')", 'TypeError', "", ''),
    ('Context.set_tlsext_use_srtp', 'profiles: empty', "ctx.set_tlsext_use_srtp(b'')", 'SSL.Error', "", ''),
    ('Context.set_tlsext_use_srtp', 'profiles: oversized 70000 bytes', "ctx.set_tlsext_use_srtp(b'A' * 70000)", 'SSL.Error', "", ''),
    ('Context.set_tlsext_use_srtp', 'profiles: NUL inside', "ctx.set_tlsext_use_srtp(b'a\\x00b')", 'ValueError', DEVIATION, 'pyOpenSSL cuts the string at the NUL and reports what OpenSSL makes of the rest (SSL.Error)'),
    ('Context.set_tlsext_use_srtp', 'too many arguments', "ctx.set_tlsext_use_srtp(b'SRTP_AES128_CM_SHA1_80', None, None, None, None, None)", 'TypeError', "", ''),
    ('Context.set_tmp_ecdh', 'uninitialised object (cls.__new__(cls))', 'SSL.Context.__new__(SSL.Context).set_tmp_ecdh(ec.SECP256R1())', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('Context.set_tmp_ecdh', 'curve: None', 'ctx.set_tmp_ecdh(None)', 'AttributeError', "", ''),
    ('Context.set_tmp_ecdh', 'curve: int', 'ctx.set_tmp_ecdh(1)', 'AttributeError', "", ''),
    ('Context.set_tmp_ecdh', 'curve: str', "ctx.set_tmp_ecdh('prime256v1')", 'AttributeError', "", ''),
    ('Context.set_tmp_ecdh', 'curve: unknown curve object', 'ctx.set_tmp_ecdh(FakeCurve())', 'SSL.Error', "", ''),
    ('Context.set_tmp_ecdh', 'too many arguments', 'ctx.set_tmp_ecdh(ec.SECP256R1(), None, None, None, None, None)', 'TypeError', "", ''),
    ('Context.set_verify', 'uninitialised object (cls.__new__(cls))', 'SSL.Context.__new__(SSL.Context).set_verify(SSL.VERIFY_PEER, None)', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('Context.set_verify', 'mode: None', 'ctx.set_verify(None, None)', 'TypeError', "", ''),
    ('Context.set_verify', 'mode: str', "ctx.set_verify('1', None)", 'TypeError', "", ''),
    ('Context.set_verify', 'mode: float', 'ctx.set_verify(1.5, None)', 'TypeError', "", ''),
    ('Context.set_verify', 'mode: -1', 'ctx.set_verify(-1, None)', 'returns', "", ''),
    ('Context.set_verify', 'mode: 2**63', 'ctx.set_verify(2**63, None)', 'OverflowError', "", ''),
    ('Context.set_verify', 'mode: 2**64', 'ctx.set_verify(2**64, None)', 'OverflowError', "", ''),
    ('Context.set_verify', 'callback: int', 'ctx.set_verify(SSL.VERIFY_PEER, 1)', 'TypeError', "", ''),
    ('Context.set_verify', 'callback: str', "ctx.set_verify(SSL.VERIFY_PEER, 'not callable')", 'TypeError', "", ''),
    ('Context.set_verify', 'too many arguments', 'ctx.set_verify(SSL.VERIFY_PEER, None, None, None, None, None, None)', 'TypeError', "", ''),
    ('Context.set_verify_depth', 'uninitialised object (cls.__new__(cls))', 'SSL.Context.__new__(SSL.Context).set_verify_depth(3)', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('Context.set_verify_depth', 'depth: None', 'ctx.set_verify_depth(None)', 'TypeError', "", ''),
    ('Context.set_verify_depth', 'depth: str', "ctx.set_verify_depth('1')", 'TypeError', "", ''),
    ('Context.set_verify_depth', 'depth: float', 'ctx.set_verify_depth(1.5)', 'TypeError', "", ''),
    ('Context.set_verify_depth', 'depth: -1', 'ctx.set_verify_depth(-1)', 'returns', "", ''),
    ('Context.set_verify_depth', 'depth: 2**63', 'ctx.set_verify_depth(2**63)', 'OverflowError', "", ''),
    ('Context.set_verify_depth', 'depth: 2**64', 'ctx.set_verify_depth(2**64)', 'OverflowError', "", ''),
    ('Context.set_verify_depth', 'too many arguments', 'ctx.set_verify_depth(3, None, None, None, None, None)', 'TypeError', "", ''),
    ('Context.use_certificate', 'uninitialised object (cls.__new__(cls))', 'SSL.Context.__new__(SSL.Context).use_certificate(cert)', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('Context.use_certificate', 'cert: None', 'ctx.use_certificate(None)', 'TypeError', "", ''),
    ('Context.use_certificate', 'cert: int', 'ctx.use_certificate(1)', 'TypeError', "", ''),
    ('Context.use_certificate', 'cert: bytes', "ctx.use_certificate(b'not a cert')", 'TypeError', "", ''),
    ('Context.use_certificate', 'cert: uninitialised X509', 'ctx.use_certificate(crypto.X509.__new__(crypto.X509))', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('Context.use_certificate', 'cert: empty X509()', 'ctx.use_certificate(crypto.X509())', 'SSL.Error', "", ''),
    ('Context.use_certificate', 'too many arguments', 'ctx.use_certificate(cert, None, None, None, None, None)', 'TypeError', "", ''),
    ('Context.use_certificate_chain_data', 'uninitialised object (cls.__new__(cls))', 'SSL.Context.__new__(SSL.Context).use_certificate_chain_data(CHAIN_PEM_BYTES)', 'ValueError', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.use_certificate_chain_data', 'pem: None', 'ctx.use_certificate_chain_data(None)', 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.use_certificate_chain_data', 'pem: int', 'ctx.use_certificate_chain_data(1)', 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.use_certificate_chain_data', 'pem: str', "ctx.use_certificate_chain_data('text')", 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.use_certificate_chain_data', 'pem: empty', "ctx.use_certificate_chain_data(b'')", 'SSL.Error', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.use_certificate_chain_data', 'pem: oversized 70000 bytes', "ctx.use_certificate_chain_data(b'A' * 70000)", 'SSL.Error', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.use_certificate_chain_data', 'pem: NUL inside', "ctx.use_certificate_chain_data(b'a\\x00b')", 'SSL.Error', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.use_certificate_chain_data', 'too many arguments', 'ctx.use_certificate_chain_data(CHAIN_PEM_BYTES, None, None, None, None, None)', 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.use_certificate_chain_file', 'uninitialised object (cls.__new__(cls))', 'SSL.Context.__new__(SSL.Context).use_certificate_chain_file(CHAIN_PEM)', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('Context.use_certificate_chain_file', 'certfile: None', 'ctx.use_certificate_chain_file(None)', 'TypeError', "", ''),
    ('Context.use_certificate_chain_file', 'certfile: int', 'ctx.use_certificate_chain_file(1)', 'TypeError', "", ''),
    ('Context.use_certificate_chain_file', 'certfile: empty', "ctx.use_certificate_chain_file('')", 'SSL.Error', "", ''),
    ('Context.use_certificate_chain_file', 'certfile: missing file', "ctx.use_certificate_chain_file('/nonexistent/x.pem')", 'SSL.Error', "", ''),
    ('Context.use_certificate_chain_file', 'certfile: NUL inside', "ctx.use_certificate_chain_file('bad\\x00path')", 'SSL.Error', "", ''),
    ('Context.use_certificate_chain_file', 'certfile: 5000-char name', "ctx.use_certificate_chain_file('a' * 5000)", 'SSL.Error', "", ''),
    ('Context.use_certificate_chain_file', 'too many arguments', 'ctx.use_certificate_chain_file(CHAIN_PEM, None, None, None, None, None)', 'TypeError', "", ''),
    ('Context.use_certificate_file', 'uninitialised object (cls.__new__(cls))', 'SSL.Context.__new__(SSL.Context).use_certificate_file(CERT_PEM, SSL.FILETYPE_PEM)', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('Context.use_certificate_file', 'certfile: None', 'ctx.use_certificate_file(None, SSL.FILETYPE_PEM)', 'TypeError', "", ''),
    ('Context.use_certificate_file', 'certfile: int', 'ctx.use_certificate_file(1, SSL.FILETYPE_PEM)', 'TypeError', "", ''),
    ('Context.use_certificate_file', 'certfile: empty', "ctx.use_certificate_file('', SSL.FILETYPE_PEM)", 'SSL.Error', "", ''),
    ('Context.use_certificate_file', 'certfile: missing file', "ctx.use_certificate_file('/nonexistent/x.pem', SSL.FILETYPE_PEM)", 'SSL.Error', "", ''),
    ('Context.use_certificate_file', 'certfile: NUL inside', "ctx.use_certificate_file('bad\\x00path', SSL.FILETYPE_PEM)", 'SSL.Error', "", ''),
    ('Context.use_certificate_file', 'certfile: 5000-char name', "ctx.use_certificate_file('a' * 5000, SSL.FILETYPE_PEM)", 'SSL.Error', "", ''),
    ('Context.use_certificate_file', 'filetype: None', 'ctx.use_certificate_file(CERT_PEM, None)', 'TypeError', "", ''),
    ('Context.use_certificate_file', 'filetype: -1', 'ctx.use_certificate_file(CERT_PEM, -1)', 'SSL.Error', "", ''),
    ('Context.use_certificate_file', 'filetype: 99', 'ctx.use_certificate_file(CERT_PEM, 99)', 'SSL.Error', "", ''),
    ('Context.use_certificate_file', 'filetype: 2**64', 'ctx.use_certificate_file(CERT_PEM, 2**64)', 'OverflowError', "", ''),
    ('Context.use_certificate_file', 'filetype: str', "ctx.use_certificate_file(CERT_PEM, 'PEM')", 'TypeError', "", ''),
    ('Context.use_certificate_file', 'too many arguments', 'ctx.use_certificate_file(CERT_PEM, SSL.FILETYPE_PEM, None, None, None, None, None)', 'TypeError', "", ''),
    ('Context.use_privatekey', 'uninitialised object (cls.__new__(cls))', 'SSL.Context.__new__(SSL.Context).use_privatekey(key)', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('Context.use_privatekey', 'pkey: None', 'ctx.use_privatekey(None)', 'TypeError', "", ''),
    ('Context.use_privatekey', 'pkey: int', 'ctx.use_privatekey(1)', 'TypeError', "", ''),
    ('Context.use_privatekey', 'pkey: uninitialised PKey', 'ctx.use_privatekey(crypto.PKey.__new__(crypto.PKey))', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('Context.use_privatekey', 'pkey: empty PKey()', 'ctx.use_privatekey(crypto.PKey())', 'returns', "", ''),
    ('Context.use_privatekey', 'pkey: public-only PKey', 'ctx.use_privatekey(pubkey)', 'returns', "", ''),
    ('Context.use_privatekey', 'too many arguments', 'ctx.use_privatekey(key, None, None, None, None, None)', 'TypeError', "", ''),
    ('Context.use_privatekey_data', 'uninitialised object (cls.__new__(cls))', 'SSL.Context.__new__(SSL.Context).use_privatekey_data(KEY_PEM_BYTES, None)', 'ValueError', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.use_privatekey_data', 'data: None', 'ctx.use_privatekey_data(None, None)', 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.use_privatekey_data', 'data: int', 'ctx.use_privatekey_data(1, None)', 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.use_privatekey_data', 'data: str', "ctx.use_privatekey_data('text', None)", 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.use_privatekey_data', 'data: empty', "ctx.use_privatekey_data(b'', None)", 'SSL.Error', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.use_privatekey_data', 'data: oversized 70000 bytes', "ctx.use_privatekey_data(b'A' * 70000, None)", 'SSL.Error', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.use_privatekey_data', 'data: NUL inside', "ctx.use_privatekey_data(b'a\\x00b', None)", 'SSL.Error', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.use_privatekey_data', 'passphrase: int', 'ctx.use_privatekey_data(KEY_PEM_BYTES, 1)', 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.use_privatekey_data', 'passphrase: str', "ctx.use_privatekey_data(KEY_PEM_BYTES, 'secret')", 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.use_privatekey_data', 'too many arguments', 'ctx.use_privatekey_data(KEY_PEM_BYTES, None, None, None, None, None, None)', 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Context.use_privatekey_file', 'uninitialised object (cls.__new__(cls))', 'SSL.Context.__new__(SSL.Context).use_privatekey_file(KEY_PEM, SSL.FILETYPE_PEM)', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('Context.use_privatekey_file', 'keyfile: None', 'ctx.use_privatekey_file(None, SSL.FILETYPE_PEM)', 'TypeError', "", ''),
    ('Context.use_privatekey_file', 'keyfile: int', 'ctx.use_privatekey_file(1, SSL.FILETYPE_PEM)', 'TypeError', "", ''),
    ('Context.use_privatekey_file', 'keyfile: empty', "ctx.use_privatekey_file('', SSL.FILETYPE_PEM)", 'SSL.Error', "", ''),
    ('Context.use_privatekey_file', 'keyfile: missing file', "ctx.use_privatekey_file('/nonexistent/x.pem', SSL.FILETYPE_PEM)", 'SSL.Error', "", ''),
    ('Context.use_privatekey_file', 'keyfile: NUL inside', "ctx.use_privatekey_file('bad\\x00path', SSL.FILETYPE_PEM)", 'SSL.Error', "", ''),
    ('Context.use_privatekey_file', 'keyfile: 5000-char name', "ctx.use_privatekey_file('a' * 5000, SSL.FILETYPE_PEM)", 'SSL.Error', "", ''),
    ('Context.use_privatekey_file', 'filetype: None', 'ctx.use_privatekey_file(KEY_PEM, None)', 'TypeError', "", ''),
    ('Context.use_privatekey_file', 'filetype: -1', 'ctx.use_privatekey_file(KEY_PEM, -1)', 'SSL.Error', "", ''),
    ('Context.use_privatekey_file', 'filetype: 99', 'ctx.use_privatekey_file(KEY_PEM, 99)', 'SSL.Error', "", ''),
    ('Context.use_privatekey_file', 'filetype: 2**64', 'ctx.use_privatekey_file(KEY_PEM, 2**64)', 'OverflowError', "", ''),
    ('Context.use_privatekey_file', 'filetype: str', "ctx.use_privatekey_file(KEY_PEM, 'PEM')", 'TypeError', "", ''),
    ('Context.use_privatekey_file', 'too many arguments', 'ctx.use_privatekey_file(KEY_PEM, SSL.FILETYPE_PEM, None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.DTLSv1_get_timeout', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).DTLSv1_get_timeout()', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.DTLSv1_get_timeout', 'too many arguments', 'conn.DTLSv1_get_timeout(None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.DTLSv1_handle_timeout', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).DTLSv1_handle_timeout()', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.DTLSv1_handle_timeout', 'too many arguments', 'conn.DTLSv1_handle_timeout(None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.DTLSv1_listen', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).DTLSv1_listen()', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.DTLSv1_listen', 'too many arguments', 'conn.DTLSv1_listen(None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.accept', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).accept()', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.accept', 'too many arguments', 'sconn.accept(None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.bio_read', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).bio_read(1024)', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.bio_read', 'bufsiz: None', 'conn.bio_read(None)', 'TypeError', "", ''),
    ('Connection.bio_read', 'bufsiz: str', "conn.bio_read('1')", 'TypeError', "", ''),
    ('Connection.bio_read', 'bufsiz: -1', 'conn.bio_read(-1)', 'ValueError', "", ''),
    ('Connection.bio_read', 'bufsiz: 2**62', 'conn.bio_read(2**62)', 'SSL.WantReadError', DEVIATION, 'pyOpenSSL allocates the whole buffer first (MemoryError); we never read more than 64 KiB at once'),
    ('Connection.bio_read', 'bufsiz: 2**63', 'conn.bio_read(2**63)', 'OverflowError', "", ''),
    ('Connection.bio_read', 'bufsiz: 2**64', 'conn.bio_read(2**64)', 'OverflowError', "", ''),
    ('Connection.bio_read', 'too many arguments', 'conn.bio_read(1024, None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.bio_shutdown', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).bio_shutdown()', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.bio_shutdown', 'too many arguments', 'conn.bio_shutdown(None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.bio_write', 'uninitialised object (cls.__new__(cls))', "SSL.Connection.__new__(SSL.Connection).bio_write(b'\\x16\\x03\\x01')", 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.bio_write', 'buf: None', 'conn.bio_write(None)', 'TypeError', "", ''),
    ('Connection.bio_write', 'buf: int', 'conn.bio_write(1)', 'TypeError', "", ''),
    ('Connection.bio_write', 'buf: empty', "conn.bio_write(b'')", 'SSL.Error', "", ''),
    ('Connection.bio_write', 'buf: list', 'conn.bio_write([1, 2])', 'TypeError', "", ''),
    ('Connection.bio_write', 'too many arguments', "conn.bio_write(b'\\x16\\x03\\x01', None, None, None, None, None)", 'TypeError', "", ''),
    ('Connection.client_random', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).client_random()', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.client_random', 'too many arguments', 'client.client_random(None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.connect', 'uninitialised object (cls.__new__(cls))', "SSL.Connection.__new__(SSL.Connection).connect(('127.0.0.1', 9))", 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.connect', 'addr: None', 'sconn.connect(None)', 'TypeError', "", ''),
    ('Connection.connect', 'addr: int', 'sconn.connect(1)', 'TypeError', "", ''),
    ('Connection.connect', 'addr: bad host', "sconn.connect(('256.0.0.1', 1))", 'socket.gaierror', "", ''),
    ('Connection.connect', 'addr: port 2**20', "sconn.connect(('127.0.0.1', 2**20))", 'OverflowError', "", ''),
    ('Connection.connect', 'too many arguments', "sconn.connect(('127.0.0.1', 9), None, None, None, None, None)", 'TypeError', "", ''),
    ('Connection.connect_ex', 'uninitialised object (cls.__new__(cls))', "SSL.Connection.__new__(SSL.Connection).connect_ex(('127.0.0.1', 9))", 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.connect_ex', 'addr: None', 'sconn.connect_ex(None)', 'TypeError', "", ''),
    ('Connection.connect_ex', 'addr: int', 'sconn.connect_ex(1)', 'TypeError', "", ''),
    ('Connection.connect_ex', 'addr: bad host', "sconn.connect_ex(('256.0.0.1', 1))", 'socket.gaierror', "", ''),
    ('Connection.connect_ex', 'addr: port 2**20', "sconn.connect_ex(('127.0.0.1', 2**20))", 'OverflowError', "", ''),
    ('Connection.connect_ex', 'too many arguments', "sconn.connect_ex(('127.0.0.1', 9), None, None, None, None, None)", 'TypeError', "", ''),
    ('Connection.do_handshake', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).do_handshake()', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.do_handshake', 'too many arguments', 'conn.do_handshake(None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.export_keying_material', 'uninitialised object (cls.__new__(cls))', "SSL.Connection.__new__(SSL.Connection).export_keying_material(b'EXPORTER-test', 32, None)", 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.export_keying_material', 'label: None', 'client.export_keying_material(None, 32, None)', 'TypeError', "", ''),
    ('Connection.export_keying_material', 'label: int', 'client.export_keying_material(1, 32, None)', 'TypeError', "", ''),
    ('Connection.export_keying_material', 'label: str', "client.export_keying_material('text', 32, None)", 'TypeError', "", ''),
    ('Connection.export_keying_material', 'label: empty', "client.export_keying_material(b'', 32, None)", 'returns', "", ''),
    ('Connection.export_keying_material', 'label: oversized 70000 bytes', "client.export_keying_material(b'A' * 70000, 32, None)", 'SSL.Error', "", ''),
    ('Connection.export_keying_material', 'label: NUL inside', "client.export_keying_material(b'a\\x00b', 32, None)", 'returns', "", ''),
    ('Connection.export_keying_material', 'olen: None', "client.export_keying_material(b'EXPORTER-test', None, None)", 'TypeError', "", ''),
    ('Connection.export_keying_material', 'olen: str', "client.export_keying_material(b'EXPORTER-test', '1', None)", 'TypeError', "", ''),
    ('Connection.export_keying_material', 'olen: -1', "client.export_keying_material(b'EXPORTER-test', -1, None)", 'ValueError', "", ''),
    ('Connection.export_keying_material', 'olen: 2**62', "client.export_keying_material(b'EXPORTER-test', 2**62, None)", 'MemoryError', "", ''),
    ('Connection.export_keying_material', 'olen: 2**63', "client.export_keying_material(b'EXPORTER-test', 2**63, None)", 'OverflowError', "", ''),
    ('Connection.export_keying_material', 'olen: 2**64', "client.export_keying_material(b'EXPORTER-test', 2**64, None)", 'OverflowError', "", ''),
    ('Connection.export_keying_material', 'context: int', "client.export_keying_material(b'EXPORTER-test', 32, 1)", 'TypeError', "", ''),
    ('Connection.export_keying_material', 'context: str', "client.export_keying_material(b'EXPORTER-test', 32, 'text')", 'TypeError', "", ''),
    ('Connection.export_keying_material', 'context: empty', "client.export_keying_material(b'EXPORTER-test', 32, b'')", 'returns', "", ''),
    ('Connection.export_keying_material', 'context: oversized 70000 bytes', "client.export_keying_material(b'EXPORTER-test', 32, b'A' * 70000)", 'returns', "", ''),
    ('Connection.export_keying_material', 'context: NUL inside', "client.export_keying_material(b'EXPORTER-test', 32, b'a\\x00b')", 'returns', "", ''),
    ('Connection.export_keying_material', 'too many arguments', "client.export_keying_material(b'EXPORTER-test', 32, None, None, None, None, None, None)", 'TypeError', "", ''),
    ('Connection.get_alpn_proto_negotiated', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).get_alpn_proto_negotiated()', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.get_alpn_proto_negotiated', 'too many arguments', 'conn.get_alpn_proto_negotiated(None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.get_app_data', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).get_app_data()', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.get_app_data', 'too many arguments', 'conn.get_app_data(None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.get_certificate', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).get_certificate()', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.get_certificate', 'as_cryptography: __bool__ raises', 'conn.get_certificate(as_cryptography=bad_bool)', 'ArithmeticError', DEVIATION, 'pyOpenSSL tests the flag only when there is a certificate'),
    ('Connection.get_certificate', 'positional argument', 'conn.get_certificate(True)', 'TypeError', "", ''),
    ('Connection.get_certificate', 'too many arguments', 'conn.get_certificate(None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.get_cipher_bits', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).get_cipher_bits()', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.get_cipher_bits', 'too many arguments', 'conn.get_cipher_bits(None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.get_cipher_list', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).get_cipher_list()', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.get_cipher_list', 'too many arguments', 'conn.get_cipher_list(None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.get_cipher_name', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).get_cipher_name()', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.get_cipher_name', 'too many arguments', 'conn.get_cipher_name(None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.get_cipher_version', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).get_cipher_version()', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.get_cipher_version', 'too many arguments', 'conn.get_cipher_version(None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.get_cleartext_mtu', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).get_cleartext_mtu()', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.get_cleartext_mtu', 'too many arguments', 'conn.get_cleartext_mtu(None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.get_client_ca_list', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).get_client_ca_list()', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.get_client_ca_list', 'as_cryptography: __bool__ raises', 'conn.get_client_ca_list(as_cryptography=bad_bool)', 'ArithmeticError', "", ''),
    ('Connection.get_client_ca_list', 'positional argument', 'conn.get_client_ca_list(True)', 'TypeError', "", ''),
    ('Connection.get_client_ca_list', 'too many arguments', 'conn.get_client_ca_list(None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.get_context', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).get_context()', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.get_context', 'too many arguments', 'conn.get_context(None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.get_finished', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).get_finished()', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.get_finished', 'too many arguments', 'client.get_finished(None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.get_group_name', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).get_group_name()', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.get_group_name', 'too many arguments', 'conn.get_group_name(None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.get_next_proto_negotiated', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).get_next_proto_negotiated()', 'ValueError', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.get_next_proto_negotiated', 'too many arguments', 'conn.get_next_proto_negotiated(None, None, None, None, None)', 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.get_peer_cert_chain', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).get_peer_cert_chain()', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.get_peer_cert_chain', 'as_cryptography: __bool__ raises', 'client.get_peer_cert_chain(as_cryptography=bad_bool)', 'ArithmeticError', "", ''),
    ('Connection.get_peer_cert_chain', 'positional argument', 'client.get_peer_cert_chain(True)', 'TypeError', "", ''),
    ('Connection.get_peer_cert_chain', 'too many arguments', 'client.get_peer_cert_chain(None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.get_peer_certificate', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).get_peer_certificate()', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.get_peer_certificate', 'as_cryptography: __bool__ raises', 'client.get_peer_certificate(as_cryptography=bad_bool)', 'ArithmeticError', "", ''),
    ('Connection.get_peer_certificate', 'positional argument', 'client.get_peer_certificate(True)', 'TypeError', "", ''),
    ('Connection.get_peer_certificate', 'too many arguments', 'client.get_peer_certificate(None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.get_peer_finished', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).get_peer_finished()', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.get_peer_finished', 'too many arguments', 'client.get_peer_finished(None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.get_protocol_version', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).get_protocol_version()', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.get_protocol_version', 'too many arguments', 'conn.get_protocol_version(None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.get_protocol_version_name', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).get_protocol_version_name()', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.get_protocol_version_name', 'too many arguments', 'conn.get_protocol_version_name(None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.get_selected_srtp_profile', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).get_selected_srtp_profile()', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.get_selected_srtp_profile', 'too many arguments', 'conn.get_selected_srtp_profile(None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.get_servername', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).get_servername()', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.get_servername', 'too many arguments', 'conn.get_servername(None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.get_session', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).get_session()', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.get_session', 'too many arguments', 'client.get_session(None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.get_shutdown', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).get_shutdown()', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.get_shutdown', 'too many arguments', 'conn.get_shutdown(None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.get_state_string', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).get_state_string()', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.get_state_string', 'too many arguments', 'conn.get_state_string(None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.get_verified_chain', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).get_verified_chain()', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.get_verified_chain', 'as_cryptography: __bool__ raises', 'client.get_verified_chain(as_cryptography=bad_bool)', 'ArithmeticError', "", ''),
    ('Connection.get_verified_chain', 'positional argument', 'client.get_verified_chain(True)', 'TypeError', "", ''),
    ('Connection.get_verified_chain', 'too many arguments', 'client.get_verified_chain(None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.get_verify_mode', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).get_verify_mode()', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.get_verify_mode', 'too many arguments', 'conn.get_verify_mode(None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.makefile', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).makefile()', 'NotImplementedError', "", ''),
    ('Connection.makefile', 'too many arguments', 'conn.makefile(None, None, None, None, None)', 'NotImplementedError', "", ''),
    ('Connection.master_key', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).master_key()', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.master_key', 'too many arguments', 'client.master_key(None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.pending', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).pending()', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.pending', 'too many arguments', 'conn.pending(None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.read', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).read(1024, None)', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.read', 'bufsiz: None', 'client.read(None, None)', 'TypeError', "", ''),
    ('Connection.read', 'bufsiz: str', "client.read('1', None)", 'TypeError', "", ''),
    ('Connection.read', 'bufsiz: -1', 'client.read(-1, None)', 'ValueError', "", ''),
    ('Connection.read', 'bufsiz: 2**62', 'client.read(2**62, None)', 'SSL.WantReadError', DEVIATION, 'pyOpenSSL allocates the whole buffer first (MemoryError); we never read more than 64 KiB at once'),
    ('Connection.read', 'bufsiz: 2**63', 'client.read(2**63, None)', 'OverflowError', "", ''),
    ('Connection.read', 'bufsiz: 2**64', 'client.read(2**64, None)', 'OverflowError', "", ''),
    ('Connection.read', 'flags: str', "client.read(1024, '1')", 'TypeError', "", ''),
    ('Connection.read', 'flags: float', 'client.read(1024, 1.5)', 'TypeError', "", ''),
    ('Connection.read', 'flags: -1', 'client.read(1024, -1)', 'SSL.WantReadError', "", ''),
    ('Connection.read', 'flags: 2**63', 'client.read(1024, 2**63)', 'SSL.WantReadError', "", ''),
    ('Connection.read', 'flags: 2**64', 'client.read(1024, 2**64)', 'SSL.WantReadError', "", ''),
    ('Connection.read', 'too many arguments', 'client.read(1024, None, None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.recv', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).recv(1024, None)', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.recv', 'bufsiz: None', 'client.recv(None, None)', 'TypeError', "", ''),
    ('Connection.recv', 'bufsiz: str', "client.recv('1', None)", 'TypeError', "", ''),
    ('Connection.recv', 'bufsiz: -1', 'client.recv(-1, None)', 'ValueError', "", ''),
    ('Connection.recv', 'bufsiz: 2**62', 'client.recv(2**62, None)', 'SSL.WantReadError', DEVIATION, 'pyOpenSSL allocates the whole buffer first (MemoryError); we never read more than 64 KiB at once'),
    ('Connection.recv', 'bufsiz: 2**63', 'client.recv(2**63, None)', 'OverflowError', "", ''),
    ('Connection.recv', 'bufsiz: 2**64', 'client.recv(2**64, None)', 'OverflowError', "", ''),
    ('Connection.recv', 'flags: str', "client.recv(1024, '1')", 'TypeError', "", ''),
    ('Connection.recv', 'flags: float', 'client.recv(1024, 1.5)', 'TypeError', "", ''),
    ('Connection.recv', 'flags: -1', 'client.recv(1024, -1)', 'SSL.WantReadError', "", ''),
    ('Connection.recv', 'flags: 2**63', 'client.recv(1024, 2**63)', 'SSL.WantReadError', "", ''),
    ('Connection.recv', 'flags: 2**64', 'client.recv(1024, 2**64)', 'SSL.WantReadError', "", ''),
    ('Connection.recv', 'too many arguments', 'client.recv(1024, None, None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.recv_into', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).recv_into(bytearray(1024), None, None)', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.recv_into', 'buffer: None', 'client.recv_into(None, None, None)', 'TypeError', "", ''),
    ('Connection.recv_into', 'buffer: bytes (read-only)', "client.recv_into(b'xxxx', None, None)", 'TypeError', DEVIATION, 'pyOpenSSL checks writability only after data arrived (WantReadError here)'),
    ('Connection.recv_into', 'buffer: int', 'client.recv_into(1, None, None)', 'TypeError', "", ''),
    ('Connection.recv_into', 'buffer: empty bytearray', 'client.recv_into(bytearray(), None, None)', 'SSL.WantReadError', "", ''),
    ('Connection.recv_into', 'nbytes: str', "client.recv_into(bytearray(1024), '1', None)", 'TypeError', "", ''),
    ('Connection.recv_into', 'nbytes: -1', 'client.recv_into(bytearray(1024), -1, None)', 'ValueError', "", ''),
    ('Connection.recv_into', 'nbytes: 2**62', 'client.recv_into(bytearray(1024), 2**62, None)', 'SSL.WantReadError', "", ''),
    ('Connection.recv_into', 'nbytes: 2**63', 'client.recv_into(bytearray(1024), 2**63, None)', 'SSL.WantReadError', "", ''),
    ('Connection.recv_into', 'nbytes: 2**64', 'client.recv_into(bytearray(1024), 2**64, None)', 'SSL.WantReadError', "", ''),
    ('Connection.recv_into', 'flags: str', "client.recv_into(bytearray(1024), None, '1')", 'TypeError', "", ''),
    ('Connection.recv_into', 'flags: float', 'client.recv_into(bytearray(1024), None, 1.5)', 'TypeError', "", ''),
    ('Connection.recv_into', 'flags: -1', 'client.recv_into(bytearray(1024), None, -1)', 'SSL.WantReadError', "", ''),
    ('Connection.recv_into', 'flags: 2**63', 'client.recv_into(bytearray(1024), None, 2**63)', 'SSL.WantReadError', "", ''),
    ('Connection.recv_into', 'flags: 2**64', 'client.recv_into(bytearray(1024), None, 2**64)', 'SSL.WantReadError', "", ''),
    ('Connection.recv_into', 'too many arguments', 'client.recv_into(bytearray(1024), None, None, None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.renegotiate', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).renegotiate()', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.renegotiate', 'too many arguments', 'client.renegotiate(None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.renegotiate_pending', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).renegotiate_pending()', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.renegotiate_pending', 'too many arguments', 'conn.renegotiate_pending(None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.request_ocsp', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).request_ocsp()', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.request_ocsp', 'too many arguments', 'conn.request_ocsp(None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.send', 'uninitialised object (cls.__new__(cls))', "SSL.Connection.__new__(SSL.Connection).send(b'data', 0)", 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.send', 'buf: None', 'client.send(None, 0)', 'TypeError', "", ''),
    ('Connection.send', 'buf: int', 'client.send(1, 0)', 'TypeError', "", ''),
    ('Connection.send', 'buf: empty', "client.send(b'', 0)", 'SSL.SysCallError', "", ''),
    ('Connection.send', 'buf: list', 'client.send([1, 2], 0)', 'TypeError', "", ''),
    ('Connection.send', 'flags: None', "client.send(b'data', None)", 'returns', "", ''),
    ('Connection.send', 'flags: str', "client.send(b'data', '1')", 'returns', "", ''),
    ('Connection.send', 'flags: float', "client.send(b'data', 1.5)", 'returns', "", ''),
    ('Connection.send', 'flags: -1', "client.send(b'data', -1)", 'returns', "", ''),
    ('Connection.send', 'flags: 2**63', "client.send(b'data', 2**63)", 'returns', "", ''),
    ('Connection.send', 'flags: 2**64', "client.send(b'data', 2**64)", 'returns', "", ''),
    ('Connection.send', 'too many arguments', "client.send(b'data', 0, None, None, None, None, None)", 'TypeError', "", ''),
    ('Connection.sendall', 'uninitialised object (cls.__new__(cls))', "SSL.Connection.__new__(SSL.Connection).sendall(b'data', 0)", 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.sendall', 'buf: None', 'client.sendall(None, 0)', 'TypeError', "", ''),
    ('Connection.sendall', 'buf: int', 'client.sendall(1, 0)', 'TypeError', "", ''),
    ('Connection.sendall', 'buf: empty', "client.sendall(b'', 0)", 'returns', "", ''),
    ('Connection.sendall', 'buf: list', 'client.sendall([1, 2], 0)', 'TypeError', "", ''),
    ('Connection.sendall', 'flags: None', "client.sendall(b'data', None)", 'returns', "", ''),
    ('Connection.sendall', 'flags: str', "client.sendall(b'data', '1')", 'returns', "", ''),
    ('Connection.sendall', 'flags: float', "client.sendall(b'data', 1.5)", 'returns', "", ''),
    ('Connection.sendall', 'flags: -1', "client.sendall(b'data', -1)", 'returns', "", ''),
    ('Connection.sendall', 'flags: 2**63', "client.sendall(b'data', 2**63)", 'returns', "", ''),
    ('Connection.sendall', 'flags: 2**64', "client.sendall(b'data', 2**64)", 'returns', "", ''),
    ('Connection.sendall', 'too many arguments', "client.sendall(b'data', 0, None, None, None, None, None)", 'TypeError', "", ''),
    ('Connection.sendfile', 'uninitialised object (cls.__new__(cls))', "SSL.Connection.__new__(SSL.Connection).sendfile(open(CA_PEM, 'rb'), 0, None)", 'ValueError', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.sendfile', 'file: None', 'client.sendfile(None, 0, None)', 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.sendfile', 'file: str', "client.sendfile('x', 0, None)", 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.sendfile', 'file: -1', 'client.sendfile(-1, 0, None)', 'ValueError', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.sendfile', 'file: 2**64', 'client.sendfile(2**64, 0, None)', 'OverflowError', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.sendfile', 'offset: None', "client.sendfile(open(CA_PEM, 'rb'), None, None)", 'returns', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.sendfile', 'offset: str', "client.sendfile(open(CA_PEM, 'rb'), '1', None)", 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.sendfile', 'offset: float', "client.sendfile(open(CA_PEM, 'rb'), 1.5, None)", 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.sendfile', 'offset: -1', "client.sendfile(open(CA_PEM, 'rb'), -1, None)", 'ValueError', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.sendfile', 'offset: 2**63', "client.sendfile(open(CA_PEM, 'rb'), 2**63, None)", 'OverflowError', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.sendfile', 'offset: 2**64', "client.sendfile(open(CA_PEM, 'rb'), 2**64, None)", 'OverflowError', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.sendfile', 'count: str', "client.sendfile(open(CA_PEM, 'rb'), 0, '1')", 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.sendfile', 'count: float', "client.sendfile(open(CA_PEM, 'rb'), 0, 1.5)", 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.sendfile', 'count: -1', "client.sendfile(open(CA_PEM, 'rb'), 0, -1)", 'ValueError', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.sendfile', 'count: 2**63', "client.sendfile(open(CA_PEM, 'rb'), 0, 2**63)", 'OverflowError', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.sendfile', 'count: 2**64', "client.sendfile(open(CA_PEM, 'rb'), 0, 2**64)", 'OverflowError', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.sendfile', 'too many arguments', "client.sendfile(open(CA_PEM, 'rb'), 0, None, None, None, None, None, None)", 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.server_random', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).server_random()', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.server_random', 'too many arguments', 'client.server_random(None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.session_reused', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).session_reused()', 'ValueError', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.session_reused', 'too many arguments', 'conn.session_reused(None, None, None, None, None)', 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.set_accept_state', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).set_accept_state()', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.set_accept_state', 'too many arguments', 'conn.set_accept_state(None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.set_alpn_protos', 'uninitialised object (cls.__new__(cls))', "SSL.Connection.__new__(SSL.Connection).set_alpn_protos([b'h2'])", 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.set_alpn_protos', 'protos: None', 'conn.set_alpn_protos(None)', 'ValueError', "", ''),
    ('Connection.set_alpn_protos', 'protos: int', 'conn.set_alpn_protos(1)', 'TypeError', "", ''),
    ('Connection.set_alpn_protos', 'protos: empty list', 'conn.set_alpn_protos([])', 'ValueError', "", ''),
    ('Connection.set_alpn_protos', 'protos: empty name', "conn.set_alpn_protos([b''])", 'SSL.Error', "", ''),
    ('Connection.set_alpn_protos', 'protos: 256-byte name', "conn.set_alpn_protos([b'a' * 256])", 'ValueError', "", ''),
    ('Connection.set_alpn_protos', 'protos: str item', "conn.set_alpn_protos(['h2'])", 'TypeError', "", ''),
    ('Connection.set_alpn_protos', 'protos: bytes, not list', "conn.set_alpn_protos(b'h2')", 'TypeError', "", ''),
    ('Connection.set_alpn_protos', 'too many arguments', "conn.set_alpn_protos([b'h2'], None, None, None, None, None)", 'TypeError', "", ''),
    ('Connection.set_app_data', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).set_app_data(object())', 'ValueError', DEVIATION, 'pyOpenSSL: ok'),
    ('Connection.set_app_data', 'too many arguments', 'conn.set_app_data(object(), None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.set_ciphertext_mtu', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).set_ciphertext_mtu(1200)', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.set_ciphertext_mtu', 'mtu: None', 'conn.set_ciphertext_mtu(None)', 'TypeError', "", ''),
    ('Connection.set_ciphertext_mtu', 'mtu: str', "conn.set_ciphertext_mtu('1')", 'TypeError', "", ''),
    ('Connection.set_ciphertext_mtu', 'mtu: float', 'conn.set_ciphertext_mtu(1.5)', 'TypeError', "", ''),
    ('Connection.set_ciphertext_mtu', 'mtu: -1', 'conn.set_ciphertext_mtu(-1)', 'returns', "", ''),
    ('Connection.set_ciphertext_mtu', 'mtu: 2**63', 'conn.set_ciphertext_mtu(2**63)', 'OverflowError', "", ''),
    ('Connection.set_ciphertext_mtu', 'mtu: 2**64', 'conn.set_ciphertext_mtu(2**64)', 'OverflowError', "", ''),
    ('Connection.set_ciphertext_mtu', 'too many arguments', 'conn.set_ciphertext_mtu(1200, None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.set_connect_state', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).set_connect_state()', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.set_connect_state', 'too many arguments', 'conn.set_connect_state(None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.set_context', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).set_context(SSL.Context(SSL.TLS_METHOD))', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.set_context', 'context: None', 'conn.set_context(None)', 'TypeError', "", ''),
    ('Connection.set_context', 'context: int', 'conn.set_context(1)', 'TypeError', "", ''),
    ('Connection.set_context', 'context: uninitialised Context', 'conn.set_context(SSL.Context.__new__(SSL.Context))', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('Connection.set_context', 'too many arguments', 'conn.set_context(SSL.Context(SSL.TLS_METHOD), None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.set_info_callback', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).set_info_callback(lambda c, w, r: None)', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.set_info_callback', 'callback: int', 'conn.set_info_callback(1)', 'TypeError', DEVIATION, 'pyOpenSSL accepts a non-callable; in the handshake cffi prints the TypeError and the handshake goes on'),
    ('Connection.set_info_callback', 'callback: str', "conn.set_info_callback('not callable')", 'TypeError', DEVIATION, 'pyOpenSSL accepts a non-callable; in the handshake cffi prints the TypeError and the handshake goes on'),
    ('Connection.set_info_callback', 'too many arguments', 'conn.set_info_callback(lambda c, w, r: None, None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.set_options', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).set_options(SSL.OP_NO_TICKET)', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.set_options', 'options: None', 'conn.set_options(None)', 'TypeError', "", ''),
    ('Connection.set_options', 'options: str', "conn.set_options('1')", 'TypeError', "", ''),
    ('Connection.set_options', 'options: float', 'conn.set_options(1.5)', 'TypeError', "", ''),
    ('Connection.set_options', 'options: -1', 'conn.set_options(-1)', 'OverflowError', "", ''),
    ('Connection.set_options', 'options: 2**63', 'conn.set_options(2**63)', 'returns', "", ''),
    ('Connection.set_options', 'options: 2**64', 'conn.set_options(2**64)', 'OverflowError', "", ''),
    ('Connection.set_options', 'too many arguments', 'conn.set_options(SSL.OP_NO_TICKET, None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.set_session', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).set_session(session)', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.set_session', 'session: None', 'conn.set_session(None)', 'TypeError', "", ''),
    ('Connection.set_session', 'session: int', 'conn.set_session(1)', 'TypeError', "", ''),
    ('Connection.set_session', 'session: Session()', 'conn.set_session(SSL.Session())', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('Connection.set_session', 'session: uninitialised Session', 'conn.set_session(SSL.Session.__new__(SSL.Session))', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('Connection.set_session', 'session: session of another Context', 'conn.set_session(other_session)', 'ValueError', "", ''),
    ('Connection.set_session', 'too many arguments', 'conn.set_session(session, None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.set_shutdown', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).set_shutdown(SSL.SENT_SHUTDOWN)', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.set_shutdown', 'state: None', 'conn.set_shutdown(None)', 'TypeError', "", ''),
    ('Connection.set_shutdown', 'state: str', "conn.set_shutdown('1')", 'TypeError', "", ''),
    ('Connection.set_shutdown', 'state: float', 'conn.set_shutdown(1.5)', 'TypeError', "", ''),
    ('Connection.set_shutdown', 'state: -1', 'conn.set_shutdown(-1)', 'returns', "", ''),
    ('Connection.set_shutdown', 'state: 2**63', 'conn.set_shutdown(2**63)', 'OverflowError', "", ''),
    ('Connection.set_shutdown', 'state: 2**64', 'conn.set_shutdown(2**64)', 'OverflowError', "", ''),
    ('Connection.set_shutdown', 'too many arguments', 'conn.set_shutdown(SSL.SENT_SHUTDOWN, None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.set_tlsext_host_name', 'uninitialised object (cls.__new__(cls))', "SSL.Connection.__new__(SSL.Connection).set_tlsext_host_name(b'example.com')", 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.set_tlsext_host_name', 'name: None', 'conn.set_tlsext_host_name(None)', 'TypeError', "", ''),
    ('Connection.set_tlsext_host_name', 'name: int', 'conn.set_tlsext_host_name(1)', 'TypeError', "", ''),
    ('Connection.set_tlsext_host_name', 'name: str', "conn.set_tlsext_host_name('text')", 'TypeError', "", ''),
    ('Connection.set_tlsext_host_name', 'name: empty', "conn.set_tlsext_host_name(b'')", 'SSL.Error', DEVIATION, "pyOpenSSL returns normally but leaves an error in OpenSSL's queue"),
    ('Connection.set_tlsext_host_name', 'name: oversized 70000 bytes', "conn.set_tlsext_host_name(b'A' * 70000)", 'SSL.Error', DEVIATION, "pyOpenSSL returns normally but leaves an error in OpenSSL's queue"),
    ('Connection.set_tlsext_host_name', 'name: NUL inside', "conn.set_tlsext_host_name(b'a\\x00b')", 'TypeError', "", ''),
    ('Connection.set_tlsext_host_name', 'too many arguments', "conn.set_tlsext_host_name(b'example.com', None, None, None, None, None)", 'TypeError', "", ''),
    ('Connection.set_tlsext_use_srtp', 'uninitialised object (cls.__new__(cls))', "SSL.Connection.__new__(SSL.Connection).set_tlsext_use_srtp(b'SRTP_AES128_CM_SHA1_80')", 'ValueError', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.set_tlsext_use_srtp', 'profiles: None', 'conn.set_tlsext_use_srtp(None)', 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.set_tlsext_use_srtp', 'profiles: int', 'conn.set_tlsext_use_srtp(1)', 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.set_tlsext_use_srtp', 'profiles: str', "conn.set_tlsext_use_srtp('text')", 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.set_tlsext_use_srtp', 'profiles: empty', "conn.set_tlsext_use_srtp(b'')", 'SSL.Error', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.set_tlsext_use_srtp', 'profiles: oversized 70000 bytes', "conn.set_tlsext_use_srtp(b'A' * 70000)", 'SSL.Error', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.set_tlsext_use_srtp', 'profiles: NUL inside', "conn.set_tlsext_use_srtp(b'a\\x00b')", 'ValueError', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.set_tlsext_use_srtp', 'too many arguments', "conn.set_tlsext_use_srtp(b'SRTP_AES128_CM_SHA1_80', None, None, None, None, None)", 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.set_verify', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).set_verify(SSL.VERIFY_PEER, None)', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.set_verify', 'mode: None', 'conn.set_verify(None, None)', 'TypeError', "", ''),
    ('Connection.set_verify', 'mode: str', "conn.set_verify('1', None)", 'TypeError', "", ''),
    ('Connection.set_verify', 'mode: float', 'conn.set_verify(1.5, None)', 'TypeError', "", ''),
    ('Connection.set_verify', 'mode: -1', 'conn.set_verify(-1, None)', 'returns', "", ''),
    ('Connection.set_verify', 'mode: 2**63', 'conn.set_verify(2**63, None)', 'OverflowError', "", ''),
    ('Connection.set_verify', 'mode: 2**64', 'conn.set_verify(2**64, None)', 'OverflowError', "", ''),
    ('Connection.set_verify', 'callback: int', 'conn.set_verify(SSL.VERIFY_PEER, 1)', 'TypeError', "", ''),
    ('Connection.set_verify', 'callback: str', "conn.set_verify(SSL.VERIFY_PEER, 'not callable')", 'TypeError', "", ''),
    ('Connection.set_verify', 'too many arguments', 'conn.set_verify(SSL.VERIFY_PEER, None, None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.set_verify_hostname', 'uninitialised object (cls.__new__(cls))', "SSL.Connection.__new__(SSL.Connection).set_verify_hostname('localhost')", 'ValueError', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.set_verify_hostname', 'hostname: None', 'conn.set_verify_hostname(None)', 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.set_verify_hostname', 'hostname: bytes', "conn.set_verify_hostname(b'localhost')", 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.set_verify_hostname', 'hostname: empty', "conn.set_verify_hostname('')", 'ValueError', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.set_verify_hostname', 'hostname: NUL inside', "conn.set_verify_hostname('a\\x00b')", 'ValueError', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.set_verify_hostname', 'hostname: oversized', "conn.set_verify_hostname('a' * 70000)", 'ValueError', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.set_verify_hostname', 'too many arguments', "conn.set_verify_hostname('localhost', None, None, None, None, None)", 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.set_verify_ip', 'uninitialised object (cls.__new__(cls))', "SSL.Connection.__new__(SSL.Connection).set_verify_ip('127.0.0.1')", 'ValueError', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.set_verify_ip', 'address: None', 'conn.set_verify_ip(None)', 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.set_verify_ip', 'address: bytes', "conn.set_verify_ip(b'127.0.0.1')", 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.set_verify_ip', 'address: not an address', "conn.set_verify_ip('not-an-ip')", 'ValueError', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.set_verify_ip', 'address: empty', "conn.set_verify_ip('')", 'ValueError', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.set_verify_ip', 'too many arguments', "conn.set_verify_ip('127.0.0.1', None, None, None, None, None)", 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.shutdown', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).shutdown()', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.shutdown', 'too many arguments', 'client.shutdown(None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.sock_shutdown', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).sock_shutdown(socket.SHUT_RDWR)', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.sock_shutdown', 'too many arguments', 'sconn.sock_shutdown(socket.SHUT_RDWR, None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.total_renegotiations', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).total_renegotiations()', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.total_renegotiations', 'too many arguments', 'conn.total_renegotiations(None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.use_certificate', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).use_certificate(cert)', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.use_certificate', 'cert: None', 'conn.use_certificate(None)', 'TypeError', "", ''),
    ('Connection.use_certificate', 'cert: int', 'conn.use_certificate(1)', 'TypeError', "", ''),
    ('Connection.use_certificate', 'cert: bytes', "conn.use_certificate(b'not a cert')", 'TypeError', "", ''),
    ('Connection.use_certificate', 'cert: uninitialised X509', 'conn.use_certificate(crypto.X509.__new__(crypto.X509))', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('Connection.use_certificate', 'cert: empty X509()', 'conn.use_certificate(crypto.X509())', 'SSL.Error', "", ''),
    ('Connection.use_certificate', 'too many arguments', 'conn.use_certificate(cert, None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.use_privatekey', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).use_privatekey(key)', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.use_privatekey', 'pkey: None', 'conn.use_privatekey(None)', 'TypeError', "", ''),
    ('Connection.use_privatekey', 'pkey: int', 'conn.use_privatekey(1)', 'TypeError', "", ''),
    ('Connection.use_privatekey', 'pkey: uninitialised PKey', 'conn.use_privatekey(crypto.PKey.__new__(crypto.PKey))', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('Connection.use_privatekey', 'pkey: empty PKey()', 'conn.use_privatekey(crypto.PKey())', 'returns', "", ''),
    ('Connection.use_privatekey', 'pkey: public-only PKey', 'conn.use_privatekey(pubkey)', 'returns', "", ''),
    ('Connection.use_privatekey', 'too many arguments', 'conn.use_privatekey(key, None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.uses_ktls_send', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).uses_ktls_send()', 'ValueError', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.uses_ktls_send', 'too many arguments', 'conn.uses_ktls_send(None, None, None, None, None)', 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.verify_client_post_handshake', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).verify_client_post_handshake()', 'ValueError', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.verify_client_post_handshake', 'too many arguments', 'conn.verify_client_post_handshake(None, None, None, None, None)', 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.want_read', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).want_read()', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.want_read', 'too many arguments', 'conn.want_read(None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.want_write', 'uninitialised object (cls.__new__(cls))', 'SSL.Connection.__new__(SSL.Connection).want_write()', 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.want_write', 'too many arguments', 'conn.want_write(None, None, None, None, None)', 'TypeError', "", ''),
    ('Connection.write', 'uninitialised object (cls.__new__(cls))', "SSL.Connection.__new__(SSL.Connection).write(b'data', 0)", 'ValueError', DEVIATION, 'pyOpenSSL: RecursionError'),
    ('Connection.write', 'buf: None', 'client.write(None, 0)', 'TypeError', "", ''),
    ('Connection.write', 'buf: int', 'client.write(1, 0)', 'TypeError', "", ''),
    ('Connection.write', 'buf: empty', "client.write(b'', 0)", 'SSL.SysCallError', "", ''),
    ('Connection.write', 'buf: list', 'client.write([1, 2], 0)', 'TypeError', "", ''),
    ('Connection.write', 'flags: None', "client.write(b'data', None)", 'returns', "", ''),
    ('Connection.write', 'flags: str', "client.write(b'data', '1')", 'returns', "", ''),
    ('Connection.write', 'flags: float', "client.write(b'data', 1.5)", 'returns', "", ''),
    ('Connection.write', 'flags: -1', "client.write(b'data', -1)", 'returns', "", ''),
    ('Connection.write', 'flags: 2**63', "client.write(b'data', 2**63)", 'returns', "", ''),
    ('Connection.write', 'flags: 2**64', "client.write(b'data', 2**64)", 'returns', "", ''),
    ('Connection.write', 'too many arguments', "client.write(b'data', 0, None, None, None, None, None)", 'TypeError', "", ''),
    ('Session.id', 'uninitialised object (cls.__new__(cls))', 'SSL.Session.__new__(SSL.Session).id', 'ValueError', OURS, 'not in pyOpenSSL 26.4'),
    ('Session.is_resumable', 'uninitialised object (cls.__new__(cls))', 'SSL.Session.__new__(SSL.Session).is_resumable()', 'ValueError', OURS, 'not in pyOpenSSL 26.4'),
    ('Session.is_resumable', 'too many arguments', 'session.is_resumable(None, None, None, None, None)', 'TypeError', OURS, 'not in pyOpenSSL 26.4'),
    ('Session.ticket_lifetime_hint', 'uninitialised object (cls.__new__(cls))', 'SSL.Session.__new__(SSL.Session).ticket_lifetime_hint', 'ValueError', OURS, 'not in pyOpenSSL 26.4'),
    ('X509.digest', 'uninitialised object (cls.__new__(cls))', "crypto.X509.__new__(crypto.X509).digest('sha256')", 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('X509.digest', 'digest_name: None', 'x509.digest(None)', 'AttributeError', "", ''),
    ('X509.digest', 'digest_name: int', 'x509.digest(1)', 'AttributeError', "", ''),
    ('X509.digest', 'digest_name: bytes', "x509.digest(b'sha256')", 'AttributeError', "", ''),
    ('X509.digest', 'digest_name: empty', "x509.digest('')", 'ValueError', "", ''),
    ('X509.digest', 'digest_name: unknown', "x509.digest('no-such')", 'ValueError', "", ''),
    ('X509.digest', 'digest_name: NUL inside', "x509.digest('sha\\x00256')", 'ValueError', "", ''),
    ('X509.digest', 'too many arguments', "x509.digest('sha256', None, None, None, None, None)", 'TypeError', "", ''),
    ('X509.from_cryptography', 'crypto_cert: None', 'crypto.X509.from_cryptography(None)', 'TypeError', "", ''),
    ('X509.from_cryptography', 'crypto_cert: int', 'crypto.X509.from_cryptography(1)', 'TypeError', "", ''),
    ('X509.from_cryptography', 'crypto_cert: X509', 'crypto.X509.from_cryptography(x509)', 'TypeError', "", ''),
    ('X509.from_cryptography', 'crypto_cert: PEM bytes', 'crypto.X509.from_cryptography(CERT_PEM_BYTES)', 'TypeError', "", ''),
    ('X509.get_extension_count', 'uninitialised object (cls.__new__(cls))', 'crypto.X509.__new__(crypto.X509).get_extension_count()', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('X509.get_extension_count', 'too many arguments', 'x509.get_extension_count(None, None, None, None, None)', 'TypeError', "", ''),
    ('X509.get_issuer', 'uninitialised object (cls.__new__(cls))', 'crypto.X509.__new__(crypto.X509).get_issuer()', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('X509.get_issuer', 'too many arguments', 'x509.get_issuer(None, None, None, None, None)', 'TypeError', "", ''),
    ('X509.get_notAfter', 'uninitialised object (cls.__new__(cls))', 'crypto.X509.__new__(crypto.X509).get_notAfter()', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('X509.get_notAfter', 'too many arguments', 'x509.get_notAfter(None, None, None, None, None)', 'TypeError', "", ''),
    ('X509.get_notBefore', 'uninitialised object (cls.__new__(cls))', 'crypto.X509.__new__(crypto.X509).get_notBefore()', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('X509.get_notBefore', 'too many arguments', 'x509.get_notBefore(None, None, None, None, None)', 'TypeError', "", ''),
    ('X509.get_pubkey', 'uninitialised object (cls.__new__(cls))', 'crypto.X509.__new__(crypto.X509).get_pubkey()', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('X509.get_pubkey', 'too many arguments', 'x509.get_pubkey(None, None, None, None, None)', 'TypeError', "", ''),
    ('X509.get_serial_number', 'uninitialised object (cls.__new__(cls))', 'crypto.X509.__new__(crypto.X509).get_serial_number()', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('X509.get_serial_number', 'too many arguments', 'x509.get_serial_number(None, None, None, None, None)', 'TypeError', "", ''),
    ('X509.get_signature_algorithm', 'uninitialised object (cls.__new__(cls))', 'crypto.X509.__new__(crypto.X509).get_signature_algorithm()', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('X509.get_signature_algorithm', 'too many arguments', 'x509.get_signature_algorithm(None, None, None, None, None)', 'TypeError', "", ''),
    ('X509.get_subject', 'uninitialised object (cls.__new__(cls))', 'crypto.X509.__new__(crypto.X509).get_subject()', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('X509.get_subject', 'too many arguments', 'x509.get_subject(None, None, None, None, None)', 'TypeError', "", ''),
    ('X509.get_version', 'uninitialised object (cls.__new__(cls))', 'crypto.X509.__new__(crypto.X509).get_version()', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('X509.get_version', 'too many arguments', 'x509.get_version(None, None, None, None, None)', 'TypeError', "", ''),
    ('X509.gmtime_adj_notAfter', 'uninitialised object (cls.__new__(cls))', 'crypto.X509.__new__(crypto.X509).gmtime_adj_notAfter(3600)', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('X509.gmtime_adj_notAfter', 'amount: None', 'x509.gmtime_adj_notAfter(None)', 'TypeError', "", ''),
    ('X509.gmtime_adj_notAfter', 'amount: str', "x509.gmtime_adj_notAfter('1')", 'TypeError', "", ''),
    ('X509.gmtime_adj_notAfter', 'amount: float', 'x509.gmtime_adj_notAfter(1.5)', 'TypeError', "", ''),
    ('X509.gmtime_adj_notAfter', 'amount: -1', 'x509.gmtime_adj_notAfter(-1)', 'returns', "", ''),
    ('X509.gmtime_adj_notAfter', 'amount: 2**63', 'x509.gmtime_adj_notAfter(2**63)', 'OverflowError', "", ''),
    ('X509.gmtime_adj_notAfter', 'amount: 2**64', 'x509.gmtime_adj_notAfter(2**64)', 'OverflowError', "", ''),
    ('X509.gmtime_adj_notAfter', 'too many arguments', 'x509.gmtime_adj_notAfter(3600, None, None, None, None, None)', 'TypeError', "", ''),
    ('X509.gmtime_adj_notBefore', 'uninitialised object (cls.__new__(cls))', 'crypto.X509.__new__(crypto.X509).gmtime_adj_notBefore(0)', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('X509.gmtime_adj_notBefore', 'amount: None', 'x509.gmtime_adj_notBefore(None)', 'TypeError', "", ''),
    ('X509.gmtime_adj_notBefore', 'amount: str', "x509.gmtime_adj_notBefore('1')", 'TypeError', "", ''),
    ('X509.gmtime_adj_notBefore', 'amount: float', 'x509.gmtime_adj_notBefore(1.5)', 'TypeError', "", ''),
    ('X509.gmtime_adj_notBefore', 'amount: -1', 'x509.gmtime_adj_notBefore(-1)', 'returns', "", ''),
    ('X509.gmtime_adj_notBefore', 'amount: 2**63', 'x509.gmtime_adj_notBefore(2**63)', 'OverflowError', "", ''),
    ('X509.gmtime_adj_notBefore', 'amount: 2**64', 'x509.gmtime_adj_notBefore(2**64)', 'OverflowError', "", ''),
    ('X509.gmtime_adj_notBefore', 'too many arguments', 'x509.gmtime_adj_notBefore(0, None, None, None, None, None)', 'TypeError', "", ''),
    ('X509.has_expired', 'uninitialised object (cls.__new__(cls))', 'crypto.X509.__new__(crypto.X509).has_expired()', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('X509.has_expired', 'too many arguments', 'x509.has_expired(None, None, None, None, None)', 'TypeError', "", ''),
    ('X509.set_issuer', 'uninitialised object (cls.__new__(cls))', 'crypto.X509.__new__(crypto.X509).set_issuer(name)', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('X509.set_issuer', 'issuer: None', 'x509.set_issuer(None)', 'TypeError', "", ''),
    ('X509.set_issuer', 'issuer: int', 'x509.set_issuer(1)', 'TypeError', "", ''),
    ('X509.set_issuer', 'issuer: uninitialised X509Name', 'x509.set_issuer(crypto.X509Name.__new__(crypto.X509Name))', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('X509.set_issuer', 'too many arguments', 'x509.set_issuer(name, None, None, None, None, None)', 'TypeError', "", ''),
    ('X509.set_notAfter', 'uninitialised object (cls.__new__(cls))', "crypto.X509.__new__(crypto.X509).set_notAfter(b'20300101000000Z')", 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('X509.set_notAfter', 'when: None', 'x509.set_notAfter(None)', 'TypeError', "", ''),
    ('X509.set_notAfter', 'when: int', 'x509.set_notAfter(1)', 'TypeError', "", ''),
    ('X509.set_notAfter', 'when: str', "x509.set_notAfter('text')", 'TypeError', "", ''),
    ('X509.set_notAfter', 'when: empty', "x509.set_notAfter(b'')", 'ValueError', "", ''),
    ('X509.set_notAfter', 'when: oversized 70000 bytes', "x509.set_notAfter(b'A' * 70000)", 'ValueError', "", ''),
    ('X509.set_notAfter', 'when: NUL inside', "x509.set_notAfter(b'a\\x00b')", 'ValueError', "", ''),
    ('X509.set_notAfter', 'too many arguments', "x509.set_notAfter(b'20300101000000Z', None, None, None, None, None)", 'TypeError', "", ''),
    ('X509.set_notBefore', 'uninitialised object (cls.__new__(cls))', "crypto.X509.__new__(crypto.X509).set_notBefore(b'20200101000000Z')", 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('X509.set_notBefore', 'when: None', 'x509.set_notBefore(None)', 'TypeError', "", ''),
    ('X509.set_notBefore', 'when: int', 'x509.set_notBefore(1)', 'TypeError', "", ''),
    ('X509.set_notBefore', 'when: str', "x509.set_notBefore('text')", 'TypeError', "", ''),
    ('X509.set_notBefore', 'when: empty', "x509.set_notBefore(b'')", 'ValueError', "", ''),
    ('X509.set_notBefore', 'when: oversized 70000 bytes', "x509.set_notBefore(b'A' * 70000)", 'ValueError', "", ''),
    ('X509.set_notBefore', 'when: NUL inside', "x509.set_notBefore(b'a\\x00b')", 'ValueError', "", ''),
    ('X509.set_notBefore', 'too many arguments', "x509.set_notBefore(b'20200101000000Z', None, None, None, None, None)", 'TypeError', "", ''),
    ('X509.set_pubkey', 'uninitialised object (cls.__new__(cls))', 'crypto.X509.__new__(crypto.X509).set_pubkey(pkey)', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('X509.set_pubkey', 'pkey: None', 'x509.set_pubkey(None)', 'TypeError', "", ''),
    ('X509.set_pubkey', 'pkey: int', 'x509.set_pubkey(1)', 'TypeError', "", ''),
    ('X509.set_pubkey', 'pkey: cryptography key', 'x509.set_pubkey(key)', 'TypeError', "", ''),
    ('X509.set_pubkey', 'pkey: uninitialised PKey', 'x509.set_pubkey(crypto.PKey.__new__(crypto.PKey))', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('X509.set_pubkey', 'pkey: empty PKey()', 'x509.set_pubkey(crypto.PKey())', 'crypto.Error', "", ''),
    ('X509.set_pubkey', 'too many arguments', 'x509.set_pubkey(pkey, None, None, None, None, None)', 'TypeError', "", ''),
    ('X509.set_serial_number', 'uninitialised object (cls.__new__(cls))', 'crypto.X509.__new__(crypto.X509).set_serial_number(5)', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('X509.set_serial_number', 'serial: None', 'x509.set_serial_number(None)', 'TypeError', "", ''),
    ('X509.set_serial_number', 'serial: str', "x509.set_serial_number('1')", 'TypeError', "", ''),
    ('X509.set_serial_number', 'serial: float', 'x509.set_serial_number(1.5)', 'TypeError', "", ''),
    ('X509.set_serial_number', 'serial: -1', 'x509.set_serial_number(-1)', 'returns', DEVIATION, 'pyOpenSSL crashes (SIGSEGV)'),
    ('X509.set_serial_number', 'serial: 2**63', 'x509.set_serial_number(2**63)', 'returns', "", ''),
    ('X509.set_serial_number', 'serial: 2**64', 'x509.set_serial_number(2**64)', 'returns', "", ''),
    ('X509.set_serial_number', 'too many arguments', 'x509.set_serial_number(5, None, None, None, None, None)', 'TypeError', "", ''),
    ('X509.set_subject', 'uninitialised object (cls.__new__(cls))', 'crypto.X509.__new__(crypto.X509).set_subject(name)', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('X509.set_subject', 'subject: None', 'x509.set_subject(None)', 'TypeError', "", ''),
    ('X509.set_subject', 'subject: int', 'x509.set_subject(1)', 'TypeError', "", ''),
    ('X509.set_subject', 'subject: uninitialised X509Name', 'x509.set_subject(crypto.X509Name.__new__(crypto.X509Name))', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('X509.set_subject', 'too many arguments', 'x509.set_subject(name, None, None, None, None, None)', 'TypeError', "", ''),
    ('X509.set_version', 'uninitialised object (cls.__new__(cls))', 'crypto.X509.__new__(crypto.X509).set_version(2)', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('X509.set_version', 'version: None', 'x509.set_version(None)', 'TypeError', "", ''),
    ('X509.set_version', 'version: str', "x509.set_version('1')", 'TypeError', "", ''),
    ('X509.set_version', 'version: float', 'x509.set_version(1.5)', 'TypeError', "", ''),
    ('X509.set_version', 'version: -1', 'x509.set_version(-1)', 'returns', "", ''),
    ('X509.set_version', 'version: 2**63', 'x509.set_version(2**63)', 'OverflowError', "", ''),
    ('X509.set_version', 'version: 2**64', 'x509.set_version(2**64)', 'OverflowError', "", ''),
    ('X509.set_version', 'too many arguments', 'x509.set_version(2, None, None, None, None, None)', 'TypeError', "", ''),
    ('X509.sign', 'uninitialised object (cls.__new__(cls))', "crypto.X509.__new__(crypto.X509).sign(pkey, 'sha256')", 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('X509.sign', 'pkey: None', "x509.sign(None, 'sha256')", 'TypeError', "", ''),
    ('X509.sign', 'pkey: int', "x509.sign(1, 'sha256')", 'TypeError', "", ''),
    ('X509.sign', 'pkey: cryptography key', "x509.sign(key, 'sha256')", 'TypeError', "", ''),
    ('X509.sign', 'pkey: uninitialised PKey', "x509.sign(crypto.PKey.__new__(crypto.PKey), 'sha256')", 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('X509.sign', 'pkey: empty PKey()', "x509.sign(crypto.PKey(), 'sha256')", 'ValueError', "", ''),
    ('X509.sign', 'digest: None', 'x509.sign(pkey, None)', 'AttributeError', "", ''),
    ('X509.sign', 'digest: int', 'x509.sign(pkey, 1)', 'AttributeError', "", ''),
    ('X509.sign', 'digest: bytes', "x509.sign(pkey, b'sha256')", 'AttributeError', "", ''),
    ('X509.sign', 'digest: empty', "x509.sign(pkey, '')", 'ValueError', "", ''),
    ('X509.sign', 'digest: unknown', "x509.sign(pkey, 'no-such')", 'ValueError', "", ''),
    ('X509.sign', 'digest: NUL inside', "x509.sign(pkey, 'sha\\x00256')", 'ValueError', "", ''),
    ('X509.sign', 'too many arguments', "x509.sign(pkey, 'sha256', None, None, None, None, None)", 'TypeError', "", ''),
    ('X509.subject_name_hash', 'uninitialised object (cls.__new__(cls))', 'crypto.X509.__new__(crypto.X509).subject_name_hash()', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('X509.subject_name_hash', 'too many arguments', 'x509.subject_name_hash(None, None, None, None, None)', 'TypeError', "", ''),
    ('X509.to_cryptography', 'uninitialised object (cls.__new__(cls))', 'crypto.X509.__new__(crypto.X509).to_cryptography()', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('X509.to_cryptography', 'too many arguments', 'x509.to_cryptography(None, None, None, None, None)', 'TypeError', "", ''),
    ('PKey.bits', 'uninitialised object (cls.__new__(cls))', 'crypto.PKey.__new__(crypto.PKey).bits()', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('PKey.bits', 'too many arguments', 'pkey.bits(None, None, None, None, None)', 'TypeError', "", ''),
    ('PKey.check', 'uninitialised object (cls.__new__(cls))', 'crypto.PKey.__new__(crypto.PKey).check()', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('PKey.check', 'too many arguments', 'pkey.check(None, None, None, None, None)', 'TypeError', "", ''),
    ('PKey.from_cryptography_key', 'crypto_key: None', 'crypto.PKey.from_cryptography_key(None)', 'TypeError', "", ''),
    ('PKey.from_cryptography_key', 'crypto_key: int', 'crypto.PKey.from_cryptography_key(1)', 'TypeError', "", ''),
    ('PKey.from_cryptography_key', 'crypto_key: PKey', 'crypto.PKey.from_cryptography_key(pkey)', 'TypeError', "", ''),
    ('PKey.from_cryptography_key', 'crypto_key: cryptography cert', 'crypto.PKey.from_cryptography_key(cert)', 'TypeError', "", ''),
    ('PKey.generate_key', 'uninitialised object (cls.__new__(cls))', 'crypto.PKey.__new__(crypto.PKey).generate_key(crypto.TYPE_RSA, 1024)', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('PKey.generate_key', 'type: None', 'pkey.generate_key(None, 1024)', 'TypeError', "", ''),
    ('PKey.generate_key', 'type: str', "pkey.generate_key('1', 1024)", 'TypeError', "", ''),
    ('PKey.generate_key', 'type: float', 'pkey.generate_key(1.5, 1024)', 'TypeError', "", ''),
    ('PKey.generate_key', 'type: -1', 'pkey.generate_key(-1, 1024)', 'crypto.Error', "", ''),
    ('PKey.generate_key', 'type: 2**63', 'pkey.generate_key(2**63, 1024)', 'crypto.Error', "", ''),
    ('PKey.generate_key', 'type: 2**64', 'pkey.generate_key(2**64, 1024)', 'crypto.Error', "", ''),
    ('PKey.generate_key', 'bits: None', 'pkey.generate_key(crypto.TYPE_RSA, None)', 'TypeError', "", ''),
    ('PKey.generate_key', 'bits: str', "pkey.generate_key(crypto.TYPE_RSA, '1')", 'TypeError', "", ''),
    ('PKey.generate_key', 'bits: float', 'pkey.generate_key(crypto.TYPE_RSA, 1.5)', 'TypeError', "", ''),
    ('PKey.generate_key', 'bits: -1', 'pkey.generate_key(crypto.TYPE_RSA, -1)', 'ValueError', "", ''),
    ('PKey.generate_key', 'bits: 2**63', 'pkey.generate_key(crypto.TYPE_RSA, 2**63)', 'OverflowError', "", ''),
    ('PKey.generate_key', 'bits: 2**64', 'pkey.generate_key(crypto.TYPE_RSA, 2**64)', 'OverflowError', "", ''),
    ('PKey.generate_key', 'too many arguments', 'pkey.generate_key(crypto.TYPE_RSA, 1024, None, None, None, None, None)', 'TypeError', "", ''),
    ('PKey.to_cryptography_key', 'uninitialised object (cls.__new__(cls))', 'crypto.PKey.__new__(crypto.PKey).to_cryptography_key()', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('PKey.to_cryptography_key', 'too many arguments', 'pkey.to_cryptography_key(None, None, None, None, None)', 'TypeError', "", ''),
    ('PKey.type', 'uninitialised object (cls.__new__(cls))', 'crypto.PKey.__new__(crypto.PKey).type()', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('PKey.type', 'too many arguments', 'pkey.type(None, None, None, None, None)', 'TypeError', "", ''),
    ('X509Name.der', 'uninitialised object (cls.__new__(cls))', 'crypto.X509Name.__new__(crypto.X509Name).der()', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('X509Name.der', 'too many arguments', 'name.der(None, None, None, None, None)', 'TypeError', "", ''),
    ('X509Name.get_components', 'uninitialised object (cls.__new__(cls))', 'crypto.X509Name.__new__(crypto.X509Name).get_components()', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('X509Name.get_components', 'too many arguments', 'name.get_components(None, None, None, None, None)', 'TypeError', "", ''),
    ('X509Name.hash', 'uninitialised object (cls.__new__(cls))', 'crypto.X509Name.__new__(crypto.X509Name).hash()', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('X509Name.hash', 'too many arguments', 'name.hash(None, None, None, None, None)', 'TypeError', "", ''),
    ('X509Store.add_cert', 'uninitialised object (cls.__new__(cls))', 'crypto.X509Store.__new__(crypto.X509Store).add_cert(x509)', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('X509Store.add_cert', 'cert: None', 'store.add_cert(None)', 'TypeError', "", ''),
    ('X509Store.add_cert', 'cert: int', 'store.add_cert(1)', 'TypeError', "", ''),
    ('X509Store.add_cert', 'cert: cryptography cert', 'store.add_cert(cert)', 'TypeError', "", ''),
    ('X509Store.add_cert', 'cert: uninitialised X509', 'store.add_cert(crypto.X509.__new__(crypto.X509))', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('X509Store.add_cert', 'cert: empty X509()', 'store.add_cert(crypto.X509())', 'returns', "", ''),
    ('X509Store.add_cert', 'too many arguments', 'store.add_cert(x509, None, None, None, None, None)', 'TypeError', "", ''),
    ('X509Store.add_crl', 'uninitialised object (cls.__new__(cls))', 'crypto.X509Store.__new__(crypto.X509Store).add_crl(crl)', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('X509Store.add_crl', 'crl: None', 'store.add_crl(None)', 'TypeError', "", ''),
    ('X509Store.add_crl', 'crl: int', 'store.add_crl(1)', 'TypeError', "", ''),
    ('X509Store.add_crl', 'crl: bytes', "store.add_crl(b'not a crl')", 'TypeError', "", ''),
    ('X509Store.add_crl', 'crl: cryptography cert', 'store.add_crl(cert)', 'TypeError', "", ''),
    ('X509Store.add_crl', 'too many arguments', 'store.add_crl(crl, None, None, None, None, None)', 'TypeError', "", ''),
    ('X509Store.load_locations', 'uninitialised object (cls.__new__(cls))', 'crypto.X509Store.__new__(crypto.X509Store).load_locations(CA_PEM, None)', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('X509Store.load_locations', 'cafile: None', 'store.load_locations(None, None)', 'crypto.Error', "", ''),
    ('X509Store.load_locations', 'cafile: int', 'store.load_locations(1, None)', 'TypeError', "", ''),
    ('X509Store.load_locations', 'cafile: empty', "store.load_locations('', None)", 'crypto.Error', "", ''),
    ('X509Store.load_locations', 'cafile: missing file', "store.load_locations('/nonexistent/x.pem', None)", 'crypto.Error', "", ''),
    ('X509Store.load_locations', 'cafile: NUL inside', "store.load_locations('bad\\x00path', None)", 'crypto.Error', "", ''),
    ('X509Store.load_locations', 'cafile: 5000-char name', "store.load_locations('a' * 5000, None)", 'crypto.Error', "", ''),
    ('X509Store.load_locations', 'capath: int', 'store.load_locations(CA_PEM, 1)', 'TypeError', "", ''),
    ('X509Store.load_locations', 'capath: empty', "store.load_locations(CA_PEM, '')", 'crypto.Error', "", ''),
    ('X509Store.load_locations', 'capath: missing file', "store.load_locations(CA_PEM, '/nonexistent/x.pem')", 'returns', "", ''),
    ('X509Store.load_locations', 'capath: NUL inside', "store.load_locations(CA_PEM, 'bad\\x00path')", 'returns', "", ''),
    ('X509Store.load_locations', 'capath: 5000-char name', "store.load_locations(CA_PEM, 'a' * 5000)", 'returns', "", ''),
    ('X509Store.load_locations', 'too many arguments', 'store.load_locations(CA_PEM, None, None, None, None, None, None)', 'TypeError', "", ''),
    ('X509Store.set_flags', 'uninitialised object (cls.__new__(cls))', 'crypto.X509Store.__new__(crypto.X509Store).set_flags(crypto.X509StoreFlags.CRL_CHECK)', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('X509Store.set_flags', 'flags: None', 'store.set_flags(None)', 'TypeError', "", ''),
    ('X509Store.set_flags', 'flags: str', "store.set_flags('1')", 'TypeError', "", ''),
    ('X509Store.set_flags', 'flags: float', 'store.set_flags(1.5)', 'TypeError', "", ''),
    ('X509Store.set_flags', 'flags: -1', 'store.set_flags(-1)', 'OverflowError', "", ''),
    ('X509Store.set_flags', 'flags: 2**63', 'store.set_flags(2**63)', 'returns', "", ''),
    ('X509Store.set_flags', 'flags: 2**64', 'store.set_flags(2**64)', 'OverflowError', "", ''),
    ('X509Store.set_flags', 'too many arguments', 'store.set_flags(crypto.X509StoreFlags.CRL_CHECK, None, None, None, None, None)', 'TypeError', "", ''),
    ('X509Store.set_time', 'uninitialised object (cls.__new__(cls))', 'crypto.X509Store.__new__(crypto.X509Store).set_time(datetime.datetime(2030, 1, 1))', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('X509Store.set_time', 'vfy_time: None', 'store.set_time(None)', 'AttributeError', "", ''),
    ('X509Store.set_time', 'vfy_time: int', 'store.set_time(1)', 'AttributeError', "", ''),
    ('X509Store.set_time', 'vfy_time: str', "store.set_time('2020-01-01')", 'AttributeError', "", ''),
    ('X509Store.set_time', 'too many arguments', 'store.set_time(datetime.datetime(2030, 1, 1), None, None, None, None, None)', 'TypeError', "", ''),
    ('X509StoreContext.get_verified_chain', 'uninitialised object (cls.__new__(cls))', 'crypto.X509StoreContext.__new__(crypto.X509StoreContext).get_verified_chain()', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('X509StoreContext.get_verified_chain', 'too many arguments', 'storectx.get_verified_chain(None, None, None, None, None)', 'TypeError', "", ''),
    ('X509StoreContext.set_store', 'uninitialised object (cls.__new__(cls))', 'crypto.X509StoreContext.__new__(crypto.X509StoreContext).set_store(store)', 'ValueError', DEVIATION, 'pyOpenSSL: ok'),
    ('X509StoreContext.set_store', 'store: None', 'storectx.set_store(None)', 'returns', "", ''),
    ('X509StoreContext.set_store', 'store: int', 'storectx.set_store(1)', 'returns', "", ''),
    ('X509StoreContext.set_store', 'store: uninitialised X509Store', 'storectx.set_store(crypto.X509Store.__new__(crypto.X509Store))', 'returns', "", ''),
    ('X509StoreContext.set_store', 'too many arguments', 'storectx.set_store(store, None, None, None, None, None)', 'TypeError', "", ''),
    ('X509StoreContext.verify_certificate', 'uninitialised object (cls.__new__(cls))', 'crypto.X509StoreContext.__new__(crypto.X509StoreContext).verify_certificate()', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('X509StoreContext.verify_certificate', 'too many arguments', 'storectx.verify_certificate(None, None, None, None, None)', 'TypeError', "", ''),
    ('crypto.dump_certificate', 'type: None', 'crypto.dump_certificate(None, x509)', 'ValueError', "", ''),
    ('crypto.dump_certificate', 'type: -1', 'crypto.dump_certificate(-1, x509)', 'ValueError', "", ''),
    ('crypto.dump_certificate', 'type: 99', 'crypto.dump_certificate(99, x509)', 'ValueError', "", ''),
    ('crypto.dump_certificate', 'type: 2**64', 'crypto.dump_certificate(2**64, x509)', 'ValueError', "", ''),
    ('crypto.dump_certificate', 'type: str', "crypto.dump_certificate('PEM', x509)", 'ValueError', "", ''),
    ('crypto.dump_certificate', 'cert: None', 'crypto.dump_certificate(crypto.FILETYPE_PEM, None)', 'AttributeError', "", ''),
    ('crypto.dump_certificate', 'cert: int', 'crypto.dump_certificate(crypto.FILETYPE_PEM, 1)', 'AttributeError', "", ''),
    ('crypto.dump_certificate', 'cert: cryptography cert', 'crypto.dump_certificate(crypto.FILETYPE_PEM, cert)', 'AttributeError', "", ''),
    ('crypto.dump_certificate', 'cert: uninitialised X509', 'crypto.dump_certificate(crypto.FILETYPE_PEM, crypto.X509.__new__(crypto.X509))', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('crypto.dump_certificate', 'cert: empty X509()', 'crypto.dump_certificate(crypto.FILETYPE_PEM, crypto.X509())', 'crypto.Error', "", ''),
    ('crypto.dump_certificate', 'too many arguments', 'crypto.dump_certificate(crypto.FILETYPE_PEM, x509, None, None, None, None, None)', 'TypeError', "", ''),
    ('crypto.dump_privatekey', 'type: None', 'crypto.dump_privatekey(None, pkey, None, None)', 'ValueError', "", ''),
    ('crypto.dump_privatekey', 'type: -1', 'crypto.dump_privatekey(-1, pkey, None, None)', 'ValueError', "", ''),
    ('crypto.dump_privatekey', 'type: 99', 'crypto.dump_privatekey(99, pkey, None, None)', 'ValueError', "", ''),
    ('crypto.dump_privatekey', 'type: 2**64', 'crypto.dump_privatekey(2**64, pkey, None, None)', 'ValueError', "", ''),
    ('crypto.dump_privatekey', 'type: str', "crypto.dump_privatekey('PEM', pkey, None, None)", 'ValueError', "", ''),
    ('crypto.dump_privatekey', 'pkey: None', 'crypto.dump_privatekey(crypto.FILETYPE_PEM, None, None, None)', 'TypeError', "", ''),
    ('crypto.dump_privatekey', 'pkey: int', 'crypto.dump_privatekey(crypto.FILETYPE_PEM, 1, None, None)', 'TypeError', "", ''),
    ('crypto.dump_privatekey', 'pkey: cryptography key', 'crypto.dump_privatekey(crypto.FILETYPE_PEM, key, None, None)', 'TypeError', "", ''),
    ('crypto.dump_privatekey', 'pkey: uninitialised PKey', 'crypto.dump_privatekey(crypto.FILETYPE_PEM, crypto.PKey.__new__(crypto.PKey), None, None)', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('crypto.dump_privatekey', 'pkey: empty PKey()', 'crypto.dump_privatekey(crypto.FILETYPE_PEM, crypto.PKey(), None, None)', 'crypto.Error', "", ''),
    ('crypto.dump_privatekey', 'cipher: int', 'crypto.dump_privatekey(crypto.FILETYPE_PEM, pkey, 1, None)', 'TypeError', "", ''),
    ('crypto.dump_privatekey', 'cipher: bytes', "crypto.dump_privatekey(crypto.FILETYPE_PEM, pkey, b'sha256', None)", 'TypeError', "", ''),
    ('crypto.dump_privatekey', 'cipher: empty', "crypto.dump_privatekey(crypto.FILETYPE_PEM, pkey, '', None)", 'TypeError', "", ''),
    ('crypto.dump_privatekey', 'cipher: unknown', "crypto.dump_privatekey(crypto.FILETYPE_PEM, pkey, 'no-such', None)", 'TypeError', "", ''),
    ('crypto.dump_privatekey', 'cipher: NUL inside', "crypto.dump_privatekey(crypto.FILETYPE_PEM, pkey, 'sha\\x00256', None)", 'TypeError', "", ''),
    ('crypto.dump_privatekey', 'passphrase: int', 'crypto.dump_privatekey(crypto.FILETYPE_PEM, pkey, None, 1)', 'TypeError', "", ''),
    ('crypto.dump_privatekey', 'passphrase: str', "crypto.dump_privatekey(crypto.FILETYPE_PEM, pkey, None, 'secret')", 'TypeError', "", ''),
    ('crypto.dump_privatekey', 'too many arguments', 'crypto.dump_privatekey(crypto.FILETYPE_PEM, pkey, None, None, None, None, None, None, None)', 'TypeError', "", ''),
    ('crypto.dump_publickey', 'type: None', 'crypto.dump_publickey(None, pkey)', 'ValueError', "", ''),
    ('crypto.dump_publickey', 'type: -1', 'crypto.dump_publickey(-1, pkey)', 'ValueError', "", ''),
    ('crypto.dump_publickey', 'type: 99', 'crypto.dump_publickey(99, pkey)', 'ValueError', "", ''),
    ('crypto.dump_publickey', 'type: 2**64', 'crypto.dump_publickey(2**64, pkey)', 'ValueError', "", ''),
    ('crypto.dump_publickey', 'type: str', "crypto.dump_publickey('PEM', pkey)", 'ValueError', "", ''),
    ('crypto.dump_publickey', 'pkey: None', 'crypto.dump_publickey(crypto.FILETYPE_PEM, None)', 'AttributeError', "", ''),
    ('crypto.dump_publickey', 'pkey: int', 'crypto.dump_publickey(crypto.FILETYPE_PEM, 1)', 'AttributeError', "", ''),
    ('crypto.dump_publickey', 'pkey: cryptography key', 'crypto.dump_publickey(crypto.FILETYPE_PEM, key)', 'AttributeError', "", ''),
    ('crypto.dump_publickey', 'pkey: uninitialised PKey', 'crypto.dump_publickey(crypto.FILETYPE_PEM, crypto.PKey.__new__(crypto.PKey))', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('crypto.dump_publickey', 'pkey: empty PKey()', 'crypto.dump_publickey(crypto.FILETYPE_PEM, crypto.PKey())', 'crypto.Error', "", ''),
    ('crypto.dump_publickey', 'too many arguments', 'crypto.dump_publickey(crypto.FILETYPE_PEM, pkey, None, None, None, None, None)', 'TypeError', "", ''),
    ('crypto.get_elliptic_curve', 'name: None', 'crypto.get_elliptic_curve(None)', 'ValueError', "", ''),
    ('crypto.get_elliptic_curve', 'name: int', 'crypto.get_elliptic_curve(1)', 'ValueError', "", ''),
    ('crypto.get_elliptic_curve', 'name: bytes', "crypto.get_elliptic_curve(b'sha256')", 'ValueError', "", ''),
    ('crypto.get_elliptic_curve', 'name: empty', "crypto.get_elliptic_curve('')", 'ValueError', "", ''),
    ('crypto.get_elliptic_curve', 'name: unknown', "crypto.get_elliptic_curve('no-such')", 'ValueError', "", ''),
    ('crypto.get_elliptic_curve', 'name: NUL inside', "crypto.get_elliptic_curve('sha\\x00256')", 'ValueError', "", ''),
    ('crypto.get_elliptic_curve', 'too many arguments', "crypto.get_elliptic_curve('prime256v1', None, None, None, None, None)", 'TypeError', "", ''),
    ('crypto.get_elliptic_curves', 'too many arguments', 'crypto.get_elliptic_curves(None, None, None, None, None)', 'TypeError', "", ''),
    ('crypto.load_certificate', 'type: None', 'crypto.load_certificate(None, CERT_PEM_BYTES)', 'ValueError', "", ''),
    ('crypto.load_certificate', 'type: -1', 'crypto.load_certificate(-1, CERT_PEM_BYTES)', 'ValueError', "", ''),
    ('crypto.load_certificate', 'type: 99', 'crypto.load_certificate(99, CERT_PEM_BYTES)', 'ValueError', "", ''),
    ('crypto.load_certificate', 'type: 2**64', 'crypto.load_certificate(2**64, CERT_PEM_BYTES)', 'ValueError', "", ''),
    ('crypto.load_certificate', 'type: str', "crypto.load_certificate('PEM', CERT_PEM_BYTES)", 'ValueError', "", ''),
    ('crypto.load_certificate', 'buffer: None', 'crypto.load_certificate(crypto.FILETYPE_PEM, None)', 'crypto.Error', "", ''),
    ('crypto.load_certificate', 'buffer: int', 'crypto.load_certificate(crypto.FILETYPE_PEM, 1)', 'TypeError', "", ''),
    ('crypto.load_certificate', 'buffer: str', "crypto.load_certificate(crypto.FILETYPE_PEM, 'text')", 'crypto.Error', "", ''),
    ('crypto.load_certificate', 'buffer: empty', "crypto.load_certificate(crypto.FILETYPE_PEM, b'')", 'crypto.Error', "", ''),
    ('crypto.load_certificate', 'buffer: oversized 70000 bytes', "crypto.load_certificate(crypto.FILETYPE_PEM, b'A' * 70000)", 'crypto.Error', "", ''),
    ('crypto.load_certificate', 'buffer: NUL inside', "crypto.load_certificate(crypto.FILETYPE_PEM, b'a\\x00b')", 'crypto.Error', "", ''),
    ('crypto.load_certificate', 'too many arguments', 'crypto.load_certificate(crypto.FILETYPE_PEM, CERT_PEM_BYTES, None, None, None, None, None)', 'TypeError', "", ''),
    ('crypto.load_privatekey', 'type: None', 'crypto.load_privatekey(None, KEY_PEM_BYTES, None)', 'ValueError', "", ''),
    ('crypto.load_privatekey', 'type: -1', 'crypto.load_privatekey(-1, KEY_PEM_BYTES, None)', 'ValueError', "", ''),
    ('crypto.load_privatekey', 'type: 99', 'crypto.load_privatekey(99, KEY_PEM_BYTES, None)', 'ValueError', "", ''),
    ('crypto.load_privatekey', 'type: 2**64', 'crypto.load_privatekey(2**64, KEY_PEM_BYTES, None)', 'ValueError', "", ''),
    ('crypto.load_privatekey', 'type: str', "crypto.load_privatekey('PEM', KEY_PEM_BYTES, None)", 'ValueError', "", ''),
    ('crypto.load_privatekey', 'buffer: None', 'crypto.load_privatekey(crypto.FILETYPE_PEM, None, None)', 'crypto.Error', "", ''),
    ('crypto.load_privatekey', 'buffer: int', 'crypto.load_privatekey(crypto.FILETYPE_PEM, 1, None)', 'TypeError', "", ''),
    ('crypto.load_privatekey', 'buffer: str', "crypto.load_privatekey(crypto.FILETYPE_PEM, 'text', None)", 'crypto.Error', "", ''),
    ('crypto.load_privatekey', 'buffer: empty', "crypto.load_privatekey(crypto.FILETYPE_PEM, b'', None)", 'crypto.Error', "", ''),
    ('crypto.load_privatekey', 'buffer: oversized 70000 bytes', "crypto.load_privatekey(crypto.FILETYPE_PEM, b'A' * 70000, None)", 'crypto.Error', "", ''),
    ('crypto.load_privatekey', 'buffer: NUL inside', "crypto.load_privatekey(crypto.FILETYPE_PEM, b'a\\x00b', None)", 'crypto.Error', "", ''),
    ('crypto.load_privatekey', 'passphrase: int', 'crypto.load_privatekey(crypto.FILETYPE_PEM, KEY_PEM_BYTES, 1)', 'TypeError', "", ''),
    ('crypto.load_privatekey', 'passphrase: str', "crypto.load_privatekey(crypto.FILETYPE_PEM, KEY_PEM_BYTES, 'secret')", 'TypeError', "", ''),
    ('crypto.load_privatekey', 'too many arguments', 'crypto.load_privatekey(crypto.FILETYPE_PEM, KEY_PEM_BYTES, None, None, None, None, None, None)', 'TypeError', "", ''),
    ('crypto.load_publickey', 'type: None', 'crypto.load_publickey(None, PUB_PEM_BYTES)', 'ValueError', "", ''),
    ('crypto.load_publickey', 'type: -1', 'crypto.load_publickey(-1, PUB_PEM_BYTES)', 'ValueError', "", ''),
    ('crypto.load_publickey', 'type: 99', 'crypto.load_publickey(99, PUB_PEM_BYTES)', 'ValueError', "", ''),
    ('crypto.load_publickey', 'type: 2**64', 'crypto.load_publickey(2**64, PUB_PEM_BYTES)', 'ValueError', "", ''),
    ('crypto.load_publickey', 'type: str', "crypto.load_publickey('PEM', PUB_PEM_BYTES)", 'ValueError', "", ''),
    ('crypto.load_publickey', 'buffer: None', 'crypto.load_publickey(crypto.FILETYPE_PEM, None)', 'crypto.Error', "", ''),
    ('crypto.load_publickey', 'buffer: int', 'crypto.load_publickey(crypto.FILETYPE_PEM, 1)', 'TypeError', "", ''),
    ('crypto.load_publickey', 'buffer: str', "crypto.load_publickey(crypto.FILETYPE_PEM, 'text')", 'crypto.Error', "", ''),
    ('crypto.load_publickey', 'buffer: empty', "crypto.load_publickey(crypto.FILETYPE_PEM, b'')", 'crypto.Error', "", ''),
    ('crypto.load_publickey', 'buffer: oversized 70000 bytes', "crypto.load_publickey(crypto.FILETYPE_PEM, b'A' * 70000)", 'crypto.Error', "", ''),
    ('crypto.load_publickey', 'buffer: NUL inside', "crypto.load_publickey(crypto.FILETYPE_PEM, b'a\\x00b')", 'crypto.Error', "", ''),
    ('crypto.load_publickey', 'too many arguments', 'crypto.load_publickey(crypto.FILETYPE_PEM, PUB_PEM_BYTES, None, None, None, None, None)', 'TypeError', "", ''),
    ('SSL.OpenSSL_version', 'type: None', 'SSL.OpenSSL_version(None)', 'TypeError', "", ''),
    ('SSL.OpenSSL_version', 'type: str', "SSL.OpenSSL_version('1')", 'TypeError', "", ''),
    ('SSL.OpenSSL_version', 'type: float', 'SSL.OpenSSL_version(1.5)', 'TypeError', "", ''),
    ('SSL.OpenSSL_version', 'type: -1', 'SSL.OpenSSL_version(-1)', 'returns', "", ''),
    ('SSL.OpenSSL_version', 'type: 2**63', 'SSL.OpenSSL_version(2**63)', 'OverflowError', "", ''),
    ('SSL.OpenSSL_version', 'type: 2**64', 'SSL.OpenSSL_version(2**64)', 'OverflowError', "", ''),
    ('SSL.OpenSSL_version', 'too many arguments', 'SSL.OpenSSL_version(SSL.OPENSSL_VERSION, None, None, None, None, None)', 'TypeError', "", ''),
    ('SSL.SSLeay_version', 'type: None', 'SSL.SSLeay_version(None)', 'TypeError', "", ''),
    ('SSL.SSLeay_version', 'type: str', "SSL.SSLeay_version('1')", 'TypeError', "", ''),
    ('SSL.SSLeay_version', 'type: float', 'SSL.SSLeay_version(1.5)', 'TypeError', "", ''),
    ('SSL.SSLeay_version', 'type: -1', 'SSL.SSLeay_version(-1)', 'returns', "", ''),
    ('SSL.SSLeay_version', 'type: 2**63', 'SSL.SSLeay_version(2**63)', 'OverflowError', "", ''),
    ('SSL.SSLeay_version', 'type: 2**64', 'SSL.SSLeay_version(2**64)', 'OverflowError', "", ''),
    ('SSL.SSLeay_version', 'too many arguments', 'SSL.SSLeay_version(SSL.SSLEAY_VERSION, None, None, None, None, None)', 'TypeError', "", ''),
    ('Context.__init__', 'no argument', 'SSL.Context()', 'TypeError', "", ''),
    ('Context.__init__', 'method: None', 'SSL.Context(None)', 'TypeError', "", ''),
    ('Context.__init__', 'method: str', "SSL.Context('1')", 'TypeError', "", ''),
    ('Context.__init__', 'method: float', 'SSL.Context(1.5)', 'TypeError', "", ''),
    ('Context.__init__', 'method: -1', 'SSL.Context(-1)', 'ValueError', "", ''),
    ('Context.__init__', 'method: 99', 'SSL.Context(99)', 'ValueError', "", ''),
    ('Context.__init__', 'method: 2**63', 'SSL.Context(2**63)', 'ValueError', "", ''),
    ('Context.__init__', 'method: 2**64', 'SSL.Context(2**64)', 'ValueError', "", ''),
    ('Context.__init__', 'method: SSLv2_METHOD', 'SSL.Context(SSL.SSLv2_METHOD)', 'ValueError', DEVIATION, 'pyOpenSSL 26.4 dropped the constant'),
    ('Context.__init__', 'method: SSLv3_METHOD', 'SSL.Context(SSL.SSLv3_METHOD)', 'ValueError', DEVIATION, 'pyOpenSSL 26.4 dropped the constant'),
    ('Context.__init__', 'too many arguments', 'SSL.Context(SSL.TLS_METHOD, None)', 'TypeError', "", ''),
    ('Context.__init__', 'unknown keyword', 'SSL.Context(SSL.TLS_METHOD, mode=1)', 'TypeError', "", ''),
    ('Connection.__init__', 'no argument', 'SSL.Connection()', 'TypeError', "", ''),
    ('Connection.__init__', 'context: None', 'SSL.Connection(None)', 'TypeError', "", ''),
    ('Connection.__init__', 'context: int', 'SSL.Connection(1)', 'TypeError', "", ''),
    ('Connection.__init__', 'context: uninitialised Context', 'SSL.Connection(SSL.Context.__new__(SSL.Context))', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('Connection.__init__', 'socket: float', 'SSL.Connection(ctx, 1.5)', 'TypeError', "", ''),
    ('Connection.__init__', 'socket: str', "SSL.Connection(ctx, 'x')", 'TypeError', "", ''),
    ('Connection.__init__', 'socket: -1', 'SSL.Connection(ctx, -1)', 'ValueError', "", ''),
    ('Connection.__init__', 'socket: 2**64', 'SSL.Connection(ctx, 2**64)', 'OverflowError', "", ''),
    ('Connection.__init__', 'socket: object()', 'SSL.Connection(ctx, object())', 'TypeError', "", ''),
    ('Connection.__init__', 'socket: closed socket', 's = socket.socket(); s.close(); SSL.Connection(ctx, s)', 'ValueError', "", ''),
    ('Connection.__init__', 'socket: fileno() raises', "class S:\n    def fileno(self): raise OSError('no fd')\nSSL.Connection(ctx, S())", 'OSError', "", ''),
    ('Connection.__init__', 'socket: fileno() returns str', "class S:\n    def fileno(self): return 'x'\nSSL.Connection(ctx, S())", 'TypeError', "", ''),
    ('Connection.__init__', 'too many arguments', 'SSL.Connection(ctx, None, None)', 'TypeError', "", ''),
    ('Session.__init__', 'an argument', 'SSL.Session(1)', 'TypeError', "", ''),
    ('X509.__init__', 'an argument', 'crypto.X509(1)', 'TypeError', "", ''),
    ('PKey.__init__', 'an argument', 'crypto.PKey(1)', 'TypeError', "", ''),
    ('X509Store.__init__', 'an argument', 'crypto.X509Store(1)', 'TypeError', "", ''),
    ('X509Name.__init__', 'no argument', 'crypto.X509Name()', 'TypeError', "", ''),
    ('X509Name.__init__', 'name: None', 'crypto.X509Name(None)', 'AttributeError', "", ''),
    ('X509Name.__init__', 'name: int', 'crypto.X509Name(1)', 'AttributeError', "", ''),
    ('X509Name.__init__', 'name: uninitialised X509Name', 'crypto.X509Name(crypto.X509Name.__new__(crypto.X509Name))', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('X509Name.__init__', 'name: cryptography Name', 'crypto.X509Name(cert.subject)', 'AttributeError', "", ''),
    ('X509StoreContext.__init__', 'no argument', 'crypto.X509StoreContext()', 'TypeError', "", ''),
    ('X509StoreContext.__init__', 'store, certificate: None, then verify', 'crypto.X509StoreContext(None, None).verify_certificate()', 'AttributeError', "", ''),
    ('X509StoreContext.__init__', 'store: int, then verify', 'crypto.X509StoreContext(1, x509).verify_certificate()', 'AttributeError', "", ''),
    ('X509StoreContext.__init__', 'store: uninitialised, then verify', 'crypto.X509StoreContext(crypto.X509Store.__new__(crypto.X509Store), x509).verify_certificate()', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('X509StoreContext.__init__', 'certificate: cryptography cert, then verify', 'crypto.X509StoreContext(store, cert).verify_certificate()', 'AttributeError', "", ''),
    ('X509StoreContext.__init__', 'certificate: uninitialised, then verify', 'crypto.X509StoreContext(store, crypto.X509.__new__(crypto.X509)).verify_certificate()', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('X509StoreContext.__init__', 'certificate: empty X509(), then verify', 'crypto.X509StoreContext(store, crypto.X509()).verify_certificate()', 'crypto.X509StoreContextError', DEVIATION, "pyOpenSSL raises crypto.X509StoreContextError but leaves an error in OpenSSL's queue"),
    ('X509StoreContext.__init__', 'chain: int', 'crypto.X509StoreContext(store, x509, 1)', 'TypeError', "", ''),
    ('X509StoreContext.__init__', 'chain: list of int', 'crypto.X509StoreContext(store, x509, [1])', 'TypeError', "", ''),
    ('X509StoreContext.__init__', 'chain: list of uninitialised X509', 'crypto.X509StoreContext(store, x509, [crypto.X509.__new__(crypto.X509)])', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('X509StoreContext.__init__', 'chain: list of cryptography certs', 'crypto.X509StoreContext(store, x509, [cert])', 'TypeError', "", ''),
    ('X509StoreContext.__init__', 'too many arguments', 'crypto.X509StoreContext(store, x509, None, None)', 'TypeError', "", ''),
    ('Context.__init__', 're-init, then configure', "ctx.__init__(SSL.TLS_METHOD)\nctx.set_cipher_list(b'HIGH')", 'returns', "", ''),
    ('Context.__init__', 're-init a used (frozen) Context, then configure', "SSL.Connection(ctx, None)\nctx.__init__(SSL.TLS_METHOD)\nctx.set_cipher_list(b'HIGH')", 'returns', "", ''),
    ('Context.__init__', 're-init with a bad method', 'ctx.__init__(None)', 'TypeError', "", ''),
    ('Context.__init__', 're-init with a bad method, then configure', "try:\n    ctx.__init__(None)\nexcept TypeError:\n    pass\nctx.set_cipher_list(b'HIGH')", 'returns', "", ''),
    ('Context.__init__', 're-init the server Context of a live pair, then transfer', "server.get_context().__init__(SSL.TLS_METHOD)\nclient.sendall(b'ping')\npump(client, server)\nassert server.recv(10) == b'ping'", 'returns', "", ''),
    ('Context.__init__', 're-init from inside a servername callback', "sctx.set_tlsext_servername_callback(lambda c: c.get_context().__init__(SSL.TLS_METHOD))\nc, s = connection_pair(sctx, cctx, host=b'localhost')\nhandshake(c, s)", 'returns', "", ''),
    ('Connection.__init__', 're-init a handshaken Connection', 'client.__init__(cctx, None)\nassert client.get_peer_certificate() is None', 'returns', "", ''),
    ('Connection.__init__', 're-init with a bad context', 'conn.__init__(None)', 'TypeError', "", ''),
    ('Connection.__init__', 're-init with a bad context, then use', 'try:\n    conn.__init__(None)\nexcept TypeError:\n    pass\nconn.set_connect_state()\nconn.do_handshake()', 'SSL.WantReadError', "", ''),
    ('Connection.__init__', 're-init from inside its own info callback', "cctx.set_info_callback(lambda c, w, r, cctx=cctx: c.__init__(cctx, None))\nc, s = connection_pair(sctx, cctx, host=b'localhost')\nhandshake(c, s)", 'RuntimeError', DEVIATION, 'pyOpenSSL replaces the SSL object under the running handshake (it then fails with SysCallError)'),
    ('X509.__init__', 're-init, then read', 'x509.__init__()\nassert x509.get_serial_number() == 0', 'returns', "", ''),
    ('X509.__init__', 're-init while a subject view exists', 'n = x509.get_subject()\nx509.__init__()\nn.CN', 'returns', DEVIATION, 'pyOpenSSL reads freed memory: usually a crash (SIGSEGV)'),
    ('PKey.__init__', 're-init, then read', 'pkey.__init__()\npkey.bits()', 'returns', DEVIATION, "pyOpenSSL returns normally but leaves an error in OpenSSL's queue"),
    ('X509Name.__init__', 're-init from itself', "n = crypto.X509Name(name)\nn.__init__(n)\nassert n.CN == 'localhost'", 'returns', "", ''),
    ('X509Store.__init__', 're-init, then add', 'store.__init__()\nstore.add_cert(x509)', 'returns', "", ''),
    ('X509StoreContext.__init__', 're-init, then verify', 'storectx.__init__(crypto.X509Store(), x509)\nstorectx.verify_certificate()', 'crypto.X509StoreContextError', "", ''),
    ('Connection.send', 'buf: 2**31+1-byte buffer', 'conn.send(huge_buffer)', 'ValueError', "", ''),
    ('Connection.sendall', 'buf: 2**31+1-byte buffer', 'conn.set_connect_state()\nconn.sendall(huge_buffer)', 'SSL.WantReadError', "", ''),
    ('Connection.bio_write', 'buf: 2**31+1-byte buffer', 'conn.bio_write(huge_buffer)', 'OverflowError', "", ''),
    ('Connection.recv_into', 'nbytes: larger than the buffer', 'client.recv_into(bytearray(4), 2**40)', 'SSL.WantReadError', "", ''),
    ('Connection.recv_into', 'read-only memoryview', "client.recv_into(memoryview(b'abcd'))", 'TypeError', DEVIATION, 'pyOpenSSL checks writability only after data arrived (WantReadError here)'),
    ('Connection.bio_write', 'after bio_shutdown()', "conn.bio_shutdown()\nconn.bio_write(b'x')", 'returns', "", ''),
    ('Connection.do_handshake', 'after bio_shutdown()', 'conn.set_connect_state()\nconn.bio_shutdown()\nconn.do_handshake()', 'SSL.SysCallError', "", ''),
    ('Connection.recv', "peer's bytes ended (bio_shutdown)", 'client.bio_shutdown()\nclient.recv(10)', 'SSL.SysCallError', "", ''),
    ('Connection.set_session', 'session: of another Context, after handshake', 'client.set_session(other_session)', 'ValueError', "", ''),
    ('X509.set_serial_number', 'negative serial, read back', 'x509.set_serial_number(-5)\nassert x509.get_serial_number() == -5', 'returns', DEVIATION, 'pyOpenSSL crashes (SIGSEGV)'),
    ('X509.gmtime_adj_notAfter', '2**62 seconds', 'x509.gmtime_adj_notAfter(2**62)', 'returns', "", ''),
    ('X509.gmtime_adj_notBefore', '-2**62 seconds', 'x509.gmtime_adj_notBefore(-2**62)', 'returns', "", ''),
    ('X509Name.__setattr__', 'value: None', 'name.CN = None', 'TypeError', "", ''),
    ('X509Name.__setattr__', 'value: int', 'name.CN = 1', 'TypeError', "", ''),
    ('X509Name.__setattr__', 'unknown attribute', "name.nosuchattribute = 'x'", 'AttributeError', "", ''),
    ('X509Name.__setattr__', 'value: oversized (70000 chars)', "name.CN = 'a' * 70000", 'crypto.Error', "", ''),
    ('X509Name.__setattr__', 'value: NUL inside', "name.CN = 'a\\x00b'", 'returns', "", ''),
    ('X509Name.__setattr__', 'uninitialised object', "n = crypto.X509Name.__new__(crypto.X509Name)\nn.CN = 'x'", 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('X509Name.__getattr__', 'unknown attribute', 'name.nosuchattribute', 'AttributeError', "", ''),
    ('X509Name.__getattr__', 'uninitialised object', 'crypto.X509Name.__new__(crypto.X509Name).CN', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('X509Name.__eq__', 'uninitialised objects', 'crypto.X509Name.__new__(crypto.X509Name) == crypto.X509Name.__new__(crypto.X509Name)', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('X509Name.__repr__', 'uninitialised object', 'repr(crypto.X509Name.__new__(crypto.X509Name))', 'ValueError', DEVIATION, 'pyOpenSSL: AttributeError'),
    ('X509Name.__lt__', 'other: int', 'name < 1', 'TypeError', "", ''),
    ('Connection.set_ciphertext_mtu', 'on a TLS (not DTLS) connection', 'conn.set_ciphertext_mtu(1200)', 'returns', "", ''),
    ('Connection.set_ciphertext_mtu', 'mtu: -1, DTLS', 'dtls.set_ciphertext_mtu(-1)', 'returns', "", ''),
    ('Connection.set_ciphertext_mtu', 'mtu: 2**62, DTLS', 'dtls.set_ciphertext_mtu(2**62)', 'returns', "", ''),
    ('Connection.set_ciphertext_mtu', 'mtu: 2**63, DTLS', 'dtls.set_ciphertext_mtu(2**63)', 'OverflowError', "", ''),
    ('Connection.get_cleartext_mtu', 'DTLS, before the handshake', 'dtls.get_cleartext_mtu()', 'returns', "", ''),
    ('Connection.DTLSv1_listen', 'DTLS, no cookie callbacks', 'dtls.set_accept_state()\ndtls.DTLSv1_listen()', 'SSL.WantReadError', "", ''),
    ('Connection.DTLSv1_listen', 'DTLS client', 'dtls.set_connect_state()\ndtls.DTLSv1_listen()', 'SSL.WantReadError', "", ''),
    ('Connection.DTLSv1_handle_timeout', 'DTLS, before the handshake', 'dtls.DTLSv1_handle_timeout()', 'returns', "", ''),
    ('Connection.DTLSv1_get_timeout', 'DTLS, before the handshake', 'dtls.DTLSv1_get_timeout()', 'returns', "", ''),
    ('Connection.export_keying_material', 'olen: 2**40', "client.export_keying_material(b'EXPORTER-test', 2**40)", 'MemoryError', "", ''),
    ('Connection.export_keying_material', 'olen: 2**62, before the handshake', "conn.export_keying_material(b'EXPORTER-test', 2**62)", 'MemoryError', "", ''),
    ('Connection.set_tlsext_host_name', 'name: 255 bytes (the limit)', "conn.set_tlsext_host_name(b'a' * 255)", 'returns', "", ''),
    ('Connection.set_tlsext_host_name', 'name: 256 bytes', "conn.set_tlsext_host_name(b'a' * 256)", 'SSL.Error', DEVIATION, "pyOpenSSL returns normally but leaves an error in OpenSSL's queue"),
    ('Context.set_session_id', 'buf: 33 bytes (limit is 32)', "ctx.set_session_id(b'x' * 33)", 'SSL.Error', "", ''),
    ('Context.set_alpn_protos', 'protos: 70000 names', "ctx.set_alpn_protos([b'h2'] * 70000)", 'returns', "", ''),
    ('Context.load_verify_locations', 'cafile whose __fspath__ re-inits the Context', "class P:\n    def __init__(self, ctx, path):\n        self.ctx, self.path = ctx, path\n    def __fspath__(self):\n        self.ctx.__init__(SSL.TLS_METHOD)\n        return self.path\nctx.load_verify_locations(P(ctx, CA_PEM))\nctx.set_cipher_list(b'HIGH')", 'returns', "", ''),
    ('Context.use_certificate_file', 'certfile whose __fspath__ re-inits the Context', "class P:\n    def __init__(self, ctx, path):\n        self.ctx, self.path = ctx, path\n    def __fspath__(self):\n        self.ctx.__init__(SSL.TLS_METHOD)\n        return self.path\nctx.use_certificate_file(P(ctx, CERT_PEM))\nctx.set_cipher_list(b'HIGH')", 'returns', "", ''),
    ('Context.set_tmp_ecdh', 'curve whose name property re-inits the Context', "class C:\n    key_size = 256\n    def __init__(self, ctx):\n        self.ctx = ctx\n    @property\n    def name(self):\n        self.ctx.__init__(SSL.TLS_METHOD)\n        return 'secp256r1'\nctx.set_tmp_ecdh(C(ctx))\nctx.set_cipher_list(b'HIGH')", 'returns', "", ''),
    ('Context.set_alpn_protos', 'protos whose iterator re-inits the Context', "class L:\n    def __init__(self, ctx):\n        self.ctx = ctx\n    def __iter__(self):\n        self.ctx.__init__(SSL.TLS_METHOD)\n        return iter([b'h2'])\nctx.set_alpn_protos(L(ctx))\nctx.set_cipher_list(b'HIGH')", 'returns', "", ''),
    ('Context.set_client_ca_list', 'certificate_authorities whose iterator re-inits the Context', "class L:\n    def __init__(self, ctx, name):\n        self.ctx, self.name = ctx, name\n    def __iter__(self):\n        self.ctx.__init__(SSL.TLS_METHOD)\n        return iter([self.name])\nctx.set_client_ca_list(L(ctx, name))\nctx.set_cipher_list(b'HIGH')", 'returns', "", ''),
    ('X509Store.set_time', 'vfy_time whose timetuple() re-inits the store', 'class T(datetime.datetime):\n    def timetuple(self):\n        self.store.__init__()\n        return datetime.datetime.timetuple(self)\nt = T(2030, 1, 1)\nt.store = store\nstore.set_time(t)\nstore.add_cert(x509)', 'returns', "", ''),
    ('X509Store.load_locations', 'cafile whose __fspath__ re-inits the store', 'class P:\n    def __init__(self, store, path):\n        self.store, self.path = store, path\n    def __fspath__(self):\n        self.store.__init__()\n        return self.path\nstore.load_locations(P(store, CA_PEM))\nstore.add_cert(x509)', 'returns', "", ''),
    ('Connection.sock_shutdown', 'socket whose shutdown() re-inits the Connection', 'class S:\n    def __init__(self, sock):\n        self.sock, self.conn = sock, None\n    def fileno(self):\n        return self.sock.fileno()\n    def shutdown(self, how):\n        self.conn.__init__(SSL.Context(SSL.TLS_METHOD), None)\nsock = S(socket.socket())\nc = SSL.Connection(ctx, sock)\nsock.conn = c\ntry:\n    c.sock_shutdown(socket.SHUT_RDWR)\nfinally:\n    sock.sock.close()\nc.get_context()', 'returns', "", ''),
    ('Connection.set_app_data', 'old app data whose __del__ re-inits the Connection', 'class D:\n    def __init__(self, conn):\n        self.conn = conn\n    def __del__(self):\n        self.conn.__init__(SSL.Context(SSL.TLS_METHOD), None)\nconn.set_app_data(D(conn))\nconn.set_app_data(None)\nconn.get_app_data()', 'returns', "", ''),
    ('Context.set_cipher_list', 'on a used (frozen) Context', "SSL.Connection(ctx, None)\nctx.set_cipher_list(b'HIGH')", 'ValueError', "", ''),
    ('Connection.DTLSv1_get_timeout', 'after shutdown()', 'shut.DTLSv1_get_timeout()', 'returns', "", ''),
    ('Connection.DTLSv1_handle_timeout', 'after shutdown()', 'shut.DTLSv1_handle_timeout()', 'returns', "", ''),
    ('Connection.DTLSv1_listen', 'after shutdown()', 'shut.DTLSv1_listen()', 'SSL.Error', "", ''),
    ('Connection.accept', 'after shutdown()', 'shut.accept()', 'AttributeError', "", ''),
    ('Connection.bio_read', 'after shutdown()', 'shut.bio_read(1024)', 'SSL.WantReadError', "", ''),
    ('Connection.bio_shutdown', 'after shutdown()', 'shut.bio_shutdown()', 'returns', "", ''),
    ('Connection.bio_write', 'after shutdown()', "shut.bio_write(b'\\x16\\x03\\x01')", 'returns', "", ''),
    ('Connection.client_random', 'after shutdown()', 'shut.client_random()', 'returns', "", ''),
    ('Connection.connect', 'after shutdown()', "shut.connect(('127.0.0.1', 9))", 'AttributeError', "", ''),
    ('Connection.connect_ex', 'after shutdown()', "shut.connect_ex(('127.0.0.1', 9))", 'AttributeError', "", ''),
    ('Connection.do_handshake', 'after shutdown()', 'shut.do_handshake()', 'returns', "", ''),
    ('Connection.export_keying_material', 'after shutdown()', "shut.export_keying_material(b'EXPORTER-test', 32, None)", 'returns', "", ''),
    ('Connection.get_alpn_proto_negotiated', 'after shutdown()', 'shut.get_alpn_proto_negotiated()', 'returns', "", ''),
    ('Connection.get_app_data', 'after shutdown()', 'shut.get_app_data()', 'returns', "", ''),
    ('Connection.get_certificate', 'after shutdown()', 'shut.get_certificate()', 'returns', "", ''),
    ('Connection.get_cipher_bits', 'after shutdown()', 'shut.get_cipher_bits()', 'returns', "", ''),
    ('Connection.get_cipher_list', 'after shutdown()', 'shut.get_cipher_list()', 'returns', "", ''),
    ('Connection.get_cipher_name', 'after shutdown()', 'shut.get_cipher_name()', 'returns', "", ''),
    ('Connection.get_cipher_version', 'after shutdown()', 'shut.get_cipher_version()', 'returns', "", ''),
    ('Connection.get_cleartext_mtu', 'after shutdown()', 'shut.get_cleartext_mtu()', 'returns', DEVIATION, 'pyOpenSSL crashes (SIGSEGV)'),
    ('Connection.get_client_ca_list', 'after shutdown()', 'shut.get_client_ca_list()', 'returns', "", ''),
    ('Connection.get_context', 'after shutdown()', 'shut.get_context()', 'returns', "", ''),
    ('Connection.get_finished', 'after shutdown()', 'shut.get_finished()', 'returns', "", ''),
    ('Connection.get_group_name', 'after shutdown()', 'shut.get_group_name()', 'returns', "", ''),
    ('Connection.get_next_proto_negotiated', 'after shutdown()', 'shut.get_next_proto_negotiated()', 'returns', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.get_peer_cert_chain', 'after shutdown()', 'shut.get_peer_cert_chain()', 'returns', "", ''),
    ('Connection.get_peer_certificate', 'after shutdown()', 'shut.get_peer_certificate()', 'returns', "", ''),
    ('Connection.get_peer_finished', 'after shutdown()', 'shut.get_peer_finished()', 'returns', "", ''),
    ('Connection.get_protocol_version', 'after shutdown()', 'shut.get_protocol_version()', 'returns', "", ''),
    ('Connection.get_protocol_version_name', 'after shutdown()', 'shut.get_protocol_version_name()', 'returns', "", ''),
    ('Connection.get_selected_srtp_profile', 'after shutdown()', 'shut.get_selected_srtp_profile()', 'returns', "", ''),
    ('Connection.get_servername', 'after shutdown()', 'shut.get_servername()', 'returns', "", ''),
    ('Connection.get_session', 'after shutdown()', 'shut.get_session()', 'returns', "", ''),
    ('Connection.get_shutdown', 'after shutdown()', 'shut.get_shutdown()', 'returns', "", ''),
    ('Connection.get_state_string', 'after shutdown()', 'shut.get_state_string()', 'returns', "", ''),
    ('Connection.get_verified_chain', 'after shutdown()', 'shut.get_verified_chain()', 'returns', "", ''),
    ('Connection.get_verify_mode', 'after shutdown()', 'shut.get_verify_mode()', 'returns', "", ''),
    ('Connection.makefile', 'after shutdown()', 'shut.makefile()', 'NotImplementedError', "", ''),
    ('Connection.master_key', 'after shutdown()', 'shut.master_key()', 'SSL.Error', "", ''),
    ('Connection.pending', 'after shutdown()', 'shut.pending()', 'returns', "", ''),
    ('Connection.read', 'after shutdown()', 'shut.read(1024, None)', 'SSL.ZeroReturnError', "", ''),
    ('Connection.recv', 'after shutdown()', 'shut.recv(1024, None)', 'SSL.ZeroReturnError', "", ''),
    ('Connection.recv_into', 'after shutdown()', 'shut.recv_into(bytearray(1024), None, None)', 'SSL.ZeroReturnError', "", ''),
    ('Connection.renegotiate', 'after shutdown()', 'shut.renegotiate()', 'SSL.Error', "", ''),
    ('Connection.renegotiate_pending', 'after shutdown()', 'shut.renegotiate_pending()', 'returns', "", ''),
    ('Connection.request_ocsp', 'after shutdown()', 'shut.request_ocsp()', 'returns', "", ''),
    ('Connection.send', 'after shutdown()', "shut.send(b'data', 0)", 'SSL.Error', "", ''),
    ('Connection.sendall', 'after shutdown()', "shut.sendall(b'data', 0)", 'SSL.Error', "", ''),
    ('Connection.sendfile', 'after shutdown()', "shut.sendfile(open(CA_PEM, 'rb'), 0, None)", 'SSL.Error', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.server_random', 'after shutdown()', 'shut.server_random()', 'returns', "", ''),
    ('Connection.session_reused', 'after shutdown()', 'shut.session_reused()', 'returns', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.set_accept_state', 'after shutdown()', 'shut.set_accept_state()', 'returns', "", ''),
    ('Connection.set_alpn_protos', 'after shutdown()', "shut.set_alpn_protos([b'h2'])", 'returns', "", ''),
    ('Connection.set_app_data', 'after shutdown()', 'shut.set_app_data(object())', 'returns', "", ''),
    ('Connection.set_ciphertext_mtu', 'after shutdown()', 'shut.set_ciphertext_mtu(1200)', 'returns', "", ''),
    ('Connection.set_connect_state', 'after shutdown()', 'shut.set_connect_state()', 'returns', "", ''),
    ('Connection.set_context', 'after shutdown()', 'shut.set_context(SSL.Context(SSL.TLS_METHOD))', 'returns', "", ''),
    ('Connection.set_info_callback', 'after shutdown()', 'shut.set_info_callback(lambda c, w, r: None)', 'returns', "", ''),
    ('Connection.set_options', 'after shutdown()', 'shut.set_options(SSL.OP_NO_TICKET)', 'returns', "", ''),
    ('Connection.set_session', 'after shutdown()', 'shut.set_session(session)', 'returns', "", ''),
    ('Connection.set_shutdown', 'after shutdown()', 'shut.set_shutdown(SSL.SENT_SHUTDOWN)', 'returns', "", ''),
    ('Connection.set_tlsext_host_name', 'after shutdown()', "shut.set_tlsext_host_name(b'example.com')", 'returns', "", ''),
    ('Connection.set_tlsext_use_srtp', 'after shutdown()', "shut.set_tlsext_use_srtp(b'SRTP_AES128_CM_SHA1_80')", 'returns', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.set_verify', 'after shutdown()', 'shut.set_verify(SSL.VERIFY_PEER, None)', 'returns', "", ''),
    ('Connection.set_verify_hostname', 'after shutdown()', "shut.set_verify_hostname('localhost')", 'returns', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.set_verify_ip', 'after shutdown()', "shut.set_verify_ip('127.0.0.1')", 'returns', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.shutdown', 'after shutdown()', 'shut.shutdown()', 'returns', "", ''),
    ('Connection.sock_shutdown', 'after shutdown()', 'shut.sock_shutdown(socket.SHUT_RDWR)', 'AttributeError', "", ''),
    ('Connection.total_renegotiations', 'after shutdown()', 'shut.total_renegotiations()', 'returns', "", ''),
    ('Connection.use_certificate', 'after shutdown()', 'shut.use_certificate(cert)', 'returns', "", ''),
    ('Connection.use_privatekey', 'after shutdown()', 'shut.use_privatekey(key)', 'returns', "", ''),
    ('Connection.uses_ktls_send', 'after shutdown()', 'shut.uses_ktls_send()', 'returns', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.verify_client_post_handshake', 'after shutdown()', 'shut.verify_client_post_handshake()', 'SSL.Error', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.want_read', 'after shutdown()', 'shut.want_read()', 'returns', "", ''),
    ('Connection.want_write', 'after shutdown()', 'shut.want_write()', 'returns', "", ''),
    ('Connection.write', 'after shutdown()', "shut.write(b'data', 0)", 'SSL.Error', "", ''),
    ('Connection.DTLSv1_get_timeout', 'after its socket was closed', 'sclosed.DTLSv1_get_timeout()', 'returns', "", ''),
    ('Connection.DTLSv1_handle_timeout', 'after its socket was closed', 'sclosed.DTLSv1_handle_timeout()', 'returns', "", ''),
    ('Connection.DTLSv1_listen', 'after its socket was closed', 'sclosed.DTLSv1_listen()', 'SSL.Error', "", ''),
    ('Connection.accept', 'after its socket was closed', 'sclosed.accept()', 'OSError', "", ''),
    ('Connection.bio_read', 'after its socket was closed', 'sclosed.bio_read(1024)', 'TypeError', "", ''),
    ('Connection.bio_shutdown', 'after its socket was closed', 'sclosed.bio_shutdown()', 'TypeError', "", ''),
    ('Connection.bio_write', 'after its socket was closed', "sclosed.bio_write(b'\\x16\\x03\\x01')", 'TypeError', "", ''),
    ('Connection.client_random', 'after its socket was closed', 'sclosed.client_random()', 'returns', "", ''),
    ('Connection.connect', 'after its socket was closed', "sclosed.connect(('127.0.0.1', 9))", 'TypeError', "", ''),
    ('Connection.connect_ex', 'after its socket was closed', "sclosed.connect_ex(('127.0.0.1', 9))", 'TypeError', "", ''),
    ('Connection.do_handshake', 'after its socket was closed', 'sclosed.do_handshake()', 'returns', "", ''),
    ('Connection.export_keying_material', 'after its socket was closed', "sclosed.export_keying_material(b'EXPORTER-test', 32, None)", 'returns', "", ''),
    ('Connection.get_alpn_proto_negotiated', 'after its socket was closed', 'sclosed.get_alpn_proto_negotiated()', 'returns', "", ''),
    ('Connection.get_app_data', 'after its socket was closed', 'sclosed.get_app_data()', 'returns', "", ''),
    ('Connection.get_certificate', 'after its socket was closed', 'sclosed.get_certificate()', 'returns', "", ''),
    ('Connection.get_cipher_bits', 'after its socket was closed', 'sclosed.get_cipher_bits()', 'returns', "", ''),
    ('Connection.get_cipher_list', 'after its socket was closed', 'sclosed.get_cipher_list()', 'returns', "", ''),
    ('Connection.get_cipher_name', 'after its socket was closed', 'sclosed.get_cipher_name()', 'returns', "", ''),
    ('Connection.get_cipher_version', 'after its socket was closed', 'sclosed.get_cipher_version()', 'returns', "", ''),
    ('Connection.get_cleartext_mtu', 'after its socket was closed', 'sclosed.get_cleartext_mtu()', 'returns', DEVIATION, 'pyOpenSSL crashes (SIGSEGV)'),
    ('Connection.get_client_ca_list', 'after its socket was closed', 'sclosed.get_client_ca_list()', 'returns', "", ''),
    ('Connection.get_context', 'after its socket was closed', 'sclosed.get_context()', 'returns', "", ''),
    ('Connection.get_finished', 'after its socket was closed', 'sclosed.get_finished()', 'returns', "", ''),
    ('Connection.get_group_name', 'after its socket was closed', 'sclosed.get_group_name()', 'returns', "", ''),
    ('Connection.get_next_proto_negotiated', 'after its socket was closed', 'sclosed.get_next_proto_negotiated()', 'returns', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.get_peer_cert_chain', 'after its socket was closed', 'sclosed.get_peer_cert_chain()', 'returns', "", ''),
    ('Connection.get_peer_certificate', 'after its socket was closed', 'sclosed.get_peer_certificate()', 'returns', "", ''),
    ('Connection.get_peer_finished', 'after its socket was closed', 'sclosed.get_peer_finished()', 'returns', "", ''),
    ('Connection.get_protocol_version', 'after its socket was closed', 'sclosed.get_protocol_version()', 'returns', "", ''),
    ('Connection.get_protocol_version_name', 'after its socket was closed', 'sclosed.get_protocol_version_name()', 'returns', "", ''),
    ('Connection.get_selected_srtp_profile', 'after its socket was closed', 'sclosed.get_selected_srtp_profile()', 'returns', "", ''),
    ('Connection.get_servername', 'after its socket was closed', 'sclosed.get_servername()', 'returns', "", ''),
    ('Connection.get_session', 'after its socket was closed', 'sclosed.get_session()', 'returns', "", ''),
    ('Connection.get_shutdown', 'after its socket was closed', 'sclosed.get_shutdown()', 'returns', "", ''),
    ('Connection.get_state_string', 'after its socket was closed', 'sclosed.get_state_string()', 'returns', "", ''),
    ('Connection.get_verified_chain', 'after its socket was closed', 'sclosed.get_verified_chain()', 'returns', "", ''),
    ('Connection.get_verify_mode', 'after its socket was closed', 'sclosed.get_verify_mode()', 'returns', "", ''),
    ('Connection.makefile', 'after its socket was closed', 'sclosed.makefile()', 'NotImplementedError', "", ''),
    ('Connection.master_key', 'after its socket was closed', 'sclosed.master_key()', 'SSL.Error', "", ''),
    ('Connection.pending', 'after its socket was closed', 'sclosed.pending()', 'returns', "", ''),
    ('Connection.read', 'after its socket was closed', 'sclosed.read(1024, None)', 'SSL.SysCallError', "", ''),
    ('Connection.recv', 'after its socket was closed', 'sclosed.recv(1024, None)', 'SSL.SysCallError', "", ''),
    ('Connection.recv_into', 'after its socket was closed', 'sclosed.recv_into(bytearray(1024), None, None)', 'SSL.SysCallError', "", ''),
    ('Connection.renegotiate', 'after its socket was closed', 'sclosed.renegotiate()', 'SSL.Error', "", ''),
    ('Connection.renegotiate_pending', 'after its socket was closed', 'sclosed.renegotiate_pending()', 'returns', "", ''),
    ('Connection.request_ocsp', 'after its socket was closed', 'sclosed.request_ocsp()', 'returns', "", ''),
    ('Connection.send', 'after its socket was closed', "sclosed.send(b'data', 0)", 'SSL.SysCallError', DEVIATION, "pyOpenSSL raises SSL.SysCallError but leaves an error in OpenSSL's queue"),
    ('Connection.sendall', 'after its socket was closed', "sclosed.sendall(b'data', 0)", 'SSL.SysCallError', DEVIATION, "pyOpenSSL raises SSL.SysCallError but leaves an error in OpenSSL's queue"),
    ('Connection.sendfile', 'after its socket was closed', "sclosed.sendfile(open(CA_PEM, 'rb'), 0, None)", 'SSL.SysCallError', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.server_random', 'after its socket was closed', 'sclosed.server_random()', 'returns', "", ''),
    ('Connection.session_reused', 'after its socket was closed', 'sclosed.session_reused()', 'returns', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.set_accept_state', 'after its socket was closed', 'sclosed.set_accept_state()', 'returns', "", ''),
    ('Connection.set_alpn_protos', 'after its socket was closed', "sclosed.set_alpn_protos([b'h2'])", 'returns', "", ''),
    ('Connection.set_app_data', 'after its socket was closed', 'sclosed.set_app_data(object())', 'returns', "", ''),
    ('Connection.set_ciphertext_mtu', 'after its socket was closed', 'sclosed.set_ciphertext_mtu(1200)', 'returns', "", ''),
    ('Connection.set_connect_state', 'after its socket was closed', 'sclosed.set_connect_state()', 'returns', "", ''),
    ('Connection.set_context', 'after its socket was closed', 'sclosed.set_context(SSL.Context(SSL.TLS_METHOD))', 'returns', "", ''),
    ('Connection.set_info_callback', 'after its socket was closed', 'sclosed.set_info_callback(lambda c, w, r: None)', 'returns', "", ''),
    ('Connection.set_options', 'after its socket was closed', 'sclosed.set_options(SSL.OP_NO_TICKET)', 'returns', "", ''),
    ('Connection.set_session', 'after its socket was closed', 'sclosed.set_session(session)', 'returns', "", ''),
    ('Connection.set_shutdown', 'after its socket was closed', 'sclosed.set_shutdown(SSL.SENT_SHUTDOWN)', 'returns', "", ''),
    ('Connection.set_tlsext_host_name', 'after its socket was closed', "sclosed.set_tlsext_host_name(b'example.com')", 'returns', "", ''),
    ('Connection.set_tlsext_use_srtp', 'after its socket was closed', "sclosed.set_tlsext_use_srtp(b'SRTP_AES128_CM_SHA1_80')", 'returns', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.set_verify', 'after its socket was closed', 'sclosed.set_verify(SSL.VERIFY_PEER, None)', 'returns', "", ''),
    ('Connection.set_verify_hostname', 'after its socket was closed', "sclosed.set_verify_hostname('localhost')", 'returns', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.set_verify_ip', 'after its socket was closed', "sclosed.set_verify_ip('127.0.0.1')", 'returns', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.shutdown', 'after its socket was closed', 'sclosed.shutdown()', 'SSL.SysCallError', DEVIATION, "pyOpenSSL raises SSL.SysCallError but leaves an error in OpenSSL's queue"),
    ('Connection.sock_shutdown', 'after its socket was closed', 'sclosed.sock_shutdown(socket.SHUT_RDWR)', 'OSError', "", ''),
    ('Connection.total_renegotiations', 'after its socket was closed', 'sclosed.total_renegotiations()', 'returns', "", ''),
    ('Connection.use_certificate', 'after its socket was closed', 'sclosed.use_certificate(cert)', 'returns', "", ''),
    ('Connection.use_privatekey', 'after its socket was closed', 'sclosed.use_privatekey(key)', 'returns', "", ''),
    ('Connection.uses_ktls_send', 'after its socket was closed', 'sclosed.uses_ktls_send()', 'returns', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.verify_client_post_handshake', 'after its socket was closed', 'sclosed.verify_client_post_handshake()', 'SSL.Error', OURS, 'not in pyOpenSSL 26.4'),
    ('Connection.want_read', 'after its socket was closed', 'sclosed.want_read()', 'returns', "", ''),
    ('Connection.want_write', 'after its socket was closed', 'sclosed.want_write()', 'returns', "", ''),
    ('Connection.write', 'after its socket was closed', "sclosed.write(b'data', 0)", 'SSL.SysCallError', DEVIATION, "pyOpenSSL raises SSL.SysCallError but leaves an error in OpenSSL's queue"),
]

# ---------------------------------------------------------------------------
# under memory pressure
#
# CPython turns a failed allocation into MemoryError; a Swift allocation that
# fails traps and takes the interpreter with it. These rows run with the
# address space capped a little above what the child already uses, after a
# 256 MiB bytes object (`big`) was made, so any copy of the argument fails.
# Any clean exception passes; a crash does not.

MEMORY_PRESSURE = [
    # (method, bad input, call, applies to, note)
    ("crypto.load_certificate", "buffer: 256 MiB of junk, memory capped", "crypto.load_certificate(crypto.FILETYPE_PEM, big)", "", ""),
    ("crypto.load_privatekey", "buffer: 256 MiB of junk, memory capped", "crypto.load_privatekey(crypto.FILETYPE_PEM, big)", "", ""),
    ("Context.set_cipher_list", "cipher_list: 256 MiB, memory capped", "ctx.set_cipher_list(big)", "", ""),
    ("Context.set_session_id", "buf: 256 MiB, memory capped", "ctx.set_session_id(big)", "", ""),
    ("Connection.bio_write", "buf: 256 MiB, memory capped", "conn.bio_write(big)", "", ""),
    ("Connection.set_tlsext_host_name", "name: 256 MiB, memory capped", "conn.set_tlsext_host_name(big)", DEVIATION,
     "pyOpenSSL ignores OpenSSL's refusal and returns normally"),
    ("Connection.export_keying_material", "olen: 2**31-1, memory capped", "client.export_keying_material(b'EXPORTER-test', 2**31 - 1)", "", ""),
]
MEMORY_PRESSURE_OUTCOMES = ("MemoryError", "SSL.Error", "crypto.Error")


SECTIONS = [
    ("Context", "OpenSSL.SSL.Context"),
    ("Connection", "OpenSSL.SSL.Connection"),
    ("Session", "OpenSSL.SSL.Session"),
    ("X509", "OpenSSL.crypto.X509"),
    ("PKey", "OpenSSL.crypto.PKey"),
    ("X509Name", "OpenSSL.crypto.X509Name"),
    ("X509Store", "OpenSSL.crypto.X509Store"),
    ("X509StoreContext", "OpenSSL.crypto.X509StoreContext"),
    ("SSL", "OpenSSL.SSL module functions"),
    ("crypto", "OpenSSL.crypto module functions"),
]


def case_ids():
    """A unique, stable pytest id per row: ``method[bad input]``."""
    ids, seen = [], {}
    for method, label, *_ in TABLE:
        base = "%s[%s]" % (method, label)
        seen[base] = seen.get(base, 0) + 1
        ids.append(base if seen[base] == 1 else "%s#%d" % (base, seen[base]))
    return ids


def _cell(text: str) -> str:
    for char in "\\|_*`<>[]":
        text = text.replace(char, "\\" + char)
    return text


def _code(text: str) -> str:
    """Code spans, one per line (a table cell holds no line breaks)."""
    parts = []
    for line in text.split("\n"):
        stripped = line.lstrip(" ")
        indent = "&nbsp;" * (len(line) - len(stripped))
        parts.append("%s`%s`" % (indent, stripped.replace("|", "\\|")))
    return "<br>".join(parts)


def markdown() -> str:
    """docs/bad-input.md, generated from TABLE."""
    methods = {row[0] for row in TABLE}
    ours_rows = sum(1 for row in TABLE if row[4] == OURS)
    deviation_rows = sum(1 for row in TABLE if row[4] == DEVIATION)
    out = [
        "# Bad input",
        "",
        "<!-- Generated by `python Tests/python/test_bad_input.py --markdown > docs/bad-input.md`;",
        "     do not edit: Tests/python/test_bad_input.py (TABLE) is the source and",
        "     test_doc_matches_table fails when the two differ. -->",
        "",
        "Every public method of `Context`, `Connection`, `Session`, `X509`, `PKey`,",
        "`X509Name`, `X509Store`, `X509StoreContext` and the module functions, with",
        "the bad inputs tried and the outcome expected: the exception type the call",
        "must raise, or *returns* when it must return normally. Inputs: wrong types,",
        "`None`, negative and huge sizes (`-1`, `2**62`, `2**63`, `2**64`), empty and",
        "oversized buffers (70000 bytes, a 2**31+1-byte mapping), NUL bytes, objects",
        "whose `__init__` never ran (`cls.__new__(cls)`), `__init__` called again, use",
        "after `shutdown()` and after the socket was closed.",
        "",
        "`Tests/python/test_bad_input.py` runs every row in a child interpreter and",
        "requires, besides the expected outcome, no crash, no hang, no `SystemError`,",
        "no exception swallowed as unraisable, and OpenSSL left clean: the thread's",
        "error queue is empty, `Context.set_cipher_list(b\"bogus\")` then raises an",
        "`Error` whose `args[0]` is exactly its own entry, and a fresh memory-BIO",
        "handshake with a round trip succeeds.",
        "",
        "Expected outcomes follow pyOpenSSL 26.4 wherever it raises a clean",
        "exception (rows marked *both*, which also pass against pyOpenSSL). Rows",
        "marked *ours* test methods pyOpenSSL lacks. Rows marked *deviation* are",
        "deliberate differences on methods pyOpenSSL has: objects whose `__init__`",
        "never ran (pyOpenSSL raises AttributeError or RecursionError there by",
        "accident; we raise ValueError), places where pyOpenSSL crashes or leaves an",
        "error in OpenSSL's queue, and arguments refused at once that pyOpenSSL",
        "accepts (non-callable callbacks, NUL bytes); the note says what pyOpenSSL",
        "does. Against pyOpenSSL every *deviation* row fails",
        "(`Tests/python/test_deviation_table.py` checks that).",
        "",
        "Fixtures: `ctx` a fresh TLS `Context`; `conn` a fresh memory-BIO",
        "`Connection`; `client`/`server` a handshaken memory-BIO pair; `sconn` a",
        "`Connection` over an unconnected TCP socket; `shut` a client after a full",
        "close_notify exchange; `sclosed` a handshaken client whose socket was",
        "closed; `dtls` a fresh DTLS `Connection`; `session` the client's `Session`;",
        "`x509`/`pkey`/`pubkey`/`name` the server's certificate, key, public key and",
        "subject as pyOpenSSL objects; `cert`/`key` the same as cryptography objects;",
        "`store` an empty `X509Store`; `storectx` an `X509StoreContext` over a store",
        "trusting the CA; `other_session` a `Session` from another `Context`; `crl`",
        "a cryptography CRL; `huge_buffer` a 2**31+1-byte anonymous mapping (no",
        "memory until touched); `bad_bool` an object whose `__bool__` raises",
        "ArithmeticError (see `robustness_helpers.BadInputFixtures`).",
        "",
        "%d rows over %d methods: %d *both*, %d *deviation*, %d *ours*; and %d rows under" % (
            len(TABLE), len(methods), len(TABLE) - deviation_rows - ours_rows, deviation_rows, ours_rows,
            len(MEMORY_PRESSURE)),
        "memory pressure (at the end), %d of them *deviation*." % sum(
            1 for row in MEMORY_PRESSURE if row[3] == DEVIATION),
        "",
    ]
    for prefix, title in SECTIONS:
        rows = [row for row in TABLE if row[0].split(".")[0] == prefix]
        if not rows:
            continue
        out.append("## %s" % title)
        out.append("")
        out.append("| Method | Bad input | Call | Expected | Applies to | Note |")
        out.append("|---|---|---|---|---|---|")
        for method, label, call, expected, applies, note in rows:
            out.append("| `%s` | %s | %s | %s | %s | %s |" % (
                method.split(".", 1)[1], _cell(label), _code(call), _cell(expected),
                MARKS[applies], _cell(note)))
        out.append("")
    out.append("## Under memory pressure")
    out.append("")
    out.append("Each row runs in its own child with the address space capped 128 MiB above what")
    out.append("it already uses, after `big` (a 256 MiB `bytes`) was made: a copy of the argument")
    out.append("cannot be allocated. CPython raises MemoryError then; a Swift allocation that")
    out.append("fails traps. Expected: one of %s (a clean failure), never a crash." % ", ".join(MEMORY_PRESSURE_OUTCOMES))
    out.append("")
    out.append("| Method | Bad input | Call | Applies to | Note |")
    out.append("|---|---|---|---|---|")
    for method, label, call, applies, note in MEMORY_PRESSURE:
        out.append("| `%s` | %s | %s | %s | %s |" % (
            method, _cell(label), _code(call), MARKS[applies], _cell(note)))
    out.append("")
    return "\n".join(out)


DOC_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs", "bad-input.md")


if __name__ == "__main__":
    if sys.argv[1:] == ["--markdown"]:
        sys.stdout.write(markdown())
        sys.exit(0)
    sys.exit("usage: python %s --markdown > docs/bad-input.md" % sys.argv[0])


# ---------------------------------------------------------------------------
# the tests

import warnings  # noqa: E402

import pytest  # noqa: E402

import robustness_helpers as R  # noqa: E402

IDS = case_ids()
ROW_BY_ID = dict(zip(IDS, TABLE))
FAILED_OUTCOMES = {"crash": "crashed the interpreter", "hang": "hung", "not run": "was not run"}


@pytest.fixture(scope="module")
def bad_input_results(request, pki):
    """Runs the rows this session selected (all of them, or what -k left)."""
    wanted = []
    for item in request.session.items:
        if getattr(item, "originalname", None) != "test_bad_input":
            continue
        if any(mark.name == "skip" for mark in item.iter_markers()):
            continue
        wanted.append(item.callspec.params["case_id"])
    cases = [(case_id, ROW_BY_ID[case_id][2]) for case_id in wanted]
    started = R.monotonic()
    results = R.run_cases(R.pki_paths(pki), cases, timeout=240.0)
    print("\nbad input: %d rows in %.1f s" % (len(cases), R.monotonic() - started))
    return results


def marks_for(applies):
    return {OURS: [pytest.mark.ours], DEVIATION: [pytest.mark.deviation]}.get(applies, [])


def row_failure(row, result):
    """Why *result* (from R.run_cases) fails *row*, or None when it passes.
    Also used against pyOpenSSL, where every deviation row must fail."""
    method, label, call, expected, applies, note = row
    outcome = result["outcome"]
    where = "%s with %s:\n    %s\n" % (method, label, call.replace("\n", "\n    "))
    if outcome in FAILED_OUTCOMES:
        return "%s%s\n%s" % (where, FAILED_OUTCOMES[outcome], result.get("message", ""))
    if outcome == "SystemError":
        return where + "SystemError: " + result.get("message", "")
    got = "returns" if outcome == "ok" else outcome
    if got != expected:
        return "%sexpected %s, got %s: %s" % (where, expected, got, result.get("message", ""))
    if result.get("unraisable"):
        return where + "unraisable exceptions: %r" % result["unraisable"]
    if result.get("teardown"):
        return where + "tearing the fixtures down failed: " + result["teardown"]
    if result["queue_before"] != 0:
        return where + "OpenSSL's error queue was not empty before the call"
    if result["queue_after"] != 0:
        return where + "the call left error 0x%x in OpenSSL's error queue" % result["queue_after"]
    if not result["bogus_ok"]:
        return where + "set_cipher_list(b'bogus') afterwards raised " + result.get("bogus", "?")
    if not result["handshake_ok"]:
        return where + "a fresh handshake afterwards failed: " + result.get("handshake", "?")
    return None


@pytest.mark.parametrize(
    "case_id",
    [pytest.param(case_id, id=case_id, marks=marks_for(row[4])) for case_id, row in zip(IDS, TABLE)],
)
def test_bad_input(case_id, bad_input_results):
    failure = row_failure(ROW_BY_ID[case_id], bad_input_results[case_id])
    if failure:
        pytest.fail(failure, pytrace=False)


def test_ids_are_unique():
    assert len(set(IDS)) == len(IDS)
    assert all("#" not in case_id for case_id in IDS), "two rows share a method and an input label"


@pytest.mark.pyopenssl_side
def test_ours_rows_are_methods_pyopenssl_lacks():
    """The labels tell the truth: *ours* rows test methods pyOpenSSL 26.4
    lacks, *deviation* rows methods it has (whose rows must fail on it:
    test_deviation_table.py)."""
    from OpenSSL import SSL, crypto

    owners = {"SSL": SSL, "crypto": crypto, "Context": SSL.Context, "Connection": SSL.Connection,
              "Session": SSL.Session, "X509": crypto.X509, "PKey": crypto.PKey, "X509Name": crypto.X509Name,
              "X509Store": crypto.X509Store, "X509StoreContext": crypto.X509StoreContext}

    def pyopenssl_has(method):
        owner, name = method.split(".", 1)
        return hasattr(owners[owner], name)

    rows = [(row[0], row[4]) for row in TABLE] + [(row[0], row[3]) for row in MEMORY_PRESSURE]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # hasattr on deprecated names
        wrong = sorted({"%s (%s)" % (method, MARKS[applies]) for method, applies in rows
                        if applies and pyopenssl_has(method) != (applies == DEVIATION)})
    assert not wrong, "mislabelled rows: " + ", ".join(wrong)


def test_doc_matches_table():
    """docs/bad-input.md is TABLE rendered; regenerate it after editing TABLE."""
    with open(DOC_PATH, encoding="utf-8") as doc:
        assert doc.read() == markdown(), (
            "docs/bad-input.md is stale: run python Tests/python/test_bad_input.py --markdown > docs/bad-input.md")


def _public_functions(module):
    names = set(getattr(module, "__all__", ()))
    names.update(n for n in dir(module) if not n.startswith("_"))
    found = set()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name in names:
            value = getattr(module, name, None)
            if callable(value) and not isinstance(value, type) and \
                    str(getattr(value, "__module__", "")).startswith("OpenSSL"):
                found.add(name)
    return found


def test_table_covers_every_public_method():
    """Each public method of each class, and each module function, of the
    implementation under test has rows, including one for a receiver whose
    __init__ never ran."""
    from OpenSSL import SSL, crypto

    methods = {row[0] for row in TABLE}
    uninitialised = {row[0] for row in TABLE if row[1].startswith("uninitialised object")}
    missing, no_uninit = [], []
    for prefix, module in (("SSL", SSL), ("crypto", crypto)):
        for name in sorted(_public_functions(module)):
            if "%s.%s" % (prefix, name) not in methods:
                missing.append("%s.%s" % (prefix, name))
    for label, cls in (("Context", SSL.Context), ("Connection", SSL.Connection), ("Session", SSL.Session),
                       ("X509", crypto.X509), ("PKey", crypto.PKey), ("X509Name", crypto.X509Name),
                       ("X509Store", crypto.X509Store), ("X509StoreContext", crypto.X509StoreContext)):
        for name in sorted(n for n in dir(cls) if not n.startswith("_")):
            target = "%s.%s" % (label, name)
            if target not in methods:
                missing.append(target)
            elif name not in ("from_cryptography", "from_cryptography_key") and target not in uninitialised:
                no_uninit.append(target)
    assert not missing, "public methods without bad-input rows: %s" % ", ".join(missing)
    assert not no_uninit, "methods without an uninitialised-receiver row: %s" % ", ".join(no_uninit)


MEMORY_PRESSURE_CHILD = r"""
import json, resource, sys, warnings
warnings.simplefilter("ignore")
import robustness_helpers as R
import conftest
from OpenSSL import SSL, crypto

job = json.load(sys.stdin)
pki = R.load_pki(job["paths"])
client, server = conftest.connection_pair(
    conftest.server_context(pki.server_ec), conftest.client_context(pki), host=b"localhost")
conftest.handshake(client, server)
ctx = SSL.Context(SSL.TLS_METHOD)
conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
big = b"A" * (256 << 20)

def vm_size():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024

soft, hard = resource.getrlimit(resource.RLIMIT_AS)
resource.setrlimit(resource.RLIMIT_AS, (vm_size() + (128 << 20), hard))
try:
    exec(job["call"])
    outcome = "returns"
except BaseException as exc:
    outcome = R.exception_name(exc)
resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
print("RESULT " + json.dumps({"outcome": outcome}), flush=True)
"""


@pytest.mark.parametrize("row", [
    pytest.param(row, id="%s[%s]" % (row[0], row[1]), marks=marks_for(row[3]))
    for row in MEMORY_PRESSURE])
def test_bad_input_under_memory_pressure(row, pki):
    method, label, call, applies, note = row
    result = R.run_child(MEMORY_PRESSURE_CHILD, input_data={"paths": R.pki_paths(pki), "call": call}, timeout=60)
    if result.returncode != 0:
        pytest.fail(R.child_failure(result, "%s with %s: %s" % (method, label, call)))
    outcome = R.last_json_line(result.stdout)["outcome"]
    assert outcome in MEMORY_PRESSURE_OUTCOMES, "%s: expected a clean failure, got %s" % (call, outcome)
