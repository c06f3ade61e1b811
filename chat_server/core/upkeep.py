"""The store's timers: a heartbeat that dates a killed run's end, and the deletion of what has grown too old."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Slot

from chat_server.store import Store

log = logging.getLogger(__name__)

PRUNE_INTERVAL_MS = 3600 * 1000
"""With ``--retention-days``, what has grown too old is deleted at start and then this often."""


class StoreUpkeep(QObject):
    """Notes in the store every ``heartbeat_ms`` that this run is alive, so that after a SIGKILL the next run
    closes this run's sessions at the last heartbeat rather than at its own start; and with ``retention_days``
    deletes older sessions and messages at start and then every ``PRUNE_INTERVAL_MS``. A store that fails is
    logged: the chat goes on."""

    def __init__(self, store: Store, heartbeat_ms: int, retention_days: float, pruned: Callable[[], None],
                 parent: QObject | None = None) -> None:
        """``pruned()`` is called after messages were deleted."""
        super().__init__(parent)
        self._store = store
        self._retention_days = retention_days
        self._pruned = pruned
        self._heartbeat = QTimer(self)
        self._heartbeat.timeout.connect(self._on_heartbeat_timeout)
        if heartbeat_ms > 0:
            self._heartbeat.start(heartbeat_ms)
        self._pruning = QTimer(self)
        self._pruning.timeout.connect(self._on_pruning_timeout)
        if retention_days > 0:
            self._pruning.start(PRUNE_INTERVAL_MS)
            self._on_pruning_timeout()

    def stop(self) -> None:
        """No more heartbeats (the store is about to be closed)."""
        self._heartbeat.stop()

    @Slot()
    def _on_heartbeat_timeout(self) -> None:
        try:
            now = time.time()
            self._store.heartbeat(now)
            log.debug("noted in the store: alive at %.3f", now)
        except Exception as exc:  # the store may be closed, full or gone (a StoreError): the chat goes on
            log.error("could not note that the server is alive in its store: %s", exc)

    @Slot()
    def _on_pruning_timeout(self) -> None:
        days = self._retention_days
        try:
            sessions, messages = self._store.prune(time.time() - days * 86400)
            if messages:  # the greeting's history hint counts what is left
                self._pruned()
        except Exception as exc:  # the store may be closed, full or gone (a StoreError): the chat goes on
            log.error("could not delete what is older than %g days from the store: %s", days, exc)
            return
        if sessions or messages:
            log.info("deleted %d session(s) and %d message(s) older than %g days from the store",
                     sessions, messages, days)
