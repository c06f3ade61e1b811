"""The client window's message box: the field, Send, and the line under them about the server's limit.

Tab completes an ``@name`` from the members of the conversation in view (mention_completion.py). What is typed goes
to the conversation in view: the engine queues it (sent at once when online) and the box puts
it in that conversation's transcript with its delivery state. A message the server would refuse (empty, several
lines, too long) is kept in the field and the line under it says why, in the window's language.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton

from chat_gui.client import LOBBY, ChatClient, ClientState, Conversation
from chat_gui.client_window.conversation_pane import ConversationPane
from chat_gui.client_window.mention_completion import MentionCompleter
from chat_gui.client_window.transcript import Delivery, Entry, EntryKind
from chat_gui.client_window.transcript_view import TranscriptView
from chat_gui.widgets import problem_sentence
from chat_server import protocol as p

LIMIT_WARNING_FRACTION = 0.8
"""Show the byte count under the message box once a message passes this share of the limit."""


class MessageBox(QObject):
    """The message field and Send (``row``) and the limit line (``limit_label``), for the window to lay out."""

    def __init__(self, client: ChatClient, pane: ConversationPane, transcript_view: TranscriptView,
                 sent_in: dict[str, Conversation], parent: QObject | None = None) -> None:
        """``sent_in``: own messages not yet settled, id -> their conversation (shared with the window's news)."""
        super().__init__(parent)
        self.client = client
        self.pane = pane
        self.transcript_view = transcript_view
        self.sent_in = sent_in
        self.edit = QLineEdit()
        self.completer = MentionCompleter()
        # The names Tab completes from, in a conversation (the window gives the member list's).
        self.names_in: Callable[[Conversation], list[str]] = lambda conversation: []
        self.edit.installEventFilter(self)
        self.set_conversation(LOBBY)
        self.edit.setAccessibleName(self.tr("Message"))
        self.set_max_line_bytes(p.DEFAULT_MAX_LINE_BYTES)
        self.send_button = QPushButton(self.tr("Sen&d"))
        self.limit_label = QLabel()
        self.limit_label.setWordWrap(True)
        self.limit_label.hide()
        self.row = QHBoxLayout()
        self.row.addWidget(self.edit, 1)
        self.row.addWidget(self.send_button)

    def connect_signals(self) -> None:
        """Called by the window's ``_connect_signals``, in its order."""
        self.edit.returnPressed.connect(self._on_edit_return_pressed)
        self.edit.textChanged.connect(self._on_edit_text_changed)
        self.send_button.clicked.connect(self._on_edit_return_pressed)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Tab in the field completes an ``@name`` (when there is one to complete; else it moves the focus on)."""
        if (watched is self.edit and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() == Qt.Key.Key_Tab and event.modifiers() == Qt.KeyboardModifier.NoModifier):
            return self.complete_mention()
        return super().eventFilter(watched, event)

    def complete_mention(self) -> bool:
        """Complete the ``@word`` before the cursor (or the next name, on a repeated Tab); whether it did."""
        completed = self.completer.complete(self.edit.text(), self.edit.cursorPosition(),
                                            self.names_in(self.pane.current), self.client.name)
        if completed is None:
            return False
        self.edit.setText(completed.text)
        self.edit.setCursorPosition(completed.cursor)
        return True

    def set_conversation(self, conversation: Conversation) -> None:
        """Say in the empty field where a message goes."""
        self.completer.reset()
        self.edit.setPlaceholderText(self.tr("Message {conversation} and press Enter").format(
            conversation=conversation.name))

    def set_max_line_bytes(self, limit: int) -> None:
        """Let the field take twice the server's limit: enough to paste, then see how much is too much."""
        self.edit.setMaxLength(max(32767, 2 * limit))

    @Slot()
    def _on_edit_return_pressed(self) -> None:
        self.send_typed()

    @Slot(str)
    def _on_edit_text_changed(self, _text: str) -> None:
        self.update_limit_hint()

    def send_typed(self) -> str | None:
        """Send what is typed to the conversation in view: the message id, or None if it is not sent."""
        text = self.edit.text()
        if not text.strip():
            return None  # an empty message is not sent, and nothing needs saying
        if self.client.message_problem(text) is not None:
            self.update_limit_hint()
            return None
        conversation = self.pane.current
        message_id = self.client.send(text, conversation)
        if message_id is None:
            return None
        state = self.client.state
        # Offline, it waits for a reconnect under way; after Exit (or Stop reconnecting), for the Reconnect button.
        coming = self.client.reconnect_pending or state in (ClientState.CONNECTING, ClientState.JOINING)
        delivery = Delivery.SENDING if state is ClientState.ONLINE else Delivery.QUEUED if coming else Delivery.HELD
        self.sent_in[message_id] = conversation
        self.pane.transcript(conversation).add(
            Entry(EntryKind.OWN, text, time.time(), sender=self.client.name, message_id=message_id,
                  delivery=delivery))
        self.transcript_view.follow = True
        self.edit.clear()
        return message_id

    def update_limit_hint(self) -> None:
        """The line under the field: why the text would be refused, or its size once it nears the limit."""
        text = self.edit.text()
        fault = self.client.message_problem(text) if text.strip() else None
        problem = problem_sentence(fault) if fault is not None else None  # worded in the window's language
        size = self.client.message_bytes(text) if text else 0
        limit = self.client.max_line_bytes
        locale = self.edit.locale()
        if problem is not None:
            self.limit_label.setText(self.tr("⚠ {problem} (the limit is {limit} bytes)").format(
                problem=problem, limit=locale.toString(limit)))
        elif size > limit * LIMIT_WARNING_FRACTION:
            self.limit_label.setText(self.tr("{size} of {limit} bytes").format(
                size=locale.toString(size), limit=locale.toString(limit)))
        self.limit_label.setVisible(problem is not None or size > limit * LIMIT_WARNING_FRACTION)
        self.send_button.setEnabled(bool(text.strip()) and problem is None)
