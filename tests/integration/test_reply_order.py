"""A member gets the replies to its own lines in the order it sent them, good and bad lines mixed, in both framings.

Messages are acknowledged only after their commit, errors could be sent at once: an error must
wait behind the ACKs of the lines sent before it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chat_server import protocol as p
from chat_server.core.engine import ChatServer
from tests.conftest import RawClient

MakeServer = Callable[..., ChatServer]
MakeRaw = Callable[[ChatServer], RawClient]

TEXT_KINDS = ["good", "spaces", "control", "utf8", "empty"]
JSON_KINDS = ["good", "control", "utf8", "not_json", "unknown_type", "ping"]
EXAMPLES = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _text_line(kind: str, i: int) -> tuple[bytes, str | None]:
    """A line of ``kind`` and the reply it must get (None: no reply)."""
    match kind:
        case "good":
            return f"m{i}\n".encode(), f"m{i} ACK"
        case "spaces":
            return f"  spaced {i}  \n".encode(), f"spaced {i} ACK"
        case "control":
            return f"bad\x01{i}\n".encode(), "Error: Not sent: a message cannot contain control characters."
        case "utf8":
            return b"\xc3(" + f"{i}\n".encode(), "Error: invalid UTF-8 at byte 0; the line was not sent"
        case _:
            return b"\n", None


def _json_line(kind: str, i: int) -> tuple[bytes, tuple[object, ...]]:
    match kind:
        case "good":
            return p.encode(p.Chat(id=str(i), text=f"m{i}")), ("ack", str(i))
        case "control":
            return p.encode(p.Chat(id=str(i), text=f"bad\x01{i}")), ("error", p.ERR_MESSAGE_INVALID, str(i))
        case "utf8":
            return b'{"type":"chat","id":"x","text":"\xc3("}\n', ("error", p.ERR_INVALID_UTF8)
        case "not_json":
            return b"{not json\n", ("error", p.ERR_BAD_MESSAGE)
        case "unknown_type":
            return b'{"type":"dance"}\n', ("error", p.ERR_BAD_MESSAGE)
        case _:
            return p.encode(p.Ping(token=str(i))), ("pong", str(i))


def _json_reply(obj: dict[str, Any]) -> tuple[object, ...]:
    match obj["type"]:
        case "ack":
            return ("ack", obj["id"])
        case "pong":
            return ("pong", obj["token"])
        case _:
            return ("error", obj["code"], obj["id"]) if obj["code"] == p.ERR_MESSAGE_INVALID else \
                ("error", obj["code"])


@EXAMPLES
@given(kinds=st.lists(st.sampled_from(TEXT_KINDS), min_size=1, max_size=12))
def test_text_replies_come_in_the_order_of_the_lines(make_server: MakeServer, make_raw: MakeRaw,
                                                     kinds: list[str]) -> None:
    server = make_server(max_clients=0, rate_per_s=0)
    lines = [_text_line(kind, i) for i, kind in enumerate(kinds)]
    raw = make_raw(server)
    raw.send(b"".join(line for line, _ in lines) + b"exit\n")  # one write: read and handled in one pass
    raw.wait_closed()
    assert raw.lines[1:-1] == [reply for _, reply in lines if reply is not None]
    assert raw.lines[-1].startswith("Goodbye ")


@EXAMPLES
@given(kinds=st.lists(st.sampled_from(JSON_KINDS), min_size=1, max_size=12))
def test_json_replies_come_in_the_order_of_the_lines(make_server: MakeServer, make_raw: MakeRaw,
                                                     kinds: list[str]) -> None:
    server = make_server(max_clients=0, rate_per_s=0)
    lines = [_json_line(kind, i) for i, kind in enumerate(kinds)]
    raw = make_raw(server)
    raw.send(p.encode(p.Hello(name="jay")) + b"".join(line for line, _ in lines) + p.encode(p.Exit()))
    raw.wait_closed()
    objects = [json.loads(line) for line in raw.lines[1:]]
    assert [obj["type"] for obj in objects[:2]] == ["welcome", "joined"]
    assert [_json_reply(obj) for obj in objects[2:-1]] == [reply for _, reply in lines]
    assert objects[-1]["type"] == "goodbye"


def test_an_error_waits_behind_the_ack_of_the_line_before_it(server: ChatServer, make_raw: MakeRaw) -> None:
    raw = make_raw(server)
    raw.send(b"  hello with spaces  \ncolour \x1b[31m\n\xc3( broken\nEXIT\n")
    raw.wait_closed()
    assert raw.lines[1:-1] == ["hello with spaces ACK", "Error: Not sent: a message cannot contain control characters.",
                               "Error: invalid UTF-8 at byte 0; the line was not sent"]
