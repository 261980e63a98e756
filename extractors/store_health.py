"""Is the store file whole, and can this Saksflyt read it: damage, a newer schema and a full disk as one line.

DuckDB reports these as engine errors (`Corrupt database file: computed checksum …`, `Could not read
enough bytes`, `No space left on device`) that surface as tracebacks wherever a query happens to touch
the bad block. `extractors.store` opens every connection, so it checks here once on open and passes the
errors of the whole open block through `translated`: the one place DuckDB's words become our `StoreError`s.
Nothing here writes to the file; a damaged store is left byte for byte as it was, never re-created.

DuckDB checks a block's checksum only when a query reads it, so a command that never touched a damaged
block would carry on, and a writer would write into a damaged file. So on open the blocks the header
counts are checked here (DuckDB's block checksum, vectorised: ~1 ms per MB, in bounded chunks), once per
state of the file per process; and a file found damaged is remembered until it changes.
"""
from __future__ import annotations

import contextlib
import errno
import os
import re
import struct
from collections.abc import Iterable, Iterator
from pathlib import Path

import duckdb
import numpy as np

from .errors import StoreDamagedError, StoreError, StoreFullError, StoreTooNewError
from .migrations import registered

RESTORE = "the file is left as it is; restore it from a backup"

# DuckDB's single-file layout: a main header block, then two database headers (the one with the higher
# iteration is current), each 4 KiB; then `block_count` blocks of `block_alloc_size` bytes.
_HEADER_SIZE = 4096
_MAGIC = b"DUCK"
_MAGIC_OFFSET = 8


_CHECKSUM_SEED = np.uint64(5381)
_CHECKSUM_FACTOR = np.uint64(0xBF58476D1CE4E5B9)
_CHUNK_BYTES = 16 << 20


def layout(head: bytes) -> tuple[int, int] | None:
    """(block_count, block_size) from the current database header, or None when the header is not one we
    know (then DuckDB's own checks decide)."""
    if len(head) < 3 * _HEADER_SIZE or head[_MAGIC_OFFSET:_MAGIC_OFFSET + 4] != _MAGIC:
        return None
    headers = [struct.unpack_from("<8Q", head, off) for off in (_HEADER_SIZE, 2 * _HEADER_SIZE)]
    _checksum, _iteration, _meta, _free, block_count, block_size, _vector, _compat = max(headers,
                                                                                      key=lambda h: h[1])
    if not 4096 <= block_size <= 1 << 30 or block_size % 8 or block_count > 1 << 40:
        return None
    return block_count, block_size


