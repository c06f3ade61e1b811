"""Incremental decoders: fed arbitrary byte chunks, they return complete messages or errors.

Sans-I/O: no sockets and no Qt here. The server side decides the framing from the
client's first non-empty line; the client side reads JSON lines and the plain-text
banner that precedes them.
"""

from __future__ import annotations

import json
from enum import Enum

from chat_server.protocol import messages as m
from chat_server.protocol.files import TransferOpen
from chat_server.protocol.jsonlines import DecodeError, JsonCodec, encode_json
from chat_server.protocol.search import SEARCH_REPLIES, SEARCH_REQUESTS
from chat_server.protocol.telnet import TelnetFilter, TelnetSignal
from chat_server.protocol.textmode import encode_text, parse_refusal, parse_text_line
from chat_server.protocol.transfer_lines import decode_transfer_open

Event = m.Message | DecodeError


class Framing(Enum):
    """How one connection frames its messages."""

    UNDECIDED = "undecided"
    JSON = "json"
    TEXT = "text"


def encode(message: m.Message, framing: Framing = Framing.JSON) -> bytes:
    """The bytes of ``message`` in ``framing`` (JSON unless told otherwise), newline included."""
    return encode_text(message) if framing is Framing.TEXT else encode_json(message)


class LineSplitter:
    """Splits a byte stream into lines and keeps memory bounded by ``max_line_bytes``."""

    def __init__(self, max_line_bytes: int) -> None:
        self.max_line_bytes = max_line_bytes
        self._buffer = bytearray()
        self._scanned = 0  # bytes of the buffer known to hold no newline
        self.overflowed = False

    @property
    def pending(self) -> int:
        """Bytes of an unfinished line held in the buffer."""
        return len(self._buffer)

    def feed(self, data: bytes) -> list[bytes]:
        """Complete lines (without the newline) found after adding ``data``.

        After a line longer than the limit the splitter sets ``overflowed`` and
        returns nothing more: the connection is to be closed.
        """
        if self.overflowed:
            return []
        self._buffer += data
        lines: list[bytes] = []
        start = 0
        search_from = self._scanned
        buffer = self._buffer
        while True:
            end = buffer.find(b"\n", search_from)
            if end < 0:
                break
            if end - start > self.max_line_bytes:
                return self._overflow(lines)
            lines.append(bytes(buffer[start:end]))
            start = search_from = end + 1
        if start:
            del buffer[:start]
        if len(buffer) > self.max_line_bytes:
            return self._overflow(lines)
        self._scanned = len(buffer)
        return lines

    def peek(self, size: int = 64) -> bytes:
        """The start of the unfinished line."""
        return bytes(self._buffer[:size])

    def take_partial(self) -> bytes:
        """Remove and return the unfinished line (for text clients that send no newline)."""
        partial = bytes(self._buffer)
        self._buffer.clear()
        self._scanned = 0
        return partial

    def _overflow(self, lines: list[bytes]) -> list[bytes]:
        self.overflowed = True
        self._buffer = bytearray()
        self._scanned = 0
        return lines


def _line_too_long(limit: int) -> DecodeError:
    text = f"line too long (the limit is {limit} bytes); closing the connection"
    return DecodeError(m.ERR_LINE_TOO_LONG, text)


