"""The chat transcript: entries in a bounded plain-Python list, and a thin list model over it.

``Transcript`` keeps the newest ``MAX_ENTRIES`` entries (older ones are dropped in chunks),
so a long chat keeps a bounded memory; pages of earlier history go in at its top (``prepend``). Own
messages are found by their message id to mark them acknowledged. ``TranscriptModel`` adapts it to Qt.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass
from enum import Enum, StrEnum
from typing import overload

from PySide6.QtCore import QAbstractListModel, QCoreApplication, QModelIndex, QObject, QPersistentModelIndex, Qt

from chat_gui.client import ChatMessage
from chat_gui.client_window.file_card import FileCard
from chat_server import protocol as p
from chat_server.protocol import clock

MAX_ENTRIES = 200_000
"""How many transcript entries are kept; a longer chat drops its oldest entries.

Bounded still, at twice the 100,000 messages a conversation loaded by scrolling is meant to hold: an entry (with
slots) and its text cost about 300 bytes, so a full transcript is some 60 MB, and the view lays out only the rows in
sight (transcript_view.py), so its size costs no time. Trimming from the far end only while the user reads the
bottom was the other choice; a fixed bound is simpler to reason about and keeps a window that runs for weeks
bounded. Once a transcript has dropped entries it loads no earlier pages (``trimmed``): they would leave a gap."""

TRIM_CHUNK = 500
"""Oldest entries dropped at once when the transcript is full, so trimming is rare."""

_transcript_uids = itertools.count(1)

translate = QCoreApplication.translate


class EntryKind(Enum):
    """What a transcript line is, which decides how it is drawn."""

    OWN = "own"  # a message this member sent
    OTHER = "other"  # a message from another member
    WELCOME = "welcome"
    JOINED = "joined"
    LEFT = "left"
    RENAMED = "renamed"
    NOTICE = "notice"  # from the server operator
    ERROR = "error"
    GOODBYE = "goodbye"
    INFO = "info"  # the connection's own events: connecting, lost, reconnecting


class Delivery(StrEnum):
    """Where an own message is on its way to the server."""

    QUEUED = "queued"  # typed while offline and reconnecting (or connecting): goes out after the next welcome
    HELD = "held"  # typed while offline and not reconnecting (after Exit, say): goes out once Reconnect is pressed
    SENDING = "sending"  # sent, waiting for the server's ACK
    ACKED = "acked"
    REFUSED = "refused"  # the server answered with an error for this message


@dataclass(slots=True)
class Entry:
    """One transcript line; ``time`` is Unix seconds (the server's time where it gave one)."""

    kind: EntryKind
    text: str
    time: float
    sender: str = ""
    message_id: str = ""  # own messages: the engine's id, to find the entry when the ACK comes
    delivery: Delivery | None = None
    rtt_ms: float | None = None
    seq: int | None = None  # the server's sequence number, once acknowledged or relayed
    private: bool = False  # a notice to this member only
    mentioned: bool = False  # a message that mentions this member (@name): drawn highlighted
    card: FileCard | None = None  # a message that shares a file: its card (``text`` is then its caption)
    serial: int = 0  # position in the whole chat, set by Transcript.append

    @property
    def is_message(self) -> bool:
        return self.kind in (EntryKind.OWN, EntryKind.OTHER)

    def delivery_text(self) -> str:
        """The mark after an own message: pending, or ACK with the server time and round trip."""
        match self.delivery:
            case Delivery.QUEUED:
                return translate("Transcript", "waiting to reconnect")
            case Delivery.HELD:
                return translate("Transcript", "press Reconnect to send")
            case Delivery.SENDING:
                return translate("Transcript", "sending…")
            case Delivery.ACKED:
                if self.rtt_ms is None:
                    return translate("Transcript", "✓ ACK {time}").format(time=short_clock(self.time))
                return translate("Transcript", "✓ ACK {time}, {rtt} ms").format(time=short_clock(self.time),
                                                                              rtt=f"{self.rtt_ms:.0f}")
            case Delivery.REFUSED:
                return translate("Transcript", "✗ not sent")
        return ""

    def summary(self) -> str:
        """The entry as one plain line, as a screen reader or a copy to the clipboard gets it."""
        if self.card is not None:
            return self._card_summary(self.card)
        match self.kind:
            case EntryKind.OWN:
                return translate("Transcript", "You: {text} ({delivery})").format(text=self.text,
                                                                                delivery=self.delivery_text())
            case EntryKind.OTHER:
                return f"{self.sender} ({short_clock(self.time)}): {self.text}"
            case EntryKind.NOTICE:
                if self.private:
                    return translate("Transcript", "Server notice to you: {text}").format(text=self.text)
                return translate("Transcript", "Server notice: {text}").format(text=self.text)
        return self.text

    def _card_summary(self, card: FileCard) -> str:
        said = f"{card.summary()}: {self.text}" if self.text else card.summary()
        if self.kind is EntryKind.OWN:
            return translate("Transcript", "You: {text} ({delivery})").format(text=said, delivery=self.delivery_text())
        return f"{self.sender} ({short_clock(self.time)}): {said}"

    def tooltip(self) -> str:
        lines = [clock(self.time)]
        if self.kind is EntryKind.OWN:
            if self.delivery is Delivery.ACKED:
                lines = [translate("Transcript", "Acknowledged by the server at {time} (message #{seq})").format(
                    time=clock(self.time), seq=self.seq)]
                if self.rtt_ms is not None:
                    lines.append(translate("Transcript", "Round trip: {rtt} ms").format(rtt=f"{self.rtt_ms:.1f}"))
            elif self.delivery is Delivery.QUEUED:
                lines.append(translate("Transcript", "Not sent yet: it goes out when the connection is back."))
            elif self.delivery is Delivery.HELD:
                lines.append(translate("Transcript", "Not sent yet: it goes out once you press Reconnect."))
            elif self.delivery is Delivery.SENDING:
                lines.append(translate("Transcript", "Sent; waiting for the server's ACK."))
        elif self.kind is EntryKind.OTHER and self.seq is not None:
            lines[0] = translate("Transcript", "{sender} at {time} (message #{seq})").format(
                sender=self.sender, time=clock(self.time), seq=self.seq)
        return "\n".join(lines)


def message_entry(message: ChatMessage, me: str) -> Entry:
    """The entry of a message relayed to this member (live, replayed, or in a page of earlier ones), marked when it
    mentions ``me``; one ``me`` sent (in another window of the member's, or replayed) is its own, acknowledged. A
    message that shares a file gets the file's card."""
    card = FileCard.of(message.file) if message.file is not None else None
    if me and message.sender == me:
        return Entry(EntryKind.OWN, message.text, message.time, sender=me, delivery=Delivery.ACKED, seq=message.seq,
                     card=card)
    return Entry(EntryKind.OTHER, message.text, message.time, sender=message.sender, seq=message.seq,
                 mentioned=p.mentions(message.text, me), card=card)


def short_clock(t: float) -> str:
    """The time of day, as shown beside a message."""
    return time.strftime("%H:%M:%S", time.localtime(t))


class Transcript:
    """The newest entries of a chat, oldest first; no Qt here."""

    def __init__(self, max_entries: int = MAX_ENTRIES, trim_chunk: int = TRIM_CHUNK) -> None:
        self.max_entries = max(1, max_entries)
        self.trim_chunk = max(1, min(trim_chunk, self.max_entries))
        self._entries: list[Entry] = []
        self._first_serial = 1  # the serial of _entries[0] (pages put before it count down from 0)
        self._dropped = 0  # entries dropped from the top to keep within max_entries
        self._by_message: dict[str, int] = {}  # own message not yet settled: id -> serial
        # Serials count within one transcript; a view showing several (one per conversation) tells them apart by this.
        self.uid = next(_transcript_uids)

    def __len__(self) -> int:
        return len(self._entries)

    @overload
    def __getitem__(self, row: int) -> Entry: ...
    @overload
    def __getitem__(self, row: slice) -> list[Entry]: ...

    def __getitem__(self, row: int | slice) -> Entry | list[Entry]:
        return self._entries[row]

    @property
    def total(self) -> int:
        """How many entries the chat has had, including those dropped."""
        return self._dropped + len(self._entries)

    @property
    def trimmed(self) -> bool:
        """Entries were dropped to keep within ``max_entries``: earlier pages no longer join what is kept."""
        return self._dropped > 0

    @property
    def room(self) -> int:
        """How many more entries fit."""
        return self.max_entries - len(self._entries)

    def oldest_seq(self) -> int | None:
        """The server's sequence number of the oldest message kept (None: no message has one)."""
        return next((entry.seq for entry in self._entries if entry.seq is not None), None)

    def overflow(self, adding: int) -> int:
        """How many of the oldest entries to drop before ``adding`` more (0 if they fit)."""
        excess = len(self._entries) + adding - self.max_entries
        if excess <= 0:
            return 0
        return min(len(self._entries), max(excess, self.trim_chunk))

    def drop_oldest(self, count: int) -> None:
        dropped, self._entries = self._entries[:count], self._entries[count:]
        self._first_serial += len(dropped)
        self._dropped += len(dropped)
        for entry in dropped:
            if entry.message_id:
                self._by_message.pop(entry.message_id, None)

    def append(self, entry: Entry) -> None:
        entry.serial = self._first_serial + len(self._entries)
        self._entries.append(entry)
        if entry.message_id:
            self._by_message[entry.message_id] = entry.serial

    def prepend(self, entries: list[Entry]) -> None:
        """Put ``entries`` (oldest first) before the oldest kept: a page of earlier history. Serials keep counting
        down, so that every entry keeps its own (the view caches row heights by it)."""
        self._first_serial -= len(entries)
        for offset, entry in enumerate(entries):
            entry.serial = self._first_serial + offset
            if entry.message_id:
                self._by_message[entry.message_id] = entry.serial
        self._entries[:0] = entries

    def row_of_serial(self, serial: int) -> int:
        """The row of the entry with ``serial`` (the nearest kept, if it is no longer)."""
        return min(max(0, serial - self._first_serial), max(0, len(self._entries) - 1))

    def row_of(self, message_id: str) -> int | None:
        """The row of the own message ``message_id``, or None if it is not (or no longer) here."""
        serial = self._by_message.get(message_id)
        return None if serial is None else serial - self._first_serial

    def settle(self, message_id: str) -> None:
        """The own message ``message_id`` will not change again (acknowledged or refused)."""
        self._by_message.pop(message_id, None)

    def rows_with(self, delivery: Delivery) -> list[int]:
        """Rows of own messages in the given state (few: only those not yet acknowledged)."""
        rows = (self.row_of(message_id) for message_id in self._by_message)
        return [row for row in rows if row is not None and self._entries[row].delivery is delivery]


EntryRole = Qt.ItemDataRole.UserRole + 1
"""The role under which the model gives the whole Entry (for the delegate)."""


class TranscriptModel(QAbstractListModel):
    """A read-only list model over a Transcript: one row per entry, newest last."""

    def __init__(self, transcript: Transcript | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.transcript = transcript if transcript is not None else Transcript()

    # --- the model interface ------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.transcript)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.transcript):
            return None
        entry = self.transcript[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return entry.summary()
        if role == Qt.ItemDataRole.ToolTipRole:
            return entry.tooltip()
        if role == EntryRole:
            return entry
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # --- changes ----------------------------------------------------------------------------

    def add(self, entry: Entry) -> None:
        """Append one entry, dropping the oldest ones first if the transcript is full."""
        self.add_many([entry])

    def add_many(self, entries: list[Entry]) -> None:
        """Append a batch with one insert notification (a burst of messages is one update)."""
        if not entries:
            return
        entries = entries[-self.transcript.max_entries:]
        drop = self.transcript.overflow(len(entries))
        if drop:
            self.beginRemoveRows(QModelIndex(), 0, drop - 1)
            self.transcript.drop_oldest(drop)
            self.endRemoveRows()
        first = len(self.transcript)
        self.beginInsertRows(QModelIndex(), first, first + len(entries) - 1)
        for entry in entries:
            self.transcript.append(entry)
        self.endInsertRows()

    def prepend_many(self, entries: list[Entry]) -> int:
        """Put a page of earlier entries (oldest first) at the top, with one insert notification; those beyond the
        transcript's room are left out (its oldest). How many went in."""
        entries = entries[max(0, len(entries) - self.transcript.room):]
        if not entries:
            return 0
        self.beginInsertRows(QModelIndex(), 0, len(entries) - 1)
        self.transcript.prepend(entries)
        self.endInsertRows()
        return len(entries)

    def set_delivery(self, message_id: str, delivery: Delivery, *, server_time: float | None = None,
                     rtt_ms: float | None = None, seq: int | None = None) -> bool:
        """Move the own message ``message_id`` to ``delivery``; False if it is not in the transcript."""
        row = self.transcript.row_of(message_id)
        if row is None:
            return False
        entry = self.transcript[row]
        entry.delivery = delivery
        if server_time is not None:
            entry.time = server_time
        if rtt_ms is not None:
            entry.rtt_ms = rtt_ms
        if seq is not None:
            entry.seq = seq
        if delivery in (Delivery.ACKED, Delivery.REFUSED):
            self.transcript.settle(message_id)
        index = self.index(row)
        self.dataChanged.emit(index, index)
        return True

    def move_deliveries(self, old: Delivery, new: Delivery, only: set[str] | None = None) -> int:
        """Move own messages from ``old`` to ``new`` (those with ids in ``only``, if given)."""
        moved = 0
        for row in self.transcript.rows_with(old):
            entry = self.transcript[row]
            if only is None or entry.message_id in only:
                entry.delivery = new
                index = self.index(row)
                self.dataChanged.emit(index, index)
                moved += 1
        return moved

    def entry_changed(self, entry: Entry) -> bool:
        """``entry`` (a file card's, say) changed: drawn anew; False if it is no longer in the transcript."""
        if not len(self.transcript):
            return False
        row = self.transcript.row_of_serial(entry.serial)
        if self.transcript[row] is not entry:
            return False
        index = self.index(row)
        self.dataChanged.emit(index, index)
        return True

    def entries(self) -> list[Entry]:
        """Every entry kept, oldest first."""
        return self.transcript[:]
