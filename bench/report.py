"""The tables: every run, ours against ngircd as ratios, and the issue's targets (Markdown, aligned)."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable, Sequence

from bench.runner import Outcome

PEER = "ngircd"


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _pair(a: float | None, b: float | None) -> str:
    return "-" if a is None and b is None else f"{_ms(a)} / {_ms(b)}"


def _num(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "-"
    return f"{value:,.{digits}f}"


def _ratio(ours: float | None, theirs: float | None) -> str:
    if ours is None or theirs is None or theirs == 0:
        return "-"
    return f"{ours / theirs:.2f}x"


def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A Markdown table with its columns padded, so it reads in a terminal too."""
    body = [list(header), *[list(row) for row in rows]]
    widths = [max(len(row[i]) for row in body) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (width + 2) for width in widths) + "|"
    return "\n".join([line(body[0]), rule, *(line(row) for row in body[1:])])


def results_table(outcomes: Sequence[Outcome]) -> str:
    rows = []
    for o in outcomes:
        f = o.figures()
        verified = "yes" if o.ok else f"NO: {o.problem or 'see JSON'}"
        if o.results and o.scenario.held:
            verified = f"{o.results['members_ready']} held" if o.ok else verified
        rows.append([
            o.scenario.name, o.server, o.scenario.shape, verified,
            _pair(f.get("ack_p50_ms"), f.get("ack_p99_ms")),
            _pair(f.get("relay_p50_ms"), f.get("relay_p99_ms")),
            _num(f.get("deliveries_per_s")), _num(f.get("cpu_us_per_delivery"), 2),
            _num(f.get("kib_per_connection"), 1), _num(f.get("setup_cpu_s"), 2),
        ])
    return table(["Scenario", "Server", "Shape", "Verified", "ACK p50 / p99 ms", "Relay p50 / p99 ms",
                  "Deliveries/s", "Server CPU µs/delivery", "KiB/connection", "Setup CPU s"], rows)


def ratios_table(outcomes: Sequence[Outcome]) -> str:
    """Each of our variants divided by ngircd on the same scenario (below 1x is better, except deliveries/s)."""
    peer = {o.scenario.name: o.figures() for o in outcomes if o.server == PEER and o.ok}
    rows = []
    for o in outcomes:
        theirs = peer.get(o.scenario.name)
        if o.server == PEER or theirs is None or not o.ok:
            continue
        f = o.figures()
        # ngircd has no ACK: our ACK is set against its relay (alone in the room: its echo).
        their_answer = theirs.get("ack_p99_ms") if o.scenario.members == 1 else theirs.get("relay_p99_ms")
        rows.append([
            o.scenario.name, o.server,
            _ratio(f.get("ack_p99_ms"), their_answer), _ratio(f.get("relay_p99_ms"), theirs.get("relay_p99_ms")),
            _ratio(f.get("deliveries_per_s"), theirs.get("deliveries_per_s")),
            _ratio(f.get("cpu_us_per_delivery"), theirs.get("cpu_us_per_delivery")),
            _ratio(f.get("kib_per_connection"), theirs.get("kib_per_connection")),
            _ratio(f.get("setup_cpu_s"), theirs.get("setup_cpu_s")),
        ])
    if not rows:
        return "(no ratios: ngircd was not measured)"
    return table(["Scenario", "Ours", "ACK p99 / their relay p99", "Relay p99", "Deliveries/s",
                  "CPU/delivery", "KiB/connection", "Setup CPU"], rows)


def _find(outcomes: Sequence[Outcome], scenario: str, server: str) -> Outcome | None:
    return next((o for o in outcomes if o.scenario.name == scenario and o.server == server and o.ok), None)


def _each(outcome: Outcome, key: str) -> list[float]:
    """A figure of every run ``outcome`` stands for."""
    values = [run.figures().get(key) for run in outcome.runs]
    return [value for value in values if value is not None]


def _paired(ours: Outcome, theirs: Outcome, key: str, their_key: str | None = None) -> list[float]:
    """Our figure over theirs, round by round: runs of the same round shared the machine's conditions."""
    ratios = []
    for mine, other in zip(ours.runs, theirs.runs, strict=False):
        a, b = mine.figures().get(key), other.figures().get(their_key or key)
        if a is not None and b:
            ratios.append(a / b)
    return ratios


def _spread(values: Sequence[float], show: Callable[[float], str]) -> str:
    """The median, and with several runs the range: '0.84x (0.68x-1.15x over 5 runs)'."""
    middle = show(statistics.median(values))
    if len(values) == 1:
        return middle
    return f"{middle} ({show(min(values))}-{show(max(values))} over {len(values)} runs)"


