"""The conversation sidebar: rooms, then direct messages, each with its unread count; a menu to mute or leave one
(and a room's own actions, room_actions.py, above those).

It shows a ConversationModel and says what the user picks; the window decides what follows (showing the
transcript, asking the engine to leave). Colours come from the palette, as in the transcript.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, QPoint, QRect, QSize, Qt, Signal, Slot
from PySide6.QtGui import QAction, QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QMenu,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from chat_gui.client import LOBBY, Conversation
from chat_gui.client_window.conversations import (
    ConversationModel,
    ConversationRole,
    HeadingRole,
    MentionsRole,
    MutedRole,
    UnreadRole,
)
from chat_gui.client_window.member_colors import member_color
from chat_gui.client_window.transcript_marks import mention_accent, mention_badge_ink
from chat_gui.client_window.transcript_view import SMALL_SCALE, muted

ROW_PAD_X = 8
ROW_PAD_Y = 5
GLYPH_WIDTH = 16  # the room's "#" or the member's dot, before the name
BADGE_PAD_X = 6
MAX_BADGE = 99
"""Unread counts above this show as "99+"."""


def badge_text(unread: int) -> str:
    return f"{MAX_BADGE}+" if unread > MAX_BADGE else str(unread)


def _small(font: QFont) -> QFont:
    small = QFont(font)
    if font.pointSizeF() > 0:
        small.setPointSizeF(font.pointSizeF() * SMALL_SCALE)
    return small


class ConversationDelegate(QStyledItemDelegate):
    """Draws a heading in small capitals, or a conversation with its glyph, its name and an unread badge."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        font = _small(option.font) if index.data(HeadingRole) else option.font
        extra = 10 if index.data(HeadingRole) and index.row() > 0 else 0  # room above the second heading
        return QSize(option.rect.width(), QFontMetrics(font).height() + 2 * ROW_PAD_Y + extra)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        rect: QRect = option.rect
        palette: QPalette = option.palette
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if index.data(HeadingRole):
            font = _small(option.font)
            font.setBold(True)
            font.setCapitalization(QFont.Capitalization.AllUppercase)
            painter.setFont(font)
            painter.setPen(muted(palette))
            text_rect = rect.adjusted(ROW_PAD_X, ROW_PAD_Y, -ROW_PAD_X, -ROW_PAD_Y)
            painter.drawText(text_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
                             str(index.data(Qt.ItemDataRole.DisplayRole)))
            painter.restore()
            return

        style = option.widget.style() if option.widget is not None else None
        if style is not None:
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        text_color = palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        conversation = index.data(ConversationRole)
        unread = int(index.data(UnreadRole) or 0)
        mentions = int(index.data(MentionsRole) or 0)
        is_muted = bool(index.data(MutedRole))
        inner = rect.adjusted(ROW_PAD_X, 0, -ROW_PAD_X, 0)

        glyph = QRect(inner.left(), inner.top(), GLYPH_WIDTH, inner.height())
        if isinstance(conversation, Conversation) and not conversation.is_room:
            diameter = max(6, QFontMetrics(option.font).height() // 2)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(member_color(conversation.name, palette))
            painter.drawEllipse(QRect(glyph.left() + (GLYPH_WIDTH - diameter) // 2,
                                      glyph.center().y() - diameter // 2 + 1, diameter, diameter))
        else:
            painter.setFont(option.font)
            painter.setPen(text_color if selected else muted(palette))
            painter.drawText(glyph, Qt.AlignmentFlag.AlignCenter, "#")

        right = inner.right()
        small = _small(option.font)
        if unread:
            right = _draw_badge(painter, small, right, inner, badge_text(unread),
                                muted(palette) if is_muted else palette.color(QPalette.ColorRole.Highlight),
                                palette.color(QPalette.ColorRole.HighlightedText))
        if mentions:  # the messages that mention this member, beside the unread count: "@2", in the mentions' amber
            right = _draw_badge(painter, small, right, inner, mention_badge_text(mentions), mention_accent(palette),
                                mention_badge_ink(palette))
        if is_muted:
            painter.setFont(small)
            painter.setPen(text_color if selected else muted(palette))
            fm = QFontMetrics(small)
            label = QCoreApplication.translate("ConversationDelegate", "muted")
            width = fm.horizontalAdvance(label)
            painter.drawText(QRect(right - width, inner.top(), width, inner.height()),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)
            right -= width + 6

        font = QFont(option.font)
        font.setBold(unread > 0 and not is_muted)
        painter.setFont(font)
        painter.setPen(text_color)
        name_rect = QRect(glyph.right() + 4, inner.top(), max(0, right - glyph.right() - 4), inner.height())
        name = str(index.data(Qt.ItemDataRole.DisplayRole))
        if isinstance(conversation, Conversation) and conversation.is_room:
            name = name.removeprefix("#")  # the glyph is the "#"
        elided = QFontMetrics(font).elidedText(name, Qt.TextElideMode.ElideRight, name_rect.width())
        painter.drawText(name_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, elided)
        painter.restore()


def mention_badge_text(mentions: int) -> str:
    return f"@{badge_text(mentions)}"


def _draw_badge(painter: QPainter, small: QFont, right: int, inner: QRect, text: str, fill: QColor,
                ink: QColor) -> int:
    """A rounded badge of ``text`` ending at ``right``, centred on the row; the new right edge for what comes
    before it."""
    badge_font = QFont(small)
    badge_font.setBold(True)
    fm = QFontMetrics(badge_font)
    width = max(fm.height(), fm.horizontalAdvance(text) + 2 * BADGE_PAD_X)
    badge = QRect(right - width + 1, inner.center().y() - fm.height() // 2, width, fm.height())
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(fill)
    painter.drawRoundedRect(badge, badge.height() / 2, badge.height() / 2)
    painter.setFont(badge_font)
    painter.setPen(ink)
    painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, text)
    return badge.left() - 6


class ConversationSidebar(QWidget):
    """The list of conversations and the button to find or create rooms."""

    conversation_selected = Signal(object)  # Conversation
    rooms_requested = Signal()  # the user wants the room dialog
    mute_requested = Signal(object, bool)  # Conversation, muted
    leave_requested = Signal(object)  # Conversation: leave the room, or close the direct conversation

    def __init__(self, model: ConversationModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self._current: Conversation = LOBBY
        # Puts a room's own actions (topic, invitations, ...) at the top of its menu, if set.
        self.room_actions: Callable[[Conversation, QMenu], None] | None = None
        self.label = QLabel(self.tr("C&onversations"))
        self.view = QListView()
        self.view.setModel(model)
        self.view.setItemDelegate(ConversationDelegate(self.view))
        self.view.setAccessibleName(self.tr("Conversations"))
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # the rows fit: names elide
        self.label.setBuddy(self.view)
        self.rooms_button = QPushButton(self.tr("&Rooms…"))
        self.rooms_button.setToolTip(self.tr("Find a room to join, or create one"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.view, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.rooms_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self._connect_signals()
        self.select(LOBBY)

    def _connect_signals(self) -> None:
        self.view.selectionModel().currentChanged.connect(self._on_view_current_changed)
        self.view.customContextMenuRequested.connect(self._on_view_context_menu_requested)
        self.model.modelReset.connect(self._on_model_reset)
        self.model.renamed.connect(self._on_model_renamed)
        self.rooms_button.clicked.connect(self.rooms_requested)

    @property
    def current(self) -> Conversation:
        return self._current

    def select(self, conversation: Conversation) -> None:
        """Make ``conversation`` the selected one (``conversation_selected`` follows if it changed)."""
        index = self.model.index_of(conversation)
        if index.isValid():
            self.view.setCurrentIndex(index)

    def select_next(self, step: int) -> None:
        """Show the next conversation in the list (``step`` 1) or the previous one (-1), round the list."""
        order = self.model.conversations.conversations
        here = order.index(self._current) if self._current in order else 0
        self.select(order[(here + step) % len(order)])

    def menu_for(self, conversation: Conversation) -> QMenu:
        """The context menu of a conversation's row."""
        menu = QMenu(self)
        item = self.model.item(conversation)
        if conversation.is_room:
            if self.room_actions is not None:
                self.room_actions(conversation, menu)
            muted_now = item is not None and item.muted
            mute = QAction(self.tr("Unmute notifications") if muted_now else self.tr("Mute notifications"), menu)
            mute.triggered.connect(lambda: self.mute_requested.emit(conversation, not muted_now))
            menu.addAction(mute)
            if conversation != LOBBY:
                leave = QAction(self.tr("Leave {room}").format(room=conversation.name), menu)
                leave.triggered.connect(lambda: self.leave_requested.emit(conversation))
                menu.addAction(leave)
        else:
            close = QAction(self.tr("Close conversation"), menu)
            close.triggered.connect(lambda: self.leave_requested.emit(conversation))
            menu.addAction(close)
        return menu

    @Slot(QModelIndex, QModelIndex)
    def _on_view_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        conversation = current.data(ConversationRole)
        if isinstance(conversation, Conversation) and conversation != self._current:
            self._current = conversation
            self.conversation_selected.emit(conversation)

    @Slot(QPoint)
    def _on_view_context_menu_requested(self, position: QPoint) -> None:
        conversation = self.view.indexAt(position).data(ConversationRole)
        if isinstance(conversation, Conversation):
            menu = self.menu_for(conversation)
            menu.exec(self.view.viewport().mapToGlobal(position))
            menu.deleteLater()

    @Slot(object, object)
    def _on_model_renamed(self, old: Conversation, new: Conversation) -> None:
        if self._current == old:
            self._current = new  # the conversation in view was renamed: it stays in view

    @Slot()
    def _on_model_reset(self) -> None:
        # Rows came or went: keep the selection on the conversation it was on (the lobby if that one closed).
        if self._current not in self.model.conversations:
            self._current = LOBBY
            self.select(LOBBY)
            self.conversation_selected.emit(LOBBY)
            return
        self.view.setCurrentIndex(self.model.index_of(self._current))  # the same conversation: no signal
