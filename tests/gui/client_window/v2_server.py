"""A scripted server that speaks protocol version 2 over a real socket on 127.0.0.1, for the client window's rooms.

It lets a test say exactly what a server says, including what the real one does not say on a client's request
(the operator renaming a room or sending it a notice, a room list of the test's choosing), with the wire
messages of chat_server/protocol: it welcomes the first hello with the rooms it is given, records every line
the client writes, and writes whatever the test tells it to. tests/gui/client_window/test_rooms_live.py uses
the real server.
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtNetwork import QHostAddress, QTcpServer, QTcpSocket
from pytestqt.qtbot import QtBot

from chat_server import protocol as p
from tests.conftest import WAIT_MS


class ScriptedServer:
    """One client at a time; ``received`` holds what it wrote, as JSON objects."""

    def __init__(self, qtbot: QtBot, rooms: tuple[str | p.JoinedRoom, ...] = ("#lobby",),
                 members: tuple[str, ...] = ("alice", "bob", "carol")) -> None:
        self.qtbot = qtbot
        self.rooms = rooms  # a room given by its name alone is public, has no topic and no owner
        self.members = members
        self.received: list[dict[str, Any]] = []
        self.socket: QTcpSocket | None = None
        self._partial = b""
        self.server = QTcpServer()
        assert self.server.listen(QHostAddress(QHostAddress.SpecialAddress.LocalHost), 0)
        self.server.newConnection.connect(self._on_new_connection)

    @property
    def port(self) -> int:
        return self.server.serverPort()

    def _on_new_connection(self) -> None:
        self.socket = self.server.nextPendingConnection()
        self.socket.readyRead.connect(self._on_ready_read)

    def _on_ready_read(self) -> None:
        assert self.socket is not None
        *lines, self._partial = (self._partial + bytes(self.socket.readAll().data())).split(b"\n")
        for line in lines:
            obj = json.loads(line)
            self.received.append(obj)
            if obj["type"] == "hello":
                name = obj["name"] or "Client01"
                self.send(p.Welcome(name=name, online=len(self.members), max_clients=0, members=self.members,
                                    version=p.ROOMS_VERSION, seq=0, rooms=self.welcome_rooms()))
            elif obj["type"] == "exit":
                self.send(p.Goodbye(name=obj.get("name", ""), reason=p.EndReason.EXIT.value, time=1.0))
                self.socket.disconnectFromHost()

    def welcome_rooms(self) -> tuple[p.JoinedRoom, ...]:
        return tuple(room if isinstance(room, p.JoinedRoom) else p.JoinedRoom(room, "", False, None)
                     for room in self.rooms)

    def send(self, *messages: p.Message) -> None:
        assert self.socket is not None
        for message in messages:
            self.socket.write(p.encode(message))
        self.socket.flush()

    def wait_for(self, kind: str, count: int = 1) -> list[dict[str, Any]]:
        """Wait until the client has written ``count`` lines of type ``kind``; those lines."""
        def arrived() -> None:
            assert len(self.of(kind)) >= count, self.received
        self.qtbot.waitUntil(arrived, timeout=WAIT_MS)
        return self.of(kind)

    def of(self, kind: str) -> list[dict[str, Any]]:
        return [obj for obj in self.received if obj["type"] == kind]

    def close(self) -> None:
        if self.socket is not None:
            self.socket.abort()
        self.server.close()
