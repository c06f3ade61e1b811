"""Validation at the wire, exactly: each refusal's code and words, each field type's edge, lone surrogates.

Written against the survivors of mutation testing (scripts/mutation-test): each test pins a decision in
chat_server/protocol/ that a one-token change would otherwise alter unnoticed.
"""

from __future__ import annotations

import json

import pytest

from chat_server import protocol as p
from chat_server.protocol.jsonlines import JsonCodec

CLIENT_TYPES = (*p.CLIENT_MESSAGES, *p.SEARCH_REQUESTS)
SERVER_TYPES = (*p.SERVER_MESSAGES, *p.SEARCH_REPLIES)
SERVER_SIDE = JsonCodec(CLIENT_TYPES)  # what a server accepts
CLIENT_SIDE = JsonCodec(SERVER_TYPES)  # what a client accepts

SESSION = {"name": "bob", "host": "::1", "port": 4, "connected_at": 1.5, "disconnected_at": None,
           "state": "online", "messages": 0}


def _line(obj: object) -> bytes:
    return json.dumps(obj).encode("utf-8")


def _report(**changes: object) -> dict[str, object]:
    report: dict[str, object] = {"type": "status_report", "online": 1, "max_clients": 3, "started_at": 1.0,
                                 "sessions": [SESSION]}
    report.update(changes)
    return report


# --- the shape of a line ------------------------------------------------------------------------

@pytest.mark.parametrize(("line", "code", "text"), [
    (b"\xff{}", p.ERR_INVALID_UTF8, "invalid UTF-8 at byte 0"),
    (b"[" * 100_000 + b"]" * 100_000, p.ERR_BAD_MESSAGE, "not JSON: nested too deeply"),
    (b"[1]", p.ERR_BAD_MESSAGE, "a message must be a JSON object"),
    (b'"chat"', p.ERR_BAD_MESSAGE, "a message must be a JSON object"),
])
def test_a_line_that_is_not_an_object_is_refused_with_its_reason(line: bytes, code: str, text: str) -> None:
    assert SERVER_SIDE.decode(line) == p.DecodeError(code, text)


def test_an_unknown_type_names_the_known_ones_in_order() -> None:
    known = ", ".join(sorted(cls.TYPE for cls in CLIENT_TYPES))
    for kind in ("nope", 7, None):
        assert SERVER_SIDE.decode(_line({"type": kind})) == p.DecodeError(
            p.ERR_BAD_MESSAGE, f"unknown message type {kind!r} (expected one of: {known})")


SERVER_ONLY = sorted({cls.TYPE for cls in SERVER_TYPES} - {cls.TYPE for cls in CLIENT_TYPES})


@pytest.mark.parametrize("kind", SERVER_ONLY)
def test_a_server_only_type_is_unknown_to_the_server(kind: str) -> None:
    # The engine's fallback for a server-only type is unreachable because of this refusal.
    # Through the server's own decoder, after a hello, as the engine gets it.
    decoder = p.ServerDecoder()
    decoder.feed(p.encode(p.Hello()))
    known = ", ".join(sorted(cls.TYPE for cls in CLIENT_TYPES))
    assert decoder.feed(_line({"type": kind, "name": "x"}) + b"\n") == [p.DecodeError(
        p.ERR_BAD_MESSAGE, f"unknown message type {kind!r} (expected one of: {known})")]


def test_the_server_only_types_are_the_servers_answers() -> None:
    assert SERVER_ONLY == ["ack", "away_reply", "download_ready", "error", "goodbye", "history_page", "invited",
                           "joined", "left", "message", "notice", "read_marker", "renamed", "room", "room_list",
                           "room_members", "room_renamed", "search_results", "status_report", "topic",
                           "upload_ready", "welcome"]


# --- field types ------------------------------------------------------------------------------

def test_integer_fields_refuse_booleans_and_numbers_with_a_fraction() -> None:
    value: object
    for value in (True, False, 1.5, "1"):
        assert SERVER_SIDE.decode(_line({"type": "hello", "version": value})) == p.DecodeError(
            p.ERR_BAD_MESSAGE, "hello: field 'version' must be an integer")


