"""Spoofing: look-alike names, names that forge the server's lines, and characters that hide or reorder text."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from chat_server import protocol as p
from chat_server.core.engine import ChatServer
from tests.conftest import RawClient

MakeServer = Callable[..., ChatServer]
MakeRaw = Callable[[ChatServer], RawClient]


def _hello(make_raw: MakeRaw, server: ChatServer, name: str, client_id: str | None = None) -> RawClient:
    raw = make_raw(server)
    raw.send(p.encode(p.Hello(name=name, client_id=client_id)))
    raw.wait_line(lambda line: line.startswith(('{"type":"welcome"', '{"type":"error"')))
    return raw


def _first(raw: RawClient, kind: str) -> dict[str, object]:
    for line in raw.lines:
        if line.startswith("{"):
            obj = json.loads(line)
            if obj["type"] == kind:
                return obj
    raise AssertionError(f"no {kind} in {raw.lines!r}")


@pytest.mark.parametrize("lookalike", [
    "\u0430lice",  # Cyrillic a
    "\uff41lice",  # fullwidth a
    "ali\u0301ce",  # i with a combining acute accent
    "aIice",  # capital I for the l
    "ALICE",
])
def test_a_name_that_looks_like_one_online_is_taken(make_server: MakeServer, make_raw: MakeRaw,
                                                      lookalike: str) -> None:
    server = make_server(max_clients=0)
    _hello(make_raw, server, "alice")
    spoofer = _hello(make_raw, server, lookalike)
    error = _first(spoofer, "error")
    assert error["code"] == "name_taken", error
    spoofer.wait_closed()
    assert server.members() == ["alice"]


def test_a_lookalike_of_a_reserved_name_is_reserved_too(make_server: MakeServer, make_raw: MakeRaw,
                                                        tmp_path: Path) -> None:
    server = make_server(db_path=str(tmp_path / "chat.sqlite3"))
    alice = _hello(make_raw, server, "alice", client_id="id-alice-0123456789")
    alice.send(p.encode(p.Exit()))
    alice.wait_closed()
    spoofer = _hello(make_raw, server, "\u0430lice", client_id="id-mallory-0123456789")
    assert _first(spoofer, "error")["code"] == "name_reserved"


def test_names_are_kept_in_nfkc(make_server: MakeServer, make_raw: MakeRaw) -> None:
    server = make_server()
    bob = _hello(make_raw, server, "\uff42\uff4f\uff42")  # fullwidth
    assert _first(bob, "welcome")["name"] == "bob"
    assert server.members() == ["bob"]


@pytest.mark.parametrize(("name", "why"), [
    ("[server] Restart at noon", "a name starts with a letter or a digit"),
    ("* alice", "a name starts with a letter or a digit"),
    ("alice: I agree", "a name cannot contain ':'"),
    ("Error", "Error looks like a word the server uses for its own lines"),
    ("\uff33\uff45\uff52\uff56\uff45\uff52", "Server looks like a word the server uses for its own lines"),
    ("one\u2028two", "a name is one line"),
    ("bob\u200b", "a name cannot contain invisible characters"),
])
def test_names_that_could_forge_the_servers_lines_are_invalid(make_server: MakeServer, make_raw: MakeRaw,
                                                              name: str, why: str) -> None:
    server = make_server()
    raw = _hello(make_raw, server, name)
    error = _first(raw, "error")
    assert error["code"] == "name_invalid"
    assert str(error["text"]).endswith(f"cannot be used: {why}.")


@pytest.mark.parametrize(("text", "why"), [
    ("line\u2028break", "a message is one line (no line or paragraph separators)"),
    ("para\u2029graph", "a message is one line (no line or paragraph separators)"),
    ("invoice\u202egpj.exe", "a message cannot contain bidirectional overrides (U+202E)"),
    ("isolate\u2067x\u2069", "a message cannot contain bidirectional overrides (U+2067)"),
    ("zero\u200bwidth", "a message cannot contain invisible characters (U+200B)"),
    ("tag\U000e0041\U000e0042", "a message cannot contain invisible characters (U+E0041)"),
    ("bom\ufeff", "a message cannot contain invisible characters (U+FEFF)"),
])
def test_messages_with_hidden_or_reordering_characters_are_refused_in_both_framings(
        make_server: MakeServer, make_raw: MakeRaw, text: str, why: str) -> None:
    server = make_server(max_clients=0)
    member = _hello(make_raw, server, "alice")
    member.send(p.encode(p.Chat(id="m1", text=text)))
    member.wait_line(lambda line: line.startswith('{"type":"error"'))
    error = _first(member, "error")
    assert (error["code"], error["id"], error["text"]) == ("message_invalid", "m1", f"Not sent: {why}.")
    netcat = make_raw(server)
    netcat.send(f"{text}\n".encode())
    assert netcat.wait_line(lambda line: line.startswith("Error: ")) == f"Error: Not sent: {why}."


def test_joiners_in_emoji_and_flag_tags_still_pass(make_server: MakeServer, make_raw: MakeRaw) -> None:
    server = make_server()
    netcat = make_raw(server)
    family = "the \U0001F468\u200d\U0001F469\u200d\U0001F467 family"
    flag = "\U0001F3F4\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F flag"
    for text in (family, flag, "ZWNJ in Persian: \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"):
        netcat.send(f"{text}\n".encode())
        netcat.wait_line(f"{text} ACK")
