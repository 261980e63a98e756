"""XES lines → one row per markup item (kind, tag, key, value), scanned by DuckDB's CSV reader."""
from __future__ import annotations

import codecs
import gzip
import html
import logging
import os
import re
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .errors import InputError
from .sql_text import literal

log = logging.getLogger(__name__)

ATTRIBUTE_TAGS = ("string", "date", "int", "float", "boolean", "id", "list", "container")
CHUNK_BYTES = 1 << 24

# row kinds
_IGNORE, _OPEN, _EMPTY, _CLOSE, _PI, _ODD = 0, 1, 2, 3, 4, 5

_NAME = r"[A-Za-z_][\w.:-]*"
_C0_ATTR = re.compile(rf"^\s*<({_NAME})\s+({_NAME})\s*=\s*$")
_C0_BARE = re.compile(rf"^\s*<({_NAME})\s*(/?)>\s*$")
_C0_CLOSE = re.compile(rf"^\s*</({_NAME})\s*>\s*$")
_C0_PI = re.compile(r"^\s*<\?.*$", re.S)
_C0_COMMENT = re.compile(r"^\s*<!--.*-->\s*$", re.S)
_BLANK = re.compile(r"^\s*$")
_MID_ATTR = re.compile(rf"^\s+({_NAME})\s*=\s*$")
_END = re.compile(r"^\s*(/?)>\s*$")
_TOKEN = re.compile(
    rf"""^\s*<(?:/(?P<close>{_NAME})\s*>|(?P<name>{_NAME})(?P<attrs>(?:\s+{_NAME}\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)"""
    rf"""\s*(?P<empty>/?)>|(?P<pi>\?.*\?>)|(?P<comment>!--.*-->))\s*$""", re.S)
_TOKEN_ATTR = re.compile(rf"""({_NAME})\s*=\s*(?:"([^"<]*)"|'([^'<]*)')""")
_COMMENT_BYTES = re.compile(rb"<!--.*?-->", re.S)
_WHITESPACE = bytes.maketrans(b"\t\r\n", b"   ")
_AMPERSAND = re.compile(b"&")


class _NeedsRewrite(Exception):
    """The fast line scan met a shape it does not handle; rewrite to one element per line and retry."""


@dataclass
class _Rows:
    """One row per markup item, in file order."""

    kind: np.ndarray          # int8, one of the _kinds
    tag: np.ndarray           # int32 index into `tags` (local names, prefix stripped)
    tags: list[str]
    key: pa.ChunkedArray      # the `key` (or `scope`) attribute where has_key
    value: pa.ChunkedArray    # the `value` attribute where has_value
    has_key: np.ndarray
    has_value: np.ndarray


# --- opening and sniffing -----------------------------------------------------------------------


