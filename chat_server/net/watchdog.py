"""The server's watchdog: pings silent JSON members and finds idle and stalled connections."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from chat_server import protocol as p
from chat_server.core.limits import Verdict, Watch
from chat_server.net.connection import ClientConnection
from chat_server.settings import ServerSettings


def watch_of(settings: ServerSettings) -> Watch:
    return Watch(line_timeout=settings.line_timeout_ms / 1000, ping_interval=settings.ping_interval_ms / 1000,
                 idle_timeout=settings.idle_timeout_ms / 1000,
                 text_idle_timeout=settings.text_idle_timeout_ms / 1000,
                 auth_timeout=settings.auth_timeout_ms / 1000 if settings.password else 0.0)


class Watchdog(QObject):
    """Looks at every connection a few times per shortest timeout; one timer for all of them."""

    stalled = Signal(object)  # ClientConnection: a line started and not finished in time
    idle = Signal(object)  # ClientConnection: silent past its idle timeout
    unauthenticated = Signal(object)  # ClientConnection: the password was asked for and did not come in time

    def __init__(self, settings: ServerSettings, connections: Callable[[], Iterable[ClientConnection]],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._connections = connections
        self._pings = 0
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._on_timer_timeout)
        self.update(settings)

    def update(self, settings: ServerSettings) -> None:
        """Apply changed settings (a password set or removed while the server runs)."""
        self.watch = watch_of(settings)
        if self.watch.tick:
            self._timer.start(round(self.watch.tick * 1000))
        else:
            self._timer.stop()

    @Slot()
    def _on_timer_timeout(self) -> None:
        now = time.monotonic()
        verdict_of = self.watch.verdict
        for conn in list(self._connections()):
            member = conn.member
            if conn.paused or conn.replying or member.end_reason is not None:
                continue  # a throttled member, or one getting its reply, is silent because we stopped reading it
            verdict = verdict_of(now, conn.heard_at, conn.partial_since, conn.pinged_at,
                                 conn.framing is p.Framing.JSON, member.awaiting_since)
            if verdict is Verdict.FINE:
                continue
            if verdict is Verdict.PING:
                self._pings += 1
                conn.pinged_at = now
                conn.send(p.Ping(token=str(self._pings)))
            elif verdict is Verdict.STALLED:
                self.stalled.emit(conn)
            elif verdict is Verdict.NO_PASSWORD:
                self.unauthenticated.emit(conn)
            else:
                self.idle.emit(conn)
