"""A messages-per-second meter over a short sliding window (plain Python, no Qt)."""

from __future__ import annotations

import time
from collections import deque

RATE_WINDOW_S = 5
"""The rate is the average over this many whole seconds, so a burst shows without flicker."""


class MessageRate:
    """Counts events in one-second buckets and reports the average rate over the last few seconds."""

    def __init__(self, window_s: int = RATE_WINDOW_S) -> None:
        self.window_s = max(1, window_s)
        self._buckets: deque[list[int]] = deque()  # [second, count], oldest first
        self.total = 0

    def count(self, n: int = 1, now: float | None = None) -> None:
        second = int(time.monotonic() if now is None else now)
        if self._buckets and self._buckets[-1][0] == second:
            self._buckets[-1][1] += n
        else:
            self._buckets.append([second, n])
        self.total += n
        self._expire(second)

    def rate(self, now: float | None = None) -> float:
        """Events per second over the last ``window_s`` seconds up to ``now``."""
        second = int(time.monotonic() if now is None else now)
        self._expire(second)
        return sum(count for _, count in self._buckets) / self.window_s

    def _expire(self, second: int) -> None:
        while self._buckets and self._buckets[0][0] <= second - self.window_s:
            self._buckets.popleft()
