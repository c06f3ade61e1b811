"""The fan-out's write scheduling, on transports that only record: when queued output is written, in what order."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from chat_server import protocol as p
from chat_server.core.roster import Roster
from chat_server.core.sessions import Session
from chat_server.net.connection import ClientConnection, ConnectionSignals
from chat_server.net.reactor import Reactor
from chat_server.net.transport import Transport, TransportHandler
from chat_server.net.writes import WriteScheduler
from chat_server.protocol.files import FileRef
from chat_server.settings import ServerSettings
from chat_server.store import StoredMessage
from tests.conftest import WAIT_MS


class RecordingTransport(Transport):
    """Takes every write at once and remembers each one."""

    def __init__(self) -> None:
        self.peer_host, self.peer_port = "127.0.0.1", 1
        self.writes: list[bytes] = []

    def attach(self, handler: TransportHandler) -> None:
        pass

    def set_reading(self, enabled: bool) -> None:
        pass

    def write(self, data: bytes) -> None:
        self.writes.append(data)

    @property
    def write_buffer_size(self) -> int:
        return 0

    @property
    def is_open(self) -> bool:
        return True

    def close(self) -> None:
        pass

    def abort(self) -> None:
        pass


class Room:
    """A roster of announced members on recording transports, with the scheduler and reactor behind them."""

    def __init__(self, members: int) -> None:
        self.reactor = Reactor()
        self.signals = ConnectionSignals()
        self.writes = WriteScheduler(self.reactor)
        self.roster = Roster()
        self.conns: list[ClientConnection] = []
        settings = ServerSettings(rate_per_s=0)
        for i in range(members):
            transport = RecordingTransport()
            conn = ClientConnection(transport, Session(i + 1, "127.0.0.1", i + 1, 0.0, name=f"m{i}"), settings,
                                    self.writes, self.signals, self.reactor)
            self.roster.admit(conn)
            self.roster.announce(conn)
            self.conns.append(conn)

    def writes_of(self, index: int) -> list[bytes]:
        transport = self.conns[index].transport
        assert isinstance(transport, RecordingTransport)
        return transport.writes

    def batch(self, *senders: int, first_seq: int = 1) -> list[tuple[StoredMessage, ClientConnection]]:
        return [(StoredMessage(first_seq + n, 1.0, f"m{i}", f"text {first_seq + n}", None, str(first_seq + n)),
                 self.conns[i]) for n, i in enumerate(senders)]


@pytest.fixture
def room(qtbot: QtBot) -> Iterator[Room]:
    room = Room(4)
    yield room
    room.reactor.close()
    room.reactor.deleteLater()


def _texts(writes: list[bytes]) -> list[str]:
    return [line for chunk in writes for line in chunk.decode().splitlines()]


def test_one_send_per_member_per_pass_and_acks_in_place_of_own_relays(room: Room) -> None:
    room.roster.deliver(room.batch(0, 1, 0))
    room.writes.flush()
    assert _texts(room.writes_of(0)) == ["text 1 ACK", "m1: text 2", "text 3 ACK"]
    assert _texts(room.writes_of(1)) == ["m0: text 1", "text 2 ACK", "m0: text 3"]
    for index in (2, 3):
        assert len(room.writes_of(index)) == 1
        assert _texts(room.writes_of(index)) == ["m0: text 1", "m1: text 2", "m0: text 3"]


def test_a_commit_without_messages_writes_to_nobody(room: Room) -> None:
    """A commit of cache rows only (each arrival and departure makes one) used to write an empty relay to every
    member: 1,000 members arriving cost half a million calls."""
    room.roster.deliver([])
    room.writes.flush()
    assert [room.writes_of(i) for i in range(4)] == [[], [], [], []]


def test_deferred_relays_go_out_with_the_next_batch_in_one_send(room: Room) -> None:
    room.roster.deliver(room.batch(0), defer_relays=True)
    room.writes.flush()
    assert _texts(room.writes_of(0)) == ["text 1 ACK"], "the sender's ACK is not kept back"
    assert room.writes.deferring and room.writes_of(2) == []
    room.roster.deliver(room.batch(1, first_seq=2))
    room.writes.release_deferred()
    assert not room.writes.deferring
    assert room.writes_of(2) == [b"m0: text 1\nm1: text 2\n"]
    assert _texts(room.writes_of(1)) == ["m0: text 1", "text 2 ACK"], "in sequence order"


def test_deferred_relays_go_out_on_their_deadline(room: Room, qtbot: QtBot) -> None:
    room.roster.deliver(room.batch(0), defer_relays=True)
    room.writes.flush()
    assert room.writes_of(3) == []
    qtbot.waitUntil(lambda: room.writes_of(3) == [b"m0: text 1\n"], timeout=WAIT_MS)
    assert not room.writes.deferring


def test_presence_lines_wait_but_go_out_before_later_urgent_output(room: Room, qtbot: QtBot) -> None:
    room.roster.broadcast(p.Joined(name="m9", online=5, time=1.0))
    room.writes.flush()
    assert room.writes_of(2) == []  # presence lines may wait
    room.conns[2].send_line("urgent")
    room.writes.flush()
    assert room.writes_of(2) == [b"* m9 joined (5 online)\nurgent\n"]
    qtbot.waitUntil(lambda: room.writes_of(3) == [b"* m9 joined (5 online)\n"], timeout=WAIT_MS)


class OneRoom:
    """Routes with one room, ``room:7`` (#dev): its members online are ``online``, a list the hub replaces (never
    changes in place) when someone joins, leaves, arrives or departs."""

    def __init__(self, online: list[ClientConnection]) -> None:
        self.online = online

    def recipients(self, stored: StoredMessage, sender: ClientConnection) -> list[ClientConnection]:
        return [conn for conn in self.online if conn is not sender]

    def file_ref(self, file_id: str) -> FileRef | None:
        return None

    def relay_fields(self, stored: StoredMessage, viewer: ClientConnection) -> tuple[str | None, str | None]:
        return "#dev", None

    def ack_fields(self, stored: StoredMessage, sender: ClientConnection) -> tuple[str | None, str | None, bool]:
        return "#dev", None, False

    def room_audience(self, conversation: str) -> list[ClientConnection] | None:
        return self.online if conversation == "room:7" else None


def test_a_rooms_relays_follow_who_is_in_it_and_who_is_catching_up(room: Room) -> None:
    """The roster keeps each room's audience between batches: every change of it must be seen at the next one."""
    routes = OneRoom(room.conns[:3])
    room.roster.routes = routes
    seq = 0

    def say() -> list[str]:
        nonlocal seq
        seq += 1
        before = [len(room.writes_of(i)) for i in range(4)]
        room.roster.deliver([(StoredMessage(seq, 1.0, "m0", f"text {seq}", None, str(seq), "room:7"), room.conns[0])])
        room.writes.flush()
        return [",".join(_texts(room.writes_of(i)[before[i]:])) for i in range(4)]

    assert say() == ["text 1 ACK", "[#dev] m0: text 1", "[#dev] m0: text 1", ""], "3 is not in the room"
    room.roster.start_catching_up(room.conns[1])
    assert say() == ["text 2 ACK", "", "[#dev] m0: text 2", ""], "1's replay brings it"
    room.roster.caught_up(room.conns[1])
    assert say() == ["text 3 ACK", "[#dev] m0: text 3", "[#dev] m0: text 3", ""]
    routes.online = room.conns[:]  # 3 joined
    assert say() == ["text 4 ACK", "[#dev] m0: text 4", "[#dev] m0: text 4", "[#dev] m0: text 4"]
    room.roster.remove(room.conns[2])
    assert say() == ["text 5 ACK", "[#dev] m0: text 5", "", "[#dev] m0: text 5"]


