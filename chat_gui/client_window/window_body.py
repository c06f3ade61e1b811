"""The client window's central widget: what sits where, and the state line under the connect panel.

From the top: the connect panel and the servers list (while offline), the state line (a dot, the words, a busy
bar, Status and Exit), the three panes (conversations, the one in view with who is typing in it under its
transcript, its members) and the message box. It builds and lays out the widgets and sets the tab order; what they
do is the window's and its parts' business.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListView,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from chat_gui.client_window.connect_panel import ConnectPanel
from chat_gui.client_window.conversation_pane import ConversationPane
from chat_gui.client_window.member_colors import member_color
from chat_gui.client_window.member_list import MemberListModel
from chat_gui.client_window.message_box import MessageBox
from chat_gui.client_window.room_actions import RoomActions
from chat_gui.client_window.server_list import ServerListPanel
from chat_gui.client_window.transcript_view import TranscriptView, muted, tone
from chat_gui.widgets import show_focus


def status_dot(color: QColor, size: int) -> QPixmap:
    """A filled circle, like the presence dot of chat apps."""
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    diameter = size * 0.6
    painter.drawEllipse(QRectF((size - diameter) / 2, (size - diameter) / 2, diameter, diameter))
    painter.end()
    return pixmap


class WindowBody(QWidget):
    """The client window's widgets, laid out; the state line's ``show_state``."""

    def __init__(self, connect_panel: ConnectPanel, server_list: ServerListPanel, pane: ConversationPane,
                 transcript_view: TranscriptView, room_actions: RoomActions, members: MemberListModel,
                 message_box: MessageBox, typing_label: QWidget | None = None, parent: QWidget | None = None,
                 attach_button: QWidget | None = None) -> None:
        """``attach_button``: beside Send (the window's files put it there), after it in the tab order."""
        super().__init__(parent)
        self.state_icon = QLabel()
        self.state_label = QLabel()
        self.state_label.setWordWrap(True)
        self.state_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy
        self.progress.setTextVisible(False)
        self.progress.setMaximumWidth(120)
        self.progress.setMaximumHeight(12)
        self.status_button = QPushButton(self.tr("S&tatus"))
        self.status_button.setToolTip(self.tr("Ask the server who has connected since it started"))
        self.exit_button = QPushButton(self.tr("E&xit"))
        self.exit_button.setToolTip(self.tr("Leave the chat; the window stays open so you can reconnect"))
        state_row = QHBoxLayout()
        state_row.addWidget(self.state_icon)
        state_row.addWidget(self.state_label, 1)
        state_row.addWidget(self.progress)
        state_row.addWidget(self.status_button)
        state_row.addWidget(self.exit_button)

        transcript_view.setAccessibleName(self.tr("Transcript"))
        self.members_label = QLabel()
        self.members_view = QListView()
        self.members_view.setModel(members)
        self.members_view.setAccessibleName(self.tr("Members"))
        self.members_view.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.members_view.setSpacing(2)
        # A long row (a member away with its message) ends in "…" rather than bringing a scroll bar in; its tooltip
        # says it whole.
        self.members_view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.members_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        members.icon_for = self._member_icon
        members.offline_icon = self._offline_icon
        members.offline_color = lambda: muted(self.palette())
        self.members_label.setBuddy(self.members_view)
        members_panel = QWidget()
        members_layout = QVBoxLayout(members_panel)
        members_layout.setContentsMargins(0, 0, 0, 0)
        members_layout.addWidget(self.members_label)
        members_layout.addWidget(self.members_view)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(pane.sidebar)
        conversation_panel = QWidget()
        conversation_layout = QVBoxLayout(conversation_panel)
        conversation_layout.setContentsMargins(0, 0, 0, 0)
        header_row = QHBoxLayout()
        header_row.addWidget(pane.header, 1)
        header_row.addWidget(room_actions.button, 0, Qt.AlignmentFlag.AlignTop)
        conversation_layout.addLayout(header_row)
        conversation_layout.addWidget(transcript_view, 1)
        if typing_label is not None:  # who is typing, under the transcript (its height always kept)
            conversation_layout.addWidget(typing_label)
        self.splitter.addWidget(conversation_panel)
        self.splitter.addWidget(members_panel)
        # The transcript takes most of a change of width, the lists some: a narrow window (half of a 1024-pixel
        # screen) keeps room for the transcript.
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([160, 560, 160])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 10)
        layout.setSpacing(6)
        layout.addWidget(connect_panel)
        layout.addWidget(server_list)
        layout.addLayout(state_row)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(message_box.row)
        layout.addWidget(message_box.limit_label)

        sidebar = pane.sidebar
        for first, second in [
            (connect_panel.host_edit, connect_panel.port_spin), (connect_panel.port_spin, connect_panel.name_edit),
            (connect_panel.name_edit, connect_panel.tls_check), (connect_panel.tls_check, connect_panel.connect_button),
            (connect_panel.connect_button, server_list.view), (server_list.view, message_box.edit),
            (message_box.edit, message_box.send_button), (message_box.send_button, attach_button or sidebar.view),
            (attach_button or message_box.send_button, sidebar.view),
            (sidebar.view, sidebar.rooms_button), (sidebar.rooms_button, room_actions.button),
            (room_actions.button, transcript_view),
            (transcript_view, self.members_view), (self.members_view, self.status_button),
            (self.status_button, self.exit_button),
        ]:
            QWidget.setTabOrder(first, second)
        show_focus(sidebar.view, transcript_view, self.members_view, server_list.view)

    def show_state(self, text: str, error: bool = False, busy: bool = False, online: bool = False) -> None:
        """The state line: a dot (green ``online``, else muted; a warning sign for an ``error``), the words, a
        busy bar."""
        self.state_label.setText(text)
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        if error:
            pixmap = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(size, size)
        else:
            pixmap = status_dot(tone(130, self.palette()) if online else muted(self.palette()), size)
        self.state_icon.setPixmap(pixmap)
        self.progress.setVisible(busy)

    def _member_icon(self, name: str) -> QPixmap:
        """The member's colour, as its name is drawn in the transcript."""
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        return status_dot(member_color(name, self.palette()), size)

    def _offline_icon(self) -> QPixmap:
        """A member offline: a muted dot."""
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        return status_dot(muted(self.palette()), size)
