"""Files (issue 22): the transfer connections over real sockets: resumes after a cut, what an upload may not be,
bad tokens, TLS, a password, a full server, the limits of transfers at once, the chat going on meanwhile, and
bytes that must reach the transfer's thread whole."""

from __future__ import annotations

import functools
import json
import os
import socket
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot

from chat_server.core.engine import ChatServer
from chat_server.net.tls import create_self_signed
from chat_server.net.transfers import MAX_TRANSFERS_PER_KEY
from chat_server.protocol import files as f
from tests.conftest import WAIT_MS, RawClient
from tests.file_transfers import BlockingMember, TransferSocket, download, in_thread, sha256_of, upload, upload_cut
from tests.integration.test_files import PDF, ask_upload, fetch, put, share
from tests.integration.test_rooms_json import Member, join

MakeServer = Callable[..., ChatServer]
MakeRaw = Callable[[ChatServer], RawClient]


def test_an_upload_cut_in_the_middle_resumes_from_what_the_server_holds(
        make_server: MakeServer, make_raw: MakeRaw, qtbot: QtBot) -> None:
    server = make_server(max_clients=0)
    alice = join(make_raw, server, "alice")
    ready = ask_upload(alice, PDF)
    assert ready["offset"] == 0
    with qtbot.waitSignal(server._files.threads.finished, timeout=WAIT_MS):  # it has written what it had
        in_thread(qtbot, lambda: upload_cut(server.server_port, ready["token"], PDF, 40_000))
    again = ask_upload(alice, PDF)
    assert again["offset"] == 40_000
    stored = in_thread(qtbot, lambda: upload(server.server_port, again["token"], PDF, 40_000))
    assert stored["type"] == "stored"
    bob = join(make_raw, server, "bob")
    alice.send(type="chat", id="s1", text="", file=stored["file"])
    alice.expect(type="ack", id="s1")
    assert fetch(qtbot, server, bob, stored["file"])[2] == PDF


def test_a_download_cut_in_the_middle_resumes_with_a_new_token_and_its_offset(
        make_server: MakeServer, make_raw: MakeRaw, qtbot: QtBot) -> None:
    server = make_server(max_clients=0)
    alice, bob = join(make_raw, server, "alice"), join(make_raw, server, "bob")
    file_id, _ = share(qtbot, server, alice, PDF)
    bob.send(type="download", id="d-cut", file=file_id)
    ready = bob.expect(type="download_ready", id="d-cut")
    _, first = in_thread(qtbot, lambda: download(server.server_port, ready["token"], 0, limit=30_000))
    assert first == PDF[:30_000]
    again = in_thread(qtbot, lambda: download(server.server_port, ready["token"], 30_000))[0]
    assert again["code"] == f.ERR_BAD_TOKEN  # one-time
    _, header, rest = fetch(qtbot, server, bob, file_id, offset=30_000)
    assert header["offset"] == 30_000
    assert sha256_of(first + rest) == sha256_of(PDF)


def test_a_tls_upload_cut_in_the_middle_resumes(make_server: MakeServer, qtbot: QtBot, tmp_path: Path) -> None:
    create_self_signed(tmp_path / "cert.pem", tmp_path / "key.pem")
    server = make_server(max_clients=0, tls_cert=str(tmp_path / "cert.pem"), tls_key=str(tmp_path / "key.pem"))
    port = server.server_port

    def ask(member: BlockingMember, number: int) -> dict[str, Any]:
        member.say(type="upload", id=f"u{number}", name="report.pdf", size=len(PDF), sha256=sha256_of(PDF))
        return member.expect("upload_ready", id=f"u{number}")

    def cut() -> None:
        alice = BlockingMember(port, "alice", tls=True)
        transfer = TransferSocket(port, ask(alice, 1)["token"], tls=True)
        transfer.send(PDF[:50_000])
        transfer.close()
        alice.close()

    with qtbot.waitSignal(server._files.threads.finished, timeout=WAIT_MS):
        in_thread(qtbot, cut)

    def resume() -> tuple[int, dict[str, Any]]:
        alice = BlockingMember(port, "alice", tls=True)
        try:
            ready = ask(alice, 2)
            return ready["offset"], upload(port, ready["token"], PDF, ready["offset"], tls=True)
        finally:
            alice.close()

    offset, stored = in_thread(qtbot, resume)
    assert offset == 50_000
    assert stored["type"] == "stored" and stored["sha256"] == sha256_of(PDF)


