"""The member's read markers on the client's side: how far its identity has read each conversation, as the server
said (after the welcome, and live when another window of it reads), and the ``mark_read`` to send when this window
has read further. No Qt here."""

from __future__ import annotations

from chat_gui.client.events import LOBBY, Conversation, ReadUpTo
from chat_server import protocol as p

MARK_READ_ID = "read-marker"
"""The id of every ``mark_read`` this client sends: an error that carries it refused a marker, not something the
user did (the chats' ids never take this form), and is not shown."""


class ClientReadMarkers:
    """The markers the server told, and those this client asked for; what to send is only ever a step forward."""

    def __init__(self) -> None:
        self._kept: dict[Conversation, int] = {}  # as the server last said
        self._asked: dict[Conversation, int] = {}  # sent in a mark_read, on this connection

    def seq(self, conversation: Conversation) -> int | None:
        """The read marker of ``conversation`` as the server said it, or None if it has said none."""
        return self._kept.get(conversation)

    def connected(self) -> None:
        """A new connection: the server tells the markers again after its welcome; nothing asked is pending."""
        self._asked.clear()

    def reset(self) -> None:
        """Another server: its seqs start anew, so no marker of this one holds there."""
        self._kept.clear()
        self._asked.clear()

    def received(self, conversation: Conversation, seq: int) -> ReadUpTo:
        """The server said a marker (it never goes back: the larger one is kept)."""
        kept = self._kept[conversation] = max(seq, self._kept.get(conversation, 0))
        return ReadUpTo(conversation, kept)

    def renamed(self, old: Conversation, new: Conversation) -> None:
        """A room was renamed, or a member of a direct conversation: its marker follows it."""
        for markers in (self._kept, self._asked):
            if old in markers:
                markers[new] = markers.pop(old)

    def mark(self, conversation: Conversation, seq: int) -> p.MarkRead | None:
        """The ``mark_read`` for having read ``conversation`` up to ``seq``, or None if the marker is there already
        (or was asked for)."""
        if seq < 1 or seq <= max(self._kept.get(conversation, 0), self._asked.get(conversation, 0)):
            return None
        self._asked[conversation] = seq
        if conversation == LOBBY:
            return p.MarkRead(seq=seq, id=MARK_READ_ID)
        if conversation.is_room:
            return p.MarkRead(seq=seq, room=conversation.name, id=MARK_READ_ID)
        return p.MarkRead(seq=seq, to=conversation.name, id=MARK_READ_ID)
