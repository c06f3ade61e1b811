"""A file transfer over TLS: the QSslSocket stays on the Qt thread (Qt does the TLS), the disk and the hash go to a
thread of its own; an upload's reading pauses while ``TLS_PENDING_BYTES`` wait for the disk, a download's thread
waits while as much waits for the socket."""

from __future__ import annotations

import functools
import logging
import queue
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtNetwork import QSslSocket

from chat_server.net.transfer_jobs import (
    CHUNK_BYTES,
    MIN_BYTES_PER_WINDOW,
    DownloadJob,
    Outcome,
    PartialWriter,
    Running,
    TransferReports,
    UploadJob,
)
from chat_server.net.transport import SslTransport

log = logging.getLogger(__name__)

TLS_PENDING_BYTES = 8 * 1024 * 1024
"""A TLS upload's bytes waiting for the disk (or a TLS download's waiting for the socket) before it pauses."""
TLS_IDLE_S = 60.0
"""A TLS transfer that moved less than ``MIN_BYTES_PER_WINDOW`` in this long (the peer neither sends nor reads, or
trickles) is cut."""


class TlsTransfer:
    """A TLS transfer: the transport's handler on the Qt thread, its disk work on a thread fed by a queue."""

    def __init__(self, threads: TransferReports, running: Running, transport: SslTransport,
                 leftover: bytes) -> None:
        self._threads = threads
        self._running = running
        self._transport = transport
        self._socket: QSslSocket = transport.socket
        self._chunks: queue.Queue[bytes | None] = queue.Queue()
        self._pending = 0  # bytes given to the thread (upload) or to the socket (download) and not yet done with
        self._pending_lock = threading.Lock()
        self._paused = False
        self._ended = False
        self._over = False  # the upload's outcome is known: nothing more is read
        self._credits = threading.Semaphore(TLS_PENDING_BYTES // CHUNK_BYTES)
        self._written = 0  # a download's bytes handed to the socket
        self._sent = 0  # a download's bytes the socket has sent on (no longer in Qt's buffers)
        self._drained_marks: list[int] = []  # a download's chunk ends, in order, each holding a credit
        self._received = 0  # an upload's bytes read from the socket
        self._progress_seen = 0  # _received + _sent at the idle timer's last tick
        self._idle = QTimer(self._socket)  # a peer that neither sends nor reads for a while is cut
        self._idle.timeout.connect(self._on_idle_timeout)
        self._idle.start(round(TLS_IDLE_S * 1000))
        job = running.job
        if isinstance(job, UploadJob):
            target: Callable[[], None] = self._upload
            transport.attach(self)
            if leftover:
                self.data_received(leftover)
            if job.size == job.offset:  # nothing to send: finish it at once
                self._chunks.put(None)
        else:
            target = self._download
            # Not bytesWritten: it comes once bytes are encrypted, while Qt still holds them (encryptedBytesToWrite).
            self._socket.encryptedBytesWritten.connect(self._on_socket_bytes_written)
            transport.attach(self)
            transport.write(job.header)
        running.thread = threading.Thread(target=target, name="transfer-tls", daemon=True)
        running.thread.start()

    # The transport's handler (Qt thread).

    def data_received(self, data: bytes) -> None:
        job = self._running.job
        if not isinstance(job, UploadJob) or self._over:
            return
        wanted = job.size - job.offset - self._received
        if len(data) > wanted:  # more than the size: what fits is not stored either
            self._over = True
            self._chunks.put(b"")  # "too long"
            return
        self._received += len(data)
        with self._pending_lock:
            self._pending += len(data)
            pause = self._pending >= TLS_PENDING_BYTES
        self._chunks.put(data)
        if pause and not self._paused:
            self._paused = True
            self._transport.set_reading(False)
        if self._received == job.size - job.offset:
            self._chunks.put(None)  # whole: finish it

    def eof_received(self) -> None:
        self.connection_lost("")

    def connection_lost(self, error: str) -> None:
        del error
        if not self._ended:
            self._ended = True
            self._running.stop.set()
            self._chunks.put(None)
            self._credits.release()  # a download's thread waiting for room wakes and sees the stop

    @Slot()
    def _on_idle_timeout(self) -> None:
        job = self._running.job
        if isinstance(job, UploadJob) and self._received == job.size - job.offset:
            self._idle.stop()  # whole: the server's own work (the hash) is no peer's slowness
            return
        progress = self._received + self._sent  # (what the peer took: the last 8 MiB wait in Qt while it reads)
        if progress - self._progress_seen < MIN_BYTES_PER_WINDOW and not self._ended:
            log.info("a TLS transfer moved %d bytes in %g s: cut", progress - self._progress_seen, TLS_IDLE_S)
            self.abort()
        self._progress_seen = progress

    def abort(self) -> None:
        self._idle.stop()
        self._running.stop.set()
        self._chunks.put(None)
        self._credits.release()
        self._transport.abort()

    def answer(self, line: bytes, stored: bool = True) -> None:
        """The engine's last line of an upload: sent, then the connection closes. An upload refused before its end
        (``stored`` False) is not closed at once: the peer may still be sending, and a close with its bytes unread
        would reset the connection before it reads the line; what comes is dropped until it closes (or the idle
        timer ends it)."""
        if line:
            self._transport.write(line)
        if stored:
            self._transport.close()
            return
        self._over = True  # data_received drops what still comes
        if self._paused:
            self._paused = False
            self._transport.set_reading(True)

    def _drained(self, count: int) -> None:
        """Called (queued) when the thread has written ``count`` bytes: reading may go on."""
        with self._pending_lock:
            self._pending -= count
            resume = self._pending < TLS_PENDING_BYTES // 2
        if resume and self._paused and not self._ended:
            self._paused = False
            self._transport.set_reading(True)

    @Slot(int)
    def _on_socket_bytes_written(self, count: int) -> None:
        del count
        # What Qt holds: the bytes it has not encrypted yet and the encrypted ones not yet sent (a little more than
        # the plain bytes they carry: a chunk is taken for gone slightly late, never early).
        held = self._socket.bytesToWrite() + self._socket.encryptedBytesToWrite()
        done = self._written - held
        self._sent = max(self._sent, done)
        marks = self._drained_marks
        while marks and marks[0] <= done:
            marks.pop(0)
            self._credits.release()
        if not marks and self._written >= self._running.job.size - self._running.job.offset \
                and held == 0 and not self._ended:
            self._ended = True
            self._transport.close()

    def _send_chunk(self, data: bytes) -> None:
        """On the Qt thread: a download's chunk read by the thread goes to the socket."""
        if self._ended:
            self._credits.release()
            return
        self._written += len(data)
        self._drained_marks.append(self._written)
        self._transport.write(data)

    # The thread.

    def _upload(self) -> None:
        running = self._running
        job = running.job
        assert isinstance(job, UploadJob)
        outcome = Outcome.CUT
        received = 0
        try:
            writer = PartialWriter(job)
            ok = True
            while True:
                data = self._chunks.get()
                if data is None:
                    break
                if not data:  # too long
                    writer.outcome = Outcome.TOO_LONG
                    break
                if ok:
                    ok = writer.write(data)
                self._threads.call_on_qt(functools.partial(self._drained, len(data)))
                if not ok:
                    self._over = True
                    break
            received = writer.received
            if running.stop.is_set() and writer.outcome is None:
                writer.close()
            else:
                outcome = writer.finish()
            if outcome is not Outcome.CUT:
                self._threads.report_uploaded(running, outcome, writer.head)
        except Exception:
            log.exception("unexpected error in a TLS upload")
            outcome = Outcome.FAILED
        finally:
            self._threads.report_ended(running, outcome, received)

    def _download(self) -> None:
        running = self._running
        job = running.job
        assert isinstance(job, DownloadJob)
        outcome = Outcome.CUT
        sent = 0
        try:
            with open(job.path, "rb") as source:
                source.seek(job.offset)
                position = job.offset
                while position < job.size and not running.stop.is_set():
                    self._credits.acquire()
                    if running.stop.is_set():
                        break
                    data = source.read(min(CHUNK_BYTES, job.size - position))
                    if not data:
                        break
                    position += len(data)
                    self._threads.call_on_qt(functools.partial(self._send_chunk, data))
                sent = position - job.offset
                if position >= job.size:
                    outcome = Outcome.SENT
        except Exception:
            log.exception("unexpected error in a TLS download")
        finally:
            self._threads.report_ended(running, outcome, sent)


class QtCall(QObject):
    """Runs a callable on the Qt thread: a signal emitted from a thread, queued to the object's own thread."""

    call = Signal(object)

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.call.connect(self._on_call)

    @Slot(object)
    def _on_call(self, function: Callable[[], None]) -> None:
        try:
            function()
        except Exception:
            log.exception("unexpected error in a transfer's step on the Qt thread")

