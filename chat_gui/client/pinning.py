"""Trust on first use for TLS servers: the certificate fingerprints seen before, like SSH's known_hosts."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QStandardPaths

from chat_server.protocol import host_port

log = logging.getLogger(__name__)


def default_known_servers_path() -> Path:
    """known_servers.json in the per-user configuration folder."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppConfigLocation)
    return Path(folder or Path.home() / ".lanchat") / "known_servers.json"


@dataclass(frozen=True, slots=True)
class TrustQuestion:
    """What to decide when a TLS server shows a certificate: ``known`` is None on first contact."""

    host: str
    port: int
    fingerprint: str
    known: str | None

    @property
    def changed(self) -> bool:
        return self.known is not None and self.known != self.fingerprint


class KnownServers:
    """SHA-256 fingerprints by ``host:port``, kept in a small JSON file."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_known_servers_path()

    @staticmethod
    def key(host: str, port: int) -> str:
        return host_port(host, port)

    def _load(self) -> dict[str, str]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            log.warning("cannot read %s (%s): every server will be new", self.path, exc)
            return {}
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}

    def get(self, host: str, port: int) -> str | None:
        return self._load().get(self.key(host, port))

    def remember(self, host: str, port: int, fingerprint: str) -> None:
        known = self._load()
        known[self.key(host, port)] = fingerprint
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_suffix(".tmp")
        partial.write_text(json.dumps(known, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(partial, self.path)  # never a half-written file
