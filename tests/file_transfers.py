"""A raw transfer connection for tests (issue 22): upload or download bytes with a token, blocking, on a thread of
its own while the test's Qt event loop runs the server (``in_thread``)."""

from __future__ import annotations

import hashlib
import json
import socket
import ssl
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from pytestqt.qtbot import QtBot

TIMEOUT_S = 10.0
T = TypeVar("T")


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def in_thread(qtbot: QtBot, work: Callable[[], T], timeout_ms: int = 15_000) -> T:
    """Run blocking ``work`` on a thread while the event loop turns; its result (or its exception, raised here)."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["result"] = work()
        except BaseException as exc:  # handed to the test's thread
            box["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    qtbot.waitUntil(lambda: not thread.is_alive(), timeout=timeout_ms)
    if "error" in box:
        raise box["error"]
    return box["result"]


def _connect(port: int, tls: bool) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT_S)
    if not tls:
        return sock
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the tests trust their own server; pinning is the client's (fclient)
    return context.wrap_socket(sock, server_hostname="127.0.0.1")


class LineSocket:
    """A blocking connection that reads JSON lines (skipping the server's greeting) and then raw bytes."""

    def __init__(self, port: int, tls: bool = False) -> None:
        self.sock = _connect(port, tls)
        self._buffer = b""

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def line(self) -> dict[str, Any]:
        """The next JSON line (a greeting or a password prompt before it is skipped)."""
        while True:
            while b"\n" not in self._buffer:
                chunk = self.sock.recv(65536)
                if not chunk:
                    raise EOFError(f"closed with {self._buffer!r} unread")
                self._buffer += chunk
            line, self._buffer = self._buffer.split(b"\n", 1)
            if line.startswith(b"{"):
                return json.loads(line)

    def rest(self, limit: int | None = None) -> bytes:
        """What comes after the line read, to the end (or ``limit`` bytes of it)."""
        data = bytearray(self._buffer)
        self._buffer = b""
        while limit is None or len(data) < limit:
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                break
            data += chunk
        return bytes(data if limit is None else data[:limit])

    def close(self) -> None:
        self.sock.close()


class TransferSocket(LineSocket):
    """A transfer connection: its ``transfer`` line sent at once."""

    def __init__(self, port: int, token: str, offset: int = 0, tls: bool = False) -> None:
        super().__init__(port, tls)
        self.send((json.dumps({"type": "transfer", "token": token, "offset": offset}) + "\n").encode())


def upload(port: int, token: str, data: bytes, offset: int = 0, tls: bool = False) -> dict[str, Any]:
    """Send ``data[offset:]`` on a transfer connection and return the server's last line."""
    transfer = TransferSocket(port, token, offset, tls)
    try:
        transfer.send(data[offset:])
        return transfer.line()
    finally:
        transfer.close()


def upload_cut(port: int, token: str, data: bytes, count: int, offset: int = 0) -> None:
    """Send ``count`` bytes of ``data[offset:]``, then cut the connection (a crash, a cable pulled)."""
    transfer = TransferSocket(port, token, offset)
    transfer.send(data[offset:offset + count])
    transfer.close()


def download(port: int, token: str, offset: int = 0, tls: bool = False,
             limit: int | None = None) -> tuple[dict[str, Any], bytes]:
    """The ``sending`` line (or an error) and the bytes after it (``limit``: then cut)."""
    transfer = TransferSocket(port, token, offset, tls)
    try:
        header = transfer.line()
        return header, transfer.rest(limit) if header.get("type") == "sending" else b""
    finally:
        transfer.close()


class BlockingMember(LineSocket):
    """A JSON member on a blocking socket (plain or TLS), for whole exchanges run by ``in_thread``."""

    def __init__(self, port: int, name: str, tls: bool = False) -> None:
        super().__init__(port, tls)
        self.say(type="hello", version=2, name=name, client_id=f"id-of-{name}", last_seq=None)
        self.expect("welcome")

    def say(self, **obj: Any) -> None:
        self.send((json.dumps(obj) + "\n").encode())

    def expect(self, kind: str, **fields: Any) -> dict[str, Any]:
        """The next object of type ``kind`` with ``fields`` (those before it are skipped)."""
        while True:
            obj = self.line()
            if obj.get("type") == kind and all(obj.get(k) == v for k, v in fields.items()):
                return obj
