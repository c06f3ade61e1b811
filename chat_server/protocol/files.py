"""Files (protocol version 2): the file record on the wire, the requests and replies of a chat connection that set a
transfer up, the lines of a transfer connection, and the checks of their fields, made once where a line is decoded.

A member asks for an ``upload`` (or a ``download``) on its chat connection; the reply holds a one-time token; the bytes
then travel on a connection of their own to the same port, opened by a ``transfer`` line that presents the token.
A share is a ``chat`` with the ``file`` id of a verified upload. docs/protocol.md, *Files*.

This module knows only the message base (messages.py gathers it into the accepted types and gives ``Chat`` and
``Relay`` their ``file``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, ClassVar

from chat_server.protocol.file_names import safe_file_name
from chat_server.protocol.message_base import Message

__all__ = [
    "ERR_BAD_TOKEN", "ERR_BAD_UPLOAD", "ERR_BUSY", "ERR_FILE_EXPIRED", "ERR_FILE_TOO_LARGE", "ERR_HASH_MISMATCH",
    "ERR_NO_SPACE", "ERR_NO_SUCH_FILE", "ERR_QUOTA_EXCEEDED", "ERR_STORAGE_FULL", "ERR_TOO_LONG", "FILE_ID_HEX",
    "FILE_REPLIES", "FILE_REQUESTS", "MAX_FILE_BYTES", "MAX_MIME_LENGTH", "MAX_REQUEST_ID_LENGTH", "SHA256_HEX",
    "TOKEN_HEX", "TRANSFER_REPLIES", "DownloadReady", "DownloadRequest", "FileRef", "TransferOpen",
    "TransferSending", "TransferStored", "UploadReady", "UploadRequest", "file_fault", "file_id_fault",
    "file_ref_fault", "file_ref_from_json", "file_ref_json", "is_file_id", "is_sha256", "is_token",
    "request_id_fault", "upload_fault",
]

FILE_ID_HEX = 32
"""A file's id: 128 random bits as lowercase hex."""
TOKEN_HEX = 32
"""A transfer's token: 128 random bits as lowercase hex."""
SHA256_HEX = 64
"""A SHA-256 digest as lowercase hex."""
MAX_FILE_BYTES = 2**40
"""The most a size or an offset may say on the wire (1 TiB): beyond any server's ``--max-file-mb``, and far inside
what every side's integers hold. The server's own limit is checked against the request, not here."""
MAX_REQUEST_ID_LENGTH = 64
"""A request's ``id`` (chosen by the client, echoed in the reply): 1 to 64 characters, none of them a control one."""
MAX_MIME_LENGTH = 100
"""A file record's ``mime`` (the type the server found in the content): ``type/subtype``, at most this long."""

# Error codes of the file requests and of a transfer connection (the ``error``'s ``code``).
ERR_FILE_TOO_LARGE = "file_too_large"  # ``upload``: bigger than the server's --max-file-mb
ERR_QUOTA_EXCEEDED = "quota_exceeded"  # ``upload``: the member's daily quota would be passed
ERR_STORAGE_FULL = "storage_full"  # ``upload``: the file alone is bigger than all the server keeps (--max-files-gb)
ERR_NO_SPACE = "no_space"  # ``upload`` or its transfer: the server's disk is full (nothing half-written is kept)
ERR_BAD_UPLOAD = "bad_upload"  # ``upload``: a field is not what it must be
ERR_NO_SUCH_FILE = "no_such_file"  # ``download`` or a share: no such file, or not one you may have (the same answer)
ERR_FILE_EXPIRED = "file_expired"  # ``download``: the file was stored but is gone (expired or deleted)
ERR_BAD_TOKEN = "bad_token"  # transfer: a bad first line, or a token unknown, used or expired
ERR_BUSY = "busy"  # transfer: too many transfers at once (on the server, or of this member)
ERR_HASH_MISMATCH = "hash_mismatch"  # upload transfer: the bytes are not those of the sha256 announced
ERR_TOO_LONG = "too_long"  # upload transfer: more bytes than the size announced

_BAD_MESSAGE = "bad_message"  # messages.ERR_BAD_MESSAGE (messages.py imports this module)

_HEX = re.compile(r"[0-9a-f]+", re.ASCII)
_MIME = re.compile(r"[a-z0-9][a-z0-9.+-]*/[a-z0-9][a-z0-9.+-]*", re.ASCII)
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def _is_hex(value: str, length: int) -> bool:
    return len(value) == length and _HEX.fullmatch(value) is not None


def is_file_id(value: str) -> bool:
    """True if ``value`` has a file id's form (``FILE_ID_HEX`` lowercase hex digits)."""
    return _is_hex(value, FILE_ID_HEX)


