"""The one-time tokens of file transfers (issue 22): given with an ``upload_ready`` or a ``download_ready``, taken by
the first transfer line that presents them (chat_server/core/transfer_door.py), gone ``TOKEN_LIFETIME_S`` after they
were given; at most ``MAX_TOKENS_PER_KEY`` a member key and ``MAX_TOKENS`` in all, so that a flood of requests grows
no memory and one member's requests never push the others' tokens out."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field

from chat_server.protocol import files as f
from chat_server.store import FileRecord

TOKEN_LIFETIME_S = 5 * 60
"""A transfer token may be presented this long after it was given (once)."""
MAX_TOKENS = 10_000
"""Tokens given and not yet used or expired, on the whole server (a flood of requests cannot grow memory)."""
MAX_TOKENS_PER_KEY = 64
"""Tokens one member key holds at once: past it its own oldest goes, so that a member asking again and again never
pushes the others' tokens out of ``MAX_TOKENS``."""


@dataclass(frozen=True, slots=True)
class Upload:
    """An upload a token was given for (``FileRequests``' record of the request, the transfer's ticket)."""

    key: str  # the member key (the quota's and the partial file's)
    name: str  # made safe
    size: int
    sha256: str
    conversation: str
    sender: str


def _expiry() -> float:
    return time.monotonic() + TOKEN_LIFETIME_S


@dataclass(frozen=True, slots=True)
class Token:
    """What a token stands for: an upload, a download, or (neither) an upload stored already, nothing to send."""

    upload: Upload | None = None
    download: FileRecord | None = None
    key: str = ""
    host: str = ""  # the address of the connection it was given to (its transfer is let in at a full door)
    expires: float = field(default_factory=_expiry)  # monotonic


class TokenBook:
    """The live tokens, in the order they were given (so that they expire oldest first)."""

    def __init__(self) -> None:
        self._tokens: dict[str, Token] = {}

    def give(self, token: Token) -> str:
        """A new token's value for ``token``."""
        self._forget_expired()
        tokens = self._tokens
        if len(tokens) >= MAX_TOKENS_PER_KEY:
            own = [value for value, given in tokens.items() if given.key == token.key]
            if len(own) >= MAX_TOKENS_PER_KEY:
                del tokens[own[0]]  # this member's oldest: it cannot take the others' places
        if len(tokens) >= MAX_TOKENS:
            tokens.pop(next(iter(tokens)))
        value = secrets.token_hex(f.TOKEN_HEX // 2)
        tokens[value] = token
        return value

    def take(self, value: str) -> Token | None:
        """What the live token ``value`` stands for, used up; None if it is unknown, used or expired."""
        self._forget_expired()
        return self._tokens.pop(value, None)

    def key_of(self, value: str) -> str | None:
        """The member key the live token ``value`` was given to, or None."""
        found = self._tokens.get(value)
        return found.key if found is not None and found.expires > time.monotonic() else None

    def held_by(self, host: str) -> int:
        """How many live tokens were given to connections from ``host``."""
        self._forget_expired()
        return sum(1 for token in self._tokens.values() if token.host == host)

    def uploads_of(self, key: str) -> list[Upload]:
        """The uploads member ``key`` holds live tokens for."""
        return [token.upload for token in self._tokens.values() if token.upload is not None and token.key == key]

    def _forget_expired(self) -> None:
        """Tokens expire in the order they were given: the oldest first, until a live one."""
        now, tokens = time.monotonic(), self._tokens
        while tokens and (oldest := next(iter(tokens))) and tokens[oldest].expires <= now:
            del tokens[oldest]