def test_two_messages_of_a_room_in_one_batch_reach_each_member_in_one_send_in_seq_order(room: Room) -> None:
    room.roster.routes = OneRoom(room.conns[:3])
    room.roster.deliver([(StoredMessage(1, 1.0, "m0", "one", None, "1", "room:7"), room.conns[0]),
                         (StoredMessage(2, 1.0, "m1", "two", None, "2", "room:7"), room.conns[1])])
    room.writes.flush()
    assert room.writes_of(0) == [b"one ACK\n[#dev] m1: two\n"]
    assert room.writes_of(1) == [b"[#dev] m0: one\ntwo ACK\n"], "a sender already sent a relay: its ACK after it"
    assert room.writes_of(2) == [b"[#dev] m0: one\n[#dev] m1: two\n"]
    assert room.writes_of(3) == []


def test_a_rooms_kept_audience_follows_an_announcement_and_a_framing_found_out_late(room: Room) -> None:
    late = ClientConnection(RecordingTransport(), Session(99, "127.0.0.1", 99, 0.0, name="late"),
                            ServerSettings(rate_per_s=0), room.writes, room.signals, room.reactor)
    room.roster.admit(late)  # connected, in the room's list online, not announced yet
    room.roster.routes = OneRoom([*room.conns[:2], late])
    seq = 0

    def say() -> tuple[list[str], list[bytes]]:
        nonlocal seq
        seq += 1
        before = len(room.writes_of(1)), len(late.transport.writes)  # type: ignore[attr-defined]
        room.roster.deliver([(StoredMessage(seq, 1.0, "m0", f"text {seq}", None, str(seq), "room:7"), room.conns[0])])
        room.writes.flush()
        return _texts(room.writes_of(1)[before[0]:]), late.transport.writes[before[1]:]  # type: ignore[attr-defined]

    assert say() == (["[#dev] m0: text 1"], []), "not announced: nothing yet (it holds #lobby's only)"
    room.roster.announce(late)
    assert say() == (["[#dev] m0: text 2"], [b"[#dev] m0: text 2\n"]), "announced: the same list, but it is in"
    late.decoder.feed(b'{"type":"hello","version":2,"name":"late"}\n')  # it turns out to speak JSON
    assert room.roster.regroup(late)
    _, written = say()
    assert len(written) == 1 and written[0].startswith(b'{"type":"message","sender":"m0","text":"text 3"')
    assert b'"room":"#dev"' in written[0]


def test_the_windows_of_one_member_count_once_and_each_hears_what_the_other_says(room: Room) -> None:
    window = ClientConnection(RecordingTransport(), Session(9, "127.0.0.1", 9, 0.0, name="m0"),
                              ServerSettings(rate_per_s=0), room.writes, room.signals, room.reactor)
    room.roster.admit(window)
    assert (room.roster.member_count(), room.roster.windows_of("m0")) == (4, 1)
    room.roster.announce(window)
    room.conns.append(window)
    assert len(room.roster) == 5 and room.roster.member_count() == 4
    assert room.roster.names() == ["m0", "m1", "m2", "m3"] and room.roster.windows_of("m0") == 2
    room.roster.deliver(room.batch(0))
    room.writes.flush()
    assert _texts(room.writes_of(0)) == ["text 1 ACK"]
    assert _texts(room.writes_of(4)) == ["m0: text 1"]  # its own message, said in its other window
    room.roster.remove(room.conns[0])
    assert room.roster.member_count() == 4 and room.roster.windows_of("m0") == 1
    room.roster.remove(window)
    assert room.roster.member_count() == 3 and room.roster.names() == ["m1", "m2", "m3"]
