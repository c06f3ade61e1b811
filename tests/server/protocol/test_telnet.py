"""Telnet command bytes in text mode, byte by byte: stripped, answered, carried out in stream order."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from chat_server import protocol as p
from chat_server.protocol.telnet import (
    BRK,
    DO,
    DONT,
    EOF,
    IAC,
    IP,
    SB,
    SE,
    TIMING_MARK,
    WILL,
    WONT,
    TelnetFilter,
    TelnetItem,
    TelnetSignal,
)

CTRL_C = bytes([IAC, IP, IAC, DO, TIMING_MARK])  # what telnet sends for Ctrl-C
ECHO, SUPPRESS_GO_AHEAD, TERMINAL_TYPE = 1, 3, 24


def _feed(*chunks: bytes) -> list[TelnetItem]:
    """The items of ``chunks`` fed one after the other, adjacent data joined."""
    telnet = TelnetFilter()
    items: list[TelnetItem] = []
    for chunk in chunks:
        for item in telnet.feed(chunk):
            if isinstance(item, bytes) and items and isinstance(items[-1], bytes):
                items[-1] += item
            else:
                items.append(item)
    return items


def test_data_without_commands_passes_through_as_it_is() -> None:
    data = "héllo wörld\r\nsecond line\n".encode()
    assert TelnetFilter().feed(data) == [data]
    assert TelnetFilter().feed(b"") == []


def test_iac_iac_is_a_literal_255() -> None:
    assert _feed(b"a" + bytes([IAC, IAC]) + b"b") == [b"a\xffb"]


def test_do_timing_mark_is_answered_will_timing_mark_in_its_place() -> None:
    assert _feed(b"hi\r\n" + CTRL_C + b"more\r\n") == [
        b"hi\r\n", TelnetSignal.DISCARD_LINE, p.TelnetReply(bytes([IAC, WILL, TIMING_MARK])), b"more\r\n"]


def test_other_options_are_refused_and_refusals_are_not_answered() -> None:
    assert _feed(bytes([IAC, DO, ECHO, IAC, WILL, TERMINAL_TYPE, IAC, WILL, TIMING_MARK])) == [
        p.TelnetReply(bytes([IAC, WONT, ECHO])), p.TelnetReply(bytes([IAC, DONT, TERMINAL_TYPE])),
        p.TelnetReply(bytes([IAC, DONT, TIMING_MARK]))]
    assert _feed(bytes([IAC, WONT, ECHO, IAC, DONT, SUPPRESS_GO_AHEAD]) + b"x") == [b"x"]


def test_subnegotiation_is_skipped_whatever_it_holds() -> None:
    sub = bytes([IAC, SB, TERMINAL_TYPE, 0]) + b"XTERM\n\r" + bytes([IAC, IAC, 7, IAC, SE])
    assert _feed(b"before" + sub + b"after\n") == [b"beforeafter\n"]


def test_interrupt_erase_line_and_the_end_commands() -> None:
    assert _feed(bytes([IAC, IP])) == [TelnetSignal.DISCARD_LINE]
    assert _feed(bytes([IAC, 248])) == [TelnetSignal.DISCARD_LINE]  # EL
    for command in (EOF, BRK, 238):  # 238: ABORT
        assert _feed(b"x" + bytes([IAC, command])) == [b"x", TelnetSignal.EXIT]


def test_commands_that_ask_nothing_of_us_are_dropped() -> None:
    nop, dm, ayt, ao, ec, ga = 241, 242, 246, 245, 247, 249
    assert _feed(b"a" + bytes([IAC, nop, IAC, dm, IAC, ayt, IAC, ao, IAC, ec, IAC, ga]) + b"b") == [b"ab"]


def test_cr_nul_is_enter_in_character_mode_and_ends_the_line_even_across_reads() -> None:
    assert _feed(b"a\r\0b\n") == [b"a\r\nb\n"]
    assert _feed(b"a\r", b"\0b\n") == [b"a\r\nb\n"]  # (_feed joins what the reads gave)
    assert _feed(b"\0x") == [b"\0x"]  # a NUL not after CR is data (and the message is refused later)


def test_a_nul_is_dropped_only_right_after_a_cr_whatever_else_is_in_the_read() -> None:
    # An IAC in the read sends the filter byte by byte; a NUL's fate must not depend on that.
    nop = 241
    assert _feed(bytes([0, IAC, nop])) == [b"\0"]
    assert _feed(b"a\0" + bytes([IAC, nop])) == [b"a\0"]
    assert _feed(b"a\r\0\0" + bytes([IAC, nop])) == [b"a\r\n\0"]  # only the first NUL is the bare CR's
    assert _feed(b"\r" + bytes([IAC, IAC, 0])) == [b"\r\xff\0"]  # a 255 between them: the NUL is data


def test_the_bare_cr_state_survives_an_empty_read_and_ends_with_the_next_data() -> None:
    telnet = TelnetFilter()
    assert telnet.feed(b"a\r") == [b"a\r"]
    assert telnet.feed(b"") == []
    assert telnet.feed(b"\0b") == [b"\nb"]
    assert telnet.feed(b"\0c") == [b"\0c"]  # the CR was answered by the first NUL
    after_iac = TelnetFilter()
    assert after_iac.feed(b"x" + bytes([IAC, IAC]) + b"\r") == [b"x\xff\r"]
    assert after_iac.feed(b"\0y") == [b"\ny"]  # a CR ending a byte-by-byte read counts too
    assert after_iac.feed(b"z\r" + bytes([IAC, IAC])) == [b"z\r\xff"]
    assert after_iac.feed(b"\0") == [b"\0"]  # the 255 came between: this NUL is data


def test_a_command_split_across_reads_is_not_taken_for_data() -> None:
    telnet = TelnetFilter()
    assert telnet.feed(b"ab" + bytes([IAC])) == [b"ab"]
    assert telnet.feed(bytes([IP])) == [TelnetSignal.DISCARD_LINE]
    assert telnet.feed(bytes([IAC, DO])) == []
    assert telnet.feed(bytes([TIMING_MARK]) + b"c") == [p.TelnetReply(bytes([IAC, WILL, TIMING_MARK])), b"c"]
    assert telnet.feed(bytes([IAC, SB, TERMINAL_TYPE])) == []
    assert telnet.feed(b"still inside") == []
    assert telnet.feed(bytes([IAC])) == []
    assert telnet.feed(bytes([SE]) + b"out") == [b"out"]


def test_inside_subnegotiation_only_iac_se_ends_it() -> None:
    # A bare SE byte, and an SE after IAC IAC (a literal 255 followed by 240), are subnegotiation data.
    sub = bytes([IAC, SB, TERMINAL_TYPE, SE, IAC, IAC, SE]) + b"x\n" + bytes([IAC, SE])
    assert _feed(b"a" + sub + b"b\n") == [b"ab\n"]
    assert _feed(bytes([IAC, SB, 1, IAC, 7]) + b"y" + bytes([IAC, SE]) + b"z") == [b"z"]  # IAC other: still inside
    # Subnegotiation of option 240 (the value of SE): its first byte is the option, not an end.
    assert _feed(bytes([IAC, SB, SE]) + b"x" + bytes([IAC, SE]) + b"y") == [b"y"]
    # A negotiation or a signal inside subnegotiation is its data, not carried out.
    assert _feed(bytes([IAC, SB, 1, DO, TIMING_MARK, IP, IAC, SE]) + b"ok") == [b"ok"]


@given(st.lists(st.sampled_from([b"hi\r\n", CTRL_C, bytes([IAC, IAC]), bytes([IAC, SB, 24, 1, IAC, IAC, IAC, SE]),
                                 bytes([IAC, WILL, 31]), b"a\r\0", b"\xc3\xa9", bytes([IAC, EOF])]), max_size=12),
       st.data())
def test_splitting_the_stream_anywhere_gives_the_same_items(parts: list[bytes], data: st.DataObject) -> None:
    stream = b"".join(parts)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(stream)), max_size=6)))
    chunks = [stream[a:b] for a, b in zip([0, *cuts], [*cuts, len(stream)], strict=True)]
    assert _feed(*chunks) == _feed(stream)


# --- the server's decoder ---------------------------------------------------------------------------


def test_ctrl_c_in_telnet_is_no_error_and_gets_its_timing_mark() -> None:
    decoder = p.ServerDecoder()
    assert decoder.feed(b"hello\r\n") == [p.Chat(id="", text="hello")]
    assert decoder.feed(CTRL_C) == [p.TelnetReply(bytes([IAC, WILL, TIMING_MARK]))]
    assert not decoder.has_partial
    assert decoder.feed(b"more\r\n") == [p.Chat(id="", text="more")]


def test_a_client_is_known_as_telnet_by_a_command_or_a_cr_nul_and_never_by_plain_lines() -> None:
    for stream in (b"hi\r\n", b"hi\n", b"hi\r", b"\0", bytes([IAC]) + b"\n"):
        telnet = TelnetFilter()
        telnet.feed(stream)
        assert not telnet.telnet, stream
    for stream in (bytes([IAC, DO, 3]), b"hi\r\0", bytes([IAC, IAC])):
        telnet = TelnetFilter()
        telnet.feed(stream)
        assert telnet.telnet, stream


def test_telnet_in_character_mode_one_key_at_a_time_is_one_message_at_enter() -> None:
    # Telnet's "mode character": a negotiation, then every key in its own packet, Enter as CR NUL. An unfinished
    # line of telnet's is never flushed after a pause (netcat's is): it is still being typed.
    decoder = p.ServerDecoder()
    assert decoder.feed(bytes([IAC, DO, 3])) == [p.TelnetReply(bytes([IAC, WONT, 3]))]
    for key in b"/join #dev":
        assert decoder.feed(bytes([key])) == []
        assert not decoder.flushable and decoder.flush() == []
    assert decoder.feed(b"\r") == [] and decoder.feed(b"\0") == [p.JoinRoom(room="#dev")]
    for key in b"hello":
        assert decoder.feed(bytes([key])) == []
    assert decoder.feed(b"\r\0") == [p.Chat(id="", text="hello")]
    netcat = p.ServerDecoder()
    assert netcat.feed(b"hel") == [] and netcat.flushable, "a netcat line without a newline is still flushed"


def test_ctrl_c_drops_the_unfinished_line() -> None:
    decoder = p.ServerDecoder()
    assert decoder.feed(b"half a th" + bytes([IAC, IP])) == []
    assert not decoder.has_partial
    assert decoder.feed(b"whole\n") == [p.Chat(id="", text="whole")]


def test_telnet_eof_ends_the_session_like_exit() -> None:
    assert p.ServerDecoder().feed(b"bye now\r\n" + bytes([IAC, EOF])) == [p.Chat(id="", text="bye now"), p.Exit()]
    decoder = p.ServerDecoder()
    assert decoder.feed(bytes([IAC, BRK])) == [p.Exit()]
    assert decoder.framing is p.Framing.TEXT


def test_ctrl_d_on_a_line_of_its_own_ends_the_session_like_exit() -> None:
    # telnet in line mode sends Ctrl-D as the byte 4 followed by the newline of Enter (or alone).
    assert p.ServerDecoder().feed(b"\x04\r\n") == [p.Exit()]
    decoder = p.ServerDecoder()
    assert decoder.feed(b"\x04") == [] and decoder.flush() == [p.Exit()]
    assert p.ServerDecoder().feed(b"a\x04\n") == [p.Chat(id="", text="a\x04")]  # inside a line: refused later


def test_negotiation_before_the_first_line_leaves_the_framing_to_that_line() -> None:
    decoder = p.ServerDecoder()
    events = decoder.feed(bytes([IAC, DO, ECHO]) + p.encode(p.Hello(name="jay")))
    assert events == [p.TelnetReply(bytes([IAC, WONT, ECHO])), p.Hello(name="jay")]
    assert decoder.framing is p.Framing.JSON


def test_json_mode_has_no_telnet_a_255_is_invalid_utf8() -> None:
    decoder = p.ServerDecoder()
    events = decoder.feed(p.encode(p.Hello(name="jay")) + b'{"type":"chat","id":"1","text":"\xff\xf4"}\n')
    assert events[0] == p.Hello(name="jay")
    assert isinstance(events[1], p.DecodeError) and events[1].code == p.ERR_INVALID_UTF8
