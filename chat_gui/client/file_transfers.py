"""The client engine's file transfers: shares and downloads, each on a worker thread of its own (issue 22).

For now only the names the window builds against: ``share`` answers None (not now) and a download fails at once
as unavailable, until the server side of issue 22 exists.
"""

from __future__ import annotations

import itertools
from pathlib import Path

from PySide6.QtCore import QObject, QTimer

from chat_gui.client.client_signals import ClientSignals
from chat_gui.client.events import Conversation
from chat_gui.client.file_events import (
    SharedFile,
    TransferDirection,
    TransferFailed,
    TransferProblem,
    TransferProgress,
)


class FileTransfers(QObject):
    """The transfers of one ChatClient, reported through its signals."""

    def __init__(self, signals: ClientSignals) -> None:
        super().__init__(signals)
        self._signals = signals
        self._ids = itertools.count(1)
        self.folder: Path | None = None  # where transfers.json is kept (None: nothing kept across restarts)

    def share(self, path: Path, conversation: Conversation, caption: str) -> str | None:
        """Share the file at ``path`` in ``conversation``; its transfer id, or None: not now."""
        return None

    def download(self, file: SharedFile, dest: Path) -> str:
        """Download ``file`` to ``dest``; the transfer id."""
        transfer_id = f"down-{next(self._ids)}"
        failed = TransferFailed(transfer_id, TransferDirection.DOWN, TransferProblem.UNAVAILABLE)
        QTimer.singleShot(0, self, lambda: self._signals.report(failed))
        return transfer_id

    def cancel(self, transfer_id: str) -> bool:
        """Stop a transfer; False if there is none of this id."""
        return False

    def progress(self) -> list[TransferProgress]:
        """The transfers under way, as their last progress said."""
        return []
