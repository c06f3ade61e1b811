"""When a group commit waits for more messages: only while recent senders are missing, bounded by the fan-out."""

from __future__ import annotations

import pytest

from chat_server.core.gathering import ACTIVE_SENDER_S, GATHER_MAX_S, GATHER_PER_MEMBER_S, CommitGathering
from chat_server.core.rooms import LOBBY_CONVERSATION


def _with_senders(count: int, now: float = 100.0) -> CommitGathering:
    gathering = CommitGathering()
    for key in range(count):
        gathering.sent(key, now)
    return gathering


def test_one_member_talking_alone_never_waits() -> None:
    assert _with_senders(1).budget_s(senders_in_batch=1, members=5000) == 0.0


def test_a_batch_missing_recent_senders_waits_as_long_as_a_fan_out_would_take() -> None:
    gathering = _with_senders(10)
    assert gathering.budget_s(senders_in_batch=3, members=100) == pytest.approx(100 * GATHER_PER_MEMBER_S)
    assert gathering.budget_s(senders_in_batch=3, members=5000) == GATHER_MAX_S
    assert gathering.budget_s(senders_in_batch=10, members=5000) == 0.0, "everyone is in: commit now"
    assert gathering.budget_s(senders_in_batch=0, members=5000) == 0.0, "nothing to commit"


def test_a_small_room_is_committed_at_once() -> None:
    assert _with_senders(10).budget_s(senders_in_batch=3, members=10) == 0.0


def test_members_silent_for_a_while_are_no_longer_waited_for() -> None:
    gathering = _with_senders(10, now=100.0)
    gathering.sent(0, 100.0 + ACTIVE_SENDER_S)
    gathering.committed(100.0 + ACTIVE_SENDER_S * 1.5)
    assert gathering.active_senders == 1
    assert gathering.budget_s(senders_in_batch=1, members=5000) == 0.0


def test_relays_wait_only_for_recent_senders_not_yet_heard_in_a_big_room() -> None:
    gathering = _with_senders(3)
    assert gathering.relays_may_wait([0], members=100, kept_back=False)
    assert gathering.relays_may_wait([1], members=100, kept_back=True), "0 and 1 heard, 2 still missing"
    assert not gathering.relays_may_wait([2], members=100, kept_back=True), "all heard: write them now, together"
    assert not gathering.relays_may_wait([0], members=10, kept_back=False), "a small room never waits"
    assert not gathering.relays_may_wait([], members=100, kept_back=False), "an empty batch has nothing to keep"


def test_relays_that_went_out_on_their_deadline_start_the_count_afresh() -> None:
    gathering = _with_senders(3)
    assert gathering.relays_may_wait([0], members=100, kept_back=False)
    assert gathering.relays_may_wait([1], members=100, kept_back=False), "0's relays went out: only 1 heard now"
    assert gathering.relays_may_wait([2], members=100, kept_back=False)
    assert not gathering.relays_may_wait([0, 1, 2], members=100, kept_back=False)


def test_a_rooms_relays_wait_only_for_senders_whose_relays_reach_the_same_members() -> None:
    gathering = CommitGathering()
    gathering.sent(0, 100.0, "room:7")
    gathering.sent(1, 100.0, "room:8")
    assert not gathering.relays_may_wait([0], members=100, kept_back=False, conversations={"room:7"}), \
        "the other sender talks in another room: its relays go to other members, nothing to write together"
    gathering.sent(2, 100.0, "room:7")
    assert gathering.relays_may_wait([0], members=100, kept_back=False, conversations={"room:7"}), \
        "a sender in the same room is not heard yet"
    assert not gathering.relays_may_wait([2], members=100, kept_back=True, conversations={"room:7"}), \
        "both of the room's senders heard: write now"


def test_lobby_senders_count_for_every_room_and_a_lobby_batch_waits_for_anyone() -> None:
    gathering = CommitGathering()
    gathering.sent(0, 100.0, "room:7")
    gathering.sent(1, 100.0, LOBBY_CONVERSATION)
    assert gathering.relays_may_wait([0], members=100, kept_back=False, conversations={"room:7"}), \
        "#lobby's relays reach the room's members too"
    gathering = CommitGathering()
    gathering.sent(0, 100.0, LOBBY_CONVERSATION)
    gathering.sent(1, 100.0, "room:8")
    assert gathering.relays_may_wait([0], members=100, kept_back=False, conversations={LOBBY_CONVERSATION}), \
        "a #lobby batch reaches the room's members: it may wait for the room's sender"


def test_members_forgotten_after_a_while_are_forgotten_with_their_conversation() -> None:
    gathering = CommitGathering()
    gathering.sent(0, 100.0, "room:7")
    gathering.sent(1, 100.0 + ACTIVE_SENDER_S, "room:7")
    gathering.committed(100.0 + ACTIVE_SENDER_S * 1.5)
    assert gathering.active_senders == 1
    assert not gathering.relays_may_wait([1], members=100, kept_back=False, conversations={"room:7"})


def test_relays_kept_back_for_a_room_stay_back_when_another_rooms_batch_goes_out() -> None:
    gathering = CommitGathering()
    gathering.sent(0, 100.0, "room:7")
    gathering.sent(1, 100.0, "room:7")
    gathering.sent(2, 100.0, "room:8")
    assert gathering.relays_may_wait([0], members=100, kept_back=False, conversations={"room:7"}), \
        "#7's relays wait for its other sender"
    assert not gathering.relays_may_wait([2], members=100, kept_back=True, conversations={"room:8"}), \
        "#8's own relays go out at once: nobody else writes to its members"
    assert gathering.held_may_wait(), "but #7's stay back: its other sender is still not heard"
    assert not gathering.relays_may_wait([1], members=100, kept_back=True, conversations={"room:7"})
    assert not gathering.held_may_wait(), "now everyone #7 waited for is heard: all go out together"


def test_nothing_kept_back_has_nothing_to_wait_for() -> None:
    gathering = _with_senders(3)
    assert not gathering.held_may_wait()