def targets_table(outcomes: Sequence[Outcome]) -> str:
    """Issue 8's targets (and issue 18's for rooms), each with the figure measured (the median of the runs, and
    their range), or why none."""
    rows = []

    def verdict(ok: bool | None) -> str:
        return "not measured" if ok is None else ("met" if ok else "MISSED")

    def times(value: float) -> str:
        return f"{value:.2f}x"

    ours, peer = _find(outcomes, "500x10", "ours"), _find(outcomes, "500x10", PEER)
    ratios = _paired(ours, peer, "cpu_us_per_delivery") if ours and peer else []
    name = "CPU per delivery at 500/10, store on: <= 0.7x ngircd"
    rows.append([name, _spread(ratios, times), verdict(statistics.median(ratios) <= 0.7)] if ratios
                else [name, "-", verdict(None)])

    ours, peer = _find(outcomes, "rooms", "ours"), _find(outcomes, "rooms", PEER)
    ratios = _paired(ours, peer, "cpu_us_per_delivery") if ours and peer else []
    name = "CPU per delivery in 20 rooms of 50 (issue 18): <= 0.7x ngircd"
    rows.append([name, _spread(ratios, times), verdict(statistics.median(ratios) <= 0.7)] if ratios
                else [name, "-", verdict(None)])

    ours, peer = _find(outcomes, "100x10", "ours"), _find(outcomes, "100x10", PEER)
    p99s = _each(ours, "ack_p99_ms") if ours and ours.scenario.window == 1 else []
    if p99s:
        rows.append(["ACK p99 at 100/10, window 1: < 2 ms", _spread(p99s, lambda v: f"{v:.2f} ms"),
                     verdict(statistics.median(p99s) < 2.0)])
        ratios = _paired(ours, peer, "ack_p99_ms", "relay_p99_ms") if ours and peer else []
        if ratios:
            rows.append(["... and <= 1.5x ngircd's relay p99", _spread(ratios, times),
                         verdict(statistics.median(ratios) <= 1.5)])
    else:
        rows.append(["ACK p99 at 100/10, window 1: < 2 ms", "-", verdict(None)])

    window_rows = [(o, _find(outcomes, o.scenario.name, "ours")) for o in outcomes
                   if o.server == "ours-window" and o.ok and not o.scenario.held]
    for window, headless in window_rows:
        shares = _paired(window, headless, "deliveries_per_s") if headless else []
        if shares:
            rows.append([f"Window open ({window.scenario.name}): >= 90% of headless deliveries/s",
                         _spread(shares, lambda v: f"{v:.1%}"), verdict(statistics.median(shares) >= 0.9)])
    if not window_rows:
        rows.append(["Window open: >= 90% of headless deliveries/s", "-", verdict(None)])

    held = [o for o in outcomes if o.server == "ours" and o.scenario.held and o.ok]
    if held:
        biggest = max(held, key=lambda o: o.scenario.members)
        kibs = _each(biggest, "kib_per_connection")
        rows.append([f"Memory: < 10 KiB per idle connection ({biggest.scenario.members} held)",
                     _spread(kibs, lambda v: f"{v:.1f} KiB"), verdict(statistics.median(kibs) < 10)])
        held_count = min(run.results["members_ready"] for run in biggest.runs)
        rows.append(["5,000 held", f"{held_count:,} held",
                     verdict(held_count >= 5000) if biggest.scenario.members >= 5000 else "not tried"])
    else:
        rows.append(["Memory: < 10 KiB per idle connection; 5,000 held", "-", verdict(None)])
    return table(["Target (issue 8)", "Measured", "Verdict"], rows)


def variants_table(outcomes: Sequence[Outcome]) -> str:
    """Our other variants (store in memory, window open) against headless with the store on."""
    rows = []
    for o in outcomes:
        base = _find(outcomes, o.scenario.name, "ours")
        if o.server in ("ours", PEER) or not o.ok or base is None or o.scenario.held:
            continue
        f, b = o.figures(), base.figures()
        rows.append([o.scenario.name, o.server, _ratio(f.get("deliveries_per_s"), b.get("deliveries_per_s")),
                     _ratio(f.get("cpu_us_per_delivery"), b.get("cpu_us_per_delivery")),
                     _ratio(f.get("ack_p99_ms"), b.get("ack_p99_ms"))])
    if not rows:
        return ""
    return table(["Scenario", "Variant", "Deliveries/s vs ours", "CPU/delivery vs ours", "ACK p99 vs ours"], rows)


def report(outcomes: Sequence[Outcome]) -> str:
    parts = [results_table(outcomes), ratios_table(outcomes), variants_table(outcomes), targets_table(outcomes)]
    return "\n\n".join(part for part in parts if part)
