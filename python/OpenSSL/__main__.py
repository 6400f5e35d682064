"""Command line: ``python -m OpenSSL <command>``.

  info      versions and build details of this package and its OpenSSL
  connect   connect to HOST:PORT: chain, verification, protocol, ALPN, resumption
  serve     a TLS echo server (fresh CA for the run unless --cert/--key)
  demo      a verified TLS handshake and echo on 127.0.0.1

Each command lives in its own module (``OpenSSL._cli_<command>``), which adds its
parser with ``add_parser`` and runs with ``main(arguments)``; this file only
dispatches. Exit codes: 0 success, 2 bad arguments; see each command's help.
"""

from __future__ import annotations

import argparse
import sys

from OpenSSL import _cli_connect, _cli_demo, _cli_info, _cli_serve

COMMANDS = (_cli_info, _cli_connect, _cli_serve, _cli_demo)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m OpenSSL", description="pyOpenSSL's API on the system OpenSSL, from the command line.",
        epilog="'python -m OpenSSL COMMAND --help' describes each command.")
    commands = parser.add_subparsers(dest="command", metavar="command")
    for module in COMMANDS:
        module.add_parser(commands)
    arguments = parser.parse_args(argv)
    if arguments.command is None:
        parser.print_help(sys.stderr)
        return 2
    return arguments.main(arguments)


if __name__ == "__main__":
    sys.exit(main())