def test_number_fields_take_integers_as_floats_and_refuse_booleans() -> None:
    ack = CLIENT_SIDE.decode(_line({"type": "ack", "id": "1", "seq": 2, "time": 3}))
    assert ack == p.Ack(id="1", seq=2, time=3.0) and isinstance(ack.time, float)
    assert CLIENT_SIDE.decode(_line({"type": "ack", "id": "1", "seq": 2, "time": True})) == p.DecodeError(
        p.ERR_BAD_MESSAGE, "ack: field 'time' must be a number")
    # An integer in an integer field stays an integer.
    assert isinstance(ack.seq, int) and not isinstance(ack.seq, float)


def test_optional_fields_take_null_or_their_type_only() -> None:
    assert SERVER_SIDE.decode(_line({"type": "hello", "name": None})) == p.Hello(name=None)
    assert SERVER_SIDE.decode(_line({"type": "hello", "name": "alice"})) == p.Hello(name="alice")
    wrong: tuple[object, ...] = (5, [], {}, True)
    for value in wrong:
        assert SERVER_SIDE.decode(_line({"type": "hello", "name": value})) == p.DecodeError(
            p.ERR_BAD_MESSAGE, "hello: field 'name' must be a string or null")
    assert SERVER_SIDE.decode(_line({"type": "hello", "last_seq": "3"})) == p.DecodeError(
        p.ERR_BAD_MESSAGE, "hello: field 'last_seq' must be an integer or null")


def test_list_fields_take_lists_of_their_item_type_only() -> None:
    welcome = {"type": "welcome", "name": "a", "online": 1, "max_clients": 3, "max_line_bytes": 10}
    decoded = CLIENT_SIDE.decode(_line({**welcome, "members": ["a", "b"]}))
    assert isinstance(decoded, p.Welcome) and decoded.members == ("a", "b")
    for members in ("ab", ["a", 1], {"a": 1}, [None]):
        assert CLIENT_SIDE.decode(_line({**welcome, "members": members})) == p.DecodeError(
            p.ERR_BAD_MESSAGE, "welcome: field 'members' must be a list of strings")


def test_sessions_are_checked_field_by_field() -> None:
    decoded = CLIENT_SIDE.decode(_line(_report()))
    assert isinstance(decoded, p.StatusReport) and decoded.sessions == (p.SessionInfo(**SESSION),)  # type: ignore[arg-type]
    # A session may leave out what has a default (its run): taken as the default, not a KeyError.
    assert "run" not in SESSION and decoded.sessions[0].run == 0
    for sessions in ([{**SESSION, "port": "4"}], [{k: v for k, v in SESSION.items() if k != "state"}], [5],
                     SESSION):
        assert CLIENT_SIDE.decode(_line(_report(sessions=sessions))) == p.DecodeError(
            p.ERR_BAD_MESSAGE, "status_report: field 'sessions' must be a list of sessions")


def test_integers_beyond_64_bits_are_out_of_range() -> None:
    top, bottom = 2**63 - 1, -(2**63)
    assert SERVER_SIDE.decode(_line({"type": "hello", "last_seq": top})) == p.Hello(last_seq=top)
    assert SERVER_SIDE.decode(_line({"type": "hello", "last_seq": bottom})) == p.Hello(last_seq=bottom)
    for value in (top + 1, bottom - 1):
        assert SERVER_SIDE.decode(_line({"type": "hello", "last_seq": value})) == p.DecodeError(
            p.ERR_BAD_MESSAGE, "hello: field 'last_seq' is out of range")


def test_a_chat_whose_text_is_not_a_string_is_a_bad_line_not_a_refused_message() -> None:
    assert SERVER_SIDE.decode(_line({"type": "chat", "id": "m1", "text": 5})) == p.DecodeError(
        p.ERR_BAD_MESSAGE, "chat: field 'text' must be a string")


def test_a_missing_field_is_named_and_a_defaulted_one_may_be_left_out() -> None:
    assert SERVER_SIDE.decode(_line({"type": "chat", "id": "1"})) == p.DecodeError(
        p.ERR_BAD_MESSAGE, "chat: missing field 'text'")
    assert SERVER_SIDE.decode(_line({"type": "chat", "text": "hi"})) == p.DecodeError(
        p.ERR_BAD_MESSAGE, "chat: missing field 'id'")
    assert SERVER_SIDE.decode(_line({"type": "hello"})) == p.Hello()


