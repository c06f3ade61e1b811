"""Admission: who may come in and under which name. No Qt, no sockets, no store.

- At the door: the limit of members in total, and (on a server with a password) of connections
  waiting at the password prompt, in total and per address.
- The password gate: each attempt's check is scheduled by the PasswordGuard (chat_server/core/auth.py),
  which spaces out the checks of an address after wrong passwords; a check whose turn would come
  after the auth timeout is refused at once; a check waiting its turn is given up when its
  connection goes.
- Names: ClientNN for each member admitted, a chosen name claimed against the members online (the
  same window of a client connected again replaces its old connection; another window of it, the same
  client id with another instance, shares the name) and against the reservations of names used recently
  with another client id; a client that comes back without a name gets the ClientNN it had last, if that
  is free (or held by another of its windows).

The engine (chat_server/core/engine.py) carries these decisions out when a member's session
(chat_server/core/session.py) asks for them. Members are whatever the engine admits (its connections),
keyed by the session id it gives them.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from chat_server import protocol as p
from chat_server.core.auth import Attempt, PasswordGuard, password_matches
from chat_server.core.names import NameRegistry, is_assigned_name
from chat_server.settings import ServerSettings

Member = TypeVar("Member")

WINDOWS_PER_MEMBER = 8
"""Connections one member may hold at once (its windows): the member limit counts members, so this bounds what one
member's client can make the server carry."""
ASSIGNED_NAMES_REMEMBERED = 1024
"""Client ids whose last assigned name (ClientNN) is remembered, to give it back when they return unnamed."""


@dataclass(frozen=True, slots=True)
class NameClaim(Generic[Member]):
    """A name ``claim`` allowed: who holds it now, and what becomes of them."""

    replaced: tuple[Member, ...] = ()
    """The same window connected again (same client id, same instance or none said): its old connection, probably
    dead without knowing it yet, is ended before ``take``."""
    shared_with: Member | None = None
    """Another window of the same member (same client id, another instance) holds it: the name is shared."""


class Cancellable(Protocol):
    """A timer that carries out a waiting check at its turn (the reactor's TimerHandle)."""

    def cancel(self) -> None: ...


