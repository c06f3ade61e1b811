"""Files (issue 22), from a hostile review over real sockets: what a member could do to the others' files and limits
by claims the server took on its word (a stored content's size), uploads left unfinished (their partial files), a
flood of requests (the others' tokens), transfers that trickle (the server's places for transfers), and TLS downloads
to peers that read slowly or not at all (the server's memory)."""

from __future__ import annotations

import contextlib
import json
import socket
import ssl
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from chat_server.core import file_tokens
from chat_server.core.engine import ChatServer
from chat_server.net import tls_transfers, transfers
from chat_server.net.tls import create_self_signed
from chat_server.net.transfer_jobs import DownloadJob
from chat_server.protocol import files as f
from tests.conftest import WAIT_MS, RawClient
from tests.file_transfers import BlockingMember, LineSocket, TransferSocket, download, in_thread, sha256_of, upload
from tests.integration.test_files import PDF, ask_upload, fetch, put, share
from tests.integration.test_rooms_json import join

MakeServer = Callable[..., ChatServer]
MakeRaw = Callable[[ChatServer], RawClient]

TRICKLE_MAX = 50
"""The trickling peer's bytes at most (10 s at one every 0.2 s; the server's idle time made 1 s)."""


def test_a_claim_of_stored_content_with_another_size_is_not_taken_as_that_content(
        make_server: MakeServer, make_raw: MakeRaw, qtbot: QtBot) -> None:
    # Before: the same digest was enough, so a record of any size (counted so in the quota and the total) was made
    # of the stored content, and its downloads were cut at the blob's end.
    server = make_server(max_clients=0)
    alice, bob = join(make_raw, server, "alice"), join(make_raw, server, "bob")
    share(qtbot, server, alice, PDF)
    for size in (10, len(PDF) + 1):
        bob.send(type="upload", id=f"claim{size}", name="x.pdf", size=size, sha256=sha256_of(PDF))
        ready = bob.expect(id=f"claim{size}")
        assert (ready["type"], ready["offset"], "file" in ready) == ("upload_ready", 0, False), ready
    again = ask_upload(alice, PDF, name="copy.pdf")  # the true size, by its uploader: nothing to send
    assert (again["offset"], "file" in again) == (len(PDF), True)
    assert sorted((row.name, row.size) for row in server.files()) == [("report.pdf", len(PDF))]  # (shared only)


def test_content_stored_by_another_is_not_had_by_its_digest_alone_but_still_stored_once(
        make_server: MakeServer, make_raw: MakeRaw, qtbot: QtBot, tmp_path: Path) -> None:
    # Before: a digest and a size (on every card of the file) were enough to have a file made of stored content, in
    # a conversation of one's own, and to fetch it from there: a member removed from the room (or one who only saw
    # the record) could read the file without ever having had its bytes.
    server = make_server(max_clients=0, db_path=str(tmp_path / "chat.sqlite3"))
    alice, _bob = join(make_raw, server, "alice"), join(make_raw, server, "bob")
    mallory = join(make_raw, server, "mallory")
    share(qtbot, server, alice, PDF, to="bob")  # between alice and bob: mallory may not read it
    claim = ask_upload(mallory, PDF, name="mine.pdf", to="alice")
    assert (claim["type"], claim["offset"], "file" in claim) == ("upload_ready", 0, False), claim
    _file_id, ack = share(qtbot, server, mallory, PDF, name="mine.pdf", to="alice")  # with the bytes: fine
    assert ack["type"] == "ack"
    blobs = list((tmp_path / "chat-files" / "blobs").rglob("*"))
    assert [blob.name for blob in blobs if blob.is_file()] == [sha256_of(PDF)], "the content is still stored once"


