"""The conversation model (chat_server/core/rooms.py) under random requests: who receives what, and who sees what.

Members arrive and depart; they join, create (public or private), leave, invite, remove, set topics and send room
and direct messages; the operator invites, removes and closes. The test keeps what each request said to store
(``Changed``) in a mirror of the store, and checks after every step:

- a room message goes to exactly the members of its room online, never the sender, never anyone else;
- a direct message goes to its recipient (now if online, later if not), never to the sender or a third member;
- a private room is in no list but its members' (and the operator's);
- the mirror of the store holds a member at most once per room (in it, or invited), and, loaded into a new
  model, gives the same lists and the same members.

Created rooms and invitations go into bundles, so that later requests often name them (an invitee joining).
"""

from __future__ import annotations

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, multiple, rule

from chat_server.core.rooms import (
    LOBBY,
    LOBBY_CONVERSATION,
    OPERATOR,
    Actor,
    Changed,
    Conversations,
    Delivery,
    Membership,
    Refused,
    RoomInfo,
    RoomLimits,
    direct_conversation,
    room_conversation,
    room_key,
)

MEMBERS = ("k-alice", "k-bob", "k-carol", "k-dave")
NAMES = ("#lobby", "#dev", "#DEV", "#secret", "#x_-9", "dev", "#" + "z" * 33)  # few: so that requests meet
ACTORS: tuple[Actor, ...] = (*MEMBERS, OPERATOR)
members = st.sampled_from(MEMBERS)
names = st.sampled_from(NAMES)
OWNER = "the room's owner"
actors = st.sampled_from((*ACTORS, OWNER, OWNER))  # the owner often: most of what it may do, others may not


