"""Typing notices and away over real sockets on loopback: who gets them, who never does, the rate, the replies."""

from __future__ import annotations

import re
from collections.abc import Callable

from pytestqt.qtbot import QtBot

from chat_gui.client import ChatClient, Conversation, TypingChanged, TypingState
from chat_gui.client.presence import ACTIVE_EXPIRY_S, PAUSED_EXPIRY_S, TYPING_RESEND_S
from chat_server import protocol as p
from chat_server.core.engine import ChatServer
from chat_server.core.typing_relay import TYPING_BURST
from tests.conftest import WAIT_MS, RawClient
from tests.integration.test_lockstep import LockstepClient
from tests.integration.test_rooms_json import Member, join

MakeRaw = Callable[[ChatServer], RawClient]
MakeServer = Callable[..., ChatServer]


def text_member(make_raw: MakeRaw, server: ChatServer) -> RawClient:
    raw = make_raw(server)
    raw.wait_line(lambda line: line.startswith("Welcome "))
    raw.send("hi\n")  # announced at its first line
    raw.wait_line("hi ACK")
    return raw


def typing_of(member: Member) -> list[dict[str, object]]:
    return [o for o in member.objects() if o["type"] == "typing"]


def test_typing_reaches_the_rooms_other_members_in_json_version_2_only(make_server: MakeServer,
                                                                       make_raw: MakeRaw) -> None:
    server = make_server(max_clients=0)
    alice, bob, carol = (join(make_raw, server, name) for name in ("alice", "bob", "carol"))
    old = join(make_raw, server, "old", version=1)
    text = text_member(make_raw, server)
    for member in (alice, bob):
        member.send(type="join", room="#dev")
        member.expect(type="room", room="#dev")
    text.send("/join #dev\n")
    text.wait_line(lambda line: line.startswith("[#dev] * You joined #dev"))
    alice.send(type="typing", state="active", room="#dev")
    alice.send(type="typing", state="paused")  # #lobby: everyone there who reads it
    alice.send(type="chat", id="1", text="after the typing")
    assert bob.expect(type="typing", room="#dev") == {"type": "typing", "name": "alice", "state": "active",
                                                      "room": "#dev"}
    assert bob.expect(type="typing", state="paused") == {"type": "typing", "name": "alice", "state": "paused"}
    for member in (bob, carol, old):
        member.expect(type="message", text="after the typing")
    text.wait_line("alice: after the typing")
    assert typing_of(carol) == [{"type": "typing", "name": "alice", "state": "paused"}]  # not in #dev
    assert typing_of(old) == []
    assert typing_of(alice) == []  # never back to the typist, never an ACK or an answer
    assert [o["type"] for o in alice.objects()[alice.seen:] if o["type"] != "joined"] == ["ack"]
    assert not any(line.startswith("{") or "active" in line or "paused" in line for line in text.lines)


def test_direct_typing_reaches_the_partner_only(make_server: MakeServer, make_raw: MakeRaw) -> None:
    server = make_server(max_clients=0)
    alice, bob, carol = (join(make_raw, server, name) for name in ("alice", "bob", "carol"))
    alice.send(type="typing", state="active", to="BOB")
    alice.send(type="typing", state="done", to="nobody")  # nobody online: dropped
    alice.send(type="typing", state="active", to="alice")  # herself: dropped
    alice.send(type="chat", id="1", text="marker")
    assert bob.expect(type="typing") == {"type": "typing", "name": "alice", "state": "active", "to": "bob"}
    for member in (bob, carol):
        member.expect(type="message", text="marker")
    assert typing_of(bob) == [{"type": "typing", "name": "alice", "state": "active", "to": "bob"}]
    assert typing_of(carol) == [] and typing_of(alice) == []
    assert [o["type"] for o in alice.objects()[alice.seen:] if o["type"] != "joined"] == ["ack"]


def test_typing_over_the_rate_or_for_a_room_not_joined_is_dropped_without_a_word(server: ChatServer,
                                                                                 make_raw: MakeRaw) -> None:
    alice, bob = join(make_raw, server, "alice"), join(make_raw, server, "bob")
    bob.send(type="join", room="#ops")
    bob.expect(type="room", room="#ops")
    alice.send(type="typing", state="active", room="#ops")  # not a member of #ops (it costs a token all the same)
    alice.send(type="chat", id="1", text="first")
    bob.expect(type="message", text="first")
    assert typing_of(bob) == []
    line = "".join(p.encode_json(p.Typing(state="active")).decode() for _ in range(TYPING_BURST * 3))
    alice.raw.send(line + p.encode_json(p.Chat(id="2", text="second")).decode())  # one write: one pass
    bob.expect(type="message", text="second")
    assert len(typing_of(bob)) == TYPING_BURST - 1
    assert [o["type"] for o in alice.objects()[alice.seen:] if o["type"] != "joined"] == ["ack", "ack"]  # no error


