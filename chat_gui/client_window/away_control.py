"""Away in the client window: set by hand (the Away menu), automatically after a while without input, and shown.

``IdleWatch`` is the automatic part as plain logic with the clock passed in: after ``AUTO_AWAY_AFTER_S`` without
a key or the mouse in the window the member is away (with no message), and the next input brings it back, unless
it has set away by hand meanwhile. ``AwayControl`` feeds it the window's input, sets away through the engine,
offers the menu, keeps the member list's away marks fresh and puts the away replies in their conversations.

Away belongs to the member, not to one window: set or ended in another window of the member's, it is this window's
too (the menu follows). What the member does there (its away or back, its messages) counts as activity for this
window's idle time, so a window left aside does not set the member away while it is busy in another; and an away
without a message set there (what the automatic one sets) ends with input here, as the automatic one would.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit, QMainWindow, QMenu, QWidget

from chat_gui.client import AwayChanged, AwayReplied, ChatClient, ChatMessage, ClientState
from chat_gui.client_window.conversation_pane import ConversationPane
from chat_gui.client_window.member_list import MemberListModel
from chat_gui.client_window.transcript import EntryKind

AUTO_AWAY_AFTER_S = 600.0
"""Without a key or the mouse in the window for this long, the member is set away (10 minutes)."""
CHECK_EVERY_MS = 15_000
"""How often the window asks whether it is time to go away."""
_INPUT_EVENTS = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
                           QEvent.Type.Wheel})


class IdleWatch:
    """When the member has been idle long enough to be away automatically, and when it is back (no Qt)."""

    def __init__(self, now: float) -> None:
        self._input_at = now
        self.auto = False  # away because of idleness (not by hand)

    def input(self, now: float) -> bool:
        """A key or the mouse at ``now``: True if that ends an automatic away."""
        self._input_at = now
        was_auto, self.auto = self.auto, False
        return was_auto

    def due(self, now: float, away: bool) -> bool:
        """True (once) when the member, not ``away`` already, has been idle for ``AUTO_AWAY_AFTER_S`` at ``now``."""
        if away or self.auto or now - self._input_at < AUTO_AWAY_AFTER_S:
            return False
        self.auto = True
        return True

    def by_hand(self) -> None:
        """The member set or cleared away itself: input no longer undoes it."""
        self.auto = False

    def elsewhere(self, now: float) -> None:
        """The member did something in another window at ``now``: its idle time starts again, and nothing ends (an
        automatic away of this window's stays this window's to end)."""
        self._input_at = now


class AwayDialog:
    """Asks for the away message (``ask`` is replaced by tests)."""

    @classmethod
    def ask(cls, parent: QWidget, current: str) -> str | None:
        """The message typed (may be empty), or None if cancelled."""
        text, ok = QInputDialog.getText(
            parent, QCoreApplication.translate("AwayControl", "Set away"),
            QCoreApplication.translate("AwayControl", "Message for the others (optional):"),
            QLineEdit.EchoMode.Normal, current)
        return text.strip() if ok else None


class AwayControl(QObject):
    """The window's away: the menu, the idle timer, the member list's marks and the away replies."""

    def __init__(self, client: ChatClient, window: QMainWindow, pane: ConversationPane, members: MemberListModel,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self.window = window
        self.pane = pane
        self.members = members
        members.away_of = client.away_of
        self.clock: Callable[[], float] = time.monotonic  # replaceable: tests move it on instead of waiting
        self.idle = IdleWatch(self.clock())
        self.menu = QMenu(self.tr("&Away"), window)
        self.away_action = QAction(self.tr("Set &away…"), window)
        self.away_action.setToolTip(self.tr("Tell the others you are away, with a message"))
        self.back_action = QAction(self.tr("I am &back"), window)
        self.menu.addAction(self.away_action)
        self.menu.addAction(self.back_action)
        # The menu joins the menu bar (before Help) when the window is first shown: a menu bar laid out before it
        # has its width would keep the menu in its overflow menu.
        self._in_menu_bar = False
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_EVERY_MS)
        self.update_actions()

    def connect_signals(self) -> None:
        self.client.state_changed.connect(self._on_client_state_changed)
        self.client.away_changed.connect(self._on_client_away_changed)
        self.client.chat_received.connect(self._on_client_chat_received)
        self.client.away_replied.connect(self._on_client_away_replied)
        self.away_action.triggered.connect(self._on_away_action_triggered)
        self.back_action.triggered.connect(self._on_back_action_triggered)
        self._timer.timeout.connect(self.check)
        self._timer.start()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    # --- by hand -----------------------------------------------------------------------------------

    def set_away(self, message: str | None) -> None:
        """Away with ``message`` (None: back), as the menu does."""
        self.idle.by_hand()
        self.client.set_away(message)
        self.update_actions()

    @Slot()
    def _on_away_action_triggered(self) -> None:
        message = AwayDialog.ask(self.window, self.client.away_message or "")
        if message is not None:
            self.set_away(message)

    @Slot()
    def _on_back_action_triggered(self) -> None:
        self.set_away(None)

    # --- automatically -----------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in _INPUT_EVENTS and isinstance(watched, QWidget) and watched.window() is self.window:
            self.user_input()
        elif kind == QEvent.Type.Show and watched is self.window and not self._in_menu_bar:
            self._in_menu_bar = True
            bar = self.window.menuBar()
            actions = bar.actions()
            bar.insertMenu(actions[0], self.menu) if actions else bar.addMenu(self.menu)
        return False

    def user_input(self) -> None:
        """A key or the mouse in the window: an automatic away ends, and so does one without a message that
        another window set."""
        was_auto = self.idle.input(self.clock())
        if self.client.away_message == "" and (was_auto or self.client.away_set_elsewhere):
            self.client.set_away(None)
            self.update_actions()

    @Slot()
    def check(self) -> None:
        """Set away if the window has been idle long enough (the timer asks every ``CHECK_EVERY_MS``)."""
        online = self.client.state is ClientState.ONLINE and self.client.has_rooms
        if online and self.idle.due(self.clock(), self.client.away_message is not None):
            self.client.set_away("")
            self.update_actions()

    # --- shown ---------------------------------------------------------------------------------------

    def update_actions(self) -> None:
        usable = self.client.state is ClientState.ONLINE and self.client.has_rooms
        self.away_action.setEnabled(usable)
        self.back_action.setEnabled(usable and self.client.away_message is not None)

    @Slot(str)
    def _on_client_state_changed(self, _state: str) -> None:
        self.update_actions()

    @Slot(object)
    def _on_client_away_changed(self, change: AwayChanged) -> None:
        self.members.refresh(change.name)
        if change.name == self.client.name:  # this window's answer, or another window's away or back
            if self.client.away_set_elsewhere:
                self.idle.elsewhere(self.clock())
            self.update_actions()

    @Slot(object)
    def _on_client_chat_received(self, message: ChatMessage) -> None:
        if message.sender == self.client.name and not message.history:  # said in another window of the member's
            self.idle.elsewhere(self.clock())

    @Slot(object)
    def _on_client_away_replied(self, reply: AwayReplied) -> None:
        line = self.tr("{name} is away: {message}").format(name=reply.name, message=reply.message) if reply.message \
            else self.tr("{name} is away.").format(name=reply.name)
        self.pane.add(reply.conversation, EntryKind.INFO, line)
