"""The conversation model's rules one by one (chat_server/core/rooms.py); the random mix: test_rooms_properties."""

from __future__ import annotations

import pytest

from chat_server.core.rooms import (
    LOBBY,
    OPERATOR,
    Changed,
    Conversations,
    Delivery,
    Listing,
    Membership,
    Refusal,
    Refused,
    RoomLimits,
    direct_conversation,
    room_key,
)
from chat_server.settings import ServerSettings


def changed(result: Changed | Refused) -> Changed:
    assert isinstance(result, Changed), result
    return result


@pytest.mark.parametrize(("name", "key"), [
    ("#lobby", "#lobby"), ("#Dev-Team_2", "#dev-team_2"), ("#" + "a" * 32, "#" + "a" * 32),
    ("#", None), ("dev", None), ("#" + "a" * 33, None), ("#dév", None), ("#a b", None), ("#dev\n", None),
    ("#\u212a", None),  # the Kelvin sign, which a case-insensitive match would take for k
])
def test_room_names_and_their_keys(name: str, key: str | None) -> None:
    assert room_key(name) == key


def test_the_limits_default_to_the_settings() -> None:
    assert RoomLimits.of(ServerSettings()) == RoomLimits(1000, 100)
    assert RoomLimits.of(ServerSettings(max_rooms=5, max_rooms_per_member=0)) == RoomLimits(5, 0)


def test_join_creates_a_public_room_owned_by_its_first_member_and_ids_are_never_used_again() -> None:
    rooms = Conversations()
    made = changed(rooms.join("alice", "#Dev", now=5.0))
    assert (made.room.id, made.room.key, made.room.display, made.room.owner, made.room.private) == \
        (2, "#dev", "#Dev", "alice", False)
    assert made.saved_rooms == (made.room,) and made.saved == (Membership(2, "alice"),)
    assert changed(rooms.join("bob", "#DEV", now=6.0)).saved == (Membership(2, "bob"),)
    assert changed(rooms.join("bob", "#dev", now=7.0)) == Changed(made.room)  # already in: nothing to store
    assert [r.key for r in rooms.rooms_of("bob")] == [LOBBY, "#dev"]
    closed = changed(rooms.close("#dev", now=8.0))
    assert closed.room.closed_at == 8.0 and set(closed.forgotten) == {Membership(2, "alice"), Membership(2, "bob")}
    assert changed(rooms.join("carol", "#dev", now=9.0)).room.id == 3
    reloaded = Conversations.load([made.room, closed.room], [])
    assert changed(reloaded.create("dave", "#new", private=False, now=10.0)).room.id == 3


def test_everyone_online_is_in_the_lobby_which_cannot_be_left_closed_or_ruled_by_members() -> None:
    rooms = Conversations()
    rooms.arrive("alice")
    rooms.arrive("bob")
    assert rooms.members("alice", "#LOBBY") == ["alice", "bob"]
    assert rooms.room_message("alice", LOBBY) == Delivery("room:1", frozenset({"bob"}))
    assert rooms.leave("alice", LOBBY, 1.0) == Refused(Refusal.LOBBY_FIXED)
    assert rooms.close(LOBBY, 1.0) == Refused(Refusal.LOBBY_FIXED)
    assert rooms.remove(OPERATOR, "bob", LOBBY, 1.0) == Refused(Refusal.LOBBY_FIXED)
    assert rooms.set_topic("alice", LOBBY, "mine") == Refused(Refusal.NOT_OWNER)
    assert changed(rooms.set_topic(OPERATOR, LOBBY, "welcome")).room.topic == "welcome"
    rooms.depart("bob")
    assert rooms.listing("alice") == [Listing(LOBBY, 1, "welcome", False)]


