"""Sharing files in the client window: the attach button, files dropped on the window, an image pasted, and what a
file card's buttons do (Save, Open, Cancel), with the transfers' progress on the cards and images' thumbnails.

A part of the client window: it drives the ChatClient's file methods (``share_file``, ``download_file``,
``cancel_transfer``) and shows what its transfer signals report on the cards (file_card.py) in the transcripts;
it never touches a socket. A share goes to the conversation in view and shows at once as this member's message with
its card, its upload's progress on it, and the usual ACK mark once the server has stored the file and the message.
Images small enough (``THUMBNAIL_MAX_BYTES``) are fetched into the cache folder as their card comes in sight, and
their thumbnail made there under limits (thumbnails.py); Open fetches into the same folder.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QStandardPaths, Qt, QUrl, Slot
from PySide6.QtGui import (
    QDesktopServices,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QImage,
    QKeyEvent,
    QKeySequence,
)
from PySide6.QtWidgets import QLineEdit, QToolButton, QWidget

from chat_gui.client import (
    Acked,
    ChatClient,
    ClientState,
    Conversation,
    SharedFile,
    TransferDirection,
    TransferFailed,
    TransferFinished,
    TransferProblem,
    TransferProgress,
)
from chat_gui.client_window.card_menu import CardMenu
from chat_gui.client_window.conversation_pane import ConversationPane
from chat_gui.client_window.file_card import FileCard, Thumbnail, is_executable
from chat_gui.client_window.file_dialogs import AttachDialog, OpenProgramQuestion, SaveDialog
from chat_gui.client_window.thumbnails import ThumbnailMaker
from chat_gui.client_window.transcript import Delivery, Entry, EntryKind, TranscriptModel
from chat_gui.client_window.transcript_cards import THUMBNAIL_WIDTH, CardAction
from chat_gui.client_window.transcript_view import TranscriptView
from resources import attach_icon

PASTED_FOLDER = "pasted"
"""Under the cache folder: images pasted from the clipboard, saved as PNG to be shared (kept for a resumed upload,
deleted once the share is ACKed)."""


class Purpose(Enum):
    """Why a transfer of this window's runs."""

    UPLOAD = "upload"
    SAVE = "save"
    OPEN = "open"
    THUMBNAIL = "thumbnail"


@dataclass(slots=True)
class Job:
    """A transfer this window started: for which card (in which transcript), and why."""

    entry: Entry
    model: TranscriptModel
    purpose: Purpose
    open_after: bool = False  # a thumbnail's fetch that Open waits for too


