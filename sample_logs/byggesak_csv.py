"""The byggesak log as CSV bytes (`;`, decimal commas, local times with offsets), encoded column-wise in Arrow."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .byggesak_model import TZ

_OFFSETS = pa.array([f"{h:+03d}:00" for h in range(-12, 15)])


def _quoted(text: pa.Array) -> pa.Array:
    """CSV quoting only where needed: values with the delimiter, a quote or a line break."""
    quoted = pc.binary_join_element_wise('"', pc.replace_substring(text, '"', '""'), '"', "")
    return pc.if_else(pc.match_substring_regex(text, '[;"\r\n]'), quoted, text)


def _csv_field(col: pa.Array) -> pa.Array:
    """One column as CSV text without nulls: local times with offsets, decimal commas, quoting."""
    if pa.types.is_dictionary(col.type):
        col = col.dictionary_decode()
    if pa.types.is_timestamp(col.type):  # 2024-03-31T10:05:00+02:00 (a cast: strftime is ten times slower)
        instant = col.cast(pa.timestamp("s", tz=TZ))
        local = pc.local_timestamp(instant)
        hours = pc.divide(pc.subtract(local.cast(pa.int64()), instant.cast(pa.int64())), 3600)
        text = pc.binary_join_element_wise(pc.replace_substring(local.cast(pa.string()), " ", "T"),
                                           _OFFSETS.take(pc.add(hours, 12)), "")
    elif pa.types.is_floating(col.type):  # one decimal, decimal comma: 39,3
        tenths = pc.round(pc.multiply(col, 10)).cast(pa.int64())
        text = pc.binary_join_element_wise(pc.divide(tenths, 10).cast(pa.string()), ",",
                                           pc.remainder(tenths, 10).cast(pa.string()), "")
    elif pa.types.is_integer(col.type):
        text = col.cast(pa.string())
    else:
        text = _quoted(col.cast(pa.string()))
    return pc.fill_null(text, "")


def _csv_chunk(part: pd.DataFrame) -> memoryview:
    """A batch of rows as the bytes of its CSV lines, joined column-wise in Arrow, not row by row."""
    table = pa.Table.from_pandas(part, preserve_index=False).combine_chunks()
    fields = [_csv_field(table.column(name).chunk(0)) for name in part.columns]
    lines = pc.binary_join_element_wise(pc.binary_join_element_wise(*fields, ";"), pa.scalar("\n"), "")
    # The lines have no nulls, so the array's data buffer is the text of the lines back to back.
    _, offsets, data = lines.buffers()
    bounds = np.frombuffer(offsets, dtype=np.int32)[lines.offset:lines.offset + len(lines) + 1]
    return memoryview(data)[bounds[0]:bounds[-1]] if len(lines) else memoryview(b"")
