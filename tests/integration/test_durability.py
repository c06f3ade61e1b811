"""Durable history: history on join, resume after a drop, resends acknowledged once, SIGKILL."""

from __future__ import annotations

import json
import re
import signal
from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from chat_gui.client.engine import ChatClient
from chat_server import protocol as p
from chat_server.core.engine import ChatServer
from tests.conftest import RawClient
from tests.integration.test_headless import LineSocket, read_port, start_headless, stop_process

MakeServer = Callable[..., ChatServer]
MakeRaw = Callable[[ChatServer], RawClient]


def _say(raw: RawClient, *texts: str) -> None:
    for text in texts:
        raw.send(text + "\n")
        raw.wait_line(f"{text} ACK")


def _json_member(make_raw: MakeRaw, server: ChatServer, hello: p.Hello) -> RawClient:
    raw = make_raw(server)
    raw.send(p.encode(hello))
    raw.wait_line(lambda line: line.startswith(f'{{"type":"joined","name":"{hello.name}"'))
    return raw


def _json_lines(raw: RawClient, kind: str) -> list[dict[str, object]]:
    return [obj for obj in (json.loads(line) for line in raw.lines if line.startswith("{")) if obj["type"] == kind]


def test_a_joining_member_gets_the_recent_history_marked_as_such(make_server: MakeServer, make_raw: MakeRaw,
                                                                  make_client, qtbot: QtBot) -> None:
    server = make_server(history_limit=2)
    alice = make_raw(server)
    _say(alice, "one", "two", "three")
    bob = make_raw(server)
    # A text member is told there is history and asks for it (one reply per line it sends).
    bob.wait_line("Welcome Client02! Type a message, 'status' or 'exit'. 2 earlier messages: type 'history' to "
                  "read them.")
    bob.send("history\n")
    bob.wait_line(lambda line: line.endswith("Client01: three"))
    history = bob.lines[1:]
    assert [re.sub(r"^\[history [0-9: -]+\] ", "", line) for line in history] == ["Client01: two", "Client01: three"]
    assert all(line.startswith("[history ") for line in history)

    relays: list[p.Relay] = []
    carol = ChatClient()
    carol.chat_received.connect(relays.append)
    with qtbot.waitSignal(carol.welcomed):
        carol.connect_to("127.0.0.1", server.server_port, "carol")
    qtbot.waitUntil(lambda: len(relays) == 2)
    assert [(r.sender, r.text, r.seq, r.history) for r in relays] == [
        ("Client01", "two", 2, True), ("Client01", "three", 3, True)]
    carol.abort()


def test_a_reconnecting_client_gets_exactly_what_it_missed(server: ChatServer, make_raw: MakeRaw) -> None:
    alice = make_raw(server)
    _say(alice, "before")
    xavier = _json_member(make_raw, server, p.Hello(name="xavier", client_id="x-1"))
    xavier.send(p.encode(p.Chat(id="1", text="from xavier")))
    xavier.wait_line(lambda line: line.startswith('{"type":"ack","id":"1","seq":2'))
    xavier.close()
    alice.wait_line("* xavier dropped (1 online)")
    _say(alice, "missed one", "missed two")

    back = _json_member(make_raw, server, p.Hello(name="xavier", client_id="x-1", last_seq=2))
    replayed = [(m["seq"], m["text"], m.get("history")) for m in _json_lines(back, "message")]
    assert replayed == [(3, "missed one", True), (4, "missed two", True)]
    assert [m["seq"] for m in _json_lines(back, "welcome")] == [4], "the welcome gives the newest stored seq"


def test_a_last_seq_from_another_store_gets_the_recent_history(server: ChatServer, make_raw: MakeRaw) -> None:
    _say(make_raw(server), "new run")
    stale = _json_member(make_raw, server, p.Hello(name="xavier", client_id="x-1", last_seq=999))
    assert [(m["seq"], m["text"]) for m in _json_lines(stale, "message")] == [(1, "new run")]