def test_a_hash_mismatch_is_refused_and_leaves_no_partial_file(
        make_server: MakeServer, make_raw: MakeRaw, qtbot: QtBot, tmp_path: Path) -> None:
    server = make_server(max_clients=0, db_path=str(tmp_path / "chat.db"))
    alice = join(make_raw, server, "alice")
    ready = ask_upload(alice, PDF, sha=sha256_of(b"something else"))
    forged = PDF[:-1] + b"X"
    answer = in_thread(qtbot, lambda: upload(server.server_port, ready["token"], forged))
    assert answer["type"] == "error" and answer["code"] == f.ERR_HASH_MISMATCH
    qtbot.waitUntil(lambda: server._files.threads.count == 0, timeout=WAIT_MS)
    files = tmp_path / "chat-files"
    assert not [p for p in files.rglob("*") if p.is_file()]


def test_more_bytes_than_announced_are_refused(make_server: MakeServer, make_raw: MakeRaw, qtbot: QtBot) -> None:
    server = make_server(max_clients=0)
    alice = join(make_raw, server, "alice")
    ready = ask_upload(alice, PDF)
    answer = in_thread(qtbot, lambda: upload(server.server_port, ready["token"], PDF + b"more"))
    assert answer["code"] == f.ERR_TOO_LONG


def test_a_transfer_is_no_member_and_a_bad_token_is_told(
        make_server: MakeServer, make_raw: MakeRaw, qtbot: QtBot) -> None:
    server = make_server(max_clients=0)
    join(make_raw, server, "alice")
    header, _ = in_thread(qtbot, lambda: download(server.server_port, "f" * 32))
    assert header["code"] == f.ERR_BAD_TOKEN
    header, _ = in_thread(qtbot, lambda: download(server.server_port, "not hex"))
    assert header["code"] == f.ERR_BAD_TOKEN
    assert server.online_count == 1
    assert server.members() == ["alice"]
    assert [s.name for s in server.cache.online()] == ["alice"]


def test_a_full_server_still_takes_a_members_transfer(make_server: MakeServer, make_raw: MakeRaw,
                                                      qtbot: QtBot) -> None:
    server = make_server(max_clients=2)
    alice, bob = join(make_raw, server, "alice"), join(make_raw, server, "bob")
    file_id, _ = share(qtbot, server, alice, PDF)
    assert fetch(qtbot, server, bob, file_id)[2] == PDF
    assert server.online_count == 2


def test_a_full_server_lets_in_only_a_transfer_for_an_address_holding_a_token(
        make_server: MakeServer, make_raw: MakeRaw, qtbot: QtBot) -> None:
    server = make_server(max_clients=2)
    alice, _ = join(make_raw, server, "alice"), join(make_raw, server, "bob")
    ask_upload(alice, PDF)  # a token waits for a transfer from this address
    third = make_raw(server)
    third.send(json.dumps({"type": "hello", "version": 2, "name": "carol", "client_id": "id-of-carol",
                           "last_seq": None}) + "\n")
    third.wait_line(lambda line: line.startswith("[refused: full] Server is full (2/2 online)"))
    third.wait_closed()
    assert server.members() == ["alice", "bob"] and server.online_count == 2


def test_a_chat_during_a_transfer_is_acknowledged(make_server: MakeServer, make_raw: MakeRaw, qtbot: QtBot) -> None:
    """The upload's bytes stop halfway and its connection stays open: the chat goes on meanwhile."""
    server = make_server(max_clients=0)
    alice, bob = join(make_raw, server, "alice"), join(make_raw, server, "bob")
    big = bytes(2_000_000)
    ready = ask_upload(alice, big)
    transfer = in_thread(qtbot, lambda: TransferSocket(server.server_port, ready["token"]))
    try:
        in_thread(qtbot, lambda: transfer.send(big[:1_000_000]))
        qtbot.waitUntil(lambda: server._files.threads.count == 1, timeout=WAIT_MS)
        alice.send(type="chat", id="during", text="still here")
        ack = alice.expect(type="ack", id="during")
        assert bob.expect(type="message", seq=ack["seq"])["text"] == "still here"
        in_thread(qtbot, lambda: transfer.send(big[1_000_000:]))
        assert in_thread(qtbot, transfer.line)["type"] == "stored"
    finally:
        transfer.close()


