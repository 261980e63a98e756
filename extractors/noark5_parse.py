"""Streaming reader of a Noark 5 `arkivstruktur.xml` and `endringslogg.xml` into event rows.

The export is read with lxml's iterparse and one case folder (the outermost `mappe`) is held in memory
at a time: the saksmappe's own fields come after its registreringer, so a case is completed when its
`</mappe>` closes, turned into rows and dropped from the tree. Rows leave in column batches (dicts of
lists) through a callback, so memory does not grow with the file.

Personal data never leaves this module: titles are read only to pick an activity qualifier from a
keyword map and then discarded; korrespondansepart and part are reduced to a coarse kind (person,
organisation, internal); employees (saksbehandler, saksansvarlig, every `…Av`, flytFra/flytTil) go to
`resource` only, which staging pseudonymises. Code values differ by vendor and version, so they are
normalised with the tables below and unknown values are kept as they are.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from .errors import InputError

NS = "http://www.arkivverket.no/standarder/noark5/arkivstruktur"
NS_ENDRINGSLOGG = "http://www.arkivverket.no/standarder/noark5/endringslogg"
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"

# Placeholder resource for the outside party of a received document: never its name.
EXTERNAL_PARTY = "ekstern part"

# Life-cycle rank: orders same-day events when a date has no time (MAPPING.md, "Timestamps").
RANK = {
    "created": 0, "received": 1, "registered": 2, "attached": 3, "flow_submitted": 4, "flow_decided": 5,
    "meeting": 6, "sent": 7, "written_off": 8, "changed": 9, "closed": 10,
}

# Fields typed xs:date in every version; a dateTime found in one of them at exactly midnight is read
# as that date (some exports write `1863-08-09T00:00:00+01:00` where a date belongs).
DATE_FIELDS = frozenset({"saksdato", "journaldato", "dokumentetsDato", "forfallsdato", "avskrivningsdato",
                         "moetedato"})

JOURNALPOST_TYPES = {
    "inngående dokument": "I", "utgående dokument": "U", "organinternt dokument for oppfølging": "N",
    "organinternt dokument uten oppfølging": "X", "saksframlegg": "S",
    "i": "I", "u": "U", "n": "N", "x": "X", "s": "S",
}
SAKSSTATUS = {
    "b": "Under behandling", "a": "Avsluttet", "u": "Utgår", "r": "Opprettet av saksbehandler",
    "s": "Avsluttet av saksbehandler", "p": "Unntatt prosesstyring", "f": "Ferdig fra saksbehandler",
}
# End states after which no "Sak avsluttet" event is written (the case is still running).
OPEN_SAKSSTATUS = frozenset({"Under behandling", "Opprettet av saksbehandler", "Opprettet",
                             "Unntatt prosesstyring"})
JOURNALSTATUS = {
    "j": "Journalført", "f": "Ferdigstilt fra saksbehandler", "g": "Godkjent av leder", "e": "Ekspedert",
    "a": "Arkivert", "u": "Utgår", "m": "Midlertidig registrering av innkommet dokument",
    "s": "Saksbehandler har registrert innkommet dokument", "r": "Reservert dokument",
}
AVSKRIVNINGSMAATE = {
    "bu": "Besvart med brev", "be": "Besvart med e-post", "tlf": "Besvart på telefon",
    "te": "Tatt til etterretning", "to": "Tatt til orientering", "bn": "Besvart med notat",
    "nn": "Besvart med notat", "sa": "Saken ble avsluttet",
}
FLYTSTATUS = {
    "g": "Godkjent", "godkjent": "Godkjent", "i": "Returnert", "ikke godkjent": "Returnert",
    "s": "Returnert", "sendt tilbake til saksbehandler med kommentarer": "Returnert",
}
# endringslogg referanseMetadata: element names or metadata numbers (M052 …) → the field that changed.
CHANGED_FIELDS = {
    "saksstatus": "saksstatus", "m052": "saksstatus", "journalstatus": "journalstatus", "m053": "journalstatus",
    "saksansvarlig": "saksansvarlig", "m306": "saksansvarlig", "saksbehandler": "saksbehandler",
    "m307": "saksbehandler", "administrativenhet": "administrativEnhet", "m305": "administrativEnhet",
}
CHANGE_LABELS = {
    "saksstatus": "Saksstatus endret", "journalstatus": "Journalstatus endret",
    "saksansvarlig": "Saksansvarlig endret", "saksbehandler": "Saksbehandler endret",
    "administrativEnhet": "Administrativ enhet endret",
}
PNR_CLASSIFICATION = re.compile(r"(?i)^\s*(pnr|f[øo]dselsnummer|personnummer|fnr)\b")
ORGANISATION_NAME = re.compile(
    r"(?i)\b(as|asa|sa|ans|da|nuf|ba|kommune|fylkeskommune|etat|etaten|direktorat|direktoratet|departement|"
    r"departementet|stiftelse|stiftelsen|forening|foreningen|borettslag|sameie|sameiet|vesen|vesenet|"
    r"statsforvalteren|fylkesmannen|verket|tilsynet|tilsyn)\b")

# Keyword map on journalpost titles → activity qualifier, most specific first. The title itself is
# discarded after matching. Callers may pass their own (`keywords=`).
DEFAULT_KEYWORDS: tuple[tuple[str, str], ...] = (
    (r"ferdigattest", "Ferdigattest"),
    (r"midlertidig brukstillatelse", "Midlertidig brukstillatelse"),
    (r"igangsettingstillatelse|igangsetting", "Igangsettingstillatelse"),
    (r"dispensasjon", "Dispensasjon"),
    (r"klage", "Klage"),
    (r"nabomerknad|merknad fra nabo|nabovarsel", "Nabomerknad"),
    (r"mangel|tilleggsdokumentasjon|anmodning om", "Mangelbrev"),
    (r"ettersend|supplerende", "Ettersendt dokumentasjon"),
    (r"mottaksbekreftelse|foreløpig svar", "Mottaksbekreftelse"),
    (r"høring|uttalelse", "Uttalelse"),
    (r"søknad", "Søknad"),
    (r"vedtak|tillatelse", "Vedtak"),
    (r"gebyr|faktura", "Gebyr"),
    (r"befaring", "Befaring"),
    (r"notat|saksutredning|vurdering", "Notat"),
)

UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")

EVENT_FIELDS = ("seq", "line", "case_id", "activity", "ts_raw", "ts_field", "rank", "resource", "ekey",
                "journalposttype", "journalpost", "journalstatus", "svar_journalpost", "dokumenttype",
                "tilknytning", "motpart", "unit")
CASE_FIELDS = ("seq", "line", "case_id", "mappetype", "saksnummer", "saksaar", "klasse", "klasse_pnr",
               "administrativEnhet", "saksstatus")
REG_FIELDS = ("reg_id", "case_id", "journalpost", "unit")
CHANGE_FIELDS = ("seq", "line", "ref_id", "changed", "ts_raw", "resource", "new_value", "unit")

Batch = dict[str, list[Any]]
Sink = Callable[[str, Batch], None]


def local(tag: object) -> str:
    """Local name of an element tag ('{ns}name' → 'name'); comments and PIs give ''."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def xsi_type(elem: etree._Element) -> str:
    value = elem.get(XSI_TYPE) or ""
    return value.rsplit(":", 1)[-1].strip()


