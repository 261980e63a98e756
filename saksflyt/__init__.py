"""Saksflyt's public Python API: `import saksflyt as sf`.

    sf.read_log(path_or_dataframe, case=, activity=, timestamp=, start=, resource=, ...) -> sf.EventLog
        validated and pseudonymised as `saksflyt ingest` does; the caller's DataFrame is not changed
    sf.mine(log, end_activities=, external=, mandatory=, ...) -> sf.MiningResult
        frozen: activities, dfg, variants, bottlenecks, rework, needless_steps (DataFrames), model,
        .report_html(), .to_pm4py(); mined in a private temporary store, deleted before it returns
    sf.candidates(result, top=, hourly_cost=, ...) -> DataFrame;  sf.compare(a, b, ...) -> dict
    sf.monitor(log_or_result, config=, as_of=, lang=) -> open cases ranked by the cost of a missed deadline
    sf.Store(path): .ingest(), .mine(), .candidates(), .monitor(), .logs(), .drop(), as the CLI does on a store file
    sf.__version__ (also `saksflyt --version`)

Keyword names are the CLI's flag names; errors are `sf.SaksflytError` subclasses (`sf.InputError`, ...)
that name the keyword. The names load on first use, so `import saksflyt` stays quick (the CLI imports it).

The four packages of the design card (`extractors`, `mining`, `automation_scoring`, `app`) and the sample-log
generators are installed beneath this name (`saksflyt.mining`, ...), never as top-level `app` or `mining`: those
names collide with a user's `app.py` or `mining.py` in the working folder, which Streamlit and Jupyter put first
on `sys.path`.
"""
from pathlib import Path as _Path

_CHECKOUT = _Path(__file__).resolve().parent.parent
if (_CHECKOUT / "pyproject.toml").is_file() and (_CHECKOUT / "mining" / "__init__.py").is_file():
    # A source checkout (or an editable install of one): the packages sit beside this folder, not inside it.
    __path__.append(str(_CHECKOUT))  # noqa: F821 - a package's __path__

__version__ = "0.1.0"

# where each public name lives (pandas, DuckDB and pm4py load only when a notebook calls for them)
_API = {"read_log": "saksflyt.app.api", "mine": "saksflyt.app.api", "candidates": "saksflyt.app.api",
        "compare": "saksflyt.app.api", "monitor": "saksflyt.app.api", "Store": "saksflyt.app.api", "EventLog": "saksflyt.app.api",
        "MiningResult": "saksflyt.app.api_results", "SaksflytError": "saksflyt.extractors.errors",
        "InputError": "saksflyt.extractors.errors", "StoreError": "saksflyt.extractors.errors"}
__all__ = ["__version__", *_API]


def __getattr__(name: str):
    """Load a public name from the module that defines it, on first use (PEP 562)."""
    if name in _API:
        import importlib

        value = getattr(importlib.import_module(_API[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'saksflyt' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_API))
