"""The Debian packages `make system-deps` installs are really there: in CI a missing one is a failure.

Outside CI a developer without them gets a skip that says what to install; with CI=true the same
absence fails the run, so a green CI cannot hide a missing install step.
"""
from __future__ import annotations

import glob
import shutil

from helpers import require


def _require(found: bool, what: str) -> None:
    require(found, f"{what} is missing: run `make system-deps`")


def test_graphviz_dot_is_installed():
    _require(shutil.which("dot") is not None, "graphviz (`dot`, needed for model layout and the map SVG)")


def test_chromium_is_installed():
    _require(shutil.which("chromium") is not None, "chromium (headless browser tests of the explorer)")


def test_postgresql_server_is_installed():
    _require(bool(glob.glob("/usr/lib/postgresql/*/bin/initdb")), "postgresql (SQL extraction tests)")


def test_java_is_installed():
    _require(shutil.which("java") is not None, "Java 17+ (Spark's JVM, for `mine --engine spark`)")
