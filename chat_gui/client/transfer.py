"""A file's bytes on a transfer connection, with blocking sockets and no Qt: what the client engine's worker threads
and the ``send``/``download`` scripts both run (issue 22; docs/protocol.md, *Files*).

``open_transfer`` makes the connection (TLS with Python's ``ssl``, the server trusted by the certificate fingerprint
the chat connection pinned) and presents the token; ``upload_bytes`` and ``download_bytes`` move the bytes in
1 MiB chunks through one reused buffer, so memory stays flat whatever the file's size; ``file_sha256`` hashes a file
the same way. Each calls ``progress(done, total)`` after every chunk and stops at the next chunk once ``cancelled``
is set. Every failure is a ``TransferError`` with its ``TransferProblem``.
"""

from __future__ import annotations

import hashlib
import os
import socket
import ssl
import threading
import time
from collections.abc import Callable
from io import BufferedIOBase
from pathlib import Path

from chat_gui.client.file_events import TransferProblem
from chat_server import protocol as p

CHUNK_BYTES = 1 << 20
"""What one read or write of a file (and one progress call) moves: the only buffer a transfer holds."""

CONNECT_TIMEOUT_S = 10.0
"""How long making a transfer connection (TLS handshake included) may take."""

SILENCE_TIMEOUT_S = 60.0
"""How long a transfer connection may stay silent (nothing sent or received) before it is taken for dead."""

VERDICT_TIMEOUT_S = 600.0
"""After the last byte of an upload, how long to wait for the server's verdict: it hashes the whole file first."""

POLL_S = 0.25
"""How often a blocked read or write looks whether the transfer was cancelled."""

Progress = Callable[[int, int], None]
"""Called with (bytes done, bytes in all) after each chunk."""

_SERVER_PROBLEMS = {
    p.ERR_FILE_TOO_LARGE: TransferProblem.TOO_LARGE,
    p.ERR_QUOTA_EXCEEDED: TransferProblem.QUOTA,
    p.ERR_STORAGE_FULL: TransferProblem.STORAGE_FULL,
    p.ERR_NO_SPACE: TransferProblem.STORAGE_FULL,
    p.ERR_BAD_UPLOAD: TransferProblem.OTHER,
    p.ERR_NO_SUCH_FILE: TransferProblem.NO_SUCH_FILE,
    p.ERR_FILE_EXPIRED: TransferProblem.EXPIRED,
    p.ERR_BAD_TOKEN: TransferProblem.CONNECTION,
    p.ERR_BUSY: TransferProblem.BUSY,
    p.ERR_HASH_MISMATCH: TransferProblem.CORRUPT,
    p.ERR_TOO_LONG: TransferProblem.CORRUPT,
    p.ERR_NOT_ALLOWED: TransferProblem.NOT_ALLOWED,
    # Where an upload (and the share that follows it) may not go: as a chat there would be refused.
    p.ERR_NOT_IN_ROOM: TransferProblem.NOT_ALLOWED,
    p.ERR_NO_SUCH_ROOM: TransferProblem.NOT_ALLOWED,
    p.ERR_ROOM_INVALID: TransferProblem.NOT_ALLOWED,
    p.ERR_UNKNOWN_MEMBER: TransferProblem.NOT_ALLOWED,
    p.ERR_UNREACHABLE: TransferProblem.NOT_ALLOWED,
    p.ERR_DIRECT_TO_SELF: TransferProblem.NOT_ALLOWED,
}


def server_problem(code: str) -> TransferProblem:
    """The problem an error code of the server's file requests or transfer connection means."""
    return _SERVER_PROBLEMS.get(code, TransferProblem.OTHER)


class TransferError(Exception):
    """A transfer that did not complete: why (``problem``) and in whose words (``text``: the server's, or ours)."""

    def __init__(self, problem: TransferProblem, text: str) -> None:
        super().__init__(text)
        self.problem = problem
        self.text = text


class Cancelled(TransferError):
    """The transfer was cancelled (its ``cancelled`` event was set)."""

    def __init__(self) -> None:
        super().__init__(TransferProblem.CANCELLED, "cancelled")


def certificate_fingerprint(der: bytes) -> str:
    """A certificate's SHA-256 as the chat connection pins it (colon-separated upper-case hex pairs)."""
    return ":".join(f"{byte:02X}" for byte in hashlib.sha256(der).digest())


def open_transfer(host: str, port: int, tls: bool, pinned_fingerprint: str | None, token: str,
                  offset: int) -> socket.socket:
    """A transfer connection to ``host``:``port`` that has presented ``token`` with ``offset``. With ``tls``, the
    server's certificate must have ``pinned_fingerprint`` (the one its chat connection trusted)."""
    try:
        raw = socket.create_connection((host, port), timeout=CONNECT_TIMEOUT_S)
    except OSError as exc:
        raise TransferError(TransferProblem.CONNECTION, f"cannot connect to {p.host_port(host, port)}: {exc}") from exc
    conn: socket.socket = raw
    try:
        raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if tls:
            conn = _tls(raw, host, pinned_fingerprint)
        conn.settimeout(POLL_S)
        _send_all(conn, memoryview(p.encode(p.TransferOpen(token=token, offset=offset))), None, SILENCE_TIMEOUT_S)
    except BaseException:
        conn.close()
        raise
    return conn


