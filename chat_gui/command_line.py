"""The command line of main.py and the installed ``lanchat``: parses it and assembles the server, the windows and
the clients. (It lives here, not in chat_server, because it starts the windows too; chat_server imports no GUI.)"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths

from chat_gui.file_commands import add_download_command, add_send_command, run_file_command
from chat_server import settings as defaults
from chat_server.core.auth import PASSWORD_ENV, PasswordError, load_password
from chat_server.core.limits import raise_open_file_limit
from chat_server.protocol import DEFAULT_MAX_LINE_BYTES, server_name_problem
from chat_server.settings import DEFAULT_HISTORY, DEFAULT_HOST, DEFAULT_MAX_CLIENTS, DEFAULT_PORT, ServerSettings

LOG_LEVELS = ("debug", "info", "warning", "error")
DISCOVER_TIMEOUT_S = 3.0
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


def _server_name(value: str) -> str:
    name = value.strip()
    problem = server_name_problem(name)
    if problem is not None:
        raise argparse.ArgumentTypeError(problem)
    return name


def _positive(value: str) -> float:
    number = float(value)
    if not number > 0:  # also refuses nan
        raise argparse.ArgumentTypeError(f"must be more than 0, not {value}")
    return number


def _non_negative(value: str) -> float:
    number = float(value)
    if not number >= 0:  # also refuses nan
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {value}")
    return number


def _add_limit_options(parser: argparse.ArgumentParser) -> None:
    limits = parser.add_argument_group("limits (0 switches one off)")
    limits.add_argument("--rate", type=_non_negative, default=defaults.DEFAULT_RATE, metavar="PER_S",
                        help="messages a second one connection may send; over it the server reads it more slowly "
                             "and loses nothing (default %(default)g)")
    limits.add_argument("--burst", type=_count, default=defaults.DEFAULT_BURST,
                        help="messages it may send at once before the rate applies (default %(default)s)")
    limits.add_argument("--max-output-bytes", type=_count, default=defaults.DEFAULT_MAX_OUTPUT,
                        help="unread output after which a member is disconnected as too slow (default %(default)s)")
    limits.add_argument("--line-timeout", type=_non_negative, default=defaults.DEFAULT_LINE_TIMEOUT_S, metavar="S",
                        help="seconds to finish a line once started (default %(default)g)")
    limits.add_argument("--ping", type=_non_negative, default=defaults.DEFAULT_PING_S, metavar="S",
                        help="seconds of silence after which a JSON client is pinged (default %(default)g)")
    limits.add_argument("--idle-timeout", type=_non_negative, default=defaults.DEFAULT_IDLE_S, metavar="S",
                        help="seconds of silence after which a JSON client is closed (default %(default)g)")
    limits.add_argument("--text-idle-timeout", type=_non_negative, default=0, metavar="S",
                        help="the same for text clients, which send no pings (default 0: never)")
    limits.add_argument("--auth-timeout", type=_non_negative, default=defaults.DEFAULT_AUTH_TIMEOUT_S, metavar="S",
                        help="with a password: seconds a connection has to give it and be let in "
                             "(default %(default)g)")
    limits.add_argument("--max-logins", type=_count, default=defaults.DEFAULT_MAX_LOGINS, metavar="N",
                        help="with a password: connections at the password prompt at once, not counting as "
                             "members (default %(default)s)")
    limits.add_argument("--max-rooms", type=_count, default=defaults.DEFAULT_MAX_ROOMS, metavar="N",
                        help="rooms on the server, #lobby included (default %(default)s; 0 = no limit)")
    limits.add_argument("--max-rooms-per-member", type=_count, default=defaults.DEFAULT_ROOMS_PER_MEMBER,
                        metavar="N", help="rooms one member may be in besides #lobby (default %(default)s; "
                                          "0 = no limit)")
    limits.add_argument("--max-logins-per-address", type=_count, default=defaults.DEFAULT_MAX_LOGINS_PER_ADDRESS,
                        metavar="N", help="the same from one address (default %(default)s)")


def _add_server_options(parser: argparse.ArgumentParser) -> None:
    # Defaults are None so that options given on the command line can be told apart from
    # the server window's remembered settings; settings_from_args fills the defaults in.
    parser.add_argument("--host", default=None,
                        help=f"address to listen on: an IP, 'localhost' or 'any' (default {DEFAULT_HOST})")
    parser.add_argument("--port", type=_port, default=None,
                        help=f"TCP port, 0 picks a free one (default {DEFAULT_PORT})")
    parser.add_argument("--max-clients", type=_count, default=None,
                        help=f"members online at once, 0 = no limit (default {DEFAULT_MAX_CLIENTS})")
    parser.add_argument("--max-line-bytes", type=_count, default=DEFAULT_MAX_LINE_BYTES,
                        help="longest line a client may send (default %(default)s)")
    parser.add_argument("--db", metavar="PATH", default=None,
                        help=f"the SQLite file for history and sessions (default {default_db_path()}); "
                             "':memory:' keeps nothing after exit")
    parser.add_argument("--db-sync", choices=("normal", "full"), default="normal",
                        help="normal: an ACKed message survives the server being killed; "
                             "full: also a power cut, with an fsync per commit (default normal)")
    parser.add_argument("--history", type=_count, default=DEFAULT_HISTORY,
                        help="recent messages a member gets on joining (default %(default)s)")
    parser.add_argument("--retention-days", type=_non_negative, default=0, metavar="DAYS",
                        help="delete sessions of earlier runs and messages older than this from the database, "
                             "at start and hourly (default 0: keep everything)")
    parser.add_argument("--tls", action="store_true",
                        help="serve TLS; without --cert/--key a self-signed certificate is made in the data "
                             "folder on first use and reused after")
    parser.add_argument("--cert", metavar="PEM", default=None, help="your own certificate (implies --tls)")
    parser.add_argument("--key", metavar="PEM", default=None, help="the private key of --cert")
    _add_password_option(parser, "clients must give this password: the first line of the file")
    parser.add_argument("--reserve-names", type=_non_negative, default=defaults.DEFAULT_NAME_RESERVATION_S,
                        metavar="S", help="a name a client chose stays reserved for that client this many seconds "
                                          "after it was last used (default %(default)g, a day; 0 = off)")
    parser.add_argument("--heartbeat", type=_non_negative, default=defaults.DEFAULT_HEARTBEAT_S, metavar="S",
                        help="note in the database every S seconds that the server is alive: if it is killed, "
                             "its sessions are closed at the last note (default %(default)g; 0 = off)")
    _add_discovery_options(parser)
    _add_limit_options(parser)
    _add_file_options(parser)


def _add_file_options(parser: argparse.ArgumentParser) -> None:
    """Sharing files (issue 22): its limits and how long files are kept."""
    parser.add_argument("--max-file-mb", type=_count, default=defaults.DEFAULT_MAX_FILE_MB, metavar="MB",
                        help="the largest file a member may share, in MB of 1,000,000 bytes "
                             "(default %(default)s; 0 = no limit)")
    parser.add_argument("--file-quota-mb", type=_count, default=defaults.DEFAULT_FILE_QUOTA_MB, metavar="MB",
                        help="what one member may upload in 24 hours, in MB (default %(default)s; 0 = no quota)")
    parser.add_argument("--max-files-gb", type=_non_negative, default=defaults.DEFAULT_MAX_FILES_GB, metavar="GB",
                        help="all the files the server keeps, in GB; beyond it the oldest expire to make room "
                             "(default %(default)g; 0 = no limit)")
    parser.add_argument("--file-retention-days", type=_non_negative, default=0, metavar="DAYS",
                        help="files older than this expire, at start and hourly (default 0: keep them)")


def _add_discovery_options(parser: argparse.ArgumentParser) -> None:
    found = parser.add_argument_group("finding the server on the network (DNS-SD)")
    found.add_argument("--name", type=_server_name, default=None,
                       help=f"the name the server announces itself by (default '{defaults.default_server_name()}')")
    advertise = found.add_mutually_exclusive_group()
    advertise.add_argument("--advertise", dest="advertise", action="store_const", const=True, default=None,
                           help="announce the server even when it listens on 127.0.0.1 (on loopback)")
    advertise.add_argument("--no-advertise", dest="advertise", action="store_const", const=False,
                           help="do not announce the server on the network")


def _add_password_option(parser: argparse.ArgumentParser, text: str) -> None:
    parser.add_argument("--password-file", metavar="PATH", default=None,
                        help=f"{text} (or set ${PASSWORD_ENV}; never on the command line, where others can read it)")


def _language(value: str) -> str:
    from chat_gui.i18n import LanguageError, parse_language

    try:
        parse_language(value)
    except LanguageError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc
    return value


def _add_language_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", type=_language, default=None, metavar="CODE",
                        help="the windows' language, e.g. de or en (default: the system's; "
                             "translated: English, German)")


def _add_log_level(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--log-level", choices=LOG_LEVELS, default="info", help="how much to log (default info)")


def build_parser(prog: str = "main.py") -> argparse.ArgumentParser:
    """The parser; ``prog`` is the command as the user typed it (main.py, or lanchat when installed)."""
    # No abbreviations: the bare command's server options are seen by the whole line, and a sub-command's own option
    # (send --file) would otherwise be taken for an ambiguous short form of them (--file-quota-mb, --file-...).
    parser = argparse.ArgumentParser(
        prog=prog, allow_abbrev=False,
        usage="%(prog)s [server options]   (the server window and one client window)\n"
              "       %(prog)s COMMAND [options]",
        description="A LAN chat: a server you can watch live and clients that feel like a chat app. "
                    "Without a command: the server window and one client window, chatting at once; "
                    "the server's options below apply to it (%(prog)s --port 23410).",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", prog=prog)
    # The bare command takes the server's options, from the one definition the sub-commands use too.
    _add_server_options(parser)
    _add_language_option(parser)
    _add_log_level(parser)

    server = commands.add_parser("server", help="the server window (--headless: no window, log to the terminal)")
    server.add_argument("--headless", action="store_true", help="no window: log to the terminal")
    _add_server_options(server)
    _add_language_option(server)
    _add_log_level(server)

    client = commands.add_parser("client", help="a client window connected to a server")
    client.add_argument("--host", default=DEFAULT_HOST, help=f"the server's address (default {DEFAULT_HOST})")
    client.add_argument("--port", type=_port, default=DEFAULT_PORT, help=f"the server's port (default {DEFAULT_PORT})")
    client.add_argument("--name", default=None, help="your name (default: the server assigns Client01, ...)")
    client.add_argument("--tls", action="store_true", help="connect with TLS (the server must run with --tls)")
    _add_password_option(client, "the server's password, if it has one: the first line of the file")
    _add_language_option(client)
    _add_log_level(client)

    demo = commands.add_parser("demo", help="the server window and several client windows connected to it")
    demo.add_argument("--clients", type=_count, default=3, help="how many client windows (default 3)")
    _add_server_options(demo)
    _add_language_option(demo)
    _add_log_level(demo)

    discover = commands.add_parser("discover", help="list the servers announced on the network (DNS-SD)")
    discover.add_argument("--timeout", type=_positive, default=DISCOVER_TIMEOUT_S, metavar="S",
                          help="seconds to listen for announcements (default %(default)g)")
    discover.add_argument("--json", action="store_true", help="print a JSON list instead of one line a server")
    discover.add_argument("--interface", action="append", default=None, metavar="IP",
                          help="browse on the interface with this IPv4 address only (repeatable; default: all)")
    _add_log_level(discover)

    # Scripts (issue 22): a message or a file sent, a shared file fetched, with no window.
    for add_command in (add_send_command, add_download_command):
        _add_log_level(add_command(commands, DEFAULT_HOST, DEFAULT_PORT))
    return parser


def parse_args(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.Namespace:
    """The arguments; without a command, those of the server window and one client window (``demo --clients 1``)."""
    args = parser.parse_args(argv)
    if args.command is None:
        args.command, args.clients = "demo", 1
    elif argv[0] != args.command:
        # A sub-command's own defaults would silently replace options given before it.
        parser.error(f"options go after the command: {parser.prog} {args.command} [options]")
    return args


def data_folder() -> Path:
    """The per-user data folder (e.g. ~/.local/share/LanChat/LanChat on Linux)."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppLocalDataLocation)
    return Path(folder or Path.home() / ".lanchat")


