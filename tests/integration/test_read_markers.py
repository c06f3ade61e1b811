"""Read markers over real sockets (protocol version 2): kept per identity (client id) and conversation, told after
the welcome to the identity's next connection and live to each of its connections, never moved back, refused for a
conversation that is not the member's."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from chat_server import protocol as p
from chat_server.core.engine import ChatServer
from tests.integration.test_rooms_json import MakeRaw, Member, join


def said(member: Member, text: str, **where: str) -> int:
    """``member`` says ``text`` (in ``room=`` or ``to=``); its seq."""
    member.send(type="chat", id=text, text=text, **where)
    return int(member.expect(type="ack", id=text)["seq"])


def markers(member: Member) -> list[dict[str, object]]:
    return [o for o in member.objects() if o["type"] == "read_marker"]


def test_a_second_connection_of_the_identity_gets_the_markers_of_the_first(make_server: object, make_raw: MakeRaw,
                                                                            tmp_path: Path, qtbot: QtBot) -> None:
    server: ChatServer = make_server(db_path=str(tmp_path / "chat.sqlite3"))  # type: ignore[operator]
    alice, bob = join(make_raw, server, "alice"), join(make_raw, server, "bob")
    for who in (alice, bob):
        who.send(type="join", room="#dev")
        who.expect(type="joined", name=who.name, room="#dev")
    first = said(bob, "one")
    said(bob, "two")
    in_dev = said(bob, "in dev", room="#dev")
    direct = said(bob, "psst", to="alice")
    alice.expect(type="message", text="psst")
    alice.send(type="mark_read", seq=first)
    assert alice.expect(type="read_marker") == {"type": "read_marker", "seq": first}
    alice.send(type="mark_read", seq=in_dev, room="#DEV")
    assert alice.expect(type="read_marker") == {"type": "read_marker", "seq": in_dev, "room": "#dev"}
    alice.send(type="mark_read", seq=direct, to="bob")
    assert alice.expect(type="read_marker") == {"type": "read_marker", "seq": direct, "to": "bob"}
    alice.send(type="exit")
    alice.expect(type="goodbye")

    again = join(make_raw, server, "alice")  # the same client id: the same identity
    got = markers(again)
    assert sorted(got, key=lambda m: int(m["seq"])) == [  # type: ignore[call-overload]
        {"type": "read_marker", "seq": first}, {"type": "read_marker", "seq": in_dev, "room": "#dev"},
        {"type": "read_marker", "seq": direct, "to": "bob"}]
    # They come right after the welcome, before the history they are read against.
    types = [o["type"] for o in again.objects()]
    assert types.index("welcome") < types.index("read_marker") < types.index("message")
    assert not markers(bob)  # another identity's markers are its own


def test_the_connection_that_takes_the_name_over_gets_the_markers(server: ChatServer, make_raw: MakeRaw) -> None:
    alice, bob = join(make_raw, server, "alice"), join(make_raw, server, "bob")
    seq = said(bob, "read me")
    alice.send(type="mark_read", seq=seq)
    alice.expect(type="read_marker", seq=seq)
    replacing = join(make_raw, server, "alice")  # the same name and client id, from another window
    alice.expect(type="goodbye", reason=p.EndReason.REPLACED)
    assert markers(replacing) == [{"type": "read_marker", "seq": seq}]


def test_each_connection_of_the_identity_is_told_a_marker_as_it_moves(server: ChatServer, make_raw: MakeRaw) -> None:
    laptop = join(make_raw, server, "alice", client_id="shared-id")
    phone = join(make_raw, server, "alice2", client_id="shared-id")
    bob = join(make_raw, server, "bob")
    seq = said(bob, "hello both")
    laptop.send(type="mark_read", seq=seq)
    assert laptop.expect(type="read_marker") == {"type": "read_marker", "seq": seq}
    assert phone.expect(type="read_marker") == {"type": "read_marker", "seq": seq}
    assert not markers(bob)


def test_a_marker_never_goes_back(server: ChatServer, make_raw: MakeRaw) -> None:
    alice, bob = join(make_raw, server, "alice"), join(make_raw, server, "bob")
    older, newer = said(bob, "a"), said(bob, "b")
    alice.send(type="mark_read", seq=newer)
    alice.expect(type="read_marker", seq=newer)
    alice.send(type="mark_read", seq=older)
    assert alice.expect(type="read_marker") == {"type": "read_marker", "seq": newer}  # the marker kept


def test_a_marker_of_a_conversation_not_the_members_is_refused(server: ChatServer, make_raw: MakeRaw) -> None:
    alice, bob = join(make_raw, server, "alice"), join(make_raw, server, "bob")
    bob.send(type="create", room="#team", private=True)
    bob.expect(type="joined", name="bob", room="#team")
    secret = said(bob, "secret", room="#team")
    alice.send(type="mark_read", seq=secret, room="#team")
    assert alice.expect(type="error")["code"] == p.ERR_NOT_IN_ROOM  # as a chat there is answered
    bob.send(type="join", room="#open")
    bob.expect(type="joined", name="bob", room="#open")
    alice.send(type="mark_read", seq=secret, room="#open")
    assert alice.expect(type="error")["code"] == p.ERR_NOT_IN_ROOM
    alice.send(type="mark_read", seq=secret, to="nobody", id="m-1")
    refused = alice.expect(type="error")
    assert (refused["code"], refused["id"]) == (p.ERR_UNKNOWN_MEMBER, "m-1")  # its id tells what was refused
    alice.send(type="mark_read", seq=secret, to="alice")
    assert alice.expect(type="error")["code"] == p.ERR_DIRECT_TO_SELF
    alice.send(type="mark_read", seq=secret + 1000)
    assert alice.expect(type="error")["code"] == p.ERR_UNKNOWN_SEQ
    alice.send(type="mark_read", seq=0)
    assert alice.expect(type="error")["code"] == p.ERR_BAD_MESSAGE
    alice.send(type="exit")
    alice.expect(type="goodbye")
    again = join(make_raw, server, "alice")
    assert markers(again) == []  # nothing refused was kept


def test_no_markers_without_a_client_id_nor_for_version_1(server: ChatServer, make_raw: MakeRaw) -> None:
    anonymous = Member(make_raw(server), "anon")
    anonymous.send(type="hello", version=2, name="anon", client_id=None, last_seq=None)
    anonymous.expect(type="joined", name="anon")
    old = join(make_raw, server, "old", version=1)
    bob = join(make_raw, server, "bob")
    seq = said(bob, "hi")
    anonymous.send(type="mark_read", seq=seq)
    assert anonymous.expect(type="error")["code"] == p.ERR_NOT_ALLOWED
    old.send(type="mark_read", seq=seq)
    assert old.expect(type="error")["code"] == p.ERR_NOT_ALLOWED
    assert not markers(anonymous) and not markers(old)


def test_a_marker_of_direct_messages_with_a_member_gone_and_no_longer_known(make_server: object,
                                                                           make_raw: MakeRaw) -> None:
    server: ChatServer = make_server(name_reservation_s=0)  # type: ignore[operator]
    alice, bob = join(make_raw, server, "alice"), join(make_raw, server, "bob")
    seq = said(bob, "bye for now", to="alice")
    alice.expect(type="message", text="bye for now")
    bob.send(type="exit")
    bob.expect(type="goodbye")
    alice.expect(type="left", name="bob")
    alice.send(type="mark_read", seq=seq, to="BOB")  # no longer a member anyone can write to, but theirs to read
    assert alice.expect(type="read_marker") == {"type": "read_marker", "seq": seq, "to": "bob"}
    alice.send(type="chat", id="x", text="still there?", to="bob")
    assert alice.expect(type="error", id="x")["code"] == p.ERR_UNKNOWN_MEMBER  # writing to it is refused as before


def test_no_marker_names_a_text_member_that_has_left(server: ChatServer, make_raw: MakeRaw) -> None:
    text = make_raw(server)
    text.wait_line(lambda line: line.startswith("Welcome Client01!"))
    alice = join(make_raw, server, "alice")
    text.send("/msg alice psst\n")
    seq = int(alice.expect(type="message", text="psst")["seq"])
    alice.send(type="mark_read", seq=seq, to="Client01")
    assert alice.expect(type="read_marker") == {"type": "read_marker", "seq": seq, "to": "Client01"}
    text.send("exit\n")
    alice.expect(type="left", name="Client01")
    alice.send(type="exit")
    alice.expect(type="goodbye")
    again = join(make_raw, server, "alice")
    assert again.texts() == ["psst"]  # its history still has it
    assert markers(again) == []  # but no marker names a member nobody can name now
