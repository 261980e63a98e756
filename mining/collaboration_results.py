"""Reading and exporting the handover phase's tables (`mining.handovers` defines them).

mining_handovers — one row per shown handover edge
    basis ('unit' | 'resource'), source_unit, target_unit (NULL: the merged small units; on the resource
    basis a resource kind), count, cases, median_wait_hours, total_wait_hours, returns, return_cases,
    return_wait_hours (the waits of the returns), return_staff_hours (people's measured processing hours of
    steps the case had had before, in the visits a return opened: work done again), return_activities
    (the activities of that work),
    source_activity, target_activity (the most frequent activity on each side)
mining_units — one row per shown unit (or, on the resource basis, resource kind)
    basis, unit (NULL: small units merged), units_merged, people (distinct person resources), cases,
    events, staff_hours (measured processing hours of people's events), median_wait_hours and
    total_wait_hours (waiting at the handovers into it), handovers_in, handovers_out, returns_in,
    first_cases, last_cases (cases starting/ending there), voices (letters out from it)
mining_case_units — one row per case
    case_id, units, handovers, returns, handover_wait_hours, doors, voices, voice_units
mining_collaboration — one row per run: basis, cases, cases_with_unit, units, hidden_units, handovers,
    cases_with_handover, returns, ping_pong_cases, ping_pong_share, median_units_per_case,
    max_units_per_case, handover_wait_hours (total), median_handover_wait_hours, contacts_source ('config' | 'noark5' | 'none'), doors,
    voices, cases_multi_voice, multi_voice_share, cases_repeat_door, repeat_door_share, letters_saved,
    cases_many_units (3 units or more), many_units_wait_hours, voices_by_unit JSON, loops JSON

Files: handovers.csv (`source_unit, target_unit, count, cases, median_wait_hours, returns`), units.json
(one object per unit) and collaboration.json (the log's figures, loops included).
"""
from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from . import wording
from .results import _run, read_table, result_tables

SMALL_UNITS = {lang: wording.tr("collaboration.small_units", lang) for lang in wording.LANGS}
HANDOVER_COLUMNS = ("source_unit", "target_unit", "count", "cases", "median_wait_hours", "returns")


def _num(x: Any) -> Any:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    if hasattr(x, "tolist") and getattr(x, "ndim", 0) > 0:   # a list column, read by pandas as an array
        return x.tolist()
    if hasattr(x, "item"):
        x = x.item()
    return x


def available(con: duckdb.DuckDBPyConnection) -> bool:
    return "mining_collaboration" in result_tables(con)


def unit_name(name: Any, lang: str = "nb") -> str:
    """A stored unit name, or the merged small units' label (stored as NULL)."""
    return SMALL_UNITS[lang] if name is None or (isinstance(name, float) and math.isnan(name)) else str(name)


def summary(con: duckdb.DuckDBPyConnection, log_name: str, *, run_id: str | None = None) -> dict[str, Any] | None:
    """collaboration.json of a run, or None for a run mined before handovers were found."""
    if not available(con):
        return None
    rows = read_table(con, "mining_collaboration", log_name, run_id=run_id).to_dict("records")
    if not rows:
        return None
    out = {k: _num(v) for k, v in rows[0].items()}
    for key in ("loops", "voices_by_unit"):
        out[key] = json.loads(out[key]) if isinstance(out[key], str) else out[key]
    return out


def handovers(con: duckdb.DuckDBPyConnection, log_name: str, *, run_id: str | None = None,
              lang: str = "nb") -> pd.DataFrame:
    """The handover edges, most frequent first; merged small units under their label."""
    if not available(con):
        return pd.DataFrame(columns=list(HANDOVER_COLUMNS))
    df = read_table(con, "mining_handovers", log_name, run_id=run_id,
                    order_by="count DESC, source_unit NULLS LAST, target_unit NULLS LAST")
    for col in ("source_unit", "target_unit"):
        df[col] = [unit_name(x, lang) for x in df[col]]
    return df


def units(con: duckdb.DuckDBPyConnection, log_name: str, *, run_id: str | None = None,
          lang: str = "nb") -> list[dict[str, Any]]:
    """units.json: one object per unit, most events first."""
    if not available(con):
        return []
    df = read_table(con, "mining_units", log_name, run_id=run_id, order_by="events DESC, unit NULLS LAST")
    out = []
    for r in df.to_dict("records"):
        row = {k: _num(v) for k, v in r.items()}
        row["merged"] = row["unit"] is None
        row["unit"] = unit_name(row["unit"], lang)
        out.append(row)
    return out


def for_scoring(con: duckdb.DuckDBPyConnection, log_name: str, *, run_id: str | None = None
                ) -> dict[str, Any] | None:
    """What the candidates build on: the log's figures and the handover edges (as dicts, the merged small
    units as None, named in each language by `unit_name`), or None."""
    found = summary(con, log_name, run_id=run_id)
    if found is None:
        return None
    edges = read_table(con, "mining_handovers", log_name, run_id=run_id,
                       order_by="count DESC, source_unit NULLS LAST, target_unit NULLS LAST")
    # unit None: the merged small units, which a candidate cannot name
    rows = [{k: (list(v) if k == "return_activities" else _num(v)) for k, v in r.items()}
            for r in edges.to_dict("records")]
    return {"summary": found, "handovers": rows}


def case_units(con: duckdb.DuckDBPyConnection, log_name: str, *, run_id: str | None = None) -> pd.DataFrame:
    return read_table(con, "mining_case_units", log_name, run_id=run_id, order_by="case_id")


def export(con: duckdb.DuckDBPyConnection, log_name: str, out_dir: str | Path, *,
           run_id: str | None = None, lang: str = "nb") -> list[Path]:
    """Write handovers.csv, units.json and collaboration.json of a run (nothing for an older run)."""
    rid = _run(con, log_name, run_id)
    found = summary(con, log_name, run_id=rid)
    if found is None:
        return []
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    path = out / "handovers.csv"
    handovers(con, log_name, run_id=rid, lang=lang).loc[:, list(HANDOVER_COLUMNS)].to_csv(
        path, index=False, encoding="utf-8")
    written.append(path)
    for name, data in (("units.json", units(con, log_name, run_id=rid, lang=lang)), ("collaboration.json", found)):
        path = out / name
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
        written.append(path)
    return written
