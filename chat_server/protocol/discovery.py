"""The server's DNS-SD announcement: its service type, what it says (TXT properties) and how a browser reads it back.

Pure Python (no zeroconf, no Qt): the announcer (chat_server/net/announcer.py) turns an ``Announcement`` into
``txt_properties`` for zeroconf's ``ServiceInfo``; a browser (``discover``, the client window's list) hands what
zeroconf resolved to ``announcement_from``, which validates it once, here. An announcement is untrusted: anyone
on the LAN can send one, so a forged or garbled record gives a reason string (never an exception) and every
length is bounded.

Zeroconf on this machine (checked with zeroconf 0.154.0): multicast works on the loopback interface, with no
trick needed. A ``Zeroconf(interfaces=["127.0.0.1"], ip_version=IPVersion.V4Only)`` registering a service with
address 127.0.0.1 is found by a second such instance (in the same process or another) within a fraction of a
second, and its ``unregister_service`` goodbye reaches the browser as ``ServiceStateChange.Removed``. The
default ``InterfaceChoice.All`` finds it too, but tests should pass ``interfaces=["127.0.0.1"]`` so that they
stay on loopback and send nothing to the LAN.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from chat_server.protocol.messages import text_fault
from chat_server.protocol.problems import Problem, ProblemCode

__all__ = [
    "MAX_ANNOUNCED_COUNT", "MAX_SERVER_NAME_BYTES", "MAX_SERVER_NAME_LENGTH", "MAX_TXT_VALUE_BYTES", "SERVICE_TYPE",
    "Announcement", "announcement_from", "server_name_fault", "server_name_problem", "txt_properties",
]

SERVICE_TYPE = "_lanchat._tcp.local."
MAX_TXT_VALUE_BYTES = 255 - len("name=")
"""The longest value a TXT property may have: DNS-SD gives each ``key=value`` string at most 255 bytes."""
MAX_SERVER_NAME_LENGTH = 64
"""A server's display name, in characters (``LAN Chat on <hostname>`` fits: a host name is at most 63)."""
MAX_SERVER_NAME_BYTES = MAX_TXT_VALUE_BYTES
"""...and in bytes of UTF-8, so that it fits one TXT string."""
MAX_ANNOUNCED_COUNT = 9_999_999
"""The largest member count or limit an announcement may carry (seven digits): more is garbled, not news."""

_YES, _NO = "yes", "no"
_COUNT = re.compile(r"[0-9]{1,7}", re.ASCII)
_VERSION = re.compile(r"[0-9]{1,4}", re.ASCII)
# SHA-256 as the app shows it everywhere else (chat_server/net/tls.py): 32 colon-separated pairs of hex digits.
_FINGERPRINT = re.compile(r"(?:[0-9A-F]{2}:){31}[0-9A-F]{2}", re.ASCII | re.IGNORECASE)
_SHOWN = 40  # characters of a bad value quoted in a reason


@dataclass(frozen=True)
class Announcement:
    """One server on the network as it announces itself: where to connect and what it says about itself."""

    name: str  # the display name (``--name``)
    host: str  # the address to connect to, as text (an IP address)
    port: int
    version: int  # the highest protocol version the server speaks
    tls: bool
    fingerprint: str | None  # the certificate's SHA-256 (``AB:CD:...``), only when tls
    password: bool  # whether the server asks for a password
    online: int  # members online
    limit: int  # the most members it takes; 0 = no limit


def txt_properties(a: Announcement) -> dict[str, str]:
    """The TXT properties announcing ``a``: ``v``, ``name``, ``tls``, ``fp`` (only with TLS), ``password``,
    ``online``, ``limit``."""
    properties = {"v": str(a.version), "name": a.name, "tls": _yes_no(a.tls)}
    if a.tls and a.fingerprint:
        properties["fp"] = a.fingerprint
    properties.update(password=_yes_no(a.password), online=str(a.online), limit=str(a.limit))
    return properties


# A message's rules, as a server's name breaks them (an empty name is found before).
_SERVER_NAME_TEXT_CODES = {
    ProblemCode.TEXT_LINES: ProblemCode.SERVER_NAME_LINES,
    ProblemCode.TEXT_CONTROL: ProblemCode.SERVER_NAME_CONTROL,
    ProblemCode.TEXT_SEPARATOR: ProblemCode.SERVER_NAME_SEPARATOR,
    ProblemCode.TEXT_BIDI: ProblemCode.SERVER_NAME_BIDI,
    ProblemCode.TEXT_INVISIBLE: ProblemCode.SERVER_NAME_INVISIBLE,
}


