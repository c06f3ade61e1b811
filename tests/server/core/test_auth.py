"""The password rules without sockets: where it comes from, how it is compared, how guessing is slowed down."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from chat_server.core.auth import (
    FORGET_AFTER_S,
    MAX_TRACKED,
    PASSWORD_ENV,
    PasswordError,
    PasswordGuard,
    delay_after,
    load_password,
    password_matches,
)
from chat_server.core.limits import Verdict, Watch


def test_the_password_comes_from_the_first_line_of_a_file_or_from_the_environment(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "password"
    path.write_text("  correct horse \nsecond line is ignored\n", encoding="utf-8")
    path.chmod(0o600)
    assert load_password(str(path), {PASSWORD_ENV: "from env"}) == "correct horse"
    assert caplog.records == []
    path.chmod(0o644)
    assert load_password(str(path), {}) == "correct horse"
    assert [record.getMessage() for record in caplog.records] == [
        f"the password file {path} can be read by other users: chmod 600 it"]
    assert load_password(None, {PASSWORD_ENV: " from env "}) == "from env"
    assert load_password(None, {}) == ""


def test_an_unusable_password_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(PasswordError, match=r"cannot read the password file .*missing.*No such file"):
        load_password(str(tmp_path / "missing"), {})
    (tmp_path / "empty").write_text("\n   \n", encoding="utf-8")
    with pytest.raises(PasswordError, match=r"is empty \(its first line is the password\)"):
        load_password(str(tmp_path / "empty"), {})


def test_attempts_are_compared_exactly_but_for_surrounding_spaces() -> None:
    assert password_matches(" s3cret ", "s3cret")
    assert not password_matches("S3cret", "s3cret")
    assert not password_matches("s3cre", "s3cret")
    assert password_matches("pässwörd", "pässwörd")


def test_the_delay_doubles_from_the_base_up_to_the_maximum() -> None:
    assert [delay_after(n, 1.0, 30.0) for n in range(8)] == [0.0, 1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0]


def test_a_person_who_mistypes_and_retypes_at_human_speed_is_not_kept_waiting() -> None:
    guard = PasswordGuard(base_s=1.0)
    first = guard.schedule("10.0.0.5", 100.0)
    assert first.at == 100.0
    assert guard.checked(first, right=False, now=100.0) == 1
    second = guard.schedule("10.0.0.5", 105.0)
    assert second.at == 105.0  # 5 s later: more than the 1 s it would have had to wait
    assert guard.checked(second, right=True, now=105.0) == 0
    assert guard.schedule("10.0.0.5", 105.1).at == 105.1


def test_a_script_retrying_at_once_waits_longer_each_time() -> None:
    guard = PasswordGuard(base_s=1.0, max_s=30.0)
    now, slots = 0.0, []
    for _ in range(8):
        attempt = guard.schedule("10.0.0.6", now)
        slots.append(attempt.at)
        guard.checked(attempt, right=False, now=attempt.at)
        now = attempt.at + 0.001  # it tries again as soon as it has its answer
    gaps = [round(b - a, 3) for a, b in itertools.pairwise(slots)]
    assert gaps == [1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0]
    assert guard.failures("10.0.0.6") == 8
    assert guard.schedule("10.0.0.7", now).at == now  # another address is not affected


def test_parallel_attempts_from_one_address_queue_behind_each_other() -> None:
    guard = PasswordGuard(base_s=0.5)
    assert [guard.schedule("10.0.0.8", 10.0).at for _ in range(4)] == [10.0, 10.5, 11.5, 13.5]
    assert guard.queued("10.0.0.8") == 4


def test_an_attempt_whose_connection_closed_first_releases_its_place_and_quiet_addresses_are_forgotten() -> None:
    guard = PasswordGuard(base_s=1.0)
    first = guard.schedule("10.0.0.9", 0.0)
    guard.checked(first, right=False, now=0.0)
    abandoned = guard.schedule("10.0.0.9", 0.0)
    guard.cancel(abandoned)
    guard.cancel(abandoned)  # twice changes nothing
    assert guard.failures("10.0.0.9") == 1 and guard.queued("10.0.0.9") == 0
    later = FORGET_AFTER_S + 60
    assert guard.schedule("10.0.0.9", later).at == later and guard.failures("10.0.0.9") == 0


def test_abandoned_attempts_do_not_hold_back_the_ones_after_them() -> None:
    # Twelve wrong guesses queued at once from one address, all but the first abandoned before their turn
    # (their connections closed): the next attempt waits behind the one wrong password checked, not behind
    # the places of the eleven that were never checked.
    guard = PasswordGuard(base_s=1.0, max_s=30.0)
    attempts = [guard.schedule("10.0.1.1", 0.0) for _ in range(12)]
    assert attempts[-1].at == 1 + 2 + 4 + 8 + 16 + 30 * 6
    guard.checked(attempts[0], right=False, now=0.0)
    for attempt in attempts[1:]:
        guard.cancel(attempt)
    assert guard.queued("10.0.1.1") == 0 and guard.failures("10.0.1.1") == 1
    assert guard.schedule("10.0.1.1", 1.5).at == 1.5  # one failure: 1 s after its check, already past
    # A check of an attempt that was cancelled counts for nothing.
    assert guard.checked(attempts[5], right=False, now=2.0) == 1


def test_the_addresses_tracked_are_bounded() -> None:
    guard = PasswordGuard()
    for number in range(MAX_TRACKED * 3):
        host = f"10.{number // 65536}.{number // 256 % 256}.{number % 256}"
        guard.checked(guard.schedule(host, float(number)), right=False, now=float(number))
    assert len(guard._addresses) <= MAX_TRACKED


def test_the_watchdog_closes_a_connection_that_gives_no_password_in_time() -> None:
    watch = Watch(line_timeout=30, ping_interval=30, idle_timeout=90, text_idle_timeout=0, auth_timeout=60)
    assert watch.verdict(100.0, 100.0, None, 0.0, False, awaiting_since=41.0) is Verdict.FINE
    assert watch.verdict(101.0, 100.0, None, 0.0, False, awaiting_since=41.0) is Verdict.NO_PASSWORD
    assert watch.verdict(1000.0, 1000.0, None, 0.0, False, awaiting_since=None) is Verdict.FINE
    no_password = Watch(line_timeout=0, ping_interval=0, idle_timeout=0, text_idle_timeout=0, auth_timeout=0)
    assert no_password.tick == 0.0
    assert no_password.verdict(1000.0, 1000.0, None, 0.0, False, awaiting_since=0.0) is Verdict.FINE
