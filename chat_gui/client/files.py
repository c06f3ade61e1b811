"""The client's shares and downloads as state, sans-I/O: which request waits for which reply, which chat announces
which file, what waits for the next welcome, and what is kept across restarts (issue 22).

``ClientFiles`` belongs to the ClientSession; the engine (file_transfers.py) runs the hashing and the transfers on
threads and tells it how they ended. A share goes HASHING -> WAITING (for a connection) -> REQUESTED (``upload``
sent) -> SENDING (a transfer thread) -> ANNOUNCED (the ``chat`` with ``file`` sent; done at its ACK). A download
goes WAITING -> REQUESTED (``download`` sent) -> SENDING -> done. A connection that ends puts REQUESTED back to
WAITING; a transfer cut puts it back too, and the next welcome asks again: the server says how much it holds of an
upload, the ``.part`` file how much of a download. No Qt, no threads, no files here.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from chat_gui.client.events import LOBBY, Conversation, ConversationKind
from chat_gui.client.file_events import (
    SharedFile,
    TransferDirection,
    TransferFailed,
    TransferFinished,
    TransferProblem,
)
from chat_gui.client.transfer import server_problem
from chat_server import protocol as p

log = logging.getLogger(__name__)

MAX_TRIES = 5
"""Transfers cut in a row (each without a byte more than the last) after which one is given up."""


class Phase(StrEnum):
    """Where a share or a download is."""

    HASHING = "hashing"  # a share's file is being hashed (a thread)
    WAITING = "waiting"  # for a connection: the request goes after the next welcome
    REQUESTED = "requested"  # the upload or download request is sent; its reply is awaited
    SENDING = "sending"  # a transfer thread moves the bytes
    ANNOUNCED = "announced"  # a share's chat is sent; its ACK is awaited


def shared_file(ref: p.FileRef) -> SharedFile:
    """The client's copy of a file record from the wire."""
    return SharedFile(ref.id, ref.name, ref.size, ref.mime, ref.sha256, ref.expired)


@dataclass(slots=True)
class Share:
    """A file being shared: ``id`` is the chat's that announces it (and the transfer's)."""

    id: str
    path: str
    conversation: Conversation
    caption: str
    name: str
    size: int
    mime: str
    sha256: str = ""
    file_id: str | None = None  # the stored file's, once the server has it
    phase: Phase = Phase.HASHING
    tries: int = 0

    @property
    def shared(self) -> SharedFile:
        return SharedFile(self.file_id or "", self.name, self.size, self.mime, self.sha256)


@dataclass(slots=True)
class Download:
    """A file being downloaded to ``dest`` (written as ``dest.part`` until verified)."""

    id: str
    file: SharedFile
    dest: str
    phase: Phase = Phase.WAITING
    tries: int = 0


@dataclass(frozen=True, slots=True)
class StartUpload:
    """For the engine: send the share's bytes from ``offset`` on a transfer connection presenting ``token``."""

    share: Share
    token: str
    offset: int


@dataclass(frozen=True, slots=True)
class StartDownload:
    """For the engine: fetch the download's bytes on a transfer connection presenting ``token``."""

    download: Download
    token: str


FileOutput = p.Message | StartUpload | StartDownload | TransferFailed | TransferFinished
"""What a call asks the engine to do: write a request, start a transfer thread, or report."""


