"""Loading earlier history on scroll in the client window: a scripted server (exact pages) and the real one."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from chat_gui.client import LOBBY, Conversation, FoundMessage
from chat_gui.client_window.transcript import EntryKind
from chat_gui.client_window.window import ClientWindow
from chat_server import protocol as p
from chat_server.core.engine import ChatServer
from chat_server.store import StoredMessage
from chat_server.store.sqlite import SqliteStore
from tests.conftest import WAIT_MS, stop_clients
from tests.gui.client_window.conftest import connected_window
from tests.gui.client_window.v2_server import ScriptedServer

pytestmark = pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise)")

DEV = Conversation.room("#dev")
LOADING = "Loading earlier messages…"
BEGINNING = "This is the beginning of the conversation."


@pytest.fixture
def scripted(qtbot: QtBot) -> Iterator[ScriptedServer]:
    server = ScriptedServer(qtbot, rooms=("#lobby", "#dev"))
    yield server
    server.close()


@pytest.fixture
def make_window(qtbot: QtBot, tmp_path: Path) -> Iterator[Callable[[int], ClientWindow]]:
    windows: list[ClientWindow] = []

    def make(port: int) -> ClientWindow:
        return connected_window(qtbot, port, tmp_path / f"c{len(windows)}.ini", "alice", windows)

    yield make
    stop_clients(window.client for window in windows)


def relays(first: int, last: int, room: str | None = None, history: bool = True) -> list[p.Relay]:
    return [p.Relay(sender="bob", text=f"line {seq} " * 6, seq=seq, time=1_795_000_000.0 + seq, history=history,
                    room=room) for seq in range(first, last + 1)]


def page(first: int, last: int, before: int, more: bool, room: str | None = None) -> p.HistoryPage:
    entries = tuple(p.HistoryEntry("bob", f"line {seq} " * 6, seq, 1_795_000_000.0 + seq)
                    for seq in range(first, last + 1))
    return p.HistoryPage(room=room, before=before, messages=entries, more=more)


def seqs(window: ClientWindow, conversation: Conversation = LOBBY) -> list[int]:
    return [entry.seq for entry in window.entries(conversation) if entry.seq is not None]


def holding_201_to_260(qtbot: QtBot, scripted: ScriptedServer,
                       make_window: Callable[[int], ClientWindow]) -> ClientWindow:
    """A window whose #lobby holds the messages 201 to 260, relayed by the scripted server."""
    window = make_window(scripted.port)
    scripted.send(*relays(201, 260))
    qtbot.waitUntil(lambda: seqs(window) == list(range(201, 261)), timeout=WAIT_MS)
    return window


def asked_from_the_top(window: ClientWindow, scripted: ScriptedServer) -> dict[str, Any]:
    """Scroll ``window``'s transcript to its top: the scrollback request that brings."""
    window.transcript_view.verticalScrollBar().setValue(0)
    [request] = scripted.wait_for("scrollback")
    return request


def test_scrolling_to_the_top_loads_older_pages_without_jumping_until_the_beginning(
        qtbot: QtBot, scripted: ScriptedServer, make_window: Callable[[int], ClientWindow]) -> None:
    window = make_window(scripted.port)
    view = window.transcript_view
    scripted.send(*relays(201, 260))
    qtbot.waitUntil(lambda: seqs(window) == list(range(201, 261)), timeout=WAIT_MS)
    assert view.follow and view.verticalScrollBar().value() == view.verticalScrollBar().maximum()
    assert scripted.of("scrollback") == []  # at the bottom: nothing asked

    view.scroll_by(-view.viewport().height() * 3)  # some way up: not yet the top
    assert not view.at_top() and scripted.of("scrollback") == []
    view.verticalScrollBar().setValue(0)  # the top
    assert scripted.wait_for("scrollback") == [{"type": "scrollback", "before": 201, "limit": 100, "id": "scrollback"}]
    assert view.top_hint == LOADING
    view.verticalScrollBar().setValue(0)  # more scrolling while it loads asks nothing more
    view.scroll_by(-50)
    assert len(scripted.of("scrollback")) == 1

    top_row, top_y = view.first_visible()
    looked_at = window.entries()[top_row]
    row_rect = view.visualRect(window.transcript.index(top_row)).top()
    scripted.send(page(101, 200, before=201, more=True))
    qtbot.waitUntil(lambda: seqs(window) == list(range(101, 261)), timeout=WAIT_MS)
    assert view.top_hint == ""
    # No jump: the entry at the top is the same one, at the same place, 100 rows further down the transcript.
    new_row, new_y = view.first_visible()
    assert (window.entries()[new_row], new_row, new_y) == (looked_at, top_row + 100, top_y)
    assert view.visualRect(window.transcript.index(new_row)).top() == row_rect
    assert not view.follow

    view.verticalScrollBar().setValue(0)
    assert scripted.wait_for("scrollback", 2)[1] == {"type": "scrollback", "before": 101, "limit": 100,
                                                     "id": "scrollback"}
    scripted.send(page(51, 100, before=101, more=False))
    qtbot.waitUntil(lambda: seqs(window) == list(range(51, 261)), timeout=WAIT_MS)
    first = window.entries()[0]
    assert (first.kind, first.text) == (EntryKind.INFO, BEGINNING)
    assert window.transcript_lines().count(BEGINNING) == 1
    view.verticalScrollBar().setValue(0)
    view.scroll_by(-100)
    assert len(scripted.of("scrollback")) == 2 and view.top_hint == ""  # the beginning: nothing more to ask


