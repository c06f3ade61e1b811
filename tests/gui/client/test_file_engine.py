"""The client engine's shares and downloads (issue 22) against the real server on loopback: hashing and each
transfer on a worker thread, the share's ACK, a verified download, cancel, and resuming after a reconnect and after
a new engine (an application restarted) on the same transfers.json."""

from __future__ import annotations

import hashlib
import json
import os
import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from chat_gui.client import (
    Acked,
    ChatMessage,
    Conversation,
    SharedFile,
    TransferDirection,
    TransferFailed,
    TransferFinished,
    TransferProblem,
    TransferProgress,
)
from chat_gui.client.engine import ChatClient, ClientState
from chat_gui.client.file_transfers import TRANSFERS_FILE
from chat_gui.client.pinning import KnownServers
from chat_server.core.engine import ChatServer
from chat_server.net.tls import create_self_signed
from tests.conftest import WAIT_MS
from tests.file_transfers import BlockingMember, TransferSocket, in_thread

DEV = Conversation.room("#dev")
TRANSFER_MS = 30_000
CONTENT = b"%PDF-1.7\n" + os.urandom(3 * 1024 * 1024 + 123)  # over three chunks, read as a PDF by the server
SHA = hashlib.sha256(CONTENT).hexdigest()


@pytest.fixture
def started(make_server: Callable[..., ChatServer], tmp_path: Path) -> ChatServer:
    return make_server(db_path=str(tmp_path / "chat.sqlite3"), max_clients=0)


@pytest.fixture
def clients(qtbot: QtBot) -> Iterator[Callable[..., ChatClient]]:
    """Connect ChatClients (with a client id and a transfers folder if given) and wait for their welcome."""
    made: list[ChatClient] = []

    def connect(server: ChatServer, name: str, folder: Path | None = None, client_id: str | None = None,
                wait: bool = True, known: KnownServers | None = None) -> ChatClient:
        client = ChatClient()
        made.append(client)
        client.transfers_folder = folder
        if known is not None:
            client.known_servers = known
        if client_id is not None:
            client.client_id = client_id
        if wait:
            with qtbot.waitSignal(client.welcomed, timeout=WAIT_MS):
                client.connect_to("127.0.0.1", server.server_port, name, tls=server.tls)
        else:
            client.connect_to("127.0.0.1", server.server_port, name, tls=server.tls)
        return client

    yield connect
    for client in made:
        if client.state is not ClientState.OFFLINE:
            client.abort()
        client.deleteLater()


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "report.pdf"
    path.write_bytes(CONTENT)
    return path


def in_dev(qtbot: QtBot, *members: ChatClient) -> None:
    for member in members:
        with qtbot.waitSignal(member.room_entered, timeout=WAIT_MS):
            member.join_room("#dev")


def shared(qtbot: QtBot, alice: ChatClient, bob: ChatClient, source: Path) -> tuple[str, SharedFile]:
    """alice shares ``source`` in #dev; the share's id and the file as bob's relay says it."""
    got: list[ChatMessage] = []
    bob.chat_received.connect(got.append)
    with qtbot.waitSignal(alice.transfer_finished, timeout=TRANSFER_MS) as finished:
        transfer_id = alice.share_file(source, DEV, "the report")
        assert transfer_id is not None
    assert isinstance(finished.args[0], TransferFinished) and finished.args[0].transfer_id == transfer_id
    qtbot.waitUntil(lambda: len(got) == 1, timeout=WAIT_MS)
    assert got[0].file is not None
    return transfer_id, got[0].file


def test_a_share_is_uploaded_announced_and_acked_with_its_file(
        qtbot: QtBot, started: ChatServer, clients: Callable[..., ChatClient], source: Path) -> None:
    alice, bob = clients(started, "alice"), clients(started, "bob")
    in_dev(qtbot, alice, bob)
    progress: list[TransferProgress] = []
    acks: list[Acked] = []
    finished: list[TransferFinished] = []
    got: list[ChatMessage] = []
    alice.transfer_progress.connect(progress.append)
    alice.message_acked.connect(lambda ack, _rtt: acks.append(ack))
    alice.transfer_finished.connect(finished.append)
    bob.chat_received.connect(got.append)

    transfer_id = alice.share_file(source, DEV, "the report")
    assert transfer_id is not None
    qtbot.waitUntil(lambda: len(finished) == 1 and len(got) == 1, timeout=TRANSFER_MS)

    [ack] = acks
    file = SharedFile(ack.file.id if ack.file else "", "report.pdf", len(CONTENT), "application/pdf", SHA)
    assert ack.id == transfer_id and ack.conversation == DEV and ack.file == file
    assert finished == [TransferFinished(transfer_id, TransferDirection.UP, source, file)]
    assert (got[0].sender, got[0].text, got[0].conversation, got[0].file) == ("alice", "the report", DEV, file)
    assert progress[-1].done == progress[-1].total == len(CONTENT) and progress[-1].direction is TransferDirection.UP
    assert all(note.transfer_id == transfer_id for note in progress)
    assert alice.transfers() == []


