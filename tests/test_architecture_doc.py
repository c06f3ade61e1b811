"""docs/architecture.md stays true: the modules it names exist, and each home in its table holds the name given."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "architecture.md"
# A row of the "Where does X live" table: | behaviour | `path/to/module.py` | `Name`, `other_name` |
ROW = re.compile(r"^\|\s*(?P<what>[^|`]+?)\s*\|\s*`(?P<path>[\w/.]+\.py)`\s*\|\s*(?P<names>[^|]*)\|\s*$")
PATH = re.compile(r"`((?:chat_server|chat_gui|tests|bench)/[\w/]*\w(?:\.py)?/?)`")


def table_rows() -> list[tuple[str, str, list[str]]]:
    rows = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        match = ROW.match(line)
        if match:
            names = re.findall(r"`([\w.]+)`", match["names"])
            rows.append((match["what"], match["path"], names))
    return rows


def test_the_table_answers_at_least_twenty_questions() -> None:
    rows = table_rows()
    assert len(rows) >= 20, [what for what, _, _ in rows]
    assert len({what for what, _, _ in rows}) == len(rows), "a behaviour is listed twice"


def test_every_home_in_the_table_exists_and_holds_its_names() -> None:
    for what, path, names in table_rows():
        source = ROOT / path
        assert source.is_file(), f"{what}: {path} does not exist"
        text = source.read_text(encoding="utf-8")
        assert names, f"{what}: no name given in {path}"
        for name in names:
            last = name.rsplit(".", 1)[-1]
            assert re.search(rf"\b(def|class)\s+{re.escape(last)}\b|^{re.escape(last)}\b\s*[:=]", text, re.M), \
                f"{what}: {path} defines no {name}"


def test_every_path_the_page_mentions_exists() -> None:
    for path in PATH.findall(DOC.read_text(encoding="utf-8")):
        assert (ROOT / path).exists(), f"docs/architecture.md names {path}, which does not exist"
