"""The client engine's file transfers: each hash, upload and download on a worker thread of its own (issue 22).

The state (what waits for which reply, which chat announces which file) is the session's ``ClientFiles``
(files.py); this object carries out what it asks: it starts the threads, which run the jobs of transfer_jobs.py
and send what happened back to the Qt thread by a queued signal; it reports progress (at most ``PROGRESS_PER_S`` a
second per transfer, with speed and time left) and the ends through the engine's signals; and
it keeps the transfers not done in ``transfers.json`` in ``folder`` (given by the launcher; None: nothing kept),
so that a later run of the application resumes them after its first welcome.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QObject, QStandardPaths, Qt, QTimer, Signal, Slot

from chat_gui.client.client_signals import ClientSignals
from chat_gui.client.events import ClientState, Conversation
from chat_gui.client.file_events import (
    SharedFile,
    TransferDirection,
    TransferFailed,
    TransferFinished,
    TransferProblem,
    TransferProgress,
)
from chat_gui.client.files import Download, Share, StartDownload, StartUpload
from chat_gui.client.session import ClientSession, Output
from chat_gui.client.transfer_jobs import (
    PART_SUFFIX,
    Broke,
    Downloaded,
    Hashed,
    News,
    Stored,
    download_job,
    hash_job,
    upload_job,
)
from chat_server import protocol as p

log = logging.getLogger(__name__)

TRANSFERS_FILE = "transfers.json"
"""The file in the engine's folder that keeps the transfers not done across runs."""

KEEP_FOR_S = 7 * 24 * 3600.0
"""A client's transfers kept this long without a change are dropped from transfers.json (a client id never used
again, as a name the server assigned, would otherwise keep its entries for ever)."""


