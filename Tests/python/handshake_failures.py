"""Negative handshakes over memory BIOs: which side failed, and why.

A test that only expects "some SSL.Error" also passes when the handshake
breaks for an unrelated reason (a bad certificate file, a protocol mismatch).
These helpers report the side that raised first, its OpenSSL reason strings
and what the other side made of the alert, so a test can assert all three.

OpenSSL's reason strings are its own and a few differ between the versions
the two envs run: say which version says which where a test accepts both.
"""

from __future__ import annotations

from dataclasses import dataclass

from OpenSSL import SSL


# The handshake_failure alert as each OpenSSL names it on the receiving side:
# 3.0 "sslv3 alert ...", 3.5 "ssl/tls alert ...", 4.0 "tls alert ...".
HANDSHAKE_FAILURE_ALERT = ("sslv3 alert handshake failure", "ssl/tls alert handshake failure",
                           "tls alert handshake failure")


@dataclass
class Failure:
    side: str  # "client" or "server": the side whose do_handshake raised first
    error: Exception
    # What the other side's do_handshake raised after taking in the records
    # still in flight (the alert), WantReadError included; None if it
    # returned (its handshake was complete).
    peer_error: Exception | None


def reasons(error: Exception) -> list[str]:
    """The reason strings of an SSL.Error ([] for anything else)."""
    if not isinstance(error, SSL.Error) or not error.args:
        return []
    return [entry[2] for entry in error.args[0]]


def _move(source: SSL.Connection, dest: SSL.Connection) -> int:
    moved = 0
    while True:
        try:
            chunk = source.bio_read(65536)
        except SSL.WantReadError:
            return moved
        if not chunk:
            return moved
        dest.bio_write(chunk)
        moved += len(chunk)


def _step(conn: SSL.Connection):
    """One do_handshake: "done", "want", or the exception it raised."""
    try:
        conn.do_handshake()
    except SSL.WantReadError:
        return "want"
    except Exception as exc:  # noqa: BLE001 - handed to the test
        return exc
    return "done"


def _peer_error(conn: SSL.Connection):
    try:
        conn.do_handshake()
    except Exception as exc:  # noqa: BLE001 - handed to the test
        return exc
    return None


def fail_handshake(client: SSL.Connection, server: SSL.Connection, rounds: int = 50) -> Failure:
    """Drive both handshakes until one side raises; fails the test if both
    complete (or neither finishes)."""
    sides = {"client": client, "server": server}
    pending = dict(sides)
    for _ in range(rounds):
        for side in list(pending):
            outcome = _step(pending[side])
            if outcome == "done":
                del pending[side]
            elif outcome != "want":
                other = "server" if side == "client" else "client"
                _move(client, server)
                _move(server, client)
                return Failure(side, outcome, _peer_error(sides[other]))
        moved = _move(client, server) + _move(server, client)
        if not pending and not moved:
            raise AssertionError("the handshake completed; it should have failed")
    raise AssertionError("the handshake neither completed nor failed")


def assert_failure(failure: Failure, side: str, reason, *, peer_reason=None) -> None:
    """*reason* / *peer_reason*: one reason string, or a tuple of accepted
    spellings. peer_reason=None leaves the peer unchecked."""
    accepted = (reason,) if isinstance(reason, str) else tuple(reason)
    assert failure.side == side, failure
    assert type(failure.error) is SSL.Error, failure
    assert any(r in accepted for r in reasons(failure.error)), failure
    if peer_reason is not None:
        accepted = (peer_reason,) if isinstance(peer_reason, str) else tuple(peer_reason)
        assert any(r in accepted for r in reasons(failure.peer_error)), failure
