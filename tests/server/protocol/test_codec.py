"""The sans-I/O codec: every message round-trips, split anywhere, and bad input is a value."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chat_server import protocol as p

SESSION = p.SessionInfo(name="Client01", host="127.0.0.1", port=50000, connected_at=1700000000.5,
                        disconnected_at=None, state="online", messages=3)
GONE = p.SessionInfo(name="bob", host="::1", port=40000, connected_at=1700000001.0,
                     disconnected_at=1700000002.25, state="exit", messages=0)

CLIENT_SAMPLES: list[p.Message] = [
    p.Hello(version=1, name="alice", client_id="c1"),
    p.Hello(),
    p.Hello(version=2, name="alice", client_id="5f0c", instance="w-1.b_2"),
    p.Chat(id="7", text="Hello, Server! ünïcödé ✓ \"quoted\" \\ back\tslash"),
    p.StatusRequest(),
    p.Exit(),
    p.Ping(token="t"),
    p.Pong(token="t"),
]
SERVER_SAMPLES: list[p.Message] = [
    p.Welcome(name="Client01", online=2, max_clients=3, members=("Client01", "bob"), max_line_bytes=1000),
    p.Ack(id="7", seq=42, time=1700000000.25),
    p.Relay(sender="bob", text="hi there", seq=43, time=1700000000.5),
    p.Joined(name="bob", online=2, time=1700000001.0),
    p.Left(name="bob", reason="dropped", online=1, time=1700000002.0),
    p.Renamed(old="Client02", new="bob", time=1700000003.0),
    p.StatusReport(online=1, max_clients=3, started_at=1699999999.0, sessions=(SESSION, GONE)),
    p.Notice(text="maintenance at noon", time=1700000004.0, private=True),
    p.Error(code=p.ERR_NAME_TAKEN, text="taken", id="3"),
    p.Goodbye(name="bob", reason="exit", time=1700000005.0, text="Goodbye bob!"),
    p.Ping(token="x"),
]


def _server_feed(decoder: p.ServerDecoder, data: bytes, byte_by_byte: bool) -> list[p.Event]:
    if not byte_by_byte:
        return decoder.feed(data)
    events: list[p.Event] = []
    for i in range(len(data)):
        events += decoder.feed(data[i:i + 1])
    return events


@pytest.mark.parametrize("byte_by_byte", [False, True], ids=["whole", "byte-by-byte"])
def test_client_messages_round_trip_through_the_server_decoder(byte_by_byte: bool) -> None:
    stream = b"".join(p.encode(m) for m in CLIENT_SAMPLES)
    decoder = p.ServerDecoder()
    assert _server_feed(decoder, stream, byte_by_byte) == CLIENT_SAMPLES
    assert decoder.framing is p.Framing.JSON
    assert not decoder.has_partial


@pytest.mark.parametrize("byte_by_byte", [False, True], ids=["whole", "byte-by-byte"])
def test_server_messages_round_trip_through_the_client_decoder(byte_by_byte: bool) -> None:
    banner = b"Welcome Client01! Type a message, 'status' or 'exit'.\n"
    stream = banner + b"".join(p.encode(m) for m in SERVER_SAMPLES)
    decoder = p.ClientDecoder()
    chunks = [stream[i:i + 1] for i in range(len(stream))] if byte_by_byte else [stream]
    events = [e for chunk in chunks for e in decoder.feed(chunk)]
    expected = [p.Banner(banner.decode().strip()), *SERVER_SAMPLES]
    # The ack's text is not sent in JSON mode (the sender knows it).
    assert events == expected


def test_json_encoding_is_one_compact_line_with_type_first() -> None:
    data = p.encode(p.Chat(id="1", text="é"))
    assert data == '{"type":"chat","id":"1","text":"é"}\n'.encode()
    assert p.encode(p.Ack(id="1", seq=2, time=3.5, text="ignored")) == b'{"type":"ack","id":"1","seq":2,"time":3.5}\n'


def test_text_framing_is_decided_by_the_first_non_empty_line() -> None:
    decoder = p.ServerDecoder()
    assert decoder.feed(b"\n  \n") == []
    assert decoder.framing is p.Framing.UNDECIDED
    assert decoder.feed(b'{"type": "chat", "id": "1", "text": "x"}\n') == [
        p.Chat(id="", text='{"type": "chat", "id": "1", "text": "x"}')
    ]
    assert decoder.framing is p.Framing.TEXT


@pytest.mark.parametrize(("line", "expected"), [
    (b"Hello, Server!", p.Chat(id="", text="Hello, Server!")),
    (b"  padded  \r", p.Chat(id="", text="padded")),
    (b"status", p.StatusRequest()),
    (b"STATUS", p.StatusRequest()),
    (b"exit", p.Exit()),
    (b"Quit", p.Exit()),
    (b"OVER", p.Exit()),
    (b"exit now", p.Chat(id="", text="exit now")),
])
def test_text_lines(line: bytes, expected: p.Message) -> None:
    assert p.ServerDecoder().feed(line + b"\n") == [expected]


def test_text_empty_lines_are_ignored_after_the_framing_is_decided() -> None:
    decoder = p.ServerDecoder()
    assert decoder.feed(b"one\n\n   \ntwo\n") == [p.Chat(id="", text="one"), p.Chat(id="", text="two")]


def test_text_without_newline_is_a_message_after_flush() -> None:
    decoder = p.ServerDecoder()
    assert decoder.feed(b"no newline") == []
    assert decoder.has_partial
    assert decoder.flush() == [p.Chat(id="", text="no newline")]
    assert not decoder.has_partial
    assert decoder.flush() == []


def test_a_first_line_that_begins_like_json_is_not_flushed_as_text() -> None:
    decoder = p.ServerDecoder()
    hello = p.encode(p.Hello(name="Slow"))
    assert decoder.feed(b"  " + hello[:10]) == []
    assert not decoder.flushable and decoder.flush() == []
    assert decoder.feed(hello[10:]) == [p.Hello(name="Slow")]
    assert decoder.framing is p.Framing.JSON


def test_json_mode_does_not_flush_partial_lines() -> None:
    decoder = p.ServerDecoder()
    decoder.feed(p.encode(p.Hello()) + b'{"type":"chat"')
    assert decoder.flush() == []
    assert decoder.feed(b',"id":"1","text":"late"}\n') == [p.Chat(id="1", text="late")]


@pytest.mark.parametrize(("line", "code", "words"), [
    (b'{"type":"chat","id":"1"}', p.ERR_BAD_MESSAGE, "chat: missing field 'text'"),
    (b'{"type":"chat","id":1,"text":"x"}', p.ERR_BAD_MESSAGE, "field 'id' must be a string"),
    (b'{"type":"warp"}', p.ERR_BAD_MESSAGE, "unknown message type 'warp'"),
    (b'{"type":"welcome","name":"x","online":1,"max_clients":1}', p.ERR_BAD_MESSAGE, "unknown message type"),
    (b"[1,2]", p.ERR_BAD_MESSAGE, "must be a JSON object"),
    (b"not json", p.ERR_BAD_MESSAGE, "not JSON"),
    (b'{"type":"chat","id":"1","text":"\xff"}', p.ERR_INVALID_UTF8, "invalid UTF-8 at byte 32"),
    (b"[" * 100000, p.ERR_BAD_MESSAGE, "not JSON"),
    (b'{"type":"hello","instance":""}', p.ERR_BAD_MESSAGE, "hello: instance must be 1 to 64 letters"),
    (b'{"type":"hello","instance":"a b"}', p.ERR_BAD_MESSAGE, "hello: instance must be 1 to 64 letters"),
    (b'{"type":"hello","instance":"' + b"a" * 65 + b'"}', p.ERR_BAD_MESSAGE, "hello: instance must be"),
    (b'{"type":"hello","instance":7}', p.ERR_BAD_MESSAGE, "field 'instance' must be"),
])
def test_bad_json_lines_are_reported_as_values(line: bytes, code: str, words: str) -> None:
    decoder = p.ServerDecoder(max_line_bytes=200000)
    decoder.feed(p.encode(p.Hello()))
    [event] = decoder.feed(line + b"\n")
    assert isinstance(event, p.DecodeError)
    assert event.code == code
    assert words in event.text


def test_invalid_utf8_in_text_mode_is_an_error_and_the_next_line_still_works() -> None:
    decoder = p.ServerDecoder()
    events = decoder.feed(b"ok\n\xc3\x28 broken\nfine\n")
    assert events[0] == p.Chat(id="", text="ok")
    assert isinstance(events[1], p.DecodeError) and events[1].code == p.ERR_INVALID_UTF8
    assert events[2] == p.Chat(id="", text="fine")


@pytest.mark.parametrize("split", [False, True], ids=["one chunk", "in pieces"])
def test_a_line_over_the_limit_is_an_error_and_ends_decoding(split: bool) -> None:
    decoder = p.ServerDecoder(max_line_bytes=10)
    data = b"short\n" + b"x" * 11 + b"\nafter\n"
    events = _server_feed(decoder, data, byte_by_byte=split)
    assert events[0] == p.Chat(id="", text="short")
    assert isinstance(events[1], p.DecodeError) and events[1].code == p.ERR_LINE_TOO_LONG
    assert "limit is 10 bytes" in events[1].text
    assert len(events) == 2
    assert decoder.failed
    assert decoder.feed(b"more\n") == []


def test_a_line_exactly_at_the_limit_is_accepted() -> None:
    decoder = p.ServerDecoder(max_line_bytes=10)
    assert decoder.feed(b"x" * 10 + b"\n") == [p.Chat(id="", text="x" * 10)]


def test_memory_is_bounded_while_a_long_line_arrives() -> None:
    splitter = p.LineSplitter(max_line_bytes=1000)
    for _ in range(100):
        splitter.feed(b"y" * 99)
        assert splitter.pending <= 1000 or splitter.overflowed
    assert splitter.overflowed
    assert splitter.pending == 0


def test_client_decoder_reads_plain_lines_as_banners_and_tagged_ones_as_refusals() -> None:
    decoder = p.ClientDecoder()
    greeting = p.greeting_line("Client01", 3)
    full = p.refusal_line(p.EndReason.REFUSED_FULL, p.full_line(3, 3))
    assert full == "[refused: full] Server is full (3/3 online). Try again later."
    assert decoder.feed(f"{greeting}\n{p.password_prompt_line()}\n{full}\n".encode()) == [
        p.Banner(greeting), p.Banner(p.password_prompt_line()),
        p.Refusal("refused: full", "Server is full (3/3 online). Try again later."),
    ]


@pytest.mark.parametrize("reason", [r for r in p.EndReason if r.value.startswith("refused")])
def test_every_refusal_reason_round_trips_through_its_line(reason: p.EndReason) -> None:
    refusal = p.Refusal(reason.value, "Try again later.")
    line = p.encode_text(refusal)
    assert line == f"[{reason.value}] Try again later.\n".encode()
    assert p.ClientDecoder().feed(line) == [refusal]
    assert p.not_tls_line("::1", 7).startswith("[refused: not TLS] This server uses TLS: ")


@pytest.mark.parametrize(("line", "expected"), [
    ("[refused] No.", p.Refusal("refused", "No.")),
    ("[refused: something new]   Later.  ", p.Refusal("refused: something new", "Later.")),
    ("[refused: full]", p.Refusal("refused: full", "")),
    ("[refusedX] no", None),  # not the tag
    ("[refused: full", None),  # never closed
    ("[server] The server restarts at noon.", None),
    ("refused: full Server is full", None),  # the brackets are the tag
    ("Welcome refused! Type a message, 'status' or 'exit'.", None),
])
def test_only_a_line_that_starts_with_the_tag_is_a_refusal(line: str, expected: p.Refusal | None) -> None:
    assert p.parse_refusal(line.strip()) == expected


def test_client_decoder_strips_banners_skips_blank_lines_and_replaces_bad_utf8() -> None:
    decoder = p.ClientDecoder()
    assert decoder.feed(b"\n  \r\n  caf\xe9 \t\r\nsecond\n" + b'  {"type":"ping","token":"t"}  \r\n') == [
        p.Banner("caf\ufffd"), p.Banner("second"), p.Ping(token="t")]
    assert decoder.feed(b"{not json\n") == [
        p.DecodeError(p.ERR_BAD_MESSAGE, "not JSON: Expecting property name enclosed in double quotes: "
                                         "line 1 column 2 (char 1)")]


def test_client_decoder_reports_a_line_too_long_once_then_decodes_nothing() -> None:
    decoder = p.ClientDecoder(max_line_bytes=8)
    assert decoder.feed(b"12345678\n123456789") == [
        p.Banner("12345678"),
        p.DecodeError(p.ERR_LINE_TOO_LONG, "line too long (the limit is 8 bytes); closing the connection")]
    assert decoder.feed(b"ok\n") == []
    assert p.LineSplitter(8).overflowed is False and p.ServerDecoder().failed is False
    assert p.ClientDecoder().feed(b"x" * 100_000 + b"\n") == [p.Banner("x" * 100_000)]  # its default is generous


@pytest.mark.parametrize(("first_line", "framing"), [
    (b'  {"type":"hello"}  ', p.Framing.JSON),
    (b'{"type":"hello","name":5}', p.Framing.JSON),  # a hello with a bad field still decides for JSON
    (b'{"type":"chat","id":"1","text":"x"}', p.Framing.TEXT),  # JSON, but not a hello
    (b'{"type":"HELLO"}', p.Framing.TEXT),
    (b'{"kind":"hello"}', p.Framing.TEXT),
    (b'{"type":"hello"', p.Framing.TEXT),  # not JSON
    (b"{" * 100_000 + b"}" * 100_000, p.Framing.TEXT),  # nested too deeply for json: text, not a crash
    (b'["type","hello"]', p.Framing.TEXT),
    (b'x{"type":"hello"}', p.Framing.TEXT),
])
def test_only_a_hello_object_decides_for_json(first_line: bytes, framing: p.Framing) -> None:
    decoder = p.ServerDecoder(max_line_bytes=300_000)
    decoder.feed(first_line + b"\n")
    assert decoder.framing is framing


def test_the_bytes_after_the_deciding_line_are_read_in_its_framing() -> None:
    # The first line is cut off at its newline, so a JSON client's next line never meets the Telnet filter:
    # a 255 at its start is invalid UTF-8, not an IAC that would swallow itself and the byte after it.
    hello = p.encode(p.Hello(name="jay"))
    ping = b'{"type":"ping","token":"t"}\n'
    assert p.ServerDecoder().feed(hello + bytes([255]) + ping) == [
        p.Hello(name="jay"), p.DecodeError(p.ERR_INVALID_UTF8, "invalid UTF-8 at byte 0")]
    # And a text client's lines after the first all go through it, in one read.
    assert p.ServerDecoder().feed(b"one\ntwo" + bytes([255, 255]) + b"\nthree\n") == [
        p.Chat(id="", text="one"), p.DecodeError(p.ERR_INVALID_UTF8, "invalid UTF-8 at byte 3; the line was not sent"),
        p.Chat(id="", text="three")]


def test_text_rendering_of_server_messages() -> None:
    render = p.render_text
    assert render(p.Ack(id="", seq=1, time=0.0, text="Hello, Server!")) == "Hello, Server! ACK"
    assert render(p.Relay(sender="bob", text="hi", seq=1, time=0.0)) == "bob: hi"
    assert render(p.Joined(name="bob", online=2, time=0.0)) == "* bob joined (2 online)"
    assert render(p.Left(name="bob", reason="exit", online=1, time=0.0)) == "* bob left (1 online)"
    assert render(p.Left(name="bob", reason="dropped", online=1, time=0.0)) == "* bob dropped (1 online)"
    assert render(p.Left(name="bob", reason="kicked", online=0, time=0.0)) == "* bob was kicked (0 online)"
    assert render(p.Notice(text="hi", time=0.0)) == "[server] hi"
    assert render(p.Notice(text="hi", time=0.0, private=True)) == "[server to you] hi"
    assert render(p.Error(code="x", text="nope")) == "Error: nope"
    assert render(p.Ping()) is None
    assert p.encode(p.Ping(), p.Framing.TEXT) == b""


def test_status_table_lists_every_session_aligned() -> None:
    report = p.StatusReport(online=1, max_clients=3, started_at=1699999999.0, sessions=(SESSION, GONE))
    lines = p.status_table(report).split("\n")
    assert lines[0] == f"Status: 1/3 online, 2 session(s) since {p.clock(1699999999.0)}"
    assert lines[1].split() == ["Name", "Address", "Connected", "at", "Disconnected", "at", "State", "Msgs"]
    assert lines[2].split()[:2] == ["Client01", "127.0.0.1:50000"]
    assert p.clock(SESSION.connected_at) in lines[2] and lines[2].split()[-2:] == ["online", "3"]
    assert lines[3].split()[:2] == ["bob", "[::1]:40000"]
    assert p.clock(GONE.disconnected_at) in lines[3] and lines[3].split()[-2:] == ["exit", "0"]
    assert len({line.index("State") if "State" in line else None for line in lines[1:2]}) == 1
    assert lines[2].index("online") == lines[1].index("State") == lines[3].index("exit")


@pytest.mark.parametrize(("name", "problem"), [
    ("alice", None),
    ("Ünï Cödé", None),
    ("x" * 32, None),
    ("", "empty"),
    ("   ", "empty"),
    (" bob", "spaces"),
    ("x" * 33, "at most 32"),
    ("bad\x07bell", "control"),
    ("two\nlines", "control"),
])
def test_name_rules(name: str, problem: str | None) -> None:
    result = p.name_problem(name)
    assert (result is None) if problem is None else (result is not None and problem in result)


def test_message_rules() -> None:
    assert p.text_problem("fine\twith tab") is None
    assert p.text_problem("  ") == "an empty message is not sent"
    assert p.text_problem("a\nb") == "a message is one line"
    assert p.text_problem("esc\x1b[31m") == "a message cannot contain control characters"


# --- property-based: any chunking of any bytes gives messages or errors, never an exception ---

_message_text = st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=40).filter(
    lambda s: s.strip() == s and s.strip() != "")
_client_messages = st.one_of(
    st.builds(p.Chat, id=st.text(max_size=5), text=_message_text),
    st.builds(p.Hello, version=st.integers(0, 3), name=st.none() | _message_text, client_id=st.none() | st.text()),
    st.just(p.StatusRequest()), st.just(p.Exit()), st.builds(p.Ping, token=st.text(max_size=5)),
)


def _chunks(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(data) + 1) for c in cuts})
    return [data[a:b] for a, b in zip([0, *points], [*points, len(data)], strict=True)]


@given(messages=st.lists(_client_messages, max_size=8), cuts=st.lists(st.integers(0, 10_000), max_size=20))
def test_json_stream_round_trips_however_it_is_cut(messages: list[p.Message], cuts: list[int]) -> None:
    stream = p.encode(p.Hello()) + b"".join(p.encode(m) for m in messages)
    decoder = p.ServerDecoder()
    events = [e for chunk in _chunks(stream, cuts) for e in decoder.feed(chunk)]
    assert events == [p.Hello(), *messages]


@given(chunks=st.lists(st.binary(max_size=64), max_size=30), limit=st.integers(1, 80))
def test_any_bytes_give_messages_or_errors_never_an_exception(chunks: list[bytes], limit: int) -> None:
    for decoder in (p.ServerDecoder(limit), p.ClientDecoder(limit)):
        for chunk in chunks:
            for event in decoder.feed(chunk):
                assert isinstance(event, (p.Message, p.DecodeError))
        if isinstance(decoder, p.ServerDecoder):
            assert all(isinstance(e, (p.Message, p.DecodeError)) for e in decoder.flush())


_json_fragments = st.sampled_from([
    b"{", b"}", b'"type":', b'"chat"', b'"hello"', b'"status"', b'"ping"', b'"id":', b'"text":', b'"token":',
    b'"1"', b'"hi"', b"42", b"null", b"true", b",", b":", b"[", b"]", b"\n", b"\n", b"\n", b"\xff", b"\x00", b" ",
])


@given(head=st.lists(_json_fragments, max_size=40), noise=st.lists(st.binary(max_size=8), max_size=10),
       cuts=st.lists(st.integers(0, 10_000), max_size=20))
def test_a_json_stream_of_anything_decodes_to_messages_that_round_trip(head: list[bytes], noise: list[bytes],
                                                                      cuts: list[int]) -> None:
    # After a hello, any mix of JSON-like pieces and raw bytes, cut anywhere: every event is a
    # message or an error, and every message decoded encodes back to bytes that decode to itself.
    stream = p.encode(p.Hello()) + b"".join(head) + b"".join(noise) + b"\n"
    decoder = p.ServerDecoder(1024)
    events = [e for chunk in _chunks(stream, cuts) for e in decoder.feed(chunk)]
    assert events[0] == p.Hello()
    for event in events[1:]:
        assert isinstance(event, (p.Message, p.DecodeError))
        if isinstance(event, p.Message):
            again = p.ServerDecoder()
            again.feed(p.encode(p.Hello()))
            assert again.feed(p.encode(event)) == [event]


@given(obj=st.dictionaries(st.sampled_from(["type", "id", "text", "name", "version", "token", "client_id"]),
                           st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
                           | st.lists(st.integers(), max_size=2)))
def test_any_json_object_is_decoded_or_refused_with_a_reason(obj: dict[str, object]) -> None:
    decoder = p.ServerDecoder()
    decoder.feed(p.encode(p.Hello()))
    [event] = decoder.feed(json.dumps(obj).encode() + b"\n")
    if isinstance(event, p.DecodeError):
        assert event.code == p.ERR_BAD_MESSAGE and event.text
    else:
        assert decoder.feed(p.encode(event)) == [event]


def test_a_hello_carries_a_password_only_when_there_is_one_and_never_shows_it() -> None:
    with_password = p.Hello(name="alice", client_id="c1", password="s3cret")
    assert json.loads(p.encode(with_password))["password"] == "s3cret"
    assert "password" not in json.loads(p.encode(p.Hello(name="alice")))
    assert "s3cret" not in repr(with_password)
    decoder = p.ServerDecoder(expect_password=True)
    assert decoder.feed(p.encode(with_password)) == [with_password]
    assert decoder.framing is p.Framing.JSON and not decoder.expect_password


@pytest.mark.parametrize("split", [False, True], ids=["whole", "byte-by-byte"])
def test_on_a_server_with_a_password_a_text_clients_first_line_is_the_password(split: bool) -> None:
    decoder = p.ServerDecoder(expect_password=True)
    events = _server_feed(decoder, b"\r\n  exit \r\nexit\r\nhello\n", byte_by_byte=split)
    assert events == [p.PasswordAttempt("exit"), p.Exit(), p.Chat(id="", text="hello")]
    assert "exit" not in repr(events[0])
    flushed = p.ServerDecoder(expect_password=True)
    assert flushed.feed(b"typed without a newline") == []
    assert flushed.flush() == [p.PasswordAttempt("typed without a newline")]
    garbled = p.ServerDecoder(expect_password=True)
    assert garbled.feed(b"\xfepw\n") == [p.PasswordAttempt("\ufffdpw")]  # a wrong password, not an exception