# --- lone surrogates --------------------------------------------------------------------------

def test_a_lone_surrogate_in_a_chat_text_refuses_that_message_by_its_id() -> None:
    line = b'{"type":"chat","id":"m7","text":"ok \\ud800 then"}'
    assert SERVER_SIDE.decode(line) == p.DecodeError(
        p.ERR_MESSAGE_INVALID, "Not sent: chat: field 'text' is not valid Unicode text (it holds the lone "
                               "surrogate U+D800).", id="m7")


def test_a_lone_surrogate_elsewhere_refuses_the_line() -> None:
    assert SERVER_SIDE.decode(b'{"type":"chat","id":"\\udfff","text":"hi"}') == p.DecodeError(
        p.ERR_BAD_MESSAGE, "chat: field 'id' is not valid Unicode text (it holds the lone surrogate U+DFFF)")
    assert SERVER_SIDE.decode(b'{"type":"hello","name":"a\\udc00"}') == p.DecodeError(
        p.ERR_BAD_MESSAGE, "hello: field 'name' is not valid Unicode text (it holds the lone surrogate U+DC00)")


def test_a_lone_surrogate_in_a_list_is_found_after_good_items() -> None:
    line = (b'{"type":"welcome","name":"a","online":1,"max_clients":3,"max_line_bytes":10,'
            b'"members":["a","b","c\\ud801","\\ud802"]}')
    assert CLIENT_SIDE.decode(line) == p.DecodeError(
        p.ERR_BAD_MESSAGE, "welcome: field 'members' is not valid Unicode text (it holds the lone surrogate U+D801)")


def test_a_lone_surrogate_in_a_session_of_a_status_report_refuses_the_line() -> None:
    # Sessions are checked through _check_fields, which must scan for surrogates whatever the line held.
    line = _line(_report(sessions=[SESSION, {**SESSION, "name": "b\udc01"}]))
    assert b"\\udc01" in line
    assert CLIENT_SIDE.decode(line) == p.DecodeError(
        p.ERR_BAD_MESSAGE, "status_report: field 'sessions' must be a list of sessions")


@pytest.mark.parametrize(("escape", "code_point"), [
    (b"\\ud800", "U+D800"), (b"\\uDBFF", "U+DBFF"), (b"\\uDc00", "U+DC00"), (b"\\udfff", "U+DFFF"),
    (b"\\\\\\ud9ab", "U+D9AB"),  # after an escaped backslash: still an escape of a surrogate
])
def test_every_spelling_of_a_surrogate_escape_is_scanned_for(escape: bytes, code_point: str) -> None:
    line = b'{"type":"chat","id":"m1","text":"' + escape + b'"}'
    assert SERVER_SIDE.decode(line) == p.DecodeError(
        p.ERR_MESSAGE_INVALID, f"Not sent: chat: field 'text' is not valid Unicode text (it holds the lone "
                               f"surrogate {code_point}).", id="m1")


@pytest.mark.parametrize(("escaped", "text"), [
    (b"\\ud83d\\ude00", "\U0001f600"),  # a pair is one scalar value: the scan runs and finds nothing
    (b"\\\\ud800", "\\ud800"),  # an escaped backslash before "ud800": a false alarm, no surrogate
    (b"\\u00e9\\ud7ff\\ue000", "\u00e9\ud7ff\ue000"),  # escapes either side of the surrogates
])
def test_escapes_that_are_no_lone_surrogate_are_accepted(escaped: bytes, text: str) -> None:
    assert SERVER_SIDE.decode(b'{"type":"chat","id":"m1","text":"' + escaped + b'"}') == p.Chat(id="m1", text=text)


def test_the_field_checks_and_a_codec_built_at_run_time_decide_as_those_built_at_import() -> None:
    # mutmut swaps a function only when it is called after the module loaded: building the checks and a
    # codec here, in the test, puts _optional, _list_of and JsonCodec.__init__ under mutation too.
    optional_str = p.jsonlines._optional(p.jsonlines._is_str)
    assert [optional_str(v) for v in (None, "a", "", 5, ["a"])] == [True, True, True, False, False]
    list_of_str = p.jsonlines._list_of(p.jsonlines._is_str)
    assert [list_of_str(v) for v in ([], ["a", "b"], "ab", ["a", 1], [None], None)] == [
        True, True, False, False, False, False]
    codec = JsonCodec([p.Ping, p.Pong])
    assert codec.decode(b'{"type":"pong","token":"t"}') == p.Pong(token="t")
    assert codec.decode(b'{"type":"chat","id":"1","text":"x"}') == p.DecodeError(
        p.ERR_BAD_MESSAGE, "unknown message type 'chat' (expected one of: ping, pong)")


