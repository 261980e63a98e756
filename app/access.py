"""Who may see which log: the explorer's `[auth]` (OpenID Connect login) and `[access]` (grants) settings.

Pure: it reads the TOML config's tables and a logged-in person's token claims, never Streamlit, so the rules
are tested without a browser and the CLI checks a config before it serves anything. A grant names groups
(the token's groups claim, as Entra ID or Keycloak send them) or subjects (the token's `sub`), the logs it
opens (names, or patterns like `barnevern*`; `*` is every log) and a role:

  reader  sees the log's pages and may download what they show
  owner   also marks candidates in the backlog
  admin   every log, as owner, plus the audit trail

Someone in several groups gets the highest role each log is granted. Nobody is granted anything by
default: a person whose claims match no grant sees no log at all.

    [auth]
    issuer = "https://login.microsoftonline.com/<tenant>/v2.0"
    client_id = "…"
    client_secret_env = "SAKSFLYT_OIDC_CLIENT_SECRET"   # the name of the variable, never the secret

    [[access.grant]]
    groups = ["barnevern-prosesseiere"]
    logs = ["barnevern"]
    role = "owner"
"""
from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from saksflyt.extractors.errors import InputError

ROLES = ("reader", "owner", "admin")
AUTH_KEYS = {"issuer", "client_id", "client_secret_env", "redirect_uri", "scope", "groups_claim",
             "cookie_secret_env"}
GRANT_KEYS = {"groups", "subjects", "logs", "role"}
DEFAULT_SECRET_ENV = "SAKSFLYT_OIDC_CLIENT_SECRET"
DEFAULT_COOKIE_ENV = "SAKSFLYT_COOKIE_SECRET"
DEFAULT_SCOPE = "openid profile email"


@dataclass(frozen=True)
class AuthSettings:
    """The `[auth]` table: where people log in. The client secret and the cookie key are read from the
    environment (named here), so the config file can be shared and versioned without them."""

    issuer: str
    client_id: str
    client_secret_env: str = DEFAULT_SECRET_ENV
    redirect_uri: str | None = None       # None: http://<host>:<port>/oauth2callback of `saksflyt explore`
    scope: str = DEFAULT_SCOPE
    groups_claim: str = "groups"
    cookie_secret_env: str = DEFAULT_COOKIE_ENV

    @property
    def metadata_url(self) -> str:
        """The provider's discovery document (OpenID Connect Discovery 1.0, section 4)."""
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"


@dataclass(frozen=True)
class Grant:
    """One `[[access.grant]]`: these groups and subjects get `role` on the logs matching `logs`."""

    role: str
    logs: tuple[str, ...] = ("*",)
    groups: frozenset[str] = frozenset()
    subjects: frozenset[str] = frozenset()

    def applies(self, subject: str, groups: frozenset[str]) -> bool:
        return subject in self.subjects or bool(self.groups & groups)

    def opens(self, log: str) -> bool:
        return self.role == "admin" or any(fnmatch.fnmatchcase(log, pattern) for pattern in self.logs)


@dataclass(frozen=True)
class Viewer:
    """A person as the explorer serves them: their subject (the audit trail's `subject`) and their grants.
    `everyone` is the explorer without a login, on this machine only: every log, as owner, plus the audit."""

    subject: str
    grants: tuple[Grant, ...] = ()
    everyone: bool = False

    def role(self, log: str) -> str | None:
        """The highest role granted on `log`, or None when it is not theirs to see."""
        if self.everyone:
            return "admin"
        found = [ROLES.index(g.role) for g in self.grants if g.opens(log)]
        return ROLES[max(found)] if found else None

    def may_see(self, log: str) -> bool:
        return self.role(log) is not None

    def may_mark(self, log: str) -> bool:
        return self.role(log) in ("owner", "admin")

    @property
    def admin(self) -> bool:
        return self.everyone or any(g.role == "admin" for g in self.grants)

    @property
    def anything(self) -> bool:
        """Whether any grant applies at all (else the explorer says so and shows nothing)."""
        return self.everyone or bool(self.grants)

    def visible(self, logs: Iterable[str]) -> list[str]:
        return [name for name in logs if self.may_see(name)]


def _text(table: Mapping[str, Any], key: str, where: str, file: str | None, default: str | None = None) -> str:
    value = table.get(key, default)
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"{where}.{key} must be a non-empty string", file=file)
    return value.strip()


