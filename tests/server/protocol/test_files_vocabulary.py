"""Files on the wire: the file record, ``upload``/``download`` and their replies, a share's ``chat``/relay/history
entry, and the transfer connection's lines: each round-trips in JSON (optional fields only when set), and the
decoders refuse a bad field once, as a value with a clear text and the request's id."""

from __future__ import annotations

import json

import pytest

from chat_server import protocol as p
from chat_server.protocol.jsonlines import DecodeError, JsonCodec

SERVER_SIDE = JsonCodec(p.CLIENT_MESSAGES)
CLIENT_SIDE = JsonCodec(p.SERVER_MESSAGES)

FILE_ID = "0123456789abcdef0123456789abcdef"
TOKEN = "fedcba9876543210fedcba9876543210"
SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
REF = p.FileRef(FILE_ID, "report.pdf", 1234, "application/pdf", SHA)
REF_JSON = {"id": FILE_ID, "name": "report.pdf", "size": 1234, "mime": "application/pdf", "sha256": SHA}


def _decode(codec: JsonCodec, obj: object) -> object:
    return codec.decode(json.dumps(obj).encode())


# --- round trips --------------------------------------------------------------------------------

@pytest.mark.parametrize(("message", "line"), [
    (p.UploadRequest("u1", "report.pdf", 1234, SHA),
     {"type": "upload", "id": "u1", "name": "report.pdf", "size": 1234, "sha256": SHA}),
    (p.UploadRequest("u2", "a.png", 0, SHA, room="#dev"),
     {"type": "upload", "id": "u2", "name": "a.png", "size": 0, "sha256": SHA, "room": "#dev"}),
    (p.UploadRequest("u3", "a.png", 5, SHA, to="bob"),
     {"type": "upload", "id": "u3", "name": "a.png", "size": 5, "sha256": SHA, "to": "bob"}),
    (p.DownloadRequest("d1", FILE_ID), {"type": "download", "id": "d1", "file": FILE_ID}),
    (p.Chat("c1", "", file=FILE_ID), {"type": "chat", "id": "c1", "text": "", "file": FILE_ID}),
    (p.Chat("c2", "the report", room="#dev", file=FILE_ID),
     {"type": "chat", "id": "c2", "text": "the report", "room": "#dev", "file": FILE_ID}),
])
def test_the_clients_file_messages_round_trip(message: p.Message, line: dict[str, object]) -> None:
    encoded = p.encode(message)
    assert json.loads(encoded) == line
    assert SERVER_SIDE.decode(encoded.rstrip(b"\n")) == message


@pytest.mark.parametrize(("message", "line"), [
    (p.UploadReady("u1", TOKEN, 0), {"type": "upload_ready", "id": "u1", "token": TOKEN, "offset": 0}),
    (p.UploadReady("u1", TOKEN, 1234, file=FILE_ID),
     {"type": "upload_ready", "id": "u1", "token": TOKEN, "offset": 1234, "file": FILE_ID}),
    (p.DownloadReady("d1", TOKEN, REF), {"type": "download_ready", "id": "d1", "token": TOKEN, "file": REF_JSON}),
    (p.DownloadReady("d1", TOKEN, p.FileRef(FILE_ID, "a", 0, "text/plain", SHA, expired=True)),
     {"type": "download_ready", "id": "d1", "token": TOKEN,
      "file": {"id": FILE_ID, "name": "a", "size": 0, "mime": "text/plain", "sha256": SHA, "expired": True}}),
    (p.Relay("alice", "see this", 7, 1.5, file=REF),
     {"type": "message", "sender": "alice", "text": "see this", "seq": 7, "time": 1.5, "file": REF_JSON}),
    (p.Relay("alice", "", 7, 1.5, history=True, room="#dev", file=REF),
     {"type": "message", "sender": "alice", "text": "", "seq": 7, "time": 1.5, "history": True, "room": "#dev",
      "file": REF_JSON}),
    (p.HistoryPage(room="#dev", messages=(p.HistoryEntry("alice", "hi", 3, 1.0),
                                          p.HistoryEntry("bob", "", 4, 2.0, file=REF))),
     {"type": "history_page", "room": "#dev", "more": False,
      "messages": [{"sender": "alice", "text": "hi", "seq": 3, "time": 1.0},
                   {"sender": "bob", "text": "", "seq": 4, "time": 2.0, "file": REF_JSON}]}),
    (p.Error(p.ERR_QUOTA_EXCEEDED, "You may upload 1000 MB a day.", id="u1"),
     {"type": "error", "code": "quota_exceeded", "text": "You may upload 1000 MB a day.", "id": "u1"}),
])
def test_the_servers_file_replies_round_trip(message: p.Message, line: dict[str, object]) -> None:
    encoded = p.encode(message)
    assert json.loads(encoded) == line
    assert CLIENT_SIDE.decode(encoded.rstrip(b"\n")) == message


