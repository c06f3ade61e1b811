"""Text mode: plain lines for netcat, telnet and simple socket clients.

Over 400 lines: text mode's whole vocabulary, every command a person types and every line the server writes back
(rooms, history, search), reads in one place, as messages.py does for the dataclasses.
"""

from __future__ import annotations

import re
import time
import unicodedata

from chat_server.protocol import messages as m
from chat_server.protocol import search as s
from chat_server.protocol.addresses import host_port
from chat_server.protocol.file_words import share_words
from chat_server.protocol.files import FileRef
from chat_server.protocol.jsonlines import DecodeError, room_fields_problem
from chat_server.protocol.mentions import MENTION_MARK, mentions
from chat_server.protocol.presence import AwayReply, Back, SetAway
from chat_server.protocol.presence_checks import presence_fault
from chat_server.protocol.scrollback import HISTORY_PAGE_LIMIT, HistoryEntry, HistoryPage, ScrollbackRequest
from chat_server.protocol.wording import left_line_verb, state_value

EXIT_WORDS = frozenset({"exit", "quit", "over"})
END_OF_TRANSMISSION = "\x04"
"""Ctrl-D: telnet in line mode sends it as a line of its own; it means the end, as on a terminal."""
STATUS_WORD = "status"
STATUS_ALL = "status all"
HISTORY_WORD = "history"
HISTORY_COUNT = 20
"""How many stored messages ``history`` without a number shows (at most the server's ``--history``)."""


def clock(t: float | None) -> str:
    """Local wall-clock time as people read it, or '-' for none."""
    if t is None:
        return "-"
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(t))


def greeting_line(name: str, earlier: int = 0) -> str:
    """The one-line greeting; with ``earlier`` stored messages it says how to read them (text members
    are not sent them unasked)."""
    line = f"Welcome {name}! Type a message, 'status' or 'exit'."
    if earlier == 1:
        line += " 1 earlier message: type 'history' to read it."
    elif 1 < earlier <= HISTORY_COUNT:
        line += f" {earlier} earlier messages: type 'history' to read them."
    elif earlier > HISTORY_COUNT:
        line += (f" {earlier} earlier messages: type 'history' for the last {HISTORY_COUNT}, "
                 f"'history {earlier}' for all.")
    return line


def no_history_line() -> str:
    """The answer to ``history`` when there is nothing to show."""
    return "No earlier messages."


def password_prompt_line() -> str:
    """What a server with a password sends on accept, instead of the greeting (which follows the password)."""
    return "This chat server needs a password: type it and press Enter."


def _status_request(words: list[str]) -> m.StatusRequest | None:
    """``status``, ``status all``, ``status 3``, ``status all 3``; None if the words say something else."""
    all_runs = bool(words) and words[0] == STATUS_ALL.split()[1]
    if all_runs:
        words = words[1:]
    if not words:
        return m.StatusRequest(all_runs=all_runs)
    if len(words) == 1 and words[0].isascii() and words[0].isdigit() and len(words[0]) <= 9 and int(words[0]) >= 1:
        return m.StatusRequest(all_runs=all_runs, page=int(words[0]))
    return None


REFUSAL_TAG = "[refused"
"""How every refusal line starts: ``[refused: full] Server is full ...``. No member's line can start so (a
name starts with a letter or a digit), and the server's other bracketed lines are ``[server`` and ``[history``."""


def refusal_line(reason: m.EndReason, text: str) -> str:
    """The line that turns a connection away: the recorded reason in brackets, then the words for people."""
    return f"[{reason.value}] {text}"


def parse_refusal(line: str) -> m.Refusal | None:
    """A plain line from the server as a refusal, or None if it is not one (the greeting, the password prompt)."""
    if not line.startswith(REFUSAL_TAG):
        return None
    end = line.find("]")
    reason = line[1:end] if end > 0 else ""
    if reason != REFUSAL_TAG[1:] and not reason.startswith(REFUSAL_TAG[1:] + ": "):
        return None  # "[refusedX]", "[refused" alone: not the tag
    return m.Refusal(reason=reason, text=line[end + 1:].strip())


