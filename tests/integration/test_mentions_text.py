"""A text member sees the lines that mention it marked with ``(@) ``, in #lobby, in a room and in a direct message, and
in what ``history`` and ``/history`` show, over real sockets; a line that names it otherwise, or another member, is not
marked."""

from __future__ import annotations

import re

from chat_server.core.engine import ChatServer
from tests.integration.test_rooms_json import MakeRaw, join
from tests.integration.test_rooms_text import member


def test_a_text_member_sees_its_mentions_marked(server: ChatServer, make_raw: MakeRaw) -> None:
    text = member(make_raw, server, "Client01")
    alice = join(make_raw, server, "alice")
    text.send("/join #dev\n")
    text.wait_line(lambda line: line.startswith("[#dev] * You"))
    alice.send(type="join", room="#dev")
    alice.expect(type="joined", name="alice", room="#dev")
    for index, line in enumerate(["hi @client01!", "hi @Client012", "mail client01@example.org", "@alice hi"]):
        alice.send(type="chat", id=f"l{index}", text=line)
        alice.expect(type="ack", id=f"l{index}")
    alice.send(type="chat", id="r", text="@CLIENT01 look", room="#dev")
    alice.send(type="chat", id="d", text="psst @Client01", to="Client01")
    text.wait_line("(@) [direct] alice: psst @Client01")
    lines = [line for line in text.lines if "alice:" in line]
    assert lines == ["(@) alice: hi @client01!", "alice: hi @Client012", "alice: mail client01@example.org",
                     "alice: @alice hi", "(@) [#dev] alice: @CLIENT01 look", "(@) [direct] alice: psst @Client01"]


def test_history_lines_that_mention_the_text_member_are_marked_too(server: ChatServer, make_raw: MakeRaw) -> None:
    text = member(make_raw, server, "Client01")
    alice = join(make_raw, server, "alice")
    for index, line in enumerate(["@client01 see this", "nothing for you"]):
        alice.send(type="chat", id=f"h{index}", text=line)
        alice.expect(type="ack", id=f"h{index}")
    text.wait_line("alice: nothing for you")
    start = len(text.lines)
    text.send("history 2\n")
    text.wait_line(lambda line: line.endswith("alice: nothing for you") and line.startswith("[history"), start)
    assert [re.sub(r"\[history [^]]*\]", "[history]", line) for line in text.lines[start:]] == [
        "(@) [history] alice: @client01 see this", "[history] alice: nothing for you"]
    start = len(text.lines)
    text.send("/history 2\n")  # the same with scrollback's command
    text.wait_line(lambda line: line.endswith("alice: nothing for you") and line.startswith("[history"), start)
    assert [re.sub(r"\[history [^]]*\]", "[history]", line) for line in text.lines[start:]] == [
        "(@) [history] alice: @client01 see this", "[history] alice: nothing for you"]