def bad_block(target: Path, *, block_count: int, block_size: int) -> int | None:
    """The byte offset of the first block whose stored checksum differs from its content, else None.

    DuckDB's block checksum: 5381 XOR, over the block's 8-byte words after the stored one, each word times
    0xbf58476d1ce4e5b9. All-zero blocks (never written, e.g. a hole left by an interrupted checkpoint) are
    not in use and skipped. Read in chunks of 16 MB, so memory stays flat for a big store.
    """
    words = block_size // 8
    per_chunk = max(1, _CHUNK_BYTES // block_size)
    fd = _descriptor(target)
    for first in range(0, block_count, per_chunk):
        n = min(per_chunk, block_count - first)
        offset = 3 * _HEADER_SIZE + first * block_size
        raw = os.pread(fd, n * block_size, offset)
        if len(raw) < n * block_size:
            return offset + len(raw) // block_size * block_size
        blocks = np.frombuffer(raw, dtype="<u8").reshape(n, words)
        with np.errstate(over="ignore"):
            computed = np.bitwise_xor.reduce(blocks[:, 1:] * _CHECKSUM_FACTOR, axis=1) ^ _CHECKSUM_SEED
        wrong = (computed != blocks[:, 0]) & blocks.any(axis=1)
        if wrong.any():
            return offset + int(np.argmax(wrong)) * block_size
    return None


# One read-only descriptor per store file (device, inode), kept open for the life of the process. Closing ANY
# descriptor of a file drops every POSIX lock this process holds on it, DuckDB's included: a writer in
# another process could then write while this process reads (seen as "Corrupted DICT_FSST segment").
_DESCRIPTORS: dict[tuple[int, int], int] = {}


def _descriptor(target: Path) -> int:
    st = os.stat(target)
    key = (st.st_dev, st.st_ino)
    if key not in _DESCRIPTORS:
        _DESCRIPTORS[key] = os.open(target, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    return _DESCRIPTORS[key]


_DAMAGED: dict[str, tuple[tuple[int, int, int], str]] = {}   # resolved path → (file identity, message)
_VERIFIED: dict[str, tuple[int, int, int]] = {}               # resolved path → identity last found whole


def _identity(target: Path) -> tuple[str, tuple[int, int, int]] | None:
    try:
        st = target.stat()
    except OSError:
        return None
    return str(target.resolve()), (st.st_size, st.st_mtime_ns, st.st_ino)


def _remember(target: Path, message: str) -> None:
    found = _identity(target)
    if found is not None:
        _DAMAGED[found[0]] = (found[1], message)


def check_file(target: Path) -> None:
    """A `StoreDamagedError` when the file does not end on a block boundary (truncated), a block's checksum
    does not match, or it was found damaged earlier in this process and has not changed since: caught
    before anything reads or writes through the new connection, so nothing is written into a damaged file.
    Called with the file open, under DuckDB's lock, so no writer is half-way through a checkpoint."""
    found = _identity(target)
    if found is None:
        return
    known = _DAMAGED.get(found[0])
    if known is not None and known[0] == found[1]:
        raise StoreDamagedError(known[1])
    if _VERIFIED.get(found[0]) == found[1]:
        return
    try:
        size = target.stat().st_size
        head = os.pread(_descriptor(target), 3 * _HEADER_SIZE, 0)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StoreError(f"{target}: cannot read the store: {exc.strerror or exc}") from exc
    shape = layout(head)
    if shape is None:
        return
    # DuckDB cuts trailing free blocks off the file after writing its header, so a file may hold fewer
    # blocks than the header counts; but it always ends on a block boundary.
    if size < 3 * _HEADER_SIZE or (size - 3 * _HEADER_SIZE) % shape[1]:
        message = f"{target}: damaged: truncated ({size:,} bytes, not a whole number of blocks); {RESTORE}"
        _remember(target, message)
        raise StoreDamagedError(message)
    try:
        bad = bad_block(target, block_count=min(shape[0], (size - 3 * _HEADER_SIZE) // shape[1]),
                        block_size=shape[1])
    except OSError as exc:
        raise StoreError(f"{target}: cannot read the store: {exc.strerror or exc}") from exc
    if bad is not None:
        message = f"{target}: damaged: checksum mismatch in the block at byte {bad:,}; {RESTORE}"
        _remember(target, message)
        raise StoreDamagedError(message)
    _VERIFIED[found[0]] = found[1]


def known_versions() -> dict[str, int]:
    """package → the newest migration this Saksflyt knows, for the packages imported in this process."""
    from . import schema  # noqa: F401  the event store's own tables register on import

    known: dict[str, int] = {}
    for m in registered():
        known[m.package] = max(known.get(m.package, 0), m.version)
    return known


def has_table(con: duckdb.DuckDBPyConnection, table: str, *, database: str | None = None) -> bool:
    """Whether `table` exists in the main schema of `database` (None: the connection's current one)."""
    found = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND schema_name = 'main' "
                        "AND database_name = coalesce(?, current_database())", [table, database])
    return bool(found.fetchone()[0])


def check_schema(con: duckdb.DuckDBPyConnection, target: Path, *, database: str | None = None) -> None:
    """A `StoreTooNewError` when the store records a migration newer than this Saksflyt knows: writing
    to it, or reading tables whose meaning changed, could corrupt or misread it."""
    if not has_table(con, "schema_migrations", database=database):
        return
    prefix = f'"{database}".' if database else ""
    found = con.execute(f"SELECT package, max(version) FROM {prefix}schema_migrations GROUP BY package "
                        "ORDER BY package").fetchall()
    known = known_versions()
    for package, version in found:
        if package in known and version > known[package]:
            raise StoreTooNewError(
                f"{target}: written by a newer Saksflyt (schema {package} {version} > {known[package]}); "
                "upgrade Saksflyt to open it")


def _chain(exc: BaseException) -> Iterable[BaseException]:
    """The exception and the ones it was raised from or during (a failed ROLLBACK hides the cause)."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]


_BLOCK = re.compile(r"block at location (\d+)")


def translate(exc: BaseException, target: Path) -> StoreError | None:
    """Our error for DuckDB's (or the OS's) words about a damaged store or a full disk; None otherwise.
    A damaged file is remembered, so later opens in this process refuse it (see the module's note)."""
    found = _translate(exc, target)
    if isinstance(found, StoreDamagedError):
        _remember(target, str(found))
    return found


def _translate(exc: BaseException, target: Path) -> StoreError | None:
    for e in _chain(exc):
        if isinstance(e, StoreError):
            return None
        text = str(e)
        if (isinstance(e, OSError) and e.errno == errno.ENOSPC) or "No space left on device" in text:
            return StoreFullError(f"{target}: disk full: the store's disk has no space left; nothing was "
                                  "written, free some space and run the command again")
        if not isinstance(e, (duckdb.Error, OSError)):
            continue
        if "Corrupt database file" in text or "does not match stored checksum" in text:
            where = _BLOCK.search(text)
            at = f" in the block at byte {int(where.group(1)):,}" if where else ""
            return StoreDamagedError(f"{target}: damaged: checksum mismatch{at}; {RESTORE}")
        if "Could not read enough bytes" in text:
            return StoreDamagedError(f"{target}: damaged: truncated (the file ends before its data); {RESTORE}")
        if "not a valid DuckDB database file" in text:
            return StoreDamagedError(f"{target}: damaged: not a DuckDB database file (the header is "
                                     f"unreadable); {RESTORE}")
        if "version number" in text and "can only read" in text:
            return StoreTooNewError(f"{target}: written by a newer Saksflyt (its DuckDB storage format is "
                                    "newer than this one reads); upgrade Saksflyt to open it")
    return None


@contextlib.contextmanager
def translated(target: Path) -> Iterator[None]:
    """Within the block, DuckDB's damage and disk-full errors become our one-line `StoreError`s."""
    try:
        yield
    except (duckdb.Error, OSError) as exc:
        mine = translate(exc, target)
        if mine is None:
            raise
        raise mine from exc
