"""The explorer's login settings as Streamlit needs them, and the config as the explorer reads it back.

`saksflyt explore --config FILE` checks `[auth]` and `[access]` (`app.access`) before it serves anything,
then writes Streamlit's own `[auth]` secrets (client secret, cookie key) to a file only this user may read,
in a private temporary folder removed when the server stops. The explorer process finds the config again
through env SAKSFLYT_EXPLORER_CONFIG and re-reads `[access]` when the file changes, so a grant can be
withdrawn without a restart. No Streamlit here.
"""
from __future__ import annotations

import json
import os
import secrets
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from saksflyt.app import access, config_file
from saksflyt.extractors.errors import InputError

CONFIG_ENV = "SAKSFLYT_EXPLORER_CONFIG"
LOGIN_ENV = "SAKSFLYT_EXPLORER_LOGIN"


@dataclass(frozen=True)
class ExplorerConfig:
    """What the explorer enforces: the login (None: no login, this machine only) and the grants."""

    auth: access.AuthSettings | None = None
    grants: tuple[access.Grant, ...] = ()
    raw: Mapping[str, Any] | None = None


def parse(config: Mapping[str, Any], *, file: str | None = None) -> ExplorerConfig:
    """Check `[auth]` and `[access]` together: a login that grants nobody anything is a mistake, not a
    locked door, and so is a grant without a login (it would be ignored)."""
    auth = access.auth_settings(config, file=file)
    grants = access.grants(config, file=file)
    if auth is not None and not grants:
        raise InputError("[auth] is set but no [[access.grant]] names who may see which log, so nobody could "
                         "see anything", file=file)
    if auth is None and grants:
        raise InputError("[[access.grant]] entries need an [auth] table: without a login nobody is known, and "
                         "the explorer would show every log to whoever opens it", file=file)
    return ExplorerConfig(auth=auth, grants=grants, raw=config)


def load(path: str | Path | None) -> ExplorerConfig:
    """The config at `path` checked, or no login when there is no file."""
    if path is None:
        return ExplorerConfig()
    return parse(config_file.read(path), file=str(path))


def _toml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string


def streamlit_secrets(auth: access.AuthSettings, *, host: str, port: int,
                      env: Mapping[str, str] | None = None, file: str | None = None) -> str:
    """Streamlit's `[auth]` section (secrets.toml) for `st.login`. The client secret comes from the variable
    `[auth].client_secret_env` names; the cookie key from `[auth].cookie_secret_env`, else a fresh random
    one (everyone logs in again after a restart, which is the safe default)."""
    env = os.environ if env is None else env
    secret = env.get(auth.client_secret_env, "")
    if not secret:
        raise InputError(f"[auth]: the client secret is read from the environment variable "
                         f"{auth.client_secret_env}, which is not set", file=file)
    cookie = env.get(auth.cookie_secret_env) or secrets.token_urlsafe(32)
    shown_host = "localhost" if host in ("127.0.0.1", "localhost", "::1") else host
    redirect = auth.redirect_uri or f"http://{shown_host}:{port}/oauth2callback"
    lines = ["[auth]",
             f"redirect_uri = {_toml_str(redirect)}",
             f"cookie_secret = {_toml_str(cookie)}",
             f"client_id = {_toml_str(auth.client_id)}",
             f"client_secret = {_toml_str(secret)}",
             f"server_metadata_url = {_toml_str(auth.metadata_url)}",
             f"client_kwargs = {{ scope = {_toml_str(auth.scope)} }}"]
    return "\n".join(lines) + "\n"


def write_private(folder: Path, text: str) -> Path:
    """Write `text` to `folder/secrets.toml` readable by this user only (the folder is the caller's
    `tempfile.mkdtemp`, mode 0700)."""
    target = folder / "secrets.toml"
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    return target


_CACHE: dict[str, tuple[int, ExplorerConfig]] = {}
_CACHE_LOCK = threading.Lock()


@dataclass(frozen=True)
class Served:
    """What the running explorer enforces on this request: whether it asks for a login (fixed when the
    server started, env SAKSFLYT_EXPLORER_LOGIN), the grants and the claim that carries groups."""

    login: bool
    grants: tuple[access.Grant, ...] = ()
    groups_claim: str = "groups"


def current(env: Mapping[str, str] | None = None) -> Served:
    """The explorer's rules, the config (env SAKSFLYT_EXPLORER_CONFIG) read again only when the file changed.
    Whether a login is asked for never changes while the server runs; a config file that went missing,
    turned invalid or lost its `[auth]` grants nothing, so a bad edit locks people out, never in."""
    env = os.environ if env is None else env
    login = env.get(LOGIN_ENV) == "1"
    path = env.get(CONFIG_ENV)
    if not login or not path:
        return Served(login=login)
    try:
        stamp = os.stat(path).st_mtime_ns
    except OSError:
        return Served(login=True)
    with _CACHE_LOCK:
        hit = _CACHE.get(path)
        if hit is None or hit[0] != stamp:
            try:
                found = load(path)
            except InputError:
                found = ExplorerConfig()
            hit = _CACHE[path] = (stamp, found)
    found = hit[1]
    if found.auth is None:
        return Served(login=True)
    return Served(login=True, grants=found.grants, groups_claim=found.auth.groups_claim)