class _Names(dict):
    """Qualified tag of an arkivstruktur element name, built once per name."""

    def __missing__(self, name: str) -> str:
        self[name] = tag = f"{{{NS}}}{name}"
        return tag


_Q = _Names()


def _text_of(elem: etree._Element, name: str) -> str | None:
    """Trimmed text of the first direct child called `name`, or None."""
    t = elem.findtext(_Q[name])
    if t is None:
        return None
    t = t.strip()
    return t or None


def _children(elem: etree._Element, names: frozenset[str]) -> dict[str, etree._Element]:
    """The first direct child of each wanted (qualified) tag: one pass, cheaper than a find per field."""
    out: dict[str, etree._Element] = {}
    for child in elem:
        tag = child.tag
        if tag in names and tag not in out:
            out[tag] = child
    return out


def _value(found: dict[str, etree._Element], name: str) -> str | None:
    child = found.get(_Q[name])
    if child is None or child.text is None:
        return None
    return child.text.strip() or None


def _found_field(found: dict[str, etree._Element], name: str) -> tuple[str | None, int]:
    child = found.get(_Q[name])
    if child is None:
        return None, 0
    return (child.text or "").strip() or None, child.sourceline or 0


_REG_FIELDS = frozenset(_Q[n] for n in (
    "systemID", "opprettetDato", "opprettetAv", "tittel", "offentligTittel", "journalposttype", "journalstatus",
    "journaldato", "mottattDato", "sendtDato", "saksbehandler", "administrativEnhet", "journalenhet"))


