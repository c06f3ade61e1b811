"""Member names: unique among members online (ignoring case), ClientNN for those who choose none."""

from __future__ import annotations

import re
from typing import Generic, TypeVar

Member = TypeVar("Member")

_ASSIGNED = re.compile(r"client[0-9]+")


def name_key(name: str) -> str:
    """What two names are compared by: the same name in another case is the same name."""
    return name.casefold()


def is_assigned_name(name: str) -> bool:
    """ClientNN: the kind of name the server hands out; such names are never reserved for anyone."""
    return _ASSIGNED.fullmatch(name_key(name)) is not None


class NameRegistry(Generic[Member]):
    """Which member holds which name; assigns Client01, Client02, ... in order of arrival."""

    def __init__(self) -> None:
        self._by_key: dict[str, Member] = {}
        self._names: dict[int, str] = {}  # id(member) -> its name
        self._counter = 0

    def assign(self, member: Member) -> str:
        """Give ``member`` the next free ClientNN name."""
        while True:
            self._counter += 1
            name = f"Client{self._counter:02d}"
            if name_key(name) not in self._by_key:
                break
        self._hold(member, name)
        return name

    def rename(self, member: Member, name: str) -> bool:
        """Move ``member`` to ``name``; False if another member holds it."""
        holder = self._by_key.get(name_key(name))
        if holder is not None and holder is not member:
            return False
        old = self._names.get(id(member))
        self.release(member)
        # A number handed out at accept and given up at once is handed out again, so a
        # client that chooses its own name does not leave a gap in the ClientNN sequence.
        if old is not None and old == f"Client{self._counter:02d}":
            self._counter -= 1
        self._hold(member, name)
        return True

    def release(self, member: Member) -> None:
        name = self._names.pop(id(member), None)
        if name is not None:
            self._by_key.pop(name_key(name), None)

    def get(self, name: str) -> Member | None:
        return self._by_key.get(name_key(name))

    def _hold(self, member: Member, name: str) -> None:
        self._by_key[name_key(name)] = member
        self._names[id(member)] = name