def auth_settings(config: Mapping[str, Any], *, file: str | None = None) -> AuthSettings | None:
    """The `[auth]` table, checked; None when the config has none (the explorer then has no login)."""
    table = config.get("auth")
    if table is None:
        return None
    if not isinstance(table, dict):
        raise InputError("[auth] must be a table", file=file)
    unknown = sorted(set(table) - AUTH_KEYS)
    if unknown:
        raise InputError(f"[auth]: unknown key {', '.join(unknown)} (known: {', '.join(sorted(AUTH_KEYS))})",
                         file=file)
    issuer = _text(table, "issuer", "[auth]", file)
    if not issuer.startswith(("https://", "http://")):
        raise InputError(f"[auth].issuer must be an http(s) URL, got {issuer!r}", file=file)
    redirect = table.get("redirect_uri")
    if redirect is not None and (not isinstance(redirect, str) or not redirect.rstrip("/").endswith("/oauth2callback")):
        raise InputError("[auth].redirect_uri must be the explorer's address ending in /oauth2callback", file=file)
    return AuthSettings(
        issuer=issuer, client_id=_text(table, "client_id", "[auth]", file),
        client_secret_env=_text(table, "client_secret_env", "[auth]", file, DEFAULT_SECRET_ENV),
        redirect_uri=redirect.rstrip("/") if redirect else None,
        scope=_text(table, "scope", "[auth]", file, DEFAULT_SCOPE),
        groups_claim=_text(table, "groups_claim", "[auth]", file, "groups"),
        cookie_secret_env=_text(table, "cookie_secret_env", "[auth]", file, DEFAULT_COOKIE_ENV))


def _names(value: Any, where: str, file: str | None) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise InputError(f"{where} must be a list of names", file=file)
    return tuple(v.strip() for v in value)


def grants(config: Mapping[str, Any], *, file: str | None = None) -> tuple[Grant, ...]:
    """Every `[[access.grant]]`, checked: a role, and groups or subjects to give it to."""
    table = config.get("access") or {}
    if not isinstance(table, dict) or set(table) - {"grant"}:
        raise InputError("[access] holds only [[access.grant]] entries", file=file)
    entries = table.get("grant") or []
    if isinstance(entries, dict):
        entries = [entries]
    found = []
    for n, entry in enumerate(entries, start=1):
        where = f"[[access.grant]] #{n}"
        if not isinstance(entry, dict):
            raise InputError(f"{where} must be a table", file=file)
        unknown = sorted(set(entry) - GRANT_KEYS)
        if unknown:
            raise InputError(f"{where}: unknown key {', '.join(unknown)} (known: {', '.join(sorted(GRANT_KEYS))})",
                             file=file)
        role = entry.get("role")
        if role not in ROLES:
            raise InputError(f"{where}.role must be one of {', '.join(ROLES)}, got {role!r}", file=file)
        groups = _names(entry.get("groups", []), f"{where}.groups", file)
        subjects = _names(entry.get("subjects", []), f"{where}.subjects", file)
        if not groups and not subjects:
            raise InputError(f"{where} names no groups and no subjects, so it grants nobody anything", file=file)
        logs = _names(entry.get("logs", ["*"] if role == "admin" else []), f"{where}.logs", file)
        if not logs:
            raise InputError(f"{where}.logs is empty: name the logs (or \"*\" for every log)", file=file)
        found.append(Grant(role=role, logs=logs, groups=frozenset(groups), subjects=frozenset(subjects)))
    return tuple(found)


def claimed_groups(claims: Mapping[str, Any], claim: str) -> frozenset[str]:
    """The groups in a token: a list, or one string (some providers send a single group as a string)."""
    value = claims.get(claim)
    if isinstance(value, str):
        return frozenset({value})
    if isinstance(value, (list, tuple)):
        return frozenset(str(v) for v in value)
    return frozenset()


def viewer(all_grants: Iterable[Grant], claims: Mapping[str, Any], *, groups_claim: str = "groups") -> Viewer:
    """The logged-in person the claims describe, with the grants that apply to them."""
    subject = str(claims.get("sub") or "")
    if not subject:
        raise InputError("the login token has no subject (sub claim)")
    groups = claimed_groups(claims, groups_claim)
    return Viewer(subject=subject, grants=tuple(g for g in all_grants if g.applies(subject, groups)))


def local_viewer(subject: str) -> Viewer:
    """The explorer without a login (loopback, or `--no-auth`): everything, under the OS user's name."""
    return Viewer(subject=subject, everyone=True)
