"""Search over real sockets on loopback: a member finds only what it may read (its rooms now, #lobby, its own direct
messages), whatever its filters say; pages follow each other without gaps or repeats; text mode's lines."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from chat_server import protocol as p
from chat_server.core.engine import ChatServer
from chat_server.store import Found, SearchQuery
from chat_server.store.sqlite_search import SqliteSearcher
from tests.conftest import RawClient
from tests.integration.test_rooms_json import Member, join
from tests.integration.test_text_mode import _join as join_text

MakeRaw = Callable[[ChatServer], RawClient]


@pytest.fixture(params=["file", "memory"])
def server(request: pytest.FixtureRequest, make_server: Callable[..., ChatServer], tmp_path: Path) -> ChatServer:
    """A server over a store in a file (searched in a worker thread) and one in memory (searched in the loop)."""
    path = str(tmp_path / "chat.sqlite3") if request.param == "file" else ":memory:"
    return make_server(max_clients=10, db_path=path)


def say(member: Member, text: str, **where: str) -> int:
    member.send(type="chat", id=text, text=text, **where)
    return int(member.expect(type="ack", id=text)["seq"])


def search(member: Member, query: str, **filters: Any) -> dict[str, Any]:
    member.send(type="search", query=query, **filters)
    return member.expect(type="search_results", query=query)


def error(member: Member, query: str, **filters: Any) -> dict[str, Any]:
    member.send(type="search", query=query, **filters)
    return member.expect(type="error")


def test_a_member_finds_only_its_rooms_and_its_own_direct_messages(server: ChatServer, make_raw: MakeRaw) -> None:
    alice, bob, carol = (join(make_raw, server, name) for name in ("alice", "bob", "carol"))
    bob.send(type="create", room="#secret", private=True)
    bob.expect(type="room", room="#secret")
    carol.send(type="join", room="#dev")
    carol.expect(type="room", room="#dev")
    alice.send(type="join", room="#dev")
    alice.expect(type="room", room="#dev")
    secret = say(bob, "zeppelin plans for the secret room", room="#secret")
    gossip = say(bob, "zeppelin gossip for carol only", to="carol")
    lobby = say(carol, "a zeppelin over the lobby")
    dev = say(carol, "the dev zeppelin", room="#dev")
    direct = say(bob, "a zeppelin note for alice", to="alice")
    mine = say(alice, "my own Zeppelin", to="bob")

    found = search(alice, "zeppelin")
    assert [r["seq"] for r in found["results"]] == [mine, direct, dev, lobby] and found["more"] is False
    assert found["results"][0] == {"seq": mine, "time": found["results"][0]["time"], "sender": "alice",
                                   "text": "my own Zeppelin", "marks": [[7, 15]], "to": "bob"}
    assert found["results"][1]["to"] == "alice" and found["results"][2]["room"] == "#dev"
    assert "room" not in found["results"][3] and "to" not in found["results"][3]  # #lobby, as a relay says it
    # Crafted filters widen nothing: a room it is not in, a pair it is not part of, a sender who spoke there.
    refused = error(alice, "zeppelin", room="#secret", id="s1")  # its id echoed: the client knows it is its answer
    assert (refused["code"], refused["id"]) == (p.ERR_NOT_IN_ROOM, "s1")
    refused = error(alice, "zeppelin", to="nobody", id="s2")
    assert (refused["code"], refused["id"]) == (p.ERR_UNKNOWN_MEMBER, "s2")
    refused = error(alice, "* -", id="s3")  # refused where it is decoded
    assert (refused["code"], refused["id"]) == (p.ERR_SEARCH_INVALID, "s3")
    assert [r["seq"] for r in search(alice, "zeppelin", to="carol")["results"]] == []
    assert [r["seq"] for r in search(alice, "zeppelin", sender="bob")["results"]] == [direct]
    assert [r["seq"] for r in search(alice, "secret room")["results"]] == []
    assert [r["seq"] for r in search(alice, "gossip")["results"]] == []
    # Those who may read them find them.
    assert [r["seq"] for r in search(bob, "zeppelin", room="#secret")["results"]] == [secret]
    assert [r["seq"] for r in search(carol, "gossip")["results"]] == [gossip]
    assert [r["seq"] for r in search(bob, "zeppelin", to="alice")["results"]] == [mine, direct]


def test_index_syntax_in_a_query_is_words_and_bad_requests_are_refused(server: ChatServer, make_raw: MakeRaw) -> None:
    alice = join(make_raw, server, "alice")
    plain = say(alice, 'don\'t NEAR "me" - or AND else')
    for query in ('NEAR', '"me"', "AND", "don't", 'me*', "(else)", '" OR "', "NEAR(me else)"):
        results = search(alice, query)["results"]
        assert [r["seq"] for r in results] == [plain], query  # " OR " is the word 'or'
    assert error(alice, "* - \"")["code"] == p.ERR_SEARCH_INVALID
    assert error(alice, "x" * (p.MAX_QUERY_CHARS + 1))["code"] == p.ERR_SEARCH_INVALID
    assert error(alice, "two\nlines")["code"] == p.ERR_SEARCH_INVALID
    assert error(alice, "x", room="#dev", to="bob")["code"] == p.ERR_BAD_MESSAGE
    assert error(alice, "x", room="not a room")["code"] == p.ERR_ROOM_INVALID
    assert error(alice, "x", after=-1)["code"] == p.ERR_SEARCH_INVALID
    assert error(alice, "x", before_seq=0)["code"] == p.ERR_SEARCH_INVALID
    alice.raw.send('{"type":"search","query":"x","before":NaN}\n')
    assert alice.expect(type="error")["code"] == p.ERR_SEARCH_INVALID
    assert search(alice, "else")["results"][0]["seq"] == plain  # the session goes on


def test_pages_follow_each_other_without_gaps_or_repeats_and_filters_narrow(server: ChatServer,
                                                                             make_raw: MakeRaw) -> None:
    alice, bob = join(make_raw, server, "alice"), join(make_raw, server, "bob")
    said = [say(alice if n % 2 else bob, f"page line {n}") for n in range(120)]
    first = search(alice, "line page")
    assert len(first["results"]) == p.SEARCH_PAGE and first["more"] is True
    second = search(alice, "line page", before_seq=first["results"][-1]["seq"])
    third = search(alice, "line page", before_seq=second["results"][-1]["seq"])
    assert (len(second["results"]), second["more"], len(third["results"]), third["more"]) == (50, True, 20, False)
    seqs = [r["seq"] for page in (first, second, third) for r in page["results"]]
    assert seqs == sorted(said, reverse=True)
    by_bob = search(alice, "line", sender="BOB")["results"]
    assert {r["sender"] for r in by_bob} == {"bob"} and len(by_bob) == 50
    times = {r["seq"]: r["time"] for page in (first, second, third) for r in page["results"]}
    after = search(alice, "line", after=times[said[80]])
    assert [r["seq"] for r in after["results"]] == said[80:][::-1] and after["more"] is False
    before = search(alice, "line 7", before=times[said[8]])
    assert [r["seq"] for r in before["results"]] == [said[7]]


def test_a_version_1_client_may_not_search(server: ChatServer, make_raw: MakeRaw) -> None:
    old = join(make_raw, server, "old", version=1)
    assert error(old, "anything") == {"type": "error", "code": p.ERR_NOT_ALLOWED,
                                      "text": "Search needs protocol version 2.", "id": None}


def test_a_search_is_answered_in_the_order_of_the_lines(server: ChatServer, make_raw: MakeRaw) -> None:
    alice = join(make_raw, server, "alice")
    alice.raw.send("".join(json.dumps(obj) + "\n" for obj in (
        {"type": "chat", "id": "1", "text": "ordered words"}, {"type": "search", "query": "ordered"},
        {"type": "chat", "id": "2", "text": "after the search"}, {"type": "ping", "token": "t"})))
    alice.expect(type="pong", token="t")
    kinds = [(o["type"], o.get("id")) for o in alice.objects() if o["type"] in ("ack", "search_results", "pong")]
    assert kinds == [("ack", "1"), ("search_results", None), ("ack", "2"), ("pong", None)]
    found = next(o for o in alice.objects() if o["type"] == "search_results")
    assert [r["text"] for r in found["results"]] == ["ordered words"]  # stored before it was searched


def test_text_mode_search_lines(server: ChatServer, make_raw: MakeRaw) -> None:
    netcat = join_text(make_raw, server, "Client01")
    netcat.send("/search release\n")
    netcat.wait_line("No messages found.")
    for n in range(55):
        netcat.send(f"the release {n} is out\n")
        netcat.wait_line(f"the release {n} is out ACK")
    netcat.send("/join #dev\n")
    netcat.wait_line(lambda line: line.startswith("[#dev] * You created #dev"))
    netcat.send("Release day\n")
    netcat.wait_line("Release day ACK")
    start = len(netcat.lines)
    netcat.send("/search RELEASE\n")
    netcat.wait_line(lambda line: line.startswith("[search] More found"), start)
    page = netcat.lines[start:]
    assert len(page) == 51 and page[-1] == "[search] More found: type /search more for older ones."
    assert page[0].startswith("[search ") and page[0].endswith("] [#dev] Client01: *Release* day")
    assert page[1].endswith("] [#lobby] Client01: the *release* 54 is out")
    start = len(netcat.lines)
    netcat.send("/search more\n")
    netcat.wait_line(lambda line: line.endswith("the *release* 0 is out"), start)
    assert [line.split("] ", 1)[1] for line in netcat.lines[start:]] == [
        f"[#lobby] Client01: the *release* {n} is out" for n in range(5, -1, -1)]
    start = len(netcat.lines)
    netcat.send("/search more\n")
    netcat.wait_line("No more messages found.", start)
    netcat.send("/search nothing-like-it\n")
    netcat.wait_line("No messages found.", start)
    netcat.send("/search\n")
    netcat.wait_line("Error: Usage: /search words (type /help for the commands).", start)
    netcat.send("/help\n")
    netcat.wait_line(lambda line: line.startswith("/search more"), start)
    assert netcat.lines[-1] == "status, history [N], exit: as always"


def test_a_search_of_a_file_runs_beside_the_chat_not_in_its_way(make_server: Callable[..., ChatServer],
                                                                  make_raw: MakeRaw, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """While alice's search is held in the worker, bob's messages are stored, acknowledged and relayed."""
    server = make_server(db_path=str(tmp_path / "chat.sqlite3"))
    alice, bob = join(make_raw, server, "alice"), join(make_raw, server, "bob")
    said = say(alice, "a needle in the store")
    threads: list[threading.Thread] = []
    release = threading.Event()
    real_search = SqliteSearcher.search

    def held_search(searcher: SqliteSearcher, query: SearchQuery) -> tuple[list[Found], bool]:
        threads.append(threading.current_thread())
        release.wait(timeout=10)
        return real_search(searcher, query)

    monkeypatch.setattr(SqliteSearcher, "search", held_search)
    alice.send(type="search", query="needle")
    alice.raw.qtbot.waitUntil(lambda: len(threads) == 1, timeout=5000)
    say(bob, "meanwhile in the chat")  # stored and acknowledged while the search waits
    alice.expect(type="message", text="meanwhile in the chat")
    assert not [o for o in alice.objects() if o["type"] == "search_results"]
    release.set()
    found = alice.expect(type="search_results", query="needle")
    assert [r["seq"] for r in found["results"]] == [said]
    assert threads[0] is not threading.main_thread()


def test_a_search_that_breaks_in_the_worker_is_said_failed_and_the_member_goes_on(
        make_server: Callable[..., ChatServer], make_raw: MakeRaw, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    """Not only a StoreError: whatever the worker's search raises, the member is told ``search_failed`` and what it
    sent after the search is answered (the review of issue 21)."""
    server = make_server(db_path=str(tmp_path / "chat.sqlite3"), rate_per_s=0)
    alice = join(make_raw, server, "alice")

    def broken(searcher: SqliteSearcher, query: SearchQuery) -> tuple[list[Found], bool]:
        raise TypeError("a bug in the search")

    monkeypatch.setattr(SqliteSearcher, "search", broken)
    alice.send(type="search", query="anything")
    alice.send(type="ping", token="after")
    error = alice.expect(type="error")
    assert error["code"] == p.ERR_SEARCH_FAILED
    assert error["text"] == "Not searched: the server could not read its store."
    alice.expect(type="pong", token="after")
    assert [r.exc_info[0] for r in caplog.records if r.exc_info] == [TypeError]  # logged with its traceback


def test_a_search_costs_more_of_the_rate_than_a_message(make_server: Callable[..., ChatServer],
                                                        make_raw: MakeRaw) -> None:
    """With a burst of 20 and one message every 2 s, three searches spend the burst (10 messages each, the bucket
    never below empty): the next line waits for the rate, and the member is told. Three messages would leave 16."""
    server = make_server(rate_per_s=0.5, rate_burst=20)
    alice = join(make_raw, server, "alice")
    say(alice, "something to find")
    alice.raw.send("".join(json.dumps({"type": "search", "query": f"something {n}"}) + "\n" for n in range(3)))
    for n in range(3):
        alice.expect(type="search_results", query=f"something {n}")
    assert not [o for o in alice.objects() if o["type"] == "notice"]
    alice.send(type="chat", id="after", text="and now a message")
    notice = alice.expect(type="notice")
    assert notice["private"] is True and notice["text"].startswith("You are sending more than 0.5 messages a second")
    alice.raw.qtbot.waitUntil(lambda: any(o.get("id") == "after" for o in alice.objects() if o["type"] == "ack"),
                              timeout=10_000)  # slowed down, not dropped


def test_a_text_member_finds_the_direct_messages_of_its_connection_only(make_server: Callable[..., ChatServer],
                                                                         make_raw: MakeRaw, tmp_path: Path,
                                                                         qtbot: QtBot) -> None:
    """A text member's key is its session's, and a later run numbers sessions afresh: the same key then is another
    connection's, which must not find the first one's direct messages."""
    path = str(tmp_path / "chat.sqlite3")

    def second_session(server: ChatServer) -> tuple[Member, RawClient, str]:
        alice = join(make_raw, server, "alice")  # session 1
        netcat = make_raw(server)  # session 2, in either run: the same key
        name = netcat.wait_line(lambda line: line.startswith("Welcome ")).split()[1].rstrip("!")
        qtbot.waitUntil(lambda: name in server.members(), timeout=5000)
        assert server.cache.get(2) is not None and server.cache.get(2).name == name  # type: ignore[union-attr]
        return alice, netcat, name

    first = make_server(db_path=path)
    alice, netcat, name = second_session(first)
    netcat.send("/msg alice the first pigeon\n")
    netcat.wait_line("the first pigeon ACK")
    alice.expect(type="message", text="the first pigeon")
    netcat.send("/search pigeon\n")
    netcat.wait_line(lambda line: line.endswith(f"[direct to alice] {name}: the first *pigeon*"))
    with qtbot.waitSignal(first.stopped, timeout=5000):
        first.stop()

    second = make_server(db_path=path)
    alice, netcat, _ = second_session(second)
    start = len(netcat.lines)
    netcat.send("/search pigeon\n")
    netcat.wait_line("No messages found.", start)
    assert [r["text"] for r in search(alice, "pigeon")["results"]] == ["the first pigeon"]  # alice's, kept