class RoomsMachine(RuleBasedStateMachine):
    """Random requests on one model, with the store's mirror beside it."""

    made = Bundle("made")  # names of rooms created: later requests often name one of them
    invitations = Bundle("invitations")  # (invitee, room name): later, often, the invitee joins

    def __init__(self) -> None:
        super().__init__()
        self.limits = RoomLimits(max_rooms=4, rooms_per_member=2)  # small, so that the limits are met
        self.model = Conversations(self.limits)
        self.clock = 0.0
        self.stored_rooms: dict[int, RoomInfo] = {}
        self.stored_members: set[Membership] = set()

    def _now(self) -> float:
        self.clock += 1.0
        return self.clock

    def _took(self, result: Changed | Refused) -> None:
        if isinstance(result, Changed):
            for info in result.saved_rooms:
                self.stored_rooms[info.id] = info
            self.stored_members -= set(result.forgotten)
            self.stored_members |= set(result.saved)

    def _actor(self, by: Actor | str, name: str) -> Actor:
        room = self.model.info(name)
        return (room.owner or OPERATOR if room else OPERATOR) if by == OWNER else by

    def _online(self) -> set[str]:
        online = self.model.members(OPERATOR, LOBBY)
        assert not isinstance(online, Refused)
        return set(online)

    def _in(self, member: str, name: str) -> bool:
        """Whether the store's mirror has ``member`` in the open room ``name``."""
        key = room_key(name)
        return any(m.member == member and not m.invited and self.stored_rooms[m.room].key == key
                   and self.stored_rooms[m.room].closed_at is None for m in self.stored_members)

    @rule(member=members)
    def arrive(self, member: str) -> None:
        self.model.arrive(member)

    @rule(member=members)
    def depart(self, member: str) -> None:
        self.model.depart(member)

    @rule(member=members, name=names | made)
    def join(self, member: str, name: str) -> None:
        self._took(self.model.join(member, name, self._now()))

    @rule(target=made, by=st.sampled_from(ACTORS), name=names, private=st.booleans())
    def create(self, by: Actor, name: str, private: bool) -> object:
        result = self.model.create(by, name, private, self._now())
        self._took(result)
        return name if isinstance(result, Changed) else multiple()

    @rule(member=members, name=names | made)
    def leave(self, member: str, name: str) -> None:
        self._took(self.model.leave(member, name, self._now()))

    @rule(target=invitations, by=actors, invitee=members, name=names | made)
    def invite(self, by: Actor | str, invitee: str, name: str) -> object:
        result = self.model.invite(self._actor(by, name), invitee, name)
        self._took(result)
        return (invitee, name) if isinstance(result, Changed) else multiple()

    @rule(invitation=invitations)
    def accept(self, invitation: tuple[str, str]) -> None:
        self.join(*invitation)

    @rule(by=actors, member=members, name=names | made)
    def remove(self, by: Actor | str, member: str, name: str) -> None:
        self._took(self.model.remove(self._actor(by, name), member, name, self._now()))

    @rule(by=actors, name=names | made, topic=st.sampled_from(["", "standup at 10", "x" * 301]))
    def set_topic(self, by: Actor | str, name: str, topic: str) -> None:
        result = self.model.set_topic(self._actor(by, name), name, topic)
        if isinstance(result, Changed):
            assert result.room.topic == topic and len(topic) <= 300
        self._took(result)

    @rule(name=names | made)
    def close(self, name: str) -> None:
        self._took(self.model.close(name, self._now()))

    @rule(sender=members, name=names | made)
    def room_message(self, sender: str, name: str) -> None:
        online = self._online()
        delivery = self.model.room_message(sender, name)
        # What the engine asks per message (the conversation only) follows the same rule, refusals alike.
        where = self.model.room_message_conversation(sender, name)
        assert where == (delivery if isinstance(delivery, Refused) else delivery.conversation)
        if room_key(name) == LOBBY:
            if sender in online:
                assert delivery == Delivery(LOBBY_CONVERSATION, frozenset(online - {sender}))
            else:
                assert isinstance(delivery, Refused)  # a member not online has no connection to write from
            return
        if isinstance(delivery, Refused):
            assert not self._in(sender, name)
            return
        assert self._in(sender, name), "a member wrote to a room it is not in"
        room = self.model.info(name)
        assert room is not None and delivery.conversation == room_conversation(room.id)
        assert delivery.now == {m for m in online if m != sender and self._in(m, name)}
        assert not delivery.later

    @rule(sender=members, recipient=members)
    def direct_message(self, sender: str, recipient: str) -> None:
        online = self._online()
        delivery = self.model.direct_message(sender, recipient)
        if sender == recipient:
            assert isinstance(delivery, Refused)
            return
        assert isinstance(delivery, Delivery)
        assert delivery.conversation == direct_conversation(recipient, sender)
        assert delivery.now | delivery.later == {recipient}
        assert (delivery.now if recipient in online else delivery.later) == {recipient}

    @invariant()
    def private_rooms_are_listed_for_their_members_only(self) -> None:
        for viewer in MEMBERS:
            for listing in self.model.listing(viewer):
                if listing.private:
                    assert self._in(viewer, listing.display), f"{viewer} sees {listing.display}"
        every = {listing.display for listing in self.model.listing(OPERATOR)}
        assert every == {info.display for info in self.stored_rooms.values() if info.closed_at is None} | {LOBBY}

    @invariant()
    def the_store_mirror_holds_one_membership_per_member_and_room(self) -> None:
        pairs = [(m.room, m.member) for m in self.stored_members]
        assert len(pairs) == len(set(pairs)), "a member both invited to and in a room"

    @invariant()
    def the_store_mirror_loads_into_the_same_model(self) -> None:
        loaded = Conversations.load(self.stored_rooms.values(), self.stored_members, self.limits)
        for member in self._online():
            loaded.arrive(member)
        for viewer in ACTORS:
            assert loaded.listing(viewer) == self.model.listing(viewer)
        for listing in self.model.listing(OPERATOR):
            assert loaded.members(OPERATOR, listing.display) == self.model.members(OPERATOR, listing.display)
        for member in MEMBERS:
            assert loaded.rooms_of(member)[1:] == self.model.rooms_of(member)[1:]


RoomsMachine.TestCase.settings = settings(max_examples=200, stateful_step_count=50, deadline=None)  # a few seconds
test_rooms_under_random_requests = RoomsMachine.TestCase
