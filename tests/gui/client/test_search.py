"""The client engine's search against a real server on loopback: pages as plain values, the next page, refusals."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from chat_gui.client import (
    LOBBY,
    ChatClient,
    Conversation,
    FoundMessage,
    SearchFilters,
    SearchPage,
    SearchRefusal,
    search_problem,
)
from chat_gui.client.search import SEARCH_ID, SearchFailed
from chat_gui.client.session import ClientSession
from chat_server import protocol as p
from chat_server.core.engine import ChatServer
from tests.conftest import WAIT_MS

MakeClient = Callable[..., ChatClient]


def say(qtbot: QtBot, client: ChatClient, text: str, conversation: Conversation = LOBBY) -> None:
    with qtbot.waitSignal(client.message_acked, timeout=WAIT_MS):
        client.send(text, conversation)


def found(qtbot: QtBot, client: ChatClient, start: Callable[[], bool]) -> SearchPage:
    with qtbot.waitSignal(client.search_found, timeout=WAIT_MS) as blocker:
        assert start()
    page = blocker.args[0]
    assert isinstance(page, SearchPage)
    return page


def test_a_search_brings_pages_of_found_messages_with_their_conversations(
        qtbot: QtBot, make_server: Callable[..., ChatServer], make_client: MakeClient, tmp_path: Path) -> None:
    server = make_server(max_clients=5, db_path=str(tmp_path / "chat.sqlite3"), rate_per_s=0)
    alice, bob = make_client(server, "alice"), make_client(server, "bob")
    say(qtbot, bob, "the release is out", Conversation.direct("alice"))
    for n in range(55):
        say(qtbot, alice, f"release {n}")
    page = found(qtbot, alice, lambda: alice.search("Release"))
    assert (page.query, len(page.messages), page.more, page.continued) == ("Release", 50, True, False)
    assert page.messages[0] == FoundMessage(page.messages[0].seq, page.messages[0].time, "alice", "release 54", LOBBY,
                                            ((0, 7),))
    more = found(qtbot, alice, alice.search_more)
    assert [m.text for m in more.messages] == [*(f"release {n}" for n in range(4, -1, -1)), "the release is out"]
    assert more.continued and not more.more
    assert more.messages[-1].conversation == Conversation.direct("bob") and more.messages[-1].marks == ((4, 11),)
    assert not alice.search_more()  # nothing more to ask for
    narrowed = found(qtbot, alice, lambda: alice.search("release", SearchFilters(sender="bob")))
    assert [m.text for m in narrowed.messages] == ["the release is out"]
    direct = found(qtbot, bob, lambda: bob.search("release", SearchFilters(conversation=Conversation.direct("alice"))))
    assert [(m.text, m.conversation) for m in direct.messages] == [("the release is out", Conversation.direct("alice"))]


def test_a_refused_search_is_the_searchs_failure_not_a_conversation_problem(
        qtbot: QtBot, server: ChatServer, make_client: MakeClient) -> None:
    alice = make_client(server, "alice")
    problems: list[tuple[str, str, str]] = []
    alice.problem_reported.connect(lambda *args: problems.append(args))
    with qtbot.waitSignal(alice.search_failed, timeout=WAIT_MS) as blocker:
        assert alice.search("anything", SearchFilters(conversation=Conversation.room("#elsewhere")))
    assert blocker.args == [SearchRefusal.NOT_IN_ROOM.value, "Not searched: you are not in #elsewhere."]
    assert problems == []
    assert search_problem("* -") is SearchRefusal.INVALID
    assert search_problem("release", SearchFilters(after=-5)) is SearchRefusal.INVALID
    assert search_problem("release", SearchFilters(conversation=Conversation.room("#no room"))) is SearchRefusal.INVALID
    assert search_problem("release") is None


def test_the_session_matches_answers_to_searches_in_order() -> None:
    session = ClientSession("id-alice")
    session.connect("127.0.0.1", 4000, "alice")
    session.open()
    session.opened()
    session.receive(p.Welcome(name="alice", online=1, max_clients=0, version=p.ROOMS_VERSION,
                              rooms=(p.JoinedRoom("#lobby", "", False, None),)), 0.0)
    first = session.search.start("one", SearchFilters())
    assert first == p.SearchRequest(query="one", id=SEARCH_ID)
    session.search.start("two", SearchFilters(conversation=LOBBY, after=5.0))
    [failed] = [e for e in session.receive(p.Error(p.ERR_SEARCH_FAILED, "Not searched: store.", id=SEARCH_ID), 0.0)
                if not hasattr(e, "message_id")]
    assert failed.text == "Not searched: store."  # type: ignore[union-attr]
    [page] = session.receive(p.SearchResults(query="two", more=True, results=(
        p.SearchHit(seq=8, time=1.0, sender="bob", text="two", marks=((0, 3),), to="alice"),)), 0.0)
    assert page == SearchPage("two", (FoundMessage(8, 1.0, "bob", "two", Conversation.direct("bob"), ((0, 3),)),),
                              True)
    assert session.search.more() == p.SearchRequest(query="two", room="#lobby", after=5.0, before_seq=8, id=SEARCH_ID)
    assert session.search.more() is None  # asked already


def test_an_error_without_the_search_id_is_not_a_waiting_searchs_answer() -> None:
    """A chat refused (unknown_member, id None) while a search waits must not be taken for the search's refusal."""
    session = ClientSession("id-alice")
    session.connect("127.0.0.1", 4000, "alice")
    session.open()
    session.opened()
    session.receive(p.Welcome(name="alice", online=1, max_clients=0, version=p.ROOMS_VERSION,
                              rooms=(p.JoinedRoom("#lobby", "", False, None),)), 0.0)
    session.search.start("one", SearchFilters())
    out = session.receive(p.Error(p.ERR_UNKNOWN_MEMBER, "Not done: bob is not a member here."), 0.0)
    assert [type(e).__name__ for e in out] == ["ErrorReceived", "ProblemReported"]
    assert session.search.waiting
    [_, failed] = session.receive(p.Error(p.ERR_UNKNOWN_MEMBER, "Not searched: bob is not a member here.",
                                          id=SEARCH_ID), 0.0)
    assert failed == SearchFailed(SearchRefusal.UNKNOWN_MEMBER, "Not searched: bob is not a member here.")
    assert not session.search.waiting
