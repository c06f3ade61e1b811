"""What a running server may change in its settings, and how a change is taken (chat_server/settings.py)."""

from __future__ import annotations

from dataclasses import fields, replace

import pytest

from chat_server.protocol import server_name_problem
from chat_server.settings import (
    RUNTIME_SETTINGS,
    ServerSettings,
    changed_settings,
    default_server_name,
    runtime_change,
)

BASE = ServerSettings(max_clients=3, password="")


def test_the_settings_a_running_server_may_change() -> None:
    assert {"max_clients", "password", "name", "advertise", "advertise_loopback"} == RUNTIME_SETTINGS
    assert {f.name for f in fields(ServerSettings)} >= RUNTIME_SETTINGS


def test_changed_settings_names_each_setting_that_differs() -> None:
    assert changed_settings(BASE, BASE) == frozenset()
    assert changed_settings(BASE, replace(BASE, max_clients=5, password="x")) == {"max_clients", "password"}
    assert changed_settings(BASE, replace(BASE, port=1)) == {"port"}


def test_a_runtime_change_is_taken_as_the_server_uses_it() -> None:
    taken = runtime_change(BASE, replace(BASE, max_clients=-4, password="  let me in \t"))
    assert (taken.max_clients, taken.password) == (0, "let me in")  # no limit; no blanks around the password
    assert runtime_change(BASE, BASE) == BASE


@pytest.mark.parametrize("change", [{"port": 1}, {"tls": True}, {"rate_per_s": 1.0}, {"history_limit": 1}])
def test_a_setting_fixed_at_start_cannot_change_while_running(change: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=f"fixed while the server runs: {next(iter(change))}"):
        runtime_change(BASE, replace(BASE, max_clients=9, **change))  # type: ignore[arg-type]


def test_a_runtime_change_takes_the_name_without_blanks_and_refuses_one_that_cannot_be_announced() -> None:
    assert runtime_change(BASE, replace(BASE, name="  Office chat ")).name == "Office chat"
    with pytest.raises(ValueError, match=r"^a server's name cannot be empty$"):
        runtime_change(BASE, replace(BASE, name="  "))
    with pytest.raises(ValueError, match="one line"):
        runtime_change(BASE, replace(BASE, name="two\nlines"))


@pytest.mark.parametrize(("hostname", "name"), [
    ("desk", "LAN Chat on desk"),
    ("desk.example.org", "LAN Chat on desk"),
    ("h" * 63, "LAN Chat on " + "h" * 52),
    ("", "LAN Chat"),
    ("\x07bell", "LAN Chat"),
])
def test_the_default_name_is_lan_chat_on_the_host(hostname: str, name: str) -> None:
    assert default_server_name(hostname) == name
    assert server_name_problem(name) is None


def test_the_default_name_is_this_host_s() -> None:
    assert ServerSettings().name == default_server_name()
    assert ServerSettings().advertise and not ServerSettings().advertise_loopback
