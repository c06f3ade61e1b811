"""Admission: the door's limits, the password gate's scheduling and the names, without sockets."""

from __future__ import annotations

from dataclasses import dataclass, replace

from chat_server import protocol as p
from chat_server.core.admission import ASSIGNED_NAMES_REMEMBERED, WINDOWS_PER_MEMBER, Admission, NameClaim
from chat_server.core.auth import Attempt
from chat_server.settings import ServerSettings


@dataclass(eq=False)
class Fake:
    """A member as the admission sees it: something with a client id (and which window of its client it is)."""

    client_id: str | None = None
    instance: str | None = None


class Timer:
    def __init__(self) -> None:
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


def _admission(**changes: object) -> tuple[Admission[Fake], list[ServerSettings]]:
    settings = [replace(ServerSettings(), **changes)]  # type: ignore[arg-type]
    return Admission(lambda: settings[0], lambda member: member.client_id, lambda member: member.instance), settings


def test_the_door_refuses_a_full_server_first_then_too_many_logins() -> None:
    admission, settings = _admission(password="pw", max_clients=2, max_logins=3, max_logins_per_address=2)
    assert admission.refusal("10.0.0.1", online=2) == (p.EndReason.REFUSED_FULL, p.full_line(2, 2))
    settings[0] = replace(settings[0], max_clients=0)  # 0: no limit
    assert admission.refusal("10.0.0.1", online=5) is None
    admission.start_login(1, "10.0.0.1")
    admission.start_login(2, "10.0.0.1")
    assert admission.refusal("10.0.0.1", 0) == (p.EndReason.REFUSED_BUSY, p.logins_busy_line(2, from_address=True))
    admission.start_login(3, "10.0.0.2")
    assert admission.refusal("10.0.0.3", 0) == (p.EndReason.REFUSED_BUSY, p.logins_busy_line(3, from_address=False))
    assert admission.login_count == 3
    admission.logged_in(1)
    assert admission.refusal("10.0.0.1", 0) is None and admission.login_count == 2


def test_without_a_password_the_logins_limits_do_not_apply() -> None:
    admission, settings = _admission(password="pw", max_logins=1)
    admission.start_login(1, "10.0.0.1")
    assert admission.refusal("10.0.0.2", 0) is not None
    settings[0] = replace(settings[0], password="")  # removed while the server runs
    assert admission.refusal("10.0.0.2", 0) is None


def test_a_check_whose_turn_comes_after_the_login_time_is_refused_with_the_wait() -> None:
    admission, _ = _admission(password="pw", auth_timeout_ms=2500, password_delay_ms=1000)
    first = admission.schedule("h", now=0.0, prompted_at=0.0)
    assert isinstance(first, Attempt) and first.at == 0.0
    assert admission.check(1, first, "wrong", now=0.0) == (False, 1)
    second = admission.schedule("h", now=0.5, prompted_at=0.0)
    assert isinstance(second, Attempt) and second.at == 1.0  # one wrong: a second later
    # Behind it, two seconds later: at 3.0, past the 2.5 s a connection may stay at the prompt; in 3 s (rounded up).
    assert admission.schedule("h", now=0.5, prompted_at=0.0) == 3
    assert admission.guard.queued("h") == 1  # the refused one holds no place


def test_a_right_password_resets_the_count() -> None:
    admission, _ = _admission(password="pw")
    check = admission.schedule("h", 0.0, 0.0)
    assert isinstance(check, Attempt)
    assert admission.check(1, check, " pw ", 0.0) == (True, 0)


def test_a_connection_that_goes_gives_its_place_up_and_its_timer_is_cancelled() -> None:
    admission, _ = _admission(password="pw")
    member, timer = Fake(), Timer()
    admission.start_login(1, "h")
    check = admission.schedule("h", 0.0, 0.0)
    assert isinstance(check, Attempt)
    admission.wait_for_turn(1, check, timer)
    admission.forget(1, member)
    assert timer.cancelled and admission.guard.queued("h") == 0 and admission.login_count == 0


def test_names_are_handed_out_claimed_and_taken_back_by_the_same_client() -> None:
    admission, _ = _admission(name_reservation_s=0)
    alice, bob, alice_again = Fake("a"), Fake("b"), Fake("a")
    assert admission.assign(alice) == "Client01" and admission.assign(bob) == "Client02"
    assert admission.claim(alice, "Alice", lambda name: None) == NameClaim()
    admission.take(alice, "Alice")
    taken = admission.claim(bob, "alice", lambda name: None)
    assert isinstance(taken, p.Error) and taken.code == p.ERR_NAME_TAKEN
    assert admission.claim(alice_again, "ALICE", lambda name: None) == NameClaim((alice,))  # the engine ends it
    admission.forget(0, alice)
    assert admission.claim(bob, "alice", lambda name: None) == NameClaim()


def test_another_window_of_a_client_shares_its_name_and_the_same_window_back_replaces_its_old_connection() -> None:
    admission, _ = _admission(name_reservation_s=0)
    first, second = Fake("a", "window-1"), Fake("a", "window-2")
    admission.assign(first)
    admission.take(first, "Alice")
    admission.assign(second)
    assert admission.claim(second, "ALICE", lambda name: None) == NameClaim((), first)
    admission.take(second, "Alice", shared=True)
    assert admission.names.holders("alice") == [first, second] and admission.names.get("alice") is first
    # A stranger still may not; the first window back (same instance) replaces only its old connection.
    stranger = Fake("b", "window-1")
    taken = admission.claim(stranger, "alice", lambda name: None)
    assert isinstance(taken, p.Error) and taken.code == p.ERR_NAME_TAKEN
    first_again = Fake("a", "window-1")
    assert admission.claim(first_again, "alice", lambda name: None) == NameClaim((first,), second)
    # A client that says no instance is one window: it replaces them all.
    assert admission.claim(Fake("a"), "alice", lambda name: None) == NameClaim((first, second))
    # The first window goes: the second holds the name on its own.
    admission.forget(1, first)
    assert admission.names.holders("Alice") == [second] and admission.names.name_of(second) == "Alice"
    admission.forget(2, second)
    assert admission.names.get("alice") is None


