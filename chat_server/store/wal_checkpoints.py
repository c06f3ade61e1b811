"""The store's write-ahead log copied back into its database file by a thread of its own, never by a commit.

In WAL mode SQLite appends each commit to the log, and by default the commit that brings the log past 1,000 pages
copies the log into the database file and syncs it to disk (a checkpoint) before it returns: a few milliseconds in
which that pass's ACKs wait. The search index (schema version 8) doubled the pages each commit writes, so it doubled
how often that happened: the ACK p99 of the benchmark's 100/10 went from 1.4 to 4.5 ms (docs/performance.md). Here
the writer's connection checkpoints only as a last resort (``WRITER_CHECKPOINT_PAGES``); this thread, with a
connection of its own,
checkpoints the log a moment after commits were written (``PASSIVE``: it never waits for the writer or a reader, and
neither waits for it), so the syncing happens beside the event loop, on the other core.

With sqlite.py and sqlite_search.py, the only modules that import ``sqlite3``.
"""

from __future__ import annotations

import logging
import sqlite3
import threading

log = logging.getLogger(__name__)

CHECKPOINT_EVERY_S = 0.5
"""At most how often the log is checkpointed while commits come (a busy chat writes the log on, meanwhile)."""
WRITER_CHECKPOINT_PAGES = 25_000
"""The log's size (pages of 4 KiB: 100 MB) at which a commit checkpoints it after all: only if this thread could not
(it could not open the file, or a reader kept the log from being copied back for long)."""
STOP_WAIT_S = 5.0
"""How long closing the store waits for a checkpoint under way to end."""


class WalCheckpointer:
    """Checkpoints the log of the database at ``path`` after commits (``written``), until ``close``."""

    def __init__(self, path: str) -> None:
        self._path = path
        self._written = threading.Event()
        self._stopping = threading.Event()
        self.checkpointed = threading.Event()
        """Set after each checkpoint (for the tests: cleared by them, waited for)."""
        self._thread = threading.Thread(target=self._run, name="wal-checkpoints", daemon=True)
        self._thread.start()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def written(self) -> None:
        """A commit was written to the log: checkpoint it soon (cheap: called by every commit)."""
        self._written.set()

    def close(self) -> None:
        """Stop the thread (what is in the log stays there: the writer's close checkpoints it)."""
        self._stopping.set()
        self._written.set()
        self._thread.join(STOP_WAIT_S)

    def _run(self) -> None:
        try:
            db = sqlite3.connect(self._path, isolation_level=None, timeout=STOP_WAIT_S)
        except sqlite3.Error as exc:
            log.error("cannot open %s to checkpoint its log: %s", self._path, exc)
            return
        try:
            while True:
                self._written.wait()
                if self._stopping.is_set():
                    return
                self._written.clear()
                try:
                    db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                except sqlite3.Error as exc:  # busy or failing now: the next commit asks again
                    log.warning("could not checkpoint the log of %s: %s", self._path, exc)
                self.checkpointed.set()
                if self._stopping.wait(CHECKPOINT_EVERY_S):
                    return
        finally:
            db.close()
