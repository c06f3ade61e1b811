"""A chat connection with a blocking socket and the protocol's codec, for scripts that need no event loop (the
``send`` and ``download`` commands, issue 22): hello, the welcome, one request and its reply, exit.

TLS servers are trusted as the client window trusts them: by the certificate fingerprint remembered for the
address (trust on first use; a different one is refused).
"""

from __future__ import annotations

import socket
import ssl
import time
from collections.abc import Callable

from chat_gui.client.transfer import certificate_fingerprint
from chat_server import protocol as p

CONNECT_TIMEOUT_S = 10.0
"""How long connecting (TLS included) may take."""

REPLY_TIMEOUT_S = 30.0
"""How long the server may take to answer the hello or a request."""

READ_BYTES = 65536


class ChatFailure(Exception):
    """The chat connection could not do what was asked: the reason, in plain words (``code``: the server's error
    code, if it refused)."""

    def __init__(self, text: str, code: str = "") -> None:
        super().__init__(text)
        self.code = code


class Trust:
    """How a TLS server's fingerprint is judged: ``known(host, port)`` gives the one remembered (None: first
    contact), ``remember(host, port, fingerprint)`` keeps a new one."""

    def __init__(self, known: Callable[[str, int], str | None],
                 remember: Callable[[str, int, str], None]) -> None:
        self.known = known
        self.remember = remember


class BlockingChat:
    """One member's chat connection, used one request at a time."""

    def __init__(self, host: str, port: int, tls: bool = False, trust: Trust | None = None) -> None:
        self.host, self.port, self.tls = host, port, tls
        self.fingerprint: str | None = None  # the TLS server's certificate, as trusted
        self.welcome: p.Welcome | None = None
        self._decoder = p.ClientDecoder()
        self._events: list[p.Event] = []
        try:
            raw = socket.create_connection((host, port), timeout=CONNECT_TIMEOUT_S)
        except OSError as exc:
            raise ChatFailure(f"cannot connect to {p.host_port(host, port)}: {exc.strerror or exc}") from exc
        self._sock: socket.socket = raw
        if tls:
            self._sock = self._encrypt(raw, trust)
        self._sock.settimeout(REPLY_TIMEOUT_S)

    def _encrypt(self, raw: socket.socket, trust: Trust | None) -> socket.socket:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE  # a self-signed certificate: the remembered fingerprint vouches for it
        try:
            conn = context.wrap_socket(raw, server_hostname=self.host or None)
        except (OSError, ssl.SSLError) as exc:
            raw.close()
            raise ChatFailure(f"TLS with {p.host_port(self.host, self.port)} failed: {exc}") from exc
        der = conn.getpeercert(binary_form=True)
        found = certificate_fingerprint(der) if der else ""
        known = trust.known(self.host, self.port) if trust is not None else None
        if not found or (known is not None and known != found):
            conn.close()
            raise ChatFailure(f"{p.host_port(self.host, self.port)} presented a different certificate than before "
                              f"(expected SHA-256 {known}, got {found}): not connected")
        if known is None and trust is not None:
            trust.remember(self.host, self.port, found)
        self.fingerprint = found
        return conn

    def join(self, name: str | None, client_id: str, password: str | None) -> p.Welcome:
        """Say hello and wait for the welcome (a refusal is a ChatFailure with the server's words)."""
        self.write(p.Hello(version=p.ROOMS_VERSION, name=name, client_id=client_id, password=password or None))
        while True:
            event = self.next_event()
            match event:
                case p.Welcome():
                    self.welcome = event
                    return event
                case p.Error(code=code, text=text) | p.Refusal(reason=code, text=text):
                    raise ChatFailure(f"refused: {text}", code)

    def write(self, message: p.Message) -> None:
        try:
            self._sock.sendall(p.encode(message))
        except OSError as exc:
            raise ChatFailure(f"the connection to the server broke: {exc.strerror or exc}") from exc

    def next_event(self, timeout_s: float = REPLY_TIMEOUT_S) -> p.Event:
        """The server's next message (pings answered on the way); a ChatFailure if it closes or stays silent."""
        deadline = time.monotonic() + timeout_s
        while True:
            while self._events:
                event = self._events.pop(0)
                if isinstance(event, p.Ping):
                    self.write(p.Pong(token=event.token))
                    continue
                if isinstance(event, p.Goodbye):
                    raise ChatFailure(f"the server ended the connection: {event.text or event.reason}", event.reason)
                return event
            left = deadline - time.monotonic()
            if left <= 0:
                raise ChatFailure(f"the server did not answer within {timeout_s:g} s")
            self._sock.settimeout(left)
            try:
                data = self._sock.recv(READ_BYTES)
            except TimeoutError:
                continue
            except OSError as exc:
                raise ChatFailure(f"the connection to the server broke: {exc.strerror or exc}") from exc
            if not data:
                raise ChatFailure("the server closed the connection")
            self._events.extend(self._decoder.feed(data))

    def reply_to(self, request_id: str, timeout_s: float = REPLY_TIMEOUT_S) -> p.Event:
        """The next message that answers the request ``request_id``: its reply (anything with that ``id``), or a
        ChatFailure for an error about it."""
        while True:
            event = self.next_event(timeout_s)
            if getattr(event, "id", None) != request_id:
                continue  # others' messages, joins and leaves: not this script's business
            if isinstance(event, p.Error):
                raise ChatFailure(event.text, event.code)
            return event

    def close(self) -> None:
        """Say exit and close (without waiting long for the goodbye)."""
        try:
            self._sock.settimeout(1.0)
            self._sock.sendall(p.encode(p.Exit()))
        except OSError:
            pass
        finally:
            self._sock.close()
