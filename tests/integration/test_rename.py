"""Renaming a member already announced: a JSON hello that arrives after the join grace.

A client slower than the grace (``join_grace_ms``) is announced under its assigned name with its framing
still undecided; its hello then renames it and switches its output to JSON. The conftest's short grace
hides this path in every other test, so these tests send the hello only once the announcement is out.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from chat_gui.client.engine import ChatClient
from chat_server import protocol as p
from chat_server.core.engine import ChatServer
from tests.conftest import WAIT_MS, RawClient

MakeClient = Callable[..., ChatClient]
MakeServer = Callable[..., ChatServer]
MakeRaw = Callable[[ChatServer], RawClient]

# Long enough that the JSON clients' own hellos beat it even on a loaded machine (the conftest's 100 ms
# does not always), short enough to wait out for the late joiner.
GRACE_MS = 1000


@pytest.fixture
def server(make_server: MakeServer) -> ChatServer:
    return make_server(join_grace_ms=GRACE_MS)


def _late_joiner(qtbot: QtBot, server: ChatServer, make_raw: MakeRaw) -> tuple[RawClient, str]:
    """A connection that says nothing until the server has announced it; its assigned name."""
    with qtbot.waitSignal(server.member_joined, timeout=WAIT_MS) as joined:
        late = make_raw(server)
    return late, joined.args[0]


def _json_lines(raw: RawClient, start: int = 0) -> list[dict[str, object]]:
    return [json.loads(line) for line in raw.lines[start:] if line.startswith("{")]


def test_a_late_hello_renames_the_member_for_everyone_and_switches_it_to_json(
        server: ChatServer, make_client: MakeClient, make_raw: MakeRaw, qtbot: QtBot) -> None:
    watcher = make_client(server, "Watcher")
    late, assigned = _late_joiner(qtbot, server, make_raw)
    assert assigned.startswith("Client") and server.members() == ["Watcher", assigned]
    qtbot.waitUntil(lambda: watcher.members == ["Watcher", assigned], timeout=WAIT_MS)
    greeted = len(late.lines)

    engine_renames: list[tuple[str, str]] = []
    server.member_renamed.connect(lambda old, new: engine_renames.append((old, new)))
    with qtbot.waitSignal(watcher.member_renamed, timeout=WAIT_MS) as renamed:
        late.send(p.encode(p.Hello(name="Rita")))
    assert renamed.args == [assigned, "Rita"]
    assert engine_renames == [(assigned, "Rita")]
    assert server.members() == ["Watcher", "Rita"] and watcher.members == ["Watcher", "Rita"]
    assert [s.name for s in server.cache] == ["Watcher", "Rita"]

    # The renamed member now hears JSON: its welcome under the new name, then what the others say.
    late.wait_line(lambda line: line.startswith('{"type":"welcome"'), start=greeted)
    heard = _json_lines(late, greeted)
    assert heard[0] == {"type": "renamed", "old": assigned, "new": "Rita", "time": heard[0]["time"]}
    welcome = heard[1]
    assert welcome["type"] == "welcome"
    assert (welcome["name"], welcome["online"], welcome["members"]) == ("Rita", 2, ["Watcher", "Rita"])
    with qtbot.waitSignal(watcher.message_acked, timeout=WAIT_MS):
        watcher.send("hello Rita")
    late.wait_line(lambda line: '"type":"message"' in line and "hello Rita" in line, start=greeted)
    relayed = [m for m in _json_lines(late, greeted) if m["type"] == "message"]
    assert [(m["sender"], m["text"]) for m in relayed] == [("Watcher", "hello Rita")]
    assert not [line for line in late.lines[greeted:] if not line.startswith("{")]  # no text line any more


def test_text_members_read_the_rename_as_a_line(server: ChatServer, make_raw: MakeRaw, qtbot: QtBot) -> None:
    reader, _ = _late_joiner(qtbot, server, make_raw)
    reader.send("status\n")  # now a text member for good
    reader.wait_line(lambda line: line.startswith("Status: 1/3 online"))
    late, assigned = _late_joiner(qtbot, server, make_raw)
    with qtbot.waitSignal(server.member_renamed, timeout=WAIT_MS):
        late.send(p.encode(p.Hello(name="Rita")))
    reader.wait_line(f"* {assigned} is now Rita")
    # The new name is the one the text member's messages are relayed to.
    reader.send("hi Rita\n")
    late.wait_line(lambda line: '"type":"message"' in line)
    chat = [m for m in _json_lines(late) if m["type"] == "message"]
    assert [(m["sender"], m["text"]) for m in chat] == [(server.members()[0], "hi Rita")]


def test_a_late_hello_with_a_taken_name_ends_the_announced_member(
        server: ChatServer, make_client: MakeClient, make_raw: MakeRaw, qtbot: QtBot) -> None:
    watcher = make_client(server, "Watcher")
    late, assigned = _late_joiner(qtbot, server, make_raw)
    with qtbot.waitSignal(watcher.member_left, timeout=WAIT_MS) as left:
        late.send(p.encode(p.Hello(name="watcher")))
    assert left.args == [assigned, "refused: name", 1]
    late.wait_closed()
    error = _json_lines(late)[-1]
    assert (error["type"], error["code"], error["text"]) == ("error", p.ERR_NAME_TAKEN,
                                                              "The name watcher is taken; choose another.")
    assert server.members() == ["Watcher"]


def test_a_late_hello_with_a_client_id_moves_the_member_to_that_identity_and_leaves_no_ghost(
        server: ChatServer, make_raw: MakeRaw, qtbot: QtBot) -> None:
    watcher, _ = _late_joiner(qtbot, server, make_raw)
    watcher.send("/who\n")  # now a text member for good
    watcher.wait_line(lambda line: line.startswith("[#lobby] 1 member"))
    late, assigned = _late_joiner(qtbot, server, make_raw)
    with qtbot.waitSignal(server.member_renamed, timeout=WAIT_MS):
        late.send(p.encode(p.Hello(version=2, name="Rita", client_id="rita-id")))
    late.wait_line(lambda line: line.startswith('{"type":"welcome"'))
    # A direct message finds her under her identity, and her own room is hers.
    watcher.send("/msg Rita are you there?\n")
    late.wait_line(lambda line: '"type":"message"' in line and "are you there?" in line)
    late.send(json.dumps({"type": "join", "room": "#rita"}) + "\n")
    late.wait_line(lambda line: '"type":"room"' in line and '"owner":"Rita"' in line)
    watcher.send("/who\n")
    watcher.wait_line(lambda line: line.startswith("[#lobby] 2 members"))
    with qtbot.waitSignal(server.member_left, timeout=WAIT_MS):
        late.send(p.encode(p.Exit()))
    watcher.send("/who\n")
    answer = watcher.wait_line(lambda line: line.startswith("[#lobby] 1 member"))
    assert "Rita" not in answer and assigned not in answer


def test_a_late_hello_cannot_become_another_window_of_a_member_and_says_why(
        server: ChatServer, make_raw: MakeRaw, qtbot: QtBot) -> None:
    first = make_raw(server)
    first.send(p.encode(p.Hello(version=2, name="alice", client_id="alice-id", instance="one")))
    first.wait_line(lambda line: line.startswith('{"type":"welcome"'))
    late, assigned = _late_joiner(qtbot, server, make_raw)
    with qtbot.waitSignal(server.member_left, timeout=WAIT_MS) as left:
        late.send(p.encode(p.Hello(version=2, name="Alice", client_id="alice-id", instance="two")))
    assert left.args == [assigned, "refused: name", 1]
    late.wait_closed()
    error = _json_lines(late)[-1]
    assert (error["code"], error["text"]) == (p.ERR_NAME_TAKEN, "The name alice is held by another window of "
                                              "yours; a window shares it only when its hello is its first line.")
    assert server.members() == ["alice"]
    first.send(p.encode(p.Chat(id="1", text="still here")))
    first.wait_line(lambda line: '"type":"ack"' in line)


def test_a_late_hello_renames_the_member_in_its_place_in_the_list_of_members(
        server: ChatServer, make_client: MakeClient, make_raw: MakeRaw, qtbot: QtBot) -> None:
    late, assigned = _late_joiner(qtbot, server, make_raw)
    watcher = make_client(server, "Watcher")
    assert server.members() == [assigned, "Watcher"]
    with qtbot.waitSignal(watcher.member_renamed, timeout=WAIT_MS):
        late.send(p.encode(p.Hello(name="Rita")))
    assert server.members() == ["Rita", "Watcher"]  # in order of announcement, as before the rename
    late.wait_line(lambda line: line.startswith('{"type":"welcome"'))
    welcome = next(m for m in _json_lines(late) if m["type"] == "welcome")
    assert (welcome["online"], welcome["members"]) == (2, ["Rita", "Watcher"])


def test_a_late_hello_refused_as_another_window_leaves_the_members_name_as_it_is(
        server: ChatServer, make_raw: MakeRaw, qtbot: QtBot) -> None:
    first = make_raw(server)
    first.send(p.encode(p.Hello(version=2, name="alice", client_id="alice-id", instance="one")))
    first.wait_line(lambda line: line.startswith('{"type":"welcome"'))
    first.send(p.encode(p.CreateRoom(room="#alices")))
    first.wait_line(lambda line: line.startswith('{"type":"room"'))
    bob = make_raw(server)
    bob.send(p.encode(p.Hello(version=2, name="bob", client_id="bob-id")))
    bob.wait_line(lambda line: line.startswith('{"type":"welcome"'))
    late, assigned = _late_joiner(qtbot, server, make_raw)
    with qtbot.waitSignal(server.member_left, timeout=WAIT_MS):
        late.send(p.encode(p.Hello(version=2, name="alice", client_id="alice-id", instance="two")))
    # bob's direct message is to alice, and alice's room is hers, under her name (not the refused one's).
    bob.send(p.encode(p.Chat(id="1", text="psst", to="alice")))
    bob.send(p.encode(p.JoinRoom(room="#alices")))
    bob.wait_line(lambda line: line.startswith('{"type":"room"'))
    ack, room = (next(m for m in _json_lines(bob) if m["type"] == kind) for kind in ("ack", "room"))
    assert (ack["to"], room["owner"]) == ("alice", "alice") and assigned != "alice"
