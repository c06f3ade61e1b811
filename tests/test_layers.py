"""The import rules of the layers, read from the source with ast (nothing is imported).

- no import cycles between modules: none in what modules name (type-only and deferred imports included),
  and none in what runs at import time (the package ``__init__``s an import runs included);
- the protocol package and the pure modules of the server core reach no PySide6, even through other modules;
- the windows (client window, server window, shared widgets, launcher) import another package only through
  what its ``__init__`` exports (``__all__``), never ``sqlite3``;
- no ``import sqlite3`` outside chat_server/store/sqlite.py (and its search, chat_server/store/sqlite_search.py, and
  its log's checkpoints, chat_server/store/wal_checkpoints.py);
- a module over 400 lines says why at its top (a line ``Over 400 lines: <reason>`` in its first lines).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("chat_server", "chat_gui")

QT_FREE = ("chat_server.protocol", "chat_server.settings")
"""Packages and modules nothing in which may reach PySide6."""
QT_CORE_MODULES = {
    "chat_server.core.engine",  # a QObject with signals, over the reactor
    "chat_server.core.arrivals",  # accepts from the listener and greets through the connections (signals)
    "chat_server.core.conversation_hub",  # rooms and direct messages delivered through the connections
    "chat_server.core.replay_view",  # reads the hub's rooms of connections for a replay
    "chat_server.core.room_requests",  # answers requests about rooms through the connections
    "chat_server.core.room_operator",  # the operator's changes to rooms, told through the connections
    "chat_server.core.search_requests",  # searches through the connections, answered by a queued signal
    "chat_server.core.commit",  # acknowledges and fans out through the connections and the write scheduler
    "chat_server.core.dispatch",  # carries out what arrives on the connections (a slot for their signal)
    "chat_server.core.departures",  # goodbyes through the connections, the stop's timeout (QTimer), signals
    "chat_server.core.member_replies",  # history and status pages written to connections as they drain
    "chat_server.core.replies",  # the same, paced by the reactor
    "chat_server.core.scrollback",  # a page of a conversation's history, written as a reply to the connection
    "chat_server.core.roster",  # the connections online
    "chat_server.core.upkeep",  # the store's heartbeat and pruning timers (QTimer)
    "chat_server.core.advertising",  # follows the engine's signals; its update interval is a QTimer
    "chat_server.core.typing_relay",  # relays typing notices through the connections, over the hub
    "chat_server.core.away",  # tells away and back through the connections, over the hub
    "chat_server.core.file_requests",  # answers file requests through the connections; its jobs are the threads'
    "chat_server.core.file_relays",  # a share's relay as each connection reads it
    "chat_server.core.transfer_door",  # takes a connection off the books and gives its transport to a thread
    "chat_server.core.shared_files",  # a QObject with signals for the window; its upkeep is a QTimer
}
"""The server core's modules that use Qt, directly or through the connections and the reactor; every other module
of chat_server/core is pure Python, and a new one is too unless it is added here with its reason."""

WINDOWS = ("chat_gui.client_window", "chat_gui.server_window", "chat_gui.widgets", "chat_gui.launcher")
PUBLIC_MODULES = {"chat_server.settings", "chat_server.assembly", "chat_gui.i18n"}
"""Modules (not packages) a window may import from as a whole: the server's settings and their defaults, the
engine put together with its store (what the launcher starts), and the translators the launcher installs."""

SQLITE_HOMES = ("chat_server.store.sqlite", "chat_server.store.sqlite_search", "chat_server.store.sqlite_files",
                "chat_server.store.wal_checkpoints")

# Work of issue 17 still under way when these rules came: each module here is expected to fail the rule (strict
# xfail), and is to be removed from here by whoever makes it pass.
LONG_FOR_NOW: dict[str, str] = {}
MAX_LINES = 400
REASON = re.compile(r"^\s*(#\s*)?Over 400 lines: \S")
REASON_WITHIN = 12  # lines from the top


@dataclass
class Module:
    name: str
    path: Path
    tree: ast.Module
    is_package: bool
    imports: set[str] = field(default_factory=set)  # project modules loaded at import time (package inits too)
    depends: set[str] = field(default_factory=set)  # project modules named by any import, type-only and deferred too
    stdlib_or_third: set[str] = field(default_factory=set)  # other top-level modules imported, anywhere
    # (module imported from, names taken, line) for every project import, anywhere in the module
    taken: list[tuple[str, tuple[str, ...], int]] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)  # local name -> project package bound to it


def _module_name(path: Path) -> tuple[str, bool]:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        return ".".join(parts[:-1]), True
    return ".".join(parts), False


def _load() -> dict[str, Module]:
    modules: dict[str, Module] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            name, is_package = _module_name(path)
            modules[name] = Module(name, path, ast.parse(path.read_text(encoding="utf-8"), str(path)), is_package)
    main = ROOT / "main.py"
    modules["main"] = Module("main", main, ast.parse(main.read_text(encoding="utf-8"), str(main)), False)
    for module in modules.values():
        _read_imports(module, modules)
    return modules


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _load_time_statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """The statements run when the module is imported (not function bodies, not ``if TYPE_CHECKING``)."""
    for node in body:
        if isinstance(node, ast.If):
            if not _is_type_checking(node):
                yield from _load_time_statements(node.body)
            yield from _load_time_statements(node.orelse)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody, *(h.body for h in node.handlers)):
                yield from _load_time_statements(block)
        elif isinstance(node, (ast.With, ast.ClassDef)):
            yield from _load_time_statements(node.body)
        else:
            yield node


def _is_project(name: str) -> bool:
    return name.split(".")[0] in (*PACKAGES, "main")


def _source(node: ast.ImportFrom, importer: Module) -> str:
    """The absolute name of the module ``node`` imports from."""
    if not node.level:
        return node.module or ""
    package = importer.name if importer.is_package else importer.name.rpartition(".")[0]
    for _ in range(node.level - 1):
        package = package.rpartition(".")[0]
    return f"{package}.{node.module}" if node.module else package


def _named(node: ast.Import | ast.ImportFrom, importer: Module, modules: dict[str, Module]) -> set[str]:
    """The project modules an import statement names: each imported module, else the module imported from."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names} & modules.keys()
    base = _source(node, importer)
    found = {f"{base}.{alias.name}" for alias in node.names} & modules.keys()
    if len(found) < len(node.names):
        found.add(base)
    return found & modules.keys()