def _field(elem: etree._Element, name: str) -> tuple[str | None, int]:
    """(trimmed text, source line) of the first direct child called `name`."""
    child = elem.find(_Q[name])
    if child is None:
        return None, 0
    t = (child.text or "").strip()
    return (t or None), child.sourceline or 0


def _text(elem: etree._Element) -> str | None:
    t = elem.text
    if t is None:
        return None
    t = t.strip()
    return t or None


def normalise(value: str | None, table: dict[str, str]) -> str | None:
    """A code or name → the standard name; unknown values kept as they are (trimmed)."""
    if value is None:
        return None
    v = " ".join(value.split())
    return table.get(v.lower(), v) if v else None


def qualifier(title: str | None, keywords: tuple[tuple[re.Pattern[str], str], ...]) -> str | None:
    if not title:
        return None
    for pattern, label in keywords:
        if pattern.search(title):
            return label
    return None


def compile_keywords(keywords: Iterable[tuple[str, str]] | dict[str, str] | None
                     ) -> tuple[tuple[re.Pattern[str], str], ...]:
    items = DEFAULT_KEYWORDS if keywords is None else (
        tuple(keywords.items()) if isinstance(keywords, dict) else tuple(keywords))
    return tuple((re.compile(k, re.IGNORECASE), label) for k, label in items)


def party_kind(parttype: str | None, name: str | None) -> str:
    """Coarse kind of a korrespondansepart, decided in memory; the name itself goes no further."""
    if parttype and parttype.strip().lower().startswith(("intern", "ia", "im", "ik")):
        return "intern"
    if name and ORGANISATION_NAME.search(name):
        return "organisasjon"
    return "person"


@dataclass
class ParseStats:
    cases_read: int = 0
    registreringer_outside_mappe: int = 0
    events_without_date: int = 0
    mapper_without_systemid: int = 0
    endringslogg_changes: int = 0
    endringslogg_other_fields: int = 0


class _Rows:
    """Column batches flushed to a sink when full: keeps Python memory flat whatever the file size."""

    def __init__(self, name: str, fields: tuple[str, ...], sink: Sink, size: int) -> None:
        self.name, self.fields, self.sink, self.size = name, fields, sink, size
        self.cols: Batch = {f: [] for f in fields}
        self.n = 0

    def add(self, *values: Any) -> None:
        for f, v in zip(self.fields, values):
            self.cols[f].append(v)
        self.n += 1
        if self.n >= self.size:
            self.flush()

    def flush(self) -> None:
        if self.n:
            self.sink(self.name, self.cols)
            self.cols = {f: [] for f in self.fields}
            self.n = 0


@dataclass
class _Context:
    klasse: list[list[str | None]] = field(default_factory=list)   # [klasseID] per open klasse
    klassifikasjon: list[list[str | None]] = field(default_factory=list)  # [klassifikasjonstype]


