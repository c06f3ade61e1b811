"""Where windows open: inside the screen's available area, tiled when several open, remembered only if they fit."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QSettings, QSize
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from chat_gui.client_window.window import ClientWindow
from chat_gui.server_window.settings_panel import SettingsKey
from chat_gui.server_window.window import ServerWindow
from chat_gui.widgets.placement import (
    TILE_GAP_PX,
    available_area,
    fit_within,
    grid_shape,
    place_within,
    restore_if_it_fits,
    share,
    show_within_screen,
    tile_windows,
    tiles,
)
from chat_server.core.engine import ChatServer

pytestmark = pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise)", "propagateSizeHints")

WIDE = QRect(0, 0, 1600, 1000)  # the screen the issue was seen on (Xvfb, no panel)
SMALL = QRect(0, 0, 1024, 768)
WITH_PANEL = QRect(0, 32, 1600, 968)  # a top panel takes 32 px


def _no_two_overlap(rects: list[QRect]) -> bool:
    return not any(a.intersects(b) for a, b in combinations(rects, 2))


@pytest.mark.parametrize(("rect", "area", "fitted"), [
    (QRect(980, 0, 760, 560), WIDE, QRect(840, 0, 760, 560)),  # the first client window of the issue
    (QRect(-50, -20, 300, 200), WIDE, QRect(0, 0, 300, 200)),
    (QRect(100, 100, 300, 200), WIDE, QRect(100, 100, 300, 200)),  # inside already: not moved
    (QRect(0, 0, 960, 720), QRect(0, 0, 800, 600), QRect(0, 0, 800, 600)),  # too large: made as large as the area
    (QRect(500, 10, 400, 300), WITH_PANEL, QRect(500, 32, 400, 300)),  # not under the panel
])
def test_a_rectangle_is_moved_and_shrunk_into_the_area(rect: QRect, area: QRect, fitted: QRect) -> None:
    assert fit_within(rect, area) == fitted
    assert area.contains(fitted)


@pytest.mark.parametrize(("count", "area", "shape"), [
    (1, WIDE, (1, 1)), (2, WIDE, (2, 1)), (3, WIDE, (2, 2)), (4, WIDE, (2, 2)), (5, WIDE, (3, 2)),
    (7, WIDE, (3, 3)), (2, QRect(0, 0, 800, 800), (1, 2)), (4, SMALL, (2, 2)),
])
def test_the_grid_is_side_by_side_first_and_keeps_tiles_near_a_window_shape(
        count: int, area: QRect, shape: tuple[int, int]) -> None:
    assert grid_shape(count, area) == shape


@pytest.mark.parametrize("area", [WIDE, SMALL, WITH_PANEL])
@pytest.mark.parametrize("count", [1, 2, 3, 4, 5, 9])
def test_tiles_fill_the_area_without_overlapping_or_leaving_it(count: int, area: QRect) -> None:
    rects = tiles(count, area)
    assert len(rects) == count
    assert all(area.contains(rect) for rect in rects)
    assert _no_two_overlap(rects)
    columns, rows = grid_shape(count, area)
    assert {rect.size() for rect in rects} == {QSize((area.width() - TILE_GAP_PX * (columns - 1)) // columns,
                                                     (area.height() - TILE_GAP_PX * (rows - 1)) // rows)}
    # The grid uses the whole area: its last column ends and its last row ends within a few pixels of its edges.
    assert area.right() - max(rect.right() for rect in rects) < columns
    assert area.bottom() - max(rect.bottom() for rect in rects) < rows


@pytest.mark.parametrize(("total", "least", "parts"), [
    (100, [0, 0], [50, 50]),
    (760, [446, 221], [446, 314]),  # the server window's least height first, the rest to the client below it
    (300, [0, 200, 0], [50, 200, 50]),
    (100, [80, 80], [50, 50]),  # both cannot have their least: equal parts
    (90, [], []),
])
def test_space_is_shared_equally_but_no_part_below_its_least(total: int, least: list[int], parts: list[int]) -> None:
    assert share(total, least) == parts


def test_on_a_small_screen_a_window_gets_its_least_size_and_the_next_the_rest() -> None:
    least = [QSize(670, 450), QSize(420, 225)]  # the server and a client window, frames included
    assert tiles(2, SMALL, least) == [QRect(0, 0, 1024, 450), QRect(0, 458, 1024, 310)]
    # Side by side their least widths (1090 px) do not fit: one above the other they do.
    assert grid_shape(2, SMALL, least) == (1, 2)
    assert grid_shape(2, SMALL) == (1, 2) and grid_shape(2, WIDE, least) == (2, 1)


def _frames(windows: list[QWidget]) -> list[QRect]:
    return [window.frameGeometry() for window in windows]


@pytest.fixture
def windows(qtbot: QtBot, tmp_path: Path, make_server: object) -> list[QWidget]:
    """A server window and three client windows at the sizes they open with, shown (not connected)."""
    server: ChatServer = make_server()  # type: ignore[operator]
    server_window = ServerWindow(server, QSettings(str(tmp_path / "server.ini"), QSettings.Format.IniFormat))
    clients = [ClientWindow(settings=QSettings(str(tmp_path / f"client{i}.ini"), QSettings.Format.IniFormat))
               for i in range(3)]
    shown: list[QWidget] = [server_window, *clients]
    for window in shown:
        qtbot.addWidget(window)
        window.show()
    qtbot.waitUntil(lambda: all(window.isVisible() for window in shown))
    return shown


def test_a_window_larger_than_the_screen_is_made_to_fit_it(windows: list[QWidget]) -> None:
    server_window = windows[0]
    area = available_area(server_window)
    assert area == server_window.screen().availableGeometry()
    server_window.move(area.right() - 100, area.top() + 40)  # mostly off the right edge
    place_within(server_window)
    assert area.contains(server_window.frameGeometry()), (area, server_window.frameGeometry())


def test_the_server_window_and_one_client_share_a_small_screen(windows: list[QWidget]) -> None:
    tile_windows(windows[:2], SMALL)
    frames = _frames(windows[:2])
    assert all(SMALL.contains(frame) for frame in frames), frames
    least = [window.minimumSizeHint().height() + 4 for window in windows[:2]]  # 2 px of offscreen frame each side
    if sum(least) + TILE_GAP_PX <= SMALL.height():  # one above the other, each as tall as it needs: no overlap
        assert not frames[0].intersects(frames[1]), frames


@pytest.mark.parametrize("area", [WIDE, SMALL])
def test_the_demo_windows_are_tiled_within_the_screen(windows: list[QWidget], area: QRect) -> None:
    tile_windows(windows, area)
    frames = _frames(windows)
    assert all(area.contains(frame) for frame in frames), (area, frames)
    if area == WIDE:  # 1600 x 1000 holds four windows at their least sizes: none covers another
        assert _no_two_overlap(frames), frames
        assert [frame.topLeft().toTuple() for frame in frames] == [
            (0, 0), (796 + TILE_GAP_PX, 0), (0, 496 + TILE_GAP_PX), (796 + TILE_GAP_PX, 496 + TILE_GAP_PX)]


def test_the_offscreen_screen_holds_the_demo_windows(windows: list[QWidget]) -> None:
    tile_windows(windows)
    area = windows[0].screen().availableGeometry()
    frames = _frames(windows)
    assert all(area.contains(frame) for frame in frames), (area, frames)


def test_a_lone_window_is_not_stretched_to_the_whole_screen(windows: list[QWidget]) -> None:
    client = windows[1]
    client.resize(500, 400)
    client.move(30, 40)  # where its frame begins
    before = client.geometry()
    tile_windows([client], WIDE)
    assert client.geometry() == before and client.frameGeometry().topLeft().toTuple() == (30, 40)


def _saved_geometry(qtbot: QtBot, frame: QRect) -> object:
    probe = QWidget()
    qtbot.addWidget(probe)
    probe.setGeometry(frame)
    return probe.saveGeometry()


def test_a_remembered_geometry_is_restored_where_it_fits(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    window.setGeometry(10, 10, 200, 150)
    assert restore_if_it_fits(window, _saved_geometry(qtbot, QRect(120, 90, 500, 400)))  # type: ignore[arg-type]
    assert window.geometry() == QRect(120, 90, 500, 400)


@pytest.mark.parametrize("frame", [
    QRect(1200, 100, 960, 720),  # saved on a wider screen, right of this one's edge
    QRect(100, 100, 1500, 700),  # wider than this screen
])
def test_a_remembered_geometry_that_does_not_fit_is_not_restored(qtbot: QtBot, frame: QRect) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    window.setGeometry(10, 10, 200, 150)
    area = window.screen().availableGeometry()
    assert not area.contains(frame)
    assert not restore_if_it_fits(window, _saved_geometry(qtbot, frame))  # type: ignore[arg-type]
    assert window.geometry() == QRect(10, 10, 200, 150)


def test_the_server_window_opens_inside_the_screen_whatever_it_remembers(
        qtbot: QtBot, tmp_path: Path, make_server: object) -> None:
    settings = QSettings(str(tmp_path / "server.ini"), QSettings.Format.IniFormat)
    settings.setValue(SettingsKey.GEOMETRY, _saved_geometry(qtbot, QRect(1200, 100, 960, 720)))
    server_window = ServerWindow(make_server(), settings)  # type: ignore[operator]
    qtbot.addWidget(server_window)
    assert server_window.geometry().x() < 1200  # the remembered place was off this screen: not used
    show_within_screen(server_window)  # as the launcher opens it
    area = server_window.screen().availableGeometry()
    assert area.contains(server_window.frameGeometry()), (area, server_window.frameGeometry())
