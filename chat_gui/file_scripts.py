"""What ``main.py send`` and ``main.py download`` do (issue 22; their command lines: file_commands.py): a message or
a file sent, or a shared file fetched, with blocking sockets and the protocol's codec, no event loop. Each raises a
ChatFailure or a TransferError saying why it did not happen.
"""

from __future__ import annotations

import random
import secrets
import uuid
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSettings

from chat_gui.client.blocking_chat import BlockingChat, ChatFailure, Trust
from chat_gui.client.identities import ClientIdentities
from chat_gui.client.pinning import KnownServers
from chat_gui.client.transfer import download_bytes, file_sha256, open_transfer, upload_bytes
from chat_server import protocol as p

PART_SUFFIX = ".part"
"""A download is written beside its destination with this added, and renamed once verified (and resumed from)."""

REQUEST_ID = f"script-{secrets.token_hex(8)}"
"""The id of the script's one request (upload, download or chat) on its connection: new in every run, since with
``--name`` the script presents the member's client id, under which the server takes a used id for a resend (and
would acknowledge a second ``send`` of the same words again instead of storing it)."""

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


def _free_path(folder: Path, name: str) -> Path:
    """Where a file named ``name`` by the server goes in ``folder``: that name, or ``NAME (1).EXT``... if something
    has it (the server's word never replaces a file: ``python main.py download`` runs beside main.py)."""
    dest = folder / name
    number = 1
    while dest.exists() or dest.is_symlink():
        dest = folder / f"{Path(name).stem} ({number}){Path(name).suffix}"
        number += 1
    return dest


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
        dest = output if output is not None and not output.is_dir() else _free_path(output or Path.cwd(), ref.name)
        part = dest.with_name(dest.name + PART_SUFFIX)
        held = part.stat().st_size if part.is_file() else 0
        offset = held if held <= ref.size else 0
        with open_transfer(where.host, where.port, where.tls, chat.fingerprint, ready.token, offset) as conn:
            download_bytes(conn, part, offset, expected_sha256=ref.sha256)
        part.replace(dest)
        return dest
    finally:
        chat.close()