def test_the_same_client_back_under_a_spelling_that_also_looks_like_another_members_name_is_refused() -> None:
    # aIice (capital I) looks like alice as written and like aiice in one case: a name beside both is taken.
    admission, _ = _admission(name_reservation_s=0)
    alice, aiice = Fake("a", "window-1"), Fake("b")
    for member, name in ((alice, "alice"), (aiice, "aiice")):
        admission.assign(member)
        admission.take(member, name)
    for again in (Fake("a", "window-1"), Fake("a", "window-2"), Fake("a")):
        taken = admission.claim(again, "aIice", lambda name: None)
        assert isinstance(taken, p.Error) and taken.code == p.ERR_NAME_TAKEN
    assert admission.claim(Fake("a", "window-2"), "ALICE", lambda name: None) == NameClaim((), alice)


def test_a_name_used_recently_with_another_client_id_is_reserved_but_never_a_client_number() -> None:
    admission, _ = _admission(name_reservation_s=3600)
    asked: list[str] = []

    def recent_holder(name: str) -> str | None:
        asked.append(name)
        return "someone"

    refused = admission.claim(Fake("me"), "Alice", recent_holder)
    assert isinstance(refused, p.Error) and refused.code == p.ERR_NAME_RESERVED and "1 h" in refused.text
    assert admission.claim(Fake("someone"), "Alice", recent_holder) == NameClaim()  # kept for that client
    assert admission.claim(Fake("me"), "Client07", recent_holder) == NameClaim()
    assert asked == ["Alice", "Alice"]  # an assigned name is never looked up


def test_without_a_reservation_time_the_store_is_not_asked() -> None:
    admission, _ = _admission(name_reservation_s=0)
    assert admission.claim(Fake(), "Alice", lambda name: (_ for _ in ()).throw(AssertionError(name))) == NameClaim()


def test_a_client_gets_back_the_assigned_name_it_was_welcomed_under_while_it_is_free() -> None:
    admission, _ = _admission()
    bob, carol, anonymous = Fake("bob-id"), Fake("carol-id"), Fake(None)
    assert [admission.assign(m) for m in (bob, carol, anonymous)] == ["Client01", "Client02", "Client03"]
    for member in (bob, carol, anonymous):
        admission.welcomed(member)
    admission.forget(1, bob)
    admission.forget(3, anonymous)
    bob_again = Fake("bob-id")
    assert admission.assign(bob_again) == "Client04"
    assert admission.earlier_name(bob_again) == "Client01"
    assert admission.earlier_name(Fake(None)) is None  # no client id: nothing to recognise it by
    # carol holds hers: the same client back gets it (its claim then replaces or shares, as for a chosen name)
    assert admission.earlier_name(Fake("carol-id")) == "Client02"
    admission.take(bob_again, "Client01")
    assert admission.assign(Fake("dave-id")) == "Client04"  # the number given up at accept is handed out again

    # A chosen name is not remembered here (the client asks for it); a name taken meanwhile is not given.
    admission.take(carol, "carol")
    admission.welcomed(carol)
    admission.forget(2, carol)
    assert admission.earlier_name(Fake("carol-id")) == "Client02"
    stranger = Fake("stranger-id")
    admission.assign(stranger)
    admission.take(stranger, "Client02")
    assert admission.earlier_name(Fake("carol-id")) is None


def test_a_connection_refused_before_its_welcome_leaves_no_name_to_get_back() -> None:
    admission, _ = _admission()
    refused = Fake("refused-id")
    assert admission.assign(refused) == "Client01"
    admission.forget(1, refused)
    assert admission.earlier_name(Fake("refused-id")) is None


def test_the_assigned_names_remembered_are_bounded_oldest_forgotten_first() -> None:
    admission, _ = _admission()
    members = [Fake(f"id-{n}") for n in range(ASSIGNED_NAMES_REMEMBERED + 1)]
    for key, member in enumerate(members):
        admission.assign(member)
        admission.welcomed(member)
        admission.forget(key, member)
    assert admission.earlier_name(Fake("id-0")) is None
    assert admission.earlier_name(Fake("id-1")) == "Client02"
    newest = ASSIGNED_NAMES_REMEMBERED
    assert admission.earlier_name(Fake(f"id-{newest}")) == f"Client{newest + 1:02d}"


def test_one_member_holds_at_most_so_many_windows() -> None:
    admission, _ = _admission(name_reservation_s=0)
    windows = [Fake("a", f"window-{n}") for n in range(WINDOWS_PER_MEMBER)]
    for n, member in enumerate(windows):
        admission.assign(member)
        claim = admission.claim(member, "alice", lambda name: None)
        assert claim == NameClaim((), windows[0] if n else None)
        admission.take(member, "alice", shared=bool(n))
    refused = admission.claim(Fake("a", "one-more"), "alice", lambda name: None)
    assert isinstance(refused, p.Error) and refused.code == p.ERR_NAME_TAKEN
    assert refused.text == f"You have {WINDOWS_PER_MEMBER} windows open as alice already; close one first."
    # The same window back still replaces its old connection.
    assert admission.claim(Fake("a", "window-3"), "alice", lambda name: None) == NameClaim((windows[3],), windows[0])
