"""Issue 22, fault suite: Hypothesis-generated hostile inputs for the CSV, XES, Noark 5 and OCEL readers.

The only outcomes allowed: the log loads (exit 0), or exit 2 with one line `saksflyt: error: …` (no
traceback, no exit 1) and the store unchanged (a fingerprint of every table). The inputs are structured
but hostile (odd delimiters, quotes, BOMs, æøå, bad times and offsets, nesting errors, entities, compact
layouts, missing fields, truncation) rather than random bytes, so they reach past the first check.

One small store per test, reused by every example: a fresh store per example would cost more than the
ingest. Each example loads into log `fuzz` with --replace, so a loaded example only replaces the previous
one. Short in `make test`; SAKSFLYT_FAULTS=long runs 2,000 cases per reader. The profile is deterministic
(derandomize, no example database), so CI sees the same cases every run.
"""
from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import os
import re
import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest
from helpers import run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

LONG = os.environ.get("SAKSFLYT_FAULTS") == "long"
CASES = {"csv": 2000, "xes": 2000, "noark5": 2000, "ocel": 2000} if LONG else {
    "csv": 30, "xes": 25, "noark5": 12, "ocel": 20}
if os.environ.get("SAKSFLYT_FUZZ_CASES"):  # one count for every reader, to reproduce or probe by hand
    CASES = dict.fromkeys(CASES, int(os.environ["SAKSFLYT_FUZZ_CASES"]))
FUZZ = settings(max_examples=1, derandomize=True, deadline=None, database=None, print_blob=False,
                suppress_health_check=list(HealthCheck))

pytestmark = pytest.mark.usefixtures("key")

# --- the store and the check ---------------------------------------------------------------------

BASE_LOG = ("case_id,activity,timestamp,resource\n"
            "s1,Motta søknad,2024-03-01 09:00:00,Kari\ns1,Vedtak,2024-03-04 12:00:00,Ola\n"
            "s2,Motta søknad,2024-03-02 10:00:00,Åse\n")


@pytest.fixture
def fuzz_store(tmp_path: Path) -> Path:
    """A small store with one log loaded, as the examples' starting point."""
    source = tmp_path / "base.csv"
    source.write_text(BASE_LOG, encoding="utf-8")
    path = tmp_path / "store.duckdb"
    code, _, err = run(path, "ingest", str(source), "--log", "base", "--quiet")
    assert code == 0, err
    return path


def fingerprint(store: Path) -> dict[str, tuple]:
    """Row count and an order-free hash of the rows of every table and view, by name; and the logs."""
    con = duckdb.connect(str(store), read_only=True)
    try:
        names = [r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() UNION ALL "
            "SELECT view_name FROM duckdb_views() WHERE database_name = current_database() AND NOT internal "
            "ORDER BY 1").fetchall()]
        parts = [f"SELECT '{n}', count(*), sum(hash(__fp_row)::HUGEINT) FROM \"{n}\" __fp_row" for n in names]
        found = {r[0]: r[1:] for r in con.execute(" UNION ALL ".join(parts)).fetchall()}
        found["logs:"] = tuple(r[0] for r in con.execute("SELECT log FROM logs ORDER BY log").fetchall())
        return found
    finally:
        con.close()


class Checker:
    """Runs one ingest per example and holds the store's fingerprint between examples."""

    def __init__(self, store: Path) -> None:
        self.store = store
        self.before = fingerprint(store)
        self.tally: Counter[str] = Counter()
        self.reasons: Counter[str] = Counter()

    def __call__(self, source: Path, *args: str) -> None:
        code, _, err = run(self.store, "ingest", str(source), "--log", "fuzz", "--replace", "--quiet", *args)
        assert "Traceback" not in err, err
        assert code in (0, 2), f"exit {code}: {err}"
        after = fingerprint(self.store)
        if code == 2:
            lines = [ln for ln in err.splitlines() if ln.strip()]
            assert lines and lines[-1].startswith("saksflyt: error: "), err
            assert sum(ln.startswith("saksflyt: error: ") for ln in lines) == 1, err
            assert after == self.before, f"store changed by a refused ingest: {lines[-1]}"
            self.tally["refused"] += 1
            self.reasons[lines[-1].split(": ", 3)[-1][:60]] += 1
        else:
            assert after["logs:"] == ("base", "fuzz"), after["logs:"]
            self.tally["loaded"] += 1
        self.before = after

    def report(self, reader: str) -> None:
        n = sum(self.tally.values())
        print(f"\nfuzz {reader}: {n:,} cases, {self.tally['loaded']:,} loaded, {self.tally['refused']:,} refused "
              f"with exit 2, 0 crashes, 0 refused ingests that changed the store")
        if os.environ.get("SAKSFLYT_FUZZ_REASONS"):
            for reason, count in self.reasons.most_common():
                print(f"  {count:5,}  {reason}")


