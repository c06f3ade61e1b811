"""The client window's search panel against the real server engine on loopback: Ctrl+F, type, results newest first
with the words highlighted, more on scrolling, choose one and see it selected in its conversation, Esc."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from chat_gui.client import LOBBY, Conversation, FoundMessage
from chat_gui.client_window.search_results import FOUND_ROLE, HTML_ROLE, marked_html
from chat_gui.client_window.window import ClientWindow
from chat_server.core.engine import ChatServer
from tests.conftest import WAIT_MS, stop_clients
from tests.gui.client_window.conftest import connected_window
from tests.gui.client_window.test_scrollback_window import (  # noqa: F401
    holding_201_to_260,
    make_window,
    scripted,
    seqs,
)
from tests.gui.client_window.v2_server import ScriptedServer

pytestmark = pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise)")

DEV = Conversation.room("#dev")


@pytest.fixture
def pair(qtbot: QtBot, make_server: object, tmp_path: Path) -> Iterator[tuple[ClientWindow, ClientWindow]]:
    server: ChatServer = make_server(db_path=str(tmp_path / "chat.sqlite3"), rate_per_s=0)  # type: ignore[operator]
    opened: list[ClientWindow] = []
    for name in ("alice", "bob"):
        connected_window(qtbot, server.server_port, tmp_path / f"{name}.ini", name, opened)
    qtbot.waitUntil(lambda: opened[0].members.names == ["alice", "bob"], timeout=WAIT_MS)
    yield opened[0], opened[1]
    stop_clients(window.client for window in opened)


def say(qtbot: QtBot, window: ClientWindow, text: str, conversation: Conversation = LOBBY) -> None:
    with qtbot.waitSignal(window.client.message_acked, timeout=WAIT_MS):
        window.client.send(text, conversation)


def press_ctrl_f(qtbot: QtBot, window: ClientWindow) -> None:
    window.activateWindow()
    window.message_edit.setFocus()
    qtbot.keySequence(window, QKeySequence("Ctrl+F"))


def test_type_see_the_results_highlighted_choose_one_and_find_it_selected_in_its_room(
        qtbot: QtBot, pair: tuple[ClientWindow, ClientWindow]) -> None:
    alice, bob = pair
    with qtbot.waitSignal(alice.client.room_entered, timeout=WAIT_MS):
        alice.client.join_room("#dev")
    with qtbot.waitSignal(bob.client.room_entered, timeout=WAIT_MS):
        bob.client.join_room("#dev")
    say(qtbot, bob, "the Release is out", DEV)
    say(qtbot, bob, "lunch?")
    qtbot.waitUntil(lambda: "lunch?" in [entry.text for entry in alice.entries()], timeout=WAIT_MS)

    alice.search_dock.open()
    panel = alice.search_dock.panel
    assert alice.search_dock.isVisible()
    assert [panel.conversation_box.itemText(i) for i in range(panel.conversation_box.count())] == [
        "All conversations", "#lobby", "#dev"]
    qtbot.keyClicks(panel.query_edit, "release")
    with qtbot.waitSignal(alice.client.search_found, timeout=WAIT_MS):
        qtbot.keyClick(panel.query_edit, Qt.Key.Key_Return)
    assert panel.results.rowCount() == 1 and panel.status_label.text() == "1 message found (newest first)."
    index = panel.results.index(0)
    found = index.data(FOUND_ROLE)
    assert isinstance(found, FoundMessage)
    assert (found.conversation, found.sender, found.text, found.marks) == (DEV, "bob", "the Release is out", ((4, 11),))
    assert str(index.data()).startswith("#dev · bob · ") and str(index.data()).endswith(": the Release is out")
    assert ">Release</b> is out" in str(index.data(HTML_ROLE))

    alice.open_conversation(LOBBY)
    assert alice.pane.current == LOBBY
    panel.results_view.setCurrentIndex(index)
    panel.results_view.activated.emit(index)
    assert alice.pane.current == DEV
    current = alice.transcript_view.currentIndex()
    assert current.isValid() and alice.transcript_view.model().data(current) is not None
    entry = alice.pane.transcript(DEV).entries()[current.row()]
    assert (entry.seq, entry.text) == (found.seq, "the Release is out")
    assert alice.transcript_view.selectionModel().isSelected(current)

    qtbot.keyClick(panel.results_view, Qt.Key.Key_Escape)
    assert not alice.search_dock.isVisible()


def test_more_on_scroll_and_filters(qtbot: QtBot, pair: tuple[ClientWindow, ClientWindow]) -> None:
    alice, bob = pair
    for n in range(60):
        say(qtbot, alice if n % 3 else bob, f"note {n}")
    alice.search_dock.open()
    panel = alice.search_dock.panel
    panel.query_edit.setText("note")
    with qtbot.waitSignal(alice.client.search_found, timeout=WAIT_MS):
        panel.search_button.click()
    assert panel.results.rowCount() == 50 and panel.more_button.isEnabled()
    with qtbot.waitSignal(alice.client.search_found, timeout=WAIT_MS):
        bar = panel.results_view.verticalScrollBar()
        qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=WAIT_MS)
        bar.setValue(bar.maximum())
    texts = [panel.results.found(row).text for row in range(panel.results.rowCount())]  # type: ignore[union-attr]
    assert texts == [f"note {n}" for n in range(59, -1, -1)] and not panel.more_button.isEnabled()
    assert panel.status_label.text() == "60 messages found (newest first)."
    panel.sender_edit.setText("bob")
    with qtbot.waitSignal(alice.client.search_found, timeout=WAIT_MS):
        qtbot.keyClick(panel.sender_edit, Qt.Key.Key_Return)
    assert {panel.results.found(row).sender for row in range(panel.results.rowCount())} == {"bob"}  # type: ignore[union-attr]
    assert panel.results.rowCount() == 20
    panel.query_edit.setText("* -")
    panel.search_button.click()
    assert panel.status_label.text().startswith("Not searched: give one to 16 words")
    panel.query_edit.setText("nothing-like-this")
    with qtbot.waitSignal(alice.client.search_found, timeout=WAIT_MS):
        panel.search_button.click()
    assert panel.results.rowCount() == 0 and panel.status_label.text() == "No messages found."


def test_ctrl_f_opens_the_panel_and_esc_gives_the_focus_back(qtbot: QtBot,
                                                           pair: tuple[ClientWindow, ClientWindow]) -> None:
    alice, _ = pair
    alice.activateWindow()
    qtbot.waitUntil(lambda: alice.isActiveWindow(), timeout=WAIT_MS)
    alice.message_edit.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is alice.message_edit, timeout=WAIT_MS)
    qtbot.keySequence(alice, QKeySequence("Ctrl+F"))
    panel = alice.search_dock.panel
    qtbot.waitUntil(lambda: panel.query_edit.hasFocus(), timeout=WAIT_MS)
    qtbot.keyClick(panel.query_edit, Qt.Key.Key_Escape)
    assert not alice.search_dock.isVisible()
    qtbot.waitUntil(lambda: alice.message_edit.hasFocus(), timeout=WAIT_MS)


def test_marked_html_escapes_the_text_and_marks_only_sound_ranges() -> None:
    assert marked_html("a <b> & c", ((2, 5), (8, 9)), "#ff0") == (
        'a <b style="background-color:#ff0">&lt;b&gt;</b> &amp; <b style="background-color:#ff0">c</b>')
    assert marked_html("abc", ((1, 9), (2, 1)), "#ff0") == "abc"


def test_a_result_older_than_the_transcript_asks_for_the_messages_around_it(
        qtbot: QtBot, make_server: object, tmp_path: Path) -> None:
    server: ChatServer = make_server(db_path=str(tmp_path / "chat.sqlite3"), rate_per_s=0)  # type: ignore[operator]
    bob = ClientWindow(settings=QSettings(str(tmp_path / "bob.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(bob)
    bob.client.auto_reconnect = False
    with qtbot.waitSignal(bob.client.welcomed, timeout=WAIT_MS):
        bob.connect_to("127.0.0.1", server.server_port, "bob")
    say(qtbot, bob, "the old needle")
    for n in range(60):  # more than a join's history: alice's transcript will not hold the needle
        say(qtbot, bob, f"filler {n}")
    alice = ClientWindow(settings=QSettings(str(tmp_path / "alice.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(alice)
    alice.client.auto_reconnect = False
    try:
        with qtbot.waitSignal(alice.client.welcomed, timeout=WAIT_MS):
            alice.connect_to("127.0.0.1", server.server_port, "alice")
        qtbot.waitUntil(lambda: "filler 59" in [entry.text for entry in alice.entries()], timeout=WAIT_MS)
        assert "the old needle" not in [entry.text for entry in alice.entries()]
        alice.search_dock.open()
        panel = alice.search_dock.panel
        panel.query_edit.setText("needle")
        with qtbot.waitSignal(alice.client.search_found, timeout=WAIT_MS):
            panel.search_button.click()
        found = panel.results.found(0)
        assert found is not None and found.text == "the old needle"
        with qtbot.waitSignal(alice.client.history_page_received, timeout=WAIT_MS) as page:
            panel.results_view.activated.emit(panel.results.index(0))
        assert panel.status_label.text() == "Loading the messages around it…"
        assert page.args[0].around == found.seq and found.seq in [m.seq for m in page.args[0].messages]
        # Once the page is in the transcript the message is selected there; until the transcript takes such pages
        # in (scrollback's part), the panel says it shows it only.
        qtbot.waitUntil(lambda: panel.status_label.text() != "Loading the messages around it…", timeout=WAIT_MS)
        current = alice.transcript_view.currentIndex()
        if panel.status_label.text():
            assert panel.status_label.text().startswith("That message is older than")
        else:
            assert alice.pane.transcript(LOBBY).entries()[current.row()].seq == found.seq
    finally:
        stop_clients([alice.client, bob.client])


def test_search_scene(qtbot: QtBot, pair: tuple[ClientWindow, ClientWindow]) -> None:
    """The README's picture of the search panel (saved with LANCHAT_SEARCH_SCREENSHOT=docs/images/client-search.png)."""
    alice, bob = pair
    for window in (alice, bob):
        with qtbot.waitSignal(window.client.room_entered, timeout=WAIT_MS):
            window.client.join_room("#dev")

    def typed(conversation: Conversation, text: str) -> None:  # as alice types it, so her window shows it
        alice.open_conversation(conversation)
        with qtbot.waitSignal(alice.client.message_acked, timeout=WAIT_MS):
            alice.send_message(text)

    say(qtbot, bob, "Is the release branch frozen yet?", DEV)
    typed(DEV, "Yes: the release notes are on the wiki.")
    say(qtbot, bob, "Lunch at noon?")
    say(qtbot, bob, "Tagging the Release now; shout if anything breaks.", DEV)
    typed(LOBBY, "Thanks! I'll watch the release build.")
    alice.resize(980, 600)
    alice.search_dock.open()
    panel = alice.search_dock.panel
    panel.query_edit.setText("release")
    with qtbot.waitSignal(alice.client.search_found, timeout=WAIT_MS):
        panel.search_button.click()
    assert panel.results.rowCount() == 4
    chosen = panel.results.index(1)
    panel.results_view.setCurrentIndex(chosen)
    panel.results_view.activated.emit(chosen)
    assert alice.pane.current == DEV
    path = os.environ.get("LANCHAT_SEARCH_SCREENSHOT")
    if path:
        alice.activateWindow()
        qtbot.waitUntil(alice.isActiveWindow, timeout=WAIT_MS)
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        assert alice.grab().save(path)


