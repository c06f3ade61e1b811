"""Scrollback over real sockets: ``scrollback`` pages (JSON, version 2) and text mode's ``/history [#room] [N]``."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from chat_server import protocol as p
from chat_server.core.engine import ChatServer
from chat_server.store import StoredMessage, StoreError
from chat_server.store.sqlite import SqliteStore
from tests.conftest import RawClient
from tests.integration.test_rooms_json import Member, join

MakeRaw = Callable[[ChatServer], RawClient]
MakeServer = Callable[..., ChatServer]


def say(member: Member, count: int, prefix: str, **where: Any) -> list[int]:
    """``count`` messages from ``member`` (``prefix`` 0, 1, ...), each waited for: their seqs, in order."""
    seqs = []
    for index in range(count):
        member.send(type="chat", id=f"{prefix}{index}", text=f"{prefix} {index}", **where)
        seqs.append(member.expect(type="ack", id=f"{prefix}{index}")["seq"])
    return seqs


def page(member: Member, **request: Any) -> dict[str, Any]:
    member.send(type="scrollback", **request)
    return member.expect(type="history_page")


def scroll_to_start(member: Member, **where: Any) -> list[int]:
    """Every seq of a conversation, paging back from the newest until ``more`` is false (oldest first)."""
    seqs: list[int] = []
    before = None
    while True:
        got = page(member, before=before, **where)
        assert got.get("before") == before
        seqs[:0] = [m["seq"] for m in got["messages"]]
        if not got["more"]:
            return seqs
        before = got["messages"][0]["seq"]


def test_pages_of_a_room_go_back_without_gaps_or_overlaps(make_server: MakeServer, make_raw: MakeRaw) -> None:
    server = make_server(rate_per_s=0)
    alice, bob = join(make_raw, server, "alice"), join(make_raw, server, "bob")
    alice.send(type="join", room="#dev")
    alice.expect(type="joined", name="alice", room="#dev")
    bob.send(type="join", room="#dev")
    bob.expect(type="joined", name="bob", room="#dev")
    in_room = say(alice, 130, "dev", room="#dev")
    say(bob, 5, "lobby")  # #lobby's are not the room's
    first = page(bob, room="#dev", limit=50)
    assert first["room"] == "#dev" and "before" not in first and first["more"] is True
    assert [m["seq"] for m in first["messages"]] == in_room[-50:]
    assert first["messages"][-1] == {"sender": "alice", "text": "dev 129", "seq": in_room[-1],
                                     "time": first["messages"][-1]["time"]}
    second = page(bob, room="#DEV", before=in_room[-50])
    assert second["before"] == in_room[-50] and second["more"] is False
    assert [m["seq"] for m in second["messages"]] == in_room[:-50]
    assert [m["text"] for m in second["messages"]][:2] == ["dev 0", "dev 1"]
    assert scroll_to_start(bob, room="#dev") == in_room


def test_the_limit_defaults_to_100_and_is_at_most_100(make_server: MakeServer, make_raw: MakeRaw) -> None:
    server = make_server(rate_per_s=0)
    alice = join(make_raw, server, "alice")
    seqs = say(alice, 105, "m")
    assert [m["seq"] for m in page(alice)["messages"]] == seqs[-100:]
    huge = page(alice, limit=1000)
    assert [m["seq"] for m in huge["messages"]] == seqs[-100:] and huge["more"] is True
    one = page(alice, before=seqs[3], limit=1)
    assert [m["seq"] for m in one["messages"]] == [seqs[2]] and one["more"] is True
    assert page(alice, before=seqs[0]) == {"type": "history_page", "before": seqs[0], "messages": [], "more": False}


def test_around_a_seq_gives_both_sides_and_says_what_is_left(make_server: MakeServer, make_raw: MakeRaw) -> None:
    server = make_server(rate_per_s=0)
    alice = join(make_raw, server, "alice")
    seqs = say(alice, 30, "m")
    got = page(alice, around=seqs[10], limit=10)
    assert [m["seq"] for m in got["messages"]] == seqs[5:15]
    assert (got["around"], got["more"], got["newer"]) == (seqs[10], True, True)
    edge = page(alice, around=seqs[1], limit=10)
    assert [m["seq"] for m in edge["messages"]] == seqs[0:6]
    assert (edge["more"], edge["newer"]) == (False, True)
    end = page(alice, around=seqs[-1], limit=4)
    assert [m["seq"] for m in end["messages"]] == seqs[-3:]
    assert end["more"] is True and "newer" not in end


def test_a_page_of_long_messages_is_cut_to_its_byte_bound(make_server: MakeServer, make_raw: MakeRaw) -> None:
    server = make_server(rate_per_s=0)
    alice = join(make_raw, server, "alice")
    seqs = say(alice, 3, "short")
    for index in range(6):
        alice.send(type="chat", id=f"long{index}", text="x" * 60_000)
        seqs.append(alice.expect(type="ack", id=f"long{index}")["seq"])
    got = page(alice)
    line = next(line for line in alice.raw.lines if '"history_page"' in line)
    assert len(line.encode()) + 1 <= p.HISTORY_PAGE_MAX_BYTES
    assert [m["seq"] for m in got["messages"]] == seqs[-4:]  # four of 60,000 bytes fit in 256 KiB
    assert got["more"] is True
    rest = page(alice, before=seqs[-4])
    assert [m["seq"] for m in rest["messages"]] == seqs[:-4] and rest["more"] is False


def test_direct_messages_page_for_their_two_members_only(make_server: MakeServer, make_raw: MakeRaw) -> None:
    server = make_server(rate_per_s=0)
    alice, bob, carol = (join(make_raw, server, name) for name in ("alice", "bob", "carol"))
    to_bob = say(alice, 3, "dm", to="bob")
    say(carol, 2, "other", to="bob")
    assert [m["seq"] for m in page(bob, to="alice")["messages"]] == to_bob
    mine = page(alice, to="bob")
    assert mine["to"] == "bob" and [m["text"] for m in mine["messages"]] == ["dm 0", "dm 1", "dm 2"]
    assert [m["text"] for m in page(carol, to="alice")["messages"]] == []  # never another pair's
    carol.send(type="scrollback", to="nobody")
    assert carol.expect(type="error")["code"] == p.ERR_UNKNOWN_MEMBER
    carol.send(type="scrollback", to="carol")
    assert carol.expect(type="error")["code"] == p.ERR_DIRECT_TO_SELF


def test_a_member_without_a_client_id_pages_no_earlier_runs_direct_messages(
        make_server: MakeServer, make_raw: MakeRaw, tmp_path: Path, qtbot: QtBot) -> None:
    """Session ids start again at 1 each run: a member without a client id that gets the session id of an earlier
    run's connection pages its own direct messages only, never that connection's (the review of issue 21)."""
    path = str(tmp_path / "chat.sqlite3")
    first = make_server(rate_per_s=0, db_path=path)
    join(make_raw, first, "alice")  # session 1
    netcat = make_raw(first)  # session 2, a text member: no client id
    name = netcat.wait_line(lambda line: line.startswith("Welcome ")).split()[1].rstrip("!")
    qtbot.waitUntil(lambda: name in first.members(), timeout=5000)
    netcat.send("/msg alice my secret pigeon\n")
    netcat.wait_line("my secret pigeon ACK")
    with qtbot.waitSignal(first.stopped, timeout=5000):
        first.stop()

    second = make_server(rate_per_s=0, db_path=path)
    alice = join(make_raw, second, "alice")  # session 1 again
    mallory = Member(make_raw(second), "mallory")  # session 2 again, no client id either
    mallory.send(type="hello", version=2, name="mallory", last_seq=None)
    mallory.expect(type="joined", name="mallory")
    say(mallory, 1, "mine", to="alice")
    assert [m["text"] for m in page(mallory, to="alice")["messages"]] == ["mine 0"]
    assert [m["text"] for m in page(alice, to="mallory")["messages"]] == ["mine 0"]


def test_direct_messages_with_a_partner_no_longer_known_by_name_still_page(
        make_server: MakeServer, make_raw: MakeRaw, tmp_path: Path) -> None:
    """A partner offline with no name reserved (reservation off) is found by its last name among the member's past
    direct partners, as a search finds those messages: opening such a result pages around it (the review of
    issue 21). A name nobody ever had is still refused."""
    server = make_server(db_path=str(tmp_path / "chat.sqlite3"), name_reservation_s=0, rate_per_s=0)
    alice, bob = join(make_raw, server, "alice"), join(make_raw, server, "bob")
    seqs = say(alice, 3, "pigeon", to="bob")
    bob.expect(type="message", seq=seqs[-1])
    bob.raw.close()
    alice.expect(type="left", name="bob")
    alice.send(type="search", query="pigeon", to="Bob")
    found = alice.expect(type="search_results")
    assert [(r["seq"], r["to"]) for r in found["results"]] == [(seq, "bob") for seq in reversed(seqs)]
    around = page(alice, to="Bob", around=seqs[1], limit=2)
    assert (around["to"], [m["seq"] for m in around["messages"]]) == ("Bob", seqs[:2])
    assert [m["text"] for m in page(alice, to="bob")["messages"]] == ["pigeon 0", "pigeon 1", "pigeon 2"]
    alice.send(type="scrollback", to="carol")
    refused = alice.expect(type="error")
    assert (refused["code"], refused["text"]) == (p.ERR_UNKNOWN_MEMBER, "carol is not a member here.")


def test_only_a_rooms_members_may_page_it(make_server: MakeServer, make_raw: MakeRaw) -> None:
    server = make_server(rate_per_s=0)
    alice, mallory = join(make_raw, server, "alice"), join(make_raw, server, "mallory")
    alice.send(type="create", room="#team", private=True)
    alice.expect(type="joined", name="alice", room="#team")
    say(alice, 2, "secret", room="#team")
    alice.send(type="join", room="#open")
    alice.expect(type="joined", name="alice", room="#open")
    say(alice, 1, "open", room="#open")
    mallory.send(type="scrollback", room="#team")
    error = mallory.expect(type="error")
    assert (error["code"], error["room"]) == (p.ERR_NO_SUCH_ROOM, "#team")
    mallory.send(type="scrollback", room="#open")
    assert mallory.expect(type="error")["code"] == p.ERR_NOT_IN_ROOM  # public, but not joined
    mallory.send(type="scrollback", room="#team", before=0)
    assert mallory.expect(type="error")["code"] == p.ERR_BAD_MESSAGE
    assert not any("secret" in line or "open 0" in line for line in mallory.raw.lines)
    # Each refusal carries the request's id, so that a client knows which page will never come.
    mallory.send(type="scrollback", room="#open", id="page-1")
    assert (mallory.expect(type="error")["code"], mallory.raw.lines[-1].count('"id":"page-1"')) == (
        p.ERR_NOT_IN_ROOM, 1)
    mallory.send(type="scrollback", to="nobody", id="page-2")
    error = mallory.expect(type="error")
    assert (error["code"], error["id"]) == (p.ERR_UNKNOWN_MEMBER, "page-2")
    mallory.send(type="scrollback", room="#team", before=0, id="page-3")
    error = mallory.expect(type="error")
    assert (error["code"], error["id"]) == (p.ERR_BAD_MESSAGE, "page-3")


def test_a_version_1_client_is_not_given_pages(server: ChatServer, make_raw: MakeRaw) -> None:
    old = join(make_raw, server, "old", version=1)
    old.send(type="scrollback")
    error = old.expect(type="error")
    assert error["code"] == p.ERR_NOT_ALLOWED
    assert not any('"history_page"' in line for line in old.raw.lines)


def test_reconnect_then_scroll_back_gets_every_message_once(make_server: MakeServer, make_raw: MakeRaw,
                                                            tmp_path: Path) -> None:
    """A client that reconnects with last_seq, then pages back from the oldest message it holds, has every message
    of the conversation exactly once: the replay gives what came after, the pages what came before."""
    server = make_server(rate_per_s=0, db_path=str(tmp_path / "chat.db"), history_limit=10)
    alice = join(make_raw, server, "alice")
    bob = join(make_raw, server, "bob", client_id="bob-id")
    before_drop = say(alice, 40, "a")
    bob.expect(type="message", seq=before_drop[-1])
    seen = [o["seq"] for o in bob.objects() if o["type"] == "message"]
    bob.raw.close()
    alice.expect(type="left", name="bob")
    missed = say(alice, 25, "b")
    again = Member(make_raw(server), "bob")
    again.send(type="hello", version=2, name="bob", client_id="bob-id", last_seq=seen[-1])
    again.expect(type="joined", name="bob")
    replayed = [o["seq"] for o in again.objects() if o["type"] == "message"]
    assert replayed == missed
    held = sorted(set(seen) | set(replayed))
    older: list[int] = []
    before = held[0]
    while True:
        got = page(again, before=before)
        older[:0] = [m["seq"] for m in got["messages"]]
        if not got["more"]:
            break
        before = got["messages"][0]["seq"]
    everything = older + held
    assert everything == before_drop + missed
    assert len(everything) == len(set(everything))


def test_text_history_command_pages_a_room(make_server: MakeServer, make_raw: MakeRaw, qtbot: QtBot) -> None:
    server = make_server(rate_per_s=0)
    alice = join(make_raw, server, "alice")
    alice.send(type="join", room="#dev")
    alice.expect(type="joined", name="alice", room="#dev")
    say(alice, 4, "dev", room="#dev")
    say(alice, 2, "lobby")
    text = make_raw(server)
    text.wait_line(lambda line: line.startswith("Welcome"))
    text.send("/join #dev\n")
    text.wait_line(lambda line: line.startswith("[#dev] * You joined #dev"))
    start = len(text.lines)
    text.send("/history 3\n")  # the current room, #dev
    text.wait_line(lambda line: line.endswith("alice: dev 3"), start)
    lines = text.lines[start:start + 3]
    assert [line.split("] ", 1)[1] for line in lines] == ["[#dev] alice: dev 1", "[#dev] alice: dev 2",
                                                           "[#dev] alice: dev 3"]
    assert all(line.startswith("[history ") for line in lines)
    start = len(text.lines)
    text.send("/history #lobby\n/HISTORY #nowhere 2\n/history 0\n")
    text.wait_line(lambda line: line.startswith("Error: Usage: /history"), start)
    answer = text.lines[start:]
    assert [line.split("] ", 1)[1] for line in answer[:2]] == ["alice: lobby 0", "alice: lobby 1"]
    assert answer[2:] == ["Error: #nowhere: no such room.",
                          "Error: Usage: /history [#room] [N] (type /help for the commands)."]
    start = len(text.lines)
    text.send("/switch #lobby\n/history #dev 1\nhistory 1\n")
    text.wait_line(lambda line: line.endswith("alice: lobby 1"), start)
    assert [line.split("] ", 1)[-1] for line in text.lines[start + 1:]] == ["[#dev] alice: dev 3", "alice: lobby 1"]


def test_text_history_of_an_empty_room_says_so(server: ChatServer, make_raw: MakeRaw) -> None:
    text = make_raw(server)
    text.wait_line(lambda line: line.startswith("Welcome"))
    text.send("/join #quiet\n")
    text.wait_line(lambda line: line.startswith("[#quiet] * You created") or line.startswith("[#quiet] * You joined"))
    start = len(text.lines)
    text.send("/history\n/help\n")
    text.wait_line("No earlier messages.", start)
    text.wait_line(lambda line: line.startswith("/history [#room] [N]"), start)


class _UnreadablePages(SqliteStore):
    """A real store whose scrollback reads fail as a locked or damaged database's would (joining still works)."""

    def before_in(self, conversation: str, before: int, limit: int) -> list[StoredMessage]:
        raise StoreError("database is locked")

    def after_in(self, conversation: str, after: int, limit: int) -> list[StoredMessage]:
        raise StoreError("database is locked")


def test_a_page_the_store_cannot_read_is_said_failed_not_left_waiting(
        make_server: MakeServer, make_raw: MakeRaw, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.ERROR, logger="chat_server")
    server = make_server(store=_UnreadablePages(tmp_path / "chat.sqlite3"), rate_per_s=0)
    alice = join(make_raw, server, "alice")
    seqs = say(alice, 2, "m")
    assert page(alice, before=seqs[1]) == {"type": "history_page", "before": seqs[1], "messages": [], "more": True,
                                           "failed": True}
    assert page(alice, around=seqs[0]) == {"type": "history_page", "around": seqs[0], "messages": [], "more": True,
                                           "failed": True}
    assert [o["seq"] for o in page(alice)["messages"]] == seqs  # the newest page is read another way: it works
    assert any("could not read a page of history for alice: database is locked" in r.getMessage()
               for r in caplog.records)
