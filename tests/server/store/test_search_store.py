"""Search in the SQLite store: the full-text index kept in the message's transaction, what a query may read, the
filters and pages, words that look like the index's syntax, and a version-6 file indexed when it is opened."""

from __future__ import annotations

import dataclasses
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from chat_server.core.rooms import LOBBY_CONVERSATION, direct_conversation
from chat_server.store import Found, SearchQuery, StoredMessage, StoreError, client_key, sqlite_search
from chat_server.store.sqlite import SCHEMA_VERSION, SqliteStore
from chat_server.store.sqlite_search import marks_of, match_expression
from tests.server.store.test_schema_6 import HISTORY, user_version, version_5_database

ALICE, BOB, CAROL = client_key("id-alice"), client_key("id-bob"), client_key("id-carol")
DEV, SECRET = "room:2", "room:3"
ALICE_BOB, BOB_CAROL = direct_conversation(ALICE, BOB), direct_conversation(BOB, CAROL)

MESSAGES = [
    StoredMessage(1, 100.0, "alice", "The release is out", ALICE, "1", LOBBY_CONVERSATION),
    StoredMessage(2, 110.0, "bob", "Café au lait before the RELEASE?", BOB, "1", DEV),
    StoredMessage(3, 120.0, "carol", "the secret release date", CAROL, "1", SECRET),
    StoredMessage(4, 130.0, "bob", "release notes for alice only", BOB, "2", ALICE_BOB),
    StoredMessage(5, 140.0, "carol", "release gossip between bob and carol", CAROL, "2", BOB_CAROL),
    StoredMessage(6, 150.0, "alice", "don't NEAR * - AND \"quoted\" (release)", ALICE, "2", DEV),
]


def everything(**filters: object) -> SearchQuery:
    """What alice may read: #lobby, #dev and her direct messages."""
    return dataclasses.replace(SearchQuery(("release",), (LOBBY_CONVERSATION, DEV), ALICE), **filters)  # type: ignore[arg-type]


def seqs(result: tuple[list[Found], bool]) -> list[int]:
    return [found.message.seq for found in result[0]]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    store = SqliteStore(tmp_path / "chat.sqlite3")
    store.start_run(1.0)
    store.commit(MESSAGES, [])
    yield store
    store.close()


def test_a_search_finds_only_what_the_member_may_read_newest_first_with_the_words_marked(store: SqliteStore) -> None:
    found, more = store.search(everything())
    assert [f.message for f in found] == [MESSAGES[5], MESSAGES[3], MESSAGES[1], MESSAGES[0]] and not more
    # Never #secret (alice is not in it) nor bob and carol's direct messages.
    assert [f.marks for f in found] == [((29, 36),), ((0, 7),), ((24, 31),), ((4, 11),)]
    assert found[2].message.text[24:31] == "RELEASE"
    # A transient member (no client id) reads no direct conversation; nobody reads nothing.
    assert seqs(store.search(SearchQuery(("release",), (DEV,)))) == [6, 2]
    assert store.search(SearchQuery(("release",), ())) == ([], False)


def test_words_are_matched_ignoring_case_and_accents_all_of_them(store: SqliteStore) -> None:
    assert seqs(store.search(SearchQuery(("CAFE", "lait"), (DEV,)))) == [2]
    assert seqs(store.search(SearchQuery(("café", "notes"), (DEV,), ALICE))) == []
    found, _ = store.search(SearchQuery(("cafe", "au"), (DEV,)))
    assert found[0].marks == ((0, 4), (5, 7))


@pytest.mark.parametrize("word", ['"', '""', "*", "NEAR", "AND", "OR", "NOT", "-", "^", "(release", "text:release",
                                  'x" OR "y', "NEAR(a b)", "release*", "+", "{text}"])
def test_the_index_syntax_from_a_query_is_only_words(store: SqliteStore, word: str) -> None:
    # Never an error, never a syntax: "NEAR", "AND" and "don't" are found as the words they are.
    found, _ = store.search(SearchQuery((word,), (LOBBY_CONVERSATION, DEV), ALICE))
    assert all(f.message.conversation in (LOBBY_CONVERSATION, DEV, ALICE_BOB) for f in found)


def test_hostile_words_find_what_they_say(store: SqliteStore) -> None:
    for words, expected in ((("NEAR",), [6]), (("AND",), [6]), (("don't",), [6]), (('"quoted"',), [6]),
                            (("(release)",), [6, 4, 2, 1]), (("release*",), [6, 4, 2, 1]), (("OR",), []),
                            (("release", "-"), [6, 4, 2, 1]), (("*", "-"), [])):
        assert seqs(store.search(everything(words=words))) == expected, words