def test_files_travel_over_tls_too(make_server: MakeServer, qtbot: QtBot, tmp_path: Path) -> None:
    create_self_signed(tmp_path / "cert.pem", tmp_path / "key.pem")
    server = make_server(max_clients=0, tls_cert=str(tmp_path / "cert.pem"), tls_key=str(tmp_path / "key.pem"))
    data = bytes(range(256)) * 48_000  # 12 MB: more than a TLS transfer keeps waiting at once (8 MiB)
    port = server.server_port

    def exchange() -> tuple[dict[str, Any], dict[str, Any], bytes]:
        alice, bob = BlockingMember(port, "alice", tls=True), BlockingMember(port, "bob", tls=True)
        try:
            alice.say(type="upload", id="u", name="big.bin", size=len(data), sha256=sha256_of(data))
            ready = alice.expect("upload_ready", id="u")
            stored = upload(port, ready["token"], data, tls=True)
            alice.say(type="chat", id="c", text="over TLS", file=stored["file"])
            alice.expect("ack", id="c")
            relay = bob.expect("message", text="over TLS")
            bob.say(type="download", id="d", file=stored["file"])
            token = bob.expect("download_ready", id="d")["token"]
            header, body = download(port, token, tls=True)
            return relay, header, body
        finally:
            alice.close()
            bob.close()

    relay, header, body = in_thread(qtbot, exchange, timeout_ms=60_000)
    assert relay["file"]["sha256"] == header["sha256"] == sha256_of(data)
    assert body == data


def test_a_member_runs_at_most_four_transfers_at_once(make_server: MakeServer, make_raw: MakeRaw,
                                                      qtbot: QtBot) -> None:
    server = make_server(max_clients=0)
    alice = join(make_raw, server, "alice")
    contents = [bytes([number]) * 1000 for number in range(MAX_TRANSFERS_PER_KEY + 1)]
    tokens = [ask_upload(alice, data)["token"] for data in contents]
    running = [in_thread(qtbot, functools.partial(TransferSocket, server.server_port, token))
               for token in tokens[:MAX_TRANSFERS_PER_KEY]]
    try:
        qtbot.waitUntil(lambda: server._files.threads.count == MAX_TRANSFERS_PER_KEY, timeout=WAIT_MS)
        refused = in_thread(qtbot, lambda: upload(server.server_port, tokens[-1], contents[-1]))
        assert refused["code"] == f.ERR_BUSY
        in_thread(qtbot, lambda: running[0].send(contents[0]))
        assert in_thread(qtbot, running[0].line)["type"] == "stored"
        qtbot.waitUntil(lambda: server._files.threads.count == MAX_TRANSFERS_PER_KEY - 1, timeout=WAIT_MS)
        assert in_thread(qtbot, lambda: upload(server.server_port, tokens[-1], contents[-1]))["type"] == "stored"
    finally:
        for transfer in running:
            transfer.close()


def test_a_transfer_needs_no_password_but_a_token(make_server: MakeServer, make_raw: MakeRaw, qtbot: QtBot) -> None:
    server = make_server(max_clients=0, password="secret")
    raw = make_raw(server)
    alice = Member(raw, "alice")
    alice.send(type="hello", version=2, name="alice", client_id="id-of-alice", last_seq=None, password="secret")
    alice.expect(type="joined", name="alice")
    file_id = put(qtbot, server, alice, PDF)
    alice.send(type="chat", id="pw", text="", file=file_id)
    alice.expect(type="ack", id="pw")
    assert fetch(qtbot, server, alice, file_id)[2] == PDF
    assert server.login_count == 0


def test_an_upload_sent_whole_and_half_closed_at_once_loses_no_byte_to_the_chat_side(
        make_server: MakeServer, make_raw: MakeRaw, qtbot: QtBot) -> None:
    """Everything is in the kernel, the peer's end too, before the server reads a byte (the event loop does not
    turn meanwhile): its first read sees the end (epoll's RDHUP) and the reactor reads such a socket to its end. It
    must stop once the transfer has taken the socket away, or it reads a chunk of the file that the transfer's
    thread never gets (the upload then waits for bytes that never come)."""
    server = make_server(max_clients=0)
    alice = join(make_raw, server, "alice")
    data = bytes(range(256)) * 400  # 100 kB: more than one read of the reactor, less than the kernel's buffers
    token = ask_upload(alice, data)["token"]
    transfer = TransferSocket(server.server_port, token)  # accepted by the kernel; the server has not seen it yet
    try:
        transfer.send(data)
        transfer.sock.shutdown(socket.SHUT_WR)
        stored = in_thread(qtbot, transfer.line)
    finally:
        transfer.close()
    assert stored == {"type": "stored", "file": stored["file"], "sha256": sha256_of(data)}


