"""Hardening against one bad connection, on loopback: bad input, slowloris, floods, slow readers, silence.

Each test runs a server engine with its limits shortened and checks both what the offender
is told and that the well-behaved members keep chatting.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Callable

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtNetwork import QHostAddress, QTcpServer, QTcpSocket
from pytestqt.qtbot import QtBot

from chat_gui.client.engine import ChatClient, ClientState
from chat_server import protocol as p
from chat_server.core.engine import ChatServer
from tests.conftest import WAIT_MS, RawClient

MakeServer = Callable[..., ChatServer]
MakeClient = Callable[..., ChatClient]
MakeRaw = Callable[[ChatServer], RawClient]


def _json_member(make_raw: MakeRaw, server: ChatServer, name: str) -> RawClient:
    raw = make_raw(server)
    raw.send(p.encode(p.Hello(name=name, client_id=f"id-{name}")))
    raw.wait_line(lambda line: '"type":"welcome"' in line)
    return raw


def _json_lines(raw: RawClient, kind: str) -> list[dict[str, object]]:
    return [obj for obj in map(_parse, raw.lines) if obj.get("type") == kind]


def _parse(line: str) -> dict[str, object]:
    try:
        obj = json.loads(line)
    except ValueError:
        return {}
    return obj if isinstance(obj, dict) else {}


def _state_of(server: ChatServer, name: str) -> str:
    [info] = [info for info in server.cache.snapshot() if info.name == name]
    return info.state


# --- bad input -------------------------------------------------------------------------------------

BAD_JSON_LINES = [
    (b"\xff\xfe{}\n", "invalid_utf8", "invalid UTF-8 at byte 0"),
    (b"this is not json\n", "bad_message", "not JSON"),
    (b'{"type":"teleport"}\n', "bad_message", "unknown message type 'teleport'"),
    (b'{"type":"chat","id":"1"}\n', "bad_message", "missing field 'text'"),
    (b'{"type":"chat","id":"1","text":42}\n', "bad_message", "field 'text' must be a string"),
    (b'["a","list"]\n', "bad_message", "a message must be a JSON object"),
    (b"\x00\x01\x02\x03\xfa\xfb garbage\n", "invalid_utf8", "invalid UTF-8 at byte 4"),
    (b'{"type":"chat","id":"1","text":"nul \\u0000 inside"}\n', "message_invalid", "control characters"),
    (p.encode(p.Hello(name="Again")), "not_allowed", "hello was already received"),
]


@pytest.mark.parametrize(("line", "code", "words"), BAD_JSON_LINES)
def test_bad_json_input_gets_an_error_in_json_and_everyone_goes_on(
        server: ChatServer, make_raw: MakeRaw, make_client: MakeClient, qtbot: QtBot,
        line: bytes, code: str, words: str) -> None:
    bad = _json_member(make_raw, server, "Broken")
    friend = make_client(server, "Friend")
    bad.send(line)
    error = _parse(bad.wait_line(lambda text: '"type":"error"' in text))
    assert error["code"] == code and words in str(error["text"])
    # The offender's session goes on, and so does everyone else's.
    bad.send(b"\n")  # an empty line is ignored: no answer
    bad.send(p.encode(p.Chat(id="7", text="still here")))
    ack = _parse(bad.wait_line(lambda text: '"type":"ack"' in text))
    assert ack["id"] == "7" and ack["seq"] == 1
    assert len(_json_lines(bad, "error")) == 1
    with qtbot.waitSignal(friend.message_acked, timeout=WAIT_MS) as acked:
        message_id = friend.send("and me")
    assert acked.args[0].id == message_id and acked.args[0].seq == 2
    assert server.online_count == 2 and _state_of(server, "Broken") == p.ONLINE


def test_binary_garbage_and_nul_bytes_in_text_mode_get_errors_not_a_crash(server: ChatServer,
                                                                         make_raw: MakeRaw) -> None:
    raw = make_raw(server)
    raw.wait_line(p.greeting_line("Client01"))
    raw.send(b"\x00\x00\x00\x00\n")
    raw.wait_line("Error: Not sent: a message cannot contain control characters.")
    raw.send(bytes(range(11, 256)) + b"\n")
    raw.wait_line(lambda line: line.startswith("Error: invalid UTF-8"))
    raw.send(b"\n\n\n")  # empty lines: nothing
    raw.send(b"ok now\n")
    raw.wait_line("ok now ACK")
    assert sum(line.startswith("Error") for line in raw.lines) == 2


def test_a_json_line_over_the_limit_gets_an_error_then_a_close(make_server: MakeServer, make_raw: MakeRaw,
                                                                make_client: MakeClient, qtbot: QtBot) -> None:
    server = make_server(max_line_bytes=1000)
    big = _json_member(make_raw, server, "Big")
    friend = make_client(server, "Friend")
    with qtbot.waitSignal(friend.member_left, timeout=WAIT_MS) as left:
        big.send(b'{"type":"chat","id":"1","text":"' + b"x" * 2000 + b'"}\n')
    assert left.args == ["Big", "error", 1]
    big.wait_closed()
    error = _json_lines(big, "error")[-1]
    assert error["code"] == "line_too_long" and "1000 bytes" in str(error["text"])
    with qtbot.waitSignal(friend.message_acked, timeout=WAIT_MS):
        friend.send("the server is fine")


# --- slowloris ---------------------------------------------------------------------------------------

def test_a_greeting_left_unfinished_is_closed_after_the_line_timeout(make_server: MakeServer, make_raw: MakeRaw,
                                                                     qtbot: QtBot) -> None:
    server = make_server(line_timeout_ms=300)
    loris = make_raw(server)
    loris.send(b'{"type":"hello","name":"Loris"')  # and nothing more: not JSON yet, nor a text line
    loris.wait_closed()
    assert loris.lines[-1].startswith("Your line was not finished within 0.3 s. Goodbye Client01!")
    [info] = server.cache.snapshot()
    assert info.state == "timed out" and info.disconnected_at is not None and info.messages == 0


def test_a_json_line_left_unfinished_is_closed_after_the_line_timeout(make_server: MakeServer, make_raw: MakeRaw,
                                                                      make_client: MakeClient, qtbot: QtBot) -> None:
    server = make_server(line_timeout_ms=300)
    friend = make_client(server, "Friend")
    loris = _json_member(make_raw, server, "Loris")
    with qtbot.waitSignal(friend.member_left, timeout=WAIT_MS) as left:
        loris.send(b'{"type":"chat","id":"1","text":"never end')
    assert left.args == ["Loris", "timed out", 1]
    loris.wait_closed()
    goodbye = _json_lines(loris, "goodbye")[-1]
    assert goodbye["reason"] == "timed out"
    assert str(goodbye["text"]).startswith("Your line was not finished within 0.3 s. Goodbye Loris!")
    assert _state_of(server, "Loris") == "timed out"


def test_a_text_line_trickled_a_byte_at_a_time_is_closed_after_the_line_timeout(
        make_server: MakeServer, make_raw: MakeRaw, qtbot: QtBot) -> None:
    # Each byte comes before the text flush (50 ms) would make a message of the bytes so far.
    server = make_server(line_timeout_ms=400)
    loris = make_raw(server)
    loris.wait_line(p.greeting_line("Client01"))
    drip = QTimer()
    drip.timeout.connect(lambda: loris.send(b"z"))
    drip.start(20)
    try:
        loris.wait_closed()
    finally:
        drip.stop()
    assert loris.lines[-1].startswith("Your line was not finished within 0.4 s. Goodbye Client01!")
    assert _state_of(server, "Client01") == "timed out"


# --- flood -------------------------------------------------------------------------------------------

def test_a_flood_is_read_more_slowly_and_every_message_arrives_in_order(
        make_server: MakeServer, make_raw: MakeRaw, make_client: MakeClient, qtbot: QtBot) -> None:
    server = make_server(rate_per_s=400, rate_burst=20)
    listener = make_client(server, "Listener")
    flooder = _json_member(make_raw, server, "Flooder")
    received: list[str] = []
    listener.chat_received.connect(lambda relay: received.append(relay.text))
    throttled: list[str] = []
    server.member_throttled.connect(throttled.append)
    count = 300
    flooder.send(b"".join(p.encode(p.Chat(id=str(i), text=f"flood {i}")) for i in range(count)))
    qtbot.waitUntil(lambda: len(received) == count, timeout=WAIT_MS * 2)
    assert received == [f"flood {i}" for i in range(count)]
    qtbot.waitUntil(lambda: len(_json_lines(flooder, "ack")) == count, timeout=WAIT_MS)
    assert [ack["id"] for ack in _json_lines(flooder, "ack")] == [str(i) for i in range(count)]
    # Reading was paused (not one message dropped), and the flooder was told why it slowed down.
    assert throttled == ["Flooder"]
    [notice] = _json_lines(flooder, "notice")
    assert "more than 400 messages a second" in str(notice["text"]) and "Nothing is lost" in str(notice["text"])
    assert server.store.last_seq() == count


def test_a_flood_that_hangs_up_at_once_is_still_stored_in_full(make_server: MakeServer, make_client: MakeClient,
                                                               qtbot: QtBot) -> None:
    server = make_server(rate_per_s=50, rate_burst=10)
    listener = make_client(server, "Listener")
    received: list[str] = []
    listener.chat_received.connect(lambda relay: received.append(relay.text))
    with socket.create_connection(("127.0.0.1", server.server_port)) as sock:  # like `cat file | nc`
        sock.sendall(b"".join(f"line {i}\n".encode() for i in range(100)))
    qtbot.waitUntil(lambda: len(received) == 100, timeout=WAIT_MS)
    assert received == [f"line {i}" for i in range(100)]


# --- slow readers ------------------------------------------------------------------------------------

def test_a_member_that_does_not_read_is_disconnected_as_too_slow(make_server: MakeServer, make_client: MakeClient,
                                                                 qtbot: QtBot) -> None:
    server = make_server(rate_per_s=0, max_output_bytes=64 * 1024)
    talker = make_client(server, "Talker")
    sleeper = socket.socket()
    sleeper.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sleeper.connect(("127.0.0.1", server.server_port))
    try:
        sleeper.sendall(p.encode(p.Hello(name="Sleeper")))
        qtbot.waitUntil(lambda: "Sleeper" in talker.members, timeout=WAIT_MS)
        left: list[tuple[str, str, int]] = []
        talker.member_left.connect(lambda *args: left.append(args))
        big = "y" * 30_000
        sent = 0
        while not left and sent < 400:  # a few MiB fill the kernel's buffers, then the cap is reached
            with qtbot.waitSignal(talker.message_acked, timeout=WAIT_MS):
                talker.send(f"{sent} {big}")
            sent += 1
        assert left == [("Sleeper", "too slow", 1)]
        assert _state_of(server, "Sleeper") == "too slow"
        # Everything it was sent is in the store: reconnecting, it would catch up.
        assert server.store.last_seq() == sent
    finally:
        sleeper.close()
    with qtbot.waitSignal(talker.message_acked, timeout=WAIT_MS) as acked:
        message_id = talker.send("still chatting")
    assert acked.args[0].id == message_id and acked.args[0].seq == sent + 1


# --- silence: pings and idle timeouts ------------------------------------------------------------------

def test_a_silent_json_member_is_pinged_then_timed_out_and_text_members_are_left_alone(
        make_server: MakeServer, make_raw: MakeRaw, qtbot: QtBot) -> None:
    # 700 ms of silence allowed, pings every 100 ms: room for two pings even when the Qt thread pauses a moment
    # (a garbage collection on a big heap: it failed once with only one ping in 350 ms).
    server = make_server(ping_interval_ms=100, idle_timeout_ms=700)
    listener = make_raw(server)  # a text member that never types, like `nc` left open
    listener.wait_line(p.greeting_line("Client01"))
    mute = _json_member(make_raw, server, "Mute")  # never answers pings
    mute.wait_closed()
    pings = _json_lines(mute, "ping")
    assert len(pings) >= 2 and len({ping["token"] for ping in pings}) == len(pings)
    goodbye = _json_lines(mute, "goodbye")[-1]
    assert goodbye["reason"] == "timed out"
    assert str(goodbye["text"]).startswith("Nothing was heard from you in 0.7 s.")
    listener.wait_line("* Mute timed out (1 online)")
    assert _state_of(server, "Mute") == "timed out"
    assert _state_of(server, "Client01") == p.ONLINE and not listener.closed


def test_a_text_idle_timeout_closes_silent_text_members_when_asked_for(make_server: MakeServer,
                                                                       make_raw: MakeRaw) -> None:
    server = make_server(text_idle_timeout_ms=300)
    quiet = make_raw(server)
    quiet.wait_closed()
    assert quiet.lines[-1].startswith("Nothing was heard from you in 0.3 s. Goodbye Client01!")


def test_the_client_engine_answers_pings_and_stays(make_server: MakeServer, make_client: MakeClient,
                                                  qtbot: QtBot) -> None:
    # Without its pongs it would be closed after 250 ms, before the fifth ping.
    server = make_server(ping_interval_ms=100, idle_timeout_ms=250)
    client = make_client(server, "Awake")
    qtbot.waitUntil(lambda: client.pings_answered >= 5, timeout=WAIT_MS)
    assert client.state is ClientState.ONLINE and server.members() == ["Awake"]


def test_the_client_engine_gives_up_on_a_server_that_stopped_answering(qtbot: QtBot) -> None:
    # A "server" that welcomes and then says nothing more: a machine gone to sleep.
    listener = QTcpServer()
    assert listener.listen(QHostAddress("127.0.0.1"), 0)
    accepted: list[QTcpSocket] = []
    heard: list[bytes] = []

    def accept() -> None:
        sock = listener.nextPendingConnection()
        accepted.append(sock)
        sock.readyRead.connect(lambda: heard.append(bytes(sock.readAll().data())))
        sock.write(p.encode(p.Welcome(name="Sleepy", online=1, max_clients=0, members=("Sleepy",))))

    listener.newConnection.connect(accept)
    client = ChatClient()
    client.ping_interval_ms, client.silence_timeout_ms = 100, 400
    client.auto_reconnect = True
    client.reconnect_delays_ms = (60_000,)
    try:
        with qtbot.waitSignal(client.welcomed, timeout=WAIT_MS):
            client.connect_to("127.0.0.1", listener.serverPort(), "Sleepy")
        with qtbot.waitSignal(client.disconnected, timeout=WAIT_MS) as ended, \
                qtbot.waitSignal(client.reconnecting, timeout=WAIT_MS):
            pass
        kind, text = ended.args
        assert kind == "timed out"
        assert text == f"The server at 127.0.0.1:{listener.serverPort()} stopped answering (nothing heard in 0.4 s)."
        assert b'"type":"ping"' in b"".join(heard)
    finally:
        client.cancel_reconnect()
        client.deleteLater()
        listener.close()