def test_a_relay_without_a_file_is_as_it_was() -> None:
    assert json.loads(p.encode(p.Relay("alice", "hi", 7, 1.5))) == {
        "type": "message", "sender": "alice", "text": "hi", "seq": 7, "time": 1.5}
    assert json.loads(p.encode(p.Chat("c1", "hi"))) == {"type": "chat", "id": "c1", "text": "hi"}


def test_the_transfer_lines_round_trip() -> None:
    opening = p.TransferOpen(TOKEN, 4096)
    assert json.loads(p.encode(opening)) == {"type": "transfer", "token": TOKEN, "offset": 4096}
    assert p.decode_transfer_open(p.encode(opening).rstrip(b"\n")) == opening
    assert p.decode_transfer_open(json.dumps({"type": "transfer", "token": TOKEN}).encode()) == p.TransferOpen(TOKEN)
    for reply, line in ((p.TransferStored(FILE_ID, SHA), {"type": "stored", "file": FILE_ID, "sha256": SHA}),
                        (p.TransferSending(10, 4, SHA), {"type": "sending", "size": 10, "offset": 4, "sha256": SHA}),
                        (p.Error(p.ERR_HASH_MISMATCH, "The file was not the one announced."),
                         {"type": "error", "code": "hash_mismatch", "text": "The file was not the one announced.",
                          "id": None})):
        assert json.loads(p.encode(reply)) == line
        assert p.decode_transfer_reply(p.encode(reply).rstrip(b"\n")) == reply


# --- what a client sends, refused once -----------------------------------------------------------

@pytest.mark.parametrize(("obj", "code", "text"), [
    ({"size": -1}, p.ERR_BAD_UPLOAD, f"upload: field 'size' must be 0 to {p.MAX_FILE_BYTES}"),
    ({"size": p.MAX_FILE_BYTES + 1}, p.ERR_BAD_UPLOAD, f"upload: field 'size' must be 0 to {p.MAX_FILE_BYTES}"),
    ({"size": 1.5}, p.ERR_BAD_UPLOAD, "upload: field 'size' must be an integer"),
    ({"size": True}, p.ERR_BAD_UPLOAD, "upload: field 'size' must be an integer"),
    ({"sha256": SHA.upper()}, p.ERR_BAD_UPLOAD, "upload: field 'sha256' must be 64 lowercase hex digits"),
    ({"sha256": SHA[:-1]}, p.ERR_BAD_UPLOAD, "upload: field 'sha256' must be 64 lowercase hex digits"),
    ({"sha256": SHA[:-1] + "g"}, p.ERR_BAD_UPLOAD, "upload: field 'sha256' must be 64 lowercase hex digits"),
    ({"name": 7}, p.ERR_BAD_UPLOAD, "upload: field 'name' must be a string"),
    ({"name": "a\ud800b"}, p.ERR_BAD_UPLOAD,
     "upload: field 'name' is not valid Unicode text (it holds the lone surrogate U+D800)"),
    ({"room": "#dev", "to": "bob"}, p.ERR_BAD_UPLOAD, "upload: a file goes to a room or to a member, not both"),
    ({"room": "dev"}, p.ERR_ROOM_INVALID,
     "Not done: a room's name is # and 1 to 32 of a-z, 0-9, - and _ (not 'dev')."),
    ({"to": "*bob"}, p.ERR_UNKNOWN_MEMBER, "Not done: no member can be called '*bob'."),
])
def test_a_bad_upload_is_refused_with_its_id(obj: dict[str, object], code: str, text: str) -> None:
    request = {"type": "upload", "id": "u1", "name": "a.txt", "size": 3, "sha256": SHA, **obj}
    assert _decode(SERVER_SIDE, request) == DecodeError(code, text, id="u1")


