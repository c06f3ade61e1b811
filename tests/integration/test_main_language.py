"""The windows' language as main.py chooses it: --lang on every window-opening command, else the system's."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.test_headless import ROOT, TIMEOUT_S
from tests.integration.test_launcher import _terminate, _wait_for_log

SPEAKS = r"The windows speak "


def _launch(tmp_path: Path, language_env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("LC_", "LANG"))}
    env.update(language_env, QT_QPA_PLATFORM="offscreen", XDG_DATA_HOME=str(tmp_path / "data"),
               XDG_CONFIG_HOME=str(tmp_path / "config"))
    return subprocess.Popen([sys.executable, "main.py", *args, "--log-level", "debug"], cwd=ROOT, env=env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _spoken(tmp_path: Path, language_env: dict[str, str], *args: str) -> str:
    process = _launch(tmp_path, language_env, *args)
    try:
        lines = _wait_for_log(process, SPEAKS)
    finally:
        _terminate(process)
    return lines[-1].split(SPEAKS, 1)[1].strip()


@pytest.mark.parametrize(("language_env", "args", "spoken"), [
    ({"LANG": "de_DE.UTF-8"}, ("server",), "de_DE: qtbase_de.qm server_de.qm client_de.qm"),
    ({"LANG": "de_AT.UTF-8"}, ("server", "--lang", "en"), "en_US: qtbase_en.qm server_en.qm client_en.qm"),
    ({"LANG": "C.UTF-8"}, ("server", "--lang", "de"), "de_DE: qtbase_de.qm server_de.qm client_de.qm"),
    ({"LANG": "C.UTF-8"}, ("server",), "en_US: qtbase_en.qm server_en.qm client_en.qm"),
])
def test_the_server_window_speaks_the_system_language_unless_lang_says_otherwise(
        tmp_path: Path, language_env: dict[str, str], args: tuple[str, ...], spoken: str) -> None:
    assert _spoken(tmp_path, language_env, *args, "--port", "0", "--db", ":memory:") == spoken


@pytest.mark.parametrize("args", [("client", "--port", "1"), ("demo", "--clients", "1", "--port", "0"),
                                  ("--port", "0")])
def test_every_window_opening_command_takes_lang(tmp_path: Path, args: tuple[str, ...]) -> None:
    extra = () if args[0] == "client" else ("--db", ":memory:")
    assert _spoken(tmp_path, {"LANG": "C.UTF-8"}, *args, *extra, "--lang", "de").startswith("de_DE: ")


def test_an_unknown_language_is_refused() -> None:
    result = subprocess.run([sys.executable, "main.py", "server", "--lang", "klingon"], cwd=ROOT,
                            capture_output=True, text=True, timeout=TIMEOUT_S, stdin=subprocess.DEVNULL,
                            env={**os.environ, "COLUMNS": "200"})
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == ("main.py server: error: argument --lang: not a language code: "
                                              "'klingon' (for example de, de_AT or en)")
