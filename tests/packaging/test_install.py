"""``pip install .`` into a fresh venv gives a working ``lanchat`` command: the same help as main.py, the resources
shipped beside the code, and a headless server that answers a real socket.

What it proves: the build (pyproject.toml, setuptools) makes a wheel with every package and resource the checkout
has, its dependencies are requirements.txt's list, the console script runs the shared command line, and the installed
copy (not the checkout) runs. What it does not prove: that the dependencies download and install from PyPI. Installing
PySide6 takes minutes, so the fresh venv gets the packages of the venv running the tests (the same requirements.txt
pins, installed by CI moments before) through a .pth file, the package itself is installed with ``--no-deps``, and
``pip check`` confirms that what it declares is satisfied. Building needs setuptools from the package index: run
``pytest -m "not packaging"`` offline.
"""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.integration.test_headless import COVERAGE_ENV, LineSocket, read_port, stop_process

pytestmark = pytest.mark.packaging

ROOT = Path(__file__).resolve().parents[2]
INSTALL_TIMEOUT_S = 300
RUN_TIMEOUT_S = 60
NOT_SHIPPED = shutil.ignore_patterns(".*", "__pycache__", "build", "dist", "*.egg-info", "mutants", "tests", "bench",
                                     "shots", "htmlcov", "packaging")


@dataclass(frozen=True)
class Installed:
    venv: Path
    environment: dict[str, str]

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"

    @property
    def lanchat(self) -> Path:
        return self.venv / "bin" / "lanchat"

    def run(self, *command: str | Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(part) for part in command], cwd=self.venv, env=self.environment,
                              capture_output=True, text=True, timeout=RUN_TIMEOUT_S, check=False)


def clean_environment() -> dict[str, str]:
    """This process's environment without coverage's variables (the installed copy is not the code measured) and
    without PYTHONPATH (nothing of the checkout may leak in)."""
    dropped = {*COVERAGE_ENV, "PYTHONPATH"}
    return {key: value for key, value in os.environ.items() if key not in dropped} | {"PYTHONUNBUFFERED": "1"}


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    work = tmp_path_factory.mktemp("install")
    source, venv = work / "source", work / "venv"
    shutil.copytree(ROOT, source, ignore=NOT_SHIPPED)  # setuptools writes build/ and *.egg-info into its source
    environment = clean_environment()
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=INSTALL_TIMEOUT_S, env=environment)
    (site_packages,) = venv.glob("lib/python*/site-packages")
    (site_packages / "test_dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    result = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--no-deps", str(source)],
                            capture_output=True, text=True, timeout=INSTALL_TIMEOUT_S, env=environment, check=False)
    assert result.returncode == 0, result.stderr
    yield Installed(venv, environment)


def test_the_installed_command_has_main_pys_sub_commands_and_options(installed: Installed) -> None:
    result = installed.run(installed.lanchat, "--help")
    checkout = subprocess.run([sys.executable, "main.py", "--help"], cwd=ROOT, env=installed.environment,
                              capture_output=True, text=True, timeout=RUN_TIMEOUT_S, check=True)
    assert result.returncode == 0, result.stderr
    usage = "usage: lanchat [server options]   (the server window and one client window)"
    assert result.stdout.splitlines()[0] == usage
    assert result.stdout == checkout.stdout.replace("main.py", "lanchat")
    for command in ("server", "client", "demo", "discover"):
        assert installed.run(installed.lanchat, command, "--help").stdout.startswith(f"usage: lanchat {command} ")


def test_the_installed_copy_runs_with_every_resource_and_its_declared_dependencies(installed: Installed) -> None:
    where = installed.run(installed.python, "-c", "import chat_gui, chat_server, resources; "
                          "print(chat_gui.__file__, chat_server.__file__, resources.resource_path())")
    assert where.returncode == 0, where.stderr
    files = [Path(path) for path in where.stdout.split()]
    assert all(path.is_relative_to(installed.venv) for path in files), files

    def shipped(folder: Path) -> set[str]:
        return {str(path.relative_to(folder)) for path in folder.rglob("*")
                if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".ts"}

    assert shipped(files[2]) == shipped(ROOT / "resources")
    assert "icons/png/lanchat-256.png" in shipped(files[2]) and "lanchat.desktop" in shipped(files[2])

    requires = installed.run(installed.python, "-c", "import importlib.metadata as m; print(*m.requires('lan-chat'))")
    pins = [line.strip() for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    assert requires.stdout.split() == pins
    check = installed.run(installed.python, "-m", "pip", "check")
    assert check.returncode == 0, check.stdout


def test_the_installed_headless_server_answers_a_socket(installed: Installed) -> None:
    process = subprocess.Popen([str(installed.lanchat), "server", "--headless", "--port", "0", "--db", ":memory:"],
                               cwd=installed.venv, env=installed.environment, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
    try:
        client = LineSocket(read_port(process))
        assert client.line() == "Welcome Client01! Type a message, 'status' or 'exit'."
        client.send("Hello, Server!\n")
        assert client.line_matching(r".* ACK") == "Hello, Server! ACK"
        client.close()
    finally:
        stderr = stop_process(process)
    assert process.returncode == 0, stderr