def test_a_bad_typing_notice_is_an_error_for_that_line_only(server: ChatServer, make_raw: MakeRaw) -> None:
    alice = join(make_raw, server, "alice")
    alice.send(type="typing", state="typing")
    assert alice.expect(type="error") == {"type": "error", "code": "bad_message", "id": None,
                                          "text": "typing: 'state' is one of active, paused, done (not 'typing')"}
    alice.send(type="typing", state="active", room="#no room")
    assert alice.expect(type="error")["code"] == "room_invalid"
    alice.send(type="chat", id="1", text="still here")
    alice.expect(type="ack", id="1")


def test_away_is_told_to_json_members_shown_in_who_and_status(make_server: MakeServer, make_raw: MakeRaw) -> None:
    server = make_server(max_clients=0)
    alice, bob = join(make_raw, server, "alice"), join(make_raw, server, "bob")
    old = join(make_raw, server, "old", version=1)
    text = text_member(make_raw, server)
    alice.send(type="away", message="  lunch ")
    mine = alice.expect(type="away")
    assert mine == {"type": "away", "name": "alice", "message": "lunch", "time": mine["time"]}
    assert bob.expect(type="away") == mine
    start = len(text.lines)
    text.send("/who\n")
    assert text.wait_line(lambda line: line.startswith("[#lobby]"), start) == \
        "[#lobby] 4 members: online: Client01, alice (away: lunch), bob, old"
    text.send("status\n")
    row = text.wait_line(lambda line: line.startswith("alice "), start)
    assert re.split(r"\s{2,}", row)[-2:] == ["online, away: lunch", "0"]
    assert [s.info().away for s in server.cache.online() if s.name == "alice"] == ["lunch"]
    carol = join(make_raw, server, "carol")  # who is away already is told on joining, right after its welcome
    carol.seen = 1
    assert carol.expect(type="away", name="alice")["message"] == "lunch"
    old.send(type="away", message="x")
    assert old.expect(type="error")["code"] == "not_allowed"
    assert [o for o in old.objects() if o["type"] in ("away", "back")] == []
    alice.send(type="back")
    back = alice.expect(type="back")
    assert back == {"type": "back", "name": "alice", "time": back["time"]}
    assert bob.expect(type="back") == back
    assert carol.expect(type="back") == back
    start = len(text.lines)
    text.send("/who\n")
    assert text.wait_line(lambda line: line.startswith("[#lobby]"), start) == \
        "[#lobby] 5 members: online: Client01, alice, bob, carol, old"
    assert not any("away" in line for line in text.lines[:start] if not line.startswith(("[#lobby]", "alice ")))


def test_a_text_member_sets_away_and_back_with_one_line_each(server: ChatServer, make_raw: MakeRaw) -> None:
    text = text_member(make_raw, server)
    bob = join(make_raw, server, "bob")
    text.wait_line("* bob joined (2 online)")
    start = len(text.lines)
    text.send("/away gone fishing\n")
    text.wait_line("* You are away: gone fishing (/back when you return)", start)
    assert bob.expect(type="away") == {"type": "away", "name": "Client01", "message": "gone fishing",
                                       "time": bob.objects()[bob.seen - 1]["time"]}
    text.send("/back\n")
    text.wait_line("* You are back", start)
    text.send("/back\n")
    text.wait_line("* You were not away", start)
    text.send("/away\n")
    text.wait_line("* You are away (/back when you return)", start)
    assert text.lines[start:] == ["* You are away: gone fishing (/back when you return)", "* You are back",
                                  "* You were not away", "* You are away (/back when you return)"]
    bob.send(type="chat", id="1", text="where are you?", to="Client01")
    assert bob.expect(type="away_reply") == {"type": "away_reply", "name": "Client01", "message": "",
                                             "time": bob.objects()[bob.seen - 1]["time"]}


