"""Sharing files (issue 22) over real sockets: shares to rooms and direct conversations and their relays, who may
download, which shares are refused, a share sent again, and how text members and version-1 clients read a share.
The helpers here (an upload asked for, a file put and shared, fetched) serve test_file_transfers.py and
test_file_limits.py too."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from pytestqt.qtbot import QtBot

from chat_server.core.engine import ChatServer
from chat_server.protocol import files as f
from tests.conftest import WAIT_MS, RawClient
from tests.file_transfers import download, in_thread, sha256_of, upload
from tests.integration.test_rooms_json import Member, join

MakeServer = Callable[..., ChatServer]
MakeRaw = Callable[[ChatServer], RawClient]

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 400  # about 100 kB that sniff as a PDF
_ids = itertools.count(1)


def ask_upload(member: Member, data: bytes, name: str = "report.pdf", sha: str | None = None,
               **where: Any) -> dict[str, Any]:
    """Send an ``upload`` for ``data``; the reply (upload_ready or error) with its id."""
    request_id = f"u{next(_ids)}"
    member.send(type="upload", id=request_id, name=name, size=len(data), sha256=sha or sha256_of(data), **where)
    return member.expect(id=request_id)


def put(qtbot: QtBot, server: ChatServer, member: Member, data: bytes, name: str = "report.pdf",
        **where: Any) -> str:
    """Upload ``data`` as ``member`` (nothing sent if it is stored already); the file's id."""
    ready = ask_upload(member, data, name, **where)
    assert ready["type"] == "upload_ready", ready
    if "file" in ready:
        return str(ready["file"])
    stored = in_thread(qtbot, lambda: upload(server.server_port, ready["token"], data, ready["offset"]))
    assert stored == {"type": "stored", "file": stored["file"], "sha256": sha256_of(data)}
    return str(stored["file"])


def share(qtbot: QtBot, server: ChatServer, member: Member, data: bytes, name: str = "report.pdf",
          caption: str = "", **where: Any) -> tuple[str, dict[str, Any]]:
    """Upload and share ``data``; its file id and the share's ACK."""
    file_id = put(qtbot, server, member, data, name, **where)
    chat_id = f"c{next(_ids)}"
    member.send(type="chat", id=chat_id, text=caption, file=file_id, **where)
    return file_id, member.expect(type="ack", id=chat_id)


def fetch(qtbot: QtBot, server: ChatServer, member: Member, file_id: str,
          offset: int = 0) -> tuple[dict[str, Any], dict[str, Any], bytes]:
    """Ask for ``file_id`` and download it; the ``download_ready``, the ``sending`` line and the bytes."""
    request_id = f"d{next(_ids)}"
    member.send(type="download", id=request_id, file=file_id)
    ready = member.expect(id=request_id)
    assert ready["type"] == "download_ready", ready
    header, body = in_thread(qtbot, lambda: download(server.server_port, ready["token"], offset))
    return ready, header, body


def refusal(member: Member, file_id: str) -> dict[str, Any]:
    request_id = f"d{next(_ids)}"
    member.send(type="download", id=request_id, file=file_id)
    return member.expect(type="error", id=request_id)


def ref(file_id: str, data: bytes, name: str = "report.pdf", mime: str = "application/pdf") -> dict[str, Any]:
    return {"id": file_id, "name": name, "size": len(data), "mime": mime, "sha256": sha256_of(data)}


def test_a_file_shared_to_a_room_reaches_its_members_who_download_the_same_bytes(
        make_server: MakeServer, make_raw: MakeRaw, qtbot: QtBot) -> None:
    server = make_server(max_clients=0)
    alice, bob, carol = (join(make_raw, server, n) for n in ("alice", "bob", "carol"))
    for member in (alice, bob):
        member.send(type="join", room="#dev")
        member.expect(type="room")
    with qtbot.waitSignal(server.file_shared, timeout=WAIT_MS) as shared:
        file_id, ack = share(qtbot, server, alice, PDF, caption="the report", room="#dev")
    assert ack["room"] == "#dev"
    relay = bob.expect(type="message", seq=ack["seq"])
    assert relay == {"type": "message", "sender": "alice", "text": "the report", "seq": ack["seq"],
                     "time": relay["time"], "room": "#dev", "file": ref(file_id, PDF)}
    row = shared.args[0]
    assert (row.id, row.name, row.size, row.sender, row.conversation, row.downloads) == (
        file_id, "report.pdf", len(PDF), "alice", "#dev", 0)
    ready, header, body = fetch(qtbot, server, bob, file_id)
    assert ready["file"] == ref(file_id, PDF)
    assert header == {"type": "sending", "size": len(PDF), "offset": 0, "sha256": sha256_of(PDF)}
    assert body == PDF
    qtbot.waitUntil(lambda: [r.downloads for r in server.files()] == [1], timeout=WAIT_MS)
    assert not [o for o in carol.objects() if o.get("type") == "message"]  # not in #dev: nothing of the share


def test_a_non_member_cannot_download_a_rooms_file_and_hears_what_an_unknown_id_gets(
        make_server: MakeServer, make_raw: MakeRaw, qtbot: QtBot) -> None:
    server = make_server(max_clients=0)
    alice, carol = join(make_raw, server, "alice"), join(make_raw, server, "carol")
    alice.send(type="join", room="#secret")
    alice.expect(type="room")
    file_id, _ = share(qtbot, server, alice, PDF, room="#secret")
    refused, unknown = refusal(carol, file_id), refusal(carol, "0" * 32)
    assert refused["code"] == unknown["code"] == f.ERR_NO_SUCH_FILE
    assert refused["text"] == unknown["text"]


