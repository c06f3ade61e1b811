"""Text mode's room commands as people really type them (netcat and telnet), each answered by one clear line.

Over real sockets on loopback: upper case, extra spaces and tabs, a room without its ``#``, the usual slips
(a direct message to oneself or without text, leaving #lobby, switching to a room one is not in), ``/topic``
without text, names and topics at their limits, commands at the password prompt and in the same write as
``exit``, and telnet's CR NUL and option negotiation around the commands.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from chat_server import protocol as p
from chat_server.core.engine import ChatServer
from chat_server.protocol.telnet import DO, IAC, WILL, WONT
from tests.conftest import WAIT_MS, RawClient
from tests.integration.test_real_telnet import TelnetOnPty

MakeRaw = Callable[[ChatServer], RawClient]
DONT = 254
LOBBY_JOIN = re.compile(r"\* Client0\d joined \(\d online\)")


def member(make_raw: MakeRaw, server: ChatServer, name: str) -> RawClient:
    raw = make_raw(server)
    raw.wait_line(lambda line: line.startswith(f"Welcome {name}!"))
    return raw


def answers(raw: RawClient, lines: list[str], count: int) -> list[str]:
    """Send ``lines`` and return the next ``count`` lines the client receives (but #lobby's join lines, which
    come when another member is announced, at its first line)."""
    start = len(raw.lines)
    raw.send("".join(f"{line}\n" for line in lines))

    def replies() -> list[str]:
        return [line for line in raw.lines[start:] if not LOBBY_JOIN.fullmatch(line)]

    def arrived() -> None:
        assert len(replies()) >= count, replies()

    raw.qtbot.waitUntil(arrived, timeout=WAIT_MS)
    return replies()[:count]


def test_upper_case_extra_spaces_tabs_and_a_missing_hash(server: ChatServer, make_raw: MakeRaw) -> None:
    one = member(make_raw, server, "Client01")
    two = member(make_raw, server, "Client02")
    assert answers(one, ["/JOIN #Dev"], 1) == ["[#Dev] * You created #Dev: 1 member online (Client01)."]
    assert answers(two, ["   /join     #dev   "], 1) == \
        ["[#Dev] * You joined #Dev: 2 members online (Client01, Client02)."]
    assert answers(two, ["/Switch\t#lobby", "/join\tDEV"], 2) == [
        "[server to you] Lines you type now go to #lobby.",
        "[#Dev] * You joined #Dev: 2 members online (Client01, Client02)."]  # in it already: #Dev is current again
    assert answers(two, ["\tsaid\twith tabs "], 1) == ["said\twith tabs ACK"]
    one.wait_line("[#Dev] Client02: said\twith tabs")
    assert answers(one, ["/MSG   Client02 \t see  you "], 1) == ["see  you ACK"]
    two.wait_line("[direct] Client01: see  you")
    assert answers(one, ["/Who", "/WHO dev"], 2) == ["[#Dev] 2 members: online: Client01, Client02"] * 2


def test_each_slip_is_one_error_line(server: ChatServer, make_raw: MakeRaw) -> None:
    one = member(make_raw, server, "Client01")
    two = member(make_raw, server, "Client02")
    assert answers(two, ["/create #secret private", "/join #open", "/switch #lobby"], 3)[0] == \
        "[#secret] * You created the private room #secret: 1 member online (Client02)."
    assert answers(one, [
        "/msg Client01 note to self",
        "/msg Client02",
        "/msg   Client02   ",
        "/leave #lobby",
        "/leave",  # the current room is #lobby
        "/switch #open",  # a public room it is not in
        "/switch #nowhere",
        "/who #secret",  # a private room it is not in: not there for it
        "/topic #secret",
        "/join #secret",  # its name does not stay hidden
        "/leave #open",
        "/msg nobody hello",
    ], 12) == [
        "Error: Not sent: that is you.",
        "Error: Usage: /msg NAME text (type /help for the commands).",
        "Error: Usage: /msg NAME text (type /help for the commands).",
        "Error: #lobby: everyone stays in #lobby.",
        "Error: #lobby: everyone stays in #lobby.",
        "Error: #open: you are not in that room.",
        "Error: #nowhere: no such room.",
        "Error: #secret: no such room.",
        "Error: #secret: no such room.",
        "Error: #secret: that room is private: it needs an invitation.",
        "Error: #open: you are not in that room.",
        "Error: Not sent: nobody is not a member here.",
    ]
    assert answers(one, ["still in the lobby"], 1) == ["still in the lobby ACK"]
    two.wait_line("Client01: still in the lobby")


def test_topic_without_text_shows_it_and_a_dash_clears_it(server: ChatServer, make_raw: MakeRaw) -> None:
    one = member(make_raw, server, "Client01")
    two = member(make_raw, server, "Client02")
    answers(one, ["/join #dev"], 1)
    answers(two, ["/join #dev"], 1)
    one.wait_line("[#dev] * Client02 joined (2 members)")
    assert answers(one, ["/topic", "/topic #dev"], 2) == ["[#dev] No topic (/topic #dev text sets one)."] * 2
    assert answers(one, ["/topic #dev  Release on  Friday "], 1) == \
        ["[#dev] * Client01 set the topic: Release on  Friday"]
    two.wait_line("[#dev] * Client01 set the topic: Release on  Friday")
    start = len(two.lines)
    assert answers(two, ["/TOPIC dev", "/topic #lobby"], 2) == [
        "[#dev] Topic: Release on  Friday", "[#lobby] No topic (/topic #lobby text sets one)."]
    assert answers(two, ["/topic #dev -"], 1) == ["[#dev] * Client02 cleared the topic"]
    one.wait_line("[#dev] * Client02 cleared the topic")
    assert two.lines[start:].count("[#dev] * Client02 cleared the topic") == 1
    longest = "t" * p.MAX_TOPIC_LENGTH
    assert answers(one, [f"/topic #dev {longest}", f"/topic #dev {longest}u"], 2) == [
        f"[#dev] * Client01 set the topic: {longest}", "Error: Not done: a topic is at most 300 characters."]
    assert answers(one, ["/topic"], 1) == [f"[#dev] Topic: {longest}"]


def test_room_names_at_their_limit(server: ChatServer, make_raw: MakeRaw) -> None:
    one = member(make_raw, server, "Client01")
    longest = "#" + "r" * p.MAX_ROOM_NAME_LENGTH
    assert answers(one, [f"/join {longest}", f"/join {longest}s", "/join #", "/join ##dev", "/join #dév"], 5) == [
        f"[{longest}] * You created {longest}: 1 member online (Client01).",
        f"Error: Not done: a room's name is # and 1 to 32 of a-z, 0-9, - and _ (not '{longest}s').",
        "Error: Not done: a room's name is # and 1 to 32 of a-z, 0-9, - and _ (not '#').",
        "Error: Not done: a room's name is # and 1 to 32 of a-z, 0-9, - and _ (not '##dev').",
        "Error: Not done: a room's name is # and 1 to 32 of a-z, 0-9, - and _ (not '#dév').",
    ]


def test_a_command_at_the_password_prompt_is_a_wrong_password(
        make_server: Callable[..., ChatServer], make_raw: MakeRaw) -> None:
    server = make_server(password="pw")
    raw = make_raw(server)
    raw.wait_line("This chat server needs a password: type it and press Enter.")
    raw.send("/join #dev\n")
    raw.wait_closed()
    assert raw.lines == ["This chat server needs a password: type it and press Enter.",
                         "Error: Wrong password; the server closed the connection."]
    right = make_raw(server)
    right.send("pw\n/join #dev\n/who\n")  # commands in the same write as the password wait for its check
    right.wait_line("[#dev] 1 member: online: Client01")
    assert right.lines == ["This chat server needs a password: type it and press Enter.",
                           "Welcome Client01! Type a message, 'status' or 'exit'.",
                           "[#dev] * You created #dev: 1 member online (Client01).",
                           "[#dev] 1 member: online: Client01"]


def test_a_command_in_the_same_write_as_exit_is_answered_first(server: ChatServer, make_raw: MakeRaw) -> None:
    one = member(make_raw, server, "Client01")
    two = member(make_raw, server, "Client02")
    answers(two, ["/join #dev"], 1)
    one.send("/join #dev\nin dev\nexit\n")
    one.wait_closed()
    assert one.lines[-3:-1] == ["[#dev] * You joined #dev: 2 members online (Client01, Client02).", "in dev ACK"]
    assert one.lines[-1].startswith("Goodbye Client01! Disconnected at ")
    two.wait_line("[#dev] Client01: in dev")
    two.wait_line("[#dev] * Client01 left (1 member)")


def test_telnet_bytes_around_commands(server: ChatServer, make_raw: MakeRaw) -> None:
    """What telnet sends: CR LF line ends, and option negotiation before and in the middle of a command."""
    one = make_raw(server)
    one.send(bytes([IAC, DO, 1, IAC, WILL, 24]))  # DO ECHO, WILL TERMINAL-TYPE: refused, as always
    one.send(b"/JOIN\t" + bytes([IAC, WONT, 1]) + b"#Dev\r\n/topic #dev  on telnet\r\n/topic\r\n")
    one.wait_line("[#Dev] Topic: on telnet")
    refusals = bytes([IAC, WONT, 1, IAC, DONT, 24]).decode("utf-8", errors="replace")  # as RawClient decodes
    assert one.lines[1:] == [f"{refusals}[#Dev] * You created #Dev: 1 member online (Client01).",
                             "[#Dev] * Client01 set the topic: on telnet", "[#Dev] Topic: on telnet"]


@pytest.mark.skipif(shutil.which("telnet") is None, reason="telnet is not installed (apt-get install telnet)")
def test_the_real_telnet_program_with_room_commands(server: ChatServer, qtbot: QtBot) -> None:
    telnet = TelnetOnPty(qtbot, server.server_port)
    try:
        telnet.wait_for("Welcome Client01! Type a message, 'status' or 'exit'.")
        telnet.type("/JOIN  dev")
        telnet.wait_for("[#dev] * You created #dev: 1 member online (Client01).")
        telnet.type("/topic #dev from telnet")
        telnet.wait_for("[#dev] * Client01 set the topic: from telnet")
        telnet.type("/msg Client01 hi")
        telnet.wait_for("Error: Not sent: that is you.")
        telnet.type("/leave")
        telnet.wait_for("[#dev] * Client01 left (0 members)")
        telnet.type("/topic")
        telnet.wait_for("[#lobby] No topic (/topic #lobby text sets one).")
        telnet.type("exit")
        telnet.wait_for("Connection closed by foreign host.")
    finally:
        telnet.close()