def test_an_upload_missing_a_field_is_refused_with_its_id() -> None:
    assert _decode(SERVER_SIDE, {"type": "upload", "id": "u1", "name": "a.txt", "size": 3}) == DecodeError(
        p.ERR_BAD_UPLOAD, "upload: missing field 'sha256'", id="u1")


@pytest.mark.parametrize("request_id", ["", "x" * 65, "a\nb", "a\x00b", "a\x85b"])
def test_a_bad_request_id_is_refused_and_not_echoed(request_id: str) -> None:
    text = "field 'id' must be 1 to 64 characters, none of them a control character"
    upload = {"type": "upload", "id": request_id, "name": "a", "size": 3, "sha256": SHA}
    assert _decode(SERVER_SIDE, upload) == DecodeError(p.ERR_BAD_UPLOAD, f"upload: {text}")
    download = {"type": "download", "id": request_id, "file": FILE_ID}
    assert _decode(SERVER_SIDE, download) == DecodeError(p.ERR_BAD_MESSAGE, f"download: {text}")


def test_an_upload_name_is_never_refused_for_its_characters() -> None:
    for name in ("../../etc/passwd", "CON.txt", "a\x00b", "", "\u202egpj.exe", "x" * 1000):
        request = {"type": "upload", "id": "u1", "name": name, "size": 3, "sha256": SHA}
        assert _decode(SERVER_SIDE, request) == p.UploadRequest("u1", name, 3, SHA)  # made safe by the server


@pytest.mark.parametrize(("file_id", "code", "text"), [
    (FILE_ID.upper(), p.ERR_NO_SUCH_FILE, "download: field 'file' must be a file id (32 lowercase hex digits)"),
    ("../" + FILE_ID[3:], p.ERR_NO_SUCH_FILE, "download: field 'file' must be a file id (32 lowercase hex digits)"),
    (FILE_ID + "0", p.ERR_NO_SUCH_FILE, "download: field 'file' must be a file id (32 lowercase hex digits)"),
    (7, p.ERR_BAD_MESSAGE, "download: field 'file' must be a string"),
])
def test_a_bad_download_is_refused_with_its_id(file_id: object, code: str, text: str) -> None:
    assert _decode(SERVER_SIDE, {"type": "download", "id": "d1", "file": file_id}) == DecodeError(code, text, id="d1")


@pytest.mark.parametrize("file_id", [FILE_ID[:-1], FILE_ID.upper(), "", "x" * 32])
def test_a_share_of_a_malformed_file_id_is_refused_with_the_chats_id(file_id: str) -> None:
    assert _decode(SERVER_SIDE, {"type": "chat", "id": "c1", "text": "", "file": file_id}) == DecodeError(
        p.ERR_NO_SUCH_FILE, "Not sent: chat: field 'file' must be a file id (32 lowercase hex digits).", id="c1")
    assert _decode(SERVER_SIDE, {"type": "chat", "id": "c1", "text": "", "file": None}) == p.Chat("c1", "")


@pytest.mark.parametrize(("obj", "text"), [
    ({"type": "transfer", "token": TOKEN.upper()}, "transfer: field 'token' must be 32 lowercase hex digits"),
    ({"type": "transfer", "token": TOKEN[:-1]}, "transfer: field 'token' must be 32 lowercase hex digits"),
    ({"type": "transfer", "token": TOKEN, "offset": -1}, f"transfer: field 'offset' must be 0 to {p.MAX_FILE_BYTES}"),
    ({"type": "transfer"}, "transfer: missing field 'token'"),
    ({"type": "hello"}, "unknown message type 'hello' (expected one of: transfer)"),
])
def test_a_bad_transfer_line_is_a_bad_token(obj: dict[str, object], text: str) -> None:
    assert p.decode_transfer_open(json.dumps(obj).encode()) == DecodeError(p.ERR_BAD_TOKEN, text)
    assert p.decode_transfer_open(b"GET / HTTP/1.1") == DecodeError(
        p.ERR_BAD_TOKEN, "not JSON: Expecting value: line 1 column 1 (char 0)")