def not_tls_line(host: str, port: int) -> str:
    """The one line a plain client (netcat) gets on a TLS port, ``host``:``port`` being where it connected."""
    return refusal_line(m.EndReason.REFUSED_NOT_TLS,
                        f"This server uses TLS: connect with openssl s_client -connect {host_port(host, port)} "
                        "-quiet, or tick TLS in the client window.")


def full_line(online: int, max_clients: int) -> str:
    return f"Server is full ({online}/{max_clients} online). Try again later."


def logins_busy_line(waiting: int, from_address: bool) -> str:
    """The refusal when too many connections are at the password prompt (in all, or from the same address)."""
    where = " from your address" if from_address else ""
    return f"Too many connections{where} are waiting to give the password ({waiting}). Try again later."


def online_phrase(online: int, max_clients: int) -> str:
    return f"{online}/{max_clients} online" if max_clients else f"{online} online"


def display_width(text: str) -> int:
    """The columns a terminal gives ``text``: wide characters (East Asian Wide and Fullwidth: CJK, most
    emoji) take two, combining marks and format characters none, the rest one."""
    if text.isascii():
        return len(text)
    width = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def _pad(text: str, width: int, right: bool = False) -> str:
    """``text`` filled with spaces to ``width`` display columns (on the left if ``right``)."""
    fill = " " * max(0, width - display_width(text))
    return fill + text if right else text + fill


AWAY_IN_TABLE = 20
"""The most characters of an away message the status table shows (``online, away: gone for lu…``)."""


def _state_cell(s: m.SessionInfo) -> str:
    state = state_value(s.state) if s.attempts == 1 else f"{state_value(s.state)} ({s.attempts})"
    if s.away is None:
        return state
    if not s.away:
        return f"{state}, away"
    shown = s.away if len(s.away) <= AWAY_IN_TABLE else s.away[:AWAY_IN_TABLE - 1] + "…"
    return f"{state}, away: {shown}"


