"""The client window's conversations: rooms, then direct messages, each with its transcript, unread count and mute.

``ConversationList`` is the plain-Python state (no Qt): which conversations there are, in the sidebar's order
(``#lobby`` first, the other rooms by name, then the direct conversations by name), and each one's unread count,
mute and topic. ``ConversationModel`` is the thin list model the sidebar shows over it, with a heading row before
the rooms and before the direct messages, and it keeps one ``TranscriptModel`` per conversation, so switching
conversations only shows another model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSettings,
    Qt,
    Signal,
)

from chat_gui.client import LOBBY, Conversation
from chat_gui.client_window.transcript import TranscriptModel
from chat_gui.client_window.words import QT_TRANSLATE_NOOP, counts

ROOMS_HEADING = QT_TRANSLATE_NOOP("Conversations", "Rooms")
DIRECT_HEADING = QT_TRANSLATE_NOOP("Conversations", "Direct messages")
"""The headings, in English; translated where shown."""

translate = QCoreApplication.translate

ConversationRole = Qt.ItemDataRole.UserRole + 1
"""The role under which the model gives a row's Conversation (None for a heading)."""
UnreadRole = Qt.ItemDataRole.UserRole + 2
MutedRole = Qt.ItemDataRole.UserRole + 3
HeadingRole = Qt.ItemDataRole.UserRole + 4
"""True for the heading rows ("Rooms", "Direct messages"), which cannot be selected."""
MentionsRole = Qt.ItemDataRole.UserRole + 5
"""How many of a conversation's unread messages mention this member (the sidebar's "@" badge)."""


@dataclass(slots=True)
class ConversationItem:
    """One conversation in the sidebar: how many messages came since it was last read, muted or not, its topic;
    for a room, whether it is private and who owns it (None: nobody), as the server said (the welcome, a join)."""

    conversation: Conversation
    unread: int = 0
    mentions: int = 0  # how many of the unread messages mention this member
    muted: bool = False
    topic: str = ""
    private: bool = False
    owner: str | None = None


Row = str | ConversationItem
"""A sidebar row: a heading's words, or a conversation."""


def _order(conversation: Conversation) -> tuple[bool, str]:
    return conversation != LOBBY, conversation.name.casefold()


class ConversationList:
    """The conversations this member has open; ``#lobby`` is always there. No Qt here."""

    def __init__(self) -> None:
        self._items: dict[Conversation, ConversationItem] = {LOBBY: ConversationItem(LOBBY)}

    def __contains__(self, conversation: object) -> bool:
        return conversation in self._items

    def get(self, conversation: Conversation) -> ConversationItem | None:
        return self._items.get(conversation)

    @property
    def conversations(self) -> list[Conversation]:
        """Every conversation, in the sidebar's order."""
        return [row.conversation for row in self.rows() if isinstance(row, ConversationItem)]

    def rows(self) -> list[Row]:
        """The sidebar's rows: the rooms under their heading, then the direct conversations under theirs (if any)."""
        rooms = sorted((item for item in self._items.values() if item.conversation.is_room),
                       key=lambda item: _order(item.conversation))
        direct = sorted((item for item in self._items.values() if not item.conversation.is_room),
                        key=lambda item: _order(item.conversation))
        rows: list[Row] = [ROOMS_HEADING, *rooms]
        if direct:
            rows += [DIRECT_HEADING, *direct]
        return rows

    def add(self, conversation: Conversation) -> bool:
        """Open ``conversation``; False if it was open already."""
        if conversation in self._items:
            return False
        self._items[conversation] = ConversationItem(conversation)
        return True

    def remove(self, conversation: Conversation) -> bool:
        """Close ``conversation`` (never ``#lobby``); False if it was not open or is the lobby."""
        if conversation == LOBBY or conversation not in self._items:
            return False
        del self._items[conversation]
        return True

    def rename(self, old: Conversation, new: Conversation) -> bool:
        """A member of a direct conversation changed its name: the conversation follows (False if none was open)."""
        item = self._items.pop(old, None)
        if item is None or new in self._items:
            if item is not None:
                self._items[old] = item
            return False
        item.conversation = new
        self._items[new] = item
        return True

    @property
    def total_unread(self) -> int:
        """Unread messages of every conversation that is not muted."""
        return sum(item.unread for item in self._items.values() if not item.muted)