class Admission(Generic[Member]):
    """The door, the password gate and the names of one server."""

    def __init__(self, settings: Callable[[], ServerSettings], client_id_of: Callable[[Member], str | None],
                 instance_of: Callable[[Member], str | None] = lambda member: None) -> None:
        """``settings``: the server's settings as they are now (the password may change at run time);
        ``client_id_of``: a member's client id (from its hello), which may take its own name back;
        ``instance_of``: which window of its client a member is (from its hello), None if it did not say."""
        self._settings = settings
        self._client_id_of = client_id_of
        self._instance_of = instance_of
        self.guard = PasswordGuard(settings().password_delay_ms / 1000)
        self.names: NameRegistry[Member] = NameRegistry()
        self._logins: dict[int, str] = {}  # session id -> address, for each connection at the password prompt
        self._checks: dict[int, tuple[Attempt, Cancellable]] = {}  # checks waiting their turn
        self._assigned_before: OrderedDict[str, str] = OrderedDict()  # client id -> its last ClientNN welcomed

    # --- the door ------------------------------------------------------------------------------------

    def refusal(self, host: str, online: int) -> tuple[p.EndReason, str] | None:
        """Why a new connection from ``host`` is turned away now, with ``online`` members (its end and its line),
        or None if it may come in."""
        full = self.full_line(online)
        if full is not None:
            return p.EndReason.REFUSED_FULL, full
        busy = self.logins_busy_line(host) if self._settings().password else None
        if busy is not None:
            return p.EndReason.REFUSED_BUSY, busy
        return None

    def full_line(self, online: int) -> str | None:
        """The refusal of a server with no room for one more beside ``online`` members, or None; asked again after
        a password, since the server may have filled up while that connection logged in."""
        max_clients = self._settings().max_clients  # 0: no limit
        if max_clients and online >= max_clients:
            return p.full_line(online, max_clients)
        return None

    def logins_busy_line(self, host: str) -> str | None:
        """Why a new connection from ``host`` may not wait at the password prompt now, or None if it may."""
        settings = self._settings()
        if settings.max_logins and len(self._logins) >= settings.max_logins:
            return p.logins_busy_line(len(self._logins), from_address=False)
        if settings.max_logins_per_address:
            waiting = sum(1 for address in self._logins.values() if address == host)
            if waiting >= settings.max_logins_per_address:
                return p.logins_busy_line(waiting, from_address=True)
        return None

    # --- the password gate ---------------------------------------------------------------------------

    @property
    def login_count(self) -> int:
        """Connections at the password prompt, or waiting for their password's check."""
        return len(self._logins)

    def start_login(self, key: int, host: str) -> None:
        """Connection ``key`` from ``host`` is asked for the password: it counts against the logins' limits."""
        self._logins[key] = host

    def schedule(self, host: str, now: float, prompted_at: float) -> Attempt | int:
        """Reserve the check of an attempt from ``host`` arriving at ``now`` (monotonic), whose connection was asked
        for the password at ``prompted_at``. Its turn (``Attempt.at``), or the seconds to wait before trying again
        if its turn would come after the time a connection may stay at the prompt: then it is not checked (and
        not counted), so that waiting connections cannot pile up behind the guard's delays."""
        check = self.guard.schedule(host, now)
        timeout_s = self._settings().auth_timeout_ms / 1000
        if timeout_s and check.at > prompted_at + timeout_s:
            self.guard.cancel(check)
            return math.ceil(check.at - now)
        return check

    def wait_for_turn(self, key: int, check: Attempt, timer: Cancellable) -> None:
        """Connection ``key``'s check waits for its turn, when ``timer`` carries it out."""
        self._checks[key] = (check, timer)

    def check(self, key: int, check: Attempt, password: str, now: float) -> tuple[bool, int]:
        """Check an attempt at its turn: whether it is right, and the wrong passwords from its address in a row."""
        self._checks.pop(key, None)
        right = password_matches(password, self._settings().password)
        return right, self.guard.checked(check, right, now)

    def give_up(self, key: int, check: Attempt) -> None:
        """The connection went away before its check: its place in the queue is given up."""
        self._checks.pop(key, None)
        self.guard.cancel(check)

    def logged_in(self, key: int) -> None:
        """Connection ``key`` gave the password and is admitted: it no longer counts as a login."""
        self._logins.pop(key, None)

    # --- names ---------------------------------------------------------------------------------------

    def assign(self, member: Member) -> str:
        """A member admitted gets the next free ClientNN name."""
        return self.names.assign(member)

    def claim(self, member: Member, name: str,
              recent_holder: Callable[[str], str | None]) -> p.Error | NameClaim[Member]:
        """Whether ``member`` may take ``name``: an error if not, else who holds it now (``NameClaim``): nobody, the
        same window of the same client connected again (replaced), or other windows of it (shared).
        ``recent_holder(name)`` is the client id that used it within the reservation time (``name_reservation_s``),
        asked only if the name can be reserved."""
        # Anyone whose name looks like this one, by either key: another member's makes it taken.
        holders = [holder for holder in self.names.look_alikes(name) if holder is not member]
        client_id = self._client_id_of(member)
        if holders:
            if client_id is None or any(self._client_id_of(holder) != client_id for holder in holders):
                return p.Error(p.ERR_NAME_TAKEN, f"The name {name} is taken; choose another.")
            instance = self._instance_of(member)
            replaced = tuple(holder for holder in holders
                             if instance is None or self._instance_of(holder) in (None, instance))
            others = [holder for holder in holders if holder not in replaced]
            if len(others) >= WINDOWS_PER_MEMBER:
                return p.Error(p.ERR_NAME_TAKEN, f"You have {len(others)} windows open as {name} already; close "
                                                 "one first.")
            return NameClaim(replaced, others[0] if others else None)
        if self._reserved_for_another(name, client_id, recent_holder):
            hours = self._settings().name_reservation_s / 3600
            return p.Error(p.ERR_NAME_RESERVED, f"The name {name} is kept for the member who used it in the last "
                                                f"{hours:g} h; choose another.")
        return NameClaim()

    def _reserved_for_another(self, name: str, client_id: str | None,
                              recent_holder: Callable[[str], str | None]) -> bool:
        if self._settings().name_reservation_s <= 0 or is_assigned_name(name):
            return False
        holder = recent_holder(name)
        return holder is not None and holder != client_id

    def earlier_name(self, member: Member, shared: bool = True) -> str | None:
        """The assigned name (ClientNN) ``member``'s client id was last welcomed under, if it is free now (or held
        by its client's other windows, unless not ``shared``: a member announced already cannot become another
        window); else None. A member who chose no name and comes back (Exit, then Reconnect) is the same member to
        the others."""
        client_id = self._client_id_of(member)
        name = self._assigned_before.get(client_id) if client_id is not None else None
        holders = self.names.holders(name) if name is not None else []
        if name is None or any(self._client_id_of(holder) != client_id for holder in holders) or \
                (holders and not shared):
            return None
        return name

    def welcomed(self, member: Member) -> None:
        """``member`` is welcomed under the name it holds: if it is a ClientNN, its client id may have it back later
        (a connection refused before its welcome never held its name for anyone)."""
        client_id = self._client_id_of(member)
        name = self.names.name_of(member)
        if client_id is None or name is None or not is_assigned_name(name):
            return
        self._assigned_before[client_id] = name
        self._assigned_before.move_to_end(client_id)
        if len(self._assigned_before) > ASSIGNED_NAMES_REMEMBERED:
            self._assigned_before.popitem(last=False)

    def take(self, member: Member, name: str, shared: bool = False) -> None:
        """``member`` holds ``name`` from now on (after ``claim`` allowed it, and its replaced holders are gone);
        ``shared``: beside the other windows of its member holding it."""
        if shared:
            self.names.share(member, name)
        else:
            self.names.rename(member, name)

    # --- leaving -------------------------------------------------------------------------------------

    def forget(self, key: int, member: Member) -> None:
        """Connection ``key`` ended: its name is free, it is no login any more, and a check waiting its turn gives
        its place in the queue up now, not at its turn."""
        self.names.release(member)
        self._logins.pop(key, None)
        waiting = self._checks.pop(key, None)
        if waiting is not None:
            check, timer = waiting
            self.guard.cancel(check)
            timer.cancel()
