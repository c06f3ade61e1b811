"""The one place an IPv4-mapped IPv6 peer address (what a dual-stack socket reports) becomes plain IPv4."""

from __future__ import annotations

import pytest

from chat_server.net.transport import unmapped_host


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
