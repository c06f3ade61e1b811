"""The client's read markers (plain state): what the server told is kept as the larger, a mark_read is only ever a
step forward (and not asked twice on one connection), each conversation names itself as a chat does."""

from __future__ import annotations

from chat_gui.client import LOBBY, Conversation, ReadUpTo
from chat_gui.client.read_markers import MARK_READ_ID, ClientReadMarkers
from chat_server import protocol as p

DEV, BOB = Conversation.room("#Dev"), Conversation.direct("bob")


def test_a_mark_read_is_only_ever_a_step_forward() -> None:
    markers = ClientReadMarkers()
    assert markers.mark(LOBBY, 0) is None
    assert markers.mark(LOBBY, 3) == p.MarkRead(seq=3, id=MARK_READ_ID)
    assert markers.mark(LOBBY, 3) is None  # asked already on this connection
    assert markers.mark(DEV, 5) == p.MarkRead(seq=5, room="#Dev", id=MARK_READ_ID)
    assert markers.mark(BOB, 7) == p.MarkRead(seq=7, to="bob", id=MARK_READ_ID)
    assert markers.received(DEV, 9) == ReadUpTo(DEV, 9)  # read further in another window
    assert markers.mark(DEV, 8) is None and markers.seq(DEV) == 9
    assert markers.received(DEV, 4) == ReadUpTo(DEV, 9)  # a marker never goes back
    markers.connected()  # a new connection: what was asked is forgotten, what was told is kept
    assert markers.mark(LOBBY, 3) == p.MarkRead(seq=3, id=MARK_READ_ID) and markers.seq(DEV) == 9


def test_a_marker_follows_a_rename() -> None:
    markers = ClientReadMarkers()
    markers.received(DEV, 4)
    markers.renamed(DEV, Conversation.room("#devel"))
    assert markers.seq(DEV) is None and markers.seq(Conversation.room("#devel")) == 4