def status_table(report: m.StatusReport) -> str:
    """The connection cache as an aligned plain-text table."""
    header: tuple[str, ...] = ("Name", "Address", "Connected at", "Disconnected at", "State", "Msgs")
    rows: list[tuple[str, ...]] = [
        (s.name or "-", s.address, clock(s.connected_at), clock(s.disconnected_at), _state_cell(s), str(s.messages))
        for s in report.sessions
    ]
    if report.all_runs:
        header = ("Run", *header)
        rows = [(str(s.run), *row) for s, row in zip(report.sessions, rows, strict=True)]
    # Aligned by display width, not by len(): a name in CJK characters or with an emoji is wider than it is long.
    widths = [max(display_width(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: tuple[str, ...]) -> str:
        left = "  ".join(_pad(c, w) for c, w in zip(cells[:-1], widths[:-1], strict=True))
        return f"{left}  {_pad(cells[-1], widths[-1], right=True)}"

    total = max(report.total, len(report.sessions))
    title = (
        f"Status: {online_phrase(report.online, report.max_clients)}, "
        f"{total} session(s) since {clock(report.started_at)}"
        if not report.all_runs else
        f"Status: {online_phrase(report.online, report.max_clients)}, "
        f"{total} session(s) in all runs (this is run {report.run})"
    )
    if report.pages > 1:
        command = "status all" if report.all_runs else "status"
        title += f"; page {report.page} of {report.pages}, newest first"
        if report.page < report.pages:
            title += f" ('{command} {report.page + 1}' for older ones)"
    return "\n".join([title, line(header), *(line(r) for r in rows)])


def _where(room: str | None, to: str | None, history: bool = False) -> str:
    """The tag a line from another conversation than #lobby starts with: ``[#dev] ``, ``[direct] ``; in replayed
    history a direct message names its recipient (``[direct to bob] ``), since it may be one's own."""
    if room is not None:
        return f"[{room}] "
    if to is not None:
        return f"[direct to {to}] " if history else "[direct] "
    return ""


def _members_phrase(count: int) -> str:
    return f"{count} member{'' if count == 1 else 's'}"


_ROOM_EXIT_VERBS: dict[str, str] = {m.RoomExit.LEFT: "left", m.RoomExit.REMOVED: "was removed"}


def rooms_table(rooms: m.RoomList) -> str:
    """The room list as aligned lines: name, members, private or not, topic."""
    if not rooms.rooms:
        return "No rooms."
    width = max(len(r.room) for r in rooms.rooms)
    lines = [f"Rooms: {len(rooms.rooms)}"]
    for r in rooms.rooms:
        line = f"{r.room:<{width}}  {r.members:>5}  {'private' if r.private else 'public '}"
        lines.append(f"{line}  {r.topic}".rstrip())
    return "\n".join(lines)


def _room_line(message: m.Message) -> str | None:
    """The text-mode line for version 2's replies about rooms, None for another message."""
    match message:
        case m.RoomDetails(room=room, topic=topic, private=private, members=members, created=created):
            made = f"You created {'the private room ' if private else ''}{room}" if created else f"You joined {room}"
            line = f"[{room}] * {made}: {_members_phrase(len(members))} online ({', '.join(members)})."
            return line + (f" Topic: {topic}" if topic else "")
        case m.RoomList():
            return rooms_table(message)
        case m.RoomMembers(room=room, members=online, offline=offline):
            line = f"[{room}] {_members_phrase(len(online) + len(offline))}: online: {', '.join(online) or '-'}"
            return line + (f"; offline: {', '.join(offline)}" if offline else "")
        case m.Topic(room=room, topic=topic, by=by):
            who = by or "The server operator"
            return f"[{room}] * {who} set the topic: {topic}" if topic else f"[{room}] * {who} cleared the topic"
        case m.Invited(room=room, name=name, by=by):
            return f"[{room}] * {by or 'The server operator'} invited {name} (/join {room} to join it)"
        case m.RoomRenamed(old=old, new=new):
            return f"[{new}] * {old} is now {new}"
        case s.SearchResults():
            return search_lines(message)
    return None


def search_lines(results: s.SearchResults) -> str:
    """A page of search results, one line per message, newest first (and how to ask for more)."""
    if not results.results:
        return "No messages found."
    lines = [f"[search {clock(hit.time)}] {_where(hit.room or (None if hit.to else m.LOBBY), hit.to, True)}"
             f"{hit.sender}: {s.marked_text(hit.text, hit.marks)}" for hit in results.results]
    if results.more:
        lines.append(f"[search] More found: type /search {s.SEARCH_MORE} for older ones.")
    return "\n".join(lines)


def render_text(message: m.Message) -> str | None:
    """The text-mode line(s) for a server message, without the final newline; None if not shown."""
    match message:
        case m.Ack(text=text, delivered_later=True):
            return f"{text} ACK (delivered later)"
        case m.Ack(text=text):
            return f"{text} ACK"
        case m.Relay(sender=sender, text=text, history=history, time=sent, room=room, to=to, file=FileRef() as ref):
            shown = f"{_where(room, to, history)}{share_words(sender, ref, text)}"
            return f"[history {clock(sent)}] {shown}" if history else shown
        case m.Relay(sender=sender, text=text, history=True, time=sent, room=room, to=to):
            return f"[history {clock(sent)}] {_where(room, to, history=True)}{sender}: {text}"
        case m.Relay(sender=sender, text=text, room=room, to=to):
            return f"{_where(room, to)}{sender}: {text}"
        case m.Joined(name=name, online=online, room=None):
            return f"* {name} joined ({online} online)"
        case m.Joined(name=name, online=online, room=room):
            return f"[{room}] * {name} joined ({_members_phrase(online)})"
        case m.Left(name=name, reason=reason, online=online, room=None):
            return f"* {name} {left_line_verb(reason)} ({online} online)"
        case m.Left(room=room, reason=m.RoomExit.CLOSED):
            return f"[{room}] * The server operator closed {room}"
        case m.Left(name=name, reason=reason, online=online, room=room):
            verb = _ROOM_EXIT_VERBS.get(reason, "left")  # a StrEnum's members are found by their str values
            return f"[{room}] * {name} {verb} ({_members_phrase(online)})"
        case m.Renamed(old=old, new=new):
            return f"* {old} is now {new}"
        case m.StatusReport():
            return status_table(message)
        case m.Notice(text=text, private=private, room=room):
            return f"{_where(room, None)}[server{' to you' if private else ''}] {text}"
        case m.Error(text=text):
            return f"Error: {text}"
        case m.Goodbye(text=text):
            return text
        case m.Welcome(name=name):
            return greeting_line(name)
        case m.Banner(text=text):
            return text
        case m.Refusal(reason=reason, text=text):
            return f"[{reason}] {text}"
        case HistoryPage():
            return history_page_lines(message)
        case AwayReply(name=name, message=away):
            return f"[direct] {name} is away: {away}" if away else f"[direct] {name} is away"
    return _room_line(message)  # pings and pongs have no text form


def history_page_lines(page: HistoryPage, mentioned: str = "") -> str:
    """``/history``'s answer: the page's messages as ``history`` shows them, or the line that there are none; a line
    of a message that mentions ``mentioned`` (the text member's name) marked as live ones are."""
    if page.failed:
        return "Error: Not loaded: the server could not read its messages. Try again later."
    if not page.messages:
        return no_history_line()
    where = _where(page.room, None)
    return "\n".join(f"{MENTION_MARK if mentioned and mentions(entry.text, mentioned) else ''}"
                     f"[history {clock(entry.time)}] {where}{_said(entry)}" for entry in page.messages)


def _said(entry: HistoryEntry) -> str:
    """What a history entry says after its time and place: its sender and text, or a share's line."""
    if entry.file is not None:
        return share_words(entry.sender, entry.file, entry.text)
    return f"{entry.sender}: {entry.text}"


def encode_text(message: m.Message) -> bytes:
    rendered = render_text(message)
    return b"" if rendered is None else (rendered + "\n").encode("utf-8")


CLEAR_TOPIC = "-"
"""``/topic #room -`` clears the topic (``/topic #room`` alone shows it)."""
CURRENT_ROOM = ""
"""The room of ``/leave`` and ``/who`` without one: the member's current room (the server fills it in)."""
HELP_LINES = (
    "Commands (lines you type without one go to your current room, #lobby at first):",
    "/join #room            join (or create) a room and make it your current room",
    "/switch #room          make a room you are in your current room",
    "/leave [#room]         leave a room (your current room without one)",
    "/rooms                 the rooms, with their members and topics",
    "/who [#room]           who is in a room (your current room without one)",
    "/topic [#room]         show a room's topic (your current room without one)",
    "/topic #room text      set a room's topic ('/topic #room -' clears it)",
    "/msg NAME text         a direct message to NAME",
    "/create #room private  create a private room (without 'private': a public one)",
    "/invite NAME #room     invite NAME to a room",
    "/remove NAME #room     take NAME out of a room you own",
    f"/history [#room] [N]   a room's last N messages ({HISTORY_COUNT} without N, at most {HISTORY_PAGE_LIMIT}; "
    "your current room without one)",
    "/search words          find the messages you may read that hold all the words, newest first",
    "/search more           the next page of your last search",
    "/away [message]        say you are away (others see it in /who)",
    "/back                  say you are back",
    "//text                 say '/text'",
    "status, history [N], exit: as always",
)


def help_text() -> str:
    """The answer to ``/help``."""
    return "\n".join(HELP_LINES)


def _room_word(word: str) -> str:
    """A room named in a command, ``#`` added if it was left out (``/join dev``)."""
    return word if word.startswith("#") else f"#{word}"


_USAGE = {
    "join": "/join #room", "switch": "/switch #room", "leave": "/leave [#room]", "rooms": "/rooms",
    "who": "/who [#room]", "msg": "/msg NAME text", "create": "/create #room [private]",
    "invite": "/invite NAME #room", "remove": "/remove NAME #room", "help": "/help",
    "history": "/history [#room] [N]", "search": "/search words", "back": "/back",
}


_COMMAND_WORD = re.compile(r"(\S*)\s*(.*)", re.DOTALL)
"""A command's word and the rest of its line: a tab separates them as a space does (``/join<TAB>#dev``)."""


def _history_command(args: list[str]) -> ScrollbackRequest | None:
    """``/history [#room] [N]``: a room's (the current room's) last N messages, as a scrollback page; None: not so."""
    count = HISTORY_COUNT
    if args and args[-1].isascii() and args[-1].isdigit():
        digits = args.pop()
        count = int(digits) if len(digits) <= 9 else HISTORY_PAGE_LIMIT  # int() refuses huge strings
        if count < 1:
            return None
    if len(args) > 1:
        return None
    return ScrollbackRequest(room=_room_word(args[0]) if args else CURRENT_ROOM, limit=min(count, HISTORY_PAGE_LIMIT))


def _command(text: str) -> m.Message | DecodeError:
    """A line that starts with ``/``: a command (rooms, direct messages), or the error naming /help."""
    parts = _COMMAND_WORD.match(text[1:])
    assert parts is not None  # the pattern matches any text
    word, rest = parts[1].lower(), parts[2]
    args = rest.split()
    command: m.Message | None = None
    if word == "join" and len(args) == 1:
        command = m.JoinRoom(room=_room_word(args[0]))
    elif word == "switch" and len(args) == 1:
        command = m.SwitchRoom(room=_room_word(args[0]))
    elif word == "leave" and len(args) <= 1:
        command = m.LeaveRoom(room=_room_word(args[0]) if args else CURRENT_ROOM)
    elif word == "rooms" and not args:
        command = m.RoomsRequest()
    elif word == "who" and len(args) <= 1:
        command = m.MembersRequest(room=_room_word(args[0]) if args else CURRENT_ROOM)
    elif word == "topic" and len(args) <= 1:
        command = m.TopicRequest(room=_room_word(args[0]) if args else CURRENT_ROOM)
    elif word == "topic":
        topic = rest.strip()[len(args[0]):].strip()
        command = m.SetTopic(room=_room_word(args[0]), topic="" if topic == CLEAR_TOPIC else topic)
    elif word == "msg" and len(args) >= 2:
        command = m.Chat(id="", text=rest.strip()[len(args[0]):].strip(), to=args[0])
    elif word == "create" and (len(args) == 1 or (len(args) == 2 and args[1].lower() in ("private", "public"))):
        command = m.CreateRoom(room=_room_word(args[0]), private=len(args) == 2 and args[1].lower() == "private")
    elif word in ("invite", "remove") and len(args) == 2:
        kind = m.Invite if word == "invite" else m.Remove
        command = kind(room=_room_word(args[1]), name=args[0])
    elif word == "help" and not args:
        command = m.HelpRequest()
    elif word == "history":
        command = _history_command(args)
    elif word == "search" and [a.lower() for a in args] == [s.SEARCH_MORE]:
        command = s.SearchMore()
    elif word == "search" and args:
        request = s.SearchRequest(query=rest.strip())
        fault = s.search_fault(request)
        return request if fault is None else DecodeError(*fault)
    elif word == "away":
        away = SetAway(message=rest.strip())
        fault = presence_fault(away)
        return away if fault is None else DecodeError(*fault)
    elif word == "back" and not args:
        command = Back()
    if command is None:
        if word in _USAGE:
            return DecodeError(m.ERR_BAD_MESSAGE, f"Usage: {_USAGE[word]} (type /help for the commands).")
        shown = text.split()[0][:40]
        return DecodeError(m.ERR_UNKNOWN_COMMAND, f"Unknown command {shown}: type /help for the commands.")
    if getattr(command, "room", None) == CURRENT_ROOM:
        return command
    return room_fields_problem(command) or command


def parse_text_line(line: bytes) -> m.Message | DecodeError | None:
    """A client's text line as a message; None for an empty line (ignored)."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        return DecodeError(m.ERR_INVALID_UTF8, f"invalid UTF-8 at byte {exc.start}; the line was not sent")
    text = text.strip()
    if not text:
        return None
    if text[0] == "/":
        return m.Chat(id="", text=text[1:]) if text.startswith("//") else _command(text)
    word = text.lower()
    if word in EXIT_WORDS or word == END_OF_TRANSMISSION:
        return m.Exit()
    words = word.split()
    if words[0] == STATUS_WORD:
        request = _status_request(words[1:])
        if request is not None:
            return request
    if words[0] == HISTORY_WORD and len(words) <= 2:
        if len(words) == 1:
            return m.HistoryRequest()
        if words[1].isascii() and words[1].isdigit():
            digits = words[1]
            return m.HistoryRequest(int(digits) if len(digits) <= 9 else 10**9)  # int() refuses huge strings
    return m.Chat(id="", text=text)
