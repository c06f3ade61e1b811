"""``main.py discover``: the servers announced on the network, one a line or as JSON, for people and scripts."""

from __future__ import annotations

import dataclasses
import json
import logging

from chat_server.net.server_search import find_servers
from chat_server.protocol import Announcement, host_port

log = logging.getLogger("chat_server")

FOUND = 0
NONE_FOUND = 1


def server_line(a: Announcement) -> str:
    """One server as ``discover`` prints it: name, address:port, TLS, password, members online / limit."""
    tls = f"TLS {a.fingerprint}" if a.tls else "no TLS"
    password = "password" if a.password else "no password"
    online = f"{a.online}/{a.limit} online" if a.limit else f"{a.online} online (no limit)"
    return "  ".join((a.name, host_port(a.host, a.port), tls, password, online))


def run_discover(timeout_s: float, as_json: bool, interfaces: list[str] | None = None) -> int:
    """Browse for ``timeout_s`` seconds and print what was found; 0 if a server was, 1 if none."""
    result = find_servers(timeout_s, interfaces)
    if result.error:
        log.warning("cannot look for servers: %s; connect with the server's address and port instead", result.error)
    for reason in result.ignored:
        log.info("ignored an announcement: %s", reason)
    if as_json:
        print(json.dumps([dataclasses.asdict(a) for a in result.servers], ensure_ascii=False, indent=2), flush=True)
    else:
        for server in result.servers:
            print(server_line(server), flush=True)
        if not result.servers:
            log.info("no server found within %g s", timeout_s)
    return FOUND if result.servers else NONE_FOUND