def default_db_path() -> str:
    """chat.sqlite3 in the per-user data folder."""
    return str(data_folder() / "chat.sqlite3")


class UsageError(Exception):
    """Options that do not go together, or a file named by one that cannot be used."""


def settings_from_args(args: argparse.Namespace) -> ServerSettings:
    """The server's settings from its options; raises UsageError with the reason."""
    if bool(args.cert) != bool(args.key):
        raise UsageError("--cert and --key go together: give both, or neither for a self-signed certificate.")
    try:
        password = load_password(args.password_file)
    except PasswordError as exc:
        raise UsageError(str(exc)) from exc
    # A self-signed certificate is kept in the per-user data folder (readable by its owner only), whatever
    # --db says: a database may be anywhere, /tmp included, and servers must not share a key through it.
    return ServerSettings(
        tls=bool(args.tls or args.cert), tls_cert=args.cert or "", tls_key=args.key or "",
        tls_folder=str(data_folder()), password=password, name_reservation_s=args.reserve_names,
        heartbeat_ms=_ms(args.heartbeat),
        host=DEFAULT_HOST if args.host is None else args.host,
        port=DEFAULT_PORT if args.port is None else args.port,
        max_clients=DEFAULT_MAX_CLIENTS if args.max_clients is None else args.max_clients,
        max_line_bytes=args.max_line_bytes, db_path=args.db or default_db_path(), db_sync=args.db_sync,
        history_limit=args.history, retention_days=args.retention_days, rate_per_s=args.rate, rate_burst=args.burst,
        max_output_bytes=args.max_output_bytes, line_timeout_ms=_ms(args.line_timeout),
        ping_interval_ms=_ms(args.ping), idle_timeout_ms=_ms(args.idle_timeout),
        text_idle_timeout_ms=_ms(args.text_idle_timeout), auth_timeout_ms=_ms(args.auth_timeout),
        max_logins=args.max_logins, max_logins_per_address=args.max_logins_per_address,
        max_rooms=args.max_rooms, max_rooms_per_member=args.max_rooms_per_member,
        name=args.name or defaults.default_server_name(), advertise=args.advertise is not False,
        advertise_loopback=args.advertise is True, max_file_mb=args.max_file_mb, file_quota_mb=args.file_quota_mb,
        max_files_gb=args.max_files_gb, file_retention_days=args.file_retention_days,
    )


