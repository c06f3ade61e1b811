"""Rooms and direct messages in text mode (netcat's commands), over real sockets on loopback."""

from __future__ import annotations

from collections.abc import Callable

from chat_server import protocol as p
from chat_server.core.engine import ChatServer
from tests.conftest import RawClient

MakeRaw = Callable[[ChatServer], RawClient]


def member(make_raw: MakeRaw, server: ChatServer, name: str) -> RawClient:
    raw = make_raw(server)
    raw.wait_line(lambda line: line.startswith(f"Welcome {name}!"))
    raw.send("hi\n")  # announced at its first line
    raw.wait_line("hi ACK")
    return raw


def test_rooms_and_direct_messages_with_commands(server: ChatServer, make_raw: MakeRaw) -> None:
    one, two, three = (member(make_raw, server, f"Client0{n}") for n in (1, 2, 3))
    start = len(one.lines)
    one.send("/join #dev\n")
    assert one.wait_line(lambda line: line.startswith("[#dev] * You")) == \
        "[#dev] * You created #dev: 1 member online (Client01)."
    two.send("/join #DEV\n")
    two.wait_line("[#dev] * You joined #dev: 2 members online (Client01, Client02).")
    one.wait_line("[#dev] * Client02 joined (2 members)")
    one.send("ship it?\n")  # its current room is #dev now
    one.wait_line("ship it? ACK", start)
    two.wait_line("[#dev] Client01: ship it?")
    one.send("/msg Client03 lunch?\n")
    one.wait_line("lunch? ACK", start)
    three.wait_line("[direct] Client01: lunch?")
    three.send("sync\n")
    two.wait_line("Client03: sync")
    assert not any("ship it?" in line for line in three.lines)
    assert not any("lunch?" in line for line in two.lines)
    one.send("/switch #lobby\n")
    one.wait_line("[server to you] Lines you type now go to #lobby.")
    one.send("for all\n")
    three.wait_line("Client01: for all")


def test_unknown_commands_name_help_and_a_double_slash_says_a_slash(server: ChatServer, make_raw: MakeRaw) -> None:
    one = member(make_raw, server, "Client01")
    one.send("/frobnicate now\n")
    one.wait_line("Error: Unknown command /frobnicate: type /help for the commands.")
    one.send("//frobnicate\n")
    one.wait_line("/frobnicate ACK")
    one.send("/join\n")
    one.wait_line("Error: Usage: /join #room (type /help for the commands).")
    start = len(one.lines)
    one.send("/help\n")
    one.wait_line(p.help_text().splitlines()[-1], start)
    assert one.lines[start:start + len(p.help_text().splitlines())] == p.help_text().splitlines()


def test_who_rooms_topic_leave_and_history_of_the_current_room(server: ChatServer, make_raw: MakeRaw) -> None:
    one, two = (member(make_raw, server, f"Client0{n}") for n in (1, 2))
    one.send("/create #team private\n")
    one.wait_line("[#team] * You created the private room #team: 1 member online (Client01).")
    two.send("/join #team\n")
    two.wait_line("Error: #team: that room is private: it needs an invitation.")
    one.send("/invite Client02 #team\n")
    two.wait_line("[#team] * Client01 invited Client02 (/join #team to join it)")
    two.send("/join #team\n")
    two.wait_line(lambda line: line.startswith("[#team] * You joined #team"))
    one.send("/topic #team Plans for Friday\n")
    two.wait_line("[#team] * Client01 set the topic: Plans for Friday")
    two.send("/who\n")
    two.wait_line("[#team] 2 members: online: Client01, Client02")
    two.send("/rooms\n")
    two.wait_line("#team       2  private  Plans for Friday")
    one.send("team secret\n")
    one.wait_line("team secret ACK")
    start = len(two.lines)
    two.send("history 1\n")
    two.wait_line(lambda line: line.startswith("[history ") and line.endswith("[#team] Client01: team secret"),
                  start)
    two.send("/leave\n")
    left = "[#team] * Client02 left (1 member)"
    two.wait_line(left)
    one.wait_line(left)
    start = len(two.lines)
    two.send("history 1\n")  # back in #lobby: its last message is Client02's own 'hi'
    two.wait_line(lambda line: line.startswith("[history ") and line.endswith("] Client02: hi"), start)


def test_a_text_member_without_a_client_id_leaves_its_rooms_with_its_connection(
        server: ChatServer, make_raw: MakeRaw) -> None:
    one, two = (member(make_raw, server, f"Client0{n}") for n in (1, 2))
    for raw in (one, two):
        raw.send("/join #dev\n")
        raw.wait_line(lambda line: line.startswith("[#dev] * You"))
    two.send("exit\n")
    two.wait_closed()
    one.wait_line("[#dev] * Client02 left (1 member)")


def test_a_text_members_direct_message_waits_for_an_offline_member_with_a_reserved_name(
        server: ChatServer, make_raw: MakeRaw) -> None:
    from tests.integration.test_rooms_json import join  # a JSON member with a client id

    bob = join(make_raw, server, "bob")
    bob.send(type="exit")
    bob.raw.wait_closed()
    one = member(make_raw, server, "Client01")
    one.send("/msg bob see you Monday\n")
    one.wait_line("see you Monday ACK (delivered later)")
    back = join(make_raw, server, "bob")
    relay = [o for o in back.objects() if o.get("text") == "see you Monday"]
    assert relay == [{"type": "message", "sender": "Client01", "text": "see you Monday", "seq": relay[0]["seq"],
                      "time": relay[0]["time"], "to": "bob"}]


def test_the_greeting_counts_the_lobbys_earlier_messages_only(server: ChatServer, make_raw: MakeRaw) -> None:
    one = member(make_raw, server, "Client01")  # its 'hi' is one message of #lobby
    one.send("/join #dev\n")
    one.wait_line(lambda line: line.startswith("[#dev] * You"))
    one.send("in dev\n")
    one.wait_line("in dev ACK")
    one.send("/msg Client01 me\n")  # refused (to itself): nothing stored
    one.wait_line("Error: Not sent: that is you.")
    late = make_raw(server)
    late.wait_line("Welcome Client02! Type a message, 'status' or 'exit'. 1 earlier message: type 'history' to "
                   "read it.")