def test_a_download_bigger_than_the_kernels_buffers_arrives_whole(make_server: MakeServer, make_raw: MakeRaw,
                                                                   qtbot: QtBot) -> None:
    """The server writes faster than the reader takes: its socket's buffer fills and the write must wait (a
    sendfile on the socket, which has a timeout and so is non-blocking underneath, failed with EAGAIN there)."""
    server = make_server(max_clients=0)
    alice, bob = join(make_raw, server, "alice"), join(make_raw, server, "bob")
    big = bytes(range(256)) * (32 * 4096)  # 32 MiB
    file_id, _ = share(qtbot, server, alice, big, name="big.bin")
    _, header, body = fetch(qtbot, server, bob, file_id)
    assert header["size"] == len(big)
    assert len(body) == len(big) and sha256_of(body) == sha256_of(big)


def test_an_old_partial_upload_is_deleted_at_start(make_server: MakeServer, make_raw: MakeRaw, qtbot: QtBot,
                                                    tmp_path: Path) -> None:
    db = str(tmp_path / "chat.db")
    server = make_server(max_clients=0, db_path=db)
    alice = join(make_raw, server, "alice")
    token = ask_upload(alice, PDF)["token"]
    with qtbot.waitSignal(server._files.threads.finished, timeout=WAIT_MS):
        in_thread(qtbot, lambda: upload_cut(server.server_port, token, PDF, 10_000))
    assert ask_upload(alice, PDF)["offset"] == 10_000
    with qtbot.waitSignal(server.stopped, timeout=WAIT_MS):
        server.stop()
    server.close()
    [partial] = (tmp_path / "chat-files" / "partial").iterdir()
    two_days_ago = time.time() - 2 * 86400
    os.utime(partial, (two_days_ago, two_days_ago))  # the interrupted upload was last written two days ago
    later = make_server(max_clients=0, db_path=db)
    qtbot.waitUntil(lambda: not partial.exists(), timeout=WAIT_MS)
    assert ask_upload(join(make_raw, later, "alice"), PDF)["offset"] == 0


def test_transfers_work_again_after_the_server_is_stopped_and_started(make_server: MakeServer, make_raw: MakeRaw,
                                                                      qtbot: QtBot) -> None:
    """The server window's Stop and Start use the same engine: the stop's end of the transfers must not last."""
    server = make_server(max_clients=0)
    share(qtbot, server, join(make_raw, server, "alice"), PDF)
    with qtbot.waitSignal(server.stopped, timeout=WAIT_MS):
        server.stop()
    assert server.listen()
    alice, bob = join(make_raw, server, "alice"), join(make_raw, server, "bob")
    file_id, _ = share(qtbot, server, alice, b"after the restart", name="again.txt")
    assert fetch(qtbot, server, bob, file_id)[2] == b"after the restart"


def test_a_second_upload_of_the_same_file_waits_while_the_first_runs(make_server: MakeServer, make_raw: MakeRaw,
                                                                     qtbot: QtBot) -> None:
    """A client that thinks its upload was cut asks again while the server's thread still writes it: the two would
    mix their bytes in one partial file."""
    server = make_server(max_clients=0)
    alice = join(make_raw, server, "alice")
    first = in_thread(qtbot, functools.partial(TransferSocket, server.server_port, ask_upload(alice, PDF)["token"]))
    try:
        in_thread(qtbot, lambda: first.send(PDF[:20_000]))
        qtbot.waitUntil(lambda: server._files.threads.count == 1, timeout=WAIT_MS)
        again = ask_upload(alice, PDF)
        refused = in_thread(qtbot, lambda: upload(server.server_port, again["token"], PDF, again["offset"]))
        assert refused["code"] == f.ERR_BUSY
        in_thread(qtbot, lambda: first.send(PDF[20_000:]))
        assert in_thread(qtbot, first.line)["type"] == "stored"
    finally:
        first.close()


def test_an_upload_refused_before_its_end_is_told_while_the_peer_still_sends(
        make_server: MakeServer, make_raw: MakeRaw, qtbot: QtBot) -> None:
    """The server refuses (too long) with megabytes still coming: closed at once with them unread, the connection was
    reset and the sender, still in its send, never read why."""
    server = make_server(max_clients=0)
    alice = join(make_raw, server, "alice")
    data = b"s" * 10_000
    ready = ask_upload(alice, data)
    answer = in_thread(qtbot, lambda: upload(server.server_port, ready["token"], data + bytes(8 * 1024 * 1024)))
    assert (answer["type"], answer["code"]) == ("error", f.ERR_TOO_LONG)
