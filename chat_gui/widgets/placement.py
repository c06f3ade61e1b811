"""Where windows open: inside the screen's available area, side by side when several open at once."""

from __future__ import annotations

import math

from PySide6.QtCore import QByteArray, QDataStream, QMargins, QRect, QSize
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

TILE_GAP_PX = 8
"""Space between tiled windows, so that each one's edge can be told from its neighbour's."""

TILE_SHAPE = QSize(900, 600)
"""The shape a tile should come closest to: about a client window's size (the server window's is alike)."""

GEOMETRY_MAGIC = 0x1D9D0CB
"""How a state from ``QWidget.saveGeometry`` begins: then a major and minor version and the frame's rectangle."""


def fit_within(rect: QRect, area: QRect) -> QRect:
    """``rect`` made no larger than ``area`` and moved (the least it can be) so that all of it is inside."""
    width, height = min(rect.width(), area.width()), min(rect.height(), area.height())
    left = max(area.left(), min(rect.left(), area.left() + area.width() - width))
    top = max(area.top(), min(rect.top(), area.top() + area.height() - height))
    return QRect(left, top, width, height)


def share(total: int, least: list[int]) -> list[int]:
    """``total`` split into ``len(least)`` parts as equal as can be, each part at least its ``least`` if the total
    allows that (if not, equal parts: nothing can keep every least size)."""
    count = len(least)
    if not count:
        return []
    if sum(least) > total:
        return [total // count] * count
    fixed: set[int] = set()
    while True:
        free = [i for i in range(count) if i not in fixed]
        each = (total - sum(least[i] for i in fixed)) // len(free) if free else 0
        short = [i for i in free if least[i] > each]
        if not short:
            return [least[i] if i in fixed else each for i in range(count)]
        fixed.update(short)


def _lines_least(count: int, columns: int, least: list[QSize]) -> tuple[list[int], list[int]]:
    """The least width of each column and the least height of each row of a grid filled row by row."""
    rows = math.ceil(count / columns)
    widths, heights = [0] * columns, [0] * rows
    for index, size in enumerate(least[:count]):
        widths[index % columns] = max(widths[index % columns], size.width())
        heights[index // columns] = max(heights[index // columns], size.height())
    return widths, heights


def grid_shape(count: int, area: QRect, least: list[QSize] | None = None,
               shape: QSize = TILE_SHAPE) -> tuple[int, int]:
    """Columns and rows for ``count`` tiles in ``area``: a grid where each window's ``least`` size fits, if there
    is one; of those, the one whose tiles show the largest copy of ``shape`` (on a tie, the one with fewer rows:
    side by side before one above another)."""
    least = least if least is not None else [QSize(0, 0)] * count
    best, best_score = (1, max(1, count)), (False, -1.0, 0)
    for columns in range(1, max(1, count) + 1):
        rows = math.ceil(count / columns) if count else 1
        room_w, room_h = area.width() - TILE_GAP_PX * (columns - 1), area.height() - TILE_GAP_PX * (rows - 1)
        widths, heights = _lines_least(count, columns, least)
        fits = sum(widths) <= room_w and sum(heights) <= room_h
        scale = round(min(room_w / columns / shape.width(), room_h / rows / shape.height()), 6)
        score = (fits, scale, -rows)
        if score > best_score:
            best, best_score = (columns, rows), score
    return best


def tiles(count: int, area: QRect, least: list[QSize] | None = None, shape: QSize = TILE_SHAPE) -> list[QRect]:
    """``count`` rectangles that fill ``area`` in a grid, row by row from the top left, without overlapping: as
    equal as can be, with each column and row as large as the ``least`` sizes of its windows ask, where they fit."""
    if count <= 0:
        return []
    least = least if least is not None else [QSize(0, 0)] * count
    columns, rows = grid_shape(count, area, least, shape)
    least_widths, least_heights = _lines_least(count, columns, least)
    widths = share(area.width() - TILE_GAP_PX * (columns - 1), least_widths)
    heights = share(area.height() - TILE_GAP_PX * (rows - 1), least_heights)
    lefts = [area.left() + sum(widths[:i]) + TILE_GAP_PX * i for i in range(columns)]
    tops = [area.top() + sum(heights[:i]) + TILE_GAP_PX * i for i in range(rows)]
    return [QRect(lefts[index % columns], tops[index // columns], widths[index % columns], heights[index // columns])
            for index in range(count)]


def available_area(window: QWidget | None = None) -> QRect:
    """The part of the screen windows may use (without panels and docks): ``window``'s screen, or the primary."""
    screen: QScreen | None = window.screen() if window is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def frame_margins(window: QWidget) -> QMargins:
    """What the window system adds around ``window`` (title bar, borders): known once it is shown, else none."""
    frame, inner = window.frameGeometry(), window.geometry()
    return QMargins(inner.left() - frame.left(), inner.top() - frame.top(),
                    frame.right() - inner.right(), frame.bottom() - inner.bottom())


def least_size(window: QWidget) -> QSize:
    """The smallest ``window`` can be, without its frame."""
    return window.minimumSizeHint().expandedTo(window.minimumSize())


def least_frame_size(window: QWidget) -> QSize:
    """The smallest ``window`` can be, with its frame."""
    margins = frame_margins(window)
    return least_size(window) + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())


def set_frame_geometry(window: QWidget, frame: QRect) -> None:
    """Give ``window`` the geometry whose frame (decorations included) is ``frame``, no smaller than it can be."""
    inner = frame.marginsRemoved(frame_margins(window))
    inner.setSize(inner.size().expandedTo(least_size(window)))
    window.setGeometry(inner)


def place_within(window: QWidget, area: QRect | None = None) -> None:
    """Keep ``window`` where it is if all of it is inside ``area`` (default: its screen's available area);
    otherwise make it fit and move it in."""
    area = available_area(window) if area is None else area
    frame = window.frameGeometry()
    if not area.contains(frame):
        set_frame_geometry(window, fit_within(frame, area))


def tile_windows(windows: list[QWidget], area: QRect | None = None) -> None:
    """Share ``area`` (default: the first window's screen's) among ``windows`` in a grid, in their order (a lone
    window only fits in). A window that cannot be as small as its tile gets its least size, still inside."""
    if not windows:
        return
    area = available_area(windows[0]) if area is None else area
    if len(windows) == 1:  # not stretched to the whole area
        place_within(windows[0], area)
        return
    least = [least_frame_size(window) for window in windows]
    for window, tile in zip(windows, tiles(len(windows), area, least), strict=True):
        set_frame_geometry(window, tile)
        place_within(window, area)


def saved_frame(state: QByteArray) -> QRect | None:
    """The frame rectangle a ``saveGeometry`` state holds, as it was saved (None if it is not such a state)."""
    stream = QDataStream(state)
    if stream.readUInt32() != GEOMETRY_MAGIC:
        return None
    stream.readUInt16()  # the major and minor version: the frame comes next in each
    stream.readUInt16()
    frame = QRect()
    stream >> frame
    return frame if stream.status() is QDataStream.Status.Ok and frame.isValid() else None


def fits_a_screen(frame: QRect) -> bool:
    """Whether all of ``frame`` is inside the available area of the screen under its centre."""
    screen = QGuiApplication.screenAt(frame.center())
    return screen is not None and screen.availableGeometry().contains(frame)


def restore_if_it_fits(window: QWidget, state: QByteArray) -> bool:
    """Restore a geometry saved by ``saveGeometry`` only if, as saved, all of it is on the screen it is restored
    to (a screen may have shrunk or gone since; Qt would move it only partly back): whether it was restored."""
    frame = saved_frame(state)
    if frame is None or not fits_a_screen(frame):
        return False
    return window.restoreGeometry(state)


def show_within_screen(window: QWidget) -> None:
    """Show ``window`` and make sure all of it is on its screen (its frame is known once it is shown)."""
    window.show()
    place_within(window)
