"""The greeting's count of the history on offer, kept from the sequence numbers the group commit gives."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from chat_server import protocol as p
from chat_server.core.commit import GroupCommit
from chat_server.core.member_replies import MemberReplies
from chat_server.store import StoredMessage
from chat_server.store.sqlite import SqliteStore
from tests.server.core.test_roster import Room


@pytest.fixture
def room(qtbot: QtBot) -> Iterator[Room]:
    room = Room(1)
    yield room
    room.reactor.close()
    room.reactor.deleteLater()


def _replies(room: Room, store: SqliteStore, history_limit: int) -> tuple[GroupCommit, MemberReplies]:
    commit = GroupCommit(store, room.roster, room.writes, room.reactor, lambda _id: None, lambda _messages: None)
    replies = MemberReplies(store, commit, room.roster, room.reactor, 1, 0.0, history_limit, 1000, lambda: (1, 0))
    return commit, replies


def test_the_count_grows_with_each_commit_up_to_the_history_limit(room: Room) -> None:
    store = SqliteStore()
    store.start_run(1.0)
    store.commit([StoredMessage(1, 1.0, "a", "before")], [])
    commit, replies = _replies(room, store, history_limit=3)
    assert replies.available == 1
    commit.add(room.conns[0], p.Chat(text="one", id=""))
    assert replies.available == 1, "not stored yet"
    commit.commit()
    assert replies.available == 2
    for text in ("two", "three"):
        commit.add(room.conns[0], p.Chat(text=text, id=""))
    commit.commit()
    assert replies.available == 3, "at most --history"
    store.prune(float("inf"))  # all but the newest
    replies.recount()
    assert replies.available == 1


def test_no_history_offered_without_a_history_limit(room: Room) -> None:
    store = SqliteStore()
    store.start_run(1.0)
    commit, replies = _replies(room, store, history_limit=0)
    commit.add(room.conns[0], p.Chat(text="one", id=""))
    commit.commit()
    assert replies.available == 0
