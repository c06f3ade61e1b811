"""Files (issue 22) on the chat connection: ``upload`` and ``download`` requests, their one-time tokens, the check of
a share (a ``chat`` with ``file``) and the file recorded as shared once its message is stored.

A request is answered from what is known on the Qt thread (the rooms' rules, the store's records, the blobs' sizes);
the bytes themselves travel on a transfer connection (chat_server/net/transfers.py) that presents the token. Limits
(``--max-file-mb``, the daily ``--file-quota-mb``, the total ``--max-files-gb``) are checked at the request;
beyond the total the oldest files expire to make room.
"""

from __future__ import annotations

import functools
import logging
import secrets
import time
from collections.abc import Callable

from chat_server import protocol as p
from chat_server.core.conversation_hub import ConversationHub
from chat_server.core.file_tokens import Token, TokenBook, Upload
from chat_server.core.rooms import DIRECT_PREFIX, LOBBY_CONVERSATION, Refused
from chat_server.net.connection import ClientConnection
from chat_server.net.transfers import DownloadJob, Job, Outcome, UploadJob, outcome_line
from chat_server.protocol import files as f
from chat_server.protocol.file_names import safe_file_name
from chat_server.protocol.file_types import SNIFF_BYTES, sniff_type
from chat_server.settings import ServerSettings
from chat_server.store import FileRecord, Store, StoredMessage, StoreError
from chat_server.store.blobs import BlobStore

log = logging.getLogger(__name__)

QUOTA_WINDOW_S = 24 * 3600
"""The daily quota counts what a member uploaded within this long."""
MB = 1000 * 1000
GB = 1000 * MB
MAX_REFS = 10_000
"""File records kept as the wire shows them (read again when they are no longer here)."""


def error_line(code: str, text: str) -> bytes:
    """A transfer connection's error line."""
    return p.encode(p.Error(code, text))


