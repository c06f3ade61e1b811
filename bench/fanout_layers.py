"""What each layer of the fan-out adds to a write: the same loopback sockets written straight, through the
transport and through the connection.

``python -m bench.fanout_layers [--members N] [--writes W] [--rounds R]`` opens N loopback TCP connections to
itself (nobody reads them; the kernel keeps what is written, each receive buffer made large enough), wraps the
server's ends in a ``SocketTransport`` and a ``ClientConnection`` as the server does, and writes one relay line to
every member W times per round: straight to the socket, through ``SocketTransport.write_if_drained``, and
through ``ClientConnection.send_at_once`` (the fan-out's short way), alternating. It prints the process's user
and system CPU per write for each. Only the differences between the three mean something: the kernel's part
depends on the machine and on what else runs. Figures in docs/performance.md.
"""

from __future__ import annotations

import argparse
import resource
import socket
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication

from chat_server.core.sessions import Session
from chat_server.net.connection import ClientConnection, ConnectionSignals
from chat_server.net.reactor import Reactor
from chat_server.net.transport import SocketTransport
from chat_server.net.writes import WriteScheduler
from chat_server.settings import ServerSettings

RELAY = b"[#room08] Client08: s7.35 xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n"
RECEIVE_BUFFER = 1 << 20  # what the kernel may keep unread per member: more than the writes of one round


def measure(members: int, writes: int, rounds: int) -> list[tuple[str, float, float]]:
    """(layer, user µs, system µs) per write, for every layer in every round. Each layer's writes are all read
    back before the next layer's (and counted: a write that did not arrive whole is an error)."""
    app = QCoreApplication.instance() or QCoreApplication([])
    reactor = Reactor()
    signals, scheduler, settings = ConnectionSignals(), WriteScheduler(reactor), ServerSettings(rate_per_s=0)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(members)
    readers: list[socket.socket] = []
    socks: list[socket.socket] = []  # the server's ends, the same socket objects the transports write to
    conns: list[ClientConnection] = []
    for index in range(members):
        reader = socket.create_connection(listener.getsockname())
        reader.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RECEIVE_BUFFER)
        reader.setblocking(False)
        readers.append(reader)
        accepted, _ = listener.accept()
        socks.append(accepted)
        session = Session(index + 1, "127.0.0.1", index + 1, 0.0, name=f"m{index}")
        transport = SocketTransport(accepted, reactor)
        conns.append(ClientConnection(transport, session, settings, scheduler, signals, reactor))
    transports = [conn.transport for conn in conns]

    def drain() -> int:
        received = 0
        for reader in readers:
            try:
                while chunk := reader.recv(RECEIVE_BUFFER):
                    received += len(chunk)
            except BlockingIOError:
                pass
        return received

    def straight() -> None:
        for sock in socks:
            sock.send(RELAY)

    def through_transport() -> None:
        for transport in transports:
            transport.write_if_drained(RELAY)

    def through_connection() -> None:
        for conn in conns:
            conn.send_at_once(RELAY)

    layers: list[tuple[str, Callable[[], None]]] = [
        ("socket.send", straight), ("transport", through_transport), ("connection", through_connection)]
    figures: list[tuple[str, float, float]] = []
    count = writes * members
    for _ in range(rounds):
        for name, write_all in layers:
            before = resource.getrusage(resource.RUSAGE_SELF)
            for _ in range(writes):
                write_all()
            after = resource.getrusage(resource.RUSAGE_SELF)
            received = drain()
            if received != count * len(RELAY):
                raise RuntimeError(f"{name}: {received} bytes arrived of {count * len(RELAY)}")
            figures.append((name, (after.ru_utime - before.ru_utime) / count * 1e6,
                            (after.ru_stime - before.ru_stime) / count * 1e6))
    for conn in conns:
        conn.transport.abort()
    for sock in (*readers, listener):
        sock.close()
    reactor.close()
    del app
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.fanout_layers", description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--writes", type=int, default=60, help="writes to every member per round and layer")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    for name, user, system in measure(args.members, args.writes, args.rounds):
        print(f"{name:12} user {user:.2f}  system {system:.2f}  total {user + system:.2f} µs a write")


if __name__ == "__main__":
    main()
