"""Where the server announces itself, and the instance name it announces (chat_server/net/announcer.py)."""

from __future__ import annotations

import pytest

from chat_server.net.announcer import (
    MAX_INSTANCE_BYTES,
    AnnouncementScope,
    announcement_scope,
    host_label,
    instance_label,
)

LAN = ("192.0.2.7", "198.51.100.3")


@pytest.mark.parametrize(("host", "advertise", "loopback", "scope"), [
    ("any", True, False, AnnouncementScope(LAN)),
    ("0.0.0.0", True, True, AnnouncementScope((*LAN, "127.0.0.1"))),
    ("::", True, False, AnnouncementScope(LAN)),
    ("192.0.2.7", True, False, AnnouncementScope(("192.0.2.7",))),
    ("127.0.0.1", True, True, AnnouncementScope(("127.0.0.1",))),
    ("localhost", True, True, AnnouncementScope(("127.0.0.1",))),
    ("127.0.0.1", True, False,
     "not announced on the network: it listens on loopback only (--advertise announces it there)"),
    ("any", False, True, "not announced on the network: switched off"),
    ("192.0.2.7", False, False, "not announced on the network: switched off"),
    ("::1", True, True, "not announced on the network: only IPv4 addresses are announced"),
    ("2001:db8::1", True, False, "not announced on the network: only IPv4 addresses are announced"),
    ("not-an-ip", True, False, "not announced on the network: 'not-an-ip' is not an IP address"),
])
def test_announcement_scope(host: str, advertise: bool, loopback: bool, scope: AnnouncementScope | str) -> None:
    assert announcement_scope(host, advertise, loopback, LAN) == scope


def test_all_interfaces_without_an_ipv4_address_is_not_announced() -> None:
    assert announcement_scope("any", True, False, ()) == \
        "not announced on the network: no network interface has an IPv4 address"
    assert announcement_scope("any", True, True, ()) == AnnouncementScope(("127.0.0.1",))


def test_this_machine_s_addresses_leave_loopback_out() -> None:
    scope = announcement_scope("any", True, False)
    if isinstance(scope, AnnouncementScope):
        assert "127.0.0.1" not in scope.addresses and scope.addresses
    else:
        assert scope == "not announced on the network: no network interface has an IPv4 address"


@pytest.mark.parametrize(("name", "label"), [
    ("LAN Chat on desk", "LAN Chat on desk (desk:12345)"),
    ("v2.0 server", "v2 0 server (desk:12345)"),
    ("...", "LAN Chat (desk:12345)"),
    ("x" * 64, "x" * 50 + " (desk:12345)"),
    ("é" * 40, "é" * 25 + " (desk:12345)"),
    ("a " + "\U0001F600" * 20, "a " + "\U0001F600" * 12 + " (desk:12345)"),
])
def test_instance_label_fits_one_dns_label(name: str, label: str) -> None:
    assert instance_label(name, 12345, "desk") == label
    assert len(label.encode("utf-8")) <= MAX_INSTANCE_BYTES


@pytest.mark.parametrize(("host", "label"), [
    ("desk", "desk"), ("Desk.example.org", "desk"), ("my_pc 2", "my-pc-2"), ("ÉTÉ", "t"), ("ÉÉ", "host"),
    ("a" * 30, "a" * 20), ("", "host"),
])
def test_host_label(host: str, label: str) -> None:
    assert host_label(host) == label


def test_the_longest_names_still_fit() -> None:
    label = instance_label("\U0001F600" * 64, 65535, "h" * 63)
    assert len(label.encode("utf-8")) <= MAX_INSTANCE_BYTES and label.endswith(" (hhhhhhhhhhhhhhhhhhhh:65535)")
