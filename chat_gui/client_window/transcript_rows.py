"""Which transcript rows are in sight, laid out lazily: only the rows on screen are ever measured (no Qt here).

A transcript of 100,000 messages cannot be laid out whole (a list view that scrolls by pixels with rows of
different heights measures every row on each change: seconds). Here the scroll position is an anchor: the row at
the top of the viewport and how many pixels of it are scrolled past. Scrolling walks from it, a row at a time,
measuring only the rows it passes; the bottom is found by walking back from the last row over one screen. Rows put
in above the anchor move it down with them, so the rows in sight stay where they are (a page of earlier history
loaded at the top does not make the view jump).

The scroll bar speaks rows: its value is ``top * ROW_UNITS`` plus the part of the top row scrolled past, so that
its range follows the row count and never needs the height of rows nobody has seen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

ROW_UNITS = 100
"""Scroll bar units per row."""


class LazyRows:
    """The rows of a transcript as the view scrolls over them; ``height(row)`` measures one (the view caches it)."""

    def __init__(self, height: Callable[[int], int]) -> None:
        self._height = height
        self.count = 0
        self.viewport = 0  # the viewport's height in pixels
        self.top = 0  # the row at the viewport's top ...
        self.offset = 0  # ... and the pixels of it scrolled past (0 <= offset < its height)
        self._bottom: tuple[int, int] | None = None  # the anchor that shows the last row at the bottom (cached)
        # The scroll bar's value last set, and the anchor it made: reported back as it was, not rounded anew.
        self._value: tuple[int, tuple[int, int]] | None = None

    def height(self, row: int) -> int:
        return max(1, self._height(row))

    # --- what changes the layout ------------------------------------------------------------------

    def reset(self, count: int) -> None:
        """Another transcript (or its rows changed wholesale): at its top until told where to go."""
        self.count, self.top, self.offset = count, 0, 0
        self._bottom = None

    def resized(self, viewport: int) -> None:
        """The viewport's height changed (or the rows' width, and with it their heights)."""
        self.viewport = max(0, viewport)
        self._bottom = None
        self.offset = min(self.offset, self.height(self.top) - 1) if self.count else 0
        self._clamp()

    def inserted(self, start: int, count: int) -> None:
        """``count`` rows went in at ``start``: those above the anchor move it down with them."""
        if self.count and start <= self.top:
            self.top += count
        self.count += count
        self._bottom = None
        self._clamp()

    def removed(self, start: int, count: int) -> None:
        """``count`` rows at ``start`` are gone."""
        if start + count <= self.top:
            self.top -= count
        elif start <= self.top:
            self.top, self.offset = start, 0
        self.count -= count
        self._bottom = None
        self._clamp()

    def forget_heights(self) -> None:
        """Heights changed (a width or a font): the bottom is found again."""
        self._bottom = None
        self._clamp()

    # --- moving ------------------------------------------------------------------------------------

    def anchor(self) -> tuple[int, int]:
        return self.top, self.offset

    def place(self, top: int, offset: int = 0) -> None:
        """Put ``top`` at the viewport's top, ``offset`` pixels of it scrolled past (kept within the bottom)."""
        self.top = min(max(0, top), max(0, self.count - 1))
        self.offset = min(max(0, offset), self.height(self.top) - 1) if self.count else 0
        self._clamp()

    def scroll_by(self, pixels: int) -> None:
        """Scroll down (positive) or up (negative) by ``pixels``, no further than the top or the bottom."""
        if not self.count:
            return
        offset, top = self.offset + pixels, self.top
        bottom = self.bottom()
        while offset > 0 and (top, offset) < bottom and offset >= self.height(top):
            offset -= self.height(top)
            top += 1
        while offset < 0 and top > 0:
            top -= 1
            offset += self.height(top)
        self.top, self.offset = top, max(0, offset)
        self._clamp()

    def to_bottom(self) -> None:
        self.top, self.offset = self.bottom()

    def bottom(self) -> tuple[int, int]:
        """The anchor that shows the last row's bottom at the viewport's bottom ((0, 0) if every row fits)."""
        if self._bottom is None:
            filled, row = 0, self.count
            while row > 0 and filled < self.viewport:
                row -= 1
                filled += self.height(row)
            self._bottom = (row, filled - self.viewport) if filled >= self.viewport else (0, 0)
        return self._bottom

    def at_bottom(self) -> bool:
        return (self.top, self.offset) >= self.bottom()

    def at_top(self) -> bool:
        return self.top == 0 and self.offset == 0

    def _clamp(self) -> None:
        if not self.count:
            self.top = self.offset = 0
        elif (self.top, self.offset) > self.bottom():
            self.top, self.offset = self.bottom()

    # --- what is in sight --------------------------------------------------------------------------

    def visible(self) -> Iterator[tuple[int, int, int]]:
        """(row, y, height) of each row in sight, top down; y is in viewport pixels (the first may be negative)."""
        y, row = -self.offset, self.top
        while row < self.count and y < self.viewport:
            height = self.height(row)
            yield row, y, height
            y += height
            row += 1

    def y_of(self, row: int, reach: int) -> int | None:
        """The viewport y of ``row``'s top if it is within ``reach`` rows of the anchor, else None."""
        if not 0 <= row < self.count or abs(row - self.top) > reach:
            return None
        y = -self.offset
        if row >= self.top:
            for passed in range(self.top, row):
                y += self.height(passed)
        else:
            for passed in range(row, self.top):
                y -= self.height(passed)
        return y

    # --- the scroll bar -----------------------------------------------------------------------------

    def value(self) -> int:
        if not self.count:
            return 0
        if self._value is not None and self._value[1] == (self.top, self.offset):
            return self._value[0]
        return self.top * ROW_UNITS + self.offset * ROW_UNITS // self.height(self.top)

    def maximum(self) -> int:
        top, offset = self.bottom()
        if not self.count:
            return 0
        return top * ROW_UNITS + offset * ROW_UNITS // self.height(top)

    def set_value(self, value: int) -> None:
        """Where the scroll bar was dragged to."""
        if value >= self.maximum():
            self.to_bottom()
            return
        top = max(0, value) // ROW_UNITS
        self.place(top, (max(0, value) % ROW_UNITS) * self.height(min(top, max(0, self.count - 1))) // ROW_UNITS)
        self.keep_value(value)

    def keep_value(self, value: int) -> None:
        """``value`` is the scroll bar's for the anchor as it is now (a position restored as it was left)."""
        self._value = (value, (self.top, self.offset))
