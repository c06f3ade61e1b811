"""What one file transfer is to do and came to, and the partial file an upload writes (chat_server/net/transfers.py
runs them): shared by the plain TCP threads and the TLS transfers."""

from __future__ import annotations

import contextlib
import logging
import queue
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Protocol

from chat_server.protocol import ERR_NOT_STORED, Error, encode
from chat_server.protocol import files as f
from chat_server.protocol.file_types import SNIFF_BYTES
from chat_server.store.blobs import PartialFile, StorageProblem, storage_problem

log = logging.getLogger(__name__)

CHUNK_BYTES = 1024 * 1024
"""What a transfer reads or writes at once: memory stays flat whatever the file's size."""
MIN_BYTES_PER_WINDOW = 1024 * 1024
"""What a transfer must move within each of its idle times (60 s: about 17 KiB/s), else it is cut: a peer that
trickles a byte now and then holds no place among the transfers for long."""


class Outcome(Enum):
    """What one transfer came to."""

    STORED = "stored"  # an upload complete and its hash right: the blob is in place
    HASH_MISMATCH = "hash_mismatch"  # the bytes are not the file announced: the partial file is gone
    NO_SPACE = "no_space"  # the disk is full: the partial file is gone
    TOO_LONG = "too_long"  # more bytes than the size announced
    SENT = "sent"  # a download written to its end
    CUT = "cut"  # the connection ended first (an upload's partial file is kept for a resume)
    FAILED = "failed"  # another error of the disk or the stop


@dataclass(frozen=True, slots=True)
class UploadJob:
    """An upload token's work: the member's bytes from ``offset`` to ``size`` into ``partial``, verified by
    ``finish(partial, sha256) -> bool`` (which moves the file into its blob, or deletes it when wrong; chat_server/
    store/blobs.py)."""

    key: str  # the member key it counts against (MAX_TRANSFERS_PER_KEY)
    partial: Path
    offset: int
    size: int
    sha256: str
    open_partial: Callable[[], PartialFile]  # the partial file opened at ``offset`` (BlobStore.open_partial)
    finish: Callable[[Path, str, str | None], bool]  # (partial, the digest claimed, the digest found as written)
    ticket: object = None  # the engine's own record of the request, given back with the outcome


@dataclass(frozen=True, slots=True)
class DownloadJob:
    """A download token's work: ``header`` (the ``sending`` line), then ``path`` from ``offset`` to ``size``."""

    key: str
    path: Path
    offset: int
    size: int
    header: bytes
    ticket: object = None


Job = UploadJob | DownloadJob


class Pace:
    """A transfer's bytes judged window by window (each ``window_s`` long): too slow once a window ends with fewer
    than ``MIN_BYTES_PER_WINDOW`` moved in it."""

    def __init__(self, window_s: float) -> None:
        self._window_s = window_s
        self._start = time.monotonic()
        self._start_moved = 0

    def too_slow(self, moved: int) -> bool:
        """``moved``: the bytes moved so far. True if a window ended with too few of them in it."""
        now = time.monotonic()
        if now - self._start < self._window_s:
            return False
        slow = moved - self._start_moved < MIN_BYTES_PER_WINDOW
        self._start, self._start_moved = now, moved
        return slow


class TlsSide(Protocol):
    """A TLS transfer's side on the Qt thread (chat_server/net/tls_transfers.py), as the threads see it."""

    def answer(self, line: bytes, stored: bool = True) -> None:
        """Send an upload's last line, then close (an upload refused before its end: once the peer has)."""

    def abort(self) -> None:
        """End it now (the stop)."""


@dataclass(eq=False)
class Running:
    """One transfer under way: its thread, what stops it, where its last line comes from."""

    job: Job
    stop: threading.Event = field(default_factory=threading.Event)
    answers: queue.Queue[bytes] = field(default_factory=lambda: queue.Queue(1))
    sock: socket.socket | None = None  # plain TCP: the thread's socket
    tls: TlsSide | None = None
    thread: threading.Thread | None = None