def fuzz(reader: str, inputs: st.SearchStrategy, one: Callable[[Checker, Any], None], store: Path) -> None:
    """Run `one(checker, example)` on CASES[reader] examples of `inputs`; print the counts."""
    checker = Checker(store)

    @settings(FUZZ, max_examples=CASES[reader])
    @given(inputs)
    def example(value: Any) -> None:
        one(checker, value)

    example()
    checker.report(reader)


# --- shared hostile values -----------------------------------------------------------------------

TIMES = ["2024-03-01 09:00:00", "2024-03-01T09:00:00+01:00", "2024-03-01T09:00:00Z", "2024-03-01",
         "2024-03-31 02:30:00", "2024-10-27 02:30:00", "2024-02-30 10:00:00", "01.03.2024 09:00", "1.3.2024",
         "2024-03-01T09:00:00+25:00", "2024-03-01T09:00:00+01:3", "9999-12-31 23:59:59", "0001-01-01",
         "1970-01-01T00:00:00", "", " ", "NaN", "null", "12,5", "1709280000", "2024-13-01", "2024-03-01 24:00:00",
         "2024-03-01T09:00:00.123456789+01:00", "-2024-01-01", "2024-03-01 09:00 Europe/Oslo", "mandag",
         "2024-03-01T09:00:00-14:00", "2024-03-01T09:00:00+14:01", "294247-01-10 04:00:54", "2024-W09-5",
         "20240301T090000", "2024-03-01T09:00:00+0100", "00:00:00", "2024-3-1 9:0:0"]
NUMBERS = ["12,5", "1 234,50", "1.234,5", "-0", "1e308", "1e999", "NaN", "inf", "0x1F", "12.5", "007", "−3",
           "9223372036854775808", ""]
WORDS = ["Motta søknad", "Vedtak", "Æøå ÅØÆ", "a,b", "a;b", 'si "hei"', "'", '"', "x\ny", "tab\there", "&amp;",
         "<b>", "NULL", "  ", "\u00a0", "é", "\u200b", "🦀", "=1+1", "\\", "__reject", "ts_end"]
text = st.text(alphabet=st.characters(blacklist_categories=("Cs",), max_codepoint=0x2FFF), max_size=8)
word = st.one_of(st.sampled_from(WORDS), text)


# Hypothesis favours the ends of a range (0 and 9 here), so a rare case is a value from its middle
rare = st.integers(0, 9).map(lambda n: n == 7)
sometimes = st.integers(0, 9).map(lambda n: n in (3, 7))


def cut(data: bytes, where: float | None) -> bytes:
    """`data` truncated at fraction `where` of its length (None: whole)."""
    return data if where is None else data[: int(len(data) * where)]


@st.composite
def fraction(draw: st.DrawFn) -> float | None:
    """Where to truncate a file, now and then; None (mostly): not at all."""
    return draw(st.floats(0, 1)) if draw(rare) else None

# --- CSV -----------------------------------------------------------------------------------------

