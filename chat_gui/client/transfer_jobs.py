"""What the client engine's transfer threads run (issue 22): hashing a file to share, an upload and a download,
each with the blocking code of transfer.py, and what each says back (the news FileTransfers hands to the Qt thread by
a queued signal): progress at most ``PROGRESS_PER_S`` a second with speed and time left, and how it ended. No Qt.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from chat_gui.client.file_events import SharedFile, TransferDirection, TransferProblem, TransferProgress
from chat_gui.client.transfer import TransferError, download_bytes, file_sha256, open_transfer, upload_bytes
from chat_server import protocol as p

PROGRESS_PER_S = 10
"""The most progress reports a transfer makes a second (its last one is always made)."""

PART_SUFFIX = ".part"
"""A download is written to its destination with this added, and renamed once verified."""


# What a worker thread says (to the Qt thread).

@dataclass(frozen=True, slots=True)
class Hashed:
    transfer_id: str
    sha256: str
    size: int
    mime: str


@dataclass(frozen=True, slots=True)
class Stored:
    transfer_id: str
    file_id: str


@dataclass(frozen=True, slots=True)
class Downloaded:
    transfer_id: str


@dataclass(frozen=True, slots=True)
class Broke:
    transfer_id: str
    problem: TransferProblem
    text: str
    progressed: bool  # a byte moved (or the hash finished) since the transfer was last started


News = Hashed | Stored | Downloaded | Broke | TransferProgress


class Meter:
    """A transfer's progress as its thread sees it: reported at most PROGRESS_PER_S a second, with its speed."""

    def __init__(self, transfer_id: str, direction: TransferDirection, name: str, start: int, total: int,
                 tell: Callable[[News], None]) -> None:
        self._note = TransferProgress(transfer_id, direction, name, start, total)
        self._start = start
        self._started = self._last = time.monotonic()
        self._tell = tell
        self.progressed = False
        tell(self._note)

    def update(self, done: int, total: int) -> None:
        self.progressed = self.progressed or done > self._start
        now = time.monotonic()
        if done < total and now - self._last < 1 / PROGRESS_PER_S:
            return
        self._last = now
        elapsed = now - self._started
        speed = (done - self._start) / elapsed if elapsed > 0 else 0.0
        left = (total - done) / speed if speed > 0 else None
        self._tell(TransferProgress(self._note.transfer_id, self._note.direction, self._note.name, done, total,
                                    speed, left))


Tell = Callable[[News], None]


def hash_job(transfer_id: str, path: Path) -> Callable[[threading.Event, Tell], None]:
    def run(cancel: threading.Event, tell: Tell) -> None:
        try:
            sha256 = file_sha256(path, None, cancel)
            with path.open("rb") as source:
                head = source.read(p.SNIFF_BYTES)
                size = os.fstat(source.fileno()).st_size
        except TransferError as exc:
            tell(Broke(transfer_id, exc.problem, exc.text, False))
        except OSError as exc:
            tell(Broke(transfer_id, TransferProblem.LOCAL_FILE, f"cannot read {path}: {exc.strerror or exc}", False))
        else:
            tell(Hashed(transfer_id, sha256, size, p.sniff_type(head)))
    return run


def upload_job(transfer_id: str, name: str, path: Path, size: int, token: str,
                offset: int) -> Callable[[str, int, bool, str | None, threading.Event, Tell], None]:
    def run(host: str, port: int, tls: bool, pinned: str | None, cancel: threading.Event, tell: Tell) -> None:
        meter = Meter(transfer_id, TransferDirection.UP, name, offset, size, tell)
        try:
            with open_transfer(host, port, tls, pinned, token, offset) as conn:
                file_id = upload_bytes(conn, path, offset, size, meter.update, cancel)
        except TransferError as exc:
            tell(Broke(transfer_id, exc.problem, exc.text, meter.progressed))
        else:
            tell(Stored(transfer_id, file_id))
    return run


def download_job(transfer_id: str, file: SharedFile, dest: Path,
                  token: str) -> Callable[[str, int, bool, str | None, threading.Event, Tell], None]:
    def run(host: str, port: int, tls: bool, pinned: str | None, cancel: threading.Event, tell: Tell) -> None:
        part = dest.with_name(dest.name + PART_SUFFIX)
        try:
            held = part.stat().st_size
        except OSError:
            held = 0
        offset = held if held <= file.size else 0  # a part longer than the file is not this file's
        meter = Meter(transfer_id, TransferDirection.DOWN, file.name, offset, file.size, tell)
        try:
            with open_transfer(host, port, tls, pinned, token, offset) as conn:
                download_bytes(conn, part, offset, meter.update, cancel, file.sha256)
            os.replace(part, dest)
        except TransferError as exc:
            if exc.problem is TransferProblem.CANCELLED:
                part.unlink(missing_ok=True)
            tell(Broke(transfer_id, exc.problem, exc.text, meter.progressed))
        except OSError as exc:
            tell(Broke(transfer_id, TransferProblem.LOCAL_FILE, f"cannot write {dest}: {exc.strerror or exc}",
                        meter.progressed))
        else:
            tell(Downloaded(transfer_id))
    return run
