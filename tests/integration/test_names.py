"""Names on loopback: nobody takes a name online, the same client takes its own back, chosen names are reserved."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from chat_gui.client.engine import ChatClient, ClientState
from chat_gui.client.events import Welcomed
from chat_server import protocol as p
from chat_server.core.engine import ChatServer
from tests.conftest import WAIT_MS, RawClient

MakeServer = Callable[..., ChatServer]
MakeRaw = Callable[[ChatServer], RawClient]


def _client(client_id: str) -> ChatClient:
    client = ChatClient()
    client.client_id = client_id
    return client


def _join(qtbot: QtBot, server: ChatServer, client: ChatClient, name: str | None) -> Welcomed:
    with qtbot.waitSignal(client.welcomed, timeout=WAIT_MS) as welcomed:
        client.connect_to("127.0.0.1", server.server_port, name)
    welcome: Welcomed = welcomed.args[0]
    return welcome


def _alice_watched(make_server: MakeServer, make_raw: MakeRaw, qtbot: QtBot) -> tuple[ChatServer, RawClient,
                                                                                     ChatClient]:
    """A server, a text member watching it (Client01), and alice joined from the client id ``alice-laptop``."""
    server = make_server()
    watcher = make_raw(server)
    qtbot.waitUntil(lambda: server.members() == ["Client01"], timeout=WAIT_MS)
    alice = _client("alice-laptop")
    _join(qtbot, server, alice, "alice")
    return server, watcher, alice


def _refused(qtbot: QtBot, server: ChatServer, client: ChatClient, name: str) -> tuple[str, str]:
    with qtbot.waitSignal(client.error_received, timeout=WAIT_MS) as error, \
            qtbot.waitSignal(client.disconnected, timeout=WAIT_MS) as ended:
        client.connect_to("127.0.0.1", server.server_port, name)
    assert ended.args[0] == "refused"
    return error.args[0], error.args[1]


def test_the_same_client_coming_back_takes_its_name_over_from_its_old_connection(
        make_server: MakeServer, make_raw: MakeRaw, qtbot: QtBot) -> None:
    server, watcher, old = _alice_watched(make_server, make_raw, qtbot)
    old.auto_reconnect = True
    new = _client("alice-laptop")  # the same window (client id and instance) back after a silent cut
    new.session.instance = old.session.instance
    with qtbot.waitSignal(old.disconnected, timeout=WAIT_MS) as old_end, \
            qtbot.waitSignal(old.goodbye_received, timeout=WAIT_MS) as goodbye:
        welcome = _join(qtbot, server, new, "alice")
    assert welcome.name == "alice" and welcome.online == 2
    assert old_end.args[0] == "replaced" and not old.reconnect_pending
    assert goodbye.args[0].reason == "replaced"
    assert goodbye.args[0].text.startswith("You connected again from elsewhere, so this connection is closed. "
                                           "Goodbye alice! Disconnected at ")
    watcher.wait_line("* alice joined (2 online)", start=2)
    assert watcher.lines[1:] == ["* alice joined (2 online)", "* alice is reconnecting (1 online)",
                                 "* alice joined (2 online)"]
    states = [(info.name, info.state) for info in server.cache.snapshot()]
    assert states == [("Client01", "online"), ("alice", "replaced"), ("alice", "online")]
    assert server.members() == ["Client01", "alice"]
    new.abort()


def test_another_window_of_the_same_client_shares_its_name_and_the_others_see_one_member(
        make_server: MakeServer, make_raw: MakeRaw, qtbot: QtBot) -> None:
    server, watcher, first = _alice_watched(make_server, make_raw, qtbot)
    watcher.wait_line("* alice joined (2 online)", start=1)
    second = _client("alice-laptop")  # another window: the same client id, another instance
    assert second.session.instance != first.session.instance
    welcome = _join(qtbot, server, second, "ALICE")
    assert (welcome.name, welcome.online, welcome.members) == ("alice", 2, ("Client01", "alice"))
    assert first.state is ClientState.ONLINE  # not replaced
    assert server.members() == ["Client01", "alice"]
    states = [(info.name, info.state) for info in server.cache.snapshot()]
    assert states == [("Client01", "online"), ("alice", "online"), ("alice", "online")]
    # The watcher's /who answer comes after anything said to it before: nobody told it of a second alice.
    watcher.send("/who\n")
    answer = watcher.wait_line(lambda line: "alice" in line and "Client01" in line, start=2)
    assert watcher.lines[1:] == ["* alice joined (2 online)", answer]
    # One window goes: alice is still here; the last one goes: alice left.
    with qtbot.waitSignal(second.disconnected, timeout=WAIT_MS):
        second.exit()
    watcher.send("/who\n")
    again = watcher.wait_line(lambda line: "alice" in line and "Client01" in line, start=3)
    assert watcher.lines[3:] == [again]
    with qtbot.waitSignal(first.disconnected, timeout=WAIT_MS):
        first.exit()
    watcher.wait_line("* alice left (1 online)", start=4)
    assert server.members() == ["Client01"]


def test_another_client_cannot_take_a_name_online_or_recently_used(make_server: MakeServer, qtbot: QtBot) -> None:
    server = make_server()
    alice = _client("alice-id")
    _join(qtbot, server, alice, "alice")
    stranger = _client("stranger-id")
    assert _refused(qtbot, server, stranger, "ALICE") == (p.ERR_NAME_TAKEN,
                                                           "The name ALICE is taken; choose another.")
    with qtbot.waitSignal(alice.disconnected, timeout=WAIT_MS):
        alice.exit()
    # Offline now, but kept for alice's client id.
    code, text = _refused(qtbot, server, stranger, "Alice")
    assert code == p.ERR_NAME_RESERVED
    assert text == "The name Alice is kept for the member who used it in the last 24 h; choose another."
    # alice herself gets it back.
    assert _join(qtbot, server, alice, "alice").name == "alice"
    alice.abort()
    stranger.abort()


def test_reservations_survive_a_restart_and_expire(make_server: MakeServer, qtbot: QtBot, tmp_path: Path) -> None:
    db = str(tmp_path / "chat.sqlite3")
    first = make_server(db_path=db)
    alice = _client("alice-id")
    _join(qtbot, first, alice, "alice")
    with qtbot.waitSignal(first.stopped, timeout=WAIT_MS):
        first.stop()
    first.close()

    second = make_server(db_path=db)
    stranger = _client("stranger-id")
    assert _refused(qtbot, second, stranger, "alice")[0] == p.ERR_NAME_RESERVED
    assert _join(qtbot, second, alice, "alice").name == "alice"
    alice.abort()
    with qtbot.waitSignal(second.stopped, timeout=WAIT_MS):
        second.stop()
    second.close()

    # Its last use was more than the reservation ago (here: any time before now, with 0.001 s).
    third = make_server(db_path=db, name_reservation_s=0.001)
    qtbot.waitUntil(lambda: third.store.name_holder("alice", time.time() - 0.001) is None, timeout=WAIT_MS)
    assert _join(qtbot, third, stranger, "alice").name == "alice"
    stranger.abort()


def test_assigned_names_and_names_without_a_client_id_are_not_reserved(make_server: MakeServer,
                                                                       make_raw: MakeRaw, qtbot: QtBot) -> None:
    server = make_server()
    first = _client("first-id")
    assert _join(qtbot, server, first, None).name == "Client01"
    with qtbot.waitSignal(first.disconnected, timeout=WAIT_MS):
        first.exit()
    assert _join(qtbot, server, _client("other-id"), "Client01").name == "Client01"
    # A JSON client that sends no client id cannot hold a name once it has gone.
    anonymous = make_raw(server)
    anonymous.send(p.encode(p.Hello(name="bob")))
    anonymous.wait_line(lambda line: '"type":"welcome"' in line and '"name":"bob"' in line)
    anonymous.send(p.encode(p.Exit()))
    anonymous.wait_closed()
    assert _join(qtbot, server, _client("bob-id"), "bob").name == "bob"


def test_reservation_off(make_server: MakeServer, qtbot: QtBot) -> None:
    server = make_server(name_reservation_s=0)
    alice = _client("alice-id")
    _join(qtbot, server, alice, "alice")
    with qtbot.waitSignal(alice.disconnected, timeout=WAIT_MS):
        alice.exit()
    assert _join(qtbot, server, _client("stranger-id"), "alice").name == "alice"


def test_a_reconnect_with_an_assigned_name_someone_else_took_falls_back_to_a_new_one(
        make_server: MakeServer, make_raw: MakeRaw, qtbot: QtBot) -> None:
    server = make_server()
    client = ChatClient()
    client.auto_reconnect = True
    client.reconnect_delays_ms = (1000, 20)  # the first wait leaves the stranger ample time
    assert _join(qtbot, server, client, None).name == "Client01"
    with qtbot.waitSignal(client.reconnecting, timeout=WAIT_MS):
        client.abort()  # its connection breaks, as a crash would
    qtbot.waitUntil(lambda: server.members() == [], timeout=WAIT_MS)
    stranger = make_raw(server)
    stranger.send(p.encode(p.Hello(name="Client01", client_id="stranger")))
    stranger.wait_line(lambda line: '"type":"welcome"' in line and '"name":"Client01"' in line)
    refusals: list[str] = []
    client.error_received.connect(lambda code, text, message_id: refusals.append(code))
    with qtbot.waitSignal(client.welcomed, timeout=WAIT_MS) as welcomed:
        pass
    # Asking for Client01 again was refused (taken); the next attempt let the server choose.
    assert refusals == [p.ERR_NAME_TAKEN]
    assert welcomed.args[0].name == "Client03" and client.state is ClientState.ONLINE
    client.abort()


def test_a_client_back_without_a_name_gets_its_assigned_name_again_when_free(
        make_server: MakeServer, make_raw: MakeRaw, qtbot: QtBot) -> None:
    server = make_server(max_clients=0)
    watcher = make_raw(server)
    qtbot.waitUntil(lambda: server.members() == ["Client01"], timeout=WAIT_MS)
    bob, carol = _client("bob-id"), _client("carol-id")
    assert _join(qtbot, server, bob, None).name == "Client02"
    assert _join(qtbot, server, carol, None).name == "Client03"
    with qtbot.waitSignal(bob.disconnected, timeout=WAIT_MS):
        bob.exit()
    # Exit, then Reconnect (a hello without a name, the same client id): the same member comes back.
    welcome = _join(qtbot, server, bob, None)
    assert welcome.name == "Client02" and welcome.members == ("Client01", "Client03", "Client02")
    watcher.wait_line("* Client02 joined (3 online)", start=3)
    assert watcher.lines[1:] == ["* Client02 joined (2 online)", "* Client03 joined (3 online)",
                                 "* Client02 left (2 online)", "* Client02 joined (3 online)"]
    # The number handed out at its accept and given up is handed out next: no gap.
    assert _join(qtbot, server, _client("dave-id"), None).name == "Client04"

    # Its old name taken meanwhile (chosen by another client): it gets the next free one, not a refusal.
    with qtbot.waitSignal(bob.disconnected, timeout=WAIT_MS):
        bob.exit()
    stranger = make_raw(server)
    stranger.send(p.encode(p.Hello(name="Client02", client_id="stranger")))
    stranger.wait_line(lambda line: '"type":"welcome"' in line and '"name":"Client02"' in line)
    assert _join(qtbot, server, bob, None).name == "Client05"
    # Another client id never gets a name that was someone else's.
    with qtbot.waitSignal(carol.disconnected, timeout=WAIT_MS):
        carol.exit()
    assert _join(qtbot, server, _client("eve-id"), None).name == "Client06"
    for client in (bob,):
        client.abort()