def _tls(raw: socket.socket, host: str, pinned: str | None) -> socket.socket:
    # A LAN chat server's certificate is self-signed: no CA vouches for it, the pinned fingerprint does.
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        conn = context.wrap_socket(raw, server_hostname=host or None)
    except (OSError, ssl.SSLError) as exc:
        raise TransferError(TransferProblem.CONNECTION, f"TLS failed: {exc}") from exc
    der = conn.getpeercert(binary_form=True)
    found = certificate_fingerprint(der) if der else ""
    if not pinned or found != pinned:
        conn.close()
        raise TransferError(TransferProblem.CONNECTION,
                            f"the server's certificate is not the one trusted (SHA-256 {found or 'none'})")
    return conn


def file_sha256(path: Path, progress: Progress | None = None, cancelled: threading.Event | None = None) -> str:
    """The SHA-256 of the file at ``path`` (lowercase hex), read in chunks."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as source:
            total = os.fstat(source.fileno()).st_size
            _hash_into(digest, source, total, progress, cancelled)
    except OSError as exc:
        raise TransferError(TransferProblem.LOCAL_FILE, f"cannot read {path}: {exc.strerror or exc}") from exc
    return digest.hexdigest()


def _hash_into(digest: hashlib._Hash, source: BufferedIOBase, total: int, progress: Progress | None,
               cancelled: threading.Event | None, limit: int | None = None) -> None:
    """Hash ``source`` from where it stands, up to ``limit`` bytes (None: to its end)."""
    buffer = bytearray(CHUNK_BYTES)
    view = memoryview(buffer)
    done = 0
    while limit is None or done < limit:
        if cancelled is not None and cancelled.is_set():
            raise Cancelled()
        want = CHUNK_BYTES if limit is None else min(CHUNK_BYTES, limit - done)
        count = source.readinto(view[:want])
        if not count:
            break
        digest.update(view[:count])
        done += count
        if progress is not None:
            progress(done, total)


def upload_bytes(conn: socket.socket, path: Path, offset: int, size: int, progress: Progress | None = None,
                 cancelled: threading.Event | None = None) -> str:
    """Send the file at ``path`` from ``offset`` to ``size`` on an upload's transfer connection, then wait for the
    server's verdict: the stored file's id."""
    buffer = bytearray(CHUNK_BYTES)
    view = memoryview(buffer)
    done = offset
    try:
        source = path.open("rb")
    except OSError as exc:
        raise TransferError(TransferProblem.LOCAL_FILE, f"cannot read {path}: {exc.strerror or exc}") from exc
    with source:
        source.seek(offset)
        while done < size:
            try:
                count = source.readinto(view[:min(CHUNK_BYTES, size - done)])
            except OSError as exc:
                raise TransferError(TransferProblem.LOCAL_FILE, f"cannot read {path}: {exc.strerror or exc}") from exc
            if not count:
                raise TransferError(TransferProblem.LOCAL_FILE, f"{path} changed: it is shorter than it was")
            try:
                _send_all(conn, view[:count], cancelled, SILENCE_TIMEOUT_S)
            except Cancelled:
                raise
            except TransferError as broke:
                raise _refusal_read(conn) or broke from None
            done += count
            if progress is not None:
                progress(done, size)
    reply, _ = _read_line(conn, cancelled, VERDICT_TIMEOUT_S)
    match reply:
        case p.TransferStored(file=file_id):
            return file_id
        case p.Error(code=code, text=text):
            raise TransferError(server_problem(code), text)
    raise TransferError(TransferProblem.OTHER, f"the server answered the upload with {reply!r}")


def _refusal_read(conn: socket.socket) -> TransferError | None:
    """After a write failed: the error line the server wrote before it closed (a bad token, too many bytes), if any."""
    try:
        reply, _ = _read_line(conn, None, POLL_S)
    except TransferError:
        return None
    return TransferError(server_problem(reply.code), reply.text) if isinstance(reply, p.Error) else None


def download_bytes(conn: socket.socket, dest_part: Path, offset: int, progress: Progress | None = None,
                   cancelled: threading.Event | None = None, expected_sha256: str | None = None) -> str:
    """Receive a download's bytes on its transfer connection into ``dest_part`` (which holds ``offset`` bytes of the
    file already: a resume), and verify the whole file's SHA-256: that digest. A file that does not match (the
    server's word, or ``expected_sha256``) is deleted: its part would never become the file."""
    reply, rest = _read_line(conn, cancelled, SILENCE_TIMEOUT_S)
    match reply:
        case p.TransferSending(size=size, offset=start, sha256=sha256):
            pass
        case p.Error(code=code, text=text):
            raise TransferError(server_problem(code), text)
        case _:
            raise TransferError(TransferProblem.OTHER, f"the server answered the download with {reply!r}")
    if start != offset:
        raise TransferError(TransferProblem.OTHER, f"the server sends from byte {start}, not {offset}")
    if expected_sha256 is not None and sha256 != expected_sha256:
        raise TransferError(TransferProblem.CORRUPT, "the server sends another file than the one shared")
    digest = hashlib.sha256()
    try:
        target: BufferedIOBase = dest_part.open("r+b") if offset else dest_part.open("wb")
    except OSError as exc:
        raise TransferError(TransferProblem.LOCAL_FILE, f"cannot write {dest_part}: {exc.strerror or exc}") from exc
    with target:
        try:
            _hash_into(digest, target, size, None, cancelled, offset)  # what is held already: read once, not kept
            target.seek(offset)
            target.truncate()
            done = _receive_into(conn, target, digest, offset, size, rest, progress, cancelled)
        except OSError as exc:
            raise TransferError(TransferProblem.LOCAL_FILE, f"cannot write {dest_part}: {exc.strerror or exc}") from exc
    if done < size:
        raise TransferError(TransferProblem.CONNECTION, f"the connection ended after {done} of {size} bytes")
    if digest.hexdigest() != sha256:
        dest_part.unlink(missing_ok=True)
        raise TransferError(TransferProblem.CORRUPT, "the file received does not match its SHA-256")
    return sha256


