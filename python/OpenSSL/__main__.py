"""Command line: ``python -m OpenSSL <command>``.

``demo`` runs a TLS server and client from this module on 127.0.0.1, with a CA
and server certificate made fresh for the run.
"""

from __future__ import annotations

import argparse
import sys

from OpenSSL import _cli_demo


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m OpenSSL", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", metavar="command")
    demo = commands.add_parser("demo", help="a verified TLS handshake and echo on 127.0.0.1")
    demo.add_argument("--message", default="hello over TLS", help="what the client sends (default: %(default)r)")
    demo.add_argument("--tls12", action="store_true", help="pin TLS 1.2 instead of negotiating TLS 1.3")
    arguments = parser.parse_args(argv)
    if arguments.command == "demo":
        return _cli_demo.run(arguments.message.encode(), tls12=arguments.tls12)
    parser.print_help(sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
