"""The command lines of main.py's ``send`` and ``download`` (issue 22): a message or a file sent, or a shared file
fetched, from a script (what they do: file_scripts.py, imported only when one runs, as it brings the client's
networking, which every other command would otherwise load at start).

``send`` exits 0 once the server has ACKed the message, printing the seq of a text or the id of a file;
``download`` exits 0 once the file is verified and in place, printing its path. Any failure: a line on stderr
saying why, and exit code 1 (2: the command line itself is wrong).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from chat_server.core.auth import PASSWORD_ENV, PasswordError, load_password

FAILED = 1
"""The exit code of a send or download that did not happen."""
USAGE = 2
"""The exit code of a command line that cannot be run (as argparse's own)."""

def add_send_command(commands: argparse._SubParsersAction[argparse.ArgumentParser], host: str,
                     port: int) -> argparse.ArgumentParser:
    """``send [--host H] [--port P] [--tls] [--name N] [--room #R | --to NAME] (--file PATH | TEXT)``."""
    send = commands.add_parser("send", help="send a message or share a file, exit once the server has it (ACK)")
    _add_connection_options(send, host, port)
    where = send.add_mutually_exclusive_group()
    where.add_argument("--room", default=None, metavar="#ROOM", help="the room to send to (default #lobby)")
    where.add_argument("--to", default=None, metavar="NAME", help="a member to send to directly")
    what = send.add_mutually_exclusive_group(required=True)
    what.add_argument("--file", default=None, metavar="PATH", help="share this file (its id is printed)")
    what.add_argument("text", nargs="?", default=None, help="the message (its seq is printed)")
    send.add_argument("--caption", default="", help="with --file: a message shown with the file")
    return send


def add_download_command(commands: argparse._SubParsersAction[argparse.ArgumentParser], host: str,
                         port: int) -> argparse.ArgumentParser:
    """``download [--host H] [--port P] [--tls] [--name N] ID [-o PATH]``."""
    download = commands.add_parser("download", help="fetch a shared file by its id and verify it")
    _add_connection_options(download, host, port)
    download.add_argument("file_id", metavar="ID", help="the file's id (as its [file] line or send --file shows it)")
    download.add_argument("-o", "--output", default=None, metavar="PATH",
                          help="where to write it: a file, or a folder (default: its name in this folder)")
    return download


def _add_connection_options(parser: argparse.ArgumentParser, host: str, port: int) -> None:
    parser.add_argument("--host", default=host, help=f"the server's address (default {host})")
    parser.add_argument("--port", type=int, default=port, help=f"the server's port (default {port})")
    parser.add_argument("--tls", action="store_true", help="connect with TLS (the server must run with --tls)")
    parser.add_argument("--name", default=None,
                        help="who to be: a member may fetch its rooms' files (default: a new name)")
    parser.add_argument("--password-file", metavar="PATH", default=None,
                        help=f"the server's password, if it has one: the first line of the file (or set "
                             f"${PASSWORD_ENV}; never on the command line, where others can read it)")


def run_file_command(args: argparse.Namespace) -> int:
    """Run ``send`` or ``download``: its exit code."""
    from chat_gui.client.blocking_chat import ChatFailure
    from chat_gui.client.transfer import TransferError
    from chat_gui.file_scripts import Where, download_file, send_file, send_text

    try:
        password = load_password(args.password_file)
    except PasswordError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return USAGE
    where = Where(args.host, args.port, args.tls, args.name, password)
    room = None if args.command != "send" or args.room is None or args.room.lower() == "#lobby" else args.room
    try:
        if args.command == "send":
            print(send_file(where, Path(args.file), room, args.to, args.caption) if args.file
                  else send_text(where, args.text, room, args.to))
        else:
            print(download_file(where, args.file_id, Path(args.output) if args.output else None))
    except (ChatFailure, TransferError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return FAILED
    except OSError as exc:  # the file to send, or the folder to write to
        print(f"error: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return FAILED
    return 0
