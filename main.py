"""Entry point: parses the command line and assembles the server, the windows and the clients."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths

from chat_server.protocol import DEFAULT_MAX_LINE_BYTES
from chat_server.settings import DEFAULT_HISTORY, DEFAULT_HOST, DEFAULT_MAX_CLIENTS, DEFAULT_PORT, ServerSettings

LOG_LEVELS = ("debug", "info", "warning", "error")
APP_NAME = "LanChat"


def _port(value: str) -> int:
    port = int(value)
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"a port is 0-65535 (0 picks a free one), not {port}")
    return port


def _count(value: str) -> int:
    number = int(value)
    if number < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {number}")
    return number


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="main.py",
        description="A LAN chat: a server you can watch live and clients that feel like a chat app.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    server = commands.add_parser("server", help="run the chat server (--headless: without a window)")
    server.add_argument("--headless", action="store_true", help="no window: log to the terminal")
    server.add_argument("--host", default=DEFAULT_HOST,
                        help=f"address to listen on: an IP, 'localhost' or 'any' (default {DEFAULT_HOST})")
    server.add_argument("--port", type=_port, default=DEFAULT_PORT,
                        help=f"TCP port, 0 picks a free one (default {DEFAULT_PORT})")
    server.add_argument("--max-clients", type=_count, default=DEFAULT_MAX_CLIENTS,
                        help=f"members online at once, 0 = no limit (default {DEFAULT_MAX_CLIENTS})")
    server.add_argument("--max-line-bytes", type=_count, default=DEFAULT_MAX_LINE_BYTES,
                        help="longest line a client may send (default %(default)s)")
    server.add_argument("--db", metavar="PATH", default=None,
                        help=f"the SQLite file for history and sessions (default {default_db_path()}); "
                             "':memory:' keeps nothing after exit")
    server.add_argument("--db-sync", choices=("normal", "full"), default="normal",
                        help="normal: an ACKed message survives the server being killed; "
                             "full: also a power cut, with an fsync per commit (default normal)")
    server.add_argument("--history", type=_count, default=DEFAULT_HISTORY,
                        help="recent messages a member gets on joining (default %(default)s)")
    server.add_argument("--log-level", choices=LOG_LEVELS, default="info",
                        help="how much to log (default info)")
    return parser


def default_db_path() -> str:
    """chat.sqlite3 in the per-user data folder (e.g. ~/.local/share/LanChat/ on Linux)."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppLocalDataLocation)
    return str(Path(folder or Path.home() / ".lanchat") / "chat.sqlite3")


def settings_from_args(args: argparse.Namespace) -> ServerSettings:
    return ServerSettings(host=args.host, port=args.port, max_clients=args.max_clients,
                          max_line_bytes=args.max_line_bytes, db_path=args.db or default_db_path(),
                          db_sync=args.db_sync, history_limit=args.history)


def main(argv: list[str] | None = None) -> int:
    QCoreApplication.setOrganizationName(APP_NAME)
    QCoreApplication.setApplicationName(APP_NAME)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    logging.basicConfig(
        level=getattr(logging, args.log_level.upper()),
        format="%(asctime)s %(levelname)s %(message)s",
    )
    if args.command == "server":
        if args.headless:
            from chat_server.headless import run_headless

            return run_headless(settings_from_args(args))
        parser.error("the server window arrives with the server-window issue; use --headless for now")
    return 2


if __name__ == "__main__":
    sys.exit(main())
