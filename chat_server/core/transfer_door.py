"""How a connection that turned out to be a file transfer leaves the members' books and goes to its thread.

A transfer connection is accepted like any (the decoder knows it only by its first line): at that line it is taken
off the session cache, the names, the roster and the engine's connections, its transport given up by its
``ClientConnection``, and the transfer started (chat_server/net/transfers.py) if its token is good and there is
room; else it gets one error line and is closed. A full server (or one whose logins are busy) still lets in a
connection from an address holding a live token, but only as a transfer: anything else from it is refused then.
"""

from __future__ import annotations

import logging

from chat_server import protocol as p
from chat_server.core.admission import Admission
from chat_server.core.commit import GroupCommit
from chat_server.core.file_requests import FileRequests, error_line
from chat_server.core.member_replies import MemberReplies
from chat_server.core.roster import Roster
from chat_server.core.sessions import SessionCache
from chat_server.net.connection import ClientConnection
from chat_server.net.transfer_jobs import UploadJob
from chat_server.net.transfers import TransferThreads
from chat_server.net.transport import Transport
from chat_server.protocol import files as f
from chat_server.store import Store, StoreError

log = logging.getLogger(__name__)


class TransferDoor:
    """Hands transfer connections over to ``TransferThreads``."""

    def __init__(self, store: Store, cache: SessionCache, commit: GroupCommit, admission: Admission[ClientConnection],
                 roster: Roster, replies: MemberReplies, connections: dict[int, ClientConnection],
                 files: FileRequests, threads: TransferThreads,
                 only_transfer: dict[int, tuple[p.EndReason, str]]) -> None:
        """``only_transfer``: Arrivals' connections let in past the door for a transfer (session id -> refusal)."""
        self._store = store
        self._cache = cache
        self._commit = commit
        self._admission = admission
        self._roster = roster
        self._replies = replies
        self._connections = connections  # the engine's: session id -> connection
        self._files = files
        self._threads = threads
        # Connections let in past a full server (or busy logins) because their address holds a token (Arrivals):
        # a transfer line is all they may send; this forgets them once they have.
        self.only_transfer = only_transfer

    def open(self, conn: ClientConnection, event: p.Event) -> None:
        """``conn``'s first line was a transfer's (``event``: the line, or why it could not be decoded)."""
        self.only_transfer.pop(conn.session.id, None)
        transport = self._take_off_books(conn)
        if not isinstance(event, f.TransferOpen):
            text = event.text if isinstance(event, p.DecodeError) else "a transfer's first line was expected"
            self._refuse(transport, error_line(f.ERR_BAD_TOKEN, text))
            return
        key = self._files.token_key(event.token)
        if key is None:
            self._refuse(transport, error_line(f.ERR_BAD_TOKEN, "Unknown, used or expired token."))
            return
        if self._threads.busy(key):
            self._refuse(transport, error_line(f.ERR_BUSY, "Too many transfers at once: try again in a moment."))
            return
        job = self._files.take(event.token, event.offset)
        if isinstance(job, bytes):
            self._refuse(transport, job)
            return
        if isinstance(job, UploadJob) and self._threads.writing(job.partial):  # the cut one has not noticed yet
            self._refuse(transport, error_line(f.ERR_BUSY, "This upload is still running: ask for it again."))
            return
        log.info("a transfer from %s started", transport.peer_host)
        self._threads.start(transport, conn.decoder.leftover, job)

    def _take_off_books(self, conn: ClientConnection) -> Transport:
        """Forget ``conn`` as a session (it never was a member): its transport, no longer its, is returned."""
        session = conn.session
        self._connections.pop(session.id, None)
        self._admission.forget(session.id, conn)
        self._roster.remove(conn)
        self._replies.cancel(conn)
        conn.member.end(p.EndReason.EXIT)  # nothing more of it is carried out
        self._cache.discard(session)
        try:
            self._store.forget_session(session.id)
        except StoreError as exc:
            log.error("could not forget a transfer connection's session row: %s", exc)
        self._commit.dropped(session)
        return conn.give_up_transport()

    @staticmethod
    def _refuse(transport: Transport, line: bytes) -> None:
        log.info("refused a transfer from %s: %s", transport.peer_host, line.decode("utf-8", "replace").strip())
        transport.write(line)
        transport.close()
