"""Invitations to a member who is offline: it is told when it next joins, once; and the invitations' rate limit.
Real sockets on loopback, the inviter in JSON mode, in text mode and the operator."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from chat_server.core.conversation_hub import INVITATION_BURST, INVITATIONS_PER_MINUTE
from chat_server.core.engine import ChatServer
from tests.conftest import RawClient
from tests.integration.test_rooms_json import Member, join
from tests.integration.test_rooms_text import member as text_member

MakeRaw = Callable[[ChatServer], RawClient]
ROOT = Path(__file__).resolve().parents[2]


def away(member: Member) -> None:
    """The member says goodbye: offline, its name kept for its client id."""
    member.send(type="exit")
    member.raw.wait_closed()


def arrivals(member: Member) -> list[dict[str, Any]]:
    """What a member was sent on joining, up to its own join, without times."""
    sent = []
    for obj in member.objects():
        sent.append({k: v for k, v in obj.items() if k != "time"})
        if obj["type"] == "joined" and obj.get("name") == member.name and "room" not in obj:
            break
    return sent


def types(member: Member) -> list[str]:
    return [obj["type"] for obj in arrivals(member)]


def test_a_member_invited_while_offline_is_told_when_it_next_joins_and_only_then(
        server: ChatServer, make_raw: MakeRaw) -> None:
    alice, bob = (join(make_raw, server, n) for n in ("alice", "bob"))
    away(bob)
    alice.send(type="create", room="#team", private=True)
    alice.expect(type="room", room="#team")
    alice.send(type="invite", room="#team", name="bob")
    assert alice.expect(type="invited")["by"] == "alice"
    alice.send(type="invite", room="#team", name="bob")  # again: one invitation, one piece of news
    alice.expect(type="invited")
    back = join(make_raw, server, "bob")
    assert types(back) == ["welcome", "invited", "joined"]
    assert arrivals(back)[1] == {"type": "invited", "room": "#team", "name": "bob", "by": "alice"}
    back.send(type="join", room="#team")
    assert back.expect(type="room", room="#team")["members"] == ["alice", "bob"]
    away(back)
    again = join(make_raw, server, "bob")
    assert types(again) == ["welcome", "joined"]  # told once


def test_a_text_member_invites_a_member_who_is_offline(server: ChatServer, make_raw: MakeRaw) -> None:
    bob = join(make_raw, server, "bob")
    away(bob)
    text = text_member(make_raw, server, "Client01")
    text.send("/create #team private\n")
    text.wait_line("[#team] * You created the private room #team: 1 member online (Client01).")
    text.send("/invite bob #team\n")
    text.wait_line("[#team] * Client01 invited bob (/join #team to join it)")
    back = join(make_raw, server, "bob")
    assert arrivals(back)[1] == {"type": "invited", "room": "#team", "name": "bob", "by": "Client01"}
    back.send(type="join", room="#team")
    back.expect(type="room", room="#team")
    text.wait_line("[#team] * bob joined (2 members)")


def test_only_invitations_that_still_stand_are_told_and_their_news_survives_a_restart(
        make_server: Callable[..., ChatServer], make_raw: MakeRaw, tmp_path: Path) -> None:
    db = str(tmp_path / "chat.db")
    server = make_server(db_path=db)
    alice, bob = (join(make_raw, server, n) for n in ("alice", "bob"))
    away(bob)
    for room in ("#staff", "#withdrawn", "#gone"):
        assert server.create_room(room, private=True) is None
        assert server.invite_to_room("bob", room) is None
    assert server.remove_from_room("bob", "#withdrawn") is None  # the invitation and its news withdrawn
    assert server.close_room("#gone") is None
    alice.send(type="join", room="#dev")  # to a public room an invitation is news, and nothing is kept
    alice.expect(type="room", room="#dev")
    alice.send(type="invite", room="#dev", name="bob")
    alice.expect(type="invited", room="#dev")
    server.stop()
    server = make_server(db_path=db)
    back = join(make_raw, server, "bob")
    assert [obj for obj in arrivals(back) if obj["type"] == "invited"] == [
        {"type": "invited", "room": "#staff", "name": "bob", "by": None}]
    away(back)
    assert types(join(make_raw, server, "bob")) == ["welcome", "joined"]


def test_a_version_1_client_is_not_told_and_its_news_waits_for_a_client_that_speaks_rooms(
        server: ChatServer, make_raw: MakeRaw) -> None:
    old = join(make_raw, server, "bob", version=1)
    assert server.create_room("#staff", private=True) is None
    assert server.invite_to_room("bob", "#staff") is None
    away(old)
    assert types(old) == ["welcome", "joined"]
    back = join(make_raw, server, "bob")
    assert arrivals(back)[1] == {"type": "invited", "room": "#staff", "name": "bob", "by": None}


def test_invitations_are_limited_per_member_in_both_framings_as_documented(
        server: ChatServer, make_raw: MakeRaw) -> None:
    assert f"at most {INVITATION_BURST} at once, then {INVITATIONS_PER_MINUTE} a minute" in \
        (ROOT / "docs" / "protocol.md").read_text(encoding="utf-8")
    alice = join(make_raw, server, "alice")
    alice.send(type="create", room="#team", private=True)
    alice.expect(type="room", room="#team")
    for number in range(INVITATION_BURST):
        alice.send(type="invite", room="#team", name=f"guest{number}")  # unknown names use the budget too
        assert alice.expect(type="error", room="#team")["code"] == "unknown_member"
    alice.send(type="invite", room="#team", name="guest")
    refused = alice.expect(type="error", room="#team")
    assert refused["code"] == "too_many_invitations"
    assert re.fullmatch(r"#team: too many invitations: try again in [1-6] s\.", refused["text"]), refused["text"]
    text = text_member(make_raw, server, "Client01")
    text.send("/create #club private\n")
    text.wait_line("[#club] * You created the private room #club: 1 member online (Client01).")
    for _ in range(INVITATION_BURST):
        text.send("/invite alice #club\n")
    text.send("/invite alice #club\n")
    line = text.wait_line(lambda line: "too many invitations" in line)
    assert re.fullmatch(r"Error: #club: too many invitations: try again in [1-6] s\.", line), line
    assert sum("invited alice" in line for line in text.lines) == INVITATION_BURST
