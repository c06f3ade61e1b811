"""JSON mode: one UTF-8 JSON object per line, with a ``type`` field naming the message.

Over 400 lines: the codec of every message, its encoding's fast paths and its decoding's field checks, which share
one table of field types, reads in one place (the transfer connection's own lines are in transfer_lines.py).
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from chat_server.protocol import files as f
from chat_server.protocol import messages as m
from chat_server.protocol import search as s
from chat_server.protocol.presence import PRESENCE_REQUESTS, MemberTyping
from chat_server.protocol.presence_checks import presence_fault
from chat_server.protocol.read_markers import MarkRead, mark_read_problem
from chat_server.protocol.scrollback import HistoryEntry, ScrollbackRequest, scrollback_fault


@dataclass(frozen=True, slots=True)
class DecodeError:
    """Input that could not be decoded: reported as a value, never raised."""

    code: str
    text: str
    id: str | None = None  # the chat message refused, when its id could be read


_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode


_RECORDS = (m.SessionInfo, m.RoomListing, m.JoinedRoom, HistoryEntry, s.SearchHit)
"""The records a message's list may hold: each is a JSON object of its fields."""
Record = m.SessionInfo | m.RoomListing | m.JoinedRoom | HistoryEntry | s.SearchHit


def _record_to_json(r: Record) -> dict[str, Any]:
    omitted: frozenset[str] = getattr(r, "OMITTED", frozenset())  # fields left out while None (a hit's room, to)
    return {g.name: f.file_ref_json(value) if isinstance(value, f.FileRef) else value for g in dataclasses.fields(r)
            if (value := getattr(r, g.name)) is not None or g.name not in omitted}


def _add_conversation(obj: dict[str, Any], room: str | None, to: str | None) -> None:
    """The version-2 fields that say where a message was said, present only when set."""
    if room is not None:
        obj["room"] = room
    if to is not None:
        obj["to"] = to


_FIELD_NAMES: dict[type, tuple[tuple[str, ...], bool]] = {}


def _field_names(cls: type[m.Message]) -> tuple[tuple[str, ...], bool]:
    """A message class's field names in order, and whether any field may hold a tuple or a file record (cached per
    class)."""
    known = _FIELD_NAMES.get(cls)
    if known is None:
        fields = dataclasses.fields(cls)
        known = _FIELD_NAMES[cls] = (tuple(g.name for g in fields),
                                     any("tuple" in str(g.type) or "FileRef" in str(g.type) for g in fields))
    return known


def to_json(message: m.Message) -> dict[str, Any]:
    """The JSON object for ``message`` (``type`` first)."""
    # The two lines every chat message costs (its ACK and its relay) are built directly: this runs
    # once per message and once per broadcast, and the general loop below costs several times more.
    cls = type(message)
    if cls is m.Ack:
        ack: m.Ack = message  # type: ignore[assignment]
        obj: dict[str, Any] = {"type": "ack", "id": ack.id, "seq": ack.seq, "time": ack.time}
        if ack.room is not None or ack.to is not None or ack.delivered_later:
            _add_conversation(obj, ack.room, ack.to)
            if ack.delivered_later:
                obj["delivered_later"] = True
        return obj
    if cls is m.Relay:
        relay: m.Relay = message  # type: ignore[assignment]
        obj = {"type": "message", "sender": relay.sender, "text": relay.text, "seq": relay.seq, "time": relay.time}
        if relay.history:
            obj["history"] = True  # only replayed messages say so: live relays stay short
        if relay.room is not None or relay.to is not None:
            _add_conversation(obj, relay.room, relay.to)
        if relay.file is not None:
            obj["file"] = f.file_ref_json(relay.file)  # a share: its file's record
        return obj
    names, has_records = _field_names(cls)
    omitted = cls.OMITTED
    obj = {"type": message.TYPE}
    for name in names:
        value = getattr(message, name)
        if omitted and name in omitted and value in (None, False, ()):
            continue  # a version-2 field at its default: a version-1 line stays as it was
        if has_records:
            if isinstance(value, tuple):
                value = [_record_to_json(v) if isinstance(v, _RECORDS) else v for v in value]
            elif isinstance(value, f.FileRef):
                value = f.file_ref_json(value)
        obj[name] = value
    if cls is m.Hello and message.password is None:  # type: ignore[attr-defined]
        del obj["password"]  # servers without a password never see the field
    return obj


def encode_json(message: m.Message) -> bytes:
    """One JSON line, newline included."""
    return (_dumps(to_json(message)) + "\n").encode("utf-8")


# --- decoding ---------------------------------------------------------------

Check = Callable[[Any], bool]


