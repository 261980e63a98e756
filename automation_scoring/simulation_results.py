"""The simulation's table in the store (DDL), writing a run and reading the latest ones.

simulation_runs — one row per `saksflyt simulate` run
    log, run_id, run_seq, created_at, kind ('validation' | 'scenario'), candidate_ids VARCHAR[] (the
    candidates the scenario applied; empty for validation and TOML-only scenarios), verdict (the
    validation's 'good' | 'fair' | 'poor'), result JSON (the contents of `simulation.json` for a
    scenario, of `simulation_validation.json` for a validation), texts JSON (the sentences the explorer
    shows, in nb and en; NULL before v2)

The table has a `log` column, so `saksflyt drop --log` removes a log's simulations with its events.
Only the `KEEP_RUNS` latest runs of a log are kept.
"""
from __future__ import annotations

import json
from typing import Any

import duckdb

from saksflyt.extractors import store
from saksflyt.mining import wording

KEEP_RUNS = 20

_V1 = """
CREATE TABLE simulation_runs (
    log VARCHAR NOT NULL, run_id VARCHAR NOT NULL, run_seq INTEGER NOT NULL, created_at TIMESTAMPTZ NOT NULL,
    kind VARCHAR NOT NULL CHECK (kind IN ('validation', 'scenario')), candidate_ids VARCHAR[] NOT NULL,
    verdict VARCHAR, result JSON NOT NULL
);
"""
store.register("simulation", 1, "simulation: validation and scenario runs", _V1)
# v2: the run's sentences in both languages (`texts`: {"nb": {...}, "en": {...}}), for the explorer's page
# language; `result` stays in the run's language. NULL before.
store.register("simulation", 2, "simulation sentences in both languages (texts)",
               "ALTER TABLE simulation_runs ADD COLUMN texts JSON;")


class Said(str):
    """A sentence in the run's language that keeps its other language (`by_lang`), so a run's words can be
    stored in both without computing anything twice.

    It is the wording key `key` with `values` filled in each language; a value that is itself a `Said` is
    filled in that language too, so one sentence can quote another.
    """

    by_lang: dict[str, str]

    def __new__(cls, lang: str, key: str, /, **values: object) -> Said:
        by_lang = {each: wording.tr(key, each, **{name: in_lang(v, each) for name, v in values.items()})
                   for each in wording.LANGS}
        said = super().__new__(cls, by_lang["nb" if lang == "nb" else "en"])
        said.by_lang = by_lang
        return said


def in_lang(text: Any, lang: str) -> Any:
    """`text` in `lang` if it is a `Said`, else as it is (a plain string read back from the store)."""
    return text.by_lang.get(lang, str(text)) if isinstance(text, Said) else text


def texts_by_lang(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The sentences the explorer shows from a run (changes, warnings, assumptions, the verdict), per language."""
    validation = result.get("validation") if "validation" in result else result
    return {lang: {"changes": [in_lang(c.get("text"), lang) for c in result.get("changes") or []],
                   "warnings": [in_lang(w, lang) for w in result.get("warnings") or []],
                   "assumptions": [in_lang(a, lang) for a in result.get("assumptions") or []],
                   "verdict_text": in_lang((validation or {}).get("verdict_text"), lang)}
            for lang in ("nb", "en")}


def in_language(result: dict[str, Any], texts: dict[str, Any] | None, lang: str) -> dict[str, Any]:
    """A stored result with its sentences in `lang` where the run stored both languages."""
    words = (texts or {}).get(lang)
    if not words:
        return result
    out = {**result}
    if out.get("changes") and len(words["changes"]) == len(out["changes"]):
        out["changes"] = [{**c, "text": t} for c, t in zip(out["changes"], words["changes"])]
    for key in ("warnings", "assumptions"):
        if out.get(key) and len(words[key]) == len(out[key]):
            out[key] = words[key]
    if words.get("verdict_text"):
        if isinstance(out.get("validation"), dict):
            out["validation"] = {**out["validation"], "verdict_text": words["verdict_text"]}
        elif "verdict_text" in out:
            out["verdict_text"] = words["verdict_text"]
    return out


def write_run(con: duckdb.DuckDBPyConnection, *, log_name: str, run_id: str, kind: str,
              candidate_ids: list[str], verdict: str | None, result: dict[str, Any]) -> int:
    """Store one run (call inside `store.write`); returns its run_seq. Runs beyond KEEP_RUNS go."""
    seq = con.execute("SELECT coalesce(max(run_seq), 0) + 1 FROM simulation_runs WHERE log = ?",
                      [log_name]).fetchall()[0][0]
    con.execute("INSERT INTO simulation_runs (log, run_id, run_seq, created_at, kind, candidate_ids, verdict, result, "
                "texts) VALUES (?, ?, ?, now(), ?, ?, ?, ?, ?)",
                [log_name, run_id, seq, kind, candidate_ids, verdict, json.dumps(result, ensure_ascii=False),
                 json.dumps(texts_by_lang(result), ensure_ascii=False)])
    con.execute("DELETE FROM simulation_runs WHERE log = ? AND run_seq <= ?", [log_name, seq - KEEP_RUNS])
    return seq


def has_runs(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'simulation_runs' "
                            "AND database_name = current_database()").fetchall()[0][0])


def _row(frame_row: dict[str, Any]) -> dict[str, Any]:
    row = dict(frame_row)
    row["result"] = json.loads(row["result"]) if isinstance(row["result"], str) else row["result"]
    row["candidate_ids"] = list(row["candidate_ids"])
    row["texts"] = json.loads(row["texts"]) if isinstance(row.get("texts"), str) else None
    return row


def latest_validation(con: duckdb.DuckDBPyConnection, log_name: str) -> dict[str, Any] | None:
    """The latest validation run of a log (row with `result` parsed), or None."""
    if not has_runs(con):
        return None
    frame = con.execute("SELECT * FROM simulation_runs WHERE log = ? AND kind = 'validation' "
                        "ORDER BY run_seq DESC LIMIT 1", [log_name]).df()
    return None if frame.empty else _row(frame.iloc[0].to_dict())


def latest_by_candidate(con: duckdb.DuckDBPyConnection, log_name: str) -> dict[str, dict[str, Any]]:
    """candidate_id → the latest scenario run that applied that candidate alone (row, `result` parsed)."""
    if not has_runs(con):
        return {}
    frame = con.execute("""
        SELECT * FROM simulation_runs WHERE log = ? AND kind = 'scenario' AND len(candidate_ids) = 1
        QUALIFY row_number() OVER (PARTITION BY candidate_ids[1] ORDER BY run_seq DESC) = 1
        ORDER BY run_seq""", [log_name]).df()
    return {r["candidate_ids"][0]: r for r in (_row(x) for x in frame.to_dict(orient="records"))}
