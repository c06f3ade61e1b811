"""The group commit on a real SQLite store, delivering through the roster or through any other BatchDelivery."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

import pytest
from pytestqt.qtbot import QtBot

from chat_server import protocol as p
from chat_server.core.commit import GroupCommit
from chat_server.core.sessions import Session
from chat_server.net.connection import ClientConnection
from chat_server.protocol.files import FileRef
from chat_server.store import StoredMessage
from chat_server.store.sqlite import SqliteStore
from tests.server.core.test_roster import Room


class RecordingDelivery:
    """A BatchDelivery that only remembers what it was given, as a message bus in front of other servers would."""

    def __init__(self, members: int) -> None:
        self.members = members
        self.batches: list[tuple[list[tuple[StoredMessage, ClientConnection]], bool]] = []

    def __len__(self) -> int:
        return self.members

    def deliver(self, batch: Sequence[tuple[StoredMessage, ClientConnection]], defer_relays: bool = False) -> None:
        self.batches.append((list(batch), defer_relays))


class Setup:
    def __init__(self, room: Room, delivery: RecordingDelivery | None = None) -> None:
        self.room = room
        self.store = SqliteStore()
        self.store.start_run(1.0)
        self.changed: list[int] = []
        self.counted: list[list[int]] = []
        self.committed: list[list[StoredMessage]] = []
        self.commit = GroupCommit(self.store, room.roster if delivery is None else delivery, room.writes,
                                  room.reactor, self.changed.append, self.committed.append, self.counted.append)


@pytest.fixture
def room(qtbot: QtBot) -> Iterator[Room]:
    room = Room(3)
    yield room
    room.reactor.close()
    room.reactor.deleteLater()


def _lines(room: Room, index: int) -> list[str]:
    return [line for chunk in room.writes_of(index) for line in chunk.decode().splitlines()]


def test_one_transaction_then_acks_to_the_senders_and_relays_to_the_others(room: Room) -> None:
    setup = Setup(room)
    alice, bob, _ = room.conns
    setup.commit.add(alice, p.Chat(text="one", id=""))
    setup.commit.add(bob, p.Chat(text="two", id=""))
    assert (setup.commit.seq, setup.commit.stored_seq) == (2, 0), "numbered, not yet stored"
    setup.commit.add(alice, p.Chat(text="three", id=""))
    assert setup.store.last_seq() == 0 and setup.counted == [], "the counts are told with the commit"
    setup.commit.commit()
    assert setup.counted == [[alice.session.id, bob.session.id]], "once a commit, each member once"
    assert setup.changed == [], "no row was marked changed"
    assert [(m.seq, m.sender, m.text) for m in setup.store.recent(5)] == [(1, "m0", "one"), (2, "m1", "two"),
                                                                          (3, "m0", "three")]
    assert setup.commit.stored_seq == 3 and (alice.session.messages, bob.session.messages) == (2, 1)
    assert [[m.text for m in messages] for messages in setup.committed] == [["one", "two", "three"]]
    assert _lines(room, 0) == ["one ACK", "m1: two", "three ACK"]
    assert _lines(room, 1) == ["m0: one", "two ACK", "m0: three"]
    assert _lines(room, 2) == ["m0: one", "m1: two", "m0: three"]


def test_any_batch_delivery_gets_the_stored_batch_in_seq_order(room: Room) -> None:
    delivery = RecordingDelivery(members=2)
    setup = Setup(room, delivery)
    alice, bob, _ = room.conns
    alice.member.client_id = "key-alice"
    setup.commit.add(alice, p.Chat(text="one", id="a-1"))
    setup.commit.add(bob, p.Chat(text="two", id=""))
    setup.commit.add(alice, p.Chat(text="one", id="a-1"))  # a copy in the same batch: not stored twice
    setup.commit.commit()
    [(batch, defer)] = delivery.batches
    assert [(m.seq, m.text, m.client_id, m.message_id, conn) for m, conn in batch] == [
        (1, "one", "key-alice", "a-1", alice), (2, "two", None, "", bob)]
    assert defer is False
    assert _lines(room, 0) == ["one ACK"], "the copy is acknowledged with its first copy's seq, by the commit"
    assert room.writes_of(2) == [], "the relays are the delivery's to make"


def test_a_copy_of_a_stored_message_is_acknowledged_again_and_not_stored(room: Room) -> None:
    setup = Setup(room)
    alice = room.conns[0]
    alice.member.client_id = "key-alice"
    setup.commit.add(alice, p.Chat(text="once", id="a-1"))
    setup.commit.commit()
    setup.commit.add(alice, p.Chat(text="once", id="a-1"))  # resent after a reconnect
    setup.commit.commit()
    room.writes.flush()
    assert [m.text for m in setup.store.recent(5)] == ["once"] and setup.commit.seq == 1
    assert _lines(room, 0) == ["once ACK", "once ACK"]
    assert _lines(room, 1) == ["m0: once"]


class CountingStore(SqliteStore):
    """The real store, remembering which rows each commit rewrote and which only got their count updated."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[tuple[list[int], list[int]]] = []

    def commit(self, messages: Sequence[StoredMessage], sessions: Iterable[Session],
               pending: Sequence[tuple[str, int]] = (), counts: Sequence[Session] = ()) -> None:
        sessions = list(sessions)
        self.writes.append(([s.id for s in sessions], [s.id for s in counts]))
        super().commit(messages, sessions, pending, counts)


