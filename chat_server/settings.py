"""The server's limits and timeouts, with their defaults in one place."""

from __future__ import annotations

import socket
from dataclasses import dataclass, field, fields, replace

from chat_server.protocol import DEFAULT_MAX_LINE_BYTES, Problem, server_name_fault, server_name_problem
from chat_server.protocol.discovery import MAX_SERVER_NAME_LENGTH

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 12345
DEFAULT_MAX_CLIENTS = 3
DEFAULT_HISTORY = 50
DEFAULT_RATE = 20.0  # messages a second per connection, sustained
DEFAULT_BURST = 50  # messages a connection may send at once before the rate applies
DEFAULT_MAX_OUTPUT = 1024 * 1024  # bytes waiting for one slow reader
DEFAULT_LINE_TIMEOUT_S = 30
DEFAULT_PING_S = 30
DEFAULT_IDLE_S = 90
DEFAULT_AUTH_TIMEOUT_S = 10
DEFAULT_MAX_LOGINS = 32  # connections at the password prompt at once, from everywhere
DEFAULT_MAX_LOGINS_PER_ADDRESS = 4  # the same, from one address
DEFAULT_NAME_RESERVATION_S = 24 * 3600
DEFAULT_CACHE_ENDED_SESSIONS = 1000
DEFAULT_HEARTBEAT_S = 5
DEFAULT_MAX_ROOMS = 1000  # rooms on the server, #lobby included (issue 18)
DEFAULT_ROOMS_PER_MEMBER = 100  # rooms one member may be in besides #lobby (issue 18)
DEFAULT_MAX_FILE_MB = 100  # the largest file a member may share (issue 22)
DEFAULT_FILE_QUOTA_MB = 1000  # what one member may upload a day (issue 22)
DEFAULT_MAX_FILES_GB = 10.0  # all the files the server keeps; beyond it the oldest expire (issue 22)
SERVER_NAME_PREFIX = "LAN Chat on "
FALLBACK_SERVER_NAME = "LAN Chat"


def default_server_name(hostname: str | None = None) -> str:
    """``LAN Chat on <hostname>`` (its first label, cut to fit), or ``LAN Chat`` if the host name cannot be shown."""
    host = (socket.gethostname() if hostname is None else hostname).split(".")[0].strip()
    name = (SERVER_NAME_PREFIX + host)[:MAX_SERVER_NAME_LENGTH].rstrip()
    return name if host and server_name_problem(name) is None else FALLBACK_SERVER_NAME


