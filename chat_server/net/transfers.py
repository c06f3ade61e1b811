"""File transfers on connections of their own: the bytes move on threads, never on the reactor.

A transfer connection (its first line ``{"type":"transfer",...}``, chat_server/protocol/files.py) is handed here
with the bytes read after that line. Plain TCP: the socket is taken off the reactor and given to a thread of its
own that does blocking I/O (``recv_into`` a 1 MiB buffer into the partial file, ``sendfile`` out of a blob).
TLS: the QSslSocket stays on the Qt thread (Qt does the TLS), and only the disk and the hash go to a thread; an
upload's reading pauses while ``TLS_PENDING_BYTES`` wait for the disk, a download's thread waits while as much
waits for the socket. What each transfer came to goes back to the Qt thread by a queued signal; an upload's last
line (the file's id, once the engine has recorded it) comes back to the thread that writes it.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from chat_server.net.tls_transfers import QtCall, TlsTransfer
from chat_server.net.transfer_jobs import (
    CHUNK_BYTES,
    DownloadJob,
    Job,
    Outcome,
    Pace,
    PartialWriter,
    Running,
    UploadJob,
    outcome_line,
)
from chat_server.net.transport import SocketTransport, SslTransport, Transport

log = logging.getLogger(__name__)

MAX_TRANSFERS = 16
"""Transfer connections running at once on the server."""
MAX_TRANSFERS_PER_KEY = 4
"""Transfer connections running at once for one member key."""
TRANSFER_IDLE_S = 60.0
"""A plain transfer's peer silent (or not reading) this long is cut, as is one that moved less than
``MIN_BYTES_PER_WINDOW`` in this long; its partial upload is kept for a resume."""
ANSWER_WAIT_S = 30.0
"""How long a thread waits for the engine's last line of an upload (the file recorded)."""
LINGER_S = 10.0
"""After refusing an upload before its end, how long what the peer still sends is read and dropped (so that it reads
the refusal instead of a reset)."""
STOP_JOIN_S = 0.5
"""How long the server's stop waits in all for the transfer threads to end (their sockets are shut first)."""


