"""The optional server password: where it comes from, how an attempt is checked, and how guessing is slowed down.

No Qt here: the engine feeds in the monotonic clock and the client's address, and waits
as long as ``PasswordGuard.schedule`` says before it checks an attempt.
"""

from __future__ import annotations

import hmac
import logging
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

PASSWORD_ENV = "LANCHAT_PASSWORD"
"""The environment variable a password may come from (the command line would show it to other users)."""

DELAY_BASE_S = 1.0
"""After one wrong password from an address, its next check waits this long after the previous one; it doubles
with each further failure."""
DELAY_MAX_S = 30.0
FORGET_AFTER_S = 15 * 60.0
"""An address with no attempt for this long starts afresh."""
MAX_TRACKED = 4096
"""Addresses remembered at most; the oldest quiet ones are forgotten first."""


class PasswordError(Exception):
    """The password cannot be read or used; the text says why."""


def load_password(path: str | None, environ: Mapping[str, str] | None = None) -> str:
    """The password from the first line of the file ``path``, else from $LANCHAT_PASSWORD, else "" (none).

    Spaces around it are ignored, as they are when a client types it.
    """
    environ = os.environ if environ is None else environ
    if path:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise PasswordError(f"cannot read the password file {path}: {reason}") from exc
        lines = text.splitlines()
        password = lines[0].strip() if lines else ""
        if not password:
            raise PasswordError(f"the password file {path} is empty (its first line is the password)")
        if os.name == "posix" and stat.S_IMODE(os.stat(path).st_mode) & 0o077:
            log.warning("the password file %s can be read by other users: chmod 600 it", path)
        return password
    return environ.get(PASSWORD_ENV, "").strip()


def password_matches(attempt: str, password: str) -> bool:
    """Compare in constant time, so the answer's timing says nothing about how much was right."""
    return hmac.compare_digest(attempt.strip().encode("utf-8"), password.encode("utf-8"))


def delay_after(failures: int, base_s: float = DELAY_BASE_S, max_s: float = DELAY_MAX_S) -> float:
    """How long after the previous check the next one waits, with ``failures`` unsuccessful attempts before it."""
    if failures <= 0:
        return 0.0
    return min(max_s, base_s * 2 ** (failures - 1))


class Attempt:
    """One password attempt waiting for its check: when (monotonic seconds) and from which address."""

    __slots__ = ("at", "done", "host")

    def __init__(self, host: str, at: float) -> None:
        self.host = host
        self.at = at
        self.done = False  # checked or cancelled: it holds no place any more


@dataclass(slots=True)
class _Address:
    failures: int = 0  # wrong passwords since the last right one
    last_check: float = float("-inf")  # when the latest check was made
    queued: list[Attempt] = field(default_factory=list)  # scheduled, not yet checked, in order


class PasswordGuard:
    """Spaces out the password checks of each address: a person who mistypes hardly notices, a guesser is slowed.

    The n-th attempt after n unsuccessful ones (wrong, or still waiting to be checked) is checked
    no earlier than ``delay_after(n)`` after the previous one: 1, 2, 4, ... up to ``max_s`` apart.
    Attempts in parallel from one address queue behind each other the same way; an attempt whose
    connection closed before its check is cancelled and gives its place up at once, so the ones
    behind it (and later ones) are not held back by it.
    """

    def __init__(self, base_s: float = DELAY_BASE_S, max_s: float = DELAY_MAX_S) -> None:
        self.base_s = base_s
        self.max_s = max_s
        self._addresses: dict[str, _Address] = {}

    def schedule(self, host: str, now: float) -> Attempt:
        """Reserve a check for an attempt from ``host`` arriving at ``now``; ``Attempt.at`` (>= now) is when."""
        record = self._addresses.get(host)
        if record is None or (not record.queued and now - record.last_check > FORGET_AFTER_S):
            self._make_room()
            record = self._addresses[host] = _Address()
        previous = record.queued[-1].at if record.queued else record.last_check
        delay = delay_after(record.failures + len(record.queued), self.base_s, self.max_s)
        attempt = Attempt(host, max(now, previous + delay))
        record.queued.append(attempt)
        return attempt

    def checked(self, attempt: Attempt, right: bool, now: float) -> int:
        """Record the outcome of a scheduled check; the wrong passwords from its address in a row so far."""
        record = self._addresses.get(attempt.host)
        if record is None or attempt.done:
            return record.failures if record is not None else 0
        self._unqueue(record, attempt)
        record.last_check = max(record.last_check, now)
        record.failures = 0 if right else record.failures + 1
        return record.failures

    def cancel(self, attempt: Attempt) -> None:
        """A scheduled attempt will not be checked (its connection closed first): its place is given up."""
        record = self._addresses.get(attempt.host)
        if record is not None and not attempt.done:
            self._unqueue(record, attempt)

    def failures(self, host: str) -> int:
        record = self._addresses.get(host)
        return record.failures if record is not None else 0

    def queued(self, host: str) -> int:
        """Attempts from ``host`` waiting for their check."""
        record = self._addresses.get(host)
        return len(record.queued) if record is not None else 0

    @staticmethod
    def _unqueue(record: _Address, attempt: Attempt) -> None:
        attempt.done = True
        record.queued.remove(attempt)

    def _make_room(self) -> None:
        if len(self._addresses) < MAX_TRACKED:
            return
        quiet = sorted((record.last_check, host) for host, record in self._addresses.items() if not record.queued)
        for _, host in quiet[: max(1, len(quiet) // 2)]:
            del self._addresses[host]
