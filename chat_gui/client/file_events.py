"""What the client engine reports about shared files and their transfers, as plain values (issue 22).

``SharedFile`` is the client's copy of the wire's FileRef; the transfer events are what ``ChatClient``'s
``transfer_progress``, ``transfer_finished`` and ``transfer_failed`` signals carry. A window sees these, never a
wire dataclass or an error code. No Qt here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


@dataclass(frozen=True, slots=True)
class SharedFile:
    """A file shared in a conversation: its id on the server, its (sanitised) name, size in bytes, the type the
    server found from its content, its SHA-256 (lowercase hex) and whether it has expired (no longer downloadable)."""

    id: str
    name: str
    size: int
    mime: str
    sha256: str
    expired: bool = False


class TransferDirection(StrEnum):
    """Which way a transfer's bytes go."""

    UP = "up"  # a share: this client uploads
    DOWN = "down"  # a download


class TransferProblem(StrEnum):
    """Why a transfer failed, for the window to word (the server's own words come with it)."""

    CANCELLED = "cancelled"  # cancel_transfer() (or the server's stop while it waited)
    UNAVAILABLE = "unavailable"  # offline for good, or a server without files (protocol version 1)
    TOO_LARGE = "too large"  # over the server's --max-file-mb
    QUOTA = "quota"  # the member's daily quota is used up
    STORAGE_FULL = "storage full"  # the server's storage (or its disk) cannot take it
    NOT_ALLOWED = "not allowed"  # this member may not post in that conversation
    NO_SUCH_FILE = "no such file"  # unknown, or not readable by this member (the same answer)
    EXPIRED = "expired"  # the file expired on the server
    CORRUPT = "corrupt"  # the bytes did not match the SHA-256 (on either side)
    BUSY = "busy"  # too many transfers at once on the server
    LOCAL_FILE = "local file"  # the file here could not be read or written
    CONNECTION = "connection"  # the transfer connection could not be made or kept
    OTHER = "other"  # a refusal this client does not know


@dataclass(frozen=True, slots=True)
class TransferProgress:
    """How far a transfer is: ``done`` of ``total`` bytes, its speed and the seconds left (None: not known yet)."""

    transfer_id: str
    direction: TransferDirection
    name: str
    done: int
    total: int
    bytes_per_s: float = 0.0
    seconds_left: float | None = None


@dataclass(frozen=True, slots=True)
class TransferFinished:
    """A transfer is complete and verified: ``path`` is the local file (the one shared, or the one downloaded) and
    ``file`` the file as the server knows it. A share is complete when the chat that announces it is ACKed: this
    follows that ``message_acked`` (whose id is this transfer's id, and whose ``file`` is this file)."""

    transfer_id: str
    direction: TransferDirection
    path: Path
    file: SharedFile


@dataclass(frozen=True, slots=True)
class TransferFailed:
    """A transfer ended without its file: why (``reason``) and the server's or the system's words (``text``)."""

    transfer_id: str
    direction: TransferDirection
    reason: TransferProblem
    text: str = ""


TransferReport = TransferProgress | TransferFinished | TransferFailed
"""What the engine reports about transfers, one signal each."""
