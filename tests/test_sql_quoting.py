"""SQL text is quoted in one place (extractors/sql_text.py), and a store path with quotes survives `drop`.

A value spliced into SQL by hand was once missed (`ATTACH '{fresh}'` in `store.compact`): a store in a
folder named o'brien lost the dropped rows from its tables but kept their bytes in the file. The source
scan keeps new hand-made quoting out; the drop test checks the erasure byte by byte.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from saksflyt.extractors.sql_text import identifier, literal, literal_list, literals

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("extractors", "mining", "automation_scoring", "app", "sample_logs")
HELPER = ROOT / "extractors" / "sql_text.py"
SAMPLES = ROOT / "sample_logs"

# What stands just before an opening quote when a value is spliced into SQL: a bracket, a comma, `=`,
# `||`, or an upper-case SQL word (`WHEN '`, `TO '`, `ATTACH '`, `TIMESTAMPTZ '`). Messages quote names
# after lower-case words ("no log named '{x}'"), so they do not match.
_BEFORE_VALUE = re.compile(r"(\(|,|=|\|\||\b[A-Z][A-Z_]+)\s*'$")
# An identifier spliced by hand: `TABLE "{x}"`, `DATABASE "{x}"`, `{db}."{x}"`. HTML (`fill="{x}"`) and
# TOML lists (`"{x}"` alone) do not match.
_BEFORE_NAME = re.compile(r'(\.|\b[A-Z][A-Z_]+\s+)"$')


def _quote_char(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "chr"
            and len(node.args) == 1 and isinstance(node.args[0], ast.Constant)
            and node.args[0].value in (34, 39)):
        return chr(node.args[0].value)
    return None


def _doubles_a_quote(node: ast.Call) -> bool:
    """`s.replace("'", "''")`, `s.replace('"', '""')` or the chr(39) spelling of either."""
    if not (isinstance(node.func, ast.Attribute) and node.func.attr == "replace" and len(node.args) == 2):
        return False
    old, new = node.args
    one = _quote_char(old)
    if one not in ("'", '"'):
        return False
    if isinstance(new, ast.BinOp) and isinstance(new.op, ast.Mult):  # chr(39) * 2
        return _quote_char(new.left) == one and isinstance(new.right, ast.Constant) and new.right.value == 2
    return _quote_char(new) == one * 2


def _hand_quoted(node: ast.JoinedStr) -> bool:
    """An f-string that puts a value between quotes in SQL instead of calling the helper."""
    parts = node.values
    if (len(parts) == 3 and isinstance(parts[1], ast.FormattedValue)
            and all(isinstance(p, ast.Constant) and p.value == "'" for p in (parts[0], parts[2]))):
        return True  # f"'{x}'" on its own, joined into an IN list
    for before, value, after in zip(parts, parts[1:], parts[2:]):
        if not (isinstance(before, ast.Constant) and isinstance(value, ast.FormattedValue)
                and isinstance(after, ast.Constant)):
            continue
        if after.value.startswith("'") and _BEFORE_VALUE.search(before.value):
            return True
        if after.value.startswith('"') and _BEFORE_NAME.search(before.value):
            return True
    return False


def _offences(source: str, filename: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Call) and _doubles_a_quote(node):
            found.append(f"{filename}:{node.lineno}: quotes doubled by hand; use extractors.sql_text")
        elif isinstance(node, ast.JoinedStr) and _hand_quoted(node):
            found.append(f"{filename}:{node.lineno}: a value quoted by hand in SQL; use extractors.sql_text")
    return found


def test_no_sql_is_quoted_by_hand_outside_the_helper():
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if path != HELPER:
                found += _offences(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    assert not found, "\n".join(found)


@pytest.mark.parametrize("line", [
    """con.execute(f"ATTACH '{fresh}' AS fresh")""",
    """con.execute(f'DROP TABLE "{name}"')""",
    """sql = f"SELECT * FROM t WHERE log = '{name}'\"""",
    """x = f"timezone('{zone}', t)\"""",
    """formats = ", ".join(f"'{f}'" for f in FORMATS)""",
    """lit = path.replace("'", "''")""",
    """lit = path.replace(chr(39), chr(39) * 2)""",
    """tables = {n: f'{home}."{mem}"' for n, mem in outputs}""",
])
def test_the_scan_catches_hand_quoting(line):
    assert _offences(line, "x.py")


@pytest.mark.parametrize("line", [
    """raise StoreError(f"no log named '{log_name}' (logs: {known})")""",
    """where = f" (log '{entry['log']}')\"""",
    """svg = f'<rect fill="{color}"/>'""",
    """toml = ", ".join(f'"{a}"' for a in names)""",
    """dot = s.replace('"', '\\\\"')""",
])
def test_the_scan_leaves_messages_and_markup_alone(line):
    assert not _offences(line, "x.py")


def test_the_helper_quotes_values_and_names():
    assert literal("o'brien") == "'o''brien'"
    assert identifier('a"b') == '"a""b"'
    assert literal_list(["a", "b'c"]) == "['a', 'b''c']"
    assert literals(["a", "b"]) == "'a', 'b'"
    value, name = "\\'æ", 'a"b'
    con = duckdb.connect()
    assert con.execute(f"SELECT {literal(value)} AS {identifier(name)}").fetchone()[0] == value
    assert con.description[0][0] == name


def _ids(store: Path, log: str) -> list[str]:
    con = duckdb.connect(str(store), read_only=True)
    try:
        return [r[0] for r in con.execute("SELECT DISTINCT case_id FROM events WHERE log = ? ORDER BY 1",
                                         [log]).fetchall()]
    finally:
        con.close()


def test_drop_on_a_store_path_with_a_quote_leaves_no_trace_in_the_file(tmp_path, key):
    from saksflyt.app.cli import main

    store = tmp_path / "o'brien æ ø" / "s.duckdb"
    store.parent.mkdir()

    def run(*args: str) -> None:
        result = CliRunner().invoke(main, ["--store", str(store), *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output

    run("ingest", str(SAMPLES / "receipt.csv"), "--log", "receipt", "--quiet")
    run("ingest", str(SAMPLES / "byggesak.csv"), "--log", "byggesak", "--quiet")
    dropped = _ids(store, "receipt")
    kept = _ids(store, "byggesak")
    # the ids are stored as text the scan can find (so its silence after the drop means something)
    assert len(dropped) == 1434 and all(i.encode() in store.read_bytes() for i in dropped[:50])

    run("drop", "--log", "receipt")

    files = [store, *store.parent.glob("s.duckdb.*")]  # a WAL or a compact copy left behind
    data = b"".join(f.read_bytes() for f in files)
    assert [f.name for f in files] == ["s.duckdb"]
    assert not [i for i in dropped if i.encode() in data]
    assert _ids(store, "byggesak") == kept and len(kept) == 3000
    con = duckdb.connect(str(store), read_only=True)
    try:
        assert con.execute("SELECT log, count(*) FROM events GROUP BY log").fetchall() == [("byggesak", 27386)]
    finally:
        con.close()
