"""The search benchmark still works: a tiny store generated, a few searches timed against a real server on it.

Speed is never asserted here; ``python -m bench.search_store measure`` measures it.
"""

from __future__ import annotations

from pathlib import Path

from bench.search_store import SEARCHER_ID, generate, measure, queries, report
from chat_server.core.rooms import LOBBY_CONVERSATION
from chat_server.store import SearchQuery, client_key
from chat_server.store.sqlite import SqliteStore


def test_a_tiny_store_is_generated_and_searched_over_a_real_socket(tmp_path: Path) -> None:
    path = tmp_path / "search.sqlite3"
    generate(path, 1000)
    store = SqliteStore(path)
    assert store.last_seq() == 1000
    found, _ = store.search(SearchQuery(("the",), (LOBBY_CONVERSATION,), client_key(SEARCHER_ID), limit=5))
    assert len(found) == 5 and all("the" in f.message.text.split() for f in found)
    store.close()
    figures = measure(path, 16, chat=True)
    page2 = sum(1 for kind, _ in queries(16) if kind == "page2")  # timed only when the first page has more
    assert 16 - page2 <= figures.searches <= 16
    assert figures.results > 0 and 0 < figures.p50_ms <= figures.p95_ms <= figures.p99_ms
    assert set(figures.by_kind) >= {"common", "rare", "two", "three", "room", "sender", "period"}
    assert figures.chat_acks_ms
    text = report(figures)
    assert "p50" in text and "p95" in text and "p99" in text and "chat meanwhile" in text
