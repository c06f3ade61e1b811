"""How the server window keeps up with the engine: engine signals only queue work (a dirty session id, a message
count per conversation, the rooms to read again); a short single-shot timer applies the queue to the models at most
1000 / FLUSH_INTERVAL_MS times a second, so a burst of messages costs the relay almost nothing and painting never
holds up the network. A slower tick keeps the message rate and the time columns current when nothing happens."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Slot

from chat_gui.server_window.event_log import EventLogModel
from chat_gui.server_window.event_reports import ServerEventReporter
from chat_gui.server_window.layout import WindowParts
from chat_gui.server_window.message_rate import MessageRate
from chat_gui.server_window.rooms_model import RoomTableModel
from chat_gui.widgets import SessionListModel, SessionTableModel, is_today
from chat_server.core import ChatServer, RoomChange, RoomEvent
from chat_server.store import StoredMessage

FLUSH_INTERVAL_MS = 250  # 4 updates a second: live to the eye, and painting stays off the hot path
"""Queued changes reach the table, timeline and log within this long (so at most 20 flushes a second)."""
TICK_INTERVAL_MS = 1000
"""How often the message rate in the status bar is refreshed when nothing else updates it."""


class WindowRefresh(QObject):
    """The queue between the engine's signals and the window's models, and the timers that apply it.
    ``update_counts`` rewrites the status bar and the title, ``update_selection`` the operator's target,
    ``show_rate`` the message rate."""

    def __init__(self, server: ChatServer, sessions: SessionTableModel, past: SessionListModel,
                 rooms: RoomTableModel, log: EventLogModel, rate: MessageRate, parts: WindowParts,
                 update_counts: Callable[[], None], update_selection: Callable[[], None],
                 show_rate: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._server = server
        self._sessions = sessions
        self._past = past
        self._rooms = rooms
        self._log = log
        self._rate = rate
        self._connections = parts.connections
        self._rooms_panel = parts.rooms_panel
        self._notice_bar = parts.notice_bar
        self._update_counts = update_counts
        self._update_selection = update_selection
        self._show_rate = show_rate
        self._rooms_dirty = True  # the room list is read again at the next flush
        self._room_messages: Counter[str] = Counter()  # by conversation, until the next flush
        self.flush_timer = QTimer(self)
        self.flush_timer.setSingleShot(True)
        self.flush_timer.setInterval(FLUSH_INTERVAL_MS)
        self.tick_timer = QTimer(self)
        self.tick_timer.setInterval(TICK_INTERVAL_MS)

    def connect_signals(self, reporter: ServerEventReporter) -> None:
        """Follow the engine's changes, the log's new lines and the two timers; the tick starts."""
        server = self._server
        server.messages_relayed.connect(self._on_server_messages_relayed)
        server.session_changed.connect(self._on_server_session_changed)
        server.sessions_counted.connect(self._on_server_sessions_counted)
        server.rooms_changed.connect(self._on_server_rooms_changed)
        server.room_event.connect(self._on_server_room_event)
        reporter.reported.connect(self.schedule)
        self.flush_timer.timeout.connect(self._on_flush_timer_timeout)
        self.tick_timer.timeout.connect(self._on_tick_timer_timeout)
        self.tick_timer.start()

    def flush(self) -> None:
        """Apply the queued engine changes to the table, timeline, log and status bar now."""
        self.flush_timer.stop()
        self._sessions.flush()
        self.fit_time_columns()
        self._flush_rooms()
        self._log.flush()
        self._update_counts()
        self._update_selection()

    @Slot()
    def schedule(self) -> None:
        """Flush soon (at once if nothing is queued yet, else with what is)."""
        if not self.flush_timer.isActive():
            self.flush_timer.start()

    def rooms_changed(self) -> None:
        """Read the room list again at the next flush."""
        self._rooms_dirty = True
        self.schedule()

    def stop(self) -> None:
        self.tick_timer.stop()
        self.flush_timer.stop()

    def fit_time_columns(self) -> None:
        """Room for dates in the time columns while some session shown is not from today."""
        starts = [t for t in (self._sessions.first_connected(), self._past.first_connected()) if t is not None]
        self._connections.show_dates(bool(starts) and not is_today(min(starts)))

    def _flush_rooms(self) -> None:
        if not self._rooms_dirty:
            return
        self._rooms_dirty = False
        for conversation, count in self._room_messages.items():
            room = self._server.room_of(conversation)
            if room is not None:
                self._rooms.count(room, count)
        self._room_messages.clear()
        self._rooms.update(self._server.rooms())
        self._notice_bar.set_rooms([room.name for room in self._rooms.rooms()])
        self._rooms_panel.update_buttons()

    @Slot(object)
    def _on_server_messages_relayed(self, messages: list[StoredMessage]) -> None:
        self._rate.count(len(messages))
        self._room_messages.update(message.conversation for message in messages)
        self._rooms_dirty = True  # the reporter's line schedules the flush

    @Slot()
    def _on_server_rooms_changed(self) -> None:
        self.rooms_changed()

    @Slot(object)
    def _on_server_room_event(self, event: RoomEvent) -> None:
        if event.change is RoomChange.RENAMED:
            self._rooms.renamed(event.old, event.room)  # its count of messages goes with it

    @Slot(int)
    def _on_server_session_changed(self, session_id: int) -> None:
        self._sessions.mark_changed(session_id)
        self.schedule()

    @Slot(object)
    def _on_server_sessions_counted(self, session_ids: list[int]) -> None:
        for session_id in session_ids:
            self._sessions.mark_changed(session_id)
        self.schedule()

    @Slot()
    def _on_flush_timer_timeout(self) -> None:
        self.flush()

    @Slot()
    def _on_tick_timer_timeout(self) -> None:
        self._show_rate()
        self.fit_time_columns()  # after midnight, yesterday's times show their date
