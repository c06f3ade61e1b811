"""Name assignment and the session cache, without sockets."""

from __future__ import annotations

from chat_server.core.names import NameRegistry, is_assigned_name
from chat_server.core.sessions import SessionCache
from chat_server.protocol import EndReason, name_key


def test_assigned_names_follow_arrival_order_and_skip_taken_ones() -> None:
    names: NameRegistry[object] = NameRegistry()
    a, b, c, d = object(), object(), object(), object()
    assert names.assign(a) == "Client01"
    assert names.rename(b, "client02")  # chosen, not assigned: holds the name ignoring case
    assert names.assign(c) == "Client03"
    names.release(a)
    assert names.get("CLIENT01") is None
    assert names.assign(d) == "Client04"  # numbers are not reused once the member announced itself


def test_rename_refuses_a_name_held_by_another_member_ignoring_case() -> None:
    names: NameRegistry[object] = NameRegistry()
    a, b = object(), object()
    names.assign(a)
    names.assign(b)
    assert not names.rename(b, "client01")
    assert names.get("Client02") is b
    assert names.rename(a, "alice")
    assert names.get("ALICE") is a and names.get("Client01") is None


def test_a_number_given_up_at_once_for_a_chosen_name_is_handed_out_again() -> None:
    names: NameRegistry[object] = NameRegistry()
    a, b, c = object(), object(), object()
    assert names.assign(a) == "Client01"
    assert names.assign(b) == "Client02"
    assert names.rename(b, "bob")
    assert names.assign(c) == "Client02"


def test_cache_records_every_session_with_its_end() -> None:
    cache = SessionCache(started_at=100.0)
    first = cache.open("127.0.0.1", 5000, 101.0)
    second = cache.open("::1", 5001, 102.0)
    first.name, second.name = "Client01", "bob"
    cache.close(first, EndReason.EXIT, 103.5)
    cache.close(first, EndReason.DROPPED, 104.0)  # the first end counts
    assert [s.state for s in cache] == ["exit", "online"]
    assert first.disconnected_at == 103.5
    assert cache.online() == [second]
    [one, two] = cache.snapshot()
    assert (one.name, one.address, one.connected_at, one.disconnected_at) == (
        "Client01", "127.0.0.1:5000", 101.0, 103.5)
    assert (two.address, two.disconnected_at, two.state) == ("[::1]:5001", None, "online")
    assert cache.get(second.id) is second and len(cache) == 2


def test_only_names_of_the_assigned_kind_count_as_assigned() -> None:
    assert all(is_assigned_name(name) for name in ("Client01", "client7", "CLIENT123"))
    # The fourth has Arabic-Indic digits: only 0-9 make an assigned name.
    not_assigned = ("Client", "Client01b", "alice", "Client\u0660\u0661", "My Client01")
    assert not any(is_assigned_name(name) for name in not_assigned)
    fullwidth = "\uff41\uff4c\uff49\uff43\uff45"
    assert name_key("ALICE") == name_key("alice") == name_key("Alice") == name_key(fullwidth)
