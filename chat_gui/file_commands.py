"""The ``send`` and ``download`` commands of main.py (issue 22): a message or a file sent, or a shared file fetched,
from a script, with blocking sockets and no event loop.

``send`` exits 0 once the server has ACKed the message, printing the seq of a text or the id of a file;
``download`` exits 0 once the file is verified and in place, printing its path. Any failure: a line on stderr
saying why, and exit code 1 (2: the command line itself is wrong).
"""

from __future__ import annotations

import argparse
import random
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSettings

from chat_gui.client.blocking_chat import BlockingChat, ChatFailure, Trust
from chat_gui.client.identities import ClientIdentities
from chat_gui.client.pinning import KnownServers
from chat_gui.client.transfer import TransferError, download_bytes, file_sha256, open_transfer, upload_bytes
from chat_server import protocol as p
from chat_server.core.auth import PASSWORD_ENV, PasswordError, load_password

FAILED = 1
"""The exit code of a send or download that did not happen."""
USAGE = 2
"""The exit code of a command line that cannot be run (as argparse's own)."""

PART_SUFFIX = ".part"
"""A download is written beside its destination with this added, and renamed once verified (and resumed from)."""

REQUEST_ID = "script-1"
"""The id of the script's one request (upload, download or chat) on its connection."""

DOWNLOAD_NAME = "download-{number:04d}"
"""The name a download asks for when none is given (a member without rooms: it may fetch #lobby's files)."""


@dataclass(frozen=True, slots=True)
class Where:
    """The server and who to be there."""

    host: str
    port: int
    tls: bool
    name: str | None
    password: str


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


def _connect(where: Where, fresh_name: str | None = None) -> BlockingChat:
    """A chat connection, welcomed: as ``where.name`` with the client id the windows use for that name (so the
    script is one more window of that member, in its rooms), else as ``fresh_name`` (None: the server assigns one)
    with a client id of its own."""
    known = KnownServers()
    chat = BlockingChat(where.host, where.port, where.tls, Trust(known.get, known.remember))
    try:
        name = where.name or fresh_name
        client_id = ClientIdentities(QSettings()).for_name(where.name) if where.name else uuid.uuid4().hex
        welcome = chat.join(name, client_id, where.password)
        if welcome.version < p.ROOMS_VERSION:
            raise ChatFailure("the server does not share files (it speaks protocol version 1)")
    except BaseException:
        chat.close()
        raise
    return chat


def _enter(chat: BlockingChat, room: str | None) -> None:
    """Be in ``room`` (join it if the welcome did not list it), so that what is sent there is allowed."""
    if room is None or chat.welcome is None:
        return
    if any(joined.room.lower() == room.lower() for joined in chat.welcome.rooms):
        return
    chat.write(p.JoinRoom(room=room))
    while True:
        event = chat.next_event()
        match event:
            case p.RoomDetails(room=name) if name.lower() == room.lower():
                return
            case p.Error(code=code, text=text, room=refused) if refused is None or refused.lower() == room.lower():
                raise ChatFailure(f"cannot enter {room}: {text}", code)


def send_text(where: Where, text: str, room: str | None, to: str | None) -> int:
    """Send ``text`` to ``room`` or ``to`` a member (neither: #lobby): its seq once ACKed."""
    fault = p.text_fault(text)
    if fault is not None:
        raise ChatFailure(f"the message cannot be sent: {fault.code.value}")
    chat = _connect(where)
    try:
        _enter(chat, room)
        chat.write(p.Chat(id=REQUEST_ID, text=text, room=room, to=to))
        ack = chat.reply_to(REQUEST_ID)
        if not isinstance(ack, p.Ack):
            raise ChatFailure(f"the server answered with {ack!r}")
        return ack.seq
    finally:
        chat.close()


def send_file(where: Where, path: Path, room: str | None, to: str | None, caption: str = "") -> str:
    """Share the file at ``path`` in ``room`` or ``to`` a member: its id once the chat announcing it is ACKed."""
    sha256 = file_sha256(path)
    size = path.stat().st_size
    chat = _connect(where)
    try:
        _enter(chat, room)
        chat.write(p.UploadRequest(id=REQUEST_ID, name=path.name, size=size, sha256=sha256, room=room, to=to))
        ready = chat.reply_to(REQUEST_ID)
        if not isinstance(ready, p.UploadReady):
            raise ChatFailure(f"the server answered the upload with {ready!r}")
        file_id = ready.file
        if file_id is None:
            with open_transfer(where.host, where.port, where.tls, chat.fingerprint, ready.token,
                               ready.offset) as conn:
                file_id = upload_bytes(conn, path, ready.offset, size)
        chat.write(p.Chat(id=REQUEST_ID, text=caption, room=room, to=to, file=file_id))
        ack = chat.reply_to(REQUEST_ID)
        if not isinstance(ack, p.Ack):
            raise ChatFailure(f"the server answered the share with {ack!r}")
        return file_id
    finally:
        chat.close()


def download_file(where: Where, file_id: str, output: Path | None) -> Path:
    """Fetch the shared file ``file_id`` to ``output`` (a file, or a folder; None: this folder) and verify it: the
    path written. An earlier attempt's ``.part`` beside it is resumed."""
    if not p.is_file_id(file_id):
        raise ChatFailure(f"{file_id!r} is not a file id ({p.FILE_ID_HEX} hex digits)")
    chat = _connect(where, DOWNLOAD_NAME.format(number=random.randrange(10_000)))
    try:
        chat.write(p.DownloadRequest(id=REQUEST_ID, file=file_id))
        ready = chat.reply_to(REQUEST_ID)
        if not isinstance(ready, p.DownloadReady):
            raise ChatFailure(f"the server answered the download with {ready!r}")
        ref = ready.file
        dest = output if output is not None and not output.is_dir() else (output or Path.cwd()) / ref.name
        part = dest.with_name(dest.name + PART_SUFFIX)
        held = part.stat().st_size if part.is_file() else 0
        offset = held if held <= ref.size else 0
        with open_transfer(where.host, where.port, where.tls, chat.fingerprint, ready.token, offset) as conn:
            download_bytes(conn, part, offset, expected_sha256=ref.sha256)
        part.replace(dest)
        return dest
    finally:
        chat.close()