def test_the_match_expression_quotes_every_word() -> None:
    assert match_expression(("release",)) == '"release"'
    assert match_expression(('say "hi"', "NEAR", "a*")) == '"say ""hi""" "NEAR" "a*"'


def test_marks_are_character_ranges_and_none_when_the_text_holds_a_mark_itself() -> None:
    assert marks_of("a \x01b\x02 c \x01dé\x02", "a b c dé") == ((2, 3), (6, 8))
    assert marks_of("no mark", "no mark") == ()
    assert marks_of("\x01x\x02", "\x01x\x02") == ()


def test_filters_narrow_the_search(store: SqliteStore) -> None:
    assert seqs(store.search(everything(conversation=DEV))) == [6, 2]
    assert seqs(store.search(everything(conversation=SECRET))) == []  # not readable: a filter widens nothing
    assert seqs(store.search(everything(conversation=BOB_CAROL))) == []
    assert seqs(store.search(everything(sender="BOB"))) == [4, 2]
    assert seqs(store.search(everything(after=110.0))) == [6, 4, 2]
    assert seqs(store.search(everything(before=130.0))) == [2, 1]
    assert seqs(store.search(everything(after=105.0, before=140.0, sender="bob"))) == [4, 2]


def test_the_sender_filter_ignores_case_beyond_ascii_on_either_connection(tmp_path: Path) -> None:
    """``élodie`` finds Élodie's messages, ``strasse`` Straße's, from the store's connection and from a searcher's
    (the worker's); an ASCII name still only its own (the review of issue 21)."""
    store = SqliteStore(tmp_path / "chat.sqlite3")
    store.start_run(1.0)
    store.commit([StoredMessage(1, 100.0, "Élodie", "release one", None, "1", DEV),
                  StoredMessage(2, 110.0, "Straße", "release two", None, "1", DEV),
                  StoredMessage(3, 120.0, "Elodie", "release three", None, "1", DEV),
                  StoredMessage(4, 130.0, "ÉLODIE", "release four", None, "2", DEV)], [])
    factory = store.searcher_factory()
    assert factory is not None
    searcher = factory()
    try:
        for sender, expected in (("élodie", [4, 1]), ("ÉloDie", [4, 1]), ("elodie", [3]), ("ELODIE", [3]),
                                 ("STRASSE", [2]), ("straße", [2]), ("Straẞe", [2])):
            query = SearchQuery(("release",), (DEV,), sender=sender)
            assert seqs(store.search(query)) == expected, sender
            assert seqs(searcher.search(query)) == expected, sender
    finally:
        searcher.close()
        store.close()


def test_pages_follow_each_other_without_gaps_or_repeats(store: SqliteStore) -> None:
    first = store.search(everything(limit=3))
    assert seqs(first) == [6, 4, 2] and first[1]
    second = store.search(everything(limit=3, before_seq=2))
    assert seqs(second) == [1] and not second[1]
    assert store.search(everything(limit=2, before_seq=4)) == (store.search(everything())[0][2:4], False)


def test_a_failed_commit_leaves_no_index_row(store: SqliteStore) -> None:
    fresh = StoredMessage(7, 160.0, "alice", "unheard-of zeppelin", ALICE, "7", LOBBY_CONVERSATION)
    resend = StoredMessage(8, 160.0, "alice", "zeppelin again", ALICE, "1", LOBBY_CONVERSATION)  # (client, id) taken
    with pytest.raises(StoreError, match="UNIQUE"):
        store.commit([fresh, resend], [])
    assert store.search(SearchQuery(("zeppelin",), (LOBBY_CONVERSATION,))) == ([], False)
    store.commit([fresh], [])
    assert seqs(store.search(SearchQuery(("zeppelin",), (LOBBY_CONVERSATION,)))) == [7]


def test_pruned_messages_leave_the_index(store: SqliteStore) -> None:
    store.prune(before=125.0)
    assert seqs(store.search(everything())) == [6, 4]
    store._db.execute("INSERT INTO messages_text (messages_text) VALUES ('integrity-check')")