def test_each_conversation_loads_its_own_pages(qtbot: QtBot, scripted: ScriptedServer,
                                               make_window: Callable[[int], ClientWindow]) -> None:
    window = make_window(scripted.port)
    scripted.send(*relays(300, 340, room="#dev"), *relays(341, 345))
    qtbot.waitUntil(lambda: seqs(window) == list(range(341, 346)), timeout=WAIT_MS)
    # Five lines do not fill the view, which is so at its top: it asks at once.
    assert scripted.wait_for("scrollback") == [{"type": "scrollback", "before": 341, "limit": 100, "id": "scrollback"}]
    scripted.send(p.HistoryPage(before=341, more=False))
    qtbot.waitUntil(lambda: window.transcript_lines()[0] == BEGINNING, timeout=WAIT_MS)
    window.open_conversation(DEV)
    window.transcript_view.verticalScrollBar().setValue(0)
    assert scripted.wait_for("scrollback", 2)[1] == {"type": "scrollback", "room": "#dev", "before": 300,
                                                     "limit": 100, "id": "scrollback"}
    window.open_conversation(LOBBY)  # the hint is the conversation's in view
    qtbot.waitUntil(lambda: window.transcript_view.top_hint == "", timeout=WAIT_MS)
    scripted.send(page(250, 299, before=300, more=True, room="#dev"))
    qtbot.waitUntil(lambda: seqs(window, DEV) == list(range(250, 341)), timeout=WAIT_MS)
    assert seqs(window) == list(range(341, 346)) and len(scripted.of("scrollback")) == 2


def test_a_page_that_overlaps_what_is_held_adds_only_what_is_older(
        qtbot: QtBot, scripted: ScriptedServer, make_window: Callable[[int], ClientWindow]) -> None:
    window = make_window(scripted.port)
    scripted.send(*relays(11, 30))
    qtbot.waitUntil(lambda: seqs(window) == list(range(11, 31)), timeout=WAIT_MS)
    window.transcript_view.verticalScrollBar().setValue(0)
    scripted.wait_for("scrollback")
    scripted.send(page(1, 15, before=11, more=False))  # (a server would never: the window copes all the same)
    qtbot.waitUntil(lambda: seqs(window) == list(range(1, 31)), timeout=WAIT_MS)


def test_scrolling_up_on_the_real_server_reaches_the_first_message(
        qtbot: QtBot, make_server: Callable[..., ChatServer], make_window: Callable[[int], ClientWindow],
        tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "chat.db")
    store.commit([StoredMessage(seq, 1_795_000_000.0 + seq, "bob", f"line {seq}") for seq in range(1, 251)], [])
    store.close()
    server = make_server(db_path=str(tmp_path / "chat.db"), history_limit=50)
    window = make_window(server.server_port)
    qtbot.waitUntil(lambda: seqs(window) == list(range(201, 251)), timeout=WAIT_MS)
    view = window.transcript_view
    for expected in (list(range(101, 251)), list(range(1, 251))):
        view.verticalScrollBar().setValue(0)
        qtbot.waitUntil(lambda expected=expected: seqs(window) == expected, timeout=WAIT_MS)  # type: ignore[misc]
    assert window.transcript_lines()[0] == BEGINNING
    assert window.transcript_lines()[1].startswith("bob (") and window.transcript_lines()[1].endswith("): line 1")


