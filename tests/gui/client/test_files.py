"""The client session's shares and downloads (issue 22), sans-I/O: what the engine's threads and the server say in,
requests and transfer orders out (files.py, through ClientSession)."""

from __future__ import annotations

import json
from pathlib import Path

from chat_gui.client import (
    Acked,
    ChatMessage,
    Conversation,
    HistoryPageReceived,
    ProblemReported,
    SharedFile,
    TransferDirection,
    TransferFailed,
    TransferFinished,
    TransferProblem,
)
from chat_gui.client.files import MAX_TRIES, ClientFiles, Download, Phase, Share, StartDownload, StartUpload
from chat_gui.client.session import ClientSession
from chat_server import protocol as p

DEV = Conversation.room("#dev")
SHA = "ab" * 32
FILE_ID = "0f" * 16
TOKEN = "1e" * 16
REF = p.FileRef(id=FILE_ID, name="report.pdf", size=1234, mime="application/pdf", sha256=SHA)


def online(version: int = p.ROOMS_VERSION) -> ClientSession:
    session = ClientSession("id-alice")
    session.connect("127.0.0.1", 4000, "alice")
    session.open()
    session.opened()
    rooms = (p.JoinedRoom("#lobby", "", False, None), p.JoinedRoom("#dev", "", False, None))
    session.receive(p.Welcome(name="alice", online=1, max_clients=0, members=("alice",), version=version,
                              rooms=rooms if version >= p.ROOMS_VERSION else ()), 0.0)
    return session


def share(session: ClientSession, conversation: Conversation = DEV) -> Share:
    job = Share(session.new_id(), "/tmp/report.pdf", conversation, "the report", "report.pdf", 1234,
                "application/pdf")
    session.files.share(job)
    return job


def test_a_share_is_hashed_asked_for_sent_announced_and_finished_at_its_ack() -> None:
    session = online()
    job = share(session)
    assert session.files.hashed(job.id, SHA, online=True) == [
        p.UploadRequest(id=job.id, name="report.pdf", size=1234, sha256=SHA, room="#dev")]
    [start] = session.receive(p.UploadReady(id=job.id, token=TOKEN, offset=100), 1.0)
    assert start == StartUpload(job, TOKEN, 100) and job.phase is Phase.SENDING
    [chat] = session.filed(session.files.stored(job.id, FILE_ID), 2.0)
    assert chat == p.Chat(id=job.id, text="the report", room="#dev", file=FILE_ID)
    assert session.pending == [chat]  # acknowledged as any chat is
    acked, finished = session.receive(p.Ack(id=job.id, seq=7, time=3.0, room="#dev"), 3.0)
    shared = SharedFile(FILE_ID, "report.pdf", 1234, "application/pdf", SHA)
    assert isinstance(acked, Acked) and acked.file == shared and acked.conversation == DEV
    assert finished == TransferFinished(job.id, TransferDirection.UP, Path("/tmp/report.pdf"),
                                        shared)
    assert session.files.shares == {} and session.pending == []


def test_content_the_server_holds_already_is_announced_at_once() -> None:
    session = online()
    job = share(session, Conversation.direct("bob"))
    assert session.files.hashed(job.id, SHA, online=True)[0] == p.UploadRequest(
        id=job.id, name="report.pdf", size=1234, sha256=SHA, to="bob")
    [chat] = session.receive(p.UploadReady(id=job.id, token=TOKEN, offset=1234, file=FILE_ID), 1.0)
    assert chat == p.Chat(id=job.id, text="the report", to="bob", file=FILE_ID)


def test_a_share_to_lobby_names_no_room() -> None:
    session = online()
    job = share(session, Conversation.room("#lobby"))
    assert session.files.hashed(job.id, SHA, online=True) == [
        p.UploadRequest(id=job.id, name="report.pdf", size=1234, sha256=SHA)]


def test_an_upload_refused_fails_the_share_without_a_chat_problem() -> None:
    session = online()
    job = share(session)
    session.files.hashed(job.id, SHA, online=True)
    out = session.receive(p.Error(code=p.ERR_QUOTA_EXCEEDED, text="Your quota is used up.", id=job.id), 1.0)
    assert out[1:] == [TransferFailed(job.id, TransferDirection.UP, TransferProblem.QUOTA, "Your quota is used up.")]
    assert not any(isinstance(event, ProblemReported) for event in out)


