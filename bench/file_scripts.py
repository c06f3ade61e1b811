"""Files as a user sends and fetches them (issue 22): ``main.py send --file`` and ``main.py download`` timed whole
(starting Python, hashing and verifying included), with the scripts' memory, and scp of the same file beside.

    .venv/bin/python -m bench.file_scripts                       # 1 GiB, 3 rounds, our server only
    .venv/bin/python -m bench.file_scripts --size-mb 64 --repeat 1   # a quick look
    .venv/bin/python -m bench.file_scripts --scp-port 2222 --scp-key KEY   # scp of the same file beside (your sshd)

``python -m bench.file_transfers measure`` times the transfer connections alone (the protocol's speed); this one
what a member waits for. Each round starts a fresh headless server (a SQLite file in a temporary folder), sends the
file with ``main.py send --file`` (hashing it first is part of the time), then fetches it with ``main.py download``
(verifying it is part of the time), and checks the fetched bytes' SHA-256. Meanwhile a JSON member sends a chat
message every 50 ms and times each ACK: what a transfer does to the chat. The server's and the script's resident
memory is sampled every 20 ms; "grew" is the peak during the transfer minus the process's memory before it (the
server: before the round's first byte; a script: the peak of the same script sending a 1 KiB file).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.procstat import rss_kib
from bench.search_store import percentile
from bench.servers import HOST, PROJECT, SERVERS, RunningServer

CHAT_EVERY_S = 0.05
SAMPLE_EVERY_S = 0.02
CHUNK = 1 << 20
SCRIPT_TIMEOUT_S = 600.0
SERVER_ARGS = ["--max-file-mb", "4096", "--file-quota-mb", "1000000", "--max-files-gb", "100"]


@dataclass
class Transfer:
    """One script's run: its wall time, and the peak memory of it and of the server over it."""

    seconds: float
    script_peak_kib: int
    server_peak_kib: int
    output: str


@dataclass
class ChatProbe:
    """A member saying something every 50 ms and timing each ACK (ms)."""

    port: int
    rtts_ms: list[float] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> None:
        sock = socket.create_connection((HOST, self.port), timeout=10)
        sock.sendall(json.dumps({"type": "hello", "version": 2, "name": "probe",
                                 "client_id": f"probe-{os.getpid()}"}).encode() + b"\n")
        self._file = sock.makefile("rb")
        self._sock = sock
        while True:
            line = self._file.readline()
            if not line:
                raise SystemExit("the chat probe was not welcomed")
            if line.startswith(b"{") and json.loads(line).get("type") == "welcome":
                break
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        n = 0
        while not self._stop.is_set():
            n += 1
            sent = time.perf_counter()
            self._sock.sendall(json.dumps({"type": "chat", "id": str(n), "text": f"probe {n}"}).encode() + b"\n")
            while True:
                reply = json.loads(self._file.readline())
                if reply.get("type") == "ack" and reply.get("id") == str(n):
                    self.rtts_ms.append((time.perf_counter() - sent) * 1000)
                    break
            self._stop.wait(CHAT_EVERY_S)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(10)
        self._sock.close()


def _script(args: list[str], server: RunningServer) -> Transfer:
    command = [sys.executable, str(PROJECT / "main.py"), *args]
    os.sync()  # what earlier phases wrote goes to the disk first: each phase starts from a clean page cache
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               stdin=subprocess.DEVNULL)
    script_peak = server_peak = 0
    while process.poll() is None:
        with contextlib.suppress(OSError, ValueError):  # the script has just ended
            script_peak = max(script_peak, rss_kib(process.pid))
        server_peak = max(server_peak, rss_kib(server.pid))
        time.sleep(SAMPLE_EVERY_S)
        if time.perf_counter() - started > SCRIPT_TIMEOUT_S:
            process.kill()
    out, err = process.communicate()
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(args[:1])} failed ({process.returncode}): {err.decode(errors='replace')}")
    return Transfer(seconds, script_peak, server_peak, out.decode().strip())


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _make_file(path: Path, size_mb: int) -> None:
    with path.open("wb") as f:
        for _ in range(size_mb):
            f.write(os.urandom(CHUNK))


