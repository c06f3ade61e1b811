"""ChatClient.auto_reconnect: backoff after an unexpected end, none after a chosen one."""

from __future__ import annotations

from collections.abc import Callable

from pytestqt.qtbot import QtBot

from chat_gui.client.engine import CONNECT_TIMEOUT_MS, RECONNECT_DELAYS_MS, ChatClient, ClientEnd, ClientState
from chat_server.core.engine import ChatServer
from tests.conftest import WAIT_MS

FAST = (20, 40, 80)  # the schedule under test, short so the tests stay fast


def reconnecting_client(make_client: Callable[..., ChatClient], server: ChatServer, name: str) -> ChatClient:
    client = make_client(server, name)
    client.auto_reconnect = True
    client.reconnect_delays_ms = FAST
    return client


def restart(qtbot: QtBot, make_server: Callable[..., ChatServer], server: ChatServer) -> ChatServer:
    """Stop ``server`` and start a new engine on the same port, as a restarted server would."""
    port = server.server_port
    with qtbot.waitSignal(server.stopped, timeout=WAIT_MS):
        server.stop()
    return make_server(port=port)


def test_a_new_client_waits_by_the_named_schedule_which_grows(qtbot: QtBot, server: ChatServer) -> None:
    assert list(RECONNECT_DELAYS_MS) == sorted(RECONNECT_DELAYS_MS) and len(set(RECONNECT_DELAYS_MS)) > 1
    client = ChatClient()
    assert client.auto_reconnect is False and tuple(client.reconnect_delays_ms) == RECONNECT_DELAYS_MS
    client.auto_reconnect = True
    try:
        with qtbot.waitSignal(client.welcomed, timeout=WAIT_MS):
            client.connect_to("127.0.0.1", server.server_port, "Alice")
        # Dropped: the first attempt waits the schedule's first delay (it is announced before the wait).
        with qtbot.waitSignal(client.reconnecting, timeout=WAIT_MS) as first:
            client.abort()
        assert first.args == [1, RECONNECT_DELAYS_MS[0]]
    finally:
        client.auto_reconnect = False
        client.cancel_reconnect()
        client.deleteLater()


def test_reconnects_after_the_server_restarts_and_sends_what_was_typed_once(
    qtbot: QtBot, make_server: Callable[..., ChatServer], make_client: Callable[..., ChatClient]
) -> None:
    first = make_server()
    alice = reconnecting_client(make_client, first, "Alice")
    attempts: list[tuple[int, int]] = []
    alice.reconnecting.connect(lambda attempt, delay: attempts.append((attempt, delay)))

    port = first.server_port
    with qtbot.waitSignals([first.stopped, alice.disconnected], timeout=WAIT_MS):
        first.stop()
    # While the server is down, every attempt fails and the next waits longer.
    qtbot.waitUntil(lambda: len(attempts) >= 3, timeout=WAIT_MS)
    assert attempts[:3] == [(1, 20), (2, 40), (3, 80)]
    assert alice.send("typed while offline") is not None

    acks: list[tuple[str, float]] = []
    alice.message_acked.connect(lambda ack, rtt: acks.append((ack.id, rtt)))
    second = make_server(port=port)
    relayed: list[tuple[str, str]] = []
    second.messages_relayed.connect(lambda batch: relayed.extend((m.sender, m.text) for m in batch))
    qtbot.waitUntil(lambda: len(acks) == 1, timeout=WAIT_MS)
    assert acks[0][1] > 0  # a real round trip was measured
    assert relayed == [("Alice", "typed while offline")]  # delivered once
    assert alice.name == "Alice"  # back under the same name
    assert alice.reconnect_attempt == 0 and not alice.reconnect_pending
    assert alice.pending == []


def test_a_dropped_connection_is_reconnected_with_the_unacked_message(
    qtbot: QtBot, server: ChatServer, make_client: Callable[..., ChatClient]
) -> None:
    alice = reconnecting_client(make_client, server, "Alice")
    bob = make_client(server, "Bob")
    heard: list[str] = []
    bob.chat_received.connect(lambda relay: heard.append(relay.text))
    acked: list[str] = []
    alice.message_acked.connect(lambda ack, _rtt: acked.append(ack.id))
    with qtbot.waitSignal(alice.disconnected, timeout=WAIT_MS) as ended:
        message_id = alice.send("said as the line dropped")
        alice.abort()  # before the event loop writes it, or its ACK could come back
    assert ended.args == [ClientEnd.DROPPED.value, f"The connection to 127.0.0.1:{server.server_port} was lost."]
    assert alice.reconnect_pending and [chat.id for chat in alice.pending] == [message_id]
    with qtbot.waitSignal(alice.welcomed, timeout=WAIT_MS) as welcomed:
        pass
    assert welcomed.args[0].name == "Alice" and alice.state is ClientState.ONLINE
    qtbot.waitUntil(lambda: acked == [message_id] and heard == ["said as the line dropped"], timeout=WAIT_MS)
    assert alice.pending == []


def test_no_reconnect_after_exit_or_kick(
    qtbot: QtBot, server: ChatServer, make_client: Callable[..., ChatClient]
) -> None:
    alice = reconnecting_client(make_client, server, "Alice")
    bob = reconnecting_client(make_client, server, "Bob")
    with qtbot.waitSignal(alice.disconnected, timeout=WAIT_MS) as ended:
        alice.exit()
    assert ended.args is not None and ended.args[0] == ClientEnd.EXIT.value
    with qtbot.waitSignal(bob.disconnected, timeout=WAIT_MS) as ended:
        server.kick("Bob")
    assert ended.args is not None and ended.args[0] == ClientEnd.KICKED.value
    assert not alice.reconnect_pending and not bob.reconnect_pending


