"""WindowSends: which messages each window of a member sent in this run, without sockets."""

from __future__ import annotations

from chat_server.core.window_sends import SEQS_PER_WINDOW, WINDOWS_REMEMBERED, WindowSends


def test_a_window_known_in_this_run_is_told_its_own_seqs_and_keeps_gaining_them() -> None:
    windows = WindowSends()
    assert windows.joined("alice", "laptop") is None  # new to this run: its client id's messages stand for it
    assert windows.joined("alice", "desk") is None
    windows.sent("alice", "laptop", 1)
    windows.sent("alice", "desk", 2)
    laptop = windows.joined("alice", "laptop")
    assert laptop is not None and 1 in laptop and 2 not in laptop
    windows.sent("alice", "laptop", 3)  # sent while it is replayed: the same object says so
    assert 3 in laptop


def test_without_a_client_id_or_an_instance_nothing_is_remembered() -> None:
    windows = WindowSends()
    windows.sent(None, "laptop", 1)
    windows.sent("alice", None, 2)
    assert windows.joined(None, "laptop") is None and windows.joined("alice", None) is None
    assert windows.joined("alice", "laptop") is None  # never seen as a window


def test_the_newest_seqs_and_windows_are_kept_within_their_limits() -> None:
    windows = WindowSends()
    for seq in range(1, SEQS_PER_WINDOW + 2):
        windows.sent("alice", "laptop", seq)
    laptop = windows.joined("alice", "laptop")
    assert laptop is not None and 1 not in laptop and all(seq in laptop for seq in range(2, SEQS_PER_WINDOW + 2))
    for number in range(WINDOWS_REMEMBERED):
        windows.joined(f"client-{number}", "w")
    assert windows.joined("alice", "laptop") is None  # seen longest ago: forgotten first
    assert windows.joined(f"client-{WINDOWS_REMEMBERED - 1}", "w") is not None
