"""Keyed pseudonyms (HMAC-SHA256) for people and national identity numbers.

The key comes from env SAKSFLYT_PSEUDONYM_KEY, else from a key file in the user's config directory,
created with mode 0600 on first use. It never lives next to the store and is never printed: whoever
holds the store alone cannot reverse or re-compute a pseudonym.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Iterable
from pathlib import Path

from .sql_text import literal

PREFIX = "ps_"
FNR_PREFIX = "fnr_"
FNR_PATTERN = r"(?<![0-9])[0-9]{11}(?![0-9])"
# DuckDB's RE2 has no look-around: candidates are found with word boundaries, then validated in Python.
FNR_SQL_PATTERN = r"\b[0-9]{11}\b"
_FNR_RE = re.compile(FNR_PATTERN)
# What str.strip() removes (the characters for which str.isspace() is true), for the same strip in SQL.
WHITESPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
              "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
# the same set as an RE2 class, spelled in ASCII escapes
_WHITESPACE_CLASS = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in WHITESPACE) + "]"
_HMAC_BLOCK = 64  # SHA-256's block size


def key_file() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "saksflyt" / "pseudonym.key"


def load_key() -> bytes:
    """The pseudonymisation key; created once per user if neither env nor key file has one."""
    env = os.environ.get("SAKSFLYT_PSEUDONYM_KEY")
    if env:
        return env.encode("utf-8")
    path = key_file()
    if path.exists():
        return path.read_bytes().strip()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(secrets.token_hex(32).encode("ascii"))
    return path.read_bytes().strip()


def pseudonym(value: str, *, key: bytes, prefix: str = PREFIX) -> str:
    """Stable keyed pseudonym: same key and value give the same pseudonym across runs and sources."""
    digest = hmac.new(key, value.strip().encode("utf-8"), hashlib.sha256).hexdigest()
    return prefix + digest[:16]


def pseudonym_map(values: Iterable[str], *, key: bytes, prefix: str = PREFIX) -> dict[str, str]:
    return {v: pseudonym(v, key=key, prefix=prefix) for v in values}


def sql_params(key: bytes) -> dict[str, object]:
    """Named parameters for `pseudonym_sql`: HMAC's inner and outer padded keys (RFC 2104) and the
    characters str.strip() removes. The key never appears in SQL text, so no query or error shows it."""
    if len(key) > _HMAC_BLOCK:
        key = hashlib.sha256(key).digest()
    key = key.ljust(_HMAC_BLOCK, b"\0")
    return {"sf_ipad": bytes(b ^ 0x36 for b in key), "sf_opad": bytes(b ^ 0x5C for b in key),
            "sf_ws": WHITESPACE}


def pseudonym_sql(value: str, *, prefix: str = PREFIX) -> str:
    """SQL giving exactly `pseudonym(value)` for a VARCHAR expression, run with `sql_params(key)`: HMAC
    spelled out with DuckDB's sha256, so thousands of distinct values are hashed in one query, not one
    Python call each."""
    # DuckDB's trim with a character set costs more than the hashing: only values that start or end
    # with whitespace take it
    edge = literal(f"^{_WHITESPACE_CLASS}|{_WHITESPACE_CLASS}$")
    stripped = f"CASE WHEN regexp_matches({value}, {edge}) THEN trim({value}, $sf_ws) ELSE {value} END"
    inner = f"sha256($sf_ipad || encode({stripped}))"
    return f"{literal(prefix)} || left(sha256($sf_opad || unhex({inner})), 16)"


def _mod11(digits: list[int], weights: tuple[int, ...]) -> int | None:
    rest = 11 - sum(d * w for d, w in zip(digits, weights)) % 11
    if rest == 11:
        return 0
    if rest == 10:
        return None
    return rest


def is_fodselsnummer(text: str) -> bool:
    """An 11-digit fødselsnummer or D-number: valid date digits and both mod-11 check digits."""
    if len(text) != 11 or not text.isdigit():
        return False
    d = [int(c) for c in text]
    day = d[0] * 10 + d[1]
    month = d[2] * 10 + d[3]
    if day > 40:  # D-number: first digit + 4
        day -= 40
    if month > 40:  # H-number / synthetic test numbers (Skatteetaten's +40, NAV's +80)
        month -= 40 if month <= 52 else 80
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return False
    k1 = _mod11(d[:9], (3, 7, 6, 1, 8, 9, 4, 5, 2))
    if k1 is None or k1 != d[9]:
        return False
    k2 = _mod11(d[:10], (5, 4, 3, 2, 7, 6, 5, 4, 3, 2))
    return k2 is not None and k2 == d[10]


def fnr_candidates(text: str) -> list[str]:
    return [m for m in _FNR_RE.findall(text) if is_fodselsnummer(m)]


def replace_fnr(text: str, *, key: bytes) -> tuple[str, int]:
    """Replace every valid fødselsnummer in a text by its pseudonym; returns the text and the count."""
    count = 0

    def sub(m: re.Match[str]) -> str:
        nonlocal count
        if is_fodselsnummer(m.group(0)):
            count += 1
            return pseudonym(m.group(0), key=key, prefix=FNR_PREFIX)
        return m.group(0)

    return _FNR_RE.sub(sub, text), count
