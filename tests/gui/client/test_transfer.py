"""The client's blocking transfer code (transfer.py) over real sockets on loopback: a peer thread plays the server's
side of a transfer connection byte for byte, so that cuts, wrong bytes and resumes happen exactly where wanted.
The same code against the real server: tests/integration/test_file_scripts.py and the engine's tests."""

from __future__ import annotations

import contextlib
import hashlib
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from chat_gui.client.file_events import TransferProblem
from chat_gui.client.transfer import (
    CHUNK_BYTES,
    Cancelled,
    TransferError,
    certificate_fingerprint,
    download_bytes,
    file_sha256,
    open_transfer,
    upload_bytes,
)
from chat_server import protocol as p

CONTENT = bytes(range(256)) * (CHUNK_BYTES // 256 * 2 + 300)  # two chunks and a bit
SHA = hashlib.sha256(CONTENT).hexdigest()
FILE_ID = "0f" * 16
PEER_TIMEOUT_S = 10.0


class Peer:
    """The server's end of a socket pair, run by ``play`` on a thread; ``received`` is what it read."""

    def __init__(self, play: Callable[[Peer, socket.socket], None]) -> None:
        self.client, self._server = socket.socketpair()
        self.client.settimeout(0.25)
        self._server.settimeout(PEER_TIMEOUT_S)
        self.received = bytearray()
        self._thread = threading.Thread(target=self._run, args=(play,), daemon=True)
        self._thread.start()

    def _run(self, play: Callable[[Peer, socket.socket], None]) -> None:
        with self._server, contextlib.suppress(OSError):  # (a client that gave up early closes its end)
            play(self, self._server)

    def read(self, sock: socket.socket, count: int) -> None:
        while len(self.received) < count:
            data = sock.recv(CHUNK_BYTES)
            if not data:
                return
            self.received += data

    def join(self) -> None:
        self.client.close()  # (a client that gave up early: the peer's writes fail and it ends)
        self._thread.join(PEER_TIMEOUT_S)
        assert not self._thread.is_alive()


@pytest.fixture
def source(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "source.bin"
    path.write_bytes(CONTENT)
    yield path


def test_a_files_sha256_is_read_in_chunks_with_progress(source: Path) -> None:
    seen: list[tuple[int, int]] = []
    assert file_sha256(source, lambda done, total: seen.append((done, total))) == SHA
    assert [done for done, _ in seen] == [CHUNK_BYTES, 2 * CHUNK_BYTES, len(CONTENT)]
    assert {total for _, total in seen} == {len(CONTENT)}


def test_hashing_stops_when_cancelled_and_a_missing_file_is_a_local_problem(source: Path, tmp_path: Path) -> None:
    cancelled = threading.Event()
    cancelled.set()
    with pytest.raises(Cancelled):
        file_sha256(source, None, cancelled)
    with pytest.raises(TransferError) as missing:
        file_sha256(tmp_path / "nothing")
    assert missing.value.problem is TransferProblem.LOCAL_FILE


def test_the_fingerprint_is_written_as_the_chat_connection_pins_it(tmp_path: Path) -> None:
    from chat_server.net.tls import create_self_signed, fingerprint_of_der

    create_self_signed(tmp_path / "cert.pem", tmp_path / "key.pem")
    der = ssl.PEM_cert_to_DER_cert((tmp_path / "cert.pem").read_text())
    assert certificate_fingerprint(der) == fingerprint_of_der(der)


def test_an_upload_sends_from_its_offset_and_returns_the_stored_files_id(source: Path) -> None:
    def play(peer: Peer, sock: socket.socket) -> None:
        peer.read(sock, len(CONTENT) - 1000)
        sock.sendall(p.encode(p.TransferStored(file=FILE_ID, sha256=SHA)))

    peer = Peer(play)
    seen: list[int] = []
    assert upload_bytes(peer.client, source, 1000, len(CONTENT), lambda done, _: seen.append(done)) == FILE_ID
    peer.join()
    assert bytes(peer.received) == CONTENT[1000:]
    assert seen[-1] == len(CONTENT)


def test_an_upload_the_server_finds_corrupt_fails_with_its_words(source: Path) -> None:
    def play(peer: Peer, sock: socket.socket) -> None:
        peer.read(sock, len(CONTENT))
        sock.sendall(p.encode(p.Error(code=p.ERR_HASH_MISMATCH, text="The bytes are not those announced.")))

    peer = Peer(play)
    with pytest.raises(TransferError) as failed:
        upload_bytes(peer.client, source, 0, len(CONTENT))
    peer.join()
    assert (failed.value.problem, failed.value.text) == (TransferProblem.CORRUPT, "The bytes are not those announced.")


def sending(offset: int, sha: str = SHA, body: bytes = CONTENT,
            stop: int | None = None) -> Callable[[Peer, socket.socket], None]:
    def play(peer: Peer, sock: socket.socket) -> None:
        sock.sendall(p.encode(p.TransferSending(size=len(body), offset=offset, sha256=sha)))
        sock.sendall(body[offset:stop])
    return play


def test_a_download_writes_the_part_and_verifies_the_whole_file(tmp_path: Path) -> None:
    part = tmp_path / "out.bin.part"
    peer = Peer(sending(0))
    assert download_bytes(peer.client, part, 0, expected_sha256=SHA) == SHA
    peer.join()
    assert part.read_bytes() == CONTENT


def test_a_download_resumes_from_the_part_it_holds(tmp_path: Path) -> None:
    part = tmp_path / "out.bin.part"
    part.write_bytes(CONTENT[:CHUNK_BYTES + 5])
    peer = Peer(sending(CHUNK_BYTES + 5))
    seen: list[int] = []
    download_bytes(peer.client, part, CHUNK_BYTES + 5, lambda done, _: seen.append(done))
    peer.join()
    assert part.read_bytes() == CONTENT
    assert seen[-1] == len(CONTENT) and seen[0] > CHUNK_BYTES + 5


def test_a_download_cut_keeps_what_came_for_a_resume(tmp_path: Path) -> None:
    part = tmp_path / "out.bin.part"
    peer = Peer(sending(0, stop=CHUNK_BYTES + 77))
    with pytest.raises(TransferError) as cut:
        download_bytes(peer.client, part, 0)
    peer.join()
    assert cut.value.problem is TransferProblem.CONNECTION
    assert part.read_bytes() == CONTENT[:CHUNK_BYTES + 77]


def test_a_download_whose_bytes_do_not_match_is_refused_and_dropped(tmp_path: Path) -> None:
    part = tmp_path / "out.bin.part"
    wrong = CONTENT[:-1] + b"\x00"
    peer = Peer(sending(0, body=wrong))
    with pytest.raises(TransferError) as corrupt:
        download_bytes(peer.client, part, 0)
    peer.join()
    assert corrupt.value.problem is TransferProblem.CORRUPT
    assert not part.exists()


def test_a_download_of_another_file_than_the_one_shared_is_refused(tmp_path: Path) -> None:
    peer = Peer(sending(0, sha="cd" * 32))
    with pytest.raises(TransferError) as other:
        download_bytes(peer.client, tmp_path / "x.part", 0, expected_sha256=SHA)
    peer.join()
    assert other.value.problem is TransferProblem.CORRUPT


def test_a_download_refused_on_the_transfer_connection_says_why(tmp_path: Path) -> None:
    def play(peer: Peer, sock: socket.socket) -> None:
        sock.sendall(p.encode(p.Error(code=p.ERR_BAD_TOKEN, text="That token is not valid.")))

    peer = Peer(play)
    with pytest.raises(TransferError) as refused:
        download_bytes(peer.client, tmp_path / "x.part", 0)
    peer.join()
    assert (refused.value.problem, refused.value.text) == (TransferProblem.CONNECTION, "That token is not valid.")


def test_a_download_waiting_for_bytes_stops_when_cancelled(tmp_path: Path) -> None:
    cancelled = threading.Event()
    release = threading.Event()

    def play(peer: Peer, sock: socket.socket) -> None:
        sock.sendall(p.encode(p.TransferSending(size=len(CONTENT), offset=0, sha256=SHA)))
        sock.sendall(CONTENT[:100])
        cancelled.set()  # the client is blocked reading the rest: the cancel must reach it anyway
        release.wait(PEER_TIMEOUT_S)

    peer = Peer(play)
    with pytest.raises(Cancelled):
        download_bytes(peer.client, tmp_path / "x.part", 0, None, cancelled)
    release.set()
    peer.join()


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    from chat_server.net.tls import create_self_signed

    folder = tmp_path_factory.mktemp("tls")
    create_self_signed(folder / "cert.pem", folder / "key.pem")
    return folder / "cert.pem", folder / "key.pem"


def tls_listener(certificate: tuple[Path, Path]) -> tuple[int, list[bytes], threading.Thread]:
    """A TLS server on loopback that takes one connection and keeps its first line; (port, lines, its thread)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(PEER_TIMEOUT_S)
    lines: list[bytes] = []

    def serve() -> None:
        with listener, contextlib.suppress(OSError):
            raw, _ = listener.accept()
            with context.wrap_socket(raw, server_side=True) as conn:
                conn.settimeout(PEER_TIMEOUT_S)
                lines.append(conn.recv(4096))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return listener.getsockname()[1], lines, thread


def test_a_tls_transfer_presents_its_token_only_to_the_pinned_certificate(certificate: tuple[Path, Path]) -> None:
    der = ssl.PEM_cert_to_DER_cert(certificate[0].read_text())
    port, lines, thread = tls_listener(certificate)
    with open_transfer("127.0.0.1", port, True, certificate_fingerprint(der), "ab" * 16, 7):
        thread.join(PEER_TIMEOUT_S)
    assert lines == [p.encode(p.TransferOpen(token="ab" * 16, offset=7))]

    port, lines, thread = tls_listener(certificate)
    with pytest.raises(TransferError) as refused:
        open_transfer("127.0.0.1", port, True, "00:" * 31 + "00", "ab" * 16, 0)
    thread.join(PEER_TIMEOUT_S)
    assert refused.value.problem is TransferProblem.CONNECTION and "certificate" in refused.value.text
    assert lines in ([], [b""])  # the token never went out