def server_name_fault(name: str) -> Problem | None:
    """Why ``name`` cannot be a server's display name (one line of visible text, bounded), or None if it can."""
    if not name.strip():
        return Problem(ProblemCode.SERVER_NAME_EMPTY)
    if name != name.strip():
        return Problem(ProblemCode.SERVER_NAME_SPACES)
    if len(name) > MAX_SERVER_NAME_LENGTH:
        return Problem(ProblemCode.SERVER_NAME_TOO_LONG, limit=MAX_SERVER_NAME_LENGTH)
    if len(name.encode("utf-8", "surrogatepass")) > MAX_SERVER_NAME_BYTES:
        return Problem(ProblemCode.SERVER_NAME_TOO_MANY_BYTES, limit=MAX_SERVER_NAME_BYTES)
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in name):
        return Problem(ProblemCode.SERVER_NAME_SURROGATES)
    fault = text_fault(name)
    if fault is not None:
        return Problem(_SERVER_NAME_TEXT_CODES[fault.code], found=fault.found)
    return None


def server_name_problem(name: str) -> str | None:
    """``server_name_fault`` as the protocol's English sentence."""
    fault = server_name_fault(name)
    return None if fault is None else fault.english


def announcement_from(name: str, host: str, port: int, properties: dict[bytes, bytes | None]) -> Announcement | str:
    """The announcement a resolved service makes, or why it is not one (a reason string; nothing raises).

    ``name`` is the service's name, whole (``My server._lanchat._tcp.local.``) or its instance part alone;
    that text is the display name when the TXT record has no ``name``. ``host`` is the address it resolved
    to, ``port`` its port, ``properties`` its TXT record as zeroconf gives it (keys are matched ignoring case;
    unknown keys are ignored, as DNS-SD wants).
    """
    values = _decoded(properties)
    if isinstance(values, str):
        return values
    address = _address(host)
    if address is None:
        return f"the address is not an IP address ({host[:_SHOWN]!r})"
    if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
        return f"the port is not 1 to 65535 ({port!r})"[:2 * _SHOWN]
    fields: dict[str, int | bool] = {}
    for key, read in (("v", _version), ("tls", _flag), ("password", _flag), ("online", _count), ("limit", _count)):
        value = values.get(key)
        if value is None:
            return f"the TXT record has no {key!r}"
        parsed = read(value)
        if parsed is None:
            return f"the TXT record's {key!r} is not {_EXPECTED[read]} ({value[:_SHOWN]!r})"
        fields[key] = parsed
    display = values.get("name") or _instance_part(name)
    problem = server_name_problem(display)
    if problem is not None:
        return f"{problem} (not {display[:_SHOWN]!r})"
    fingerprint = None
    if fields["tls"]:
        fp = values.get("fp")
        if fp is None:
            return "the TXT record says tls=yes but has no 'fp'"
        if not _FINGERPRINT.fullmatch(fp):
            return f"the TXT record's 'fp' is not a SHA-256 fingerprint ({fp[:_SHOWN]!r})"
        fingerprint = fp.upper()
    return Announcement(
        name=display, host=address, port=port, version=int(fields["v"]), tls=bool(fields["tls"]),
        fingerprint=fingerprint, password=bool(fields["password"]), online=int(fields["online"]),
        limit=int(fields["limit"]),
    )


def _yes_no(flag: bool) -> str:
    return _YES if flag else _NO


def _decoded(properties: dict[bytes, bytes | None]) -> dict[str, str | None] | str:
    """The properties as text, keys in lower case (the first of two spellings wins), or why they are garbled."""
    values: dict[str, str | None] = {}
    for raw_key, raw_value in properties.items():
        try:
            key = raw_key.decode("ascii").lower()
        except (UnicodeDecodeError, AttributeError):
            continue  # not a key DNS-SD allows (printable ASCII): none of ours
        if key in values:
            continue
        if raw_value is None:
            values[key] = None
            continue
        if not isinstance(raw_value, bytes) or len(raw_value) > MAX_TXT_VALUE_BYTES:
            return f"the TXT record's {key[:_SHOWN]!r} is longer than {MAX_TXT_VALUE_BYTES} bytes"
        try:
            values[key] = raw_value.decode("utf-8")
        except UnicodeDecodeError:
            return f"the TXT record's {key[:_SHOWN]!r} is not UTF-8"
    return values


def _address(host: str) -> str | None:
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return None


def _instance_part(name: str) -> str:
    suffix = "." + SERVICE_TYPE
    return name[:-len(suffix)] if name.lower().endswith(suffix) else name


def _flag(value: str) -> bool | None:
    return True if value == _YES else False if value == _NO else None


def _count(value: str) -> int | None:
    return int(value) if _COUNT.fullmatch(value) else None


def _version(value: str) -> int | None:
    return int(value) if _VERSION.fullmatch(value) and int(value) > 0 else None


_EXPECTED = {_flag: "yes or no", _count: f"a count from 0 to {MAX_ANNOUNCED_COUNT}", _version: "a version number"}