def _is_str(v: Any) -> bool:
    return isinstance(v, str)


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_float(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _is_bool(v: Any) -> bool:
    return isinstance(v, bool)


def _optional(check: Check) -> Check:
    return lambda v: v is None or check(v)


def _list_of(check: Check) -> Check:
    return lambda v: isinstance(v, list) and all(check(x) for x in v)


def _is_span(v: Any) -> bool:
    return isinstance(v, list) and len(v) == 2 and all(_is_int(x) and 0 <= x <= _INT_MAX for x in v)


def _is_record(record: type[Record]) -> Check:
    return lambda v: isinstance(v, dict) and _check_fields(record, v) is None


def _is_file_ref(v: Any) -> bool:
    """A file record: its fields' types, then their forms (ids, digests, size, type)."""
    return isinstance(v, dict) and _check_fields(f.FileRef, v) is None \
        and f.file_ref_fault(f.file_ref_from_json(v)) is None


# Annotation strings (this module's dataclasses use postponed annotations) to checks.
_CHECKS: dict[str, Check] = {
    "str": _is_str,
    "int": _is_int,
    "float": _is_float,
    "bool": _is_bool,
    "str | None": _optional(_is_str),
    "int | None": _optional(_is_int),
    "float | None": _optional(_is_float),
    "tuple[str, ...]": _list_of(_is_str),
    "tuple[SessionInfo, ...]": _list_of(_is_record(m.SessionInfo)),
    "tuple[RoomListing, ...]": _list_of(_is_record(m.RoomListing)),
    "tuple[JoinedRoom, ...]": _list_of(_is_record(m.JoinedRoom)),
    "tuple[HistoryEntry, ...]": _list_of(_is_record(HistoryEntry)),
    "tuple[SearchHit, ...]": _list_of(_is_record(s.SearchHit)),
    "tuple[tuple[int, int], ...]": _list_of(_is_span),
    "FileRef": _is_file_ref,
    "FileRef | None": _optional(_is_file_ref),
}

# A list of records, by its annotation: the record each of its objects is built into.
_RECORD_LISTS: dict[str, type[Record]] = {
    "tuple[SessionInfo, ...]": m.SessionInfo,
    "tuple[RoomListing, ...]": m.RoomListing,
    "tuple[JoinedRoom, ...]": m.JoinedRoom,
    "tuple[HistoryEntry, ...]": HistoryEntry,
    "tuple[SearchHit, ...]": s.SearchHit,
}

_TYPE_NAMES = {
    "str": "a string", "int": "an integer", "float": "a number", "bool": "true or false",
    "str | None": "a string or null", "int | None": "an integer or null", "float | None": "a number or null",
    "tuple[str, ...]": "a list of strings", "tuple[SessionInfo, ...]": "a list of sessions",
    "tuple[RoomListing, ...]": "a list of rooms", "tuple[JoinedRoom, ...]": "a list of rooms",
    "tuple[HistoryEntry, ...]": "a list of messages",
    "tuple[SearchHit, ...]": "a list of messages found", "tuple[tuple[int, int], ...]": "a list of [start, end] pairs",
    "FileRef": "a file record", "FileRef | None": "a file record or null",
}


# Python's json turns "\\ud800" into a lone surrogate: a str that is not Unicode text and that
# UTF-8 (the wire, the store) cannot encode. Every string field is checked for one here, once.
_SURROGATE = re.compile("[\ud800-\udfff]")


# JSON integers have no bound; the store's (SQLite's) are 64-bit: a number beyond them is refused here.
_INT_MIN, _INT_MAX = -(2**63), 2**63 - 1


def not_scalar_text(value: str) -> str | None:
    """A description of the first code point of ``value`` that is not a Unicode scalar value, or None."""
    found = _SURROGATE.search(value)
    return None if found is None else f"U+{ord(found.group()):04X}"


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
"""How a lone surrogate gets into a decoded JSON string: a ``\\uD800``-``\\uDFFF`` escape (a false alarm such
as an escaped backslash before ``ud8`` only costs the full scan)."""


def _first_surrogate(value: Any) -> str | None:
    if isinstance(value, str):
        return not_scalar_text(value)
    if isinstance(value, list):
        for item in value:
            found = _first_surrogate(item)
            if found is not None:
                return found
    return None


@dataclasses.dataclass(frozen=True, slots=True)
class _FieldSpec:
    """One field of a message class as the decoder checks it: worked out once per class, not per line."""

    name: str
    required: bool
    annotation: str
    check: Check
    record: type[Record] | None  # a list of records: what each of its objects is built into


_SPECS: dict[type, tuple[_FieldSpec, ...]] = {}


def _specs(cls: type) -> tuple[_FieldSpec, ...]:
    specs = _SPECS.get(cls)
    if specs is None:
        specs = _SPECS[cls] = tuple(
            _FieldSpec(g.name, g.default is dataclasses.MISSING and g.default_factory is dataclasses.MISSING,
                       str(g.type), _CHECKS[str(g.type)], _RECORD_LISTS.get(str(g.type)))
            for g in dataclasses.fields(cls))
    return specs


def _field_problem(cls: type, obj: dict[str, Any],
                   may_hold_surrogates: bool = True) -> tuple[str, str, bool] | None:
    """The first field of ``obj`` that ``cls`` cannot take, why, and whether it is only its text that is wrong.

    ``may_hold_surrogates`` False: the line had no ``\\u`` escape of a surrogate, so no string can hold one
    (valid UTF-8 never encodes them) and the scan for them is skipped.
    """
    for spec in _specs(cls):
        name = spec.name
        if name not in obj:
            if spec.required:
                return name, f"missing field '{name}'", False
            continue
        value = obj[name]
        if not spec.check(value):
            return name, f"field '{name}' must be {_TYPE_NAMES[spec.annotation]}", False
        if _is_int(value) and not _INT_MIN <= value <= _INT_MAX:
            return name, f"field '{name}' is out of range", False
        surrogate = _first_surrogate(value) if may_hold_surrogates else None
        if surrogate is not None:
            text = f"field '{name}' is not valid Unicode text (it holds the lone surrogate {surrogate})"
            return name, text, True
    return None


def _check_fields(cls: type, obj: dict[str, Any]) -> str | None:
    problem = _field_problem(cls, obj)
    return None if problem is None else problem[1]


def _build(cls: type[m.Message], obj: dict[str, Any]) -> m.Message:
    kwargs: dict[str, Any] = {}
    for spec in _specs(cls):
        name = spec.name
        if name not in obj:
            continue
        value = obj[name]
        record = spec.record
        if record is not None:
            fields = dataclasses.fields(record)
            value = tuple(record(**{g.name: _record_value(r[g.name]) for g in fields if g.name in r}) for r in value)
        elif isinstance(value, list):
            value = tuple(value)
        elif isinstance(value, dict):  # the one object a message's field holds: a file record
            value = f.file_ref_from_json(value)
        elif spec.annotation in ("float", "float | None") and isinstance(value, int):
            value = float(value)
        kwargs[name] = value
    return cls(**kwargs)


def _tuples(value: Any) -> Any:
    """A record's field as the dataclass holds it: lists (of lists) as tuples."""
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value


def _record_value(value: Any) -> Any:
    """A record's field as the dataclass holds it: lists as tuples, a file record (a history entry's) as one."""
    return f.file_ref_from_json(value) if isinstance(value, dict) else _tuples(value)


class JsonCodec:
    """Decodes JSON lines into the message types one side accepts."""

    def __init__(self, accepted: Iterable[type[m.Message]]) -> None:
        self._types = {cls.TYPE: cls for cls in accepted}

    def decode(self, line: bytes) -> m.Message | DecodeError:
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            return DecodeError(m.ERR_INVALID_UTF8, f"invalid UTF-8 at byte {exc.start}")
        try:
            obj = json.loads(text)
        except ValueError as exc:
            return DecodeError(m.ERR_BAD_MESSAGE, f"not JSON: {exc}")
        except RecursionError:
            return DecodeError(m.ERR_BAD_MESSAGE, "not JSON: nested too deeply")
        if not isinstance(obj, dict):
            return DecodeError(m.ERR_BAD_MESSAGE, "a message must be a JSON object")
        kind = obj.get("type")
        cls = self._types.get(kind) if isinstance(kind, str) else None
        if cls is None:
            known = ", ".join(sorted(self._types))
            return DecodeError(m.ERR_BAD_MESSAGE, f"unknown message type {kind!r} (expected one of: {known})")
        problem = _field_problem(cls, obj, may_hold_surrogates=_SURROGATE_ESCAPE.search(text) is not None)
        if problem is not None:
            field_name, text, text_only = problem
            if cls is m.Chat and field_name == "text" and text_only:
                # The id is fine: the client learns which of its messages was refused.
                return DecodeError(m.ERR_MESSAGE_INVALID, f"Not sent: chat: {text}.", id=obj["id"])
            if cls in f.FILE_REQUESTS:
                return _file_request_refused(cls, obj, f"{kind}: {text}")
            return DecodeError(m.ERR_BAD_MESSAGE, f"{kind}: {text}")
        message = _build(cls, obj)
        # A share: its file id in form (whose file it is, is the server's check).
        if "file" in obj and cls is m.Chat and obj["file"] is not None:
            fault = f.file_id_fault(obj["file"])
            if fault is not None:
                return DecodeError(f.ERR_NO_SUCH_FILE, f"Not sent: chat: {fault}.", id=obj["id"])
        if cls in _FILE_MESSAGES:
            refused = f.file_fault(message)
            if refused is not None:
                return _file_request_refused(cls, obj, refused[1], refused[0])
            if cls is not f.UploadRequest:
                return message
        if cls is m.Hello and message.instance is not None:  # type: ignore[attr-defined]
            fault = m.instance_problem(message.instance)  # type: ignore[attr-defined]
            if fault is not None:
                return DecodeError(m.ERR_BAD_MESSAGE, fault)
        if cls is ScrollbackRequest:
            fault = scrollback_fault(message)  # type: ignore[arg-type]
            if fault is not None:
                return DecodeError(m.ERR_BAD_MESSAGE, fault, id=getattr(message, "id", None))
        if cls is s.SearchRequest:
            refused = s.search_fault(message)  # type: ignore[arg-type]
            return message if refused is None else DecodeError(*refused, id=getattr(message, "id", None))
        if cls in _ROOM_FIELDS and (cls is not m.Chat or "room" in obj or "to" in obj):
            return room_fields_problem(message) or message
        if cls in _PRESENCE_FIELDS:
            presence = presence_fault(message)
            return message if presence is None else DecodeError(*presence)
        return message


_ROOM_FIELDS = frozenset({m.Chat, *m.ROOM_REQUESTS, m.SwitchRoom, m.TopicRequest, f.UploadRequest})
"""Client messages with version-2 fields checked beyond their types: room names, member names, topics."""


_PRESENCE_FIELDS = frozenset({*PRESENCE_REQUESTS, MemberTyping})
"""Typing and away: their states, conversations and messages checked beyond their types (presence_checks.py); a
client checks the state of the typing notices it is sent."""


_FILE_MESSAGES = frozenset({*f.FILE_REQUESTS, *f.FILE_REPLIES, f.TransferOpen, *f.TRANSFER_REPLIES})
"""Files' messages, their fields checked beyond their types (files.py); an upload's room or member name then as a
chat's."""


def _file_request_refused(cls: type, obj: dict[str, Any], text: str, code: str | None = None) -> DecodeError:
    """A file request's refusal, with its id when the id itself is fine (so the client learns which one it was)."""
    request_id = obj.get("id")
    if not isinstance(request_id, str) or f.request_id_fault(request_id) is not None \
            or not_scalar_text(request_id) is not None:
        request_id = None
    if code is None:
        code = f.ERR_BAD_UPLOAD if cls is f.UploadRequest else m.ERR_BAD_MESSAGE
    return DecodeError(code, text, id=request_id)


def room_fields_problem(message: m.Message) -> DecodeError | None:
    """What is wrong with the room, member name or topic ``message`` holds (both framings), or None.

    A chat (and a ``mark_read``, a ``scrollback``) keeps its id in the error, so the client learns which of its
    messages was refused.
    """
    chat_id = message.id if isinstance(message, (m.Chat, MarkRead, ScrollbackRequest, f.UploadRequest)) else None
    if isinstance(message, MarkRead) and (problem := mark_read_problem(message)) is not None:
        return DecodeError(m.ERR_BAD_MESSAGE, problem, id=chat_id)
    room = getattr(message, "room", None)
    if room is not None:
        problem = m.room_problem(room)
        if problem is not None:
            return DecodeError(m.ERR_ROOM_INVALID, f"Not done: {problem}.", id=chat_id)
    name = message.to if isinstance(message, (m.Chat, MarkRead, ScrollbackRequest, f.UploadRequest)) \
        else getattr(message, "name", None)
    if name is not None:
        if isinstance(message, m.Chat) and room is not None:
            return DecodeError(m.ERR_BAD_MESSAGE, "chat: a message goes to a room or to a member, not both",
                               id=chat_id)
        if m.name_problem(m.normalize_name(name)) is not None:
            return DecodeError(m.ERR_UNKNOWN_MEMBER, f"Not done: no member can be called {name[:40]!r}.", id=chat_id)
    if isinstance(message, m.SetTopic):
        if len(message.topic) > m.MAX_TOPIC_LENGTH:
            return DecodeError(m.ERR_TOPIC_TOO_LONG, f"Not done: a topic is at most {m.MAX_TOPIC_LENGTH} characters.")
        problem = m.text_problem(message.topic) if message.topic.strip() else None
        if problem is not None:
            return DecodeError(m.ERR_MESSAGE_INVALID, f"Not done: {problem.replace('message', 'topic')}.")
    return None

