"""Where the explorer may listen: only this machine, unless a login guards it or the user says `--no-auth`.

Without a login anyone who reaches the port sees every log (pseudonymised, but still personal data), so a
non-loopback address is refused unless a login guards it (`[auth]` in the config: `auth_configured`) or an
explicit `--no-auth`. No Streamlit here.
"""
from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import Any

from saksflyt.app import access
from saksflyt.extractors.errors import UnsafeBindError

LOOPBACK_NAMES = frozenset({"localhost", "localhost.", "ip6-localhost"})


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 (bracketed or not, IPv4-mapped too) and `localhost`; names are not
    resolved, so any other name counts as reachable from the network."""
    name = host.strip().strip("[]").lower()
    if name in LOOPBACK_NAMES:
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return bool(address.is_loopback or (mapped is not None and mapped.is_loopback))


def auth_configured(*, config: Mapping[str, Any] | None = None) -> bool:
    """Whether the explorer asks people to log in: the config (`saksflyt explore --config`) has `[auth]`."""
    return access.auth_settings(config or {}) is not None


def check_bind(host: str, *, no_auth: bool, config: Mapping[str, Any] | None = None) -> str | None:
    """None when serving on `host` is safe; the warning to print when `--no-auth` overrides the refusal;
    an `UnsafeBindError` when a non-loopback address has no login and no override."""
    if is_loopback(host) or auth_configured(config=config):
        return None
    if not no_auth:
        raise UnsafeBindError(
            f"refusing to serve the explorer on {host}: not a loopback address and no login is configured, "
            "so anyone on the network would see every log; use --host 127.0.0.1, give --config a file with "
            "[auth] and [access] (README: Running the explorer for others), or pass --no-auth to serve it "
            "without a login anyway")
    return (f"warning: serving the explorer on {host} without a login (--no-auth): anyone who can reach it "
            "sees every log in the store")