@dataclass(slots=True)
class ClientFiles:
    """The shares and downloads of one client, by transfer id."""

    shares: dict[str, Share] = field(default_factory=dict)
    downloads: dict[str, Download] = field(default_factory=dict)

    # --- what the user asks -------------------------------------------------------

    def share(self, share: Share) -> None:
        """A new share (being hashed)."""
        self.shares[share.id] = share

    def hashed(self, transfer_id: str, sha256: str, online: bool) -> list[FileOutput]:
        """A share's file is hashed: its upload request, if online (else it waits for the welcome)."""
        share = self.shares.get(transfer_id)
        if share is None or share.phase is not Phase.HASHING:
            return []
        share.sha256 = sha256
        share.phase = Phase.WAITING
        return self._ask(share) if online else []

    def download(self, download: Download, online: bool) -> list[FileOutput]:
        """A new download: its request, if online (else it waits for the welcome)."""
        self.downloads[download.id] = download
        return self._ask_download(download) if online else []

    def cancel(self, transfer_id: str) -> tuple[bool, list[FileOutput]]:
        """Forget a transfer: (whether its thread is to be stopped, what to report now). A share whose chat is sent
        cannot be taken back: nothing happens to it."""
        share = self.shares.get(transfer_id)
        if share is not None and share.phase is not Phase.ANNOUNCED:
            del self.shares[transfer_id]
            return share.phase in (Phase.HASHING, Phase.SENDING), [
                TransferFailed(transfer_id, TransferDirection.UP, TransferProblem.CANCELLED)]
        download = self.downloads.pop(transfer_id, None)
        if download is not None:
            return download.phase is Phase.SENDING, [
                TransferFailed(transfer_id, TransferDirection.DOWN, TransferProblem.CANCELLED)]
        return False, []

    # --- what the server says -----------------------------------------------------

    def upload_ready(self, ready: p.UploadReady) -> list[FileOutput]:
        share = self.shares.get(ready.id)
        if share is None or share.phase is not Phase.REQUESTED:
            return []  # cancelled meanwhile: its token expires unused
        if ready.file is not None:  # the server holds this content already
            return self.stored(share.id, ready.file)
        share.phase = Phase.SENDING
        return [StartUpload(share, ready.token, ready.offset)]

    def download_ready(self, ready: p.DownloadReady) -> list[FileOutput]:
        download = self.downloads.get(ready.id)
        if download is None or download.phase is not Phase.REQUESTED:
            return []
        download.file = shared_file(ready.file)
        download.phase = Phase.SENDING
        return [StartDownload(download, ready.token)]

    def refused(self, error: p.Error) -> list[FileOutput] | None:
        """An error for one of these transfers' requests (or a share's chat): its failure; None if not theirs."""
        if error.id is None:
            return None
        share = self.shares.get(error.id)
        if share is not None and share.phase in (Phase.REQUESTED, Phase.ANNOUNCED):
            del self.shares[error.id]
            return [TransferFailed(share.id, TransferDirection.UP, server_problem(error.code), error.text)]
        download = self.downloads.get(error.id)
        if download is not None and download.phase is Phase.REQUESTED:
            del self.downloads[error.id]
            return [TransferFailed(download.id, TransferDirection.DOWN, server_problem(error.code), error.text)]
        return None

    def acked(self, chat_id: str) -> tuple[SharedFile | None, list[FileOutput]]:
        """A chat is ACKed: the file it shared (if it is a share of this client's) and the share's end."""
        share = self.shares.get(chat_id)
        if share is None or share.phase is not Phase.ANNOUNCED:
            return None, []
        del self.shares[chat_id]
        shared = share.shared
        return shared, [TransferFinished(share.id, TransferDirection.UP, Path(share.path), shared)]

    # --- what the engine's threads say --------------------------------------------

    def stored(self, transfer_id: str, file_id: str) -> list[FileOutput]:
        """A share's file is stored on the server: the chat that announces it (the session sends it as a chat)."""
        share = self.shares.get(transfer_id)
        if share is None or share.phase not in (Phase.REQUESTED, Phase.SENDING):
            return []
        share.file_id = file_id
        share.phase = Phase.ANNOUNCED
        share.tries = 0
        return [self.chat(share)]

    def downloaded(self, transfer_id: str) -> list[FileOutput]:
        """A download is verified and in place."""
        download = self.downloads.pop(transfer_id, None)
        if download is None:
            return []
        return [TransferFinished(download.id, TransferDirection.DOWN, Path(download.dest), download.file)]

    def broke(self, transfer_id: str, problem: TransferProblem, text: str, progressed: bool,
              online: bool) -> list[FileOutput]:
        """A hash or transfer thread ended without its result: a cut connection is tried again (now if online,
        else after the next welcome) up to MAX_TRIES times in a row; any other problem ends the transfer."""
        share = self.shares.get(transfer_id)
        download = self.downloads.get(transfer_id)
        job: Share | Download | None = share or download
        if job is None or job.phase not in (Phase.HASHING, Phase.SENDING):
            return []
        job.tries = 0 if progressed else job.tries + 1
        if problem in (TransferProblem.CONNECTION, TransferProblem.BUSY) and job.tries < MAX_TRIES:
            job.phase = Phase.WAITING
            if not online:
                return []
            return self._ask(share) if share is not None else self._ask_download(download) if download else []
        direction = TransferDirection.UP if share is not None else TransferDirection.DOWN
        self.shares.pop(transfer_id, None)
        self.downloads.pop(transfer_id, None)
        return [TransferFailed(transfer_id, direction, problem, text)]

    # --- the connection ------------------------------------------------------------

    def welcomed(self, available: bool) -> list[FileOutput]:
        """A welcome: the requests that waited for it (on a server without files, ``available`` False: they fail)."""
        outputs: list[FileOutput] = []
        for share in list(self.shares.values()):
            if share.phase is Phase.WAITING:
                outputs += self._ask(share) if available else self._unavailable(share.id)
        for download in list(self.downloads.values()):
            if download.phase is Phase.WAITING:
                outputs += self._ask_download(download) if available else self._unavailable(download.id)
        return outputs

    def closed(self) -> None:
        """The chat connection is over: requests unanswered are asked again after the next welcome (a share's chat
        is resent by the session's outbox, and threads running end by themselves)."""
        jobs: list[Share | Download] = [*self.shares.values(), *self.downloads.values()]
        for job in jobs:
            if job.phase is Phase.REQUESTED:
                job.phase = Phase.WAITING

    # --- what is kept across restarts ------------------------------------------------

    def kept(self) -> list[dict[str, Any]]:
        """The transfers not done, as JSON values (transfers.json): enough to resume them in a later run."""
        entries: list[dict[str, Any]] = []
        for share in self.shares.values():
            room = share.conversation.name if share.conversation.is_room else None
            entries.append({"kind": "share", "id": share.id, "path": share.path, "room": room,
                            "to": _to(share.conversation), "caption": share.caption, "name": share.name,
                            "size": share.size, "mime": share.mime, "sha256": share.sha256, "file": share.file_id})
        for download in self.downloads.values():
            ref = download.file
            entries.append({"kind": "download", "id": download.id, "dest": download.dest, "file": ref.id,
                            "name": ref.name, "size": ref.size, "mime": ref.mime, "sha256": ref.sha256})
        return entries

    def restore(self, entries: list[Any]) -> list[Share]:
        """Take back what ``kept`` gave in an earlier run (each waits for the next welcome; an entry that does not
        read is skipped): the shares whose file is still to be hashed (an earlier run stopped while hashing)."""
        to_hash: list[Share] = []
        for entry in entries:
            try:
                if entry["kind"] == "share":
                    conversation = (Conversation.direct(str(entry["to"])) if entry.get("to")
                                    else Conversation.room(str(entry["room"])))
                    share = Share(str(entry["id"]), str(entry["path"]), conversation, str(entry["caption"]),
                                  str(entry["name"]), int(entry["size"]), str(entry["mime"]), str(entry["sha256"]),
                                  str(entry["file"]) if entry.get("file") else None)
                    if share.id in self.shares:
                        continue
                    share.phase = Phase.ANNOUNCED if share.file_id else Phase.WAITING if share.sha256 else Phase.HASHING
                    self.shares[share.id] = share
                    if share.phase is Phase.HASHING:
                        to_hash.append(share)
                elif entry["kind"] == "download" and str(entry["id"]) not in self.downloads:
                    ref = SharedFile(str(entry["file"]), str(entry["name"]), int(entry["size"]), str(entry["mime"]),
                                     str(entry["sha256"]))
                    self.downloads[str(entry["id"])] = Download(str(entry["id"]), ref, str(entry["dest"]))
            except (KeyError, TypeError, ValueError) as exc:
                log.warning("a kept transfer could not be read (%s): dropped", exc)
        return to_hash

    def announced(self) -> list[p.Chat]:
        """The chats of shares restored as stored but not ACKed: the session sends them again (the server knows a
        resend by its id)."""
        return [self.chat(share) for share in self.shares.values() if share.phase is Phase.ANNOUNCED]

    def chat(self, share: Share) -> p.Chat:
        """The chat that announces a share's stored file."""
        return p.Chat(id=share.id, text=share.caption, room=_room(share.conversation), to=_to(share.conversation),
                      file=share.file_id)

    # --- helpers ----------------------------------------------------------------------

    def _ask(self, share: Share) -> list[FileOutput]:
        share.phase = Phase.REQUESTED
        return [p.UploadRequest(id=share.id, name=share.name, size=share.size, sha256=share.sha256,
                                room=_room(share.conversation), to=_to(share.conversation))]

    def _ask_download(self, download: Download) -> list[FileOutput]:
        download.phase = Phase.REQUESTED
        return [p.DownloadRequest(id=download.id, file=download.file.id)]

    def _unavailable(self, transfer_id: str) -> list[FileOutput]:
        direction = TransferDirection.UP if transfer_id in self.shares else TransferDirection.DOWN
        self.shares.pop(transfer_id, None)
        self.downloads.pop(transfer_id, None)
        return [TransferFailed(transfer_id, direction, TransferProblem.UNAVAILABLE)]


def _to(conversation: Conversation) -> str | None:
    """A conversation's ``to`` on the wire: the partner of a direct one."""
    return conversation.name if conversation.kind is ConversationKind.DIRECT else None


def _room(conversation: Conversation) -> str | None:
    """A conversation's ``room`` on the wire: a room's name, but None for #lobby (the default)."""
    return conversation.name if conversation.is_room and conversation != LOBBY else None
