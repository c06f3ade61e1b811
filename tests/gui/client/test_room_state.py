"""The client engine's room state (topic, private, owner) comes from the welcome, on a reconnect too: the engine
asks the server nothing for it. Against a scripted server on a real socket, which records every line written."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from chat_gui.client import ChatClient, Conversation, RoomState
from chat_server import protocol as p
from tests.conftest import WAIT_MS, stop_clients
from tests.gui.client_window.v2_server import ScriptedServer

TEAM = Conversation.room("#Team")
RECONNECT_WAIT_MS = WAIT_MS + 1000
"""The first automatic reconnect starts a second after the drop (RECONNECT_DELAYS_MS)."""


def test_after_a_reconnect_the_room_state_is_the_welcomes_and_no_join_was_sent(qtbot: QtBot) -> None:
    server = ScriptedServer(qtbot, rooms=("#lobby", p.JoinedRoom("#Team", "plans", True, "alice")),
                            members=("alice", "bob"))
    client = ChatClient()
    client.auto_reconnect = True
    try:
        with qtbot.waitSignal(client.welcomed, timeout=WAIT_MS):
            client.connect_to("127.0.0.1", server.port, "bob")
        assert client.room_state(TEAM) == RoomState(TEAM, "plans", True, "alice")
        # While bob is away the room's topic changes; the connection drops and the engine reconnects by itself.
        server.rooms = ("#lobby", p.JoinedRoom("#Team", "frozen", True, "alice"))
        assert server.socket is not None
        with qtbot.waitSignal(client.welcomed, timeout=RECONNECT_WAIT_MS):
            server.socket.abort()
        state = client.room_state(TEAM)
        assert state == RoomState(TEAM, "frozen", True, "alice") and state.conversation.name == "#Team"
        assert client.room_state(Conversation.room("#lobby")) == RoomState(Conversation.room("#lobby"))
        assert client.rooms == [Conversation.room("#lobby"), TEAM]
        # What the engine wrote: its two hellos, then the request made here (anything written before it came first).
        assert client.request_rooms()
        server.wait_for("rooms")
        assert [line["type"] for line in server.received] == ["hello", "hello", "rooms"]
    finally:
        stop_clients([client])
        server.close()