def _is_gzip(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(2) == b"\x1f\x8b"


@contextmanager
def _open_bytes(path: Path) -> Iterator[IO[bytes]]:
    fh: IO[bytes] = gzip.open(path, "rb") if _is_gzip(path) else path.open("rb")
    try:
        yield fh
    finally:
        fh.close()


def _sniff(path: Path) -> str:
    """Check the file starts like XES; returns the encoding its XML declaration names."""
    source = str(path)
    try:
        with _open_bytes(path) as fh:
            head = fh.read(1 << 16)
    except (OSError, EOFError, zlib.error) as exc:
        raise _diagnose(path, f"cannot read the file: {exc}") from exc
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not text:
        raise InputError("the file is empty", file=source)
    if not text.startswith(b"<"):
        raise InputError("not an XES file: it does not start with XML markup", file=source, where="line 1")
    encoding = "utf-8"
    decl = re.match(rb"""<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""", text)
    if decl:
        try:
            encoding = codecs.lookup(decl.group(1).decode("ascii")).name
        except LookupError as exc:
            raise InputError(f"unknown encoding '{decl.group(1).decode('ascii', 'replace')}' in the XML "
                             f"declaration", file=source, where="line 1") from exc
    if encoding in ("ascii", "utf-8"):
        encoding = "utf-8"
    # the root element must be <log>: say so at once rather than after scanning gigabytes
    stripped = re.sub(rb"<!--.*?-->|<\?.*?\?>|<!DOCTYPE[^>]*>", lambda m: b"\n" * m.group(0).count(b"\n"),
                      head, flags=re.S)
    root = re.search(rb"<([A-Za-z_][\w.:-]*)", stripped)
    if root:
        name = root.group(1).decode("ascii", "replace")
        if name.split(":")[-1] != "log":
            line = stripped[:root.start()].count(b"\n") + 1
            raise InputError(f"not an XES file: the root element is <{name}>, not <log>", file=source,
                             where=f"line {line}")
    return encoding


def _diagnose(path: Path, fallback: str, *, where: str | None = None) -> InputError:
    """The precise error for a file the scan rejected: expat's message and position, else `fallback`."""
    import pyexpat

    parser = pyexpat.ParserCreate()
    source = str(path)
    try:
        with _open_bytes(path) as fh:
            parser.ParseFile(fh)
    except pyexpat.ExpatError as exc:
        return InputError(f"invalid XML: {pyexpat.ErrorString(exc.code)}", file=source,
                          where=f"line {exc.lineno}, column {exc.offset + 1}")
    except (OSError, EOFError, zlib.error) as exc:
        return InputError(f"truncated or corrupt gzip data ({exc})", file=source,
                          where=f"after line {parser.CurrentLineNumber}")
    return InputError(fallback, file=source, where=where)


def _line_of(path: Path, tag: str, number: int) -> int | None:
    """Line of the `number`-th (0-based) start tag `tag`: for messages about one element."""
    import pyexpat

    parser = pyexpat.ParserCreate()
    seen = [0]
    found: list[int] = []

    def start(name: str, _attrs: dict) -> None:
        if name.split(":")[-1].split("}")[-1] == tag:
            if seen[0] == number:
                found.append(parser.CurrentLineNumber)
                raise StopIteration
            seen[0] += 1

    parser.StartElementHandler = start
    try:
        with _open_bytes(path) as fh:
            parser.ParseFile(fh)
    except StopIteration:
        pass
    except (pyexpat.ExpatError, OSError, EOFError, zlib.error):
        return None
    return found[0] if found else None


# --- scanning into rows -------------------------------------------------------------------------


def _rewrite(path: Path, encoding: str, target: Path) -> None:
    """Write the file as UTF-8 with one markup item per line (attribute whitespace → spaces, comments out)."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict") if encoding != "utf-8" else None
    first = True
    pending = b""
    with _open_bytes(path) as src, target.open("wb") as dst:
        while True:
            block = src.read(CHUNK_BYTES)
            final = not block
            if decoder is not None:
                block = decoder.decode(block, final).encode("utf-8")
            data = pending + block
            pending = b""
            if not final:
                # a comment cut by the block boundary waits for the next block
                open_at = data.rfind(b"<!--")
                if open_at >= 0 and data.find(b"-->", open_at) < 0:
                    data, pending = data[:open_at], data[open_at:]
            if b"<!--" in data:
                data = _COMMENT_BYTES.sub(b"", data)
            if first:
                data = data.lstrip(b"\xef\xbb\xbf")
            data = data.translate(_WHITESPACE).replace(b"<", b"\n<")
            if first and data.startswith(b"\n"):
                data = data[1:]
            first = first and not data
            dst.write(data)
            if final:
                break


LAYOUT_SAMPLE_BYTES = 1 << 20
_TWO_ITEMS = re.compile(rb"<[^\n]*<")


def _layout_odd(path: Path) -> str | None:
    """Why the file's head is not one markup item per line (compact, one line …); None if it is.

    DuckDB's line scan handles a line with more than four quotes through its error path, which costs far more
    than the line: a compact file (an event and its attributes on one line) took 75 times its size in memory,
    one long line minutes per megabyte. Such a file goes straight to the streaming rewrite instead. The head
    decides: the line scan would send any line with two items to the rewrite anyway, only after paying for it.
    """
    try:
        with _open_bytes(path) as fh:
            head = fh.read(LAYOUT_SAMPLE_BYTES)
    except (OSError, EOFError, zlib.error):
        return None  # the scan meets the damage too, and says where
    whole = len(head) < LAYOUT_SAMPLE_BYTES
    if not whole:
        head = head[:head.rfind(b"\n") + 1] or head  # no newline in a megabyte: one long line
    open_at = head.rfind(b"<!--")
    if open_at >= 0 and head.find(b"-->", open_at) < 0:
        head = head[:open_at]  # a comment cut by the sample's end
    head = _COMMENT_BYTES.sub(b"", head) if b"<!--" in head else head
    if not whole and b"\n" not in head:
        return "no line break in the first megabyte"
    if _TWO_ITEMS.search(head):
        return "several markup items on one line"
    return None


@dataclass
class _Scan:
    """The scanned lines; `_classify` takes the table out so its memory goes as soon as it is used.

    s0/s2/s4 code the text before the first, between the second and third, and after the fourth quote
    (1-based into `shapes`; 0 = another text, which is then in x0/x2/x4; -1 = no such part)."""

    table: pa.Table | None
    rejects: list[tuple[int, str]]
    shapes: tuple[list[str], list[str], list[str]]


SAMPLE_BYTES = 1 << 18


def _sample_shapes(path: Path) -> tuple[list[str], list[str], list[str]]:
    """The common line pieces (indentation included), from a sample of the first traces."""
    with _open_bytes(path) as fh:
        head = fh.read(1 << 23)
    at = head.find(b"<trace")
    sample = head[at if at >= 0 else 0:][:SAMPLE_BYTES].decode("utf-8", "replace").split("\n")[:-1]
    counts: list[dict[str, int]] = [{}, {}, {}]
    for line in sample:
        parts = line.rstrip("\r").split('"')
        if len(parts) > 5:
            continue
        for slot, i in ((0, 0), (1, 2), (2, 4)):
            if i < len(parts):
                counts[slot][parts[i]] = counts[slot].get(parts[i], 0) + 1
    top = [sorted((t for t, n in c.items() if n >= 2), key=lambda t: -c[t])[:64] for c in counts]
    return top[0], top[1], top[2]


def _scan(con: duckdb.DuckDBPyConnection, path: Path, *, gz: bool, encoding: str) -> _Scan:
    """Split lines at `"` (empty values stay empty); lines with more than four quotes come back as
    (line, text). The pieces between values are coded in SQL against the shapes of a sample."""
    con.execute("DROP TABLE IF EXISTS __xes_rejects")
    con.execute("DROP TABLE IF EXISTS __xes_scans")
    cols = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(5))
    enc = ", encoding = 'latin-1'" if encoding in ("iso8859-1", "latin-1") else ""
    shapes = _sample_shapes(path) if encoding == "utf-8" else ([], [], [])

    def code(column: str, known: list[str]) -> str:
        whens = " ".join(f"WHEN {literal(t)} THEN {i + 1}" for i, t in enumerate(known))
        inner = f"CASE {column} {whens} ELSE 0 END" if known else "0"
        return (f"CASE WHEN {column} IS NULL THEN -1 ELSE {inner} END::SMALLINT AS s{column[1]}, "
                f"CASE WHEN s{column[1]} = 0 THEN {column} END AS x{column[1]}")

    table = con.sql(
        f"SELECT {code('c0', shapes[0])}, c1, {code('c2', shapes[1])}, c3, {code('c4', shapes[2])} "
        f"FROM read_csv({literal(str(path))}, delim = '\"', quote = '', escape = '', header = false, "
        f"auto_detect = false, columns = {{{cols}}}, null_padding = true, nullstr = '\x01', "
        f"ignore_errors = true, store_rejects = true, rejects_table = '__xes_rejects', "
        f"rejects_scan = '__xes_scans', compression = {literal('gzip' if gz else 'none')}{enc})"
    ).to_arrow_table()
    bad = con.execute("SELECT line, any_value(csv_line), list(DISTINCT error_type) FROM __xes_rejects "
                      "GROUP BY line ORDER BY line").fetchall()
    con.execute("DROP TABLE IF EXISTS __xes_rejects")
    con.execute("DROP TABLE IF EXISTS __xes_scans")
    if any(t != "TOO MANY COLUMNS" for _, _, types in bad for t in types):
        raise _NeedsRewrite("unexpected CSV scan errors")
    return _Scan(table, [(int(line), str(text).strip("\r\n")) for line, text, _ in bad], shapes)


def _codes(column: pa.ChunkedArray | pa.Array) -> tuple[np.ndarray, list[str]]:
    """Dictionary codes (-1 for null) and the distinct values, chunk by chunk (no 2 GB string limit)."""
    values: dict[str, int] = {}
    parts = []
    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    for chunk in chunks:
        enc = pc.dictionary_encode(chunk)
        local = enc.dictionary.to_pylist()
        lookup = np.array([values.setdefault(v, len(values)) for v in local] + [-1], dtype=np.int32)
        indices = enc.indices
        idx = np.frombuffer(indices.buffers()[1], dtype=np.int32, count=len(indices) + indices.offset)
        idx = idx[indices.offset:].copy()
        if indices.null_count:
            idx[~_numpy(indices.is_valid())] = len(local)
        parts.append(lookup[idx])
    codes = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)
    return codes, list(values)


def _take_sorted(column: pa.ChunkedArray | pa.Array, rows: np.ndarray) -> pa.Array:
    """`column.take(rows)` for ascending `rows`, chunk by chunk.

    Arrow's take on a chunked column first joins all its chunks: a copy of the whole column (hundreds of
    megabytes of text for a million events) to pick a handful of rows."""
    if isinstance(column, pa.Array):
        return column.take(pa.array(rows))
    rows = np.asarray(rows, dtype=np.int64)
    out = []
    start = 0
    for chunk in column.chunks:
        lo, hi = np.searchsorted(rows, [start, start + len(chunk)])
        if hi > lo:
            out.append(chunk.take(pa.array(rows[lo:hi] - start)))
        start += len(chunk)
    return pa.concat_arrays(out) if out else pa.array([], column.type)


def _take_ordered(column: pa.ChunkedArray, pos: np.ndarray, missing: np.ndarray) -> pa.Array:
    """`column.take(pos)` with nulls where `missing`, for `pos` ascending where not missing, chunk by chunk:
    Arrow's own take would first join the chunks into one copy of the column."""
    chunks = column.chunks
    if not chunks or missing.all():
        return pa.nulls(len(pos), column.type)
    starts = np.cumsum([0] + [len(c) for c in chunks])
    # each row's chunk, carried forward over the missing ones: the segments of one chunk follow each other
    cid = np.where(missing, -1, np.searchsorted(starts, pos, side="right") - 1)
    cid = np.maximum(np.maximum.accumulate(cid), 0)
    cuts = np.r_[0, np.flatnonzero(np.diff(cid)) + 1, len(pos)]
    out = []
    for a, b in zip(cuts[:-1].tolist(), cuts[1:].tolist()):
        k = int(cid[a])
        local = np.where(missing[a:b], 0, pos[a:b] - starts[k])
        out.append(chunks[k].take(pa.array(local, mask=missing[a:b])))
    return pa.concat_arrays(out)


