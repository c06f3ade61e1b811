"""Whether a group commit, or its relays, should wait a moment for more messages: plain Python, no Qt.

Every commit ends in a fan-out: one ``send`` per member, a few microseconds each, whether
it carries one message or ten. When several members are sending at once, their messages
reach the server a little apart, and committing each as it comes would pay the fan-out
for each; worse, the senders' next messages then come in the same separate groups, and
the split lasts. So while members who sent recently are missing from the batch:

- the commit may wait for them, but never longer than one more fan-out would cost (so at
  worst it pays twice what the best choice would) and never over ``GATHER_MAX_S``: the
  ACKs wait that long at most;
- if they still have not come, the batch is committed and acknowledged, and only its
  relays to the other members are kept back (at most ``writes.RELAY_DEFER_MS``) to go
  out with theirs: the groups then finish together and their next messages come together.
  That pays only if their relays reach the same members: a room's relays wait only for
  recent senders in that room or in #lobby (whose relays reach everyone); a batch with
  #lobby's messages waits for any. Senders in other rooms write to other members, and
  keeping relays back for them would only delay them.

One member talking alone, or a small room, never waits.
"""

from __future__ import annotations

from collections.abc import Collection

from chat_server.core.rooms import LOBBY_CONVERSATION

GATHER_PER_MEMBER_S = 4e-6
"""About what one member's share of a fan-out costs (a send on loopback): the wait allowed per member."""
GATHER_MAX_S = 0.001
"""The longest a commit, and so an ACK, is held back for messages that may be on their way."""
GATHER_MIN_S = 0.0001
"""Rooms whose fan-out costs less than this are committed at once: waiting would not pay."""
ACTIVE_SENDER_S = 0.05
"""A member who sent a message this recently is expected to send again soon."""


class CommitGathering:
    """Remembers who sent recently and answers how long the current batch may wait for the rest of them."""

    def __init__(self) -> None:
        self._last_sent: dict[int, float] = {}  # member key -> when it last sent
        self._spoke_in: dict[int, str] = {}  # member key -> the conversation of its last message
        self._heard: set[int] = set()  # senders of the batches whose relays are being kept back
        self._held: set[str] = set()  # the conversations of the relays being kept back

    @property
    def active_senders(self) -> int:
        return len(self._last_sent)

    def sent(self, key: int, now: float, conversation: str = LOBBY_CONVERSATION) -> None:
        """``key`` sent a message in ``conversation`` at ``now`` (monotonic seconds, as for ``committed``)."""
        self._last_sent[key] = now
        self._spoke_in[key] = conversation

    def committed(self, now: float) -> None:
        """Forget the members who have not sent for a while."""
        last_sent = self._last_sent
        if last_sent:
            horizon = now - ACTIVE_SENDER_S
            for key in [key for key, at in last_sent.items() if at < horizon]:
                del last_sent[key]
                del self._spoke_in[key]

    def relays_may_wait(self, senders: Collection[int], members: int, kept_back: bool,
                        conversations: Collection[str] = (LOBBY_CONVERSATION,)) -> bool:
        """Whether the relays of a batch just committed from ``senders`` may be kept back a moment
        (writes.RELAY_DEFER_MS): some recent senders have not been heard since relays were last written,
        and their relays can then go out together with these, in one send per member instead of two.
        ``conversations``: those of the batch's messages; only a recent sender whose relays reach the same
        members counts (one in the same conversation or in #lobby; any, if the batch has #lobby's).

        ``kept_back``: relays of earlier batches are still waiting; if not, they went out (on their
        deadline) and the senders heard since then start afresh. Whether relays kept back earlier go out now
        is ``held_may_wait``'s to say, asked after this.
        """
        heard = self._heard
        if not kept_back:
            heard.clear()
            self._held.clear()
        heard.update(senders)
        wait = bool(senders) and members * GATHER_PER_MEMBER_S >= GATHER_MIN_S and self._awaited(conversations)
        if wait:
            self._held.update(conversations)
        return wait

    def held_may_wait(self) -> bool:
        """Whether the relays kept back may wait on (a recent sender they wait for is still not heard); when not,
        they go out now, and the count of senders heard starts afresh. A batch of another room that does not wait
        does not send them out early."""
        wait = bool(self._held) and self._awaited(self._held)
        if not wait:
            self._heard.clear()
            self._held.clear()
        return wait

    def _awaited(self, conversations: Collection[str]) -> bool:
        """Whether a recent sender not heard yet would write to the members of ``conversations``."""
        heard, spoke_in = self._heard, self._spoke_in
        if LOBBY_CONVERSATION in conversations:
            return not heard.issuperset(self._last_sent)
        return any(key not in heard and (spoke_in[key] in conversations or spoke_in[key] == LOBBY_CONVERSATION)
                   for key in self._last_sent)

    def budget_s(self, senders_in_batch: int, members: int) -> float:
        """Seconds a batch from ``senders_in_batch`` members may wait in all, in a room of ``members``."""
        if senders_in_batch == 0 or senders_in_batch >= len(self._last_sent):
            return 0.0
        budget = min(GATHER_MAX_S, members * GATHER_PER_MEMBER_S)
        return budget if budget >= GATHER_MIN_S else 0.0
