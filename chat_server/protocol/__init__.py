"""The chat wire protocol, sans-I/O: messages, both framings, incremental decoders.

JSON mode and text mode share one set of message dataclasses; ``encode`` turns a
message into bytes for a framing and the decoders turn bytes back into messages or
``DecodeError`` values. See docs/protocol.md for the specification.
"""

from chat_server.protocol.addresses import host_port, is_all_interfaces, is_localhost, unmapped_host
from chat_server.protocol.decoder import (
    CLIENT_MAX_LINE_BYTES,
    ClientDecoder,
    Event,
    Framing,
    LineSplitter,
    ServerDecoder,
    encode,
)
from chat_server.protocol.discovery import (
    MAX_SERVER_NAME_LENGTH,
    SERVICE_TYPE,
    Announcement,
    announcement_from,
    server_name_fault,
    server_name_problem,
    txt_properties,
)
from chat_server.protocol.file_names import safe_file_name
from chat_server.protocol.file_types import SNIFF_BYTES, is_executable_name, is_executable_type, sniff_type
from chat_server.protocol.files import *  # noqa: F403  (files: the record, requests, replies, transfer lines)
from chat_server.protocol.files import __all__ as _file_names
from chat_server.protocol.jsonlines import DecodeError, encode_json, to_json
from chat_server.protocol.mentions import MENTION_MARK, MENTION_SIGN, mentions
from chat_server.protocol.messages import *  # noqa: F403  (the message vocabulary)
from chat_server.protocol.messages import __all__ as _message_names
from chat_server.protocol.presence import *  # noqa: F403  (typing and away)
from chat_server.protocol.presence import __all__ as _presence_names
from chat_server.protocol.read_markers import ERR_UNKNOWN_SEQ, MarkRead, ReadMarker
from chat_server.protocol.scrollback import *  # noqa: F403  (scrollback: history pages)
from chat_server.protocol.scrollback import __all__ as _scrollback_names
from chat_server.protocol.search import *  # noqa: F403  (search's requests and replies)
from chat_server.protocol.search import __all__ as _search_names
from chat_server.protocol.textmode import (
    CURRENT_ROOM,
    EXIT_WORDS,
    HISTORY_COUNT,
    clock,
    encode_text,
    full_line,
    greeting_line,
    help_text,
    history_page_lines,
    logins_busy_line,
    no_history_line,
    not_tls_line,
    online_phrase,
    parse_refusal,
    parse_text_line,
    password_prompt_line,
    refusal_line,
    render_text,
    status_table,
)
from chat_server.protocol.transfer_lines import MAX_TRANSFER_LINE_BYTES, decode_transfer_open, decode_transfer_reply
from chat_server.protocol.wording import (
    Tone,
    left_line_verb,
    left_window_phrase,
    state_label,
    state_tone,
    state_value,
)

__all__ = [
    "CLIENT_MAX_LINE_BYTES", "CURRENT_ROOM", "EXIT_WORDS", "HISTORY_COUNT", "MAX_SERVER_NAME_LENGTH", "SERVICE_TYPE",
    "Announcement",
    "ClientDecoder", "DecodeError", "Event", "Framing", "announcement_from", "server_name_fault",
    "server_name_problem", "txt_properties",
    "LineSplitter", "ServerDecoder", "Tone", "clock", "encode", "encode_json", "encode_text", "full_line",
    "greeting_line", "help_text", "history_page_lines", "host_port", "is_all_interfaces", "is_localhost",
    "left_line_verb",
    "left_window_phrase", "logins_busy_line", "no_history_line", "not_tls_line", "online_phrase", "parse_refusal",
    "parse_text_line", "password_prompt_line", "refusal_line", "render_text", "state_label", "state_tone",
    "state_value", "status_table", "to_json", "unmapped_host",
    "ERR_UNKNOWN_SEQ", "MENTION_MARK", "MENTION_SIGN", "MarkRead", "ReadMarker", "mentions",
    "MAX_TRANSFER_LINE_BYTES", "SNIFF_BYTES", "decode_transfer_open", "decode_transfer_reply", "is_executable_name",
    "is_executable_type",
    "safe_file_name", "sniff_type", *_file_names,
    *_message_names, *_presence_names,
    *_scrollback_names,
    *_search_names,
]
