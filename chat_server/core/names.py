"""Member names: unique among members online (ignoring case and look-alikes), ClientNN for those who choose none."""

from __future__ import annotations

import functools
import re
from typing import Generic, TypeVar

from chat_server.core.skeleton import skeleton
from chat_server.protocol import name_key

Member = TypeVar("Member")

_ASSIGNED = re.compile(r"client[0-9]+")

NAME_KEYS_CACHED = 4096
"""Names whose look-alike keys are remembered: every write of a member's session row needs them, and a
skeleton costs a pass over the name with the Unicode database."""


@functools.lru_cache(maxsize=NAME_KEYS_CACHED)
def name_keys(name: str) -> tuple[str, str]:
    """What names are compared by: two names are the same if either key is.

    The look-alike skeleton of the name as written (``aIice`` with a capital I is ``alice``), and
    that of the name in one case (``ALICE`` is ``alice``). Both, because a capital I looks like an
    l while its small form is an i: one key for both would make every l an i.
    """
    return skeleton(name), skeleton(name.casefold())


# Text members see each member's messages as "<name>: <text>": a member named like the server's own
# lines ("Error: ...", "Status: ...") could forge them.
SERVER_WORDS = ("Error", "Status", "Server", "Goodbye", "Welcome")
_SERVER_WORD_KEYS = {key for word in SERVER_WORDS for key in name_keys(word)}


def name_word_problem(name: str) -> str | None:
    """Why ``name`` cannot be a member name because it looks like a word of the server's own lines, or None."""
    if any(key in _SERVER_WORD_KEYS for key in name_keys(name)):
        return f"{name} looks like a word the server uses for its own lines"
    return None


def is_assigned_name(name: str) -> bool:
    """ClientNN: the kind of name the server hands out; such names are never reserved for anyone."""
    return _ASSIGNED.fullmatch(name_key(name)) is not None


class NameRegistry(Generic[Member]):
    """Which members hold which name; assigns Client01, Client02, ... in order of arrival.

    A name is usually held by one member (one connection). Several windows of one member (same client id, another
    instance) share it: the first holder is the one ``get`` answers, the others follow it and keep the name when it
    goes (``share``).
    """

    def __init__(self) -> None:
        name_keys("")  # loads the look-alike data now, not in the middle of the first member's hello
        self._by_key: dict[str, list[Member]] = {}  # either of a name's keys -> the members holding it, first first
        self._names: dict[int, str] = {}  # id(member) -> its name
        self._counter = 0

    def assign(self, member: Member) -> str:
        """Give ``member`` the next free ClientNN name."""
        while True:
            self._counter += 1
            name = f"Client{self._counter:02d}"
            if self.get(name) is None:
                break
        self._hold(member, name)
        return name

    def rename(self, member: Member, name: str) -> bool:
        """Move ``member`` to ``name``; False if another member holds it (or one that looks the same)."""
        holder = self.get(name)
        if holder is not None and holder is not member:
            return False
        self._move(member, name)
        return True

    def share(self, member: Member, name: str) -> None:
        """``member`` holds ``name`` beside those holding it already (another window of the same member)."""
        self._move(member, name)

    def _move(self, member: Member, name: str) -> None:
        old = self._names.get(id(member))
        self.release(member)
        # A number handed out at accept and given up at once is handed out again, so a
        # client that chooses its own name does not leave a gap in the ClientNN sequence.
        if old is not None and old == f"Client{self._counter:02d}":
            self._counter -= 1
        self._hold(member, name)

    def release(self, member: Member) -> None:
        name = self._names.pop(id(member), None)
        if name is not None:
            for key in name_keys(name):
                holders = self._by_key.get(key)
                if holders is not None and member in holders:
                    holders.remove(member)
                    if not holders:
                        del self._by_key[key]

    def name_of(self, member: Member) -> str | None:
        """The name ``member`` holds, or None."""
        return self._names.get(id(member))

    def get(self, name: str) -> Member | None:
        """The (first) member holding ``name`` or a name that looks the same."""
        for key in name_keys(name):
            holders = self._by_key.get(key)
            if holders:
                return holders[0]
        return None

    def holders(self, name: str) -> list[Member]:
        """Every member holding ``name`` (or a name that looks the same): the windows of one member, first first."""
        for key in name_keys(name):
            holders = self._by_key.get(key)
            if holders:
                return list(holders)
        return []

    def look_alikes(self, name: str) -> list[Member]:
        """Every member holding a name that looks like ``name`` by either key, first first: ``aIice`` looks like
        ``alice`` as written and like ``aiice`` in one case, so it may stand beside two members' names."""
        found = [member for key in name_keys(name) for member in self._by_key.get(key, ())]
        return list({id(member): member for member in found}.values())

    def _hold(self, member: Member, name: str) -> None:
        for key in dict.fromkeys(name_keys(name)):
            self._by_key.setdefault(key, []).append(member)
        self._names[id(member)] = name
