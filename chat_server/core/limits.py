"""Per-connection limits as plain Python: the message-rate bucket and the watchdog's verdicts.

No Qt here: the connection and the engine feed in the monotonic clock and act on the answers,
so the rules can be tested without sockets or waiting.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import Enum

log = logging.getLogger(__name__)


def raise_open_file_limit() -> int:
    """Let this process open as many sockets as the system allows it (the soft limit is often 1,024).

    Returns the limit now in force (0 where there is no such limit, as on Windows).
    """
    try:
        import resource
    except ImportError:
        return 0
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and soft < hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            soft = hard
        except (ValueError, OSError) as exc:
            log.warning("could not raise the open-file limit from %d to %d: %s", soft, hard, exc)
    return soft


class TokenBucket:
    """A rate limit with bursts: ``rate`` tokens a second, at most ``burst`` saved up; one token per message."""

    def __init__(self, rate: float, burst: int, now: float) -> None:
        self.rate = rate
        self.burst = max(1, burst)
        self._tokens = float(self.burst)
        self._at = now

    def _refill(self, now: float) -> None:
        if now > self._at:
            self._tokens = min(float(self.burst), self._tokens + (now - self._at) * self.rate)
            self._at = now

    def take(self, wanted: int, now: float) -> int:
        """Use up to ``wanted`` tokens and return how many were available."""
        self._refill(now)
        granted = min(wanted, int(self._tokens))
        self._tokens -= granted
        return granted

    def charge(self, tokens: float, now: float) -> None:
        """Use up to ``tokens`` more for work done on the connection's behalf, down to an empty bucket."""
        self._refill(now)
        self._tokens = max(0.0, self._tokens - tokens)

    def wait_s(self, now: float) -> float:
        """Seconds until the next token."""
        self._refill(now)
        return 0.0 if self._tokens >= 1 else (1 - self._tokens) / self.rate


class Verdict(Enum):
    """What the watchdog says about one connection."""

    FINE = "fine"
    PING = "ping"  # silent for a while: ask whether it is still there
    IDLE = "idle"  # silent past the idle timeout: close it
    STALLED = "stalled"  # a line started and not finished in time (slowloris): close it
    NO_PASSWORD = "no password"  # a server with a password asked for it and none came in time: close it


@dataclass(frozen=True, slots=True)
class Watch:
    """The watchdog's rules, in seconds; 0 switches a rule off."""

    line_timeout: float
    ping_interval: float
    idle_timeout: float  # JSON clients, which answer pings
    text_idle_timeout: float  # text clients, which send no pings
    auth_timeout: float = 0.0  # the time to give the server's password (0: the server has none)

    @property
    def tick(self) -> float:
        """How often to look: a quarter of the shortest rule, between 50 ms and 1 s."""
        rules = [t for t in (self.line_timeout, self.ping_interval, self.idle_timeout, self.text_idle_timeout,
                             self.auth_timeout) if t]
        return min(1.0, max(0.05, min(rules) / 4)) if rules else 0.0

    def verdict(self, now: float, heard: float, partial_since: float | None, pinged: float,
                speaks_json: bool, awaiting_since: float | None = None) -> Verdict:
        """``heard``: when its last bytes arrived; ``partial_since``: when its unfinished line began;
        ``pinged``: when it was last sent a ping; ``awaiting_since``: since when the password is awaited."""
        if self.line_timeout and partial_since is not None and now - partial_since >= self.line_timeout:
            return Verdict.STALLED
        if self.auth_timeout and awaiting_since is not None and now - awaiting_since >= self.auth_timeout:
            return Verdict.NO_PASSWORD
        silent = now - heard
        idle_timeout = self.idle_timeout if speaks_json else self.text_idle_timeout
        if idle_timeout and silent >= idle_timeout:
            return Verdict.IDLE
        if speaks_json and self.ping_interval and silent >= self.ping_interval \
                and now - pinged >= self.ping_interval:
            return Verdict.PING
        return Verdict.FINE