def test_a_sender_s_row_gets_only_its_count_updated_and_the_stored_count_is_exact(room: Room) -> None:
    setup = Setup(room)
    store = setup.store = CountingStore()
    run = store.start_run(1.0)
    setup.commit = GroupCommit(store, room.roster, room.writes, room.reactor, setup.changed.append,
                               setup.committed.append)
    alice, bob, _ = room.conns
    setup.commit.changed(alice.session)
    setup.commit.changed(bob.session)
    setup.commit.add(alice, p.Chat(text="joined and said", id=""))  # in the same pass as its row's change
    setup.commit.commit()
    setup.commit.add(alice, p.Chat(text="one", id=""))
    setup.commit.add(alice, p.Chat(text="two", id=""))
    setup.commit.commit()
    bob.session.name = "bobby"
    setup.commit.changed(bob.session)
    setup.commit.add(bob, p.Chat(text="renamed and said", id=""))
    setup.commit.commit()
    ids = alice.session.id, bob.session.id
    assert store.writes == [([ids[0], ids[1]], []), ([], [ids[0]]), ([ids[1]], [])]
    stored = [(row.name, row.messages) for row in store.sessions_page(run, 0, 10)]
    assert stored == [("m0", 3), ("bobby", 1)]


class TwoRooms:
    """Routes with two rooms: ``room:7`` (#dev) has members 0-14 of the room, ``room:8`` (#ops) members 15-29."""

    def __init__(self, conns: list[ClientConnection]) -> None:
        self.rooms = {"room:7": conns[:15], "room:8": conns[15:]}

    def recipients(self, stored: StoredMessage, sender: ClientConnection) -> list[ClientConnection]:
        return [conn for conn in self.rooms[stored.conversation] if conn is not sender]

    def file_ref(self, file_id: str) -> FileRef | None:
        return None

    def relay_fields(self, stored: StoredMessage, viewer: ClientConnection) -> tuple[str | None, str | None]:
        return ("#dev" if stored.conversation == "room:7" else "#ops"), None

    def ack_fields(self, stored: StoredMessage, sender: ClientConnection) -> tuple[str | None, str | None, bool]:
        return *self.relay_fields(stored, sender), False

    def room_audience(self, conversation: str) -> list[ClientConnection] | None:
        return self.rooms.get(conversation)


def test_a_rooms_relays_kept_back_are_not_sent_early_by_another_rooms_batch(qtbot: QtBot) -> None:
    """Relays wait (writes.RELAY_DEFER_MS) only for senders who write to the same members; a batch of another room
    goes out at once, and must not take the waiting ones with it (their members would get two sends)."""
    room = Room(30)  # a big enough audience for relays to be kept back at all (gathering.GATHER_MIN_S)
    try:
        room.roster.routes = TwoRooms(room.conns)
        setup = Setup(room)
        dev_1, dev_2, ops_1 = room.conns[0], room.conns[1], room.conns[15]
        for conn, conversation in ((dev_1, "room:7"), (dev_2, "room:7"), (ops_1, "room:8")):
            setup.commit.add(conn, p.Chat(text="hello", id=""), conversation)  # all three have just spoken
        setup.commit.commit()
        room.writes.release_deferred()
        assert not room.writes.deferring
        watcher, ops_watcher = 5, 20
        before = len(room.writes_of(watcher)), len(room.writes_of(ops_watcher))
        setup.commit.add(dev_1, p.Chat(text="first", id=""), "room:7")
        setup.commit.commit()
        assert room.writes.deferring and len(room.writes_of(watcher)) == before[0], "kept back for #dev's other sender"
        setup.commit.add(ops_1, p.Chat(text="meanwhile", id=""), "room:8")
        setup.commit.commit()
        assert room.writes_of(ops_watcher)[before[1]:] == [b"[#ops] m15: meanwhile\n"], "#ops's relay at once"
        assert len(room.writes_of(watcher)) == before[0], "#dev's still waits for its other sender"
        setup.commit.add(dev_2, p.Chat(text="second", id=""), "room:7")
        setup.commit.commit()
        assert room.writes_of(watcher)[before[0]:] == [b"[#dev] m0: first\n[#dev] m1: second\n"], "one send"
    finally:
        room.reactor.close()
        room.reactor.deleteLater()


def test_another_file_under_a_used_id_and_the_same_caption_is_another_message(room: Room) -> None:
    """A share's text is often empty: two shares under one id (a script run twice under the member's client id)
    are two messages, told apart by their file as other messages are by their text; a true resend is still one."""
    setup = Setup(room)
    alice = room.conns[0]
    alice.member.client_id = "key-alice"
    first, second = "1" * 32, "2" * 32
    setup.commit.add(alice, p.Chat(text="", id="a-1", file=first))
    setup.commit.commit()
    setup.commit.add(alice, p.Chat(text="", id="a-1", file=second))
    setup.commit.add(alice, p.Chat(text="", id="a-1", file=second))  # its copy in the same batch
    setup.commit.commit()
    setup.commit.add(alice, p.Chat(text="", id="a-1", file=first))  # the first one resent after a reconnect
    setup.commit.commit()
    assert [(m.seq, m.file) for m in setup.store.recent(5)] == [(1, first), (2, second)]
