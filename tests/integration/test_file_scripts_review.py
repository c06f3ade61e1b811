"""``main.py download`` (issue 22) from a hostile review, as a real subprocess: a shared file's name, the server's
word, never replaces a file already in the folder it is fetched to (the text line's command runs in the app's own
folder, beside main.py)."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from chat_server.core.engine import ChatServer
from tests.integration.test_file_scripts import run, started

__all__ = ["started"]  # the fixture, shared with test_file_scripts.py


def test_a_download_never_replaces_a_file_of_the_same_name_in_its_folder(
        qtbot: QtBot, started: ChatServer, tmp_path: Path) -> None:
    # Before: the file was renamed over whatever had its name, so a member sharing "main.py" replaced the main.py
    # of whoever ran the command the text line suggests (python main.py download ID) in the app's folder.
    (tmp_path / "up").mkdir()
    hostile = tmp_path / "up" / "main.py"
    hostile.write_text("print('not yours')\n")
    sent = run(qtbot, tmp_path, started.server_port, "send", "--file", str(hostile))
    assert (sent.returncode, sent.stderr) == (0, "")
    file_id = sent.stdout.strip()
    mine = tmp_path / "main.py"
    mine.write_text("print('mine')\n")
    (tmp_path / "main (1).py").write_text("also mine\n")
    fetched = run(qtbot, tmp_path, started.server_port, "download", file_id)
    assert (fetched.returncode, fetched.stderr) == (0, "")
    assert fetched.stdout.strip() == str(tmp_path / "main (2).py")
    assert (tmp_path / "main (2).py").read_text() == "print('not yours')\n"
    assert mine.read_text() == "print('mine')\n" and (tmp_path / "main (1).py").read_text() == "also mine\n"
    named = run(qtbot, tmp_path, started.server_port, "download", file_id, "-o", str(mine))
    assert (named.returncode, named.stdout.strip()) == (0, str(mine))  # a path given is the member's own choice
    assert mine.read_text() == "print('not yours')\n"
