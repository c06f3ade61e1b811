"""Telnet command bytes in text mode (RFC 854): stripped from the data, answered where telnet waits for it.

A telnet client mixes commands into its data: ``IAC`` (255) and a command byte, option
negotiation (``IAC DO|DONT|WILL|WONT option``), subnegotiation (``IAC SB ... IAC SE``) and a
literal 255 as ``IAC IAC``; a bare carriage return is sent as ``CR NUL``. Ctrl-C in telnet
sends ``IAC IP`` and ``IAC DO TIMING-MARK``, and telnet then discards all output until the
server answers the timing mark (RFC 860), so the answer is what keeps a telnet user hearing.

The server enables no option: it answers ``DO TIMING-MARK`` with ``WILL TIMING-MARK``, any other
``DO`` with ``WONT`` and any ``WILL`` with ``DONT``, and never answers ``WONT``/``DONT`` (it is
already there, and answering them could loop). Sans-I/O: ``TelnetFilter.feed`` takes bytes
and returns the data and the actions in the order they came.

Telnet in character mode sends each key as it is typed and Enter as ``CR NUL``: that ends a
line like ``CR LF``, and a client known to be telnet (``TelnetFilter.telnet``: it sent a command
or a ``CR NUL``) ends its lines itself, so its unfinished line is never taken as a message after a
pause the way a netcat client's is (chat_server/protocol/decoder.py).
"""

from __future__ import annotations

from enum import Enum

from chat_server.protocol.messages import TelnetReply

IAC = 255
DONT = 254
DO = 253
WONT = 252
WILL = 251
SB = 250
EL = 248  # erase line
IP = 244  # interrupt process (Ctrl-C)
BRK = 243
SE = 240
ABORT = 238  # RFC 1184
EOF = 236  # RFC 1184
TIMING_MARK = 6  # RFC 860

_IAC_BYTE = bytes([IAC])


class TelnetSignal(Enum):
    """What a Telnet command asks of the session."""

    DISCARD_LINE = "discard line"  # IP, EL: forget the unfinished line, as after an empty one
    EXIT = "exit"  # EOF, BRK, ABORT: end the session as ``exit`` does


TelnetItem = bytes | TelnetSignal | TelnetReply

_SIGNALS = {IP: TelnetSignal.DISCARD_LINE, EL: TelnetSignal.DISCARD_LINE,
            EOF: TelnetSignal.EXIT, BRK: TelnetSignal.EXIT, ABORT: TelnetSignal.EXIT}

# Where the filter is between two calls: a command can be split across reads.
_DATA, _COMMAND, _OPTION, _SUB, _SUB_IAC = range(5)


def negotiation_reply(verb: int, option: int) -> bytes:
    """The answer to ``IAC verb option``: b"" for none."""
    if verb == DO:
        return bytes([IAC, WILL if option == TIMING_MARK else WONT, option])
    if verb == WILL:
        return bytes([IAC, DONT, option])
    return b""  # WONT, DONT: the option is off, as it already is


class TelnetFilter:
    """Separates a text client's data from Telnet commands, one connection's stream at a time."""

    __slots__ = ("_after_cr", "_state", "_verb", "telnet")

    def __init__(self) -> None:
        self._state = _DATA
        self._verb = 0
        self._after_cr = False  # the last data byte was CR: a NUL right after it is Telnet's bare CR
        self.telnet = False  # a command or a CR NUL came: the client is telnet, and it ends its lines

    def feed(self, data: bytes) -> list[TelnetItem]:
        """The data (without commands) and the commands' signals and replies, in stream order."""
        if self._state == _DATA and _IAC_BYTE not in data and b"\r\0" not in data \
                and not (self._after_cr and data.startswith(b"\0")):
            if data:
                self._after_cr = data.endswith(b"\r")
            return [data] if data else []  # what every client but telnet sends: no copy, no loop
        items: list[TelnetItem] = []
        out = bytearray()
        for byte in data:
            state = self._state
            if state == _DATA:
                if byte == IAC:
                    self._state = _COMMAND
                elif byte == 0 and self._after_cr:  # Enter in character mode: the line ends here
                    out.append(10)
                    self._after_cr = False
                    self.telnet = True
                else:
                    out.append(byte)
                    self._after_cr = byte == 13
            elif state == _COMMAND:
                self._state = _DATA
                if byte >= SE:  # a command indeed (IAC and a stray byte is no sign of telnet)
                    self.telnet = True
                if byte == IAC:
                    out.append(IAC)
                    self._after_cr = False
                elif byte in (DO, DONT, WILL, WONT):
                    self._verb = byte
                    self._state = _OPTION
                elif byte == SB:
                    self._state = _SUB
                elif byte in _SIGNALS:
                    if out:
                        items.append(bytes(out))
                        out.clear()
                    items.append(_SIGNALS[byte])
                # Any other command (NOP, DM, AYT, AO, EC, GA, SE out of place, SUSP) is dropped.
            elif state == _OPTION:
                self._state = _DATA
                reply = negotiation_reply(self._verb, byte)
                if reply:
                    if out:
                        items.append(bytes(out))
                        out.clear()
                    items.append(TelnetReply(reply))
            elif state == _SUB:
                if byte == IAC:
                    self._state = _SUB_IAC
            else:  # _SUB_IAC: IAC SE ends the subnegotiation; IAC IAC is a 255 inside it
                self._state = _DATA if byte == SE else _SUB
        if out:
            items.append(bytes(out))
        return items
