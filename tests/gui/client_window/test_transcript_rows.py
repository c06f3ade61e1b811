"""The transcript's lazy layout (transcript_rows.py), without Qt: which rows are in sight and what is measured."""

from __future__ import annotations

from chat_gui.client_window.transcript_rows import ROW_UNITS, LazyRows


class Heights:
    """Rows of known heights that remember which were measured."""

    def __init__(self, heights: list[int]) -> None:
        self.heights = heights
        self.measured: set[int] = set()

    def __call__(self, row: int) -> int:
        self.measured.add(row)
        return self.heights[row]


def laid_out(heights: list[int], viewport: int = 100) -> tuple[LazyRows, Heights]:
    measure = Heights(heights)
    rows = LazyRows(measure)
    rows.reset(len(heights))
    rows.resized(viewport)
    return rows, measure


def test_only_the_rows_in_sight_are_measured_even_at_the_bottom_of_100000() -> None:
    rows, measure = laid_out([30] * 100_000)
    rows.to_bottom()
    assert [(row, y) for row, y, _ in rows.visible()] == [(99_996, -20), (99_997, 10), (99_998, 40), (99_999, 70)]
    assert measure.measured == {0, 99_996, 99_997, 99_998, 99_999}  # the first row was in sight before
    assert rows.value() == rows.maximum() == 99_996 * ROW_UNITS + 20 * ROW_UNITS // 30


def test_scrolling_walks_row_by_row_and_stops_at_both_ends() -> None:
    rows, _ = laid_out([40, 10, 50, 30, 60])
    rows.scroll_by(45)
    assert rows.anchor() == (1, 5)
    rows.scroll_by(1000)
    assert rows.anchor() == rows.bottom() == (2, 40) and rows.at_bottom()  # 10+30+60 = 100 below row 2's 40
    rows.scroll_by(-55)  # from 90 px down (40 + 10 + 40) to 35
    assert rows.anchor() == (0, 35)
    rows.scroll_by(-1000)
    assert rows.anchor() == (0, 0) and rows.at_top()


def test_rows_put_in_above_keep_what_is_in_sight_where_it_is() -> None:
    rows, measure = laid_out([20] * 50)
    rows.place(10, 7)
    before = [(y, height) for _, y, height in rows.visible()]
    measure.heights[:0] = [35] * 100
    rows.inserted(0, 100)  # a page of earlier history
    assert rows.anchor() == (110, 7) and rows.count == 150
    assert [(y, height) for _, y, height in rows.visible()] == before
    measure.heights.append(20)
    rows.inserted(150, 1)  # a live message below: nothing moves
    assert rows.anchor() == (110, 7)


def test_at_the_top_a_page_put_in_above_moves_the_anchor_down_with_it() -> None:
    rows, measure = laid_out([20] * 50)
    assert rows.at_top()
    measure.heights[:0] = [20] * 30
    rows.inserted(0, 30)
    assert rows.anchor() == (30, 0) and not rows.at_top()


def test_removed_rows_above_move_the_anchor_up() -> None:
    rows, measure = laid_out([20] * 50)
    rows.place(20, 5)
    del measure.heights[0:10]
    rows.removed(0, 10)
    assert rows.anchor() == (10, 5)
    del measure.heights[5:15]
    rows.removed(5, 10)  # the top row among them: the first row after the gap
    assert rows.anchor() == (5, 0)


def test_few_rows_fit_and_stay_at_the_top() -> None:
    rows, _ = laid_out([20, 20], viewport=100)
    rows.to_bottom()
    assert rows.anchor() == (0, 0) and rows.at_top() and rows.at_bottom() and rows.maximum() == 0


def test_the_scroll_bar_value_maps_to_a_row_and_back() -> None:
    rows, _ = laid_out([40] * 100)
    rows.set_value(5 * ROW_UNITS + ROW_UNITS // 2)
    assert rows.anchor() == (5, 20)
    assert rows.value() == 5 * ROW_UNITS + ROW_UNITS // 2
    rows.set_value(10**9)
    assert rows.at_bottom()


def test_y_of_a_row_near_the_anchor_and_none_far_away() -> None:
    rows, _ = laid_out([10, 20, 30, 40, 50])
    rows.place(2, 5)
    assert [rows.y_of(row, reach=5) for row in range(5)] == [-35, -25, -5, 25, 65]
    assert rows.y_of(0, reach=1) is None and rows.y_of(7, reach=10) is None