def test_a_private_room_is_unseen_until_invited_and_its_owner_rules_it() -> None:
    rooms = Conversations()
    changed(rooms.create("alice", "#secret", private=True, now=1.0))
    assert rooms.listing("bob") == [Listing(LOBBY, 0, "", False)]
    assert rooms.members("bob", "#secret") == Refused(Refusal.NO_SUCH_ROOM)
    assert rooms.join("bob", "#secret", 2.0) == Refused(Refusal.INVITE_ONLY)
    assert rooms.invite("bob", "carol", "#secret") == Refused(Refusal.NO_SUCH_ROOM)
    assert changed(rooms.invite("alice", "bob", "#secret")).saved == (Membership(2, "bob", invited=True),)
    joined = changed(rooms.join("bob", "#secret", 3.0))  # the invitation is used up
    assert (joined.saved, joined.forgotten) == ((Membership(2, "bob"),), (Membership(2, "bob", invited=True),))
    assert changed(rooms.invite("bob", "carol", "#secret")).saved  # any member may invite
    assert rooms.set_topic("bob", "#secret", "x") == Refused(Refusal.NOT_OWNER)
    assert rooms.remove("bob", "alice", "#secret", 4.0) == Refused(Refusal.NOT_OWNER)
    assert changed(rooms.remove("alice", "carol", "#secret", 4.0)).forgotten == \
        (Membership(2, "carol", invited=True),)  # an invitation taken back
    assert changed(rooms.set_topic("alice", "#secret", "plans")).room.topic == "plans"
    assert changed(rooms.remove("alice", "bob", "#secret", 5.0)).forgotten == (Membership(2, "bob"),)
    assert rooms.join("bob", "#secret", 6.0) == Refused(Refusal.INVITE_ONLY)  # removed: the invitation is used
    assert [listing.display for listing in rooms.listing(OPERATOR)] == ["#lobby", "#secret"]
    last = changed(rooms.leave("alice", "#secret", 7.0))  # nobody could join again: closed
    assert last.room.closed_at == 7.0 and last.saved_rooms == (last.room,)
    assert rooms.info("#secret") is None


def test_in_a_public_room_any_member_sets_the_topic_and_only_the_operator_removes() -> None:
    rooms = Conversations()
    changed(rooms.join("alice", "#dev", 1.0))
    changed(rooms.join("bob", "#dev", 1.0))
    assert rooms.set_topic("carol", "#dev", "x") == Refused(Refusal.NOT_IN_ROOM)
    assert changed(rooms.set_topic("bob", "#dev", "standup at 10")).room.topic == "standup at 10"
    assert rooms.set_topic("bob", "#dev", "x" * 301) == Refused(Refusal.TOPIC_TOO_LONG)
    assert rooms.remove("alice", "bob", "#dev", 2.0) == Refused(Refusal.NOT_OWNER)
    assert changed(rooms.remove(OPERATOR, "bob", "#dev", 2.0)).forgotten == (Membership(2, "bob"),)
    assert rooms.remove(OPERATOR, "bob", "#dev", 2.0) == Refused(Refusal.NOT_THERE)
    assert changed(rooms.join("bob", "#dev", 3.0)).saved  # removed from a public room is not banned
    assert changed(rooms.leave("alice", "#dev", 4.0)).room.closed_at is None  # public rooms stay when empty


def test_room_messages_go_to_the_members_online_but_the_sender() -> None:
    rooms = Conversations()
    for member in ("alice", "bob", "carol"):
        rooms.arrive(member)
    changed(rooms.join("alice", "#dev", 1.0))
    changed(rooms.join("bob", "#dev", 1.0))
    changed(rooms.join("dave", "#dev", 1.0))  # offline: gets it from history when it joins
    assert rooms.room_message("alice", "#dev") == Delivery("room:2", frozenset({"bob"}))
    assert rooms.room_message("carol", "#dev") == Refused(Refusal.NOT_IN_ROOM)
    assert rooms.room_message("alice", "#nowhere") == Refused(Refusal.NO_SUCH_ROOM)
    # What the engine asks per message: the same rule, without the set of recipients.
    assert rooms.room_message_conversation("alice", "#DEV") == "room:2"
    assert rooms.room_message_conversation("alice", "#lobby") == "room:1"
    assert rooms.room_message_conversation("carol", "#dev") == Refused(Refusal.NOT_IN_ROOM)
    assert rooms.room_message_conversation("alice", "#nowhere") == Refused(Refusal.NO_SUCH_ROOM)
    assert rooms.room_message_conversation("dave", "#lobby") == Refused(Refusal.NOT_IN_ROOM), "offline"


