"""Typing indicators in the client window: the line under the transcript, and what the message box says.

The line shows who types in the conversation in view ("alice is typing…"); its height is kept whether it says
something or not, so that the transcript never jumps. The message field drives the member's own notices:
``active`` as keys are typed (the engine sends it at most every 3 s), ``paused`` after ``PAUSE_AFTER_MS`` without a
key, ``done`` when the field is emptied (cleared, or the message sent) or another conversation is shown.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Slot
from PySide6.QtWidgets import QLabel, QLineEdit, QSizePolicy

from chat_gui.client import ChatClient, Conversation, TypingChanged, TypingState
from chat_gui.client_window.conversation_pane import ConversationPane
from chat_gui.client_window.transcript_view import muted

PAUSE_AFTER_MS = 3000
"""After this long without a key in a field that holds text, the member is said to have paused."""


def typing_text(names: tuple[str, ...]) -> str:
    """What the line says of ``names`` typing, in the window's language ("" for nobody)."""
    if not names:
        return ""
    if len(names) == 1:
        return QCoreApplication.translate("TypingLine", "{name} is typing…").format(name=names[0])
    if len(names) == 2:
        return QCoreApplication.translate("TypingLine", "{first} and {second} are typing…").format(
            first=names[0], second=names[1])
    return QCoreApplication.translate("TypingLine", "Several people are typing…")


class TypingLine(QObject):
    """The typing line (``label``, for the window to lay out) and the message field's typing notices."""

    def __init__(self, client: ChatClient, pane: ConversationPane, edit: QLineEdit,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self.pane = pane
        self.edit = edit
        self.label = QLabel()
        self.label.setAccessibleName(self.tr("Who is typing"))
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.label.setMinimumHeight(self.label.fontMetrics().height())  # reserved: no jump when it fills
        palette = self.label.palette()
        palette.setColor(self.label.foregroundRole(), muted(palette))
        self.label.setPalette(palette)
        self._typing_in = pane.current  # where the field's text is typed
        self.pause_timer = QTimer(self)  # (tests shorten it instead of waiting)
        self.pause_timer.setSingleShot(True)
        self.pause_timer.setInterval(PAUSE_AFTER_MS)

    def connect_signals(self) -> None:
        self.client.typing_changed.connect(self._on_client_typing_changed)
        self.pane.conversation_shown.connect(self._on_pane_conversation_shown)
        self.edit.textEdited.connect(self._on_edit_text_edited)
        self.edit.textChanged.connect(self._on_edit_text_changed)
        self.pause_timer.timeout.connect(self._on_pause_timeout)

    @property
    def text(self) -> str:
        return self.label.text()

    @Slot(object)
    def _on_client_typing_changed(self, change: TypingChanged) -> None:
        if change.conversation == self.pane.current:
            self._show(change.names)

    @Slot(object)
    def _on_pane_conversation_shown(self, conversation: Conversation) -> None:
        if conversation != self._typing_in:
            self.pause_timer.stop()
            self.client.set_typing(self._typing_in, TypingState.DONE)
            self._typing_in = conversation
        self._show(self.client.typists(conversation))

    @Slot(str)
    def _on_edit_text_edited(self, text: str) -> None:
        if text.strip():
            self.client.set_typing(self._typing_in, TypingState.ACTIVE)
            self.pause_timer.start()

    @Slot(str)
    def _on_edit_text_changed(self, text: str) -> None:
        if not text.strip():
            self.pause_timer.stop()
            self.client.set_typing(self._typing_in, TypingState.DONE)

    @Slot()
    def _on_pause_timeout(self) -> None:
        if self.edit.text().strip():
            self.client.set_typing(self._typing_in, TypingState.PAUSED)

    def _show(self, names: tuple[str, ...]) -> None:
        text = typing_text(names)
        self.label.setText(text)
        self.label.setToolTip(", ".join(names))
