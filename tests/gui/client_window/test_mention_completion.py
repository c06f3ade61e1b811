"""Tab completion of @name (plain state): a prefix in any case, the members of the conversation in view, cycling on a
repeated Tab, and nothing to complete where there is no @word."""

from __future__ import annotations

from chat_gui.client_window.mention_completion import Completed, MentionCompleter

NAMES = ["alice", "Albert", "bob", "Client01", "me"]


def test_a_prefix_is_completed_with_a_space_after() -> None:
    completer = MentionCompleter()
    assert completer.complete("hi @bo", 6, NAMES, me="me") == Completed("hi @bob ", 8)


def test_a_repeated_tab_cycles_round_the_names_that_fit() -> None:
    completer = MentionCompleter()
    first = completer.complete("@al", 3, NAMES, me="me")
    assert first == Completed("@Albert ", 8)  # by name, ignoring case
    second = completer.complete(first.text, first.cursor, NAMES, me="me")
    assert second == Completed("@alice ", 7)
    third = completer.complete(second.text, second.cursor, NAMES, me="me")
    assert third == Completed("@Albert ", 8)


def test_the_cycle_ends_when_the_text_changes() -> None:
    completer = MentionCompleter()
    first = completer.complete("@al", 3, NAMES)
    assert first is not None
    assert completer.complete(first.text + "x @b", len(first.text) + 4, NAMES) == Completed("@Albert x @bob ", 15)


def test_a_completion_in_the_middle_keeps_the_rest() -> None:
    completer = MentionCompleter()
    assert completer.complete("@cl look at this", 3, NAMES) == Completed("@Client01 look at this", 10)


def test_nothing_to_complete() -> None:
    completer = MentionCompleter()
    assert completer.complete("hello", 5, NAMES) is None  # no @
    assert completer.complete("mail bob@al", 11, NAMES) is None  # an address, not a mention
    assert completer.complete("@al ice", 7, NAMES) is None  # words after the @word
    assert completer.complete("@zed", 4, NAMES) is None  # nobody
    assert completer.complete("@m", 2, NAMES, me="me") is None  # not oneself
    assert completer.complete("@", 1, ["bob"]) == Completed("@bob ", 5)  # @ alone: everyone, in turn