def test_a_direct_message_to_a_member_away_is_answered_once_per_sender_per_period(make_server: MakeServer,
                                                                                  make_raw: MakeRaw) -> None:
    server = make_server(max_clients=0)
    alice, bob = join(make_raw, server, "alice"), join(make_raw, server, "bob")
    text = text_member(make_raw, server)
    alice.send(type="away", message="lunch")
    since = alice.expect(type="away")["time"]
    bob.send(type="chat", id="1", text="are you there?", to="alice")
    bob.send(type="chat", id="2", text="hello?", to="alice")
    bob.send(type="chat", id="3", text="marker")
    text.wait_line("bob: marker")
    bob.expect(type="ack", id="3")
    assert [(o["type"], o.get("id")) for o in bob.objects() if o["type"] in ("ack", "away_reply")] == \
        [("ack", "1"), ("away_reply", None), ("ack", "2"), ("ack", "3")]
    assert [o for o in bob.objects() if o["type"] == "away_reply"] == \
        [{"type": "away_reply", "name": "alice", "message": "lunch", "time": since}]
    start = len(text.lines)
    text.send("/msg alice hi\n")
    text.wait_line("[direct] alice is away: lunch", start)
    text.send("/msg alice again\n")
    text.send("said\n")
    text.wait_line("said ACK", start)
    assert text.lines[start:] == ["hi ACK", "[direct] alice is away: lunch", "again ACK", "said ACK"]
    assert alice.expect(type="message", text="again")["to"] == "alice"  # the messages themselves go through
    alice.send(type="back")
    alice.send(type="away", message="meeting")  # a new period: answered again
    alice.expect(type="away", message="meeting")
    bob.send(type="chat", id="4", text="now?", to="alice")
    assert bob.expect(type="away_reply")["message"] == "meeting"



def test_the_client_engine_throttles_typing_and_forgets_it_by_its_clock(
        qtbot: QtBot, server: ChatServer, make_client: Callable[..., ChatClient]) -> None:
    alice, bob = make_client(server, "alice"), make_client(server, "bob")
    to_bob, from_alice = Conversation.direct("bob"), Conversation.direct("alice")
    seen: list[TypingChanged] = []
    bob.typing_changed.connect(seen.append)
    now = [100.0]
    alice.clock = bob.clock = lambda: now[0]
    with qtbot.waitSignal(bob.typing_changed, timeout=WAIT_MS):
        alice.set_typing(to_bob, TypingState.ACTIVE)
    now[0] = 100.0 + ACTIVE_EXPIRY_S - 0.1
    bob.expire_typing()
    assert bob.typists(from_alice) == ("alice",)
    now[0] = 100.0 + ACTIVE_EXPIRY_S
    bob.expire_typing()  # what its timer does when the notice is due
    assert bob.typists(from_alice) == ()
    alice.set_typing(to_bob, TypingState.ACTIVE)  # 6 s after the last: sent
    now[0] += TYPING_RESEND_S - 0.1
    alice.set_typing(to_bob, TypingState.ACTIVE)  # too soon: not sent
    alice.set_typing(to_bob, TypingState.PAUSED)
    paused_at = now[0]
    with qtbot.waitSignal(bob.chat_received, timeout=WAIT_MS):  # #lobby's: after the notices, in order
        alice.send("marker")
    assert server._typing.relayed == 3  # active, active, paused: the one too soon never left alice
    now[0] = paused_at + ACTIVE_EXPIRY_S
    bob.expire_typing()
    assert bob.typists(from_alice) == ("alice",)  # paused lasts longer
    now[0] = paused_at + PAUSED_EXPIRY_S
    bob.expire_typing()
    assert seen == [TypingChanged(from_alice, ("alice",)), TypingChanged(from_alice, ()),
                    TypingChanged(from_alice, ("alice",)), TypingChanged(from_alice, ())]


def test_a_lockstep_text_client_gets_the_away_reply_in_the_write_of_its_ack(
        server: ChatServer, make_raw: MakeRaw, qtbot: QtBot) -> None:
    alice = join(make_raw, server, "alice")
    alice.send(type="away", message="lunch")
    alice.expect(type="away")
    client = LockstepClient(server.server_port, ["/msg alice hi\n", "/msg alice again\n", "exit\n"])
    client.start()
    qtbot.waitUntil(lambda: not client.is_alive(), timeout=4 * WAIT_MS)
    assert client.error is None, f"the lockstep client failed: {client.error!r} after {client.replies!r}"
    greeting, first, second, goodbye, end = client.replies
    assert greeting == b"Welcome Client01! Type a message, 'status' or 'exit'.\n"
    assert first == b"hi ACK\n[direct] alice is away: lunch\n"  # one write: the client stays in step
    assert second == b"again ACK\n"  # once per sender per away period
    assert goodbye.startswith(b"Goodbye Client01! Disconnected at ") and end == b""