def _take_rows(table: pa.Table, rows: np.ndarray) -> pa.Table:
    """`table.take(rows)` for ascending `rows`, without joining the chunks of its columns."""
    return pa.table({name: _take_sorted(table.column(name), rows) for name in table.column_names})


def _numpy(column: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """A numpy copy of a primitive column without nulls (pyarrow's own conversion would import pandas)."""
    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    if not chunks:
        return np.zeros(0, dtype=bool)
    out = []
    for c in chunks:
        if pa.types.is_boolean(c.type):
            bits = np.frombuffer(c.buffers()[1], dtype=np.uint8)
            out.append(np.unpackbits(bits, bitorder="little")[c.offset:c.offset + len(c)].astype(bool))
        else:
            dtype = np.dtype(f"int{c.type.bit_width}") if pa.types.is_signed_integer(c.type) else None
            out.append(np.frombuffer(c.buffers()[1], dtype=dtype)[c.offset:c.offset + len(c)] if dtype is not None
                       else c.to_numpy(zero_copy_only=False))
    return np.concatenate(out)


# DuckDB's trim strips the Unicode space separators (Zs) at both ends: U+0020, U+00A0, U+1680, U+2000-U+200A,
# U+202F, U+205F, U+3000. In UTF-8 they begin with one of these bytes and end with one of those.
_ZS_FIRST = np.zeros(256, dtype=bool)
_ZS_FIRST[[0x20, 0xC2, 0xE1, 0xE2, 0xE3]] = True
_ZS_LAST = np.zeros(256, dtype=bool)
_ZS_LAST[[0x20, 0xA0, 0x9F, 0xAF, *range(0x80, 0x8B)]] = True


def _untrimmed(column: pa.ChunkedArray | pa.Array) -> bool:
    """Whether SQL's `nullif(trim(x), '')` leaves every value of a text column as it is: none is empty, and
    none may begin or end with a space separator (judged by its first and last byte, so a few others count
    too). Trimming copies every string; a column that needs none is read as it is."""
    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    for chunk in chunks:
        if len(chunk) == chunk.null_count:
            continue
        if not pa.types.is_string(chunk.type):
            return False
        offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int32)[chunk.offset:chunk.offset + len(chunk) + 1]
        starts, ends = offsets[:-1], offsets[1:]
        filled = ends > starts
        if chunk.null_count:
            valid = _numpy(chunk.is_valid())
            if (valid & ~filled).any():
                return False  # an empty value
            filled &= valid
        elif not filled.all():
            return False
        data = np.frombuffer(chunk.buffers()[2], dtype=np.uint8)
        if _ZS_FIRST[data[starts[filled]]].any() or _ZS_LAST[data[ends[filled] - 1]].any():
            return False
    return True


