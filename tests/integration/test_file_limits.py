"""Files (issue 22) over real sockets: the limits (size, quota, the total with the oldest expiring, retention), names
made safe, the same content stored once, and the operator's delete."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from chat_server.core.engine import ChatServer
from chat_server.protocol import files as f
from chat_server.protocol.file_names import safe_file_name
from tests.conftest import WAIT_MS, RawClient
from tests.file_transfers import sha256_of
from tests.integration.test_files import PDF, ask_upload, fetch, put, refusal, share
from tests.integration.test_rooms_json import join

MakeServer = Callable[..., ChatServer]
MakeRaw = Callable[[ChatServer], RawClient]


def test_too_large_and_over_the_quota_are_refused(make_server: MakeServer, make_raw: MakeRaw, qtbot: QtBot) -> None:
    server = make_server(max_clients=0, max_file_mb=1, file_quota_mb=1)
    alice = join(make_raw, server, "alice")
    big = b"x" * 1_000_001
    refused = ask_upload(alice, big)
    assert (refused["type"], refused["code"]) == ("error", f.ERR_FILE_TOO_LARGE)
    put(qtbot, server, alice, b"a" * 600_000)
    over = ask_upload(alice, b"b" * 600_000)
    assert over["code"] == f.ERR_QUOTA_EXCEEDED
    bob = join(make_raw, server, "bob")  # the quota is each member's
    assert ask_upload(bob, b"b" * 600_000)["type"] == "upload_ready"


def test_beyond_the_total_the_oldest_file_expires_and_its_relay_then_says_so(
        make_server: MakeServer, make_raw: MakeRaw, qtbot: QtBot) -> None:
    server = make_server(max_clients=0, max_files_gb=0.00025)  # 250 kB in all
    alice, bob = join(make_raw, server, "alice"), join(make_raw, server, "bob")
    first = b"1" * 150_000
    old_id, _ = share(qtbot, server, alice, first, name="old.txt")
    assert ask_upload(alice, b"x" * 300_000)["code"] == f.ERR_STORAGE_FULL  # alone bigger than the total
    with qtbot.waitSignal(server.files_changed, timeout=WAIT_MS):
        new_id, _ = share(qtbot, server, alice, b"2" * 150_000, name="new.txt")
    assert refusal(bob, old_id)["code"] == f.ERR_FILE_EXPIRED
    assert fetch(qtbot, server, bob, new_id)[2] == b"2" * 150_000
    assert {row.name: row.expired for row in server.files()} == {"old.txt": True, "new.txt": False}
    bob.send(type="scrollback", id="h1", limit=10)
    page = bob.expect(type="history_page")
    files = {entry["file"]["name"]: entry["file"].get("expired", False) for entry in page["messages"]}
    assert files == {"old.txt": True, "new.txt": False}


def test_hostile_names_are_stored_safe(make_server: MakeServer, make_raw: MakeRaw, qtbot: QtBot) -> None:
    server = make_server(max_clients=0)
    alice, bob = join(make_raw, server, "alice"), join(make_raw, server, "bob")
    hostile = ("../../etc/passwd", "CON.txt", "a\x00b\u202etxt.exe", "..", "x" * 300 + ".txt", " . ")
    names = []
    for number, name in enumerate(hostile):
        _, ack = share(qtbot, server, alice, f"{number} plain text".encode(), name=name)
        names.append(bob.expect(type="message", seq=ack["seq"])["file"]["name"])
    assert names == [safe_file_name(name) for name in hostile]
    assert sorted(row.name for row in server.files()) == sorted(names)
    for name in names:
        assert "/" not in name and "\\" not in name and name not in ("..", ".") and "\x00" not in name
        assert "\u202e" not in name and len(name.encode()) <= 255 and not name.upper().startswith("CON.")


def test_the_same_content_is_stored_once(make_server: MakeServer, make_raw: MakeRaw, qtbot: QtBot,
                                         tmp_path: Path) -> None:
    server = make_server(max_clients=0, db_path=str(tmp_path / "chat.db"))
    alice, bob = join(make_raw, server, "alice"), join(make_raw, server, "bob")
    share(qtbot, server, alice, PDF)
    ready = ask_upload(alice, PDF, name="again.pdf")  # its uploader shares it again: nothing to send
    assert ready["offset"] == len(PDF) and "file" in ready
    alice.send(type="chat", id="a-again", text="", file=ready["file"])
    alice.expect(type="ack", id="a-again")
    assert ask_upload(bob, PDF, name="copy.pdf")["offset"] == 0  # another member sends the bytes...
    share(qtbot, server, bob, PDF, name="copy.pdf")
    blobs = [p for p in (tmp_path / "chat-files" / "blobs").rglob("*") if p.is_file()]
    assert [p.name for p in blobs] == [sha256_of(PDF)]  # ...and they are still stored once
    assert sorted(row.name for row in server.files()) == ["again.pdf", "copy.pdf", "report.pdf"]


def test_the_operator_deletes_a_file_and_its_record_stays_expired(
        make_server: MakeServer, make_raw: MakeRaw, qtbot: QtBot, tmp_path: Path) -> None:
    server = make_server(max_clients=0, db_path=str(tmp_path / "chat.db"))
    alice, bob = join(make_raw, server, "alice"), join(make_raw, server, "bob")
    file_id, _ = share(qtbot, server, alice, PDF)
    with qtbot.waitSignal(server.files_changed, timeout=WAIT_MS):
        fetch(qtbot, server, bob, file_id)
    with qtbot.waitSignal(server.files_changed, timeout=WAIT_MS):
        assert server.delete_file(file_id)
    assert not server.delete_file(file_id)
    [row] = server.files()
    assert (row.id, row.downloads, row.expired) == (file_id, 1, True)
    assert refusal(bob, file_id)["code"] == f.ERR_FILE_EXPIRED
    assert not [p for p in (tmp_path / "chat-files" / "blobs").rglob("*") if p.is_file()]


def test_files_older_than_the_retention_expire_at_start(make_server: MakeServer, make_raw: MakeRaw, qtbot: QtBot,
                                                         tmp_path: Path) -> None:
    db = str(tmp_path / "chat.db")
    server = make_server(max_clients=0, db_path=db)
    alice = join(make_raw, server, "alice")
    file_id, _ = share(qtbot, server, alice, PDF)
    with qtbot.waitSignal(server.stopped, timeout=WAIT_MS):
        server.stop()
    server.close()
    later = make_server(max_clients=0, db_path=db, file_retention_days=1e-12)  # anything stored before now is old
    qtbot.waitUntil(lambda: [row.expired for row in later.files()] == [True], timeout=WAIT_MS)
    assert [row.id for row in later.files()] == [file_id]
    assert not [p for p in (tmp_path / "chat-files" / "blobs").rglob("*") if p.is_file()]


def test_limits_of_0_are_no_limits(make_server: MakeServer, make_raw: MakeRaw, qtbot: QtBot) -> None:
    server = make_server(max_clients=0, max_file_mb=0, file_quota_mb=0, max_files_gb=0)
    alice = join(make_raw, server, "alice")
    big = b"z" * 3_000_000
    file_id, _ = share(qtbot, server, alice, big, name="big.bin")
    assert [(row.id, row.size, row.expired) for row in server.files()] == [(file_id, len(big), False)]
