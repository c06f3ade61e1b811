"""The benchmark still works: small runs against our server with every ACK and delivery accounted for.

Speed is never asserted here; ``python -m bench run`` measures it.
"""

from __future__ import annotations

import pytest

from bench import report
from bench.runner import Outcome, combine, run_scenario
from bench.scenarios import Scenario, parse_scenario
from bench.servers import SERVERS
from bench.wire import ACK, READY, RELAY, IrcWire, JsonWire


@pytest.fixture(scope="module")
def outcomes() -> list[Outcome]:
    scenarios = [
        Scenario("echo", members=1, senders=1, messages=100),
        Scenario("10x2", members=10, senders=2, messages=100, window=4),
        Scenario("held30", members=30, senders=0, messages=0, hold_s=0.1),
    ]
    return [run_scenario(scenario, SERVERS["ours"]) for scenario in scenarios]


def test_every_ack_arrives_in_the_echo_run(outcomes: list[Outcome]) -> None:
    echo = outcomes[0]
    assert echo.ok, echo.problem
    assert echo.results["acks"] == echo.results["expected_acks"] == 100
    assert echo.results["unexpected"] == 0


def test_every_relay_reaches_every_other_member(outcomes: list[Outcome]) -> None:
    run = outcomes[1]
    assert run.ok, run.problem
    assert run.results["acks"] == 200
    assert run.results["deliveries"] == run.results["expected_deliveries"] == 200 * 9
    figures = run.figures()
    assert figures["ack_p99_ms"] is not None and figures["relay_p99_ms"] is not None
    assert figures["cpu_us_per_delivery"] is not None


def test_idle_members_are_held_and_their_memory_measured(outcomes: list[Outcome]) -> None:
    held = outcomes[2]
    assert held.ok, held.problem
    assert held.results["members_ready"] == 30
    assert held.figures()["kib_per_connection"] is not None


def test_the_report_shows_every_run(outcomes: list[Outcome]) -> None:
    text = report.report(outcomes)
    for name in ("echo", "10x2", "held30"):
        assert f"| {name} " in text


def test_scenario_names_give_their_shapes() -> None:
    assert parse_scenario("500x10").members == 500
    assert parse_scenario("500x10").senders == 10
    assert parse_scenario("held5000").held
    assert parse_scenario("echo", quick=True).members == 1
    with pytest.raises(ValueError):
        parse_scenario("10x20")


def test_irc_lines_are_read_like_ours() -> None:
    irc = IrcWire()
    assert irc.parse(b":m00001!~m00001@127.0.0.1 PRIVMSG #bench :s0.1 xxxx\r")[:2] == (RELAY, "s0.1")
    assert irc.parse(b":m00001!~m00001@127.0.0.1 PRIVMSG m00001 :s0.1 xxxx")[:2] == (ACK, "s0.1")
    assert irc.parse(b":bench.local 366 m00001 #bench :End of NAMES list")[0] == READY
    ours = JsonWire()
    assert ours.parse(b'{"type":"ack","id":"s0.1","seq":1,"time":1.0}')[:2] == (ACK, "s0.1")
    assert ours.parse(b'{"type":"message","sender":"m00001","text":"s0.1 xx","seq":1,"time":1.0}')[:2] == (
        RELAY, "s0.1")


def test_repeated_runs_report_each_figure_as_the_median_and_the_targets_with_their_range(
        outcomes: list[Outcome]) -> None:
    again = run_scenario(outcomes[0].scenario, SERVERS["ours"])
    [repeated] = combine([outcomes[0], again])
    assert repeated.ok and [run.results["acks"] for run in repeated.runs] == [100, 100]
    first, second = (run.figures()["cpu_us_per_delivery"] for run in repeated.runs)
    assert first is not None and second is not None
    assert repeated.figures()["cpu_us_per_delivery"] == pytest.approx((first + second) / 2)  # the median of two
    assert report._paired(repeated, repeated, "cpu_us_per_delivery") == [1.0, 1.0]
    assert report._spread([0.68, 0.84, 1.15], lambda v: f"{v:.2f}x") == "0.84x (0.68x-1.15x over 3 runs)"
