"""Read markers on the wire: ``mark_read`` and ``read_marker`` round-trip in JSON (their conversation fields only
when set), the server's decoder checks them once, and text mode shows nothing of them."""

from __future__ import annotations

import json

import pytest

from chat_server import protocol as p
from chat_server.protocol.jsonlines import DecodeError, JsonCodec

SERVER_SIDE = JsonCodec(p.CLIENT_MESSAGES)
CLIENT_SIDE = JsonCodec(p.SERVER_MESSAGES)


@pytest.mark.parametrize("message", [p.MarkRead(seq=5), p.MarkRead(seq=7, room="#dev"), p.MarkRead(seq=9, to="bob"),
                                     p.MarkRead(seq=9, to="bob", id="read-marker")])
def test_mark_read_round_trips(message: p.MarkRead) -> None:
    assert SERVER_SIDE.decode(p.encode(message).rstrip(b"\n")) == message


@pytest.mark.parametrize(("message", "line"), [
    (p.ReadMarker(seq=5), {"type": "read_marker", "seq": 5}),
    (p.ReadMarker(seq=7, room="#dev"), {"type": "read_marker", "seq": 7, "room": "#dev"}),
    (p.ReadMarker(seq=9, to="bob"), {"type": "read_marker", "seq": 9, "to": "bob"}),
])
def test_read_marker_round_trips_with_its_fields_only_when_set(message: p.ReadMarker, line: dict[str, object]) -> None:
    encoded = p.encode(message)
    assert json.loads(encoded) == line
    assert CLIENT_SIDE.decode(encoded.rstrip(b"\n")) == message


def test_text_mode_shows_no_marker() -> None:
    assert p.encode(p.ReadMarker(seq=3, room="#dev"), p.Framing.TEXT) == b""


@pytest.mark.parametrize(("line", "code"), [
    ('{"type":"mark_read","seq":0}', p.ERR_BAD_MESSAGE),
    ('{"type":"mark_read","seq":-4}', p.ERR_BAD_MESSAGE),
    ('{"type":"mark_read"}', p.ERR_BAD_MESSAGE),
    ('{"type":"mark_read","seq":"3"}', p.ERR_BAD_MESSAGE),
    ('{"type":"mark_read","seq":1e3}', p.ERR_BAD_MESSAGE),
    ('{"type":"mark_read","seq":3,"room":"#dev","to":"bob"}', p.ERR_BAD_MESSAGE),
    ('{"type":"mark_read","seq":3,"room":"dev"}', p.ERR_ROOM_INVALID),
    ('{"type":"mark_read","seq":3,"to":"*bob"}', p.ERR_UNKNOWN_MEMBER),
    ('{"type":"mark_read","seq":3,"to":"\\ud800"}', p.ERR_BAD_MESSAGE),
    ('{"type":"read_marker","seq":3}', p.ERR_BAD_MESSAGE),  # the server's type: unknown to its decoder
])
def test_the_server_refuses_a_bad_mark_read_as_a_value(line: str, code: str) -> None:
    decoded = SERVER_SIDE.decode(line.encode())
    assert isinstance(decoded, DecodeError) and decoded.code == code


def test_a_refusal_found_where_a_mark_read_is_decoded_carries_its_id() -> None:
    decoded = SERVER_SIDE.decode(b'{"type":"mark_read","seq":0,"id":"m1"}')
    assert isinstance(decoded, DecodeError) and (decoded.code, decoded.id) == (p.ERR_BAD_MESSAGE, "m1")
    decoded = SERVER_SIDE.decode(b'{"type":"mark_read","seq":2,"room":"dev","id":"m2"}')
    assert isinstance(decoded, DecodeError) and (decoded.code, decoded.id) == (p.ERR_ROOM_INVALID, "m2")
    assert json.loads(p.encode(p.MarkRead(seq=4))) == {"type": "mark_read", "seq": 4}  # no id: none on the wire