def test_no_reconnect_when_the_first_connection_fails(
    qtbot: QtBot, make_server: Callable[..., ChatServer]
) -> None:
    server = make_server()
    port = server.server_port
    with qtbot.waitSignal(server.stopped, timeout=WAIT_MS):
        server.stop()
    client = ChatClient()
    client.auto_reconnect = True
    with qtbot.waitSignal(client.disconnected, timeout=WAIT_MS) as ended:
        client.connect_to("127.0.0.1", port)
    assert ended.args is not None and ended.args[0] == ClientEnd.UNREACHABLE.value
    assert not client.reconnect_pending


def test_exit_and_connect_to_cancel_a_pending_reconnect(
    qtbot: QtBot, make_server: Callable[..., ChatServer], make_client: Callable[..., ChatClient]
) -> None:
    server = make_server()
    alice = reconnecting_client(make_client, server, "Alice")
    alice.reconnect_delays_ms = (60_000,)  # long enough never to fire during the test
    server = restart(qtbot, make_server, server)
    qtbot.waitUntil(lambda: alice.reconnect_pending, timeout=WAIT_MS)
    alice.exit()
    assert not alice.reconnect_pending and alice.state is ClientState.OFFLINE

    with qtbot.waitSignal(alice.state_changed, check_params_cb=lambda s: s == "joining", timeout=WAIT_MS):
        alice.connect_to("127.0.0.1", server.server_port, "Alice")
    with qtbot.waitSignal(alice.disconnected, timeout=WAIT_MS):
        alice.abort()  # a drop before the welcome: not a session worth coming back to
    assert not alice.reconnect_pending


def test_exit_while_connecting_ends_the_attempt_at_once(qtbot: QtBot, server: ChatServer) -> None:
    client = ChatClient()
    client.connect_to("127.0.0.1", server.server_port, "Alice")
    assert client.state is ClientState.CONNECTING
    # Well before the connect timeout, which is what it used to wait for.
    with qtbot.waitSignal(client.disconnected, timeout=CONNECT_TIMEOUT_MS // 2) as ended:
        client.exit()
    assert ended.args == [ClientEnd.EXIT.value, "Connection attempt cancelled."]
    assert client.state is ClientState.OFFLINE
    client.deleteLater()


def test_coming_back_gets_exactly_the_missed_messages(
    qtbot: QtBot, server: ChatServer, make_client: Callable[..., ChatClient]
) -> None:
    alice = make_client(server, "Alice")
    bob = make_client(server, "Bob")
    seen: list[tuple[str, bool]] = []
    alice.chat_received.connect(lambda relay: seen.append((relay.text, relay.history)))
    bob.send("before")
    qtbot.waitUntil(lambda: seen == [("before", False)], timeout=WAIT_MS)
    with qtbot.waitSignal(alice.disconnected, timeout=WAIT_MS):
        alice.exit()
    assert alice.last_seq is not None
    with qtbot.waitSignal(bob.message_acked, timeout=WAIT_MS):
        bob.send("while away")
    with qtbot.waitSignal(alice.welcomed, timeout=WAIT_MS):
        alice.connect_to("127.0.0.1", server.server_port, "Alice")
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=WAIT_MS)
    assert seen == [("before", False), ("while away", True)]  # not the whole history again


def test_another_server_starts_from_its_recent_history(
    qtbot: QtBot, make_server: Callable[..., ChatServer], make_client: Callable[..., ChatClient]
) -> None:
    first, second = make_server(), make_server()
    alice = make_client(first, "Alice")
    with qtbot.waitSignal(alice.message_acked, timeout=WAIT_MS):
        alice.send("on the first server")
    assert alice.last_seq == 1
    with qtbot.waitSignal(alice.welcomed, timeout=WAIT_MS):
        alice.connect_to("127.0.0.1", second.server_port, "Alice")
    assert alice.last_seq == 0  # the second server's numbering (from its welcome), not the first's 1


def test_after_exit_nothing_reconnects_until_asked_and_then_the_assigned_name_and_typed_text_come_back(
    qtbot: QtBot, server: ChatServer, make_client: Callable[..., ChatClient]
) -> None:
    first = make_client(server)
    second = make_client(server)
    second.auto_reconnect = True  # as a client window's
    second.reconnect_delays_ms = FAST
    assert (first.name, second.name) == ("Client01", "Client02")
    with qtbot.waitSignal(second.disconnected, timeout=WAIT_MS) as ended:
        second.exit()
    assert ended.args[0] == ClientEnd.EXIT.value
    assert not second.reconnect_pending and second.reconnect_attempt == 0  # leaving is chosen: no reconnect
    message_id = second.send("typed after exit")
    assert message_id is not None and second.state is ClientState.OFFLINE
    assert [chat.id for chat in second.pending] == [message_id]  # kept for the next connection

    relayed: list[tuple[str, str]] = []
    server.messages_relayed.connect(lambda batch: relayed.extend((m.sender, m.text) for m in batch))
    with qtbot.waitSignal(second.message_acked, timeout=WAIT_MS) as acked, \
            qtbot.waitSignal(first.member_joined, timeout=WAIT_MS) as joined:
        second.connect_to("127.0.0.1", server.server_port, None)  # Reconnect, no name chosen
    assert second.name == "Client02" and joined.args == ["Client02", 2]
    assert acked.args[0].id == message_id and second.pending == []
    assert relayed == [("Client02", "typed after exit")]