def test_unfinished_uploads_count_against_the_daily_quota(make_server: MakeServer, make_raw: MakeRaw,
                                                          qtbot: QtBot) -> None:
    # Before: only stored files counted, so a member could leave any number of partial files (each kept a day)
    # just short of their end, past its quota and the disk.
    server = make_server(max_clients=0, max_file_mb=1, file_quota_mb=1)
    alice = join(make_raw, server, "alice")
    first = b"a" * 900_000
    ready = ask_upload(alice, first)

    def send_part() -> None:  # 800 kB, then the end of its sending (read to the server's close: no reset)
        transfer = TransferSocket(server.server_port, ready["token"])
        transfer.send(first[:800_000])
        transfer.sock.shutdown(socket.SHUT_WR)
        transfer.rest()
        transfer.close()

    in_thread(qtbot, send_part)

    def held() -> None:
        again = ask_upload(alice, first)
        assert (again["type"], again["offset"]) == ("upload_ready", 800_000), again

    qtbot.waitUntil(held, timeout=10_000)  # the cut one resumes: its own partial is not counted twice
    over = ask_upload(alice, b"b" * 900_000)
    assert (over["type"], over.get("code")) == ("error", f.ERR_QUOTA_EXCEEDED)
    assert over["text"] == "You may upload 1 MB a day; 0.9 MB are used."  # the rest of it too: a token waits
    assert ask_upload(alice, b"c" * 100_000)["type"] == "upload_ready"  # what fits beside it is taken


