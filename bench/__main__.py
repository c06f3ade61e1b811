"""``python -m bench run``: every scenario on our server and on ngircd, then the tables.

``python -m bench run --quick`` is a smoke run of a few seconds; ``python -m bench list``
shows the scenarios and which servers can run here.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

from bench import report
from bench.loadgen import raise_file_limit
from bench.runner import DEFAULT_ROOMS_WIRE, Outcome, combine, run_scenario
from bench.scenarios import DEFAULT_SCENARIOS, QUICK_SCENARIOS, Scenario, parse_scenario
from bench.servers import OUR_ROOMS_WIRES, SERVERS, ServerUnavailable, install_ngircd, ngircd_path

DEFAULT_SERVERS = ("ours", "ngircd")
ALL_SERVERS = tuple(SERVERS)


def _names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    run = commands.add_parser("run", help="run the scenarios and print the tables")
    run.add_argument("--quick", action="store_true", help=f"small sizes: {', '.join(QUICK_SCENARIOS)}")
    run.add_argument("--scenarios", type=_names, default=None,
                     help="comma-separated: echo, NxS (N members, S senders), rooms (20 rooms of 50, one sender "
                          "each), roomsRxM (R rooms of M), heldN "
                          f"(default {','.join(DEFAULT_SCENARIOS)})")
    run.add_argument("--servers", type=_names, default=None,
                     help=f"comma-separated, from {', '.join(ALL_SERVERS)} (default {','.join(DEFAULT_SERVERS)}); "
                          "'all' for every one")
    run.add_argument("--messages", type=int, default=None,
                     help="messages per sender (default: sized for about the same deliveries per scenario)")
    run.add_argument("--window", type=int, default=1, help="messages in flight per sender (default 1)")
    run.add_argument("--repeat", type=int, default=1, metavar="N",
                     help="run everything N times, round by round, and report each figure's median (and the "
                          "targets' range); the machine's noise then shows instead of deciding a verdict")
    run.add_argument("--rooms-wire", choices=OUR_ROOMS_WIRES, default=DEFAULT_ROOMS_WIRE,
                     help="how our server is driven in the rooms scenarios: text mode's /join or JSON version 2's "
                          f"join request (default {DEFAULT_ROOMS_WIRE}; ngircd is always IRC)")
    run.add_argument("--server-arg", action="append", default=[], metavar="ARG",
                     help="an extra argument for our server, repeatable (e.g. --server-arg=--history=0)")
    run.add_argument("--json", type=Path, default=None, metavar="PATH", help="also write every figure as JSON")
    run.add_argument("--install-ngircd", action="store_true",
                     help="apt-get install ngircd first if it is missing (root only)")
    commands.add_parser("list", help="the scenarios and the servers available here")
    return parser


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    try:
        from PySide6 import QtCore
        from PySide6 import __version__ as pyside

        qt = QtCore.qVersion()
    except ImportError:
        pyside = qt = "not installed"
    return {"cpu": model, "cores": os.cpu_count(), "python": platform.python_version(), "pyside6": pyside,
            "qt": qt, "kernel": platform.release(), "ngircd": ngircd_path() or "not installed"}


def _scenarios(args: argparse.Namespace) -> list[Scenario]:
    names = args.scenarios or (QUICK_SCENARIOS if args.quick else DEFAULT_SCENARIOS)
    return [parse_scenario(name, quick=args.quick, messages=args.messages, window=args.window) for name in names]


def _servers(args: argparse.Namespace) -> list[str]:
    names = args.servers or list(DEFAULT_SERVERS)
    if names == ["all"]:
        names = list(ALL_SERVERS)
    unknown = [name for name in names if name not in SERVERS]
    if unknown:
        raise SystemExit(f"unknown server(s) {', '.join(unknown)}: choose from {', '.join(ALL_SERVERS)}")
    usable = []
    for name in names:
        try:
            SERVERS[name].check()
        except ServerUnavailable as exc:
            print(f"{name}: not measured: {exc}", file=sys.stderr)
            continue
        usable.append(name)
    return usable


def run(args: argparse.Namespace) -> int:
    raise_file_limit()  # the servers we start inherit it
    if args.install_ngircd:
        print(install_ngircd(), file=sys.stderr)
    scenarios = _scenarios(args)
    servers = _servers(args)
    if not servers:
        print("no server to measure", file=sys.stderr)
        return 2
    runs: list[Outcome] = []
    started = time.monotonic()
    # Round by round rather than each scenario N times in a row: whatever else loads the machine
    # meanwhile then weighs on every server alike.
    for round_number in range(1, max(1, args.repeat) + 1):
        for scenario in scenarios:
            for server in servers:
                label = f" (round {round_number})" if args.repeat > 1 else ""
                print(f"{scenario.name} ({scenario.shape}) on {server}{label} ...", end=" ", file=sys.stderr,
                      flush=True)
                outcome = run_scenario(scenario, SERVERS[server], args.server_arg, args.rooms_wire)
                print(f"{'ok' if outcome.ok else 'FAILED: ' + outcome.problem} ({outcome.wall_s:.1f} s)",
                      file=sys.stderr, flush=True)
                runs.append(outcome)
    outcomes = combine(runs)
    info = machine()
    if args.repeat > 1:
        print(f"Each figure is the median of {args.repeat} runs.\n")
    print(report.report(outcomes))
    print(f"\nMachine: {info['cpu']}, {info['cores']} cores; Python {info['python']}, PySide6 {info['pyside6']} "
          f"(Qt {info['qt']}); Linux {info['kernel']}. Whole run: {time.monotonic() - started:.0f} s.")
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "command": sys.argv,
                                         "outcomes": [o.to_json() for o in outcomes]}, indent=1))
    return 0 if all(o.ok for o in outcomes) else 1


def list_all() -> int:
    print("Scenarios (full run):", ", ".join(DEFAULT_SCENARIOS))
    print("Scenarios (--quick):", ", ".join(QUICK_SCENARIOS))
    for name, spec in SERVERS.items():
        try:
            spec.check()
            state = "available"
        except ServerUnavailable as exc:
            state = f"not available: {exc}"
        print(f"{name:12} {spec.description}: {state}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "list":
        return list_all()
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
