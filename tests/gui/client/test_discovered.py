"""DiscoveredServers: the plain state behind the browser (services heard, servers by address, expiry)."""

from __future__ import annotations

from chat_gui.client.discovered import MAX_SERVICES, ChangeKind, DiscoveredServers, ServerChange
from chat_server.protocol.discovery import Announcement


def ann(port: int, name: str = "Chat", online: int = 0) -> Announcement:
    return Announcement(name=name, host="10.0.0.5", port=port, version=2, tls=False, fingerprint=None,
                        password=False, online=online, limit=0)


def test_found_changed_only_when_it_says_something_else_and_lost_on_goodbye() -> None:
    state = DiscoveredServers()
    assert state.heard("A._lanchat._tcp.local.", ann(1), 0.0) == [
        ServerChange(ChangeKind.FOUND, "10.0.0.5:1", ann(1))]
    assert state.heard("a._LANCHAT._tcp.local.", ann(1), 1.0) == []  # the same service (DNS ignores case)
    assert state.heard("A._lanchat._tcp.local.", ann(1, online=3), 2.0) == [
        ServerChange(ChangeKind.CHANGED, "10.0.0.5:1", ann(1, online=3))]
    assert state.gone("A._lanchat._tcp.local.") == [ServerChange(ChangeKind.LOST, "10.0.0.5:1", ann(1, online=3))]
    assert state.gone("A._lanchat._tcp.local.") == []
    assert state.servers() == []


def test_a_service_not_heard_for_a_while_expires() -> None:
    state = DiscoveredServers(stale_after_s=3.5)
    state.heard("a", ann(1), 0.0)
    state.heard("b", ann(2), 0.0)
    state.heard("b", ann(2), 3.0)
    assert state.expire(3.5) == []
    assert state.expire(3.6) == [ServerChange(ChangeKind.LOST, "10.0.0.5:1", ann(1))]
    assert state.servers() == [ann(2)]


def test_two_services_on_one_address_are_one_server_the_first_heard() -> None:
    state = DiscoveredServers()
    state.heard("first", ann(1, "First"), 0.0)
    assert state.heard("second", ann(1, "Second"), 0.5) == []
    assert state.servers() == [ann(1, "First")]
    assert state.gone("first") == [ServerChange(ChangeKind.CHANGED, "10.0.0.5:1", ann(1, "Second"))]
    assert state.clear() == [ServerChange(ChangeKind.LOST, "10.0.0.5:1", ann(1, "Second"))]


def test_a_flood_of_services_is_bounded() -> None:
    state = DiscoveredServers()
    for port in range(1, MAX_SERVICES + 1):
        state.heard(f"s{port}", ann(port), 0.0)
    assert state.heard("one too many", ann(MAX_SERVICES + 1), 0.0) == []
    assert len(state.servers()) == MAX_SERVICES
    state.gone("s1")
    assert state.heard("one too many", ann(MAX_SERVICES + 1), 0.0)[0].kind is ChangeKind.FOUND