def test_coming_back_to_a_conversation_left_midway_asks_for_nothing(
        qtbot: QtBot, scripted: ScriptedServer, make_window: Callable[[int], ClientWindow]) -> None:
    window = make_window(scripted.port)
    scripted.send(*relays(100, 160, room="#dev"), *relays(161, 220))
    qtbot.waitUntil(lambda: seqs(window) == list(range(161, 221)), timeout=WAIT_MS)
    window.open_conversation(DEV)
    view = window.transcript_view
    view.scroll_by(-view.viewport().height())  # midway: neither the top nor the bottom
    kept = view.first_visible()
    window.open_conversation(LOBBY)
    window.open_conversation(DEV)
    assert view.first_visible() == kept and not view.follow
    scripted.send(p.Ping(token="sync"))  # the client's pong comes after any request it wrote before
    scripted.wait_for("pong")
    assert scripted.of("scrollback") == []


def around_page(first: int, last: int, around: int, more: bool, newer: bool) -> p.HistoryPage:
    entries = tuple(p.HistoryEntry("bob", f"line {seq} " * 6, seq, 1_795_000_000.0 + seq)
                    for seq in range(first, last + 1))
    return p.HistoryPage(around=around, messages=entries, more=more, newer=newer)


def test_a_page_around_a_search_result_goes_in_only_if_it_reaches_the_transcript(
        qtbot: QtBot, scripted: ScriptedServer, make_window: Callable[[int], ClientWindow]) -> None:
    window = holding_201_to_260(qtbot, scripted, make_window)
    assert window.client.load_around(LOBBY, 40)
    with qtbot.waitSignal(window.client.history_page_received, timeout=WAIT_MS):
        scripted.send(around_page(1, 99, around=40, more=False, newer=True))  # a gap below it: left out
    assert seqs(window) == list(range(201, 261))
    assert window.client.load_around(LOBBY, 180)
    with qtbot.waitSignal(window.client.history_page_received, timeout=WAIT_MS):
        scripted.send(around_page(130, 229, around=180, more=True, newer=True))
    assert seqs(window) == list(range(130, 261))  # only what is older than the transcript held, once
    assert BEGINNING not in window.transcript_lines()


def test_a_page_the_server_could_not_read_is_said_once_and_not_asked_again_at_once(
        qtbot: QtBot, scripted: ScriptedServer, make_window: Callable[[int], ClientWindow]) -> None:
    window = holding_201_to_260(qtbot, scripted, make_window)
    view = window.transcript_view
    asked_from_the_top(window, scripted)
    with qtbot.waitSignal(window.client.history_page_received, timeout=WAIT_MS):
        scripted.send(p.HistoryPage(before=201, more=True, failed=True))
    assert view.top_hint == "" and seqs(window) == list(range(201, 261))
    last = window.entries()[-1]
    assert (last.kind, last.text) == (EntryKind.ERROR, "Earlier messages could not be loaded: the server could not "
                                                         "read them. Scroll to the top again in a moment to try again.")
    view.scroll_by(-100)  # still at the top: not asked again at once (it would fail again, in a loop)
    scripted.send(p.Ping(token="sync"))  # the client's pong comes after any request it wrote before
    scripted.wait_for("pong")
    assert len(scripted.of("scrollback")) == 1


def test_a_refused_page_leaves_no_loading_hint_and_no_server_words_in_the_transcript(
        qtbot: QtBot, scripted: ScriptedServer, make_window: Callable[[int], ClientWindow]) -> None:
    window = holding_201_to_260(qtbot, scripted, make_window)
    view = window.transcript_view
    request = asked_from_the_top(window, scripted)
    with qtbot.waitSignal(window.client.history_page_received, timeout=WAIT_MS):
        scripted.send(p.Error(p.ERR_NOT_ALLOWED, "Refused by the server.", id=request["id"]))
    assert view.top_hint == ""
    assert not window.scrollback.loading(window.pane.current)
    assert not any("Refused by the server." in e.text for e in window.entries())
    last = window.entries()[-1]  # not "the server could not read them": it can, but will not give them
    assert (last.kind, last.text) == (EntryKind.ERROR, "Earlier messages could not be loaded: the server refused "
                                                         "them. Scroll to the top again in a moment to try again.")


