"""Trust on first use for TLS servers: the certificate fingerprints seen before, like SSH's known_hosts; whether
a certificate is trusted, and why not in plain words."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths

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


def trusted(question: TrustQuestion, trust: Callable[[TrustQuestion], bool] | None) -> bool:
    """Whether the certificate is trusted: the one remembered, or as ``trust`` decides (None: trust on first
    use; a change is never accepted silently)."""
    if question.known == question.fingerprint:
        return True
    if trust is not None:
        return trust(question)
    return question.known is None


def untrusted_text(question: TrustQuestion) -> str:
    """The plain explanation of a refused certificate."""
    address = KnownServers.key(question.host, question.port)
    if not question.changed:
        return QCoreApplication.translate(
            "ChatClient", "Not connected: the certificate of {address} was not accepted (SHA-256 {fingerprint}).",
        ).format(address=address, fingerprint=question.fingerprint)
    return QCoreApplication.translate(
        "ChatClient", "Not connected: {address} presented a DIFFERENT certificate than before. Someone may be "
                      "pretending to be the server, or its certificate was replaced. Expected SHA-256 {known}, "
                      "got {fingerprint}. If the server's owner confirms the new fingerprint, accept it on purpose "
                      "and connect again.",
    ).format(address=address, known=question.known, fingerprint=question.fingerprint)