def test_a_share_chat_refused_fails_the_share_and_is_a_problem_of_the_message() -> None:
    session = online()
    job = share(session)
    session.files.hashed(job.id, SHA, online=True)
    session.filed(session.files.stored(job.id, FILE_ID), 1.0)
    out = session.receive(p.Error(code=p.ERR_NO_SUCH_FILE, text="No such file.", id=job.id), 1.0)
    assert ProblemReported("No such file.", job.id, None) in out
    assert out[-1] == TransferFailed(job.id, TransferDirection.UP, TransferProblem.NO_SUCH_FILE, "No such file.")


def test_offline_a_hashed_share_waits_for_the_welcome_and_a_request_unanswered_is_asked_again() -> None:
    session = online()
    job = share(session)
    session.files.hashed(job.id, SHA, online=True)
    session.closed()
    assert job.phase is Phase.WAITING
    other = share(session)
    assert session.files.hashed(other.id, SHA, online=False) == []
    session.open()
    session.opened()
    out = session.receive(p.Welcome(name="alice", online=1, max_clients=0, members=("alice",),
                                    version=p.ROOMS_VERSION, rooms=(p.JoinedRoom("#lobby", "", False, None),)), 2.0)
    assert [m.id for m in out if isinstance(m, p.UploadRequest)] == [job.id, other.id]


def test_a_share_chat_sent_before_a_drop_is_resent_after_the_welcome() -> None:
    session = online()
    job = share(session)
    session.files.hashed(job.id, SHA, online=True)
    [chat] = session.filed(session.files.stored(job.id, FILE_ID), 1.0)
    session.closed()
    session.open()
    session.opened()
    session.receive(p.Welcome(name="alice", online=1, max_clients=0, members=("alice",),
                              version=p.ROOMS_VERSION, rooms=(p.JoinedRoom("#lobby", "", False, None),)), 2.0)
    assert session.flush_outbox(2.0) == [chat]


def test_a_cut_transfer_is_asked_for_again_until_it_stops_moving() -> None:
    session = online()
    job = share(session)
    session.files.hashed(job.id, SHA, online=True)
    asked = [p.UploadRequest(id=job.id, name="report.pdf", size=1234, sha256=SHA, room="#dev")]
    # A cut after bytes moved starts the count afresh; MAX_TRIES cuts in a row without a byte more end it.
    for progressed in (True, *[False] * (MAX_TRIES - 1)):
        session.receive(p.UploadReady(id=job.id, token=TOKEN, offset=0), 1.0)
        assert session.files.broke(job.id, TransferProblem.CONNECTION, "cut", progressed, online=True) == asked
    session.receive(p.UploadReady(id=job.id, token=TOKEN, offset=0), 1.0)
    assert session.files.broke(job.id, TransferProblem.CONNECTION, "cut", progressed=False, online=True) == [
        TransferFailed(job.id, TransferDirection.UP, TransferProblem.CONNECTION, "cut")]


def test_a_cut_while_offline_waits_for_the_welcome() -> None:
    session = online()
    job = share(session)
    session.files.hashed(job.id, SHA, online=True)
    session.receive(p.UploadReady(id=job.id, token=TOKEN, offset=0), 1.0)
    session.closed()
    assert session.files.broke(job.id, TransferProblem.CONNECTION, "cut", progressed=True, online=False) == []
    assert job.phase is Phase.WAITING


def test_a_corrupt_upload_fails_at_once() -> None:
    session = online()
    job = share(session)
    session.files.hashed(job.id, SHA, online=True)
    session.receive(p.UploadReady(id=job.id, token=TOKEN, offset=0), 1.0)
    assert session.files.broke(job.id, TransferProblem.CORRUPT, "mismatch", progressed=True, online=True) == [
        TransferFailed(job.id, TransferDirection.UP, TransferProblem.CORRUPT, "mismatch")]


def test_a_download_is_asked_for_then_started_with_the_servers_record() -> None:
    session = online()
    wanted = SharedFile(FILE_ID, "report.pdf", 1234, "application/pdf", SHA)
    job = Download(session.new_id(), wanted, "/tmp/out.pdf")
    assert session.files.download(job, online=True) == [p.DownloadRequest(id=job.id, file=FILE_ID)]
    [start] = session.receive(p.DownloadReady(id=job.id, token=TOKEN, file=REF), 1.0)
    assert start == StartDownload(job, TOKEN) and job.file == wanted
    assert session.files.downloaded(job.id) == [
        TransferFinished(job.id, TransferDirection.DOWN, Path("/tmp/out.pdf"), wanted)]


