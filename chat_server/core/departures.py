"""How sessions end: the goodbye, the cache row, the freed name and place, the others told; and the server's stop.

A session ends once, for one reason: because the server ends it (``end``: exit, kick, a limit, a refusal,
an error, the stop) or because its connection closed first (``closed``: dropped). Either way its last
messages are committed before it is forgotten, so that nothing in a batch outlives its connection.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from chat_server import protocol as p
from chat_server.core.admission import Admission
from chat_server.core.commit import GroupCommit
from chat_server.core.conversation_hub import ConversationHub
from chat_server.core.member_replies import MemberReplies
from chat_server.core.roster import Roster
from chat_server.core.sessions import SessionCache
from chat_server.net.connection import HELD_MAX, ClientConnection
from chat_server.settings import ServerSettings
from chat_server.store import Store

log = logging.getLogger(__name__)

_COUNTED_REFUSALS = (p.EndReason.REFUSED_NAME, p.EndReason.REFUSED_PASSWORD)
"""Refused after their hello or their password; from one address within a minute they share a row, as the
connections refused at the door do, so that a stream of guesses cannot fill the cache or the store."""

_NO_GOODBYE = (p.EndReason.REFUSED_NAME, p.EndReason.REFUSED_PASSWORD, p.EndReason.REFUSED_BUSY,
               p.EndReason.REFUSED_FULL, p.EndReason.ERROR)
"""Ends whose one line (an error, a refusal) says it all: no goodbye after it."""


def who(conn: ClientConnection) -> str:
    """How a log line names a connection: its member name, or its address before it has one."""
    return conn.name or conn.session.info().address


class Departures(QObject):
    """Ends sessions and forgets them; ``stop`` ends them all and emits ``stopped`` once their goodbyes are out."""

    member_left = Signal(str, str, int)  # name, EndReason value, online count
    window_closed = Signal(str, str, int)  # name, EndReason value, its windows left
    stopped = Signal()

    def __init__(self, settings: Callable[[], ServerSettings], store: Store, cache: SessionCache, roster: Roster,
                 commit: GroupCommit, replies: MemberReplies, admission: Admission[ClientConnection],
                 connections: dict[int, ClientConnection], hub: ConversationHub,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._hub = hub
        self._settings = settings
        self._store = store
        self._cache = cache
        self._roster = roster
        self._commit = commit
        self._replies = replies
        self._admission = admission
        self._connections = connections  # the engine's: session id -> connection
        self._closing: set[ClientConnection] = set()  # ended, goodbye still being written
        self._stop_timer = QTimer(self)
        self._stop_timer.setSingleShot(True)
        self._stop_timer.timeout.connect(self._on_stop_timer_timeout)
        self._stopping = False  # stop() waits for the goodbyes still being written

    def end(self, conn: ClientConnection, reason: p.EndReason, goodbye: str, tell_others: bool = True) -> None:
        """End a session the server decided to end; ``goodbye`` leads the last line it sends."""
        member = conn.member
        if member.end_reason is not None:
            return
        self._commit.commit()  # its last messages are acknowledged before the goodbye
        if not member.end(reason):  # that commit's writes found it too slow and ended it: it ends once
            return
        self._replies.cancel(conn)
        now = time.time()
        self._forget(conn, reason, now, tell_others)
        if reason not in _NO_GOODBYE or goodbye:
            text = f"{goodbye} " if goodbye else ""
            text += f"Goodbye {conn.name}! " if conn.name else "Goodbye! "
            text += f"Disconnected at {p.clock(now)}."
            conn.send(p.Goodbye(name=conn.name, reason=reason.value, time=now, text=text))
        conn.close()

    def fail(self, conn: ClientConnection) -> None:
        """End ``conn`` after an unexpected error: as ``error`` with its goodbye, or at least aborted."""
        try:
            self.end(conn, p.EndReason.ERROR, "The server ran into an error with your connection.")
        except Exception:
            log.exception("could not end %s cleanly: aborting it", who(conn))
            conn.member.end(p.EndReason.ERROR)  # unless it had ended already
            conn.abort()

    def stop(self, text: str) -> None:
        """Say goodbye to every connection (``text`` first) and emit ``stopped`` once they are gone, or once the
        shutdown timeout aborted the last ones. Whatever goes wrong with one, the others get their goodbye."""
        for conn in list(self._connections.values()):
            try:
                stuck = conn.backed_up  # it would never read its goodbye: do not wait for it
                self.end(conn, p.EndReason.SERVER_STOPPED, text, tell_others=False)
                if stuck:
                    conn.abort()
            except Exception:
                log.exception("unexpected error while saying goodbye to %s: closing it at once", who(conn))
                self._connections.pop(conn.session.id, None)
                self._closing.discard(conn)
                conn.abort()
        if self._closing:
            self._stopping = True
            self._stop_timer.start(self._settings().shutdown_timeout_ms)
        else:
            self.stopped.emit()

    @Slot()
    def _on_stop_timer_timeout(self) -> None:
        for conn in list(self._closing):
            conn.abort()

    # --- ends for a limit --------------------------------------------------------------------

    def too_slow(self, conn: ClientConnection) -> None:
        """``conn`` has more output waiting than it may: it reads too slowly to keep up."""
        if conn.member.end_reason is not None:
            return
        kib = self._settings().max_output_bytes // 1024
        log.warning("%s has more than %d KiB unread (or %d broadcasts waiting while it catches up): "
                    "disconnecting it as too slow", conn.name, kib, HELD_MAX)
        self.end(conn, p.EndReason.TOO_SLOW, "")
        conn.abort()  # what it has not read would never drain: free it now

    def stalled(self, conn: ClientConnection) -> None:
        seconds = self._settings().line_timeout_ms / 1000
        log.warning("%s left a line unfinished for %g s: closing", conn.name, seconds)
        self.end(conn, p.EndReason.TIMED_OUT, f"Your line was not finished within {seconds:g} s.")

    def idle(self, conn: ClientConnection) -> None:
        settings = self._settings()
        timeout = settings.idle_timeout_ms if conn.framing is p.Framing.JSON else settings.text_idle_timeout_ms
        log.info("%s was silent for %g s: closing", conn.name, timeout / 1000)
        self.end(conn, p.EndReason.TIMED_OUT, f"Nothing was heard from you in {timeout / 1000:g} s.")

    def unauthenticated(self, conn: ClientConnection) -> None:
        seconds = self._settings().auth_timeout_ms / 1000
        log.info("%s gave no password in %g s: closing", conn.session.info().address, seconds)
        self.end(conn, p.EndReason.TIMED_OUT, f"No password was given within {seconds:g} s.")

    # --- the connection is gone ------------------------------------------------------------

    def closed(self, conn: ClientConnection) -> None:
        """``conn``'s socket is closed: a session still going was dropped by its client."""
        try:
            self._forget_closed(conn)
        except Exception:  # it must not stay counted as online, nor hold the stop back
            log.exception("unexpected error while %s closed", who(conn))
            self._connections.pop(conn.session.id, None)
            self._admission.forget(conn.session.id, conn)
            self._closing.discard(conn)
        # Not the timer's state: after the shutdown timeout aborted the last ones, it is no longer active.
        if not self._closing and self._stopping:
            self._stopping = False
            self._stop_timer.stop()
            self.stopped.emit()

    def _forget_closed(self, conn: ClientConnection) -> None:
        self._commit.commit()  # nothing in the batch may outlive its connection object
        self._replies.cancel(conn)
        if conn.member.closed() is not None:  # the client went away without saying exit: DROPPED
            self._forget(conn, p.EndReason.DROPPED, time.time(), tell_others=True)
            if conn.error_text:
                log.info("%s: %s", conn.name, conn.error_text)
        self._closing.discard(conn)

    def _forget(self, conn: ClientConnection, reason: p.EndReason, now: float, tell_others: bool) -> None:
        """Record the end in the cache, free the name and tell the others."""
        self._cache.close(conn.session, reason, now)
        self._admission.forget(conn.session.id, conn)  # its name, its login, its password's check waiting its turn
        self._connections.pop(conn.session.id, None)
        self._roster.remove(conn)
        self._closing.add(conn)
        online = self._roster.member_count()
        # One of a member's windows: the member is still here in the others, and only the operator hears of it.
        other_windows = self._roster.windows_of(conn.name) if conn.member.announced else 0
        if other_windows:
            log.info("%s left in one window: %s (%d windows left)", who(conn), reason.value, other_windows)
        else:
            log.info("%s left: %s (%d online)", who(conn), reason.value, online)
        if conn.member.announced:
            self._hub.depart(conn)
            if other_windows:
                self.window_closed.emit(conn.name, reason.value, other_windows)
            else:
                if tell_others:
                    self._roster.broadcast(p.Left(name=conn.name, reason=reason.value, online=online, time=now))
                self.member_left.emit(conn.name, reason.value, online)
        merged = self._cache.merge_refusal(conn.session) if reason in _COUNTED_REFUSALS else None
        if merged is None:
            self._commit.changed(conn.session)
            return
        # Counted in its address's row for this minute: its own row goes, from the window and the store.
        try:
            self._store.forget_session(conn.session.id)
        except Exception as exc:  # closed, full or gone (a StoreError), or a bug: the row stays, the chat goes on
            log.error("could not delete a refused session counted in another row: %s", exc)
        self._commit.dropped(conn.session)
        self._commit.changed(merged)