def default_transfers_folder() -> Path:
    """The per-user data folder (where the launcher has the windows keep transfers.json)."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppLocalDataLocation)
    return Path(folder or Path.home() / ".lanchat")


class TransferHost(Protocol):
    """What of the chat engine the transfers use: its session, where its connection goes and how it is trusted."""

    session: ClientSession
    tls: bool
    server_fingerprint: str
    clock: Callable[[], float]


class FileTransfers(QObject):
    """The transfers of one ChatClient, reported through its signals."""

    _news = Signal(object)  # News, from a worker thread

    def __init__(self, host: TransferHost, signals: ClientSignals, apply: Callable[[list[Output]], None]) -> None:
        super().__init__(signals)
        self._host = host
        self._signals = signals
        self._apply = apply
        self.folder: Path | None = None  # where transfers.json is kept (None: nothing kept across restarts)
        self._cancels: dict[str, threading.Event] = {}  # the running threads' cancel switches, by transfer id
        self._progress: dict[str, TransferProgress] = {}  # the transfers not done, as each last said
        self._restored: set[str] = set()  # the keys of transfers.json taken back in this run
        self._current: str | None = None  # the key of the server and member the transfers in memory are for
        self._news.connect(self._on_news, Qt.ConnectionType.QueuedConnection)

    # --- what the engine is asked ------------------------------------------------------

    def share(self, path: Path, conversation: Conversation, caption: str) -> str | None:
        """Share the file at ``path`` in ``conversation``; its transfer id (the announcing chat's), or None: not now
        (offline, or a server without files)."""
        session = self._host.session
        if session.state is not ClientState.ONLINE or not session.rooms.available:
            return None
        transfer_id = session.new_id()
        share = Share(transfer_id, str(path.absolute()), conversation, caption, path.name, 0, "")
        session.files.share(share)
        self._progress[transfer_id] = TransferProgress(transfer_id, TransferDirection.UP, share.name, 0, 0)
        self._hash(share)
        self._keep()
        return transfer_id

    def download(self, file: SharedFile, dest: Path) -> str:
        """Download ``file`` to ``dest``; the transfer id. Offline, it starts after the next welcome."""
        session = self._host.session
        transfer_id = session.new_id()
        self._progress[transfer_id] = TransferProgress(transfer_id, TransferDirection.DOWN, file.name, 0, file.size)
        online = session.state is ClientState.ONLINE
        if file.expired or (online and not session.rooms.available):
            problem = TransferProblem.EXPIRED if file.expired else TransferProblem.UNAVAILABLE
            failed = TransferFailed(transfer_id, TransferDirection.DOWN, problem)
            QTimer.singleShot(0, self, lambda: self.ended(failed))  # after the caller has the id
            return transfer_id
        self._apply([*session.files.download(Download(transfer_id, file, str(dest.absolute())), online)])
        self._keep()
        return transfer_id

    def cancel(self, transfer_id: str) -> bool:
        """Stop a transfer (``transfer_failed`` follows); False if there is none of this id, or it is a share whose
        chat is sent already (it cannot be taken back)."""
        download = self._host.session.files.downloads.get(transfer_id)
        stop, outputs = self._host.session.files.cancel(transfer_id)
        if not outputs:
            return False
        if stop:
            # The thread ends at its next chunk (a download's drops its part file).
            self._cancels.get(transfer_id, threading.Event()).set()
        elif download is not None:
            Path(download.dest + PART_SUFFIX).unlink(missing_ok=True)
        self._apply([*outputs])
        return True

    def progress(self) -> list[TransferProgress]:
        """The transfers not done, as each last reported its progress."""
        return list(self._progress.values())

    # --- what the session asks ---------------------------------------------------------

    def start(self, order: StartUpload | StartDownload) -> None:
        """Start the thread of a transfer the server has given a token for."""
        host = self._host
        where = (host.session.host, host.session.port, host.tls, host.server_fingerprint or None)
        cancel = self._cancels[_id_of(order)] = threading.Event()
        match order:
            case StartUpload(share=share, token=token, offset=offset):
                job = upload_job(share.id, share.name, Path(share.path), share.size, token, offset)
            case StartDownload(download=download, token=token):
                job = download_job(download.id, download.file, Path(download.dest), token)
        self._run(_id_of(order), lambda: job(*where, cancel, self._tell))

    def ended(self, output: TransferFinished | TransferFailed) -> None:
        """A transfer is over: report it, and forget it here and in transfers.json."""
        self._progress.pop(output.transfer_id, None)
        self._cancels.pop(output.transfer_id, None)
        self._keep()
        self._signals.report(output)

    # --- kept across runs ----------------------------------------------------------------

    def restore(self) -> None:
        """Take back the transfers an earlier run kept for this server and client id (once per run): they go on
        after the next welcome."""
        key = self._key()
        if key != self._current:
            self._set_aside()
            self._current = key
        if self.folder is None or key in self._restored:
            return
        self._restored.add(key)
        kept = self._read().get(key, {})
        entries = kept.get("transfers", []) if isinstance(kept, dict) else []
        session = self._host.session
        for share in session.files.restore(entries if isinstance(entries, list) else []):
            self._hash(share)
        for share in session.files.shares.values():
            self._progress.setdefault(share.id, TransferProgress(share.id, TransferDirection.UP, share.name, 0,
                                                                 share.size))
        for download in session.files.downloads.values():
            self._progress.setdefault(download.id, TransferProgress(download.id, TransferDirection.DOWN,
                                                                    download.file.name, 0, download.file.size))
        self._apply(session.filed([*session.files.announced()], self._host.clock()))

    def _set_aside(self) -> None:
        """Another server (or member) than the transfers' own: they end here, reported unavailable, and stay in
        transfers.json for a later connection to theirs (their running threads end by themselves)."""
        files = self._host.session.files
        aside: list[Share | Download] = [*files.shares.values(), *files.downloads.values()]
        files.shares.clear()
        files.downloads.clear()
        if self._current is not None:
            self._restored.discard(self._current)  # back there, they are taken back
        for job in aside:
            self._progress.pop(job.id, None)
            direction = TransferDirection.UP if isinstance(job, Share) else TransferDirection.DOWN
            self._signals.report(TransferFailed(job.id, direction, TransferProblem.UNAVAILABLE,
                                                "connected to another server or as another member"))

    def _key(self) -> str:
        session = self._host.session
        return f"{p.host_port(session.host, session.port)} {session.client_id}"

    def _read(self) -> dict[str, Any]:
        if self.folder is None:
            return {}
        try:
            kept = json.loads((self.folder / TRANSFERS_FILE).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            log.warning("cannot read %s (%s): no transfer to resume", self.folder / TRANSFERS_FILE, exc)
            return {}
        if not isinstance(kept, dict):
            return {}
        fresh = time.time() - KEEP_FOR_S
        return {key: value for key, value in kept.items()
                if isinstance(value, dict) and isinstance(value.get("saved"), (int, float)) and value["saved"] > fresh}

    def _keep(self) -> None:
        """Write this client's transfers not done to transfers.json (beside other windows' and servers')."""
        session = self._host.session
        if self.folder is None or not session.host:
            return
        kept = self._read()
        entries = session.files.kept()
        if entries:
            kept[self._key()] = {"saved": time.time(), "transfers": entries}
        else:
            kept.pop(self._key(), None)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            partial = self.folder / (TRANSFERS_FILE + ".tmp")
            partial.write_text(json.dumps(kept, indent=1, sort_keys=True) + "\n", encoding="utf-8")
            os.replace(partial, self.folder / TRANSFERS_FILE)  # never a half-written file
        except OSError as exc:
            log.warning("cannot keep the transfers in %s: %s", self.folder, exc)

    # --- the threads -------------------------------------------------------------------------

    def _hash(self, share: Share) -> None:
        cancel = self._cancels[share.id] = threading.Event()
        job = hash_job(share.id, Path(share.path))
        self._run(share.id, lambda: job(cancel, self._tell))

    def _run(self, transfer_id: str, work: Callable[[], None]) -> None:
        threading.Thread(target=work, name=f"transfer {transfer_id}", daemon=True).start()

    def _tell(self, news: News) -> None:
        """(On a worker thread) hand ``news`` to the Qt thread."""
        with contextlib.suppress(RuntimeError):  # the engine is gone (the application closing): nobody to tell
            self._news.emit(news)

    @Slot(object)
    def _on_news(self, news: News) -> None:
        session = self._host.session
        files = session.files
        online = session.state is ClientState.ONLINE
        match news:
            case TransferProgress(transfer_id=transfer_id):
                if transfer_id in self._progress:
                    self._progress[transfer_id] = news
                    self._signals.report(news)
                return
            case Hashed(transfer_id=transfer_id, sha256=sha256, size=size, mime=mime):
                share = files.shares.get(transfer_id)
                if share is not None:
                    share.size, share.mime = size, mime
                    self._progress[transfer_id] = TransferProgress(transfer_id, TransferDirection.UP, share.name, 0,
                                                                   size)
                outputs = files.hashed(transfer_id, sha256, online)
            case Stored(transfer_id=transfer_id, file_id=file_id):
                outputs = files.stored(transfer_id, file_id)
            case Downloaded(transfer_id=transfer_id):
                outputs = files.downloaded(transfer_id)
            case Broke(transfer_id=transfer_id, problem=problem, text=text, progressed=progressed):
                log.info("transfer %s stopped: %s (%s)", transfer_id, text, problem.value)
                outputs = files.broke(transfer_id, problem, text, progressed, online)
        self._cancels.pop(news.transfer_id, None)
        self._apply(session.filed(outputs, self._host.clock()))
        self._keep()


def _id_of(order: StartUpload | StartDownload) -> str:
    return order.share.id if isinstance(order, StartUpload) else order.download.id