def test_a_result_far_older_than_the_transcript_is_reached_by_earlier_pages(
        qtbot: QtBot, make_server: object, tmp_path: Path) -> None:
    server: ChatServer = make_server(db_path=str(tmp_path / "chat.sqlite3"), rate_per_s=0)  # type: ignore[operator]
    bob = ClientWindow(settings=QSettings(str(tmp_path / "bob.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(bob)
    bob.client.auto_reconnect = False
    with qtbot.waitSignal(bob.client.welcomed, timeout=WAIT_MS):
        bob.connect_to("127.0.0.1", server.server_port, "bob")
    say(qtbot, bob, "the ancient needle")
    for n in range(300):  # an around page (50 either side) cannot reach from it to what alice's transcript holds
        say(qtbot, bob, f"filler {n}")
    alice = ClientWindow(settings=QSettings(str(tmp_path / "alice.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(alice)
    alice.client.auto_reconnect = False
    alice.show()
    try:
        with qtbot.waitSignal(alice.client.welcomed, timeout=WAIT_MS):
            alice.connect_to("127.0.0.1", server.server_port, "alice")
        qtbot.waitUntil(lambda: "filler 299" in [entry.text for entry in alice.entries()], timeout=WAIT_MS)
        alice.search_dock.open()
        panel = alice.search_dock.panel
        panel.query_edit.setText("needle")
        with qtbot.waitSignal(alice.client.search_found, timeout=WAIT_MS):
            panel.search_button.click()
        found = panel.results.found(0)
        assert found is not None and found.text == "the ancient needle"
        panel.results_view.activated.emit(panel.results.index(0))
        qtbot.waitUntil(lambda: alice.transcript_view.currentIndex().isValid()
                        and alice.pane.transcript(LOBBY).entries()[alice.transcript_view.currentIndex().row()].seq
                        == found.seq, timeout=10_000)
        assert panel.status_label.text() == ""
        texts = [entry.text for entry in alice.entries() if entry.kind.name == "OTHER"]
        assert texts == ["the ancient needle", *(f"filler {n}" for n in range(300))]  # no gap, no repeat
    finally:
        stop_clients([alice.client, bob.client])


def test_a_connection_lost_mid_search_leaves_the_panel_not_searching(
        qtbot: QtBot, scripted: ScriptedServer, make_window: Callable[[int], ClientWindow]) -> None:  # noqa: F811
    window = make_window(scripted.port)
    window.search_dock.open()
    panel = window.search_dock.panel
    panel.query_edit.setText("needle")
    panel.search_button.click()
    scripted.wait_for("search")
    assert panel.status_label.text() == "Searching…"
    with qtbot.waitSignal(window.client.disconnected, timeout=WAIT_MS):
        scripted.close()  # its answer will not come
    assert panel.status_label.text() == "Search needs a connection to a server that speaks protocol version 2."
    assert not panel._asking  # (else the next search's "more" would never be asked for)


def test_a_connection_lost_while_a_page_around_a_result_is_loading_leaves_the_dock_not_waiting(
        qtbot: QtBot, scripted: ScriptedServer, make_window: Callable[[int], ClientWindow]) -> None:  # noqa: F811
    window = holding_201_to_260(qtbot, scripted, make_window)
    dock = window.search_dock
    dock.open()
    dock.panel.result_chosen.emit(FoundMessage(40, 1_795_000_040.0, "bob", "old needle", LOBBY))
    scripted.wait_for("scrollback")
    assert dock.panel.status_label.text() == "Loading the messages around it…"
    with qtbot.waitSignal(window.client.disconnected, timeout=WAIT_MS):
        scripted.close()  # the page will not come
    assert dock.panel.status_label.text() == (
        "That message is older than what the conversation shows now; it is shown here only.")