class ArkivstrukturReader:
    """Turns one arkivstruktur.xml into event, case and registrering rows, one case folder at a time."""

    def __init__(self, path: Path, *, sink: Sink, keywords: Any = None, with_registreringer: bool = False,
                 on_case: Callable[[etree._Element, dict[str, str]], bool] | None = None,
                 batch_size: int = 20_000) -> None:
        self.path = path
        self.keywords = compile_keywords(keywords)
        self.with_regs = with_registreringer
        # called with each finished case folder and the root's namespace map; returns True when it
        # took the element (e.g. moved it into a validation document), else the reader drops it
        self.on_case = on_case
        self.events = _Rows("events", EVENT_FIELDS, sink, batch_size)
        self.cases = _Rows("cases", CASE_FIELDS, sink, batch_size)
        self.regs = _Rows("regs", REG_FIELDS, sink, batch_size)
        self.stats = ParseStats()
        self._seq = 0
        self._case_seq = 0

    # --- driving the parse -------------------------------------------------------------------

    def run(self) -> ParseStats:
        tags = [f"{{{NS}}}{t}" for t in ("arkiv", "arkivdel", "klassifikasjonssystem", "klassifikasjonstype",
                                          "klasse", "klasseID", "mappe", "registrering")]
        ctx = _Context()
        nsmap: dict[str, str] | None = None
        mappe_depth = 0
        seen_root = False
        try:
            for event, elem in etree.iterparse(str(self.path), events=("start", "end"), tag=tags,
                                               huge_tree=True, remove_comments=True, resolve_entities=False,
                                               no_network=True):
                name = local(elem.tag)
                if event == "start":
                    if not seen_root:
                        seen_root = True
                        nsmap = {k: v for k, v in elem.nsmap.items()}
                        if name != "arkiv":
                            raise InputError(f"the root element is <{name}>, not a Noark 5 <arkiv>",
                                             file=str(self.path), where=f"line {elem.sourceline}")
                    if name == "mappe":
                        mappe_depth += 1
                    elif name == "klasse":
                        ctx.klasse.append([None])
                    elif name == "klassifikasjonssystem":
                        ctx.klassifikasjon.append([None])
                    continue
                if name == "mappe":
                    mappe_depth -= 1
                    if mappe_depth == 0:
                        self._finish_folder(elem, ctx, nsmap or {})
                elif name == "registrering":
                    if mappe_depth == 0:
                        self.stats.registreringer_outside_mappe += 1
                        _drop(elem)
                elif name == "klasseID":
                    if ctx.klasse and mappe_depth == 0:
                        ctx.klasse[-1][0] = _text(elem)
                elif name == "klassifikasjonstype":
                    if ctx.klassifikasjon and mappe_depth == 0:
                        ctx.klassifikasjon[-1][0] = _text(elem)
                elif name == "klasse":
                    if ctx.klasse:
                        ctx.klasse.pop()
                    _drop(elem)
                elif name == "klassifikasjonssystem":
                    if ctx.klassifikasjon:
                        ctx.klassifikasjon.pop()
                    _drop(elem)
                elif name == "arkivdel":
                    _drop(elem)
        except etree.XMLSyntaxError as exc:
            raise InputError(f"not well-formed XML: {exc.msg}", file=str(self.path),
                             where=f"line {exc.lineno}") from exc
        except OSError as exc:
            raise InputError(f"cannot read: {exc}", file=str(self.path)) from exc
        if not seen_root:
            raise InputError("no Noark 5 <arkiv> element (wrong namespace or not an arkivstruktur.xml)",
                             file=str(self.path))
        self.events.flush()
        self.cases.flush()
        self.regs.flush()
        return self.stats

    def _finish_folder(self, elem: etree._Element, ctx: _Context, nsmap: dict[str, str]) -> None:
        klasse = next((k[0] for k in reversed(ctx.klasse) if k[0]), None)
        ktype = ctx.klassifikasjon[-1][0] if ctx.klassifikasjon else None
        pnr = bool(ktype and PNR_CLASSIFICATION.search(ktype))
        for case in _case_folders(elem):
            self._case(case, klasse=klasse, klasse_pnr=pnr)
        taken = self.on_case(elem, nsmap) if self.on_case else False
        if not taken:
            _drop(elem)

    # --- one case -------------------------------------------------------------------------------

    def _event(self, line: int, case_id: str, activity: str, ts_raw: str | None, ts_field: str, rank: str,
               resource: str | None, key: str, **attrs: Any) -> None:
        if not ts_raw:
            self.stats.events_without_date += 1
            return
        self._seq += 1
        self.events.add(self._seq, line, case_id, activity, ts_raw, ts_field, RANK[rank], resource, key,
                        attrs.get("journalposttype"), attrs.get("journalpost"), attrs.get("journalstatus"),
                        attrs.get("svar_journalpost"), attrs.get("dokumenttype"), attrs.get("tilknytning"),
                        attrs.get("motpart"), attrs.get("unit"))

    def _case(self, mappe: etree._Element, *, klasse: str | None, klasse_pnr: bool) -> None:
        # direct children looked up by name in C (find/findtext): part, merknad and other free text
        # are never touched
        kind = xsi_type(mappe) or "mappe"
        case_id = _text_of(mappe, "systemID")
        if not case_id:
            self.stats.mapper_without_systemid += 1
            return
        self.stats.cases_read += 1
        self._case_seq += 1
        line0 = mappe.sourceline or 0
        f = {n: _text_of(mappe, n) for n in ("mappeID", "saksaar", "sakssekvensnummer", "administrativEnhet",
                                             "saksansvarlig", "saksstatus", "avsluttetAv", "utvalg")}
        status = normalise(f["saksstatus"], SAKSSTATUS)
        saksaar, sekvens = f["saksaar"], f["sakssekvensnummer"]
        saksnummer = f"{saksaar}/{sekvens}" if saksaar and sekvens else f["mappeID"]
        try:
            aar = int(saksaar) if saksaar else None
        except ValueError:
            aar = None
        self.cases.add(self._case_seq, line0, case_id, kind, saksnummer, aar, klasse, klasse_pnr,
                       f["administrativEnhet"], status)
        if kind == "saksmappe":
            created, line = _field(mappe, "saksdato")
            fld = "saksdato"
            if not created:
                (created, line), fld = _field(mappe, "opprettetDato"), "opprettetDato"
            self._event(line or line0, case_id, "Sak opprettet", created, fld, "created",
                        f["saksansvarlig"] or f["administrativEnhet"], "case:created", unit=f["administrativEnhet"])
        registreringer = list(mappe.iter(_Q["registrering"]))  # undermapper's too, in document order
        jp_index: dict[str, int] = {}
        for i, reg in enumerate(registreringer, start=1):
            sid = _text_of(reg, "systemID")
            if sid:
                jp_index.setdefault(sid, i)
        moetedato = _field(mappe, "moetedato") if kind == "moetemappe" else (None, 0)
        for i, reg in enumerate(registreringer, start=1):
            self._registrering(reg, case_id=case_id, index=i, jp_index=jp_index, case_fields=f,
                               moetedato=moetedato, case_line=line0)
        if kind == "moetemappe" and not any(xsi_type(r) == "moeteregistrering" for r in registreringer):
            self._event(moetedato[1] or line0, case_id, "Møtebehandling", moetedato[0], "moetedato", "meeting",
                        f["utvalg"], "case:moete", unit=f["administrativEnhet"])
        closed, line = _field(mappe, "avsluttetDato")
        if kind != "moetemappe" and closed and status not in OPEN_SAKSSTATUS:
            label = "Sak avsluttet" if status in (None, "Avsluttet") else f"Sak avsluttet ({status[:40]})"
            self._event(line or line0, case_id, label, closed, "avsluttetDato", "closed", f["avsluttetAv"],
                        "case:closed", unit=f["administrativEnhet"])

    def _registrering(self, reg: etree._Element, *, case_id: str, index: int, jp_index: dict[str, int],
                      case_fields: dict[str, str | None], moetedato: tuple[str | None, int],
                      case_line: int) -> None:
        rtype = xsi_type(reg) or "registrering"
        line0 = reg.sourceline or case_line
        found = _children(reg, _REG_FIELDS)
        system_id = _value(found, "systemID")
        sid = system_id or f"#{index}"
        # the internal handler is an employee; the party is reduced to a coarse kind, its name dropped
        saksbehandler: str | None = None
        kp_unit: str | None = None
        party: str | None = None
        for kp in reg.iterfind(_Q["korrespondansepart"]):
            saksbehandler = saksbehandler or _text_of(kp, "saksbehandler")
            kp_unit = kp_unit or _text_of(kp, "administrativEnhet")
            if party is None or party == "intern":
                party = party_kind(_text_of(kp, "korrespondanseparttype"), _text_of(kp, "korrespondansepartNavn"))
        handler = saksbehandler or _value(found, "saksbehandler") or case_fields.get("saksansvarlig")
        # the unit of every event of this registrering: its journalenhet, else its administrativEnhet
        # (its own, or in v5.0 its internal korrespondansepart's), else the case's
        unit = (_value(found, "journalenhet") or _value(found, "administrativEnhet") or kp_unit
                or case_fields.get("administrativEnhet"))
        if self.with_regs and system_id:
            self.regs.add(system_id, case_id, index, unit)
        for j, doc in enumerate(reg.iterfind(_Q["dokumentbeskrivelse"]), start=1):
            ts, ln = _field(doc, "tilknyttetDato")
            self._event(ln or line0, case_id, "Dokument tilknyttet", ts, "tilknyttetDato", "attached",
                        _text_of(doc, "tilknyttetAv"), f"{sid}:dok:{_text_of(doc, 'systemID') or j}",
                        journalpost=index, dokumenttype=_text_of(doc, "dokumenttype"),
                        tilknytning=_text_of(doc, "tilknyttetRegistreringSom"), unit=unit)
        if rtype == "moeteregistrering":
            date, ln = moetedato
            fld = "moetedato"
            if not date:
                (date, ln), fld = _found_field(found, "opprettetDato"), "opprettetDato"
            self._event(ln or line0, case_id, "Møtebehandling", date, fld, "meeting",
                        case_fields.get("utvalg") or _value(found, "administrativEnhet"), f"{sid}:moete",
                        journalpost=index, unit=unit)
            return
        if rtype == "arkivnotat":
            ts, ln = _found_field(found, "opprettetDato")
            self._event(ln or line0, case_id, "Arkivnotat registrert", ts, "opprettetDato", "registered",
                        _value(found, "opprettetAv"), f"{sid}:registrert", journalpost=index,
                        journalposttype="arkivnotat", unit=unit)
            self._flows(reg, case_id=case_id, sid=sid, index=index, line0=line0, unit=unit)
            return
        if rtype != "journalpost":
            return
        code = normalise(_value(found, "journalposttype"), JOURNALPOST_TYPES) or "?"
        label = code[:40]
        # the title only picks a qualifier from the keyword map; it is not kept
        q = qualifier(_value(found, "tittel") or _value(found, "offentligTittel"), self.keywords)
        suffix = f": {q}" if q else ""
        status = normalise(_value(found, "journalstatus"), JOURNALSTATUS)
        common = dict(journalposttype=code, journalpost=index, journalstatus=status, unit=unit)
        jdato, jline = _found_field(found, "journaldato")
        if code in ("I", "N"):
            mottatt, ln = _found_field(found, "mottattDato")
            fld = "mottattDato" if mottatt else "journaldato"
            self._event((ln if mottatt else jline) or line0, case_id, f"{label} mottatt{suffix}", mottatt or jdato,
                        fld, "received", EXTERNAL_PARTY if code == "I" else handler, f"{sid}:mottatt",
                        motpart=party, **common)
        self._event(jline or line0, case_id, f"{label} journalført{suffix}", jdato, "journaldato", "registered",
                    handler, f"{sid}:journalført", **common)
        self._flows(reg, case_id=case_id, sid=sid, index=index, line0=line0, unit=unit)
        if code in ("U", "X", "S", "N"):
            sendt, ln = _found_field(found, "sendtDato")
            if sendt or code == "U":
                fld = "sendtDato" if sendt else "journaldato"
                self._event((ln if sendt else jline) or line0, case_id, f"{label} sendt{suffix}", sendt or jdato, fld,
                            "sent", handler, f"{sid}:sendt", motpart=party if code == "U" else None, **common)
        for j, av in enumerate(reg.iterfind(_Q["avskrivning"]), start=1):
            maate = normalise(_text_of(av, "avskrivningsmaate"), AVSKRIVNINGSMAATE)
            ref = _text_of(av, "referanseAvskrivesAvJournalpost")
            ts, ln = _field(av, "avskrivningsdato")
            self._event(ln or line0, case_id, f"{label} avskrevet" + (f" ({maate[:40]})" if maate else ""), ts,
                        "avskrivningsdato", "written_off", _text_of(av, "avskrevetAv"), f"{sid}:avskr:{j}",
                        svar_journalpost=jp_index.get(ref) if ref else None, **common)

    def _flows(self, reg: etree._Element, *, case_id: str, sid: str, index: int, line0: int,
               unit: str | None) -> None:
        for j, fl in enumerate(reg.iterfind(_Q["dokumentflyt"]), start=1):
            ts, ln = _field(fl, "flytMottattDato")
            self._event(ln or line0, case_id, "Til godkjenning", ts, "flytMottattDato", "flow_submitted",
                        _text_of(fl, "flytFra"), f"{sid}:flyt:{j}:til", journalpost=index, unit=unit)
            status = normalise(_text_of(fl, "flytStatus"), FLYTSTATUS)
            label = status if status in ("Godkjent", "Returnert") else (
                f"Dokumentflyt ({status[:40]})" if status else "Dokumentflyt")
            ts, ln = _field(fl, "flytSendtDato")
            self._event(ln or line0, case_id, label, ts, "flytSendtDato", "flow_decided", _text_of(fl, "flytTil"),
                        f"{sid}:flyt:{j}:status", journalpost=index, unit=unit)