def is_sha256(value: str) -> bool:
    """True if ``value`` has a SHA-256 digest's form (``SHA256_HEX`` lowercase hex digits)."""
    return _is_hex(value, SHA256_HEX)


def is_token(value: str) -> bool:
    """True if ``value`` has a transfer token's form (``TOKEN_HEX`` lowercase hex digits)."""
    return _is_hex(value, TOKEN_HEX)


@dataclass(frozen=True, slots=True)
class FileRef:
    """A stored file as the wire shows it: in a share's relay and history entry, and in ``download_ready``."""

    id: str  # FILE_ID_HEX lowercase hex: unguessable, and checked against who may read the file's conversation
    name: str  # made safe by the server (file_names.safe_file_name), and again by the decoder of a client
    size: int  # bytes
    mime: str  # the type the server found in the content (file_types.sniff_type), never the name's
    sha256: str  # of the whole content, lowercase hex
    expired: bool = False  # the content is gone (expired, or deleted by the operator): the record stays

    OMITTED: ClassVar[frozenset[str]] = frozenset({"expired"})
    """Fields JSON leaves out at their default: ``expired`` only while true."""


def file_ref_json(ref: FileRef) -> dict[str, Any]:
    """The JSON object of a file record (``expired`` only when true)."""
    obj: dict[str, Any] = {"id": ref.id, "name": ref.name, "size": ref.size, "mime": ref.mime, "sha256": ref.sha256}
    if ref.expired:
        obj["expired"] = True
    return obj


def file_ref_from_json(obj: dict[str, Any]) -> FileRef:
    """A file record from its JSON object (its fields' types checked), its name made safe: whatever a server says,
    a client never shows or saves a name with a separator or a control character."""
    return FileRef(obj["id"], safe_file_name(obj["name"]), obj["size"], obj["mime"], obj["sha256"],
                   obj.get("expired", False))


def file_ref_fault(ref: FileRef) -> str | None:
    """What is wrong with a file record beyond its fields' types, or None (its name is made safe, not refused)."""
    if not is_file_id(ref.id):
        return f"field 'id' of a file must be {FILE_ID_HEX} lowercase hex digits"
    if not 0 <= ref.size <= MAX_FILE_BYTES:
        return f"field 'size' of a file must be 0 to {MAX_FILE_BYTES}"
    if len(ref.mime) > MAX_MIME_LENGTH or _MIME.fullmatch(ref.mime) is None:
        return "field 'mime' of a file must be a media type (type/subtype, in lower case)"
    if not is_sha256(ref.sha256):
        return f"field 'sha256' of a file must be {SHA256_HEX} lowercase hex digits"
    return None


# --- client to server, on the chat connection --------------------------------


@dataclass(frozen=True, slots=True)
class UploadRequest(Message):
    """Ask to upload a file to a conversation (``room``, or ``to`` a member, neither: #lobby); answered with
    ``UploadReady`` or an ``error`` with this ``id``."""

    TYPE: ClassVar[str] = "upload"
    OMITTED: ClassVar[frozenset[str]] = frozenset({"room", "to"})
    id: str  # chosen by the client (1 to MAX_REQUEST_ID_LENGTH characters), echoed in the reply
    name: str  # the file's name as the client has it: the server makes it safe (never refused for its characters)
    size: int
    sha256: str
    room: str | None = None
    to: str | None = None


@dataclass(frozen=True, slots=True)
class DownloadRequest(Message):
    """Ask to download a shared file; answered with ``DownloadReady`` or an ``error`` with this ``id``."""

    TYPE: ClassVar[str] = "download"
    id: str
    file: str  # the file's id


# --- server to client, on the chat connection --------------------------------


@dataclass(frozen=True, slots=True)
class UploadReady(Message):
    """The upload may go: present ``token`` on a transfer connection and send the bytes from ``offset`` (what the
    server already holds of an interrupted upload of the same content). With ``file``: the content is stored
    already (offset = size), nothing to send: share that id."""

    TYPE: ClassVar[str] = "upload_ready"
    OMITTED: ClassVar[frozenset[str]] = frozenset({"file"})
    id: str
    token: str
    offset: int
    file: str | None = None


@dataclass(frozen=True, slots=True)
class DownloadReady(Message):
    """The download may go: present ``token`` on a transfer connection (with the offset to start from)."""

    TYPE: ClassVar[str] = "download_ready"
    id: str
    token: str
    file: FileRef


# --- a transfer connection ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class TransferOpen(Message):
    """The first line of a transfer connection: the token of an ``upload_ready`` or ``download_ready``, and where
    the bytes start (an upload: at most what the server holds; a download: what the client holds)."""

    TYPE: ClassVar[str] = "transfer"
    token: str
    offset: int = 0