class ConversationModel(QAbstractListModel):
    """The sidebar's rows over a ConversationList, and each conversation's transcript."""

    renamed = Signal(object, object)  # old, new Conversation: said before the rows change, so a view can follow

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.conversations = ConversationList()
        self._rows: list[Row] = self.conversations.rows()
        self._transcripts: dict[Conversation, TranscriptModel] = {LOBBY: TranscriptModel(parent=self)}

    # --- the model interface ------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if isinstance(row, str):
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return translate("Conversations", row)
            return True if role == HeadingRole else None
        conversation = row.conversation
        if role == Qt.ItemDataRole.DisplayRole:
            return conversation.name
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return describe(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            if not conversation.is_room:
                return translate("Conversations", "Direct messages with {partner}").format(partner=conversation.name)
            return f"{conversation.name}: {row.topic}" if row.topic else conversation.name
        if role == ConversationRole:
            return conversation
        if role == UnreadRole:
            return row.unread
        if role == MentionsRole:
            return row.mentions
        if role == MutedRole:
            return row.muted
        if role == HeadingRole:
            return False
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return Qt.ItemFlag.NoItemFlags
        if isinstance(self._rows[index.row()], str):
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # --- reading ------------------------------------------------------------------------------

    def index_of(self, conversation: Conversation) -> QModelIndex:
        """The row of ``conversation`` (an invalid index if it is not open)."""
        for row, item in enumerate(self._rows):
            if isinstance(item, ConversationItem) and item.conversation == conversation:
                return self.index(row)
        return QModelIndex()

    def item(self, conversation: Conversation) -> ConversationItem | None:
        return self.conversations.get(conversation)

    def transcript(self, conversation: Conversation) -> TranscriptModel:
        """The transcript of ``conversation``, made empty on first use (open the conversation with ``add``)."""
        model = self._transcripts.get(conversation)
        if model is None:
            model = self._transcripts[conversation] = TranscriptModel(parent=self)
        return model

    def transcripts(self) -> list[TranscriptModel]:
        """The transcript of every open conversation, in the sidebar's order."""
        return [self.transcript(conversation) for conversation in self.conversations.conversations]

    # --- changes ----------------------------------------------------------------------------

    def add(self, conversation: Conversation) -> bool:
        """Open ``conversation`` (a row in the sidebar, an empty transcript); False if it was open already."""
        if conversation in self.conversations:
            return False
        self._restructure(lambda: self.conversations.add(conversation))
        self.transcript(conversation)
        return True

    def remove(self, conversation: Conversation) -> bool:
        """Close ``conversation`` and drop its transcript (never ``#lobby``)."""
        if conversation == LOBBY or conversation not in self.conversations:
            return False
        self._restructure(lambda: self.conversations.remove(conversation))
        model = self._transcripts.pop(conversation, None)
        if model is not None:
            model.deleteLater()
        return True

    def rename(self, old: Conversation, new: Conversation) -> bool:
        """A direct partner's new name, or a room's (perhaps only spelt anew, ``#dev`` to ``#Dev``): its conversation
        and transcript follow."""
        if old not in self.conversations or (new in self.conversations and new != old):
            return False
        self.renamed.emit(old, new)
        self._restructure(lambda: self.conversations.rename(old, new))
        model = self._transcripts.pop(old, None)
        self._transcripts[new] = model if model is not None else TranscriptModel(parent=self)
        return True

    def count_unread(self, conversation: Conversation, count: int = 1, mentions: int = 0) -> None:
        item = self.conversations.get(conversation)
        if item is not None:
            item.unread += count
            item.mentions += mentions
            self._changed(conversation)

    def mark_read(self, conversation: Conversation) -> None:
        item = self.conversations.get(conversation)
        if item is not None and (item.unread or item.mentions):
            item.unread = item.mentions = 0
            self._changed(conversation)

    def set_unread(self, conversation: Conversation, unread: int, mentions: int) -> None:
        """The counts as read markers say them (what was read elsewhere is read here too)."""
        item = self.conversations.get(conversation)
        if item is not None and (item.unread, item.mentions) != (unread, mentions):
            item.unread, item.mentions = unread, mentions
            self._changed(conversation)

    def set_muted(self, conversation: Conversation, muted: bool) -> None:
        item = self.conversations.get(conversation)
        if item is not None:
            item.muted = muted
            self._changed(conversation)

    def set_topic(self, conversation: Conversation, topic: str) -> None:
        item = self.conversations.get(conversation)
        if item is not None:
            item.topic = topic
            self._changed(conversation)

    def set_details(self, conversation: Conversation, topic: str, private: bool, owner: str | None) -> None:
        """A room's details, as the server gave them when this member entered it or was welcomed."""
        item = self.conversations.get(conversation)
        if item is not None:
            item.topic, item.private, item.owner = topic, private, owner
            self._changed(conversation)

    def member_renamed(self, old: str, new: str) -> None:
        """A member changed its name: so does the owner of the rooms it owns."""
        for conversation in self.conversations.conversations:
            item = self.conversations.get(conversation)
            if item is not None and item.owner == old:
                item.owner = new

    def _changed(self, conversation: Conversation) -> None:
        index = self.index_of(conversation)
        self.dataChanged.emit(index, index)

    def _restructure(self, change: Callable[[], object]) -> None:
        # Rows come and go rarely (a join, a leave, a first direct message): a reset is simplest and cheap.
        self.beginResetModel()
        change()
        self._rows = self.conversations.rows()
        self.endResetModel()


def describe(item: ConversationItem) -> str:
    """A conversation as a screen reader reads its sidebar row."""
    if item.conversation.is_room:
        words = [translate("Conversations", "{room}, room").format(room=item.conversation.name)]
    else:
        words = [translate("Conversations", "{partner}, direct messages").format(partner=item.conversation.name)]
    if item.unread:
        words.append(counts().unread(item.unread))
    if item.mentions:
        words.append(counts().mentions(item.mentions))
    if item.muted:
        words.append(translate("Conversations", "muted"))
    return ", ".join(words)


class MutedRooms:
    """The rooms muted on each server, remembered in the settings (by the server's address and the room's key)."""

    def __init__(self, settings: QSettings) -> None:
        self.settings = settings

    def of(self, server: str) -> list[str]:
        value = self.settings.value(f"muted/{server}", [])
        if isinstance(value, list):
            return [str(room) for room in value]
        return [str(value)] if value else []  # QSettings gives a one-item list back as a plain string

    def remember(self, server: str, room: Conversation, muted: bool) -> None:
        rooms = [key for key in self.of(server) if key != room.key]
        self.settings.setValue(f"muted/{server}", [*rooms, room.key] if muted else rooms)
