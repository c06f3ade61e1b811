"""The client's read markers (plain state): what the server told is kept as the larger, a mark_read is only ever a
step forward (and not asked twice on one connection), each conversation names itself as a chat does."""

from __future__ import annotations

from chat_gui.client import LOBBY, Conversation, ReadUpTo
from chat_gui.client.read_markers import MARK_READ_ID, ClientReadMarkers
from chat_gui.client.session import ClientSession
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


def test_the_markers_of_one_server_do_not_hold_on_another() -> None:
    """Each server numbers its messages from 1: server A's marker at 5000 would hide all of server B's unread
    messages below it, and no mark_read could be sent there below 5000."""
    session = ClientSession("id-alice")

    def online(port: int) -> None:
        session.connect("127.0.0.1", port, "alice")
        session.open()
        session.opened()
        session.receive(p.Welcome(name="alice", online=1, max_clients=0, version=p.ROOMS_VERSION,
                                  rooms=(p.JoinedRoom("#lobby", "", False, None),)), 0.0)

    online(4000)
    session.receive(p.ReadMarker(seq=5000), 0.0)
    session.closed()
    online(4000)  # the same server again: its marker holds
    assert session.read_markers.seq(LOBBY) == 5000 and session.read_markers.mark(LOBBY, 12) is None
    session.closed()
    online(4001)
    assert session.read_markers.seq(LOBBY) is None
    assert session.read_markers.mark(LOBBY, 12) == p.MarkRead(seq=12, id=MARK_READ_ID)