class FileOpener:
    """Opens a file with the desktop's program for it (tests replace ``open``)."""

    @classmethod
    def open(cls, path: Path) -> bool:
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class FileSharing(QObject):
    """The window's files: sharing them, and the cards' buttons, progress and thumbnails."""

    def __init__(self, client: ChatClient, pane: ConversationPane, view: TranscriptView, edit: QLineEdit,
                 sent_in: dict[str, Conversation], window: QWidget, cache_folder: Path | None = None) -> None:
        """``sent_in``: own messages not yet settled, id -> their conversation (the window's news settles them);
        ``cache_folder``: where files are fetched for thumbnails and Open (default: the system's cache folder)."""
        super().__init__(window)
        self.client = client
        self.pane = pane
        self.view = view
        self.edit = edit
        self.window = window
        self.sent_in = sent_in
        default = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.CacheLocation)) / "files"
        self.cache_folder = cache_folder if cache_folder is not None else default
        self.attach_button = QToolButton()
        self.attach_button.setIcon(attach_icon())
        self.attach_button.setToolTip(self.tr("Share files in this conversation (or drop them on the window, or "
                                              "paste an image)"))
        self.attach_button.setAccessibleName(self.tr("Share a file"))
        self.attach_button.setEnabled(False)  # while online (as Status is)
        self.thumbnails = ThumbnailMaker(THUMBNAIL_WIDTH, self)
        self.card_menu = CardMenu(view)  # Enter and the context menu on a card: its buttons by keyboard
        self._jobs: dict[str, Job] = {}  # transfer id -> what it is for
        self._waiting_thumbnails: dict[str, list[tuple[Entry, TranscriptModel]]] = {}  # file id -> its cards
        window.setAcceptDrops(True)

    def connect_signals(self) -> None:
        """Called by the window's ``_connect_signals``."""
        client = self.client
        client.transfer_progress.connect(self._on_client_transfer_progress)
        client.transfer_finished.connect(self._on_client_transfer_finished)
        client.transfer_failed.connect(self._on_client_transfer_failed)
        client.message_acked.connect(self._on_client_message_acked)
        client.state_changed.connect(self._on_client_state_changed)
        self.view.card_clicked.connect(self._on_view_card_clicked)
        self.view.card_shown.connect(self._on_view_card_shown, Qt.ConnectionType.QueuedConnection)
        self.thumbnails.thumbnail_made.connect(self._on_thumbnails_thumbnail_made)
        self.attach_button.clicked.connect(self._on_attach_button_clicked)
        self.window.installEventFilter(self)
        self.edit.installEventFilter(self)

    # --- sharing ----------------------------------------------------------------------------------

    def share(self, path: Path, caption: str = "") -> str | None:
        """Share the file at ``path`` in the conversation in view, with ``caption`` under its card; its message id,
        or None if it was not shared (the transcript says why)."""
        conversation = self.pane.current
        transcript = self.pane.transcript(conversation)
        if not path.is_file():
            transcript.add(Entry(EntryKind.ERROR, self.tr("{name} is not a file that can be shared.").format(
                name=path.name), time.time()))
            return None
        message_id = self.client.share_file(path, conversation, caption)
        if message_id is None:
            transcript.add(Entry(EntryKind.INFO, self.tr("Files can be shared only while connected to a server "
                                                         "that takes them."), time.time()))
            return None
        card = FileCard(path.name, path.stat().st_size, local_path=path, transfer_id=message_id,
                        direction=TransferDirection.UP)
        entry = Entry(EntryKind.OWN, caption, time.time(), sender=self.client.name, message_id=message_id,
                      delivery=Delivery.SENDING, card=card)
        self.sent_in[message_id] = conversation
        transcript.add(entry)
        self._jobs[message_id] = Job(entry, transcript, Purpose.UPLOAD)
        self.view.follow = True
        return message_id

    def share_image(self, image: QImage) -> str | None:
        """Save ``image`` (from the clipboard) as a PNG in the cache folder and share it."""
        folder = self.cache_folder / PASTED_FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / time.strftime("pasted-image-%Y%m%d-%H%M%S.png")
        serial = 1
        while path.exists():
            serial += 1
            path = folder / time.strftime(f"pasted-image-%Y%m%d-%H%M%S-{serial}.png")
        if not image.save(str(path)):  # a PNG, as its name says
            self.pane.transcript(self.pane.current).add(Entry(EntryKind.ERROR, self.tr(
                "The pasted image could not be saved to be shared."), time.time()))
            return None
        return self.share(path)

    @Slot()
    def _on_attach_button_clicked(self) -> None:
        for path in AttachDialog.ask(self.window):
            self.share(path)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Files dropped on the window (or on the message field), and Ctrl+V of an image in the message field."""
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove) and isinstance(event, QDragEnterEvent | QDropEvent):
            if _local_files(event):
                event.acceptProposedAction()
                return True
        elif kind == QEvent.Type.Drop and isinstance(event, QDropEvent):
            files = _local_files(event)
            if files:
                event.acceptProposedAction()
                for path in files:
                    self.share(path)
                return True
        elif (watched is self.edit and kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
              and event.matches(QKeySequence.StandardKey.Paste)):
            return self._paste()
        return super().eventFilter(watched, event)

    def _paste(self) -> bool:
        """Share what the clipboard holds if it is an image (and no text) or files; whether it did."""
        data = QGuiApplication.clipboard().mimeData()
        if data is None:
            return False
        files = [Path(url.toLocalFile()) for url in data.urls() if url.isLocalFile()]
        if data.hasUrls() and files and len(files) == len(data.urls()) and all(path.is_file() for path in files):
            for path in files:
                self.share(path)
            return True
        if data.hasImage() and not data.hasText():
            image = QGuiApplication.clipboard().image()
            if not image.isNull():
                self.share_image(image)
                return True
        return False

    # --- the cards' buttons -------------------------------------------------------------------------

    @Slot(object, str)
    def _on_view_card_clicked(self, entry: Entry, action: str) -> None:
        card, model = entry.card, self.view.model()
        if card is None or not isinstance(model, TranscriptModel):
            return
        if action == CardAction.CANCEL:
            if card.transfer_id:
                self.client.cancel_transfer(card.transfer_id)
            return
        if card.file is None or card.expired or card.running:
            return
        if action == CardAction.SAVE:
            destination = SaveDialog.ask(self.window, card.name)
            if destination is not None:
                self._download(entry, model, destination, Purpose.SAVE)
        elif action == CardAction.OPEN:
            if is_executable(card.name, card.mime) and not OpenProgramQuestion.ask(self.window, card.name,
                                                                                   entry.sender):
                return
            cached = self._cached_path(card.file)
            fetching = next((job for job in self._jobs.values() if job.purpose is Purpose.THUMBNAIL
                             and job.entry.card is not None and job.entry.card.file == card.file), None)
            if fetching is not None:  # on its way to the cache already, for the thumbnail: opened when it is there
                fetching.open_after = True
            elif cached.is_file():
                FileOpener.open(cached)
            else:
                self._download(entry, model, cached, Purpose.OPEN)

    def save(self, entry: Entry, destination: Path) -> str | None:
        """Download the file of ``entry``'s card to ``destination`` (as Save does once asked where)."""
        model = self.view.model()
        if entry.card is None or entry.card.file is None or not isinstance(model, TranscriptModel):
            return None
        return self._download(entry, model, destination, Purpose.SAVE)

    def _download(self, entry: Entry, model: TranscriptModel, destination: Path, purpose: Purpose) -> str | None:
        card = entry.card
        if card is None or card.file is None:
            return None
        destination.parent.mkdir(parents=True, exist_ok=True)
        transfer_id = self.client.download_file(card.file, destination)
        self._jobs[transfer_id] = Job(entry, model, purpose)
        if purpose is not Purpose.THUMBNAIL:  # a thumbnail's fetch shows no bar: nobody asked for it
            card.transfer_id, card.direction, card.done, card.problem = transfer_id, TransferDirection.DOWN, 0, ""
            card.bytes_per_s, card.seconds_left = 0.0, None
            model.entry_changed(entry)
        return transfer_id

    def _cached_path(self, file: SharedFile) -> Path:
        return self.cache_folder / file.id / file.name

    # --- thumbnails ---------------------------------------------------------------------------------

    @Slot(object)
    def _on_view_card_shown(self, entry: Entry) -> None:
        card, model = entry.card, self.view.model()
        if card is None or card.file is None or not card.wants_thumbnail() or not isinstance(model, TranscriptModel):
            return
        card.thumbnail_state = Thumbnail.COMING
        file_id = card.file.id
        waiting = self._waiting_thumbnails.setdefault(file_id, [])
        waiting.append((entry, model))
        if len(waiting) > 1:
            return  # the same file's thumbnail is coming already
        local = card.local_path if card.local_path is not None and card.local_path.is_file() else None
        cached = self._cached_path(card.file)
        if local is None and cached.is_file():
            local = cached
        if local is not None:
            self.thumbnails.request(file_id, local)
        else:
            self._download(entry, model, cached, Purpose.THUMBNAIL)

    @Slot(str, object)
    def _on_thumbnails_thumbnail_made(self, file_id: str, image: QImage | None) -> None:
        for entry, model in self._waiting_thumbnails.pop(file_id, []):
            if entry.card is not None:
                entry.card.thumbnail = image
                entry.card.thumbnail_state = Thumbnail.MADE if image is not None else Thumbnail.REFUSED
                model.entry_changed(entry)

    # --- what the client engine reports -------------------------------------------------------------

    @Slot(str)
    def _on_client_state_changed(self, _state: str) -> None:
        self.attach_button.setEnabled(self.client.state is ClientState.ONLINE)

    @Slot(object)
    def _on_client_transfer_progress(self, progress: TransferProgress) -> None:
        job = self._jobs.get(progress.transfer_id)
        if job is None or job.entry.card is None or job.purpose is Purpose.THUMBNAIL:
            return
        card = job.entry.card
        card.done, card.bytes_per_s, card.seconds_left = progress.done, progress.bytes_per_s, progress.seconds_left
        job.model.entry_changed(job.entry)

    @Slot(object)
    def _on_client_transfer_finished(self, finished: TransferFinished) -> None:
        if finished.direction is TransferDirection.UP and finished.path.parent == self.cache_folder / PASTED_FOLDER:
            finished.path.unlink(missing_ok=True)  # stored and ACKed: the own card fetches it back like any other
        job = self._jobs.pop(finished.transfer_id, None)
        if job is None or job.entry.card is None:
            return
        card = job.entry.card
        if card.transfer_id == finished.transfer_id:  # (a thumbnail's fetch leaves a Save beside it alone)
            card.transfer_id, card.direction, card.problem = "", None, ""
        if job.purpose is Purpose.UPLOAD:
            card.stored(finished.file)
        if job.purpose is Purpose.OPEN or job.open_after:
            FileOpener.open(finished.path)
        if job.purpose is Purpose.THUMBNAIL:
            self.thumbnails.request(finished.file.id, finished.path)
        job.model.entry_changed(job.entry)

    @Slot(object)
    def _on_client_transfer_failed(self, failed: TransferFailed) -> None:
        job = self._jobs.pop(failed.transfer_id, None)
        if job is None or job.entry.card is None:
            return
        card = job.entry.card
        if card.transfer_id == failed.transfer_id:
            card.transfer_id, card.direction = "", None
        if failed.reason is TransferProblem.EXPIRED:
            card.expire()
        if job.purpose is Purpose.THUMBNAIL:
            for entry, model in self._waiting_thumbnails.pop(card.file.id if card.file else "", []):
                if entry.card is not None:
                    entry.card.thumbnail_state = Thumbnail.REFUSED
                    model.entry_changed(entry)
        if (job.purpose is not Purpose.THUMBNAIL or job.open_after) and (
                failed.reason is not TransferProblem.CANCELLED or job.purpose is Purpose.UPLOAD):
            card.problem = self._problem_text(failed)
        if job.purpose is Purpose.UPLOAD:
            job.model.set_delivery(failed.transfer_id, Delivery.REFUSED)
            self.sent_in.pop(failed.transfer_id, None)
        job.model.entry_changed(job.entry)

    @Slot(object, float)
    def _on_client_message_acked(self, ack: Acked, _rtt_ms: float) -> None:
        job = self._jobs.pop(ack.id, None)  # (an upload of content the server had already: no transfer ran)
        if job is not None and job.entry.card is not None and ack.file is not None:
            job.entry.card.transfer_id, job.entry.card.direction = "", None
            job.entry.card.stored(ack.file)
            job.model.entry_changed(job.entry)

    def _problem_text(self, failed: TransferFailed) -> str:
        """Why a transfer failed, in the window's words."""
        words = {
            TransferProblem.CANCELLED: self.tr("Cancelled."),
            TransferProblem.UNAVAILABLE: self.tr("Not possible now: offline, or the server takes no files."),
            TransferProblem.TOO_LARGE: self.tr("The file is larger than the server takes."),
            TransferProblem.QUOTA: self.tr("You have shared as much as the server allows today."),
            TransferProblem.STORAGE_FULL: self.tr("The server has no room for the file."),
            TransferProblem.NOT_ALLOWED: self.tr("You cannot share files in this conversation."),
            TransferProblem.NO_SUCH_FILE: self.tr("The server does not have this file for you."),
            TransferProblem.EXPIRED: self.tr("The file expired on the server."),
            TransferProblem.CORRUPT: self.tr("The file arrived damaged (its checksum did not match)."),
            TransferProblem.BUSY: self.tr("The server is busy with other transfers; try again soon."),
            TransferProblem.LOCAL_FILE: self.tr("The file could not be read or written here."),
            TransferProblem.CONNECTION: self.tr("The connection for the transfer failed."),
        }
        return words.get(failed.reason, self.tr("The transfer failed: {reason}").format(reason=failed.text))


def _local_files(event: QDragEnterEvent | QDropEvent) -> list[Path]:
    """The local files a drag brings (none if it brings anything else too)."""
    data = event.mimeData()
    if data is None or not data.hasUrls():
        return []
    urls = data.urls()
    files = [Path(url.toLocalFile()) for url in urls if url.isLocalFile()]
    return files if len(files) == len(urls) and all(path.is_file() for path in files) else []
