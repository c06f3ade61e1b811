"""Runs each scenario against each server: a fresh server, the load generator in its own process, the figures."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench.loadgen import LoadConfig
from bench.scenarios import Scenario
from bench.servers import PROJECT, RunningServer, ServerSpec, ServerUnavailable

RESULT_TIMEOUT_S = 600.0  # the generator's own stall timeouts end a stuck run long before this
DEFAULT_ROOMS_WIRE = "text"  # ours in the rooms scenarios: the commands issue 18 fixed for text mode


@dataclass
class Outcome:
    """One scenario on one server: the generator's results, or why there are none."""

    scenario: Scenario
    server: str
    results: dict[str, Any] = field(default_factory=dict)
    problem: str = ""
    wall_s: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problem and bool(self.results.get("ok"))

    def get(self, key: str) -> Any:
        return self.results.get(key)

    def figures(self) -> dict[str, float | None]:
        """The per-scenario figures the table shows, derived from the raw results."""
        r, s = self.results, self.scenario
        if not r:
            return {}
        counted = r["acks"] if s.members == 1 else r["deliveries"]
        phase = r["phase_s"]
        cpu = r["server_cpu_s"]
        held = max(1, r["members_ready"])
        return {
            "ack_p50_ms": r["ack_p50_ms"], "ack_p99_ms": r["ack_p99_ms"],
            "relay_p50_ms": r["relay_p50_ms"], "relay_p99_ms": r["relay_p99_ms"],
            "deliveries_per_s": counted / phase if phase and counted else None,
            "cpu_us_per_delivery": cpu * 1e6 / counted if cpu and counted else None,
            "kib_per_connection": ((r["rss_setup_kib"] - r["rss_base_kib"]) / held if s.held else None),
            "setup_cpu_s": r["setup_server_cpu_s"],
        }

    @property
    def runs(self) -> list[Outcome]:
        """The single runs this outcome stands for (itself, unless repeated)."""
        return [self]

    def to_json(self) -> dict[str, Any]:
        return {"scenario": asdict(self.scenario), "server": self.server, "ok": self.ok, "problem": self.problem,
                "wall_s": self.wall_s, "results": self.results, "figures": self.figures()}


class Repeated(Outcome):
    """The same scenario on the same server run several times: each figure is the median of the runs."""

    def __init__(self, runs: Sequence[Outcome]) -> None:
        first = runs[0]
        super().__init__(first.scenario, first.server, runs[-1].results,
                         next((run.problem for run in runs if run.problem), ""), sum(run.wall_s for run in runs))
        self._runs = list(runs)

    @property
    def ok(self) -> bool:
        return all(run.ok for run in self._runs)

    @property
    def runs(self) -> list[Outcome]:
        return list(self._runs)

    def figures(self) -> dict[str, float | None]:
        each = [run.figures() for run in self._runs]
        keys = {key for figures in each for key in figures}
        return {key: median([figures.get(key) for figures in each]) for key in sorted(keys)}

    def to_json(self) -> dict[str, Any]:
        return {**super().to_json(), "results": None, "runs": [run.to_json() for run in self._runs]}


def median(values: Sequence[float | None]) -> float | None:
    """The median of the values measured (None where a run had none)."""
    known = [value for value in values if value is not None]
    return statistics.median(known) if known else None


def combine(outcomes: Sequence[Outcome]) -> list[Outcome]:
    """One outcome per scenario and server, in first-seen order: the runs of each, taken together."""
    groups: dict[tuple[str, str], list[Outcome]] = {}
    for outcome in outcomes:
        groups.setdefault((outcome.scenario.name, outcome.server), []).append(outcome)
    return [runs[0] if len(runs) == 1 else Repeated(runs) for runs in groups.values()]


def run_scenario(scenario: Scenario, spec: ServerSpec, extra_args: list[str] | None = None,
                 rooms_wire: str = DEFAULT_ROOMS_WIRE) -> Outcome:
    """Start ``spec`` fresh, drive ``scenario`` against it, stop it; never raises for a failed run.

    ``rooms_wire`` is how ours is driven in a scenario with rooms ("text" or "json").
    """
    outcome = Outcome(scenario, spec.label)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix=f"bench-{spec.label}-") as tmp:
        server: RunningServer | None = None
        generator: subprocess.Popen[bytes] | None = None
        try:
            protocol = spec.rooms_wire(rooms_wire) if scenario.rooms else spec.protocol
            server = spec.start(Path(tmp), list(extra_args or []))
            config = LoadConfig(
                port=server.port, protocol=protocol, members=scenario.members,
                senders=scenario.senders, messages=scenario.messages, window=scenario.window,
                server_pid=server.pid, hold_s=scenario.hold_s, rooms=scenario.rooms,
                # Every join is announced to every member: letting N in costs N squared deliveries.
                login_timeout_s=60 + scenario.members * 0.15,
            )
            generator = subprocess.Popen(
                [sys.executable, "-m", "bench.loadgen", json.dumps(asdict(config))],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=PROJECT,
            )
            assert generator.stdout is not None
            line = generator.stdout.readline()
            if not line:
                _, err = generator.communicate(timeout=30)
                outcome.problem = f"the load generator ended without results: {err.decode(errors='replace')[-500:]}"
            else:
                outcome.results = json.loads(line)
                outcome.problem = outcome.results.get("problem", "")
            if server.process.poll() is not None:
                outcome.problem = outcome.problem or f"{spec.label} exited early: {server.log_tail()}"
        except ServerUnavailable as exc:
            outcome.problem = str(exc)
        finally:
            # The server stops first, while the generator still reads: members are told
            # goodbye instead of thousands of them leaving one by one.
            if server is not None:
                server.stop()
            if generator is not None:
                _finish(generator)
    outcome.wall_s = time.monotonic() - started
    return outcome


def _finish(generator: subprocess.Popen[bytes]) -> None:
    try:
        generator.communicate(timeout=RESULT_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        generator.kill()
        generator.communicate()