def test_the_chat_connection_does_not_take_transfer_lines() -> None:
    decoded = _decode(SERVER_SIDE, {"type": "transfer", "token": TOKEN})
    assert isinstance(decoded, DecodeError) and decoded.code == p.ERR_BAD_MESSAGE


# --- what a client is sent, checked once ---------------------------------------------------------

@pytest.mark.parametrize(("change", "text"), [
    ({"id": FILE_ID[:-1]}, "field 'file' must be a file record"),
    ({"sha256": "0" * 63}, "field 'file' must be a file record"),
    ({"size": -1}, "field 'file' must be a file record"),
    ({"mime": "Application/PDF"}, "field 'file' must be a file record"),
    ({"mime": "pdf"}, "field 'file' must be a file record"),
    ({"mime": "a/" + "b" * 100}, "field 'file' must be a file record"),
    ({"expired": "yes"}, "field 'file' must be a file record"),
])
def test_a_bad_file_record_is_refused_by_the_client(change: dict[str, object], text: str) -> None:
    relay = {"type": "message", "sender": "alice", "text": "", "seq": 7, "time": 1.5, "file": {**REF_JSON, **change}}
    assert _decode(CLIENT_SIDE, relay) == DecodeError(p.ERR_BAD_MESSAGE, f"message: {text} or null")
    ready = {"type": "download_ready", "id": "d1", "token": TOKEN, "file": {**REF_JSON, **change}}
    assert _decode(CLIENT_SIDE, ready) == DecodeError(p.ERR_BAD_MESSAGE, f"download_ready: {text}")


def test_a_client_makes_a_servers_file_name_safe() -> None:
    relay = {"type": "message", "sender": "alice", "text": "", "seq": 7, "time": 1.5,
             "file": {**REF_JSON, "name": "../../.bashrc"}}
    decoded = _decode(CLIENT_SIDE, relay)
    assert isinstance(decoded, p.Relay) and decoded.file == p.FileRef(FILE_ID, "_.._.bashrc", 1234,
                                                                      "application/pdf", SHA)
    page = {"type": "history_page", "messages": [{"sender": "a", "text": "", "seq": 1, "time": 1.0,
                                                  "file": {**REF_JSON, "name": "CON"}}]}
    decoded = _decode(CLIENT_SIDE, page)
    assert isinstance(decoded, p.HistoryPage) and decoded.messages[0].file == p.FileRef(
        FILE_ID, "_CON", 1234, "application/pdf", SHA)


@pytest.mark.parametrize(("obj", "text"), [
    ({"type": "upload_ready", "id": "u1", "token": "x", "offset": 0},
     "upload_ready: field 'token' must be 32 lowercase hex digits"),
    ({"type": "upload_ready", "id": "u1", "token": TOKEN, "offset": -3},
     f"upload_ready: field 'offset' must be 0 to {p.MAX_FILE_BYTES}"),
    ({"type": "upload_ready", "id": "u1", "token": TOKEN, "offset": 0, "file": "../x"},
     "upload_ready: field 'file' must be a file id (32 lowercase hex digits)"),
])
def test_a_bad_file_reply_is_refused_by_the_client(obj: dict[str, object], text: str) -> None:
    assert _decode(CLIENT_SIDE, obj) == DecodeError(p.ERR_BAD_MESSAGE, text, id="u1")


@pytest.mark.parametrize(("obj", "text"), [
    ({"type": "sending", "size": 10, "offset": 11, "sha256": SHA}, "sending: field 'offset' must be 0 to the size"),
    ({"type": "sending", "size": -1, "offset": 0, "sha256": SHA},
     f"sending: field 'size' must be 0 to {p.MAX_FILE_BYTES}"),
    ({"type": "sending", "size": 10, "offset": 0, "sha256": "x"},
     "sending: field 'sha256' must be 64 lowercase hex digits"),
    ({"type": "stored", "file": FILE_ID, "sha256": "x"}, "stored: field 'sha256' must be 64 lowercase hex digits"),
    ({"type": "stored", "file": "x", "sha256": SHA},
     "stored: field 'file' must be a file id (32 lowercase hex digits)"),
])
def test_a_bad_transfer_reply_is_refused_by_the_client(obj: dict[str, object], text: str) -> None:
    assert p.decode_transfer_reply(json.dumps(obj).encode()) == DecodeError(p.ERR_BAD_MESSAGE, text)