def test_a_resent_message_is_acknowledged_again_but_stored_and_relayed_once(server: ChatServer,
                                                                           make_raw: MakeRaw) -> None:
    alice = make_raw(server)
    _say(alice, "hi")
    first = _json_member(make_raw, server, p.Hello(name="xavier", client_id="x-1"))
    first.send(p.encode(p.Chat(id="7", text="only once")))
    ack = first.wait_line(lambda line: line.startswith('{"type":"ack"'))
    first.close()
    alice.wait_line("* xavier dropped (1 online)")
    again = _json_member(make_raw, server, p.Hello(name="xavier", client_id="x-1", last_seq=2))
    again.send(p.encode(p.Chat(id="7", text="only once")))
    again.wait_line(ack)  # the same id, sequence number and time
    again.send(p.encode(p.Chat(id="8", text="new one")))
    again.wait_line(lambda line: line.startswith('{"type":"ack","id":"8","seq":3'))
    alice.wait_line("xavier: new one")
    assert alice.lines.count("xavier: only once") == 1
    assert [m.text for m in server.store.recent(10)] == ["hi", "only once", "new one"]


def test_status_can_show_the_sessions_of_every_run(make_server: MakeServer, make_raw: MakeRaw,
                                                   qtbot: QtBot, tmp_path: Path) -> None:
    db = str(tmp_path / "chat.sqlite3")
    first = make_server(db_path=db)
    _say(make_raw(first), "first run")
    with qtbot.waitSignal(first.stopped):
        first.stop()
    first.close()

    second = make_server(db_path=db)
    assert second.run == 2
    raw = make_raw(second)
    raw.wait_line("Welcome Client01! Type a message, 'status' or 'exit'. 1 earlier message: type 'history' to read it.")
    raw.send("status all\n")
    title = raw.wait_line(lambda line: line.startswith("Status:"))
    assert title == "Status: 1/3 online, 2 session(s) in all runs (this is run 2)"
    header = raw.wait_line(lambda line: line.startswith("Run"))
    raw.wait_line(lambda line: line.startswith("2 "))
    rows = raw.lines[raw.lines.index(header) + 1:]
    assert rows[0].split()[:2] == ["1", "Client01"] and rows[0].split()[-3:] == ["server", "stopped", "1"]
    assert rows[1].split()[:2] == ["2", "Client01"] and rows[1].split()[-2:] == ["online", "0"]


def test_memory_mode_forgets_everything_on_restart(make_server: MakeServer, make_raw: MakeRaw, qtbot: QtBot) -> None:
    first = make_server(db_path=":memory:")
    _say(make_raw(first), "forgotten")
    second = make_server(db_path=":memory:")
    raw = make_raw(second)
    raw.wait_line("Welcome Client01! Type a message, 'status' or 'exit'.")  # no earlier messages to mention
    raw.send("history\n")
    raw.wait_line("No earlier messages.")
    assert not [line for line in raw.lines if "forgotten" in line]
    assert second.run == 1


def test_an_acked_message_survives_sigkill_and_the_open_session_is_closed_on_restart(tmp_path: Path) -> None:
    db = str(tmp_path / "chat.sqlite3")
    server = start_headless("--port", "0", "--db", db)
    try:
        member = LineSocket(read_port(server))
        member.line()
        member.send("kept across a kill\n")
        assert member.line_matching(r".* ACK") == "kept across a kill ACK"
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=10)
        member.close()
    finally:
        stop_process(server)

    restarted = start_headless("--port", "0", "--db", db)
    try:
        newcomer = LineSocket(read_port(restarted))
        assert newcomer.line() == ("Welcome Client01! Type a message, 'status' or 'exit'. 1 earlier message: type "
                                   "'history' to read it.")
        newcomer.send("history\nstatus all\n")
        history = newcomer.line_matching(r"\[history .*")
        assert re.fullmatch(r"\[history [0-9: -]+\] Client01: kept across a kill", history)
        assert newcomer.line_matching(r"Status: .*") == "Status: 1/3 online, 2 session(s) in all runs (this is run 2)"
        newcomer.line()  # header
        killed = newcomer.line().split()
        assert killed[:2] == ["1", "Client01"] and killed[-3:] == ["server", "stopped", "1"]
        newcomer.close()
    finally:
        stop_process(restarted)
