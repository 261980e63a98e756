"""Saksflyt's public Python API: `import saksflyt as sf`.

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