def test_a_download_is_verified_and_renamed_into_place(
        qtbot: QtBot, started: ChatServer, clients: Callable[..., ChatClient], source: Path, tmp_path: Path) -> None:
    alice, bob = clients(started, "alice"), clients(started, "bob")
    in_dev(qtbot, alice, bob)
    _, file = shared(qtbot, alice, bob, source)
    dest = tmp_path / "fetched.pdf"
    with qtbot.waitSignal(bob.transfer_finished, timeout=TRANSFER_MS) as finished:
        transfer_id = bob.download_file(file, dest)
    assert finished.args == [TransferFinished(transfer_id, TransferDirection.DOWN, dest, file)]
    assert hashlib.sha256(dest.read_bytes()).hexdigest() == SHA
    assert not (tmp_path / "fetched.pdf.part").exists()


def test_a_download_resumes_from_the_part_a_cut_left(
        qtbot: QtBot, started: ChatServer, clients: Callable[..., ChatClient], source: Path, tmp_path: Path) -> None:
    alice, bob = clients(started, "alice"), clients(started, "bob")
    in_dev(qtbot, alice, bob)
    _, file = shared(qtbot, alice, bob, source)
    dest = tmp_path / "fetched.pdf"
    (tmp_path / "fetched.pdf.part").write_bytes(CONTENT[:2 * 1024 * 1024 + 7])
    progress: list[TransferProgress] = []
    bob.transfer_progress.connect(progress.append)
    with qtbot.waitSignal(bob.transfer_finished, timeout=TRANSFER_MS):
        bob.download_file(file, dest)
    assert dest.read_bytes() == CONTENT
    assert progress[0].done == 2 * 1024 * 1024 + 7  # it started where the part ended


def test_a_download_whose_part_is_not_that_files_fails_as_corrupt_and_drops_it(
        qtbot: QtBot, started: ChatServer, clients: Callable[..., ChatClient], source: Path, tmp_path: Path) -> None:
    alice, bob = clients(started, "alice"), clients(started, "bob")
    in_dev(qtbot, alice, bob)
    _, file = shared(qtbot, alice, bob, source)
    dest = tmp_path / "fetched.pdf"
    (tmp_path / "fetched.pdf.part").write_bytes(b"x" * 1000)
    with qtbot.waitSignal(bob.transfer_failed, timeout=TRANSFER_MS) as failed:
        transfer_id = bob.download_file(file, dest)
    assert failed.args[0] == TransferFailed(transfer_id, TransferDirection.DOWN, TransferProblem.CORRUPT,
                                            "the file received does not match its SHA-256")
    assert not dest.exists() and not (tmp_path / "fetched.pdf.part").exists()


def test_a_non_member_cannot_download_a_rooms_file(
        qtbot: QtBot, started: ChatServer, clients: Callable[..., ChatClient], source: Path, tmp_path: Path) -> None:
    alice, bob = clients(started, "alice"), clients(started, "bob")
    in_dev(qtbot, alice, bob)
    _, file = shared(qtbot, alice, bob, source)
    carol = clients(started, "carol")
    with qtbot.waitSignal(carol.transfer_failed, timeout=TRANSFER_MS) as failed:
        carol.download_file(file, tmp_path / "stolen.pdf")
    assert failed.args[0].reason is TransferProblem.NO_SUCH_FILE and failed.args[0].text
    assert not (tmp_path / "stolen.pdf").exists() and not (tmp_path / "stolen.pdf.part").exists()


def test_cancel_ends_a_download_waiting_for_its_reply_and_one_under_way(
        qtbot: QtBot, started: ChatServer, clients: Callable[..., ChatClient], source: Path, tmp_path: Path) -> None:
    alice, bob = clients(started, "alice"), clients(started, "bob")
    in_dev(qtbot, alice, bob)
    _, file = shared(qtbot, alice, bob, source)
    failed: list[TransferFailed] = []
    bob.transfer_failed.connect(failed.append)

    waiting = bob.download_file(file, tmp_path / "a.pdf")
    assert bob.cancel_transfer(waiting)
    assert failed == [TransferFailed(waiting, TransferDirection.DOWN, TransferProblem.CANCELLED)]
    assert not bob.cancel_transfer(waiting)  # once

    def cancel_at_start(note: TransferProgress) -> None:
        if note.transfer_id == running and note.done == 0:
            bob.cancel_transfer(running)

    bob.transfer_progress.connect(cancel_at_start)
    running = bob.download_file(file, tmp_path / "b.pdf")
    qtbot.waitUntil(lambda: len(failed) == 2, timeout=TRANSFER_MS)
    assert failed[1] == TransferFailed(running, TransferDirection.DOWN, TransferProblem.CANCELLED)
    qtbot.waitUntil(lambda: not (tmp_path / "b.pdf.part").exists(), timeout=WAIT_MS)  # its thread drops the part
    assert bob.transfers() == [] and not (tmp_path / "a.pdf.part").exists()