class FileRequests:
    """Answers ``upload`` and ``download``, gives and takes the tokens, checks shares and records the files."""

    def __init__(self, store: Store, blobs: Callable[[], BlobStore], hub: ConversationHub,
                 settings: Callable[[], ServerSettings]) -> None:
        """``blobs()``: the blob store (made when first asked for: a server that never sees a file makes no folder)."""
        self._store = store
        self._blob_store = blobs
        self._hub = hub
        self._settings = settings
        self._tokens = TokenBook()
        self._refs: dict[str, f.FileRef] = {}  # file id -> its record as the wire shows it (read once)
        self.shares_pending = False  # a share was added to the batch: the next commits record what it shared
        self.running_uploads: Callable[[], list[object]] = list  # the tickets of the uploads running (TransferThreads')
        self.file_shared: Callable[[FileRecord], None] = lambda record: None  # the engine's signals
        self.files_changed: Callable[[], None] = lambda: None

    @property
    def _blobs(self) -> BlobStore:
        return self._blob_store()

    # --- the requests ------------------------------------------------------------------------------

    def upload(self, conn: ClientConnection, request: f.UploadRequest) -> None:
        """Answer an ``upload``: a token and the offset to send from, or an error with the request's id."""
        settings = self._settings()
        conversation = self._writable(conn, request.room, request.to)
        if conversation is None:
            where = request.room or request.to or p.LOBBY
            self._refuse(conn, request.id, p.ERR_NOT_ALLOWED, f"You cannot share a file in {where}.")
            return
        if settings.max_file_mb and request.size > settings.max_file_mb * MB:  # (0: no limit)
            self._refuse(conn, request.id, f.ERR_FILE_TOO_LARGE,
                         f"The file is larger than this server takes ({settings.max_file_mb} MB).")
            return
        if settings.max_files_gb and request.size > settings.max_files_gb * GB:
            self._refuse(conn, request.id, f.ERR_STORAGE_FULL,
                         f"The file is larger than all this server keeps ({settings.max_files_gb:g} GB).")
            return
        key = self._hub.key_of(conn)
        name = safe_file_name(request.name)
        upload = Upload(key, name, request.size, request.sha256, conversation, conn.name)
        # Nothing to send only for content this member uploaded itself: a digest and a size are not the bytes. A
        # member who only saw a file's record (removed from its room since, say) would otherwise claim it for a
        # conversation of its own and fetch it from there. Others send the bytes, which are still stored once.
        try:
            stored = self._blobs.blob_size(request.sha256) == request.size \
                and self._store.holds_content(key, request.sha256, request.size)
        except StoreError as exc:
            log.error("could not read a file's record: %s", exc)
            stored = False
        if stored and self._answer_again(conn, request.id, upload):
            return
        try:
            used = self._store.member_bytes_since(key, time.time() - QUOTA_WINDOW_S) if settings.file_quota_mb else 0
            if settings.file_quota_mb:
                used += self._on_the_way(key, request.sha256, request.size)
        except (StoreError, OSError) as exc:
            log.error("could not count a member's uploads: %s", exc)
            self._refuse(conn, request.id, p.ERR_NOT_STORED, "The server could not read its records of files.")
            return
        if settings.file_quota_mb and used + request.size > settings.file_quota_mb * MB:
            self._refuse(conn, request.id, f.ERR_QUOTA_EXCEEDED,
                         f"You may upload {settings.file_quota_mb} MB a day; {used / MB:.1f} MB are used.")
            return
        # The same content is stored once: nothing to send (this member's own, of this size: see above).
        if stored:
            record = self._record(upload)
            if record is None:
                self._refuse(conn, request.id, p.ERR_NOT_STORED, "The server could not record the file.")
                return
            token = self._tokens.give(Token(key=key, host=conn.session.host))  # for nothing to send
            conn.reply(f.UploadReady(id=request.id, token=token, offset=request.size, file=record.id))
            return
        if not self._make_room(request.size):
            self._refuse(conn, request.id, f.ERR_STORAGE_FULL, "The server's file storage is full.")
            return
        held = self._blobs.held(key, request.sha256, request.size)
        if self._blobs.free_bytes() < request.size - held:
            self._refuse(conn, request.id, f.ERR_NO_SPACE, "The server's disk is too full for this file.")
            return
        token = self._tokens.give(Token(upload=upload, key=key, host=conn.session.host))
        conn.reply(f.UploadReady(id=request.id, token=token, offset=held))

    def _answer_again(self, conn: ClientConnection, request_id: str, upload: Upload) -> bool:
        """If ``upload`` is recorded already and not shared yet (asked for again, its ``stored`` line lost to a cut,
        say), answer with that file (counted once against the quota, one row): True."""
        try:
            found = self._store.unshared_file(upload.key, upload.conversation, upload.sha256, upload.size, upload.name)
        except StoreError as exc:
            log.error("could not read a file's record: %s", exc)
            return False
        if found is None:
            return False
        token = self._tokens.give(Token(key=upload.key, host=conn.session.host))  # for nothing to send
        conn.reply(f.UploadReady(id=request_id, token=token, offset=upload.size, file=found.id))
        return True

    def download(self, conn: ClientConnection, request: f.DownloadRequest) -> None:
        """Answer a ``download``: a token and the file's record, or ``no_such_file`` (unknown and not allowed alike)
        or ``file_expired``."""
        record = self._readable(self._hub.key_of(conn), request.file)
        if record is None:
            self._refuse(conn, request.id, f.ERR_NO_SUCH_FILE, "There is no such file, or not for you.")
            return
        if record.expired or not self._blobs.has_blob(record.sha256):
            self._refuse(conn, request.id, f.ERR_FILE_EXPIRED, f"{record.name} is no longer on the server.")
            return
        token = self._tokens.give(Token(download=record, key=self._hub.key_of(conn), host=conn.session.host))
        conn.reply(f.DownloadReady(id=request.id, token=token, file=ref_of(record)))

    def may_share(self, conn: ClientConnection, chat: p.Chat, conversation: str) -> bool:
        """True if ``chat``'s file is a complete, verified upload of ``conn``'s member for ``conversation``; else
        the chat is refused with ``no_such_file`` (and False)."""
        record = self._file(chat.file or "")
        if record is None or record.expired or record.sender_key != self._hub.key_of(conn) \
                or record.conversation != conversation:
            conn.reply(p.Error(f.ERR_NO_SUCH_FILE, "Not sent: there is no such file of yours for this conversation.",
                               id=chat.id))
            return False
        self.shares_pending = True
        return True

    def committed(self, messages: list[StoredMessage]) -> None:
        """Messages were stored (the store marked the files they share as shared in the same transaction): the
        observers are told of each share."""
        self.shares_pending = False
        for stored in messages:
            if stored.file is not None:
                record = self._file(stored.file)
                if record is not None:
                    self.file_shared(record)

    # --- the transfer connections --------------------------------------------------------------------

    def tokens_held(self, host: str) -> int:
        """How many live tokens were given to connections from ``host`` (their transfers may be on their way)."""
        return self._tokens.held_by(host)

    def token_key(self, token: str) -> str | None:
        """The member key a live token was given to (for the limits of transfers at once), or None."""
        return self._tokens.key_of(token)

    def take(self, token: str, offset: int) -> Job | bytes:
        """The work a transfer line's token stands for (the token is used up), or the error line to answer."""
        found = self._tokens.take(token)
        if found is None:
            return error_line(f.ERR_BAD_TOKEN, "Unknown, used or expired token.")
        if found.download is not None:
            # Asked again: the member may have left the room, or the file expired, since the token was given.
            record = self._readable(found.key, found.download.id)
            if record is None:
                return error_line(f.ERR_NO_SUCH_FILE, "There is no such file, or not for you.")
            if record.expired or not self._blobs.has_blob(record.sha256):
                return error_line(f.ERR_FILE_EXPIRED, f"{record.name} is no longer on the server.")
            if offset > record.size:
                return error_line(f.ERR_BAD_TOKEN, f"The offset is beyond the file's size ({record.size}).")
            sending = f.TransferSending(size=record.size, offset=offset, sha256=record.sha256)
            return DownloadJob(found.key, self._blobs.blob_path(record.sha256), offset, record.size,
                               p.encode(sending), record.id)
        upload = found.upload
        if upload is None:  # a token of a file stored already: there is nothing to send
            return error_line(f.ERR_BAD_TOKEN, "Nothing to send: the file is stored already.")
        held = self._blobs.held(upload.key, upload.sha256, upload.size)
        if offset > held:
            return error_line(f.ERR_BAD_TOKEN, f"The offset is beyond what the server holds ({held}).")
        return UploadJob(upload.key, self._blobs.partial_path(upload.key, upload.sha256, upload.size), offset,
                         upload.size, upload.sha256,
                         functools.partial(self._blobs.open_partial, upload.key, upload.sha256, upload.size, offset),
                         self._blobs.finish, upload)

    def uploaded(self, job: UploadJob, outcome: Outcome, head: bytes) -> bytes:
        """An upload came to ``outcome`` (on the Qt thread; ``head``: its first bytes): recorded if stored; the last
        line to send."""
        if outcome is not Outcome.STORED:
            return outcome_line(outcome)
        upload = job.ticket
        assert isinstance(upload, Upload)
        record = self._record(upload, sniff_type(head))
        if record is None:
            return error_line(p.ERR_NOT_STORED, "The server could not record the file.")
        return p.encode(f.TransferStored(file=record.id, sha256=record.sha256))

    def transferred(self, job: Job, outcome: Outcome, moved: int) -> None:
        """A transfer is over: a download sent to its end is counted."""
        del moved
        if isinstance(job, DownloadJob) and outcome is Outcome.SENT and isinstance(job.ticket, str):
            try:
                self._store.count_download(job.ticket)
            except StoreError as exc:
                log.error("could not count a download: %s", exc)
                return
            self.files_changed()

    # --- the records ------------------------------------------------------------------------------------

    def ref(self, file_id: str) -> f.FileRef | None:
        """A stored file's record as the wire shows it (relays and history), or None if there is none."""
        found = self._refs.get(file_id)
        if found is None:
            record = self._file(file_id)
            if record is None:
                return None
            found = ref_of(record)
            if len(self._refs) > MAX_REFS:
                self._refs.clear()
            self._refs[file_id] = found
        return found

    def forget_refs(self) -> None:
        """Files expired or were deleted: their records are read again when next shown."""
        self._refs.clear()

    def _record(self, upload: Upload, mime: str | None = None) -> FileRecord | None:
        """Record a stored upload as a file of its member for its conversation (not shared until its chat is);
        ``mime`` found by the transfer's thread, else (the same content stored before) from the blob's first bytes.
        The same upload recorded and not shared yet is that record (asked for again: counted once, one row)."""
        try:
            found = self._store.unshared_file(upload.key, upload.conversation, upload.sha256, upload.size,
                                              upload.name)
        except StoreError as exc:
            log.error("could not read a file's record: %s", exc)
            return None
        if found is not None:
            return found
        if mime is None:
            try:
                with open(self._blobs.blob_path(upload.sha256), "rb") as blob:
                    mime = sniff_type(blob.read(SNIFF_BYTES))
            except OSError as exc:
                log.error("could not read a stored file: %s", exc)
                return None
        record = FileRecord(id=secrets.token_hex(f.FILE_ID_HEX // 2), sha256=upload.sha256, name=upload.name,
                            size=upload.size, mime=mime, conversation=upload.conversation, sender=upload.sender,
                            sender_key=upload.key, created=time.time())
        try:
            self._store.add_file(record)
        except StoreError as exc:
            log.error("could not record a file: %s", exc)
            return None
        return record

    def _on_the_way(self, key: str, sha256: str, size: int) -> int:
        """What member ``key`` uploads and has not stored yet, beside the upload of ``sha256`` and ``size`` (whose
        bytes its size counts): its partial files (each kept a day), and the rest of each upload it holds a token
        for or is sending (each content once; one stored meanwhile is counted as stored)."""
        blobs = self._blobs
        uploads = self._tokens.uploads_of(key)
        uploads += [upload for upload in self.running_uploads() if isinstance(upload, Upload) and upload.key == key]
        coming = {(upload.sha256, upload.size) for upload in uploads} - {(sha256, size)}
        total = blobs.partial_bytes(key) - blobs.held(key, sha256, size)
        for digest, length in coming:
            if blobs.blob_size(digest) != length:
                total += length - blobs.held(key, digest, length)
        return total

    def _file(self, file_id: str) -> FileRecord | None:
        try:
            return self._store.file(file_id)
        except StoreError as exc:
            log.error("could not read a file's record: %s", exc)
            return None

    def _readable(self, key: str, file_id: str) -> FileRecord | None:
        """The shared file ``file_id`` if member ``key`` may read its conversation, else None."""
        record = self._file(file_id)
        if record is None or not record.shared:
            return None
        conversation = record.conversation
        if conversation == LOBBY_CONVERSATION:
            return record
        if conversation.startswith(DIRECT_PREFIX):
            return record if key in conversation[len(DIRECT_PREFIX):].split("|") else None
        room = self._hub.room_name(conversation)
        if room is None:
            return None
        members = self._hub.model.members(key, room)
        return record if not isinstance(members, Refused) and key in members else None

    def _writable(self, conn: ClientConnection, room: str | None, to: str | None) -> str | None:
        """The conversation a file for ``room`` or ``to`` goes to, if ``conn`` may post there; else None."""
        hub = self._hub
        if (room is not None or to is not None) and not hub.speaks_rooms(conn):
            return None
        key = hub.key_of(conn)
        if to is not None:
            found = hub.lookup(to)
            if found is None:
                return None
            delivery = hub.model.direct_message(key, found[0])
            return None if isinstance(delivery, Refused) else delivery.conversation
        if room is None:
            return LOBBY_CONVERSATION
        conversation = hub.model.room_message_conversation(key, room)
        return None if isinstance(conversation, Refused) else conversation

    def _make_room(self, size: int) -> bool:
        """Expire the oldest files until ``size`` more bytes fit in ``--max-files-gb``; False if they cannot."""
        limit = int(self._settings().max_files_gb * GB)
        if not limit:  # no total
            return True
        try:
            if self._store.stored_bytes() + size <= limit:
                return True
            gone = self._store.expire_files(limit - size)
        except StoreError as exc:
            log.error("could not make room for a file: %s", exc)
            return False
        self.expired(gone)
        return True

    def expired(self, gone: list[FileRecord]) -> None:
        """Files expired: their blobs go when no live record uses them, and the observers are told."""
        if not gone:
            return
        for record in gone:
            try:
                if not self._store.sha_in_use(record.sha256):
                    self._blobs.delete_blob(record.sha256)
            except (StoreError, OSError) as exc:
                log.error("could not delete an expired file's content: %s", exc)
        self.forget_refs()
        self.files_changed()

    @staticmethod
    def _refuse(conn: ClientConnection, request_id: str, code: str, text: str) -> None:
        conn.reply(p.Error(code, text, id=request_id))


def ref_of(record: FileRecord) -> f.FileRef:
    """A file's record as the wire shows it."""
    return f.FileRef(id=record.id, name=record.name, size=record.size, mime=record.mime, sha256=record.sha256,
                     expired=record.expired)