def _true(column: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """Where a boolean column is true (null counts as false)."""
    return _numpy(column) & _numpy(column.is_valid())


def _parse_token(text: str) -> tuple[int, str, dict[str, str]] | None:
    """Kind, local tag name and attributes of one markup item; None if it is not one."""
    if _BLANK.match(text):
        return _IGNORE, "", {}
    m = _TOKEN.match(text)
    if not m:
        return None
    if m.group("comment"):
        return _IGNORE, "", {}
    if m.group("pi"):
        return _PI, "", {}
    if m.group("close"):
        return _CLOSE, m.group("close").split(":")[-1], {}
    attrs = {a.group(1): a.group(2) if a.group(2) is not None else a.group(3)
             for a in _TOKEN_ATTR.finditer(m.group("attrs"))}  # entities are decoded with the pivot
    return (_EMPTY if m.group("empty") else _OPEN), m.group("name").split(":")[-1], attrs


Parsed = tuple[int, str, dict[str, str]] | None


def _classify(scan: _Scan, *, rewritten: bool) -> _Rows:
    """Kinds, tags, keys and values of every row; raises _NeedsRewrite, or leaves _ODD rows for the caller."""
    table, rejects = scan.table, scan.rejects
    scan.table = None
    assert table is not None
    n = table.num_rows
    tags: dict[str, int] = {"": 0}
    anames: dict[str, int] = {"": 0, "key": 1, "scope": 2, "value": 3}

    def tag_id(name: str) -> int:
        return tags.setdefault(name.split(":")[-1], len(tags))

    def attr_id(name: str) -> int:
        return anames.setdefault(name, len(anames))

    known0, known2, known4 = scan.shapes

    def coded(slot: str, known: list[str]) -> tuple[np.ndarray, list[str]]:
        """Codes 0.. into known + other texts, and -1 where the piece is missing."""
        sc = _numpy(table.column(f"s{slot}")).astype(np.int32)  # noqa: F821 - `del table` below comes after the last call
        texts = list(known)
        other = np.flatnonzero(sc == 0)
        if len(other):
            g, found = _codes(_take_sorted(table.column(f"x{slot}"), other))  # noqa: F821
            sc[other] = len(known) + 1 + g
            texts += found
        return np.where(sc < 0, -1, sc - 1), texts  # -1: missing, the last entry of each lookup below

    # first column: form, tag and first attribute per distinct text (a handful in a whole log)
    s0, d0 = coded("0", known0)
    f0, t0, a0, h0 = [], [], [], []
    for text in d0:
        form, tg, at, has = _ODD, 0, 0, False
        if m := _C0_ATTR.match(text):
            form, tg, at, has = _OPEN, tag_id(m.group(1)), attr_id(m.group(2)), True
        elif m := _C0_BARE.match(text):
            form, tg = (_EMPTY if m.group(2) else _OPEN), tag_id(m.group(1))
        elif m := _C0_CLOSE.match(text):
            form, tg = _CLOSE, tag_id(m.group(1))
        elif _C0_COMMENT.match(text) or _BLANK.match(text):
            form = _IGNORE
        elif _C0_PI.match(text):
            form = _PI
        f0.append(form), t0.append(tg), a0.append(at), h0.append(has)
    f0.append(_ODD), t0.append(0), a0.append(0), h0.append(False)  # code -1: no first column
    # third column: 1 open end, 2 empty end, 3 another attribute, 0 odd; -1 (last code) = no third column
    s2, d2 = coded("2", known2)
    e2_of, a2_of = [], []
    for text in d2:
        e, a = 0, 0
        if m := _END.match(text):
            e = 2 if m.group(1) else 1
        elif m := _MID_ATTR.match(text):
            e, a = 3, attr_id(m.group(1))
        e2_of.append(e), a2_of.append(a)
    e2_of.append(-1), a2_of.append(0)
    # fifth column: 1 open end, 2 empty end, 0 odd; 3 (last code) = no fifth column
    s4, d4 = coded("4", known4)
    e4_of = [(2 if m.group(1) else 1) if (m := _END.match(text)) else 0 for text in d4] + [3]

    form = np.array(f0, dtype=np.int8)[s0]
    tag = np.array(t0, dtype=np.int32)[s0]
    has_attr = np.array(h0, dtype=bool)[s0]
    a1 = np.where(has_attr, np.array(a0, dtype=np.int32)[s0], 0)
    e2 = np.array(e2_of, dtype=np.int8)[s2]
    e4 = np.array(e4_of, dtype=np.int8)[s4]
    a2 = np.where(has_attr & (e2 == 3), np.array(a2_of, dtype=np.int32)[s2], 0)
    null1 = _numpy(table.column("c1").is_null())
    null3 = _numpy(table.column("c3").is_null())
    kind = form.copy()
    bare = ~has_attr & (form != _PI)
    kind[bare & ~null1] = _ODD                                   # a quote after a tag without attributes
    one = has_attr & (e2 != 3)
    kind[one & (e2 <= 0)] = _ODD
    kind[one & (e2 == 1)] = _OPEN
    kind[one & (e2 == 2)] = _EMPTY
    kind[one & ~null3] = _ODD
    two = has_attr & (e2 == 3)
    kind[two & (e4 == 1)] = _OPEN
    kind[two & (e4 == 2)] = _EMPTY
    kind[two & ((e4 == 0) | (e4 == 3))] = _ODD
    kind[form == _PI] = _PI

    key_from1, key_from3 = (a1 == 1) | (a1 == 2), (a2 == 1) | (a2 == 2)
    val_from1, val_from3 = a1 == 3, a2 == 3
    key, value = table.column("c1"), table.column("c3")
    if key_from3.any():  # value="…" before key="…" somewhere: pick per row
        key = pa.chunked_array([pc.if_else(pa.array(key_from3), value.combine_chunks(), key.combine_chunks())])
    if val_from1.any():
        value = pa.chunked_array([pc.if_else(pa.array(val_from1), table.column("c1").combine_chunks(),
                                             value.combine_chunks())])
    has_key = key_from1 | key_from3
    has_value = val_from1 | val_from3
    del s0, s2, s4, form, has_attr, a1, a2, e2, e4, null1, null3, bare, one, two
    odd = np.flatnonzero(kind == _ODD)
    if len(odd) > 100_000:
        if not rewritten:
            raise _NeedsRewrite(f"{len(odd):,} lines of an unexpected shape")
        raise InputError(f"{len(odd):,} markup items of a shape XES does not use")
    fixes: dict[int, Parsed] = {}
    for row, r in zip(odd.tolist(), _take_rows(table, odd).to_pylist()):
        # a line of another shape (single quotes, attributes in another order) that is still one whole
        # item is parsed here; anything else (several items, an item cut by a line break) needs a rewrite
        piece = {slot: (None if r[f"s{slot}"] == -1 else r[f"x{slot}"] if r[f"s{slot}"] == 0
                        else known[r[f"s{slot}"] - 1]) for slot, known in (("0", known0), ("2", known2),
                                                                             ("4", known4))}
        parts = [piece["0"], r["c1"], piece["2"], r["c3"], piece["4"]]
        while parts and parts[-1] is None:
            parts.pop()
        fixes[row] = _parse_token('"'.join(p or "" for p in parts))
        if fixes[row] is None and not rewritten:
            raise _NeedsRewrite(f"line shape {parts[0][:40]!r}")
    del table
    extra: list[tuple[int, Parsed]] = [(line, _parse_token(text)) for line, text in rejects]
    if not rewritten:
        # before a rewrite rows and lines need not match (blank lines are skipped): only tags that change
        # nothing may come as long lines, and the root <log> (known to come first)
        for _, parsed in extra:
            if parsed is None or not ((parsed[0] == _EMPTY and parsed[1] in ("extension", "classifier"))
                                      or (parsed[0] == _OPEN and parsed[1] == "log")):
                raise _NeedsRewrite("a line with more than four quotes")
        if any(p is not None and p[1] == "log" for _, p in extra):
            kind = np.concatenate([np.array([_OPEN], dtype=np.int8), kind])
            tag = np.concatenate([np.array([tag_id("log")], dtype=np.int32), tag])
            key = pa.chunked_array([pa.nulls(1, pa.string())] + key.chunks)
            value = pa.chunked_array([pa.nulls(1, pa.string())] + value.chunks)
            has_key = np.concatenate([[False], has_key])
            has_value = np.concatenate([[False], has_value])
            fixes = {r + 1: parsed for r, parsed in fixes.items()}
    elif extra:
        # after a rewrite every line is a row or a long line: put the long lines at their places
        at = np.array([line - 1 for line, _ in extra], dtype=np.int64)
        total = n + len(at)
        if at.max() >= total:
            raise InputError("could not place long lines while reading")
        is_extra = np.zeros(total, dtype=bool)
        is_extra[at] = True
        order = np.empty(total, dtype=np.int64)
        order[~is_extra] = np.arange(n)
        order[at] = n + np.arange(len(at))
        kind = np.concatenate([kind, np.zeros(len(at), dtype=np.int8)])[order]
        tag = np.concatenate([tag, np.zeros(len(at), dtype=np.int32)])[order]
        has_key = np.concatenate([has_key, np.zeros(len(at), dtype=bool)])[order]
        has_value = np.concatenate([has_value, np.zeros(len(at), dtype=bool)])[order]
        key = pa.chunked_array(key.chunks + [pa.nulls(len(at), pa.string())]).take(pa.array(order))
        value = pa.chunked_array(value.chunks + [pa.nulls(len(at), pa.string())]).take(pa.array(order))
        kept_at = np.flatnonzero(~is_extra)
        fixes = {int(kept_at[r]): parsed for r, parsed in fixes.items()}
        for (line, parsed) in extra:
            fixes[line - 1] = parsed
    # one patch per column for the items parsed in Python
    rows = np.array(sorted(fixes), dtype=np.int64)
    ks: list[str | None] = []
    vs: list[str | None] = []
    for r in rows.tolist():
        parsed = fixes[r]
        if parsed is None:
            kind[r], tag[r] = _ODD, 0
            ks.append(None), vs.append(None)
            continue
        kind[r], tag[r] = parsed[0], tag_id(parsed[1]) if parsed[1] else 0
        ks.append(parsed[2].get("key", parsed[2].get("scope")))
        vs.append(parsed[2].get("value"))
    has_key[rows] = [k is not None for k in ks]
    has_value[rows] = [v is not None for v in vs]
    if len(rows):
        key = _patch(key, rows, ks)
        value = _patch(value, rows, vs)
    names = [""] * len(tags)
    for name, i in tags.items():
        names[i] = name
    return _Rows(kind=kind, tag=tag, tags=names, key=key, value=value, has_key=has_key, has_value=has_value)


def _unescape(text: str | None) -> str | None:
    return html.unescape(text) if text is not None and "&" in text else text


def _decoded(column: pa.Array) -> pa.Array:
    """Entities (&amp; &lt; &#10; …) decoded in the few values that have them."""
    data = column.buffers()[2] if len(column) else None
    if data is None or _AMPERSAND.search(data) is None:
        return column  # no `&` in the text buffer at all: the usual case, found by a byte search
    rows = np.flatnonzero(_true(pc.match_substring(column, "&")))
    if not len(rows):
        return column
    fixed = [_unescape(v) for v in _take_sorted(column, rows).to_pylist()]
    return _patch(pa.chunked_array([column]), rows, fixed).combine_chunks()


def _patch(column: pa.ChunkedArray, rows: np.ndarray, values: list[str | None]) -> pa.ChunkedArray:
    """`column` with `values` at the sorted `rows`, chunk by chunk (only the chunks touched are copied)."""
    out = []
    start = 0
    for chunk in column.chunks:
        lo, hi = np.searchsorted(rows, [start, start + len(chunk)])
        if hi > lo:
            mask = np.zeros(len(chunk), dtype=bool)
            mask[rows[lo:hi] - start] = True
            chunk = pc.replace_with_mask(chunk, pa.array(mask), pa.array(values[lo:hi], pa.string()))
        out.append(chunk)
        start += len(chunk)
    return pa.chunked_array(out, type=pa.string())


def _rows(con: duckdb.DuckDBPyConnection, path: Path, encoding: str) -> tuple[_Rows, bool]:
    """Scan the file into rows: directly when it is one element per line, else after a rewrite."""
    gz = _is_gzip(path)
    odd = _layout_odd(path) if encoding in ("utf-8", "iso8859-1", "latin-1") else None
    if odd is not None:
        log.debug("%s: %s; rewriting to one element per line without a line scan first", path, odd)
    elif encoding in ("utf-8", "iso8859-1", "latin-1"):
        try:
            return _classify(_scan(con, path, gz=gz, encoding=encoding), rewritten=False), False
        except _NeedsRewrite as why:
            log.debug("%s: %s; rewriting to one element per line", path, why)
        except duckdb.Error as exc:
            log.debug("%s: line scan failed (%s); rewriting to one element per line", path,
                      str(exc).splitlines()[0])
    fd, tmp = tempfile.mkstemp(suffix=".xml", prefix="saksflyt-xes-")
    os.close(fd)
    target = Path(tmp)
    try:
        try:
            _rewrite(path, encoding, target)
        except (OSError, EOFError, zlib.error, UnicodeDecodeError) as exc:
            raise _diagnose(path, f"cannot read the file: {exc}") from exc
        try:
            scanned = _scan(con, target, gz=False, encoding="utf-8")
        except (duckdb.Error, _NeedsRewrite) as exc:
            raise _diagnose(path, f"cannot read the file: {str(exc).splitlines()[0]}") from exc
        return _classify(scanned, rewritten=True), True
    finally:
        target.unlink(missing_ok=True)
