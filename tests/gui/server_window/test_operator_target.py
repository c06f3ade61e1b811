"""The operator's target (the selected member: Kick and the notice's recipient) never changes behind their back,
and Kick asks first, naming the member and saying that nothing undoes it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QMessageBox, QPushButton, QTableView
from pytestqt.qtbot import QtBot

from chat_gui.server_window.kick_dialog import KickConfirmation
from chat_gui.server_window.window import ServerWindow
from chat_gui.widgets.session_model import Column
from chat_server.core.engine import ChatServer
from tests.conftest import WAIT_MS
from tests.gui.server_window.test_server_window import child, select_member, wait_log, wait_rows

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def make_window(qtbot: QtBot, tmp_path: Path):
    def make(server: ChatServer) -> ServerWindow:
        window = ServerWindow(server, QSettings(str(tmp_path / "server.ini"), QSettings.Format.IniFormat))
        qtbot.addWidget(window)
        window.show()
        return window

    return make


def _selected_names(window: ServerWindow) -> list[str]:
    table = child(window, QTableView, "table")
    return [index.siblingAtColumn(Column.NAME).data() for index in table.selectionModel().selectedRows()]


def _target(window: ServerWindow) -> tuple[list[str], bool, str]:
    """What the operator's next action would reach: the selected rows, whether Kick is on, the notice's recipient."""
    return (_selected_names(window), child(window, QPushButton, "kick_button").isEnabled(),
            child(window, QComboBox, "notice_recipient").currentText())


def test_online_only_never_moves_the_selection_to_another_member(qtbot: QtBot, make_server, make_window,
                                                                 make_client) -> None:
    server = make_server()
    window = make_window(server)
    alice = make_client(server, "Alice")
    make_client(server, "Bob")
    make_client(server, "Carol")
    with qtbot.waitSignal(server.member_left, timeout=WAIT_MS):
        alice.exit()
    wait_rows(qtbot, window, [("Alice", "left", "0"), ("Bob", "online", "0"), ("Carol", "online", "0")])
    online_only = child(window, QCheckBox, "online_only_check")

    select_member(qtbot, window, "Alice")  # a member who has left: nobody to kick, the notice still to everyone
    assert _target(window) == (["Alice"], False, "everyone")
    online_only.setChecked(True)  # Alice's row leaves the table: the selection goes with it, to nobody else
    assert _target(window) == ([], False, "everyone")
    online_only.setChecked(False)
    assert _target(window) == ([], False, "everyone")

    select_member(qtbot, window, "Carol")
    assert _target(window) == (["Carol"], True, "Carol")
    online_only.setChecked(True)  # Carol is online: she stays the target
    assert _target(window) == (["Carol"], True, "Carol")
    online_only.setChecked(False)
    assert _target(window) == (["Carol"], True, "Carol")


def test_hiding_the_earlier_runs_never_moves_the_selection_to_this_runs_member(
        qtbot: QtBot, make_server, make_window, make_client, tmp_path: Path) -> None:
    db = str(tmp_path / "chat.sqlite3")
    first = make_server(db_path=db)
    make_client(first, "Alice")
    with qtbot.waitSignal(first.stopped, timeout=WAIT_MS):
        first.stop()
    first.close()
    second = make_server(db_path=db)
    window = make_window(second)
    make_client(second, "Bob")
    runs = child(window, QComboBox, "runs_combo")
    runs.setCurrentIndex(runs.findText("All runs"))
    wait_rows(qtbot, window, [("Alice", "server stopped", "0"), ("Bob", "online", "0")])
    select_member(qtbot, window, "Alice")
    assert _target(window) == (["Alice"], False, "everyone")
    runs.setCurrentIndex(runs.findText("This run"))
    assert _target(window) == ([], False, "everyone")


def test_a_selected_session_the_table_no_longer_keeps_leaves_nothing_selected(
        qtbot: QtBot, make_server, make_window, make_client) -> None:
    server = make_server(cache_ended_sessions=1, max_clients=5)
    window = make_window(server)
    alice = make_client(server, "Alice")
    make_client(server, "Bob")
    with qtbot.waitSignal(server.member_left, timeout=WAIT_MS):
        alice.exit()
    wait_rows(qtbot, window, [("Alice", "left", "0"), ("Bob", "online", "0")])
    select_member(qtbot, window, "Alice")
    assert _target(window) == (["Alice"], False, "everyone")
    dave = make_client(server, "Dave")
    with qtbot.waitSignal(server.member_left, timeout=WAIT_MS):
        dave.exit()
    # The cache keeps one ended session: Dave's, newer; Alice's row leaves the table, and nobody is selected.
    wait_rows(qtbot, window, [("Bob", "online", "0"), ("Dave", "left", "0")])
    assert _target(window) == ([], False, "everyone")


def test_kick_asks_first_and_a_no_kicks_nobody(qtbot: QtBot, make_server, make_window, make_client,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    server = make_server()
    window = make_window(server)
    alice = make_client(server, "Alice")
    bob = make_client(server, "Bob")
    wait_rows(qtbot, window, [("Alice", "online", "0"), ("Bob", "online", "0")])
    asked: list[str] = []
    answer = False

    def ask(cls: type[KickConfirmation], parent: object, name: str) -> bool:
        asked.append(name)
        return answer

    monkeypatch.setattr(KickConfirmation, "ask", classmethod(ask))
    select_member(qtbot, window, "Bob")
    kick = child(window, QPushButton, "kick_button")
    qtbot.mouseClick(kick, Qt.MouseButton.LeftButton)
    assert asked == ["Bob"]
    # A status round trip: a kick would have reached Bob before its answer.
    with qtbot.waitSignal(bob.status_received, timeout=WAIT_MS):
        bob.request_status()
    assert server.members() == ["Alice", "Bob"] and bob.state.value == "online"

    answer = True
    with qtbot.waitSignal(bob.disconnected, timeout=WAIT_MS) as ended:
        qtbot.mouseClick(kick, Qt.MouseButton.LeftButton)
    assert asked == ["Bob", "Bob"] and ended.args[0] == "kicked"
    assert server.members() == ["Alice"] and alice.state.value == "online"


def test_a_member_who_leaves_while_the_question_is_open_is_not_kicked_nor_anyone_else(
        qtbot: QtBot, make_server, make_window, make_client, monkeypatch: pytest.MonkeyPatch) -> None:
    server = make_server()
    window = make_window(server)
    alice = make_client(server, "Alice")
    bob = make_client(server, "Bob")
    wait_rows(qtbot, window, [("Alice", "online", "0"), ("Bob", "online", "0")])
    select_member(qtbot, window, "Bob")

    def ask(cls: type[KickConfirmation], parent: object, name: str) -> bool:
        with qtbot.waitSignal(server.member_left, timeout=WAIT_MS):
            bob.exit()
        select_member(qtbot, window, "Alice")  # and the operator clicked another row meanwhile
        return True

    monkeypatch.setattr(KickConfirmation, "ask", classmethod(ask))
    qtbot.mouseClick(child(window, QPushButton, "kick_button"), Qt.MouseButton.LeftButton)
    line = wait_log(qtbot, window, "Not kicked")
    assert line.endswith("  Not kicked: Bob is no longer online")
    assert server.members() == ["Alice"] and alice.state.value == "online"


@pytest.mark.parametrize(("button", "kicks"), [("Kick Bob", True), ("Cancel", False)])
def test_the_question_names_the_member_says_it_cannot_be_undone_and_defaults_to_cancel(
        qtbot: QtBot, button: str, kicks: bool) -> None:
    box = KickConfirmation.build(None, "Bob")
    qtbot.addWidget(box)
    assert box.text() == "Kick Bob?"
    assert box.informativeText() == ("Bob is disconnected at once and told that the operator removed them; the "
                                     "others see that Bob was kicked. This cannot be undone.")
    assert sorted(b.text() for b in box.buttons()) == ["Cancel", "Kick Bob"]
    default = box.defaultButton()
    assert default is not None and default.text() == "Cancel", "Enter alone never kicks"

    def answer() -> None:
        shown = QApplication.activeModalWidget()
        assert isinstance(shown, QMessageBox) and shown.text() == "Kick Bob?"
        next(b for b in shown.buttons() if b.text() == button).click()

    QTimer.singleShot(0, answer)
    assert KickConfirmation.ask(None, "Bob") is kicks
