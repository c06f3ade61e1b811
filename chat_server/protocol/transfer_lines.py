"""The lines of a transfer connection (docs/protocol.md, *Files*): its first line, ``transfer`` with a token, which the
server decodes; and the one line the server writes back (``stored`` after an upload, ``sending`` before a download's
bytes, or an ``error``), which the client decodes. Everything else on that connection is the file's bytes."""

from __future__ import annotations

from chat_server.protocol import files as f
from chat_server.protocol import messages as m
from chat_server.protocol.jsonlines import DecodeError, JsonCodec

__all__ = ["MAX_TRANSFER_LINE_BYTES", "decode_transfer_open", "decode_transfer_reply"]

MAX_TRANSFER_LINE_BYTES = 1024
"""The longest line either side writes on a transfer connection (a ``transfer`` line is under 100 bytes; an error's
text is short): a longer one is refused, so that a transfer never buffers much before its bytes begin."""

_OPENING = JsonCodec((f.TransferOpen,))
_REPLIES = JsonCodec((*f.TRANSFER_REPLIES, m.Error))


def decode_transfer_open(line: bytes) -> f.TransferOpen | DecodeError:
    """The first line of a transfer connection (the server's side, without its newline), or why it is none: always
    ``bad_token``, the one answer before the server closes."""
    decoded = _OPENING.decode(line)
    if isinstance(decoded, DecodeError):
        return DecodeError(f.ERR_BAD_TOKEN, decoded.text)
    return decoded  # type: ignore[return-value]


def decode_transfer_reply(line: bytes) -> f.TransferStored | f.TransferSending | m.Error | DecodeError:
    """A line the server writes on a transfer connection (the client's side, without its newline)."""
    return _REPLIES.decode(line)  # type: ignore[return-value]
