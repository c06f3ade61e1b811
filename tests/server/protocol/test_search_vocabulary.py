"""Search on the wire: the request's checks (once, where it is decoded), its words, the reply in both framings."""

from __future__ import annotations

import json

import pytest

from chat_server import protocol as p
from chat_server.protocol.jsonlines import DecodeError, JsonCodec

SERVER_SIDE = JsonCodec((*p.CLIENT_MESSAGES, *p.SEARCH_REQUESTS))
CLIENT_SIDE = JsonCodec((*p.SERVER_MESSAGES, *p.SEARCH_REPLIES))


def decode(**obj: object) -> p.Message | DecodeError:
    return SERVER_SIDE.decode(json.dumps({"type": "search", **obj}).encode())


def test_a_request_with_every_filter_is_decoded() -> None:
    assert decode(query="release notes", room="#Dev", sender="bob", after=1, before=2.5, before_seq=7) == (
        p.SearchRequest(query="release notes", room="#Dev", sender="bob", after=1.0, before=2.5, before_seq=7))
    assert decode(query="x", to="alice") == p.SearchRequest(query="x", to="alice")


@pytest.mark.parametrize(("obj", "code"), [
    ({}, p.ERR_BAD_MESSAGE),
    ({"query": 3}, p.ERR_BAD_MESSAGE),
    ({"query": ""}, p.ERR_SEARCH_INVALID),
    ({"query": " * - \" "}, p.ERR_SEARCH_INVALID),
    ({"query": "a" * (p.MAX_QUERY_CHARS + 1)}, p.ERR_SEARCH_INVALID),
    ({"query": " ".join(["w"] * (p.MAX_QUERY_WORDS + 1))}, p.ERR_SEARCH_INVALID),
    ({"query": "two\nlines"}, p.ERR_SEARCH_INVALID),
    ({"query": "bidi \u202e trick"}, p.ERR_SEARCH_INVALID),
    ({"query": "x", "room": "#no room"}, p.ERR_ROOM_INVALID),
    ({"query": "x", "room": "#dev", "to": "bob"}, p.ERR_BAD_MESSAGE),
    ({"query": "x", "to": "[server]"}, p.ERR_UNKNOWN_MEMBER),
    ({"query": "x", "sender": "a:b"}, p.ERR_UNKNOWN_MEMBER),
    ({"query": "x", "after": -1}, p.ERR_SEARCH_INVALID),
    ({"query": "x", "before": 1e300}, p.ERR_SEARCH_INVALID),
    ({"query": "x", "after": "yesterday"}, p.ERR_BAD_MESSAGE),
    ({"query": "x", "before_seq": 0}, p.ERR_SEARCH_INVALID),
    ({"query": "x", "before_seq": 2**64}, p.ERR_BAD_MESSAGE),
])
def test_a_bad_request_is_an_error_value(obj: dict[str, object], code: str) -> None:
    decoded = decode(**obj)
    assert isinstance(decoded, DecodeError) and decoded.code == code, decoded


def test_nan_and_infinity_are_refused() -> None:
    for value in ("NaN", "Infinity", "-Infinity"):
        decoded = SERVER_SIDE.decode(f'{{"type":"search","query":"x","after":{value}}}'.encode())
        assert isinstance(decoded, DecodeError) and decoded.code == p.ERR_SEARCH_INVALID


def test_the_words_of_a_query_are_those_with_a_letter_or_a_digit() -> None:
    assert p.search_words('  the "release" * - NEAR 2.0 ') == ("the", '"release"', "NEAR", "2.0")
    assert p.search_words("* - ( )") == ()


def test_the_results_round_trip_and_leave_out_an_absent_conversation() -> None:
    results = p.SearchResults(query="release", more=True, results=(
        p.SearchHit(seq=9, time=5.0, sender="bob", text="the release", marks=((4, 11),), room="#dev"),
        p.SearchHit(seq=3, time=4.0, sender="alice", text="release?", marks=((0, 7),)),
        p.SearchHit(seq=2, time=3.0, sender="alice", text="a release", marks=((2, 9),), to="bob")))
    line = p.encode(results)
    assert json.loads(line) == {"type": "search_results", "query": "release", "more": True, "results": [
        {"seq": 9, "time": 5.0, "sender": "bob", "text": "the release", "marks": [[4, 11]], "room": "#dev"},
        {"seq": 3, "time": 4.0, "sender": "alice", "text": "release?", "marks": [[0, 7]]},
        {"seq": 2, "time": 3.0, "sender": "alice", "text": "a release", "marks": [[2, 9]], "to": "bob"}]}
    assert CLIENT_SIDE.decode(line.rstrip(b"\n")) == results
    bad = CLIENT_SIDE.decode(b'{"type":"search_results","query":"x","results":[{"seq":1,"time":1,"sender":"a",'
                             b'"text":"b","marks":[[1]]}]}')
    assert isinstance(bad, DecodeError)


def test_text_mode_commands_and_lines() -> None:
    assert p.parse_text_line(b"/search  the Release ") == p.SearchRequest(query="the Release")
    assert p.parse_text_line(b"/SEARCH More") == p.SearchMore()
    assert p.parse_text_line(b"/search more words") == p.SearchRequest(query="more words")
    usage = p.parse_text_line(b"/search")
    assert isinstance(usage, DecodeError) and usage.text == "Usage: /search words (type /help for the commands)."
    refused = p.parse_text_line(b"/search * -")
    assert isinstance(refused, DecodeError) and refused.code == p.ERR_SEARCH_INVALID
    assert p.render_text(p.SearchResults(query="x")) == "No messages found."
    hit = p.SearchHit(seq=1, time=0.0, sender="alice", text="the release is out", marks=((4, 11),), room="#dev")
    lobby = p.SearchHit(seq=1, time=0.0, sender="bob", text="release", marks=((0, 7),))
    direct = p.SearchHit(seq=1, time=0.0, sender="bob", text="hi", to="alice")
    lines = (p.render_text(p.SearchResults(query="x", results=(hit, lobby, direct), more=True)) or "").split("\n")
    when = p.clock(0.0)
    assert lines == [f"[search {when}] [#dev] alice: the *release* is out", f"[search {when}] [#lobby] bob: *release*",
                     f"[search {when}] [direct to alice] bob: hi",
                     "[search] More found: type /search more for older ones."]
    assert p.marked_text("abcdef", ((4, 6), (0, 2), (1, 3), (5, 9))) == "*ab*cd*ef*"