def test_a_share_cancelled_while_hashing_sends_nothing(
        qtbot: QtBot, started: ChatServer, clients: Callable[..., ChatClient], source: Path) -> None:
    alice = clients(started, "alice")
    with qtbot.waitSignal(alice.transfer_failed, timeout=WAIT_MS) as failed:
        transfer_id = alice.share_file(source)
        assert transfer_id is not None and alice.cancel_transfer(transfer_id)
    assert failed.args[0] == TransferFailed(transfer_id, TransferDirection.UP, TransferProblem.CANCELLED)
    assert started.files() == []


def test_offline_a_share_is_not_taken_and_a_download_waits_for_the_welcome(
        qtbot: QtBot, started: ChatServer, clients: Callable[..., ChatClient], source: Path, tmp_path: Path) -> None:
    alice, bob = clients(started, "alice"), clients(started, "bob")
    in_dev(qtbot, alice, bob)
    _, file = shared(qtbot, alice, bob, source)
    bob.auto_reconnect = True
    bob.reconnect_delays_ms = (50,)
    dest = tmp_path / "fetched.pdf"
    with qtbot.waitSignal(bob.disconnected, timeout=WAIT_MS):
        bob.abort()
    assert bob.share_file(source, DEV) is None
    with qtbot.waitSignal(bob.transfer_finished, timeout=TRANSFER_MS):
        bob.download_file(file, dest)  # asked after the reconnect's welcome
    assert dest.read_bytes() == CONTENT


def test_a_request_cut_by_a_drop_is_asked_again_after_the_reconnect(
        qtbot: QtBot, started: ChatServer, clients: Callable[..., ChatClient], source: Path, tmp_path: Path) -> None:
    alice, bob = clients(started, "alice"), clients(started, "bob")
    in_dev(qtbot, alice, bob)
    _, file = shared(qtbot, alice, bob, source)
    bob.auto_reconnect = True
    bob.reconnect_delays_ms = (50,)
    dest = tmp_path / "fetched.pdf"
    with qtbot.waitSignal(bob.transfer_finished, timeout=TRANSFER_MS):
        bob.download_file(file, dest)  # the request is written...
        bob.abort()  # ...and the connection cut before its reply
    assert dest.read_bytes() == CONTENT


