"""The client engine's scrollback against a real server: ``load_older`` pages back to a conversation's beginning."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from chat_gui.client import LOBBY, ChatClient, HistoryPageReceived
from chat_server.core.engine import ChatServer
from chat_server.store import StoredMessage
from chat_server.store.sqlite import SqliteStore

MakeServer = Callable[..., ChatServer]
MakeClient = Callable[..., ChatClient]
WAIT_MS = 5000


def stored_lobby(path: Path, count: int) -> None:
    """A store holding ``count`` messages of #lobby, seqs 1 to ``count``."""
    store = SqliteStore(path)
    store.commit([StoredMessage(seq, 1_795_000_000.0 + seq, "bob", f"line {seq}") for seq in range(1, count + 1)], [])
    store.close()


def load(qtbot: QtBot, client: ChatClient) -> HistoryPageReceived:
    with qtbot.waitSignal(client.history_page_received, timeout=WAIT_MS) as blocker:
        assert client.load_older(LOBBY)
    page: HistoryPageReceived = blocker.args[0]
    return page


def test_load_older_pages_back_to_the_beginning(qtbot: QtBot, make_server: MakeServer, make_client: MakeClient,
                                                tmp_path: Path) -> None:
    stored_lobby(tmp_path / "chat.db", 230)
    server = make_server(db_path=str(tmp_path / "chat.db"), history_limit=50)
    received: list[int] = []
    client = ChatClient()
    client.chat_received.connect(lambda message: received.append(message.seq))
    with qtbot.waitSignal(client.welcomed, timeout=WAIT_MS):
        client.connect_to("127.0.0.1", server.server_port, "alice")
    qtbot.waitUntil(lambda: len(received) == 50, timeout=WAIT_MS)
    assert received == list(range(181, 231))
    first = load(qtbot, client)
    assert [m.seq for m in first.messages] == list(range(81, 181))
    assert first.messages[0].text == "line 81" and first.messages[0].history and first.conversation == LOBBY
    assert first.more and not client.at_beginning(LOBBY)
    second = load(qtbot, client)
    assert [m.seq for m in second.messages] == list(range(1, 81)) and not second.more
    assert client.at_beginning(LOBBY)
    assert not client.load_older(LOBBY)  # nothing older to ask for
    client.abort()
    client.deleteLater()


def test_load_around_a_seq(qtbot: QtBot, make_server: MakeServer, make_client: MakeClient, tmp_path: Path) -> None:
    stored_lobby(tmp_path / "chat.db", 300)
    server = make_server(db_path=str(tmp_path / "chat.db"))
    client = make_client(server, "alice")
    with qtbot.waitSignal(client.history_page_received, timeout=WAIT_MS) as blocker:
        assert client.load_around(LOBBY, 120)
    page: HistoryPageReceived = blocker.args[0]
    assert [m.seq for m in page.messages] == list(range(70, 170))
    assert (page.around, page.more, page.newer) == (120, True, True)


def test_load_older_is_refused_offline(make_client: MakeClient) -> None:
    client = ChatClient()
    assert not client.load_older(LOBBY)
    assert not client.load_around(LOBBY, 3)
    client.deleteLater()
