"""JSON mode end to end: the client engine against the server engine on loopback."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import pytest
from PySide6.QtNetwork import QHostAddress, QTcpServer
from pytestqt.qtbot import QtBot

from chat_gui.client.engine import ChatClient, ClientState
from chat_gui.client.events import ChatMessage
from chat_server import protocol as p
from chat_server.core.engine import ChatServer
from chat_server.net.listen_failure import ListenFailure, ListenProblem
from chat_server.store.sqlite import SqliteStore
from tests.conftest import TEST_SETTINGS, WAIT_MS, RawClient, half_closed_session

MakeClient = Callable[..., ChatClient]


def _disconnect_of(qtbot: QtBot, client: ChatClient, action: Callable[[], object]) -> tuple[str, str]:
    with qtbot.waitSignal(client.disconnected, timeout=WAIT_MS) as blocker:
        action()
    kind, text = blocker.args
    return kind, text


def test_welcome_assigns_names_or_takes_the_chosen_one(server: ChatServer, make_client: MakeClient,
                                                       qtbot: QtBot) -> None:
    first = make_client(server)
    with qtbot.waitSignal(first.member_joined) as joined:
        second = make_client(server, name="alice")
    assert joined.args == ["alice", 2]
    third = make_client(server)
    assert (first.name, second.name, third.name) == ("Client01", "alice", "Client02")
    qtbot.waitUntil(lambda: second.members == ["Client01", "alice", "Client02"])
    assert first.state is ClientState.ONLINE and first.max_clients == 3
    assert [s.name for s in server.cache] == ["Client01", "alice", "Client02"]


@pytest.mark.parametrize(("name", "why"), [
    ("ALICE", "The name ALICE is taken; choose another."),
    ("x" * 33, f"The name {'x' * 33!r} cannot be used: a name is at most 32 characters."),
    ("tab\there", "The name 'tab\\there' cannot be used: a name cannot contain control characters."),
])
def test_a_taken_or_invalid_name_is_refused_in_plain_words(server: ChatServer, make_client: MakeClient,
                                                           qtbot: QtBot, name: str, why: str) -> None:
    make_client(server, name="alice")
    client = ChatClient()
    errors: list[tuple[str, str, str]] = []
    client.error_received.connect(lambda *args: errors.append(args))
    kind, text = _disconnect_of(qtbot, client, lambda: client.connect_to("127.0.0.1", server.server_port, name))
    assert (kind, text) == ("refused", why)
    assert errors[0][0] in (p.ERR_NAME_TAKEN, p.ERR_NAME_INVALID)
    assert list(server.cache)[-1].state == "refused: name"
    assert server.members() == ["alice"]


def test_a_client_over_the_limit_is_told_the_server_is_full(make_server: Callable[..., ChatServer],
                                                            make_client: MakeClient, qtbot: QtBot) -> None:
    server = make_server(max_clients=1)
    make_client(server)
    late = ChatClient()
    kind, text = _disconnect_of(qtbot, late, lambda: late.connect_to("127.0.0.1", server.server_port))
    assert (kind, text) == ("refused", "Server is full (1/1 online). Try again later.")


def test_ack_echoes_the_id_and_the_others_get_the_message_with_the_same_sequence(
        server: ChatServer, make_client: MakeClient, qtbot: QtBot) -> None:
    alice = make_client(server, name="alice")
    bob = make_client(server, name="bob")
    carol = make_client(server, name="carol")
    received: dict[str, list[p.Relay]] = {"alice": [], "bob": [], "carol": []}
    for client in (alice, bob, carol):
        client.chat_received.connect(lambda relay, who=client.name: received[who].append(relay))
    before = time.time()
    with qtbot.waitSignal(alice.message_acked) as acked:
        message_id = alice.send("Hello, everyone!")
    ack, rtt_ms = acked.args
    assert ack.id == message_id and ack.seq == 1
    assert before <= ack.time <= time.time()
    assert rtt_ms > 0
    qtbot.waitUntil(lambda: len(received["bob"]) == 1 and len(received["carol"]) == 1)
    for who in ("bob", "carol"):
        assert received[who] == [ChatMessage(sender="alice", text="Hello, everyone!", seq=1, time=ack.time)]
    with qtbot.waitSignal(alice.message_acked):
        alice.send("second")
    assert received["alice"] == []
    assert alice.pending == []


def test_messages_written_before_the_welcome_wait_in_the_outbox(server: ChatServer, qtbot: QtBot,
                                                                make_client: MakeClient) -> None:
    bob = make_client(server, name="bob")
    client = ChatClient()
    message_id = client.send("typed early")
    assert message_id is not None
    assert [(m.id, m.text) for m in client.pending] == [(message_id, "typed early")]
    with qtbot.waitSignal(bob.chat_received) as relayed:
        client.connect_to("127.0.0.1", server.server_port, "early")
    assert (relayed.args[0].sender, relayed.args[0].text) == ("early", "typed early")
    qtbot.waitUntil(lambda: client.pending == [])
    client.abort()


def test_message_problems_are_known_before_sending(make_server: Callable[..., ChatServer],
                                                   make_client: MakeClient, qtbot: QtBot) -> None:
    server = make_server(max_line_bytes=200)
    client = make_client(server)
    assert client.max_line_bytes == 200
    assert client.message_problem("") == p.Problem(p.ProblemCode.TEXT_EMPTY)
    assert client.message_problem("two\nlines") == p.Problem(p.ProblemCode.TEXT_LINES)
    fits = "x" * (200 - client.message_bytes(""))
    assert client.message_problem(fits) is None
    assert client.message_problem(fits + "xx") == p.Problem(p.ProblemCode.TEXT_TOO_LONG, limit=200, found="2")
    assert client.send(fits + "xx") is None
    # The estimate is the wire size: the line really sent is exactly the limit, and the server takes it.
    with qtbot.waitSignal(client.message_acked, timeout=5000) as acked:
        message_id = client.send(fits)
    assert message_id is not None and acked.args[0].id == message_id
    assert len(p.encode(p.Chat(id=message_id, text=fits))) - 1 == 200


def test_message_ids_differ_between_client_objects_that_share_a_client_id() -> None:
    first, second = ChatClient(), ChatClient()
    second.client_id = first.client_id  # as a window does with the id it remembers for a name
    assert first.send("one") != second.send("one")


def test_status_reply_lists_every_session_with_address_times_state_and_count(
        server: ChatServer, make_client: MakeClient, qtbot: QtBot) -> None:
    alice = make_client(server, name="alice")
    bob = make_client(server, name="bob")
    with qtbot.waitSignal(alice.message_acked):
        alice.send("one")
    with qtbot.waitSignal(bob.disconnected):
        bob.exit()
    with qtbot.waitSignal(alice.status_received) as status:
        assert alice.request_status()
    report: p.StatusReport = status.args[0]
    assert (report.online, report.max_clients, report.started_at) == (1, 3, server.cache.started_at)
    first, second = report.sessions
    assert (first.name, first.host, first.state, first.messages, first.disconnected_at) == (
        "alice", "127.0.0.1", "online", 1, None)
    assert first.port == alice._socket.localPort()
    assert (second.name, second.state, second.messages) == ("bob", "exit", 0)
    assert second.connected_at <= second.disconnected_at <= time.time()  # type: ignore[operator]
    assert first.connected_at == server.cache.get(1).connected_at  # type: ignore[union-attr]


def test_exit_ends_with_a_goodbye_that_gives_the_disconnect_time(server: ChatServer, make_client: MakeClient,
                                                                 qtbot: QtBot) -> None:
    alice = make_client(server, name="alice")
    bob = make_client(server, name="bob")
    with qtbot.waitSignal(alice.member_left) as left, qtbot.waitSignal(bob.goodbye_received) as goodbye:
        kind, text = _disconnect_of(qtbot, bob, bob.exit)
    session = server.cache.get(2)
    assert session is not None and session.state == "exit" and session.disconnected_at is not None
    assert goodbye.args[0].time == session.disconnected_at
    assert (kind, text) == ("exit", f"Goodbye bob! Disconnected at {p.clock(session.disconnected_at)}.")
    assert left.args == ["bob", "exit", 1]
    assert alice.members == ["alice"]


def test_a_json_client_that_half_closes_gets_its_welcome_and_ack(server: ChatServer, qtbot: QtBot) -> None:
    data = p.encode(p.Hello(name="brief")) + p.encode(p.Chat(id="1", text="in and out"))
    lines = [json.loads(line) for line in half_closed_session(qtbot, server.server_port, data)[1:]]
    assert [line["type"] for line in lines] == ["welcome", "joined", "ack"]
    assert lines[-1]["id"] == "1" and lines[-1]["seq"] == 1
    assert server.cache.get(1).state == "dropped"  # type: ignore[union-attr]


def test_a_dropped_client_is_reported_to_the_others(server: ChatServer, make_client: MakeClient,
                                                    qtbot: QtBot) -> None:
    alice = make_client(server, name="alice")
    bob = make_client(server, name="bob")
    with qtbot.waitSignal(alice.member_left) as left:
        bob.abort()
    assert left.args == ["bob", "dropped", 1]
    assert server.cache.get(2).state == "dropped"  # type: ignore[union-attr]


def test_notices_and_kick_reach_json_clients(server: ChatServer, make_client: MakeClient, qtbot: QtBot) -> None:
    alice = make_client(server, name="alice")
    bob = make_client(server, name="bob")
    with qtbot.waitSignal(alice.notice_received) as notice:
        server.send_notice("Welcome to the LAN party")
    assert notice.args == ["Welcome to the LAN party", False]
    with qtbot.waitSignal(bob.notice_received) as private:
        server.send_notice("psst", to="bob")
    assert private.args == ["psst", True]
    with qtbot.waitSignal(alice.member_left) as left:
        kind, text = _disconnect_of(qtbot, bob, lambda: server.kick("bob"))
    assert kind == "kicked" and text.startswith("You were removed by the server operator. Goodbye bob!")
    assert left.args == ["bob", "kicked", 1]


def test_server_stop_says_goodbye_to_everyone(server: ChatServer, make_client: MakeClient, qtbot: QtBot) -> None:
    alice = make_client(server, name="alice")
    with qtbot.waitSignal(server.stopped):
        kind, text = _disconnect_of(qtbot, alice, server.stop)
    assert kind == "server stopped"
    assert text.startswith("Server is shutting down. Goodbye alice! Disconnected at ")
    assert server.cache.get(1).state == "server stopped"  # type: ignore[union-attr]
    assert not server.is_listening


def test_no_server_is_reported_as_unreachable(qtbot: QtBot) -> None:
    probe = QTcpServer()
    assert probe.listen(QHostAddress(QHostAddress.SpecialAddress.LocalHost), 0)
    port = probe.serverPort()
    probe.close()
    client = ChatClient()
    kind, text = _disconnect_of(qtbot, client, lambda: client.connect_to("127.0.0.1", port))
    assert (kind, text) == (
        "unreachable", f"Could not connect to 127.0.0.1:{port}: connection refused (is the server running?).")
    assert client.state is ClientState.OFFLINE


def test_listening_reports_the_real_port_and_qt_errors(server: ChatServer, qtbot: QtBot) -> None:
    assert server.server_port != 0 and server.server_host == "127.0.0.1"
    other = ChatServer(TEST_SETTINGS, SqliteStore())
    with qtbot.waitSignal(other.listen_failed) as failed:
        assert not other.listen("127.0.0.1", server.server_port)
    in_use: ListenFailure = failed.args[0]
    assert (in_use.kind, in_use.address) == (ListenProblem.ADDRESS_IN_USE, f"127.0.0.1:{server.server_port}")
    assert "address" in in_use.detail.lower()  # Qt's own text
    assert in_use.english == f"Cannot listen on 127.0.0.1:{server.server_port}: {in_use.detail}"
    with qtbot.waitSignal(other.listen_failed) as failed:
        assert not other.listen("192.0.2.1", 0)  # TEST-NET-1: never this machine's
    assert failed.args[0].kind is ListenProblem.ADDRESS_NOT_AVAILABLE
    assert failed.args[0].english == f"Cannot listen on 192.0.2.1:0: {failed.args[0].detail}"
    with qtbot.waitSignal(other.listen_failed) as failed:
        assert not other.listen("not-an-ip", 0)
    assert failed.args == [ListenFailure(ListenProblem.NOT_AN_ADDRESS, "not-an-ip", 0)]
    assert failed.args[0].english == "'not-an-ip' is not an IP address (use an address, 'localhost' or 'any')"
    assert not other.is_listening


def test_a_port_in_use_on_ipv6_is_reported_with_the_address_in_brackets(make_server: Callable[..., ChatServer],
                                                                         qtbot: QtBot) -> None:
    server = make_server(host="::1")
    other = ChatServer(TEST_SETTINGS, SqliteStore())
    with qtbot.waitSignal(other.listen_failed) as failed:
        assert not other.listen("::1", server.server_port)
    assert failed.args[0].kind is ListenProblem.ADDRESS_IN_USE
    assert failed.args[0].english.startswith(f"Cannot listen on [::1]:{server.server_port}: ")


def test_json_protocol_errors_are_answered_in_json(server: ChatServer, make_raw) -> None:
    raw: RawClient = make_raw(server)
    raw.send(p.encode(p.Hello(name="rawjson")))
    raw.wait_line(lambda line: '"type":"welcome"' in line)
    raw.send(b'{"type":"chat","id":"9"}\n')
    error = json.loads(raw.wait_line(lambda line: '"type":"error"' in line))
    assert error == {"type": "error", "code": "bad_message", "text": "chat: missing field 'text'", "id": None}
    raw.send(p.encode(p.Hello()))
    raw.wait_line('{"type":"error","code":"not_allowed","text":"hello was already received","id":null}')
    raw.send(p.encode(p.Chat(id="10", text="still works")))
    ack = json.loads(raw.wait_line(lambda line: '"type":"ack"' in line))
    assert ack["id"] == "10" and ack["seq"] == 1


def test_an_unsupported_protocol_version_is_refused(server: ChatServer, make_raw) -> None:
    raw: RawClient = make_raw(server)
    raw.send(p.encode(p.Hello(version=99)))
    raw.wait_closed()
    assert json.loads(raw.lines[-1]) == {
        "type": "error", "code": "unsupported_version",
        "text": "protocol version 99 is not supported (this server speaks versions 1 and 2)", "id": None}