def test_a_download_refused_fails_with_the_servers_words() -> None:
    session = online()
    job = Download(session.new_id(), SharedFile(FILE_ID, "x", 1, "text/plain", SHA), "/tmp/x")
    session.files.download(job, online=True)
    out = session.receive(p.Error(code=p.ERR_NO_SUCH_FILE, text="No such file.", id=job.id), 1.0)
    assert out[1:] == [TransferFailed(job.id, TransferDirection.DOWN, TransferProblem.NO_SUCH_FILE, "No such file.")]


def test_a_version_1_server_fails_what_waited() -> None:
    session = ClientSession("id")
    job = Download("d1", SharedFile(FILE_ID, "x", 1, "text/plain", SHA), "/tmp/x")
    assert session.files.download(job, online=False) == []
    session.connect("127.0.0.1", 4000, "alice")
    session.open()
    session.opened()
    out = session.receive(p.Welcome(name="alice", online=1, max_clients=0, version=1), 0.0)
    assert out[-1] == TransferFailed("d1", TransferDirection.DOWN, TransferProblem.UNAVAILABLE)


def test_cancel_stops_a_running_transfer_and_cannot_take_back_an_announced_share() -> None:
    session = online()
    job = share(session)
    assert session.files.cancel(job.id) == (True, [
        TransferFailed(job.id, TransferDirection.UP, TransferProblem.CANCELLED)])  # while hashing: its thread stops
    announced = share(session)
    session.files.hashed(announced.id, SHA, online=True)
    session.files.stored(announced.id, FILE_ID)
    assert session.files.cancel(announced.id) == (False, [])
    assert session.files.cancel("nothing") == (False, [])
    late = session.receive(p.UploadReady(id=job.id, token=TOKEN, offset=0), 1.0)
    assert late == []  # the cancelled share's token is left to expire


def test_what_is_kept_is_taken_back_by_a_new_session() -> None:
    session = online()
    hashing = share(session)
    waiting = share(session, Conversation.direct("bob"))
    session.files.hashed(waiting.id, SHA, online=False)
    announced = share(session)
    session.files.hashed(announced.id, SHA, online=True)
    session.files.stored(announced.id, FILE_ID)
    download = Download(session.new_id(), SharedFile(FILE_ID, "r.pdf", 9, "application/pdf", SHA), "/tmp/r.pdf")
    session.files.download(download, online=True)
    kept = json.loads(json.dumps(session.files.kept()))

    files = ClientFiles()
    to_hash = files.restore([*kept, {"kind": "share"}, "junk"])
    assert [job.id for job in to_hash] == [hashing.id]
    assert files.shares[waiting.id].phase is Phase.WAITING and files.shares[waiting.id].conversation == \
        Conversation.direct("bob")
    assert files.shares[announced.id].phase is Phase.ANNOUNCED
    assert files.announced() == [p.Chat(id=announced.id, text="the report", room="#dev", file=FILE_ID)]
    assert files.downloads[download.id].phase is Phase.WAITING
    assert files.downloads[download.id].file == download.file
    assert files.welcomed(True) == [
        p.UploadRequest(id=waiting.id, name="report.pdf", size=1234, sha256=SHA, to="bob"),
        p.DownloadRequest(id=download.id, file=FILE_ID)]


def test_a_relay_and_a_history_page_of_a_share_carry_its_file() -> None:
    session = online()
    [message] = session.receive(p.Relay(sender="bob", text="", seq=3, time=1.0, room="#dev", file=REF), 1.0)[:1]
    assert isinstance(message, ChatMessage)
    assert message.file == SharedFile(FILE_ID, "report.pdf", 1234, "application/pdf", SHA)
    expired = p.FileRef(id=FILE_ID, name="old.bin", size=5, mime="application/octet-stream", sha256=SHA,
                        expired=True)
    [page] = session.receive(p.HistoryPage(room="#dev", messages=(
        p.HistoryEntry(sender="bob", text="old", seq=2, time=0.5, file=expired),), more=False), 1.0)
    assert isinstance(page, HistoryPageReceived)
    assert page.messages[0].file == SharedFile(FILE_ID, "old.bin", 5, "application/octet-stream", SHA, True)