@dataclass(frozen=True, slots=True)
class TransferStored(Message):
    """An upload's last line: the whole file is stored and its hash verified; share ``file``."""

    TYPE: ClassVar[str] = "stored"
    file: str
    sha256: str


@dataclass(frozen=True, slots=True)
class TransferSending(Message):
    """A download's first line: the bytes from ``offset`` to ``size`` follow, then the server closes."""

    TYPE: ClassVar[str] = "sending"
    size: int
    offset: int
    sha256: str


FILE_REQUESTS: tuple[type[Message], ...] = (UploadRequest, DownloadRequest)
"""The file requests of a chat connection (JSON mode, version 2)."""
FILE_REPLIES: tuple[type[Message], ...] = (UploadReady, DownloadReady)
"""Their replies (errors aside)."""
TRANSFER_REPLIES: tuple[type[Message], ...] = (TransferStored, TransferSending)
"""What the server writes on a transfer connection (with ``error``): each one line."""


def request_id_fault(request_id: str) -> str | None:
    """Why a request's ``id`` cannot be taken (it is echoed to the client and logged), or None."""
    if not 1 <= len(request_id) <= MAX_REQUEST_ID_LENGTH or _CONTROL.search(request_id):
        return f"field 'id' must be 1 to {MAX_REQUEST_ID_LENGTH} characters, none of them a control character"
    return None


def file_id_fault(file_id: str) -> str | None:
    """Why ``file_id`` is no file's id, or None."""
    return None if is_file_id(file_id) else f"field 'file' must be a file id ({FILE_ID_HEX} lowercase hex digits)"


def _offset_fault(offset: int) -> str | None:
    if not 0 <= offset <= MAX_FILE_BYTES:
        return f"field 'offset' must be 0 to {MAX_FILE_BYTES}"
    return None


def upload_fault(request: UploadRequest) -> str | None:
    """What is wrong with an ``upload`` beyond its fields' types, or None. Its name is never refused (the server
    makes it safe); its ``room`` or ``to`` is checked as a chat's."""
    if request.room is not None and request.to is not None:
        return "upload: a file goes to a room or to a member, not both"
    if not 0 <= request.size <= MAX_FILE_BYTES:
        return f"upload: field 'size' must be 0 to {MAX_FILE_BYTES}"
    if not is_sha256(request.sha256):
        return f"upload: field 'sha256' must be {SHA256_HEX} lowercase hex digits"
    return None


def file_fault(message: Message) -> tuple[str, str] | None:
    """The error code and text for a file message whose fields are wrong beyond their types (both sides' decoders:
    what a server may be sent, and what a client may), or None."""
    if isinstance(message, (UploadRequest, DownloadRequest, UploadReady, DownloadReady)):
        fault = request_id_fault(message.id)
        if fault is not None:
            code = ERR_BAD_UPLOAD if isinstance(message, UploadRequest) else _BAD_MESSAGE
            return code, f"{message.TYPE}: {fault}"
    if isinstance(message, UploadRequest):
        fault = upload_fault(message)
        return None if fault is None else (ERR_BAD_UPLOAD, fault)
    if isinstance(message, DownloadRequest):
        fault = file_id_fault(message.file)
        return None if fault is None else (ERR_NO_SUCH_FILE, f"download: {fault}")
    if isinstance(message, TransferOpen):
        fault = None if is_token(message.token) else f"field 'token' must be {TOKEN_HEX} lowercase hex digits"
        fault = fault or _offset_fault(message.offset)
        return None if fault is None else (ERR_BAD_TOKEN, f"transfer: {fault}")
    fault = _reply_fault(message)
    return None if fault is None else (_BAD_MESSAGE, f"{message.TYPE}: {fault}")


def _reply_fault(message: Message) -> str | None:
    """What is wrong with a server's file reply (as a client decodes it), or None."""
    if isinstance(message, (UploadReady, DownloadReady)) and not is_token(message.token):
        return f"field 'token' must be {TOKEN_HEX} lowercase hex digits"
    if isinstance(message, UploadReady):
        if message.file is not None and not is_file_id(message.file):
            return file_id_fault(message.file)
        return _offset_fault(message.offset)
    if isinstance(message, DownloadReady):
        return file_ref_fault(message.file)
    if isinstance(message, TransferStored):
        if not is_sha256(message.sha256):
            return f"field 'sha256' must be {SHA256_HEX} lowercase hex digits"
        return file_id_fault(message.file)
    if isinstance(message, TransferSending):
        if not 0 <= message.size <= MAX_FILE_BYTES:
            return f"field 'size' must be 0 to {MAX_FILE_BYTES}"
        if not 0 <= message.offset <= message.size:
            return "field 'offset' must be 0 to the size"
        if not is_sha256(message.sha256):
            return f"field 'sha256' must be {SHA256_HEX} lowercase hex digits"
    return None
