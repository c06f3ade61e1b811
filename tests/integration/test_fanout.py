"""The fan-out under bursts: many messages from several senders in one event-loop pass, in both framings."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from chat_server import protocol as p
from chat_server.core.engine import ChatServer
from tests.conftest import RawClient

MakeServer = Callable[..., ChatServer]
MakeRaw = Callable[[ChatServer], RawClient]
BURST = 25


def _json_member(make_raw: MakeRaw, server: ChatServer, name: str) -> RawClient:
    raw = make_raw(server)
    raw.send(p.encode(p.Hello(name=name, client_id=f"id-{name}")))
    raw.wait_line(lambda line: line.startswith(f'{{"type":"joined","name":"{name}"'))
    return raw


def _objects(raw: RawClient) -> list[dict[str, Any]]:
    return [json.loads(line) for line in raw.lines if line.startswith("{")]


def test_bursts_from_two_senders_reach_everyone_once_in_sequence_order(make_server: MakeServer,
                                                                      make_raw: MakeRaw) -> None:
    server = make_server(max_clients=0)
    alice = _json_member(make_raw, server, "alice")
    bob = _json_member(make_raw, server, "bob")
    carol = _json_member(make_raw, server, "carol")
    text = make_raw(server)
    text.send("status\n")  # its first line makes it a text-mode member at once
    text.wait_line(lambda line: line.startswith("Status: 4 online"))

    # Each burst is one write, so the server reads it in one go and commits it as one batch.
    alice.send(b"".join(p.encode(p.Chat(id=f"a{i}", text=f"from alice {i}")) for i in range(BURST)))
    bob.send(b"".join(p.encode(p.Chat(id=f"b{i}", text=f"from bob {i}")) for i in range(BURST)))
    carol.wait_line(lambda line: f'"text":"from alice {BURST - 1}"' in line)
    carol.wait_line(lambda line: f'"text":"from bob {BURST - 1}"' in line)

    relays = [obj for obj in _objects(carol) if obj["type"] == "message"]
    seqs = [obj["seq"] for obj in relays]
    assert seqs == sorted(seqs) and len(set(seqs)) == 2 * BURST
    assert sorted(str(obj["text"]) for obj in relays) == sorted(
        [f"from alice {i}" for i in range(BURST)] + [f"from bob {i}" for i in range(BURST)])
    by_seq = {obj["seq"]: f'{obj["sender"]}: {obj["text"]}' for obj in relays}

    # A sender gets its ACKs where its own relays would be: one stream, every seq once, in order.
    for raw, name, prefix in ((alice, "alice", "a"), (bob, "bob", "b")):
        last_ack = f'"id":"{prefix}{BURST - 1}"'
        raw.wait_line(lambda line: last_ack in line)  # noqa: B023 (used at once, inside this iteration)
        stream = [obj for obj in _objects(raw) if obj["type"] in ("ack", "message")]
        assert [obj["seq"] for obj in stream] == sorted(by_seq)
        acks = [obj for obj in stream if obj["type"] == "ack"]
        assert [obj["id"] for obj in acks] == [f"{prefix}{i}" for i in range(BURST)]
        assert all(obj["sender"] != name for obj in stream if obj["type"] == "message")

    # The text member reads the same messages, in the same order, as plain lines.
    last = by_seq[max(by_seq)]
    text.wait_line(last)
    chat_lines = [line for line in text.lines if line.startswith(("alice: ", "bob: "))]
    assert chat_lines == [by_seq[seq] for seq in sorted(by_seq)]


ROOM = 40  # enough members for the server to gather a batch, or keep its relays back, for the other senders
SENDERS = 4
EACH = 15


def test_in_a_big_room_several_senders_in_step_reach_everyone_once_in_order(make_server: MakeServer,
                                                                             make_raw: MakeRaw, qtbot) -> None:
    # Each sender sends its next message once its last one is acknowledged, like the benchmark's
    # senders, but the even and the odd ones in turns: the server sees part of the senders at a
    # time, and may hold a commit, or keep its relays back, for the others.
    server = make_server(max_clients=0, rate_per_s=0)
    members = [_json_member(make_raw, server, f"m{i:02d}") for i in range(ROOM)]
    senders = members[:SENDERS]
    sent = [0] * SENDERS
    turn = [0]

    def send_next(i: int) -> None:
        senders[i].send(p.encode(p.Chat(id=f"{i}.{sent[i]}", text=f"{i} says {sent[i]}")))
        sent[i] += 1

    def step() -> None:
        turn[0] += 1
        for i, raw in enumerate(senders):
            acked = sum(1 for line in raw.lines if line.startswith('{"type":"ack"'))
            if acked == sent[i] and sent[i] < EACH and i % 2 == turn[0] % 2:
                send_next(i)
        assert all(count == EACH for count in sent)
        for raw in members:
            assert sum(1 for line in raw.lines if line.startswith(('{"type":"ack"', '{"type":"message"'))) \
                == SENDERS * EACH

    qtbot.waitUntil(step, timeout=20_000)
    expected = sorted(f"{i} says {n}" for i in range(SENDERS) for n in range(EACH))
    for index, raw in enumerate(members):
        stream = [obj for obj in _objects(raw) if obj["type"] in ("ack", "message")]
        seqs = [obj["seq"] for obj in stream]
        assert seqs == sorted(seqs) and len(set(seqs)) == SENDERS * EACH, f"member {index}"
        texts = [obj["text"] if obj["type"] == "message" else "{} says {}".format(*obj["id"].split("."))
                 for obj in stream]
        assert sorted(texts) == expected, f"member {index}"
