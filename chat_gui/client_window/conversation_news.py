"""What happens in the conversations, as the client engine reports it, put in their transcripts.

Messages (live, or the history replayed after a welcome under one header per conversation), the server's
acknowledgements and refusals of the user's own messages, members joining, leaving and renamed, server notices;
a message that comes while its conversation is not in view is counted unread and notified as attention.py says.
The connection's own news (welcome, goodbye, errors) is the window's; it adds it through ``add``.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QWidget

from chat_gui.client import LOBBY, Acked, ChatClient, ChatMessage, Conversation, NoticeReceived, Welcomed
from chat_gui.client_window import room_lines
from chat_gui.client_window.attention import Looking, counts_unread, notifies
from chat_gui.client_window.conversation_pane import ConversationPane
from chat_gui.client_window.notifier import Notifier
from chat_gui.client_window.transcript import Delivery, Entry, EntryKind, message_entry
from chat_gui.client_window.words import left_line, online_phrase

NOTIFIED_CHARACTERS = 200
"""A notification shows a message up to this many characters (the rest cut, with an ellipsis)."""


class ConversationNews(QObject):
    """Puts the engine's news of the conversations in their transcripts; counts unread and notifies."""

    unread_counted = Signal()  # a message was counted unread: the title shows the count

    def __init__(self, client: ChatClient, pane: ConversationPane, notifier: Notifier, window: QWidget,
                 parent: QObject | None = None) -> None:
        """``window``: whether it is in front decides what counts unread and what notifies."""
        super().__init__(parent)
        self.client = client
        self.pane = pane
        self.notifier = notifier
        self._window = window
        self.sent_in: dict[str, Conversation] = {}  # own messages not yet settled: id -> their conversation
        self._replayed: set[Conversation] = set()  # conversations whose history header is said since the welcome
        self._online = 0  # members online, as the server last said
        self._history_header = ""  # said once before the history the server replays after a welcome

    def connect_signals(self) -> None:
        """Called by the window's ``_connect_signals``, in its order (after the member panel's)."""
        client = self.client
        client.message_acked.connect(self._on_client_message_acked)
        client.chat_received.connect(self._on_client_chat_received)
        client.member_joined.connect(self._on_client_member_joined)
        client.member_left.connect(self._on_client_member_left)
        client.member_renamed.connect(self._on_client_member_renamed)
        client.notice_received.connect(self._on_client_notice_received)
        client.problem_reported.connect(self._on_client_problem_reported)
        client.disconnected.connect(self._on_client_disconnected)
        self.pane.notice_arrived.connect(self._on_pane_notice_arrived)

    def add(self, kind: EntryKind, text: str, at: float | None = None) -> None:
        """A line in the lobby; the connection's own news (welcome, goodbye, errors) also where the user looks."""
        self.pane.transcript(LOBBY).add(Entry(kind, text, time.time() if at is None else at))
        current = self.pane.current
        if current != LOBBY and kind in (EntryKind.WELCOME, EntryKind.GOODBYE, EntryKind.INFO, EntryKind.ERROR):
            self.pane.add(current, kind, text, at)

    def online_text(self) -> str:
        """``2/3 online``: as the server last said."""
        return online_phrase(self._online, self.client.max_clients)

    def welcomed(self, welcome: Welcomed, back: bool) -> None:
        """A welcome came (``back``: after an earlier session): the count, and the header of the history next."""
        self._online = welcome.online
        self._history_header = self.tr("Messages you missed:") if back else self.tr("Earlier messages:")
        self._replayed.clear()

    # --- what the client engine reports ------------------------------------------------------------

    @Slot(object, float)
    def _on_client_message_acked(self, ack: Acked, rtt_ms: float) -> None:
        transcript = self.pane.transcript(self.sent_in.pop(ack.id, ack.conversation))
        transcript.set_delivery(ack.id, Delivery.ACKED, server_time=ack.time, rtt_ms=rtt_ms, seq=ack.seq)
        if ack.delivered_later:
            transcript.add(Entry(EntryKind.INFO, room_lines.delivered_later_line(ack.conversation.name), ack.time))

    @Slot(object)
    def _on_client_chat_received(self, relay: ChatMessage) -> None:
        conversation = relay.conversation
        self.pane.open_quietly(conversation)
        transcript = self.pane.transcript(conversation)
        if relay.history and self._history_header and conversation not in self._replayed:
            transcript.add(Entry(EntryKind.INFO, self._history_header, relay.time))
        self._replayed.add(conversation)  # a live message first: no header for this conversation after it
        entry = message_entry(relay, self.client.name)
        transcript.add(entry)
        if not relay.history and relay.sender != self.client.name:  # (this member's own: from another window)
            self._attention(conversation, relay.sender, relay.text, mentioned=entry.mentioned)

    @Slot(str, int)
    def _on_client_member_joined(self, name: str, online: int) -> None:
        self._online = online
        if name == self.client.name:
            return  # the welcome already said so
        self.add(EntryKind.JOINED, self.tr("{name} joined · {online}").format(name=name, online=self.online_text()))

    @Slot(str, str, int)
    def _on_client_member_left(self, name: str, reason: str, online: int) -> None:
        self._online = online
        self.add(EntryKind.LEFT, f"{left_line(name, reason)} · {self.online_text()}")

    @Slot(str, str)
    def _on_client_member_renamed(self, old: str, new: str) -> None:
        conversations = self.pane.model
        conversations.rename(Conversation.direct(old), Conversation.direct(new))  # a direct one follows
        conversations.member_renamed(old, new)  # and a room it owns
        self.add(EntryKind.RENAMED, self.tr("{old} is now {new}").format(old=old, new=new))

    @Slot(str, bool)
    def _on_client_notice_received(self, text: str, private: bool) -> None:
        self.pane.transcript(LOBBY).add(Entry(EntryKind.NOTICE, text, time.time(), private=private))
        self._attention(LOBBY, self.tr("Server notice"), text, always=True)

    @Slot(str, str, str)
    def _on_client_problem_reported(self, text: str, message_id: str, room: str) -> None:
        # (A refusal before the welcome is not reported here: the disconnect that follows shows it.)
        # Said where it belongs: the message's conversation, the room a request named (if open), else in view.
        about = Conversation.room(room) if room else self.pane.current
        conversation = about if about in self.pane.model.conversations else self.pane.current
        if message_id:
            conversation = self.sent_in.pop(message_id, conversation)
        transcript = self.pane.transcript(conversation)
        if message_id:
            transcript.set_delivery(message_id, Delivery.REFUSED)
        transcript.add(Entry(EntryKind.ERROR, text, time.time()))

    @Slot(str, str)
    def _on_client_disconnected(self, _kind: str, _text: str) -> None:
        self._online = 0

    @Slot(object)
    def _on_pane_notice_arrived(self, notice: NoticeReceived) -> None:
        self._attention(notice.conversation, self.tr("Server notice"), notice.text)

    def _attention(self, conversation: Conversation, sender: str, text: str, always: bool = False,
                   mentioned: bool = False) -> None:
        """A message came: count it unread unless it is in view, and notify as attention.py says
        (``always``: a server notice, notified whenever the window is not in front; ``mentioned``: it mentions
        this member)."""
        window = self._window
        looking = Looking(self.pane.current, window.isActiveWindow() and not window.isMinimized())
        if counts_unread(conversation, looking):
            self.pane.model.count_unread(conversation, mentions=int(mentioned))
            self.unread_counted.emit()
        if not (notifies(conversation, looking, self.pane.is_muted(conversation), mentioned)
                or (always and not looking.in_front)):
            return
        who = self.client.name or self.tr("you")
        if not conversation.is_room:
            title = self.tr("{sender} (direct message to {who})").format(sender=sender, who=who)
        elif conversation != LOBBY:
            title = self.tr("{sender} in {room} (to {who})").format(sender=sender, room=conversation.name, who=who)
        else:
            title = self.tr("{sender} (to {who})").format(sender=sender, who=who)
        limit = NOTIFIED_CHARACTERS
        self.notifier.notify(title, text if len(text) <= limit else text[:limit - 3] + "…")
