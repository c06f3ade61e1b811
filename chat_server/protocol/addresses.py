"""How addresses are written and read, in one place: ``host:port``, IPv4-mapped peers, "all interfaces".

Pure Python, in the protocol package because the wire writes addresses too (a status report's
``SessionInfo.address``, the line a plain client gets on a TLS port) and every layer above may
import protocol: the transports, the engine, the headless runner, the client and both windows.
"""

from __future__ import annotations

import ipaddress

__all__ = ["host_port", "is_all_interfaces", "is_localhost", "unmapped_host"]

_ALL_INTERFACES = frozenset({"any", "", "*", "0.0.0.0", "::"})
_LOCALHOST = frozenset({"localhost", "127.0.0.1"})
_MAPPED_PREFIX = "::ffff:"


def host_port(host: str, port: int) -> str:
    """``host:port`` as people and URLs write it: an IPv6 address in brackets (``[::1]:12345``)."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def is_all_interfaces(host: str) -> bool:
    """Whether ``host`` (as given, or as the server reports it) means every network interface."""
    return host.strip().lower() in _ALL_INTERFACES


def is_localhost(host: str) -> bool:
    """Whether ``host`` is the spelling of this machine the listening controls offer (IPv4 loopback)."""
    return host.strip().lower() in _LOCALHOST


def unmapped_host(host: str) -> str:
    """``host`` with an IPv4-mapped IPv6 address (``::ffff:192.0.2.7``) written as the IPv4 address it is.

    A dual-stack socket reports an IPv4 peer that way; the session cache, the refusal counts and the
    log must see one address per machine. Any other host is returned unchanged.
    """
    if host[:len(_MAPPED_PREFIX)].lower() != _MAPPED_PREFIX:
        return host
    try:
        mapped = ipaddress.IPv6Address(host).ipv4_mapped
    except ValueError:
        return host
    return host if mapped is None else str(mapped)
