"""The DNS-SD announcement both ways: what the server puts in its TXT record, and what a browser accepts back."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chat_server import protocol as p
from chat_server.protocol.discovery import (
    MAX_ANNOUNCED_COUNT,
    MAX_SERVER_NAME_LENGTH,
    MAX_TXT_VALUE_BYTES,
)

FP = ":".join(["AB"] * 32)
PLAIN = p.Announcement(name="LAN Chat on desk", host="192.0.2.7", port=5000, version=2, tls=False,
                       fingerprint=None, password=False, online=3, limit=0)
SECURE = replace(PLAIN, tls=True, fingerprint=FP, password=True, limit=50)


def _wire(a: p.Announcement) -> dict[bytes, bytes | None]:
    return {key.encode(): value.encode() for key, value in p.txt_properties(a).items()}


def _read(properties: dict[bytes, bytes | None], name: str = "desk._lanchat._tcp.local.",
          host: str = "192.0.2.7", port: int = 5000) -> p.Announcement | str:
    return p.announcement_from(name, host, port, properties)


def test_the_service_type() -> None:
    assert p.SERVICE_TYPE == "_lanchat._tcp.local."


def test_txt_properties_without_tls() -> None:
    assert p.txt_properties(PLAIN) == {"v": "2", "name": "LAN Chat on desk", "tls": "no", "password": "no",
                                       "online": "3", "limit": "0"}


def test_txt_properties_with_tls_carry_the_fingerprint() -> None:
    assert p.txt_properties(SECURE) == {"v": "2", "name": "LAN Chat on desk", "tls": "yes", "fp": FP,
                                        "password": "yes", "online": "3", "limit": "50"}


@pytest.mark.parametrize("announcement", [PLAIN, SECURE])
def test_an_announcement_reads_back_as_itself(announcement: p.Announcement) -> None:
    assert _read(_wire(announcement)) == announcement


def test_keys_are_matched_ignoring_case_and_unknown_ones_ignored() -> None:
    wire = {key.upper(): value for key, value in _wire(SECURE).items()}
    wire[b"colour"] = b"blue"
    wire[b"flag"] = None
    wire[b"\xff"] = b"x"
    assert _read(wire) == SECURE


def test_the_first_of_two_spellings_of_a_key_wins() -> None:
    wire = _wire(PLAIN)
    wire[b"ONLINE"] = b"99"
    assert _read(wire) == PLAIN


def test_a_lower_case_fingerprint_is_shown_in_upper_case() -> None:
    wire = _wire(SECURE) | {b"fp": FP.lower().encode()}
    assert _read(wire) == SECURE


def test_a_fingerprint_without_tls_is_ignored() -> None:
    assert _read(_wire(PLAIN) | {b"fp": FP.encode()}) == PLAIN


@pytest.mark.parametrize("name", ["desk._lanchat._tcp.local.", "desk._LANCHAT._tcp.local.", "desk"])
def test_without_a_name_the_instance_name_is_shown(name: str) -> None:
    wire = _wire(PLAIN)
    del wire[b"name"]
    assert _read(wire, name=name) == replace(PLAIN, name="desk")
    assert _read(wire | {b"name": b""}, name=name) == replace(PLAIN, name="desk")


def test_the_address_is_written_as_python_writes_it() -> None:
    assert _read(_wire(PLAIN), host="fe80:0::1") == replace(PLAIN, host="fe80::1")


@pytest.mark.parametrize(("change", "reason"), [
    ({b"v": None}, "the TXT record has no 'v'"),
    ({b"v": b"0"}, "the TXT record's 'v' is not a version number ('0')"),
    ({b"v": b"12345"}, "the TXT record's 'v' is not a version number ('12345')"),
    ({b"v": b"\xd9\xa3"}, "the TXT record's 'v' is not a version number ('\u0663')"),
    ({b"tls": b"YES"}, "the TXT record's 'tls' is not yes or no ('YES')"),
    ({b"password": b"1"}, "the TXT record's 'password' is not yes or no ('1')"),
    ({b"online": b"-1"}, f"the TXT record's 'online' is not a count from 0 to {MAX_ANNOUNCED_COUNT} ('-1')"),
    ({b"online": b"1_000"}, f"the TXT record's 'online' is not a count from 0 to {MAX_ANNOUNCED_COUNT} ('1_000')"),
    ({b"limit": b"10000000"},
     f"the TXT record's 'limit' is not a count from 0 to {MAX_ANNOUNCED_COUNT} ('10000000')"),
    ({b"limit": b" 5"}, f"the TXT record's 'limit' is not a count from 0 to {MAX_ANNOUNCED_COUNT} (' 5')"),
    ({b"name": b"\xff"}, "the TXT record's 'name' is not UTF-8"),
    ({b"name": b"x" * (MAX_TXT_VALUE_BYTES + 1)},
     f"the TXT record's 'name' is longer than {MAX_TXT_VALUE_BYTES} bytes"),
    ({b"name": b"two\nlines"},
     "a server's name is one line of visible characters (is one line) (not 'two\\nlines')"),
    ({b"name": "evil\u202egnp.exe".encode()},
     "a server's name is one line of visible characters (cannot contain bidirectional overrides "
     "(U+202E)) (not 'evil\\u202egnp.exe')"),
    ({b"name": b" padded"}, "a server's name cannot start or end with spaces (not ' padded')"),
    ({b"name": b"n" * (MAX_SERVER_NAME_LENGTH + 1)},
     f"a server's name is at most {MAX_SERVER_NAME_LENGTH} characters (not '{'n' * 40}')"),
])
def test_a_garbled_record_gives_its_reason(change: dict[bytes, bytes | None], reason: str) -> None:
    assert _read(_wire(PLAIN) | change) == reason


@pytest.mark.parametrize("key", [b"v", b"tls", b"password", b"online", b"limit"])
def test_each_required_key(key: bytes) -> None:
    wire = _wire(PLAIN)
    del wire[key]
    assert _read(wire) == f"the TXT record has no {key.decode()!r}"


def test_tls_without_a_fingerprint_is_refused() -> None:
    wire = _wire(SECURE)
    del wire[b"fp"]
    assert _read(wire) == "the TXT record says tls=yes but has no 'fp'"
    assert _read(wire | {b"fp": b"AB:CD"}) == "the TXT record's 'fp' is not a SHA-256 fingerprint ('AB:CD')"
    assert _read(wire | {b"fp": None}) == "the TXT record says tls=yes but has no 'fp'"


@pytest.mark.parametrize(("host", "port", "reason"), [
    ("desk.local.", 5000, "the address is not an IP address ('desk.local.')"),
    ("", 5000, "the address is not an IP address ('')"),
    ("192.0.2.7", 0, "the port is not 1 to 65535 (0)"),
    ("192.0.2.7", 65536, "the port is not 1 to 65535 (65536)"),
])
def test_a_bad_address_or_port_gives_its_reason(host: str, port: int, reason: str) -> None:
    assert _read(_wire(PLAIN), host=host, port=port) == reason


def test_a_bad_instance_name_is_refused_when_it_is_the_display_name() -> None:
    wire = _wire(PLAIN)
    del wire[b"name"]
    assert _read(wire, name="\x07bell._lanchat._tcp.local.") == \
        "a server's name is one line of visible characters (cannot contain control characters) " \
        "(not '\\x07bell')"


@pytest.mark.parametrize(("name", "problem"), [
    ("LAN Chat on desk", None),
    ("Café: 2nd floor", None),
    ("", "a server's name cannot be empty"),
    ("   ", "a server's name cannot be empty"),
    ("x" * MAX_SERVER_NAME_LENGTH, None),
    ("\U0001F600" * MAX_SERVER_NAME_LENGTH, "a server's name is at most 250 bytes of UTF-8"),
    ("a\ud800b", "a server's name cannot contain lone surrogates"),
    ("zero\u200bwidth", "a server's name is one line of visible characters "
                        "(cannot contain invisible characters (U+200B))"),
])
def test_server_name_problem(name: str, problem: str | None) -> None:
    assert p.server_name_problem(name) == problem


# --- property tests -----------------------------------------------------------------------------

_names = st.text(min_size=1, max_size=MAX_SERVER_NAME_LENGTH).filter(lambda n: p.server_name_problem(n) is None)
_counts = st.integers(min_value=0, max_value=MAX_ANNOUNCED_COUNT)
_hosts = st.one_of(st.ip_addresses(v=4).map(str), st.ip_addresses(v=6).map(str))


@st.composite
def announcements(draw: st.DrawFn) -> p.Announcement:
    tls = draw(st.booleans())
    fingerprint = ":".join(f"{b:02X}" for b in draw(st.binary(min_size=32, max_size=32))) if tls else None
    return p.Announcement(name=draw(_names), host=draw(_hosts), port=draw(st.integers(1, 65535)),
                          version=draw(st.integers(1, 9999)), tls=tls, fingerprint=fingerprint,
                          password=draw(st.booleans()), online=draw(_counts), limit=draw(_counts))


@given(announcements())
def test_any_valid_announcement_survives_the_round_trip(a: p.Announcement) -> None:
    wire = _wire(a)
    assert all(len(key) + 1 + len(value or b"") <= 255 for key, value in wire.items())
    assert p.announcement_from(f"other.{p.SERVICE_TYPE}", a.host, a.port, wire) == a


_values = st.one_of(st.none(), st.binary(max_size=300),
                    st.sampled_from([b"yes", b"no", b"0", b"2", b"", FP.encode(), b"\xff\xfe"]))
_keys = st.one_of(st.binary(max_size=12), st.sampled_from([b"v", b"name", b"tls", b"fp", b"password", b"online",
                                                           b"limit", b"TLS", b"Name"]))


@given(st.text(max_size=80), st.text(max_size=50), st.integers(-(2**40), 2**40),
       st.dictionaries(_keys, _values, max_size=12))
def test_any_record_gives_an_announcement_or_a_reason(name: str, host: str, port: int,
                                                      properties: dict[bytes, bytes | None]) -> None:
    result = p.announcement_from(name, host, port, properties)
    assert isinstance(result, p.Announcement | str)
    if isinstance(result, str):
        assert result and len(result) < 400
    else:
        assert p.server_name_problem(result.name) is None
        assert 0 < result.port < 65536 and (result.fingerprint is not None) == result.tls


@given(announcements(), st.dictionaries(_keys, _values, max_size=4))
def test_a_valid_record_with_noise_never_raises(a: p.Announcement, noise: dict[bytes, bytes | None]) -> None:
    result = p.announcement_from(a.name, a.host, a.port, _wire(a) | noise)
    assert isinstance(result, p.Announcement | str)
