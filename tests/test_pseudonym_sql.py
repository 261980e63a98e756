"""Pseudonyms computed in DuckDB SQL are exactly the Python ones, so stores stay consistent across runs."""
from __future__ import annotations

import sys

import pytest

from saksflyt.extractors import pseudonym, store

VALUES = [
    "Kari Nordmann", "  Kari Nordmann  ", "Ærlige Åse Øvrebø", "ærlig åse øvrebø", "Bjørn\tÅs\n",
    "\u3000Søker Søkersen\xa0", "x\u200b", "\x1cy\x85", "", " ", "12345678901", "per@kommune.no",
    "Ola  Nordmann", "日本語", "emoji 🙂", "a" * 500,
]
KEYS = [b"k", b"testkey", b"x" * 64, b"y" * 65, ("nøkkel-" * 40).encode("utf-8"), bytes(range(256))]


def _sql(values: list[str], key: bytes, prefix: str) -> list[str]:
    con = store.memory()
    try:
        rows = con.execute(f"SELECT {pseudonym.pseudonym_sql('v', prefix=prefix)} "
                           "FROM (SELECT unnest($vals::VARCHAR[]) AS v, generate_subscripts($vals, 1) AS i) "
                           "ORDER BY i", {"vals": values, **pseudonym.sql_params(key)}).fetchall()
    finally:
        con.close()
    return [r[0] for r in rows]


@pytest.mark.parametrize("key", KEYS, ids=lambda k: f"key{len(k)}")
@pytest.mark.parametrize("prefix", [pseudonym.PREFIX, pseudonym.FNR_PREFIX])
def test_sql_pseudonym_equals_python(key: bytes, prefix: str) -> None:
    assert _sql(VALUES, key, prefix) == [pseudonym.pseudonym(v, key=key, prefix=prefix) for v in VALUES]


def test_whitespace_is_what_str_strip_removes() -> None:
    spaces = "".join(chr(i) for i in range(sys.maxunicode + 1) if chr(i).isspace())
    assert pseudonym.WHITESPACE == spaces
    # and DuckDB's trim with that set strips exactly as str.strip() does, character by character
    padded = ([f"{c}{c}v a{c}{c}" for c in spaces] + [f"\u200bv{c}" for c in spaces]
              + [f"{c}v" for c in spaces] + [f"v{c}" for c in spaces] + [f"v{c}v" for c in spaces])
    assert _sql(padded, b"k", "ps_") == [pseudonym.pseudonym(v, key=b"k") for v in padded]