def test_a_searcher_reads_from_another_thread_beside_the_writer(store: SqliteStore) -> None:
    factory = store.searcher_factory()
    assert factory is not None
    results: list[tuple[list[Found], bool]] = []

    def search() -> None:
        searcher = factory()
        try:
            results.append(searcher.search(everything()))
        finally:
            searcher.close()

    thread = threading.Thread(target=search)
    thread.start()
    thread.join(timeout=10)
    assert results == [store.search(everything())]
    assert SqliteStore().searcher_factory() is None  # in memory: searched in its own thread


@pytest.mark.parametrize("version", [6, 7])
def test_a_database_from_before_search_is_indexed_when_opened(tmp_path: Path, version: int) -> None:
    path = version_5_database(tmp_path / f"v{version}.sqlite3", with_news_table=True)
    db = sqlite3.connect(path)
    if version == 7:  # read markers came in version 7
        db.execute("CREATE TABLE read_markers (member TEXT NOT NULL, conversation TEXT NOT NULL, seq INTEGER NOT NULL,"
                   " PRIMARY KEY (member, conversation)) WITHOUT ROWID")
    db.execute(f"PRAGMA user_version = {version}")
    db.close()
    store = SqliteStore(path)
    assert user_version(path) == SCHEMA_VERSION == 9
    assert store.since(0, 50) == HISTORY
    everyone = ("room:1", "room:2")
    for message in HISTORY:  # every old message is found by each of its words
        for word in message.text.split():
            found = seqs(store.search(SearchQuery((word,), everyone, client_key("id-bob"))))
            assert message.seq in found, (word, found)
    store.commit([StoredMessage(4, 60.0, "bob", "hi after the upgrade")], [])
    assert seqs(store.search(SearchQuery(("hi",), everyone))) == [4, 1]
    store.close()
    again = SqliteStore(path)  # opened again: indexed once, not twice
    assert seqs(again.search(SearchQuery(("hi",), everyone))) == [4, 1]
    again.close()


def test_a_development_version_8_file_loses_the_trigger_that_indexed_each_message(tmp_path: Path) -> None:
    """Version 8's first builds indexed by an AFTER INSERT trigger (11 µs a message); the commit indexes now, so an
    older version-8 file must lose the trigger, or every message would be indexed twice."""
    path = tmp_path / "chat.sqlite3"
    SqliteStore(path).close()
    db = sqlite3.connect(path)
    db.execute("CREATE TRIGGER messages_text_stored AFTER INSERT ON messages BEGIN"
               " INSERT INTO messages_text (rowid, text) VALUES (new.seq, new.text); END")
    db.close()
    store = SqliteStore(path)
    store.start_run(1.0)
    store.commit([StoredMessage(1, 100.0, "alice", "one zeppelin", ALICE, "1", LOBBY_CONVERSATION)], [])
    assert store._all("SELECT name FROM sqlite_master WHERE type = 'trigger'") == [("messages_text_deleted",)]
    assert store._all("SELECT rowid FROM messages_text WHERE messages_text MATCH 'zeppelin'") == [(1,)]
    store._db.execute("INSERT INTO messages_text (messages_text, rank) VALUES ('integrity-check', 1)")
    store.close()


def test_either_plan_finds_the_same_in_one_conversation(store: SqliteStore, monkeypatch: pytest.MonkeyPatch) -> None:
    small = [store.search(everything(conversation=c)) for c in (DEV, ALICE_BOB, LOBBY_CONVERSATION)]
    monkeypatch.setattr(sqlite_search, "SMALL_CONVERSATION", 0)  # every conversation read through the index first
    assert [store.search(everything(conversation=c)) for c in (DEV, ALICE_BOB, LOBBY_CONVERSATION)] == small
    assert [seqs(page) for page in small] == [[6, 2], [4], [1]]


def test_a_period_is_found_among_seqs_with_gaps(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "gaps.sqlite3")
    store.start_run(1.0)
    kept = [StoredMessage(seq, 10.0 * seq, "bob", f"word {seq}") for seq in range(1, 200) if seq % 7]
    store.commit(kept, [])
    lobby = (LOBBY_CONVERSATION,)
    for after, before in ((None, None), (0.0, 5.0), (75.0, 300.0), (700.0, 705.0), (1985.0, None), (None, 70.0),
                          (2000.0, None), (None, 10.0), (115.0, 116.0)):
        expected = [m.seq for m in reversed(kept) if (after is None or m.time >= after)
                    and (before is None or m.time < before)][:50]
        found = seqs(store.search(SearchQuery(("word",), lobby, after=after, before=before)))
        assert found == expected, (after, before)
    store.close()