def test_a_refused_page_around_a_search_result_does_not_leave_the_search_panel_loading(
        qtbot: QtBot, scripted: ScriptedServer, make_window: Callable[[int], ClientWindow]) -> None:
    window = holding_201_to_260(qtbot, scripted, make_window)
    dock = window.search_dock
    dock.open()
    dock.panel.result_chosen.emit(FoundMessage(40, 1_795_000_040.0, "bob", "old", LOBBY))
    [request] = scripted.wait_for("scrollback")
    assert (request["around"], dock.panel.status_label.text()) == (40, "Loading the messages around it…")
    with qtbot.waitSignal(window.client.history_page_received, timeout=WAIT_MS):
        scripted.send(p.Error(p.ERR_NOT_IN_ROOM, "You are not in #lobby.", id=request["id"]))
    assert dock.panel.status_label.text() == (
        "That message is older than what the conversation shows now; it is shown here only.")


def test_a_mention_loaded_by_scrolling_is_marked_as_a_live_one_is(
        qtbot: QtBot, scripted: ScriptedServer, make_window: Callable[[int], ClientWindow]) -> None:
    window = make_window(scripted.port)
    scripted.send(p.Relay(sender="bob", text="hi @alice", seq=300, time=1_795_000_300.0))
    scripted.send(*relays(301, 360))
    qtbot.waitUntil(lambda: seqs(window)[-1:] == [360], timeout=WAIT_MS)
    assert [e.mentioned for e in window.entries() if e.seq == 300] == [True]
    window.transcript_view.verticalScrollBar().setValue(0)
    scripted.wait_for("scrollback")
    with qtbot.waitSignal(window.client.history_page_received, timeout=WAIT_MS):
        scripted.send(p.HistoryPage(before=300, more=True, messages=(
            p.HistoryEntry("bob", "look @alice", 250, 1_795_000_250.0),
            p.HistoryEntry("bob", "look @alicia", 251, 1_795_000_251.0))))
    assert [(e.seq, e.mentioned) for e in window.entries() if e.seq in (250, 251)] == [(250, True), (251, False)]


BOB = Conversation.direct("bob")


def test_a_closed_direct_conversation_reopened_loads_again_and_takes_no_late_page(
        qtbot: QtBot, scripted: ScriptedServer, make_window: Callable[[int], ClientWindow]) -> None:
    window = make_window(scripted.port)

    def from_bob(first: int, last: int) -> list[p.Relay]:
        return [p.Relay(sender="bob", text=f"to you {seq}", seq=seq, time=1_795_000_000.0 + seq, to="alice")
                for seq in range(first, last + 1)]

    scripted.send(*from_bob(100, 102))
    qtbot.waitUntil(lambda: seqs(window, BOB) == [100, 101, 102], timeout=WAIT_MS)
    window.open_conversation(BOB)  # three lines do not fill the view: it asks at once
    assert scripted.wait_for("scrollback")[0] == {"type": "scrollback", "to": "bob", "before": 100, "limit": 100,
                                                  "id": "scrollback"}
    scripted.send(p.HistoryPage(to="bob", before=100, more=False))
    qtbot.waitUntil(lambda: window.transcript_lines(BOB)[0] == BEGINNING, timeout=WAIT_MS)
    window.pane.sidebar.leave_requested.emit(BOB)  # closed: its transcript goes
    assert BOB not in window.pane.model.conversations
    scripted.send(*from_bob(300, 302))  # bob writes again: the conversation opens with these only
    qtbot.waitUntil(lambda: seqs(window, BOB) == [300, 301, 302], timeout=WAIT_MS)
    window.open_conversation(BOB)
    assert scripted.wait_for("scrollback", 2)[1]["before"] == 300, "the beginning reached before stops it"
    window.pane.sidebar.leave_requested.emit(BOB)
    with qtbot.waitSignal(window.client.history_page_received, timeout=WAIT_MS):
        scripted.send(page(200, 210, before=300, more=True))  # (as #lobby's: only the conversation matters here)
    scripted.send(p.HistoryPage(to="bob", before=300, messages=(p.HistoryEntry("bob", "late", 250, 1.0),),
                                more=True))
    scripted.send(*from_bob(400, 400))  # reopened by a new message: it holds that one only, not the late page
    qtbot.waitUntil(lambda: BOB in window.pane.model.conversations, timeout=WAIT_MS)
    assert seqs(window, BOB) == [400]