def test_a_file_shared_in_a_direct_conversation_is_for_its_two_members_only(
        make_server: MakeServer, make_raw: MakeRaw, qtbot: QtBot) -> None:
    server = make_server(max_clients=0)
    alice, bob, carol = (join(make_raw, server, n) for n in ("alice", "bob", "carol"))
    file_id, ack = share(qtbot, server, alice, PDF, name="notes.pdf", to="bob")
    assert ack["to"] == "bob"
    relay = bob.expect(type="message", seq=ack["seq"])
    assert (relay["to"], relay["file"]) == ("bob", ref(file_id, PDF, "notes.pdf"))
    assert fetch(qtbot, server, bob, file_id)[2] == PDF
    assert refusal(carol, file_id)["code"] == f.ERR_NO_SUCH_FILE
    assert [row.conversation for row in server.files()] == ["alice → bob"]


def test_a_share_of_a_file_not_ones_own_or_for_another_conversation_is_refused(
        make_server: MakeServer, make_raw: MakeRaw, qtbot: QtBot) -> None:
    server = make_server(max_clients=0)
    alice, bob = join(make_raw, server, "alice"), join(make_raw, server, "bob")
    file_id = put(qtbot, server, alice, PDF)  # for #lobby, not yet shared
    assert refusal(bob, file_id)["code"] == f.ERR_NO_SUCH_FILE  # not shared yet: nobody may fetch it
    bob.send(type="chat", id="b1", text="mine now", file=file_id)
    assert bob.expect(type="error", id="b1")["code"] == f.ERR_NO_SUCH_FILE
    alice.send(type="chat", id="a1", text="", file=file_id, to="bob")  # uploaded for #lobby, shared elsewhere
    assert alice.expect(type="error", id="a1")["code"] == f.ERR_NO_SUCH_FILE
    assert not server.files()


def test_text_members_read_a_share_as_one_line_live_and_in_history(
        make_server: MakeServer, make_raw: MakeRaw, qtbot: QtBot) -> None:
    server = make_server(max_clients=0)
    alice = join(make_raw, server, "alice")
    text = make_raw(server)
    text.send("hello all\n")
    text.wait_line("hello all ACK")
    file_id, _ = share(qtbot, server, alice, PDF, caption="see page 2")
    line = f"[file] alice shared report.pdf (102.4 KB): python main.py download {file_id} -- see page 2"
    text.wait_line(line)
    text.send("/history\n")
    text.wait_line(lambda shown: shown.startswith("[history ") and shown.endswith(f"] {line}"))
    text.send("/join #dev\n")
    alice.send(type="join", room="#dev")
    alice.expect(type="room")
    room_file, _ = share(qtbot, server, alice, b"plain words", name="notes.txt", room="#dev")
    room_line = f"[#dev] [file] alice shared notes.txt (11 B): python main.py download {room_file}"
    text.wait_line(room_line)
    text.send("/history #dev\n")
    text.wait_line(lambda shown: shown.startswith("[history ") and shown.endswith(f"] {room_line}"))


def test_the_history_command_reads_a_share_as_its_line(
        make_server: MakeServer, make_raw: MakeRaw, qtbot: QtBot) -> None:
    # Before: the replies' replay (text mode's bare ``history``, which its welcome line offers, and the history of a
    # member whose replay is not per conversation) had no way to the files' records: a share read "alice: see page
    # 2", its file gone (found by hand with netcat and openssl s_client).
    server = make_server(max_clients=0)
    alice = join(make_raw, server, "alice")
    file_id, _ack = share(qtbot, server, alice, PDF, caption="see page 2")
    line = f"[file] alice shared report.pdf (102.4 KB): python main.py download {file_id} -- see page 2"
    text = make_raw(server)
    text.send("history\n")
    text.wait_line(lambda shown: shown.startswith("[history ") and shown.endswith(f"] {line}"))


def test_a_version_1_client_reads_a_share_as_words(make_server: MakeServer, make_raw: MakeRaw,
                                                    qtbot: QtBot) -> None:
    server = make_server(max_clients=0)
    alice, old = join(make_raw, server, "alice"), join(make_raw, server, "old", version=1)
    file_id, ack = share(qtbot, server, alice, PDF, caption="v2 only")
    relay = old.expect(type="message", seq=ack["seq"])
    assert "file" not in relay
    assert relay["text"] == (f"[file] alice shared report.pdf (102.4 KB): python main.py download {file_id}"
                             " -- v2 only")
    assert refusal(old, file_id)["code"] == "not_allowed"


def test_a_share_sent_again_is_acknowledged_as_the_first(make_server: MakeServer, make_raw: MakeRaw,
                                                         qtbot: QtBot) -> None:
    server = make_server(max_clients=0)
    alice = join(make_raw, server, "alice")
    file_id, first = share(qtbot, server, alice, PDF, caption="once")
    alice.send(type="chat", id=first["id"], text="once", file=file_id)
    again = alice.expect(type="ack", id=first["id"])
    assert again["seq"] == first["seq"]
    assert [row.id for row in server.files()] == [file_id]