def _receive_into(conn: socket.socket, target: BufferedIOBase, digest: hashlib._Hash, done: int, size: int, rest: bytes,
                  progress: Progress | None, cancelled: threading.Event | None) -> int:
    """Write what arrives to ``target`` (``rest``: what came with the first line) until ``size``: the bytes held."""
    if rest:
        if done + len(rest) > size:
            raise TransferError(TransferProblem.CORRUPT, "the server sent more bytes than the file's size")
        target.write(rest)
        digest.update(rest)
        done += len(rest)
    buffer = bytearray(CHUNK_BYTES)
    view = memoryview(buffer)
    while done < size:
        count = _recv_into(conn, view[:min(CHUNK_BYTES, size - done)], cancelled, SILENCE_TIMEOUT_S)
        if not count:
            break
        chunk = view[:count]
        target.write(chunk)
        digest.update(chunk)
        done += count
        if progress is not None:
            progress(done, size)
    return done


def _read_line(conn: socket.socket, cancelled: threading.Event | None,
               timeout_s: float) -> tuple[p.TransferStored | p.TransferSending | p.Error, bytes]:
    """The server's next JSON line on a transfer connection, decoded, and the bytes that came after it. A plain
    line before it (a greeting, as a chat connection's) is passed over, as the chat client passes banners over."""
    received = bytearray()
    chunk = bytearray(p.MAX_TRANSFER_LINE_BYTES)
    view = memoryview(chunk)
    while True:
        while b"\n" not in received:
            if len(received) > p.MAX_TRANSFER_LINE_BYTES:
                raise TransferError(TransferProblem.OTHER, "the server's line on the transfer connection is too long")
            count = _recv_into(conn, view, cancelled, timeout_s)
            if not count:
                raise TransferError(TransferProblem.CONNECTION, "the server closed the transfer connection")
            received += view[:count]
        line, _, rest = bytes(received).partition(b"\n")
        if line.lstrip().startswith(b"{"):
            break
        received = bytearray(rest)
    event = p.decode_transfer_reply(line)
    if isinstance(event, p.DecodeError):
        raise TransferError(TransferProblem.OTHER, f"unreadable line from the server: {event.text}")
    return event, rest


def _recv_into(conn: socket.socket, view: memoryview, cancelled: threading.Event | None, timeout_s: float) -> int:
    """``conn.recv_into`` that gives up after ``timeout_s`` of silence and notices a cancel within ``POLL_S``."""
    deadline = time.monotonic() + timeout_s
    while True:
        if cancelled is not None and cancelled.is_set():
            raise Cancelled()
        try:
            return conn.recv_into(view)
        except (TimeoutError, ssl.SSLWantReadError):
            if time.monotonic() >= deadline:
                raise TransferError(TransferProblem.CONNECTION,
                                    f"the server said nothing for {timeout_s:g} s") from None
        except OSError as exc:
            raise TransferError(TransferProblem.CONNECTION, f"the transfer connection broke: {exc}") from exc


def _send_all(conn: socket.socket, view: memoryview, cancelled: threading.Event | None, timeout_s: float) -> None:
    """Send all of ``view``, giving up after ``timeout_s`` without progress, noticing a cancel within ``POLL_S``."""
    deadline = time.monotonic() + timeout_s
    while view:
        if cancelled is not None and cancelled.is_set():
            raise Cancelled()
        try:
            sent = conn.send(view)
        except (TimeoutError, ssl.SSLWantWriteError):
            # (TLS: the same bytes are offered again, as OpenSSL asks after a write it could not finish)
            if time.monotonic() >= deadline:
                raise TransferError(TransferProblem.CONNECTION,
                                    f"the server took nothing for {timeout_s:g} s") from None
            continue
        except OSError as exc:
            raise TransferError(TransferProblem.CONNECTION, f"the transfer connection broke: {exc}") from exc
        view = view[sent:]
        deadline = time.monotonic() + timeout_s
