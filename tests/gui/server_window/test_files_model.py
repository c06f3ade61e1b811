"""The Files tab's model over rows as the engine lists them: newest first, updated in place (inserts, changes and
removals that keep the selection), an expired file greyed; checked by Qt's model tester throughout."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

from PySide6.QtCore import QLocale, QModelIndex, Qt
from pytestqt.modeltest import ModelTester

from chat_gui.server_window.event_reports import share_line
from chat_gui.server_window.files_model import FileColumn, FileTableModel
from chat_gui.widgets import file_size_text


@dataclass(frozen=True, slots=True)
class Row:
    """A shared file as the engine's ``files()`` lists it."""

    id: str
    name: str
    size: int
    mime: str
    sender: str
    conversation: str
    time: float
    downloads: int = 0
    expired: bool = False


NOW = time.time()
REPORT = Row("a" * 32, "report.pdf", 1_234_567, "application/pdf", "alice", "#dev", NOW - 60)
PHOTO = Row("b" * 32, "photo.png", 345_678, "image/png", "bob", "alice → bob", NOW - 30)
NOTES = Row("c" * 32, "notes.txt", 532, "text/plain", "carol", "#lobby", NOW)


def cells(model: FileTableModel) -> list[list[str]]:
    return [[str(model.index(row, column).data()) for column in range(model.columnCount())]
            for row in range(model.rowCount())]


def test_the_files_show_newest_first_with_their_words(qtmodeltester: ModelTester) -> None:
    model = FileTableModel()
    qtmodeltester.check(model)
    model.update([REPORT, PHOTO])
    assert [model.headerData(column, Qt.Orientation.Horizontal) for column in FileColumn] == [
        "File", "Size", "Sender", "Conversation", "Shared", "Downloads"]
    shown = time.strftime("%H:%M:%S", time.localtime(PHOTO.time))
    assert cells(model)[0] == ["photo.png", "345.7 KB", "bob", "alice → bob", shown, "0"]
    assert cells(model)[1][:4] == ["report.pdf", "1.2 MB", "alice", "#dev"]


def test_an_update_inserts_changes_and_removes_rows_in_place(qtbot, qtmodeltester: ModelTester) -> None:
    model = FileTableModel()
    model.update([REPORT, PHOTO])
    qtmodeltester.check(model)
    with qtbot.waitSignal(model.rowsInserted) as inserted:
        model.update([REPORT, PHOTO, NOTES])
    assert inserted.args[1:] == [0, 0]  # the newest on top
    with qtbot.waitSignal(model.dataChanged) as changed:
        model.update([replace(REPORT, downloads=2), PHOTO, NOTES])
    assert changed.args[0].row() == 2
    assert model.index(2, FileColumn.DOWNLOADS).data() == "2"
    with qtbot.waitSignal(model.rowsRemoved):
        model.update([REPORT, NOTES])
    assert [model.index(row, FileColumn.NAME).data() for row in range(model.rowCount())] == ["notes.txt",
                                                                                              "report.pdf"]
    assert model.row_of(REPORT.id) == 1 and model.row_of(PHOTO.id) is None
    assert model.file_at(5) is None
    assert model.rowCount(model.index(0, 0)) == 0 and model.columnCount(model.index(0, 0)) == 0
    assert model.data(QModelIndex()) is None


def test_an_expired_file_keeps_its_row_greyed_and_says_so(qtmodeltester: ModelTester) -> None:
    model = FileTableModel()
    model.update([replace(REPORT, expired=True), PHOTO])
    qtmodeltester.check(model)
    expired = model.index(1, FileColumn.NAME)
    assert expired.data() == "report.pdf"
    assert expired.data(Qt.ItemDataRole.FontRole).italic()
    assert "Expired" in expired.data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(0, FileColumn.NAME).data(Qt.ItemDataRole.FontRole) is None


def test_sizes_are_1000_based_with_one_decimal_in_the_languages_numbers() -> None:
    assert [file_size_text(size) for size in (0, 999, 1000, 999_949, 999_950, 1_234_567, 10**9)] == [
        "0 B", "999 B", "1.0 KB", "999.9 KB", "1.0 MB", "1.2 MB", "1.0 GB"]
    assert file_size_text(1_234_567, QLocale(QLocale.Language.German)) == "1,2 MB"


def test_the_log_says_who_shared_what_where_and_of_a_direct_one_only_with_whom() -> None:
    assert share_line(REPORT) == "alice shared report.pdf (1.2 MB) in #dev"
    assert share_line(PHOTO) == "bob shared a file with alice"
    assert share_line(replace(PHOTO, sender="alice")) == "alice shared a file with bob"
