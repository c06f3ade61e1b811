"""How addresses are written and read (chat_server/protocol/addresses.py): host:port, mapped peers, all interfaces."""

from __future__ import annotations

import pytest

from chat_server.protocol.addresses import host_port, is_all_interfaces, is_localhost, unmapped_host


@pytest.mark.parametrize(("host", "plain"), [
    ("::ffff:127.0.0.1", "127.0.0.1"),
    ("::ffff:192.168.1.20", "192.168.1.20"),
    ("::FFFF:10.0.0.7", "10.0.0.7"),  # however the stack spells it
    ("::ffff:7f00:1", "127.0.0.1"),  # the same address written in hex groups
])
def test_a_mapped_address_is_written_as_ipv4(host: str, plain: str) -> None:
    assert unmapped_host(host) == plain


@pytest.mark.parametrize("host", [
    "127.0.0.1",
    "::1",
    "fe80::1",
    "::ffff:1",  # ::255.255.0.1, an IPv4-compatible form, not a mapped address
    "::ffff:not-an-address",
    "::ffff:",
    "",
])
def test_any_other_host_is_left_as_it_is(host: str) -> None:
    assert unmapped_host(host) == host


@pytest.mark.parametrize(("host", "port", "written"), [
    ("127.0.0.1", 12345, "127.0.0.1:12345"),
    ("localhost", 80, "localhost:80"),
    ("::1", 5000, "[::1]:5000"),
    ("::", 0, "[::]:0"),
    ("fe80::1%eth0", 7, "[fe80::1%eth0]:7"),
])
def test_host_port_puts_an_ipv6_address_in_brackets(host: str, port: int, written: str) -> None:
    assert host_port(host, port) == written


@pytest.mark.parametrize(("host", "all_interfaces"), [
    ("any", True), ("ANY", True), ("", True), ("*", True), ("0.0.0.0", True), ("::", True), (" :: ", True),
    ("127.0.0.1", False), ("::1", False), ("localhost", False), ("192.168.1.20", False),
])
def test_is_all_interfaces(host: str, all_interfaces: bool) -> None:
    assert is_all_interfaces(host) is all_interfaces


@pytest.mark.parametrize(("host", "local"), [
    ("localhost", True), ("LocalHost", True), ("127.0.0.1", True), (" 127.0.0.1 ", True),
    ("::1", False), ("any", False), ("192.168.1.20", False),
])
def test_is_localhost(host: str, local: bool) -> None:
    assert is_localhost(host) is local