class TransferThreads(QObject):
    """The transfers running: started by the engine, bounded, stopped with the server.

    ``on_uploaded(job, outcome, head)`` runs on the Qt thread once an upload has come to ``outcome`` (``head``: the
    file's first bytes, read by its thread, for its type) and
    returns the last line to send (b"" for none: a cut connection); ``on_done(job, outcome, moved)`` runs on the
    Qt thread when any transfer is over (``moved``: bytes that crossed the connection)."""

    finished = Signal(object, object, int)  # job, Outcome, bytes moved: emitted on the Qt thread
    _uploaded = Signal(object, object, bytes)  # from a thread: running, Outcome, the file's head (queued)
    _ended = Signal(object, object, int)  # from a thread: running, Outcome, bytes moved (queued)

    def __init__(self, on_uploaded: Callable[[UploadJob, Outcome, bytes], bytes],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._on_uploaded = on_uploaded
        self._running: set[Running] = set()
        self._uploaded.connect(self._on_thread_uploaded)
        self._ended.connect(self._on_thread_ended)
        self.qt_call = QtCall(self)  # a TLS transfer's thread hands its steps to the Qt thread through this

    @property
    def count(self) -> int:
        return len(self._running)

    def busy(self, key: str) -> bool:
        """True if another transfer may not start now: too many on the server, or for this member key."""
        if len(self._running) >= MAX_TRANSFERS:
            return True
        return sum(1 for running in self._running if running.job.key == key) >= MAX_TRANSFERS_PER_KEY

    def tickets(self) -> list[object]:
        """The engine's records of the uploads running (their ``UploadJob.ticket``)."""
        return [running.job.ticket for running in self._running if isinstance(running.job, UploadJob)]

    def writing(self, partial: Path) -> bool:
        """True if an upload into ``partial`` runs (a second one at once would mix their bytes)."""
        return any(isinstance(running.job, UploadJob) and running.job.partial == partial for running in self._running)

    def start(self, transport: Transport, leftover: bytes, job: Job) -> None:
        """Run ``job`` over ``transport`` (no longer any connection's), ``leftover`` being what was read after the
        transfer line. A plain socket leaves the reactor for a thread of its own; a TLS one stays on the Qt thread."""
        running = Running(job)
        self._running.add(running)
        if isinstance(transport, SocketTransport):
            sock, unsent = transport.detach()
            running.sock = sock
            target = _plain_upload if isinstance(job, UploadJob) else _plain_download
            running.thread = threading.Thread(target=target, args=(self, running, sock, unsent, leftover),
                                              name="transfer", daemon=True)
            running.thread.start()
            return
        if not isinstance(transport, SslTransport):  # pragma: no cover - the two transports there are
            raise TypeError(f"cannot transfer over {type(transport).__name__}")
        running.tls = TlsTransfer(self, running, transport, leftover)

    def stop(self) -> None:
        """End every transfer now (the server stops): sockets shut, partial uploads kept, threads given a moment."""
        threads = []
        for running in list(self._running):
            running.stop.set()
            with contextlib.suppress(queue.Full):
                running.answers.put_nowait(b"")
            if running.sock is not None:
                with contextlib.suppress(OSError):
                    running.sock.shutdown(socket.SHUT_RDWR)
            if running.tls is not None:
                running.tls.abort()
            if running.thread is not None:
                threads.append(running.thread)
        deadline = STOP_JOIN_S / max(1, len(threads))
        for thread in threads:
            thread.join(deadline)

    # --- from the threads (queued to the Qt thread) --------------------------------------------------

    @Slot(object, object, bytes)
    def _on_thread_uploaded(self, running: Running, outcome: Outcome, head: bytes) -> None:
        line = b""
        if not running.stop.is_set():
            try:
                line = self._on_uploaded(running.job, outcome, head)  # type: ignore[arg-type]
            except Exception:
                log.exception("unexpected error while recording an upload")
                line = outcome_line(Outcome.FAILED)
        if running.tls is not None:
            running.tls.answer(line, outcome is Outcome.STORED)
        else:
            with contextlib.suppress(queue.Full):
                running.answers.put_nowait(line)

    @Slot(object, object, int)
    def _on_thread_ended(self, running: Running, outcome: Outcome, moved: int) -> None:
        self._running.discard(running)
        self.finished.emit(running.job, outcome, moved)

    # Called on the transfers' threads. The engine may be gone by then (a thread outlived the stop's wait, and the
    # engine was deleted): nothing is left to tell.

    def call_on_qt(self, function: Callable[[], None]) -> None:
        with contextlib.suppress(RuntimeError):
            self.qt_call.call.emit(function)

    def report_uploaded(self, running: Running, outcome: Outcome, head: bytes) -> None:
        with contextlib.suppress(RuntimeError):
            self._uploaded.emit(running, outcome, head)

    def report_ended(self, running: Running, outcome: Outcome, moved: int) -> None:
        with contextlib.suppress(RuntimeError):
            self._ended.emit(running, outcome, moved)


# --- plain TCP: a thread with the socket -------------------------------------------------------------------


def _plain_upload(threads: TransferThreads, running: Running, sock: socket.socket, unsent: bytes,
                  leftover: bytes) -> None:
    job = running.job
    assert isinstance(job, UploadJob)
    outcome = Outcome.FAILED
    received = 0
    try:
        sock.setblocking(True)
        sock.settimeout(TRANSFER_IDLE_S)
        if unsent:
            sock.sendall(unsent)
        writer = PartialWriter(job)
        try:
            ok = writer.write(leftover) if leftover else True
            buffer = bytearray(CHUNK_BYTES)
            view = memoryview(buffer)
            pace = Pace(TRANSFER_IDLE_S)
            while ok and writer.wanted > 0 and not running.stop.is_set():
                count = sock.recv_into(view)
                if not count:
                    break
                ok = writer.write(view[:count])
                if pace.too_slow(writer.received):
                    log.info("an upload was too slow: cut")
                    break  # (its partial file is kept for a resume)
            if ok and not writer.wanted and not running.stop.is_set():
                # A byte more than the size is TOO_LONG even when it came in the same packet as the last one.
                sock.settimeout(0)
                with contextlib.suppress(BlockingIOError, InterruptedError):
                    if sock.recv(1):
                        writer.outcome = Outcome.TOO_LONG
                sock.settimeout(TRANSFER_IDLE_S)
        except BaseException:
            writer.close()
            raise
        received = writer.received
        if running.stop.is_set():
            writer.close()
            outcome = Outcome.CUT
        else:
            outcome = writer.finish()
        if outcome is not Outcome.CUT:
            threads.report_uploaded(running, outcome, writer.head)
            line = running.answers.get(timeout=ANSWER_WAIT_S)
            if line:
                sock.sendall(line)
            if outcome is not Outcome.STORED:
                _linger(sock, running, view)
    except (OSError, queue.Empty) as exc:
        log.info("an upload ended: %s", exc)
        outcome = Outcome.CUT if outcome is Outcome.FAILED else outcome
    except Exception:
        log.exception("unexpected error in an upload")
    finally:
        _close(sock)
        threads.report_ended(running, outcome, received)


def _linger(sock: socket.socket, running: Running, buffer: memoryview) -> None:
    """After an upload refused before its end (no space, too long): the peer may still be sending, and closing with
    its bytes unread would reset the connection, losing the error line before the peer reads it. So the line is
    followed by the end of our sending, and what still comes is read and dropped until the peer closes (or
    ``LINGER_S``)."""
    sock.shutdown(socket.SHUT_WR)
    deadline = time.monotonic() + LINGER_S
    while not running.stop.is_set() and (left := deadline - time.monotonic()) > 0:
        sock.settimeout(left)
        if not sock.recv_into(buffer):
            return


def _plain_download(threads: TransferThreads, running: Running, sock: socket.socket, unsent: bytes,
                    leftover: bytes) -> None:
    del leftover  # a download's client sends nothing after its line
    job = running.job
    assert isinstance(job, DownloadJob)
    outcome = Outcome.CUT
    sent = 0
    try:
        sock.setblocking(True)
        sock.settimeout(TRANSFER_IDLE_S)
        sock.sendall(unsent + job.header)
        with open(job.path, "rb") as source:
            position = job.offset
            pace = Pace(TRANSFER_IDLE_S)
            while position < job.size and not running.stop.is_set():
                if pace.too_slow(position - job.offset):
                    log.info("a download was too slow: cut")
                    break
                # The socket's sendfile, not os.sendfile: a socket with a timeout is non-blocking underneath, and
                # the socket's waits for room (within the timeout) where os.sendfile fails with EAGAIN.
                count = sock.sendfile(source, position, min(CHUNK_BYTES, job.size - position))
                if not count:
                    break  # the blob is shorter than its record: never send what is not there
                position += count
            sent = position - job.offset
            if position >= job.size:
                outcome = Outcome.SENT
                sock.shutdown(socket.SHUT_WR)
    except OSError as exc:
        log.info("a download ended: %s", exc)
    except Exception:
        log.exception("unexpected error in a download")
    finally:
        _close(sock)
        threads.report_ended(running, outcome, sent)


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.close()