def test_scalar_text_is_described_by_its_first_bad_code_point() -> None:
    assert p.jsonlines.not_scalar_text("plain ✓ text") is None
    assert p.jsonlines.not_scalar_text("a\udfffb\ud800") == "U+DFFF"


# --- encoding -----------------------------------------------------------------------------------

def test_optional_fields_are_left_out_of_the_encoding_only_where_meant() -> None:
    live = json.loads(p.encode_json(p.Relay(sender="b", text="t", seq=1, time=2.0)))
    replayed = json.loads(p.encode_json(p.Relay(sender="b", text="t", seq=1, time=2.0, history=True)))
    assert "history" not in live and replayed["history"] is True
    ack = json.loads(p.encode_json(p.Ack(id="1", seq=2, time=3.0, text="mine")))
    assert ack == {"type": "ack", "id": "1", "seq": 2, "time": 3.0}
    assert "password" not in json.loads(p.encode_json(p.Hello()))
    assert json.loads(p.encode_json(p.Hello(password="pw")))["password"] == "pw"


def test_encoding_keeps_non_ascii_text_as_utf_8() -> None:
    assert p.encode_json(p.Chat(id="1", text="ünï ✓")) == '{"type":"chat","id":"1","text":"ünï ✓"}\n'.encode()


# --- names and texts ----------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "problem"), [
    ("", "a name cannot be empty"),
    ("   ", "a name cannot be empty"),
    (" alice", "a name cannot start or end with spaces"),
    ("alice ", "a name cannot start or end with spaces"),
    ("a" * (p.MAX_NAME_LENGTH + 1), f"a name is at most {p.MAX_NAME_LENGTH} characters"),
    ("al\u200bice", "a name cannot contain invisible characters"),
    ("al\x7fice", "a name cannot contain control characters"),
    ("al\u2028ice", "a name is one line"),
    ("al\u2029ice", "a name is one line"),
    ("*alice", "a name starts with a letter or a digit"),
    ("[server", "a name starts with a letter or a digit"),
    ("al:ice", "a name cannot contain ':'"),
    ("a" * p.MAX_NAME_LENGTH, None),
    ("Ünïcode ✓", None),
    ("7-of-9", None),
    ("a-b.c", None),
])
def test_name_problems_in_plain_words(name: str, problem: str | None) -> None:
    assert p.name_problem(name) == problem


@pytest.mark.parametrize(("text", "problem"), [
    (" \t ", "an empty message is not sent"),
    ("two\nlines", "a message is one line"),
    ("carriage\rreturn", "a message is one line"),
    ("bell\x07", "a message cannot contain control characters"),
    ("del\x7f", "a message cannot contain control characters"),
    ("c1\x85", "a message cannot contain control characters"),
    ("tab\tinside", None),
    ("line\u2028separator", "a message is one line (no line or paragraph separators)"),
    ("para\u2029graph", "a message is one line (no line or paragraph separators)"),
    ("evil \u202etxt.exe", "a message cannot contain bidirectional overrides (U+202E)"),
    ("isolate \u2066x\u2069", "a message cannot contain bidirectional overrides (U+2066)"),
    ("zero\u200bwidth", "a message cannot contain invisible characters (U+200B)"),
    ("\u200dleading joiner", "a message cannot contain invisible characters (U+200D)"),
    ("filler \u3164 letter", "a message cannot contain invisible characters (U+3164)"),
    ("a joiner inside: \U0001F468\u200d\U0001F469", None),  # an emoji sequence: part of the writing
    ("a\u200db", None),  # a joiner right after the first character, between two visible ones
    ("ab\u200d", "a message cannot contain invisible characters (U+200D)"),  # at the end: joins nothing
    ("x \u200db", "a message cannot contain invisible characters (U+200D)"),  # after a space
    ("a\u200d b", "a message cannot contain invisible characters (U+200D)"),  # before a space
    ("a\u200d\u200bb", "a message cannot contain invisible characters (U+200D)"),  # before a format character
    ("a\u200d\u3164b", "a message cannot contain invisible characters (U+200D)"),  # before a blank letter
    ("a\u200db\u200bc", "a message cannot contain invisible characters (U+200B)"),  # a good joiner, then not
    ("Scotland \U0001F3F4\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F", None),
    ("ünïcödé ✓", None),
])
def test_text_problems_in_plain_words(text: str, problem: str | None) -> None:
    assert p.text_problem(text) == problem


