"""Read markers in the client window: the marker of the conversation in view is sent once it is read (the window
active, the transcript at its newest line), at most once a second; the unread counts follow the markers the server
tells (what this identity read in another window is read here too); a conversation opened with unread messages shows
the "new messages" line above the first of them, until it is opened again with nothing unread.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QWidget

from chat_gui.client import ChatClient, ChatMessage, ClientState, Conversation, ReadUpTo
from chat_gui.client_window.attention import Looking, counts_unread
from chat_gui.client_window.conversation_pane import ConversationPane
from chat_gui.client_window.transcript import Entry, EntryKind, TranscriptModel
from chat_gui.client_window.transcript_view import TranscriptView
from chat_server import protocol as p

MARK_READ_INTERVAL_MS = 1000
"""The marker of the conversation in view is sent at most this often: reading a busy room costs one line a second,
not one a message."""


def newest_seq(transcript: TranscriptModel) -> int | None:
    """The seq of the newest message in ``transcript`` (the member's own, once acknowledged, too)."""
    entries = transcript.transcript
    for row in range(len(entries) - 1, -1, -1):
        seq = entries[row].seq
        if seq is not None:
            return seq
    return None


def unread_after(transcript: TranscriptModel, marker: int, me: str = "") -> list[Entry]:
    """The messages of others (not ``me``: its own, replayed) in ``transcript`` after the read marker ``marker``,
    oldest first."""
    entries = transcript.transcript
    found: list[Entry] = []
    for row in range(len(entries) - 1, -1, -1):  # from the newest: the unread ones are at the end
        entry = entries[row]
        if entry.seq is not None and entry.seq <= marker:
            break
        if entry.kind is EntryKind.OTHER and entry.seq is not None and entry.sender != me:
            found.append(entry)
    return found[::-1]


class ReadTracking(QObject):
    """Sends the read marker of what the member reads, and keeps the window's unread counts on the markers."""

    counts_changed = Signal()  # a conversation's unread count changed by a marker: the title shows the total

    def __init__(self, client: ChatClient, pane: ConversationPane, view: TranscriptView, window: QWidget,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self.pane = pane
        self.view = view
        self._window = window
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(MARK_READ_INTERVAL_MS)
        self._opening: tuple[Conversation, int] | None = None  # being opened, with its unread count before it is read

    def connect_signals(self) -> None:
        """Called by the window's ``_connect_signals`` (after the conversations' news: a message is in its
        transcript before it is looked at here)."""
        self.client.read_marker_moved.connect(self._on_client_read_marker_moved)
        self.client.chat_received.connect(self._on_client_chat_received)
        self.client.message_acked.connect(self._on_client_message_acked)
        self.pane.conversation_opening.connect(self._on_pane_conversation_opening)
        self.pane.conversation_shown.connect(self._on_pane_conversation_shown)
        self.view.verticalScrollBar().valueChanged.connect(self._on_view_scrolled)
        self._timer.timeout.connect(self._on_timer_timeout)

    def window_activated(self) -> None:
        """The window came to the front: what is in view is read."""
        self._soon()

    # --- what the engine and the pane report ------------------------------------------------------

    @Slot(object)
    def _on_client_read_marker_moved(self, marker: ReadUpTo) -> None:
        item = self.pane.model.item(marker.conversation)
        if item is None:
            return
        unread = unread_after(self.pane.transcript(marker.conversation), marker.seq, self.client.name)
        # A marker never makes more unread than counted here (this window may have read further than it says).
        count = min(item.unread, len(unread))
        mentions = min(item.mentions, sum(1 for entry in unread if entry.mentioned))
        if (count, mentions) != (item.unread, item.mentions):
            self.pane.model.set_unread(marker.conversation, count, mentions)
            self.counts_changed.emit()

    @Slot(object)
    def _on_client_chat_received(self, relay: ChatMessage) -> None:
        conversation = relay.conversation
        if relay.history:  # replayed: unread if it is after this identity's marker (the news counts live ones)
            marker = self.client.read_marker(conversation)
            if (marker is not None and relay.seq > marker and relay.sender != self.client.name
                    and counts_unread(conversation, self._looking())):
                mentioned = p.mentions(relay.text, self.client.name)
                self.pane.model.count_unread(conversation, mentions=int(mentioned))
                self.counts_changed.emit()
        if conversation == self.pane.current:
            self._soon()

    @Slot(object, float)
    def _on_client_message_acked(self, _ack: object, _rtt_ms: float) -> None:
        self._soon()  # what the member said is read too

    @Slot(object)
    def _on_pane_conversation_opening(self, conversation: Conversation) -> None:
        item = self.pane.model.item(conversation)
        self._opening = (conversation, item.unread if item is not None else 0)

    @Slot(object)
    def _on_pane_conversation_shown(self, conversation: Conversation) -> None:
        opening, self._opening = self._opening, None
        if opening is not None and opening[0] == conversation:  # opened (not only shown again, after a mute)
            transcript = self.pane.transcript(conversation)
            first = self._first_unread(transcript, opening[1])
            self.view.set_new_messages(transcript, first.serial if first is not None else None)
        self._soon()

    @Slot(int)
    def _on_view_scrolled(self, _value: int) -> None:
        if self.view.follow:
            self._soon()

    @Slot()
    def _on_timer_timeout(self) -> None:
        if not self._reading():
            return
        conversation = self.pane.current
        seq = newest_seq(self.pane.transcript(conversation))
        if seq is not None:
            self.client.mark_read(conversation, seq)

    # --- inside ------------------------------------------------------------------------------------

    def _looking(self) -> Looking:
        window = self._window
        return Looking(self.pane.current, window.isActiveWindow() and not window.isMinimized())

    def _reading(self) -> bool:
        """Whether the member reads the conversation in view to its end now."""
        return (self.client.state is ClientState.ONLINE and self._looking().in_front and self.view.follow
                and self.client.has_rooms)

    def _soon(self) -> None:
        if self._reading() and not self._timer.isActive():
            self._timer.start()

    def _first_unread(self, transcript: TranscriptModel, unread: int) -> Entry | None:
        """The first of the last ``unread`` messages of others in ``transcript`` (None: nothing unread)."""
        if unread <= 0:
            return None
        entries = transcript.transcript
        seen = 0
        for row in range(len(entries) - 1, -1, -1):
            if entries[row].kind is EntryKind.OTHER and entries[row].sender != self.client.name:
                seen += 1
                if seen == unread:
                    return entries[row]
        return None