class ServerDecoder:
    """Decodes what one client sends; the first non-empty line decides the framing."""

    _json = JsonCodec((*m.CLIENT_MESSAGES, *SEARCH_REQUESTS))

    def __init__(self, max_line_bytes: int = m.DEFAULT_MAX_LINE_BYTES, expect_password: bool = False) -> None:
        self._lines = LineSplitter(max_line_bytes)
        self._telnet = TelnetFilter()  # text mode (and before the framing is known): telnet's commands
        self.framing = Framing.UNDECIDED
        # A first line ``{"type":"transfer",...}`` makes this a file transfer's connection (chat_server/net/
        # transfers.py): nothing more is decoded, and what came after that line is kept here for the transfer.
        self.transfer = False
        self.leftover = b""
        # On a server with a password, a text client's first line is the password, whatever it says
        # (even "exit"); a JSON client's hello carries it instead.
        self.expect_password = expect_password

    @property
    def has_partial(self) -> bool:
        return self._lines.pending > 0

    @property
    def failed(self) -> bool:
        """True after a fatal error (an over-long line): nothing more is decoded."""
        return self._lines.overflowed

    def feed(self, data: bytes) -> list[Event]:
        if self._lines.overflowed or self.transfer:
            self.leftover += data if self.transfer else b""
            return []
        events: list[Event] = []
        while data and not self._lines.overflowed:
            if self.framing is Framing.JSON:  # no Telnet in JSON: a 255 there is invalid UTF-8
                self._feed_lines(data, events)
                break
            if self.framing is Framing.UNDECIDED:  # up to the first newline: that line may decide for JSON
                cut = data.find(b"\n") + 1 or len(data)
                head, data = data[:cut], data[cut:]
            else:
                head, data = data, b""
            self._feed_text(head, events)
            if self.transfer:  # the rest is a file's bytes (an upload's), not lines
                self.leftover = self._lines.take_partial() + data
                break
        if self._lines.overflowed:
            events.append(_line_too_long(self._lines.max_line_bytes))
        return events

    def _feed_lines(self, data: bytes, events: list[Event]) -> None:
        for line in self._lines.feed(data):
            self._decode_line(line, events)

    def _feed_text(self, data: bytes, events: list[Event]) -> None:
        """Text (or undecided) input: Telnet commands taken out and carried out in their place in the stream."""
        for item in self._telnet.feed(data):
            if isinstance(item, bytes):
                self._feed_lines(item, events)
                if self._lines.overflowed:
                    return
            elif item is TelnetSignal.DISCARD_LINE:  # Ctrl-C: the unfinished line is dropped, nothing else
                self._lines.take_partial()
            elif item is TelnetSignal.EXIT:
                if self.framing is Framing.UNDECIDED:
                    self.framing = Framing.TEXT
                events.append(m.Exit())
            else:
                events.append(item)

    @property
    def flushable(self) -> bool:
        """An unfinished line that ``flush`` would make a message of: text, or what may still become text.

        A first line that begins like JSON is not: a JSON client's hello split across two
        packets must not be taken for a text message. Nor is a telnet client's: it ends its lines itself,
        and in character mode sends each key as it is typed.
        """
        if self.framing is Framing.JSON or self.failed or not self.has_partial or self._telnet.telnet:
            return False
        return self.framing is Framing.TEXT or not self._lines.peek().lstrip().startswith(b"{")

    def flush(self) -> list[Event]:
        """The unfinished line as a message, after the sender fell silent (text mode only)."""
        if not self.flushable:
            return []
        events: list[Event] = []
        self._decode_line(self._lines.take_partial(), events)
        return events

    def _decode_line(self, line: bytes, events: list[Event]) -> None:
        if self.framing is Framing.UNDECIDED:
            if not line.strip():
                return
            kind = _json_type(line)
            if kind == TransferOpen.TYPE:  # a transfer connection: its line is the only one decoded
                self.transfer = True
                events.append(decode_transfer_open(line))
                return
            self.framing = Framing.JSON if kind == m.Hello.TYPE else Framing.TEXT
        if self.framing is Framing.JSON:
            self.expect_password = False
            if line.strip():
                events.append(self._json.decode(line))
            return
        if self.expect_password:
            self.expect_password = False
            events.append(m.PasswordAttempt(line.decode("utf-8", errors="replace").strip()))
            return
        event = parse_text_line(line)
        if event is not None:
            events.append(event)


def _json_type(line: bytes) -> object:
    """The ``type`` of ``line`` if it is a JSON object (a hello or a transfer's line, valid or not in its other
    fields), else None."""
    stripped = line.strip()
    if not stripped.startswith(b"{"):
        return None
    try:
        obj = json.loads(stripped)
    except (ValueError, RecursionError):
        return None
    return obj.get("type") if isinstance(obj, dict) else None


CLIENT_MAX_LINE_BYTES = 64 * 1024 * 1024
"""A client accepts long lines: a status report of a busy server is one line."""


class ClientDecoder:
    """Decodes what the server sends to a JSON client: JSON lines, and plain lines (refusals, or banners)."""

    _json = JsonCodec((*m.SERVER_MESSAGES, *SEARCH_REPLIES))

    def __init__(self, max_line_bytes: int = CLIENT_MAX_LINE_BYTES) -> None:
        self._lines = LineSplitter(max_line_bytes)

    def feed(self, data: bytes) -> list[Event]:
        if self._lines.overflowed:
            return []
        events: list[Event] = []
        for line in self._lines.feed(data):
            stripped = line.strip()
            if not stripped:
                continue
            if stripped.startswith(b"{"):
                events.append(self._json.decode(stripped))
            else:
                text = stripped.decode("utf-8", errors="replace")
                events.append(parse_refusal(text) or m.Banner(text))
        if self._lines.overflowed:
            events.append(_line_too_long(self._lines.max_line_bytes))
        return events