def test_a_new_engine_on_the_same_transfers_file_resumes_a_share_and_a_download(
        qtbot: QtBot, started: ChatServer, clients: Callable[..., ChatClient], source: Path, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    alice, bob = clients(started, "alice", folder, "alice-id"), clients(started, "bob", folder, "bob-id")
    in_dev(qtbot, alice, bob)
    _, file = shared(qtbot, alice, bob, source)

    # Both windows close (the application quits) with a share and a download not done.
    share_id = alice.share_file(source, DEV, "again")
    download_id = bob.download_file(file, tmp_path / "fetched.pdf")
    assert share_id is not None
    kept = json.loads((folder / TRANSFERS_FILE).read_text(encoding="utf-8"))
    assert {entry["id"] for client in kept.values() for entry in client["transfers"]} == {share_id, download_id}
    for gone in (alice, bob):
        with qtbot.waitSignal(gone.disconnected, timeout=WAIT_MS):
            gone.abort()
        gone.transfers_folder = None  # that run is over: its threads still ending write nothing more

    # The next run: new engines, the same folder and client ids.
    got: list[ChatMessage] = []
    carol = clients(started, "carol")
    with qtbot.waitSignal(carol.room_entered, timeout=WAIT_MS):
        carol.join_room("#dev")
    carol.chat_received.connect(got.append)
    alice2 = clients(started, "alice", folder, "alice-id", wait=False)
    bob2 = clients(started, "bob", folder, "bob-id", wait=False)
    finished: list[TransferFinished] = []
    acks: list[Acked] = []
    for client in (alice2, bob2):
        client.transfer_finished.connect(finished.append)
    alice2.message_acked.connect(lambda ack, _rtt: acks.append(ack))
    qtbot.waitUntil(lambda: len(finished) == 2, timeout=TRANSFER_MS)
    assert {(done.transfer_id, done.direction) for done in finished} == {
        (share_id, TransferDirection.UP), (download_id, TransferDirection.DOWN)}
    assert [ack.id for ack in acks] == [share_id] and acks[0].file is not None and acks[0].file.sha256 == SHA
    assert (tmp_path / "fetched.pdf").read_bytes() == CONTENT
    qtbot.waitUntil(lambda: any(message.text == "again" for message in got), timeout=WAIT_MS)
    assert json.loads((folder / TRANSFERS_FILE).read_text(encoding="utf-8")) == {}


def test_over_tls_a_share_and_a_download_use_the_pinned_certificate(
        qtbot: QtBot, make_server: Callable[..., ChatServer], clients: Callable[..., ChatClient], source: Path,
        tmp_path: Path) -> None:
    create_self_signed(tmp_path / "cert.pem", tmp_path / "key.pem")
    server = make_server(db_path=str(tmp_path / "chat.sqlite3"), tls_cert=str(tmp_path / "cert.pem"),
                         tls_key=str(tmp_path / "key.pem"))
    known = KnownServers(tmp_path / "known_servers.json")
    alice, bob = clients(server, "alice", known=known), clients(server, "bob", known=known)
    assert server.tls and alice.server_fingerprint == server.tls_fingerprint
    in_dev(qtbot, alice, bob)
    _, file = shared(qtbot, alice, bob, source)
    with qtbot.waitSignal(bob.transfer_finished, timeout=TRANSFER_MS):
        bob.download_file(file, tmp_path / "fetched.pdf")
    assert (tmp_path / "fetched.pdf").read_bytes() == CONTENT


def test_a_share_resumes_an_upload_the_server_holds_part_of(
        qtbot: QtBot, started: ChatServer, clients: Callable[..., ChatClient], source: Path, tmp_path: Path) -> None:
    held = 1024 * 1024 + 5

    def cut_upload() -> None:  # alice, in another window, sent some of the file before its connection was cut
        member = BlockingMember(started.server_port, "alice")
        member.say(type="upload", id="u1", name="report.pdf", size=len(CONTENT), sha256=SHA)
        ready = member.expect("upload_ready", id="u1")
        transfer = TransferSocket(started.server_port, ready["token"], 0)
        transfer.send(CONTENT[:held])
        transfer.sock.shutdown(socket.SHUT_WR)  # the end of the bytes, all of them read by the server first
        while transfer.sock.recv(65536):
            pass  # until the server has closed it (kept the partial file)
        transfer.close()
        member.sock.close()

    in_thread(qtbot, cut_upload)
    alice = clients(started, "alice", client_id="id-of-alice")
    progress: list[TransferProgress] = []
    alice.transfer_progress.connect(progress.append)
    with qtbot.waitSignal(alice.transfer_finished, timeout=TRANSFER_MS) as finished:
        alice.share_file(source)
    assert progress[0].done == held and progress[-1].done == len(CONTENT)  # only the rest was sent
    assert finished.args[0].file.sha256 == SHA


def test_transfers_wait_for_their_own_server_and_member(
        qtbot: QtBot, started: ChatServer, make_server: Callable[..., ChatServer], clients: Callable[..., ChatClient],
        source: Path, tmp_path: Path) -> None:
    alice = clients(started, "alice")
    bob = clients(started, "bob", tmp_path / "data", "bob-id")
    in_dev(qtbot, alice, bob)
    _, file = shared(qtbot, alice, bob, source)
    with qtbot.waitSignal(bob.disconnected, timeout=WAIT_MS):
        bob.abort()
    waiting = bob.download_file(file, tmp_path / "fetched.pdf")  # for the next welcome of this server

    other = make_server(db_path=str(tmp_path / "other.sqlite3"))
    with qtbot.waitSignal(bob.transfer_failed, timeout=WAIT_MS) as failed:
        bob.connect_to("127.0.0.1", other.server_port, "bob")
    assert (failed.args[0].transfer_id, failed.args[0].reason) == (waiting, TransferProblem.UNAVAILABLE)
    qtbot.waitUntil(lambda: bob.state is ClientState.ONLINE, timeout=WAIT_MS)
    assert bob.transfers() == []  # nothing asked of the other server

    with qtbot.waitSignal(bob.transfer_finished, timeout=TRANSFER_MS) as finished:
        bob.connect_to("127.0.0.1", started.server_port, "bob")  # back: taken again from transfers.json
    assert finished.args[0].transfer_id == waiting
    assert (tmp_path / "fetched.pdf").read_bytes() == CONTENT
