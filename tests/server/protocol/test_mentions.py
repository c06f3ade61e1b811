"""Mention matching: ``@name`` as a whole word, in any case (and NFKC), names with digits and spaces; and the mark a
text member's line gets."""

from __future__ import annotations

import pytest

from chat_server.protocol.mentions import MENTION_MARK, marked_line, may_mention, mentions


@pytest.mark.parametrize("text", [
    "@alice", "hi @alice", "@alice: look", "@alice, look", "(@alice)", "@ALICE!", "@Alice's turn", "ok @alice.",
    "@alice\tthere", "@@alice", "@\uff41\uff4c\uff49\uff43\uff45 hi", "\uff20alice hi", "@alice-bob",
])
def test_a_mention_of_alice(text: str) -> None:
    assert mentions(text, "alice")


@pytest.mark.parametrize("text", [
    "alice", "hi alice", "@al", "@alicex", "@alice_2", "@alice2", "bob@alice", "mail alice@example.org", "@ alice",
    "@bob", "", "@",
])
def test_not_a_mention_of_alice(text: str) -> None:
    assert not mentions(text, "alice")


def test_names_with_digits_are_whole_words() -> None:
    assert mentions("@Client01 hi", "Client01") and mentions("@client01", "Client01")
    assert not mentions("@Client012 hi", "Client01")
    assert not mentions("@Client01 hi", "Client012")
    assert mentions("@Client012 and @client01", "Client01")  # the second one counts


def test_names_with_spaces_and_other_scripts() -> None:
    assert mentions("thanks @Mary Ann!", "Mary Ann")
    assert not mentions("thanks @Mary Annabel", "Mary Ann")
    assert mentions("привет @Иван", "иван")
    assert mentions("@Straße!", "STRASSE")  # case folding, as names are compared ignoring case


def test_an_empty_name_is_never_mentioned() -> None:
    assert not mentions("@ hi", "")


def test_may_mention_is_only_a_first_cheap_look() -> None:
    assert may_mention("x@y") and may_mention("\uff20x") and not may_mention("no sign here")


def test_the_marked_line() -> None:
    line = b"alice: hi @bob\n"
    assert marked_line(line, "hi @bob", "bob") == MENTION_MARK.encode() + line == b"(@) alice: hi @bob\n"
    assert marked_line(line, "hi @bob", "carol") is line