HEADER_NAMES = {
    "case": ["case_id", "Saksnr", "case:concept:name", "sak", "CASE ID"],
    "activity": ["activity", "Aktivitet", "concept:name", "hendelse"],
    "timestamp": ["timestamp", "Tidspunkt", "time:timestamp", "dato", "slutt"],
    "start": ["start", "starttid", "start_timestamp"],
    "resource": ["resource", "saksbehandler", "org:resource"],
    "lifecycle": ["lifecycle", "lifecycle:transition"],
    "unit": ["enhet", "org:group"],
}
CELLS = {"case": st.one_of(st.sampled_from(["s1", "s2", "S-1", "", "1", "1.0"]), word),
         "activity": word, "timestamp": st.sampled_from(TIMES), "start": st.sampled_from(TIMES),
         "resource": word, "lifecycle": st.sampled_from(["start", "complete", "COMPLETE", "suspend", "", "x"]),
         "unit": word, "extra": st.one_of(st.sampled_from(NUMBERS), word)}


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    """A CSV event log with hostile variations, as bytes."""
    kind = draw(st.sampled_from(["empty", "binary"])) if draw(rare) else "table"
    if kind == "empty":
        return draw(st.sampled_from([b"", b"\n\n", b"\xef\xbb\xbf", b" \t\r\n", b"\xff\xfe", b"case_id,activity"]))
    if kind == "binary":
        return draw(st.binary(max_size=64))
    roles = [r for r in HEADER_NAMES if r in ("case", "activity", "timestamp") and not draw(rare)
             or r not in ("case", "activity", "timestamp") and draw(st.booleans())]
    header = [draw(st.sampled_from(HEADER_NAMES[r])) for r in roles]
    n_extra = draw(st.integers(0, 3)) if draw(sometimes) else 0
    header += [draw(st.one_of(st.sampled_from(["beløp", "case:kommune", "Unit", "__row", "case_id", ""]), text))
               for _ in range(n_extra)]
    roles += ["extra"] * n_extra
    order = draw(st.permutations(range(len(roles))))
    roles, header = [roles[i] for i in order], [header[i] for i in order]
    rows = [[draw(CELLS[r]) for r in roles] for _ in range(draw(st.integers(0 if draw(rare) else 1, 6)))]
    # ragged rows: a cell dropped or added
    for row in rows:
        if row and draw(rare):
            del row[draw(st.integers(0, len(row) - 1))]
        elif draw(rare):
            row.append(draw(word))
    delim = draw(st.sampled_from([":", " ", ",;"])) if draw(rare) else draw(st.sampled_from([",", ";", "\t", "|"]))
    quoting = draw(st.sampled_from(["minimal", "all", "none"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    out = io.StringIO()
    for cells in [header, *rows]:
        if quoting == "none":
            out.write(delim.join(cells) + newline)
        else:
            writer = csv.writer(out, delimiter=delim[0], lineterminator=newline,
                                quoting=csv.QUOTE_ALL if quoting == "all" else csv.QUOTE_MINIMAL)
            writer.writerow(cells)
    encoding = draw(st.sampled_from(["utf-8-sig", "cp1252", "utf-16", "latin-1"])) if draw(sometimes) else "utf-8"
    data = out.getvalue().encode(encoding, errors="replace")
    if draw(rare):  # a stray byte that is valid in no single-byte reading
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.sampled_from([b"\x00", b"\x81", b"\xc3", b"\xef\xbb\xbf"])) + data[at:]
    return cut(data, draw(fraction()))


def test_fuzz_csv(fuzz_store: Path, tmp_path: Path) -> None:
    source = tmp_path / "fuzz.csv"

    def one(check: Checker, data: bytes) -> None:
        source.write_bytes(data)
        check(source, "--format", "csv")

    fuzz("csv", csv_files(), one, fuzz_store)


# --- XES -----------------------------------------------------------------------------------------

XES_TYPES = ["string", "date", "int", "float", "boolean", "id"]
LIFECYCLE = ["start", "complete", "schedule", "assign", "reassign", "suspend", "resume", "ate_abort", "withdraw",
             "COMPLETE", "", "Start ", "autoskip"]


def _quote(value: str, raw: bool) -> str:
    if raw:  # unescaped: bad or surprising XML
        return '"' + value + '"'
    return '"' + value.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;") + '"'


@st.composite
def xes_attribute(draw: st.DrawFn, key: str | None = None, depth: int = 0) -> list[str]:
    xtype = draw(st.sampled_from(XES_TYPES + (["list", "container"] if depth < 2 else [])))
    key = key if key is not None else draw(st.one_of(st.sampled_from(["kommune", "amount", "org:role", "a:b", "", "__seq", "__trace", "__ts", "case_id",
                                                          "__start:time:timestamp", 'a"b']), text))
    raw = draw(rare) and draw(rare)
    value = draw(st.one_of(st.sampled_from(TIMES) if xtype == "date" else st.sampled_from(NUMBERS), word,
                           st.sampled_from(["&#229;", "&#xE6;", "&#0;", "&bogus;", "&lt;", "true", "FALSE"])
                           if draw(rare) else st.sampled_from(["true", "Æøå"])))
    if xtype in ("list", "container"):
        inner = [t for _ in range(draw(st.integers(0, 2))) for t in draw(xes_attribute(depth=depth + 1))]
        open_ = f"<{xtype} key={_quote(key, raw)}>"
        return [open_, *(["<values>", *inner, "</values>"] if xtype == "list" else inner), f"</{xtype}>"]
    return [f"<{xtype} key={_quote(key, raw)} value={_quote(value, raw)}/>"]


@st.composite
def xes_event(draw: st.DrawFn) -> list[str]:
    tokens = ["<event>"]
    if not draw(rare):
        tokens += draw(xes_attribute(key="concept:name"))
    if not draw(rare):
        tokens += [f'<date key="time:timestamp" value={_quote(draw(st.sampled_from(TIMES)), False)}/>']
    if draw(st.booleans()):
        tokens += [f'<string key="lifecycle:transition" value={_quote(draw(st.sampled_from(LIFECYCLE)), False)}/>']
    if draw(st.booleans()):
        tokens += draw(xes_attribute(key=draw(st.sampled_from(["org:resource", "org:group"]))))
    for _ in range(draw(st.integers(0, 2))):
        tokens += draw(xes_attribute())
    return tokens + ["</event>"]


@st.composite
def xes_files(draw: st.DrawFn) -> tuple[bytes, bool]:
    """An XES log with hostile variations: (bytes, gzip-compressed)."""
    tokens = ['<log xes.version="1.0" xes.features="nested-attributes">']
    if draw(st.booleans()):
        tokens += ['<extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>',
                   '<global scope="event">', '<string key="concept:name" value="__INVALID__"/>',
                   '<date key="time:timestamp" value="1970-01-01T00:00:00.000+00:00"/>', "</global>",
                   '<classifier name="Activity" keys="concept:name"/>']
    for _ in range(draw(st.integers(0 if draw(rare) else 1, 3))):
        tokens.append("<trace>")
        if not draw(rare):
            tokens += draw(xes_attribute(key="concept:name"))
        if draw(st.booleans()):
            tokens += draw(xes_attribute())
        for _ in range(draw(st.integers(0 if draw(rare) else 1, 4))):
            tokens += draw(xes_event())
        tokens.append("</trace>")
    tokens.append("</log>")
    # nesting errors and markup XES does not use
    for _ in range(draw(st.integers(1, 2)) if draw(sometimes) else 0):
        at = draw(st.integers(0, len(tokens) - 1))
        action = draw(st.sampled_from(["drop", "duplicate", "swap", "insert"]))
        if action == "drop":
            del tokens[at]
        elif action == "duplicate":
            tokens.insert(at, tokens[at])
        elif action == "swap":
            other = draw(st.integers(0, len(tokens) - 1))
            tokens[at], tokens[other] = tokens[other], tokens[at]
        else:
            tokens.insert(at, draw(st.sampled_from(["text", "<!-- note -->", "<![CDATA[x]]>", "<log>", "</trace>",
                                                    "<event/>", "<trace/>", "<?pi x?>", "&amp;", "<string/>",
                                                    '<string key="k"/>', "<date key='time:timestamp' value='x'/>"])))
    layout = draw(st.sampled_from(["lines", "indented", "compact", "oneline", "crlf", "spaced"]))
    if layout == "lines":
        body = "\n".join(tokens)
    elif layout == "indented":
        body = "\n".join("  " * (i % 4) + t for i, t in enumerate(tokens))
    elif layout == "compact":  # an event and its attributes on one line, as some exporters write
        body = "".join(t + ("\n" if t in ("</event>", "<trace>", "</trace>") else "") for t in tokens)
    elif layout == "oneline":
        body = "".join(tokens)
    elif layout == "crlf":
        body = "\r\n".join(tokens)
    else:  # attributes split over lines, single quotes
        body = "\n".join(t.replace(' value="', "\n\tvalue='").replace('"/>', "'/>") if 'value="' in t else t
                         for t in tokens)
    encoding = draw(st.sampled_from(["ISO-8859-1", "UTF-16", "none", "bogus"])) if draw(sometimes) else "UTF-8"
    decl = "" if encoding == "none" else f'<?xml version="1.0" encoding="{encoding}"?>\n'
    codec = {"ISO-8859-1": "latin-1", "UTF-16": "utf-16"}.get(encoding, "utf-8")
    data = (decl + body + "\n").encode(codec, errors="xmlcharrefreplace")
    if draw(rare):
        data = codecs.BOM_UTF8 + data
    return cut(data, draw(fraction())), draw(rare)


def test_fuzz_xes(fuzz_store: Path, tmp_path: Path) -> None:
    def one(check: Checker, value: tuple[bytes, bool]) -> None:
        data, compressed = value
        source = tmp_path / ("fuzz.xes.gz" if compressed else "fuzz.xes")
        source.write_bytes(gzip.compress(data, mtime=0) if compressed else data)
        check(source, "--format", "xes")

    fuzz("xes", xes_files(), one, fuzz_store)


# --- Noark 5 -------------------------------------------------------------------------------------

NOARK_VALUES = TIMES + ["", "Avsluttet", "Under behandling", "I", "U", "X", "L42", "01018012345", "&amp;",
                        "&#229;", "&bogus;", "<", "Ærlig Østby", "-1", "99999999999999999999"]


@pytest.fixture(scope="module")
def noark5_export(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A small generated export (arkivstruktur.xml, endringslogg.xml, arkivuttrekk.xml) as text."""
    from saksflyt.sample_logs.noark5_generator import generate_noark5

    folder = tmp_path_factory.mktemp("noark5-base")
    generate_noark5(folder / "x", cases=3, seed=22)
    return {name: (folder / "x" / name).read_text(encoding="utf-8")
            for name in ("arkivstruktur.xml", "endringslogg.xml", "arkivuttrekk.xml")}


def _tokens(xml: str) -> list[str]:
    return re.findall(r"<[^>]*>|[^<]+", xml)


@st.composite
def noark5_edits(draw: st.DrawFn) -> list[tuple[str, str, int, int, str]]:
    """Edits to an export: (file, action, position, other position, value); positions wrap around."""
    n = draw(st.integers(1, 4))
    files = st.sampled_from(["endringslogg.xml", "arkivuttrekk.xml"])
    actions = st.sampled_from(["value", "drop_element", "compact"])
    breaking = st.sampled_from(["drop", "duplicate", "rename", "swap", "truncate", "namespace", "delete_file"])
    return [(draw(files) if draw(rare) else "arkivstruktur.xml", draw(breaking) if draw(rare) else draw(actions), draw(st.integers(0, 10**6)), draw(st.integers(0, 10**6)),
             draw(st.one_of(st.sampled_from(NOARK_VALUES), word))) for _ in range(n)]


def _edit(tokens: list[str], action: str, at: int, other: int, value: str) -> list[str] | None:
    """One edit of a token list; None deletes the file."""
    if not tokens:
        return tokens
    i, j = at % len(tokens), other % len(tokens)
    texts = [k for k, t in enumerate(tokens) if not t.startswith("<") and t.strip()]
    if action == "value" and texts:
        tokens[texts[at % len(texts)]] = value.replace("<", "&lt;") if at % 3 else value
    elif action == "drop":
        del tokens[i]
    elif action == "drop_element" and texts:  # a leaf element with its tags: valid XML, a field missing
        k = texts[at % len(texts)]
        del tokens[max(0, k - 1):k + 2]
    elif action == "duplicate":
        tokens.insert(i, tokens[i])
    elif action == "rename" and re.match(r"</?[A-Za-z]", tokens[i]):
        tokens[i] = re.sub(r"^(</?)[^\s/>]+", r"\1ukjent", tokens[i])
    elif action == "swap":
        tokens[i], tokens[j] = tokens[j], tokens[i]
    elif action == "truncate":
        del tokens[i:]
    elif action == "namespace":
        tokens = [t.replace("http://www.arkivverket.no/standarder/noark5/arkivstruktur",
                            value if at % 2 else "http://www.arkivverket.no/standarder/noark5/arkivstruktur/4.0")
                  for t in tokens]
    elif action == "delete_file":
        return None
    elif action == "compact":
        tokens = [t for t in tokens if t.strip()]
    return tokens


def test_fuzz_noark5(fuzz_store: Path, tmp_path: Path, noark5_export: dict[str, str]) -> None:
    folder = tmp_path / "uttrekk"
    tokens = {name: _tokens(xml) for name, xml in noark5_export.items()}

    def one(check: Checker, edits: list[tuple[str, str, int, int, str]]) -> None:
        files: dict[str, list[str] | None] = {name: list(t) for name, t in tokens.items()}
        for name, action, at, other, value in edits:
            if files[name] is not None:
                files[name] = _edit(files[name], action, at, other, value)
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        for name, toks in files.items():
            if toks is not None:
                (folder / name).write_text("".join(toks), encoding="utf-8")
        check(folder, "--format", "noark5")

    fuzz("noark5", noark5_edits(), one, fuzz_store)


# --- OCEL 2.0 JSON -------------------------------------------------------------------------------

JSON_ODD: list[Any] = [None, 0, -1, 2**70, 1.5, "", "æøå", True, [], {}, "2024-02-30T10:00:00",
                       "2024-03-01T09:00:00+25:00", "2024-03-01", "1709280000", {"name": "x"}, [{"name": None}],
                       "sak", "s1", float("inf")]


def ocel_document(draw: st.DrawFn) -> dict[str, Any]:
    """A small, valid OCEL 2.0 JSON log: cases of type `sak`, documents, events relating them."""
    n_obj = draw(st.integers(0 if draw(rare) else 1, 4))
    objects = [{"id": f"s{i}", "type": "dokument" if i and draw(sometimes) else "sak",
                "attributes": [{"name": "kommune", "time": "1970-01-01T00:00:00Z", "value": draw(word)}]}
               for i in range(n_obj)]
    events = []
    for i in range(draw(st.integers(0 if draw(rare) else 1, 5))):
        rel = [{"objectId": f"s{draw(st.integers(0, n_obj))}", "qualifier": "gjelder"}
               for _ in range(draw(st.integers(0 if draw(rare) else 1, 2)))]
        events.append({"id": f"e{i}", "type": draw(st.sampled_from(["Motta søknad", "Vedtak", "Æøå"])),
                       "time": draw(st.sampled_from([t for t in TIMES if "T" in t]) if draw(rare)
                                    else st.sampled_from(TIMES[1:3])),
                       "attributes": [{"name": "resource", "value": draw(word)}], "relationships": rel})
    return {"objectTypes": [{"name": "sak", "attributes": [{"name": "kommune", "type": "string"}]},
                            {"name": "dokument", "attributes": []}],
            "eventTypes": [{"name": n, "attributes": [{"name": "resource", "type": "string"}]}
                           for n in ("Motta søknad", "Vedtak", "Æøå")],
            "objects": objects, "events": events}


def _slots(node: Any) -> list[tuple[Any, Any]]:
    """Every (container, key or index) in a JSON tree, parents first."""
    found: list[tuple[Any, Any]] = []
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
    for k, v in items:
        found.append((node, k))
        found += _slots(v)
    return found


@st.composite
def ocel_files(draw: st.DrawFn) -> bytes:
    """An OCEL 2.0 JSON log with parts removed, retyped or replaced by hostile values."""
    doc = ocel_document(draw)
    for _ in range(draw(st.integers(1, 3)) if draw(sometimes) else 0):
        slots = _slots(doc)
        if not slots:
            break
        parent, k = slots[draw(st.integers(0, len(slots) - 1))]
        action = draw(st.sampled_from(["replace", "replace", "delete", "duplicate"]))
        if action == "replace":
            parent[k] = draw(st.one_of(st.sampled_from(JSON_ODD), word))
        elif action == "delete":
            del parent[k]
        elif isinstance(parent, list):
            parent.append(json.loads(json.dumps(parent[k])))
    data = json.dumps(doc, ensure_ascii=draw(st.booleans())).encode("utf-8")
    if draw(rare):
        data = codecs.BOM_UTF8 + data
    return cut(data, draw(fraction()))


def test_fuzz_ocel(fuzz_store: Path, tmp_path: Path) -> None:
    source = tmp_path / "fuzz.jsonocel"

    def one(check: Checker, data: bytes) -> None:
        source.write_bytes(data)
        check(source, "--format", "ocel", "--object-type", "sak")

    fuzz("ocel", ocel_files(), one, fuzz_store)

