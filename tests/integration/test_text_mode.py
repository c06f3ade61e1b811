"""Text mode end to end on loopback: what a netcat user sees, line by line."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from chat_server import protocol as p
from chat_server.core.engine import ChatServer
from tests.conftest import WAIT_MS, RawClient, half_closed_session

MakeRaw = Callable[[ChatServer], RawClient]


def _join(make_raw: MakeRaw, server: ChatServer, name: str) -> RawClient:
    """Connect a text client and wait until it is announced (after the join grace period)."""
    raw = make_raw(server)
    raw.wait_line(f"Welcome {name}! Type a message, 'status' or 'exit'.")
    raw.qtbot.waitUntil(lambda: name in server.members(), timeout=WAIT_MS)  # a text member is not sent its own join
    return raw


def test_greeting_names_clients_in_order_of_arrival(server: ChatServer, make_raw: MakeRaw) -> None:
    clients = [_join(make_raw, server, f"Client0{n}") for n in (1, 2, 3)]
    assert [c.lines[0] for c in clients] == [
        "Welcome Client01! Type a message, 'status' or 'exit'.",
        "Welcome Client02! Type a message, 'status' or 'exit'.",
        "Welcome Client03! Type a message, 'status' or 'exit'.",
    ]
    assert server.members() == ["Client01", "Client02", "Client03"]


def test_message_is_acknowledged_to_its_sender_and_relayed_only_to_the_others(
        server: ChatServer, make_raw: MakeRaw) -> None:
    a = _join(make_raw, server, "Client01")
    b = _join(make_raw, server, "Client02")
    c = _join(make_raw, server, "Client03")
    a.wait_line("* Client03 joined (3 online)")
    b.wait_line("* Client03 joined (3 online)")
    a.send("Hello, Server!\n")
    a.wait_line("Hello, Server! ACK")
    b.wait_line("Client01: Hello, Server!")
    c.wait_line("Client01: Hello, Server!")
    # Anything relayed back to the sender would arrive before the ack of its next message.
    a.send("second\n")
    a.wait_line("second ACK")
    b.wait_line("Client01: second")
    assert not [line for line in a.lines if line.startswith("Client01:")]
    relayed = [line for line in b.lines if line.startswith("Client01:")]
    assert relayed == ["Client01: Hello, Server!", "Client01: second"]
    assert server.cache.get(1).messages == 2  # type: ignore[union-attr]


def test_joins_and_leaves_reach_every_member_with_the_count(server: ChatServer, make_raw: MakeRaw) -> None:
    a = _join(make_raw, server, "Client01")
    b = _join(make_raw, server, "Client02")
    a.wait_line("* Client02 joined (2 online)")
    c = _join(make_raw, server, "Client03")
    a.wait_line("* Client03 joined (3 online)")
    b.wait_line("* Client03 joined (3 online)")
    b.send("quit\n")
    a.wait_line("* Client02 left (2 online)")
    c.wait_line("* Client02 left (2 online)")
    # A text member is never sent its own join line: its greeting already said it is in.
    assert a.lines == ["Welcome Client01! Type a message, 'status' or 'exit'.", "* Client02 joined (2 online)",
                       "* Client03 joined (3 online)", "* Client02 left (2 online)"]
    assert b.lines[-1].startswith("Goodbye Client02!") and not any("Client02 joined" in line for line in b.lines)


def test_server_full_refuses_with_one_line_and_disturbs_nobody(make_server: Callable[..., ChatServer],
                                                               make_raw: MakeRaw) -> None:
    server = make_server(max_clients=2)
    a = _join(make_raw, server, "Client01")
    _join(make_raw, server, "Client02")
    extra = make_raw(server)
    extra.wait_closed()
    assert extra.lines == ["[refused: full] Server is full (2/2 online). Try again later."]
    a.send("still here\n")
    a.wait_line("still here ACK")
    assert server.online_count == 2
    refused = list(server.cache)[-1]
    assert refused.state == "refused: full"
    assert refused.disconnected_at is not None and refused.disconnected_at >= refused.connected_at


def test_zero_means_no_limit(make_server: Callable[..., ChatServer], make_raw: MakeRaw) -> None:
    server = make_server(max_clients=0)
    for n in range(1, 6):
        _join(make_raw, server, f"Client{n:02d}")
    assert server.online_count == 5


def test_exit_words_in_any_case_end_the_session_with_a_goodbye_and_the_time(
        make_server: Callable[..., ChatServer], make_raw: MakeRaw) -> None:
    server = make_server(max_clients=0)
    for n, word in enumerate(["exit", "QUIT", "Over"], start=1):
        raw = _join(make_raw, server, f"Client0{n}")
        raw.send(word + "\n")
        raw.wait_closed()
        session = server.cache.get(n)
        assert session is not None and session.state == "exit" and session.disconnected_at is not None
        assert raw.lines[-1] == f"Goodbye Client0{n}! Disconnected at {p.clock(session.disconnected_at)}."


def test_a_client_that_just_drops_is_recorded_and_the_others_told(server: ChatServer, make_raw: MakeRaw) -> None:
    a = _join(make_raw, server, "Client01")
    b = _join(make_raw, server, "Client02")
    a.wait_line("* Client02 joined (2 online)")
    b.close()
    a.wait_line("* Client02 dropped (1 online)")
    session = server.cache.get(2)
    assert session is not None and session.state == "dropped"
    assert session.disconnected_at is not None and session.disconnected_at >= session.connected_at


@pytest.mark.parametrize("data", [b"hi\n", b"hi"], ids=["line", "no newline"])
def test_a_client_that_half_closes_after_its_line_still_gets_its_ack(server: ChatServer, make_raw: MakeRaw,
                                                                     qtbot: QtBot, data: bytes) -> None:
    other = _join(make_raw, server, "Client01")
    lines = half_closed_session(qtbot, server.server_port, data)  # printf 'hi\n' | nc -N 127.0.0.1 PORT
    assert lines == ["Welcome Client02! Type a message, 'status' or 'exit'.", "hi ACK"]
    other.wait_line("Client02: hi")
    other.wait_line("* Client02 dropped (1 online)")
    session = server.cache.get(2)
    assert session is not None and session.state == "dropped" and session.messages == 1
    assert server.store.recent(1)[0].text == "hi"


def test_status_shows_the_whole_cache_as_a_table(server: ChatServer, make_raw: MakeRaw) -> None:
    a = _join(make_raw, server, "Client01")
    b = _join(make_raw, server, "Client02")
    b.send("hi\n")
    b.wait_line("hi ACK")
    b.send("exit\n")
    b.wait_closed()
    start = len(a.lines)
    a.send("status\n")
    title = a.wait_line(lambda line: line.startswith("Status:"), start)
    assert title == f"Status: 1/3 online, 2 session(s) since {p.clock(server.cache.started_at)}"
    a.wait_line(lambda line: line.startswith("Client02"), start)
    table = a.lines[a.lines.index(title):]
    assert table[1].split() == ["Name", "Address", "Connected", "at", "Disconnected", "at", "State", "Msgs"]
    first, second = server.cache.get(1), server.cache.get(2)
    assert first is not None and second is not None
    row1, row2 = table[2], table[3]
    assert row1.startswith("Client01") and f"127.0.0.1:{a.socket.localPort()}" in row1
    assert p.clock(first.connected_at) in row1 and row1.split()[-2:] == ["online", "0"]
    assert row2.startswith("Client02") and p.clock(second.disconnected_at) in row2
    assert row2.split()[-2:] == ["exit", "1"]


def test_operator_notice_to_everyone_and_to_one_member(server: ChatServer, make_raw: MakeRaw) -> None:
    a = _join(make_raw, server, "Client01")
    b = _join(make_raw, server, "Client02")
    assert server.send_notice("Server restarts at noon")
    a.wait_line("[server] Server restarts at noon")
    b.wait_line("[server] Server restarts at noon")
    assert server.send_notice("just you", to="client02")
    b.wait_line("[server to you] just you")
    a.send("ping?\n")
    a.wait_line("ping? ACK")
    assert "[server to you] just you" not in a.lines
    assert not server.send_notice("nobody", to="ghost")


def test_kick_closes_the_member_and_tells_the_others(server: ChatServer, make_raw: MakeRaw) -> None:
    a = _join(make_raw, server, "Client01")
    b = _join(make_raw, server, "Client02")
    a.wait_line("* Client02 joined (2 online)")
    assert server.kick("Client02")
    b.wait_closed()
    session = server.cache.get(2)
    assert session is not None and session.state == "kicked" and session.disconnected_at is not None
    assert b.lines[-1] == ("You were removed by the server operator. "
                           f"Goodbye Client02! Disconnected at {p.clock(session.disconnected_at)}.")
    a.wait_line("* Client02 was kicked (1 online)")
    assert not server.kick("Client02")


def test_bytes_without_a_newline_count_as_one_message_after_a_pause(server: ChatServer, make_raw: MakeRaw) -> None:
    a = _join(make_raw, server, "Client01")
    b = _join(make_raw, server, "Client02")
    a.send("no newline here")
    a.wait_line("no newline here ACK")
    a.send("then another")
    a.wait_line("then another ACK")
    b.wait_line("Client01: then another")
    assert "Client01: no newline here" in b.lines


def test_an_oversized_line_gets_an_error_and_a_close_and_the_others_go_on(
        make_server: Callable[..., ChatServer], make_raw: MakeRaw) -> None:
    server = make_server(max_line_bytes=100)
    a = _join(make_raw, server, "Client01")
    b = _join(make_raw, server, "Client02")
    b.send("y" * 101 + "\n")
    b.wait_closed()
    assert b.lines[-1] == "Error: line too long (the limit is 100 bytes); closing the connection"
    session = server.cache.get(2)
    assert session is not None and session.state == "error"
    a.wait_line("* Client02 was disconnected after an error (1 online)")
    a.send("x" * 100 + "\n")
    a.wait_line("x" * 100 + " ACK")


def test_bad_input_gets_a_clear_error_and_the_session_goes_on(server: ChatServer, make_raw: MakeRaw) -> None:
    a = _join(make_raw, server, "Client01")
    a.send(b"\xfe broken\n")  # (not 255: in text mode that is Telnet's IAC)
    a.wait_line("Error: invalid UTF-8 at byte 0; the line was not sent")
    a.send("colour \x1b[31mred\n")
    a.wait_line("Error: Not sent: a message cannot contain control characters.")
    a.send("fine after all\n")
    a.wait_line("fine after all ACK")
    assert server.online_count == 1


def test_text_and_json_members_talk_to_each_other(server: ChatServer, make_raw: MakeRaw, make_client, qtbot) -> None:
    raw = _join(make_raw, server, "Client01")
    client = make_client(server, name="alice")
    raw.wait_line("* alice joined (2 online)")
    with qtbot.waitSignal(client.chat_received) as received:
        raw.send("hi alice\n")
    assert (received.args[0].sender, received.args[0].text) == ("Client01", "hi alice")
    client.send("hi netcat")
    raw.wait_line("alice: hi netcat")


def test_a_newcomer_who_has_not_typed_yet_misses_nothing(server: ChatServer, make_raw: MakeRaw) -> None:
    a = _join(make_raw, server, "Client01")
    b = make_raw(server)
    b.wait_line("Welcome Client02! Type a message, 'status' or 'exit'.")
    a.send("are you there?\n")  # most likely before Client02 is announced
    server.send_notice("hello newcomer")
    b.wait_line("[server] hello newcomer")
    b.wait_line("Client01: are you there?")
    # Held until it was announced if it came before: live either way, and once (no history replay unasked).
    # (The notice is not stored, so it may overtake the message still being committed.)
    assert b.lines[0] == "Welcome Client02! Type a message, 'status' or 'exit'."
    assert sorted(b.lines[1:]) == ["Client01: are you there?", "[server] hello newcomer"]
