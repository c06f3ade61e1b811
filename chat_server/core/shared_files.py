"""Files (issue 22) put together for the engine: the blobs, the requests, the transfers and their upkeep, and what
the server window sees of them (``files``, ``delete_file`` and the signals)."""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from chat_server.core.conversation_hub import ConversationHub
from chat_server.core.file_requests import FileRequests
from chat_server.core.rooms import DIRECT_PREFIX
from chat_server.net.transfers import Job, Outcome, TransferThreads
from chat_server.settings import ServerSettings
from chat_server.store import FileRecord, Store, StoredMessage, StoreError
from chat_server.store.blobs import MEMORY, BlobStore, files_folder

log = logging.getLogger(__name__)

FILE_UPKEEP_INTERVAL_MS = 3600 * 1000
"""Expired files, old unshared uploads and old partial uploads are cleaned at start and then this often."""
PARTIAL_LIFETIME_S = 24 * 3600
"""An interrupted upload's partial file is kept this long for a resume."""
UNSHARED_LIFETIME_S = 24 * 3600
"""A stored upload never shared (its chat never sent) expires after this long."""


@dataclass(frozen=True, slots=True)
class SharedFileRow:
    """A file as the server window's Files tab shows it."""

    id: str
    name: str
    size: int
    mime: str
    sender: str
    conversation: str  # ``#room``, or ``alice → bob`` for a direct conversation
    time: float
    downloads: int
    expired: bool


class SharedFiles(QObject):
    """The server's files: requests and shares (``FileRequests``), transfers (``TransferThreads``), the blobs."""

    file_shared = Signal(object)  # SharedFileRow: a file's message was stored (the file may be downloaded now)
    files_changed = Signal()  # a download counted, a file expired or deleted

    def __init__(self, store: Store, hub: ConversationHub, settings: Callable[[], ServerSettings],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._blob_store: BlobStore | None = None  # made when first needed (beside the database)
        self._hub = hub
        self._settings = settings
        self.requests = FileRequests(store, self._blobs, hub, settings)
        self.requests.file_shared = lambda record: self.file_shared.emit(self._row(record))
        self.requests.files_changed = self.files_changed.emit
        self.threads = TransferThreads(self.requests.uploaded, self)
        self.requests.running_uploads = self.threads.tickets
        self.threads.finished.connect(self._on_threads_finished)
        self._upkeep = QTimer(self)
        self._upkeep.timeout.connect(self._on_upkeep_timeout)
        self._upkeep.start(FILE_UPKEEP_INTERVAL_MS)
        QTimer.singleShot(0, self, self._on_upkeep_timeout)

    def _blobs(self) -> BlobStore:
        if self._blob_store is None:
            self._blob_store = BlobStore(files_folder(self._settings().db_path))
        return self._blob_store

    def close(self) -> None:
        """The server is closing (its store next): no more upkeep, and a database in memory had its files in a
        temporary folder, which goes now."""
        self._upkeep.stop()
        if self._blob_store is not None and self._settings().db_path in (MEMORY, ""):
            shutil.rmtree(self._blob_store.folder, ignore_errors=True)

    def stop(self) -> None:
        """End the transfers (the server stops; it may listen again later): partial uploads are kept for a resume."""
        self.threads.stop()

    def committed(self, messages: list[StoredMessage]) -> None:
        self.requests.committed(messages)

    def files(self) -> list[SharedFileRow]:
        """Every shared file, the newest first (expired ones too: their records stay)."""
        try:
            return [self._row(record) for record in self._store.files() if record.shared]
        except StoreError as exc:
            log.error("could not read the files: %s", exc)
            return []

    def delete_file(self, file_id: str) -> bool:
        """Delete a file's content (the blob goes if no other record uses it); its record stays, as expired, so that
        its cards say so. False if there is no such file or it is gone already."""
        try:
            record = self._store.delete_file(file_id)
        except StoreError as exc:
            log.error("could not delete a file: %s", exc)
            return False
        if record is None:
            return False
        log.info("the operator deleted %s", record.name)
        self.requests.expired([record])
        return True

    @Slot(object, object, int)
    def _on_threads_finished(self, job: Job, outcome: Outcome, moved: int) -> None:
        self.requests.transferred(job, outcome, moved)

    @Slot()
    def _on_upkeep_timeout(self) -> None:
        """Expire what is past ``--file-retention-days`` and unshared uploads; delete old partial uploads."""
        now = time.time()
        days = self._settings().file_retention_days
        try:
            gone = self._store.expire_old_files(now - days * 86400 if days > 0 else None, now - UNSHARED_LIFETIME_S)
        except StoreError as exc:
            log.error("could not expire old files: %s", exc)
            gone = []
        self.requests.expired(gone)
        db_path = self._settings().db_path
        if self._blob_store is None and (db_path in (MEMORY, "") or not files_folder(db_path).exists()):
            return  # no partial upload can be there yet
        try:
            self._blobs().clean_partials(now - PARTIAL_LIFETIME_S)
        except OSError as exc:
            log.error("could not delete old partial uploads: %s", exc)

    def _row(self, record: FileRecord) -> SharedFileRow:
        conversation = record.conversation
        if conversation.startswith(DIRECT_PREFIX):
            names = [self._hub.name_of(key) for key in conversation[len(DIRECT_PREFIX):].split("|")]
            partner = next((name for name in names if name != record.sender), record.sender)
            shown = f"{record.sender} → {partner}"
        else:
            shown = self._hub.room_name(conversation) or "#?"
        return SharedFileRow(record.id, record.name, record.size, record.mime, record.sender, shown, record.created,
                             record.downloads, record.expired)
