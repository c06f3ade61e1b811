"""When a message asks for the member's attention: an unread mark in the sidebar, and a desktop notification.

Plain rules, no Qt. A conversation counts a message unread unless the member is looking at it (selected, with
the window in front). A notification is raised, by default, only for a direct message the member is not looking
at, and for a room's message while that room is selected but the window is not in front; a muted room never
notifies. A message that mentions the member (``@name``) notifies whenever the member is not looking at its
conversation, in a muted room too, and counts as a mention besides counting unread. Server notices keep their own
rule (the window notifies them whenever it is not in front).
"""

from __future__ import annotations

from dataclasses import dataclass

from chat_gui.client import Conversation


@dataclass(frozen=True, slots=True)
class Looking:
    """Where the member's eyes may be: the selected conversation, and whether the window is in front."""

    selected: Conversation
    in_front: bool

    def sees(self, conversation: Conversation) -> bool:
        return self.in_front and conversation == self.selected


def counts_unread(conversation: Conversation, looking: Looking) -> bool:
    """Whether a new message of ``conversation`` is unread (the member is not looking at it)."""
    return not looking.sees(conversation)


def notifies(conversation: Conversation, looking: Looking, muted: bool, mentioned: bool = False) -> bool:
    """Whether a new message of ``conversation`` raises a desktop notification (``mentioned``: it mentions the
    member)."""
    if looking.sees(conversation):
        return False
    if mentioned:
        return True  # even in a muted room, even one not selected
    if muted:
        return False
    if not conversation.is_room:
        return True
    return conversation == looking.selected  # selected, but the window is not in front