_OUTCOME_LINES = {
    Outcome.HASH_MISMATCH: (f.ERR_HASH_MISMATCH, "The file's SHA-256 is not the one announced: it was not stored."),
    Outcome.NO_SPACE: (f.ERR_NO_SPACE, "The server's disk is full: the file was not stored."),
    Outcome.TOO_LONG: (f.ERR_TOO_LONG, "More bytes came than the size announced: the file was not stored."),
    Outcome.FAILED: (ERR_NOT_STORED, "The server could not store the file."),
}


def outcome_line(outcome: Outcome) -> bytes:
    """The error line an upload that came to ``outcome`` (not STORED) ends with."""
    code, text = _OUTCOME_LINES.get(outcome, _OUTCOME_LINES[Outcome.FAILED])
    return encode(Error(code, text))


class PartialWriter:
    """An upload's partial file (the blob store's, opened at the offset and cut there), written chunk by chunk, then
    finished: verified and moved into its blob, or deleted; a cut one is kept for a resume."""

    def __init__(self, job: UploadJob) -> None:
        self.job = job
        self.received = 0  # bytes after the offset
        self.head = b""  # the file's first SNIFF_BYTES, read once it is whole (its type is found from them)
        self.outcome: Outcome | None = None
        self._file: PartialFile | None = None
        try:
            self._file = job.open_partial()
        except (OSError, ValueError) as exc:  # (ValueError: more than is held, which the token's check rules out)
            log.warning("could not open an upload's partial file: %s", exc)
            self.outcome = _outcome_of(storage_problem(exc) if isinstance(exc, OSError) else StorageProblem.FAILED)

    @property
    def wanted(self) -> int:
        return self.job.size - self.job.offset - self.received

    def write(self, data: bytes | memoryview) -> bool:
        """Write ``data``; False once the upload came to an outcome (too long, disk full)."""
        if self._file is None or self.outcome is not None:
            return False
        if len(data) > self.wanted:
            self.outcome = Outcome.TOO_LONG
            return False
        problem = self._file.write(data)
        if problem is not None:
            self.outcome = _outcome_of(problem)
            return False
        self.received += len(data)
        return True

    def finish(self) -> Outcome:
        """Close the file and, if it is whole, verify and store it; the outcome (partial kept only when CUT)."""
        problem = self._file.close() if self._file is not None else None
        if problem is not None and self.outcome is None:
            self.outcome = _outcome_of(problem)
        if self.outcome is None and self.wanted > 0:
            return Outcome.CUT
        if self.outcome is None:
            try:
                with open(self.job.partial, "rb") as whole:
                    self.head = whole.read(SNIFF_BYTES)
                found = self._file.sha256 if self._file is not None else None
                self.outcome = Outcome.STORED if self.job.finish(self.job.partial, self.job.sha256, found) \
                    else Outcome.HASH_MISMATCH
            except OSError as exc:
                log.warning("could not store an upload: %s", exc)
                self.outcome = _outcome_of(storage_problem(exc))
        if self.outcome is not Outcome.STORED:
            with contextlib.suppress(OSError):
                self.job.partial.unlink()
        return self.outcome

    def close(self) -> None:
        """Close without finishing (a cut connection, or the stop): the partial file stays."""
        if self._file is not None:
            self._file.close()


def _outcome_of(problem: StorageProblem) -> Outcome:
    return Outcome.NO_SPACE if problem is StorageProblem.NO_SPACE else Outcome.FAILED


class TransferReports(Protocol):
    """What a transfer's thread tells the Qt thread (``TransferThreads``), each by a queued signal."""

    def report_uploaded(self, running: Running, outcome: Outcome, head: bytes) -> None:
        """An upload came to ``outcome`` (``head``: the file's first bytes): its last line is to be made (and, over
        TLS, sent)."""

    def report_ended(self, running: Running, outcome: Outcome, moved: int) -> None:
        """The transfer is over."""

    def call_on_qt(self, function: Callable[[], None]) -> None:
        """Run ``function`` on the Qt thread."""
