"""The client window's shared words: in English (no translator installed) they say what the protocol's do."""

from __future__ import annotations

import pytest

from chat_gui.client_window.words import counts, left_line, online_phrase
from chat_server import protocol as p
from chat_server.protocol import EndReason


@pytest.mark.parametrize("reason", [*(reason.value for reason in EndReason), "something new"])
def test_a_member_leaving_is_worded_as_the_protocol_words_it_for_the_window(reason: str) -> None:
    assert left_line("bob", reason) == f"bob {p.left_window_phrase(reason)}"


def test_the_online_count_reads_as_the_protocols() -> None:
    assert online_phrase(3, 10) == p.online_phrase(3, 10) == "3/10 online"
    assert online_phrase(3, 0) == p.online_phrase(3, 0) == "3 online"


def test_counted_nouns_have_an_english_singular_and_plural() -> None:
    words = counts()
    assert [words.members(n) for n in (0, 1, 2)] == ["0 members", "1 member", "2 members"]
    assert [words.rooms(n) for n in (1, 5)] == ["1 room", "5 rooms"]
    assert words.unread(4) == "4 unread"