def _case_folders(mappe: etree._Element) -> list[etree._Element]:
    """The case folders in an outermost mappe: itself, unless it is an untyped folder holding typed ones."""
    if xsi_type(mappe) in ("saksmappe", "moetemappe"):
        return [mappe]
    typed: list[etree._Element] = []

    def walk(m: etree._Element) -> None:
        for child in m:
            if local(child.tag) == "mappe":
                if xsi_type(child) in ("saksmappe", "moetemappe"):
                    typed.append(child)
                else:
                    walk(child)

    walk(mappe)
    return typed or [mappe]


def _drop(elem: etree._Element) -> None:
    """Free a finished element: clear it and unlink it from its parent."""
    elem.clear(keep_tail=False)
    parent = elem.getparent()
    if parent is not None:
        parent.remove(elem)


def read_endringslogg(path: Path, *, sink: Sink, stats: ParseStats, batch_size: int = 20_000) -> None:
    """Stream endringslogg.xml: only changes of status and responsibility fields are kept, never
    the old or new value of anything but a status code (values are free text and names) and the new
    administrativEnhet (a unit, not a person: it becomes the change event's unit, not its label)."""
    rows = _Rows("changes", CHANGE_FIELDS, sink, batch_size)
    seq = 0
    try:
        for _, elem in etree.iterparse(str(path), events=("end",), tag=f"{{{NS_ENDRINGSLOGG}}}endring",
                                       huge_tree=True, resolve_entities=False, no_network=True):
            d = {local(c.tag): (_text(c), c.sourceline) for c in elem}
            raw = (d.get("referanseMetadata", (None,))[0] or "").strip().lower()
            changed = CHANGED_FIELDS.get(raw) or next(
                (v for k, v in CHANGED_FIELDS.items() if re.search(rf"\b{k}\b", raw)), None)
            stats.endringslogg_changes += 1
            if not changed:
                stats.endringslogg_other_fields += 1
                _drop(elem)
                continue
            new = d.get("nyVerdi", (None,))[0]
            unit = new if changed == "administrativEnhet" else None
            if changed == "saksstatus":
                new = normalise(new, SAKSSTATUS)
            elif changed == "journalstatus":
                new = normalise(new, JOURNALSTATUS)
            else:
                new = None
            seq += 1
            ts, line = d.get("endretDato", (None, elem.sourceline))
            rows.add(seq, line or elem.sourceline or 0, d.get("referanseArkivenhet", (None,))[0], changed, ts,
                     d.get("endretAv", (None,))[0], new[:40] if new else None, unit)
            _drop(elem)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"not well-formed XML: {exc.msg}", file=str(path), where=f"line {exc.lineno}") from exc
    rows.flush()