def test_direct_messages_go_to_the_recipient_now_or_when_it_next_joins() -> None:
    rooms = Conversations()
    rooms.arrive("alice")
    rooms.arrive("bob")
    pair = direct_conversation("bob", "alice")
    assert pair == direct_conversation("alice", "bob") == "direct:alice|bob"
    assert rooms.direct_message("alice", "bob") == Delivery(pair, frozenset({"bob"}))
    rooms.depart("bob")
    assert rooms.direct_message("alice", "bob") == Delivery(pair, frozenset(), later=frozenset({"bob"}))
    assert rooms.direct_message("alice", "alice") == Refused(Refusal.DIRECT_TO_SELF)


def test_the_limits_on_rooms_and_on_rooms_per_member() -> None:
    rooms = Conversations(RoomLimits(max_rooms=3, rooms_per_member=1))
    changed(rooms.join("alice", "#a", 1.0))
    assert rooms.join("alice", "#b", 1.0) == Refused(Refusal.TOO_MANY_JOINED)
    changed(rooms.join("bob", "#b", 1.0))
    assert rooms.join("carol", "#c", 1.0) == Refused(Refusal.TOO_MANY_ROOMS)  # #lobby counts
    assert rooms.join("bob", "#a", 1.0) == Refused(Refusal.TOO_MANY_JOINED)
    changed(rooms.leave("bob", "#b", 1.0))
    assert changed(rooms.join("bob", "#a", 1.0)).saved == (Membership(2, "bob"),)
    assert rooms.create("carol", "#A", private=False, now=1.0) == Refused(Refusal.ROOM_EXISTS)
    assert rooms.create("carol", "nope", private=False, now=1.0) == Refused(Refusal.ROOM_INVALID)


def test_a_room_the_operator_makes_has_no_owner_and_nobody_in_it_until_invited() -> None:
    rooms = Conversations()
    made = changed(rooms.create(OPERATOR, "#staff", private=True, now=1.0))
    assert (made.room.owner, made.saved) == (None, ())
    assert rooms.members(OPERATOR, "#staff") == []
    changed(rooms.invite(OPERATOR, "alice", "#staff"))
    changed(rooms.join("alice", "#staff", 2.0))
    assert rooms.set_topic("alice", "#staff", "x") == Refused(Refusal.NOT_OWNER)  # nobody owns it: the operator rules
    assert changed(rooms.set_topic(OPERATOR, "#staff", "ops only")).room.topic == "ops only"


def test_the_operator_renames_a_room_which_keeps_its_id_members_invitations_and_topic() -> None:
    rooms = Conversations()
    rooms.arrive("alice")
    made = changed(rooms.create("alice", "#dev", private=True, now=1.0))
    changed(rooms.invite("alice", "bob", "#dev"))
    changed(rooms.set_topic("alice", "#dev", "plans"))
    changed(rooms.join("carol", "#ops", 1.0))
    assert rooms.rename(LOBBY, "#hall") == Refused(Refusal.LOBBY_FIXED)
    assert rooms.rename("#nowhere", "#x") == Refused(Refusal.NO_SUCH_ROOM)
    assert rooms.rename("#dev", "devel") == Refused(Refusal.ROOM_INVALID)
    assert rooms.rename("#dev", "#OPS") == Refused(Refusal.ROOM_EXISTS)
    assert rooms.rename("#dev", "#Lobby") == Refused(Refusal.ROOM_EXISTS)
    before = rooms.info("#dev")
    assert before is not None and rooms.rename("#dev", "#dev") == Changed(before)  # its name already: nothing saved
    renamed = changed(rooms.rename("#DEV", "#Devel"))
    assert (renamed.room.id, renamed.room.key, renamed.room.display, renamed.room.topic, renamed.room.owner) == \
        (made.room.id, "#devel", "#Devel", "plans", "alice")
    assert renamed.saved_rooms == (renamed.room,) and (renamed.saved, renamed.forgotten) == ((), ())
    assert rooms.info("#dev") is None and rooms.info("#devel") == renamed.room
    assert rooms.room_message("alice", "#devel") == Delivery(f"room:{made.room.id}", frozenset())
    assert changed(rooms.join("bob", "#devel", 2.0)).saved == (Membership(made.room.id, "bob"),)  # still invited
    assert changed(rooms.rename("#devel", "#devel")).saved_rooms  # another spelling of the same name
    assert changed(rooms.join("dave", "#dev", 3.0)).room.id != made.room.id  # the old name is free again
    reloaded = Conversations.load([renamed.room], [Membership(made.room.id, "alice")])
    assert reloaded.members(OPERATOR, "#Devel") == ["alice"]