def _loaded(named: set[str], importer: Module, modules: dict[str, Module]) -> set[str]:
    """What importing ``named`` runs: each module and the ``__init__`` of its packages (a package by its name),
    except the importer's own packages, which are being initialised already."""
    loaded: set[str] = set()
    own = importer.name if importer.is_package else importer.name.rpartition(".")[0]
    for target in named:
        parts = target.split(".")
        for i in range(1, len(parts) + 1):
            prefix = ".".join(parts[:i])
            if prefix in modules and not (own == prefix or own.startswith(prefix + ".")):
                loaded.add(prefix)
    return loaded


def _read_imports(module: Module, modules: dict[str, Module]) -> None:
    load_time = {id(node) for node in _load_time_statements(module.tree.body)}
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Import):
            module.stdlib_or_third |= {alias.name.split(".")[0] for alias in node.names if not _is_project(alias.name)}
            for alias in node.names:
                if _is_project(alias.name):
                    module.taken.append((alias.name, (), node.lineno))
                    if alias.asname:
                        module.aliases[alias.asname] = alias.name
        elif isinstance(node, ast.ImportFrom):
            source = _source(node, module)
            if not _is_project(source):
                module.stdlib_or_third.add(source.split(".")[0])
                continue
            module.taken.append((source, tuple(alias.name for alias in node.names), node.lineno))
            for alias in node.names:
                if f"{source}.{alias.name}" in modules:
                    module.aliases[alias.asname or alias.name] = f"{source}.{alias.name}"
        else:
            continue
        named = _named(node, module, modules)
        module.depends |= named
        if id(node) in load_time:
            module.imports |= _loaded(named, module, modules)


MODULES = _load()


def _public_names(package: str) -> set[str] | None:
    """What a package's ``__init__`` exports (its ``__all__``, literal strings only); None if not a package."""
    module = MODULES.get(package)
    if module is None or not module.is_package:
        return None
    names: set[str] = set()
    for node in module.tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets) and node.value is not None:
                for element in ast.walk(node.value):
                    if isinstance(element, ast.Constant) and isinstance(element.value, str):
                        names.add(element.value)
                    if isinstance(element, ast.Starred) and isinstance(element.value, ast.Name):
                        names |= _star_names(module, element.value.id)
    return names


def _star_names(module: Module, alias: str) -> set[str]:
    """The names behind ``*_message_names`` in ``__all__``: the ``__all__`` of the module it was imported from
    (``from ... import __all__ as _message_names``: found by its alias, as several modules' are taken)."""
    sources = [node.module for node in module.tree.body if isinstance(node, ast.ImportFrom) and node.module
               and any(a.name == "__all__" and a.asname == alias for a in node.names)]
    for source in sources:
        if source in MODULES:
            for node in MODULES[source].tree.body:
                if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__"
                                                        for t in node.targets):
                    return {e.value for e in ast.walk(node.value)
                            if isinstance(e, ast.Constant) and isinstance(e.value, str)}
    return set()


def _is_public(name: str) -> bool:
    """A package with an ``__all__``, or one of the ``PUBLIC_MODULES``."""
    return name in PUBLIC_MODULES or bool(_public_names(name))


