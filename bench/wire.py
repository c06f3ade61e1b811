"""The wire protocols the load generator speaks: our JSON lines, our text mode, and IRC (for ngircd).

Written from docs/protocol.md and RFC 2812, not imported from the server, so the
generator sees each server only through its socket. Each adapter turns a received
line into (kind, token, sender, room), where ``token`` is the first word of a chat text
(the generator's own key for the message) and ``room`` the room it was said in ("" for
the room everyone is in: our ``#lobby``, IRC's ``#bench``).
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

Parsed = tuple[int, str, str, str]  # kind, token (or ping token / error text / ready room), sender, room

CHANNEL = "#bench"  # IRC's room everyone joins
LOBBY = "#lobby"  # ours: every member is in it from its hello
ROOMS_VERSION = 2  # our JSON protocol version that has rooms

# The first word of every text the generator sends: ``s<sender>.<n>`` in the measured phase,
# ``barrier<n>`` or ``barrier<n>.r<room>`` before it. Text mode has no message ids, so a line is
# taken for a chat message only when it carries one of these.
_TOKEN = r"(?:s\d+\.\d+|barrier\d+(?:\.r\d+)?)"


def room_name(index: int) -> str:
    """The name of room ``index`` (0-based) in the rooms scenarios, the same on every server."""
    return f"#room{index + 1:02d}"


class Wire:
    """One protocol: the bytes to log in and to chat, and what received lines mean."""

    name: ClassVar[str] = ""
    # A received chunk holding none of these needs no parsing line by line: the
    # 5,000-member join storm is millions of lines the generator only has to drain.
    markers: ClassVar[tuple[bytes, ...]] = ()
    has_acks: ClassVar[bool] = True  # the server acknowledges each message to its sender
    has_rooms: ClassVar[bool] = False  # the generator can join rooms and talk in them

    def login(self, name: str, room: str | None) -> bytes:
        """Log in as ``name`` and, if given, join ``room`` (and make it where chat goes)."""
        raise NotImplementedError

    def ready_token(self, room: str | None) -> str:
        """The token of the READY line that says the member is in and in ``room`` ("" for any)."""
        return ""

    def chat(self, token: str, text: str, own_name: str, to_self: bool, room: str | None) -> bytes:
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
    """Our JSON-lines mode: hello, chat with an id, ack with that id, message from others.

    Without rooms it speaks version 1, as it always has. With a room it says version 2 in its
    hello and sends ``join``; the member is ready when the ``room`` reply for that room comes,
    and its chat names the room (a line of ``#lobby`` has no ``room`` field).
    """

    name = "json"
    markers = (b'"type":"message"', b'"type":"ack"', b'"type":"welcome"', b'"type":"error"',
               b'"type":"ping"', b'"type":"goodbye"', b'"type":"room"')
    has_rooms = True

    def login(self, name: str, room: str | None) -> bytes:
        if room is None:
            return _json_line({"type": "hello", "version": 1, "name": name, "client_id": None})
        return (_json_line({"type": "hello", "version": ROOMS_VERSION, "name": name, "client_id": None})
                + _json_line({"type": "join", "room": room}))

    def ready_token(self, room: str | None) -> str:
        return room or ""

    def chat(self, token: str, text: str, own_name: str, to_self: bool, room: str | None) -> bytes:
        if room is None:
            return _json_line({"type": "chat", "id": token, "text": text})
        return _json_line({"type": "chat", "id": token, "text": text, "room": room})

    def pong(self, token: str) -> bytes:
        return _json_line({"type": "pong", "token": token})

    def parse(self, line: bytes) -> Parsed:
        if not line.startswith(b"{") or line.startswith((b'{"type":"joined"', b'{"type":"left"')):
            return OTHER, "", "", ""
        try:
            obj = json.loads(line)
        except ValueError:
            return ERROR, line.decode("utf-8", "replace"), "", ""
        kind = obj.get("type")
        if kind == "message":
            room = obj.get("room") or ""
            return RELAY, obj["text"].split(" ", 1)[0], obj["sender"], "" if room == LOBBY else room
        if kind == "ack":
            return ACK, obj["id"], "", ""
        if kind == "welcome":
            return READY, "", "", ""
        if kind == "room":
            return READY, obj.get("room", ""), "", ""
        if kind == "ping":
            return PING, obj.get("token", ""), "", ""
        if kind in ("error", "goodbye"):
            return ERROR, line.decode("utf-8", "replace"), "", ""
        return OTHER, "", "", ""


class TextWire(Wire):
    """Our text mode, as netcat speaks it, with issue 18's commands: ``/join #room`` makes
    the room the one typed lines go to; ``<text> ACK`` answers each line; another member's
    line is ``name: text`` from ``#lobby`` and ``[#room] name: text`` from any other room.

    Text mode has no chosen names (members are ``Client01``, ...) and no message ids: the
    generator's token starts every text. A member with a room is ready when the answer to its
    ``/join`` comes (``[#room] * You joined #room: ...``, or ``You created`` for a new room);
    one without sends ``history 1`` and is ready when that is answered.
    """

    name = "text"
    markers = (b": ", b" ACK", b"No earlier messages", b"Goodbye ", b"[refused")
    has_rooms = True
    _joined = re.compile(rb"^\[(#[^\]\s]+)\] \* You (?:joined|created) ")
    _relay = re.compile(rf"^(?:\[(#[^\]\s]+)\] )?([^\s\[*][^\s]*): ({_TOKEN}) ".encode())
    # An ACK is the line sent, then " ACK" (a room's name before it is allowed for).
    _ack = re.compile(rf"^(?:\[#[^\]\s]+\] )?({_TOKEN}) .* ACK$".encode())

    def login(self, name: str, room: str | None) -> bytes:
        return f"/join {room}\n".encode() if room is not None else b"history 1\n"

    def ready_token(self, room: str | None) -> str:
        return room or ""

    def chat(self, token: str, text: str, own_name: str, to_self: bool, room: str | None) -> bytes:
        return f"{text}\n".encode()

    def pong(self, token: str) -> bytes:
        raise ValueError("text mode has no ping")

    def parse(self, line: bytes) -> Parsed:
        line = line.rstrip(b"\r")
        if match := self._ack.match(line):
            return ACK, match.group(1).decode(), "", ""
        if match := self._relay.match(line):
            room = (match.group(1) or b"").decode()
            return RELAY, match.group(3).decode(), match.group(2).decode(), "" if room == LOBBY else room
        if match := self._joined.match(line):
            return READY, match.group(1).decode(), "", ""
        if line.startswith((b"No earlier messages", b"[history ")):
            return READY, "", "", ""
        if line.startswith((b"Error: ", b"Goodbye ", b"[refused")):
            return ERROR, line.decode("utf-8", "replace"), "", ""
        return OTHER, "", "", ""


class IrcWire(Wire):
    """IRC: NICK/USER/JOIN one channel (and a room's), PRIVMSG to it; ready at the end of the last NAMES list.

    IRC has no acknowledgement; a member alone (the echo scenario) sends to its own
    nick and the message coming back counts as its ACK.
    """

    name = "irc"
    markers = (b" PRIVMSG ", b"PING ", b" 366 ", b"ERROR ", b" 401 ", b" 404 ", b" 433 ", b" 437 ",
               b" 471 ", b" 405 ", b" 451 ")
    _errors = (b"ERROR", b"401", b"404", b"433", b"437", b"471", b"405", b"451")
    has_acks = False
    has_rooms = True

    def login(self, name: str, room: str | None) -> bytes:
        join = f"JOIN {room}\r\n" if room is not None else ""
        return f"NICK {name}\r\nUSER {name} 0 * :bench\r\nJOIN {CHANNEL}\r\n{join}".encode()

    def ready_token(self, room: str | None) -> str:
        return room or CHANNEL

    def chat(self, token: str, text: str, own_name: str, to_self: bool, room: str | None) -> bytes:
        target = own_name if to_self else room or CHANNEL
        return f"PRIVMSG {target} :{text}\r\n".encode()

    def pong(self, token: str) -> bytes:
        return f"PONG :{token}\r\n".encode()

    def parse(self, line: bytes) -> Parsed:
        line = line.rstrip(b"\r")
        if line.startswith(b"PING "):
            return PING, line[5:].lstrip(b":").decode("utf-8", "replace"), "", ""
        parts = line.split(b" ", 3)
        if len(parts) < 3:
            return OTHER, "", "", ""
        command = parts[1]
        if command == b"PRIVMSG" and len(parts) == 4:
            text = parts[3].split(b":", 1)[-1].decode("utf-8", "replace")
            sender = parts[0][1:].split(b"!", 1)[0].decode("utf-8", "replace")
            target = parts[2].decode("utf-8", "replace")
            if target == sender:
                return ACK, text.split(" ", 1)[0], sender, ""
            return RELAY, text.split(" ", 1)[0], sender, "" if target == CHANNEL else target
        if command == b"366" and len(parts) == 4:
            return READY, parts[3].split(b" ", 1)[0].decode("utf-8", "replace"), "", ""
        if parts[0] in self._errors or command in self._errors:
            return ERROR, line.decode("utf-8", "replace"), "", ""
        return OTHER, "", "", ""


def _json_line(obj: dict[str, object]) -> bytes:
    return (json.dumps(obj, separators=(",", ":")) + "\n").encode()


WIRES: dict[str, type[Wire]] = {wire.name: wire for wire in (JsonWire, TextWire, IrcWire)}
