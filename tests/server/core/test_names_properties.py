"""Admission's names under any order of windows coming and going (hypothesis): no member ever holds a name that
looks like another member's, and a name taken is the name held."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from chat_server import protocol as p
from chat_server.core.admission import Admission
from chat_server.core.names import name_keys
from chat_server.settings import ServerSettings

# Look-alikes of each other in either key (aIice is alice as written and aiice in one case), and ClientNN names.
NAMES = ("alice", "ALICE", "aIice", "aiice", "AIICE", "bob", "Client01", "Client02")
CLIENT_IDS = ("a", "b", None)
INSTANCES = ("1", "2", None)


@dataclass(eq=False)
class Window:
    client_id: str | None
    instance: str | None


Connect = st.tuples(st.just("connect"), st.sampled_from(CLIENT_IDS), st.sampled_from(INSTANCES))
Hello = st.tuples(st.just("hello"), st.integers(0, 7), st.sampled_from((*NAMES, None)))
Leave = st.tuples(st.just("leave"), st.integers(0, 7), st.none())


def _check(admission: Admission[Window], online: list[Window]) -> None:
    names = admission.names
    for window in online:
        name = names.name_of(window)
        assert name is not None
        assert window in names.holders(name)
        for other in online:
            other_name = names.name_of(other)
            assert other_name is not None
            if other is not window and set(name_keys(name)) & set(name_keys(other_name)):
                # Only the windows of one member share a name (as written), never two members look-alikes.
                assert window.client_id is not None and other.client_id == window.client_id
                assert other_name == name


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(Connect, Hello, Leave), max_size=30))
@example([("connect", "a", "1"), ("hello", 0, "alice"), ("connect", "b", None), ("hello", 1, "aiice"),
          ("connect", "a", "1"), ("hello", 2, "aIice")])  # the same window back as a look-alike of both
def test_names_stay_one_members_whatever_comes_and_goes(steps: list[tuple[str, Any, Any]]) -> None:
    admission: Admission[Window] = Admission(lambda: replace(ServerSettings(), name_reservation_s=0),
                          lambda window: window.client_id, lambda window: window.instance)
    online: list[Window] = []
    for kind, first, second in steps:
        if kind == "connect":
            window = Window(first, second)
            admission.assign(window)
            online.append(window)
        elif online and kind == "leave":
            admission.forget(0, online.pop(first % len(online)))
        elif online and kind == "hello":
            window = online[first % len(online)]
            asked = second if isinstance(second, str) else admission.earlier_name(window)
            if asked is None:
                admission.welcomed(window)
                continue
            claim = admission.claim(window, asked, lambda name: None)
            if isinstance(claim, p.Error):
                admission.forget(0, window)
                online.remove(window)
            else:
                for old in claim.replaced:
                    admission.forget(0, old)
                    online.remove(old)
                name = asked if claim.shared_with is None else admission.names.name_of(claim.shared_with)
                assert name is not None
                admission.take(window, name, shared=claim.shared_with is not None)
                assert admission.names.name_of(window) == name  # the name taken is the name held
                admission.welcomed(window)
        _check(admission, online)
