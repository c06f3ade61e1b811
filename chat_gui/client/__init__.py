"""The client without a window: the client engine, its events, certificate pinning, remembered identities and
the servers announcing themselves on the network.

The public API is ``__all__``: what the client window uses (the engine, and the plain values its signals carry).
"""

from chat_gui.client.discovered import server_key
from chat_gui.client.discovery import ServerBrowser
from chat_gui.client.engine import ChatClient, untrusted_text
from chat_gui.client.events import (
    LOBBY,
    Acked,
    ChatMessage,
    ClientEnd,
    ClientState,
    Conversation,
    ConversationKind,
    Disconnect,
    Ended,
    ErrorReceived,
    Farewell,
    HistoryPageReceived,
    InvitationSent,
    MemberJoined,
    MemberLeft,
    MemberRenamed,
    NoticeReceived,
    ProblemReported,
    ReadUpTo,
    ReconnectScheduled,
    Refusal,
    RefusalKind,
    RoomEntered,
    RoomExited,
    RoomMemberJoined,
    RoomMemberLeft,
    RoomMembersListed,
    RoomRenamed,
    RoomsListed,
    RoomState,
    RoomSummary,
    StateChanged,
    StatusReceived,
    TopicChanged,
    Welcomed,
)
from chat_gui.client.file_events import (
    SharedFile,
    TransferDirection,
    TransferFailed,
    TransferFinished,
    TransferProblem,
    TransferProgress,
)
from chat_gui.client.file_transfers import default_transfers_folder
from chat_gui.client.identities import ClientIdentities
from chat_gui.client.pinning import KnownServers, TrustQuestion
from chat_gui.client.presence import AwayChanged, AwayReplied, TypingChanged, TypingState
from chat_gui.client.search import FoundMessage, SearchFilters, SearchPage, SearchRefusal, search_problem
from chat_server.protocol.discovery import Announcement

__all__ = [
    "LOBBY", "Acked", "Announcement", "AwayChanged", "AwayReplied", "ChatClient", "ChatMessage", "ClientEnd",
    "ClientIdentities", "ClientState", "Conversation", "ConversationKind", "Disconnect", "Ended", "ErrorReceived",
    "Farewell", "FoundMessage", "HistoryPageReceived", "InvitationSent", "KnownServers", "MemberJoined", "MemberLeft",
    "MemberRenamed", "NoticeReceived", "ProblemReported", "ReadUpTo", "ReconnectScheduled", "Refusal", "RefusalKind",
    "RoomEntered", "RoomExited", "RoomMemberJoined", "RoomMemberLeft", "RoomMembersListed", "RoomRenamed",
    "RoomState", "RoomSummary", "RoomsListed", "SearchFilters", "SearchPage", "SearchRefusal", "ServerBrowser",
    "SharedFile", "StateChanged", "StatusReceived", "TopicChanged", "TransferDirection", "TransferFailed",
    "TransferFinished", "TransferProblem", "TransferProgress", "TrustQuestion", "TypingChanged", "TypingState",
    "Welcomed", "default_transfers_folder", "search_problem", "server_key", "untrusted_text",
]
