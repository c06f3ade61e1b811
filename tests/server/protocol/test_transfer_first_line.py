"""The server's decoder knows a transfer connection (issue 22) by its first line and keeps the bytes after it."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from chat_server import protocol as p
from chat_server.protocol import files as f
from chat_server.protocol.decoder import ServerDecoder

TOKEN = "ab" * 16
LINE = (json.dumps({"type": "transfer", "token": TOKEN, "offset": 7}) + "\n").encode()


def test_a_transfer_line_is_decoded_alone_and_the_bytes_after_it_are_kept() -> None:
    decoder = ServerDecoder()
    assert decoder.feed(LINE + b"\x00\xff binary\n{\"type\":\"chat\"}\n") == [f.TransferOpen(token=TOKEN, offset=7)]
    assert decoder.transfer
    assert decoder.leftover == b"\x00\xff binary\n{\"type\":\"chat\"}\n"
    assert decoder.feed(b"more") == []
    assert decoder.leftover.endswith(b"}\nmore")
    assert decoder.flush() == []


@given(st.integers(min_value=1, max_value=len(LINE) + 40), st.binary(max_size=40))
def test_the_same_in_any_pieces(cut: int, body: bytes) -> None:
    data = LINE + body
    decoder = ServerDecoder(expect_password=True)  # the transfer line is never taken for a password
    events = decoder.feed(data[:cut]) + decoder.feed(data[cut:])
    assert events == [f.TransferOpen(token=TOKEN, offset=7)]
    assert decoder.leftover == body


def test_a_bad_transfer_line_is_a_bad_token_and_a_hello_is_still_a_member() -> None:
    decoder = ServerDecoder()
    [error] = decoder.feed(b'{"type":"transfer","token":"short"}\n')
    assert isinstance(error, p.DecodeError) and error.code == f.ERR_BAD_TOKEN
    assert decoder.transfer
    member = ServerDecoder()
    [hello] = member.feed(p.encode(p.Hello(name="alice")))
    assert isinstance(hello, p.Hello) and not member.transfer and member.framing is p.Framing.JSON
    later = ServerDecoder()
    later.feed(p.encode(p.Hello(name="bob")))
    [refused] = later.feed(LINE)  # only a first line opens a transfer
    assert isinstance(refused, p.DecodeError) and not later.transfer