def sniff_version(path: Path, *, max_elements: int = 50_000) -> str:
    """Guess 5.0 or pre-5 (reported as 4.0, which accepts every valid 3.1 export) from the structure."""
    v5 = pre5 = 0
    non_uuid = False
    n = 0
    try:
        for _, elem in etree.iterparse(str(path), events=("end",), huge_tree=True, resolve_entities=False,
                                       no_network=True):
            n += 1
            name = local(elem.tag)
            if name == "part":
                v5 += 1
            elif name in ("sakspart", "basisregistrering"):
                pre5 += 1
            elif name == "systemID" and not non_uuid and elem.text and not UUID_RE.match(elem.text.strip()):
                non_uuid = True
                pre5 += 2
            elif name == "dokumentobjekt" and any(local(c.tag) == "systemID" for c in elem):
                v5 += 1
            elif name == "registrering":
                t = xsi_type(elem)
                if t == "arkivnotat":
                    v5 += 1
                elif t == "basisregistrering":
                    pre5 += 1
                elif t == "journalpost":
                    names = [local(c.tag) for c in elem]
                    if "korrespondansepart" in names and "journalposttype" in names:
                        if names.index("korrespondansepart") < names.index("journalposttype"):
                            v5 += 1
                        else:
                            pre5 += 1
            if name in ("mappe", "arkivdel"):
                _drop(elem)
            if n >= max_elements:
                break
    except etree.XMLSyntaxError:
        pass  # the real parse reports it with its line
    return "5.0" if v5 > pre5 else "4.0"
