"""The client without a window: the client engine, its events, certificate pinning and remembered identities.

The public API is ``__all__``: what the client window uses (the engine, and the plain values its signals carry).
"""

from chat_gui.client.engine import ChatClient, untrusted_text
from chat_gui.client.events import (
    Acked,
    ChatMessage,
    ClientEnd,
    ClientState,
    Disconnect,
    Ended,
    ErrorReceived,
    Farewell,
    MemberJoined,
    MemberLeft,
    MemberRenamed,
    NoticeReceived,
    ProblemReported,
    ReconnectScheduled,
    Refusal,
    RefusalKind,
    StateChanged,
    StatusReceived,
    Welcomed,
)
from chat_gui.client.identities import ClientIdentities
from chat_gui.client.pinning import KnownServers, TrustQuestion

__all__ = [
    "Acked", "ChatClient", "ChatMessage", "ClientEnd", "ClientIdentities", "ClientState", "Disconnect", "Ended",
    "ErrorReceived", "Farewell", "KnownServers", "MemberJoined", "MemberLeft", "MemberRenamed", "NoticeReceived",
    "ProblemReported", "ReconnectScheduled", "Refusal", "RefusalKind", "StateChanged", "StatusReceived",
    "TrustQuestion", "Welcomed", "untrusted_text",
]