# --- text-mode commands ---------------------------------------------------------------------------

@pytest.mark.parametrize(("line", "parsed"), [
    (b"status", p.StatusRequest()),
    (b"  STATUS  ", p.StatusRequest()),
    (b"status all", p.StatusRequest(all_runs=True)),
    (b"status 3", p.StatusRequest(page=3)),
    (b"status all 2", p.StatusRequest(all_runs=True, page=2)),
    (b"status 1", p.StatusRequest(page=1)),
    (b"status 999999999", p.StatusRequest(page=999_999_999)),
    (b"history", p.HistoryRequest()),
    (b"history 5", p.HistoryRequest(5)),
    (b"history 1", p.HistoryRequest(1)),
    (b"history 123456789", p.HistoryRequest(123_456_789)),
    (b"history 1234567890", p.HistoryRequest(10**9)),  # too many digits for int(): the most there can be
    (b"history 99999999999999999999999", p.HistoryRequest(10**9)),
    (b"exit", p.Exit()),
    (b"Quit", p.Exit()),
])
def test_text_commands_are_parsed_exactly(line: bytes, parsed: p.Message) -> None:
    assert p.parse_text_line(line) == parsed


@pytest.mark.parametrize("line", [
    "status 0", "status -1", "status 1234567890", "status x", "status all all", "status 2 all", "status 1 2",
    "status all 0", "status \uff12", "history x", "history 5 6", "history -3", "history \uff15", "all status",
    "statusall", "history5",
])
def test_lines_that_only_look_like_commands_are_chat(line: str) -> None:
    assert p.parse_text_line(line.encode()) == p.Chat(id="", text=line)


def test_a_text_line_that_is_not_utf_8_is_refused_with_where() -> None:
    assert p.parse_text_line(b"ok \xc3") == p.DecodeError(p.ERR_INVALID_UTF8,
                                                           "invalid UTF-8 at byte 3; the line was not sent")


# --- the line limit -------------------------------------------------------------------------------

def test_a_line_of_exactly_the_limit_passes_wherever_it_starts_in_a_chunk() -> None:
    splitter = p.LineSplitter(10)
    assert splitter.feed(b"short\n" + b"b" * 10 + b"\n") == [b"short", b"b" * 10]
    assert splitter.feed(b"c" * 10) == [] and not splitter.overflowed  # a partial line at the limit waits
    assert splitter.pending == 10
    assert splitter.feed(b"\n") == [b"c" * 10]


def test_one_byte_over_the_limit_overflows_complete_or_partial() -> None:
    complete = p.LineSplitter(10)
    assert complete.feed(b"ok\n" + b"d" * 11 + b"\nlater\n") == [b"ok"]
    assert complete.overflowed and complete.feed(b"more\n") == []
    partial = p.LineSplitter(10)
    assert partial.feed(b"e" * 11) == [] and partial.overflowed


def test_a_newline_first_in_a_chunk_ends_an_empty_line_even_after_a_partial_was_taken() -> None:
    splitter = p.LineSplitter(100)
    assert splitter.feed(b"\nabc\n") == [b"", b"abc"]
    assert splitter.feed(b"partial") == [] and splitter.peek(4) == b"part"
    assert splitter.take_partial() == b"partial" and splitter.pending == 0
    assert splitter.feed(b"\nx\n") == [b"", b"x"]


def test_names_are_kept_in_their_nfkc_form() -> None:
    assert p.normalize_name("\uff21lice") == "Alice"  # a fullwidth letter becomes the plain one
    assert p.normalize_name("\u210cans") == "Hans"  # so does a styled one
    assert p.normalize_name("Ame\u0301lie") == "Am\u00e9lie"  # and a letter and its accent become one
    assert p.normalize_name("plain") == "plain"