@dataclass(frozen=True, slots=True)
class ServerSettings:
    """Everything the server engine can be told; built from arguments or QSettings by one adapter."""

    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    max_clients: int = DEFAULT_MAX_CLIENTS  # 0 means no limit
    max_line_bytes: int = DEFAULT_MAX_LINE_BYTES
    # A text client that sends bytes and then this long nothing has sent one message.
    text_flush_ms: int = 50
    # A new member is announced at its first line, or after this long without one.
    # JSON clients send hello at once, so their join is announced under their chosen name.
    join_grace_ms: int = 300
    # On stop, members get this long to receive their goodbye before sockets are aborted
    # (short enough that the whole server exits within 2 s).
    shutdown_timeout_ms: int = 1500
    # Where history and sessions are kept: a SQLite file, or ":memory:" (lost on exit).
    # main.py defaults to a file in the per-user data folder.
    db_path: str = ":memory:"
    # "normal" survives the server being killed; "full" also a power cut (an fsync per commit).
    db_sync: str = "normal"
    # How many recent messages a member gets when it joins.
    history_limit: int = DEFAULT_HISTORY
    # At most this many missed messages are sent to a member that reconnects.
    resume_limit: int = 100_000
    # Flood control: over this rate the server stops reading the connection for a moment,
    # so TCP slows the sender down and nothing is dropped. 0 = no limit.
    rate_per_s: float = DEFAULT_RATE
    rate_burst: int = DEFAULT_BURST
    # A member whose unread output passes this is disconnected as "too slow". 0 = no cap.
    max_output_bytes: int = DEFAULT_MAX_OUTPUT
    # Slowloris: a line started and not finished within this long closes the connection. 0 = off.
    line_timeout_ms: int = DEFAULT_LINE_TIMEOUT_S * 1000
    # JSON clients silent this long are pinged; silent past the idle timeout they are closed.
    ping_interval_ms: int = DEFAULT_PING_S * 1000
    idle_timeout_ms: int = DEFAULT_IDLE_S * 1000
    # Text clients (netcat, telnet) send no pings, so by default silence is not held against them.
    text_idle_timeout_ms: int = 0
    # TLS: serve TLS (implied by a certificate), with the certificate and key (PEM files) given, or else
    # with a self-signed pair made on first use in ``tls_folder`` (main.py: beside the database).
    tls: bool = False
    tls_cert: str = ""
    tls_key: str = ""
    tls_folder: str = ""
    # The password clients must give ("" for none); never shown by repr, so never logged with the settings.
    password: str = field(default="", repr=False)
    # After a wrong password, the next check from that address waits this long (doubling per failure, up to 30 s).
    password_delay_ms: int = 1000
    # A client on a server with a password must be in within this long of connecting: its password given
    # and checked (a check the guard would delay past this is refused at once, with the time to wait).
    auth_timeout_ms: int = DEFAULT_AUTH_TIMEOUT_S * 1000
    # Connections that have not given the password yet are not members and have their own small budget:
    # at most this many at once (0 = no limit), and this many from one address (0 = no limit).
    max_logins: int = DEFAULT_MAX_LOGINS
    max_logins_per_address: int = DEFAULT_MAX_LOGINS_PER_ADDRESS
    # A name a client chose with a client id stays reserved for that client id this long after it was
    # last used, so that its reconnect gets it back and a stranger does not. 0 = off.
    name_reservation_s: float = DEFAULT_NAME_RESERVATION_S
    # How often the server notes in its store that it is alive: after a SIGKILL the next run closes the
    # killed run's sessions at the last such note. 0 = never (they are closed at the next run's start).
    heartbeat_ms: int = DEFAULT_HEARTBEAT_S * 1000
    # The connection cache of this run keeps the members online and this many ended sessions; older ones
    # are folded into counts (all of them stay in the store). 0 = keep every one.
    cache_ended_sessions: int = DEFAULT_CACHE_ENDED_SESSIONS
    # Sessions of earlier runs and messages older than this many days are deleted from the store
    # (at start and then hourly). 0 = keep everything.
    retention_days: float = 0.0
    # Rooms (issue 18): at most this many rooms on the server, #lobby included, and this many rooms besides
    # #lobby per member. 0 = no limit.
    max_rooms: int = DEFAULT_MAX_ROOMS
    max_rooms_per_member: int = DEFAULT_ROOMS_PER_MEMBER
    # Finding the server on the LAN (issue 19): the name it announces itself by (DNS-SD), whether it announces
    # itself at all, and whether it does when it listens on loopback only (tests; nobody else could connect).
    # Files (issue 22): the largest file one may share (MB, 1,000,000 bytes), what one member (member key; a member
    # without a client id: its connection) may upload in 24 hours (MB), all the files kept (GB; beyond it the oldest
    # expire to make room), each 0 for no limit; and how long a file is kept (days; 0 = until the total expires it).
    max_file_mb: int = DEFAULT_MAX_FILE_MB
    file_quota_mb: int = DEFAULT_FILE_QUOTA_MB
    max_files_gb: float = DEFAULT_MAX_FILES_GB
    file_retention_days: float = 0.0
    name: str = field(default_factory=default_server_name)
    advertise: bool = True
    advertise_loopback: bool = False

    @property
    def wants_tls(self) -> bool:
        return self.tls or bool(self.tls_cert)


RUNTIME_SETTINGS = frozenset({"max_clients", "password", "name", "advertise", "advertise_loopback"})
"""What may change while the server runs (``ChatServer.apply_settings``): new connections see the change, members
already in stay. Everything else is fixed when the server starts."""


class NameRefused(ValueError):
    """``runtime_change``'s refusal of a server name that cannot be announced: ``problem`` is the rule it breaks
    (the message is its English sentence)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.english)
        self.problem = problem


def changed_settings(old: ServerSettings, new: ServerSettings) -> frozenset[str]:
    """The names of the settings ``new`` gives another value than ``old``."""
    return frozenset(f.name for f in fields(ServerSettings) if getattr(old, f.name) != getattr(new, f.name))


def runtime_change(current: ServerSettings, new: ServerSettings) -> ServerSettings:
    """``new`` as a running server takes it: ``max_clients`` at least 0 (0 = no limit), the password and the
    name without the blanks around them. Raises ValueError if it changes a setting outside ``RUNTIME_SETTINGS``,
    or NameRefused (a ValueError) if it gives a name that cannot be announced."""
    fixed = changed_settings(current, new) - RUNTIME_SETTINGS
    if fixed:
        raise ValueError(f"fixed while the server runs: {', '.join(sorted(fixed))}")
    problem = server_name_fault(new.name.strip())
    if problem is not None:
        raise NameRefused(problem)
    return replace(new, max_clients=max(0, new.max_clients), password=new.password.strip(), name=new.name.strip())