def _in(name: str, prefixes: tuple[str, ...] | set[str]) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(name: str) -> None:
        index[name] = low[name] = len(index)
        stack.append(name)
        on_stack.add(name)
        for target in sorted(edges[name]):
            if target not in MODULES or target == name:
                continue
            if target not in index:
                visit(target)
                low[name] = min(low[name], low[target])
            elif target in on_stack:
                low[name] = min(low[name], index[target])
        if low[name] == index[name]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == name:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for name in sorted(MODULES):
        if name not in index:
            visit(name)
    return groups


def _reaches_qt(name: str) -> list[str] | None:
    """The chain of load-time imports from ``name`` to PySide6, or None if there is none."""
    seen: set[str] = set()
    path: list[str] = []

    def walk(current: str) -> bool:
        if current in seen:
            return False
        seen.add(current)
        path.append(current)
        module = MODULES[current]
        if "PySide6" in _load_time_third(module):
            return True
        for target in sorted(module.imports):
            if target in MODULES and walk(target):
                return True
        path.pop()
        return False

    return path if walk(name) else None


def _load_time_third(module: Module) -> set[str]:
    found: set[str] = set()
    for node in _load_time_statements(module.tree.body):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            found.add(node.module.split(".")[0])
    return found


# --- the rules ------------------------------------------------------------------------------------------------


def test_the_rules_see_the_whole_project() -> None:
    assert {"chat_server.protocol", "chat_server.core.engine", "chat_gui.server_window.window", "main"} <= set(MODULES)
    assert "PySide6" in _load_time_third(MODULES["chat_server.core.engine"])
    assert "chat_server.protocol" in MODULES["chat_server.settings"].imports


def test_no_module_depends_on_itself_through_others() -> None:
    # Every import counts here, those only for type checking and those deferred into a function too.
    assert _cycles({name: module.depends for name, module in MODULES.items()}) == []


def test_importing_any_module_meets_no_partly_initialised_one() -> None:
    # What runs at import time, with the package __init__s an import runs first.
    assert _cycles({name: module.imports for name, module in MODULES.items()}) == []


def _qt_free_modules() -> list[str]:
    core = [name for name in MODULES if _in(name, ("chat_server.core",)) and name not in QT_CORE_MODULES]
    return sorted({*core, *(name for name in MODULES if _in(name, QT_FREE))})


@pytest.mark.parametrize("name", _qt_free_modules())
def test_protocol_and_the_pure_core_reach_no_qt(name: str) -> None:
    assert _reaches_qt(name) is None, " -> ".join([*(_reaches_qt(name) or []), "PySide6"])


def _window_modules() -> list[str]:
    return sorted(name for name in MODULES if _in(name, WINDOWS))


@pytest.mark.parametrize("name", _window_modules())
def test_windows_use_only_public_apis(name: str) -> None:
    module = MODULES[name]
    own_package = name if module.is_package else name.rpartition(".")[0]
    own_package = own_package if own_package != "chat_gui" else name  # launcher: chat_gui itself is no API
    wrong: list[str] = []
    for source, taken, line in module.taken:
        if _in(source, (own_package,)) or source in PUBLIC_MODULES:
            continue
        if not taken:  # "import chat_server.protocol"
            if not _is_public(source):
                wrong.append(f"line {line}: {source} is not a public API")
            continue
        public = _public_names(source)
        if public is None:
            wrong.append(f"line {line}: {source} is a module, not a package's public API")
            continue
        for n in taken:
            submodule = f"{source}.{n}"
            if submodule in MODULES:  # "from chat_server import protocol": a whole package or public module
                if not _is_public(submodule):
                    wrong.append(f"line {line}: {submodule} is not a public API")
            elif n not in public:
                wrong.append(f"line {line}: {source} does not export {n}")
    for local, package in module.aliases.items():
        public = _public_names(package)
        if public is None or _in(package, (own_package,)):
            continue
        for node in ast.walk(module.tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == local
                    and node.attr not in public):
                wrong.append(f"line {node.lineno}: {package} does not export {node.attr}")
    if "sqlite3" in module.stdlib_or_third:
        wrong.append("imports sqlite3")
    assert wrong == []


def test_sqlite3_is_imported_only_by_the_sqlite_store() -> None:
    assert sorted(name for name, module in MODULES.items()
                  if "sqlite3" in module.stdlib_or_third and name not in SQLITE_HOMES) == []


def _long_modules() -> list[object]:
    long = {name for name, module in MODULES.items()
            if len(module.path.read_text(encoding="utf-8").splitlines()) > MAX_LINES}
    return [pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=LONG_FOR_NOW[name]))
            if name in LONG_FOR_NOW else name
            for name in sorted(long | LONG_FOR_NOW.keys())]


@pytest.mark.parametrize("name", _long_modules())
def test_a_module_over_400_lines_says_why_at_its_top(name: str) -> None:
    lines = MODULES[name].path.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= MAX_LINES or any(REASON.match(line) for line in lines[:REASON_WITHIN]), (
        f"{name} has {len(lines)} lines: split it, or say why not in a line 'Over 400 lines: ...' at its top")