def _ms(seconds: float) -> int:
    return round(seconds * 1000)


def listen_options_given(args: argparse.Namespace) -> bool:
    return any(value is not None for value in (args.host, args.port, args.max_clients))


def main(argv: list[str] | None = None, prog: str | None = None) -> int:
    """Runs the command in ``argv`` (default: the process's arguments); ``prog`` defaults to the program's file
    name (``lanchat`` for the installed command and the standalone build)."""
    QCoreApplication.setOrganizationName(APP_NAME)
    QCoreApplication.setApplicationName(APP_NAME)
    parser = build_parser(prog or Path(sys.argv[0]).name)
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(parser, argv)
    logging.basicConfig(
        level=getattr(logging, args.log_level.upper()),
        format="%(asctime)s %(levelname)s %(message)s",
    )
    try:
        if args.command == "discover":
            from chat_server.discover import run_discover

            return run_discover(args.timeout, args.json, args.interface)
        if args.command in ("send", "download"):
            return run_file_command(args)
        if args.command in ("server", "demo"):
            raise_open_file_limit()
            settings = settings_from_args(args)
        else:
            password = load_password(args.password_file)
    except (UsageError, PasswordError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.command == "server" and args.headless:
        from chat_server.headless import run_headless

        return run_headless(settings)
    # The windows are imported only when wanted: the headless server needs no QtWidgets.
    from chat_gui import launcher

    if args.command == "server":
        return launcher.run_server_window(settings, explicit=listen_options_given(args), language=args.lang)
    if args.command == "client":
        return launcher.run_clients(args.host, args.port, args.name, tls=args.tls, password=password,
                                    language=args.lang)
    # A port asked for is kept (an error in the window if it is taken); the default one gives way to a free one.
    return launcher.run_demo(settings, args.clients, fallback_to_free_port=args.port is None, language=args.lang)
