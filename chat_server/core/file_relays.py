"""A share's relay as each member reads it: with its file's record (version 2 and text mode, whose line the record
makes: chat_server/protocol/file_words.py), or, for a version-1 JSON client that cannot fetch files, as words."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from chat_server import protocol as p
from chat_server.net.connection import ClientConnection
from chat_server.protocol.file_words import share_words
from chat_server.protocol.files import FileRef
from chat_server.store import StoredMessage

FileRefOf = Callable[[str], FileRef | None]
"""A file id's record as the wire shows it (``FileRequests.ref``), or None if there is none."""
ShareRelay = Callable[[StoredMessage, p.Relay], p.Relay]
"""A share's relay (given as if it were a chat) made what one member is sent of it."""


def reads_words(conn: ClientConnection) -> bool:
    """A version-1 JSON client: it is sent a share as the text-mode words (it cannot download)."""
    return conn.output_framing is p.Framing.JSON and conn.member.version < p.ROOMS_VERSION


def share_relay(relay: p.Relay, ref: FileRef | None, words: bool) -> p.Relay:
    """``relay`` of a share as a member reads it: with ``ref``, or (``words``) as the text line; as it is if there
    is no record."""
    if ref is None:
        return relay
    if words:
        return dataclasses.replace(relay, text=share_words(relay.sender, ref, relay.text))
    return dataclasses.replace(relay, file=ref)


def shares_for(conn: ClientConnection, file_ref: FileRefOf) -> ShareRelay:
    """How ``conn`` is sent the shares among replayed messages."""
    words = reads_words(conn)
    return lambda stored, relay: share_relay(relay, file_ref(stored.file) if stored.file else None, words)