def _round(tmp: Path, big: Path, small: Path) -> dict[str, float]:
    server = SERVERS["ours"].start(tmp, SERVER_ARGS)
    try:
        where = ["--host", HOST, "--port", str(server.port)]
        baseline_send = _script(["send", *where, "--name", "small", "--file", str(small)], server)
        file_id = baseline_send.output.split()[-1]
        baseline_get = _script(["download", *where, file_id, "-o", str(tmp / "small.out")], server)
        probe = ChatProbe(server.port)
        probe.start()
        server_before = rss_kib(server.pid)
        up = _script(["send", *where, "--name", "bench", "--file", str(big)], server)
        file_id = up.output.split()[-1]
        out = tmp / "big.out"
        down = _script(["download", *where, file_id, "-o", str(out)], server)
        probe.stop()
        if _sha256(out) != _sha256(big):
            raise SystemExit("the fetched file differs from the one sent")
        size_mb = big.stat().st_size / 1e6
        rtts = sorted(probe.rtts_ms)
        result = {
            "up_mb_s": size_mb / up.seconds, "down_mb_s": size_mb / down.seconds,
            "up_s": up.seconds, "down_s": down.seconds,
            "server_grew_mb": (max(up.server_peak_kib, down.server_peak_kib) - server_before) / 1024,
            "send_grew_mb": (up.script_peak_kib - baseline_send.script_peak_kib) / 1024,
            "download_grew_mb": (down.script_peak_kib - baseline_get.script_peak_kib) / 1024,
            "acks": len(rtts), "ack_p50_ms": percentile(rtts, 0.5) if rtts else float("nan"),
            "ack_p99_ms": percentile(rtts, 0.99) if rtts else float("nan"),
            "ack_max_ms": rtts[-1] if rtts else float("nan"),
        }
        out.unlink()
        return result
    finally:
        server.stop()


def _scp_round(big: Path, port: int, key: str) -> dict[str, float]:
    base = ["scp", "-q", "-P", str(port), "-i", key, "-o", "StrictHostKeyChecking=no",
            "-o", "UserKnownHostsFile=/dev/null"]
    remote = f"{HOST}:{big.parent / 'scp-remote.bin'}"
    back = big.parent / "scp-back.bin"
    os.sync()
    started = time.perf_counter()
    subprocess.run([*base, str(big), remote], check=True, timeout=SCRIPT_TIMEOUT_S)
    up = time.perf_counter() - started
    os.sync()
    started = time.perf_counter()
    subprocess.run([*base, remote, str(back)], check=True, timeout=SCRIPT_TIMEOUT_S)
    down = time.perf_counter() - started
    size_mb = big.stat().st_size / 1e6
    (big.parent / "scp-remote.bin").unlink()
    back.unlink()
    return {"up_mb_s": size_mb / up, "down_mb_s": size_mb / down}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.file_scripts", description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=int, default=1024, help="the file's size in MiB (default 1024)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds (default 3); each figure is their median")
    parser.add_argument("--scp-port", type=int, help="also time scp to an sshd on this loopback port")
    parser.add_argument("--scp-key", help="the private key scp logs in with")
    parser.add_argument("--json", help="write every round's figures to this file")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-files-") as folder:
        tmp = Path(folder)
        big, small = tmp / "big.bin", tmp / "small.bin"
        _make_file(big, args.size_mb)
        small.write_bytes(os.urandom(1024))
        rounds: list[dict[str, float]] = []
        scp: list[dict[str, float]] = []
        for n in range(args.repeat):
            (tmp / f"round{n}").mkdir()
            rounds.append(_round(tmp / f"round{n}", big, small))
            print(f"round {n + 1}: " + ", ".join(f"{k} {v:.1f}" for k, v in rounds[-1].items()), flush=True)
            if args.scp_port:
                scp.append(_scp_round(big, args.scp_port, args.scp_key or ""))
                print(f"scp {n + 1}: " + ", ".join(f"{k} {v:.1f}" for k, v in scp[-1].items()), flush=True)
        print(f"median of {args.repeat} ({args.size_mb} MiB):")
        for key in rounds[0]:
            print(f"  ours {key}: {statistics.median(r[key] for r in rounds):.1f}")
        for key in scp[0] if scp else ():
            print(f"  scp {key}: {statistics.median(r[key] for r in scp):.1f}")
        if args.json:
            Path(args.json).write_text(json.dumps({"ours": rounds, "scp": scp}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
