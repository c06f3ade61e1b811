"""The two wire protocols the load generator speaks: our JSON lines and IRC (for ngircd).

Written from docs/protocol.md and RFC 2812, not imported from the server, so the
generator sees each server only through its socket. Each adapter turns a received
line into (kind, token, sender), where ``token`` is the first word of a chat text:
the generator's own key for the message.
"""

from __future__ import annotations

import json
import re
from typing import ClassVar

# What a received line means to the generator.
OTHER = 0
READY = 1  # logged in and in the room
ACK = 2  # the server accepted our message (IRC: our message to ourselves came back)
RELAY = 3  # another member's message
PING = 4  # the server asks for a pong
ERROR = 5  # the server refused something

Parsed = tuple[int, str, str]  # kind, token (or ping token / error text), sender

CHANNEL = "#bench"


class Wire:
    """One protocol: the bytes to log in and to chat, and what received lines mean."""

    name: ClassVar[str] = ""
    # A received chunk holding none of these needs no parsing line by line: the
    # 5,000-member join storm is millions of lines the generator only has to drain.
    markers: ClassVar[tuple[bytes, ...]] = ()

    def login(self, name: str) -> bytes:
        raise NotImplementedError

    def chat(self, token: str, text: str, own_name: str, to_self: bool) -> bytes:
        raise NotImplementedError

    def pong(self, token: str) -> bytes:
        raise NotImplementedError

    def parse(self, line: bytes) -> Parsed:
        raise NotImplementedError

    def __init__(self) -> None:
        self._marker = re.compile(b"|".join(re.escape(marker) for marker in self.markers))

    def worth_parsing(self, chunk: bytes) -> bool:
        return self._marker.search(chunk) is not None


class JsonWire(Wire):
    """Our JSON-lines mode: hello, chat with an id, ack with that id, message from others."""

    name = "json"
    markers = (b'"type":"message"', b'"type":"ack"', b'"type":"welcome"', b'"type":"error"',
               b'"type":"ping"', b'"type":"goodbye"')

    def login(self, name: str) -> bytes:
        return _json_line({"type": "hello", "version": 1, "name": name, "client_id": None})

    def chat(self, token: str, text: str, own_name: str, to_self: bool) -> bytes:
        return _json_line({"type": "chat", "id": token, "text": text})

    def pong(self, token: str) -> bytes:
        return _json_line({"type": "pong", "token": token})

    def parse(self, line: bytes) -> Parsed:
        if not line.startswith(b"{") or line.startswith((b'{"type":"joined"', b'{"type":"left"')):
            return OTHER, "", ""
        try:
            obj = json.loads(line)
        except ValueError:
            return ERROR, line.decode("utf-8", "replace"), ""
        kind = obj.get("type")
        if kind == "message":
            return RELAY, obj["text"].split(" ", 1)[0], obj["sender"]
        if kind == "ack":
            return ACK, obj["id"], ""
        if kind == "welcome":
            return READY, "", ""
        if kind == "ping":
            return PING, obj.get("token", ""), ""
        if kind in ("error", "goodbye"):
            return ERROR, line.decode("utf-8", "replace"), ""
        return OTHER, "", ""


class IrcWire(Wire):
    """IRC: NICK/USER/JOIN one channel, PRIVMSG to it; ready at the end of its NAMES list.

    IRC has no acknowledgement; a member alone (the echo scenario) sends to its own
    nick and the message coming back counts as its ACK.
    """

    name = "irc"
    markers = (b" PRIVMSG ", b"PING ", b" 366 ", b"ERROR ", b" 401 ", b" 404 ", b" 433 ", b" 437 ",
               b" 471 ", b" 405 ", b" 451 ")
    _errors = (b"ERROR", b"401", b"404", b"433", b"437", b"471", b"405", b"451")

    def login(self, name: str) -> bytes:
        return f"NICK {name}\r\nUSER {name} 0 * :bench\r\nJOIN {CHANNEL}\r\n".encode()

    def chat(self, token: str, text: str, own_name: str, to_self: bool) -> bytes:
        target = own_name if to_self else CHANNEL
        return f"PRIVMSG {target} :{text}\r\n".encode()

    def pong(self, token: str) -> bytes:
        return f"PONG :{token}\r\n".encode()

    def parse(self, line: bytes) -> Parsed:
        line = line.rstrip(b"\r")
        if line.startswith(b"PING "):
            return PING, line[5:].lstrip(b":").decode("utf-8", "replace"), ""
        parts = line.split(b" ", 3)
        if len(parts) < 3:
            return OTHER, "", ""
        command = parts[1]
        if command == b"PRIVMSG" and len(parts) == 4:
            text = parts[3].split(b":", 1)[-1].decode("utf-8", "replace")
            sender = parts[0][1:].split(b"!", 1)[0].decode("utf-8", "replace")
            kind = ACK if parts[2].decode("utf-8", "replace") == sender else RELAY
            return kind, text.split(" ", 1)[0], sender
        if command == b"366":
            return READY, "", ""
        if parts[0] in self._errors or command in self._errors:
            return ERROR, line.decode("utf-8", "replace"), ""
        return OTHER, "", ""


def _json_line(obj: dict[str, object]) -> bytes:
    return (json.dumps(obj, separators=(",", ":")) + "\n").encode()


WIRES: dict[str, type[Wire]] = {JsonWire.name: JsonWire, IrcWire.name: IrcWire}