def test_a_flood_of_requests_by_one_member_does_not_drop_the_others_tokens(
        make_server: MakeServer, make_raw: MakeRaw, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    # Before: past MAX_TOKENS the server's oldest token went, whoever's it was: one member asking again and again
    # made every other member's transfer fail with bad_token.
    monkeypatch.setattr(file_tokens, "MAX_TOKENS", 40)
    monkeypatch.setattr(file_tokens, "MAX_TOKENS_PER_KEY", 8)
    server = make_server(max_clients=0)
    alice, bob = join(make_raw, server, "alice"), join(make_raw, server, "bob")
    file_id, _ = share(qtbot, server, alice, PDF)
    bob.send(type="download", id="bob1", file=file_id)
    token = bob.expect(type="download_ready", id="bob1")["token"]
    for number in range(60):
        alice.send(type="download", id=f"flood{number}", file=file_id)
    alice.expect(type="download_ready", id="flood59")
    header, body = in_thread(qtbot, lambda: download(server.server_port, token))
    assert (header["type"], body) == ("sending", PDF)
    assert fetch(qtbot, server, alice, file_id)[2] == PDF  # the flooder's newest still work


@pytest.mark.parametrize("tls", [False, True], ids=["plain", "tls"])
def test_a_transfer_that_trickles_a_byte_now_and_then_is_cut(
        make_server: MakeServer, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, tls: bool) -> None:
    # Before: a peer only had to move one byte within each idle time (60 s) to hold its transfer slot for ever, so
    # 16 such (four members' worth) locked every transfer out of the server.
    monkeypatch.setattr(transfers, "TRANSFER_IDLE_S", 1.0)
    monkeypatch.setattr(tls_transfers, "TLS_IDLE_S", 1.0)
    settings: dict[str, object] = {}
    if tls:
        create_self_signed(tmp_path / "cert.pem", tmp_path / "key.pem")
        settings = {"tls_cert": str(tmp_path / "cert.pem"), "tls_key": str(tmp_path / "key.pem")}
    server = make_server(max_clients=0, **settings)
    port = server.server_port

    def trickle() -> tuple[int, bool, int]:
        """A byte every 0.2 s (paced by reads that wait that long for the server's end); how many were sent,
        whether the server ended it, and what it held then."""
        alice = BlockingMember(port, "alice", tls=tls)
        alice.say(type="upload", id="u1", name="slow.pdf", size=len(PDF), sha256=sha256_of(PDF))
        transfer = TransferSocket(port, alice.expect("upload_ready", id="u1")["token"], tls=tls)
        transfer.sock.settimeout(0.2)
        sent, ended = 0, False
        while sent < TRICKLE_MAX and not ended:
            try:
                transfer.send(PDF[sent:sent + 1])
                sent += 1
                while transfer.sock.recv(4096):  # the greeting; then the end
                    pass
                ended = True
            except TimeoutError:
                continue
            except OSError:  # reset while sending
                ended = True
        transfer.close()
        alice.say(type="upload", id="u2", name="slow.pdf", size=len(PDF), sha256=sha256_of(PDF))
        held = alice.expect("upload_ready", id="u2")["offset"]
        alice.close()
        return sent, ended, held

    sent, ended, held = in_thread(qtbot, trickle, timeout_ms=30_000)
    assert ended, f"still open after {sent} bytes in {sent * 0.2:.0f} s"
    assert held <= sent  # cut, not failed: what came is kept for a resume (none, if cut before a byte came)
    qtbot.waitUntil(lambda: server._files.threads.count == 0, timeout=WAIT_MS)  # its place is free again


def test_a_full_server_lets_in_no_more_connections_from_an_address_than_the_tokens_it_holds(
        make_server: MakeServer, make_raw: MakeRaw, qtbot: QtBot) -> None:
    # Before: one token let every connection from its address past a full server (or busy logins), each sitting
    # there unannounced until it spoke: one member could open thousands.
    server = make_server(max_clients=2)
    alice, _ = join(make_raw, server, "alice"), join(make_raw, server, "bob")
    ask_upload(alice, PDF)  # one token waits for a transfer from this address
    refused: list[str] = []
    server.connection_refused.connect(lambda address, line: refused.append(line))
    silent = [make_raw(server) for _ in range(10)]
    qtbot.waitUntil(lambda: sum(raw.closed for raw in silent) == 9, timeout=WAIT_MS)
    assert len(refused) == 9 and all(line.startswith("Server is full (") for line in refused), refused
    let_in = next(raw for raw in silent if not raw.closed)
    let_in.send('{"type":"transfer","token":"' + "0" * 32 + '","offset":0}\n')  # it may still transfer (a bad one)
    let_in.wait_line(lambda line: '"code":"bad_token"' in line)


def test_uploads_asked_for_and_not_yet_sent_count_against_the_daily_quota(
        make_server: MakeServer, make_raw: MakeRaw, qtbot: QtBot) -> None:
    # Before: the quota was checked against what was stored only, so a member could ask for any number of uploads
    # first (each token lives five minutes) and then send them all, far past its quota.
    server = make_server(max_clients=0, max_file_mb=1, file_quota_mb=1)
    alice = join(make_raw, server, "alice")
    first, second = b"a" * 600_000, b"b" * 600_000
    ready = ask_upload(alice, first)
    assert ask_upload(alice, first)["type"] == "upload_ready"  # the same one asked again is not counted twice
    over = ask_upload(alice, second)
    assert (over["type"], over.get("code")) == ("error", f.ERR_QUOTA_EXCEEDED), over
    assert over["text"] == "You may upload 1 MB a day; 0.6 MB are used."
    in_thread(qtbot, lambda: upload(server.server_port, ready["token"], first))
    assert ask_upload(alice, second).get("code") == f.ERR_QUOTA_EXCEEDED  # stored now: counted once still


def test_a_download_token_is_no_use_to_a_member_who_left_the_room_or_once_the_file_expired(
        make_server: MakeServer, make_raw: MakeRaw, qtbot: QtBot) -> None:
    # Before: who may read the file was asked at the request only, so a member removed from a room (or who left it)
    # still fetched its file with a token got before, for five minutes; as did anyone once the operator deleted it.
    server = make_server(max_clients=0)
    alice, bob = join(make_raw, server, "alice"), join(make_raw, server, "bob")
    for member in (alice, bob):
        member.send(type="join", room="#dev")
        member.expect(type="room")
    file_id, _ = share(qtbot, server, alice, PDF, room="#dev")
    bob.send(type="download", id="before", file=file_id)
    token = bob.expect(type="download_ready", id="before")["token"]
    bob.send(type="leave", room="#dev")
    bob.expect(type="left", name="bob", room="#dev")
    header, body = in_thread(qtbot, lambda: download(server.server_port, token))
    assert (header["type"], header.get("code"), body) == ("error", f.ERR_NO_SUCH_FILE, b"")
    alice.send(type="download", id="mine", file=file_id)
    token = alice.expect(type="download_ready", id="mine")["token"]
    assert server.delete_file(file_id)
    header, body = in_thread(qtbot, lambda: download(server.server_port, token))
    assert (header["type"], header.get("code"), body) == ("error", f.ERR_FILE_EXPIRED, b"")


def test_an_upload_stored_and_not_yet_shared_asked_for_again_is_the_same_file_counted_once(
        make_server: MakeServer, make_raw: MakeRaw, qtbot: QtBot) -> None:
    # Before: each ask for content stored already made one more record, each counted whole in the quota: a client
    # that asked again for its own upload (its "stored" line lost to a cut) was refused over its quota, and asks for
    # an empty file stored once made rows without end (0 bytes against the quota).
    server = make_server(max_clients=0, max_file_mb=1, file_quota_mb=1)
    alice = join(make_raw, server, "alice")
    data = b"a" * 600_000
    file_id = put(qtbot, server, alice, data)
    again = ask_upload(alice, data)
    assert (again["type"], again.get("file"), again.get("offset")) == ("upload_ready", file_id, len(data)), again
    empty = put(qtbot, server, alice, b"", name="empty.txt")
    assert {ask_upload(alice, b"", name="empty.txt")["file"] for _ in range(3)} == {empty}
    join(make_raw, server, "bob")
    elsewhere = ask_upload(alice, b"", name="empty.txt", to="bob")  # another conversation: a record of its own
    assert elsewhere.get("file") not in (None, empty)


def test_a_tls_download_to_a_peer_that_does_not_read_holds_at_most_8_mib_in_the_server(
        make_server: MakeServer, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # Before: the bound counted only the bytes Qt had not yet encrypted (bytesToWrite), so the whole file went into
    # Qt's buffer of encrypted bytes (32 MiB here; a 1 GB file, 1 GB) while the peer did not read.
    create_self_signed(tmp_path / "cert.pem", tmp_path / "key.pem")
    server = make_server(max_clients=0, tls_cert=str(tmp_path / "cert.pem"), tls_key=str(tmp_path / "key.pem"))
    data = bytes(range(256)) * (32 * 4096)  # 32 MiB
    port = server.server_port
    reading = threading.Event()
    started: list[tls_transfers.TlsTransfer] = []

    class Watched(tls_transfers.TlsTransfer):
        def __init__(self, *args: Any) -> None:
            super().__init__(*args)
            started.append(self)

    monkeypatch.setattr(transfers, "TlsTransfer", Watched)

    def fetch_late() -> bytes:
        """Share ``data``, ask for it back, read the ``sending`` line, then nothing until the test says so."""
        alice = BlockingMember(port, "alice", tls=True)
        try:
            alice.say(type="upload", id="u", name="big.bin", size=len(data), sha256=sha256_of(data))
            stored = upload(port, alice.expect("upload_ready", id="u")["token"], data, tls=True)
            alice.say(type="chat", id="c", text="", file=stored["file"])
            alice.expect("ack", id="c")
            alice.say(type="download", id="d", file=stored["file"])
            transfer = TransferSocket(port, alice.expect("download_ready", id="d")["token"], tls=True)
            assert transfer.line()["type"] == "sending"
            reading.wait(30)
            body = transfer.rest()
            transfer.close()
            return body
        finally:
            alice.close()

    box: dict[str, bytes] = {}
    thread = threading.Thread(target=lambda: box.update(body=fetch_late()), daemon=True)
    thread.start()
    seen: list[tuple[int, int]] = []

    def held_steady() -> None:
        """The download's bytes handed to Qt and Qt's buffers, unchanged over 20 looks in a row."""
        downloads = [made for made in started if isinstance(made._running.job, DownloadJob)]
        assert downloads
        tls = downloads[0]
        sock = tls._socket
        seen.append((tls._written, sock.bytesToWrite() + sock.encryptedBytesToWrite()))
        assert seen[-1][0] >= 8 * 1024 * 1024 and len(seen) > 20 and len(set(seen[-20:])) == 1

    try:
        qtbot.waitUntil(held_steady, timeout=30_000)
    finally:
        reading.set()
    assert seen[-1][1] <= tls_transfers.TLS_PENDING_BYTES + 2 * 1024 * 1024, seen[-1]
    qtbot.waitUntil(lambda: not thread.is_alive(), timeout=30_000)
    assert box["body"] == data


def test_a_tls_download_read_steadily_is_not_cut_while_its_last_megabytes_drain(
        make_server: MakeServer, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # With the 8 MiB bound kept (the test before), a download's progress counted as what its thread handed to Qt
    # stops while the last 8 MiB wait in Qt's buffers: a reader slower than 8 MiB per idle time (60 s: about
    # 140 kB/s) was cut at its end. Progress is what Qt has sent on. (On the code before both, this passed: the
    # whole file went into Qt's buffers at once.)
    monkeypatch.setattr(tls_transfers, "TLS_IDLE_S", 2.0)
    monkeypatch.setattr(tls_transfers, "MIN_BYTES_PER_WINDOW", 16 * 1024)  # far below the reader's pace
    create_self_signed(tmp_path / "cert.pem", tmp_path / "key.pem")
    server = make_server(max_clients=0, tls_cert=str(tmp_path / "cert.pem"), tls_key=str(tmp_path / "key.pem"))
    data = bytes(range(256)) * 48_000  # 12 MB: the last 8 MiB wait in the server's socket at the end
    port = server.server_port

    def steady() -> bytes:
        """Share ``data`` and read it back at 1 MiB a second (paced by reads of a socket nobody writes to)."""
        alice = BlockingMember(port, "alice", tls=True)
        idle, quiet = socket.socketpair()
        try:
            alice.say(type="upload", id="u", name="big.bin", size=len(data), sha256=sha256_of(data))
            stored = upload(port, alice.expect("upload_ready", id="u")["token"], data, tls=True)
            alice.say(type="chat", id="c", text="", file=stored["file"])
            alice.expect("ack", id="c")
            alice.say(type="download", id="d", file=stored["file"])
            token = alice.expect("download_ready", id="d")["token"]
            # A transfer connection made by hand, with a small receive buffer: the bytes wait in the server.
            transfer = LineSocket.__new__(LineSocket)
            plain = socket.socket()
            plain.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * 1024)
            plain.settimeout(10.0)
            plain.connect(("127.0.0.1", port))
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
            transfer.sock, transfer._buffer = context.wrap_socket(plain, server_hostname="127.0.0.1"), b""
            transfer.send((json.dumps({"type": "transfer", "token": token, "offset": 0}) + "\n").encode())
            assert transfer.line()["type"] == "sending"
            body = bytearray(transfer._buffer)  # what came with the line
            idle.settimeout(1.0)
            while len(body) < len(data):
                chunk = transfer.sock.recv(1 << 20)
                if not chunk:
                    break
                body += chunk
                if len(body) % (1 << 20) < len(chunk):  # a MiB more: wait a moment
                    with contextlib.suppress(TimeoutError):
                        idle.recv(1)
            transfer.close()
            return bytes(body)
        finally:
            idle.close()
            quiet.close()
            alice.close()

    assert in_thread(qtbot, steady, timeout_ms=60_000) == data
