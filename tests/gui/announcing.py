"""Announcing chat services with real zeroconf on 127.0.0.1, for the tests of the browser and the server list.

The loopback is shared with every other test run on this machine, so each test announces a service of its own
(a unique name, and a port it holds open so no other test can announce the same address) and looks only for it.
"""

from __future__ import annotations

import socket
import uuid
from collections.abc import Callable

from zeroconf import IPVersion, ServiceInfo, Zeroconf

from chat_server.protocol.discovery import SERVICE_TYPE, Announcement

FOUND_MS = 8000  # probing takes about 1.5 s before a service is announced; a busy machine takes longer
LOST_MS = 10000  # a silent server is dropped within 5 s of its last answer; the margin is for a busy machine


def held_port() -> tuple[socket.socket, int]:
    """A TCP port nobody else on this machine can announce while the socket is open."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    return sock, sock.getsockname()[1]


def announcement(name: str, port: int, **changes: object) -> Announcement:
    values: dict[str, object] = dict(name=name, host="127.0.0.1", port=port, version=2, tls=False,
                                     fingerprint=None, password=False, online=0, limit=0)
    values.update(changes)
    return Announcement(**values)  # type: ignore[arg-type]


def unique(prefix: str) -> str:
    return f"{prefix} {uuid.uuid4().hex[:8]}"


def on_port(port: int) -> Callable[[Announcement], bool]:
    return lambda found: found.port == port


class Announcer:
    """Services registered with zeroconf on 127.0.0.1 in this process, withdrawn when it closes."""

    def __init__(self) -> None:
        self.zc = Zeroconf(interfaces=["127.0.0.1"], ip_version=IPVersion.V4Only)
        self.sockets: list[socket.socket] = []

    def info(self, service: str, port: int, properties: dict[str, str]) -> ServiceInfo:
        return ServiceInfo(SERVICE_TYPE, f"{service}.{SERVICE_TYPE}", port=port, properties=properties,
                           addresses=[socket.inet_aton("127.0.0.1")], server=f"lanchat-test-{port}.local.")

    def port(self) -> int:
        sock, port = held_port()
        self.sockets.append(sock)
        return port

    def close(self) -> None:
        self.zc.close()
        for sock in self.sockets:
            sock.close()

