"""Who is in each conversation, as the client window's member list shows it: plain Python, no Qt.

``Rosters`` keeps what the engine reported: the members online (the lobby: everyone online, in order of
arrival), and for each room whose members were asked for, who is in it online and offline, kept live by the
room's ``joined``/``left`` news and by members coming and going. A direct conversation's members are this
member and its partner, online or not as the lobby says.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from chat_gui.client import LOBBY, Conversation


@dataclass(frozen=True, slots=True)
class Member:
    """A row of the member list: a name, and whether that member is online."""

    name: str
    online: bool = True


@dataclass(slots=True)
class Roster:
    """A room's members as the server last listed them, kept up to date since."""

    online: list[str] = field(default_factory=list)
    offline: list[str] = field(default_factory=list)

    def drop(self, name: str) -> None:
        for names in (self.online, self.offline):
            if name in names:
                names.remove(name)


class Rosters:
    """The members online and the members of each room listed so far."""

    def __init__(self) -> None:
        self.online: list[str] = []  # everyone online: the lobby's members
        self._rooms: dict[Conversation, Roster] = {}

    def members(self, conversation: Conversation, me: str) -> list[Member] | None:
        """Who is in ``conversation`` (this member first, online before offline); None: a room not listed yet."""
        if conversation == LOBBY:
            names = [me] if me in self.online else []
            return [Member(name) for name in names + [name for name in self.online if name != me]]
        if not conversation.is_room:
            partner = conversation.name
            return [Member(me), Member(partner, partner in self.online)]
        roster = self._rooms.get(conversation)
        if roster is None:
            return None
        first = [Member(me)] if me in roster.online else []
        return (first + [Member(name) for name in roster.online if name != me]
                + [Member(name, False) for name in roster.offline])

    def names(self, conversation: Conversation, me: str) -> list[str]:
        """The names of ``conversation``'s members (those online for a room not listed yet): what ``@`` completes."""
        members = self.members(conversation, me)
        return [member.name for member in members] if members is not None else list(self.online)

    def counts(self, conversation: Conversation) -> tuple[int, int]:
        """A listed room's members online and offline ((0, 0) for one not listed)."""
        roster = self._rooms.get(conversation)
        return (len(roster.online), len(roster.offline)) if roster is not None else (0, 0)

    # --- members online (the lobby) ---------------------------------------------------------------------

    def welcomed(self, names: tuple[str, ...] | list[str]) -> None:
        """A welcome: who is online now; the rooms are asked for again when shown."""
        self.online = list(names)
        self._rooms.clear()

    def came(self, name: str) -> None:
        """``name`` came online: a member of a room it is in is online again."""
        if name not in self.online:
            self.online.append(name)
        for roster in self._rooms.values():
            if name in roster.offline:
                roster.offline.remove(name)
                roster.online.append(name)

    def went(self, name: str) -> None:
        """``name`` went offline: it stays a member of its rooms (those it keeps for its client id), offline."""
        if name in self.online:
            self.online.remove(name)
        for roster in self._rooms.values():
            if name in roster.online:
                roster.online.remove(name)
                roster.offline.append(name)

    def renamed(self, old: str, new: str) -> None:
        self.online = [new if name == old else name for name in self.online]
        for roster in self._rooms.values():
            roster.online = [new if name == old else name for name in roster.online]
            roster.offline = [new if name == old else name for name in roster.offline]

    def clear(self) -> None:
        """Offline: nobody is known to be anywhere."""
        self.online = []
        self._rooms.clear()

    # --- rooms ------------------------------------------------------------------------------------------

    def listed(self, room: Conversation, online: tuple[str, ...], offline: tuple[str, ...]) -> None:
        self._rooms[room] = Roster(list(online), list(offline))

    def entered(self, room: Conversation, online: tuple[str, ...]) -> None:
        """This member is in ``room`` now, with these members online (the offline ones come when it is listed)."""
        if room not in self._rooms:
            self._rooms[room] = Roster(list(online))

    def joined(self, room: Conversation, name: str) -> None:
        roster = self._rooms.get(room)
        if roster is not None:
            roster.drop(name)
            roster.online.append(name)

    def left(self, room: Conversation, name: str) -> None:
        roster = self._rooms.get(room)
        if roster is not None:
            roster.drop(name)

    def gone(self, room: Conversation) -> None:
        """This member is out of ``room``."""
        self._rooms.pop(room, None)

    def room_renamed(self, old: Conversation, new: Conversation) -> None:
        roster = self._rooms.pop(old, None)
        if roster is not None:
            self._rooms[new] = roster
